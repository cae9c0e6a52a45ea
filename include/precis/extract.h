/* Extraction: UTF-8 HTML -> document model (main content + metadata). */
#ifndef PRECIS_EXTRACT_H
#define PRECIS_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/doc.h"
#include "precis/error.h"

typedef struct precis_extract_opts {
    bool keep_comments; /* keep comment sections instead of dropping them */
    bool whole_body;    /* skip main-content detection: the cleaned body */
    /* Crawlers: called with the raw href of every <a> of the whole page (navigation
     * included, hidden or not), before extraction drops anything; may be NULL. The same
     * href may be reported more than once. */
    void (*on_link)(void *ctx, const char *href);
    void *link_ctx;
} precis_extract_opts;

/* Sets opts to the defaults. */
void precis_extract_opts_init(precis_extract_opts *opts);

/* Parses html (len bytes of UTF-8) and builds the readable document. base_url
 * (may be NULL) resolves relative links and is stored as meta.url. On success
 * *out is a new document the caller frees with precis_doc_free. Returns
 * PRECIS_ERR_NO_CONTENT (with err set) when nothing readable is found, e.g. a page
 * whose content is built by JavaScript. Never recurses on the input's depth. */
precis_result precis_extract_html(const char *html, size_t len, const char *base_url,
                                  const precis_extract_opts *opts, precis_doc **out,
                                  precis_error *err);

#endif
