/* The answer pipeline: one request when the page fits the context budget, else a
 * parallel map over section-aligned chunks and a streamed reduce. */
#ifndef PRECIS_ANSWER_H
#define PRECIS_ANSWER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/llm.h"
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

#endif
