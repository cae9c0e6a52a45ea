/* GET /models: the ids a server offers, with the same errors as chat requests. */
#include "llm_internal.h"

#include <stdlib.h>
#include <string.h>

void precis_llm_models_free(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

struct precis_llm_models_job {
    precis_llm_json_job *json;
    const precis_llm_request *req;
    precis_llm_models_fn fn;
    void *ctx;
};

static void models_done(void *ctx, const cJSON *root, precis_llm_result *res)
{
    precis_llm_models_job *j = ctx;
    char **ids = NULL;
    size_t n = 0;
    if (root) {
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
        if (!cJSON_IsArray(data)) {
            precis_llm_fail(res, j->req, PRECIS_LLM_BAD_RESPONSE,
                            "the model list has no data array");
        } else {
            size_t cap = (size_t)cJSON_GetArraySize(data);
            ids = precis_xcalloc(cap ? cap : 1, sizeof *ids);
            const cJSON *m;
            cJSON_ArrayForEach(m, data) {
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
                if (cJSON_IsString(id) && id->valuestring && n < cap)
                    ids[n++] = precis_xstrdup(id->valuestring);
            }
        }
    }
    precis_llm_models_fn fn = j->fn;
    void *fctx = j->ctx;
    free(j);
    fn(fctx, ids, n, res);
}

precis_llm_models_job *precis_llm_models_start(precis_loop *loop, const precis_llm_request *req,
                                               precis_llm_result *res, precis_llm_models_fn fn,
                                               void *ctx)
{
    precis_llm_models_job *j = precis_xcalloc(1, sizeof *j);
    j->req = req;
    j->fn = fn;
    j->ctx = ctx;
    j->json = precis_llm_json_start(loop, req, "/models", NULL, res, models_done, j);
    return j;
}

void precis_llm_models_cancel(precis_llm_models_job *job)
{
    if (!job)
        return;
    precis_llm_json_cancel(job->json);
    free(job);
}

typedef struct sync_models {
    bool done;
    char **ids;
    size_t n;
} sync_models;

static void sync_models_done(void *ctx, char **ids, size_t n, precis_llm_result *res)
{
    (void)res;
    sync_models *s = ctx;
    s->done = true;
    s->ids = ids;
    s->n = n;
}

precis_result precis_llm_models(const precis_llm_request *req, char ***ids, size_t *n,
                                precis_llm_result *res)
{
    precis_loop *loop = precis_loop_new();
    sync_models s = {false, NULL, 0};
    precis_llm_models_start(loop, req, res, sync_models_done, &s);
    while (!s.done)
        precis_loop_step(loop, NULL, 0, 1000);
    precis_loop_free(loop);
    *ids = s.ids;
    *n = s.n;
    return res->code;
}
