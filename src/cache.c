/* On-disk HTTP cache. File layout (one per URL, named by a hash of the URL):
 *
 *   precis-cache 1\n
 *   <field> <value>\n ...       url, final_url, content_type, charset, etag,
 *                               last_modified, fetched, revalidate, length, hash
 *   \n
 *   <length body bytes>end\n
 *
 * A reader accepts a file only if the magic, the URL, the length, the trailer and
 * the body hash all match, so a torn or garbage file is a miss, never a bad page. */
#include "precis/cache.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_MAGIC "precis-cache 1\n"
#define CACHE_TRAILER "end\n"
#define CACHE_MAX_FILE ((size_t)1 << 31)
#define CACHE_TMP_PREFIX ".tmp-"
#define CACHE_TMP_MAX_AGE 600 /* a temp file this old belongs to a process that died */

void precis_cache_entry_init(precis_cache_entry *e)
{
    memset(e, 0, sizeof *e);
    precis_buf_init(&e->body, 0);
}

void precis_cache_entry_release(precis_cache_entry *e)
{
    if (!e)
        return;
    free(e->url);
    free(e->final_url);
    free(e->content_type);
    free(e->charset);
    free(e->etag);
    free(e->last_modified);
    precis_buf_release(&e->body);
    precis_cache_entry_init(e);
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

char *precis_cache_dir(const char *dir)
{
    if (dir && *dir)
        return precis_xstrdup(dir);
    precis_buf b;
    precis_buf_init(&b, 0);
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        precis_buf_printf(&b, "%s/precis/http", xdg);
    else if (home && *home)
        precis_buf_printf(&b, "%s/.cache/precis/http", home);
    else
        return NULL;
    return precis_buf_detach(&b);
}

char *precis_cache_path(const char *dir, const char *url)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "%s/%016" PRIx64 ".entry", dir, fnv1a(url, strlen(url)));
    return precis_buf_detach(&b);
}

/* Creates dir and its parents (mode 0700); true if it exists afterwards. */
static bool make_dirs(const char *dir)
{
    char *p = precis_xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        mkdir(p, 0700);
        *s = '/';
    }
    bool ok = mkdir(p, 0700) == 0 || errno == EEXIST;
    free(p);
    return ok;
}

/* Appends "name value\n"; control characters in the value become spaces. */
static void put_field(precis_buf *b, const char *name, const char *value)
{
    precis_buf_puts(b, name);
    precis_buf_putc(b, ' ');
    for (const char *s = value ? value : ""; *s; s++)
        precis_buf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
    precis_buf_putc(b, '\n');
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Removes temporary files left behind by writers that were killed mid-write. */
static void sweep_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    time_t now = time(NULL);
    precis_buf path;
    precis_buf_init(&path, 0);
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (strncmp(ent->d_name, CACHE_TMP_PREFIX, strlen(CACHE_TMP_PREFIX)) != 0)
            continue;
        precis_buf_reset(&path);
        precis_buf_printf(&path, "%s/%s", dir, ent->d_name);
        struct stat st;
        if (stat(path.ptr, &st) == 0 && now - st.st_mtime > CACHE_TMP_MAX_AGE)
            unlink(path.ptr);
    }
    closedir(d);
    precis_buf_release(&path);
}

precis_result precis_cache_store(const char *dir, const precis_cache_entry *e)
{
    if (!dir || !e->url || !make_dirs(dir))
        return PRECIS_ERR_IO;
    precis_buf head;
    precis_buf_init(&head, 0);
    precis_buf_puts(&head, CACHE_MAGIC);
    put_field(&head, "url", e->url);
    put_field(&head, "final_url", e->final_url);
    put_field(&head, "content_type", e->content_type);
    put_field(&head, "charset", e->charset);
    put_field(&head, "etag", e->etag);
    put_field(&head, "last_modified", e->last_modified);
    precis_buf_printf(&head, "fetched %lld\nrevalidate %d\nlength %zu\nhash %016" PRIx64 "\n\n",
                      e->fetched, e->revalidate ? 1 : 0, e->body.len,
                      fnv1a(e->body.ptr, e->body.len));

    char *path = precis_cache_path(dir, e->url);
    precis_buf tmp;
    precis_buf_init(&tmp, 0);
    precis_buf_printf(&tmp, "%s/" CACHE_TMP_PREFIX "XXXXXX", dir);
    precis_result r = PRECIS_ERR_IO;
    int fd = mkstemp(tmp.ptr);
    if (fd < 0)
        goto out;
    bool ok = write_all(fd, head.ptr, head.len) && write_all(fd, e->body.ptr, e->body.len) &&
              write_all(fd, CACHE_TRAILER, strlen(CACHE_TRAILER));
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp.ptr, path) == 0)
        r = PRECIS_OK;
    else
        unlink(tmp.ptr);
    sweep_stale_temps(dir);
out:
    precis_buf_release(&tmp);
    precis_buf_release(&head);
    free(path);
    return r;
}

/* Reads the whole file into b; false if missing, unreadable or absurdly large. */
static bool read_file(const char *path, precis_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    b->max = CACHE_MAX_FILE;
    char chunk[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (precis_buf_append(b, chunk, n) != PRECIS_OK) {
            ok = false;
            break;
        }
    if (ferror(f))
        ok = false;
    fclose(f);
    return ok;
}

static bool parse_ull(const char *s, int base, unsigned long long *v)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    *v = strtoull(s, &end, base);
    return errno == 0 && *end == '\0';
}

/* Stores a field's value in e; false for an unknown field or a bad number. */
static bool set_field(precis_cache_entry *e, const char *name, const char *value,
                      unsigned long long *length, unsigned long long *hash, int *seen)
{
    char **slot = NULL;
    unsigned long long v;
    if (strcmp(name, "url") == 0)
        slot = &e->url;
    else if (strcmp(name, "final_url") == 0)
        slot = &e->final_url;
    else if (strcmp(name, "content_type") == 0)
        slot = &e->content_type;
    else if (strcmp(name, "charset") == 0)
        slot = &e->charset;
    else if (strcmp(name, "etag") == 0)
        slot = &e->etag;
    else if (strcmp(name, "last_modified") == 0)
        slot = &e->last_modified;
    else if (strcmp(name, "fetched") == 0 && parse_ull(value, 10, &v))
        e->fetched = (long long)v;
    else if (strcmp(name, "revalidate") == 0 && parse_ull(value, 10, &v))
        e->revalidate = v != 0;
    else if (strcmp(name, "length") == 0 && parse_ull(value, 10, length))
        *seen |= 1;
    else if (strcmp(name, "hash") == 0 && parse_ull(value, 16, hash))
        *seen |= 2;
    else
        return false;
    if (slot && *value) {
        free(*slot);
        *slot = precis_xstrdup(value);
    }
    return true;
}

/* Parses a whole cache file into e; false if anything does not add up. */
static bool parse_entry(precis_buf *f, precis_cache_entry *e)
{
    size_t magic = strlen(CACHE_MAGIC);
    if (f->len < magic || memcmp(f->ptr, CACHE_MAGIC, magic) != 0)
        return false;
    size_t pos = magic;
    unsigned long long length = 0, hash = 0;
    int seen = 0;
    for (;;) {
        char *nl = memchr(f->ptr + pos, '\n', f->len - pos);
        if (!nl)
            return false;
        *nl = '\0';
        char *line = f->ptr + pos;
        pos = (size_t)(nl - f->ptr) + 1;
        if (!*line)
            break;
        char *sp = strchr(line, ' ');
        if (!sp)
            return false;
        *sp = '\0';
        if (!set_field(e, line, sp + 1, &length, &hash, &seen))
            return false;
    }
    size_t trailer = strlen(CACHE_TRAILER);
    if (seen != 3 || !e->url || length > f->len || f->len - pos != length + trailer)
        return false;
    if (memcmp(f->ptr + pos + length, CACHE_TRAILER, trailer) != 0)
        return false;
    if (fnv1a(f->ptr + pos, (size_t)length) != hash)
        return false;
    precis_buf_append(&e->body, f->ptr + pos, (size_t)length);
    return true;
}

bool precis_cache_load(const char *dir, const char *url, precis_cache_entry *e)
{
    if (!dir || !url)
        return false;
    char *path = precis_cache_path(dir, url);
    precis_buf f;
    precis_buf_init(&f, 0);
    bool ok = read_file(path, &f) && parse_entry(&f, e) && strcmp(e->url, url) == 0;
    if (!ok)
        precis_cache_entry_release(e);
    precis_buf_release(&f);
    free(path);
    return ok;
}
