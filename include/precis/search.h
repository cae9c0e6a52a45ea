/* Searching an indexed site the same way everywhere (precis search, ask --site, chat
 * --site, serve): bm25, plus, when the configuration asks for them, the model's extra
 * search terms (search_expand) and hybrid retrieval (embeddings_model: the query's
 * vector against the sections' vectors, fused with bm25 by reciprocal rank fusion).
 * Neither ever fails a search: on any error the search is bm25 alone, with one warning
 * on stderr per searcher and cause. */
#ifndef PRECIS_SEARCH_H
#define PRECIS_SEARCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/config.h"
#include "precis/error.h"
#include "precis/index.h"
#include "precis/llm.h"
#include "precis/loop.h"
#include "precis/model.h"

#define PRECIS_SEARCH_DEPTH 100          /* each list RRF fuses */
#define PRECIS_SEARCH_EXPAND_MS 5000     /* the cap on asking for extra terms */
#define PRECIS_SEARCH_EMBED_MS 10000     /* the cap on embedding a query */

/* A search context: the index, the configuration and what was resolved from it (the
 * endpoint and key, once). */
typedef struct precis_searcher precis_searcher;

/* Creates a searcher over idx with cfg (both borrowed, must outlive it; cfg may be NULL:
 * bm25 only). Free with precis_searcher_free. */
precis_searcher *precis_searcher_new(precis_index *idx, const precis_config *cfg);

/* Frees the searcher (wiping the resolved key). NULL-safe. */
void precis_searcher_free(precis_searcher *s);

/* Sets a flag (may be NULL) that precis_searcher_search watches: nonzero stops its model
 * requests and ends the search as cancelled. */
void precis_searcher_set_cancel(precis_searcher *s, const volatile sig_atomic_t *cancel);

/* Returns the k best sections of site_id (0: every site) for text, as precis_index_search
 * does. With hybrid retrieval each hit's score is its fused score, sum of 1 / (60 + rank).
 * Drives the job below on a loop of its own until it ends; when the cancel flag becomes
 * nonzero meanwhile, stops the model requests and fails with PRECIS_ERR_CANCELLED. Fails
 * otherwise only as precis_index_search fails. */
precis_result precis_searcher_search(precis_searcher *s, const char *text, long long site_id,
                                     size_t k, precis_hit **hits, size_t *n, precis_error *err);

/* A search in progress on a caller's loop. */
typedef struct precis_search_job precis_search_job;

/* Receives the outcome of a search job: r and err as precis_searcher_search returns them
 * (err only read when r is not PRECIS_OK); hits[0..n) is the callee's, freed with
 * precis_hits_free. The job is already freed. */
typedef void (*precis_search_fn)(void *ctx, precis_result r, precis_hit *hits, size_t n,
                                 precis_error *err);

/* Starts a search of site_id for text on loop: the model's extra terms and the query's
 * vector, when the configuration asks for them, as transfers on loop (each under its cap,
 * each falling back to bm25 with one warning), then the index part when both are over. s
 * must outlive the job; text is copied. fn runs once, from a later precis_loop_step (never
 * inside this call), unless the job is cancelled. */
precis_search_job *precis_search_start(precis_searcher *s, precis_loop *loop, const char *text,
                                       long long site_id, size_t k, precis_search_fn fn,
                                       void *ctx);

/* Stops a search at once, closing its connections, and frees it; fn is not called.
 * NULL-safe; not for a job whose fn has run. */
void precis_search_cancel(precis_search_job *job);

/* Returns "bm25", "bm25+expansion", "hybrid" or "hybrid+expansion": what the last
 * search used. Static string. */
const char *precis_searcher_mode(const precis_searcher *s);

/* One search with a searcher of its own (for one-shot commands), stopped as cancelled when
 * *cancel (may be NULL) becomes nonzero while the model is asked. */
precis_result precis_search(precis_index *idx, const precis_config *cfg, const char *text,
                            long long site_id, size_t k, const volatile sig_atomic_t *cancel,
                            precis_hit **hits, size_t *n, precis_error *err);

/* --- the parts, for index time and for tests --- */

/* Resolves cfg's endpoint and key into m (release with precis_model_release, also after a
 * failure) and fills req for its embeddings_model (req borrows from m and cfg). Fails with
 * PRECIS_ERR_USAGE when no embeddings_model is set. */
precis_result precis_search_embed_endpoint(const precis_config *cfg, precis_model *m,
                                           precis_llm_request *req, precis_error *err);

/* Embeds the sections of site_id that have no vector for req->model yet (new or changed
 * since the last crawl, or all of them when the option was just turned on) and stores
 * their vectors. progress (may be NULL) is called after each stored batch with the count
 * so far and the count to do. *embedded counts what was stored, also after a failure (err
 * then says why in one line; what was stored is kept). */
precis_result precis_search_embed_site(precis_index *idx, const precis_llm_request *req,
                                       long long site_id, const volatile sig_atomic_t *cancel,
                                       void (*progress)(void *ctx, long done, long total),
                                       void *ctx, long *embedded, precis_error *err);

#endif
