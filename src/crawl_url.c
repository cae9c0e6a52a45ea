/* URL helpers for the crawler: one parser splits an http(s) URL into normalised parts,
 * and every public function builds its answer from those parts. */
#include "precis/crawl_url.h"

#include <stdlib.h>
#include <string.h>

/* An http(s) URL split and normalised; the buffers are owned. */
typedef struct crawl_parts {
    bool https;
    precis_buf host;  /* lowercase; IPv6 keeps its brackets */
    long port;        /* -1 when absent or the scheme's default */
    precis_buf path;  /* starts with "/", dot segments resolved, percent-normalised */
    precis_buf query; /* without "?", tracking parameters removed; empty = no query */
} crawl_parts;

static const char *const tracking_params[] = {
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid",
    "_ga",    "_gl",   "yclid", "igshid",  "ref_src",
};

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool is_unreserved(unsigned char c)
{
    return is_alpha((char)c) || is_digit((char)c) || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

static bool ieq_n(const char *a, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lit[i])
            return false;
    return true;
}

void precis_url_percent_normalize(precis_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && n - i > 2 && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            c = (unsigned char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
            if (is_unreserved(c)) {
                precis_buf_putc(out, (char)c);
                continue;
            }
        } else if (c > 0x20 && c < 0x7F) {
            precis_buf_putc(out, (char)c);
            continue;
        }
        char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
        precis_buf_append(out, enc, 3);
    }
}

/* Appends the path in[0..n) (starting with "/") with "." and ".." segments resolved. */
static void remove_dot_segments(const char *in, size_t n, precis_buf *out)
{
    size_t start = out->len;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && in[j] != '/')
            j++;
        const char *seg = in + i + 1;
        size_t len = j - i - 1;
        bool last = j >= n;
        if (len == 1 && seg[0] == '.') {
            if (last)
                precis_buf_putc(out, '/');
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            size_t k = out->len;
            while (k > start && out->ptr[k - 1] != '/')
                k--;
            if (k > start)
                k--;
            precis_buf_truncate(out, k);
            if (last)
                precis_buf_putc(out, '/');
        } else {
            precis_buf_putc(out, '/');
            precis_buf_append(out, seg, len);
        }
        i = j;
    }
    if (out->len == start)
        precis_buf_putc(out, '/');
}

static bool is_tracking_param(const char *name, size_t n)
{
    if (n >= 4 && ieq_n(name, 4, "utm_"))
        return true;
    for (size_t i = 0; i < sizeof tracking_params / sizeof tracking_params[0]; i++)
        if (ieq_n(name, n, tracking_params[i]))
            return true;
    return false;
}

/* Appends the normalised query q (without "?") minus tracking and empty parameters. */
static void put_query(precis_buf *out, const char *q, size_t n)
{
    precis_buf norm;
    precis_buf_init(&norm, 0);
    precis_url_percent_normalize(&norm, q, n);
    size_t i = 0;
    while (i < norm.len) {
        const char *p = norm.ptr + i;
        const char *amp = memchr(p, '&', norm.len - i);
        size_t len = amp ? (size_t)(amp - p) : norm.len - i;
        const char *eq = memchr(p, '=', len);
        size_t name_len = eq ? (size_t)(eq - p) : len;
        if (len > 0 && !is_tracking_param(p, name_len)) {
            if (out->len > 0)
                precis_buf_putc(out, '&');
            precis_buf_append(out, p, len);
        }
        i += len + 1;
    }
    precis_buf_release(&norm);
}

static bool is_host_char(unsigned char c)
{
    if (c >= 0x80)
        return true;
    return is_unreserved(c) || (c != 0 && strchr("%!$&'()*+,;=", c) != NULL);
}

/* Parses host[:port] (userinfo already removed) into p; false if malformed. */
static bool parse_host_port(const char *a, size_t n, crawl_parts *p)
{
    size_t host_end;
    if (n > 0 && a[0] == '[') {
        const char *close = memchr(a, ']', n);
        if (!close || close == a + 1)
            return false;
        host_end = (size_t)(close - a) + 1;
        for (size_t i = 1; i + 1 < host_end; i++)
            if (hex_value(a[i]) < 0 && a[i] != ':' && a[i] != '.')
                return false;
        if (host_end < n && a[host_end] != ':')
            return false;
    } else {
        host_end = 0;
        while (host_end < n && a[host_end] != ':') {
            if (!is_host_char((unsigned char)a[host_end]))
                return false;
            host_end++;
        }
    }
    if (host_end == 0)
        return false;
    for (size_t i = 0; i < host_end; i++)
        precis_buf_putc(&p->host, lower(a[i]));
    p->port = -1;
    if (host_end < n) {
        long port = 0;
        for (size_t i = host_end + 1; i < n; i++) {
            if (!is_digit(a[i]))
                return false;
            port = port * 10 + (a[i] - '0');
            if (port > 65535)
                return false;
        }
        if (host_end + 1 < n && port != (p->https ? 443 : 80))
            p->port = port;
    }
    return true;
}

static void parts_init(crawl_parts *p)
{
    p->https = false;
    p->port = -1;
    precis_buf_init(&p->host, 0);
    precis_buf_init(&p->path, 0);
    precis_buf_init(&p->query, 0);
}

static void parts_release(crawl_parts *p)
{
    precis_buf_release(&p->host);
    precis_buf_release(&p->path);
    precis_buf_release(&p->query);
}

/* Copies url without surrounding whitespace and inner tabs/CR/LF; NULL if it holds any
 * other control character. */
static char *clean_url(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && (unsigned char)*url <= 0x20) {
        url++;
        n--;
    }
    while (n > 0 && (unsigned char)url[n - 1] <= 0x20)
        n--;
    precis_buf b;
    precis_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if ((c < 0x20 && c != ' ') || c == 0x7F) {
            precis_buf_release(&b);
            return NULL;
        }
        precis_buf_putc(&b, (char)c);
    }
    return precis_buf_detach(&b);
}

/* Splits and normalises an http(s) URL into p (initialised here); false if it is not one.
 * p must be released either way. */
static bool parse_url(const char *url, crawl_parts *p)
{
    parts_init(p);
    if (!url)
        return false;
    char *s = clean_url(url);
    if (!s)
        return false;
    bool ok = false;
    size_t n = strlen(s), i;
    if (n >= 7 && ieq_n(s, 7, "http://")) {
        i = 7;
    } else if (n >= 8 && ieq_n(s, 8, "https://")) {
        p->https = true;
        i = 8;
    } else {
        goto out;
    }
    size_t a = i;
    while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
        i++;
    size_t auth_start = a;
    for (size_t k = a; k < i; k++)
        if (s[k] == '@')
            auth_start = k + 1;
    if (!parse_host_port(s + auth_start, i - auth_start, p))
        goto out;

    size_t path_start = i;
    while (i < n && s[i] != '?' && s[i] != '#')
        i++;
    precis_buf norm;
    precis_buf_init(&norm, 0);
    precis_url_percent_normalize(&norm, s + path_start, i - path_start);
    if (norm.len == 0)
        precis_buf_putc(&p->path, '/');
    else
        remove_dot_segments(norm.ptr, norm.len, &p->path);
    precis_buf_release(&norm);

    if (i < n && s[i] == '?') {
        size_t q = ++i;
        while (i < n && s[i] != '#')
            i++;
        put_query(&p->query, s + q, i - q);
    }
    ok = true;
out:
    free(s);
    return ok;
}

static void put_origin(precis_buf *out, const crawl_parts *p)
{
    precis_buf_puts(out, p->https ? "https://" : "http://");
    precis_buf_append(out, p->host.ptr, p->host.len);
    if (p->port >= 0)
        precis_buf_printf(out, ":%ld", p->port);
}

char *precis_url_crawl_normalize(const char *url)
{
    crawl_parts p;
    char *result = NULL;
    if (parse_url(url, &p)) {
        precis_buf out;
        precis_buf_init(&out, 0);
        put_origin(&out, &p);
        precis_buf_append(&out, p.path.ptr, p.path.len);
        if (p.query.len > 0) {
            precis_buf_putc(&out, '?');
            precis_buf_append(&out, p.query.ptr, p.query.len);
        }
        result = precis_buf_detach(&out);
    }
    parts_release(&p);
    return result;
}

char *precis_url_origin(const char *url)
{
    crawl_parts p;
    char *result = NULL;
    if (parse_url(url, &p)) {
        precis_buf out;
        precis_buf_init(&out, 0);
        put_origin(&out, &p);
        result = precis_buf_detach(&out);
    }
    parts_release(&p);
    return result;
}

char *precis_url_path_query(const char *url)
{
    if (!url)
        return precis_xstrdup("/");
    const char *s = url;
    if (s[0] != '/') {
        const char *sep = strstr(s, "://");
        if (!sep)
            return precis_xstrdup("/");
        s = sep + 3;
        s += strcspn(s, "/?#");
    }
    size_t n = strcspn(s, "#");
    precis_buf out;
    precis_buf_init(&out, 0);
    if (n == 0 || s[0] != '/')
        precis_buf_putc(&out, '/');
    precis_buf_append(&out, s, n);
    return precis_buf_detach(&out);
}

bool precis_url_in_scope(const char *url, const char *origin, const char *prefix)
{
    if (!url || !origin)
        return false;
    crawl_parts p;
    parts_init(&p);
    bool in = false;
    char *want = precis_url_origin(origin);
    precis_buf have, pre;
    precis_buf_init(&have, 0);
    precis_buf_init(&pre, 0);
    if (!want || !parse_url(url, &p))
        goto out;
    put_origin(&have, &p);
    if (strcmp(have.ptr, want) != 0)
        goto out;
    if (!prefix || prefix[0] == '\0')
        prefix = "/";
    precis_url_percent_normalize(&pre, prefix, strlen(prefix));
    if (p.path.len < pre.len || memcmp(p.path.ptr, pre.ptr, pre.len) != 0)
        goto out;
    in = pre.ptr[pre.len - 1] == '/' || p.path.len == pre.len || p.path.ptr[pre.len] == '/';
out:
    parts_release(&p);
    precis_buf_release(&have);
    precis_buf_release(&pre);
    free(want);
    return in;
}

char *precis_url_scope_dir(const char *url)
{
    crawl_parts p;
    char *result = NULL;
    if (parse_url(url, &p)) {
        size_t k = p.path.len;
        while (k > 0 && p.path.ptr[k - 1] != '/')
            k--;
        result = precis_xstrndup(p.path.ptr, k ? k : 1);
    }
    parts_release(&p);
    return result;
}

/* Appends the path with digit-bearing segments replaced by "#". */
static void put_path_shape(precis_buf *out, const char *path, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (path[i] == '/') {
            precis_buf_putc(out, '/');
            i++;
            continue;
        }
        size_t j = i;
        bool digit = false;
        while (j < n && path[j] != '/')
            digit |= is_digit(path[j++]);
        if (digit)
            precis_buf_putc(out, '#');
        else
            precis_buf_append(out, path + i, j - i);
        i = j;
    }
}

/* Appends "?name&name..." for a query (without "?"); nothing for an empty one. */
static void put_query_shape(precis_buf *out, const char *q, size_t n)
{
    bool first = true;
    size_t i = 0;
    while (i < n) {
        const char *p = q + i;
        const char *amp = memchr(p, '&', n - i);
        size_t len = amp ? (size_t)(amp - p) : n - i;
        const char *eq = memchr(p, '=', len);
        size_t name_len = eq ? (size_t)(eq - p) : len;
        if (len > 0) {
            precis_buf_putc(out, first ? '?' : '&');
            precis_buf_append(out, p, name_len);
            first = false;
        }
        i += len + 1;
    }
}

char *precis_url_pattern(const char *url)
{
    if (!url)
        return NULL;
    crawl_parts p;
    char *result = NULL;
    precis_buf out;
    precis_buf_init(&out, 0);
    if (url[0] == '/') {
        /* A bare path: normalise it under a placeholder origin. */
        precis_buf abs;
        precis_buf_init(&abs, 0);
        precis_buf_puts(&abs, "http://x");
        precis_buf_puts(&abs, url);
        bool ok = parse_url(abs.ptr, &p);
        precis_buf_release(&abs);
        if (!ok)
            goto out;
    } else if (!parse_url(url, &p)) {
        goto out;
    }
    put_path_shape(&out, p.path.ptr, p.path.len);
    put_query_shape(&out, p.query.ptr, p.query.len);
    result = precis_buf_detach(&out);
out:
    parts_release(&p);
    precis_buf_release(&out);
    return result;
}
