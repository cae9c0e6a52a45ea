/* Terminal output for streamed answers: a sink that sanitises and (on a colour
 * terminal) renders light Markdown, the reasoning sink, and the stderr status line.
 *
 * Neutralising rules (every mode, before anything reaches the output):
 *   - ESC (0x1B) becomes the visible U+241B "␛", other C0 controls except \t and
 *     \n become their Control Picture (U+2400 + byte, e.g. BEL -> "␇"), DEL
 *     becomes U+2421 "␡": the user sees that something was there and no escape
 *     sequence can take effect (ESC[2J prints as "␛[2J").
 *   - C1 controls (U+0080..U+009F, i.e. C2 80..C2 9F) and every byte that is not
 *     part of valid UTF-8 (a raw 0x9B, overlongs, surrogates, > U+10FFFF) become
 *     U+FFFD, one per maximal invalid subpart.
 *   - CR LF becomes LF and a lone CR becomes LF, so text can never overwrite a line.
 *   - A UTF-8 sequence split across deltas is held back until it completes.
 */
#ifndef PRECIS_TERM_H
#define PRECIS_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "precis/buf.h"
#include "precis/error.h"

/* --color auto|always|never. */
typedef enum precis_color_mode {
    PRECIS_COLOR_AUTO = 0,
    PRECIS_COLOR_ALWAYS,
    PRECIS_COLOR_NEVER
} precis_color_mode;

/* Parses "auto", "always" or "never" into *mode; PRECIS_ERR_USAGE (mode untouched)
 * for anything else, including NULL. */
precis_result precis_color_mode_parse(const char *s, precis_color_mode *mode);

/* The colour decision as a pure function: always -> true, never -> false, auto ->
 * is_tty && term is not "dumb" && no_color is NULL or empty. An explicit "always"
 * wins over NO_COLOR, as no-color.org asks of command-line flags. */
bool precis_color_decide(precis_color_mode mode, bool is_tty, const char *term,
                         const char *no_color);

/* precis_color_decide with is_tty = isatty(fileno(f)), TERM and NO_COLOR from the
 * environment. */
bool precis_color_enabled(precis_color_mode mode, FILE *f);

/* --- Sanitiser: bytes from the page or the model -> safe UTF-8 text. --- */

/* Streaming state; initialise with precis_sanitize_init. Owns no memory. */
typedef struct precis_sanitizer {
    unsigned char pend[4]; /* an incomplete UTF-8 sequence carried to the next feed */
    unsigned char npend;
    unsigned char need;    /* total length of the pending sequence */
    bool after_cr;         /* the last byte was CR: a following LF is swallowed */
} precis_sanitizer;

/* Resets s to the start of a stream. */
void precis_sanitize_init(precis_sanitizer *s);

/* Appends the neutralised form of p[0..n) to out (see the rules at the top);
 * may hold back up to 3 bytes of an incomplete UTF-8 sequence. */
void precis_sanitize_feed(precis_sanitizer *s, const char *p, size_t n, precis_buf *out);

/* Ends the stream: a held-back incomplete sequence becomes U+FFFD in out. */
void precis_sanitize_finish(precis_sanitizer *s, precis_buf *out);

/* --- Streaming Markdown -> ANSI renderer (pure: buffer in, buffer out). --- */

/* Renders sanitised Markdown for a colour terminal: headings, **strong**,
 * *emphasis* or _emphasis_, `code`, fenced code blocks, bullets (-,*,+ -> •),
 * numbered items, blockquotes (> -> │), rules, [text](url) as text plus dimmed
 * url. It holds back only what decides a style (an unfinished delimiter run, the
 * start of a line that may be a heading/bullet/fence, a link text up to 256
 * bytes) and its output does not depend on how the input is split. Never emits
 * OSC or anything but SGR colour codes. Emphasis and code spans are opened
 * without lookahead and closed at the latest at the end of the line. */
typedef struct precis_md precis_md;

/* Returns a new renderer the caller frees with precis_md_free. */
precis_md *precis_md_new(void);

/* Appends the rendering of the sanitised bytes s[0..n) to out. */
void precis_md_feed(precis_md *m, const char *s, size_t n, precis_buf *out);

/* Ends the stream: resolves held bytes, resets colours and ends the last line
 * with a newline if anything was written and it did not end with one. */
void precis_md_finish(precis_md *m, precis_buf *out);

/* Frees m. NULL-safe. */
void precis_md_free(precis_md *m);

/* --- Status line on stderr. --- */

/* A one-line spinner + message drawn on a terminal, erased before the answer.
 * Draws nothing at all unless the stream is a terminal and TERM is not "dumb". */
typedef struct precis_status precis_status;

/* Returns a status line on err (not owned, usually stderr); free with
 * precis_status_free. */
precis_status *precis_status_new(FILE *err);

/* Returns true if this status line draws anything (err is a usable terminal). */
bool precis_status_is_enabled(const precis_status *st);

/* Shows text (copied, sanitised, cut to the terminal width) after a spinner. NULL-safe. */
void precis_status_set(precis_status *st, const char *text);

/* Advances the spinner if at least 100 ms passed since the last frame; call it
 * from the event loop. Does nothing when no text is set. NULL-safe. */
void precis_status_tick(precis_status *st);

/* Erases the line (CR + erase-line) if something is drawn and forgets the text. NULL-safe. */
void precis_status_clear(precis_status *st);

/* Clears and frees st. NULL-safe. */
void precis_status_free(precis_status *st);

/* --- The sink. --- */

/* An output sink for streamed model text; see precis_term_write. */
typedef struct precis_term precis_term;

/* Returns a sink writing the answer to out (not owned, usually stdout): rendered
 * Markdown when precis_color_enabled(mode, out), else the sanitised raw Markdown.
 * Free with precis_term_free. */
precis_term *precis_term_new(FILE *out, precis_color_mode mode);

/* Returns a sink for reasoning text on err (not owned, usually stderr): sanitised,
 * never rendered, dimmed when precis_color_enabled(mode, err). */
precis_term *precis_term_new_reasoning(FILE *err, precis_color_mode mode);

/* Makes the first delta erase st (not owned; must outlive t or be detached with NULL). */
void precis_term_set_status(precis_term *t, precis_status *st);

/* Returns true if t renders Markdown with colours (false: raw passthrough). */
bool precis_term_is_rendering(const precis_term *t);

/* The sink callback (int on_delta(void *ctx, const char *s, size_t n)): writes
 * and flushes one delta. term is a precis_term *. Returns nonzero once the output
 * is gone (EPIPE, write error) so the caller cancels the request; the process
 * must ignore SIGPIPE to get EPIPE rather than be killed. */
int precis_term_write(void *term, const char *s, size_t n);

/* Ends the stream: flushes held-back bytes, resets colours, ends with a newline
 * if the output did not. Call it on cancel and interrupt too. Returns nonzero on
 * a write error. Later writes are ignored (return nonzero). */
int precis_term_finish(precis_term *t);

/* Frees t (does not finish it, does not close the stream). NULL-safe. */
void precis_term_free(precis_term *t);

#endif
