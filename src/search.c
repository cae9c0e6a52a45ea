/* The searcher: bm25, the model's extra terms and hybrid retrieval, each optional, each
 * falling back to bm25 with one warning. */
#include "precis/search.h"

#include <stdlib.h>
#include <string.h>

#include "precis/embed.h"
#include "precis/query.h"
#include "precis/vectors.h"

struct precis_searcher {
    precis_index *idx;
    const precis_config *cfg;
    const volatile sig_atomic_t *cancel;
    precis_model embed_model; /* the endpoint for embeddings, once resolved */
    precis_llm_request embed_req;
    int embed_state;          /* 0 not tried, 1 ready, -1 unusable */
    precis_model chat_model;  /* the chat model for extra terms, once resolved */
    int chat_state;
    bool warned_embed, warned_expand, warned_vectors;
    const char *mode;
};

precis_searcher *precis_searcher_new(precis_index *idx, const precis_config *cfg)
{
    precis_searcher *s = precis_xcalloc(1, sizeof *s);
    s->idx = idx;
    s->cfg = cfg;
    s->mode = "bm25";
    return s;
}

void precis_searcher_free(precis_searcher *s)
{
    if (!s)
        return;
    precis_model_release(&s->embed_model);
    precis_model_release(&s->chat_model);
    free(s);
}

void precis_searcher_set_cancel(precis_searcher *s, const volatile sig_atomic_t *cancel)
{
    s->cancel = cancel;
}

const char *precis_searcher_mode(const precis_searcher *s)
{
    return s->mode;
}

precis_result precis_search_embed_endpoint(const precis_config *cfg, precis_model *m,
                                           precis_llm_request *req, precis_error *err)
{
    memset(m, 0, sizeof *m);
    const char *model = cfg ? precis_config_embeddings_model(cfg) : NULL;
    if (!model)
        return precis_error_set(err, PRECIS_ERR_USAGE, "no embeddings_model is set");
    precis_result r = precis_model_init_endpoint(m, cfg, err);
    if (r != PRECIS_OK)
        return r;
    precis_model_request(m, req);
    req->model = model;
    req->stream = false;
    return PRECIS_OK;
}

/* Warns once per searcher for each flag. */
static void warn_once(bool *flag, const char *what, const char *msg, const char *then)
{
    if (*flag)
        return;
    *flag = true;
    precis_warn("%s: %s; %s", what, msg, then);
}

/* The model's extra words for text, or NULL (warned) when they cannot be had. */
static char *extra_terms(precis_searcher *s, const char *text)
{
    if (!s->cfg || !precis_config_search_expand(s->cfg))
        return NULL;
    precis_error err;
    precis_error_clear(&err);
    if (s->chat_state == 0) {
        s->chat_state = -1;
        if (!precis_config_has_model(s->cfg))
            precis_error_set(&err, PRECIS_ERR_USAGE, "no model is configured");
        else if (precis_model_init(&s->chat_model, s->cfg, &err) == PRECIS_OK)
            s->chat_state = 1;
        if (s->chat_state < 0) {
            warn_once(&s->warned_expand, "search_expand", err.msg,
                      "searching with the query's own words");
            return NULL;
        }
    }
    if (s->chat_state < 0)
        return NULL;
    precis_buf terms;
    precis_buf_init(&terms, 0);
    if (precis_search_expand(&s->chat_model, text, s->cancel, &terms, &err) != PRECIS_OK) {
        warn_once(&s->warned_expand, "search_expand", err.msg,
                  "searching with the query's own words");
        precis_buf_release(&terms);
        return NULL;
    }
    if (!terms.len) {
        precis_buf_release(&terms);
        return NULL;
    }
    return terms.ptr;
}

/* The query's vector (normalised; caller frees), or NULL when hybrid retrieval is off,
 * the searched sites have no vectors for the model, or the endpoint failed (warned). */
static float *query_vector(precis_searcher *s, const char *text, long long site_id, size_t *dim)
{
    const char *model = s->cfg ? precis_config_embeddings_model(s->cfg) : NULL;
    if (!model)
        return NULL;
    precis_error err;
    precis_error_clear(&err);
    long have = 0;
    if (precis_index_vectors_count(s->idx, site_id, model, &have, &err) != PRECIS_OK || !have) {
        warn_once(&s->warned_vectors, "embeddings",
                  err.msg[0] ? err.msg : "the index holds no vectors for this model yet",
                  "searching with bm25 alone ('precis index URL' again adds them)");
        return NULL;
    }
    if (s->embed_state == 0) {
        s->embed_state = -1;
        if (precis_search_embed_endpoint(s->cfg, &s->embed_model, &s->embed_req, &err) !=
            PRECIS_OK) {
            warn_once(&s->warned_embed, "embeddings", err.msg, "searching with bm25 alone");
            return NULL;
        }
        s->embed_req.max_time_ms = PRECIS_SEARCH_EMBED_MS;
        if (s->embed_req.connect_timeout_ms <= 0 ||
            s->embed_req.connect_timeout_ms > PRECIS_SEARCH_EMBED_MS)
            s->embed_req.connect_timeout_ms = PRECIS_SEARCH_EMBED_MS;
        s->embed_state = 1;
    }
    if (s->embed_state < 0)
        return NULL;
    float *v = NULL;
    if (precis_embed(&s->embed_req, &text, 1, 1, s->cancel, &v, dim, &err) != PRECIS_OK) {
        warn_once(&s->warned_embed, "embeddings", err.msg, "searching with bm25 alone");
        return NULL;
    }
    return v;
}

/* bm25 and vector lists fused by reciprocal rank fusion, the k best as hits. */
static precis_result hybrid(precis_searcher *s, const char *text, const char *extra,
                            long long site_id, const float *q, size_t dim, size_t k,
                            precis_hit **hits, size_t *n, precis_error *err)
{
    long long *lex = precis_xcalloc(PRECIS_SEARCH_DEPTH, sizeof *lex);
    long long *vec = precis_xcalloc(PRECIS_SEARCH_DEPTH, sizeof *vec);
    double *sims = precis_xcalloc(PRECIS_SEARCH_DEPTH, sizeof *sims);
    size_t nl = 0, nv = 0;
    precis_result r = precis_index_rank(s->idx, text, extra, site_id, PRECIS_SEARCH_DEPTH, lex,
                                        &nl, err);
    if (r == PRECIS_OK)
        r = precis_index_vector_search(s->idx, site_id, precis_config_embeddings_model(s->cfg),
                                       q, dim, PRECIS_SEARCH_DEPTH, vec, sims, &nv, err);
    const char *only = getenv("PRECIS_RANK_HYBRID"); /* "vector": that list alone, to measure */
    if (only && strcmp(only, "vector") == 0)
        nl = 0;
    if (r == PRECIS_OK) {
        precis_fused *f = precis_xcalloc(nl + nv + 1, sizeof *f);
        size_t nf = precis_rrf_fuse(lex, nl, vec, nv, f, k);
        long long *ids = precis_xcalloc(nf + 1, sizeof *ids);
        double *scores = precis_xcalloc(nf + 1, sizeof *scores);
        for (size_t i = 0; i < nf; i++) {
            ids[i] = f[i].id;
            scores[i] = f[i].score;
        }
        r = precis_index_hits(s->idx, text, ids, scores, nf, hits, n, err);
        free(ids);
        free(scores);
        free(f);
    }
    free(lex);
    free(vec);
    free(sims);
    return r;
}

precis_result precis_searcher_search(precis_searcher *s, const char *text, long long site_id,
                                     size_t k, precis_hit **hits, size_t *n, precis_error *err)
{
    *hits = NULL;
    *n = 0;
    s->mode = "bm25";
    precis_buf probe;
    precis_buf_init(&probe, 0);
    bool has_words = precis_query_build(text, &probe) > 0;
    precis_buf_release(&probe);
    if (!has_words || k == 0)
        return PRECIS_OK;
    char *extra = extra_terms(s, text);
    size_t dim = 0;
    float *q = query_vector(s, text, site_id, &dim);
    precis_result r;
    if (q) {
        s->mode = extra ? "hybrid+expansion" : "hybrid";
        r = hybrid(s, text, extra, site_id, q, dim, k, hits, n, err);
    } else {
        s->mode = extra ? "bm25+expansion" : "bm25";
        r = precis_index_search_terms(s->idx, text, extra, site_id, k, hits, n, err);
    }
    free(q);
    free(extra);
    return r;
}

precis_result precis_search(precis_index *idx, const precis_config *cfg, const char *text,
                            long long site_id, size_t k, precis_hit **hits, size_t *n,
                            precis_error *err)
{
    precis_searcher *s = precis_searcher_new(idx, cfg);
    precis_result r = precis_searcher_search(s, text, site_id, k, hits, n, err);
    precis_searcher_free(s);
    return r;
}
