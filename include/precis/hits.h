/* Presenting search hits the same way everywhere (the CLI, the editor server, the REPL):
 * deep links, heading paths, highlighted snippets and the JSON shape. */
#ifndef PRECIS_HITS_H
#define PRECIS_HITS_H

#include <cjson/cJSON.h>

#include "precis/buf.h"
#include "precis/index.h"

/* Appends the deep link of h to out: the page URL, plus "#anchor" when it has one. */
void precis_hit_link(const precis_hit *h, precis_buf *out);

/* Appends the heading path joined with sep (e.g. " › "), or the page title when the
 * section has no heading. */
void precis_hit_path(const precis_hit *h, const char *sep, precis_buf *out);

/* Appends the snippet with its matched terms between open and close (e.g. "**"), on
 * one line. */
void precis_hit_snippet(const precis_hit *h, const char *open, const char *close,
                        precis_buf *out);

/* Returns the JSON object of one hit: {"url", "page", "anchor", "title", "path",
 * "score", "snippet"} (the snippet's terms between "**"). The caller owns it. */
cJSON *precis_hit_json(const precis_hit *h);

/* Returns {"query": query, "results": [...]} for hits[0..n). The caller owns it. */
cJSON *precis_hits_json(const char *query, const precis_hit *hits, size_t n);

#endif
