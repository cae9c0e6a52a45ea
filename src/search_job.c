/* One search on a caller's loop: the model's extra terms and the query's vector asked for
 * at once as loop transfers, then bm25 (with the extra terms) fused with the vectors, each
 * request falling back to bm25 with one warning. */
#include "search_internal.h"

#include <stdlib.h>
#include <string.h>

#include "precis/embed.h"
#include "precis/query.h"
#include "precis/vectors.h"

struct precis_search_job {
    precis_searcher *s;
    precis_loop *loop;
    char *text;
    long long site_id;
    size_t k;
    precis_search_fn fn;
    void *ctx;
    int ticker;
    /* query expansion: a pool of one request while it runs */
    precis_llm_pool *pool;
    precis_search_expansion x;
    precis_llm_result xres;
    bool expanding;
    char *extra;     /* the model's words, or NULL */
    /* the query's vector */
    precis_embed_job *ej;
    precis_llm_result eres;
    float *q;        /* normalised, or NULL */
    size_t dim;
};

static const char expand_then[] = "searching with the query's own words";
static const char embed_then[] = "searching with bm25 alone";

/* True if the chat model for extra terms is resolved (warned once when it cannot be). */
static bool chat_ready(precis_searcher *s)
{
    if (s->chat_state == 0) {
        precis_error err;
        precis_error_clear(&err);
        s->chat_state = -1;
        if (!precis_config_has_model(s->cfg))
            precis_error_set(&err, PRECIS_ERR_USAGE, "no model is configured");
        else if (precis_model_init(&s->chat_model, s->cfg, &err) == PRECIS_OK)
            s->chat_state = 1;
        if (s->chat_state < 0)
            precis_searcher_warn_once(&s->warned_expand, "search_expand", err.msg, expand_then);
    }
    return s->chat_state > 0;
}

/* True if the searched sites have vectors for the model and its endpoint is resolved
 * (warned once for each cause when not). */
static bool embed_ready(precis_searcher *s, long long site_id)
{
    precis_error err;
    precis_error_clear(&err);
    long have = 0;
    const char *model = precis_config_embeddings_model(s->cfg);
    if (precis_index_vectors_count(s->idx, site_id, model, &have, &err) != PRECIS_OK || !have) {
        precis_searcher_warn_once(&s->warned_vectors, "embeddings",
                                  err.msg[0] ? err.msg
                                             : "the index holds no vectors for this model yet",
                                  "searching with bm25 alone ('precis index URL' again adds them)");
        return false;
    }
    if (s->embed_state == 0) {
        s->embed_state = -1;
        if (precis_search_embed_endpoint(s->cfg, &s->embed_model, &s->embed_req, &err) !=
            PRECIS_OK) {
            precis_searcher_warn_once(&s->warned_embed, "embeddings", err.msg, embed_then);
            return false;
        }
        s->embed_req.max_time_ms = PRECIS_SEARCH_EMBED_MS;
        if (s->embed_req.connect_timeout_ms <= 0 ||
            s->embed_req.connect_timeout_ms > PRECIS_SEARCH_EMBED_MS)
            s->embed_req.connect_timeout_ms = PRECIS_SEARCH_EMBED_MS;
        s->embed_state = 1;
    }
    return s->embed_state > 0;
}

static void expand_done(void *ctx, precis_llm_result *res)
{
    precis_search_job *j = ctx;
    j->expanding = false;
    if (res->code != PRECIS_OK) {
        precis_searcher_warn_once(&j->s->warned_expand, "search_expand",
                                  res->err.msg[0] ? res->err.msg : "the request failed",
                                  expand_then);
        return;
    }
    precis_buf terms;
    precis_buf_init(&terms, 0);
    precis_search_expansion_words(res->text.ptr ? res->text.ptr : "", res->text.len, &terms);
    j->extra = terms.len ? precis_buf_detach(&terms) : NULL;
    precis_buf_release(&terms);
}

static void start_expansion(precis_search_job *j)
{
    precis_searcher *s = j->s;
    if (!precis_config_search_expand(s->cfg) || !chat_ready(s))
        return;
    precis_error err;
    precis_error_clear(&err);
    if (precis_search_expansion_init(&j->x, &s->chat_model, j->text, &err) != PRECIS_OK) {
        precis_searcher_warn_once(&s->warned_expand, "search_expand", err.msg, expand_then);
        return;
    }
    j->pool = precis_llm_pool_new_on(j->loop, 1);
    j->expanding = true;
    precis_llm_pool_add(j->pool, &j->x.req, &j->xres, expand_done, j);
}

static void embed_done(void *ctx, float *vecs, size_t n, size_t dim, precis_llm_result *res)
{
    precis_search_job *j = ctx;
    j->ej = NULL;
    if (!vecs || n != 1) {
        free(vecs);
        precis_searcher_warn_once(&j->s->warned_embed, "embeddings",
                                  res->err.msg[0] ? res->err.msg : "embeddings failed",
                                  embed_then);
        return;
    }
    j->q = vecs;
    j->dim = dim;
}

static void start_embedding(precis_search_job *j)
{
    precis_searcher *s = j->s;
    if (!precis_config_embeddings_model(s->cfg) || !embed_ready(s, j->site_id))
        return;
    const char *text = j->text;
    j->ej = precis_embed_start(j->loop, &s->embed_req, &text, 1, &j->eres, embed_done, j);
}

/* bm25 and vector lists fused by reciprocal rank fusion, the k best as hits. */
static precis_result hybrid(precis_search_job *j, precis_hit **hits, size_t *n,
                            precis_error *err)
{
    precis_searcher *s = j->s;
    long long *lex = precis_xcalloc(PRECIS_SEARCH_DEPTH, sizeof *lex);
    long long *vec = precis_xcalloc(PRECIS_SEARCH_DEPTH, sizeof *vec);
    double *sims = precis_xcalloc(PRECIS_SEARCH_DEPTH, sizeof *sims);
    size_t nl = 0, nv = 0;
    precis_result r = precis_index_rank(s->idx, j->text, j->extra, j->site_id,
                                        PRECIS_SEARCH_DEPTH, lex, &nl, err);
    if (r == PRECIS_OK)
        r = precis_index_vector_search(s->idx, j->site_id, precis_config_embeddings_model(s->cfg),
                                       j->q, j->dim, PRECIS_SEARCH_DEPTH, vec, sims, &nv, err);
    const char *only = getenv("PRECIS_RANK_HYBRID"); /* "vector": that list alone, to measure */
    if (only && strcmp(only, "vector") == 0)
        nl = 0;
    if (r == PRECIS_OK) {
        precis_fused *f = precis_xcalloc(nl + nv + 1, sizeof *f);
        size_t nf = precis_rrf_fuse(lex, nl, vec, nv, f, j->k);
        long long *ids = precis_xcalloc(nf + 1, sizeof *ids);
        double *scores = precis_xcalloc(nf + 1, sizeof *scores);
        for (size_t i = 0; i < nf; i++) {
            ids[i] = f[i].id;
            scores[i] = f[i].score;
        }
        r = precis_index_hits(s->idx, j->text, ids, scores, nf, hits, n, err);
        free(ids);
        free(scores);
        free(f);
    }
    free(lex);
    free(vec);
    free(sims);
    return r;
}

/* Stops what still runs and frees the job (never its callback). */
static void job_free(precis_search_job *j)
{
    precis_embed_cancel(j->ej);
    precis_llm_pool_free(j->pool); /* an unfinished request ends without its callback */
    precis_loop_ticker_remove(j->loop, j->ticker);
    precis_search_expansion_release(&j->x);
    precis_llm_result_release(&j->xres);
    precis_llm_result_release(&j->eres);
    free(j->extra);
    free(j->q);
    free(j->text);
    free(j);
}

/* Every request is over: searches the index, frees the job, then hands over the hits. */
static void finish(precis_search_job *j)
{
    precis_searcher *s = j->s;
    precis_hit *hits = NULL;
    size_t n = 0;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = PRECIS_OK;
    if (j->q) {
        s->mode = j->extra ? "hybrid+expansion" : "hybrid";
        r = hybrid(j, &hits, &n, &err);
    } else if (j->k > 0) {
        s->mode = j->extra ? "bm25+expansion" : "bm25";
        r = precis_index_search_terms(s->idx, j->text, j->extra, j->site_id, j->k, &hits, &n,
                                      &err);
    }
    if (r != PRECIS_OK) {
        precis_hits_free(hits, n);
        hits = NULL;
        n = 0;
    }
    precis_search_fn fn = j->fn;
    void *ctx = j->ctx;
    job_free(j);
    fn(ctx, r, hits, n, &err);
}

static long job_tick(void *ctx)
{
    precis_search_job *j = ctx;
    if (j->expanding || j->ej)
        return -1; /* the transfers keep their own time caps */
    finish(j);
    return 0;
}

precis_search_job *precis_search_start(precis_searcher *s, precis_loop *loop, const char *text,
                                       long long site_id, size_t k, precis_search_fn fn,
                                       void *ctx)
{
    precis_search_job *j = precis_xcalloc(1, sizeof *j);
    j->s = s;
    j->loop = loop;
    j->text = precis_xstrdup(text ? text : "");
    j->site_id = site_id;
    j->k = k;
    j->fn = fn;
    j->ctx = ctx;
    precis_llm_result_init(&j->xres);
    precis_llm_result_init(&j->eres);
    precis_buf_init(&j->x.sys, 0);
    precis_buf_init(&j->x.user, 0);
    s->mode = "bm25";
    precis_buf probe;
    precis_buf_init(&probe, 0);
    bool has_words = precis_query_build(j->text, &probe) > 0;
    precis_buf_release(&probe);
    if (!has_words)
        j->k = 0; /* nothing to search: no request, zero hits */
    if (j->k > 0 && s->cfg) {
        start_expansion(j);
        start_embedding(j);
    }
    j->ticker = precis_loop_ticker_add(loop, job_tick, j);
    return j;
}

void precis_search_cancel(precis_search_job *job)
{
    if (job)
        job_free(job);
}
