/* The editor server over the doc index: search, and ask over a site (numbered sources,
 * then a streamed answer citing them). The search is a job on the server's loop, so a
 * slow embeddings or expansion request holds up no other request and can be cancelled. */
#include "serve_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/chunk.h"
#include "precis/hits.h"

#define ASK_SOURCES 8

/* Opens the doc index on first use; fails r (and returns NULL) when it cannot. */
static precis_index *open_index(req *r)
{
    server *s = r->s;
    precis_error err;
    if (!s->idx && precis_index_open(NULL, false, &s->idx, &err) != PRECIS_OK) {
        req_fail(r, err.code == PRECIS_ERR_USAGE ? PRECIS_RPC_INVALID_PARAMS : PRECIS_RPC_INTERNAL,
                 err.msg);
        return NULL;
    }
    if (!s->searcher)
        s->searcher = precis_searcher_new(s->idx, s->configured ? s->o->cfg : NULL);
    return s->idx;
}

static void fail_with(req *r, const precis_error *err)
{
    req_fail(r, err->code == PRECIS_ERR_USAGE ? PRECIS_RPC_INVALID_PARAMS : PRECIS_RPC_INTERNAL,
             err->msg);
}

/* With no model: the best sections themselves, streamed as the answer. */
static void ask_offline(req *r, const precis_hit *hits, size_t n)
{
    server *s = r->s;
    const precis_site *site = &r->found;
    precis_error err;
    precis_error_clear(&err);
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_sources_passages(s->idx, hits, n < 3 ? n : 3, 1500, &out, NULL, &err);
    precis_buf_puts(&r->content, out.ptr ? out.ptr : "");
    r->n_docs = 0;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "id", cJSON_Duplicate(r->id, true));
    cJSON_AddStringToObject(p, "title", site->name ? site->name : "");
    cJSON_AddStringToObject(p, "url", site->start_url ? site->start_url : "");
    cJSON_AddNumberToObject(p, "tokens",
                            (double)precis_estimate_tokens(out.ptr ? out.ptr : "", out.len));
    cJSON_AddStringToObject(p, "model", "offline");
    serve_notify(s, "meta", p);
    const char *t = out.ptr ? out.ptr : "", *end = t + out.len;
    while (t < end && !s->out_closed) {
        const char *nl = memchr(t, '\n', (size_t)(end - t));
        size_t k = nl ? (size_t)(nl - t) + 1 : (size_t)(end - t);
        serve_send_text(r, "delta", t, k);
        t += k;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "finish", "stop");
    cJSON_AddNullToObject(o, "usage");
    cJSON_AddNumberToObject(o, "text_len", (double)r->text_len);
    cJSON_AddStringToObject(o, "model", "offline");
    cJSON *srcs = cJSON_AddArrayToObject(o, "sections");
    for (size_t i = 0; i < n && i < 3; i++)
        cJSON_AddItemToArray(srcs, precis_hit_json(&hits[i]));
    r->site_name = precis_xstrdup(site->name ? site->name : "");
    r->site_url = precis_xstrdup(site->start_url ? site->start_url : "");
    serve_log_answer(r, NULL, out.ptr ? out.ptr : "");
    precis_buf_release(&out);
    req_reply(r, o);
}

/* With a model: the sections as numbered sources within the context, then the answer. */
static void ask_model(req *r, const precis_hit *hits, size_t n)
{
    server *s = r->s;
    const precis_site *site = &r->found;
    precis_prompt_vars v;
    memset(&v, 0, sizeof v);
    v.question = r->question;
    v.site = site->name;
    v.lang = r->lang ? r->lang : precis_config_lang(s->o->cfg);
    long budget = precis_sources_budget(&s->model, r->prompt, &v,
                                        precis_config_context_tokens(s->o->cfg));
    precis_error err;
    precis_error_clear(&err);
    if (precis_sources_build(s->idx, hits, n, budget, &r->content, &r->src, &r->nsrc, &err) !=
        PRECIS_OK) {
        req_fail(r, PRECIS_RPC_INTERNAL, err.msg);
        return;
    }
    r->site_name = precis_xstrdup(site->name ? site->name : "");
    r->site_url = precis_xstrdup(site->start_url ? site->start_url : "");
    serve_start_answer(r);
}

static void search_done(void *ctx, precis_result rc, precis_hit *hits, size_t n,
                        precis_error *err)
{
    req *r = ctx;
    r->sj = NULL;
    if (rc != PRECIS_OK) {
        fail_with(r, err);
    } else if (r->kind == REQ_SEARCH) {
        req_reply(r, precis_hits_json(r->query, hits, n));
    } else if (n == 0) {
        char why[600];
        snprintf(why, sizeof why, "no section of %s matches the question",
                 r->found.name ? r->found.name : "the index");
        req_fail(r, PRECIS_RPC_CONTENT, why);
    } else if (!r->s->configured) {
        ask_offline(r, hits, n);
    } else if (serve_model_usable(r, true)) {
        ask_model(r, hits, n);
    }
    precis_hits_free(hits, n);
}

void serve_site_start(req *r)
{
    server *s = r->s;
    precis_index *idx = open_index(r);
    if (!idx)
        return;
    precis_error err;
    if (r->site && precis_index_find_site(idx, r->site, &r->found, &err) != PRECIS_OK) {
        fail_with(r, &err);
        return;
    }
    bool search = r->kind == REQ_SEARCH;
    r->sj = precis_search_start(s->searcher, s->loop, search ? r->query : r->question,
                                r->found.id, search ? (size_t)r->n : ASK_SOURCES, search_done, r);
}
