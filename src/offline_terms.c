/* Offline summarizer: TF-IDF term vectors, sentence quality and position priors. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "offline_internal.h"
#include "precis/tokenize.h"

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

void precis_offline_analyse(offline_doc *c, const char *title, precis_term_weight **title_terms,
                            size_t *title_n)
{
    term_table table = {0};
    hash_list hashes = {0};
    uint32_t *scratch = NULL;
    size_t scratch_cap = 0;
    for (size_t i = 0; i < c->n_sents; i++) {
        offline_sentence *s = &c->sents[i];
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
        offline_sentence *s = &c->sents[i];
        weigh(c->terms + s->vec_off, s->vec_n, idf);
        s->quality = precis_offline_quality(c->text.ptr + s->off, s->len, s->words, s->fragment);
        if (s->section >= 0 &&
            precis_offline_is_back_matter(c->text.ptr + c->heads[s->section].off, c->heads[s->section].len))
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

