/* The answer pipeline: fits the context? one request : parallel map-reduce. */
#include "precis/answer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/chunk.h"
#include "precis/render.h"

enum { MAX_LEVELS = 4, MIN_CHUNK_TOKENS = 256 };

/* Tokens kept free for the answer when the profile sets no output limit. */
static long answer_reserve(const precis_model *m, long context)
{
    long max = precis_config_max_tokens(m->cfg);
    if (max > 0)
        return max;
    long r = context / 4;
    return r > 2048 ? 2048 : r;
}

static void add_usage(precis_answer_stats *st, const precis_llm_result *r)
{
    if (r->has_usage) {
        st->prompt_tokens += r->prompt_tokens;
        st->completion_tokens += r->completion_tokens;
    }
}

/* Expands tpl with vars + content; returns the estimated prompt tokens. */
static precis_result expand(const precis_prompt *tpl, const precis_prompt_vars *vars,
                            const char *content, precis_buf *sys, precis_buf *user,
                            size_t *tokens, precis_error *err)
{
    precis_prompt_vars v = *vars;
    v.content = content;
    precis_buf_reset(sys);
    precis_buf_reset(user);
    precis_result r = precis_prompt_expand(tpl, &v, sys, user, err);
    if (tokens)
        *tokens = precis_estimate_tokens(sys->ptr, sys->len) +
                  precis_estimate_tokens(user->ptr, user->len) + 16;
    return r;
}

static void progress(const precis_answer_opts *o, const char *fmt, ...) PRECIS_PRINTF(2, 3);

static void progress(const precis_answer_opts *o, const char *fmt, ...)
{
    if (!o->on_progress)
        return;
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    o->on_progress(o->progress_ctx, line);
}

/* One answer in progress: a state machine over a pool of chat requests on a loop. */
struct precis_answer_job {
    const precis_model *m;
    const precis_answer_opts *o;
    precis_llm_result *res;     /* the caller's: the final answer or the failure */
    precis_answer_stats *st;
    precis_llm_pool *pool;
    void (*on_done)(void *ctx);
    void *done_ctx;
    bool done, cancelled;
    long budget;
    int level;
    bool overflow_retry;        /* the final request may still fall back to map-reduce */
    size_t first_tokens;        /* prompt estimate of the single request */
    precis_buf sys, user, content;
    precis_llm_request final_req;
    int final_id;               /* 0 when no final request is in flight */
    /* the map phase */
    precis_slice *chunks;
    size_t n;
    precis_llm_request *reqs;
    precis_llm_result *mres;
    int *ids;
    char **msys, **muser;
    size_t mdone;
};

static void free_map(precis_answer_job *j)
{
    for (size_t i = 0; i < j->n; i++) {
        precis_llm_result_release(&j->mres[i]);
        free(j->msys[i]);
        free(j->muser[i]);
    }
    free(j->msys);
    free(j->muser);
    free(j->mres);
    free(j->reqs);
    free(j->ids);
    free(j->chunks);
    j->msys = j->muser = NULL;
    j->mres = NULL;
    j->reqs = NULL;
    j->ids = NULL;
    j->chunks = NULL;
    j->n = j->mdone = 0;
}

static void job_finish(precis_answer_job *j, precis_result rc)
{
    if (rc != PRECIS_OK && j->res->code == PRECIS_OK) {
        j->res->code = rc;
        j->res->err.code = rc;
    }
    j->done = true;
    if (j->on_done)
        j->on_done(j->done_ctx);
}

static void start_map(precis_answer_job *j);

static void final_done(void *ctx, precis_llm_result *res)
{
    precis_answer_job *j = ctx;
    j->final_id = 0;
    j->st->requests++;
    add_usage(j->st, res);
    bool retry = j->overflow_retry && !j->cancelled && res->code != PRECIS_OK &&
                 res->cls == PRECIS_LLM_CONTEXT_OVERFLOW && res->text.len == 0;
    if (!retry) {
        job_finish(j, res->code);
        return;
    }
    /* The server's context is smaller than configured: split and go on. */
    j->overflow_retry = false;
    j->budget = (long)j->first_tokens / 2;
    progress(j->o, "the model's context is smaller than %zu tokens: splitting the page",
             j->first_tokens);
    precis_llm_result_release(j->res);
    precis_llm_result_init(j->res);
    start_map(j);
}

/* Sends sys/user as the request that streams the final answer. */
static void start_final(precis_answer_job *j)
{
    const precis_answer_opts *o = j->o;
    precis_llm_request *req = &j->final_req;
    precis_model_request(j->m, req);
    req->system = j->sys.ptr;
    req->user = j->user.ptr;
    req->stream = o->stream;
    req->on_delta = o->on_delta;
    req->delta_ctx = o->delta_ctx;
    req->on_reasoning = o->on_reasoning;
    req->reasoning_ctx = o->reasoning_ctx;
    req->cancel = o->cancel;
    if (o->model)
        req->model = o->model;
    j->final_id = precis_llm_pool_add(j->pool, req, j->res, final_done, j);
}

/* All map requests have ended: go on with their summaries, or fail. */
static void map_gathered(precis_answer_job *j)
{
    const precis_answer_opts *o = j->o;
    precis_result rc = PRECIS_OK;
    size_t failed = 0;
    precis_buf partials;
    precis_buf_init(&partials, 0);
    j->st->requests += j->n;
    j->st->parts += j->n;
    for (size_t i = 0; i < j->n; i++) {
        add_usage(j->st, &j->mres[i]);
        if (j->mres[i].code != PRECIS_OK && rc == PRECIS_OK) {
            rc = j->mres[i].code;
            failed = i;
            continue;
        }
        precis_buf_printf(&partials, "## Part %zu of %zu\n\n", i + 1, j->n);
        precis_buf_append(&partials, j->mres[i].text.ptr, j->mres[i].text.len);
        precis_buf_puts(&partials, "\n\n");
    }
    if (rc != PRECIS_OK) {
        precis_buf_release(&partials);
        precis_llm_result *fail = &j->mres[failed];
        if (!j->cancelled && fail->cls == PRECIS_LLM_CONTEXT_OVERFLOW &&
            j->budget / 2 >= MIN_CHUNK_TOKENS) {
            j->budget /= 2;
            start_map(j);
            return;
        }
        precis_llm_result_release(j->res);
        *j->res = *fail;
        precis_llm_result_init(fail);
        job_finish(j, rc);
        return;
    }
    precis_buf_release(&j->content);
    j->content = partials;
    size_t tokens = 0;
    rc = expand(o->reduce_prompt, &o->vars, j->content.ptr, &j->sys, &j->user, &tokens,
                &j->res->err);
    if (rc != PRECIS_OK) {
        job_finish(j, rc);
        return;
    }
    if ((long)tokens <= j->budget || j->level == MAX_LEVELS - 1) {
        progress(o, "combining %zu partial summaries", j->st->parts);
        start_final(j);
        return;
    }
    j->level++;
    start_map(j);
}

static void map_one_done(void *ctx, precis_llm_result *res)
{
    (void)res;
    precis_answer_job *j = ctx;
    j->mdone++;
    progress(j->o, "summarized part %zu of %zu", j->mdone, j->n);
    if (j->mdone == j->n)
        map_gathered(j);
}

/* Splits the current content into chunks that fit the budget and maps them. */
static void start_map(precis_answer_job *j)
{
    const precis_answer_opts *o = j->o;
    free_map(j);
    size_t overhead = 0;
    expand(o->map_prompt, &o->vars, "", &j->sys, &j->user, &overhead, &j->res->err);
    long chunk = j->budget - (long)overhead;
    if (chunk < MIN_CHUNK_TOKENS)
        chunk = MIN_CHUNK_TOKENS;
    precis_chunk_markdown(j->content.ptr, j->content.len, (size_t)chunk, &j->chunks, &j->n);
    size_t n = j->n;
    j->reqs = precis_xcalloc(n ? n : 1, sizeof *j->reqs);
    j->mres = precis_xcalloc(n ? n : 1, sizeof *j->mres);
    j->ids = precis_xcalloc(n ? n : 1, sizeof *j->ids);
    j->msys = precis_xcalloc(n ? n : 1, sizeof *j->msys);
    j->muser = precis_xcalloc(n ? n : 1, sizeof *j->muser);
    precis_error err;
    precis_error_clear(&err);
    for (size_t i = 0; i < n; i++) {
        precis_buf sb, ub;
        precis_buf_init(&sb, 0);
        precis_buf_init(&ub, 0);
        char *piece = precis_xstrndup(j->chunks[i].ptr, j->chunks[i].len);
        precis_prompt_vars v = o->vars;
        v.part = (int)i + 1;
        v.parts = (int)n;
        precis_result rc = expand(o->map_prompt, &v, piece, &sb, &ub, NULL, &err);
        free(piece);
        j->msys[i] = precis_buf_detach(&sb);
        j->muser[i] = precis_buf_detach(&ub);
        precis_llm_result_init(&j->mres[i]);
        if (rc != PRECIS_OK) {
            j->res->err = err;
            job_finish(j, rc);
            return;
        }
        precis_model_request(j->m, &j->reqs[i]);
        j->reqs[i].system = j->msys[i];
        j->reqs[i].user = j->muser[i];
        j->reqs[i].stream = o->stream;
        j->reqs[i].cancel = o->cancel;
        if (o->model)
            j->reqs[i].model = o->model;
    }
    if (n == 0) {
        job_finish(j, precis_error_set(&j->res->err, PRECIS_ERR_NO_CONTENT,
                                       "nothing to summarize"));
        return;
    }
    progress(o, "the page is long: summarizing it in %zu parts, %zu at a time", n,
             o->jobs < n ? o->jobs : n);
    for (size_t i = 0; i < n; i++)
        j->ids[i] = precis_llm_pool_add(j->pool, &j->reqs[i], &j->mres[i], map_one_done, j);
}

precis_answer_job *precis_answer_start(precis_loop *loop, const precis_model *m,
                                       const precis_answer_opts *o, precis_llm_result *res,
                                       precis_answer_stats *st, void (*on_done)(void *ctx),
                                       void *ctx)
{
    precis_answer_job *j = precis_xcalloc(1, sizeof *j);
    memset(st, 0, sizeof *st);
    j->m = m;
    j->o = o;
    j->res = res;
    j->st = st;
    j->on_done = on_done;
    j->done_ctx = ctx;
    j->pool = precis_llm_pool_new_on(loop, o->jobs ? o->jobs : 1);
    long context = o->context_tokens > 0 ? o->context_tokens : 8192;
    j->budget = context - answer_reserve(m, context);
    if (j->budget < MIN_CHUNK_TOKENS)
        j->budget = MIN_CHUNK_TOKENS;
    precis_buf_init(&j->sys, 0);
    precis_buf_init(&j->user, 0);
    precis_buf_init(&j->content, 0);
    precis_buf_puts(&j->content, o->content ? o->content : "");
    precis_result rc = expand(o->prompt, &o->vars, j->content.ptr, &j->sys, &j->user,
                              &j->first_tokens, &res->err);
    if (rc != PRECIS_OK) {
        job_finish(j, rc);
        return j;
    }
    if ((long)j->first_tokens <= j->budget) {
        j->overflow_retry = true;
        start_final(j);
    } else {
        start_map(j);
    }
    return j;
}

bool precis_answer_done(const precis_answer_job *j)
{
    return j->done;
}

void precis_answer_cancel(precis_answer_job *j)
{
    if (!j || j->done)
        return;
    j->cancelled = true;
    if (j->final_id)
        precis_llm_pool_cancel(j->pool, j->final_id);
    for (size_t i = 0; i < j->n && !j->done; i++)
        precis_llm_pool_cancel(j->pool, j->ids[i]);
}

void precis_answer_free(precis_answer_job *j)
{
    if (!j)
        return;
    j->on_done = NULL;
    precis_llm_pool_free(j->pool); /* unfinished requests end as cancelled */
    free_map(j);
    precis_buf_release(&j->sys);
    precis_buf_release(&j->user);
    precis_buf_release(&j->content);
    free(j);
}

void precis_answer_opts_limits(precis_answer_opts *o, const precis_config *cfg)
{
    o->context_tokens = precis_config_context_tokens(cfg);
    long jobs = precis_config_jobs(cfg);
    o->jobs = jobs > 0 ? (size_t)jobs : 4;
}

void precis_answer_cut_mark(const precis_llm_result *res, bool interrupted, precis_buf *out)
{
    if (res->text.len == 0 || (res->code == PRECIS_OK && !res->truncated))
        return;
    const char *why = interrupted || res->code == PRECIS_ERR_CANCELLED ? "interrupted"
                      : res->code == PRECIS_OK ? "the model reached its output token limit"
                                               : "the model's answer stopped early";
    precis_buf_printf(out, "\n\n[answer cut short: %s]\n", why);
}

long precis_answer_budget(const precis_model *m, long context_tokens)
{
    long context = context_tokens > 0 ? context_tokens : 8192;
    long budget = context - answer_reserve(m, context);
    return budget < MIN_CHUNK_TOKENS ? MIN_CHUNK_TOKENS : budget;
}

void precis_answer_content(precis_doc *const *docs, size_t n, precis_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (n > 1) {
            precis_buf_printf(out, "%s# [%zu] %s\n", i ? "\n\n" : "", i + 1,
                              docs[i]->meta.title ? docs[i]->meta.title : "(untitled)");
            if (docs[i]->meta.url)
                precis_buf_printf(out, "URL: %s\n", docs[i]->meta.url);
            precis_buf_puts(out, "\n");
        }
        precis_render_markdown(docs[i], out);
    }
}

static void sync_done(void *ctx)
{
    (void)ctx;
}

precis_result precis_answer(const precis_model *m, const precis_answer_opts *o,
                            precis_llm_result *res, precis_answer_stats *st)
{
    precis_loop *loop = precis_loop_new();
    precis_answer_job *j = precis_answer_start(loop, m, o, res, st, sync_done, NULL);
    while (!j->done)
        precis_loop_step(loop, NULL, 0, 1000);
    precis_answer_free(j);
    precis_loop_free(loop);
    return res->code;
}
