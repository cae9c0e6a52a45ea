/* The offline extractive summarizer.
 *
 * Collects the prose of a document as sentences (with the section each one
 * belongs to), weights their terms by TF-IDF, ranks them with TextRank under a
 * light position prior, scales the ranks by sentence quality (length,
 * boilerplate, title overlap), picks the best ones while skipping near
 * repeats, and writes them in document order as Markdown. Large pages are
 * first narrowed to the sentences closest to the page's centroid so that the
 * quadratic graph stays small. */
#include "precis/offline.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/sentence.h"
#include "precis/textrank.h"
#include "precis/tokenize.h"
#include "precis/unicode.h"

/* Most sentences that enter the similarity graph. */
#define GRAPH_MAX 300
/* Edges weaker than this are noise. */
#define MIN_SIMILARITY 0.02
/* A sentence this similar to a chosen one repeats it. */
#define REDUNDANT 0.55
/* Sentences of lower quality are not chosen while better ones remain. */
#define MIN_QUALITY 0.2
/* Longest sentence and heading written, in bytes (cut at a word boundary). */
#define SENTENCE_MAX 700
#define HEADING_MAX 120

typedef struct sentence {
    size_t off, len;    /* in collector.text */
    int section;        /* index into collector.heads, -1 before the first heading */
    bool section_lead;  /* first sentence of its section */
    bool para_lead;     /* first sentence of its paragraph */
    bool fragment;      /* from a list item, table cell or caption */
    double words;       /* words, CJK characters counting half */
    size_t vec_off;     /* into collector.terms */
    size_t vec_n;
    double quality;
    double prior;
    double score;
} sentence;

typedef struct text_span {
    size_t off, len;
} text_span;

typedef struct collector {
    precis_buf text; /* paragraph and heading texts, back to back */
    sentence *sents;
    size_t n_sents, cap_sents;
    text_span *heads;
    size_t n_heads, cap_heads;
    int section;
    bool section_fresh;
    size_t title_head; /* heading index + 1 of the first level-1 heading, 0 = none */
    precis_term_weight *terms;
    size_t n_terms, cap_terms;
} collector;

/* ---- length ---- */

bool precis_length_parse(const char *s, precis_length *out)
{
    static const struct {
        const char *name;
        precis_length value;
    } names[] = {
        {"short", PRECIS_LENGTH_SHORT},
        {"medium", PRECIS_LENGTH_MEDIUM},
        {"long", PRECIS_LENGTH_LONG},
    };
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *a = s, *b = names[i].name;
        while (*a && *b && (*a | 0x20) == *b)
            a++, b++;
        if (!*a && !*b) {
            *out = names[i].value;
            return true;
        }
    }
    return false;
}

size_t precis_length_sentences(precis_length length, size_t n)
{
    size_t target = length == PRECIS_LENGTH_SHORT ? 3 : length == PRECIS_LENGTH_LONG ? 12 : 6;
    size_t half = (n + 1) / 2;
    if (n == 0)
        return 0;
    return target < half ? target : half;
}

/* ---- collecting sentences from the document ---- */

static void add_sentences(collector *c, size_t start, bool fragment)
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
        sentence *st = &c->sents[c->n_sents++];
        memset(st, 0, sizeof *st);
        st->off = (size_t)(s - c->text.ptr);
        st->len = n;
        st->section = c->section;
        st->section_lead = c->section_fresh;
        st->para_lead = first;
        st->fragment = fragment;
        c->section_fresh = false;
        first = false;
    }
    precis_sentences_release(&list);
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
static void collect_inlines(collector *c, const precis_node *block)
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

static void collect_heading(collector *c, const precis_node *h)
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
static void collect_raw(collector *c, const char *s)
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

static void collect(collector *c, const precis_node *root)
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

/* ---- term vectors ---- */

/* Term hash -> dense id, open addressing. */
typedef struct term_table {
    uint64_t *keys; /* 0 = empty slot */
    uint32_t *ids;
    size_t cap, count;
} term_table;

static void table_grow(term_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint64_t *keys = precis_xcalloc(cap, sizeof *keys);
    uint32_t *ids = precis_xmalloc(cap * sizeof *ids);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i])
            continue;
        size_t h = (size_t)(t->keys[i] & (cap - 1));
        while (keys[h])
            h = (h + 1) & (cap - 1);
        keys[h] = t->keys[i];
        ids[h] = t->ids[i];
    }
    free(t->keys);
    free(t->ids);
    t->keys = keys;
    t->ids = ids;
    t->cap = cap;
}

/* Returns the id of key, adding it (as the next id) when add is true;
 * UINT32_MAX when absent and not added. */
static uint32_t table_id(term_table *t, uint64_t key, bool add)
{
    if (!key)
        key = 1;
    if (add && (t->count + 1) * 2 > t->cap)
        table_grow(t);
    if (!t->cap)
        return UINT32_MAX;
    size_t h = (size_t)(key & (t->cap - 1));
    while (t->keys[h]) {
        if (t->keys[h] == key)
            return t->ids[h];
        h = (h + 1) & (t->cap - 1);
    }
    if (!add)
        return UINT32_MAX;
    t->keys[h] = key;
    t->ids[h] = (uint32_t)t->count++;
    return t->ids[h];
}

typedef struct hash_list {
    uint64_t *v;
    size_t n, cap;
} hash_list;

static void collect_hash(void *ctx, uint64_t term)
{
    hash_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = precis_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = term;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Turns a list of term hashes into a sorted (term id, count) run appended to
 * out; interns new terms when table_add. Returns the number of entries. */
static size_t count_terms(term_table *t, bool table_add, const hash_list *h, uint32_t **scratch,
                          size_t *scratch_cap, precis_term_weight **out, size_t *out_n,
                          size_t *out_cap)
{
    if (h->n > *scratch_cap) {
        *scratch_cap = h->n;
        *scratch = precis_xrealloc(*scratch, *scratch_cap * sizeof **scratch);
    }
    size_t m = 0;
    for (size_t i = 0; i < h->n; i++) {
        uint32_t id = table_id(t, h->v[i], table_add);
        if (id != UINT32_MAX)
            (*scratch)[m++] = id;
    }
    qsort(*scratch, m, sizeof **scratch, compare_u32);
    size_t start = *out_n;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && (*scratch)[j] == (*scratch)[i])
            j++;
        if (*out_n == *out_cap) {
            *out_cap = *out_cap ? *out_cap * 2 : 1024;
            *out = precis_xrealloc(*out, *out_cap * sizeof **out);
        }
        (*out)[*out_n].term = (*scratch)[i];
        (*out)[*out_n].weight = (float)(j - i);
        (*out_n)++;
        i = j;
    }
    return *out_n - start;
}

/* Weights counts as (1 + log tf) * idf and scales the run to unit length. */
static void weigh(precis_term_weight *e, size_t n, const double *idf)
{
    double norm = 0;
    for (size_t i = 0; i < n; i++) {
        double w = (1 + log(e[i].weight)) * idf[e[i].term];
        e[i].weight = (float)w;
        norm += w * w;
    }
    norm = sqrt(norm);
    for (size_t i = 0; i < n && norm > 0; i++)
        e[i].weight = (float)(e[i].weight / norm);
}

static precis_sparse_vec vec_of(const collector *c, const sentence *s)
{
    precis_sparse_vec v = {c->terms + s->vec_off, s->vec_n};
    return v;
}

/* ---- sentence quality ---- */

/* Returns true if needle (lowercase ASCII) occurs in s[0..n), ignoring ASCII case. */
static bool contains_ci(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m) {
            char ch = s[i + k];
            if ((ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != needle[k])
                break;
            k++;
        }
        if (k == m)
            return true;
    }
    return false;
}

/* Site furniture: a sentence containing what and (when set) also is boilerplate. */
static const struct {
    const char *what, *also;
    double factor;
} boilerplate[] = {
    {"cookie", "we use", 0.03},         {"cookie", "accept", 0.03},
    {"cookie", "consent", 0.03},        {"cookie", "browser", 0.03},
    {"cookie", "this site", 0.03},      {"cookie", "website", 0.03},
    {"cookie", "policy", 0.03},         {"cookie", "settings", 0.03},
    {"cookie", "experience", 0.03},     {"subscribe", NULL, 0.03},
    {"click here", NULL, 0.03},         {"copyright", NULL, 0.03},
    {"\xC2\xA9", NULL, 0.03},           {"all rights reserved", NULL, 0.03},
    {"newsletter", NULL, 0.05},         {"privacy policy", NULL, 0.03},
    {"terms of service", NULL, 0.03},   {"terms of use", NULL, 0.03},
    {"follow us", NULL, 0.03},          {"share this", NULL, 0.03},
    {"advertisement", NULL, 0.05},      {"enable javascript", NULL, 0.03},
    {"javascript is disabled", NULL, 0.03}, {"read more", NULL, 0.1},
    {"related articles", NULL, 0.05},   {"related posts", NULL, 0.05},
    {"leave a comment", NULL, 0.03},    {"skip to content", NULL, 0.03},
    {"powered by", NULL, 0.1},          {"sign up", NULL, 0.3},
    {"log in", NULL, 0.3},              {"sign in", NULL, 0.3},
    {"your inbox", NULL, 0.1},          {"sponsored", NULL, 0.2},
};

/* Returns a factor in (0, 1]: how well the sentence can stand in a summary. */
static double sentence_quality(const char *s, size_t n, double words)
{
    double q = 1;
    if (words < 3)
        q *= 0.1;
    else if (words < 5)
        q *= 0.35;
    else if (words < 8)
        q *= 0.8;
    if (words > 45)
        q *= 45 / words;
    for (size_t i = 0; i < sizeof boilerplate / sizeof boilerplate[0]; i++) {
        if (contains_ci(s, n, boilerplate[i].what) &&
            (!boilerplate[i].also || contains_ci(s, n, boilerplate[i].also))) {
            q *= boilerplate[i].factor;
            break;
        }
    }
    /* How it ends: questions and lead-ins to lists read badly alone. */
    size_t end = n;
    while (end > 0 && strchr("\"')]", s[end - 1]))
        end--;
    char last = end ? s[end - 1] : 0;
    if (last == '?')
        q *= 0.6;
    else if (last == ':')
        q *= 0.4;
    else if (last != '.' && last != '!' && (unsigned char)last < 0x80)
        q *= 0.7;
    /* Mostly digits and symbols: tables, code, dates. */
    size_t letters = 0, other = 0;
    for (size_t i = 0, cl; i < n; i += cl) {
        uint32_t ch = precis_uc_decode(s, n, i, &cl);
        if (precis_uc_is_space(ch))
            continue;
        if (precis_uc_is_word(ch) && !(ch >= '0' && ch <= '9'))
            letters++;
        else
            other++;
    }
    if (letters < 2 * other)
        q *= 0.5;
    return q;
}

/* Sentence openers that lean on what came before, and how much that hurts. */
static const struct {
    const char *word;
    double factor;
} context_openers[] = {
    {"actually ", 0.7}, {"also ", 0.7},   {"and ", 0.7},     {"but ", 0.7},  {"however", 0.8},
    {"it's ", 0.85},    {"or ", 0.7},     {"so ", 0.7},      {"that's ", 0.8}, {"then ", 0.8},
    {"these ", 0.85},   {"they ", 0.85},  {"this ", 0.85},   {"those ", 0.85},
};

static bool starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t m = strlen(prefix);
    if (m > n)
        return false;
    for (size_t i = 0; i < m; i++) {
        char ch = s[i];
        if ((ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != prefix[i])
            return false;
    }
    return true;
}

/* Returns a factor in (0, 1] for how well the sentence reads out of context. */
static double form_quality(const char *s, size_t n, bool fragment)
{
    double q = fragment ? 0.75 : 1;
    if (n && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '`'))
        q *= 0.7; /* a fragment, a continued list or a code term */
    for (size_t i = 0; i < sizeof context_openers / sizeof context_openers[0]; i++)
        if (starts_with_ci(s, n, context_openers[i].word)) {
            q *= context_openers[i].factor;
            break;
        }
    /* "Term: definition" glossary lines and "Note:" lead-ins. */
    const char *colon = memchr(s, ':', n < 50 ? n : 50);
    if (colon && (size_t)(colon - s) + 1 < n && s[colon - s + 1] == ' ') {
        size_t spaces = 0;
        for (const char *p = s; p < colon; p++)
            spaces += *p == ' ';
        if (spaces <= 3)
            q *= 0.6;
    }
    /* Mostly inline code. */
    size_t code = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != '`') {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && s[j] != '`')
            j++;
        code += j - i;
        i = j + 1;
    }
    if (code * 10 > n * 3)
        q *= 0.6;
    return q;
}

/* Returns true for the headings of reference lists, comments and link lists. */
static bool is_back_matter(const char *h, size_t n)
{
    static const char *const names[] = {
        "bibliography", "citations", "comments", "external links", "footnotes",
        "further reading", "notes", "references", "related", "see also", "sources",
    };
    while (n && (*h == ' ' || *h == '\n'))
        h++, n--;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (starts_with_ci(h, n, names[i]))
            return true;
    return false;
}

/* ---- ranking ---- */

typedef struct ranked {
    double score;
    size_t index;
} ranked;

/* Best first; ties keep document order, so the output is deterministic. */
static int by_score(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Builds every sentence's unit TF-IDF vector, word count, quality and prior,
 * and the title's vector (into *title, *title_n; caller frees). */
static void analyse(collector *c, const char *title, precis_term_weight **title_terms,
                    size_t *title_n)
{
    term_table table = {0};
    hash_list hashes = {0};
    uint32_t *scratch = NULL;
    size_t scratch_cap = 0;
    for (size_t i = 0; i < c->n_sents; i++) {
        sentence *s = &c->sents[i];
        precis_token_stats st;
        hashes.n = 0;
        precis_tokenize(c->text.ptr + s->off, s->len, collect_hash, &hashes, &st);
        s->words = (double)st.words + (double)st.cjk_chars / 2;
        s->vec_off = c->n_terms;
        s->vec_n = count_terms(&table, true, &hashes, &scratch, &scratch_cap, &c->terms,
                               &c->n_terms, &c->cap_terms);
    }
    double *idf = precis_xcalloc(table.count ? table.count : 1, sizeof *idf);
    for (size_t i = 0; i < c->n_terms; i++)
        idf[c->terms[i].term] += 1; /* document frequency first */
    for (size_t t = 0; t < table.count; t++)
        idf[t] = log(1 + (double)c->n_sents / idf[t]);

    size_t n = c->n_sents;
    for (size_t i = 0; i < n; i++) {
        sentence *s = &c->sents[i];
        weigh(c->terms + s->vec_off, s->vec_n, idf);
        s->quality = sentence_quality(c->text.ptr + s->off, s->len, s->words) *
                     form_quality(c->text.ptr + s->off, s->len, s->fragment);
        if (s->section >= 0 &&
            is_back_matter(c->text.ptr + c->heads[s->section].off, c->heads[s->section].len))
            s->quality *= 0.1;
        /* Earlier sentences and the openings of sections and paragraphs lean slightly ahead. */
        s->prior = 1 + 0.6 * exp(-(double)i / (5 + 0.05 * (double)n)) +
                   (s->section_lead ? 0.25 : 0) + (s->para_lead ? 0.1 : 0);
    }

    *title_terms = NULL;
    *title_n = 0;
    if (title) {
        size_t cap = 0;
        hashes.n = 0;
        precis_tokenize(title, strlen(title), collect_hash, &hashes, NULL);
        count_terms(&table, false, &hashes, &scratch, &scratch_cap, title_terms, title_n, &cap);
        weigh(*title_terms, *title_n, idf);
    }
    free(idf);
    free(scratch);
    free(hashes.v);
    free(table.keys);
    free(table.ids);
}

/* Returns true when a sentence may be chosen while better ones remain. */
static bool is_eligible(const sentence *s)
{
    return s->quality >= MIN_QUALITY && s->vec_n > 0;
}

/* Narrows the eligible sentences to at most GRAPH_MAX by closeness to the
 * centroid of the page. Fills cand (capacity n) and returns its size, in
 * document order. */
static size_t candidates(const collector *c, bool only_eligible, size_t *cand)
{
    size_t m = 0;
    for (size_t i = 0; i < c->n_sents; i++)
        if (!only_eligible || is_eligible(&c->sents[i]))
            cand[m++] = i;
    if (m <= GRAPH_MAX)
        return m;
    uint32_t max_term = 0;
    for (size_t i = 0; i < c->n_terms; i++)
        if (c->terms[i].term > max_term)
            max_term = c->terms[i].term;
    double *centroid = precis_xcalloc((size_t)max_term + 1, sizeof *centroid);
    for (size_t k = 0; k < m; k++) {
        const sentence *s = &c->sents[cand[k]];
        for (size_t e = 0; e < s->vec_n; e++)
            centroid[c->terms[s->vec_off + e].term] += c->terms[s->vec_off + e].weight;
    }
    ranked *r = precis_xmalloc(m * sizeof *r);
    for (size_t k = 0; k < m; k++) {
        const sentence *s = &c->sents[cand[k]];
        double dot = 0;
        for (size_t e = 0; e < s->vec_n; e++)
            dot += centroid[c->terms[s->vec_off + e].term] * c->terms[s->vec_off + e].weight;
        r[k].score = dot * s->prior * s->quality;
        r[k].index = cand[k];
    }
    qsort(r, m, sizeof *r, by_score);
    for (size_t k = 0; k < GRAPH_MAX; k++)
        cand[k] = r[k].index;
    qsort(cand, GRAPH_MAX, sizeof *cand, by_size);
    free(r);
    free(centroid);
    return GRAPH_MAX;
}

/* Scores the candidate sentences: TextRank under the position prior, times
 * quality, times closeness to the title. */
static void rank(collector *c, const size_t *cand, size_t m, const precis_term_weight *title,
                 size_t title_n)
{
    precis_sparse_vec *vecs = precis_xmalloc(m * sizeof *vecs);
    double *prior = precis_xmalloc(m * sizeof *prior);
    double *pr = precis_xmalloc(m * sizeof *pr);
    for (size_t k = 0; k < m; k++) {
        vecs[k] = vec_of(c, &c->sents[cand[k]]);
        prior[k] = c->sents[cand[k]].prior;
    }
    precis_textrank(vecs, m, prior, MIN_SIMILARITY, pr);
    precis_sparse_vec tv = {title, title_n};
    for (size_t k = 0; k < m; k++) {
        sentence *s = &c->sents[cand[k]];
        double t = title_n ? precis_sparse_dot(&vecs[k], &tv) : 0;
        /* The page's opening states its subject: favour it beyond the jump prior. */
        double lead = 1 + 1.0 * exp(-(double)cand[k] / (3 + 0.02 * (double)c->n_sents));
        s->score = pr[k] * (double)m * s->quality * lead * (1 + 0.6 * t);
    }
    free(vecs);
    free(prior);
    free(pr);
}

static bool is_repeat(const collector *c, const sentence *s, const size_t *chosen, size_t n)
{
    precis_sparse_vec v = vec_of(c, s);
    for (size_t i = 0; i < n; i++) {
        const sentence *o = &c->sents[chosen[i]];
        if (o->len == s->len && memcmp(c->text.ptr + o->off, c->text.ptr + s->off, s->len) == 0)
            return true;
        precis_sparse_vec w = vec_of(c, o);
        if (precis_sparse_dot(&v, &w) > REDUNDANT)
            return true;
    }
    return false;
}

/* Chooses up to k of the m candidates, best first, skipping repeats; writes
 * them to chosen in document order and returns how many. */
static size_t choose(const collector *c, const size_t *cand, size_t m, size_t k, size_t *chosen)
{
    ranked *r = precis_xmalloc((m ? m : 1) * sizeof *r);
    for (size_t i = 0; i < m; i++) {
        r[i].score = c->sents[cand[i]].score;
        r[i].index = cand[i];
    }
    qsort(r, m, sizeof *r, by_score);
#ifdef OFFLINE_DEBUG
    for (size_t i = 0; i < m && i < 25; i++) {
        const sentence *d = &c->sents[r[i].index];
        fprintf(stderr, "%5zu %.3f q=%.2f pr=%.2f |%.*s\n", r[i].index, d->score, d->quality, d->prior, (int)(d->len < 90 ? d->len : 90), c->text.ptr + d->off);
    }
#endif
    size_t n = 0;
    for (size_t i = 0; i < m && n < k; i++)
        if (!is_repeat(c, &c->sents[r[i].index], chosen, n))
            chosen[n++] = r[i].index;
    free(r);
    qsort(chosen, n, sizeof *chosen, by_size);
    return n;
}

/* ---- Markdown output ---- */

static bool is_alnum_byte(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (unsigned char)ch >= 0x80;
}

/* Returns where to cut s[0..n) to at most max bytes: at the last space in the
 * final stretch, else at a character boundary. */
static size_t cut_point(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    for (size_t k = cut; k > max - max / 4; k--)
        if (s[k] == ' ' || s[k] == '\n')
            return k;
    return cut;
}

/* Length of the code span starting at s[i] (a backtick run), or 0 if unclosed. */
static size_t code_span_len(const char *s, size_t n, size_t i)
{
    size_t run = 0;
    while (i + run < n && s[i + run] == '`')
        run++;
    for (size_t j = i + run; j < n;) {
        if (s[j] != '`') {
            j++;
            continue;
        }
        size_t k = 0;
        while (j + k < n && s[j + k] == '`')
            k++;
        if (k == run)
            return j + k - i;
        j += k;
    }
    return 0;
}

/* Appends s[0..n) as one line of Markdown text: whitespace collapsed, Markdown
 * punctuation escaped outside code spans, cut (with an ellipsis) beyond max bytes. */
static void put_text(precis_buf *b, const char *s, size_t n, size_t max)
{
    size_t end = cut_point(s, n, max);
    size_t line_start = b->len;
    /* Brackets only need escaping where they could read as a link. */
    bool link_like = false;
    for (size_t i = 0; i + 1 < end && !link_like; i++)
        link_like = s[i] == ']' && (s[i + 1] == '(' || s[i + 1] == '[' || s[i + 1] == ':');
    bool space = false;
    for (size_t i = 0; i < end;) {
        char ch = s[i];
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            space = b->len > line_start;
            i++;
            continue;
        }
        if (space)
            precis_buf_putc(b, ' ');
        space = false;
        if (ch == '`') {
            size_t span = code_span_len(s, end, i);
            if (span) {
                for (size_t k = i; k < i + span; k++)
                    precis_buf_putc(b, s[k] == '\n' || s[k] == '\t' ? ' ' : s[k]);
                i += span;
                continue;
            }
        }
        if (ch == '[') {
            size_t mark = precis_reference_mark_len(s + i, end - i);
            if (mark) {
                i += mark; /* footnote marks mean nothing out of the page */
                continue;
            }
        }
        bool at_start = b->len == line_start;
        if (strchr("\\*<`", ch) || ((ch == '[' || ch == ']') && link_like) ||
            (ch == '_' && (i == 0 || !is_alnum_byte(s[i - 1]) || i + 1 >= end ||
                           !is_alnum_byte(s[i + 1]))) ||
            (at_start && strchr("#>-+|=", ch)))
            precis_buf_putc(b, '\\');
        if (at_start && ch >= '0' && ch <= '9') {
            /* "1. text" would start an ordered list. */
            size_t d = i;
            while (d < end && s[d] >= '0' && s[d] <= '9')
                d++;
            precis_buf_append(b, s + i, d - i);
            if (d < end && (s[d] == '.' || s[d] == ')'))
                precis_buf_putc(b, '\\');
            i = d;
            continue;
        }
        precis_buf_putc(b, ch);
        i++;
    }
    if (end < n)
        precis_buf_puts(b, "\xE2\x80\xA6");
}

/* Returns the last (or first) code point of s[0..n). */
static uint32_t edge_char(const char *s, size_t n, bool last)
{
    size_t k = 0, cl;
    if (last && n) {
        k = n - 1;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    return n ? precis_uc_decode(s, n, k, &cl) : 0;
}

static void put_heading_prefix(precis_buf *b, const collector *c, int section)
{
    if (section < 0)
        return;
    precis_buf h;
    precis_buf_init(&h, 0);
    put_text(&h, c->text.ptr + c->heads[section].off, c->heads[section].len, HEADING_MAX);
    size_t n = h.len;
    while (n && strchr(" :", h.ptr[n - 1]))
        n--;
    if (n) {
        precis_buf_puts(b, "**");
        precis_buf_append(b, h.ptr, n);
        /* "Why it matters?" needs no colon after it. */
        precis_buf_puts(b, strchr("?!.", h.ptr[n - 1]) ? "** " : ":** ");
    }
    precis_buf_release(&h);
}

static void render(precis_buf *b, const collector *c, const char *title, const size_t *chosen,
                   size_t n)
{
    if (title && *title) {
        precis_buf_puts(b, "# ");
        put_text(b, title, strlen(title), HEADING_MAX * 2);
        precis_buf_puts(b, "\n\n");
    }
    size_t sections = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || c->sents[chosen[i]].section != c->sents[chosen[i - 1]].section)
            sections++;
    bool bullets = n >= 3 && sections >= 2;
    for (size_t i = 0; i < n; i++) {
        const sentence *s = &c->sents[chosen[i]];
        const char *text = c->text.ptr + s->off;
        if (bullets) {
            precis_buf_puts(b, "- ");
            if (i == 0 || s->section != c->sents[chosen[i - 1]].section)
                put_heading_prefix(b, c, s->section);
            put_text(b, text, s->len, SENTENCE_MAX);
            precis_buf_putc(b, '\n');
            continue;
        }
        if (i > 0) {
            const sentence *p = &c->sents[chosen[i - 1]];
            bool cjk_join = edge_char(c->text.ptr + p->off, p->len, true) >= 0x2E80 &&
                            edge_char(text, s->len, false) >= 0x2E80;
            if (!cjk_join)
                precis_buf_putc(b, ' ');
        }
        put_text(b, text, s->len, SENTENCE_MAX);
    }
    if (!bullets)
        precis_buf_putc(b, '\n');
}

/* ---- the summarizer ---- */

precis_result precis_offline_summarize(const precis_doc *doc, precis_length length, precis_buf *out)
{
    precis_result result = PRECIS_ERR_NO_CONTENT;
    collector c;
    memset(&c, 0, sizeof c);
    precis_buf_init(&c.text, 0);
    c.section = -1;
    c.section_fresh = true;
    precis_term_weight *title_terms = NULL;
    size_t title_n = 0;
    size_t *cand = NULL, *chosen = NULL;
    char *title = NULL;
    precis_buf md;
    precis_buf_init(&md, 0);

    collect(&c, doc->root);
    if (c.n_sents == 0)
        goto out;
    if (doc->meta.title && *doc->meta.title)
        title = precis_xstrdup(doc->meta.title);
    else if (c.title_head)
        title = precis_xstrndup(c.text.ptr + c.heads[c.title_head - 1].off,
                                c.heads[c.title_head - 1].len);
    analyse(&c, title, &title_terms, &title_n);

    cand = precis_xmalloc(c.n_sents * sizeof *cand);
    size_t m = candidates(&c, true, cand);
    if (m == 0)
        m = candidates(&c, false, cand); /* nothing good: take what there is */
    rank(&c, cand, m, title_terms, title_n);
    size_t k = precis_length_sentences(length, m);
    chosen = precis_xmalloc(k * sizeof *chosen + 1);
    size_t n = choose(&c, cand, m, k, chosen);

    render(&md, &c, title, chosen, n);
    result = precis_buf_append(out, md.ptr, md.len);
out:
    precis_buf_release(&md);
    free(title);
    free(cand);
    free(chosen);
    free(title_terms);
    free(c.terms);
    free(c.sents);
    free(c.heads);
    precis_buf_release(&c.text);
    return result;
}
