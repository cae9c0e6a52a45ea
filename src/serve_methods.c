/* The editor server's methods: summarize, ask, extract and models, each a request that
 * loads its pages on the loop, then streams an answer (or replies) as it goes (search and
 * ask over a site: serve_site.c). */
#include "serve_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/answer_log.h"
#include "precis/chunk.h"
#include "precis/offline.h"
#include "precis/page.h"
#include "precis/render.h"

static const char no_model_hint[] =
    "no model configured: set OPENAI_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) "
    "or OPENAI_API_KEY, or add a profile to ~/.config/precis/config (see the README)";

int serve_code_for(precis_result r)
{
    switch (r) {
    case PRECIS_ERR_NO_CONTENT:
    case PRECIS_ERR_UNSUPPORTED:
        return PRECIS_RPC_CONTENT;
    case PRECIS_ERR_API:
        return PRECIS_RPC_MODEL;
    case PRECIS_ERR_CANCELLED:
        return PRECIS_RPC_CANCELLED;
    case PRECIS_ERR_USAGE:
        return PRECIS_RPC_INVALID_PARAMS;
    case PRECIS_ERR_INTERNAL:
        return PRECIS_RPC_INTERNAL;
    default:
        return PRECIS_RPC_FETCH;
    }
}

/* ---- params ---- */

/* Reads an optional string member; false (with why) if present but not a string. */
static bool opt_string(const cJSON *params, const char *name, char **out, char *why, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, name);
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v) || !v->valuestring) {
        snprintf(why, cap, "\"%s\" must be a string", name);
        return false;
    }
    *out = precis_xstrdup(v->valuestring);
    return true;
}

static bool add_source(req *r, const char *src, char *why, size_t cap)
{
    if (!*src) {
        snprintf(why, cap, "an empty url");
        return false;
    }
    if (strcmp(src, "-") == 0) {
        snprintf(why, cap, "\"-\" (stdin) carries the protocol; send the text as \"text\"");
        return false;
    }
    r->sources = precis_xrealloc(r->sources, (r->n_sources + 1) * sizeof *r->sources);
    r->sources[r->n_sources++] = precis_xstrdup(src);
    return true;
}

/* search {query, site?, n?} */
static bool parse_search(req *r, const cJSON *params, char *why, size_t cap)
{
    if (!opt_string(params, "query", &r->query, why, cap) ||
        !opt_string(params, "site", &r->site, why, cap))
        return false;
    if (!r->query) {
        snprintf(why, cap, "search needs \"query\"");
        return false;
    }
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(params, "n");
    r->n = 10;
    if (n && !cJSON_IsNull(n)) {
        if (!cJSON_IsNumber(n) || n->valuedouble < 1 || n->valuedouble > 1000 ||
            n->valuedouble != (double)(long)n->valuedouble) {
            snprintf(why, cap, "\"n\" must be a whole number from 1 to 1000");
            return false;
        }
        r->n = (long)n->valuedouble;
    }
    return true;
}

bool serve_parse_params(req *r, const cJSON *params, char *why, size_t cap)
{
    if (r->kind == REQ_MODELS)
        return true;
    if (r->kind == REQ_SEARCH)
        return parse_search(r, params, why, cap);
    char *url = NULL;
    bool ok = opt_string(params, "url", &url, why, cap) &&
              opt_string(params, "text", &r->text, why, cap) &&
              opt_string(params, "title", &r->title, why, cap) &&
              opt_string(params, "question", &r->question, why, cap) &&
              opt_string(params, "length", &r->length, why, cap) &&
              opt_string(params, "lang", &r->lang, why, cap) &&
              opt_string(params, "model", &r->model, why, cap) &&
              opt_string(params, "format", &r->format, why, cap);
    char *prompt = NULL;
    ok = ok && opt_string(params, "prompt", &prompt, why, cap);
    if (ok && url)
        ok = add_source(r, url, why, cap);
    free(url);
    const cJSON *urls = cJSON_GetObjectItemCaseSensitive(params, "urls");
    if (ok && urls && !cJSON_IsNull(urls)) {
        if (r->kind != REQ_ASK || !cJSON_IsArray(urls)) {
            snprintf(why, cap, r->kind != REQ_ASK ? "\"urls\" is for ask; use \"url\""
                                                  : "\"urls\" must be a list of strings");
            ok = false;
        }
        const cJSON *u;
        cJSON_ArrayForEach(u, urls) {
            if (!ok)
                break;
            if (!cJSON_IsString(u) || !u->valuestring) {
                snprintf(why, cap, "\"urls\" must be a list of strings");
                ok = false;
            } else {
                ok = add_source(r, u->valuestring, why, cap);
            }
        }
    }
    const cJSON *reasoning = cJSON_GetObjectItemCaseSensitive(params, "reasoning");
    if (ok && reasoning && !cJSON_IsNull(reasoning)) {
        if (!cJSON_IsBool(reasoning)) {
            snprintf(why, cap, "\"reasoning\" must be true or false");
            ok = false;
        }
        r->reasoning = cJSON_IsTrue(reasoning);
    }
    if (ok)
        ok = opt_string(params, "site", &r->site, why, cap);
    if (ok && r->site && r->kind != REQ_ASK) {
        snprintf(why, cap, "\"site\" is for ask and search");
        ok = false;
    }
    if (ok && r->site && (r->n_sources > 0 || r->text)) {
        snprintf(why, cap, "give either \"site\" or pages, not both");
        ok = false;
    }
    if (ok && !r->site && (r->n_sources > 0) == (r->text != NULL)) {
        snprintf(why, cap, r->text ? "give either \"text\" or a url, not both"
                                   : r->kind == REQ_ASK ? "ask needs \"url\", \"urls\", \"text\" or \"site\""
                                                        : "give \"url\" or \"text\"");
        ok = false;
    }
    if (ok && r->kind == REQ_ASK && (!r->question || !*r->question)) {
        snprintf(why, cap, "ask needs a non-empty \"question\"");
        ok = false;
    }
    if (ok && r->kind != REQ_ASK && r->question) {
        snprintf(why, cap, "\"question\" is for ask");
        ok = false;
    }
    precis_length len;
    if (ok && r->length && !precis_length_parse(r->length, &len)) {
        snprintf(why, cap, "\"length\" must be short, medium or long, not '%.100s'", r->length);
        ok = false;
    }
    precis_format fmt;
    if (ok && r->format && (r->kind != REQ_EXTRACT || !precis_format_parse(r->format, &fmt))) {
        snprintf(why, cap, r->kind != REQ_EXTRACT ? "\"format\" is for extract"
                                                  : "\"format\" must be markdown, text or json");
        ok = false;
    }
    if (ok && r->kind != REQ_EXTRACT && r->s->configured) {
        const char *name = prompt ? prompt
                           : r->site ? "ask-site"
                           : r->kind == REQ_ASK ? "ask"
                           : precis_config_prompt(r->s->o->cfg);
        if (!name)
            name = "summarize";
        precis_error err;
        if (precis_prompt_load(name, &r->prompt, &err) != PRECIS_OK) {
            snprintf(why, cap, "%s", err.msg);
            ok = false;
        }
    }
    free(prompt);
    return ok;
}

/* ---- answers ---- */

void serve_send_text(req *r, const char *method, const char *s, size_t n)
{
    precis_buf_reset(&r->clean);
    precis_sanitize_feed(&r->san, s, n, &r->clean);
    if (r->clean.len == 0)
        return;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "id", cJSON_Duplicate(r->id, true));
    cJSON_AddStringToObject(p, "text", r->clean.ptr);
    if (strcmp(method, "delta") == 0)
        r->text_len += r->clean.len;
    serve_notify(r->s, method, p);
}

static int on_delta(void *ctx, const char *s, size_t n)
{
    req *r = ctx;
    serve_send_text(r, "delta", s, n);
    return r->s->out_closed || r->done ? 1 : 0;
}

static int on_reasoning(void *ctx, const char *s, size_t n)
{
    req *r = ctx;
    precis_sanitizer keep = r->san;
    precis_sanitize_init(&r->san);
    serve_send_text(r, "reasoning", s, n);
    r->san = keep;
    return r->s->out_closed || r->done ? 1 : 0;
}

static void on_progress(void *ctx, const char *line)
{
    req *r = ctx;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "id", cJSON_Duplicate(r->id, true));
    cJSON_AddStringToObject(p, "message", line);
    serve_notify(r->s, "progress", p);
}

static void send_meta(req *r, const char *model)
{
    const precis_doc *d = r->n_docs == 1 ? r->docs[0] : NULL;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "id", cJSON_Duplicate(r->id, true));
    const char *title = d && d->meta.title ? d->meta.title : r->site_name ? r->site_name : r->title;
    if (title)
        cJSON_AddStringToObject(p, "title", title);
    else
        cJSON_AddNullToObject(p, "title");
    if (d && d->meta.url)
        cJSON_AddStringToObject(p, "url", d->meta.url);
    else if (r->site_url)
        cJSON_AddStringToObject(p, "url", r->site_url);
    else
        cJSON_AddNullToObject(p, "url");
    cJSON_AddNumberToObject(p, "tokens", (double)precis_estimate_tokens(r->content.ptr,
                                                                       r->content.len));
    cJSON_AddStringToObject(p, "model", model ? model : "unknown");
    serve_notify(r->s, "meta", p);
}

static cJSON *usage_json(const precis_answer_stats *st, bool has)
{
    if (!has)
        return cJSON_CreateNull();
    cJSON *u = cJSON_CreateObject();
    cJSON_AddNumberToObject(u, "prompt_tokens", (double)st->prompt_tokens);
    cJSON_AddNumberToObject(u, "completion_tokens", (double)st->completion_tokens);
    cJSON_AddNumberToObject(u, "total_tokens", (double)(st->prompt_tokens + st->completion_tokens));
    return u;
}

void serve_log_answer(req *r, const precis_llm_result *res, const char *text)
{
    server *s = r->s;
    if (!precis_answer_log_wanted(s->o->cfg, s->o->no_log))
        return;
    precis_buf sources, titles;
    precis_buf_init(&sources, 0);
    precis_buf_init(&titles, 0);
    if (r->n_docs)
        precis_log_docs(r->docs, r->n_docs, &sources, &titles);
    else if (r->site_url)
        precis_log_url(r->site_url, &sources);
    precis_log_entry e;
    precis_log_entry_init(&e, "serve", s->o->cfg);
    e.sources = sources.len ? sources.ptr : NULL;
    e.title = titles.len ? titles.ptr : r->site_name ? r->site_name : r->title;
    e.prompt = r->prompt ? r->prompt->name : NULL;
    e.question = r->question;
    if (res) {
        if (r->model)
            e.model = r->model;
        precis_log_entry_set_result(&e, res, &r->st);
        e.exit_status = r->cancelled ? 130 : precis_log_exit_status(res);
        e.partial = e.partial || r->cancelled;
    } else {
        e.model = "offline";
        e.endpoint = NULL;
        e.answer = text;
        e.finish_reason = "stop";
    }
    precis_answer_log_record(&e);
    precis_buf_release(&sources);
    precis_buf_release(&titles);
}

static void answer_done(void *ctx)
{
    req *r = ctx;
    precis_buf_reset(&r->clean);
    precis_sanitize_finish(&r->san, &r->clean);
    if (r->clean.len) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddItemToObject(p, "id", cJSON_Duplicate(r->id, true));
        cJSON_AddStringToObject(p, "text", r->clean.ptr);
        r->text_len += r->clean.len;
        serve_notify(r->s, "delta", p);
    }
    precis_llm_result *res = &r->res;
    serve_log_answer(r, res, NULL);
    if (res->code == PRECIS_ERR_CANCELLED || r->cancelled) {
        req_fail(r, PRECIS_RPC_CANCELLED, "cancelled");
        return;
    }
    if (res->code != PRECIS_OK) {
        const char *msg = res->err.msg[0] ? res->err.msg : precis_strerror(res->code);
        req_fail(r, serve_code_for(res->code == PRECIS_OK ? PRECIS_ERR_API : res->code), msg);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "finish", res->finish_reason ? res->finish_reason : "stop");
    cJSON_AddItemToObject(o, "usage", usage_json(&r->st, r->st.prompt_tokens + r->st.completion_tokens > 0));
    cJSON_AddNumberToObject(o, "text_len", (double)r->text_len);
    const char *model = res->model ? res->model : r->ao.model ? r->ao.model
                                                              : precis_config_model(r->s->o->cfg);
    if (model)
        cJSON_AddStringToObject(o, "model", model);
    if (r->src) {
        int *cited, *invalid;
        size_t ncited, ninvalid;
        precis_citations_scan(res->text.ptr, r->nsrc, &cited, &ncited, &invalid, &ninvalid);
        cJSON_AddItemToObject(o, "sources", precis_sources_json(r->src, r->nsrc));
        cJSON_AddItemToObject(o, "cited", cJSON_CreateIntArray(cited, (int)ncited));
        cJSON_AddItemToObject(o, "invalid_citations", cJSON_CreateIntArray(invalid, (int)ninvalid));
        free(cited);
        free(invalid);
    }
    req_reply(r, o);
}

/* With no model: the offline extractive summary, streamed line by line. */
static void answer_offline(req *r)
{
    precis_length length = PRECIS_LENGTH_MEDIUM;
    precis_length_parse(r->length ? r->length : precis_config_length(r->s->o->cfg), &length);
    precis_buf sum;
    precis_buf_init(&sum, 0);
    precis_result rc = PRECIS_OK;
    for (size_t i = 0; i < r->n_docs; i++) {
        if (i > 0)
            precis_buf_puts(&sum, "\n");
        rc = precis_offline_summarize(r->docs[i], length, &sum);
        if (rc != PRECIS_OK)
            break;
    }
    if (rc != PRECIS_OK) {
        req_fail(r, serve_code_for(rc),
                 rc == PRECIS_ERR_NO_CONTENT ? "the page has no sentences to summarize"
                                             : precis_strerror(rc));
        precis_buf_release(&sum);
        return;
    }
    send_meta(r, "offline");
    const char *p = sum.ptr, *end = sum.ptr + sum.len;
    while (p < end && !r->s->out_closed) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        serve_send_text(r, "delta", p, n);
        p += n;
    }
    serve_log_answer(r, NULL, sum.ptr);
    precis_buf_release(&sum);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "finish", "stop");
    cJSON_AddNullToObject(o, "usage");
    cJSON_AddNumberToObject(o, "text_len", (double)r->text_len);
    cJSON_AddStringToObject(o, "model", "offline");
    req_reply(r, o);
}

bool serve_model_usable(req *r, bool need_model)
{
    server *s = r->s;
    if (!s->model_ready) {
        req_fail(r, serve_code_for(s->model_err.code), s->model_err.msg);
        return false;
    }
    precis_error err;
    if (need_model && !r->model && precis_config_check(s->o->cfg, &err) != PRECIS_OK) {
        req_fail(r, PRECIS_RPC_INVALID_PARAMS, err.msg);
        return false;
    }
    return true;
}

void serve_start_answer(req *r)
{
    server *s = r->s;
    size_t n = r->n_docs;
    precis_answer_opts *o = &r->ao;
    memset(o, 0, sizeof *o);
    o->prompt = r->prompt;
    o->map_prompt = s->map;
    o->reduce_prompt = s->reduce;
    const precis_doc *first = n == 1 ? r->docs[0] : NULL;
    o->vars.title = first ? (first->meta.title ? first->meta.title : r->title) : NULL;
    o->vars.url = first ? first->meta.url : NULL;
    o->vars.site = first ? first->meta.site_name : r->site_name;
    o->vars.date = first ? first->meta.date : NULL;
    o->vars.lang = r->lang ? r->lang : precis_config_lang(s->o->cfg);
    o->vars.length = r->length ? r->length : precis_config_length(s->o->cfg);
    o->vars.question = r->question;
    o->content = r->content.ptr;
    precis_answer_opts_limits(o, s->o->cfg);
    o->stream = true;
    o->on_delta = on_delta;
    o->delta_ctx = r;
    o->on_reasoning = r->reasoning ? on_reasoning : NULL;
    o->reasoning_ctx = r;
    o->on_progress = on_progress;
    o->progress_ctx = r;
    o->model = r->model;
    send_meta(r, r->model ? r->model : precis_config_model(s->o->cfg));
    r->aj = precis_answer_start(s->loop, &s->model, o, &r->res, &r->st, answer_done, r);
}

static void answer_with_model(req *r)
{
    if (serve_model_usable(r, true))
        serve_start_answer(r);
}

static void do_extract(req *r)
{
    precis_format fmt = PRECIS_FORMAT_MARKDOWN;
    if (r->format)
        precis_format_parse(r->format, &fmt);
    const precis_doc *d = r->docs[0];
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render(d, fmt, &out);
    cJSON *o = cJSON_CreateObject();
    const char *title = d->meta.title ? d->meta.title : r->title;
    if (title)
        cJSON_AddStringToObject(o, "title", title);
    else
        cJSON_AddNullToObject(o, "title");
    if (d->meta.url)
        cJSON_AddStringToObject(o, "url", d->meta.url);
    else
        cJSON_AddNullToObject(o, "url");
    cJSON_AddStringToObject(o, "format", fmt == PRECIS_FORMAT_TEXT   ? "text"
                                         : fmt == PRECIS_FORMAT_JSON ? "json"
                                                                     : "markdown");
    cJSON_AddStringToObject(o, "content", out.ptr ? out.ptr : "");
    precis_buf_release(&out);
    req_reply(r, o);
}

/* Every page is loaded: answer, summarize or extract. */
static void pages_ready(req *r)
{
    if (r->kind == REQ_EXTRACT) {
        do_extract(r);
        return;
    }
    precis_answer_content(r->docs, r->n_docs, &r->content);
    if (!r->s->configured) {
        if (r->kind == REQ_ASK)
            req_fail(r, PRECIS_RPC_INVALID_PARAMS, no_model_hint);
        else
            answer_offline(r);
    } else {
        answer_with_model(r);
    }
}

static void on_page(void *ctx, precis_result rc, precis_response *resp, precis_error *err)
{
    serve_load *lc = ctx;
    req *r = lc->r;
    size_t i = lc->i;
    r->jobs[i] = NULL;
    r->pending--;
    if (r->done)
        return;
    if (rc == PRECIS_OK)
        rc = precis_page_from_response(r->sources[i], resp, r->s->o->fetch, r->s->o->extract,
                                       &r->docs[i], err);
    if (rc != PRECIS_OK) {
        req_stop(r);
        req_fail(r, serve_code_for(rc), err->msg[0] ? err->msg : precis_strerror(rc));
        return;
    }
    if (r->pending == 0)
        pages_ready(r);
}

static void models_done(void *ctx, char **ids, size_t n, precis_llm_result *res)
{
    req *r = ctx;
    r->mj = NULL;
    if (!ids) {
        req_fail(r, PRECIS_RPC_MODEL, res->err.msg[0] ? res->err.msg : "the model list failed");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(o, "models");
    for (size_t k = 0; k < n; k++)
        cJSON_AddItemToArray(a, cJSON_CreateString(ids[k]));
    precis_llm_models_free(ids, n);
    req_reply(r, o);
}

void serve_start(req *r)
{
    server *s = r->s;
    if (r->kind == REQ_SEARCH || r->site) {
        serve_site_start(r);
        return;
    }
    if (r->kind == REQ_MODELS) {
        if (!s->configured) {
            req_fail(r, PRECIS_RPC_INVALID_PARAMS, no_model_hint);
            return;
        }
        if (!serve_model_usable(r, false))
            return;
        precis_model_request(&s->model, &r->mreq);
        r->mj = precis_llm_models_start(s->loop, &r->mreq, &r->res, models_done, r);
        return;
    }
    if (r->text) {
        r->n_docs = 1;
        r->docs = precis_xcalloc(1, sizeof *r->docs);
        precis_error err;
        precis_error_clear(&err);
        precis_result rc = precis_page_from_text(r->text, strlen(r->text),
                                                 r->title ? r->title : "text", s->o->extract,
                                                 &r->docs[0], &err);
        if (rc != PRECIS_OK) {
            req_fail(r, serve_code_for(rc), err.msg[0] ? err.msg : precis_strerror(rc));
            return;
        }
        if (r->title && !r->docs[0]->meta.title)
            precis_set_string(&r->docs[0]->meta.title, r->title);
        if (r->docs[0]->meta.url && r->title && strcmp(r->docs[0]->meta.url, r->title) == 0)
            precis_set_string(&r->docs[0]->meta.url, NULL);
        pages_ready(r);
        return;
    }
    r->n_docs = r->n_sources;
    r->docs = precis_xcalloc(r->n_docs, sizeof *r->docs);
    r->jobs = precis_xcalloc(r->n_sources, sizeof *r->jobs);
    r->loads = precis_xcalloc(r->n_sources, sizeof *r->loads);
    r->pending = r->n_sources;
    for (size_t i = 0; i < r->n_sources; i++) {
        r->loads[i] = (serve_load){r, i};
        r->jobs[i] = precis_fetch_start(s->loop, r->sources[i], s->o->fetch, on_page,
                                        &r->loads[i]);
    }
}

void req_stop(req *r)
{
    for (size_t i = 0; r->jobs && i < r->n_sources; i++) {
        if (r->jobs[i]) {
            precis_fetch_job_cancel(r->jobs[i]);
            r->jobs[i] = NULL;
        }
    }
    if (r->aj && !precis_answer_done(r->aj)) {
        r->cancelled = true;
        precis_answer_cancel(r->aj);
    }
    if (r->mj) {
        precis_llm_models_cancel(r->mj);
        r->mj = NULL;
    }
    precis_search_cancel(r->sj); /* closes its embeddings / expansion request */
    r->sj = NULL;
}

void req_free(req *r)
{
    req_stop(r);
    precis_answer_free(r->aj);
    for (size_t i = 0; i < r->n_docs; i++)
        precis_doc_free(r->docs[i]);
    free(r->loads);
    for (size_t i = 0; i < r->n_sources; i++)
        free(r->sources[i]);
    free(r->sources);
    free(r->docs);
    free(r->jobs);
    free(r->text);
    free(r->title);
    free(r->question);
    free(r->length);
    free(r->lang);
    free(r->model);
    free(r->format);
    free(r->site);
    free(r->query);
    free(r->site_name);
    free(r->site_url);
    precis_site_release(&r->found);
    precis_sources_free(r->src, r->nsrc);
    precis_prompt_free(r->prompt);
    precis_buf_release(&r->content);
    precis_buf_release(&r->clean);
    precis_llm_result_release(&r->res);
    cJSON_Delete(r->id);
    free(r);
}
