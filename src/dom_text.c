/* Text cleaning for the DOM conversion: safe UTF-8 and collapsed whitespace. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dom_internal.h"

/* Decodes one UTF-8 sequence at s (n bytes available); returns the code point or
 * 0xFFFD for an invalid sequence, and its length in *len (>= 1). */
static uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
    unsigned char c = s[0];
    *len = 1;
    if (c < 0x80)
        return c;
    int extra;
    uint32_t cp;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
        extra = 1;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        extra = 2;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        extra = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0xFFFD;
    }
    if ((size_t)extra >= n)
        return 0xFFFD;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    *len = (size_t)extra + 1;
    return cp;
}

/* Returns true for characters that must not reach a reader or a model: controls,
 * invisible format characters used to hide text, Unicode tag characters, and
 * private-use code points (icon-font glyphs that mean nothing as text). */
static bool is_unwanted(uint32_t cp)
{
    if (cp == '\t' || cp == '\n')
        return false;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return true;
    if (cp == 0xAD || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF)
        return true;
    if (cp >= 0xFFF9 && cp <= 0xFFFB)
        return true;
    if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000) /* private use: icon fonts */
        return true;
    return cp >= 0xE0000 && cp <= 0xE007F;
}

void precis_dom_clean_text(const char *s, size_t n, precis_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] == '\r') {
            precis_buf_putc(out, '\n');
            i += (i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        size_t len;
        uint32_t cp = utf8_decode(p + i, n - i, &len);
        if (cp == 0xFFFD && len == 1)
            precis_buf_puts(out, "\xEF\xBF\xBD");
        else if (!is_unwanted(cp))
            precis_buf_append(out, p + i, len);
        i += len;
    }
}

size_t precis_dom_space_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && n > 1 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

/* Appends the text with runs of whitespace collapsed to one space. */
static void append_collapsed(const char *s, size_t n, precis_buf *out)
{
    precis_buf tmp;
    precis_buf_init(&tmp, 0);
    precis_dom_clean_text(s, n, &tmp);
    bool space = out->len > 0 && out->ptr[out->len - 1] == ' ';
    for (size_t i = 0; i < tmp.len;) {
        size_t sl = precis_dom_space_len(tmp.ptr + i, tmp.len - i);
        if (sl) {
            if (!space && out->len > 0)
                precis_buf_putc(out, ' ');
            space = true;
            i += sl;
        } else {
            precis_buf_putc(out, tmp.ptr[i]);
            space = false;
            i++;
        }
    }
    precis_buf_release(&tmp);
}

char *precis_dom_flat_text(const GumboNode *el, const precis_convert_opts *opts)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    const GumboNode *n = precis_dom_walk_next(el, el, true);
    while (n) {
        bool descend = true;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
            append_collapsed(n->v.text.text, strlen(n->v.text.text), &b);
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            if (precis_dom_is_dropped(n) || (opts && opts->skip && opts->skip(opts->skip_ctx, n)))
                descend = false;
            else if (n->v.element.tag == GUMBO_TAG_BR)
                append_collapsed(" ", 1, &b);
        } else {
            descend = false;
        }
        n = precis_dom_walk_next(el, n, descend);
    }
    while (b.len > 0 && b.ptr[b.len - 1] == ' ')
        precis_buf_truncate(&b, b.len - 1);
    return precis_buf_detach(&b);
}
