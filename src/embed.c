/* The embeddings client: one POST /embeddings per batch on the event loop, the answer
 * checked (count, index, one dimension) and normalised. */
#include "precis/embed.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "llm_internal.h"
#include "precis/vectors.h"

struct precis_embed_job {
    precis_llm_json_job *json;
    const precis_llm_request *req;
    size_t n;
    precis_embed_fn fn;
    void *ctx;
};

/* Appends text as one JSON input: at most PRECIS_EMBED_INPUT_MAX bytes, cut before a
 * UTF-8 continuation byte; never empty (servers refuse ""). */
static void add_input(cJSON *arr, const char *text)
{
    size_t len = text ? strlen(text) : 0;
    if (len > PRECIS_EMBED_INPUT_MAX) {
        len = PRECIS_EMBED_INPUT_MAX;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    char *s = precis_xstrndup(len ? text : " ", len ? len : 1);
    cJSON_AddItemToArray(arr, cJSON_CreateString(s));
    free(s);
}

/* Reads the vectors of a 2xx answer into a new array (NULL and res failed when the
 * answer is not n vectors of one dimension). */
static float *read_vectors(const precis_embed_job *j, const cJSON *root, size_t *dim,
                           precis_llm_result *res)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    const char *why = NULL;
    float *v = NULL;
    *dim = 0;
    if (!cJSON_IsArray(data) || (size_t)cJSON_GetArraySize(data) != j->n) {
        why = "the embeddings answer does not hold one vector per input";
        goto out;
    }
    bool *seen = precis_xcalloc(j->n, sizeof *seen);
    const cJSON *item;
    size_t pos = 0;
    cJSON_ArrayForEach(item, data) {
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(item, "index");
        const cJSON *emb = cJSON_GetObjectItemCaseSensitive(item, "embedding");
        size_t i = cJSON_IsNumber(idx) ? (size_t)idx->valuedouble : pos;
        pos++;
        if (!cJSON_IsArray(emb) || i >= j->n || seen[i]) {
            why = "an embedding in the answer is not an array of numbers with a valid index";
            break;
        }
        size_t d = (size_t)cJSON_GetArraySize(emb);
        if (!v) {
            if (d == 0 || d > PRECIS_EMBED_DIM_MAX) {
                why = "the embeddings have no or too many dimensions";
                break;
            }
            *dim = d;
            v = precis_xcalloc(j->n * d, sizeof *v);
        } else if (d != *dim) {
            why = "the embeddings in the answer differ in dimension";
            break;
        }
        seen[i] = true;
        size_t k = 0;
        const cJSON *x;
        cJSON_ArrayForEach(x, emb) {
            if (!cJSON_IsNumber(x)) {
                why = "an embedding holds something other than numbers";
                break;
            }
            v[i * d + k++] = (float)x->valuedouble;
        }
        if (why)
            break;
        if (!precis_vec_normalise(&v[i * d], d)) { /* a zero vector: keep it, it matches nothing */
            memset(&v[i * d], 0, d * sizeof *v);
        }
    }
    free(seen);
out:
    if (why) {
        free(v);
        v = NULL;
        precis_llm_fail(res, j->req, PRECIS_LLM_BAD_RESPONSE, why);
    }
    return v;
}

static void embed_done(void *ctx, const cJSON *root, precis_llm_result *res)
{
    precis_embed_job *j = ctx;
    size_t dim = 0;
    float *v = root ? read_vectors(j, root, &dim, res) : NULL;
    precis_embed_fn fn = j->fn;
    void *fctx = j->ctx;
    size_t n = j->n;
    free(j);
    fn(fctx, v, v ? n : 0, dim, res);
}

precis_embed_job *precis_embed_start(precis_loop *loop, const precis_llm_request *req,
                                     const char *const *texts, size_t n, precis_llm_result *res,
                                     precis_embed_fn fn, void *ctx)
{
    precis_embed_job *j = precis_xcalloc(1, sizeof *j);
    j->req = req;
    j->n = n;
    j->fn = fn;
    j->ctx = ctx;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "model", req->model ? req->model : "");
    cJSON *input = cJSON_AddArrayToObject(body, "input");
    for (size_t i = 0; i < n; i++)
        add_input(input, texts[i]);
    char *text = cJSON_PrintUnformatted(body);
    if (!text)
        precis_die("out of memory");
    cJSON_Delete(body);
    j->json = precis_llm_json_start(loop, req, "/embeddings", text, res, embed_done, j);
    cJSON_free(text);
    return j;
}

void precis_embed_cancel(precis_embed_job *job)
{
    if (!job)
        return;
    precis_llm_json_cancel(job->json);
    free(job);
}

/* ---- many batches, synchronously ---- */

typedef struct batch {
    struct embed_all *all;
    size_t first, n;
    precis_llm_result res;
    precis_embed_job *job; /* NULL when not running */
} batch;

typedef struct embed_all {
    const precis_llm_request *req;
    const char *const *texts;
    float *vecs;
    size_t n, dim;
    size_t running, done;
    bool failed;
    precis_error err;
} embed_all;

static void batch_done(void *ctx, float *v, size_t n, size_t dim, precis_llm_result *res)
{
    batch *b = ctx;
    embed_all *a = b->all;
    b->job = NULL;
    a->running--;
    a->done++;
    if (a->failed) {
        free(v);
        return;
    }
    if (!v) {
        a->failed = true;
        precis_error_set(&a->err, PRECIS_ERR_API, "%s", res->err.msg[0] ? res->err.msg
                                                                       : "embeddings failed");
        return;
    }
    if (!a->vecs) {
        a->dim = dim;
        a->vecs = precis_xcalloc(a->n * dim, sizeof *a->vecs);
    }
    if (dim != a->dim) {
        a->failed = true;
        precis_error_set(&a->err, PRECIS_ERR_API,
                         "embeddings: the endpoint answered vectors of %zu and %zu dimensions",
                         a->dim, dim);
        free(v);
        return;
    }
    (void)n;
    memcpy(a->vecs + b->first * dim, v, b->n * dim * sizeof *v);
    free(v);
}

precis_result precis_embed(const precis_llm_request *req, const char *const *texts, size_t n,
                           size_t parallel, const volatile sig_atomic_t *cancel, float **vecs,
                           size_t *dim, precis_error *err)
{
    *vecs = NULL;
    *dim = 0;
    if (n == 0)
        return PRECIS_OK;
    if (parallel < 1)
        parallel = 1;
    size_t nb = (n + PRECIS_EMBED_BATCH - 1) / PRECIS_EMBED_BATCH;
    batch *bs = precis_xcalloc(nb, sizeof *bs);
    embed_all a;
    memset(&a, 0, sizeof a);
    a.req = req;
    a.texts = texts;
    a.n = n;
    precis_error_clear(&a.err);
    precis_loop *loop = precis_loop_new();
    size_t next = 0;
    bool stopped = false;
    while (a.done < next || (next < nb && !a.failed && !stopped)) {
        stopped = stopped || (cancel && *cancel);
        while (!a.failed && !stopped && next < nb && a.running < parallel) {
            batch *b = &bs[next];
            b->all = &a;
            b->first = next * PRECIS_EMBED_BATCH;
            b->n = n - b->first < PRECIS_EMBED_BATCH ? n - b->first : PRECIS_EMBED_BATCH;
            precis_llm_result_init(&b->res);
            a.running++;
            next++;
            b->job = precis_embed_start(loop, req, texts + b->first, b->n, &b->res, batch_done, b);
        }
        if (a.running == 0)
            break;
        if (stopped || a.failed) {
            for (size_t i = 0; i < next; i++)
                if (bs[i].job) {
                    precis_embed_cancel(bs[i].job);
                    bs[i].job = NULL;
                    a.running--;
                    a.done++;
                }
            break;
        }
        precis_loop_step(loop, NULL, 0, 200);
    }
    for (size_t i = 0; i < next; i++)
        precis_llm_result_release(&bs[i].res);
    precis_loop_free(loop);
    free(bs);
    if (!a.failed && stopped) {
        a.failed = true;
        precis_error_set(&a.err, PRECIS_ERR_CANCELLED, "embeddings: interrupted");
    }
    if (a.failed) {
        free(a.vecs);
        if (err)
            *err = a.err;
        return a.err.code ? a.err.code : PRECIS_ERR_API;
    }
    *vecs = a.vecs;
    *dim = a.dim;
    return PRECIS_OK;
}
