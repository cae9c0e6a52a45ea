/* Link collection and the numbered link list. */
#include "precis/render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/strmap.h"
#include "render_internal.h"

size_t precis_render_collect_links(const precis_doc *doc, const precis_node ***links)
{
    *links = NULL;
    if (!doc || !doc->root)
        return 0;
    size_t total = 0;
    for (const precis_node *k = doc->root; k; k = precis_node_walk_next(doc->root, k))
        if (k->kind == PRECIS_NODE_LINK && k->href && k->href[0])
            total++;
    if (total == 0)
        return 0;
    /* Open-addressing set of hrefs, at most half full. */
    size_t slots = 16;
    while (slots < total * 2)
        slots *= 2;
    const char **set = precis_xcalloc(slots, sizeof *set);
    const precis_node **out = precis_xmalloc(total * sizeof *out);
    size_t n = 0;
    for (const precis_node *k = doc->root; k; k = precis_node_walk_next(doc->root, k)) {
        if (k->kind != PRECIS_NODE_LINK || !k->href || !k->href[0])
            continue;
        size_t i = (size_t)precis_hash_str(k->href) & (slots - 1);
        while (set[i] && strcmp(set[i], k->href) != 0)
            i = (i + 1) & (slots - 1);
        if (set[i])
            continue;
        set[i] = k->href;
        out[n++] = k;
    }
    free(set);
    *links = out;
    return n;
}

void precis_render_links(const precis_doc *doc, precis_buf *out)
{
    const precis_node **links;
    size_t n = precis_render_collect_links(doc, &links);
    precis_buf text;
    precis_buf_init(&text, 0);
    for (size_t i = 0; i < n; i++) {
        precis_buf_reset(&text);
        precis_render_inline_text(links[i], &text, " ", 0);
        precis_buf_printf(out, "[%zu] %s", i + 1, links[i]->href);
        if (text.len) {
            precis_buf_puts(out, "  ");
            for (size_t j = 0; j < text.len; j++)
                precis_buf_putc(out, text.ptr[j] == '\n' ? ' ' : text.ptr[j]);
        }
        precis_buf_putc(out, '\n');
    }
    precis_buf_release(&text);
    free(links);
}
