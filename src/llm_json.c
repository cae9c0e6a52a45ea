/* One non-streamed JSON exchange with the endpoint (GET /models, POST /embeddings): the
 * transfer on a loop, the body collected, and the same error classes as chat requests. */
#include "llm_internal.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct precis_llm_json_job {
    precis_loop *loop;
    const precis_llm_request *req;
    precis_llm_result *res;
    precis_llm_json_fn fn;
    void *ctx;
    precis_buf body;     /* the response */
    precis_buf url;
    char *post;          /* the request body, or NULL for GET */
    char location[512];
    struct curl_slist *hdrs;
    char errbuf[CURL_ERROR_SIZE];
    CURL *e;
    double t0;
};

static size_t collect(char *data, size_t size, size_t nmemb, void *ctx)
{
    precis_llm_json_job *j = ctx;
    return precis_buf_append(&j->body, data, size * nmemb) == PRECIS_OK ? size * nmemb : 0;
}

static size_t header(char *data, size_t size, size_t nmemb, void *ctx)
{
    precis_llm_json_job *j = ctx;
    size_t n = size * nmemb;
    if (n > 9 && strncasecmp(data, "location:", 9) == 0) {
        size_t s = 9, e = n;
        while (s < e && data[s] == ' ')
            s++;
        while (e > s && (data[e - 1] == '\r' || data[e - 1] == '\n'))
            e--;
        size_t m = e - s < sizeof j->location - 1 ? e - s : sizeof j->location - 1;
        memcpy(j->location, data + s, m);
        j->location[m] = '\0';
    }
    return n;
}

static void job_free(precis_llm_json_job *j)
{
    precis_loop_remove(j->loop, j->e);
    curl_easy_cleanup(j->e);
    curl_slist_free_all(j->hdrs);
    precis_buf_release(&j->url);
    precis_buf_release(&j->body);
    free(j->post);
    free(j);
}

/* Turns the finished transfer into a parsed 2xx body (returned) or a failure in res. */
static cJSON *parse(precis_llm_json_job *j, CURLcode rc)
{
    const precis_llm_request *req = j->req;
    precis_llm_result *res = j->res;
    curl_easy_getinfo(j->e, CURLINFO_RESPONSE_CODE, &res->http_status);
    cJSON *root = NULL;
    if (rc != CURLE_OK) {
        precis_llm_fail(res, req,
                        rc == CURLE_OPERATION_TIMEDOUT ? PRECIS_LLM_TIMEOUT_TOTAL
                                                       : PRECIS_LLM_CONNECT,
                        j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
    } else if (res->http_status >= 300 && res->http_status < 400) {
        precis_buf d;
        precis_buf_init(&d, 0);
        precis_buf_printf(&d, "redirected to %s", j->location[0] ? j->location : "(no Location)");
        precis_llm_fail(res, req, PRECIS_LLM_REDIRECT, d.ptr);
        precis_buf_release(&d);
    } else if (res->http_status < 200 || res->http_status >= 300) {
        precis_llm_apierr err = {0};
        precis_llm_apierr_from_body(j->body.ptr, j->body.len, res->http_status, &err);
        err.status = res->http_status;
        precis_llm_fail(res, req, precis_llm_classify(&err), err.message);
        precis_llm_apierr_release(&err);
    } else {
        root = cJSON_ParseWithLength(j->body.ptr, j->body.len);
        if (!cJSON_IsObject(root)) {
            cJSON_Delete(root);
            root = NULL;
            precis_llm_fail(res, req, PRECIS_LLM_BAD_RESPONSE, "the answer is not a JSON object");
        } else {
            res->code = PRECIS_OK;
            res->cls = PRECIS_LLM_OK;
        }
    }
    res->total_s = precis_llm_now() - j->t0;
    return root;
}

static void done(void *ctx, CURL *easy, CURLcode rc)
{
    (void)easy;
    precis_llm_json_job *j = ctx;
    cJSON *root = parse(j, rc);
    precis_llm_json_fn fn = j->fn;
    void *fctx = j->ctx;
    precis_llm_result *res = j->res;
    job_free(j);
    fn(fctx, root, res);
    cJSON_Delete(root);
}

precis_llm_json_job *precis_llm_json_start(precis_loop *loop, const precis_llm_request *req,
                                           const char *path, const char *post,
                                           precis_llm_result *res, precis_llm_json_fn fn,
                                           void *ctx)
{
    precis_llm_json_job *j = precis_xcalloc(1, sizeof *j);
    j->loop = loop;
    j->req = req;
    j->res = res;
    j->fn = fn;
    j->ctx = ctx;
    j->t0 = precis_llm_now();
    j->post = post ? precis_xstrdup(post) : NULL;
    precis_buf_init(&j->body, 64u << 20);
    precis_buf_init(&j->url, 0);
    precis_llm_build_url(req, path, &j->url);
    j->hdrs = precis_llm_headers(req, post != NULL, false);
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
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    if (j->post) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->post);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(j->post));
    }
    if (req->connect_timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    long total = req->max_time_ms > 0 && req->max_time_ms < 60000 ? req->max_time_ms : 60000;
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total);
    precis_loop_add(loop, e, done, j);
    return j;
}

void precis_llm_json_cancel(precis_llm_json_job *job)
{
    if (job)
        job_free(job);
}
