/* `precis ask --site SITE -q QUESTION`: a cited answer from the doc index, or the best
 * sections themselves when no model is configured. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/answer.h"
#include "precis/answer_log.h"
#include "precis/chunk.h"
#include "precis/cli.h"
#include "precis/cli_model.h"
#include "precis/hits.h"
#include "precis/index.h"
#include "precis/search.h"
#include "precis/sources.h"
#include "precis/term.h"

#define DEFAULT_SOURCES 8
#define OFFLINE_SECTIONS 3
#define PASSAGE_BYTES 1500

static const char offline_hint[] =
    "no model configured: showing the best sections of the index; set OPENAI_BASE_URL "
    "(e.g. http://localhost:11434/v1 for Ollama) or OPENAI_API_KEY, or add a profile to "
    "~/.config/precis/config (see the README) for a written answer";

static precis_term *new_term(const precis_cli *cli)
{
    precis_color_mode color = PRECIS_COLOR_AUTO;
    if (cli->color)
        precis_color_mode_parse(cli->color, &color);
    return precis_term_new(stdout, color);
}

/* Appends an answer from site to the answer log (unless it is off). res NULL: the
 * offline answer text. */
static void log_site_answer(const precis_cli *cli, const precis_config *cfg,
                            const precis_site *site, const char *prompt,
                            const precis_llm_result *res, const precis_answer_stats *st,
                            const char *text, int rc)
{
    if (!precis_answer_log_wanted(cfg, cli->no_log))
        return;
    precis_buf url;
    precis_buf_init(&url, 0);
    if (site->start_url)
        precis_log_url(site->start_url, &url);
    precis_log_entry e;
    precis_log_entry_init(&e, "ask-site", cfg);
    e.sources = url.len ? url.ptr : NULL;
    e.title = site->name;
    e.prompt = prompt;
    e.question = cli->question;
    if (res) {
        precis_log_entry_set_result(&e, res, st);
    } else {
        e.model = "offline";
        e.endpoint = NULL;
        e.answer = text;
        e.finish_reason = rc == 0 ? "stop" : NULL;
    }
    e.exit_status = rc;
    precis_answer_log_record(&e);
    precis_buf_release(&url);
}

/* The offline answer: the best sections, each with its path, deep link and passage. */
static int answer_offline(const precis_cli *cli, const precis_config *cfg,
                          const precis_site *site, precis_index *idx, const precis_hit *hits,
                          size_t n)
{
    size_t k = n < OFFLINE_SECTIONS ? n : OFFLINE_SECTIONS;
    precis_buf out;
    precis_buf_init(&out, 0);
    cJSON *json = cli->json ? cJSON_CreateArray() : NULL;
    precis_error err;
    if (precis_sources_passages(idx, hits, k, PASSAGE_BYTES, &out, json, &err) !=
        PRECIS_OK) {
        precis_warn("%s", err.msg);
        cJSON_Delete(json);
        precis_buf_release(&out);
        return 2;
    }
    int rc = 0;
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "question", cli->question);
        cJSON_AddStringToObject(o, "model", "offline");
        cJSON_AddItemToObject(o, "sections", json);
        char *s = cJSON_Print(o);
        precis_write_stdout(s, strlen(s));
        precis_write_stdout("\n", 1);
        cJSON_free(s);
        cJSON_Delete(o);
    } else {
        precis_term *t = new_term(cli);
        precis_term_write(t, out.ptr, out.len);
        if (precis_term_finish(t))
            rc = 2;
        precis_term_free(t);
    }
    log_site_answer(cli, cfg, site, NULL, NULL, NULL, out.ptr, rc);
    precis_buf_release(&out);
    return rc;
}

static int collect_only(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return precis_interrupted ? 1 : 0;
}

/* Prints the Sources list: the cited sources as deep links, invalid numbers flagged. */
static void print_sources(const precis_source *src, size_t nsrc, const int *cited,
                          size_t ncited, const int *invalid, size_t ninvalid)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    if (ncited || ninvalid)
        precis_buf_puts(&out, "\nSources:\n");
    for (size_t i = 0; i < ncited; i++) {
        const precis_source *s = &src[cited[i] - 1];
        precis_buf_printf(&out, "[%d] %s\n    %s\n", s->n, s->path, s->url);
    }
    for (size_t i = 0; i < ninvalid; i++)
        precis_buf_printf(&out, "[%d] (no such source: the answer cites a number that was not "
                                "given, so it links nowhere)\n",
                          invalid[i]);
    if (ncited == 0 && nsrc > 0)
        precis_buf_puts(&out, "\n(the answer cites none of the sources)\n");
    precis_write_stdout(out.ptr, out.len);
    precis_buf_release(&out);
}

static void print_json(const precis_cli *cli, const char *site, const precis_llm_result *res,
                       const precis_answer_stats *st, const precis_source *src, size_t nsrc,
                       const int *cited, size_t ncited, const int *invalid, size_t ninvalid,
                       const char *model)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "question", cli->question);
    cJSON_AddStringToObject(o, "site", site);
    cJSON_AddStringToObject(o, "model", res->model ? res->model : model ? model : "");
    cJSON_AddStringToObject(o, "answer", res->text.ptr ? res->text.ptr : "");
    if (res->finish_reason)
        cJSON_AddStringToObject(o, "finish_reason", res->finish_reason);
    if (res->code != PRECIS_OK)
        cJSON_AddStringToObject(o, "error", res->err.msg);
    cJSON_AddItemToObject(o, "sources", precis_sources_json(src, nsrc));
    cJSON_AddItemToObject(o, "cited", cJSON_CreateIntArray(cited, (int)ncited));
    cJSON_AddItemToObject(o, "invalid_citations", cJSON_CreateIntArray(invalid, (int)ninvalid));
    cJSON *u = cJSON_AddObjectToObject(o, "usage");
    cJSON_AddNumberToObject(u, "prompt_tokens", (double)st->prompt_tokens);
    cJSON_AddNumberToObject(u, "completion_tokens", (double)st->completion_tokens);
    char *s = cJSON_Print(o);
    precis_write_stdout(s, strlen(s));
    precis_write_stdout("\n", 1);
    cJSON_free(s);
    cJSON_Delete(o);
}

static int answer_with_model(const precis_cli *cli, precis_cli_model *cm, precis_index *idx,
                             const precis_site *site, const precis_hit *hits, size_t n)
{
    precis_error err;
    precis_result r = precis_cli_model_connect(cm, cli, &err);
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return precis_exit_code(r);
    }
    precis_prompt_vars v;
    memset(&v, 0, sizeof v);
    v.question = cli->question;
    v.site = site->name;
    v.lang = precis_config_lang(cm->cfg);
    long budget = precis_sources_budget(&cm->model, cm->prompt, &v,
                                        precis_config_context_tokens(cm->cfg));
    precis_buf content;
    precis_buf_init(&content, 0);
    precis_source *src = NULL;
    size_t nsrc = 0;
    if (precis_sources_build(idx, hits, n, budget, &content, &src, &nsrc, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        precis_buf_release(&content);
        return 2;
    }
    precis_term *out = new_term(cli);
    precis_term_set_status(out, cm->status);
    precis_answer_opts o;
    memset(&o, 0, sizeof o);
    o.prompt = cm->prompt;
    o.map_prompt = cm->map;
    o.reduce_prompt = cm->reduce;
    o.vars = v;
    o.vars.length = precis_config_length(cm->cfg);
    o.content = content.ptr;
    precis_answer_opts_limits(&o, cm->cfg);
    o.stream = !cli->no_stream;
    o.on_delta = cli->json ? collect_only : precis_term_write;
    o.delta_ctx = out;
    o.cancel = &precis_interrupted;
    char waiting[300];
    snprintf(waiting, sizeof waiting, "asking %s about %zu sections of %s…",
             precis_config_model(cm->cfg) ? precis_config_model(cm->cfg) : "the model", nsrc,
             site->name);
    precis_status_set(cm->status, waiting);
    precis_llm_result res;
    precis_llm_result_init(&res);
    precis_answer_stats st;
    r = precis_answer(&cm->model, &o, &res, &st);
    precis_status_clear(cm->status);
    int *cited, *invalid;
    size_t ncited, ninvalid;
    precis_citations_scan(res.text.ptr, nsrc, &cited, &ncited, &invalid, &ninvalid);
    int rc = 0;
    if (cli->json) {
        print_json(cli, site->name, &res, &st, src, nsrc, cited, ncited, invalid, ninvalid,
                   precis_config_model(cm->cfg));
    } else {
        precis_buf mark;
        precis_buf_init(&mark, 0);
        precis_answer_cut_mark(&res, false, &mark);
        if (mark.len)
            precis_term_write(out, mark.ptr, mark.len);
        precis_buf_release(&mark);
        precis_term_finish(out);
        if (res.text.len > 0)
            print_sources(src, nsrc, cited, ncited, invalid, ninvalid);
    }
    if (r == PRECIS_ERR_CANCELLED || precis_interrupted) {
        precis_warn("interrupted");
        rc = 130;
    } else if (r != PRECIS_OK) {
        precis_warn("%s", res.err.msg[0] ? res.err.msg : precis_strerror(r));
        rc = precis_exit_code(r);
    } else if (ninvalid > 0) {
        precis_warn("the answer cites %zu source number%s that %s not given; they are flagged "
                    "under Sources",
                    ninvalid, ninvalid == 1 ? "" : "s", ninvalid == 1 ? "was" : "were");
    }
    if (cli->verbose)
        precis_warn("model %s: %ld prompt + %ld completion tokens, %zu sources; first token "
                    "%.3f s, total %.3f s",
                    res.model ? res.model : precis_config_model(cm->cfg), st.prompt_tokens,
                    st.completion_tokens, nsrc, res.ttft_s, res.total_s);
    log_site_answer(cli, cm->cfg, site, cm->prompt ? cm->prompt->name : NULL, &res, &st, NULL,
                    rc);
    free(cited);
    free(invalid);
    precis_llm_result_release(&res);
    precis_term_free(out);
    precis_sources_free(src, nsrc);
    precis_buf_release(&content);
    return rc;
}

int precis_cmd_ask_site(const precis_cli *cli)
{
    if (cli->n_sources > 0) {
        precis_warn("give either pages or --site, not both: precis ask --site SITE -q "
                    "QUESTION");
        return 1;
    }
    precis_index *idx = NULL;
    precis_error err;
    precis_error_clear(&err);
    precis_site site;
    memset(&site, 0, sizeof site);
    precis_hit *hits = NULL;
    size_t n = 0;
    int rc = 0;
    size_t k = cli->results > 0 ? (size_t)cli->results : DEFAULT_SOURCES;
    precis_cli_model cm;
    if (precis_cli_model_open(cli, "ask-site", &cm, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        precis_cli_model_close(&cm);
        return precis_exit_code(err.code);
    }
    if (precis_index_open(NULL, false, &idx, &err) != PRECIS_OK ||
        precis_index_find_site(idx, cli->site, &site, &err) != PRECIS_OK ||
        precis_search(idx, cli->offline ? NULL : cm.cfg, cli->question, site.id, k,
                      &precis_interrupted, &hits, &n, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        rc = err.code == PRECIS_ERR_USAGE ? 1 : err.code == PRECIS_ERR_CANCELLED ? 130 : 2;
        goto out;
    }
    if (n == 0) {
        precis_warn("no section of %s matches the question; try other words, or "
                    "'precis search --site %s WORDS'",
                    site.name, site.name);
        rc = 3;
    } else if (!cm.configured || cli->offline) {
        if (!cli->offline)
            precis_warn("%s", offline_hint);
        rc = answer_offline(cli, cm.cfg, &site, idx, hits, n);
    } else {
        rc = answer_with_model(cli, &cm, idx, &site, hits, n);
    }
out:
    precis_cli_model_close(&cm);
    precis_hits_free(hits, n);
    precis_site_release(&site);
    precis_index_close(idx);
    return rc;
}
