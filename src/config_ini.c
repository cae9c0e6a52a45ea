/* INI tokenizer for the config file: sections, key = value lines, comments, quotes. */
#include "precis/config.h"

#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims blanks on both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_blank((*s)[*n - 1]))
        (*n)--;
}

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

/* Unquotes a value into out; a quoted value may be followed only by a comment. */
static precis_result unquote(const char *v, size_t n, int line, precis_buf *out, precis_error *err)
{
    precis_buf_reset(out);
    if (n == 0 || (v[0] != '"' && v[0] != '\'')) {
        precis_buf_append(out, v, n);
        return PRECIS_OK;
    }
    char q = v[0];
    size_t i = 1;
    for (; i < n && v[i] != q; i++) {
        if (q == '"' && v[i] == '\\' && i + 1 < n && (v[i + 1] == '"' || v[i + 1] == '\\'))
            i++;
        precis_buf_putc(out, v[i]);
    }
    if (i >= n)
        return precis_error_set(err, PRECIS_ERR_USAGE, "config line %d: unterminated %s quote",
                                line, q == '"' ? "double" : "single");
    for (i++; i < n && is_blank(v[i]); i++)
        ;
    if (i < n && v[i] != '#' && v[i] != ';')
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "config line %d: unexpected text after the closing quote", line);
    return PRECIS_OK;
}

/* Handles one line (without its newline); *section holds the current section. */
static precis_result parse_line(const char *s, size_t n, int line, precis_buf *section,
                                precis_buf *scratch, precis_ini_fn fn, void *ctx,
                                precis_error *err)
{
    trim(&s, &n);
    if (n == 0 || s[0] == '#' || s[0] == ';')
        return PRECIS_OK;
    if (memchr(s, '\0', n))
        return precis_error_set(err, PRECIS_ERR_USAGE, "config line %d: contains a NUL byte", line);
    if (s[0] == '[') {
        const char *end = memchr(s, ']', n);
        if (!end)
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "config line %d: section header without ']'", line);
        const char *rest = end + 1;
        size_t rn = n - (size_t)(rest - s);
        trim(&rest, &rn);
        if (rn && rest[0] != '#' && rest[0] != ';')
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "config line %d: unexpected text after ']'", line);
        const char *name = s + 1;
        size_t nn = (size_t)(end - name);
        trim(&name, &nn);
        if (nn == 0)
            return precis_error_set(err, PRECIS_ERR_USAGE, "config line %d: empty section name",
                                    line);
        precis_buf_reset(section);
        precis_buf_append(section, name, nn);
        return fn(ctx, line, section->ptr, NULL, section->ptr, err);
    }
    const char *eq = memchr(s, '=', n);
    if (!eq)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "config line %d: expected 'key = value' or '[section]'", line);
    const char *k = s;
    size_t kn = (size_t)(eq - s);
    trim(&k, &kn);
    if (kn == 0)
        return precis_error_set(err, PRECIS_ERR_USAGE, "config line %d: missing key before '='",
                                line);
    for (size_t i = 0; i < kn; i++)
        if (!is_key_char(k[i]))
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "config line %d: invalid key '%.*s'", line, (int)kn, k);
    const char *v = eq + 1;
    size_t vn = n - (size_t)(v - s);
    trim(&v, &vn);
    precis_result r = unquote(v, vn, line, scratch, err);
    if (r != PRECIS_OK)
        return r;
    char key[64];
    if (kn >= sizeof key)
        return precis_error_set(err, PRECIS_ERR_USAGE, "config line %d: key too long", line);
    memcpy(key, k, kn);
    key[kn] = '\0';
    return fn(ctx, line, section->len ? section->ptr : NULL, key, scratch->ptr, err);
}

precis_result precis_ini_parse(const char *text, size_t len, precis_ini_fn fn, void *ctx,
                               precis_error *err)
{
    precis_buf section, scratch;
    precis_buf_init(&section, 0);
    precis_buf_init(&scratch, 0);
    precis_result r = PRECIS_OK;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    int line = 1;
    while (i < len && r == PRECIS_OK) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        r = parse_line(text + i, end - i, line, &section, &scratch, fn, ctx, err);
        i = end + 1;
        line++;
    }
    precis_buf_release(&section);
    precis_buf_release(&scratch);
    return r;
}
