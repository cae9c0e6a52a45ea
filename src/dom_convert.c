/* DOM -> document model. One loop over the gumbo tree with an explicit stack
 * (no recursion on depth). The converter is always either in block mode (text
 * opens an implicit paragraph in the current block container) or in inline mode
 * (an explicit paragraph, heading, cell, caption or inline element is open, and
 * nested blocks are flattened into it with a space so no words glue together). */
#include "precis/dom.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dom_internal.h"

/* Doc-model nesting beyond this is flattened, which also bounds renderer depth. */
#define MAX_DEPTH 32
#define MAX_COLSPAN 32

typedef enum role {
    ROLE_INLINE, /* transparent inline wrapper: span, abbr, unknown tags */
    ROLE_BLOCK,  /* transparent block wrapper: div, section, article */
    ROLE_FLAT,   /* a block inside inline content: separated by a space */
    ROLE_PARA,
    ROLE_HEADING,
    ROLE_LIST,
    ROLE_ITEM,
    ROLE_DT,
    ROLE_DD,
    ROLE_PRE,
    ROLE_CODE,
    ROLE_EMPH,
    ROLE_STRONG,
    ROLE_LINK,
    ROLE_IMG,
    ROLE_BR,
    ROLE_HR,
    ROLE_QUOTE,
    ROLE_TABLE,
    ROLE_TSECTION,
    ROLE_ROW,
    ROLE_CELL,
    ROLE_CAPTION,
    ROLE_FIGURE,
    ROLE_FIGCAPTION
} role;

typedef struct state {
    precis_node *block; /* block container new blocks go into */
    precis_node *inl;   /* inline container, NULL in block mode without a paragraph */
    precis_node *para;  /* the implicit paragraph when inl is one, else NULL */
    int depth;          /* doc-model depth of the innermost open node */
    bool thead, in_emph, in_strong, in_link, in_heading;
} state;

typedef struct frame {
    const GumboNode *node;
    size_t next; /* index of the next child to visit */
    role role;
    state saved; /* state to restore when the element ends */
    precis_node *made;
} frame;

typedef struct conv {
    const precis_convert_opts *opts;
    state st;
    precis_buf text;       /* text not yet stored, destined for text_at */
    precis_node *text_at;
    bool need_space;       /* whitespace seen since the last character */
    bool line_start;       /* nothing written on the current line yet */
    bool after_space;      /* the last thing written was a space */
    precis_node *dd_list;  /* list that collects <dd> items of the current <dl> */
    frame *stack;
    size_t n, cap;
} conv;

static role classify(const GumboNode *el)
{
    switch (el->v.element.tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_SUMMARY:
        return ROLE_PARA;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
        return ROLE_HEADING;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR:
        return ROLE_LIST;
    case GUMBO_TAG_LI:
        return ROLE_ITEM;
    case GUMBO_TAG_DT:
        return ROLE_DT;
    case GUMBO_TAG_DD:
        return ROLE_DD;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
        return ROLE_PRE;
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_TT:
        return ROLE_CODE;
    case GUMBO_TAG_EM:
    case GUMBO_TAG_I:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_VAR:
        return ROLE_EMPH;
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
        return ROLE_STRONG;
    case GUMBO_TAG_A:
        return ROLE_LINK;
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_IMAGE:
        return ROLE_IMG;
    case GUMBO_TAG_BR:
        return ROLE_BR;
    case GUMBO_TAG_HR:
        return ROLE_HR;
    case GUMBO_TAG_BLOCKQUOTE:
        return ROLE_QUOTE;
    case GUMBO_TAG_TABLE:
        return ROLE_TABLE;
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
        return ROLE_TSECTION;
    case GUMBO_TAG_TR:
        return ROLE_ROW;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
        return ROLE_CELL;
    case GUMBO_TAG_CAPTION:
        return ROLE_CAPTION;
    case GUMBO_TAG_FIGURE:
        return ROLE_FIGURE;
    case GUMBO_TAG_FIGCAPTION:
        return ROLE_FIGCAPTION;
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_MATH:
        return ROLE_BLOCK;
    default:
        return ROLE_INLINE;
    }
}

static bool is_block_role(role r)
{
    return r != ROLE_INLINE && r != ROLE_EMPH && r != ROLE_STRONG && r != ROLE_LINK &&
           r != ROLE_IMG && r != ROLE_BR && r != ROLE_CODE && r != ROLE_FLAT;
}

static bool in_explicit_inline(const conv *c)
{
    return c->st.inl && c->st.inl != c->st.para;
}

/* Stores pending text as a TEXT node (merged into a preceding TEXT node). */
static void flush_text(conv *c)
{
    if (c->text.len == 0)
        return;
    precis_node *at = c->text_at;
    precis_node *last = at->last_child;
    if (last && last->kind == PRECIS_NODE_TEXT) {
        size_t old = strlen(last->text);
        last->text = precis_xrealloc(last->text, old + c->text.len + 1);
        memcpy(last->text + old, c->text.ptr, c->text.len + 1);
    } else {
        precis_node_append(at, precis_node_new_text(PRECIS_NODE_TEXT, c->text.ptr, c->text.len));
    }
    precis_buf_reset(&c->text);
}

/* Returns the node a new block of the given kind goes into: a list only takes
 * items, so anything else gets an item of its own (a nested list joins the
 * previous item). */
static precis_node *block_parent(conv *c, precis_node_kind kind)
{
    precis_node *b = c->st.block;
    if (b->kind == PRECIS_NODE_LIST && kind != PRECIS_NODE_ITEM) {
        if (kind == PRECIS_NODE_LIST && b->last_child && b->last_child->kind == PRECIS_NODE_ITEM)
            return b->last_child;
        return precis_node_append(b, precis_node_new(PRECIS_NODE_ITEM));
    }
    return b;
}

/* Ends the implicit paragraph (block mode). */
static void close_para(conv *c)
{
    flush_text(c);
    c->st.inl = NULL;
    c->st.para = NULL;
}

/* Makes sure inline content has somewhere to go: opens an implicit paragraph
 * (or, directly inside a table, an implicit cell). */
static void ensure_inline(conv *c)
{
    if (c->st.inl)
        return;
    flush_text(c);
    precis_node *b = c->st.block;
    if (b->kind == PRECIS_NODE_TABLE)
        b = precis_node_append(b, precis_node_new(PRECIS_NODE_ROW));
    if (b->kind == PRECIS_NODE_ROW) {
        c->st.inl = precis_node_append(b, precis_node_new(PRECIS_NODE_CELL));
        c->st.para = NULL;
    } else {
        precis_node *parent = block_parent(c, PRECIS_NODE_PARAGRAPH);
        c->st.inl = precis_node_append(parent, precis_node_new(PRECIS_NODE_PARAGRAPH));
        c->st.para = c->st.inl;
    }
    c->line_start = true;
    c->need_space = false;
}

/* Prepares to append to the current inline container: flushes text destined
 * elsewhere and points pending text at the container. */
static void target_inline(conv *c)
{
    ensure_inline(c);
    if (c->text_at != c->st.inl) {
        flush_text(c);
        c->text_at = c->st.inl;
    }
}

/* Writes a pending inter-word space before a non-text inline. */
static void emit_pending_space(conv *c)
{
    target_inline(c);
    if (c->need_space && !c->line_start && !c->after_space) {
        precis_buf_putc(&c->text, ' ');
        c->after_space = true;
    }
    c->need_space = false;
    flush_text(c);
}

static void add_text(conv *c, const char *s, size_t n)
{
    precis_buf clean;
    precis_buf_init(&clean, 0);
    precis_dom_clean_text(s, n, &clean);
    size_t i = 0;
    while (i < clean.len) {
        size_t sl = precis_dom_space_len(clean.ptr + i, clean.len - i);
        if (sl) {
            c->need_space = true;
            i += sl;
            continue;
        }
        size_t j = i;
        while (j < clean.len && !precis_dom_space_len(clean.ptr + j, clean.len - j))
            j++;
        target_inline(c);
        if (c->need_space && !c->line_start && !c->after_space)
            precis_buf_putc(&c->text, ' ');
        precis_buf_append(&c->text, clean.ptr + i, j - i);
        c->need_space = false;
        c->line_start = false;
        c->after_space = false;
        i = j;
    }
    precis_buf_release(&clean);
}

static void line_break(conv *c)
{
    if (!c->st.inl)
        return;
    flush_text(c);
    precis_node_append(c->st.inl, precis_node_new(PRECIS_NODE_LINEBREAK));
    c->line_start = true;
    c->need_space = false;
}

/* Opens a block whose children are inlines (paragraph, heading, cell, caption). */
static precis_node *open_inline_block(conv *c, precis_node *node)
{
    close_para(c);
    precis_node_append(block_parent(c, node->kind), node);
    c->st.inl = node;
    c->st.para = NULL;
    c->st.depth++;
    c->line_start = true;
    c->need_space = false;
    return node;
}

/* Opens a block container (list, item, quote, figure, table, row). */
static precis_node *open_block(conv *c, precis_node *node)
{
    close_para(c);
    precis_node_append(block_parent(c, node->kind), node);
    c->st.block = node;
    c->st.depth++;
    return node;
}

static bool is_truthy_size(const char *v)
{
    return v && strcmp(v, "1") != 0 && strcmp(v, "0") != 0;
}

/* Returns the image's absolute source: src, else a lazy-loading attribute. */
static char *image_src(const conv *c, const GumboNode *el)
{
    static const char *const attrs[] = {"src", "data-src", "data-lazy-src", "data-original",
                                        "srcset", "data-srcset"};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        const char *v = precis_dom_attr(el, attrs[i]);
        if (!v || !*v)
            continue;
        char *first = NULL;
        if (strstr(attrs[i], "srcset")) {
            while (*v == ' ')
                v++;
            size_t k = strcspn(v, " ,");
            first = precis_xstrndup(v, k);
            v = first;
        }
        char *url = precis_url_resolve(c->opts->base_url, v);
        free(first);
        if (url && *url)
            return url;
        free(url);
    }
    return NULL;
}

static void add_image(conv *c, const GumboNode *el)
{
    const char *w = precis_dom_attr(el, "width"), *h = precis_dom_attr(el, "height");
    if (w && h && !is_truthy_size(w) && !is_truthy_size(h))
        return; /* a tracking pixel */
    const char *alt_attr = precis_dom_attr(el, "alt");
    if (alt_attr && !alt_attr[strspn(alt_attr, " \t\n\r\f")])
        return; /* alt="" marks a decorative image */
    char *src = image_src(c, el);
    if (!src)
        return;
    const char *alt = precis_dom_attr(el, "alt");
    precis_buf clean;
    precis_buf_init(&clean, 0);
    if (alt) {
        precis_buf raw;
        precis_buf_init(&raw, 0);
        precis_dom_clean_text(alt, strlen(alt), &raw);
        for (size_t i = 0; i < raw.len;) {
            size_t sl = precis_dom_space_len(raw.ptr + i, raw.len - i);
            if (sl) {
                if (clean.len && !precis_buf_ends_with(&clean, ' '))
                    precis_buf_putc(&clean, ' ');
                i += sl;
            } else {
                precis_buf_putc(&clean, raw.ptr[i++]);
            }
        }
        while (clean.len && precis_buf_ends_with(&clean, ' '))
            precis_buf_truncate(&clean, clean.len - 1);
        precis_buf_release(&raw);
    }
    emit_pending_space(c);
    precis_node *img = precis_node_new(PRECIS_NODE_IMAGE);
    img->href = src;
    img->text = clean.len ? precis_buf_detach(&clean) : NULL;
    precis_buf_release(&clean);
    precis_node_append(c->st.inl, img);
    c->line_start = false;
    c->after_space = false;
}

/* Adds a code block holding text (taken over; the element's <pre> text). */
static void add_code_block_text(conv *c, const GumboNode *el, char *text)
{
    if (!*text) {
        free(text);
        return;
    }
    close_para(c);
    precis_node *node = precis_node_new(PRECIS_NODE_CODE_BLOCK);
    node->text = text;
    node->lang = precis_dom_code_lang(el);
    precis_node_append(block_parent(c, PRECIS_NODE_CODE_BLOCK), node);
}

static void add_code_block(conv *c, const GumboNode *el)
{
    add_code_block_text(c, el, precis_dom_pre_text(el, c->opts));
}

/* <code> and friends: an inline code span, or a code block when it stands
 * alone as a block holding several lines. */
static void add_code(conv *c, const GumboNode *el)
{
    if (!c->st.inl) {
        char *raw = precis_dom_pre_text(el, c->opts);
        if (strchr(raw, '\n')) {
            add_code_block_text(c, el, raw);
            return;
        }
        free(raw);
    }
    char *flat = precis_dom_flat_text(el, c->opts);
    if (!*flat) {
        free(flat);
        return;
    }
    emit_pending_space(c);
    precis_node *code = precis_node_new(PRECIS_NODE_CODE);
    code->text = flat;
    precis_node_append(c->st.inl, code);
    c->line_start = false;
    c->after_space = false;
}

static bool has_anchor_id(const GumboNode *el, const char **id)
{
    const char *v = precis_dom_attr(el, "id");
    if ((!v || !*v) && el->v.element.tag == GUMBO_TAG_A)
        v = precis_dom_attr(el, "name");
    if (v && *v) {
        *id = v;
        return true;
    }
    return false;
}

/* Returns a heading's anchor: its id, an id/name inside it, or an empty
 * <a id|name> just before it. Caller frees; NULL if none. */
static char *heading_anchor(const GumboNode *h)
{
    const char *id = NULL;
    if (!has_anchor_id(h, &id)) {
        int budget = 64;
        for (const GumboNode *n = precis_dom_walk_next(h, h, true); n && budget-- > 0;
             n = precis_dom_walk_next(h, n, true)) {
            if (n->type == GUMBO_NODE_ELEMENT && has_anchor_id(n, &id))
                break;
        }
    }
    if (!id && h->parent) {
        const GumboVector *sib = precis_dom_children(h->parent);
        for (size_t i = h->index_within_parent; sib && i-- > 0;) {
            const GumboNode *s = sib->data[i];
            if (s->type == GUMBO_NODE_WHITESPACE || s->type == GUMBO_NODE_COMMENT)
                continue;
            if (s->type == GUMBO_NODE_ELEMENT && s->v.element.tag == GUMBO_TAG_A &&
                s->v.element.children.length == 0)
                has_anchor_id(s, &id);
            break;
        }
    }
    if (!id)
        return NULL;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_dom_clean_text(id, strlen(id), &b);
    return precis_buf_detach(&b);
}

/* A heading's own permalink ("¶", "#", an icon): a fragment link without words. */
static bool is_permalink(const GumboNode *a, const precis_convert_opts *opts)
{
    const char *href = precis_dom_attr(a, "href");
    if (!href || href[0] != '#')
        return false;
    char *text = precis_dom_flat_text(a, opts);
    bool words = false;
    for (const unsigned char *p = (const unsigned char *)text; *p && !words; p++) {
        if (*p < 0x80)
            words = isalnum(*p);
        else if (*p >= 0xC3 && *p != 0xE2 && *p != 0xF0) /* not Latin-1 signs, */
            words = true;                                 /* punctuation, emoji */
        else if (*p == 0xF0)
            words = p[1] != 0x9F;
    }
    free(text);
    return !words;
}

/* A table used for page layout, not data: its cells become plain blocks. */
static bool is_layout_table(const GumboNode *table)
{
    const char *r = precis_dom_attr(table, "role");
    if (r && (strcmp(r, "presentation") == 0 || strcmp(r, "none") == 0))
        return true;
    size_t max_cells = 0;
    const GumboNode *n = precis_dom_walk_next(table, table, true);
    while (n) {
        bool descend = n->type == GUMBO_NODE_ELEMENT;
        if (descend) {
            switch (n->v.element.tag) {
            case GUMBO_TAG_TABLE:
            case GUMBO_TAG_PRE:
            case GUMBO_TAG_H1:
            case GUMBO_TAG_H2:
            case GUMBO_TAG_H3:
            case GUMBO_TAG_H4:
            case GUMBO_TAG_H5:
            case GUMBO_TAG_H6:
                return true;
            case GUMBO_TAG_TR: {
                size_t cells = 0;
                const GumboVector *ch = &n->v.element.children;
                for (size_t i = 0; i < ch->length; i++) {
                    const GumboNode *k = ch->data[i];
                    if (k->type == GUMBO_NODE_ELEMENT &&
                        (k->v.element.tag == GUMBO_TAG_TD || k->v.element.tag == GUMBO_TAG_TH))
                        cells++;
                }
                if (cells > max_cells)
                    max_cells = cells;
                break;
            }
            default:
                break;
            }
        }
        n = precis_dom_walk_next(table, n, descend);
    }
    return max_cells <= 1;
}

/* Adjusts an element's role to where it appears. */
static role contextual_role(conv *c, const GumboNode *el, role r)
{
    precis_node_kind bk = c->st.block->kind;
    if (!c->st.inl && (bk == PRECIS_NODE_TABLE || bk == PRECIS_NODE_ROW)) {
        bool fits = r == ROLE_INLINE ||
                    (bk == PRECIS_NODE_TABLE &&
                     (r == ROLE_TSECTION || r == ROLE_ROW || r == ROLE_CAPTION)) ||
                    (bk == PRECIS_NODE_ROW && r == ROLE_CELL);
        if (!fits)
            ensure_inline(c); /* stray content in a table: an implicit cell */
    }
    if (in_explicit_inline(c)) {
        if (r == ROLE_PRE)
            return ROLE_CODE;
        if (is_block_role(r))
            return ROLE_FLAT;
        if ((r == ROLE_EMPH && c->st.in_emph) || (r == ROLE_STRONG && c->st.in_strong) ||
            (r == ROLE_LINK && c->st.in_link) || c->st.depth >= MAX_DEPTH)
            return r == ROLE_EMPH || r == ROLE_STRONG || r == ROLE_LINK ? ROLE_INLINE : r;
        return r;
    }
    switch (r) {
    case ROLE_ITEM:
        return bk == PRECIS_NODE_LIST ? r : ROLE_BLOCK;
    case ROLE_TSECTION:
    case ROLE_ROW:
        return bk == PRECIS_NODE_TABLE ? r : ROLE_BLOCK;
    case ROLE_CELL:
        return bk == PRECIS_NODE_ROW ? r : ROLE_BLOCK;
    case ROLE_CAPTION:
        return bk == PRECIS_NODE_TABLE ? r : ROLE_PARA;
    case ROLE_FIGCAPTION:
        return bk == PRECIS_NODE_FIGURE ? ROLE_CAPTION : ROLE_PARA;
    case ROLE_TABLE:
        if (c->st.depth >= MAX_DEPTH || is_layout_table(el))
            return ROLE_BLOCK;
        return r;
    case ROLE_LIST:
    case ROLE_DD:
    case ROLE_QUOTE:
    case ROLE_FIGURE:
        return c->st.depth >= MAX_DEPTH ? ROLE_BLOCK : r;
    case ROLE_EMPH:
    case ROLE_STRONG:
    case ROLE_LINK:
        return c->st.depth >= MAX_DEPTH ? ROLE_INLINE : r;
    default:
        return r;
    }
}

static void push(conv *c, const frame *f)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->stack = precis_xrealloc(c->stack, c->cap * sizeof *c->stack);
    }
    c->stack[c->n++] = *f;
}

/* Opens an inline node (emphasis, strong, link) in the current inline container. */
static precis_node *open_inline(conv *c, frame *f, precis_node *node)
{
    emit_pending_space(c);
    f->saved = c->st;
    precis_node_append(c->st.inl, node);
    c->st.inl = node;
    c->st.depth++;
    return node;
}

static void enter_element(conv *c, const GumboNode *el, bool is_root)
{
    if (precis_dom_is_dropped(el))
        return;
    if (!is_root && c->opts->skip && c->opts->skip(c->opts->skip_ctx, el))
        return;
    role r = contextual_role(c, el, classify(el));
    switch (r) {
    case ROLE_BR:
        line_break(c);
        return;
    case ROLE_HR:
        close_para(c);
        precis_node_append(block_parent(c, PRECIS_NODE_RULE), precis_node_new(PRECIS_NODE_RULE));
        return;
    case ROLE_IMG:
        add_image(c, el);
        return;
    case ROLE_PRE:
        add_code_block(c, el);
        return;
    case ROLE_CODE:
        add_code(c, el);
        return;
    default:
        break;
    }
    frame f = {el, 0, r, c->st, NULL};
    precis_node *node;
    switch (r) {
    case ROLE_INLINE:
        break;
    case ROLE_FLAT:
        c->need_space = true;
        break;
    case ROLE_BLOCK:
        close_para(c);
        break;
    case ROLE_PARA:
        f.made = open_inline_block(c, precis_node_new(PRECIS_NODE_PARAGRAPH));
        break;
    case ROLE_HEADING:
        node = precis_node_new(PRECIS_NODE_HEADING);
        node->level = (int)(el->v.element.tag - GUMBO_TAG_H1) + 1;
        node->anchor = heading_anchor(el);
        f.made = open_inline_block(c, node);
        c->st.in_heading = true;
        break;
    case ROLE_DT:
        f.made = open_inline_block(c, precis_node_new(PRECIS_NODE_PARAGRAPH));
        c->st.inl = precis_node_append(f.made, precis_node_new(PRECIS_NODE_STRONG));
        c->st.in_strong = true;
        break;
    case ROLE_CAPTION:
    case ROLE_FIGCAPTION:
        f.made = open_inline_block(c, precis_node_new(PRECIS_NODE_CAPTION));
        break;
    case ROLE_CELL:
        f.made = open_inline_block(c, precis_node_new(PRECIS_NODE_CELL));
        break;
    case ROLE_LIST:
        node = precis_node_new(PRECIS_NODE_LIST);
        node->ordered = el->v.element.tag == GUMBO_TAG_OL;
        node->start = 1;
        if (node->ordered) {
            const char *s = precis_dom_attr(el, "start");
            if (s) {
                errno = 0;
                long v = strtol(s, NULL, 10);
                if (errno == 0 && v >= 0 && v < 1000000000)
                    node->start = (int)v;
            }
        }
        f.made = open_block(c, node);
        break;
    case ROLE_ITEM:
        f.made = open_block(c, precis_node_new(PRECIS_NODE_ITEM));
        break;
    case ROLE_DD: {
        close_para(c);
        precis_node *b = c->st.block;
        if (!(c->dd_list && b->last_child == c->dd_list))
            c->dd_list = open_block(c, precis_node_new(PRECIS_NODE_LIST));
        c->st.block = c->dd_list;
        f.made = open_block(c, precis_node_new(PRECIS_NODE_ITEM));
        break;
    }
    case ROLE_QUOTE:
        f.made = open_block(c, precis_node_new(PRECIS_NODE_BLOCKQUOTE));
        break;
    case ROLE_FIGURE:
        f.made = open_block(c, precis_node_new(PRECIS_NODE_FIGURE));
        break;
    case ROLE_TABLE:
        f.made = open_block(c, precis_node_new(PRECIS_NODE_TABLE));
        c->st.thead = false;
        break;
    case ROLE_TSECTION:
        c->st.thead = el->v.element.tag == GUMBO_TAG_THEAD;
        break;
    case ROLE_ROW:
        f.made = open_block(c, precis_node_new(PRECIS_NODE_ROW));
        break;
    case ROLE_EMPH:
        f.made = open_inline(c, &f, precis_node_new(PRECIS_NODE_EMPH));
        c->st.in_emph = true;
        break;
    case ROLE_STRONG:
        f.made = open_inline(c, &f, precis_node_new(PRECIS_NODE_STRONG));
        c->st.in_strong = true;
        break;
    case ROLE_LINK: {
        const char *href = precis_dom_attr(el, "href");
        if (c->st.in_heading && is_permalink(el, c->opts))
            return;
        char *url = href ? precis_url_resolve(c->opts->base_url, href) : NULL;
        if (!url) {
            f.role = ROLE_INLINE;
            break;
        }
        node = precis_node_new(PRECIS_NODE_LINK);
        node->href = url;
        f.made = open_inline(c, &f, node);
        c->st.in_link = true;
        break;
    }
    default:
        break;
    }
    push(c, &f);
}

/* Marks a row as a header row: inside <thead>, or made only of <th> cells. */
static void finish_row(const frame *f)
{
    bool th = false, td = false;
    const GumboVector *ch = &f->node->v.element.children;
    for (size_t i = 0; i < ch->length; i++) {
        const GumboNode *k = ch->data[i];
        if (k->type != GUMBO_NODE_ELEMENT)
            continue;
        th = th || k->v.element.tag == GUMBO_TAG_TH;
        td = td || k->v.element.tag == GUMBO_TAG_TD;
    }
    f->made->header = f->saved.thead || (th && !td);
}

/* A cell spanning several columns is followed by empty cells to keep columns. */
static void finish_cell(const frame *f)
{
    const char *span = precis_dom_attr(f->node, "colspan");
    if (!span || !f->made->parent)
        return;
    long n = strtol(span, NULL, 10);
    if (n > MAX_COLSPAN)
        n = MAX_COLSPAN;
    for (long i = 1; i < n; i++)
        precis_node_append(f->made->parent, precis_node_new(PRECIS_NODE_CELL));
}

static void leave_element(conv *c, const frame *f)
{
    switch (f->role) {
    case ROLE_INLINE:
        return;
    case ROLE_FLAT:
        c->need_space = true;
        return;
    case ROLE_EMPH:
    case ROLE_STRONG:
    case ROLE_LINK:
        flush_text(c);
        c->st = f->saved;
        return;
    default:
        break;
    }
    flush_text(c);
    if (f->role == ROLE_ROW)
        finish_row(f);
    else if (f->role == ROLE_CELL)
        finish_cell(f);
    c->st = f->saved;
    c->st.inl = NULL;
    c->st.para = NULL;
    c->need_space = false;
}

/* Removes trailing/leading line breaks and edge spaces of an inline container,
 * and merges adjacent text nodes. */
static void tidy_inlines(precis_node *n)
{
    while (n->first_child && n->first_child->kind == PRECIS_NODE_LINEBREAK)
        precis_node_free(n->first_child);
    while (n->last_child && n->last_child->kind == PRECIS_NODE_LINEBREAK)
        precis_node_free(n->last_child);
    for (precis_node *k = n->first_child; k && k->next;) {
        precis_node *next = k->next;
        if (k->kind == PRECIS_NODE_TEXT && next->kind == PRECIS_NODE_TEXT) {
            size_t a = strlen(k->text);
            const char *t = next->text;
            if (a && k->text[a - 1] == ' ' && t[0] == ' ')
                t++;
            size_t b = strlen(t);
            k->text = precis_xrealloc(k->text, a + b + 1);
            memcpy(k->text + a, t, b + 1);
            precis_node_free(next);
            continue;
        }
        if (k->kind == PRECIS_NODE_LINEBREAK && next->kind == PRECIS_NODE_LINEBREAK &&
            next->next && next->next->kind == PRECIS_NODE_LINEBREAK) {
            precis_node_free(next->next);
            continue;
        }
        k = next;
    }
    precis_node *first = n->first_child, *last = n->last_child;
    if (first && first->kind == PRECIS_NODE_TEXT && first->text[0] == ' ')
        memmove(first->text, first->text + 1, strlen(first->text));
    if (last && last->kind == PRECIS_NODE_TEXT) {
        size_t l = strlen(last->text);
        if (l && last->text[l - 1] == ' ')
            last->text[l - 1] = '\0';
    }
}

static bool row_is_empty(const precis_node *row)
{
    for (const precis_node *k = row->first_child; k; k = k->next)
        if (k->first_child)
            return false;
    return true;
}

static bool has_kind_child(const precis_node *n, precis_node_kind kind)
{
    for (const precis_node *k = n->first_child; k; k = k->next)
        if (k->kind == kind)
            return true;
    return false;
}

/* Tidies one node whose children are already tidy; frees it if it is empty. */
static void tidy(precis_node *n)
{
    switch (n->kind) {
    case PRECIS_NODE_PARAGRAPH:
    case PRECIS_NODE_HEADING:
    case PRECIS_NODE_CAPTION:
        tidy_inlines(n);
        if (!n->first_child)
            precis_node_free(n);
        break;
    case PRECIS_NODE_CELL:
        tidy_inlines(n);
        break;
    case PRECIS_NODE_EMPH:
    case PRECIS_NODE_STRONG:
    case PRECIS_NODE_LINK:
    case PRECIS_NODE_BLOCKQUOTE:
    case PRECIS_NODE_FIGURE:
    case PRECIS_NODE_LIST:
    case PRECIS_NODE_ITEM:
        if (!n->first_child)
            precis_node_free(n);
        break;
    case PRECIS_NODE_TEXT:
        if (!n->text || !n->text[0])
            precis_node_free(n);
        break;
    case PRECIS_NODE_ROW:
        if (row_is_empty(n))
            precis_node_free(n);
        break;
    case PRECIS_NODE_TABLE:
        if (!has_kind_child(n, PRECIS_NODE_ROW))
            precis_node_free(n);
        break;
    default:
        break;
    }
}

static precis_node *leftmost_leaf(precis_node *n)
{
    while (n->first_child)
        n = n->first_child;
    return n;
}

/* Post-order, iterative: children are tidied before their parent. */
static void tidy_tree(precis_node *top)
{
    precis_node *cur = leftmost_leaf(top);
    for (;;) {
        precis_node *next = cur->next, *parent = cur->parent;
        bool last = cur == top;
        tidy(cur);
        if (last)
            break;
        cur = next ? leftmost_leaf(next) : parent;
    }
}

static int node_depth(const precis_node *n)
{
    int d = 0;
    for (; n && n->parent; n = n->parent)
        d++;
    return d;
}

static bool holds_inlines(const precis_node *n)
{
    return !precis_node_is_block(n) || n->kind == PRECIS_NODE_PARAGRAPH ||
           n->kind == PRECIS_NODE_HEADING || n->kind == PRECIS_NODE_CELL ||
           n->kind == PRECIS_NODE_CAPTION;
}

void precis_dom_convert(const GumboNode *node, const precis_convert_opts *opts,
                        precis_node *parent)
{
    static const precis_convert_opts no_opts = {NULL, NULL, NULL};
    if (!node || !parent)
        return;
    conv c;
    memset(&c, 0, sizeof c);
    c.opts = opts ? opts : &no_opts;
    c.st.block = parent;
    c.st.depth = node_depth(parent);
    c.line_start = true;
    if (holds_inlines(parent)) {
        c.st.inl = parent;
        c.line_start = parent->last_child == NULL;
    }
    precis_buf_init(&c.text, 0);
    precis_node *before = parent->last_child;

    if (node->type == GUMBO_NODE_DOCUMENT) {
        frame f = {node, 0, ROLE_BLOCK, c.st, NULL};
        push(&c, &f);
    } else if (node->type == GUMBO_NODE_ELEMENT) {
        enter_element(&c, node, true);
    } else if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
               node->type == GUMBO_NODE_CDATA) {
        add_text(&c, node->v.text.text, strlen(node->v.text.text));
    }
    while (c.n > 0) {
        frame *f = &c.stack[c.n - 1];
        const GumboVector *ch = precis_dom_children(f->node);
        if (ch && f->next < ch->length) {
            const GumboNode *child = ch->data[f->next++];
            if (child->type == GUMBO_NODE_ELEMENT)
                enter_element(&c, child, false);
            else if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE ||
                     child->type == GUMBO_NODE_CDATA)
                add_text(&c, child->v.text.text, strlen(child->v.text.text));
            continue;
        }
        frame done = *f;
        c.n--;
        leave_element(&c, &done);
    }
    flush_text(&c);

    precis_node *k = before ? before->next : parent->first_child;
    while (k) {
        precis_node *next = k->next;
        tidy_tree(k);
        k = next;
    }
    free(c.stack);
    precis_buf_release(&c.text);
}
