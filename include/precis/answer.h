/* The answer pipeline: one request when the page fits the context budget, else a
 * parallel map over section-aligned chunks and a streamed reduce. */
#ifndef PRECIS_ANSWER_H
#define PRECIS_ANSWER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/doc.h"
#include "precis/llm.h"
#include "precis/loop.h"
#include "precis/model.h"
#include "precis/prompt.h"

typedef struct precis_answer_opts {
    const precis_prompt *prompt;        /* the main template (summarize, ask, ...) */
    const precis_prompt *map_prompt;    /* for long pages */
    const precis_prompt *reduce_prompt;
    precis_prompt_vars vars;            /* title, url, ..., question; content is set here */
    const char *content;                /* the page(s) as Markdown */
    long context_tokens;                /* the model's context budget */
    size_t jobs;                        /* map requests in flight at once (>= 1) */
    bool stream;
    precis_llm_sink on_delta;           /* the final answer's text */
    void *delta_ctx;
    precis_llm_sink on_reasoning;       /* reasoning text of the final request */
    void *reasoning_ctx;
    void (*on_progress)(void *ctx, const char *line); /* map-reduce progress, or NULL */
    void *progress_ctx;
    const volatile sig_atomic_t *cancel;
    const char *model;                  /* overrides the profile's model, or NULL */
} precis_answer_opts;

typedef struct precis_answer_stats {
    size_t requests;      /* chat requests made (retries not counted) */
    size_t parts;         /* map parts (0: the page fitted one request) */
    long prompt_tokens;   /* summed over every request that reported usage */
    long completion_tokens;
} precis_answer_stats;

/* Answers with model m. res (initialised by the caller, released by the caller)
 * receives the final request's outcome: its text is the answer; on a failure in the
 * map phase it carries that failure. Returns res->code. */
precis_result precis_answer(const precis_model *m, const precis_answer_opts *o,
                            precis_llm_result *res, precis_answer_stats *stats);

/* Sets o's context budget and map jobs from cfg (context_tokens, jobs; 4 when unset). */
void precis_answer_opts_limits(precis_answer_opts *o, const precis_config *cfg);

/* Appends "\n\n[answer cut short: WHY]\n" to out when res holds text that stopped
 * before its end (interrupted, the output token limit, or a failure); nothing else. */
void precis_answer_cut_mark(const precis_llm_result *res, bool interrupted, precis_buf *out);

/* Returns the prompt tokens one request may use with model m in a context of
 * context_tokens (<= 0: 8192): the context less what is kept free for the answer. */
long precis_answer_budget(const precis_model *m, long context_tokens);

/* Appends the content the model reads for docs[0..n) to out: one page's Markdown, or
 * each page under a numbered "# [i] TITLE" heading with its URL. */
void precis_answer_content(precis_doc *const *docs, size_t n, precis_buf *out);

/* An answer in progress on a loop. */
typedef struct precis_answer_job precis_answer_job;

/* Starts answering on loop with model m; m, o (and everything it points to), res
 * (initialised) and st must outlive the job. on_done(ctx) runs once when the answer has
 * ended (res then holds it, as precis_answer describes); it must not free the job.
 * Free the job with precis_answer_free. */
precis_answer_job *precis_answer_start(precis_loop *loop, const precis_model *m,
                                       const precis_answer_opts *o, precis_llm_result *res,
                                       precis_answer_stats *st, void (*on_done)(void *ctx),
                                       void *ctx);

/* Returns true once the answer has ended. */
bool precis_answer_done(const precis_answer_job *job);

/* Ends the answer now, closing its connections: res becomes a cancelled result and
 * on_done runs before this returns. A finished job is left alone. NULL-safe. */
void precis_answer_cancel(precis_answer_job *job);

/* Frees the job (an unfinished one is cancelled first, without on_done). NULL-safe. */
void precis_answer_free(precis_answer_job *job);

#endif
