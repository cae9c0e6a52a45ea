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

/* Returns true if word (n bytes, any case) is a common English word that carries
 * little meaning in a search ("how", "the", "do", ...). */
bool precis_query_is_stopword(const char *word, size_t n);

#endif
