/* The terminal sink: sanitise each delta, render or pass it through, flush. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "precis/term.h"

struct precis_term {
    FILE *out;          /* not owned */
    bool color;
    bool reasoning;     /* dimmed raw text instead of rendered Markdown */
    bool failed;        /* the output is gone: every later call fails */
    bool finished;
    bool wrote_any;
    bool last_nl;       /* the last byte written was '\n' */
    precis_sanitizer san;
    precis_md *md;      /* owned; NULL unless rendering */
    precis_status *status; /* not owned */
    precis_buf clean;   /* sanitised delta */
    precis_buf rendered;
};

precis_result precis_color_mode_parse(const char *s, precis_color_mode *mode)
{
    static const struct {
        const char *name;
        precis_color_mode mode;
    } names[] = {{"always", PRECIS_COLOR_ALWAYS}, {"auto", PRECIS_COLOR_AUTO},
                 {"never", PRECIS_COLOR_NEVER}};
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *mode = names[i].mode;
            return PRECIS_OK;
        }
    }
    return PRECIS_ERR_USAGE;
}

bool precis_color_decide(precis_color_mode mode, bool is_tty, const char *term,
                         const char *no_color)
{
    if (mode == PRECIS_COLOR_ALWAYS)
        return true;
    if (mode == PRECIS_COLOR_NEVER)
        return false;
    return is_tty && !(term && strcmp(term, "dumb") == 0) && !(no_color && no_color[0]);
}

bool precis_color_enabled(precis_color_mode mode, FILE *f)
{
    int fd = f ? fileno(f) : -1;
    return precis_color_decide(mode, fd >= 0 && isatty(fd), getenv("TERM"), getenv("NO_COLOR"));
}

static precis_term *term_new(FILE *out, bool color, bool reasoning)
{
    precis_term *t = precis_xcalloc(1, sizeof *t);
    t->out = out;
    t->color = color;
    t->reasoning = reasoning;
    t->last_nl = true;
    precis_sanitize_init(&t->san);
    precis_buf_init(&t->clean, 0);
    precis_buf_init(&t->rendered, 0);
    if (color && !reasoning)
        t->md = precis_md_new();
    return t;
}

precis_term *precis_term_new(FILE *out, precis_color_mode mode)
{
    return term_new(out, precis_color_enabled(mode, out), false);
}

precis_term *precis_term_new_reasoning(FILE *err, precis_color_mode mode)
{
    return term_new(err, precis_color_enabled(mode, err), true);
}

void precis_term_set_status(precis_term *t, precis_status *st)
{
    t->status = st;
}

bool precis_term_is_rendering(const precis_term *t)
{
    return t->md != NULL;
}

/* Writes b and flushes; marks t failed if the stream is gone. text is the
 * visible part of b (b may wrap it in colour codes). */
static int emit(precis_term *t, const precis_buf *b, const precis_buf *text)
{
    if (!b->len)
        return 0;
    if (fwrite(b->ptr, 1, b->len, t->out) != b->len || fflush(t->out) == EOF) {
        t->failed = true;
        return 1;
    }
    if (text->len) {
        t->wrote_any = true;
        t->last_nl = text->ptr[text->len - 1] == '\n';
    }
    return 0;
}

/* Turns the sanitised bytes in t->clean into what goes out, in t->rendered. */
static const precis_buf *shape(precis_term *t)
{
    if (t->md) {
        precis_buf_reset(&t->rendered);
        precis_md_feed(t->md, t->clean.ptr, t->clean.len, &t->rendered);
        return &t->rendered;
    }
    if (t->reasoning && t->color && t->clean.len) {
        /* Dim each delta on its own so no colour outlives a write. */
        precis_buf_reset(&t->rendered);
        precis_buf_puts(&t->rendered, "\x1b[2m");
        precis_buf_append(&t->rendered, t->clean.ptr, t->clean.len);
        precis_buf_puts(&t->rendered, "\x1b[0m");
        return &t->rendered;
    }
    return &t->clean;
}

int precis_term_write(void *term, const char *s, size_t n)
{
    precis_term *t = term;
    if (t->failed || t->finished)
        return 1;
    if (n && t->status) {
        precis_status_clear(t->status);
        t->status = NULL;
    }
    precis_buf_reset(&t->clean);
    precis_sanitize_feed(&t->san, s, n, &t->clean);
    const precis_buf *b = shape(t);
    return emit(t, b, t->md ? b : &t->clean);
}

int precis_term_finish(precis_term *t)
{
    if (t->failed)
        return 1;
    if (t->finished)
        return 0;
    t->finished = true;
    if (t->status) {
        precis_status_clear(t->status);
        t->status = NULL;
    }
    precis_buf_reset(&t->clean);
    precis_sanitize_finish(&t->san, &t->clean);
    const precis_buf *b;
    if (t->md) {
        precis_buf_reset(&t->rendered);
        precis_md_feed(t->md, t->clean.ptr, t->clean.len, &t->rendered);
        precis_md_finish(t->md, &t->rendered);
        b = &t->rendered;
    } else {
        b = shape(t);
    }
    if (emit(t, b, t->md ? b : &t->clean))
        return 1;
    if (t->wrote_any && !t->last_nl) {
        precis_buf nl;
        precis_buf_init(&nl, 0);
        precis_buf_putc(&nl, '\n');
        int r = emit(t, &nl, &nl);
        precis_buf_release(&nl);
        return r;
    }
    return 0;
}

void precis_term_free(precis_term *t)
{
    if (!t)
        return;
    precis_md_free(t->md);
    precis_buf_release(&t->clean);
    precis_buf_release(&t->rendered);
    free(t);
}
