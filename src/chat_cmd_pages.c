/* The REPL's page commands: /open, /toc, /read, /links, /follow, /back, /forward,
 * /pages, /close and /search. */
#include "precis/chat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "precis/doc_outline.h"
#include "precis/render.h"

#define SEARCH_RESULTS 8
#define SNIPPET_BYTES 240

/* Returns the current document, or NULL after reporting that nothing is open. */
static precis_doc *need_doc(precis_chat *chat, const char *cmd)
{
    precis_doc *doc = precis_chat_doc(chat);
    if (!doc)
        precis_chat_fail(chat, 1, "/%s: no page is open; /open URL|FILE first", cmd);
    return doc;
}

/* Parses a 1-based number in [1, max]; false if arg is not one. */
static bool parse_number(const char *arg, size_t max, size_t *out)
{
    if (!*arg || *arg < '0' || *arg > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || *end || v < 1 || v > max)
        return false;
    *out = (size_t)v;
    return true;
}

static bool is_number(const char *arg)
{
    if (!*arg)
        return false;
    for (; *arg; arg++)
        if (*arg < '0' || *arg > '9')
            return false;
    return true;
}

/* Prints "Now at NAME: TITLE" after a page change (terminal only). */
static void announce(precis_chat *chat)
{
    if (!chat->interactive)
        return;
    precis_doc *doc = precis_chat_doc(chat);
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "%s", doc && doc->meta.title ? doc->meta.title : "(untitled)");
    if (doc && doc->meta.url)
        precis_buf_printf(&b, " <%s>", doc->meta.url);
    precis_heading *h;
    size_t nh = precis_outline(doc, &h);
    precis_outline_free(h, nh);
    precis_buf_printf(&b, ": %zu words, %zu sections\n", precis_doc_word_count(doc), nh);
    precis_chat_print_text(chat, b.ptr, b.len);
    precis_buf_release(&b);
}

void precis_chat_cmd_open(precis_chat *chat, const char *arg)
{
    if (!*arg) {
        precis_chat_fail(chat, 1, "/open needs a URL or a file: /open https://example.org/");
        return;
    }
    if (precis_chat_load(chat, arg, true) == 0)
        announce(chat);
}

void precis_chat_cmd_toc(precis_chat *chat, const char *arg)
{
    (void)arg;
    precis_doc *doc = need_doc(chat, "toc");
    if (!doc)
        return;
    precis_heading *h;
    size_t n = precis_outline(doc, &h);
    int min = 6;
    for (size_t i = 0; i < n; i++)
        if (h[i].level < min)
            min = h[i].level;
    precis_buf b;
    precis_buf_init(&b, 0);
    if (n == 0)
        precis_buf_puts(&b, "(the page has no headings; /read prints it whole)\n");
    for (size_t i = 0; i < n; i++)
        precis_buf_printf(&b, "%*s%zu. %s\n", 2 * (h[i].level - min), "", i + 1,
                          h[i].title[0] ? h[i].title : "(untitled)");
    precis_chat_print_text(chat, b.ptr, b.len);
    precis_buf_release(&b);
    precis_outline_free(h, n);
}

void precis_chat_cmd_read(precis_chat *chat, const char *arg)
{
    precis_doc *doc = need_doc(chat, "read");
    if (!doc)
        return;
    precis_buf b;
    precis_buf_init(&b, 0);
    if (!*arg) {
        precis_render_markdown(doc, &b);
    } else {
        precis_heading *h;
        size_t n = precis_outline(doc, &h);
        long i = precis_outline_find(h, n, arg);
        if (i < 0)
            precis_chat_fail(chat, 1, "/read: no section matches '%s'; /toc lists them", arg);
        else {
            precis_outline_section(h[i].node, &b);
            precis_buf_puts(&b, "\n");
            precis_deep_link(doc, h[i].anchor, &b);
            if (!precis_buf_ends_with(&b, '\n'))
                precis_buf_puts(&b, "\n");
        }
        precis_outline_free(h, n);
    }
    if (b.len)
        precis_chat_print_paged(chat, b.ptr, b.len);
    precis_buf_release(&b);
}

void precis_chat_cmd_links(precis_chat *chat, const char *arg)
{
    (void)arg;
    precis_doc *doc = need_doc(chat, "links");
    if (!doc)
        return;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_render_links(doc, &b);
    if (b.len == 0)
        precis_buf_puts(&b, "(the page has no links)\n");
    precis_chat_print_paged(chat, b.ptr, b.len);
    precis_buf_release(&b);
}

void precis_chat_cmd_follow(precis_chat *chat, const char *arg)
{
    if (!*arg) {
        precis_chat_fail(chat, 1, "/follow needs a link number (see /links) or a URL");
        return;
    }
    char *target = NULL;
    if (is_number(arg)) {
        precis_doc *doc = need_doc(chat, "follow");
        if (!doc)
            return;
        const precis_node **links;
        size_t n = precis_doc_links(doc, &links), k;
        if (parse_number(arg, n, &k))
            target = precis_xstrdup(links[k - 1]->href);
        else
            precis_chat_fail(chat, 1, "/follow: no link %s (the page has %zu; /links lists them)",
                             arg, n);
        free(links);
        if (!target)
            return;
    } else {
        target = precis_xstrdup(arg);
    }
    if (precis_chat_load(chat, target, false) == 0)
        announce(chat);
    free(target);
}

/* Moves the current page one step through its history (back: from back to fwd). */
static void walk(precis_chat *chat, bool back)
{
    const char *cmd = back ? "back" : "forward";
    if (!need_doc(chat, cmd))
        return;
    precis_chat_page *p = &chat->pages[chat->current];
    precis_chat_visit **from = back ? &p->back : &p->fwd, **to = back ? &p->fwd : &p->back;
    size_t *nfrom = back ? &p->n_back : &p->n_fwd, *nto = back ? &p->n_fwd : &p->n_back;
    if (*nfrom == 0) {
        precis_chat_fail(chat, 1, "/%s: no page to go %s to", cmd, cmd);
        return;
    }
    *to = precis_xrealloc(*to, (*nto + 1) * sizeof **to);
    (*to)[(*nto)++] = p->cur;
    p->cur = (*from)[--*nfrom];
    chat->index_stale = true;
    announce(chat);
}

void precis_chat_cmd_back(precis_chat *chat, const char *arg)
{
    (void)arg;
    walk(chat, true);
}

void precis_chat_cmd_forward(precis_chat *chat, const char *arg)
{
    (void)arg;
    walk(chat, false);
}

void precis_chat_cmd_pages(precis_chat *chat, const char *arg)
{
    (void)arg;
    precis_buf b;
    precis_buf_init(&b, 0);
    if (chat->n_pages == 0)
        precis_buf_puts(&b, "(no page is open; /open URL|FILE)\n");
    for (size_t i = 0; i < chat->n_pages; i++) {
        const precis_chat_visit *v = &chat->pages[i].cur;
        precis_buf_printf(&b, "%c %zu. ", i == chat->current ? '*' : ' ', i + 1);
        precis_chat_page_name(v, &b);
        if (v->doc->meta.title)
            precis_buf_printf(&b, "  %s", v->doc->meta.title);
        precis_buf_printf(&b, "  <%s>\n", v->doc->meta.url ? v->doc->meta.url : v->source);
    }
    precis_chat_print_text(chat, b.ptr, b.len);
    precis_buf_release(&b);
}

void precis_chat_cmd_close(precis_chat *chat, const char *arg)
{
    size_t k = chat->current + 1;
    if (chat->n_pages == 0) {
        precis_chat_fail(chat, 1, "/close: no page is open");
        return;
    }
    if (*arg && !parse_number(arg, chat->n_pages, &k)) {
        precis_chat_fail(chat, 1, "/close: no page %s (%zu open; /pages lists them)", arg,
                         chat->n_pages);
        return;
    }
    precis_chat_close_page(chat, k - 1);
    if (chat->interactive) {
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "closed page %zu; %zu open\n", k, chat->n_pages);
        precis_chat_print_text(chat, b.ptr, b.len);
        precis_buf_release(&b);
    }
}

/* /search over the site index (the seam in chat_site.h). */
static void search_site(precis_chat *chat, const char *terms)
{
    precis_chat_site_hit *hits;
    size_t n;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_chat_site_search(chat->site, terms, SEARCH_RESULTS, &hits, &n, &err);
    if (r == PRECIS_ERR_CANCELLED) { /* Ctrl-C while the query is embedded or expanded */
        precis_chat_fail(chat, 130, "%s", err.msg);
        return;
    }
    if (r != PRECIS_OK) {
        precis_chat_fail(chat, 1, "/search: %s", err.msg);
        return;
    }
    precis_buf b;
    precis_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++)
        precis_buf_printf(&b, "%zu. **%s** — %s\n   %s\n\n", i + 1, hits[i].title, hits[i].link,
                          hits[i].snippet ? hits[i].snippet : "");
    if (n == 0)
        precis_buf_printf(&b, "(no section of the site matches '%s')\n", terms);
    precis_chat_print(chat, b.ptr, b.len);
    precis_buf_release(&b);
    precis_chat_site_hits_free(hits, n);
}

void precis_chat_cmd_search(precis_chat *chat, const char *arg)
{
    if (!*arg) {
        precis_chat_fail(chat, 1, "/search needs terms: /search write barrier");
        return;
    }
    if (chat->site) {
        search_site(chat, arg);
        return;
    }
    if (!need_doc(chat, "search"))
        return;
    precis_chat_reindex(chat);
    size_t *order;
    size_t n = precis_chat_index_rank(&chat->index, arg, chat->current, &order, NULL);
    precis_buf b;
    precis_buf_init(&b, 0);
    for (size_t i = 0; i < n && i < SEARCH_RESULTS; i++) {
        const precis_chat_chunk *c = &chat->index.chunks[order[i]];
        precis_buf_printf(&b, "%zu. **%s**", i + 1, c->title);
        if (chat->n_pages > 1)
            precis_buf_printf(&b, " (page %zu)", c->page + 1);
        if (c->link[0])
            precis_buf_printf(&b, " — %s", c->link);
        precis_buf_puts(&b, "\n   ");
        precis_chat_snippet(c->text, arg, SNIPPET_BYTES, &b);
        precis_buf_puts(&b, "\n\n");
    }
    while (b.len >= 2 && b.ptr[b.len - 1] == '\n' && b.ptr[b.len - 2] == '\n')
        precis_buf_truncate(&b, b.len - 1);
    if (n == 0)
        precis_buf_printf(&b, "(no section of the open pages matches '%s')\n", arg);
    precis_chat_print(chat, b.ptr, b.len);
    precis_buf_release(&b);
    free(order);
}
