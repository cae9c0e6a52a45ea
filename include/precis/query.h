/* Turning what a user types into a safe FTS5 query: any text (C++, -O2, std::vector,
 * OPS-306, GOGC=off, an unbalanced quote, nothing at all) becomes a valid MATCH
 * expression or none. Pure, so it can be fuzzed. */
#ifndef PRECIS_QUERY_H
#define PRECIS_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"

/* Appends to out an FTS5 MATCH expression for text: each whitespace-separated word
 * that holds a letter, digit, '_' or non-ASCII byte becomes a quoted string (quotes
 * doubled), so the index's own tokenizer splits it (std::vector matches the phrase
 * "std vector"); the words are joined with OR so that ranking, not presence, decides.
 * Common English words are left out unless nothing else is left; at most 32 words are
 * used. Returns the number of terms written (0: nothing to search for, out untouched). */
size_t precis_query_build(const char *text, precis_buf *out);

/* Tells whether a word (n bytes, letters only) is so common in the searched text that
 * it would cost more than it says. */
typedef bool (*precis_query_common_fn)(void *ctx, const char *word, size_t n);

/* Like precis_query_build, but when the query has more than one meaningful word, the
 * words common() calls common are left out too, as long as one word remains. common may
 * be NULL. */
size_t precis_query_build_filtered(const char *text, precis_query_common_fn common, void *ctx,
                                   precis_buf *out);

/* Returns true if word (n bytes, any case) is a common English word that carries
 * little meaning in a search ("how", "the", "do", ...). */
bool precis_query_is_stopword(const char *word, size_t n);

#endif
