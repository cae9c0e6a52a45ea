/* HTTP(S) fetching with libcurl: redirects followed by hand (so a loop is told
 * apart from a long chain), byte, idle and total limits, and the on-disk cache. */
#include "precis/fetch_http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "precis/cache.h"

#define DEFAULT_UA "Mozilla/5.0 (compatible; precis/" PRECIS_VERSION ")"
#define MAX_REDIRECTS 10
#define ACCEPT "Accept: text/html,application/xhtml+xml,application/xml;q=0.9," \
               "text/plain;q=0.8,application/json;q=0.8,application/pdf;q=0.7,*/*;q=0.5"

/* State shared with the libcurl callbacks during one request. */
typedef struct transfer {
    precis_buf body;
    size_t max_bytes;
    long idle_s;
    double last_rx;          /* monotonic time of the last byte received */
    curl_off_t last_dlnow;
    bool too_large;
    bool idle_fired;
    bool cancelled;
    const volatile sig_atomic_t *cancel;
    /* headers of the latest response */
    char reason[128];
    char *etag;
    char *last_modified;
    long retry_after_s;      /* -1: none */
    bool no_store;
    bool no_cache;
} transfer;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void transfer_reset_headers(transfer *t)
{
    t->reason[0] = '\0';
    free(t->etag);
    free(t->last_modified);
    t->etag = t->last_modified = NULL;
    t->retry_after_s = -1;
    t->no_store = t->no_cache = false;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    transfer *t = ctx;
    size_t n = size * nmemb;
    t->last_rx = now_s();
    if (t->max_bytes && n > t->max_bytes - t->body.len) {
        t->too_large = true;
        return 0; /* CURLE_WRITE_ERROR: stops a bomb at the cap */
    }
    precis_buf_append(&t->body, data, n);
    return n;
}

/* Returns a copy of s[0..n) without surrounding whitespace. */
static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return precis_xstrndup(s, n);
}

static bool header_is(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);
    return n > k && line[k] == ':' && strncasecmp(line, name, k) == 0;
}

/* Notes the Cache-Control directives that matter to us. */
static void parse_cache_control(transfer *t, const char *v)
{
    char *lower = precis_xstrdup(v);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (strstr(lower, "no-store")) /* "private" is fine: this cache is the user's own */
        t->no_store = true;
    if (strstr(lower, "no-cache") || strstr(lower, "max-age=0"))
        t->no_cache = true;
    free(lower);
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ctx)
{
    transfer *t = ctx;
    size_t n = size * nmemb;
    t->last_rx = now_s();
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        transfer_reset_headers(t);
        const char *sp = memchr(line, ' ', n);                /* before the code */
        const char *sp2 = sp ? memchr(sp + 1, ' ', n - (size_t)(sp + 1 - line)) : NULL;
        if (sp2) {
            char *r = trimmed(sp2 + 1, n - (size_t)(sp2 + 1 - line));
            snprintf(t->reason, sizeof t->reason, "%s", r);
            free(r);
        }
    } else if (header_is(line, n, "etag")) {
        free(t->etag);
        t->etag = trimmed(line + 5, n - 5);
    } else if (header_is(line, n, "last-modified")) {
        free(t->last_modified);
        t->last_modified = trimmed(line + 14, n - 14);
    } else if (header_is(line, n, "retry-after")) {
        char *v = trimmed(line + 12, n - 12);
        char *end;
        long secs = strtol(v, &end, 10);
        if (*v && *end == '\0' && secs >= 0)
            t->retry_after_s = secs; /* an HTTP date is left to the caller's default */
        free(v);
    } else if (header_is(line, n, "cache-control") || header_is(line, n, "pragma")) {
        const char *colon = memchr(line, ':', n);
        char *v = trimmed(colon + 1, n - (size_t)(colon + 1 - line));
        parse_cache_control(t, v);
        free(v);
    }
    return n;
}

/* Progress callback: aborts when no byte has arrived for idle_s seconds, or when
 * the cancel flag is set. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    transfer *t = ctx;
    if (t->cancel && *t->cancel) {
        t->cancelled = true;
        return 1;
    }
    double now = now_s();
    if (dlnow != t->last_dlnow) {
        t->last_dlnow = dlnow;
        t->last_rx = now;
    }
    if (t->idle_s > 0 && now - t->last_rx >= (double)t->idle_s) {
        t->idle_fired = true;
        return 1;
    }
    return 0;
}

/* A reason phrase for statuses whose response had none (HTTP/2). */
static const char *default_reason(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

static const char *status_hint(long status)
{
    if (status == 401 || status == 403)
        return "the page needs a login or blocks automated readers";
    if (status == 429)
        return "the site is rate limiting; try again later";
    if (status >= 500)
        return "the server failed; try again later";
    return "check the URL";
}

/* Turns a libcurl failure into one line naming the URL, the problem and a hint. */
static precis_result curl_failure(CURL *h, CURLcode rc, const transfer *t, const char *url,
                                  const precis_fetch_opts *opts, const char *errbuf,
                                  precis_error *err)
{
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    char size[32];
    long os_errno = 0;
    curl_off_t connect_us = 0;
    switch (rc) {
    case CURLE_WRITE_ERROR:
        if (!t->too_large)
            break;
        precis_fetch_size_text(opts->max_bytes, size, sizeof size);
        return precis_error_set(err, PRECIS_ERR_TOO_LARGE,
                                "%s: body exceeds %s (--max-bytes); try a larger --max-bytes",
                                url, size);
    case CURLE_ABORTED_BY_CALLBACK:
        if (t->cancelled)
            return precis_error_set(err, PRECIS_ERR_CANCELLED, "%s: interrupted", url);
        if (!t->idle_fired)
            break;
        return precis_error_set(err, PRECIS_ERR_TIMEOUT,
                                "%s: no data received for %ld s (idle timeout); try --idle-timeout",
                                url, opts->idle_timeout_s);
    case CURLE_OPERATION_TIMEDOUT:
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
        if (connect_us == 0 && opts->connect_timeout_s > 0 &&
            (opts->max_time_s == 0 || opts->connect_timeout_s <= opts->max_time_s))
            return precis_error_set(err, PRECIS_ERR_TIMEOUT,
                                    "%s: could not connect within %ld s (--connect-timeout); "
                                    "check your network or try --connect-timeout",
                                    url, opts->connect_timeout_s);
        return precis_error_set(err, PRECIS_ERR_TIMEOUT,
                                "%s: transfer took longer than %ld s (--max-time); try --max-time",
                                url, opts->max_time_s);
    case CURLE_COULDNT_RESOLVE_HOST:
        return precis_error_set(err, PRECIS_ERR_FETCH,
                                "%s: could not resolve host; check the URL or your network", url);
    case CURLE_COULDNT_RESOLVE_PROXY:
        return precis_error_set(err, PRECIS_ERR_FETCH,
                                "%s: could not resolve the proxy host; check http_proxy/https_proxy",
                                url);
    case CURLE_COULDNT_CONNECT:
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
        if (os_errno == ECONNREFUSED)
            return precis_error_set(err, PRECIS_ERR_FETCH,
                                    "%s: connection refused; check the URL or try again later", url);
        return precis_error_set(err, PRECIS_ERR_FETCH,
                                "%s: could not connect (%s); check the URL or your network", url,
                                detail);
    case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
    case CURLE_SSL_CACERT:
#endif
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        if (strncmp(detail, "SSL certificate problem: ", 25) == 0)
            detail += 25;
        return precis_error_set(err, PRECIS_ERR_FETCH,
                                "%s: TLS certificate problem: %s; the site's certificate is not "
                                "trusted",
                                url, detail);
    case CURLE_SSL_CONNECT_ERROR:
        return precis_error_set(err, PRECIS_ERR_FETCH, "%s: TLS handshake failed: %s", url,
                                detail);
    case CURLE_UNSUPPORTED_PROTOCOL:
        return precis_error_set(err, PRECIS_ERR_FETCH,
                                "%s: unsupported protocol; only http and https are fetched", url);
    case CURLE_BAD_CONTENT_ENCODING:
        return precis_error_set(err, PRECIS_ERR_FETCH,
                                "%s: could not decode the compressed body (%s)", url, detail);
    case CURLE_GOT_NOTHING:
        return precis_error_set(err, PRECIS_ERR_FETCH,
                                "%s: the server closed the connection without answering; try "
                                "again later",
                                url);
    default:
        break;
    }
    return precis_error_set(err, PRECIS_ERR_FETCH, "%s: %s", url, detail);
}

/* Splits a Content-Type value into a lowercase media type and a charset. */
static void parse_content_type(const char *v, char **type, char **charset)
{
    *type = *charset = NULL;
    if (!v)
        return;
    size_t n = strcspn(v, ";");
    char *t = trimmed(v, n);
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (*t)
        *type = t;
    else
        free(t);
    const char *cs = NULL;
    for (const char *p = v + n; *p && !cs; p++)
        if (strncasecmp(p, "charset=", 8) == 0)
            cs = p;
    if (cs) {
        cs += 8;
        while (*cs == '"' || *cs == '\'' || *cs == ' ')
            cs++;
        size_t k = strcspn(cs, "\"'; \t");
        if (k)
            *charset = precis_xstrndup(cs, k);
    }
}

/* Counts how often url appears in the list of visited URLs. */
static int times_seen(char *const *seen, int n, const char *url)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += strcmp(seen[i], url) == 0;
    return c;
}

/* Fills out from a cache entry. */
static void serve_entry(precis_cache_entry *e, precis_response *out)
{
    precis_buf tmp = out->body;
    out->body = e->body;
    e->body = tmp;
    out->content_type = e->content_type ? precis_xstrdup(e->content_type) : NULL;
    out->charset = e->charset ? precis_xstrdup(e->charset) : NULL;
    out->final_url = precis_xstrdup(e->final_url ? e->final_url : e->url);
    out->status = 200;
    out->from_cache = true;
}

static precis_result too_large_cached(const char *url, const precis_fetch_opts *opts,
                                      precis_error *err)
{
    char size[32];
    precis_fetch_size_text(opts->max_bytes, size, sizeof size);
    return precis_error_set(err, PRECIS_ERR_TOO_LARGE,
                            "%s: body exceeds %s (--max-bytes); try a larger --max-bytes", url,
                            size);
}

/* Sets up the options that stay the same for every hop. */
static void setup_handle(CURL *h, transfer *t, const precis_fetch_opts *opts, char *errbuf)
{
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* followed by hand below */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, opts->user_agent ? opts->user_agent : DEFAULT_UA);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* all that libcurl can decode */
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");      /* in-memory cookies across redirects */
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
    if (opts->connect_timeout_s > 0)
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, opts->connect_timeout_s);
}

/* Builds the request headers, with validators when etag or last_modified is given. */
static struct curl_slist *request_headers(const char *etag, const char *last_modified)
{
    struct curl_slist *list = curl_slist_append(NULL, ACCEPT);
    precis_buf b;
    precis_buf_init(&b, 0);
    if (etag) {
        precis_buf_printf(&b, "If-None-Match: %s", etag);
        list = curl_slist_append(list, b.ptr);
        precis_buf_reset(&b);
    }
    if (last_modified) {
        precis_buf_printf(&b, "If-Modified-Since: %s", last_modified);
        list = curl_slist_append(list, b.ptr);
    }
    precis_buf_release(&b);
    return list;
}

static void store_response(const char *dir, const char *url, const transfer *t,
                           const precis_response *out)
{
    precis_cache_entry e;
    precis_cache_entry_init(&e);
    e.url = precis_xstrdup(url);
    e.final_url = out->final_url ? precis_xstrdup(out->final_url) : NULL;
    e.content_type = out->content_type ? precis_xstrdup(out->content_type) : NULL;
    e.charset = out->charset ? precis_xstrdup(out->charset) : NULL;
    e.etag = t->etag ? precis_xstrdup(t->etag) : NULL;
    e.last_modified = t->last_modified ? precis_xstrdup(t->last_modified) : NULL;
    e.fetched = (long long)time(NULL);
    e.revalidate = t->no_cache;
    e.body = out->body; /* borrowed for the write */
    precis_cache_store(dir, &e);
    precis_buf_init(&e.body, 0);
    precis_cache_entry_release(&e);
}

/* One page fetch on a loop: the cache is consulted first, then each hop of the
 * redirect chain is one transfer on the loop; the outcome is delivered by the ticker. */
struct precis_fetch_job {
    precis_loop *loop;
    char *url;
    precis_fetch_opts opts;        /* strings borrowed from the caller's opts */
    char *cache_dir;
    precis_cache_entry entry;
    bool have_entry;
    const char *cached_url;
    CURL *h;
    bool in_loop;
    struct curl_slist *headers;
    transfer t;
    char errbuf[CURL_ERROR_SIZE];
    char *seen[MAX_REDIRECTS + 1];
    int n_seen;
    bool conditional;          /* this hop carries the cache entry's validators */
    bool caller_conditional;   /* this hop carries the caller's validators */
    double deadline;
    int ticker;
    bool finished;
    precis_result r;
    precis_response out;
    precis_error err;
    precis_fetch_done_fn fn;
    void *ctx;
};

static void job_complete(precis_fetch_job *j, precis_result r)
{
    if (j->in_loop) {
        precis_loop_remove(j->loop, j->h);
        j->in_loop = false;
    }
    j->r = r;
    j->finished = true;
}

static void job_free(precis_fetch_job *j)
{
    if (j->in_loop)
        precis_loop_remove(j->loop, j->h);
    if (j->h)
        curl_easy_cleanup(j->h);
    precis_loop_ticker_remove(j->loop, j->ticker);
    curl_slist_free_all(j->headers);
    for (int i = 0; i < j->n_seen; i++)
        free(j->seen[i]);
    transfer_reset_headers(&j->t);
    precis_buf_release(&j->t.body);
    precis_cache_entry_release(&j->entry);
    precis_response_release(&j->out);
    free(j->cache_dir);
    free(j->url);
    free(j);
}

static void on_hop_done(void *ctx, CURL *easy, CURLcode rc);

/* Starts the transfer of the newest hop of the chain. */
static void start_hop(precis_fetch_job *j)
{
    const char *hop = j->seen[j->n_seen - 1];
    CURL *h = j->h;
    j->caller_conditional = j->n_seen == 1 && (j->opts.if_none_match || j->opts.if_modified_since);
    j->conditional = !j->caller_conditional && j->cached_url && strcmp(hop, j->cached_url) == 0 &&
                     (j->entry.etag || j->entry.last_modified);
    curl_slist_free_all(j->headers);
    if (j->caller_conditional)
        j->headers = request_headers(j->opts.if_none_match, j->opts.if_modified_since);
    else if (j->conditional)
        j->headers = request_headers(j->entry.etag, j->entry.last_modified);
    else
        j->headers = request_headers(NULL, NULL);
    curl_easy_setopt(h, CURLOPT_URL, hop);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, j->headers);
    if (j->deadline > 0) {
        double left = j->deadline - now_s();
        if (left <= 0.001) {
            job_complete(j, precis_error_set(&j->err, PRECIS_ERR_TIMEOUT,
                                             "%s: transfer took longer than %ld s (--max-time); "
                                             "try --max-time",
                                             j->url, j->opts.max_time_s));
            return;
        }
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(left * 1000));
    }
    precis_buf_reset(&j->t.body);
    transfer_reset_headers(&j->t);
    j->t.last_rx = now_s();
    j->t.last_dlnow = 0;
    j->errbuf[0] = '\0';
    precis_loop_add(j->loop, h, on_hop_done, j);
    j->in_loop = true;
}

/* Handles the end of one hop: a redirect starts the next, anything else completes. */
static void on_hop_done(void *ctx, CURL *easy, CURLcode rc)
{
    precis_fetch_job *j = ctx;
    precis_loop_remove(j->loop, easy);
    j->in_loop = false;
    const char *url = j->url;
    const char *hop = j->seen[j->n_seen - 1];
    precis_error *err = &j->err;
    if (rc != CURLE_OK) {
        job_complete(j, curl_failure(easy, rc, &j->t, url, &j->opts, j->errbuf, err));
        return;
    }
    long status = 0;
    char *location = NULL;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location);
    if (status >= 300 && status < 400 && status != 304 && location) {
        int seen = times_seen(j->seen, j->n_seen, location);
        if (seen >= 2 || (j->n_seen == MAX_REDIRECTS + 1 && seen >= 1)) {
            job_complete(j, precis_error_set(err, PRECIS_ERR_REDIRECT,
                                             "%s: redirect loop (%s redirects back to %s); the "
                                             "site is misconfigured or needs cookies",
                                             url, hop, location));
            return;
        }
        if (j->n_seen == MAX_REDIRECTS + 1) {
            job_complete(j, precis_error_set(err, PRECIS_ERR_REDIRECT,
                                             "%s: too many redirects (more than %d)", url,
                                             MAX_REDIRECTS));
            return;
        }
        if (j->opts.redirect_ok && !j->opts.redirect_ok(j->opts.redirect_ctx, location)) {
            j->out.final_url = precis_xstrdup(location);
            job_complete(j, precis_error_set(err, PRECIS_ERR_REDIRECT,
                                             "%s: redirects to %s, which is not to be fetched",
                                             url, location));
            return;
        }
        j->seen[j->n_seen++] = precis_xstrdup(location);
        start_hop(j);
        return;
    }
    if (status == 304 && j->caller_conditional) {
        j->out.status = 304;
        j->out.final_url = precis_xstrdup(hop);
        j->out.etag = j->t.etag ? precis_xstrdup(j->t.etag) : NULL;
        j->out.last_modified = j->t.last_modified ? precis_xstrdup(j->t.last_modified) : NULL;
        job_complete(j, PRECIS_OK);
        return;
    }
    if (status == 304 && j->conditional) {
        if (j->opts.max_bytes && j->entry.body.len > j->opts.max_bytes) {
            job_complete(j, too_large_cached(url, &j->opts, err));
            return;
        }
        j->entry.fetched = (long long)time(NULL);
        precis_cache_store(j->cache_dir, &j->entry);
        serve_entry(&j->entry, &j->out);
        job_complete(j, PRECIS_OK);
        return;
    }
    if (status < 200 || status >= 300) {
        j->out.status = status;
        j->out.retry_after_s = j->t.retry_after_s;
        const char *reason = j->t.reason[0] ? j->t.reason : default_reason(status);
        job_complete(j, precis_error_set(err, PRECIS_ERR_HTTP, "%s: HTTP %ld%s%s; %s", url,
                                         status, *reason ? " " : "", reason,
                                         status_hint(status)));
        return;
    }
    char *ctype = NULL, *effective = NULL;
    curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ctype);
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    parse_content_type(ctype, &j->out.content_type, &j->out.charset);
    j->out.final_url = precis_xstrdup(effective ? effective : hop);
    j->out.status = status;
    j->out.etag = j->t.etag ? precis_xstrdup(j->t.etag) : NULL;
    j->out.last_modified = j->t.last_modified ? precis_xstrdup(j->t.last_modified) : NULL;
    precis_buf tmp = j->out.body;
    j->out.body = j->t.body;
    j->t.body = tmp;
    if (j->cache_dir && status == 200 && !j->t.no_store)
        store_response(j->cache_dir, url, &j->t, &j->out);
    job_complete(j, PRECIS_OK);
}

/* Delivers a finished job, and stops a transfer whose idle timer or cancel flag fired
 * even when libcurl has no reason to call the progress callback. */
static long job_tick(void *ctx)
{
    precis_fetch_job *j = ctx;
    if (!j->finished && j->in_loop) {
        transfer *t = &j->t;
        if (t->cancel && *t->cancel)
            t->cancelled = true;
        else if (t->idle_s > 0 && now_s() - t->last_rx >= (double)t->idle_s)
            t->idle_fired = true;
        if (t->cancelled || t->idle_fired)
            on_hop_done(j, j->h, CURLE_ABORTED_BY_CALLBACK);
    }
    if (!j->finished)
        return 100;
    if (j->r != PRECIS_OK && j->err.msg[0])
        precis_error_oneline(&j->err);
    j->err.code = j->r;
    j->fn(j->ctx, j->r, &j->out, &j->err);
    job_free(j);
    return 0;
}

static precis_fetch_job *job_new(precis_loop *loop, const char *url, const precis_fetch_opts *opts,
                                 precis_fetch_done_fn fn, void *ctx)
{
    precis_fetch_job *j = precis_xcalloc(1, sizeof *j);
    j->loop = loop;
    j->url = precis_xstrdup(url);
    if (opts)
        j->opts = *opts;
    else
        precis_fetch_opts_init(&j->opts);
    j->fn = fn;
    j->ctx = ctx;
    memset(&j->out, 0, sizeof j->out);
    precis_buf_init(&j->out.body, 0);
    j->out.retry_after_s = -1;
    precis_cache_entry_init(&j->entry);
    precis_error_clear(&j->err);
    precis_buf_init(&j->t.body, 0);
    j->ticker = precis_loop_ticker_add(loop, job_tick, j);
    return j;
}

precis_fetch_job *precis_fetch_job_ready(precis_loop *loop, const char *name, precis_result r,
                                         precis_response *resp, const precis_error *err,
                                         precis_fetch_done_fn fn, void *ctx)
{
    precis_fetch_job *j = job_new(loop, name, NULL, fn, ctx);
    if (resp) {
        precis_response_release(&j->out);
        j->out = *resp;
        memset(resp, 0, sizeof *resp);
        precis_buf_init(&resp->body, 0);
    }
    if (err)
        j->err = *err;
    j->r = r;
    j->finished = true;
    return j;
}

precis_fetch_job *precis_fetch_http_start(precis_loop *loop, const char *url,
                                          const precis_fetch_opts *opts, precis_fetch_done_fn fn,
                                          void *ctx)
{
    precis_fetch_job *j = job_new(loop, url, opts, fn, ctx);
    opts = &j->opts;
    bool validators = opts->if_none_match || opts->if_modified_since;
    j->cache_dir = opts->use_cache && !validators ? precis_cache_dir(opts->cache_dir) : NULL;
    j->have_entry = j->cache_dir && precis_cache_load(j->cache_dir, url, &j->entry);
    if (j->have_entry && !j->entry.revalidate) {
        long long age = (long long)time(NULL) - j->entry.fetched;
        if (age >= 0 && age < opts->cache_fresh_s) {
            if (opts->max_bytes && j->entry.body.len > opts->max_bytes) {
                job_complete(j, too_large_cached(url, opts, &j->err));
            } else {
                serve_entry(&j->entry, &j->out);
                job_complete(j, PRECIS_OK);
            }
            return j;
        }
    }
    j->h = curl_easy_init();
    if (!j->h) {
        job_complete(j, precis_error_set(&j->err, PRECIS_ERR_INTERNAL,
                                         "%s: libcurl failed to start", url));
        return j;
    }
    if (j->have_entry)
        j->cached_url = j->entry.final_url ? j->entry.final_url : j->entry.url;
    j->t.max_bytes = opts->max_bytes;
    j->t.idle_s = opts->idle_timeout_s;
    j->t.cancel = opts->cancel;
    setup_handle(j->h, &j->t, opts, j->errbuf);
    j->seen[j->n_seen++] = precis_xstrdup(url);
    j->deadline = opts->max_time_s > 0 ? now_s() + (double)opts->max_time_s : 0;
    start_hop(j);
    return j;
}

void precis_fetch_job_cancel(precis_fetch_job *job)
{
    if (job)
        job_free(job);
}

/* Collects the outcome of a job run to completion by precis_fetch_http. */
typedef struct sync_fetch {
    bool done;
    precis_result r;
    precis_response *out;
    precis_error *err;
} sync_fetch;

static void sync_done(void *ctx, precis_result r, precis_response *resp, precis_error *err)
{
    sync_fetch *s = ctx;
    s->done = true;
    s->r = r;
    precis_response_release(s->out);
    *s->out = *resp;
    memset(resp, 0, sizeof *resp);
    precis_buf_init(&resp->body, 0);
    if (s->err)
        *s->err = *err;
}

precis_result precis_fetch_http(const char *url, const precis_fetch_opts *opts,
                                precis_response *out, precis_error *err)
{
    precis_loop *loop = precis_loop_new();
    sync_fetch s = {false, PRECIS_ERR_INTERNAL, out, err};
    precis_fetch_http_start(loop, url, opts, sync_done, &s);
    while (!s.done)
        precis_loop_step(loop, NULL, 0, 1000);
    precis_loop_free(loop);
    return s.r;
}
