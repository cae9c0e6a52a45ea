/* Shared between the editor server's loop (serve.c) and its methods (serve_*.c). */
#ifndef PRECIS_SERVE_INTERNAL_H
#define PRECIS_SERVE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "precis/answer.h"
#include "precis/doc.h"
#include "precis/fetch.h"
#include "precis/llm.h"
#include "precis/loop.h"
#include "precis/model.h"
#include "precis/prompt.h"
#include "precis/rpc.h"
#include "precis/search.h"
#include "precis/serve.h"
#include "precis/sources.h"
#include "precis/term.h"

typedef struct server server;

typedef enum req_kind { REQ_SUMMARIZE, REQ_ASK, REQ_EXTRACT, REQ_MODELS, REQ_SEARCH } req_kind;

/* What a page fetch reports back to: its request and the page's index. */
typedef struct serve_load {
    struct req *r;
    size_t i;
} serve_load;

/* One request in flight. Everything is owned by the request and freed by req_free. */
typedef struct req {
    server *s;
    cJSON *id;                 /* a copy of the request's id */
    req_kind kind;
    bool done;                 /* its reply has been sent: reaped after the step */
    bool cancelled;
    /* inputs */
    char **sources;            /* URLs or paths to load */
    size_t n_sources;
    char *text, *title;        /* text given directly, with an optional title */
    char *question, *length, *lang, *model, *format;
    char *site, *query;        /* ask over an indexed site; search */
    char *site_name, *site_url;/* the site found, for meta */
    precis_site found;         /* search / ask over a site: the site named (id 0: all) */
    precis_search_job *sj;     /* its search while the model requests run */
    long n;                    /* search: how many results */
    bool reasoning;
    precis_prompt *prompt;
    /* loading */
    precis_fetch_job **jobs;
    serve_load *loads;
    precis_doc **docs;
    size_t n_docs;
    size_t pending;
    /* answering */
    precis_answer_opts ao;
    precis_buf content;
    precis_llm_result res;
    precis_answer_stats st;
    precis_answer_job *aj;
    precis_llm_request mreq;
    precis_llm_models_job *mj;
    precis_source *src;        /* ask --site: the numbered sources */
    size_t nsrc;
    precis_sanitizer san;
    precis_buf clean;
    size_t text_len;
} req;

struct server {
    const precis_serve_opts *o;
    precis_loop *loop;
    bool configured;           /* a model endpoint is configured (and not --offline) */
    bool model_ready;          /* model is initialised (the key resolved) */
    precis_model model;
    precis_error model_err;
    precis_prompt *map, *reduce;
    precis_index *idx;         /* the doc index, opened on first use */
    precis_searcher *searcher; /* over idx, made with it */
    req **reqs;
    size_t n, cap;
    bool out_closed;
};

/* Writes the lines in b (then empties it) to the protocol output; on a closed output
 * marks the server so that it stops. */
void serve_write(server *s, precis_buf *b);

/* Sends a result / an error / a notification. */
void serve_result(server *s, const cJSON *id, cJSON *result);
void serve_error(server *s, const cJSON *id, int code, const char *message);
void serve_notify(server *s, const char *method, cJSON *params);

/* Ends r with result (taken) or an error and marks it done. */
void req_reply(req *r, cJSON *result);
void req_fail(req *r, int code, const char *message);

/* Starts the work of a parsed summarize/ask/extract/search/models request r (params checked
 * by the caller's dispatcher through serve_parse_params). */
void serve_start(req *r);

/* Fills r's inputs from params; on bad params returns false with why set. */
bool serve_parse_params(req *r, const cJSON *params, char *why, size_t cap);

/* Starts a search or an ask over a site (serve_site.c): the site found, the search run
 * on the loop, then the reply or the answer. Fails r when the site or index is not there. */
void serve_site_start(req *r);

/* Sends sanitised text as one notification of method (delta or reasoning) for r. */
void serve_send_text(req *r, const char *method, const char *s, size_t n);

/* Appends r's answer to the answer log unless it is off. res NULL: text is the offline
 * answer. */
void serve_log_answer(req *r, const precis_llm_result *res, const char *text);

/* Fails r when the endpoint is unusable or no model is named; returns false then. */
bool serve_model_usable(req *r, bool need_model);

/* Starts the answer job for r->content with r->prompt, announcing it with meta. */
void serve_start_answer(req *r);

/* Stops whatever r is doing (its reply is the caller's business). */
void req_stop(req *r);

/* Frees r and everything it owns. */
void req_free(req *r);

/* Maps a loading failure to a protocol error code. */
int serve_code_for(precis_result r);

#endif
