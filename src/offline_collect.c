/* Offline summarizer, step one: the document's prose as sentences with the
 * section and kind of block each one comes from. */
#include <stdlib.h>
#include <string.h>

#include "offline_internal.h"
#include "precis/sentence.h"
#include "precis/unicode.h"

void precis_offline_doc_init(offline_doc *c)
{
    memset(c, 0, sizeof *c);
    precis_buf_init(&c->text, 0);
    c->section = -1;
    c->section_fresh = true;
}

void precis_offline_doc_release(offline_doc *c)
{
    free(c->terms);
    free(c->sents);
    free(c->heads);
    precis_buf_release(&c->text);
    precis_offline_doc_init(c);
}

static void add_sentences(offline_doc *c, size_t start, bool fragment)
{
    precis_sentences list;
    precis_sentences_init(&list);
    precis_sentence_split(c->text.ptr + start, c->text.len - start, &list);
    bool first = true;
    for (size_t i = 0; i < list.count; i++) {
        const char *s = list.items[i].ptr;
        size_t n = list.items[i].len;
        bool has_word = false;
        for (size_t k = 0, cl; k < n && !has_word; k += cl)
            has_word = precis_uc_is_word(precis_uc_decode(s, n, k, &cl));
        if (!has_word)
            continue;
        if (c->n_sents == c->cap_sents) {
            c->cap_sents = c->cap_sents ? c->cap_sents * 2 : 64;
            c->sents = precis_xrealloc(c->sents, c->cap_sents * sizeof *c->sents);
        }
        offline_sentence *st = &c->sents[c->n_sents++];
        memset(st, 0, sizeof *st);
        st->off = (size_t)(s - c->text.ptr);
        st->len = n;
        st->section = c->section;
        st->section_lead = c->section_fresh;
        st->para_lead = first;
        st->para = c->n_paras;
        st->fragment = fragment;
        c->section_fresh = false;
        first = false;
    }
    precis_sentences_release(&list);
    c->n_paras++;
}

/* Appends a code span in backticks, fenced so that backticks inside survive. */
static void append_code(precis_buf *b, const char *code)
{
    size_t run = 0, longest = 0;
    for (const char *p = code; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (size_t k = 0; k <= longest; k++)
        precis_buf_putc(b, '`');
    if (longest)
        precis_buf_putc(b, ' ');
    for (const char *p = code; *p; p++)
        precis_buf_putc(b, *p == '\n' || *p == '\t' ? ' ' : *p);
    if (longest)
        precis_buf_putc(b, ' ');
    for (size_t k = 0; k <= longest; k++)
        precis_buf_putc(b, '`');
}

/* Appends the text of inline node n and its descendants. */
static void append_inline(precis_buf *b, const precis_node *n)
{
    for (const precis_node *p = n; p; p = precis_node_walk_next(n, p)) {
        if (p->kind == PRECIS_NODE_TEXT && p->text)
            precis_buf_puts(b, p->text);
        else if (p->kind == PRECIS_NODE_CODE && p->text)
            append_code(b, p->text);
        else if (p->kind == PRECIS_NODE_LINEBREAK)
            precis_buf_putc(b, ' ');
    }
}

/* Collects the runs of inline children of a block as paragraphs. */
static void collect_inlines(offline_doc *c, const precis_node *block)
{
    const precis_node *k = block->first_child;
    while (k) {
        if (precis_node_is_block(k)) {
            k = k->next;
            continue;
        }
        size_t start = c->text.len;
        for (; k && !precis_node_is_block(k); k = k->next)
            append_inline(&c->text, k);
        precis_buf_putc(&c->text, '\n');
        bool fragment = false;
        for (const precis_node *a = block; a && !fragment; a = a->parent)
            fragment = a->kind == PRECIS_NODE_ITEM || a->kind == PRECIS_NODE_CELL ||
                       a->kind == PRECIS_NODE_CAPTION;
        add_sentences(c, start, fragment);
    }
}

static void collect_heading(offline_doc *c, const precis_node *h)
{
    size_t start = c->text.len;
    for (const precis_node *k = h->first_child; k; k = k->next)
        append_inline(&c->text, k);
    if (c->n_heads == c->cap_heads) {
        c->cap_heads = c->cap_heads ? c->cap_heads * 2 : 16;
        c->heads = precis_xrealloc(c->heads, c->cap_heads * sizeof *c->heads);
    }
    c->heads[c->n_heads].off = start;
    c->heads[c->n_heads].len = c->text.len - start;
    precis_buf_putc(&c->text, '\n');
    if (h->level == 1 && !c->title_head)
        c->title_head = c->n_heads + 1;
    c->section = (int)c->n_heads++;
    c->section_fresh = true;
}

/* Plain text: paragraphs are separated by blank lines. */
static void collect_raw(offline_doc *c, const char *s)
{
    while (*s) {
        size_t start = c->text.len;
        bool any = false;
        while (*s) {
            const char *eol = strchr(s, '\n');
            size_t n = eol ? (size_t)(eol - s) : strlen(s);
            bool blank = strspn(s, " \t\r") >= n;
            s += n + (eol ? 1 : 0);
            if (blank) {
                if (any)
                    break;
                continue;
            }
            precis_buf_append(&c->text, s - n - (eol ? 1 : 0), n);
            precis_buf_putc(&c->text, '\n');
            any = true;
        }
        if (any)
            add_sentences(c, start, false);
    }
}

void precis_offline_collect(offline_doc *c, const precis_node *root)
{
    for (const precis_node *n = root; n; n = precis_node_walk_next(root, n)) {
        if (!precis_node_is_block(n))
            continue;
        if (n->kind == PRECIS_NODE_HEADING)
            collect_heading(c, n);
        else if (n->kind == PRECIS_NODE_RAW && n->text)
            collect_raw(c, n->text);
        else if (n->kind != PRECIS_NODE_CODE_BLOCK)
            collect_inlines(c, n);
    }
}

