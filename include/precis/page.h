/* Loading a page: fetch, decode, dispatch on content type, extract. */
#ifndef PRECIS_PAGE_H
#define PRECIS_PAGE_H

#include "precis/doc.h"
#include "precis/error.h"
#include "precis/extract.h"
#include "precis/fetch.h"

/* Fetches source and turns it into a document: HTML/XHTML are extracted,
 * text/plain and text/markdown pass through (a RAW node), JSON is pretty-printed
 * (a CODE_BLOCK), PDF goes through pdftotext when installed; images and other
 * binary types fail with PRECIS_ERR_UNSUPPORTED. On success *out is a new
 * document the caller frees with precis_doc_free. */
precis_result precis_page_load(const char *source, const precis_fetch_opts *fetch_opts,
                               const precis_extract_opts *extract_opts, precis_doc **out,
                               precis_error *err);

#endif
