/* Growable byte buffer and non-owning slice. */
#ifndef PRECIS_BUF_H
#define PRECIS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "precis/error.h"

/* A buffer owns ptr; ptr is never NULL and always NUL-terminated (ptr[len] == 0).
 * max caps len (0 = no cap). Out of memory aborts the process. */
typedef struct precis_buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max;
} precis_buf;

/* A view into memory owned by someone else. */
typedef struct precis_slice {
    const char *ptr;
    size_t len;
} precis_slice;

/* Initialises an empty buffer capped at max bytes (0 = unlimited). Allocates nothing. */
void precis_buf_init(precis_buf *b, size_t max);

/* Frees the contents and leaves b empty and reusable. NULL-safe. */
void precis_buf_release(precis_buf *b);

/* Empties b, keeping its storage. */
void precis_buf_reset(precis_buf *b);

/* Appends n bytes; PRECIS_ERR_TOO_LARGE (and nothing appended) if that would pass max. */
precis_result precis_buf_append(precis_buf *b, const void *p, size_t n);

/* Appends a NUL-terminated string. */
precis_result precis_buf_puts(precis_buf *b, const char *s);

/* Appends one byte. */
precis_result precis_buf_putc(precis_buf *b, char c);

/* Appends printf-formatted text. */
precis_result precis_buf_printf(precis_buf *b, const char *fmt, ...) PRECIS_PRINTF(2, 3);

/* Ensures room for n more bytes without reallocating. */
precis_result precis_buf_grow(precis_buf *b, size_t n);

/* Removes the first n bytes (n > len empties the buffer). */
void precis_buf_consume(precis_buf *b, size_t n);

/* Shortens b to len bytes (no-op if already shorter). */
void precis_buf_truncate(precis_buf *b, size_t len);

/* Returns the contents as a malloc'd string the caller frees, and empties b. */
char *precis_buf_detach(precis_buf *b);

/* Returns true if the last byte is c. */
bool precis_buf_ends_with(const precis_buf *b, char c);

/* malloc/calloc/realloc/strdup that abort on failure (the out-of-memory policy). */
void *precis_xmalloc(size_t n);
void *precis_xcalloc(size_t count, size_t n);
void *precis_xrealloc(void *p, size_t n);
char *precis_xstrdup(const char *s);
char *precis_xstrndup(const char *s, size_t n);

#endif
