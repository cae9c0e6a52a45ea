/* Code blocks: verbatim <pre> text and the declared programming language. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dom_internal.h"

/* Elements that, inside a <pre>, stand for a line of their own. */
static bool is_line_element(const GumboNode *el)
{
    switch (el->v.element.tag) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_P:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_PRE:
        return true;
    default:
        return false;
    }
}

char *precis_dom_pre_text(const GumboNode *pre, const precis_convert_opts *opts)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    const GumboNode *n = precis_dom_walk_next(pre, pre, true);
    while (n) {
        bool descend = true;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
            precis_dom_clean_text(n->v.text.text, strlen(n->v.text.text), &b);
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            if (precis_dom_is_dropped(n) || (opts && opts->skip && opts->skip(opts->skip_ctx, n)))
                descend = false;
            else if (n->v.element.tag == GUMBO_TAG_BR)
                precis_buf_putc(&b, '\n');
            else if (is_line_element(n) && b.len > 0 && !precis_buf_ends_with(&b, '\n'))
                precis_buf_putc(&b, '\n');
        } else {
            descend = false;
        }
        n = precis_dom_walk_next(pre, n, descend);
    }
    /* Trailing whitespace carries nothing; leading blank lines neither, but the
     * indentation of the first real line is kept. */
    size_t end = b.len;
    while (end > 0 && isspace((unsigned char)b.ptr[end - 1]))
        end--;
    precis_buf_truncate(&b, end);
    size_t start = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (b.ptr[i] == '\n')
            start = i + 1;
        else if (b.ptr[i] != ' ' && b.ptr[i] != '\t')
            break;
    }
    precis_buf_consume(&b, start);
    return precis_buf_detach(&b);
}

/* Returns a normalised copy of a language name (n bytes), or NULL if it is not
 * a plausible language name or means "no language". */
static char *clean_lang(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ';' || s[n - 1] == ','))
        n--;
    if (n == 0 || n > 32)
        return NULL;
    char *out = precis_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '+' && c != '#' && c != '-' && c != '_' && c != '.') {
            free(out);
            return NULL;
        }
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    static const char *const none[] = {"none", "nohighlight", "plain", "plaintext", "text",
                                       "txt", "no-highlight"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        if (strcmp(out, none[i]) == 0) {
            free(out);
            return NULL;
        }
    }
    return out;
}

static bool has_prefix_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n <= k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[i]) != prefix[i])
            return false;
    return true;
}

/* Returns the language named by one element's attributes, or NULL. */
static char *lang_of(const GumboNode *el)
{
    static const char *const attrs[] = {"data-lang", "data-language", "lang-name"};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        const char *v = precis_dom_attr(el, attrs[i]);
        if (v) {
            char *l = clean_lang(v, strlen(v));
            if (l)
                return l;
        }
    }
    const char *cls = precis_dom_attr(el, "class");
    if (!cls)
        return NULL;
    static const char *const prefixes[] = {"language-", "lang-", "highlight-source-",
                                           "highlight-"};
    bool source_code = false, brush = false;
    const char *other = NULL;
    size_t other_len = 0;
    const char *p = cls;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *tok = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - tok);
        if (len == 0)
            break;
        if (brush) {
            return clean_lang(tok, len);
        }
        if (len == 6 && strncmp(tok, "brush:", 6) == 0) {
            brush = true;
            continue;
        }
        if (len > 6 && strncmp(tok, "brush:", 6) == 0)
            return clean_lang(tok + 6, len - 6);
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
            if (has_prefix_ci(tok, len, prefixes[i])) {
                size_t k = strlen(prefixes[i]);
                char *l = clean_lang(tok + k, len - k);
                if (l)
                    return l;
            }
        }
        if (len == 10 && strncmp(tok, "sourceCode", 10) == 0)
            source_code = true;
        else if (!other && !(len == 12 && strncmp(tok, "numberSource", 12) == 0)) {
            other = tok;
            other_len = len;
        }
    }
    if (source_code && other)
        return clean_lang(other, other_len);
    return NULL;
}

char *precis_dom_code_lang(const GumboNode *pre)
{
    char *l = lang_of(pre);
    if (l)
        return l;
    /* The first element inside (usually <code>), looking through wrappers. */
    const GumboNode *n = pre;
    for (int depth = 0; depth < 3; depth++) {
        const GumboVector *ch = precis_dom_children(n);
        const GumboNode *first = NULL;
        for (size_t i = 0; ch && i < ch->length; i++) {
            const GumboNode *c = ch->data[i];
            if (c->type == GUMBO_NODE_ELEMENT) {
                first = c;
                break;
            }
            if (c->type == GUMBO_NODE_TEXT)
                break;
        }
        if (!first)
            break;
        if ((l = lang_of(first)))
            return l;
        n = first;
    }
    n = pre->parent;
    for (int depth = 0; depth < 3 && n && n->type == GUMBO_NODE_ELEMENT; depth++) {
        if ((l = lang_of(n)))
            return l;
        n = n->parent;
    }
    return NULL;
}
