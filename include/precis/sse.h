/* Incremental Server-Sent-Events parser (WHATWG "interpreting an event stream").
 * Pure: no I/O. Bytes may be fed split anywhere; events come out through a callback. */
#ifndef PRECIS_SSE_H
#define PRECIS_SSE_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"

/* Called once per dispatched event. type is "message" unless an event: field set it, or
 * "error" for the non-standard error: field (old llama.cpp). data is NUL-terminated, the
 * data: lines joined with '\n', and valid only during the call. Nonzero return = stop. */
typedef int (*precis_sse_event_fn)(void *ctx, const char *type, const char *data, size_t len);

typedef struct precis_sse {
    precis_sse_event_fn on_event;
    void *ctx;
    precis_buf pending;   /* bytes of the current, not yet terminated line */
    size_t scanned;       /* prefix of pending known to hold no line end */
    precis_buf data;      /* data of the event being built */
    char type[64];        /* event type of the event being built ("" = message) */
    bool is_error;        /* the event being built came from an error: field */
    bool bom_done;        /* the start of the stream has been checked for a BOM */
    bool skip_lf;         /* the last line ended with CR: a following LF belongs to it */
    bool stopped;         /* the callback asked to stop; later feeds do nothing */
    size_t events;        /* events dispatched so far */
    size_t comments;      /* comment lines seen (keep-alives count as activity) */
    size_t lines;         /* lines seen */
} precis_sse;

/* Sets p up to report events to on_event(ctx, ...). max_event caps the bytes of one line
 * or one event's data (0 = unlimited). Allocates nothing; release with precis_sse_release. */
void precis_sse_init(precis_sse *p, precis_sse_event_fn on_event, void *ctx, size_t max_event);

/* Frees the parser's buffers. NULL-safe. */
void precis_sse_release(precis_sse *p);

/* Parses n more bytes. Returns PRECIS_OK, PRECIS_ERR_CANCELLED when the callback returned
 * nonzero (now or earlier), or PRECIS_ERR_TOO_LARGE when a line or event passed max_event. */
precis_result precis_sse_feed(precis_sse *p, const char *bytes, size_t n);

/* Ends the stream. An unterminated event is discarded, except a final "data: [DONE]"
 * or error: event that lacks its blank line, which is dispatched. Same returns as
 * precis_sse_feed. */
precis_result precis_sse_finish(precis_sse *p);

/* Returns true if bytes arrived after the last dispatched event or blank line that did
 * not form a complete event (e.g. a stream cut inside an event). */
bool precis_sse_has_partial(const precis_sse *p);

#endif
