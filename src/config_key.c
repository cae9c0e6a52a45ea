/* API key sources: literal, environment variable, file, or a command's output. */
#include "config_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY_MAX_BYTES (64 * 1024)

/* Overwrites b's contents before releasing it: keys should not linger in freed memory. */
static void wipe_release(precis_buf *b)
{
    volatile char *p = b->ptr;
    for (size_t i = 0; i < b->len; i++)
        p[i] = 0;
    precis_buf_release(b);
}

/* Keeps the first line of b, trimmed of surrounding whitespace. */
static void first_line(precis_buf *b)
{
    size_t start = 0, end = 0;
    while (start < b->len && (b->ptr[start] == ' ' || b->ptr[start] == '\t'))
        start++;
    end = start;
    while (end < b->len && b->ptr[end] != '\n' && b->ptr[end] != '\r')
        end++;
    while (end > start && (b->ptr[end - 1] == ' ' || b->ptr[end - 1] == '\t'))
        end--;
    memmove(b->ptr, b->ptr + start, end - start);
    /* Wipe the rest before truncating so nothing of the other lines stays. */
    for (size_t i = end - start; i < b->len; i++)
        b->ptr[i] = 0;
    precis_buf_truncate(b, end - start);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for pid until deadline; kills its process group on timeout. Returns
 * the wait status, or -1 on timeout. */
static int reap(pid_t pid, long deadline)
{
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            return status;
        if (w < 0 && errno != EINTR)
            return status;
        if (now_ms() >= deadline) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

typedef enum cmd_status { CMD_OK, CMD_START, CMD_TIMEOUT, CMD_EXIT, CMD_SIGNAL } cmd_status;

/* Runs cmd with /bin/sh -c, stdin from /dev/null, collecting stdout into out.
 * *code is the exit status or signal number for CMD_EXIT / CMD_SIGNAL. */
static cmd_status run_cmd(const char *cmd, int timeout_ms, precis_buf *out, int *code)
{
    int fds[2];
    if (pipe(fds) != 0)
        return CMD_START;
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        if (devnull >= 0)
            close(devnull);
        return CMD_START;
    }
    if (pid == 0) {
        setpgid(0, 0);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    close(fds[1]);
    if (devnull >= 0)
        close(devnull);
    long deadline = now_ms() + timeout_ms;
    bool timed_out = false;
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd p = {fds[0], POLLIN, 0};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            timed_out = n == 0;
            break;
        }
        char chunk[4096];
        ssize_t got = read(fds[0], chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (out->len < KEY_MAX_BYTES)
            precis_buf_append(out, chunk, (size_t)got);
        volatile char *vp = chunk;
        for (ssize_t i = 0; i < got; i++)
            vp[i] = 0;
    }
    close(fds[0]);
    int status = reap(pid, timed_out ? 0 : deadline);
    if (timed_out || status < 0)
        return CMD_TIMEOUT;
    if (WIFSIGNALED(status)) {
        *code = WTERMSIG(status);
        return CMD_SIGNAL;
    }
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return *code == 0 ? CMD_OK : CMD_EXIT;
}

/* Appends "~/x" expanded with $HOME, or path unchanged. */
static void expand_home(const char *path, precis_buf *out)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home && *home) {
        precis_buf_puts(out, home);
        precis_buf_puts(out, path + 1);
    } else {
        precis_buf_puts(out, path);
    }
}

static precis_result read_key_file(const char *path, precis_buf *key, const char *who,
                                   const char *where, precis_error *err)
{
    precis_buf full;
    precis_buf_init(&full, 0);
    expand_home(path, &full);
    precis_result r = PRECIS_OK;
    FILE *f = fopen(full.ptr, "rb");
    if (!f) {
        r = precis_error_set(err, PRECIS_ERR_USAGE,
                             "cannot read api_key_file %s for %s (%s): %s", full.ptr, who, where,
                             strerror(errno));
    } else {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && key->len < KEY_MAX_BYTES)
            precis_buf_append(key, chunk, n);
        if (ferror(f))
            r = precis_error_set(err, PRECIS_ERR_USAGE,
                                 "cannot read api_key_file %s for %s (%s): %s", full.ptr, who,
                                 where, strerror(errno));
        fclose(f);
        volatile char *vp = chunk;
        for (size_t i = 0; i < sizeof chunk; i++)
            vp[i] = 0;
    }
    if (r == PRECIS_OK) {
        first_line(key);
        if (!key->len)
            r = precis_error_set(err, PRECIS_ERR_USAGE,
                                 "api_key_file %s for %s (%s) has an empty first line",
                                 full.ptr, who, where);
    }
    precis_buf_release(&full);
    return r;
}

static precis_result key_from_cmd(const precis_config *cfg, const char *cmd, precis_buf *key,
                                  const char *who, const char *where, precis_error *err)
{
    int code = 0;
    cmd_status st = run_cmd(cmd, cfg->key_timeout_ms, key, &code);
    /* Never quote the command's output: it may be the key or part of it. */
    switch (st) {
    case CMD_START:
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "api_key_cmd for %s (%s) could not be started: %s", who, where,
                                strerror(errno));
    case CMD_TIMEOUT:
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "api_key_cmd for %s (%s) did not finish within %d ms and was "
                                "stopped",
                                who, where, cfg->key_timeout_ms);
    case CMD_SIGNAL:
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "api_key_cmd for %s (%s) was killed by signal %d", who, where,
                                code);
    case CMD_EXIT:
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "api_key_cmd for %s (%s) failed with exit status %d%s", who,
                                where, code,
                                code == 127 ? " (command not found?)" : "");
    case CMD_OK:
        break;
    }
    first_line(key);
    if (!key->len)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "api_key_cmd for %s (%s) printed no key on its first line", who,
                                where);
    return PRECIS_OK;
}

precis_result precis_config_resolve_key(const precis_config *cfg, char **out, precis_error *err)
{
    *out = NULL;
    int k = precis_config_key_source(cfg);
    if (k < 0 || precis_config_auth(cfg) == PRECIS_AUTH_NONE)
        return PRECIS_OK;
    const precis_setting *s = &cfg->s[k];
    precis_buf who, key;
    precis_buf_init(&who, 0);
    precis_buf_init(&key, 0);
    precis_config_owner(cfg, &who);
    precis_result r = PRECIS_OK;
    switch (k) {
    case PRECIS_KEY_API_KEY:
        precis_buf_puts(&key, s->value);
        break;
    case PRECIS_KEY_API_KEY_ENV: {
        const char *v = getenv(s->value);
        if (!v || !*v)
            r = precis_error_set(err, PRECIS_ERR_USAGE,
                                 "the API key variable %s is not set (api_key_env for %s, %s)",
                                 s->value, who.ptr, s->source);
        else
            precis_buf_puts(&key, v);
        break;
    }
    case PRECIS_KEY_API_KEY_FILE:
        r = read_key_file(s->value, &key, who.ptr, s->source, err);
        break;
    case PRECIS_KEY_API_KEY_CMD:
        r = key_from_cmd(cfg, s->value, &key, who.ptr, s->source, err);
        break;
    default:
        break;
    }
    if (r == PRECIS_OK) {
        for (size_t i = 0; i < key.len; i++) {
            unsigned char c = (unsigned char)key.ptr[i];
            if (c < 0x20 || c == 0x7f) {
                r = precis_error_set(err, PRECIS_ERR_USAGE,
                                     "the API key for %s (%s) contains control characters",
                                     who.ptr, s->source);
                break;
            }
        }
    }
    if (r == PRECIS_OK)
        *out = precis_xstrndup(key.ptr, key.len);
    wipe_release(&key);
    precis_buf_release(&who);
    return r;
}
