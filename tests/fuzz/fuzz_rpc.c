/* libFuzzer harness: the editor protocol's framing and request parser. The first byte
 * picks a line cap and a split point; the rest is the input stream. Invariants: every
 * line handed out is at most the cap and holds no newline, the same lines come out
 * however the bytes are split, a parsed request has a string method and a number or
 * string id, and every reply built for it is one line of valid JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
    precis_buf lines;
    size_t cap;
} seen;

/* Checks that out holds exactly one line of JSON-RPC. */
static void check_reply(const precis_buf *out)
{
    if (out->len == 0 || out->ptr[out->len - 1] != '\n' || memchr(out->ptr, '\n', out->len - 1))
        abort();
    cJSON *o = cJSON_ParseWithLength(out->ptr, out->len);
    if (!o || !cJSON_IsObject(o))
        abort();
    cJSON_Delete(o);
}

static bool on_line(void *ctx, const char *line, size_t len, bool too_long)
{
    seen *s = ctx;
    if (len > s->cap || memchr(line, '\n', len))
        abort();
    precis_buf_puts(&s->lines, too_long ? "<long>" : "");
    precis_buf_append(&s->lines, line, len);
    precis_buf_putc(&s->lines, '\x1f');
    precis_rpc_msg msg;
    char why[256];
    cJSON *bad_id = NULL;
    precis_buf out;
    precis_buf_init(&out, 0);
    int code = precis_rpc_parse(line, len, &msg, why, sizeof why, &bad_id);
    if (code) {
        if (code != PRECIS_RPC_PARSE_ERROR && code != PRECIS_RPC_INVALID_REQUEST)
            abort();
        if (bad_id && !cJSON_IsNumber(bad_id) && !cJSON_IsString(bad_id))
            abort();
        precis_rpc_error(&out, bad_id, code, why, NULL);
        check_reply(&out);
        cJSON_Delete(bad_id);
    } else {
        if (!msg.method || bad_id)
            abort();
        if (msg.id && !cJSON_IsNumber(msg.id) && !cJSON_IsString(msg.id))
            abort();
        cJSON *res = cJSON_CreateObject();
        cJSON_AddStringToObject(res, "echo", msg.method);
        precis_rpc_result(&out, msg.id, res);
        check_reply(&out);
        precis_buf_reset(&out);
        precis_rpc_error(&out, msg.id, PRECIS_RPC_INVALID_PARAMS, msg.method, NULL);
        check_reply(&out);
        precis_buf_reset(&out);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "text", msg.method);
        precis_rpc_notify(&out, "delta", p);
        check_reply(&out);
        precis_rpc_msg_release(&msg);
    }
    precis_buf_release(&out);
    return true;
}

static void run(const uint8_t *data, size_t size, size_t cap, size_t step, precis_buf *lines)
{
    seen s = {*lines, cap};
    precis_rpc_reader rd;
    precis_rpc_reader_init(&rd, cap);
    size_t at = 0;
    while (at < size) {
        size_t n = step && size - at > step ? step : size - at;
        precis_rpc_reader_feed(&rd, (const char *)data + at, n, on_line, &s);
        at += n;
    }
    precis_rpc_reader_finish(&rd, on_line, &s);
    precis_rpc_reader_release(&rd);
    *lines = s.lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t cap = 16 + (size_t)(data[0] & 0x7f) * 8; /* 16..1032 bytes */
    size_t step = 1 + (data[0] >> 7) * 6;
    data++;
    size--;
    precis_buf whole, pieces;
    precis_buf_init(&whole, 0);
    precis_buf_init(&pieces, 0);
    run(data, size, cap, 0, &whole);
    run(data, size, cap, step, &pieces);
    if (whole.len != pieces.len || (whole.len && memcmp(whole.ptr, pieces.ptr, whole.len) != 0))
        abort();
    precis_buf_release(&whole);
    precis_buf_release(&pieces);
    return 0;
}
