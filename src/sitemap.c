/* Sitemap and llms.txt URL discovery: a forgiving XML tag scanner that tracks a shallow
 * element stack to find <loc> under <url>/<sitemap>, a line reader for plain-text sitemaps,
 * and a Markdown inline-link scanner for llms.txt. Each scanner moves forward only. */
#include "precis/sitemap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"
#include "precis/dom.h"

#define MAX_URL_BYTES 8192u /* longer <loc> values are dropped (sitemaps.org allows 2048) */
#define MAX_DEPTH 256u      /* deeper XML elements are not tracked */
#define MAX_BRACKETS 64u    /* nesting of [ ] tracked per Markdown line */

/* Reports URLs to the callback, up to a cap. */
typedef struct emitter {
    precis_sitemap_fn fn;
    void *ctx;
    size_t max;
    size_t count;
    precis_buf url;
} emitter;

typedef enum el_kind { EL_OTHER, EL_URL, EL_SITEMAP, EL_LOC } el_kind;

typedef struct xml_scan {
    emitter *e;
    unsigned char stack[MAX_DEPTH]; /* el_kind of each open element */
    size_t depth;
    size_t untracked;               /* open elements beyond MAX_DEPTH */
    size_t capture_depth;           /* stack depth of the <loc> being read; 0 = none */
    bool capture_sitemap;
    bool capture_overflow;
    precis_buf loc;
} xml_scan;

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool ieq(const char *a, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lit[i])
            return false;
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool has_http_scheme(const char *s, size_t n, size_t *after)
{
    size_t k = (n >= 7 && ieq(s, 7, "http://")) ? 7 : (n >= 8 && ieq(s, 8, "https://")) ? 8 : 0;
    if (after)
        *after = k;
    return k > 0;
}

/* True if s is "http(s)://" followed by a non-empty host. */
static bool is_http_url(const char *s, size_t n)
{
    size_t k;
    return has_http_scheme(s, n, &k) && k < n && s[k] != '/' && s[k] != '?' && s[k] != '#';
}

/* Reports u (n bytes) trimmed, with inner spaces as %20, if it is an http(s) URL without
 * control characters. Returns false once the cap is reached. */
static bool emit(emitter *e, const char *u, size_t n, bool is_sitemap)
{
    if (e->count >= e->max)
        return false;
    while (n > 0 && (unsigned char)u[0] <= 0x20) {
        u++;
        n--;
    }
    while (n > 0 && (unsigned char)u[n - 1] <= 0x20)
        n--;
    precis_buf_reset(&e->url);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c == ' ')
            precis_buf_puts(&e->url, "%20");
        else if (c < 0x20 || c == 0x7F)
            return true;
        else
            precis_buf_putc(&e->url, (char)c);
    }
    if (!is_http_url(e->url.ptr, e->url.len))
        return true;
    if (e->fn)
        e->fn(e->ctx, e->url.ptr, is_sitemap);
    e->count++;
    return e->count < e->max;
}

/* Returns the offset of needle in hay[from..n), or n if absent. */
static size_t find(const char *hay, size_t n, size_t from, const char *needle)
{
    size_t m = strlen(needle);
    while (from < n && n - from >= m) {
        const char *p = memchr(hay + from, needle[0], n - from - m + 1);
        if (!p)
            break;
        if (memcmp(p, needle, m) == 0)
            return (size_t)(p - hay);
        from = (size_t)(p - hay) + 1;
    }
    return n;
}

static void put_utf8(precis_buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    precis_buf_append(b, s, n);
}

/* Decodes the entity reference at s (s[0] == '&', n bytes available) into out; returns the
 * bytes consumed, or 0 if it is not a reference we know. */
static size_t decode_entity(const char *s, size_t n, precis_buf *out)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    size_t limit = n < 12 ? n : 12;
    const char *semi = memchr(s, ';', limit);
    if (!semi)
        return 0;
    size_t len = (size_t)(semi - s) - 1; /* between '&' and ';' */
    const char *name = s + 1;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strlen(named[i].name) == len && memcmp(name, named[i].name, len) == 0) {
            precis_buf_putc(out, named[i].c);
            return len + 2;
        }
    }
    if (len < 2 || name[0] != '#')
        return 0;
    bool hex = name[1] == 'x' || name[1] == 'X';
    size_t i = hex ? 2 : 1;
    if (i >= len)
        return 0;
    uint32_t cp = 0;
    for (; i < len; i++) {
        char c = lower(name[i]);
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else
            return 0;
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF)
            return 0;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    put_utf8(out, cp);
    return len + 2;
}

/* Appends text[0..n) entity-decoded to the <loc> being read. */
static void capture_text(xml_scan *x, const char *t, size_t n, bool raw)
{
    if (!x->capture_depth || x->capture_overflow)
        return;
    size_t i = 0;
    while (i < n) {
        size_t used = 0;
        if (!raw && t[i] == '&')
            used = decode_entity(t + i, n - i, &x->loc);
        if (used == 0) {
            precis_buf_putc(&x->loc, t[i]);
            used = 1;
        }
        i += used;
    }
    if (x->loc.len > MAX_URL_BYTES)
        x->capture_overflow = true;
}

static el_kind classify(const char *name, size_t n)
{
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (name[i] == ':')
            colon = name + i;
    if (colon) {
        n -= (size_t)(colon + 1 - name);
        name = colon + 1;
    }
    if (ieq(name, n, "url"))
        return EL_URL;
    if (ieq(name, n, "sitemap"))
        return EL_SITEMAP;
    if (ieq(name, n, "loc"))
        return EL_LOC;
    return EL_OTHER;
}

/* Pops the stack down to depth d (exclusive); reports a <loc> being read when its element
 * closes. Returns false once the cap is reached. */
static bool pop_to(xml_scan *x, size_t d)
{
    bool more = true;
    if (x->capture_depth > d) {
        if (!x->capture_overflow)
            more = emit(x->e, x->loc.ptr, x->loc.len, x->capture_sitemap);
        x->capture_depth = 0;
    }
    x->depth = d;
    return more;
}

static void open_element(xml_scan *x, el_kind k)
{
    if (x->depth >= MAX_DEPTH) {
        x->untracked++;
        return;
    }
    el_kind parent = x->depth ? (el_kind)x->stack[x->depth - 1] : EL_OTHER;
    x->stack[x->depth++] = (unsigned char)k;
    if (k == EL_LOC && !x->capture_depth && (parent == EL_URL || parent == EL_SITEMAP)) {
        x->capture_depth = x->depth;
        x->capture_sitemap = parent == EL_SITEMAP;
        x->capture_overflow = false;
        precis_buf_reset(&x->loc);
    }
}

/* Closes the innermost open element of kind k, and any left open inside it. */
static bool close_element(xml_scan *x, el_kind k)
{
    if (x->untracked) {
        x->untracked--;
        return true;
    }
    for (size_t d = x->depth; d > 0; d--)
        if (x->stack[d - 1] == k)
            return pop_to(x, d - 1);
    return true; /* a stray end tag */
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (unsigned char)c >= 0x80;
}

static bool is_name_end(char c)
{
    return is_space(c) || c == '>' || c == '/';
}

/* Returns the offset just past the '>' closing the tag that starts at t[i], skipping quoted
 * attribute values; n if the tag is unterminated. */
static size_t tag_end(const char *t, size_t n, size_t i, bool *self_closing)
{
    char quote = 0;
    for (; i < n; i++) {
        if (quote) {
            if (t[i] == quote)
                quote = 0;
        } else if (t[i] == '"' || t[i] == '\'') {
            quote = t[i];
        } else if (t[i] == '>') {
            *self_closing = t[i - 1] == '/';
            return i + 1;
        }
    }
    return n;
}

/* Scans XML; returns when the input ends or the cap is reached. */
static void parse_xml(const char *t, size_t n, emitter *e)
{
    xml_scan *x = precis_xcalloc(1, sizeof *x);
    x->e = e;
    precis_buf_init(&x->loc, 0);
    size_t i = 0;
    bool more = true;
    while (more && i < n) {
        const char *lt = memchr(t + i, '<', n - i);
        size_t at = lt ? (size_t)(lt - t) : n;
        capture_text(x, t + i, at - i, false);
        if (at >= n)
            break;
        i = at;
        size_t rest = n - i;
        if (rest >= 4 && memcmp(t + i, "<!--", 4) == 0) {
            size_t end = find(t, n, i + 4, "-->");
            i = end < n ? end + 3 : n;
        } else if (rest >= 9 && memcmp(t + i, "<![CDATA[", 9) == 0) {
            size_t end = find(t, n, i + 9, "]]>");
            capture_text(x, t + i + 9, end - (i + 9), true);
            i = end < n ? end + 3 : n;
        } else if (rest >= 2 && (t[i + 1] == '!' || t[i + 1] == '?')) {
            const char *gt = memchr(t + i, '>', rest);
            i = gt ? (size_t)(gt - t) + 1 : n;
        } else if (rest >= 2 && t[i + 1] == '/') {
            size_t s = i + 2, k = s;
            while (k < n && !is_name_end(t[k]))
                k++;
            more = close_element(x, classify(t + s, k - s));
            const char *gt = memchr(t + k, '>', n - k);
            i = gt ? (size_t)(gt - t) + 1 : n;
        } else if (rest >= 2 && is_name_start(t[i + 1])) {
            size_t s = i + 1, k = s;
            while (k < n && !is_name_end(t[k]))
                k++;
            bool self_closing = false;
            el_kind kind = classify(t + s, k - s);
            i = tag_end(t, n, k, &self_closing);
            if (!self_closing)
                open_element(x, kind);
        } else {
            capture_text(x, t + i, 1, false); /* a stray '<' */
            i++;
        }
    }
    if (more && x->capture_depth)
        pop_to(x, 0); /* a <loc> cut off by the end of the input */
    precis_buf_release(&x->loc);
    free(x);
}

/* Reports every line that is exactly one http(s) URL. */
static void parse_plain(const char *t, size_t n, emitter *e)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && t[j] != '\n' && t[j] != '\r')
            j++;
        const char *line = t + i;
        size_t len = j - i;
        while (len > 0 && is_space(*line)) {
            line++;
            len--;
        }
        while (len > 0 && is_space(line[len - 1]))
            len--;
        bool one_word = true;
        for (size_t k = 0; k < len && one_word; k++)
            one_word = !is_space(line[k]);
        if (one_word && has_http_scheme(line, len, NULL) && !emit(e, line, len, false))
            return;
        i = j + 1;
    }
}

precis_result precis_sitemap_parse(const char *text, size_t len, size_t max_urls,
                                   precis_sitemap_fn fn, void *ctx)
{
    if (!text)
        return PRECIS_ERR_NO_CONTENT;
    emitter e = {fn, ctx, max_urls, 0, {0}};
    if (e.max == 0 || e.max > PRECIS_SITEMAP_MAX_URLS)
        e.max = PRECIS_SITEMAP_MAX_URLS;
    precis_buf_init(&e.url, 0);
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && is_space(text[i]))
        i++;
    if (i < len && text[i] == '<') {
        parse_xml(text + i, len - i, &e);
    } else {
        parse_plain(text + i, len - i, &e);
        if (e.count == 0 && memchr(text + i, '<', len - i))
            parse_xml(text + i, len - i, &e); /* XML after some junk */
    }
    precis_buf_release(&e.url);
    return e.count ? PRECIS_OK : PRECIS_ERR_NO_CONTENT;
}

/* Parses a Markdown link destination at t[i] (just past the "("), then an optional title
 * and the closing ")". On success stores the destination (backslash escapes removed) in
 * dest and returns the offset past ")"; returns 0 when it is not a link. */
static size_t parse_destination(const char *t, size_t n, size_t i, precis_buf *dest)
{
    precis_buf_reset(dest);
    while (i < n && (t[i] == ' ' || t[i] == '\t'))
        i++;
    if (i < n && t[i] == '<') {
        for (i++; i < n && t[i] != '>'; i++) {
            if (t[i] == '\n' || t[i] == '\r' || t[i] == '<')
                return 0;
            if (t[i] == '\\' && i + 1 < n && t[i + 1] != '\n' && t[i + 1] != '\r')
                i++;
            precis_buf_putc(dest, t[i]);
        }
        if (i >= n)
            return 0;
        i++;
    } else {
        int parens = 0;
        for (; i < n; i++) {
            unsigned char c = (unsigned char)t[i];
            if (c <= 0x20 || c == 0x7F)
                break;
            if (c == '(') {
                parens++;
            } else if (c == ')') {
                if (parens == 0)
                    break;
                parens--;
            } else if (c == '\\' && i + 1 < n && (unsigned char)t[i + 1] > 0x20) {
                i++;
            }
            precis_buf_putc(dest, t[i]);
        }
    }
    while (i < n && (t[i] == ' ' || t[i] == '\t'))
        i++;
    if (i < n && (t[i] == '"' || t[i] == '\'' || t[i] == '(')) {
        char close = t[i] == '(' ? ')' : t[i];
        for (i++; i < n && t[i] != close; i++)
            if (t[i] == '\n' || t[i] == '\r')
                return 0;
        if (i >= n)
            return 0;
        i++;
        while (i < n && (t[i] == ' ' || t[i] == '\t'))
            i++;
    }
    if (i >= n || t[i] != ')')
        return 0;
    return i + 1;
}

static void emit_link(emitter *e, const char *base, const precis_buf *dest)
{
    if (dest->len == 0 || memchr(dest->ptr, '\0', dest->len))
        return;
    char *url = precis_url_resolve(base, dest->ptr);
    if (url)
        emit(e, url, strlen(url), false);
    free(url);
}

/* True if the line (already past leading spaces) opens or closes a fenced code block. */
static bool is_fence(const char *line, size_t len)
{
    return len >= 3 && (memcmp(line, "```", 3) == 0 || memcmp(line, "~~~", 3) == 0);
}

void precis_llms_txt_links(const char *text, size_t len, const char *base,
                           precis_sitemap_fn fn, void *ctx)
{
    emitter e = {fn, ctx, SIZE_MAX, 0, {0}};
    precis_buf dest;
    precis_buf_init(&e.url, 0);
    precis_buf_init(&dest, 0);
    bool fenced = false;
    size_t i = 0;
    if (!text)
        len = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && text[end] != '\n')
            end++;
        size_t s = i;
        while (s < end && (text[s] == ' ' || text[s] == '\t'))
            s++;
        if (is_fence(text + s, end - s)) {
            fenced = !fenced;
        } else if (!fenced) {
            bool image[MAX_BRACKETS];
            size_t depth = 0;
            bool code = false;
            for (size_t k = i; k < end; k++) {
                char c = text[k];
                if (c == '`') {
                    while (k + 1 < end && text[k + 1] == '`')
                        k++;
                    code = !code;
                } else if (code) {
                    continue;
                } else if (c == '\\') {
                    k++;
                } else if (c == '[') {
                    if (depth < MAX_BRACKETS)
                        image[depth] = k > i && text[k - 1] == '!';
                    depth++;
                } else if (c == ']' && depth > 0) {
                    depth--;
                    bool is_image = depth < MAX_BRACKETS && image[depth];
                    if (k + 1 < end && text[k + 1] == '(') {
                        size_t after = parse_destination(text, end, k + 2, &dest);
                        if (after) {
                            if (!is_image)
                                emit_link(&e, base, &dest);
                            k = after - 1;
                        }
                    }
                }
            }
        }
        i = end + 1;
    }
    precis_buf_release(&dest);
    precis_buf_release(&e.url);
}
