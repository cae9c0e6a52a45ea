/* The `precis chat` session: set-up, open pages and their link history, the prompt's
 * label, and writing to the terminal. */
#include "precis/chat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "precis/page.h"

volatile sig_atomic_t precis_chat_winch;

static void visit_release(precis_chat_visit *v)
{
    precis_doc_free(v->doc);
    free(v->source);
    v->doc = NULL;
    v->source = NULL;
}

static void page_release(precis_chat_page *p)
{
    visit_release(&p->cur);
    for (size_t i = 0; i < p->n_back; i++)
        visit_release(&p->back[i]);
    for (size_t i = 0; i < p->n_fwd; i++)
        visit_release(&p->fwd[i]);
    free(p->back);
    free(p->fwd);
    memset(p, 0, sizeof *p);
}

int precis_chat_init(precis_chat *chat, const precis_cli *cli, bool interactive)
{
    memset(chat, 0, sizeof *chat);
    chat->cli = cli;
    chat->interactive = interactive;
    chat->color = PRECIS_COLOR_AUTO;
    if (cli->color)
        precis_color_mode_parse(cli->color, &chat->color);
    if (!interactive && chat->color == PRECIS_COLOR_AUTO)
        chat->color = PRECIS_COLOR_NEVER; /* scripts get plain text, even on a terminal */
    precis_chat_index_init(&chat->index);
    precis_chat_convo_init(&chat->convo);
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_cli_model_open(cli, "summarize", &chat->cm, &err);
    if (r == PRECIS_OK) {
        const char *name = cli->prompt;
        if (!name && precis_config_origin_of(chat->cm.cfg, "prompt") != PRECIS_ORIGIN_DEFAULT)
            name = precis_config_prompt(chat->cm.cfg);
        chat->summary_prompt = precis_xstrdup(name ? name : "summarize");
        precis_prompt *check = NULL;
        r = precis_prompt_load(chat->summary_prompt, &check, &err);
        precis_prompt_free(check);
    }
    if (r == PRECIS_OK)
        r = precis_prompt_load("ask", &chat->ask, &err);
    if (r == PRECIS_OK && precis_config_lang(chat->cm.cfg))
        chat->lang = precis_xstrdup(precis_config_lang(chat->cm.cfg));
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return precis_exit_code(r);
    }
    if (chat->cm.configured && !cli->offline) {
        r = precis_cli_model_connect(&chat->cm, cli, &err);
        if (r == PRECIS_OK)
            chat->online = true;
        else
            precis_warn("%s; questions get offline answers", err.msg);
    }
    return 0;
}

void precis_chat_release(precis_chat *chat)
{
    for (size_t i = 0; i < chat->n_pages; i++)
        page_release(&chat->pages[i]);
    free(chat->pages);
    precis_chat_index_release(&chat->index);
    precis_chat_convo_release(&chat->convo);
    precis_chat_sources_free(chat->sources, chat->n_sources);
    precis_chat_site_close(chat->site);
    for (size_t i = 0; i < chat->n_models; i++)
        free(chat->models[i]);
    free(chat->models);
    precis_prompt_free(chat->ask);
    free(chat->summary_prompt);
    free(chat->lang);
    precis_cli_model_close(&chat->cm);
    memset(chat, 0, sizeof *chat);
}

precis_doc *precis_chat_doc(const precis_chat *chat)
{
    return chat->n_pages ? chat->pages[chat->current].cur.doc : NULL;
}

int precis_chat_load(precis_chat *chat, const char *source, bool as_new)
{
    precis_error err;
    precis_error_clear(&err);
    precis_doc *doc = NULL;
    char line[600];
    snprintf(line, sizeof line, "fetching %s", source);
    precis_status_set(chat->cm.status, line);
    precis_result r = precis_page_load(source, &chat->cli->fetch, &chat->cli->extract, &doc, &err);
    precis_status_clear(chat->cm.status);
    if (r != PRECIS_OK) {
        if (precis_interrupted)
            precis_error_set(&err, PRECIS_ERR_CANCELLED, "%s: interrupted", source);
        precis_error_oneline(&err);
        precis_chat_fail(chat, precis_exit_code(r), "%s", err.msg[0] ? err.msg : precis_strerror(r));
        return precis_exit_code(r);
    }
    precis_chat_visit v = {doc, precis_xstrdup(source)};
    if (as_new || chat->n_pages == 0) {
        if (chat->n_pages == chat->cap_pages) {
            chat->cap_pages = chat->cap_pages ? chat->cap_pages * 2 : 4;
            chat->pages = precis_xrealloc(chat->pages, chat->cap_pages * sizeof *chat->pages);
        }
        precis_chat_page *p = &chat->pages[chat->n_pages];
        memset(p, 0, sizeof *p);
        p->cur = v;
        chat->current = chat->n_pages++;
    } else {
        precis_chat_page *p = &chat->pages[chat->current];
        if (p->n_back == PRECIS_CHAT_BACK_MAX) {
            visit_release(&p->back[0]);
            memmove(p->back, p->back + 1, (p->n_back - 1) * sizeof *p->back);
            p->n_back--;
        }
        p->back = precis_xrealloc(p->back, (p->n_back + 1) * sizeof *p->back);
        p->back[p->n_back++] = p->cur;
        for (size_t i = 0; i < p->n_fwd; i++)
            visit_release(&p->fwd[i]);
        p->n_fwd = 0;
        p->cur = v;
    }
    chat->index_stale = true;
    return 0;
}

void precis_chat_close_page(precis_chat *chat, size_t i)
{
    if (i >= chat->n_pages)
        return;
    page_release(&chat->pages[i]);
    memmove(chat->pages + i, chat->pages + i + 1, (chat->n_pages - i - 1) * sizeof *chat->pages);
    chat->n_pages--;
    if (chat->current > i || chat->current >= chat->n_pages)
        chat->current = chat->current ? chat->current - 1 : 0;
    chat->index_stale = true;
}

void precis_chat_reindex(precis_chat *chat)
{
    if (!chat->index_stale)
        return;
    precis_chat_index_release(&chat->index);
    for (size_t i = 0; i < chat->n_pages; i++)
        precis_chat_index_add(&chat->index, i, chat->pages[i].cur.doc);
    chat->index_stale = false;
}

/* Appends s[0..n) keeping letters, digits and - _ . only, at most max bytes of out. */
static void put_name(precis_buf *out, const char *s, size_t n, size_t max)
{
    for (size_t i = 0; i < n && out->len < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.')
            precis_buf_putc(out, (char)c);
        else if (c == ' ' && out->len && !precis_buf_ends_with(out, '-'))
            precis_buf_putc(out, '-');
    }
}

void precis_chat_page_name(const precis_chat_visit *v, precis_buf *out)
{
    size_t start = out->len, max = out->len + 40;
    const char *src = v->source ? v->source : "";
    if (strcmp(src, "-") == 0) {
        precis_buf_puts(out, "stdin");
        return;
    }
    const char *s = src;
    const char *host = NULL;
    size_t host_len = 0;
    const char *scheme = strstr(s, "://");
    if (scheme && precis_is_url(s)) {
        host = scheme + 3;
        host_len = strcspn(host, "/?#");
        s = host + host_len;
    }
    size_t len = strcspn(s, "?#");
    while (len > 0 && s[len - 1] == '/')
        len--;
    size_t seg = len;
    while (seg > 0 && s[seg - 1] != '/')
        seg--;
    const char *name = s + seg;
    size_t nlen = len - seg;
    const char *dot = NULL;
    for (size_t i = 0; i < nlen; i++)
        if (name[i] == '.')
            dot = name + i;
    if (dot && dot > name)
        nlen = (size_t)(dot - name);
    if (nlen && !(nlen == 5 && strncmp(name, "index", 5) == 0))
        put_name(out, name, nlen, max);
    if (out->len == start && host)
        put_name(out, host, host_len, max);
    if (out->len == start && v->doc && v->doc->meta.title)
        put_name(out, v->doc->meta.title, strlen(v->doc->meta.title), max);
    if (out->len == start)
        precis_buf_puts(out, "page");
}

void precis_chat_prompt(const precis_chat *chat, precis_buf *out)
{
    if (chat->n_pages)
        precis_chat_page_name(&chat->pages[chat->current].cur, out);
    else if (chat->site)
        precis_buf_puts(out, precis_chat_site_name(chat->site));
    else
        precis_buf_puts(out, "precis");
    precis_buf_puts(out, "> ");
}

void precis_chat_fail(precis_chat *chat, int rc, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    precis_warn("%s", msg);
    chat->last_failure = rc ? rc : 1;
}

void precis_chat_print(precis_chat *chat, const char *md, size_t n)
{
    precis_term *t = precis_term_new(stdout, chat->color);
    precis_term_write(t, md, n);
    precis_term_finish(t);
    precis_term_free(t);
}

void precis_chat_print_text(precis_chat *chat, const char *s, size_t n)
{
    (void)chat;
    precis_term *t = precis_term_new(stdout, PRECIS_COLOR_NEVER);
    precis_term_write(t, s, n);
    precis_term_finish(t);
    precis_term_free(t);
}

/* Rows of the terminal on stdout (24 if unknown). */
static size_t screen_rows(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
        return ws.ws_row;
    return 24;
}

void precis_chat_print_paged(precis_chat *chat, const char *md, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += md[i] == '\n';
    if (!chat->interactive || !isatty(STDOUT_FILENO) || lines + 1 < screen_rows()) {
        precis_chat_print(chat, md, n);
        return;
    }
    const char *pager = getenv("PAGER");
    if (!pager || !*pager)
        pager = "less -R";
    fflush(stdout);
    FILE *p = popen(pager, "w");
    if (!p) {
        precis_chat_print(chat, md, n);
        return;
    }
    bool colour = precis_color_enabled(chat->color, stdout);
    precis_term *t = precis_term_new(p, colour ? PRECIS_COLOR_ALWAYS : PRECIS_COLOR_NEVER);
    precis_term_write(t, md, n);
    precis_term_finish(t);
    precis_term_free(t);
    pclose(p);
    precis_interrupted = 0;
}

void precis_chat_set_sources(precis_chat *chat, precis_chat_source *s, size_t n)
{
    precis_chat_sources_free(chat->sources, chat->n_sources);
    chat->sources = s;
    chat->n_sources = n;
}
