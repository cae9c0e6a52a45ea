/* The seam between `precis chat` and an indexed site (`precis chat --site SITE`): the
 * REPL asks a site for its best sections; the doc index answers. */
#ifndef PRECIS_CHAT_SITE_H
#define PRECIS_CHAT_SITE_H

#include <stddef.h>

#include "precis/cli.h"
#include "precis/error.h"

/* One retrieved section of a site; every string is owned by the hit list. */
typedef struct precis_chat_site_hit {
    char *title;    /* heading path ("Guide > Tuning"), or the page title */
    char *link;     /* deep link URL#anchor */
    char *text;     /* the section's Markdown (what the model reads) */
    char *snippet;  /* a short excerpt with the terms wrapped in ** (for /search) */
    double score;   /* higher is better */
} precis_chat_site_hit;

/* An open site index (opaque; the index's implementation defines it). */
typedef struct precis_chat_site precis_chat_site;

/* Opens the index of site (a name or URL as `precis index` recorded it) with the
 * command line's settings. On success *out is a new handle the caller frees with
 * precis_chat_site_close; on failure *out is NULL and err is one line for the user. */
precis_result precis_chat_site_open(const char *site, const precis_cli *cli,
                                    precis_chat_site **out, precis_error *err);

/* A short name for the prompt ("go.dev"), owned by site. */
const char *precis_chat_site_name(const precis_chat_site *site);

/* Finds the best k sections for query: *hits is a new array of *n hits, best first,
 * freed with precis_chat_site_hits_free. Ctrl-C (precis_interrupted) while the model is
 * asked for the query's vector or extra words ends it with PRECIS_ERR_CANCELLED at once. */
precis_result precis_chat_site_search(precis_chat_site *site, const char *query, size_t k,
                                      precis_chat_site_hit **hits, size_t *n,
                                      precis_error *err);

/* Frees hits[0..n) and the array. NULL-safe. */
void precis_chat_site_hits_free(precis_chat_site_hit *hits, size_t n);

/* Closes the index. NULL-safe. */
void precis_chat_site_close(precis_chat_site *site);

#endif
