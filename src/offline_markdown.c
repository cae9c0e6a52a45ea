/* Offline summarizer: the chosen sentences as Markdown. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "offline_internal.h"
#include "precis/sentence.h"
#include "precis/unicode.h"

static bool is_alnum_byte(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (unsigned char)ch >= 0x80;
}

/* Returns where to cut s[0..n) to at most max bytes: at the last space in the
 * final stretch, else at a character boundary. */
static size_t cut_point(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    for (size_t k = cut; k > max - max / 4; k--)
        if (s[k] == ' ' || s[k] == '\n')
            return k;
    return cut;
}

/* Length of the code span starting at s[i] (a backtick run), or 0 if unclosed. */
static size_t code_span_len(const char *s, size_t n, size_t i)
{
    size_t run = 0;
    while (i + run < n && s[i + run] == '`')
        run++;
    for (size_t j = i + run; j < n;) {
        if (s[j] != '`') {
            j++;
            continue;
        }
        size_t k = 0;
        while (j + k < n && s[j + k] == '`')
            k++;
        if (k == run)
            return j + k - i;
        j += k;
    }
    return 0;
}

/* Appends s[0..n) as one line of Markdown text: whitespace collapsed, Markdown
 * punctuation escaped outside code spans, cut (with an ellipsis) beyond max bytes. */
static void put_text(precis_buf *b, const char *s, size_t n, size_t max)
{
    size_t end = cut_point(s, n, max);
    size_t line_start = b->len;
    /* Brackets only need escaping where they could read as a link. */
    bool link_like = false;
    for (size_t i = 0; i + 1 < end && !link_like; i++)
        link_like = s[i] == ']' && (s[i + 1] == '(' || s[i + 1] == '[' || s[i + 1] == ':');
    bool space = false;
    for (size_t i = 0; i < end;) {
        char ch = s[i];
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            space = b->len > line_start;
            i++;
            continue;
        }
        if (space)
            precis_buf_putc(b, ' ');
        space = false;
        if (ch == '`') {
            size_t span = code_span_len(s, end, i);
            if (span) {
                for (size_t k = i; k < i + span; k++)
                    precis_buf_putc(b, s[k] == '\n' || s[k] == '\t' ? ' ' : s[k]);
                i += span;
                continue;
            }
        }
        if (ch == '[') {
            size_t mark = precis_reference_mark_len(s + i, end - i);
            if (mark) {
                i += mark; /* footnote marks mean nothing out of the page */
                continue;
            }
        }
        bool at_start = b->len == line_start;
        if (strchr("\\*<`", ch) || ((ch == '[' || ch == ']') && link_like) ||
            (ch == '_' && (i == 0 || !is_alnum_byte(s[i - 1]) || i + 1 >= end ||
                           !is_alnum_byte(s[i + 1]))) ||
            (at_start && strchr("#>-+|=", ch)))
            precis_buf_putc(b, '\\');
        if (at_start && ch >= '0' && ch <= '9') {
            /* "1. text" would start an ordered list. */
            size_t d = i;
            while (d < end && s[d] >= '0' && s[d] <= '9')
                d++;
            precis_buf_append(b, s + i, d - i);
            if (d < end && (s[d] == '.' || s[d] == ')'))
                precis_buf_putc(b, '\\');
            i = d;
            continue;
        }
        precis_buf_putc(b, ch);
        i++;
    }
    if (end < n)
        precis_buf_puts(b, "\xE2\x80\xA6");
}

/* Returns the last (or first) code point of s[0..n). */
static uint32_t edge_char(const char *s, size_t n, bool last)
{
    size_t k = 0, cl;
    if (last && n) {
        k = n - 1;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    return n ? precis_uc_decode(s, n, k, &cl) : 0;
}

/* Leads a bullet with its section heading, unless that heading is the page title
 * already printed above the summary. */
static void put_heading_prefix(precis_buf *b, const offline_doc *c, int section,
                               const char *title)
{
    if (section < 0)
        return;
    precis_buf h, t;
    precis_buf_init(&h, 0);
    precis_buf_init(&t, 0);
    put_text(&h, c->text.ptr + c->heads[section].off, c->heads[section].len, PRECIS_OFFLINE_HEADING_MAX);
    if (title)
        put_text(&t, title, strlen(title), PRECIS_OFFLINE_HEADING_MAX * 2);
    size_t n = h.len;
    while (n && strchr(" :", h.ptr[n - 1]))
        n--;
    bool is_title = n && t.len == n && strncasecmp(h.ptr, t.ptr, n) == 0;
    precis_buf_release(&t);
    if (n && !is_title) {
        precis_buf_puts(b, "**");
        precis_buf_append(b, h.ptr, n);
        /* "Why it matters?" needs no colon after it. */
        precis_buf_puts(b, strchr("?!.", h.ptr[n - 1]) ? "** " : ":** ");
    }
    precis_buf_release(&h);
}

void precis_offline_render(precis_buf *b, const offline_doc *c, const char *title,
                           const size_t *chosen, size_t n)
{
    if (title && *title) {
        precis_buf_puts(b, "# ");
        put_text(b, title, strlen(title), PRECIS_OFFLINE_HEADING_MAX * 2);
        precis_buf_puts(b, "\n\n");
    }
    size_t sections = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || c->sents[chosen[i]].section != c->sents[chosen[i - 1]].section)
            sections++;
    bool bullets = n >= 3 && sections >= 2;
    size_t run = 0; /* sentences in the current output paragraph */
    for (size_t i = 0; i < n; i++) {
        const offline_sentence *s = &c->sents[chosen[i]];
        const char *text = c->text.ptr + s->off;
        if (bullets) {
            precis_buf_puts(b, "- ");
            if (i == 0 || s->section != c->sents[chosen[i - 1]].section)
                put_heading_prefix(b, c, s->section, title);
            put_text(b, text, s->len, PRECIS_OFFLINE_SENTENCE_MAX);
            precis_buf_putc(b, '\n');
            continue;
        }
        if (run >= 3 && s->para != c->sents[chosen[i - 1]].para) {
            /* Long summaries break where the page does. */
            precis_buf_puts(b, "\n\n");
            run = 0;
        } else if (i > 0) {
            const offline_sentence *p = &c->sents[chosen[i - 1]];
            bool cjk_join = edge_char(c->text.ptr + p->off, p->len, true) >= 0x2E80 &&
                            edge_char(text, s->len, false) >= 0x2E80;
            if (!cjk_join)
                precis_buf_putc(b, ' ');
        }
        put_text(b, text, s->len, PRECIS_OFFLINE_SENTENCE_MAX);
        run++;
    }
    if (!bullets)
        precis_buf_putc(b, '\n');
}

