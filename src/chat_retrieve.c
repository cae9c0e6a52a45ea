/* Sections of the open pages, ranked against a question (BM25 over index terms). */
#include "precis/chat_retrieve.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "precis/chunk.h"
#include "precis/doc_outline.h"
#include "precis/sections.h"
#include "precis/tokenize.h"

#define TITLE_WEIGHT 3 /* a title term counts as this many body terms */

typedef struct term_vec {
    uint64_t *v;
    size_t n, cap;
} term_vec;

static void collect_term(void *ctx, uint64_t term)
{
    term_vec *t = ctx;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->v = precis_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = term;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void precis_chat_index_init(precis_chat_index *idx)
{
    memset(idx, 0, sizeof *idx);
}

void precis_chat_index_release(precis_chat_index *idx)
{
    if (!idx)
        return;
    for (size_t i = 0; i < idx->n; i++) {
        precis_chat_chunk *c = &idx->chunks[i];
        free(c->title);
        free(c->link);
        free(c->text);
        free(c->terms);
    }
    free(idx->chunks);
    memset(idx, 0, sizeof *idx);
}

/* True if the page has exactly one level-1 heading: its text then heads every path and
 * is left out of the titles. */
static bool one_h1(const precis_doc *doc)
{
    precis_heading *h;
    size_t n = precis_outline(doc, &h), ones = 0;
    for (size_t i = 0; i < n; i++)
        ones += h[i].level == 1;
    precis_outline_free(h, n);
    return ones == 1;
}

void precis_chat_index_add(precis_chat_index *idx, size_t page, const precis_doc *doc)
{
    precis_section *s;
    size_t n;
    precis_sections_split(doc, &s, &n);
    size_t drop = one_h1(doc) ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        if (idx->n == idx->cap) {
            idx->cap = idx->cap ? idx->cap * 2 : 32;
            idx->chunks = precis_xrealloc(idx->chunks, idx->cap * sizeof *idx->chunks);
        }
        precis_chat_chunk *c = &idx->chunks[idx->n];
        memset(c, 0, sizeof *c);
        c->page = page;
        c->order = idx->n++;
        precis_buf b;
        precis_buf_init(&b, 0);
        size_t from = s[i].npath > 1 ? drop : 0;
        for (size_t j = from; j < s[i].npath; j++)
            precis_buf_printf(&b, "%s%s", j > from ? " > " : "", s[i].path[j]);
        if (s[i].npath == 0)
            precis_buf_puts(&b, doc->meta.title && *doc->meta.title ? doc->meta.title
                                                                    : "(introduction)");
        c->title = precis_buf_detach(&b);
        precis_deep_link(doc, s[i].anchor, &b);
        c->link = precis_buf_detach(&b);
        c->text = s[i].text;
        s[i].text = NULL;
        c->tokens = precis_estimate_tokens(c->title, strlen(c->title)) +
                    precis_estimate_tokens(c->text, strlen(c->text));
        term_vec t = {0};
        const char *own = s[i].npath ? s[i].path[s[i].npath - 1] : "";
        for (int w = 0; w < TITLE_WEIGHT; w++)
            precis_tokenize(own, strlen(own), collect_term, &t, NULL);
        precis_tokenize(c->text, strlen(c->text), collect_term, &t, NULL);
        if (t.n)
            qsort(t.v, t.n, sizeof *t.v, cmp_u64);
        c->terms = t.v;
        c->n_terms = t.n;
    }
    precis_sections_free(s, n);
}

/* Returns how often term occurs in the sorted array v[0..n). */
static size_t term_count(const uint64_t *v, size_t n, uint64_t term)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < term)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < n && v[k] == term)
        k++;
    return k - lo;
}

/* The distinct index terms of query, as a new sorted array. */
static size_t query_terms(const char *query, uint64_t **out)
{
    term_vec t = {0};
    precis_tokenize(query, strlen(query), collect_term, &t, NULL);
    if (t.n)
        qsort(t.v, t.n, sizeof *t.v, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < t.n; i++)
        if (m == 0 || t.v[m - 1] != t.v[i])
            t.v[m++] = t.v[i];
    *out = t.v;
    return m;
}

typedef struct ranked {
    size_t i;
    double score;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

size_t precis_chat_index_rank(const precis_chat_index *idx, const char *query,
                              size_t boost_page, size_t **order, double *scores)
{
    *order = NULL;
    uint64_t *q;
    size_t nq = query_terms(query ? query : "", &q);
    if (idx->n == 0 || nq == 0) {
        free(q);
        if (scores)
            for (size_t i = 0; i < idx->n; i++)
                scores[i] = 0;
        return 0;
    }
    double avg = 0;
    for (size_t i = 0; i < idx->n; i++)
        avg += (double)idx->chunks[i].n_terms;
    avg = avg / (double)idx->n + 1;
    double *idf = precis_xcalloc(nq, sizeof *idf);
    for (size_t k = 0; k < nq; k++) {
        size_t df = 0;
        for (size_t i = 0; i < idx->n; i++)
            df += term_count(idx->chunks[i].terms, idx->chunks[i].n_terms, q[k]) > 0;
        idf[k] = log(1.0 + ((double)idx->n - (double)df + 0.5) / ((double)df + 0.5));
    }
    ranked *r = precis_xmalloc(idx->n * sizeof *r);
    size_t m = 0;
    for (size_t i = 0; i < idx->n; i++) {
        const precis_chat_chunk *c = &idx->chunks[i];
        double s = 0;
        for (size_t k = 0; k < nq; k++) {
            double tf = (double)term_count(c->terms, c->n_terms, q[k]);
            if (tf > 0)
                s += idf[k] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * (double)c->n_terms / avg));
        }
        if (c->page == boost_page)
            s *= 1.2;
        if (scores)
            scores[i] = s;
        if (s > 0)
            r[m++] = (ranked){i, s};
    }
    if (m)
        qsort(r, m, sizeof *r, cmp_ranked);
    if (m) {
        *order = precis_xmalloc(m * sizeof **order);
        for (size_t i = 0; i < m; i++)
            (*order)[i] = r[i].i;
    }
    free(r);
    free(idf);
    free(q);
    return m;
}

static bool is_word_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c >= 0x80;
}

/* True if word[0..n) is one of the sorted query terms (as is, or without a plural s). */
static bool is_query_word(const char *word, size_t n, const uint64_t *q, size_t nq)
{
    if (n < 2 || n > 64)
        return false;
    char low[64];
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)word[i]);
    size_t m = n;
    if (m > 3 && low[m - 1] == 's' && low[m - 2] != 's' && low[m - 2] != 'u' &&
        low[m - 2] != 'i')
        m--;
    uint64_t a = precis_term_hash(low, n), b = precis_term_hash(low, m);
    return term_count(q, nq, a) || term_count(q, nq, b);
}

/* Counts the query words in p[0..n). */
static size_t count_hits(const char *p, size_t n, const uint64_t *q, size_t nq)
{
    size_t hits = 0;
    for (size_t i = 0; i < n;) {
        if (!is_word_byte((unsigned char)p[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_word_byte((unsigned char)p[j]))
            j++;
        hits += is_query_word(p + i, j - i, q, nq);
        i = j;
    }
    return hits;
}

void precis_chat_snippet(const char *text, const char *query, size_t max, precis_buf *out)
{
    uint64_t *q;
    size_t nq = query_terms(query ? query : "", &q);
    /* The paragraph (blank-line separated) with the most hits; the first on ties. */
    const char *best = text, *p = text;
    size_t best_len = 0, best_hits = 0;
    bool have = false;
    while (*p) {
        const char *end = strstr(p, "\n\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t hits = count_hits(p, len, q, nq);
        bool fence = len >= 3 && strncmp(p, "```", 3) == 0;
        if (len > 0 && (!have || hits > best_hits) && !(fence && have)) {
            best = p;
            best_len = len;
            best_hits = hits;
            have = true;
        }
        if (!end)
            break;
        p = end + 2;
    }
    /* Collapse whitespace and cut near max at a word boundary. */
    precis_buf flat;
    precis_buf_init(&flat, 0);
    for (size_t i = 0; i < best_len; i++) {
        char c = best[i];
        /* List items run together as "a; b; c" rather than "a - b - c". */
        bool line_start = i == 0 || best[i - 1] == '\n';
        if (line_start && i + 1 < best_len && (c == '-' || c == '*' || c == '+') &&
            best[i + 1] == ' ') {
            while (flat.len && flat.ptr[flat.len - 1] == ' ')
                precis_buf_truncate(&flat, flat.len - 1);
            if (flat.len)
                precis_buf_puts(&flat, "; ");
            i++;
            continue;
        }
        if (c == '\n' || c == '\t' || c == ' ') {
            if (flat.len && !precis_buf_ends_with(&flat, ' '))
                precis_buf_putc(&flat, ' ');
        } else {
            precis_buf_putc(&flat, c);
        }
    }
    bool cut = false;
    if (max && flat.len > max) {
        size_t k = max;
        while (k > max / 2 && flat.ptr[k] != ' ')
            k--;
        while (k > 0 && ((unsigned char)flat.ptr[k] & 0xC0) == 0x80)
            k--;
        precis_buf_truncate(&flat, k);
        cut = true;
    }
    while (flat.len && flat.ptr[flat.len - 1] == ' ')
        precis_buf_truncate(&flat, flat.len - 1);
    size_t prev_hit_end = 0; /* out->len just after the last closing "**", 0: none */
    for (size_t i = 0; i < flat.len;) {
        if (!is_word_byte((unsigned char)flat.ptr[i])) {
            precis_buf_putc(out, flat.ptr[i++]);
            continue;
        }
        size_t j = i;
        while (j < flat.len && is_word_byte((unsigned char)flat.ptr[j]))
            j++;
        bool hit = nq && is_query_word(flat.ptr + i, j - i, q, nq);
        /* Two hits a space apart share one highlight: "**write barrier**". */
        if (hit && prev_hit_end && out->len == prev_hit_end + 1 && out->ptr[out->len - 1] == ' ') {
            precis_buf_truncate(out, prev_hit_end - 2);
            precis_buf_putc(out, ' ');
        } else if (hit) {
            precis_buf_puts(out, "**");
        }
        precis_buf_append(out, flat.ptr + i, j - i);
        if (hit) {
            precis_buf_puts(out, "**");
            prev_hit_end = out->len;
        }
        i = j;
    }
    if (cut)
        precis_buf_puts(out, " …");
    precis_buf_release(&flat);
    free(q);
}
