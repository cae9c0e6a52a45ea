/* Small Unicode helpers for text analysis: decoding and character classes. */
#ifndef PRECIS_UNICODE_H
#define PRECIS_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[i] (i < len); sets *n to its byte length (>= 1).
 * Invalid or truncated sequences decode as U+FFFD with *n = 1. */
uint32_t precis_uc_decode(const char *s, size_t len, size_t i, size_t *n);

/* Returns true for whitespace: ASCII space, tab, CR, LF, FF, VT, NBSP and the
 * Unicode space separators (U+2000..U+200A, U+202F, U+205F, U+3000). */
bool precis_uc_is_space(uint32_t c);

/* Returns true for ideographic scripts written without spaces: Han, Hiragana,
 * Katakana, Hangul syllables and their extensions. */
bool precis_uc_is_cjk(uint32_t c);

/* Returns true for characters that can be part of a word: ASCII letters and
 * digits, and non-ASCII characters that are neither spaces nor punctuation. */
bool precis_uc_is_word(uint32_t c);

/* Returns the lowercase of c for ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic capitals, and maps full-width ASCII letters and digits to ASCII;
 * other characters are returned unchanged. */
uint32_t precis_uc_fold(uint32_t c);

/* Returns true for an uppercase letter in the ranges precis_uc_fold knows. */
bool precis_uc_is_upper(uint32_t c);

/* Returns true for a lowercase letter (ASCII, Latin-1, Greek, Cyrillic). */
bool precis_uc_is_lower(uint32_t c);

/* Encodes c as UTF-8 into out (at least 4 bytes); returns the byte count. */
size_t precis_uc_encode(uint32_t c, char *out);

#endif
