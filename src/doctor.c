/* `precis doctor`: report lines, the directory check and the model lookup. */
#include "precis/doctor.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void precis_doctor_init(precis_doctor *d)
{
    precis_buf_init(&d->out, 0);
    d->fails = 0;
    d->warns = 0;
}

void precis_doctor_release(precis_doctor *d)
{
    precis_buf_release(&d->out);
}

const char *precis_check_word(precis_check verdict)
{
    switch (verdict) {
    case PRECIS_CHECK_OK: return "ok";
    case PRECIS_CHECK_INFO: return "info";
    case PRECIS_CHECK_WARN: return "warn";
    case PRECIS_CHECK_FAIL: return "FAIL";
    }
    return "?";
}

/* Appends s with every control byte (newlines included) turned into a space. */
static void put_flat(precis_buf *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        precis_buf_putc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
    }
}

void precis_doctor_add(precis_doctor *d, precis_check verdict, const char *topic,
                       const char *fmt, ...)
{
    precis_buf msg;
    precis_buf_init(&msg, 0);
    va_list ap;
    va_start(ap, fmt);
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n > 0 && precis_buf_grow(&msg, (size_t)n + 1) == PRECIS_OK) {
        vsnprintf(msg.ptr, (size_t)n + 1, fmt, ap);
        msg.len = (size_t)n;
    }
    va_end(ap);
    precis_buf_printf(&d->out, "%-4s  %-10s ", precis_check_word(verdict), topic);
    put_flat(&d->out, msg.ptr);
    precis_buf_putc(&d->out, '\n');
    precis_buf_release(&msg);
    if (verdict == PRECIS_CHECK_FAIL)
        d->fails++;
    else if (verdict == PRECIS_CHECK_WARN)
        d->warns++;
}

void precis_doctor_detail(precis_doctor *d, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        precis_buf_puts(&d->out, "                  ");
        precis_buf line;
        precis_buf_init(&line, 0);
        precis_buf_append(&line, p, n);
        put_flat(&d->out, line.ptr);
        precis_buf_release(&line);
        precis_buf_putc(&d->out, '\n');
        p += n + (nl ? 1 : 0);
    }
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

precis_check precis_doctor_dir(const char *dir, precis_buf *why)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            precis_buf_printf(why, "%s is not a directory: remove or rename it", dir);
            return PRECIS_CHECK_FAIL;
        }
        if (access(dir, W_OK | X_OK) != 0) {
            precis_buf_printf(why, "%s is not writable (%s): fix its permissions or point the "
                                   "XDG variable elsewhere", dir, strerror(errno));
            return PRECIS_CHECK_FAIL;
        }
        precis_buf_printf(why, "%s is writable", dir);
        return PRECIS_CHECK_OK;
    }
    /* Walk up to the nearest existing ancestor: mkdir -p must succeed from there. */
    char parent[4096];
    int w = snprintf(parent, sizeof parent, "%s", dir);
    if (w <= 0 || (size_t)w >= sizeof parent) {
        precis_buf_printf(why, "%s: path too long", dir);
        return PRECIS_CHECK_FAIL;
    }
    for (;;) {
        char *slash = strrchr(parent, '/');
        if (!slash) {
            snprintf(parent, sizeof parent, ".");
            break;
        }
        if (slash == parent) {
            parent[1] = '\0';
            break;
        }
        *slash = '\0';
        if (stat(parent, &st) == 0)
            break;
    }
    if (!is_dir(parent)) {
        precis_buf_printf(why, "%s cannot be created: %s is not a directory", dir, parent);
        return PRECIS_CHECK_FAIL;
    }
    if (access(parent, W_OK | X_OK) != 0) {
        precis_buf_printf(why, "%s cannot be created: %s is not writable (%s)", dir, parent,
                          strerror(errno));
        return PRECIS_CHECK_FAIL;
    }
    precis_buf_printf(why, "%s (made on first use; %s is writable)", dir, parent);
    return PRECIS_CHECK_OK;
}

long precis_doctor_find_model(const char *name, char *const *ids, size_t n)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], name) == 0)
            return (long)i;
    for (size_t i = 0; i < n; i++) {
        const char *id = ids[i];
        if (strncmp(id, name, len) == 0 && strcmp(id + len, ":latest") == 0)
            return (long)i;
        if (strncmp(id, "models/", 7) == 0 && strcmp(id + 7, name) == 0)
            return (long)i;
    }
    return -1;
}
