/* The HTTP(S) half of fetching: libcurl transfer, redirects, limits and the cache. */
#ifndef PRECIS_FETCH_HTTP_H
#define PRECIS_FETCH_HTTP_H

#include <stddef.h>

#include "precis/fetch.h"

/* Fetches an http(s) URL into *out (caller releases it), consulting and updating
 * the on-disk cache when opts->use_cache. Same error contract as precis_fetch. */
precis_result precis_fetch_http(const char *url, const precis_fetch_opts *opts,
                                precis_response *out, precis_error *err);

/* Starts fetching an http(s) URL on loop; the contract of precis_fetch_start. */
precis_fetch_job *precis_fetch_http_start(precis_loop *loop, const char *url,
                                          const precis_fetch_opts *opts, precis_fetch_done_fn fn,
                                          void *ctx);

/* Makes a job that is already finished with r, resp (moved out; may be NULL) and err
 * (copied; may be NULL); fn runs on the loop's next step. */
precis_fetch_job *precis_fetch_job_ready(precis_loop *loop, const char *name, precis_result r,
                                         precis_response *resp, const precis_error *err,
                                         precis_fetch_done_fn fn, void *ctx);

/* Writes a byte count for messages ("25 MB", "512 kB", "1234 bytes") into dst. */
void precis_fetch_size_text(size_t n, char *dst, size_t cap);

#endif
