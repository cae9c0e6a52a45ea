/* Result codes and error details shared by every module. */
#ifndef PRECIS_ERROR_H
#define PRECIS_ERROR_H

#include <stdarg.h>

#if defined(__GNUC__)
#define PRECIS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PRECIS_PRINTF(a, b)
#endif

/* Every fallible function returns PRECIS_OK or one of these. */
typedef enum precis_result {
    PRECIS_OK = 0,
    PRECIS_ERR_USAGE,          /* bad command line or option value */
    PRECIS_ERR_IO,             /* local file or stream could not be read/written */
    PRECIS_ERR_FETCH,          /* network failure: DNS, refused, TLS, reset */
    PRECIS_ERR_HTTP,           /* server answered with a 4xx/5xx status */
    PRECIS_ERR_TIMEOUT,        /* connect, idle or total time limit reached */
    PRECIS_ERR_TOO_LARGE,      /* body exceeded the byte cap */
    PRECIS_ERR_REDIRECT,       /* redirect loop or too many redirects */
    PRECIS_ERR_UNSUPPORTED,    /* content type we cannot read (image, binary...) */
    PRECIS_ERR_NO_CONTENT,     /* nothing readable (empty, JavaScript-only page) */
    PRECIS_ERR_API,            /* model/API error */
    PRECIS_ERR_CANCELLED,      /* interrupted by the user or a sink */
    PRECIS_ERR_INTERNAL        /* a bug or an impossible state */
} precis_result;

/* Details of a failure: the code plus one human-readable line (no trailing newline). */
typedef struct precis_error {
    precis_result code;
    char msg[1024];
} precis_error;

/* Sets err (if non-NULL) to code and a formatted message; returns code. */
precis_result precis_error_set(precis_error *err, precis_result code, const char *fmt, ...)
    PRECIS_PRINTF(3, 4);

/* Resets err to PRECIS_OK with an empty message. NULL-safe. */
void precis_error_clear(precis_error *err);

/* Replaces control characters in err's message so that it stays one printable line.
 * NULL-safe. */
void precis_error_oneline(precis_error *err);

/* Returns a static description of a result code. */
const char *precis_strerror(precis_result code);

/* Maps a result to the process exit code: 0 ok, 1 usage, 2 fetch, 3 no content,
 * 4 model/API, 130 cancelled. */
int precis_exit_code(precis_result code);

/* Prints "precis: " + a formatted message + newline to stderr. */
void precis_warn(const char *fmt, ...) PRECIS_PRINTF(1, 2);

/* Prints a message like precis_warn and aborts: the out-of-memory policy. */
_Noreturn void precis_die(const char *fmt, ...) PRECIS_PRINTF(1, 2);

#endif
