/* Fetching: dispatch between URLs, local files and stdin; file and stdin reading. */
#include "precis/fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "precis/fetch_http.h"

void precis_fetch_opts_init(precis_fetch_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->connect_timeout_s = 10;
    opts->idle_timeout_s = 30;
    opts->max_time_s = 120;
    opts->max_bytes = (size_t)25 * 1000 * 1000;
    opts->use_cache = true;
    opts->cache_fresh_s = 300;
    /* PRECIS_CACHE_TTL: seconds a cached page is served without asking the server. */
    const char *ttl = getenv("PRECIS_CACHE_TTL");
    if (ttl && *ttl) {
        char *end;
        errno = 0;
        long v = strtol(ttl, &end, 10);
        if (!errno && *end == '\0' && v >= 0)
            opts->cache_fresh_s = v;
    }
}

bool precis_is_url(const char *source)
{
    return strncasecmp(source, "http://", 7) == 0 || strncasecmp(source, "https://", 8) == 0;
}

/* True for "scheme://..." with a scheme other than http(s). */
static bool has_other_scheme(const char *source)
{
    const char *p = source;
    if (!isalpha((unsigned char)*p))
        return false;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return strncmp(p, "://", 3) == 0;
}

void precis_fetch_size_text(size_t n, char *dst, size_t cap)
{
    if (n >= 1000000 && n % 1000000 == 0)
        snprintf(dst, cap, "%zu MB", n / 1000000);
    else if (n >= 1000 && n % 1000 == 0)
        snprintf(dst, cap, "%zu kB", n / 1000);
    else
        snprintf(dst, cap, "%zu bytes", n);
}

/* Guesses a media type from a file name's extension; NULL if unknown. */
static const char *type_from_extension(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html"},       {".htm", "text/html"},
        {".xhtml", "application/xhtml+xml"},
        {".txt", "text/plain"},       {".text", "text/plain"},
        {".md", "text/markdown"},     {".markdown", "text/markdown"},
        {".json", "application/json"}, {".pdf", "application/pdf"},
        {".png", "image/png"},        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},      {".gif", "image/gif"},
        {".webp", "image/webp"},      {".mp3", "audio/mpeg"},
        {".mp4", "video/mp4"},        {".zip", "application/zip"},
    };
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

/* Reads fd to the end into body, capped at max bytes (0 = no cap); a set cancel
 * flag (may be NULL) stops a read that a signal interrupted. */
static precis_result read_fd(int fd, const char *name, size_t max,
                             const volatile sig_atomic_t *cancel, precis_buf *body,
                             precis_error *err)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR && cancel && *cancel)
            return precis_error_set(err, PRECIS_ERR_CANCELLED, "%s: interrupted", name);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return precis_error_set(err, PRECIS_ERR_IO, "%s: read failed: %s", name,
                                    strerror(errno));
        if (n == 0)
            return PRECIS_OK;
        if (max && (size_t)n > max - body->len) {
            char size[32];
            precis_fetch_size_text(max, size, sizeof size);
            return precis_error_set(err, PRECIS_ERR_TOO_LARGE,
                                    "%s: input exceeds %s (--max-bytes); try a larger --max-bytes",
                                    name, size);
        }
        precis_buf_append(body, chunk, (size_t)n);
    }
}

static precis_result fetch_stdin(const precis_fetch_opts *opts, precis_response *out,
                                 precis_error *err)
{
    return read_fd(STDIN_FILENO, "stdin", opts->max_bytes, opts->cancel, &out->body, err);
}

static precis_result fetch_file(const char *path, const precis_fetch_opts *opts,
                                precis_response *out, precis_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return precis_error_set(err, PRECIS_ERR_IO, "%s: %s; check the path", path,
                                strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        close(fd);
        return precis_error_set(err, PRECIS_ERR_IO, "%s: is a directory; give a file, a URL or -",
                                path);
    }
    precis_result r = read_fd(fd, path, opts->max_bytes, opts->cancel, &out->body, err);
    close(fd);
    if (r != PRECIS_OK)
        return r;
    const char *type = type_from_extension(path);
    if (type)
        out->content_type = precis_xstrdup(type);
    out->final_url = precis_xstrdup(path);
    return PRECIS_OK;
}

precis_result precis_fetch(const char *source, const precis_fetch_opts *opts,
                           precis_response *out, precis_error *err)
{
    precis_fetch_opts defaults;
    if (!opts) {
        precis_fetch_opts_init(&defaults);
        opts = &defaults;
    }
    memset(out, 0, sizeof *out);
    precis_buf_init(&out->body, 0);
    out->retry_after_s = -1;
    precis_result r;
    if (strcmp(source, "-") == 0)
        r = fetch_stdin(opts, out, err);
    else if (precis_is_url(source))
        r = precis_fetch_http(source, opts, out, err);
    else if (has_other_scheme(source))
        r = precis_error_set(err, PRECIS_ERR_FETCH,
                             "%s: unsupported URL scheme; only http:// and https:// are fetched",
                             source);
    else
        r = fetch_file(source, opts, out, err);
    if (r != PRECIS_OK && err)
        precis_error_oneline(err);
    return r;
}

precis_fetch_job *precis_fetch_start(precis_loop *loop, const char *source,
                                     const precis_fetch_opts *opts, precis_fetch_done_fn fn,
                                     void *ctx)
{
    if (precis_is_url(source))
        return precis_fetch_http_start(loop, source, opts, fn, ctx);
    precis_response resp;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_fetch(source, opts, &resp, &err);
    precis_fetch_job *j = precis_fetch_job_ready(loop, source, r, &resp, &err, fn, ctx);
    precis_response_release(&resp);
    return j;
}

void precis_response_release(precis_response *r)
{
    if (!r)
        return;
    precis_buf_release(&r->body);
    free(r->content_type);
    free(r->charset);
    free(r->final_url);
    free(r->etag);
    free(r->last_modified);
    memset(r, 0, sizeof *r);
    precis_buf_init(&r->body, 0);
}
