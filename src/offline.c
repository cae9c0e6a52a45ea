/* The offline extractive summarizer.
 *
 * Collects the prose of a document as sentences (offline_collect.c), weights
 * their terms by TF-IDF and judges their quality (offline_terms.c,
 * offline_quality.c), ranks them with TextRank under a light position prior,
 * picks the best ones while skipping near repeats, and writes them in document
 * order as Markdown (offline_markdown.c). Large pages are first narrowed to the
 * sentences closest to the page's centroid so that the quadratic graph stays
 * small. */
#include "precis/offline.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "offline_internal.h"

/* Most sentences that enter the similarity graph. */
#define GRAPH_MAX 300
/* Edges weaker than this are noise. */
#define MIN_SIMILARITY 0.02
/* A sentence this similar to a chosen one repeats it. */
#define REDUNDANT 0.45
/* Sentences of lower quality are not chosen while better ones remain. */
#define MIN_QUALITY 0.2

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

/* Returns true when a sentence may be chosen while better ones remain. */
static bool is_eligible(const offline_sentence *s)
{
    return s->quality >= MIN_QUALITY && s->vec_n > 0;
}

/* Narrows the eligible sentences to at most GRAPH_MAX by closeness to the
 * centroid of the page. Fills cand (capacity n) and returns its size, in
 * document order. */
static size_t candidates(const offline_doc *c, bool only_eligible, size_t *cand)
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
        const offline_sentence *s = &c->sents[cand[k]];
        for (size_t e = 0; e < s->vec_n; e++)
            centroid[c->terms[s->vec_off + e].term] += c->terms[s->vec_off + e].weight;
    }
    ranked *r = precis_xmalloc(m * sizeof *r);
    for (size_t k = 0; k < m; k++) {
        const offline_sentence *s = &c->sents[cand[k]];
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
static void rank(offline_doc *c, const size_t *cand, size_t m, const precis_term_weight *title,
                 size_t title_n)
{
    precis_sparse_vec *vecs = precis_xmalloc(m * sizeof *vecs);
    double *prior = precis_xmalloc(m * sizeof *prior);
    double *pr = precis_xmalloc(m * sizeof *pr);
    for (size_t k = 0; k < m; k++) {
        vecs[k] = precis_offline_vec(c, &c->sents[cand[k]]);
        prior[k] = c->sents[cand[k]].prior;
    }
    precis_textrank(vecs, m, prior, MIN_SIMILARITY, pr);
    precis_sparse_vec tv = {title, title_n};
    for (size_t k = 0; k < m; k++) {
        offline_sentence *s = &c->sents[cand[k]];
        double t = title_n ? precis_sparse_dot(&vecs[k], &tv) : 0;
        /* The page's opening states its subject: favour it beyond the jump prior. */
        double lead = 1 + 1.0 * exp(-(double)cand[k] / (3 + 0.02 * (double)c->n_sents));
        s->score = pr[k] * (double)m * s->quality * lead * (1 + 0.6 * t);
    }
    free(vecs);
    free(prior);
    free(pr);
}

static bool is_repeat(const offline_doc *c, const offline_sentence *s, const size_t *chosen, size_t n)
{
    precis_sparse_vec v = precis_offline_vec(c, s);
    for (size_t i = 0; i < n; i++) {
        const offline_sentence *o = &c->sents[chosen[i]];
        if (o->len == s->len && memcmp(c->text.ptr + o->off, c->text.ptr + s->off, s->len) == 0)
            return true;
        precis_sparse_vec w = precis_offline_vec(c, o);
        if (precis_sparse_dot(&v, &w) > REDUNDANT)
            return true;
    }
    return false;
}

/* Chooses up to k of the m candidates, best first, skipping repeats; writes
 * them to chosen in document order and returns how many. */
static size_t choose(const offline_doc *c, const size_t *cand, size_t m, size_t k, size_t *chosen)
{
    ranked *r = precis_xmalloc((m ? m : 1) * sizeof *r);
    for (size_t i = 0; i < m; i++) {
        r[i].score = c->sents[cand[i]].score;
        r[i].index = cand[i];
    }
    qsort(r, m, sizeof *r, by_score);
    size_t n = 0;
    for (size_t i = 0; i < m && n < k; i++)
        if (!is_repeat(c, &c->sents[r[i].index], chosen, n))
            chosen[n++] = r[i].index;
    free(r);
    qsort(chosen, n, sizeof *chosen, by_size);
    return n;
}

precis_result precis_offline_summarize(const precis_doc *doc, precis_length length, precis_buf *out)
{
    precis_result result = PRECIS_ERR_NO_CONTENT;
    offline_doc c;
    precis_offline_doc_init(&c);
    precis_term_weight *title_terms = NULL;
    size_t title_n = 0;
    size_t *cand = NULL, *chosen = NULL;
    char *title = NULL;
    precis_buf md;
    precis_buf_init(&md, 0);

    precis_offline_collect(&c, doc->root);
    if (c.n_sents == 0)
        goto out;
    if (doc->meta.title && *doc->meta.title)
        title = precis_xstrdup(doc->meta.title);
    else if (c.title_head)
        title = precis_xstrndup(c.text.ptr + c.heads[c.title_head - 1].off,
                                c.heads[c.title_head - 1].len);
    precis_offline_analyse(&c, title, &title_terms, &title_n);

    cand = precis_xmalloc(c.n_sents * sizeof *cand);
    size_t m = candidates(&c, true, cand);
    if (m == 0)
        m = candidates(&c, false, cand); /* nothing good: take what there is */
    rank(&c, cand, m, title_terms, title_n);
    size_t k = precis_length_sentences(length, m);
    chosen = precis_xmalloc(k * sizeof *chosen + 1);
    size_t n = choose(&c, cand, m, k, chosen);

    precis_offline_render(&md, &c, title, chosen, n);
    result = precis_buf_append(out, md.ptr, md.len);
out:
    precis_buf_release(&md);
    free(title);
    free(cand);
    free(chosen);
    free(title_terms);
    precis_offline_doc_release(&c);
    return result;
}
