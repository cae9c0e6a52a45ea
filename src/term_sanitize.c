/* Neutralises escape and control sequences and invalid UTF-8 in streamed text. */
#include <string.h>

#include "precis/term.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void precis_sanitize_init(precis_sanitizer *s)
{
    memset(s, 0, sizeof *s);
}

/* Appends the Control Picture for a C0 control or DEL (U+2400 + c, U+2421). */
static void put_picture(precis_buf *out, unsigned char c)
{
    unsigned cp = c == 0x7F ? 0x2421u : 0x2400u + c;
    char u[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                 (char)(0x80 | (cp & 0x3F))};
    precis_buf_append(out, u, 3);
}

/* Length of the sequence a lead byte starts, or 0 if it cannot start one. */
static unsigned seq_len(unsigned char c)
{
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

/* Returns true if c may follow the bytes already in s->pend (Unicode Table 3-7). */
static bool continues(const precis_sanitizer *s, unsigned char c)
{
    unsigned char lo = 0x80, hi = 0xBF;
    if (s->npend == 1) {
        switch (s->pend[0]) {
        case 0xE0: lo = 0xA0; break;
        case 0xED: hi = 0x9F; break;
        case 0xF0: lo = 0x90; break;
        case 0xF4: hi = 0x8F; break;
        default: break;
        }
    }
    return c >= lo && c <= hi;
}

static void put_ascii(precis_sanitizer *s, unsigned char c, precis_buf *out)
{
    bool was_cr = s->after_cr;
    s->after_cr = false;
    if (c == '\r') {
        s->after_cr = true;
        precis_buf_putc(out, '\n');
    } else if (c == '\n') {
        if (!was_cr)
            precis_buf_putc(out, '\n');
    } else if (c == '\t' || (c >= 0x20 && c < 0x7F)) {
        precis_buf_putc(out, (char)c);
    } else {
        put_picture(out, c);
    }
}

void precis_sanitize_feed(precis_sanitizer *s, const char *p, size_t n, precis_buf *out)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned char c = u[i];
        if (s->npend) {
            if (!continues(s, c)) {
                /* The pending bytes are a maximal invalid subpart; c starts afresh. */
                precis_buf_puts(out, replacement);
                s->npend = 0;
                continue;
            }
            s->pend[s->npend++] = c;
            i++;
            if (s->npend == s->need) {
                if (s->pend[0] == 0xC2 && s->pend[1] <= 0x9F)
                    precis_buf_puts(out, replacement); /* C1 control */
                else
                    precis_buf_append(out, s->pend, s->npend);
                s->npend = 0;
            }
            continue;
        }
        i++;
        if (c < 0x80) {
            /* Fast path: copy a run of printable ASCII at once. */
            size_t j = i;
            if (c >= 0x20 && c < 0x7F) {
                while (j < n && u[j] >= 0x20 && u[j] < 0x7F)
                    j++;
                s->after_cr = false;
                precis_buf_append(out, u + i - 1, j - i + 1);
                i = j;
            } else {
                put_ascii(s, c, out);
            }
            continue;
        }
        s->after_cr = false;
        unsigned len = seq_len(c);
        if (!len) {
            precis_buf_puts(out, replacement);
            continue;
        }
        s->pend[0] = c;
        s->npend = 1;
        s->need = (unsigned char)len;
    }
}

void precis_sanitize_finish(precis_sanitizer *s, precis_buf *out)
{
    if (s->npend)
        precis_buf_puts(out, replacement);
    precis_sanitize_init(s);
}
