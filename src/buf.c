/* Growable byte buffer. */
#include "precis/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_string[1];

void *precis_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        precis_die("out of memory allocating %zu bytes", n);
    return p;
}

void *precis_xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p)
        precis_die("out of memory allocating %zu x %zu bytes", count, n);
    return p;
}

void *precis_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        precis_die("out of memory allocating %zu bytes", n);
    return q;
}

char *precis_xstrndup(const char *s, size_t n)
{
    char *p = precis_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *precis_xstrdup(const char *s)
{
    return precis_xstrndup(s, strlen(s));
}

void precis_buf_init(precis_buf *b, size_t max)
{
    b->ptr = empty_string;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void precis_buf_release(precis_buf *b)
{
    if (!b)
        return;
    if (b->cap)
        free(b->ptr);
    precis_buf_init(b, b->max);
}

void precis_buf_reset(precis_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->ptr[0] = '\0';
}

precis_result precis_buf_grow(precis_buf *b, size_t n)
{
    if (n > SIZE_MAX / 2 - b->len)
        return PRECIS_ERR_TOO_LARGE;
    if (b->max && b->len + n > b->max)
        return PRECIS_ERR_TOO_LARGE;
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return PRECIS_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->cap) {
        b->ptr = precis_xrealloc(b->ptr, cap);
    } else {
        b->ptr = precis_xmalloc(cap);
        b->ptr[0] = '\0';
    }
    b->cap = cap;
    return PRECIS_OK;
}

precis_result precis_buf_append(precis_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return PRECIS_OK;
    precis_result r = precis_buf_grow(b, n);
    if (r != PRECIS_OK)
        return r;
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return PRECIS_OK;
}

precis_result precis_buf_puts(precis_buf *b, const char *s)
{
    return precis_buf_append(b, s, strlen(s));
}

precis_result precis_buf_putc(precis_buf *b, char c)
{
    return precis_buf_append(b, &c, 1);
}

precis_result precis_buf_printf(precis_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return PRECIS_ERR_INTERNAL;
    if ((size_t)n < sizeof small)
        return precis_buf_append(b, small, (size_t)n);
    precis_result r = precis_buf_grow(b, (size_t)n);
    if (r != PRECIS_OK)
        return r;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return PRECIS_OK;
}

void precis_buf_consume(precis_buf *b, size_t n)
{
    if (n >= b->len) {
        precis_buf_reset(b);
        return;
    }
    memmove(b->ptr, b->ptr + n, b->len - n);
    b->len -= n;
    b->ptr[b->len] = '\0';
}

void precis_buf_truncate(precis_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

char *precis_buf_detach(precis_buf *b)
{
    char *p = b->cap ? b->ptr : precis_xstrdup("");
    precis_buf_init(b, b->max);
    return p;
}

bool precis_buf_ends_with(const precis_buf *b, char c)
{
    return b->len > 0 && b->ptr[b->len - 1] == c;
}
