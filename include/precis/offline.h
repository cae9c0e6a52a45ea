/* The offline extractive summarizer: the page's most central sentences, in
 * document order, as Markdown. Used when no model is configured. */
#ifndef PRECIS_OFFLINE_H
#define PRECIS_OFFLINE_H

#include <stdbool.h>

#include "precis/buf.h"
#include "precis/doc.h"
#include "precis/error.h"

/* How long a summary should be: about 3, 6 or 12 sentences (fewer for short pages). */
typedef enum precis_length {
    PRECIS_LENGTH_SHORT,
    PRECIS_LENGTH_MEDIUM,
    PRECIS_LENGTH_LONG
} precis_length;

/* Parses "short", "medium" or "long" (any case) into *out; returns false (and
 * leaves *out alone) for anything else, including NULL. */
bool precis_length_parse(const char *s, precis_length *out);

/* Returns the number of sentences a summary of the given length aims for on a
 * page with n usable sentences: 3 / 6 / 12, but never more than half of them
 * (rounded up), and at least 1 when n > 0. */
size_t precis_length_sentences(precis_length length, size_t n);

/* Appends to out a Markdown summary of doc: "# <title>" when the page has one,
 * then its top-ranked sentences in document order, as a paragraph, or as
 * bullets (led by their section heading) when they come from several sections.
 * Deterministic; linear time in the page size. Returns PRECIS_ERR_NO_CONTENT
 * (and appends nothing) when the page has no sentences, PRECIS_ERR_TOO_LARGE if
 * out's cap is reached. out is owned by the caller. */
precis_result precis_offline_summarize(const precis_doc *doc, precis_length length, precis_buf *out);

#endif
