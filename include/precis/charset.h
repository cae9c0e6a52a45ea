/* Character sets: any labelled or unlabelled bytes -> clean UTF-8. */
#ifndef PRECIS_CHARSET_H
#define PRECIS_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"

/* Converts bytes to UTF-8 into out (appended). The charset is chosen from, in
 * order: a BOM, header_charset (may be NULL), a <meta charset>/http-equiv in the
 * first bytes when is_html, then detection; bytes that are valid UTF-8 are trusted
 * over a wrong label. Invalid sequences become U+FFFD. If used is non-NULL it gets
 * a malloc'd name of the charset used (caller frees). */
precis_result precis_to_utf8(const char *bytes, size_t len, const char *header_charset,
                             bool is_html, precis_buf *out, char **used);

/* Appends s to out with invalid UTF-8 replaced by U+FFFD and control characters
 * other than tab and newline removed (CR and CRLF become newline). */
void precis_utf8_sanitize(const char *s, size_t len, precis_buf *out);

/* Returns true if s[0..len) is valid UTF-8. */
bool precis_utf8_valid(const char *s, size_t len);

#endif
