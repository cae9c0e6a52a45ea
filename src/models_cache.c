/* The model-name cache that `precis models` writes and completions read. */
#include "precis/models_cache.h"
#include "precis/datadir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MODELS_CACHE_MAX (1024 * 1024)

bool precis_models_cache_path(precis_buf *out)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        precis_buf_printf(out, "%s/precis/models", xdg);
    else if (home && *home)
        precis_buf_printf(out, "%s/.cache/precis/models", home);
    else
        return false;
    return true;
}

/* True if s (len bytes) holds no control character (and is not empty). */
static bool is_clean_name(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}


bool precis_models_cache_write(char *const *ids, size_t n)
{
    precis_buf path, tmp, text;
    precis_buf_init(&path, 0);
    precis_buf_init(&tmp, 0);
    precis_buf_init(&text, 0);
    bool ok = false;
    int fd = -1;
    if (!precis_models_cache_path(&path) || !precis_make_parent_dirs(path.ptr))
        goto out;
    for (size_t i = 0; i < n; i++)
        if (ids[i] && is_clean_name(ids[i], strlen(ids[i])))
            precis_buf_printf(&text, "%s\n", ids[i]);
    precis_buf_printf(&tmp, "%s.XXXXXX", path.ptr);
    fd = mkstemp(tmp.ptr);
    if (fd < 0)
        goto out;
    size_t done = 0;
    while (done < text.len) {
        ssize_t w = write(fd, text.ptr + done, text.len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    ok = done == text.len;
    ok = close(fd) == 0 && ok;
    fd = -1;
    ok = ok && rename(tmp.ptr, path.ptr) == 0;
    if (!ok)
        unlink(tmp.ptr);
out:
    if (fd >= 0) {
        close(fd);
        unlink(tmp.ptr);
    }
    precis_buf_release(&path);
    precis_buf_release(&tmp);
    precis_buf_release(&text);
    return ok;
}

void precis_models_cache_read(precis_buf *out)
{
    precis_buf path;
    precis_buf_init(&path, 0);
    FILE *f = precis_models_cache_path(&path) ? fopen(path.ptr, "r") : NULL;
    precis_buf_release(&path);
    if (!f)
        return;
    char line[1024];
    size_t total = 0;
    while (total < MODELS_CACHE_MAX && fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\n");
        bool whole = line[len] == '\n' || feof(f);
        if (!whole) {
            /* A line longer than the buffer is no model name: skip the rest of it. */
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            continue;
        }
        total += len + 1;
        if (is_clean_name(line, len)) {
            precis_buf_append(out, line, len);
            precis_buf_putc(out, '\n');
        }
    }
    fclose(f);
}
