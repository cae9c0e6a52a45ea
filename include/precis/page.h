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

/* The second half of precis_page_load: turns a fetched response (borrowed) for source
 * into a document, under the same contract. */
precis_result precis_page_from_response(const char *source, precis_response *resp,
                                        const precis_fetch_opts *fetch_opts,
                                        const precis_extract_opts *extract_opts,
                                        precis_doc **out, precis_error *err);

/* Turns text given directly (an editor's region or buffer; UTF-8) into a document named
 * name: extracted when it looks like HTML, else read as Markdown. Same contract. */
precis_result precis_page_from_text(const char *text, size_t len, const char *name,
                                    const precis_extract_opts *extract_opts, precis_doc **out,
                                    precis_error *err);

#endif
