/* `precis URL` and `precis ask URL... -q QUESTION`: fetch, extract, answer. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "precis/answer.h"
#include "precis/answer_log.h"
#include "precis/cli.h"
#include "precis/cli_model.h"
#include "precis/offline.h"
#include "precis/render.h"
#include "precis/term.h"

static const char configure_hint[] =
    "no model configured: showing an offline extractive summary; set OPENAI_BASE_URL "
    "(e.g. http://localhost:11434/v1 for Ollama) or OPENAI_API_KEY, or add a profile to "
    "~/.config/precis/config (see the README)";

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

/* A JSON object holding the page's metadata; the caller adds the answer. */
static cJSON *page_json(const precis_doc *doc)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "url", doc ? doc->meta.url : NULL);
    add_str(o, "title", doc ? doc->meta.title : NULL);
    add_str(o, "site_name", doc ? doc->meta.site_name : NULL);
    add_str(o, "date", doc ? doc->meta.date : NULL);
    add_str(o, "lang", doc ? doc->meta.lang : NULL);
    return o;
}

/* Appends o as pretty JSON plus a newline to out and deletes o. */
static void json_out(cJSON *o, precis_buf *out)
{
    char *s = cJSON_Print(o);
    precis_buf_puts(out, s);
    precis_buf_puts(out, "\n");
    cJSON_free(s);
    cJSON_Delete(o);
}

/* What the offline path needs besides the command line. */
typedef struct offline_ctx {
    precis_length length;
    const precis_config *cfg;
} offline_ctx;

/* Appends the offline answer about doc to the answer log (unless it is off). */
static void log_offline(const precis_cli *cli, const offline_ctx *c, const precis_doc *doc,
                        const char *summary, precis_result r)
{
    if (!precis_answer_log_wanted(c->cfg, cli->no_log))
        return;
    precis_buf sources, titles;
    precis_buf_init(&sources, 0);
    precis_buf_init(&titles, 0);
    precis_doc *d = (precis_doc *)doc;
    precis_log_docs(&d, 1, &sources, &titles);
    precis_log_entry e;
    precis_log_entry_init(&e, "summarize", c->cfg);
    e.model = "offline";
    e.endpoint = NULL;
    e.sources = sources.len ? sources.ptr : NULL;
    e.title = titles.len ? titles.ptr : NULL;
    e.answer = summary;
    e.finish_reason = r == PRECIS_OK ? "stop" : NULL;
    e.exit_status = precis_exit_code(r);
    precis_answer_log_record(&e);
    precis_buf_release(&sources);
    precis_buf_release(&titles);
}

/* The offline path: an extractive summary of each page. */
static precis_result summarize_page(void *ctx, const precis_cli *cli, size_t i,
                                    const precis_doc *doc, precis_buf *out)
{
    const offline_ctx *c = ctx;
    const precis_length *length = &c->length;
    precis_buf summary;
    precis_buf_init(&summary, 0);
    precis_result r = precis_offline_summarize(doc, *length, &summary);
    log_offline(cli, c, doc, summary.ptr, r);
    if (cli->json) {
        cJSON *o = page_json(doc);
        cJSON_AddStringToObject(o, "model", "offline");
        cJSON_AddStringToObject(o, "answer", summary.ptr);
        json_out(o, out);
    } else {
        if (i > 0)
            precis_buf_puts(out, "\n");
        precis_buf_append(out, summary.ptr, summary.len);
    }
    precis_buf_release(&summary);
    if (r == PRECIS_ERR_NO_CONTENT)
        precis_warn("%s: no sentences to summarize; try 'precis extract %s'", cli->sources[i],
                    cli->sources[i]);
    else if (r != PRECIS_OK)
        precis_warn("%s: %s", cli->sources[i], precis_strerror(r));
    return r;
}

static int summarize_offline(const precis_cli *cli, const precis_config *cfg)
{
    offline_ctx c = {PRECIS_LENGTH_MEDIUM, cfg};
    precis_length_parse(cli->length ? cli->length : precis_config_length(cfg), &c.length);
    return precis_cli_each_page(cli, summarize_page, &c);
}

/* Collects the answer for --json instead of printing it. */
static int collect_sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return precis_interrupted ? 1 : 0;
}

static void progress_line(void *ctx, const char *line)
{
    precis_status *st = ctx;
    if (precis_status_is_enabled(st))
        precis_status_set(st, line);
    else
        precis_warn("%s", line);
}


static void print_json(const precis_doc *doc, const precis_model *m, const char *prompt,
                       const precis_llm_result *res, const precis_answer_stats *st)
{
    cJSON *o = page_json(doc);
    add_str(o, "model", res->model ? res->model : precis_config_model(m->cfg));
    add_str(o, "prompt", prompt);
    cJSON_AddStringToObject(o, "answer", res->text.ptr);
    add_str(o, "finish_reason", res->finish_reason);
    if (res->code != PRECIS_OK)
        cJSON_AddStringToObject(o, "error", res->err.msg);
    cJSON *u = cJSON_AddObjectToObject(o, "usage");
    cJSON_AddNumberToObject(u, "prompt_tokens", (double)st->prompt_tokens);
    cJSON_AddNumberToObject(u, "completion_tokens", (double)st->completion_tokens);
    cJSON_AddNumberToObject(u, "total_tokens", (double)(st->prompt_tokens + st->completion_tokens));
    cJSON *t = cJSON_AddObjectToObject(o, "timings");
    cJSON_AddNumberToObject(t, "first_byte_s", res->ttfb_s);
    cJSON_AddNumberToObject(t, "first_token_s", res->ttft_s);
    cJSON_AddNumberToObject(t, "total_s", res->total_s);
    cJSON_AddNumberToObject(o, "requests", (double)st->requests);
    cJSON_AddNumberToObject(o, "parts", (double)st->parts);
    precis_buf out;
    precis_buf_init(&out, 0);
    json_out(o, &out);
    precis_write_stdout(out.ptr, out.len);
    precis_buf_release(&out);
}

/* Appends a model's answer about docs to the answer log (unless it is off). */
static void log_answer(const precis_cli *cli, const precis_cli_model *cm, precis_doc **docs,
                       size_t n, const char *question, const precis_llm_result *res,
                       const precis_answer_stats *st, int rc)
{
    if (!precis_answer_log_wanted(cm->cfg, cli->no_log))
        return;
    precis_buf sources, titles;
    precis_buf_init(&sources, 0);
    precis_buf_init(&titles, 0);
    precis_log_docs(docs, n, &sources, &titles);
    precis_log_entry e;
    precis_log_entry_init(&e, question ? "ask" : "summarize", cm->cfg);
    e.sources = sources.len ? sources.ptr : NULL;
    e.title = titles.len ? titles.ptr : NULL;
    e.prompt = cm->prompt ? cm->prompt->name : NULL;
    e.question = question;
    if (cli->model)
        e.model = cli->model;
    precis_log_entry_set_result(&e, res, st);
    e.exit_status = rc;
    precis_answer_log_record(&e);
    precis_buf_release(&sources);
    precis_buf_release(&titles);
}

/* Answers about docs (one request or map-reduce) and prints the result. */
static int answer_docs(const precis_cli *cli, precis_cli_model *cm, precis_doc **docs, size_t n,
                       const char *question)
{
    precis_buf content;
    precis_buf_init(&content, 0);
    precis_answer_content(docs, n, &content);

    precis_color_mode color = PRECIS_COLOR_AUTO;
    if (cli->color)
        precis_color_mode_parse(cli->color, &color);
    precis_term *out = precis_term_new(stdout, color);
    precis_term *thinking = cli->reasoning ? precis_term_new_reasoning(stderr, color) : NULL;
    precis_term_set_status(out, cm->status);

    precis_answer_opts o;
    memset(&o, 0, sizeof o);
    o.prompt = cm->prompt;
    o.map_prompt = cm->map;
    o.reduce_prompt = cm->reduce;
    const precis_doc *first = docs[0];
    o.vars.title = n == 1 ? first->meta.title : NULL;
    o.vars.url = n == 1 ? first->meta.url : NULL;
    o.vars.site = n == 1 ? first->meta.site_name : NULL;
    o.vars.date = n == 1 ? first->meta.date : NULL;
    o.vars.lang = precis_config_lang(cm->cfg);
    o.vars.length = precis_config_length(cm->cfg);
    o.vars.question = question;
    o.content = content.ptr;
    precis_answer_opts_limits(&o, cm->cfg);
    o.stream = !cli->no_stream;
    o.on_delta = cli->json ? collect_sink : precis_term_write;
    o.delta_ctx = out;
    o.on_reasoning = thinking ? precis_term_write : NULL;
    o.reasoning_ctx = thinking;
    o.on_progress = progress_line;
    o.progress_ctx = cm->status;
    o.cancel = &precis_interrupted;

    char waiting[300];
    snprintf(waiting, sizeof waiting, "waiting for %s…",
             precis_config_model(cm->cfg) ? precis_config_model(cm->cfg) : "the model");
    precis_status_set(cm->status, waiting);

    precis_llm_result res;
    precis_llm_result_init(&res);
    precis_answer_stats st;
    precis_result r = precis_answer(&cm->model, &o, &res, &st);
    precis_status_clear(cm->status);
    if (thinking)
        precis_term_finish(thinking);

    int rc = 0;
    if (cli->json) {
        print_json(n == 1 ? first : NULL, &cm->model, cm->prompt->name, &res, &st);
    } else {
        precis_buf mark;
        precis_buf_init(&mark, 0);
        precis_answer_cut_mark(&res, false, &mark);
        if (mark.len)
            precis_term_write(out, mark.ptr, mark.len);
        precis_buf_release(&mark);
        precis_term_finish(out);
    }
    if (r == PRECIS_ERR_CANCELLED || precis_interrupted) {
        precis_warn("interrupted");
        rc = 130;
    } else if (r != PRECIS_OK) {
        precis_warn("%s", res.err.msg[0] ? res.err.msg : precis_strerror(r));
        rc = precis_exit_code(r == PRECIS_OK ? PRECIS_ERR_API : r);
    } else if (res.truncated) {
        precis_warn("answer cut short: the model stopped at its output token limit "
                    "(finish_reason length); raise max_tokens in your profile");
        rc = precis_exit_code(PRECIS_ERR_API);
    }
    if (cli->verbose)
        precis_warn("model %s: %ld prompt + %ld completion tokens in %zu request%s%s; "
                    "first token %.3f s, total %.3f s",
                    res.model ? res.model : precis_config_model(cm->cfg), st.prompt_tokens,
                    st.completion_tokens, st.requests, st.requests == 1 ? "" : "s",
                    st.parts ? " (map-reduce)" : "", res.ttft_s, res.total_s);
    log_answer(cli, cm, docs, n, question, &res, &st, rc);
    precis_llm_result_release(&res);
    precis_term_free(out);
    precis_term_free(thinking);
    precis_buf_release(&content);
    return rc;
}

/* Loads every source; on failure prints the line and returns its exit code. */
static int load_docs(const precis_cli *cli, precis_status *status, precis_doc **docs)
{
    for (size_t i = 0; i < cli->n_sources; i++) {
        char line[600];
        snprintf(line, sizeof line, "fetching %s", cli->sources[i]);
        precis_status_set(status, line);
        int rc = precis_cli_load_page(cli, cli->sources[i], status, &docs[i]);
        if (rc)
            return rc;
    }
    return 0;
}

static int run(const precis_cli *cli, const char *question, const char *default_prompt)
{
    precis_cli_model cm;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_cli_model_open(cli, default_prompt, &cm, &err);
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return precis_exit_code(r);
    }
    int rc = 0;
    if (!cm.configured || cli->offline) {
        if (question) {
            precis_warn("'precis ask' needs a model: set OPENAI_BASE_URL (e.g. "
                        "http://localhost:11434/v1 for Ollama) or OPENAI_API_KEY, or add a "
                        "profile to ~/.config/precis/config (see the README)");
            rc = 1;
        } else {
            if (!cli->offline)
                precis_warn("%s", configure_hint);
            rc = summarize_offline(cli, cm.cfg);
        }
        precis_cli_model_close(&cm);
        return rc;
    }
    r = precis_cli_model_connect(&cm, cli, &err);
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        precis_cli_model_close(&cm);
        return precis_exit_code(r);
    }
    precis_doc **docs = precis_xcalloc(cli->n_sources, sizeof *docs);
    rc = load_docs(cli, cm.status, docs);
    if (rc == 0) {
        if (question)
            rc = answer_docs(cli, &cm, docs, cli->n_sources, question);
        for (size_t i = 0; !question && i < cli->n_sources && !precis_interrupted; i++) {
            if (i > 0)
                precis_write_stdout("\n", 1);
            int one = answer_docs(cli, &cm, &docs[i], 1, NULL);
            if (one && !rc)
                rc = one;
        }
    }
    for (size_t i = 0; i < cli->n_sources; i++)
        precis_doc_free(docs[i]);
    free(docs);
    precis_cli_model_close(&cm);
    return rc;
}

int precis_cmd_summarize(const precis_cli *cli)
{
    if (cli->question) {
        precis_warn("-q is for 'precis ask URL -q QUESTION'");
        return 1;
    }
    return run(cli, NULL, "summarize");
}

int precis_cmd_ask(const precis_cli *cli)
{
    if (cli->site) {
        if (!cli->question || !cli->question[0]) {
            precis_warn("'precis ask --site' needs a question: precis ask --site SITE -q \"...\"");
            return 1;
        }
        return precis_cmd_ask_site(cli);
    }
    if (!cli->question || !cli->question[0]) {
        precis_warn("'precis ask' needs a question: precis ask URL -q \"...\"");
        return 1;
    }
    return run(cli, cli->question, "ask");
}
