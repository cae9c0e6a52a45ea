/* /edit: write a question in $VISUAL or $EDITOR; the terminal is restored afterwards. */
#include "precis/chat.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Reads the whole file at path into a new string (NULL on failure). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    precis_buf b;
    precis_buf_init(&b, 1 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (precis_buf_append(&b, chunk, n) != PRECIS_OK)
            break;
    fclose(f);
    while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == ' ' ||
                     b.ptr[b.len - 1] == '\r' || b.ptr[b.len - 1] == '\t'))
        precis_buf_truncate(&b, b.len - 1);
    return precis_buf_detach(&b);
}

/* Runs editor on path through /bin/sh (so "code -w" works); returns its wait status. */
static int run_editor(const char *editor, const char *path)
{
    precis_buf cmd;
    precis_buf_init(&cmd, 0);
    precis_buf_printf(&cmd, "%s \"$1\"", editor);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", cmd.ptr, "sh", path, (char *)NULL);
        _exit(127);
    }
    precis_buf_release(&cmd);
    if (pid < 0)
        return -1;
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old);
    int status = -1;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    sigaction(SIGINT, &old, NULL);
    return status;
}

bool precis_chat_edit(precis_chat *chat, char **text)
{
    *text = NULL;
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    const char *dir = getenv("TMPDIR");
    precis_buf path;
    precis_buf_init(&path, 0);
    precis_buf_printf(&path, "%s/precis-chat-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path.ptr);
    if (fd < 0) {
        precis_chat_fail(chat, 1, "/edit: cannot create a temporary file: %s", strerror(errno));
        precis_buf_release(&path);
        return false;
    }
    close(fd);
    struct termios saved;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    int status = run_editor(editor, path.ptr);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    precis_interrupted = 0;
    bool ok = false;
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        precis_chat_fail(chat, 1, "/edit: the editor (%s) failed%s; nothing was sent", editor,
                         status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127
                             ? " to start"
                             : "");
    } else {
        *text = slurp(path.ptr);
        if (*text && **text)
            ok = true;
        else if (chat->interactive)
            fputs("(nothing written; nothing sent)\n", stdout);
    }
    if (!ok) {
        free(*text);
        *text = NULL;
    }
    unlink(path.ptr);
    precis_buf_release(&path);
    return ok;
}
