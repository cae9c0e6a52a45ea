/* Internal interfaces between the llm*.c files (and their unit tests). Not installed. */
#ifndef PRECIS_LLM_INTERNAL_H
#define PRECIS_LLM_INTERNAL_H

#include <cjson/cJSON.h>

#include "precis/llm.h"
#include "precis/sse.h"

/* The fields of a provider error, whatever envelope it came in. Strings are owned. */
typedef struct precis_llm_apierr {
    bool present;     /* an error was found */
    char *message;    /* by the extraction order of openai-compat.md 6.1 */
    char *code;       /* error.code as text (string or number), or NULL */
    char *type;       /* error.type, or NULL */
    char *param;      /* error.param, or NULL */
    long status;      /* HTTP status, or the numeric code of an in-stream error */
} precis_llm_apierr;

/* Frees the strings of e and zeroes it. */
void precis_llm_apierr_release(precis_llm_apierr *e);

/* Fills e from an error JSON value (the object holding "error", or a flat error object).
 * Returns true if it carries an error. */
bool precis_llm_apierr_from_json(const cJSON *root, precis_llm_apierr *e);

/* Fills e from a non-2xx body of any shape (JSON, HTML, empty), falling back to
 * "HTTP <status>". */
void precis_llm_apierr_from_body(const char *body, size_t len, long status, precis_llm_apierr *e);

/* Recognises a context overflow: code context_length_exceeded, type
 * exceed_context_size_error, or the usual wording in the message. */
bool precis_llm_is_overflow(const precis_llm_apierr *e);

/* Classifies an API error (HTTP status in e->status). */
precis_llm_class precis_llm_classify(const precis_llm_apierr *e);

/* Returns the other token-limit field if e rejects the field `used`, else `used`. */
precis_llm_max_field precis_llm_param_fallback(const precis_llm_apierr *e, long http_status,
                                               precis_llm_max_field used);

/* Sets res->code/cls/err to a one-line message for cls: what happened, where (base_url),
 * the detail (provider message, curl error...) and what to do. The API key is blanked
 * out of the detail. */
void precis_llm_fail(precis_llm_result *res, const precis_llm_request *req, precis_llm_class cls,
                     const char *detail);

/* Streaming state of one attempt: turns parsed events into sink calls and result fields. */
typedef struct precis_llm_stream {
    const precis_llm_request *req;
    precis_llm_result *res;
    precis_llm_apierr err;   /* an error reported inside a 2xx response */
    bool done;               /* [DONE] seen */
    bool delivered;          /* text was handed to a sink: no retry after this */
    bool cancelled;          /* a sink asked to stop */
    size_t events;           /* JSON events understood */
    int think;               /* inline <think> state: start, inside, just after, answer */
    precis_buf hold;         /* content tail that may be the start of a tag */
    double t0;               /* start time, for ttft */
} precis_llm_stream;

/* Sets s up for one attempt writing into res. */
void precis_llm_stream_init(precis_llm_stream *s, const precis_llm_request *req,
                            precis_llm_result *res, double t0);

/* Frees s's buffers (not res). */
void precis_llm_stream_release(precis_llm_stream *s);

/* Handles one SSE event; nonzero = stop reading ([DONE], an error, or a cancel). */
int precis_llm_stream_event(void *s, const char *type, const char *data, size_t len);

/* Flushes text held back while looking for a tag (call at the end of the stream). */
void precis_llm_stream_flush(precis_llm_stream *s);

/* Handles a whole non-streamed JSON body (or a JSON body sent instead of a stream).
 * Returns false if the body is not a JSON object. */
bool precis_llm_stream_json_body(precis_llm_stream *s, const char *body, size_t len);

/* Reads a Retry-After / retry-after-ms header line; returns the delay in ms or -1. */
long precis_llm_retry_after_ms(const char *name, size_t name_len, const char *value,
                               size_t value_len);

/* Backoff before retry number `attempt` (1-based): base * 2^(attempt-1), between half
 * and all of it (jitter), unless the server asked for server_ms (>= 0). */
long precis_llm_backoff_ms(long base_ms, int attempt, long server_ms);

/* Returns true if an attempt that failed with cls / HTTP status may be retried. */
bool precis_llm_should_retry(precis_llm_class cls, long http_status, bool delivered);

/* Builds the JSON request body into out (max_field may differ from req's after a fallback). */
void precis_llm_build_body(const precis_llm_request *req, precis_llm_max_field max_field,
                           precis_buf *out);

/* Builds base_url + path (+ ?api-version=...) into out. */
void precis_llm_build_url(const precis_llm_request *req, const char *path, precis_buf *out);

/* Returns the request headers (auth, extra headers, content negotiation) for curl; the
 * caller frees them with curl_slist_free_all. */
struct curl_slist *precis_llm_headers(const precis_llm_request *req, bool post, bool stream);

/* One non-streamed JSON exchange in progress on a loop. */
typedef struct precis_llm_json_job precis_llm_json_job;

/* Receives a 2xx JSON object body (root, freed after fn returns) or, with root NULL, the
 * failure in res. The job is already freed. */
typedef void (*precis_llm_json_fn)(void *ctx, const cJSON *root, precis_llm_result *res);

/* Starts GET (post NULL) or POST of the JSON text post (copied) to base_url + path on
 * loop, with req's endpoint, key, headers and connect/total timeouts (the total capped at
 * 60 s); req and res (initialised) must outlive the job. fn runs once unless cancelled. */
precis_llm_json_job *precis_llm_json_start(precis_loop *loop, const precis_llm_request *req,
                                           const char *path, const char *post,
                                           precis_llm_result *res, precis_llm_json_fn fn,
                                           void *ctx);

/* Stops the exchange at once and frees it; fn is not called. NULL-safe. */
void precis_llm_json_cancel(precis_llm_json_job *job);

/* Returns the time in seconds on a monotonic clock. */
double precis_llm_now(void);

#endif
