/* OpenAI-compatible chat client: streaming and non-streaming chat completions, model
 * listing, error classification and retries. Every chat request runs on one curl multi
 * loop (a "pool"), alone or many at once. */
#ifndef PRECIS_LLM_H
#define PRECIS_LLM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"
#include "precis/loop.h"

/* How the API key is sent. */
typedef enum precis_llm_auth {
    PRECIS_LLM_AUTH_BEARER = 0, /* Authorization: Bearer KEY */
    PRECIS_LLM_AUTH_API_KEY,    /* api-key: KEY (Azure) */
    PRECIS_LLM_AUTH_NONE
} precis_llm_auth;

/* Name of the token-limit field in the request body. */
typedef enum precis_llm_max_field {
    PRECIS_LLM_MAX_TOKENS = 0,          /* "max_tokens" */
    PRECIS_LLM_MAX_COMPLETION_TOKENS,   /* "max_completion_tokens" (OpenAI reasoning models) */
    PRECIS_LLM_MAX_NONE                 /* send no limit */
} precis_llm_max_field;

/* What went wrong, so callers can say it in one line and decide (e.g. re-chunk on overflow). */
typedef enum precis_llm_class {
    PRECIS_LLM_OK = 0,
    PRECIS_LLM_CONTEXT_OVERFLOW, /* the input does not fit the model's context */
    PRECIS_LLM_AUTH,             /* 401/403: bad or missing key, forbidden */
    PRECIS_LLM_NOT_FOUND,        /* 404, model_not_found, DeploymentNotFound */
    PRECIS_LLM_QUOTA,            /* 402, 429 insufficient_quota: out of credits */
    PRECIS_LLM_RATE_LIMIT,       /* 429 after the retries */
    PRECIS_LLM_SERVER,           /* 5xx, 408, or an error reported inside the stream */
    PRECIS_LLM_UNSUPPORTED_PARAM,/* the server rejected a field we sent */
    PRECIS_LLM_BAD_REQUEST,      /* any other 4xx */
    PRECIS_LLM_REDIRECT,         /* 3xx: redirects are never followed (the key must not leak) */
    PRECIS_LLM_CONNECT,          /* could not connect, or the connection dropped before any text */
    PRECIS_LLM_TIMEOUT_IDLE,     /* no byte for idle_timeout_ms */
    PRECIS_LLM_TIMEOUT_TOTAL,    /* the whole request passed max_time_ms */
    PRECIS_LLM_TRUNCATED,        /* the stream ended without [DONE] or finish_reason */
    PRECIS_LLM_EMPTY,            /* success status but no answer text and no error */
    PRECIS_LLM_BAD_RESPONSE,     /* not an event stream / not JSON (e.g. an HTML page) */
    PRECIS_LLM_CANCELLED         /* the cancel flag or a sink stopped it */
} precis_llm_class;

/* Receives answer (or reasoning) text as it arrives; nonzero return cancels the request. */
typedef int (*precis_llm_sink)(void *ctx, const char *text, size_t n);

/* One chat message; role is "system", "user" or "assistant". */
typedef struct precis_llm_message {
    const char *role;
    const char *content;
} precis_llm_message;

/* A request. Strings are borrowed and must outlive the request. */
typedef struct precis_llm_request {
    const char *base_url;       /* e.g. "https://api.openai.com/v1" (no trailing path) */
    const char *api_key;        /* NULL or "" = none; never printed or logged */
    precis_llm_auth auth;
    const char *const *headers; /* NULL-terminated "Name: value" list, or NULL */
    const char *api_version;    /* Azure classic: adds ?api-version=...; NULL = none */
    const char *model;
    const char *system;         /* system message, or NULL */
    const char *user;           /* user message (used when messages is NULL) */
    const precis_llm_message *messages; /* full conversation instead of system/user */
    size_t n_messages;
    bool stream;                /* default true */
    bool include_usage;         /* stream_options.include_usage; default true */
    precis_llm_max_field max_field; /* default max_tokens */
    long max_tokens;            /* 0 = send no limit */
    bool has_temperature;       /* temperature is sent only if set */
    double temperature;
    long connect_timeout_ms;    /* default 10000 */
    long idle_timeout_ms;       /* time since the last byte, comments included; default 60000 */
    long max_time_ms;           /* whole request incl. retries' transfers; default 600000 */
    int max_retries;            /* default 3 */
    long retry_base_ms;         /* first backoff; default 1000 or $PRECIS_RETRY_BASE_MS */
    long retry_max_sleep_ms;    /* cap on the total time slept between retries; default 60000 */
    precis_llm_sink on_delta;   /* answer text; may be NULL */
    void *delta_ctx;
    precis_llm_sink on_reasoning; /* reasoning text (never mixed into the answer); may be NULL */
    void *reasoning_ctx;
    const volatile sig_atomic_t *cancel; /* nonzero = abort (e.g. set by a SIGINT handler) */
} precis_llm_request;

/* The outcome of one request. Owned by the caller: precis_llm_result_release frees it. */
typedef struct precis_llm_result {
    precis_result code;         /* PRECIS_OK, PRECIS_ERR_API or PRECIS_ERR_CANCELLED */
    precis_llm_class cls;
    precis_error err;           /* one line, e.g. "model API error (401 from URL): ...; hint" */
    precis_buf text;            /* the full answer (also the partial one after a failure) */
    precis_buf reasoning;       /* reasoning text, if any */
    char *finish_reason;        /* NULL if none was seen */
    char *model;                /* model named by the server, or NULL */
    char *provider_message;     /* the provider's own error message, or NULL */
    char *provider_code;        /* error.code / error.type as text, or NULL */
    bool has_usage;
    long prompt_tokens, completion_tokens, total_tokens;
    bool truncated;             /* finish_reason "length" or a cut stream */
    long http_status;           /* last HTTP status (0 = no response) */
    int retries;                /* attempts made after the first */
    double ttfb_s, ttft_s, total_s; /* first byte, first answer text, whole request */
} precis_llm_result;

/* Sets req to the defaults above (reads $PRECIS_RETRY_BASE_MS). */
void precis_llm_request_init(precis_llm_request *req);

/* Initialises an empty result. */
void precis_llm_result_init(precis_llm_result *res);

/* Frees the contents of res. NULL-safe. */
void precis_llm_result_release(precis_llm_result *res);

/* Runs one chat request to completion (streaming through the sinks). res must be
 * initialised; returns res->code. */
precis_result precis_llm_chat(const precis_llm_request *req, precis_llm_result *res);

/* Runs n requests with at most max_parallel in flight (0 = all). results[i] (initialised)
 * receives the outcome of reqs[i]. Returns PRECIS_OK if all succeeded, else the first
 * failure's code. */
precis_result precis_llm_chat_many(const precis_llm_request *reqs, precis_llm_result *results,
                                   size_t n, size_t max_parallel);

/* An event loop of chat requests, for callers that also poll their own descriptors. */
typedef struct precis_llm_pool precis_llm_pool;

/* Creates an empty pool on a loop of its own, running at most max_parallel transfers at
 * once (0 = no limit). Free with precis_llm_pool_free. */
precis_llm_pool *precis_llm_pool_new(size_t max_parallel);

/* Like precis_llm_pool_new, on loop (borrowed; it must outlive the pool), so that the
 * requests share it with other transfers. Drive it with precis_loop_step. */
precis_llm_pool *precis_llm_pool_new_on(precis_loop *loop, size_t max_parallel);

/* Returns how many requests of the pool have not finished. */
size_t precis_llm_pool_unfinished(const precis_llm_pool *pool);

/* Queues req (borrowed until done) whose outcome goes to res (initialised, borrowed).
 * Returns an id for precis_llm_pool_cancel. on_done (may be NULL) is called once when
 * the request has finished; it may add requests but must not free the pool. The pool
 * keeps nothing of a request after it has finished. */
int precis_llm_pool_add(precis_llm_pool *pool, const precis_llm_request *req,
                        precis_llm_result *res,
                        void (*on_done)(void *ctx, precis_llm_result *res), void *done_ctx);

/* Cancels request id at once, closing its connection (its result becomes
 * PRECIS_LLM_CANCELLED and on_done runs). Unknown or finished ids are ignored. Not for
 * use inside a sink: a sink cancels by returning nonzero. */
void precis_llm_pool_cancel(precis_llm_pool *pool, int id);

/* Moves transfers along, waiting up to timeout_ms for network activity or for one of the
 * nfds descriptors to become readable. Returns the number of unfinished requests. */
size_t precis_llm_pool_step(precis_llm_pool *pool, const int *fds, size_t nfds, int timeout_ms);

/* Frees the pool; unfinished requests end as cancelled without on_done. NULL-safe. */
void precis_llm_pool_free(precis_llm_pool *pool);

/* Lists the ids of GET base_url/models (connection settings, key and headers come from
 * req). On success *ids is a malloc'd array of *n malloc'd strings, freed with
 * precis_llm_models_free. */
precis_result precis_llm_models(const precis_llm_request *req, char ***ids, size_t *n,
                                precis_llm_result *res);

/* A model listing in progress on a loop. */
typedef struct precis_llm_models_job precis_llm_models_job;

/* Receives the outcome: on success ids/n as precis_llm_models returns them (the callee
 * owns them), else ids NULL and res says why. The job is already freed. */
typedef void (*precis_llm_models_fn)(void *ctx, char **ids, size_t n, precis_llm_result *res);

/* Starts GET base_url/models on loop; req and res (initialised) must outlive the job.
 * fn runs once, unless the job is cancelled. */
precis_llm_models_job *precis_llm_models_start(precis_loop *loop, const precis_llm_request *req,
                                               precis_llm_result *res, precis_llm_models_fn fn,
                                               void *ctx);

/* Stops a listing at once and frees it; fn is not called. NULL-safe. */
void precis_llm_models_cancel(precis_llm_models_job *job);

/* Frees a list returned by precis_llm_models. */
void precis_llm_models_free(char **ids, size_t n);

/* Returns a static name for a class ("auth", "rate_limit", ...). */
const char *precis_llm_class_name(precis_llm_class cls);

/* Returns true if cls is worth retrying later with the same request. */
bool precis_llm_class_is_transient(precis_llm_class cls);

#endif
