/* GitHub-flavoured Markdown renderer. Text is escaped only where a character
 * would otherwise start markup, so the Markdown reads back as the same text. */
#include "precis/render.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "render_internal.h"

typedef struct inline_ctx {
    const char *br; /* what a line break becomes */
    bool in_table;  /* escape | */
    bool in_link;   /* escape [ and ] */
} inline_ctx;

static void md_block(const precis_node *n, precis_buf *out, int depth);
static void md_list(const precis_node *list, precis_buf *out, bool alt, int depth);
static void md_inlines(const precis_node *n, precis_buf *out, const inline_ctx *ctx, int depth);

static bool is_space_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\0';
}

/* Returns true if the bracket at s closes as "](", "][" or "]:", which would
 * make a link or a reference. */
static bool bracket_could_link(const char *s)
{
    const char *p = strchr(s, ']');
    return p && (p[1] == '(' || p[1] == '[' || p[1] == ':');
}

static bool looks_like_entity(const char *s)
{
    size_t i = 1;
    if (s[i] == '#')
        i++;
    size_t start = i;
    while (isalnum((unsigned char)s[i]) && i < 40)
        i++;
    return i > start && s[i] == ';';
}

/* Escapes what would start a block construct at the beginning of a line. */
static size_t escape_line_start(const char *s, precis_buf *out)
{
    char c = s[0];
    if (c == '#' || c == '>' || c == '=') {
        precis_buf_putc(out, '\\');
        return 0;
    }
    if ((c == '-' || c == '+' || c == '*') && (is_space_char(s[1]) || s[1] == '-' || s[1] == '*')) {
        precis_buf_putc(out, '\\');
        return 0;
    }
    size_t d = 0;
    while (isdigit((unsigned char)s[d]) && d < 10)
        d++;
    if (d > 0 && d < 10 && (s[d] == '.' || s[d] == ')') && is_space_char(s[d + 1])) {
        precis_buf_append(out, s, d);
        precis_buf_putc(out, '\\');
        return d;
    }
    return 0;
}

static void md_escape(const char *s, precis_buf *out, const inline_ctx *ctx)
{
    size_t i = 0;
    if (out->len == 0 || precis_buf_ends_with(out, '\n'))
        i = escape_line_start(s, out);
    for (; s[i]; i++) {
        char c = s[i];
        char prev = i > 0 ? s[i - 1] : (out->len ? out->ptr[out->len - 1] : ' ');
        char next = s[i + 1];
        bool esc = false;
        switch (c) {
        case '\\':
            esc = next == '\0' || ispunct((unsigned char)next);
            break;
        case '`':
            esc = true;
            break;
        case '*':
            esc = !(is_space_char(prev) && is_space_char(next) && next != '\0');
            break;
        case '_':
            esc = !((isalnum((unsigned char)prev) && isalnum((unsigned char)next)) ||
                    (is_space_char(prev) && is_space_char(next) && next != '\0'));
            break;
        case '~':
            esc = strchr(s + i + 1, '~') != NULL || prev == '~';
            break;
        case '[':
            esc = ctx->in_link || bracket_could_link(s + i);
            break;
        case ']':
            esc = ctx->in_link;
            break;
        case '<':
            esc = isalpha((unsigned char)next) || next == '/' || next == '!' || next == '?';
            break;
        case '&':
            esc = looks_like_entity(s + i);
            break;
        case '|':
            esc = ctx->in_table;
            break;
        default:
            break;
        }
        if (esc)
            precis_buf_putc(out, '\\');
        precis_buf_putc(out, c);
    }
}

static size_t longest_backtick_run(const char *s)
{
    size_t best = 0, run = 0;
    for (; *s; s++) {
        run = *s == '`' ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

static void put_repeat(precis_buf *out, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        precis_buf_putc(out, c);
}

static void md_code_span(const char *text, precis_buf *out, bool in_table)
{
    size_t ticks = longest_backtick_run(text) + 1;
    size_t len = strlen(text);
    bool pad = text[0] == '`' || (len && text[len - 1] == '`') ||
               (text[0] == ' ' && len && text[len - 1] == ' ');
    put_repeat(out, '`', ticks);
    if (pad)
        precis_buf_putc(out, ' ');
    for (const char *p = text; *p; p++) {
        if (*p == '|' && in_table)
            precis_buf_putc(out, '\\'); /* GFM: a pipe ends the cell even in code */
        precis_buf_putc(out, *p == '\n' ? ' ' : *p);
    }
    if (pad)
        precis_buf_putc(out, ' ');
    put_repeat(out, '`', ticks);
}

static void md_url(const char *url, precis_buf *out)
{
    for (const char *p = url; *p; p++) {
        switch (*p) {
        case ' ':
            precis_buf_puts(out, "%20");
            break;
        case '(':
            precis_buf_puts(out, "%28");
            break;
        case ')':
            precis_buf_puts(out, "%29");
            break;
        case '<':
            precis_buf_puts(out, "%3C");
            break;
        case '>':
            precis_buf_puts(out, "%3E");
            break;
        default:
            precis_buf_putc(out, *p);
        }
    }
}

/* Emphasis: delimiters hug the content, surrounding spaces move outside. */
static void md_delimited(const precis_node *n, precis_buf *out, const inline_ctx *ctx,
                         const char *delim, int depth)
{
    precis_buf inner;
    precis_buf_init(&inner, 0);
    md_inlines(n, &inner, ctx, depth + 1);
    size_t a = 0, b = inner.len;
    while (a < b && inner.ptr[a] == ' ')
        a++;
    while (b > a && inner.ptr[b - 1] == ' ')
        b--;
    if (a > 0)
        precis_buf_putc(out, ' ');
    if (b > a) {
        precis_buf_puts(out, delim);
        precis_buf_append(out, inner.ptr + a, b - a);
        precis_buf_puts(out, delim);
    }
    if (b < inner.len && b > a)
        precis_buf_putc(out, ' ');
    precis_buf_release(&inner);
}

static void md_link(const precis_node *n, precis_buf *out, const inline_ctx *ctx, int depth)
{
    inline_ctx lc = *ctx;
    lc.in_link = true;
    lc.br = " ";
    precis_buf text;
    precis_buf_init(&text, 0);
    md_inlines(n, &text, &lc, depth + 1);
    precis_buf_putc(out, '[');
    if (text.len)
        precis_buf_append(out, text.ptr, text.len);
    else
        md_escape(n->href, out, &lc);
    precis_buf_puts(out, "](");
    md_url(n->href, out);
    precis_buf_putc(out, ')');
    precis_buf_release(&text);
}

static void md_image(const precis_node *n, precis_buf *out, const inline_ctx *ctx)
{
    if (!n->href)
        return;
    inline_ctx lc = *ctx;
    lc.in_link = true;
    precis_buf_puts(out, "![");
    if (n->text) {
        precis_buf alt;
        precis_buf_init(&alt, 0);
        precis_buf_putc(&alt, ' '); /* not at a line start */
        md_escape(n->text, &alt, &lc);
        precis_buf_append(out, alt.ptr + 1, alt.len - 1);
        precis_buf_release(&alt);
    }
    precis_buf_puts(out, "](");
    md_url(n->href, out);
    precis_buf_putc(out, ')');
}

/* Appends one inline node. */
static void md_inline(const precis_node *k, precis_buf *out, const inline_ctx *ctx, int depth)
{
    switch (k->kind) {
    case PRECIS_NODE_TEXT:
        if (k->text)
            md_escape(k->text, out, ctx);
        break;
    case PRECIS_NODE_CODE:
        if (k->text && k->text[0])
            md_code_span(k->text, out, ctx->in_table);
        break;
    case PRECIS_NODE_EMPH:
        md_delimited(k, out, ctx, "*", depth);
        break;
    case PRECIS_NODE_STRONG:
        md_delimited(k, out, ctx, "**", depth);
        break;
    case PRECIS_NODE_LINK:
        if (k->href)
            md_link(k, out, ctx, depth);
        else
            md_inlines(k, out, ctx, depth + 1);
        break;
    case PRECIS_NODE_IMAGE:
        md_image(k, out, ctx);
        break;
    case PRECIS_NODE_LINEBREAK:
        precis_buf_puts(out, ctx->br);
        break;
    default:
        md_inlines(k, out, ctx, depth + 1);
        break;
    }
}

static void md_inlines(const precis_node *n, precis_buf *out, const inline_ctx *ctx, int depth)
{
    if (depth > PRECIS_RENDER_MAX_DEPTH) {
        precis_buf flat;
        precis_buf_init(&flat, 0);
        precis_render_flat(n, &flat);
        md_escape(flat.ptr, out, ctx);
        precis_buf_release(&flat);
        return;
    }
    for (const precis_node *k = n->first_child; k; k = k->next)
        md_inline(k, out, ctx, depth);
}

static void md_paragraph(const precis_node *n, precis_buf *out, int depth)
{
    inline_ctx ctx = {"\\\n", false, false};
    md_inlines(n, out, &ctx, depth);
}

static void md_heading(const precis_node *n, precis_buf *out, int depth)
{
    inline_ctx ctx = {" ", false, false};
    precis_buf text;
    precis_buf_init(&text, 0);
    precis_buf_putc(&text, ' '); /* the text does not start a line */
    md_inlines(n, &text, &ctx, depth);
    if (text.len > 1) {
        int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
        put_repeat(out, '#', (size_t)level);
        size_t len = text.len;
        size_t hashes = 0;
        while (hashes < len - 1 && text.ptr[len - 1 - hashes] == '#')
            hashes++;
        if (hashes) {
            precis_buf_append(out, text.ptr, len - hashes);
            precis_buf_putc(out, '\\');
            precis_buf_append(out, text.ptr + len - hashes, hashes);
        } else {
            precis_buf_append(out, text.ptr, len);
        }
    }
    precis_buf_release(&text);
}

static void md_code_block(const precis_node *n, precis_buf *out)
{
    if (!n->text)
        return;
    size_t ticks = longest_backtick_run(n->text) + 1;
    if (ticks < 3)
        ticks = 3;
    put_repeat(out, '`', ticks);
    if (n->lang)
        precis_buf_puts(out, n->lang);
    precis_buf_putc(out, '\n');
    precis_buf_puts(out, n->text);
    precis_buf_putc(out, '\n');
    put_repeat(out, '`', ticks);
}

/* Appends children as blocks; a run of inline children reads as a paragraph.
 * tight joins a paragraph and the list after it with a single newline. */
/* Renders the siblings from first up to (not including) stop. */
static void md_range(const precis_node *first_kid, const precis_node *stop, precis_buf *out,
                     bool tight, int depth)
{
    precis_buf part;
    precis_buf_init(&part, 0);
    const precis_node *prev = NULL;
    bool alt_list = false;
    for (const precis_node *k = first_kid; k && k != stop; k = k->next) {
        precis_buf_reset(&part);
        const precis_node *first = k;
        if (k->kind == PRECIS_NODE_LIST) {
            bool follows = prev && prev->kind == PRECIS_NODE_LIST && prev->ordered == k->ordered;
            alt_list = follows && !alt_list;
            md_list(k, &part, alt_list, depth + 1);
        } else if (precis_node_is_block(k)) {
            md_block(k, &part, depth + 1);
        } else {
            const precis_node *end = k;
            while (end->next && end->next != stop && !precis_node_is_block(end->next))
                end = end->next;
            inline_ctx ctx = {"\\\n", false, false};
            for (const precis_node *i = k;; i = i->next) {
                md_inline(i, &part, &ctx, depth + 1);
                if (i == end)
                    break;
            }
            k = end;
        }
        if (part.len) {
            bool close = tight && prev && prev->kind == PRECIS_NODE_PARAGRAPH &&
                         first->kind == PRECIS_NODE_LIST;
            precis_render_separate(out, close ? "\n" : "\n\n");
            precis_buf_append(out, part.ptr, part.len);
            prev = first;
        }
    }
    precis_buf_release(&part);
}

static void md_children(const precis_node *n, precis_buf *out, bool tight, int depth)
{
    md_range(n->first_child, NULL, out, tight, depth);
}

/* alt switches the marker ("*" and ")") so that a list right after another
 * list of the same kind does not merge into it. */
static void md_list(const precis_node *list, precis_buf *out, bool alt, int depth)
{
    int number = list->start;
    precis_buf item;
    precis_buf_init(&item, 0);
    for (const precis_node *k = list->first_child; k; k = k->next) {
        precis_buf_reset(&item);
        if (k->kind == PRECIS_NODE_ITEM)
            md_children(k, &item, true, depth + 1);
        else
            md_block(k, &item, depth + 1);
        char marker[32];
        if (list->ordered)
            snprintf(marker, sizeof marker, alt ? "%d) " : "%d. ", number++);
        else
            snprintf(marker, sizeof marker, alt ? "* " : "- ");
        char indent[32];
        size_t w = strlen(marker);
        memset(indent, ' ', w);
        indent[w] = '\0';
        precis_render_separate(out, "\n");
        if (!item.len)
            precis_buf_puts(out, list->ordered ? marker : alt ? "*" : "-");
        else
            precis_render_prefix_lines(out, item.ptr, item.len, marker, indent, "");
    }
    precis_buf_release(&item);
}

static void md_table_row(const precis_node *row, size_t cols, precis_buf *out, int depth)
{
    inline_ctx ctx = {" ", true, false};
    precis_buf cell;
    precis_buf_init(&cell, 0);
    const precis_node *c = row ? row->first_child : NULL;
    precis_buf_putc(out, '|');
    for (size_t i = 0; i < cols; i++) {
        precis_buf_reset(&cell);
        precis_buf_putc(&cell, ' ');
        if (c) {
            md_inlines(c, &cell, &ctx, depth + 1);
            c = c->next;
        }
        while (cell.len > 1 && precis_buf_ends_with(&cell, ' '))
            precis_buf_truncate(&cell, cell.len - 1);
        precis_buf_append(out, cell.ptr, cell.len);
        precis_buf_puts(out, " |");
    }
    precis_buf_release(&cell);
}

static void md_table(const precis_node *table, precis_buf *out, int depth)
{
    size_t cols = 0;
    const precis_node *header = NULL;
    for (const precis_node *k = table->first_child; k; k = k->next) {
        if (k->kind == PRECIS_NODE_CAPTION) {
            precis_buf cap;
            precis_buf_init(&cap, 0);
            md_paragraph(k, &cap, depth + 1);
            if (cap.len) {
                precis_render_separate(out, "\n\n");
                precis_buf_append(out, cap.ptr, cap.len);
            }
            precis_buf_release(&cap);
            continue;
        }
        if (k->kind != PRECIS_NODE_ROW)
            continue;
        if (!header)
            header = k;
        size_t n = 0;
        for (const precis_node *c = k->first_child; c; c = c->next)
            n++;
        if (n > cols)
            cols = n;
    }
    if (!header || cols == 0)
        return;
    precis_render_separate(out, "\n\n");
    md_table_row(header, cols, out, depth);
    precis_buf_puts(out, "\n|");
    for (size_t i = 0; i < cols; i++)
        precis_buf_puts(out, " --- |");
    for (const precis_node *k = header->next; k; k = k->next) {
        if (k->kind != PRECIS_NODE_ROW)
            continue;
        precis_buf_putc(out, '\n');
        md_table_row(k, cols, out, depth);
    }
}

static void md_block(const precis_node *n, precis_buf *out, int depth)
{
    if (depth > PRECIS_RENDER_MAX_DEPTH) {
        precis_buf flat;
        precis_buf_init(&flat, 0);
        precis_render_flat(n, &flat);
        inline_ctx ctx = {" ", false, false};
        md_escape(flat.ptr, out, &ctx);
        precis_buf_release(&flat);
        return;
    }
    switch (n->kind) {
    case PRECIS_NODE_PARAGRAPH:
    case PRECIS_NODE_CAPTION:
    case PRECIS_NODE_ROW:
    case PRECIS_NODE_CELL:
        md_paragraph(n, out, depth);
        break;
    case PRECIS_NODE_HEADING:
        md_heading(n, out, depth);
        break;
    case PRECIS_NODE_CODE_BLOCK:
        md_code_block(n, out);
        break;
    case PRECIS_NODE_RAW:
        if (n->text)
            precis_buf_puts(out, n->text);
        break;
    case PRECIS_NODE_LIST:
        md_list(n, out, false, depth);
        break;
    case PRECIS_NODE_TABLE:
        md_table(n, out, depth);
        break;
    case PRECIS_NODE_RULE:
        precis_buf_puts(out, "---");
        break;
    case PRECIS_NODE_BLOCKQUOTE: {
        precis_buf inner;
        precis_buf_init(&inner, 0);
        md_children(n, &inner, false, depth);
        if (inner.len)
            precis_render_prefix_lines(out, inner.ptr, inner.len, "> ", "> ", ">");
        precis_buf_release(&inner);
        break;
    }
    default: /* DOCUMENT, FIGURE, ITEM */
        md_children(n, out, false, depth);
        break;
    }
}

void precis_render_markdown_range(const precis_node *first, const precis_node *stop,
                                  precis_buf *out)
{
    precis_buf body;
    precis_buf_init(&body, 0);
    md_range(first, stop, &body, false, 0);
    size_t start = 0, end = body.len;
    while (start < end && body.ptr[start] == '\n')
        start++;
    while (end > start && (body.ptr[end - 1] == '\n' || body.ptr[end - 1] == ' '))
        end--;
    if (end > start) {
        precis_buf_append(out, body.ptr + start, end - start);
        precis_buf_putc(out, '\n');
    }
    precis_buf_release(&body);
}

void precis_render_node_text(const precis_node *n, precis_buf *out)
{
    precis_render_inline_text(n, out, " ", 0);
}

void precis_render_markdown(const precis_doc *doc, precis_buf *out)
{
    if (!doc || !doc->root)
        return;
    precis_buf body;
    precis_buf_init(&body, 0);
    md_block(doc->root, &body, 0);
    size_t end = body.len;
    while (end > 0 && (body.ptr[end - 1] == '\n' || body.ptr[end - 1] == ' '))
        end--;
    if (end) {
        precis_buf_append(out, body.ptr, end);
        precis_buf_putc(out, '\n');
    }
    precis_buf_release(&body);
}
