/* Character sets: BOM, label, <meta> prescan, detection, iconv -> clean UTF-8. */
#include "precis/charset.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uchardet/uchardet.h>

#include "precis/unicode.h"

#define META_SCAN_BYTES 4096
#define LABEL_MAX 40

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Returns the length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail, uint32_t *cp)
{
    size_t n;
    uint32_t c = precis_uc_decode((const char *)s, avail, 0, &n);
    if (c == 0xFFFD && n == 1)
        return 0; /* a real U+FFFD is three bytes long */
    *cp = c;
    return n;
}

bool precis_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_seq_len(p + i, len - i, &cp);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

/* Returns true for code points that must never reach a terminal: C0 controls
 * other than tab and newline, DEL, C1 controls (0x9B is a one-byte CSI). */
static bool is_forbidden_control(uint32_t cp)
{
    if (cp == '\t' || cp == '\n')
        return false;
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

void precis_utf8_sanitize(const char *s, size_t len, precis_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* run: start of bytes to copy verbatim */
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_seq_len(p + i, len - i, &cp);
        if (n && !is_forbidden_control(cp)) {
            i += n;
            continue;
        }
        precis_buf_append(out, s + run, i - run);
        if (!n) {
            precis_buf_append(out, replacement, 3);
            i++;
        } else {
            if (cp == '\r') {
                precis_buf_putc(out, '\n');
                if (i + 1 < len && p[i + 1] == '\n')
                    i++;
            }
            i += n;
        }
        run = i;
    }
    precis_buf_append(out, s + run, i - run);
}

static bool has_non_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/* Copies a charset label trimmed and lowercased into dst; false if unusable. */
static bool copy_label(const char *s, size_t n, char dst[LABEL_MAX])
{
    while (n && (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) {
        s++;
        n--;
    }
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '"' || s[n - 1] == '\''))
        n--;
    if (n == 0 || n >= LABEL_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
            return false;
        dst[i] = (char)tolower(c);
    }
    dst[n] = '\0';
    return true;
}

static bool ascii_prefix_ci(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != prefix[i])
            return false;
    return true;
}

/* Finds "charset=" inside a Content-Type value and copies the label. */
static bool charset_from_content(const char *v, size_t n, char dst[LABEL_MAX])
{
    for (size_t i = 0; i + 8 <= n; i++) {
        if (!ascii_prefix_ci(v + i, n - i, "charset"))
            continue;
        size_t j = i + 7;
        while (j < n && isspace((unsigned char)v[j]))
            j++;
        if (j >= n || v[j] != '=')
            continue;
        j++;
        while (j < n && (isspace((unsigned char)v[j]) || v[j] == '"' || v[j] == '\''))
            j++;
        size_t k = j;
        while (k < n && v[k] != ';' && v[k] != '"' && v[k] != '\'' && !isspace((unsigned char)v[k]))
            k++;
        return copy_label(v + j, k - j, dst);
    }
    return false;
}

/* One attribute of a tag: name and value as slices of the input. */
typedef struct attr {
    const char *name, *value;
    size_t name_len, value_len;
} attr;

/* Parses the next attribute at *pos inside a tag; false at '>' or the end. */
static bool next_attr(const char *s, size_t len, size_t *pos, attr *a)
{
    size_t i = *pos;
    while (i < len && (isspace((unsigned char)s[i]) || s[i] == '/'))
        i++;
    if (i >= len || s[i] == '>')
        return false;
    a->name = s + i;
    while (i < len && !isspace((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
        i++;
    a->name_len = (size_t)(s + i - a->name);
    a->value = s + i;
    a->value_len = 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    if (i < len && s[i] == '=') {
        i++;
        while (i < len && isspace((unsigned char)s[i]))
            i++;
        if (i < len && (s[i] == '"' || s[i] == '\'')) {
            char q = s[i++];
            a->value = s + i;
            while (i < len && s[i] != q)
                i++;
            a->value_len = (size_t)(s + i - a->value);
            if (i < len)
                i++;
        } else {
            a->value = s + i;
            while (i < len && !isspace((unsigned char)s[i]) && s[i] != '>')
                i++;
            a->value_len = (size_t)(s + i - a->value);
        }
    }
    *pos = i;
    return true;
}

static bool name_is(const attr *a, const char *name)
{
    return a->name_len == strlen(name) && ascii_prefix_ci(a->name, a->name_len, name);
}

/* Looks for <meta charset> or <meta http-equiv=content-type content=...charset=>
 * in the first bytes of an HTML document. */
static bool meta_charset(const char *s, size_t len, char dst[LABEL_MAX])
{
    if (len > META_SCAN_BYTES)
        len = META_SCAN_BYTES;
    for (size_t i = 0; i + 5 < len; i++) {
        if (s[i] != '<')
            continue;
        if (ascii_prefix_ci(s + i, len - i, "<!--")) {
            const char *end = NULL;
            for (size_t k = i + 4; k + 2 < len; k++)
                if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') {
                    end = s + k;
                    break;
                }
            if (!end)
                return false;
            i = (size_t)(end - s) + 2;
            continue;
        }
        if (!ascii_prefix_ci(s + i, len - i, "<meta") ||
            !(isspace((unsigned char)s[i + 5]) || s[i + 5] == '/'))
            continue;
        size_t pos = i + 5;
        attr a;
        bool http_equiv = false;
        char from_content[LABEL_MAX] = "";
        while (next_attr(s, len, &pos, &a)) {
            if (name_is(&a, "charset") && copy_label(a.value, a.value_len, dst))
                return true;
            if (name_is(&a, "http-equiv") && a.value_len == 12 &&
                ascii_prefix_ci(a.value, a.value_len, "content-type"))
                http_equiv = true;
            if (name_is(&a, "content"))
                charset_from_content(a.value, a.value_len, from_content);
        }
        if (http_equiv && from_content[0]) {
            memcpy(dst, from_content, LABEL_MAX);
            return true;
        }
        i = pos;
    }
    return false;
}

/* Maps a label to the iconv name browsers would actually use for it. */
static const char *iconv_name_for(const char *label)
{
    static const struct {
        const char *label, *name;
    } map[] = {
        {"utf-8", "UTF-8"},           {"utf8", "UTF-8"},
        {"unicode-1-1-utf-8", "UTF-8"},
        {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"},
        {"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"},
        {"iso_8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"},
        {"latin-1", "WINDOWS-1252"},  {"l1", "WINDOWS-1252"},
        {"cp819", "WINDOWS-1252"},    {"cp1252", "WINDOWS-1252"},
        {"windows-1252", "WINDOWS-1252"}, {"x-cp1252", "WINDOWS-1252"},
        {"shift_jis", "CP932"},       {"shift-jis", "CP932"},
        {"sjis", "CP932"},            {"x-sjis", "CP932"},
        {"ms_kanji", "CP932"},        {"windows-31j", "CP932"},
        {"gb2312", "GB18030"},        {"gbk", "GB18030"},
        {"euc-kr", "CP949"},          {"iso-8859-9", "WINDOWS-1254"},
        {"tis-620", "WINDOWS-874"},   {"iso-8859-11", "WINDOWS-874"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(label, map[i].label) == 0)
            return map[i].name;
    return NULL;
}

/* Runs uchardet over the bytes; returns a label (lowercased into dst) or false. */
static bool detect_charset(const char *s, size_t len, char dst[LABEL_MAX])
{
    uchardet_t ud = uchardet_new();
    if (!ud)
        return false;
    bool ok = false;
    if (uchardet_handle_data(ud, s, len) == 0) {
        uchardet_data_end(ud);
        const char *name = uchardet_get_charset(ud);
        ok = name && *name && copy_label(name, strlen(name), dst);
    }
    uchardet_delete(ud);
    return ok;
}

/* Converts with iconv from `from` to UTF-8 into raw, replacing undecodable bytes
 * with U+FFFD. Returns false if iconv does not know the encoding. */
static bool convert(const char *s, size_t len, const char *from, precis_buf *raw)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return false;
    char *in = (char *)s;
    size_t in_left = len;
    char chunk[8192];
    while (in_left > 0) {
        char *o = chunk;
        size_t o_left = sizeof chunk;
        size_t rc = iconv(cd, &in, &in_left, &o, &o_left);
        int e = errno;
        precis_buf_append(raw, chunk, sizeof chunk - o_left);
        if (rc != (size_t)-1)
            break;
        if (e == E2BIG)
            continue;
        precis_buf_append(raw, replacement, 3);
        if (e == EINVAL) /* truncated sequence at the end */
            break;
        in++; /* EILSEQ: skip one byte and go on */
        in_left--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    char *o = chunk;
    size_t o_left = sizeof chunk;
    iconv(cd, NULL, NULL, &o, &o_left);
    precis_buf_append(raw, chunk, sizeof chunk - o_left);
    iconv_close(cd);
    return true;
}

/* Returns the BOM's iconv name and its length, or NULL. */
static const char *bom_charset(const char *s, size_t len, size_t *bom_len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        *bom_len = 3;
        return "UTF-8";
    }
    if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        *bom_len = 2;
        return "UTF-16LE";
    }
    if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
        *bom_len = 2;
        return "UTF-16BE";
    }
    return NULL;
}

static void set_used(char **used, const char *name)
{
    if (!used)
        return;
    char *c = precis_xstrdup(name);
    for (char *p = c; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    *used = c;
}

static size_t count_non_ascii(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += (unsigned char)s[i] >= 0x80;
    return n;
}

/* True for detector answers naming a one-byte-per-character encoding: with only a
 * few non-ASCII bytes these guesses are noise, and browsers assume windows-1252. */
static bool is_single_byte(const char *label)
{
    return strncmp(label, "iso-8859-", 9) == 0 || strncmp(label, "windows-125", 11) == 0 ||
           strncmp(label, "koi8", 4) == 0 || strncmp(label, "ibm", 3) == 0 ||
           strncmp(label, "mac", 3) == 0 || strcmp(label, "tis-620") == 0;
}

/* Picks the iconv name from label, meta and detection (BOM handled by caller). */
static const char *choose_charset(const char *s, size_t len, const char *header_charset,
                                  bool is_html, char label[LABEL_MAX])
{
    bool valid_utf8 = precis_utf8_valid(s, len);
    bool labelled = header_charset && copy_label(header_charset, strlen(header_charset), label);
    if (!labelled && is_html) {
        labelled = meta_charset(s, len, label);
        /* A document that could be read as ASCII cannot really be UTF-16. */
        if (labelled && strncmp(label, "utf-16", 6) == 0)
            memcpy(label, "utf-8", 6);
    }
    if (valid_utf8 && (!labelled || has_non_ascii(s, len)))
        return "UTF-8"; /* valid multi-byte UTF-8 beats any label */
    if (labelled) {
        const char *name = iconv_name_for(label);
        if (name)
            return name;
        iconv_t cd = iconv_open("UTF-8", label);
        if (cd != (iconv_t)-1) {
            iconv_close(cd);
            return label;
        }
    }
    if (detect_charset(s, len, label) && !(is_single_byte(label) && count_non_ascii(s, len) < 16)) {
        const char *name = iconv_name_for(label);
        if (name)
            return strcmp(name, "UTF-8") == 0 ? "WINDOWS-1252" : name;
        iconv_t cd = iconv_open("UTF-8", label);
        if (cd != (iconv_t)-1) {
            iconv_close(cd);
            return label;
        }
    }
    return "WINDOWS-1252";
}

precis_result precis_to_utf8(const char *bytes, size_t len, const char *header_charset,
                             bool is_html, precis_buf *out, char **used)
{
    if (used)
        *used = NULL;
    size_t bom_len = 0;
    char label[LABEL_MAX] = "";
    const char *name = bom_charset(bytes, len, &bom_len);
    bytes += bom_len;
    len -= bom_len;
    if (!name)
        name = choose_charset(bytes, len, header_charset, is_html, label);
    if (strcmp(name, "UTF-8") == 0) {
        precis_utf8_sanitize(bytes, len, out);
        set_used(used, name);
        return PRECIS_OK;
    }
    precis_buf raw;
    precis_buf_init(&raw, 0);
    if (!convert(bytes, len, name, &raw)) {
        name = "WINDOWS-1252";
        convert(bytes, len, name, &raw);
    }
    precis_utf8_sanitize(raw.ptr, raw.len, out);
    precis_buf_release(&raw);
    set_used(used, name);
    return PRECIS_OK;
}
