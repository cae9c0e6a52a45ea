/* `precis serve`: the editor protocol (editors/PROTOCOL.md) on a pair of descriptors.
 * Newline-delimited JSON-RPC 2.0 in, protocol lines out, every request on one loop. */
#ifndef PRECIS_SERVE_H
#define PRECIS_SERVE_H

#include <stddef.h>

#include "precis/config.h"
#include "precis/extract.h"
#include "precis/fetch.h"

typedef struct precis_serve_opts {
    const precis_config *cfg;            /* effective settings (flags applied); borrowed */
    const precis_fetch_opts *fetch;      /* page fetching; borrowed */
    const precis_extract_opts *extract;  /* borrowed */
    bool offline;                        /* --offline: never call a model */
    bool no_log;                         /* --no-log: answers stay out of the answer log */
    int in_fd, out_fd;                   /* protocol input and output */
    size_t max_line;                     /* longest accepted line; 0 = 8 MiB */
} precis_serve_opts;

/* Serves until EOF on in_fd (after the requests in flight end), a shutdown request, or
 * a closed out_fd. Diagnostics go to stderr. Returns the process exit code (0). */
int precis_serve_run(const precis_serve_opts *opts);

#endif
