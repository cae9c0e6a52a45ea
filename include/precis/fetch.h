/* Fetching: URL (http/https), local path or "-" (stdin) -> raw body + headers. */
#ifndef PRECIS_FETCH_H
#define PRECIS_FETCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"
#include "precis/loop.h"

typedef struct precis_fetch_opts {
    long connect_timeout_s;  /* default 10 */
    long idle_timeout_s;     /* no byte received for this long = error; default 30 */
    long max_time_s;         /* whole transfer; default 120 */
    size_t max_bytes;        /* cap on the decoded (decompressed) body; default 25 MB */
    bool use_cache;          /* default true; --no-cache sets false */
    long cache_fresh_s;      /* serve a cached copy without a request within this age; default 300 */
    const char *cache_dir;   /* NULL = $XDG_CACHE_HOME/precis/http (or ~/.cache/...) */
    const char *user_agent;  /* NULL = the default "precis/VERSION (...)" */
    const volatile sig_atomic_t *cancel; /* nonzero aborts a transfer (Ctrl-C); may be NULL */
    /* For crawlers: validators of a copy the caller keeps (sent as If-None-Match /
     * If-Modified-Since on the first hop; a 304 is then a success with status 304 and
     * an empty body), and a redirect policy (false stops the chain with
     * PRECIS_ERR_REDIRECT before the target is requested). All may be NULL. */
    const char *if_none_match;
    const char *if_modified_since;
    bool (*redirect_ok)(void *ctx, const char *url);
    void *redirect_ctx;
} precis_fetch_opts;

typedef struct precis_response {
    precis_buf body;        /* body bytes as received (transfer encoding removed) */
    char *content_type;     /* lowercase media type without parameters, NULL if unknown */
    char *charset;          /* charset parameter of Content-Type, NULL if none */
    char *final_url;        /* URL after redirects, or the path for files, NULL for stdin */
    long status;            /* HTTP status; 0 for files and stdin */
    bool from_cache;        /* served from the on-disk cache (fresh or 304) */
    char *etag;             /* validators of the final response, NULL if none */
    char *last_modified;
    long retry_after_s;     /* Retry-After of a 429/503 answer in seconds, -1 if none */
} precis_response;

/* Sets opts to the defaults above; $PRECIS_CACHE_TTL (whole seconds, 0 = always
 * revalidate) overrides cache_fresh_s. */
void precis_fetch_opts_init(precis_fetch_opts *opts);

/* Returns true if source looks like an http(s) URL. */
bool precis_is_url(const char *source);

/* Reads source (http/https URL, local path, or "-" for stdin) into *out, which
 * the caller releases with precis_response_release (also after a failure).
 * Failures return a code with err set to one line naming the source, what went
 * wrong and what to try. */
precis_result precis_fetch(const char *source, const precis_fetch_opts *opts,
                           precis_response *out, precis_error *err);

/* A fetch in progress on a loop. */
typedef struct precis_fetch_job precis_fetch_job;

/* Receives the outcome of a job: r and err as precis_fetch would return them. resp
 * belongs to the job; move its contents out to keep them (the job releases what is
 * left). Called once, from the loop's ticker; the job is freed right after. */
typedef void (*precis_fetch_done_fn)(void *ctx, precis_result r, precis_response *resp,
                                     precis_error *err);

/* Starts fetching source on loop (borrowed; it must outlive the job); opts is copied
 * (its strings are borrowed). URLs move with the loop; files and stdin are read now and
 * delivered on the next step. fn is called once unless the job is cancelled. */
precis_fetch_job *precis_fetch_start(precis_loop *loop, const char *source,
                                     const precis_fetch_opts *opts, precis_fetch_done_fn fn,
                                     void *ctx);

/* Stops job at once (closing its connection) and frees it; fn is not called. */
void precis_fetch_job_cancel(precis_fetch_job *job);

/* Frees the contents of r and zeroes it. NULL-safe. */
void precis_response_release(precis_response *r);

#endif
