/* The status line and colour decision on a real pseudo-terminal. */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "precis/term.h"

/* Reads what reached the terminal within a short wait (NUL-terminated, static). */
static const char *drain(int master)
{
    static char buf[4096];
    size_t len = 0;
    struct pollfd p = {.fd = master, .events = POLLIN};
    int wait_ms = 200; /* for the first bytes; then only what is already on its way */
    while (len < sizeof buf - 1 && poll(&p, 1, wait_ms) > 0) {
        wait_ms = 10;
        ssize_t r = read(master, buf + len, sizeof buf - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = 0;
    return buf;
}

int main(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        printf("no pseudo-terminal available; skipping\n");
        return CHECK_DONE();
    }
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    CHECK(slave >= 0);
    if (slave < 0)
        return CHECK_DONE();
    struct termios tio;
    if (tcgetattr(slave, &tio) == 0) {
        tio.c_oflag &= ~(tcflag_t)OPOST; /* see the bytes exactly as written */
        tcsetattr(slave, TCSANOW, &tio);
    }
    FILE *tty = fdopen(slave, "w");
    setenv("TERM", "xterm", 1);

    /* Colour decision: auto on a terminal, unless NO_COLOR or TERM=dumb. */
    unsetenv("NO_COLOR");
    CHECK(precis_color_enabled(PRECIS_COLOR_AUTO, tty));
    setenv("NO_COLOR", "1", 1);
    CHECK(!precis_color_enabled(PRECIS_COLOR_AUTO, tty));
    CHECK(precis_color_enabled(PRECIS_COLOR_ALWAYS, tty));
    precis_term *t = precis_term_new(tty, PRECIS_COLOR_AUTO);
    CHECK(!precis_term_is_rendering(t));
    precis_term_free(t);
    setenv("NO_COLOR", "", 1);
    CHECK(precis_color_enabled(PRECIS_COLOR_AUTO, tty));
    unsetenv("NO_COLOR");
    setenv("TERM", "dumb", 1);
    CHECK(!precis_color_enabled(PRECIS_COLOR_AUTO, tty));
    precis_status *dumb = precis_status_new(tty);
    CHECK(!precis_status_is_enabled(dumb));
    precis_status_free(dumb);
    setenv("TERM", "xterm", 1);

    /* The status line draws, redraws on tick and erases itself. */
    precis_status *st = precis_status_new(tty);
    CHECK(precis_status_is_enabled(st));
    precis_status_set(st, "fetching https://example.org/\x1b[2J");
    CHECK_STR(drain(master),
              "\r\x1b[K\xE2\xA0\x8B fetching https://example.org/\xE2\x90\x9B[2J");
    precis_status_tick(st); /* too soon: no frame (the draw was a few ms ago) */
    precis_status_tick(st);
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 120 * 1000000L};
    nanosleep(&pause, NULL);
    precis_status_tick(st);
    CHECK_STR(drain(master), "\r\x1b[K\xE2\xA0\x99 fetching https://example.org/\xE2\x90\x9B[2J");
    precis_status_set(st, "waiting for test-model\xE2\x80\xA6");
    CHECK_CONTAINS(drain(master), "waiting for test-model");
    precis_status_clear(st);
    CHECK_STR(drain(master), "\r\x1b[K");
    precis_status_clear(st); /* nothing drawn: nothing written */
    precis_status_tick(st);
    CHECK_STR(drain(master), "");

    /* A long message is cut to the terminal width. */
    struct winsize ws = {.ws_row = 24, .ws_col = 20};
    ioctl(slave, TIOCSWINSZ, &ws);
    precis_status_set(st, "waiting for a-very-long-model-name-indeed");
    const char *cut = drain(master);
    CHECK_CONTAINS(cut, "waiting for a-ve\xE2\x80\xA6");
    CHECK(strstr(cut, "indeed") == NULL);

    /* The first delta of the answer erases the status before anything else. */
    char *mem = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&mem, &len);
    t = precis_term_new(out, PRECIS_COLOR_NEVER);
    precis_term_set_status(t, st);
    precis_term_write(t, "", 0); /* an empty delta is not the first token */
    CHECK_STR(drain(master), "");
    precis_term_write(t, "Answer", 6);
    CHECK_STR(drain(master), "\r\x1b[K");
    precis_status_set(st, "late");
    drain(master);
    precis_term_finish(t);
    precis_term_free(t);
    fclose(out);
    CHECK_STR(mem, "Answer\n");
    free(mem);

    precis_status_free(st);
    CHECK_STR(drain(master), "\r\x1b[K");
    fclose(tty);
    close(master);
    return CHECK_DONE();
}
