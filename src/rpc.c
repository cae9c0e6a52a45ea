/* JSON-RPC 2.0 lines: strict parsing of requests and building of replies. */
#include "precis/rpc.h"

#include <stdio.h>
#include <string.h>

#include "precis/error.h"

static bool only_space(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            return false;
    return true;
}

static int invalid(char *why, size_t cap, const char *what)
{
    snprintf(why, cap, "%s", what);
    return PRECIS_RPC_INVALID_REQUEST;
}

int precis_rpc_parse(const char *line, size_t len, precis_rpc_msg *msg, char *why, size_t whycap,
                     cJSON **bad_id)
{
    memset(msg, 0, sizeof *msg);
    *bad_id = NULL;
    if (memchr(line, '\0', len)) {
        snprintf(why, whycap, "parse error: the line holds a NUL byte");
        return PRECIS_RPC_PARSE_ERROR;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, false);
    if (!root) {
        snprintf(why, whycap, "parse error: not JSON");
        return PRECIS_RPC_PARSE_ERROR;
    }
    if (!end || !only_space(end, line + len)) {
        cJSON_Delete(root);
        snprintf(why, whycap, "parse error: text after the JSON value");
        return PRECIS_RPC_PARSE_ERROR;
    }
    if (cJSON_IsArray(root)) {
        cJSON_Delete(root);
        return invalid(why, whycap, "invalid request: batches are not supported");
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return invalid(why, whycap, "invalid request: a request is a JSON object");
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
    bool id_ok = !id || (cJSON_IsNumber(id) || (cJSON_IsString(id) && id->valuestring));
    if (id && id_ok)
        *bad_id = cJSON_Duplicate(id, true);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "jsonrpc");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(root, "method");
    int rc = 0;
    if (!cJSON_IsString(ver) || !ver->valuestring || strcmp(ver->valuestring, "2.0") != 0)
        rc = invalid(why, whycap, "invalid request: \"jsonrpc\" must be \"2.0\"");
    else if (!id_ok)
        rc = invalid(why, whycap, "invalid request: \"id\" must be a number or a string");
    else if (!cJSON_IsString(method) || !method->valuestring)
        rc = invalid(why, whycap, "invalid request: \"method\" must be a string");
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    cJSON_Delete(*bad_id);
    *bad_id = NULL;
    msg->root = root;
    msg->id = id;
    msg->method = method->valuestring;
    msg->params = cJSON_GetObjectItemCaseSensitive(root, "params");
    return 0;
}

void precis_rpc_msg_release(precis_rpc_msg *msg)
{
    if (!msg)
        return;
    cJSON_Delete(msg->root);
    memset(msg, 0, sizeof *msg);
}

/* Appends o as one line and deletes it. */
static void emit(precis_buf *out, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    if (!s)
        precis_die("out of memory");
    precis_buf_puts(out, s);
    precis_buf_putc(out, '\n');
    cJSON_free(s);
    cJSON_Delete(o);
}

static cJSON *envelope(const cJSON *id)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "jsonrpc", "2.0");
    cJSON_AddItemToObject(o, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
    return o;
}

void precis_rpc_result(precis_buf *out, const cJSON *id, cJSON *result)
{
    cJSON *o = envelope(id);
    cJSON_AddItemToObject(o, "result", result ? result : cJSON_CreateObject());
    emit(out, o);
}

void precis_rpc_error(precis_buf *out, const cJSON *id, int code, const char *message,
                      const char *kind)
{
    precis_error line;
    snprintf(line.msg, sizeof line.msg, "%s", message ? message : "error");
    precis_error_oneline(&line);
    cJSON *o = envelope(id);
    cJSON *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", line.msg);
    cJSON *data = cJSON_AddObjectToObject(e, "data");
    cJSON_AddStringToObject(data, "kind", kind ? kind : precis_rpc_kind(code));
    emit(out, o);
}

void precis_rpc_notify(precis_buf *out, const char *method, cJSON *params)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "jsonrpc", "2.0");
    cJSON_AddStringToObject(o, "method", method);
    cJSON_AddItemToObject(o, "params", params ? params : cJSON_CreateObject());
    emit(out, o);
}

const char *precis_rpc_kind(int code)
{
    switch (code) {
    case PRECIS_RPC_FETCH: return "fetch";
    case PRECIS_RPC_CONTENT: return "content";
    case PRECIS_RPC_MODEL: return "model";
    case PRECIS_RPC_CANCELLED: return "cancelled";
    case PRECIS_RPC_INTERNAL: return "internal";
    default: return "usage";
    }
}

bool precis_rpc_id_equal(const cJSON *a, const cJSON *b)
{
    if (!a || !b)
        return false;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return a->valuedouble == b->valuedouble;
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    return false;
}

void precis_rpc_reader_init(precis_rpc_reader *rd, size_t cap)
{
    memset(rd, 0, sizeof *rd);
    precis_buf_init(&rd->buf, 0);
    rd->cap = cap ? cap : (8u << 20);
}

bool precis_rpc_reader_feed(precis_rpc_reader *rd, const char *p, size_t n,
                            precis_rpc_line_fn fn, void *ctx)
{
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t take = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!rd->skipping) {
            if (take > rd->cap - rd->buf.len) {
                precis_buf_reset(&rd->buf);
                rd->skipping = true;
                if (!fn(ctx, "", 0, true))
                    return false;
            } else {
                precis_buf_append(&rd->buf, p, take);
            }
        }
        if (!nl)
            break;
        p = nl + 1;
        if (rd->skipping) {
            rd->skipping = false;
            continue;
        }
        bool go_on = fn(ctx, rd->buf.ptr ? rd->buf.ptr : "", rd->buf.len, false);
        precis_buf_reset(&rd->buf);
        if (!go_on)
            return false;
    }
    return true;
}

bool precis_rpc_reader_finish(precis_rpc_reader *rd, precis_rpc_line_fn fn, void *ctx)
{
    bool go_on = true;
    if (!rd->skipping && rd->buf.len > 0)
        go_on = fn(ctx, rd->buf.ptr, rd->buf.len, false);
    precis_buf_reset(&rd->buf);
    rd->skipping = false;
    return go_on;
}

void precis_rpc_reader_release(precis_rpc_reader *rd)
{
    precis_buf_release(&rd->buf);
}
