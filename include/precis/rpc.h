/* JSON-RPC 2.0 over newline-delimited JSON, as `precis serve` speaks it: parsing one
 * input line into a request, and building the reply and notification lines. Pure: no
 * I/O, so the parser can be fuzzed. */
#ifndef PRECIS_RPC_H
#define PRECIS_RPC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "precis/buf.h"

/* Standard and precis-specific error codes. */
enum {
    PRECIS_RPC_PARSE_ERROR = -32700,
    PRECIS_RPC_INVALID_REQUEST = -32600,
    PRECIS_RPC_METHOD_NOT_FOUND = -32601,
    PRECIS_RPC_INVALID_PARAMS = -32602,
    PRECIS_RPC_INTERNAL = -32603,
    PRECIS_RPC_FETCH = -32001,
    PRECIS_RPC_CONTENT = -32002,
    PRECIS_RPC_MODEL = -32003,
    PRECIS_RPC_CANCELLED = -32800
};

/* One parsed message. root owns everything; id, method and params point into it. */
typedef struct precis_rpc_msg {
    cJSON *root;
    const cJSON *id;       /* a number or a string; NULL for a notification */
    const char *method;
    const cJSON *params;   /* NULL when absent; may be any JSON type (methods check) */
} precis_rpc_msg;

/* Parses one line (len bytes, no newline needed). Returns 0 and fills msg (release with
 * precis_rpc_msg_release), or a nonzero error code (PRECIS_RPC_PARSE_ERROR or
 * PRECIS_RPC_INVALID_REQUEST) with why set to one line and *bad_id to a copy of the id
 * when one could be read (the caller deletes it; NULL otherwise). */
int precis_rpc_parse(const char *line, size_t len, precis_rpc_msg *msg, char *why, size_t whycap,
                     cJSON **bad_id);

/* Frees what precis_rpc_parse put in msg. NULL-safe. */
void precis_rpc_msg_release(precis_rpc_msg *msg);

/* Appends {"jsonrpc":"2.0","id":id,"result":result} and a newline to out; takes result
 * (NULL = {}). id is borrowed (NULL = null). */
void precis_rpc_result(precis_buf *out, const cJSON *id, cJSON *result);

/* Appends an error reply with data {"kind": kind} and a newline to out. id may be NULL
 * (null); message is made one line. */
void precis_rpc_error(precis_buf *out, const cJSON *id, int code, const char *message,
                      const char *kind);

/* Appends {"jsonrpc":"2.0","method":method,"params":params} and a newline; takes params. */
void precis_rpc_notify(precis_buf *out, const char *method, cJSON *params);

/* Input framing: bytes in, complete lines out; a line longer than cap is reported once
 * (too_long, with len 0) and skipped up to its newline. */
typedef struct precis_rpc_reader {
    precis_buf buf;
    size_t cap;
    bool skipping;
} precis_rpc_reader;

/* Receives one line (without its newline); returns false to stop reading. */
typedef bool (*precis_rpc_line_fn)(void *ctx, const char *line, size_t len, bool too_long);

/* Starts a reader with the given line cap (0 = 8 MiB). Release with
 * precis_rpc_reader_release. */
void precis_rpc_reader_init(precis_rpc_reader *rd, size_t cap);

/* Feeds n bytes, calling fn for each complete line. Returns false if fn asked to stop
 * (the rest of the bytes are dropped). */
bool precis_rpc_reader_feed(precis_rpc_reader *rd, const char *p, size_t n,
                            precis_rpc_line_fn fn, void *ctx);

/* At EOF: hands a last line that had no newline to fn. Returns fn's answer (true if none). */
bool precis_rpc_reader_finish(precis_rpc_reader *rd, precis_rpc_line_fn fn, void *ctx);

/* Frees the reader's buffer. */
void precis_rpc_reader_release(precis_rpc_reader *rd);

/* Returns the error kind a code stands for ("usage", "fetch", ...). */
const char *precis_rpc_kind(int code);

/* Returns true if a and b are the same id (same type and value). */
bool precis_rpc_id_equal(const cJSON *a, const cJSON *b);

#endif
