/* Splitting a document into sections at h1-h4, with real anchors and heading paths. */
#include "precis/sections.h"

#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"
#include "precis/render.h"

#define MAX_LEVEL 4

typedef struct open_heading {
    int level;
    char *text;
    const char *anchor; /* borrowed from the node; NULL when the heading has none */
} open_heading;

static bool is_split(const precis_node *k)
{
    return k->kind == PRECIS_NODE_HEADING && k->level >= 1 && k->level <= MAX_LEVEL;
}

static void push_section(precis_section **v, size_t *n, size_t *cap, const open_heading *stack,
                         size_t depth, int level, const precis_node *first,
                         const precis_node *stop)
{
    precis_buf text;
    precis_buf_init(&text, 0);
    precis_render_markdown_range(first, stop, &text);
    if (text.len == 0) { /* a heading with nothing under it answers nothing */
        precis_buf_release(&text);
        return;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = precis_xrealloc(*v, *cap * sizeof **v);
    }
    precis_section *s = &(*v)[(*n)++];
    memset(s, 0, sizeof *s);
    s->level = level;
    s->npath = depth;
    s->path = precis_xcalloc(depth ? depth : 1, sizeof *s->path);
    const char *anchor = NULL;
    for (size_t i = 0; i < depth; i++) {
        s->path[i] = precis_xstrdup(stack[i].text);
        if (stack[i].anchor && *stack[i].anchor)
            anchor = stack[i].anchor; /* the innermost heading that has an id */
    }
    s->anchor = precis_xstrdup(anchor ? anchor : "");
    s->text = precis_buf_detach(&text);
    if (!s->text)
        s->text = precis_xstrdup("");
}

void precis_sections_split(const precis_doc *doc, precis_section **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    open_heading stack[MAX_LEVEL];
    size_t depth = 0;
    int level = 0;
    const precis_node *start = doc->root->first_child;
    for (const precis_node *k = start;; k = k->next) {
        if (k && !is_split(k))
            continue;
        push_section(out, n, &cap, stack, depth, level, start, k);
        if (!k)
            break;
        while (depth > 0 && stack[depth - 1].level >= k->level)
            free(stack[--depth].text);
        precis_buf t;
        precis_buf_init(&t, 0);
        precis_render_node_text(k, &t);
        stack[depth].level = k->level;
        stack[depth].text = t.ptr ? precis_buf_detach(&t) : precis_xstrdup("");
        stack[depth].anchor = k->anchor;
        depth++;
        level = k->level;
        start = k->next;
    }
    while (depth > 0)
        free(stack[--depth].text);
}

void precis_sections_free(precis_section *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].anchor);
        for (size_t j = 0; j < s[i].npath; j++)
            free(s[i].path[j]);
        free(s[i].path);
        free(s[i].text);
    }
    free(s);
}
