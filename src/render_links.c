/* Link collection and the numbered link list. */
#include "precis/render.h"

#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

void precis_render_links(const precis_doc *doc, precis_buf *out)
{
    if (!doc || !doc->root)
        return;
    const char **seen = NULL;
    size_t n = 0, cap = 0;
    precis_buf text;
    precis_buf_init(&text, 0);
    for (const precis_node *k = doc->root; k; k = precis_node_walk_next(doc->root, k)) {
        if (k->kind != PRECIS_NODE_LINK || !k->href || !k->href[0])
            continue;
        bool dup = false;
        for (size_t i = 0; i < n && !dup; i++)
            dup = strcmp(seen[i], k->href) == 0;
        if (dup)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            seen = precis_xrealloc(seen, cap * sizeof *seen);
        }
        seen[n++] = k->href;
        precis_buf_reset(&text);
        precis_render_inline_text(k, &text, " ", 0);
        precis_buf_printf(out, "[%zu] %s", n, k->href);
        if (text.len) {
            precis_buf_puts(out, "  ");
            for (size_t i = 0; i < text.len; i++)
                precis_buf_putc(out, text.ptr[i] == '\n' ? ' ' : text.ptr[i]);
        }
        precis_buf_putc(out, '\n');
    }
    precis_buf_release(&text);
    free(seen);
}
