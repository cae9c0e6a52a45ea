/* Result codes, error messages and exit codes. */
#include "precis/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

precis_result precis_error_set(precis_error *err, precis_result code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void precis_error_clear(precis_error *err)
{
    if (err) {
        err->code = PRECIS_OK;
        err->msg[0] = '\0';
    }
}

const char *precis_strerror(precis_result code)
{
    switch (code) {
    case PRECIS_OK: return "ok";
    case PRECIS_ERR_USAGE: return "usage error";
    case PRECIS_ERR_IO: return "input/output error";
    case PRECIS_ERR_FETCH: return "fetch failed";
    case PRECIS_ERR_HTTP: return "HTTP error";
    case PRECIS_ERR_TIMEOUT: return "timed out";
    case PRECIS_ERR_TOO_LARGE: return "too large";
    case PRECIS_ERR_REDIRECT: return "redirect loop";
    case PRECIS_ERR_UNSUPPORTED: return "unsupported content type";
    case PRECIS_ERR_NO_CONTENT: return "no readable content";
    case PRECIS_ERR_API: return "model API error";
    case PRECIS_ERR_CANCELLED: return "interrupted";
    case PRECIS_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}

int precis_exit_code(precis_result code)
{
    switch (code) {
    case PRECIS_OK: return 0;
    case PRECIS_ERR_USAGE: return 1;
    case PRECIS_ERR_IO:
    case PRECIS_ERR_FETCH:
    case PRECIS_ERR_HTTP:
    case PRECIS_ERR_TIMEOUT:
    case PRECIS_ERR_TOO_LARGE:
    case PRECIS_ERR_REDIRECT: return 2;
    case PRECIS_ERR_UNSUPPORTED:
    case PRECIS_ERR_NO_CONTENT: return 3;
    case PRECIS_ERR_API: return 4;
    case PRECIS_ERR_CANCELLED: return 130;
    case PRECIS_ERR_INTERNAL: return 70;
    }
    return 70;
}

void precis_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("precis: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

_Noreturn void precis_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("precis: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void precis_error_oneline(precis_error *err)
{
    if (!err)
        return;
    for (char *p = err->msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
}
