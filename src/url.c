/* URL reference resolution (RFC 3986 section 5.2) for links and images. */
#include "precis/dom.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"

/* A URI split into its five components; a component is absent when ptr is NULL. */
typedef struct uri_parts {
    precis_slice scheme, authority, path, query, fragment;
} uri_parts;

static bool is_scheme_char(char c)
{
    return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

/* Splits s (len bytes) into components; never fails (anything parses as a path). */
static void uri_split(const char *s, size_t len, uri_parts *u)
{
    memset(u, 0, sizeof *u);
    size_t i = 0;
    if (len > 0 && isalpha((unsigned char)s[0])) {
        size_t j = 1;
        while (j < len && is_scheme_char(s[j]))
            j++;
        if (j < len && s[j] == ':') {
            u->scheme.ptr = s;
            u->scheme.len = j;
            i = j + 1;
        }
    }
    if (len - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        size_t j = i + 2;
        while (j < len && s[j] != '/' && s[j] != '?' && s[j] != '#')
            j++;
        u->authority.ptr = s + i + 2;
        u->authority.len = j - i - 2;
        i = j;
    }
    size_t j = i;
    while (j < len && s[j] != '?' && s[j] != '#')
        j++;
    u->path.ptr = s + i;
    u->path.len = j - i;
    i = j;
    if (i < len && s[i] == '?') {
        j = i + 1;
        while (j < len && s[j] != '#')
            j++;
        u->query.ptr = s + i + 1;
        u->query.len = j - i - 1;
        i = j;
    }
    if (i < len && s[i] == '#') {
        u->fragment.ptr = s + i + 1;
        u->fragment.len = len - i - 1;
    }
}

/* Appends path to out with "." and ".." segments removed (RFC 3986 5.2.4). */
static void remove_dot_segments(const char *in, size_t n, precis_buf *out)
{
    size_t start = out->len;
    size_t i = 0;
    while (i < n) {
        size_t rest = n - i;
        const char *p = in + i;
        if (rest >= 3 && memcmp(p, "../", 3) == 0) {
            i += 3;
        } else if (rest >= 2 && memcmp(p, "./", 2) == 0) {
            i += 2;
        } else if (rest >= 3 && memcmp(p, "/./", 3) == 0) {
            i += 2;
        } else if (rest == 2 && memcmp(p, "/.", 2) == 0) {
            precis_buf_putc(out, '/');
            i += 2;
        } else if ((rest >= 4 && memcmp(p, "/../", 4) == 0) ||
                   (rest == 3 && memcmp(p, "/..", 3) == 0)) {
            /* Drop the last output segment and its preceding slash. */
            size_t k = out->len;
            while (k > start && out->ptr[k - 1] != '/')
                k--;
            if (k > start)
                k--;
            precis_buf_truncate(out, k);
            if (rest == 3) {
                precis_buf_putc(out, '/');
                i += 3;
            } else {
                i += 3; /* leaves the "/" of "/../" as the next input */
            }
        } else if ((rest == 1 && p[0] == '.') || (rest == 2 && memcmp(p, "..", 2) == 0)) {
            i = n;
        } else {
            size_t j = (p[0] == '/') ? 1 : 0;
            while (j < rest && p[j] != '/')
                j++;
            precis_buf_append(out, p, j);
            i += j;
        }
    }
}

/* Appends path merged with the base (RFC 3986 5.2.3), before dot removal. */
static void merge_paths(const uri_parts *base, const precis_slice *ref, precis_buf *out)
{
    if (base->authority.ptr && base->path.len == 0) {
        precis_buf_putc(out, '/');
    } else {
        size_t k = base->path.len;
        while (k > 0 && base->path.ptr[k - 1] != '/')
            k--;
        precis_buf_append(out, base->path.ptr, k);
    }
    precis_buf_append(out, ref->ptr, ref->len);
}

static bool slice_ieq(const precis_slice *s, const char *lit)
{
    size_t n = strlen(lit);
    if (s->len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s->ptr[i]) != lit[i])
            return false;
    return true;
}

static bool is_dangerous_scheme(const precis_slice *scheme)
{
    return slice_ieq(scheme, "javascript") || slice_ieq(scheme, "data") ||
           slice_ieq(scheme, "vbscript");
}

/* Copies s without leading/trailing whitespace and without tabs/newlines inside,
 * with inner spaces percent-encoded (what browsers do to an href). */
static char *clean_ref(const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    precis_buf b;
    precis_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == ' ')
            precis_buf_puts(&b, "%20");
        else if (c < 0x20 || c == 0x7f)
            precis_buf_printf(&b, "%%%02X", c);
        else
            precis_buf_putc(&b, (char)c);
    }
    return precis_buf_detach(&b);
}

static void put_scheme_lower(precis_buf *out, const precis_slice *scheme)
{
    for (size_t i = 0; i < scheme->len; i++)
        precis_buf_putc(out, (char)tolower((unsigned char)scheme->ptr[i]));
    precis_buf_putc(out, ':');
}

static void put_authority(precis_buf *out, const precis_slice *auth)
{
    if (!auth->ptr)
        return;
    precis_buf_puts(out, "//");
    precis_buf_append(out, auth->ptr, auth->len);
}

static void put_query_fragment(precis_buf *out, const precis_slice *query,
                               const precis_slice *fragment)
{
    if (query->ptr) {
        precis_buf_putc(out, '?');
        precis_buf_append(out, query->ptr, query->len);
    }
    if (fragment->ptr) {
        precis_buf_putc(out, '#');
        precis_buf_append(out, fragment->ptr, fragment->len);
    }
}

/* Appends the path for an absolute result; an empty path under an authority
 * becomes "/" so that "https://host" and "https://host/" read the same. */
static void put_path(precis_buf *out, const char *p, size_t n, bool has_authority)
{
    size_t before = out->len;
    remove_dot_segments(p, n, out);
    if (has_authority && out->len == before)
        precis_buf_putc(out, '/');
}

char *precis_url_resolve(const char *base, const char *ref)
{
    if (!ref)
        return NULL;
    char *r = clean_ref(ref);
    uri_parts R;
    uri_split(r, strlen(r), &R);
    if (R.scheme.ptr && is_dangerous_scheme(&R.scheme)) {
        free(r);
        return NULL;
    }
    uri_parts B;
    char *b = base ? clean_ref(base) : NULL;
    if (b)
        uri_split(b, strlen(b), &B);
    precis_buf out;
    precis_buf_init(&out, 0);
    char *result = NULL;

    if (R.scheme.ptr) {
        put_scheme_lower(&out, &R.scheme);
        put_authority(&out, &R.authority);
        put_path(&out, R.path.ptr, R.path.len, R.authority.ptr != NULL);
        put_query_fragment(&out, &R.query, &R.fragment);
    } else if (!b || !B.scheme.ptr) {
        /* Nothing to resolve against: keep a non-empty reference as written. */
        if (r[0] == '\0')
            goto out;
        precis_buf_puts(&out, r);
    } else {
        put_scheme_lower(&out, &B.scheme);
        if (R.authority.ptr) {
            put_authority(&out, &R.authority);
            put_path(&out, R.path.ptr, R.path.len, true);
            put_query_fragment(&out, &R.query, &R.fragment);
        } else {
            put_authority(&out, &B.authority);
            bool has_auth = B.authority.ptr != NULL;
            if (R.path.len == 0) {
                precis_buf_append(&out, B.path.ptr, B.path.len);
                if (has_auth && B.path.len == 0)
                    precis_buf_putc(&out, '/');
                put_query_fragment(&out, R.query.ptr ? &R.query : &B.query, &R.fragment);
            } else if (R.path.ptr[0] == '/') {
                put_path(&out, R.path.ptr, R.path.len, has_auth);
                put_query_fragment(&out, &R.query, &R.fragment);
            } else {
                precis_buf merged;
                precis_buf_init(&merged, 0);
                merge_paths(&B, &R.path, &merged);
                put_path(&out, merged.ptr, merged.len, has_auth);
                precis_buf_release(&merged);
                put_query_fragment(&out, &R.query, &R.fragment);
            }
        }
    }
    result = precis_buf_detach(&out);
out:
    precis_buf_release(&out);
    free(r);
    free(b);
    return result;
}
