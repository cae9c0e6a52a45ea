/* Token estimates and section-aware splitting of long Markdown for map-reduce. */
#ifndef PRECIS_CHUNK_H
#define PRECIS_CHUNK_H

#include <stddef.h>

#include "precis/buf.h"

/* Estimates the tokens of s[0..n): about 4 bytes of ASCII per token and one token
 * per non-ASCII character (CJK and most scripts tokenise near one per character). */
size_t precis_estimate_tokens(const char *s, size_t n);

/* Splits markdown into consecutive chunks of at most max_tokens estimated tokens,
 * preferring, in order: section boundaries (heading lines outside code fences),
 * blank lines outside fences, line ends, sentence ends, then any UTF-8 character
 * boundary. The chunks, concatenated, are exactly the input: every byte is in one
 * chunk. *chunks is a new array of *n slices into markdown (borrowed from it); the
 * caller frees the array with free(). */
void precis_chunk_markdown(const char *markdown, size_t len, size_t max_tokens,
                           precis_slice **chunks, size_t *n);

#endif
