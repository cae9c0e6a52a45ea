/* Rendering entry points shared by every format, word counting and helpers. */
#include "precis/render.h"

#include <string.h>

#include "render_internal.h"

bool precis_format_parse(const char *name, precis_format *out)
{
    static const struct {
        const char *name;
        precis_format format;
    } formats[] = {
        {"json", PRECIS_FORMAT_JSON},
        {"markdown", PRECIS_FORMAT_MARKDOWN},
        {"md", PRECIS_FORMAT_MARKDOWN},
        {"text", PRECIS_FORMAT_TEXT},
        {"txt", PRECIS_FORMAT_TEXT},
    };
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(name, formats[i].name) == 0) {
            *out = formats[i].format;
            return true;
        }
    }
    return false;
}

void precis_render(const precis_doc *doc, precis_format format, precis_buf *out)
{
    switch (format) {
    case PRECIS_FORMAT_MARKDOWN:
        precis_render_markdown(doc, out);
        break;
    case PRECIS_FORMAT_TEXT:
        precis_render_text(doc, out);
        break;
    case PRECIS_FORMAT_JSON:
        precis_render_json(doc, out);
        break;
    }
}

void precis_render_separate(precis_buf *out, const char *sep)
{
    if (out->len > 0)
        precis_buf_puts(out, sep);
}

void precis_render_prefix_lines(precis_buf *out, const char *text, size_t len,
                                const char *first, const char *rest, const char *blank_prefix)
{
    size_t i = 0;
    bool first_line = true;
    while (i <= len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (end > i)
            precis_buf_puts(out, first_line ? first : rest);
        else
            precis_buf_puts(out, first_line ? first : blank_prefix);
        precis_buf_append(out, text + i, end - i);
        first_line = false;
        if (!nl)
            break;
        precis_buf_putc(out, '\n');
        i = end + 1;
    }
}

static bool has_text(const precis_node *n)
{
    switch (n->kind) {
    case PRECIS_NODE_TEXT:
    case PRECIS_NODE_CODE:
    case PRECIS_NODE_CODE_BLOCK:
    case PRECIS_NODE_RAW:
        return n->text != NULL;
    default:
        return false;
    }
}

void precis_render_flat(const precis_node *n, precis_buf *out)
{
    for (const precis_node *k = n; k; k = precis_node_walk_next(n, k)) {
        if (has_text(k)) {
            if (out->len && !precis_buf_ends_with(out, ' ') && !precis_buf_ends_with(out, '\n'))
                precis_buf_putc(out, ' ');
            precis_buf_puts(out, k->text);
        }
    }
}

void precis_render_inline_text(const precis_node *n, precis_buf *out, const char *br, int depth)
{
    if (depth > PRECIS_RENDER_MAX_DEPTH) {
        precis_render_flat(n, out);
        return;
    }
    for (const precis_node *k = n->first_child; k; k = k->next) {
        switch (k->kind) {
        case PRECIS_NODE_TEXT:
        case PRECIS_NODE_CODE:
            if (k->text) {
                /* no double space where an image was left out */
                bool skip = k->text[0] == ' ' &&
                            (precis_buf_ends_with(out, ' ') || precis_buf_ends_with(out, '\n'));
                precis_buf_puts(out, k->text + (skip ? 1 : 0));
            }
            break;
        case PRECIS_NODE_LINEBREAK:
            precis_buf_puts(out, br);
            break;
        case PRECIS_NODE_IMAGE:
            break;
        default:
            precis_render_inline_text(k, out, br, depth + 1);
            break;
        }
    }
}

/* Decodes one UTF-8 character at s[i]; returns the code point, sets *n. */
static unsigned long utf8_at(const unsigned char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = s[i];
    size_t extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                                : (c & 0xF8) == 0xF0 ? 3 : 0;
    unsigned long cp = extra == 0 ? c : extra == 1 ? (c & 0x1Fu) : extra == 2 ? (c & 0x0Fu)
                                                                            : (c & 0x07u);
    if ((extra == 0 && c >= 0x80) || extra > len - 1 - i) {
        *n = 1;
        return 0xFFFD;
    }
    for (size_t k = 1; k <= extra; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *n = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    *n = extra + 1;
    return cp;
}

static bool is_cjk(unsigned long c)
{
    return (c >= 0x3040 && c <= 0x30FF) ||   /* Hiragana, Katakana */
           (c >= 0x31F0 && c <= 0x31FF) ||   /* Katakana extensions */
           (c >= 0x3400 && c <= 0x4DBF) ||   /* CJK extension A */
           (c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK unified ideographs */
           (c >= 0xF900 && c <= 0xFAFF) ||   /* compatibility ideographs */
           (c >= 0x1100 && c <= 0x11FF) ||   /* Hangul Jamo */
           (c >= 0x3130 && c <= 0x318F) ||   /* Hangul compatibility Jamo */
           (c >= 0xAC00 && c <= 0xD7AF) ||   /* Hangul syllables */
           (c >= 0x20000 && c <= 0x3134F);   /* CJK extensions B..G */
}

static bool is_space_cp(unsigned long c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x3000 || c == 0x202F;
}

/* Counts words in s, continuing a word across calls through *in_word. */
static size_t count_words(const char *s, bool *in_word)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), words = 0;
    for (size_t i = 0; i < len;) {
        size_t n;
        unsigned long c = utf8_at(p, len, i, &n);
        i += n;
        if (is_space_cp(c)) {
            *in_word = false;
        } else if (is_cjk(c)) {
            words++;
            *in_word = false;
        } else if (!*in_word) {
            words++;
            *in_word = true;
        }
    }
    return words;
}

size_t precis_doc_word_count(const precis_doc *doc)
{
    if (!doc || !doc->root)
        return 0;
    size_t words = 0;
    bool in_word = false;
    for (const precis_node *k = doc->root; k; k = precis_node_walk_next(doc->root, k)) {
        if (precis_node_is_block(k) || k->kind == PRECIS_NODE_LINEBREAK)
            in_word = false;
        if (has_text(k))
            words += count_words(k->text, &in_word);
        if (k->kind == PRECIS_NODE_CODE_BLOCK || k->kind == PRECIS_NODE_RAW)
            in_word = false;
    }
    return words;
}
