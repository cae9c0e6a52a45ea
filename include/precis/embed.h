/* Embeddings over an OpenAI-compatible endpoint: POST base_url/embeddings with
 * {"model", "input": [...]}, answered by {"data": [{"index", "embedding": [...]}]}.
 * Requests run on the event loop (precis_loop), batched; vectors come back normalised. */
#ifndef PRECIS_EMBED_H
#define PRECIS_EMBED_H

#include <stddef.h>

#include "precis/error.h"
#include "precis/llm.h"
#include "precis/loop.h"

#define PRECIS_EMBED_BATCH 32        /* inputs per request */
#define PRECIS_EMBED_INPUT_MAX 2000  /* bytes of one input sent (cut at a character) */
#define PRECIS_EMBED_DIM_MAX 16384   /* a longer vector is a bad response */

/* One embeddings request in progress on a loop. */
typedef struct precis_embed_job precis_embed_job;

/* Receives the outcome: on success vecs holds n vectors of dim floats each, row i for
 * input i, each normalised to length 1 (the callee owns vecs and frees it); on failure
 * vecs is NULL and res says why in one line. The job is already freed. */
typedef void (*precis_embed_fn)(void *ctx, float *vecs, size_t n, size_t dim,
                                precis_llm_result *res);

/* Starts one request for texts[0..n) (n >= 1; each cut to PRECIS_EMBED_INPUT_MAX bytes, an
 * empty one sent as " ") with req's endpoint, key, headers, timeouts and model (the
 * embeddings model). req and res (initialised) must outlive the job; the texts are copied.
 * fn runs once unless the job is cancelled. */
precis_embed_job *precis_embed_start(precis_loop *loop, const precis_llm_request *req,
                                     const char *const *texts, size_t n, precis_llm_result *res,
                                     precis_embed_fn fn, void *ctx);

/* Stops a request at once and frees it; fn is not called. NULL-safe. */
void precis_embed_cancel(precis_embed_job *job);

/* Embeds texts[0..n) in batches of PRECIS_EMBED_BATCH, at most parallel (>= 1) requests at
 * once, on a loop of its own, stopping early when *cancel (may be NULL) becomes nonzero.
 * On success *vecs (n * *dim floats, normalised; the caller frees it) and PRECIS_OK; else
 * *vecs is NULL and err holds the first failure's one-line message (PRECIS_ERR_API, or
 * PRECIS_ERR_CANCELLED). */
precis_result precis_embed(const precis_llm_request *req, const char *const *texts, size_t n,
                           size_t parallel, const volatile sig_atomic_t *cancel, float **vecs,
                           size_t *dim, precis_error *err);

#endif
