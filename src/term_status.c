/* The status line: a spinner and a message on stderr, erased before the answer. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "precis/term.h"
#include "precis/unicode.h"

struct precis_status {
    FILE *f;             /* not owned */
    bool enabled;
    bool drawn;          /* something is on the line now */
    char *text;          /* sanitised single-line message, NULL = none */
    unsigned frame;
    struct timespec last; /* when the current frame was drawn */
};

static const char *const frames[] = {"\xE2\xA0\x8B", "\xE2\xA0\x99", "\xE2\xA0\xB9",
                                     "\xE2\xA0\xB8", "\xE2\xA0\xBC", "\xE2\xA0\xB4",
                                     "\xE2\xA0\xA6", "\xE2\xA0\xA7", "\xE2\xA0\x87",
                                     "\xE2\xA0\x8F"}; /* ⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ */
enum { N_FRAMES = sizeof frames / sizeof frames[0], FRAME_MS = 100 };

precis_status *precis_status_new(FILE *err)
{
    precis_status *st = precis_xcalloc(1, sizeof *st);
    st->f = err;
    int fd = err ? fileno(err) : -1;
    const char *term = getenv("TERM");
    st->enabled = fd >= 0 && isatty(fd) && !(term && strcmp(term, "dumb") == 0);
    return st;
}

bool precis_status_is_enabled(const precis_status *st)
{
    return st && st->enabled;
}

/* Columns available for the message: terminal width minus spinner and margin. */
static size_t text_columns(const precis_status *st)
{
    struct winsize ws;
    size_t cols = 80;
    if (ioctl(fileno(st->f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        cols = ws.ws_col;
    return cols > 4 ? cols - 3 : 1;
}

/* Appends text cut to at most cols columns (wide characters count two), with an
 * ellipsis when cut. */
static void append_cut(precis_buf *b, const char *text, size_t cols)
{
    size_t len = strlen(text), i = 0, used = 0;
    while (i < len) {
        size_t n;
        uint32_t c = precis_uc_decode(text, len, i, &n);
        size_t w = precis_uc_is_cjk(c) ? 2 : 1;
        if (used + w > cols - 1 && i + n < len) {
            precis_buf_puts(b, "\xE2\x80\xA6"); /* … */
            return;
        }
        if (used + w > cols)
            return;
        precis_buf_append(b, text + i, n);
        used += w;
        i += n;
    }
}

static void draw(precis_status *st)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, "\r\x1b[K");
    precis_buf_puts(&b, frames[st->frame % N_FRAMES]);
    precis_buf_putc(&b, ' ');
    append_cut(&b, st->text, text_columns(st));
    fwrite(b.ptr, 1, b.len, st->f);
    fflush(st->f);
    precis_buf_release(&b);
    st->drawn = true;
    clock_gettime(CLOCK_MONOTONIC, &st->last);
}

void precis_status_set(precis_status *st, const char *text)
{
    if (!st || !st->enabled || !text)
        return;
    precis_sanitizer san;
    precis_buf clean;
    precis_buf_init(&clean, 0);
    precis_sanitize_init(&san);
    precis_sanitize_feed(&san, text, strlen(text), &clean);
    precis_sanitize_finish(&san, &clean);
    for (size_t i = 0; i < clean.len; i++)
        if (clean.ptr[i] == '\n' || clean.ptr[i] == '\t')
            clean.ptr[i] = ' ';
    free(st->text);
    st->text = precis_buf_detach(&clean);
    draw(st);
}

void precis_status_tick(precis_status *st)
{
    if (!st || !st->enabled || !st->text)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (long)(now.tv_sec - st->last.tv_sec) * 1000 +
              (now.tv_nsec - st->last.tv_nsec) / 1000000;
    if (ms < FRAME_MS)
        return;
    st->frame++;
    draw(st);
}

void precis_status_clear(precis_status *st)
{
    if (!st)
        return;
    if (st->drawn) {
        fputs("\r\x1b[K", st->f);
        fflush(st->f);
        st->drawn = false;
    }
    free(st->text);
    st->text = NULL;
}

void precis_status_free(precis_status *st)
{
    if (!st)
        return;
    precis_status_clear(st);
    free(st);
}
