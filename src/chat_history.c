/* The REPL's history file: one escaped entry a line, appended as each line is entered,
 * rewritten (to a temporary file renamed into place) only when it must shrink. */
#include "precis/chat_history.h"
#include "precis/datadir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool precis_chat_history_path(precis_buf *out)
{
    const char *p = getenv("PRECIS_HISTORY");
    if (p)
        return *p ? precis_buf_puts(out, p) == PRECIS_OK : false;
    const char *state = getenv("XDG_STATE_HOME");
    if (state && state[0] == '/')
        return precis_buf_printf(out, "%s/precis/history", state) == PRECIS_OK;
    const char *home = getenv("HOME");
    if (!home || !*home)
        return false;
    return precis_buf_printf(out, "%s/.local/state/precis/history", home) == PRECIS_OK;
}

void precis_chat_history_init(precis_chat_history *h, const char *path, size_t max)
{
    memset(h, 0, sizeof *h);
    h->path = path ? precis_xstrdup(path) : NULL;
    h->max = max ? max : PRECIS_CHAT_HISTORY_MAX;
}

void precis_chat_history_release(precis_chat_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->lines[i]);
    free(h->lines);
    free(h->path);
    memset(h, 0, sizeof *h);
}

void precis_chat_history_escape(const char *line, precis_buf *out)
{
    for (const char *p = line; *p; p++) {
        if (*p == '\\')
            precis_buf_puts(out, "\\\\");
        else if (*p == '\n')
            precis_buf_puts(out, "\\n");
        else if (*p != '\r')
            precis_buf_putc(out, *p);
    }
}

void precis_chat_history_unescape(const char *line, size_t len, precis_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '\\' && i + 1 < len && (line[i + 1] == 'n' || line[i + 1] == '\\')) {
            precis_buf_putc(out, line[i + 1] == 'n' ? '\n' : '\\');
            i++;
        } else {
            precis_buf_putc(out, line[i]);
        }
    }
}

/* Appends an entry in memory, dropping the oldest past the cap. */
static void push(precis_chat_history *h, char *line)
{
    if (h->n == h->max) {
        free(h->lines[0]);
        memmove(h->lines, h->lines + 1, (h->n - 1) * sizeof *h->lines);
        h->n--;
    }
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->lines = precis_xrealloc(h->lines, h->cap * sizeof *h->lines);
    }
    h->lines[h->n++] = line;
}

bool precis_chat_history_load(precis_chat_history *h)
{
    if (!h->path)
        return true;
    FILE *f = fopen(h->path, "r");
    if (!f)
        return errno == ENOENT;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t lines = 0;
    precis_buf b;
    precis_buf_init(&b, 0);
    while ((len = getline(&line, &cap, f)) >= 0) {
        lines++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        precis_buf_reset(&b);
        precis_chat_history_unescape(line, (size_t)len, &b);
        push(h, precis_xstrdup(b.ptr));
    }
    precis_buf_release(&b);
    free(line);
    fclose(f);
    h->in_file = lines;
    return true;
}


/* Writes every entry to a temporary file renamed over the history file. */
static bool rewrite(precis_chat_history *h)
{
    precis_buf tmp, body;
    precis_buf_init(&tmp, 0);
    precis_buf_init(&body, 0);
    precis_buf_printf(&tmp, "%s.tmp.%ld", h->path, (long)getpid());
    for (size_t i = 0; i < h->n; i++) {
        precis_chat_history_escape(h->lines[i], &body);
        precis_buf_putc(&body, '\n');
    }
    bool ok = false;
    int fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ok = write(fd, body.ptr, body.len) == (ssize_t)body.len;
        ok = close(fd) == 0 && ok;
        if (ok)
            ok = rename(tmp.ptr, h->path) == 0;
        if (!ok)
            unlink(tmp.ptr);
    }
    if (ok)
        h->in_file = h->n;
    precis_buf_release(&tmp);
    precis_buf_release(&body);
    return ok;
}

/* Appends one entry to the file (O_APPEND: whole lines even with two sessions). */
static bool append(precis_chat_history *h, const char *line)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_chat_history_escape(line, &b);
    precis_buf_putc(&b, '\n');
    int fd = open(h->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, b.ptr, b.len) == (ssize_t)b.len;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (ok)
        h->in_file++;
    precis_buf_release(&b);
    return ok;
}

bool precis_chat_history_add(precis_chat_history *h, const char *line, bool *removed_older)
{
    if (removed_older)
        *removed_older = false;
    if (!line || !*line || line[0] == ' ')
        return false;
    if (h->n && strcmp(h->lines[h->n - 1], line) == 0)
        return false;
    bool removed = false;
    for (size_t i = 0; i < h->n; i++) {
        if (strcmp(h->lines[i], line) == 0) {
            free(h->lines[i]);
            memmove(h->lines + i, h->lines + i + 1, (h->n - i - 1) * sizeof *h->lines);
            h->n--;
            removed = true;
            break;
        }
    }
    push(h, precis_xstrdup(line));
    if (removed_older)
        *removed_older = removed;
    if (!h->path)
        return true;
    precis_make_parent_dirs(h->path);
    if (removed || h->in_file + 1 > h->max)
        rewrite(h);
    else
        append(h, line);
    return true;
}
