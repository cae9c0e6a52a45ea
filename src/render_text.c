/* Plain-text renderer: blocks separated by blank lines, no markup beyond list
 * markers and " | " between table cells. */
#include "precis/render.h"

#include <stdio.h>
#include <string.h>

#include "render_internal.h"

static void text_block(const precis_node *n, precis_buf *out, int depth);

/* Appends the children of a container, blocks separated by sep; a run of inline
 * children (e.g. an image in a figure) reads as one paragraph. */
static void text_children(const precis_node *n, precis_buf *out, const char *sep, int depth)
{
    precis_buf part;
    precis_buf_init(&part, 0);
    for (const precis_node *k = n->first_child; k; k = k->next) {
        precis_buf_reset(&part);
        if (precis_node_is_block(k)) {
            text_block(k, &part, depth + 1);
        } else {
            const precis_node *end = k;
            while (end->next && !precis_node_is_block(end->next))
                end = end->next;
            for (const precis_node *i = k;; i = i->next) {
                if (i->kind == PRECIS_NODE_TEXT || i->kind == PRECIS_NODE_CODE) {
                    if (i->text)
                        precis_buf_puts(&part, i->text);
                } else if (i->kind == PRECIS_NODE_LINEBREAK) {
                    precis_buf_putc(&part, '\n');
                } else if (i->kind != PRECIS_NODE_IMAGE) {
                    precis_render_inline_text(i, &part, "\n", depth + 1);
                }
                if (i == end)
                    break;
            }
            k = end;
        }
        if (part.len) {
            precis_render_separate(out, sep);
            precis_buf_append(out, part.ptr, part.len);
        }
    }
    precis_buf_release(&part);
}

static void text_list(const precis_node *list, precis_buf *out, int depth)
{
    int number = list->start;
    precis_buf item;
    precis_buf_init(&item, 0);
    for (const precis_node *k = list->first_child; k; k = k->next) {
        precis_buf_reset(&item);
        if (k->kind == PRECIS_NODE_ITEM)
            text_children(k, &item, "\n", depth + 1);
        else
            text_block(k, &item, depth + 1);
        char marker[32];
        if (list->ordered)
            snprintf(marker, sizeof marker, "%d. ", number++);
        else
            snprintf(marker, sizeof marker, "- ");
        char indent[32];
        size_t w = strlen(marker);
        for (size_t i = 0; i < w; i++)
            indent[i] = ' ';
        indent[w] = '\0';
        if (!item.len)
            continue;
        precis_render_separate(out, "\n");
        precis_render_prefix_lines(out, item.ptr, item.len, marker, indent, "");
    }
    precis_buf_release(&item);
}

static void text_table(const precis_node *table, precis_buf *out, int depth)
{
    for (const precis_node *row = table->first_child; row; row = row->next) {
        if (row->kind == PRECIS_NODE_CAPTION) {
            precis_render_separate(out, "\n");
            precis_render_inline_text(row, out, " ", depth + 1);
            continue;
        }
        precis_render_separate(out, "\n");
        for (const precis_node *cell = row->first_child; cell; cell = cell->next) {
            if (cell != row->first_child)
                precis_buf_puts(out, " | ");
            precis_render_inline_text(cell, out, " ", depth + 1);
        }
    }
}

/* Inline text without the spaces left around omitted images. */
static void inline_trimmed(const precis_node *n, precis_buf *out, const char *br, int depth)
{
    size_t start = out->len;
    precis_render_inline_text(n, out, br, depth);
    size_t a = start;
    while (a < out->len && out->ptr[a] == ' ')
        a++;
    if (a > start) {
        memmove(out->ptr + start, out->ptr + a, out->len - a);
        precis_buf_truncate(out, out->len - (a - start));
    }
    while (out->len > start && precis_buf_ends_with(out, ' '))
        precis_buf_truncate(out, out->len - 1);
}

static void text_block(const precis_node *n, precis_buf *out, int depth)
{
    if (depth > PRECIS_RENDER_MAX_DEPTH) {
        precis_render_flat(n, out);
        return;
    }
    switch (n->kind) {
    case PRECIS_NODE_PARAGRAPH:
    case PRECIS_NODE_CAPTION:
        inline_trimmed(n, out, "\n", depth);
        break;
    case PRECIS_NODE_HEADING:
        inline_trimmed(n, out, " ", depth);
        break;
    case PRECIS_NODE_CODE_BLOCK:
    case PRECIS_NODE_RAW:
        if (n->text)
            precis_buf_puts(out, n->text);
        break;
    case PRECIS_NODE_LIST:
        text_list(n, out, depth);
        break;
    case PRECIS_NODE_TABLE:
        text_table(n, out, depth);
        break;
    case PRECIS_NODE_RULE:
        break;
    case PRECIS_NODE_ROW:
    case PRECIS_NODE_CELL:
        precis_render_inline_text(n, out, " ", depth);
        break;
    default: /* DOCUMENT, BLOCKQUOTE, FIGURE, ITEM */
        text_children(n, out, "\n\n", depth);
        break;
    }
}

void precis_render_text(const precis_doc *doc, precis_buf *out)
{
    if (!doc || !doc->root)
        return;
    precis_buf body;
    precis_buf_init(&body, 0);
    text_block(doc->root, &body, 0);
    size_t start = out->len;
    precis_buf_append(out, body.ptr, body.len);
    while (out->len > start && (precis_buf_ends_with(out, ' ') || precis_buf_ends_with(out, '\n')))
        precis_buf_truncate(out, out->len - 1);
    if (out->len > start)
        precis_buf_putc(out, '\n');
    precis_buf_release(&body);
}
