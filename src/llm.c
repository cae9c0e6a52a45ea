/* The chat transfer engine: every request (one or many) runs on a curl multi loop with
 * its own idle/total timers, cancel flag, retries and stream state. */
#include "llm_internal.h"

#include "precis/loop.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RAW_CAP_ERROR (64u << 10)   /* error bodies and the head of a stream */
#define RAW_CAP_JSON (64u << 20)    /* a whole non-streamed answer */
#define SSE_EVENT_CAP (16u << 20)

enum { X_QUEUED, X_RUNNING, X_SLEEPING, X_DONE };

typedef struct xfer {
    struct precis_llm_pool *pool;
    int id;
    int state;
    const precis_llm_request *req;
    precis_llm_result *res;
    void (*on_done)(void *ctx, precis_llm_result *res);
    void *done_ctx;

    CURL *easy;
    struct curl_slist *hdrs;
    precis_buf url, body, raw;
    bool raw_full;
    precis_sse sse;
    precis_llm_stream st;
    bool live;                 /* sse and st hold an attempt's state */
    bool stream_stopped;       /* the stream asked to stop reading */
    bool sse_too_large;
    precis_llm_max_field max_field;
    bool fallback_used;
    long status;
    long retry_after_ms;
    char *location;
    char content_type[96];
    char curl_err[CURL_ERROR_SIZE];
    double t_start, last_byte, wake_at;
    long slept_ms;
    bool cancel_req, idle_fired, total_fired;
} xfer;

struct precis_llm_pool {
    precis_loop *loop;
    bool own_loop;
    int ticker;
    xfer **v;                  /* unfinished requests; finished ones are freed by the ticker */
    size_t n, cap;
    size_t max_parallel, running;
    int next_id;
};

double precis_llm_now(void)
{
    return precis_now();
}

void precis_llm_request_init(precis_llm_request *req)
{
    memset(req, 0, sizeof *req);
    req->stream = true;
    req->include_usage = true;
    req->connect_timeout_ms = 10000;
    req->idle_timeout_ms = 60000;
    req->max_time_ms = 600000;
    req->max_retries = 3;
    req->retry_base_ms = 1000;
    req->retry_max_sleep_ms = 60000;
    const char *e = getenv("PRECIS_RETRY_BASE_MS");
    if (e && *e) {
        char *end;
        long v = strtol(e, &end, 10);
        if (*end == '\0' && v >= 0)
            req->retry_base_ms = v;
    }
}

void precis_llm_result_init(precis_llm_result *res)
{
    memset(res, 0, sizeof *res);
    precis_buf_init(&res->text, 0);
    precis_buf_init(&res->reasoning, 0);
}

void precis_llm_result_release(precis_llm_result *res)
{
    if (!res)
        return;
    precis_buf_release(&res->text);
    precis_buf_release(&res->reasoning);
    free(res->finish_reason);
    free(res->model);
    free(res->provider_message);
    free(res->provider_code);
    precis_llm_result_init(res);
}

static struct curl_slist *add_header(struct curl_slist *l, const char *h)
{
    struct curl_slist *n = curl_slist_append(l, h);
    if (!n)
        precis_die("out of memory");
    return n;
}

struct curl_slist *precis_llm_headers(const precis_llm_request *req, bool post, bool stream)
{
    struct curl_slist *l = NULL;
    if (post) {
        l = add_header(l, "Content-Type: application/json");
        l = add_header(l, "Expect:");
    }
    l = add_header(l, stream ? "Accept: text/event-stream" : "Accept: application/json");
    if (req->api_key && *req->api_key && req->auth != PRECIS_LLM_AUTH_NONE) {
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "%s%s", req->auth == PRECIS_LLM_AUTH_API_KEY ? "api-key: " : "Authorization: Bearer ",
                          req->api_key);
        l = add_header(l, b.ptr);
        precis_buf_release(&b);
    }
    for (const char *const *h = req->headers; h && *h; h++)
        l = add_header(l, *h);
    return l;
}

/* ---- curl callbacks ---- */

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
    xfer *x = ctx;
    size_t n = size * nmemb;
    x->last_byte = precis_llm_now();
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) { /* a new response (e.g. after 100) */
        x->retry_after_ms = -1;
        x->content_type[0] = '\0';
        free(x->location);
        x->location = NULL;
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon)
        return n;
    size_t nl = (size_t)(colon - data);
    const char *v = colon + 1;
    size_t vl = n - nl - 1;
    while (vl > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        vl--;
    }
    while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
        vl--;
    long ra = precis_llm_retry_after_ms(data, nl, v, vl);
    if (ra >= 0 && (x->retry_after_ms < 0 || nl == 14)) /* retry-after-ms wins */
        x->retry_after_ms = ra;
    if (nl == 12 && strncasecmp(data, "content-type", 12) == 0) {
        size_t m = vl < sizeof x->content_type - 1 ? vl : sizeof x->content_type - 1;
        memcpy(x->content_type, v, m);
        x->content_type[m] = '\0';
    } else if (nl == 8 && strncasecmp(data, "location", 8) == 0) {
        free(x->location);
        x->location = precis_xstrndup(v, vl);
    }
    return n;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *ctx)
{
    xfer *x = ctx;
    size_t n = size * nmemb;
    double now = precis_llm_now();
    x->last_byte = now;
    if (x->res->ttfb_s == 0)
        x->res->ttfb_s = now - x->t_start;
    if (x->status == 0)
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
    bool sse = x->req->stream && x->status >= 200 && x->status < 300;
    size_t cap = !sse && x->status >= 200 && x->status < 300 ? RAW_CAP_JSON : RAW_CAP_ERROR;
    if (x->raw.len < cap) {
        size_t m = cap - x->raw.len < n ? cap - x->raw.len : n;
        precis_buf_append(&x->raw, data, m);
        if (m < n)
            x->raw_full = true;
    } else {
        x->raw_full = true;
    }
    if (!sse)
        return n;
    precis_result r = precis_sse_feed(&x->sse, data, n);
    if (r == PRECIS_ERR_CANCELLED) {
        x->stream_stopped = true;
        return 0;
    }
    if (r != PRECIS_OK) {
        x->sse_too_large = true;
        return 0;
    }
    return n;
}

/* Sets the flags that end a transfer early; returns true if it must stop. */
static bool must_stop(xfer *x)
{
    const precis_llm_request *req = x->req;
    double now = precis_llm_now();
    if (req->cancel && *req->cancel)
        x->cancel_req = true;
    if (!x->cancel_req && req->idle_timeout_ms > 0 && (now - x->last_byte) * 1000.0 > (double)req->idle_timeout_ms)
        x->idle_fired = true;
    if (req->max_time_ms > 0 && (now - x->t_start) * 1000.0 > (double)req->max_time_ms)
        x->total_fired = true;
    return x->cancel_req || x->idle_fired || x->total_fired;
}

static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    return must_stop(ctx) ? 1 : 0;
}

/* ---- attempts ---- */

static void release_attempt(xfer *x)
{
    if (x->easy) {
        precis_loop_remove(x->pool->loop, x->easy);
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
        x->pool->running--;
    }
    curl_slist_free_all(x->hdrs);
    x->hdrs = NULL;
    if (x->live) {
        precis_sse_release(&x->sse);
        precis_llm_stream_release(&x->st);
        x->live = false;
    }
}

static void finish(xfer *x)
{
    release_attempt(x);
    x->res->total_s = precis_llm_now() - x->t_start;
    precis_buf_release(&x->url);
    precis_buf_release(&x->body);
    precis_buf_release(&x->raw);
    free(x->location);
    x->location = NULL;
    x->state = X_DONE;
    if (x->on_done)
        x->on_done(x->done_ctx, x->res);
}

static void fail(xfer *x, precis_llm_class cls, const char *detail)
{
    precis_llm_fail(x->res, x->req, cls, detail);
    finish(x);
}

static void end_attempt(xfer *x, CURLcode rc);

static void on_easy_done(void *ctx, CURL *easy, CURLcode rc)
{
    (void)easy;
    xfer *x = ctx;
    if (x->state == X_RUNNING)
        end_attempt(x, rc);
}

static void start_attempt(xfer *x)
{
    const precis_llm_request *req = x->req;
    precis_llm_result *res = x->res;
    free(res->finish_reason);
    res->finish_reason = NULL;
    x->status = 0;
    x->retry_after_ms = -1;
    x->content_type[0] = '\0';
    x->stream_stopped = x->sse_too_large = x->raw_full = false;
    x->idle_fired = false;
    x->curl_err[0] = '\0';
    precis_buf_reset(&x->raw);
    precis_buf_reset(&x->url);
    precis_buf_reset(&x->body);
    precis_llm_build_url(req, "/chat/completions", &x->url);
    precis_llm_build_body(req, x->max_field, &x->body);
    precis_sse_init(&x->sse, precis_llm_stream_event, &x->st, SSE_EVENT_CAP);
    precis_llm_stream_init(&x->st, req, res, x->t_start);
    x->live = true;

    CURL *e = curl_easy_init();
    if (!e)
        precis_die("out of memory");
    x->easy = e;
    x->hdrs = precis_llm_headers(req, true, req->stream);
    curl_easy_setopt(e, CURLOPT_URL, x->url.ptr);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body.ptr);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body.len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "precis/" PRECIS_VERSION);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->curl_err);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
    if (req->connect_timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    if (req->max_time_ms > 0) {
        long left = req->max_time_ms - (long)((precis_llm_now() - x->t_start) * 1000.0);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left > 1 ? left : 1L);
    }
    x->last_byte = precis_llm_now();
    precis_loop_add(x->pool->loop, e, on_easy_done, x);
    x->pool->running++;
    x->state = X_RUNNING;
}

/* Either schedules another attempt (true) or leaves the failure to the caller (false). */
static bool maybe_retry(xfer *x, precis_llm_class cls, long status)
{
    const precis_llm_request *req = x->req;
    if (x->res->retries >= req->max_retries || !precis_llm_should_retry(cls, status, x->st.delivered))
        return false;
    long delay = precis_llm_backoff_ms(req->retry_base_ms, x->res->retries + 1, x->retry_after_ms);
    if (x->slept_ms + delay > req->retry_max_sleep_ms)
        return false;
    double now = precis_llm_now();
    if (req->max_time_ms > 0 && (now - x->t_start) * 1000.0 + (double)delay >= (double)req->max_time_ms)
        return false;
    release_attempt(x);
    x->slept_ms += delay;
    x->res->retries++;
    x->wake_at = now + (double)delay / 1000.0;
    x->state = X_SLEEPING;
    return true;
}

/* Copies s with every occurrence of key replaced (the key must never be shown). */
static char *redact(const char *s, const char *key)
{
    size_t klen = key ? strlen(key) : 0;
    precis_buf b;
    precis_buf_init(&b, 0);
    while (*s) {
        if (klen >= 4 && strncmp(s, key, klen) == 0) {
            precis_buf_puts(&b, "[redacted]");
            s += klen;
        } else {
            precis_buf_putc(&b, *s++);
        }
    }
    return precis_buf_detach(&b);
}

static void set_provider(const precis_llm_request *req, precis_llm_result *res, const precis_llm_apierr *e)
{
    free(res->provider_message);
    free(res->provider_code);
    res->provider_message = e->message ? redact(e->message, req->api_key) : NULL;
    res->provider_code = e->code ? precis_xstrdup(e->code) : e->type ? precis_xstrdup(e->type) : NULL;
}

/* Ends an attempt that failed with an API error e (HTTP or in-stream). */
static void api_failure(xfer *x, const precis_llm_apierr *e)
{
    set_provider(x->req, x->res, e);
    precis_llm_class cls = precis_llm_classify(e);
    if (!x->fallback_used && !x->st.delivered) {
        precis_llm_max_field other = precis_llm_param_fallback(e, e->status, x->max_field);
        if (other != x->max_field) {
            x->fallback_used = true;
            x->max_field = other;
            release_attempt(x);
            x->res->retries++;
            x->wake_at = precis_llm_now();
            x->state = X_SLEEPING;
            return;
        }
    }
    if (maybe_retry(x, cls, e->status))
        return;
    fail(x, cls, e->message);
}

static void dropped(xfer *x, CURLcode rc)
{
    precis_buf d;
    precis_buf_init(&d, 0);
    bool before = x->st.events == 0 && !x->st.delivered;
    precis_buf_printf(&d, "%s (%s)", before ? "the connection dropped before the answer" : "the answer stream was cut off",
                      x->curl_err[0] ? x->curl_err : curl_easy_strerror(rc));
    precis_llm_class cls = before ? PRECIS_LLM_CONNECT : PRECIS_LLM_TRUNCATED;
    if (!maybe_retry(x, cls, x->status))
        fail(x, cls, d.ptr);
    precis_buf_release(&d);
}

static void success_or_empty(xfer *x)
{
    precis_llm_result *res = x->res;
    precis_llm_stream_flush(&x->st);
    if (res->finish_reason && strcmp(res->finish_reason, "length") == 0)
        res->truncated = true;
    if (res->text.len == 0) {
        precis_buf d;
        precis_buf_init(&d, 0);
        precis_buf_printf(&d, "the answer was empty (finish_reason %s)",
                          res->finish_reason ? res->finish_reason : "none");
        fail(x, PRECIS_LLM_EMPTY, d.ptr);
        precis_buf_release(&d);
        return;
    }
    res->cls = PRECIS_LLM_OK;
    res->code = PRECIS_OK;
    precis_error_clear(&res->err);
    free(res->provider_message);
    free(res->provider_code);
    res->provider_message = res->provider_code = NULL;
    finish(x);
}

/* A 2xx answer that is not an event stream: maybe JSON (an error, or a whole answer). */
static void not_a_stream(xfer *x)
{
    const char *p = x->raw.ptr;
    size_t n = x->raw.len;
    if (!x->raw_full && precis_llm_stream_json_body(&x->st, p, n)) {
        if (x->st.err.present)
            api_failure(x, &x->st.err);
        else
            success_or_empty(x);
        return;
    }
    precis_llm_apierr e = {0};
    precis_llm_apierr_from_body(p, n, x->status, &e);
    precis_buf d;
    precis_buf_init(&d, 0);
    precis_buf_printf(&d, "expected an event stream but got %s: %s",
                      x->content_type[0] ? x->content_type : "no content type", e.message);
    fail(x, PRECIS_LLM_BAD_RESPONSE, d.ptr);
    precis_buf_release(&d);
    precis_llm_apierr_release(&e);
}

static void end_attempt(xfer *x, CURLcode rc)
{
    const precis_llm_request *req = x->req;
    precis_llm_result *res = x->res;
    long status = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status)
        x->status = status;
    res->http_status = x->status;
    if (rc == CURLE_OK && req->stream && x->status >= 200 && x->status < 300 && !x->stream_stopped) {
        if (precis_sse_finish(&x->sse) == PRECIS_ERR_CANCELLED)
            x->stream_stopped = true;
    }
    if (x->cancel_req || x->st.cancelled) {
        precis_llm_stream_flush(&x->st);
        fail(x, PRECIS_LLM_CANCELLED, NULL);
        return;
    }
    if (x->idle_fired) {
        precis_buf d;
        precis_buf_init(&d, 0);
        precis_buf_printf(&d, "no data from the server for %.1f s", (double)req->idle_timeout_ms / 1000.0);
        fail(x, PRECIS_LLM_TIMEOUT_IDLE, d.ptr);
        precis_buf_release(&d);
        return;
    }
    if (x->total_fired || rc == CURLE_OPERATION_TIMEDOUT) {
        curl_off_t connect = 0;
        curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect);
        precis_buf d;
        precis_buf_init(&d, 0);
        if (connect == 0 && x->status == 0 && !x->total_fired) {
            precis_buf_printf(&d, "could not connect within %.1f s", (double)req->connect_timeout_ms / 1000.0);
            if (!maybe_retry(x, PRECIS_LLM_CONNECT, 0))
                fail(x, PRECIS_LLM_CONNECT, d.ptr);
        } else {
            precis_buf_printf(&d, "no complete answer within %.1f s", (double)req->max_time_ms / 1000.0);
            fail(x, PRECIS_LLM_TIMEOUT_TOTAL, d.ptr);
        }
        precis_buf_release(&d);
        return;
    }
    if (x->status == 0) {
        const char *why = x->curl_err[0] ? x->curl_err : curl_easy_strerror(rc);
        if (!maybe_retry(x, PRECIS_LLM_CONNECT, 0))
            fail(x, PRECIS_LLM_CONNECT, why);
        return;
    }
    if (x->status >= 300 && x->status < 400) {
        precis_buf d;
        precis_buf_init(&d, 0);
        precis_buf_printf(&d, "redirected to %s", x->location ? x->location : "(no Location)");
        fail(x, PRECIS_LLM_REDIRECT, d.ptr);
        precis_buf_release(&d);
        return;
    }
    if (x->status < 200 || x->status >= 300) {
        precis_llm_apierr e = {0};
        precis_llm_apierr_from_body(x->raw.ptr, x->raw.len, x->status, &e);
        e.status = x->status; /* the HTTP status beats a code in the body */
        api_failure(x, &e);
        precis_llm_apierr_release(&e);
        return;
    }
    if (x->sse_too_large) {
        fail(x, PRECIS_LLM_BAD_RESPONSE, "an event was larger than 16 MiB");
        return;
    }
    if (!req->stream) {
        if (rc != CURLE_OK) {
            dropped(x, rc);
            return;
        }
        not_a_stream(x);
        return;
    }
    if (x->st.err.present) {
        precis_llm_apierr e = x->st.err;
        memset(&x->st.err, 0, sizeof x->st.err);
        precis_llm_stream_flush(&x->st);
        api_failure(x, &e);
        precis_llm_apierr_release(&e);
        return;
    }
    bool clean = rc == CURLE_OK || x->stream_stopped;
    if (x->st.done || res->finish_reason) { /* after a finish_reason the answer is whole */
        success_or_empty(x);
        return;
    }
    if (x->st.events == 0 && clean && x->sse.events == 0) {
        not_a_stream(x);
        return;
    }
    if (!clean) {
        dropped(x, rc);
        return;
    }
    precis_llm_stream_flush(&x->st);
    fail(x, PRECIS_LLM_TRUNCATED, "the stream ended before the answer was complete");
}

/* ---- the pool ---- */

/* Starts what may start, stops what must stop; returns unfinished count and next wake. */
static size_t schedule(precis_llm_pool *pool, double *next_wake)
{
    double now = precis_llm_now();
    size_t unfinished = 0;
    *next_wake = 0;
    for (size_t i = 0; i < pool->n; i++) {
        xfer *x = pool->v[i];
        if (x->state == X_RUNNING && must_stop(x))
            end_attempt(x, CURLE_ABORTED_BY_CALLBACK);
        if (x->state == X_SLEEPING) {
            if (x->req->cancel && *x->req->cancel)
                fail(x, PRECIS_LLM_CANCELLED, NULL);
            else if (x->wake_at <= now && (!pool->max_parallel || pool->running < pool->max_parallel))
                start_attempt(x);
            else if (!*next_wake || x->wake_at < *next_wake)
                *next_wake = x->wake_at;
        }
        if (x->state == X_QUEUED && (!pool->max_parallel || pool->running < pool->max_parallel))
            start_attempt(x);
        if (x->state != X_DONE)
            unfinished++;
    }
    return unfinished;
}

/* Frees the records of finished requests (their results belong to the callers). */
static void reap(precis_llm_pool *pool)
{
    size_t k = 0;
    for (size_t i = 0; i < pool->n; i++) {
        if (pool->v[i]->state == X_DONE)
            free(pool->v[i]);
        else
            pool->v[k++] = pool->v[i];
    }
    pool->n = k;
}

static long pool_tick(void *ctx)
{
    precis_llm_pool *pool = ctx;
    double wake;
    schedule(pool, &wake);
    reap(pool);
    if (pool->running > 0)
        return 50; /* the idle/total timers and the cancel flag are checked this often */
    if (wake > 0) {
        double ms = (wake - precis_llm_now()) * 1000.0;
        return ms < 0 ? 0 : (long)ms + 1;
    }
    return -1;
}

precis_llm_pool *precis_llm_pool_new_on(precis_loop *loop, size_t max_parallel)
{
    precis_llm_pool *p = precis_xcalloc(1, sizeof *p);
    p->loop = loop;
    p->max_parallel = max_parallel;
    p->ticker = precis_loop_ticker_add(loop, pool_tick, p);
    return p;
}

precis_llm_pool *precis_llm_pool_new(size_t max_parallel)
{
    precis_llm_pool *p = precis_llm_pool_new_on(precis_loop_new(), max_parallel);
    p->own_loop = true;
    return p;
}

int precis_llm_pool_add(precis_llm_pool *pool, const precis_llm_request *req,
                        precis_llm_result *res,
                        void (*on_done)(void *ctx, precis_llm_result *res), void *done_ctx)
{
    if (pool->n == pool->cap) {
        pool->cap = pool->cap ? pool->cap * 2 : 8;
        pool->v = precis_xrealloc(pool->v, pool->cap * sizeof *pool->v);
    }
    xfer *x = precis_xcalloc(1, sizeof *x);
    x->pool = pool;
    x->id = ++pool->next_id;
    x->req = req;
    x->res = res;
    x->on_done = on_done;
    x->done_ctx = done_ctx;
    x->max_field = req->max_field;
    x->retry_after_ms = -1;
    x->t_start = precis_llm_now();
    precis_buf_init(&x->url, 0);
    precis_buf_init(&x->body, 0);
    precis_buf_init(&x->raw, 0);
    x->state = X_QUEUED;
    pool->v[pool->n++] = x;
    return x->id;
}

void precis_llm_pool_cancel(precis_llm_pool *pool, int id)
{
    for (size_t i = 0; i < pool->n; i++) {
        xfer *x = pool->v[i];
        if (x->id != id)
            continue;
        if (x->state == X_RUNNING) {
            x->cancel_req = true;
            end_attempt(x, CURLE_ABORTED_BY_CALLBACK); /* closes the connection now */
        } else if (x->state == X_QUEUED || x->state == X_SLEEPING) {
            fail(x, PRECIS_LLM_CANCELLED, NULL);
        }
    }
}

size_t precis_llm_pool_unfinished(const precis_llm_pool *pool)
{
    size_t n = 0;
    for (size_t i = 0; i < pool->n; i++)
        n += pool->v[i]->state != X_DONE;
    return n;
}

size_t precis_llm_pool_step(precis_llm_pool *pool, const int *fds, size_t nfds, int timeout_ms)
{
    precis_loop_fd w[16];
    size_t nw = nfds < 16 ? nfds : 16;
    for (size_t i = 0; i < nw; i++)
        w[i] = (precis_loop_fd){fds[i], false};
    if (precis_llm_pool_unfinished(pool) == 0 && nw == 0)
        return 0;
    precis_loop_step(pool->loop, w, nw, timeout_ms);
    return precis_llm_pool_unfinished(pool);
}

void precis_llm_pool_free(precis_llm_pool *pool)
{
    if (!pool)
        return;
    for (size_t i = 0; i < pool->n; i++) {
        xfer *x = pool->v[i];
        if (x->state != X_DONE) {
            x->on_done = NULL;
            fail(x, PRECIS_LLM_CANCELLED, NULL);
        }
        free(x);
    }
    free(pool->v);
    precis_loop_ticker_remove(pool->loop, pool->ticker);
    if (pool->own_loop)
        precis_loop_free(pool->loop);
    free(pool);
}

precis_result precis_llm_chat(const precis_llm_request *req, precis_llm_result *res)
{
    return precis_llm_chat_many(req, res, 1, 1);
}

precis_result precis_llm_chat_many(const precis_llm_request *reqs, precis_llm_result *results,
                                   size_t n, size_t max_parallel)
{
    precis_llm_pool *pool = precis_llm_pool_new(max_parallel);
    for (size_t i = 0; i < n; i++)
        precis_llm_pool_add(pool, &reqs[i], &results[i], NULL, NULL);
    while (precis_llm_pool_step(pool, NULL, 0, 1000) > 0)
        ;
    precis_llm_pool_free(pool);
    for (size_t i = 0; i < n; i++)
        if (results[i].code != PRECIS_OK)
            return results[i].code;
    return PRECIS_OK;
}
