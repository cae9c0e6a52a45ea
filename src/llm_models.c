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

precis_result precis_llm_models(const precis_llm_request *req, char ***ids, size_t *n,
                                precis_llm_result *res)
{
    *ids = NULL;
    *n = 0;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    double t0 = precis_llm_now();
    models_body b;
    memset(&b, 0, sizeof b);
    precis_buf_init(&b.buf, 64u << 20);
    precis_buf url;
    precis_buf_init(&url, 0);
    precis_llm_build_url(req, "/models", &url);
    struct curl_slist *hdrs = precis_llm_headers(req, false, false);
    char errbuf[CURL_ERROR_SIZE] = "";
    CURL *e = curl_easy_init();
    if (!e)
        precis_die("out of memory");
    curl_easy_setopt(e, CURLOPT_URL, url.ptr);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "precis/" PRECIS_VERSION);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &b);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    if (req->connect_timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    long total = req->max_time_ms > 0 && req->max_time_ms < 60000 ? req->max_time_ms : 60000;
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total);
    CURLcode rc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &res->http_status);
    curl_easy_cleanup(e);
    curl_slist_free_all(hdrs);
    precis_buf_release(&url);

    cJSON *root = NULL;
    if (rc != CURLE_OK) {
        precis_llm_fail(res, req, rc == CURLE_OPERATION_TIMEDOUT ? PRECIS_LLM_TIMEOUT_TOTAL : PRECIS_LLM_CONNECT,
                        errbuf[0] ? errbuf : curl_easy_strerror(rc));
    } else if (res->http_status >= 300 && res->http_status < 400) {
        precis_buf d;
        precis_buf_init(&d, 0);
        precis_buf_printf(&d, "redirected to %s", b.location[0] ? b.location : "(no Location)");
        precis_llm_fail(res, req, PRECIS_LLM_REDIRECT, d.ptr);
        precis_buf_release(&d);
    } else if (res->http_status < 200 || res->http_status >= 300) {
        precis_llm_apierr err = {0};
        precis_llm_apierr_from_body(b.buf.ptr, b.buf.len, res->http_status, &err);
        err.status = res->http_status;
        precis_llm_fail(res, req, precis_llm_classify(&err), err.message);
        precis_llm_apierr_release(&err);
    } else {
        root = cJSON_ParseWithLength(b.buf.ptr, b.buf.len);
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
    precis_buf_release(&b.buf);
    res->total_s = precis_llm_now() - t0;
    return res->code;
}
