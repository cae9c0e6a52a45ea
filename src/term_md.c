/* Streaming Markdown -> ANSI renderer: one byte at a time, holding back only
 * what decides a style, so the output never depends on how input is split. */
#include <stdlib.h>
#include <string.h>

#include "precis/term.h"

enum state {
    S_LINE,       /* line start, possibly after indentation or quote markers */
    S_HASH,       /* '#' run at line start: heading or text */
    S_BULLET,     /* '-', '+' or '*' at line start: bullet, rule or text */
    S_RULE,       /* a candidate thematic break (---, ***, ___) */
    S_NUM,        /* digits at line start */
    S_NUM_DELIM,  /* digits and '.' or ')': numbered item if a space follows */
    S_FENCE,      /* backtick or tilde run at line start */
    S_FENCE_INFO, /* the rest of an opening fence line */
    S_CODE_LINE,  /* line start inside a fenced block */
    S_CODE_CLOSE, /* a candidate closing fence */
    S_CODE,       /* the content of a fenced block line */
    S_TEXT,       /* inline text */
    S_DELIM,      /* a run of '*' or '_' waiting for the next character */
    S_TICKS,      /* a run of backticks waiting for the next character */
    S_ESCAPE,     /* after a backslash */
    S_LINK_TEXT,  /* after '[': held until ']' */
    S_LINK_CLOSE, /* after "[text]": a link if '(' follows */
    S_URL         /* inside the (url) of a link */
};

/* Character classes for the emphasis flanking rules. */
enum cclass { CL_SPACE, CL_PUNCT, CL_OTHER };

/* Style bits; a colour sits in bits 8..15. */
enum {
    ST_BOLD = 1,
    ST_DIM = 2,
    ST_ITALIC = 4,
    ST_UNDER = 8
};
#define ST_COLOR(c) ((unsigned)(c) << 8)
#define ST_FENCE ST_DIM
#define ST_CODEBLOCK ST_COLOR(32)
#define ST_CODESPAN ST_COLOR(33)
#define ST_MARKER (ST_BOLD | ST_COLOR(33))
#define ST_HEADING (ST_BOLD | ST_COLOR(35))
#define ST_URL ST_DIM

enum { HOLD_LINK_MAX = 256, HOLD_LINE_MAX = 80, INDENT_FENCE_MAX = 16 };

struct precis_md {
    precis_buf *out;    /* the caller's buffer during a feed */
    precis_buf hold;    /* bytes held back while a style is undecided */
    enum state st;
    enum cclass prev;   /* class of the last inline character */
    unsigned count;     /* length of the current run */
    unsigned char run;  /* the character of the current run */
    bool link_esc;      /* the last held link-text byte was an unescaped backslash */
    bool in_link_text;  /* replaying the text of a confirmed link */
    bool no_link;       /* replaying the text of a rejected link: '[' is plain */
    bool in_url;
    unsigned url_depth;
    unsigned heading;   /* heading level of this line, 0 = none */
    unsigned char strong_ch, em_ch; /* delimiter that opened strong/emphasis, 0 = closed */
    unsigned code_len;  /* backtick count of the open code span, 0 = none */
    bool code_block;
    unsigned char fence_ch;
    unsigned fence_len;
    bool fence_trailing; /* spaces seen after a candidate closing fence */
    unsigned cur;       /* the SGR style currently in effect on the output */
    bool at_bol;        /* the output is at the start of a line (or empty) */
};

static void feed(precis_md *m, unsigned char c);

precis_md *precis_md_new(void)
{
    precis_md *m = precis_xcalloc(1, sizeof *m);
    precis_buf_init(&m->hold, 0);
    m->st = S_LINE;
    m->prev = CL_SPACE;
    m->at_bol = true;
    return m;
}

void precis_md_free(precis_md *m)
{
    if (!m)
        return;
    precis_buf_release(&m->hold);
    free(m);
}

static enum cclass classify(unsigned char c)
{
    if (c == ' ' || c == '\t' || c == '\n')
        return CL_SPACE;
    if (c < 0x80 && ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
                     (c >= '[' && c <= '`') || (c >= '{' && c <= '~')))
        return CL_PUNCT;
    return CL_OTHER;
}

/* Makes style the one in effect, emitting one SGR sequence if it changes. */
static void set_style(precis_md *m, unsigned style)
{
    if (style == m->cur)
        return;
    precis_buf_puts(m->out, "\x1b[0");
    if (style & ST_BOLD)
        precis_buf_puts(m->out, ";1");
    if (style & ST_DIM)
        precis_buf_puts(m->out, ";2");
    if (style & ST_ITALIC)
        precis_buf_puts(m->out, ";3");
    if (style & ST_UNDER)
        precis_buf_puts(m->out, ";4");
    if (style >> 8)
        precis_buf_printf(m->out, ";%u", style >> 8);
    precis_buf_putc(m->out, 'm');
    m->cur = style;
}

static void put(precis_md *m, unsigned style, const char *s, size_t n)
{
    if (!n)
        return;
    set_style(m, style);
    precis_buf_append(m->out, s, n);
    m->at_bol = s[n - 1] == '\n';
}

static void put_str(precis_md *m, unsigned style, const char *s)
{
    put(m, style, s, strlen(s));
}

static void put_byte(precis_md *m, unsigned style, unsigned char c)
{
    char ch = (char)c;
    put(m, style, &ch, 1);
}

/* The style of inline text given the open spans. */
static unsigned text_style(const precis_md *m)
{
    unsigned s = 0;
    if (m->heading)
        s |= ST_HEADING | (m->heading == 1 ? ST_UNDER : 0);
    if (m->strong_ch)
        s |= ST_BOLD;
    if (m->em_ch)
        s |= ST_ITALIC;
    if (m->in_link_text)
        s |= ST_UNDER;
    if (m->code_len)
        s = (s & ~0xFF00u) | ST_CODESPAN;
    return s;
}

static void hold_byte(precis_md *m, unsigned char c)
{
    precis_buf_putc(&m->hold, (char)c);
}

/* Takes the held bytes out (caller frees) and empties the hold. */
static char *take_hold(precis_md *m, size_t *n)
{
    *n = m->hold.len;
    char *s = precis_xmalloc(*n + 1);
    memcpy(s, m->hold.ptr, *n + 1);
    precis_buf_reset(&m->hold);
    return s;
}

static void replay(precis_md *m, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        feed(m, (unsigned char)s[i]);
}

/* A line-start construct turned out to be plain text: feed the held bytes and c
 * again as inline text. */
static void line_abort(precis_md *m, unsigned char c)
{
    size_t n;
    char *s = take_hold(m, &n);
    m->st = S_TEXT;
    replay(m, s, n);
    free(s);
    feed(m, c);
}

/* Ends the line: closes every inline span, resets colours, emits the newline. */
static void end_line(precis_md *m)
{
    m->heading = 0;
    m->strong_ch = m->em_ch = 0;
    m->code_len = 0;
    m->in_link_text = false;
    m->in_url = false;
    set_style(m, 0);
    put_byte(m, 0, '\n');
    m->prev = CL_SPACE;
    m->st = m->code_block ? S_CODE_LINE : S_LINE;
}

static void to_text(precis_md *m)
{
    m->st = S_TEXT;
    m->prev = CL_SPACE;
}

static void line_start(precis_md *m, unsigned char c)
{
    switch (c) {
    case ' ':
    case '\t':
        put_byte(m, 0, c);
        return;
    case '\n':
        end_line(m);
        return;
    case '>':
        put_str(m, ST_DIM, "\xE2\x94\x82"); /* │ */
        return;
    case '#':
        m->st = S_HASH;
        break;
    case '-':
    case '+':
    case '*':
        m->st = S_BULLET;
        break;
    case '_':
        m->st = S_RULE;
        break;
    case '`':
    case '~':
        m->st = S_FENCE;
        break;
    default:
        if (c >= '0' && c <= '9') {
            m->st = S_NUM;
            break;
        }
        to_text(m);
        feed(m, c);
        return;
    }
    m->run = c;
    m->count = 1;
    hold_byte(m, c);
}

static void on_hash(precis_md *m, unsigned char c)
{
    if (c == '#' && m->count < 6) {
        m->count++;
        hold_byte(m, c);
    } else if (c == ' ' || c == '\t') {
        precis_buf_reset(&m->hold); /* the markers and this space are dropped */
        to_text(m);
        m->heading = m->count;
    } else {
        line_abort(m, c);
    }
}

static void on_bullet(precis_md *m, unsigned char c)
{
    if (c == ' ' || c == '\t') {
        precis_buf_reset(&m->hold);
        put_str(m, ST_MARKER, "\xE2\x80\xA2"); /* • */
        put_byte(m, 0, c);
        to_text(m);
    } else if (c == m->run && c != '+') {
        m->st = S_RULE;
        m->count++;
        hold_byte(m, c);
    } else {
        line_abort(m, c);
    }
}

static void on_rule(precis_md *m, unsigned char c)
{
    if ((c == m->run || c == ' ' || c == '\t') && m->hold.len < HOLD_LINE_MAX) {
        m->count += c == m->run;
        hold_byte(m, c);
    } else if (c == '\n' && m->count >= 3) {
        precis_buf_reset(&m->hold);
        put_str(m, ST_DIM, "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80"
                           "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80"
                           "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80"
                           "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80");
        end_line(m);
    } else {
        line_abort(m, c);
    }
}

static void on_num(precis_md *m, unsigned char c)
{
    if (m->st == S_NUM && c >= '0' && c <= '9' && m->count < 9) {
        m->count++;
        hold_byte(m, c);
    } else if (m->st == S_NUM && (c == '.' || c == ')')) {
        m->st = S_NUM_DELIM;
        hold_byte(m, c);
    } else if (m->st == S_NUM_DELIM && (c == ' ' || c == '\t')) {
        put(m, ST_MARKER, m->hold.ptr, m->hold.len);
        precis_buf_reset(&m->hold);
        put_byte(m, 0, c);
        to_text(m);
    } else {
        line_abort(m, c);
    }
}

static void on_fence(precis_md *m, unsigned char c)
{
    if (c == m->run && m->hold.len < HOLD_LINE_MAX) {
        m->count++;
        hold_byte(m, c);
    } else if (m->count >= 3) {
        m->fence_ch = m->run;
        m->fence_len = m->count;
        put(m, ST_FENCE, m->hold.ptr, m->hold.len);
        precis_buf_reset(&m->hold);
        m->st = S_FENCE_INFO;
        feed(m, c);
    } else {
        line_abort(m, c);
    }
}

/* Held bytes of a code line that turned out not to be a closing fence. */
static void code_release(precis_md *m)
{
    put(m, ST_CODEBLOCK, m->hold.ptr, m->hold.len);
    precis_buf_reset(&m->hold);
    m->st = S_CODE;
}

static void on_code(precis_md *m, unsigned char c)
{
    switch (m->st) {
    case S_FENCE_INFO:
        if (c == '\n') {
            m->code_block = true;
            end_line(m);
        } else {
            put_byte(m, ST_FENCE, c);
        }
        return;
    case S_CODE_LINE:
        if (c == ' ' && m->hold.len < INDENT_FENCE_MAX) {
            hold_byte(m, c);
        } else if (c == m->fence_ch) {
            m->st = S_CODE_CLOSE;
            m->count = 1;
            m->fence_trailing = false;
            hold_byte(m, c);
        } else {
            code_release(m);
            feed(m, c);
        }
        return;
    case S_CODE_CLOSE:
        if (c == m->fence_ch && !m->fence_trailing && m->hold.len < HOLD_LINE_MAX) {
            m->count++;
            hold_byte(m, c);
        } else if ((c == ' ' || c == '\t') && m->hold.len < HOLD_LINE_MAX) {
            m->fence_trailing = true;
            hold_byte(m, c);
        } else if (c == '\n' && m->count >= m->fence_len) {
            put(m, ST_FENCE, m->hold.ptr, m->hold.len);
            precis_buf_reset(&m->hold);
            m->code_block = false;
            end_line(m);
        } else {
            code_release(m);
            feed(m, c);
        }
        return;
    default: /* S_CODE */
        if (c == '\n')
            end_line(m);
        else
            put_byte(m, ST_CODEBLOCK, c);
        return;
    }
}

/* Decides what a run of '*' or '_' does, given the character after it. */
static void on_delim(precis_md *m, unsigned char c)
{
    if (c == m->run) {
        m->count++;
        return;
    }
    unsigned char d = m->run;
    enum cclass p = m->prev, q = classify(c);
    bool left = q != CL_SPACE && (q != CL_PUNCT || p != CL_OTHER);
    bool right = p != CL_SPACE && (p != CL_PUNCT || q != CL_OTHER);
    bool can_open = left, can_close = right;
    if (d == '_') {
        can_open = left && (!right || p == CL_PUNCT);
        can_close = right && (!left || q == CL_PUNCT);
    }
    unsigned n = m->count;
    if (can_close) {
        if (n >= 2 && m->strong_ch == d) {
            m->strong_ch = 0;
            n -= 2;
        }
        if (n >= 1 && m->em_ch == d) {
            m->em_ch = 0;
            n -= 1;
        }
    }
    if (n == m->count && can_open) {
        if (n == 1 && !m->em_ch) {
            m->em_ch = d;
            n = 0;
        } else if (n == 2 && !m->strong_ch) {
            m->strong_ch = d;
            n = 0;
        } else if (n == 3 && !m->em_ch && !m->strong_ch) {
            m->em_ch = m->strong_ch = d;
            n = 0;
        }
    }
    for (; n; n--)
        put_byte(m, text_style(m), d);
    m->prev = CL_PUNCT;
    m->st = S_TEXT;
    feed(m, c);
}

/* Decides what a run of backticks does, given the character after it. */
static void on_ticks(precis_md *m, unsigned char c)
{
    if (c == '`') {
        m->count++;
        return;
    }
    if (!m->code_len)
        m->code_len = m->count;
    else if (m->code_len == m->count)
        m->code_len = 0;
    else
        for (unsigned i = 0; i < m->count; i++)
            put_byte(m, text_style(m), '`');
    m->prev = CL_PUNCT;
    m->st = S_TEXT;
    feed(m, c);
}

static void on_escape(precis_md *m, unsigned char c)
{
    m->st = S_TEXT;
    if (c == '\n') {
        end_line(m); /* backslash-newline is a hard line break */
    } else if (classify(c) == CL_PUNCT) {
        put_byte(m, text_style(m), c);
        m->prev = CL_PUNCT;
    } else {
        put_byte(m, text_style(m), '\\');
        m->prev = CL_PUNCT;
        feed(m, c);
    }
}

/* "[..." was not a link: print '[' as text and read what followed again. */
static void link_abort(precis_md *m, const unsigned char *c)
{
    size_t n;
    char *s = take_hold(m, &n);
    m->st = S_TEXT;
    put_byte(m, text_style(m), '[');
    m->prev = CL_PUNCT;
    m->no_link = true; /* keeps "[[[[..." linear: each byte is read at most twice */
    replay(m, s, n);
    m->no_link = false;
    free(s);
    if (c)
        feed(m, *c);
}

static void on_link(precis_md *m, unsigned char c)
{
    if (m->st == S_LINK_TEXT) {
        if (c == '\n') {
            link_abort(m, &c);
        } else if (c == ']' && !m->link_esc) {
            m->st = S_LINK_CLOSE;
        } else {
            m->link_esc = c == '\\' && !m->link_esc;
            hold_byte(m, c);
            if (m->hold.len > HOLD_LINK_MAX)
                link_abort(m, NULL);
        }
        return;
    }
    if (c != '(') { /* S_LINK_CLOSE */
        hold_byte(m, ']');
        link_abort(m, &c);
        return;
    }
    size_t n;
    char *s = take_hold(m, &n);
    m->st = S_TEXT;
    m->in_link_text = true;
    replay(m, s, n);
    free(s);
    feed(m, ']'); /* ends the link text, whatever span is still pending */
}

static void on_url(precis_md *m, unsigned char c)
{
    if (c == '\n') {
        end_line(m);
        return;
    }
    put_byte(m, ST_URL, c);
    if (c == '(') {
        m->url_depth++;
    } else if (c == ')') {
        if (m->url_depth == 0) {
            m->in_url = false;
            m->st = S_TEXT;
            m->prev = CL_PUNCT;
        } else {
            m->url_depth--;
        }
    }
}

static void on_text(precis_md *m, unsigned char c)
{
    if (c == '\n') {
        end_line(m);
        return;
    }
    if (c == ']' && m->in_link_text) {
        m->in_link_text = false;
        m->code_len = 0;
        put_str(m, ST_URL, " (");
        m->st = S_URL;
        m->in_url = true;
        m->url_depth = 0;
        return;
    }
    if (c == '`') {
        m->st = S_TICKS;
        m->count = 1;
        return;
    }
    if (!m->code_len) {
        switch (c) {
        case '*':
        case '_':
            m->st = S_DELIM;
            m->run = c;
            m->count = 1;
            return;
        case '\\':
            m->st = S_ESCAPE;
            return;
        case '[':
            if (!m->in_link_text && !m->no_link) {
                m->st = S_LINK_TEXT;
                m->link_esc = false;
                return;
            }
            break;
        default:
            break;
        }
    }
    put_byte(m, text_style(m), c);
    m->prev = classify(c);
}

static void feed(precis_md *m, unsigned char c)
{
    switch (m->st) {
    case S_LINE: line_start(m, c); break;
    case S_HASH: on_hash(m, c); break;
    case S_BULLET: on_bullet(m, c); break;
    case S_RULE: on_rule(m, c); break;
    case S_NUM:
    case S_NUM_DELIM: on_num(m, c); break;
    case S_FENCE: on_fence(m, c); break;
    case S_FENCE_INFO:
    case S_CODE_LINE:
    case S_CODE_CLOSE:
    case S_CODE: on_code(m, c); break;
    case S_TEXT: on_text(m, c); break;
    case S_DELIM: on_delim(m, c); break;
    case S_TICKS: on_ticks(m, c); break;
    case S_ESCAPE: on_escape(m, c); break;
    case S_LINK_TEXT:
    case S_LINK_CLOSE: on_link(m, c); break;
    case S_URL: on_url(m, c); break;
    }
}

void precis_md_feed(precis_md *m, const char *s, size_t n, precis_buf *out)
{
    m->out = out;
    for (size_t i = 0; i < n; i++)
        feed(m, (unsigned char)s[i]);
    m->out = NULL;
}

void precis_md_finish(precis_md *m, precis_buf *out)
{
    m->out = out;
    bool idle = m->st == S_LINE || m->st == S_CODE_LINE;
    if (!m->at_bol || m->hold.len || !idle)
        feed(m, '\n');
    set_style(m, 0);
    m->out = NULL;
}
