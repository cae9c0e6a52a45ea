/* PDF -> text: pdftotext in a child process fed and drained through pipes. */
#include "precis/pdftext.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define PDF_HINT "PDF support needs pdftotext: install poppler-utils (apt-get install poppler-utils)"

char *precis_pdftotext_path(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    precis_buf b;
    precis_buf_init(&b, 0);
    for (const char *p = path;;) {
        size_t n = strcspn(p, ":");
        precis_buf_reset(&b);
        if (n)
            precis_buf_append(&b, p, n);
        else
            precis_buf_putc(&b, '.');
        precis_buf_puts(&b, "/pdftotext");
        if (access(b.ptr, X_OK) == 0)
            return precis_buf_detach(&b);
        if (!p[n])
            break;
        p += n + 1;
    }
    precis_buf_release(&b);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_flags(int fd)
{
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Feeds pdf to in_fd and drains out_fd into text until EOF, the cap or the
 * deadline. Returns PRECIS_OK, PRECIS_ERR_TOO_LARGE or PRECIS_ERR_TIMEOUT. */
static precis_result pump(int in_fd, int out_fd, const char *pdf, size_t len, double deadline,
                          size_t max_bytes, precis_buf *text)
{
    size_t sent = 0;
    char chunk[65536];
    if (len == 0) {
        close(in_fd);
        in_fd = -1;
    }
    for (;;) {
        struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
        double left = deadline - now_s();
        if (left <= 0)
            return PRECIS_ERR_TIMEOUT;
        int rc = poll(fds, in_fd >= 0 ? 2 : 1, (int)(left * 1000) + 1);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return PRECIS_ERR_INTERNAL;
        if (in_fd >= 0 && fds[1].revents) {
            ssize_t w = write(in_fd, pdf + sent, len - sent);
            if (w > 0)
                sent += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == len) {
                close(in_fd);
                in_fd = -1;
            }
        }
        if (fds[0].revents) {
            ssize_t n = read(out_fd, chunk, sizeof chunk);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                break;
            if (n > 0) {
                if (max_bytes && (size_t)n > max_bytes - text->len) {
                    if (in_fd >= 0)
                        close(in_fd);
                    return PRECIS_ERR_TOO_LARGE;
                }
                precis_buf_append(text, chunk, (size_t)n);
            }
        }
    }
    if (in_fd >= 0)
        close(in_fd);
    return PRECIS_OK;
}

precis_result precis_pdf_to_text(const char *pdf, size_t len, const char *name, long timeout_s,
                                 size_t max_bytes, precis_buf *text, precis_error *err)
{
    char *exe = precis_pdftotext_path();
    if (!exe)
        return precis_error_set(err, PRECIS_ERR_UNSUPPORTED, "%s: " PDF_HINT, name);
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    precis_result r = PRECIS_ERR_INTERNAL;
    pid_t pid = -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    struct sigaction ignore, old_pipe;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_pipe); /* the child may exit before reading it all */
    if (pipe(in) != 0 || pipe(out) != 0) {
        r = precis_error_set(err, PRECIS_ERR_INTERNAL, "%s: cannot create a pipe: %s", name,
                             strerror(errno));
        goto out;
    }
    set_flags(in[1]);
    set_flags(out[0]);
    fcntl(in[0], F_SETFD, FD_CLOEXEC);
    fcntl(out[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    char *argv[] = {exe, (char *)"-layout", (char *)"-enc", (char *)"UTF-8", (char *)"-",
                    (char *)"-", NULL};
    int rc = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
    if (rc != 0) {
        pid = -1;
        r = precis_error_set(err, PRECIS_ERR_UNSUPPORTED, "%s: cannot run %s: %s; " PDF_HINT,
                             name, exe, strerror(rc));
        goto out;
    }
    close(in[0]);
    close(out[1]);
    in[0] = out[1] = -1;
    double deadline = now_s() + (double)(timeout_s > 0 ? timeout_s : 60);
    precis_result pr = pump(in[1], out[0], pdf, len, deadline, max_bytes, text);
    in[1] = -1; /* closed by pump */
    if (pr != PRECIS_OK)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    pid = -1;
    if (pr == PRECIS_ERR_TIMEOUT) {
        r = precis_error_set(err, PRECIS_ERR_TIMEOUT,
                             "%s: pdftotext took longer than %ld s; try --max-time", name,
                             timeout_s > 0 ? timeout_s : 60);
    } else if (pr == PRECIS_ERR_TOO_LARGE) {
        r = precis_error_set(err, PRECIS_ERR_TOO_LARGE,
                             "%s: text of the PDF exceeds --max-bytes; try a larger --max-bytes",
                             name);
    } else if (pr != PRECIS_OK || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        r = precis_error_set(err, PRECIS_ERR_NO_CONTENT,
                             "%s: pdftotext could not read this PDF (damaged or encrypted?)", name);
    } else {
        r = PRECIS_OK;
    }
out:
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    sigaction(SIGPIPE, &old_pipe, NULL);
    posix_spawn_file_actions_destroy(&fa);
    free(exe);
    return r;
}
