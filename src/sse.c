/* Incremental Server-Sent-Events parser: one pending-line buffer scanned with an index
 * and compacted once per feed, so the work is linear in the bytes received. */
#include "precis/sse.h"

#include <string.h>

static const char bom[3] = {'\xEF', '\xBB', '\xBF'};

void precis_sse_init(precis_sse *p, precis_sse_event_fn on_event, void *ctx, size_t max_event)
{
    memset(p, 0, sizeof *p);
    p->on_event = on_event;
    p->ctx = ctx;
    precis_buf_init(&p->pending, max_event);
    precis_buf_init(&p->data, max_event ? max_event + 1 : 0);
}

void precis_sse_release(precis_sse *p)
{
    if (!p)
        return;
    precis_buf_release(&p->pending);
    precis_buf_release(&p->data);
}

static void reset_event(precis_sse *p)
{
    precis_buf_reset(&p->data);
    p->type[0] = '\0';
    p->is_error = false;
}

/* Hands the event being built to the callback (if it has data) and starts a new one. */
static precis_result dispatch(precis_sse *p)
{
    if (p->data.len == 0) {
        reset_event(p);
        return PRECIS_OK;
    }
    precis_buf_truncate(&p->data, p->data.len - 1); /* the last data line's '\n' */
    const char *type = p->is_error ? "error" : p->type[0] ? p->type : "message";
    int stop = p->on_event ? p->on_event(p->ctx, type, p->data.ptr, p->data.len) : 0;
    p->events++;
    reset_event(p);
    if (stop) {
        p->stopped = true;
        return PRECIS_ERR_CANCELLED;
    }
    return PRECIS_OK;
}

static bool field_is(const char *f, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(f, name, n) == 0;
}

static precis_result append_data(precis_sse *p, const char *v, size_t n)
{
    if (precis_buf_append(&p->data, v, n) != PRECIS_OK || precis_buf_putc(&p->data, '\n') != PRECIS_OK)
        return PRECIS_ERR_TOO_LARGE;
    return PRECIS_OK;
}

/* Interprets one line (without its terminator). */
static precis_result process_line(precis_sse *p, const char *line, size_t n)
{
    p->lines++;
    if (n == 0)
        return dispatch(p);
    if (line[0] == ':') {
        p->comments++;
        return PRECIS_OK;
    }
    const char *colon = memchr(line, ':', n);
    size_t flen = colon ? (size_t)(colon - line) : n;
    const char *v = colon ? colon + 1 : line + n;
    size_t vlen = (size_t)(line + n - v);
    if (vlen > 0 && v[0] == ' ') {
        v++;
        vlen--;
    }
    if (field_is(line, flen, "data"))
        return append_data(p, v, vlen);
    if (field_is(line, flen, "error")) {
        p->is_error = true;
        return append_data(p, v, vlen);
    }
    if (field_is(line, flen, "event")) {
        if (vlen >= sizeof p->type)
            vlen = sizeof p->type - 1;
        memcpy(p->type, v, vlen);
        p->type[vlen] = '\0';
    }
    return PRECIS_OK; /* id, retry and unknown fields are ignored */
}

/* Strips a BOM at the very start; false while the first bytes could still be one. */
static bool check_bom(precis_sse *p)
{
    size_t n = p->pending.len < 3 ? p->pending.len : 3;
    if (memcmp(p->pending.ptr, bom, n) != 0) {
        p->bom_done = true;
        return true;
    }
    if (n < 3)
        return false;
    precis_buf_consume(&p->pending, 3);
    p->bom_done = true;
    return true;
}

precis_result precis_sse_feed(precis_sse *p, const char *bytes, size_t n)
{
    if (p->stopped)
        return PRECIS_ERR_CANCELLED;
    if (n == 0)
        return PRECIS_OK;
    if (precis_buf_append(&p->pending, bytes, n) != PRECIS_OK)
        return PRECIS_ERR_TOO_LARGE;
    if (!p->bom_done && !check_bom(p))
        return PRECIS_OK;

    const char *buf = p->pending.ptr;
    size_t len = p->pending.len, start = 0, i = p->scanned;
    precis_result r = PRECIS_OK;
    if (p->skip_lf && len > 0) {
        p->skip_lf = false;
        if (buf[0] == '\n')
            start = i = 1;
    }
    while (i < len) {
        char c = buf[i];
        if (c != '\n' && c != '\r') {
            i++;
            continue;
        }
        r = process_line(p, buf + start, i - start);
        i++;
        if (c == '\r') {
            if (i < len) {
                if (buf[i] == '\n')
                    i++;
            } else {
                p->skip_lf = true; /* half of a CRLF, maybe: look at the next byte */
            }
        }
        start = i;
        if (r != PRECIS_OK)
            break;
    }
    precis_buf_consume(&p->pending, start);
    p->scanned = p->pending.len;
    return r;
}

precis_result precis_sse_finish(precis_sse *p)
{
    if (p->stopped)
        return PRECIS_ERR_CANCELLED;
    precis_result r = PRECIS_OK;
    if (p->pending.len > 0 && (p->bom_done || check_bom(p)) && p->pending.len > 0)
        r = process_line(p, p->pending.ptr, p->pending.len);
    precis_buf_reset(&p->pending);
    p->scanned = 0;
    if (r == PRECIS_OK && p->data.len > 0
        && (p->is_error || (p->data.len == 7 && memcmp(p->data.ptr, "[DONE]\n", 7) == 0)))
        r = dispatch(p);
    reset_event(p);
    return r;
}

bool precis_sse_has_partial(const precis_sse *p)
{
    return p->pending.len > 0 || p->data.len > 0;
}
