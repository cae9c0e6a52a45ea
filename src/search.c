/* The searcher: what a search resolves once (the endpoints and keys), and the
 * synchronous search, which drives the asynchronous job (search_job.c) on a loop of its
 * own. */
#include "search_internal.h"

#include <stdlib.h>
#include <string.h>

#define CANCEL_CHECK_MS 100 /* how often the synchronous search looks at the cancel flag */

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

void precis_searcher_warn_once(bool *flag, const char *what, const char *msg, const char *then)
{
    if (*flag)
        return;
    *flag = true;
    precis_warn("%s: %s; %s", what, msg, then);
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

/* What the job on the private loop hands back. */
typedef struct sync_out {
    bool done;
    precis_result r;
    precis_hit *hits;
    size_t n;
    precis_error err;
} sync_out;

static void sync_done(void *ctx, precis_result r, precis_hit *hits, size_t n, precis_error *err)
{
    sync_out *o = ctx;
    o->done = true;
    o->r = r;
    o->hits = hits;
    o->n = n;
    if (r != PRECIS_OK)
        o->err = *err;
}

precis_result precis_searcher_search(precis_searcher *s, const char *text, long long site_id,
                                     size_t k, precis_hit **hits, size_t *n, precis_error *err)
{
    *hits = NULL;
    *n = 0;
    sync_out o;
    memset(&o, 0, sizeof o);
    precis_loop *loop = precis_loop_new();
    precis_search_job *job = precis_search_start(s, loop, text, site_id, k, sync_done, &o);
    while (!o.done) {
        precis_loop_step(loop, NULL, 0, CANCEL_CHECK_MS);
        if (!o.done && s->cancel && *s->cancel) {
            precis_search_cancel(job);
            o.r = precis_error_set(&o.err, PRECIS_ERR_CANCELLED, "search interrupted");
            break;
        }
    }
    precis_loop_free(loop);
    if (o.r != PRECIS_OK) {
        if (err)
            *err = o.err;
        return o.r;
    }
    *hits = o.hits;
    *n = o.n;
    return PRECIS_OK;
}

precis_result precis_search(precis_index *idx, const precis_config *cfg, const char *text,
                            long long site_id, size_t k, const volatile sig_atomic_t *cancel,
                            precis_hit **hits, size_t *n, precis_error *err)
{
    precis_searcher *s = precis_searcher_new(idx, cfg);
    s->cancel = cancel;
    precis_result r = precis_searcher_search(s, text, site_id, k, hits, n, err);
    precis_searcher_free(s);
    return r;
}
