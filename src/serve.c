/* The editor server's loop: reads protocol lines from the input descriptor between
 * transfer steps, dispatches them, writes replies, and retires finished requests. */
#include "serve_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_LINE (8u << 20)
#define PROTOCOL_VERSION 1

static const char *const methods[] = {"initialize", "summarize", "ask", "extract", "search",
                                      "models", "cancel", "shutdown", NULL};

void serve_write(server *s, precis_buf *b)
{
    size_t off = 0;
    while (!s->out_closed && off < b->len) {
        ssize_t w = write(s->o->out_fd, b->ptr + off, b->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s->out_closed = true; /* the editor went away: stop everything */
            break;
        }
        off += (size_t)w;
    }
    precis_buf_reset(b);
}

void serve_result(server *s, const cJSON *id, cJSON *result)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_rpc_result(&b, id, result);
    serve_write(s, &b);
    precis_buf_release(&b);
}

void serve_error(server *s, const cJSON *id, int code, const char *message)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_rpc_error(&b, id, code, message, NULL);
    serve_write(s, &b);
    precis_buf_release(&b);
}

void serve_notify(server *s, const char *method, cJSON *params)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_rpc_notify(&b, method, params);
    serve_write(s, &b);
    precis_buf_release(&b);
}

void req_reply(req *r, cJSON *result)
{
    if (r->done) {
        cJSON_Delete(result);
        return;
    }
    r->done = true;
    serve_result(r->s, r->id, result);
}

void req_fail(req *r, int code, const char *message)
{
    if (r->done)
        return;
    r->done = true;
    serve_error(r->s, r->id, code, message);
}

static req *find_req(server *s, const cJSON *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->reqs[i]->done && precis_rpc_id_equal(s->reqs[i]->id, id))
            return s->reqs[i];
    return NULL;
}

static req *new_req(server *s, const cJSON *id, req_kind kind)
{
    req *r = precis_xcalloc(1, sizeof *r);
    r->s = s;
    r->id = cJSON_Duplicate(id, true);
    r->kind = kind;
    precis_buf_init(&r->content, 0);
    precis_buf_init(&r->clean, 0);
    precis_llm_result_init(&r->res);
    precis_sanitize_init(&r->san);
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->reqs = precis_xrealloc(s->reqs, s->cap * sizeof *s->reqs);
    }
    s->reqs[s->n++] = r;
    return r;
}

/* Cancels r: it ends with the -32800 error. */
static void cancel_req(req *r)
{
    if (r->done)
        return;
    r->cancelled = true;
    req_stop(r);
    req_fail(r, PRECIS_RPC_CANCELLED, "cancelled");
}

static void reap(server *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->reqs[i]->done)
            req_free(s->reqs[i]);
        else
            s->reqs[k++] = s->reqs[i];
    }
    s->n = k;
}

static cJSON *initialize_result(server *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", "precis");
    cJSON_AddStringToObject(o, "version", PRECIS_VERSION);
    cJSON_AddNumberToObject(o, "protocol", PROTOCOL_VERSION);
    cJSON *caps = cJSON_AddObjectToObject(o, "capabilities");
    cJSON *m = cJSON_AddArrayToObject(caps, "methods");
    for (size_t i = 0; methods[i]; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(methods[i]));
    cJSON_AddBoolToObject(caps, "streaming", true);
    cJSON_AddBoolToObject(caps, "cancel", true);
    const char *model = s->configured ? precis_config_model(s->o->cfg) : NULL;
    if (model)
        cJSON_AddStringToObject(o, "model", model);
    else
        cJSON_AddNullToObject(o, "model");
    cJSON_AddBoolToObject(o, "configured", s->configured);
    return o;
}

static bool is_method(const char *m)
{
    for (size_t i = 0; methods[i]; i++)
        if (strcmp(methods[i], m) == 0)
            return true;
    return false;
}

/* Handles one parsed message; returns false when the server must stop (shutdown). */
static bool dispatch(server *s, const precis_rpc_msg *msg)
{
    const char *m = msg->method;
    const cJSON *id = msg->id;
    const cJSON *params = msg->params;
    if (!is_method(m)) {
        if (id) {
            char why[300];
            snprintf(why, sizeof why, "unknown method '%.200s'", m);
            serve_error(s, id, PRECIS_RPC_METHOD_NOT_FOUND, why);
        } else {
            fprintf(stderr, "precis serve: ignoring unknown notification '%.200s'\n", m);
        }
        return true;
    }
    if (params && !cJSON_IsObject(params) && !cJSON_IsNull(params)) {
        if (id)
            serve_error(s, id, PRECIS_RPC_INVALID_PARAMS, "params must be an object");
        return true;
    }
    if (strcmp(m, "cancel") == 0) {
        const cJSON *target = cJSON_GetObjectItemCaseSensitive(params, "id");
        if (!target || !(cJSON_IsNumber(target) || cJSON_IsString(target))) {
            if (id)
                serve_error(s, id, PRECIS_RPC_INVALID_PARAMS,
                            "cancel needs the id of a request: {\"id\": N}");
            return true;
        }
        req *r = find_req(s, target);
        if (r)
            cancel_req(r);
        if (id) {
            cJSON *res = cJSON_CreateObject();
            cJSON_AddBoolToObject(res, "cancelled", r != NULL);
            serve_result(s, id, res);
        }
        return true;
    }
    if (strcmp(m, "shutdown") == 0) {
        for (size_t i = 0; i < s->n; i++)
            cancel_req(s->reqs[i]);
        if (id)
            serve_result(s, id, NULL);
        return false;
    }
    if (!id) {
        fprintf(stderr, "precis serve: '%s' sent as a notification has no one to answer; "
                        "give it an id\n", m);
        return true;
    }
    if (find_req(s, id)) { /* answered with a null id: the one in flight owns this id */
        char *text = cJSON_PrintUnformatted(id);
        char why[300];
        snprintf(why, sizeof why,
                 "invalid request: id %.200s is already in use by a request in flight",
                 text ? text : "?");
        cJSON_free(text);
        serve_error(s, NULL, PRECIS_RPC_INVALID_REQUEST, why);
        return true;
    }
    if (strcmp(m, "initialize") == 0) {
        serve_result(s, id, initialize_result(s));
        return true;
    }
    req_kind kind = strcmp(m, "summarize") == 0 ? REQ_SUMMARIZE
                    : strcmp(m, "ask") == 0     ? REQ_ASK
                    : strcmp(m, "extract") == 0 ? REQ_EXTRACT
                    : strcmp(m, "search") == 0  ? REQ_SEARCH
                                                : REQ_MODELS;
    req *r = new_req(s, id, kind);
    char why[512];
    if (!serve_parse_params(r, params, why, sizeof why)) {
        req_fail(r, PRECIS_RPC_INVALID_PARAMS, why);
        return true;
    }
    serve_start(r);
    return true;
}

/* Parses and dispatches one complete line; returns false on shutdown. */
static bool handle_line(server *s, const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    if (i == len)
        return true; /* blank lines are allowed between messages */
    precis_rpc_msg msg;
    char why[256];
    cJSON *bad_id = NULL;
    int code = precis_rpc_parse(line, len, &msg, why, sizeof why, &bad_id);
    if (code) {
        serve_error(s, bad_id, code, why);
        cJSON_Delete(bad_id);
        return true;
    }
    bool go_on = dispatch(s, &msg);
    precis_rpc_msg_release(&msg);
    return go_on;
}

static bool on_line(void *ctx, const char *line, size_t len, bool too_long)
{
    server *s = ctx;
    if (too_long) {
        char why[128];
        snprintf(why, sizeof why, "invalid request: the line is longer than %zu bytes",
                 s->o->max_line ? s->o->max_line : (size_t)DEFAULT_MAX_LINE);
        serve_error(s, NULL, PRECIS_RPC_INVALID_REQUEST, why);
        return true;
    }
    return handle_line(s, line, len);
}

/* Reads what is available; returns false on shutdown. Sets *eof at the end of input. */
static bool read_input(server *s, precis_rpc_reader *rd, bool *eof)
{
    char chunk[65536];
    ssize_t n = read(s->o->in_fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0) {
        *eof = true;
        return precis_rpc_reader_finish(rd, on_line, s);
    }
    return precis_rpc_reader_feed(rd, chunk, (size_t)n, on_line, s);
}

int precis_serve_run(const precis_serve_opts *opts)
{
    signal(SIGPIPE, SIG_IGN); /* a closed output is seen as a failed write */
    server s;
    memset(&s, 0, sizeof s);
    s.o = opts;
    s.loop = precis_loop_new();
    s.configured = !opts->offline && precis_config_has_model(opts->cfg);
    precis_error_clear(&s.model_err);
    if (s.configured) {
        if (precis_model_init_endpoint(&s.model, opts->cfg, &s.model_err) == PRECIS_OK) {
            s.model_ready = true;
            s.model.connect_timeout_ms = opts->fetch->connect_timeout_s * 1000;
        } else {
            fprintf(stderr, "precis serve: %s\n", s.model_err.msg);
        }
        precis_error perr;
        if (precis_prompt_load("map", &s.map, &perr) != PRECIS_OK ||
            precis_prompt_load("reduce", &s.reduce, &perr) != PRECIS_OK)
            fprintf(stderr, "precis serve: %s\n", perr.msg);
    }
    precis_rpc_reader rd;
    precis_rpc_reader_init(&rd, opts->max_line ? opts->max_line : DEFAULT_MAX_LINE);
    bool running = true, eof = false;
    while (running && !s.out_closed) {
        if (eof && s.n == 0)
            break;
        precis_loop_fd fd = {opts->in_fd, false};
        precis_loop_step(s.loop, &fd, eof ? 0 : 1, 1000);
        reap(&s);
        if (fd.readable && !eof)
            running = read_input(&s, &rd, &eof);
        reap(&s);
    }
    for (size_t i = 0; i < s.n; i++) { /* a closed output or shutdown: stop quietly */
        req_stop(s.reqs[i]);
        s.reqs[i]->done = true;
    }
    reap(&s);
    free(s.reqs);
    precis_rpc_reader_release(&rd);
    precis_prompt_free(s.map);
    precis_prompt_free(s.reduce);
    precis_searcher_free(s.searcher);
    precis_index_close(s.idx);
    if (s.model_ready)
        precis_model_release(&s.model);
    precis_loop_free(s.loop);
    return 0;
}
