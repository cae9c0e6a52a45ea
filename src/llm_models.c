/* GET /models: the ids a server offers, with the same errors as chat requests. */
#include "llm_internal.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct models_body {
    precis_buf buf;
    char location[512];
} models_body;

static size_t collect(char *data, size_t size, size_t nmemb, void *ctx)
{
    models_body *b = ctx;
    return precis_buf_append(&b->buf, data, size * nmemb) == PRECIS_OK ? size * nmemb : 0;
}

static size_t header(char *data, size_t size, size_t nmemb, void *ctx)
{
    models_body *b = ctx;
    size_t n = size * nmemb;
    if (n > 9 && strncasecmp(data, "location:", 9) == 0) {
        size_t s = 9, e = n;
        while (s < e && data[s] == ' ')
            s++;
        while (e > s && (data[e - 1] == '\r' || data[e - 1] == '\n'))
            e--;
        size_t m = e - s < sizeof b->location - 1 ? e - s : sizeof b->location - 1;
        memcpy(b->location, data + s, m);
        b->location[m] = '\0';
    }
    return n;
}

void precis_llm_models_free(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

struct precis_llm_models_job {
    precis_loop *loop;
    const precis_llm_request *req;
    precis_llm_result *res;
    precis_llm_models_fn fn;
    void *ctx;
    models_body b;
    precis_buf url;
    struct curl_slist *hdrs;
    char errbuf[CURL_ERROR_SIZE];
    CURL *e;
    double t0;
};

static void models_job_free(precis_llm_models_job *j)
{
    precis_loop_remove(j->loop, j->e);
    curl_easy_cleanup(j->e);
    curl_slist_free_all(j->hdrs);
    precis_buf_release(&j->url);
    precis_buf_release(&j->b.buf);
    free(j);
}

/* Turns the finished transfer into ids or a failure in res. */
static void models_parse(precis_llm_models_job *j, CURLcode rc, char ***ids, size_t *n)
{
    const precis_llm_request *req = j->req;
    precis_llm_result *res = j->res;
    models_body *b = &j->b;
    curl_easy_getinfo(j->e, CURLINFO_RESPONSE_CODE, &res->http_status);
    cJSON *root = NULL;
    if (rc != CURLE_OK) {
        precis_llm_fail(res, req, rc == CURLE_OPERATION_TIMEDOUT ? PRECIS_LLM_TIMEOUT_TOTAL : PRECIS_LLM_CONNECT,
                        j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
    } else if (res->http_status >= 300 && res->http_status < 400) {
        precis_buf d;
        precis_buf_init(&d, 0);
        precis_buf_printf(&d, "redirected to %s", b->location[0] ? b->location : "(no Location)");
        precis_llm_fail(res, req, PRECIS_LLM_REDIRECT, d.ptr);
        precis_buf_release(&d);
    } else if (res->http_status < 200 || res->http_status >= 300) {
        precis_llm_apierr err = {0};
        precis_llm_apierr_from_body(b->buf.ptr, b->buf.len, res->http_status, &err);
        err.status = res->http_status;
        precis_llm_fail(res, req, precis_llm_classify(&err), err.message);
        precis_llm_apierr_release(&err);
    } else {
        root = cJSON_ParseWithLength(b->buf.ptr, b->buf.len);
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
        if (!cJSON_IsArray(data)) {
            precis_llm_fail(res, req, PRECIS_LLM_BAD_RESPONSE, "the model list has no data array");
        } else {
            size_t cap = (size_t)cJSON_GetArraySize(data);
            *ids = precis_xcalloc(cap ? cap : 1, sizeof **ids);
            const cJSON *m;
            cJSON_ArrayForEach(m, data) {
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
                if (cJSON_IsString(id) && id->valuestring && *n < cap)
                    (*ids)[(*n)++] = precis_xstrdup(id->valuestring);
            }
            res->code = PRECIS_OK;
            res->cls = PRECIS_LLM_OK;
        }
    }
    cJSON_Delete(root);
    res->total_s = precis_llm_now() - j->t0;
}

static void models_done(void *ctx, CURL *easy, CURLcode rc)
{
    (void)easy;
    precis_llm_models_job *j = ctx;
    char **ids = NULL;
    size_t n = 0;
    models_parse(j, rc, &ids, &n);
    precis_llm_models_fn fn = j->fn;
    void *fctx = j->ctx;
    precis_llm_result *res = j->res;
    models_job_free(j);
    fn(fctx, ids, n, res);
}

precis_llm_models_job *precis_llm_models_start(precis_loop *loop, const precis_llm_request *req,
                                               precis_llm_result *res, precis_llm_models_fn fn,
                                               void *ctx)
{
    precis_llm_models_job *j = precis_xcalloc(1, sizeof *j);
    j->loop = loop;
    j->req = req;
    j->res = res;
    j->fn = fn;
    j->ctx = ctx;
    j->t0 = precis_llm_now();
    precis_buf_init(&j->b.buf, 64u << 20);
    precis_buf_init(&j->url, 0);
    precis_llm_build_url(req, "/models", &j->url);
    j->hdrs = precis_llm_headers(req, false, false);
    CURL *e = curl_easy_init();
    if (!e)
        precis_die("out of memory");
    j->e = e;
    curl_easy_setopt(e, CURLOPT_URL, j->url.ptr);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "precis/" PRECIS_VERSION);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &j->b);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &j->b);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    if (req->connect_timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    long total = req->max_time_ms > 0 && req->max_time_ms < 60000 ? req->max_time_ms : 60000;
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total);
    precis_loop_add(loop, e, models_done, j);
    return j;
}

void precis_llm_models_cancel(precis_llm_models_job *job)
{
    if (job)
        models_job_free(job);
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
