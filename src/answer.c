/* The answer pipeline: fits the context? one request : parallel map-reduce. */
#include "precis/answer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/chunk.h"

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

typedef struct map_state {
    const precis_answer_opts *o;
    size_t done, total;
} map_state;

static void map_done(void *ctx, precis_llm_result *res)
{
    (void)res;
    map_state *ms = ctx;
    ms->done++;
    progress(ms->o, "summarized part %zu of %zu", ms->done, ms->total);
}

/* Maps content in chunks of chunk_tokens; appends "## Part i" + summaries to out.
 * On failure copies the failing result into fail. */
static precis_result map_phase(const precis_model *m, const precis_answer_opts *o,
                               const char *content, size_t chunk_tokens, precis_buf *out,
                               precis_llm_result *fail, precis_answer_stats *st)
{
    precis_slice *chunks = NULL;
    size_t n = 0;
    precis_chunk_markdown(content, strlen(content), chunk_tokens, &chunks, &n);
    precis_llm_request *reqs = precis_xcalloc(n ? n : 1, sizeof *reqs);
    precis_llm_result *res = precis_xcalloc(n ? n : 1, sizeof *res);
    char **sys = precis_xcalloc(n ? n : 1, sizeof *sys);
    char **user = precis_xcalloc(n ? n : 1, sizeof *user);
    precis_result rc = PRECIS_OK;
    precis_error err;
    precis_error_clear(&err);
    for (size_t i = 0; i < n; i++) {
        precis_buf s, u;
        precis_buf_init(&s, 0);
        precis_buf_init(&u, 0);
        char *piece = precis_xstrndup(chunks[i].ptr, chunks[i].len);
        precis_prompt_vars v = o->vars;
        v.part = (int)i + 1;
        v.parts = (int)n;
        rc = expand(o->map_prompt, &v, piece, &s, &u, NULL, &err);
        free(piece);
        sys[i] = precis_buf_detach(&s);
        user[i] = precis_buf_detach(&u);
        if (rc != PRECIS_OK)
            break;
        precis_model_request(m, &reqs[i]);
        reqs[i].system = sys[i];
        reqs[i].user = user[i];
        reqs[i].stream = o->stream;
        reqs[i].cancel = o->cancel;
        precis_llm_result_init(&res[i]);
    }
    if (rc != PRECIS_OK) {
        precis_llm_result_init(fail);
        fail->code = rc;
        fail->err = err;
        goto out;
    }
    progress(o, "the page is long: summarizing it in %zu parts, %zu at a time", n,
             o->jobs < n ? o->jobs : n);
    map_state ms = {o, 0, n};
    precis_llm_pool *pool = precis_llm_pool_new(o->jobs);
    for (size_t i = 0; i < n; i++)
        precis_llm_pool_add(pool, &reqs[i], &res[i], map_done, &ms);
    while (precis_llm_pool_step(pool, NULL, 0, 100) > 0)
        ;
    precis_llm_pool_free(pool);
    st->requests += n;
    st->parts += n;
    for (size_t i = 0; i < n; i++) {
        add_usage(st, &res[i]);
        if (res[i].code != PRECIS_OK && rc == PRECIS_OK) {
            rc = res[i].code;
            *fail = res[i];
            precis_llm_result_init(&res[i]);
            continue;
        }
        precis_buf_printf(out, "## Part %zu of %zu\n\n", i + 1, n);
        precis_buf_append(out, res[i].text.ptr, res[i].text.len);
        precis_buf_puts(out, "\n\n");
    }
out:
    for (size_t i = 0; i < n; i++) {
        precis_llm_result_release(&res[i]);
        free(sys[i]);
        free(user[i]);
    }
    free(sys);
    free(user);
    free(res);
    free(reqs);
    free(chunks);
    return rc;
}

/* One request streaming the final answer. */
static precis_result final_request(const precis_model *m, const precis_answer_opts *o,
                                   const char *sys, const char *user, precis_llm_result *res,
                                   precis_answer_stats *st)
{
    precis_llm_request req;
    precis_model_request(m, &req);
    req.system = sys;
    req.user = user;
    req.stream = o->stream;
    req.on_delta = o->on_delta;
    req.delta_ctx = o->delta_ctx;
    req.on_reasoning = o->on_reasoning;
    req.reasoning_ctx = o->reasoning_ctx;
    req.cancel = o->cancel;
    precis_result r = precis_llm_chat(&req, res);
    st->requests++;
    add_usage(st, res);
    return r;
}

precis_result precis_answer(const precis_model *m, const precis_answer_opts *o,
                            precis_llm_result *res, precis_answer_stats *st)
{
    memset(st, 0, sizeof *st);
    long context = o->context_tokens > 0 ? o->context_tokens : 8192;
    long budget = context - answer_reserve(m, context);
    if (budget < MIN_CHUNK_TOKENS)
        budget = MIN_CHUNK_TOKENS;
    precis_buf sys, user, content;
    precis_buf_init(&sys, 0);
    precis_buf_init(&user, 0);
    precis_buf_init(&content, 0);
    precis_buf_puts(&content, o->content ? o->content : "");
    precis_result rc;
    size_t tokens = 0;

    rc = expand(o->prompt, &o->vars, content.ptr, &sys, &user, &tokens, &res->err);
    if (rc != PRECIS_OK)
        goto fail_early;
    if ((long)tokens <= budget) {
        rc = final_request(m, o, sys.ptr, user.ptr, res, st);
        if (rc == PRECIS_OK || res->cls != PRECIS_LLM_CONTEXT_OVERFLOW || res->text.len > 0)
            goto out;
        /* The server's context is smaller than configured: split and go on. */
        budget = (long)tokens / 2;
        progress(o, "the model's context is smaller than %zu tokens: splitting the page",
                 tokens);
        precis_llm_result_release(res);
        precis_llm_result_init(res);
    }

    for (int level = 0; level < MAX_LEVELS; level++) {
        size_t overhead = 0;
        expand(o->map_prompt, &o->vars, "", &sys, &user, &overhead, &res->err);
        long chunk = budget - (long)overhead;
        if (chunk < MIN_CHUNK_TOKENS)
            chunk = MIN_CHUNK_TOKENS;
        precis_buf partials;
        precis_buf_init(&partials, 0);
        precis_llm_result fail;
        precis_llm_result_init(&fail);
        rc = map_phase(m, o, content.ptr, (size_t)chunk, &partials, &fail, st);
        if (rc != PRECIS_OK) {
            precis_buf_release(&partials);
            if (fail.cls == PRECIS_LLM_CONTEXT_OVERFLOW && budget / 2 >= MIN_CHUNK_TOKENS) {
                precis_llm_result_release(&fail);
                budget /= 2;
                level--;
                continue;
            }
            precis_llm_result_release(res);
            *res = fail;
            goto out;
        }
        precis_llm_result_release(&fail);
        precis_buf_release(&content);
        content = partials;
        rc = expand(o->reduce_prompt, &o->vars, content.ptr, &sys, &user, &tokens, &res->err);
        if (rc != PRECIS_OK)
            goto fail_early;
        if ((long)tokens <= budget || level == MAX_LEVELS - 1) {
            progress(o, "combining %zu partial summaries", st->parts);
            rc = final_request(m, o, sys.ptr, user.ptr, res, st);
            goto out;
        }
    }
    rc = PRECIS_ERR_INTERNAL;
fail_early:
    res->code = rc;
    res->err.code = rc;
out:
    precis_buf_release(&sys);
    precis_buf_release(&user);
    precis_buf_release(&content);
    return rc;
}
