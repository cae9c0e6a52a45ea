/* The outline of a document and the Markdown of one section. */
#include "precis/doc_outline.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/render.h"
#include "render_internal.h"

size_t precis_outline(const precis_doc *doc, precis_heading **out)
{
    *out = NULL;
    if (!doc || !doc->root)
        return 0;
    size_t n = 0, cap = 0;
    for (const precis_node *k = doc->root; k; k = precis_node_walk_next(doc->root, k)) {
        if (k->kind != PRECIS_NODE_HEADING)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = precis_xrealloc(*out, cap * sizeof **out);
        }
        precis_buf t;
        precis_buf_init(&t, 0);
        precis_render_node_text(k, &t);
        for (size_t i = 0; i < t.len; i++)
            if (t.ptr[i] == '\n' || t.ptr[i] == '\t')
                t.ptr[i] = ' ';
        precis_heading *h = &(*out)[n++];
        h->node = k;
        h->level = k->level < 1 ? 1 : k->level > 6 ? 6 : k->level;
        h->title = precis_buf_detach(&t);
        h->anchor = k->anchor && k->anchor[0] ? k->anchor : NULL;
    }
    return n;
}

void precis_outline_free(precis_heading *h, size_t n)
{
    for (size_t i = 0; h && i < n; i++)
        free(h[i].title);
    free(h);
}

void precis_outline_section(const precis_node *heading, precis_buf *out)
{
    const precis_node *stop = heading->next;
    while (stop && !(stop->kind == PRECIS_NODE_HEADING && stop->level <= heading->level))
        stop = stop->next;
    precis_render_markdown_range(heading, stop, out);
}

/* Returns true if s parses completely as a number in [1, max]. */
static bool parse_index(const char *s, size_t max, size_t *out)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < 1 || v > max)
        return false;
    *out = (size_t)v;
    return true;
}

/* strcasestr for ASCII, which C11 lacks. */
static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return n == 0;
}

long precis_outline_find(const precis_heading *h, size_t n, const char *what)
{
    if (!what || !*what)
        return -1;
    size_t idx;
    if (parse_index(what, n, &idx))
        return (long)idx - 1;
    const char *a = what[0] == '#' ? what + 1 : what;
    for (size_t i = 0; i < n; i++)
        if (h[i].anchor && strcmp(h[i].anchor, a) == 0)
            return (long)i;
    size_t len = strlen(what);
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < n; i++) {
            const char *t = h[i].title;
            bool hit = pass == 0   ? strcasecmp(t, what) == 0
                       : pass == 1 ? strncasecmp(t, what, len) == 0
                                   : contains_nocase(t, what);
            if (hit)
                return (long)i;
        }
    return -1;
}

void precis_deep_link(const precis_doc *doc, const char *anchor, precis_buf *out)
{
    const char *url = doc ? doc->meta.url : NULL;
    if (!url || !*url)
        return;
    size_t len = strcspn(url, "#");
    precis_buf_append(out, url, len);
    if (anchor && *anchor)
        precis_buf_printf(out, "#%s", anchor);
}

size_t precis_doc_links(const precis_doc *doc, const precis_node ***links)
{
    return precis_render_collect_links(doc, links);
}
