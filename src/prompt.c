/* Prompt templates on disk: the search path, -p NAME|FILE, and `precis prompts`. */
#include "precis/prompt.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROMPT_MAX_BYTES (256 * 1024)

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool precis_prompt_user_dir(precis_buf *out)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        return precis_buf_printf(out, "%s/precis/prompts", xdg) == PRECIS_OK;
    if (home && *home)
        return precis_buf_printf(out, "%s/.config/precis/prompts", home) == PRECIS_OK;
    return false;
}

/* Sets out to EXEDIR/../share/precis/prompts (without the ".."), where an installed
 * binary's own prompts are wherever its prefix was put (DESTDIR staging, a moved
 * prefix); false if the executable's path is unknown. */
static bool installed_dir(char *out, size_t size)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    for (int up = 0; up < 2; up++) { /* PREFIX/bin/precis -> PREFIX */
        char *slash = strrchr(exe, '/');
        if (!slash)
            return false;
        *slash = '\0';
    }
    int w = snprintf(out, size, "%s/share/precis/prompts", exe);
    return w > 0 && (size_t)w < size;
}

bool precis_prompt_shipped_dir(size_t i, precis_buf *out)
{
    const char *env = getenv("PRECIS_PROMPTS_DIR");
    char installed[4200];
    bool is_installed = installed_dir(installed, sizeof installed) && is_dir(installed);
    /* An installed binary uses its own prompts only; a build-tree binary the source tree's. */
    const char *candidates[3] = {env && *env ? env : NULL,
                                 is_installed ? installed : PRECIS_SOURCE_DIR "/prompts",
                                 is_installed ? NULL : PRECIS_DATADIR "/prompts"};
    size_t seen = 0;
    for (size_t c = 0; c < 3; c++) {
        if (!candidates[c] || !is_dir(candidates[c]))
            continue;
        if (seen++ == i) {
            precis_buf_puts(out, candidates[c]);
            return true;
        }
    }
    return false;
}

/* A template name: letters, digits, '-' and '_'. */
static bool is_name(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static precis_result read_file(const char *path, precis_buf *out, precis_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return precis_error_set(err, PRECIS_ERR_USAGE, "cannot read prompt %s: %s", path,
                                strerror(errno));
    precis_buf_init(out, PROMPT_MAX_BYTES);
    precis_result r = PRECIS_OK;
    char chunk[4096];
    size_t n;
    while (r == PRECIS_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (precis_buf_append(out, chunk, n) != PRECIS_OK)
            r = precis_error_set(err, PRECIS_ERR_USAGE, "prompt %s is larger than 256 KiB", path);
    if (r == PRECIS_OK && ferror(f))
        r = precis_error_set(err, PRECIS_ERR_USAGE, "cannot read prompt %s: %s", path,
                             strerror(errno));
    fclose(f);
    if (r != PRECIS_OK)
        precis_buf_release(out);
    return r;
}

static precis_result load_path(const char *name, const char *path, precis_prompt_origin origin,
                               precis_prompt **out, precis_error *err)
{
    precis_buf text;
    precis_result r = read_file(path, &text, err);
    if (r != PRECIS_OK)
        return r;
    r = precis_prompt_parse(name, path, text.ptr, text.len, origin, out, err);
    precis_buf_release(&text);
    return r;
}

/* Sets path to DIR/NAME.md if that file exists. */
static bool find_in(const precis_buf *dir, const char *name, precis_buf *path)
{
    precis_buf_reset(path);
    precis_buf_printf(path, "%s/%s.md", dir->ptr, name);
    return is_file(path->ptr);
}

static void append_known(precis_buf *msg, const char *wanted)
{
    precis_prompt_info *items = NULL;
    size_t n = 0;
    precis_error ignored;
    if (precis_prompt_list(&items, &n, &ignored) != PRECIS_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t a = strlen(items[i].name), b = strlen(wanted);
        if ((a > b ? a - b : b - a) <= 1 &&
            (strncmp(items[i].name, wanted, 3) == 0 || strstr(items[i].name, wanted) ||
             strstr(wanted, items[i].name))) {
            precis_buf_printf(msg, " (did you mean '%s'?)", items[i].name);
            break;
        }
    }
    precis_buf_puts(msg, "; available:");
    for (size_t i = 0; i < n; i++)
        precis_buf_printf(msg, "%s %s", i ? "," : "", items[i].name);
    if (!n)
        precis_buf_puts(msg, " none");
    precis_prompt_list_free(items, n);
}

precis_result precis_prompt_load(const char *spec, precis_prompt **out, precis_error *err)
{
    *out = NULL;
    size_t len = strlen(spec);
    if (strchr(spec, '/') || (ends_with(spec, ".md") && is_file(spec))) {
        const char *base = strrchr(spec, '/');
        base = base ? base + 1 : spec;
        size_t bn = strlen(base);
        if (ends_with(base, ".md"))
            bn -= 3;
        char *name = precis_xstrndup(base, bn);
        precis_result r = load_path(name, spec, PRECIS_PROMPT_FILE, out, err);
        free(name);
        return r;
    }
    if (!is_name(spec, len))
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "bad prompt name '%s': use a name such as tldr, or a path to a "
                                ".md file",
                                spec);
    precis_buf dir, path;
    precis_buf_init(&dir, 0);
    precis_buf_init(&path, 0);
    precis_result r = PRECIS_ERR_USAGE;
    bool found = false;
    if (precis_prompt_user_dir(&dir) && find_in(&dir, spec, &path)) {
        found = true;
        r = load_path(spec, path.ptr, PRECIS_PROMPT_USER, out, err);
    }
    for (size_t i = 0; !found; i++) {
        precis_buf_reset(&dir);
        if (!precis_prompt_shipped_dir(i, &dir))
            break;
        if (find_in(&dir, spec, &path)) {
            found = true;
            r = load_path(spec, path.ptr, PRECIS_PROMPT_SHIPPED, out, err);
        }
    }
    if (!found) {
        precis_buf msg;
        precis_buf_init(&msg, 0);
        precis_buf_printf(&msg, "unknown prompt '%s'", spec);
        append_known(&msg, spec);
        r = precis_error_set(err, PRECIS_ERR_USAGE, "%s (or give a path to a .md file)", msg.ptr);
        precis_buf_release(&msg);
    }
    precis_buf_release(&dir);
    precis_buf_release(&path);
    return r;
}

typedef struct list {
    precis_prompt_info *v;
    size_t n;
} list;

/* Adds every NAME.md of dir that is not in the list yet. */
static void scan(list *l, const char *dir, precis_prompt_origin origin)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t first_new = l->n;
    struct dirent *e;
    precis_buf path;
    precis_buf_init(&path, 0);
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (!ends_with(e->d_name, ".md") || !is_name(e->d_name, n - 3) ||
            strcmp(e->d_name, "README.md") == 0)
            continue;
        precis_buf_reset(&path);
        precis_buf_printf(&path, "%s/%s", dir, e->d_name);
        if (!is_file(path.ptr))
            continue;
        bool dup = false;
        for (size_t i = 0; i < l->n && !dup; i++)
            dup = strlen(l->v[i].name) == n - 3 && strncmp(l->v[i].name, e->d_name, n - 3) == 0;
        if (dup) {
            /* A later (shipped) dir has a file the user dir already overrides. */
            for (size_t i = 0; i < first_new; i++)
                if (strlen(l->v[i].name) == n - 3 &&
                    strncmp(l->v[i].name, e->d_name, n - 3) == 0 &&
                    l->v[i].origin == PRECIS_PROMPT_USER && origin == PRECIS_PROMPT_SHIPPED)
                    l->v[i].overrides = true;
            continue;
        }
        l->v = precis_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
        precis_prompt_info *it = &l->v[l->n++];
        it->name = precis_xstrndup(e->d_name, n - 3);
        it->path = precis_xstrdup(path.ptr);
        it->origin = origin;
        it->overrides = false;
        precis_prompt *p = NULL;
        precis_error err;
        precis_error_clear(&err);
        if (load_path(it->name, path.ptr, origin, &p, &err) == PRECIS_OK) {
            it->description = precis_xstrdup(p->description);
            precis_prompt_free(p);
        } else {
            precis_buf b;
            precis_buf_init(&b, 0);
            precis_buf_printf(&b, "(broken: %s)", err.msg);
            it->description = precis_buf_detach(&b);
            precis_buf_release(&b);
        }
    }
    precis_buf_release(&path);
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const precis_prompt_info *)a)->name, ((const precis_prompt_info *)b)->name);
}

precis_result precis_prompt_list(precis_prompt_info **items, size_t *n, precis_error *err)
{
    list l = {NULL, 0};
    precis_buf dir;
    precis_buf_init(&dir, 0);
    if (precis_prompt_user_dir(&dir))
        scan(&l, dir.ptr, PRECIS_PROMPT_USER);
    for (size_t i = 0;; i++) {
        precis_buf_reset(&dir);
        if (!precis_prompt_shipped_dir(i, &dir))
            break;
        scan(&l, dir.ptr, PRECIS_PROMPT_SHIPPED);
    }
    precis_buf_release(&dir);
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, by_name);
    *items = l.v;
    *n = l.n;
    (void)err;
    return PRECIS_OK;
}

void precis_prompt_list_free(precis_prompt_info *items, size_t n)
{
    if (!items)
        return;
    for (size_t i = 0; i < n; i++) {
        free(items[i].name);
        free(items[i].description);
        free(items[i].path);
    }
    free(items);
}
