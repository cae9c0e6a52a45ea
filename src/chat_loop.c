/* The REPL's input loops: readline's callback interface on a terminal (prompt, history,
 * Ctrl-C, Ctrl-D, SIGWINCH, SIGTERM), and one line at a time when stdin is not a
 * terminal. */
#include "precis/chat.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "precis/chat_history.h"

static volatile sig_atomic_t got_term; /* SIGTERM or SIGHUP: leave, restoring the terminal */

static void on_sigint(int sig)
{
    (void)sig;
    precis_interrupted = 1;
}

static void on_sigwinch(int sig)
{
    (void)sig;
    precis_chat_winch = 1;
}

static void on_sigterm(int sig)
{
    got_term = sig;
    precis_interrupted = 1;
}

/* Handlers without SA_RESTART, so that a signal wakes poll() and the transfers' poll. */
static void install_signals(bool tty)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_sigterm;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    if (tty) {
        sa.sa_handler = on_sigwinch;
        sigaction(SIGWINCH, &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
}

/* --- the history file, mirrored into readline --- */

static precis_chat_history history;

static void history_open(void)
{
    precis_buf path;
    precis_buf_init(&path, 0);
    bool have = precis_chat_history_path(&path);
    precis_chat_history_init(&history, have ? path.ptr : NULL, PRECIS_CHAT_HISTORY_MAX);
    precis_buf_release(&path);
    precis_chat_history_load(&history);
    for (size_t i = 0; i < history.n; i++)
        add_history(history.lines[i]);
}

static void history_record(const char *line)
{
    bool removed;
    if (!precis_chat_history_add(&history, line, &removed))
        return;
    if (removed) {
        clear_history();
        for (size_t i = 0; i < history.n; i++)
            add_history(history.lines[i]);
    } else {
        add_history(line);
    }
}

/* --- the terminal loop --- */

static char *entered;     /* the line readline handed over, or NULL at EOF */
static bool line_ready;

static void on_line(char *line)
{
    rl_callback_handler_remove(); /* the prompt comes back only once the line has run */
    entered = line;
    line_ready = true;
}

/* Waits for readline to hand over a line (or EOF); false when a signal says leave. */
static bool read_line(const char *prompt, bool *continuing)
{
    line_ready = false;
    entered = NULL;
    rl_callback_handler_install(prompt, on_line);
    while (!line_ready) {
        if (got_term) {
            rl_callback_handler_remove();
            fputs("\n", stdout);
            return false;
        }
        struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
        int r = poll(&pfd, 1, -1);
        if (r > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))) {
            /* the terminal is gone (its window closed): leave as at Ctrl-D, or readline
             * would be handed the same end of input again and again */
            rl_callback_handler_remove();
            return false;
        }
        if (r < 0) {
            if (errno != EINTR) {
                rl_callback_handler_remove();
                return false;
            }
            if (precis_chat_winch) {
                precis_chat_winch = 0;
                rl_resize_terminal();
            }
            if (precis_interrupted && !got_term) {
                /* Ctrl-C at the prompt: drop what was typed, start a fresh line. */
                precis_interrupted = 0;
                rl_callback_sigcleanup();
                rl_replace_line("", 0);
                rl_point = rl_end = 0;
                fputs("^C\n", stdout);
                fflush(stdout);
                if (*continuing) {
                    *continuing = false;
                    rl_callback_handler_remove();
                    return true; /* the caller drops the unfinished lines */
                }
                rl_on_new_line();
                rl_redisplay();
            }
            continue;
        }
        if (r > 0)
            rl_callback_read_char();
    }
    return true;
}

/* The banner: what is open, how to get help, and how to configure a model. */
static void banner(precis_chat *chat)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "precis chat %s — ", PRECIS_VERSION);
    if (chat->n_pages == 1)
        precis_buf_printf(&b, "1 page open");
    else
        precis_buf_printf(&b, "%zu pages open", chat->n_pages);
    precis_buf_puts(&b, ". Ask a question, or /help for commands; Ctrl-D quits.\n");
    if (!chat->online)
        precis_buf_puts(&b, chat->cli->offline
                                ? "Offline (--offline): questions get the best passages of the "
                                  "pages.\n"
                                : "No model configured: questions get the best passages of the "
                                  "pages. To use a model, set OPENAI_BASE_URL (e.g. "
                                  "http://localhost:11434/v1 for Ollama) or OPENAI_API_KEY, or "
                                  "add a profile to ~/.config/precis/config.\n");
    else
        precis_buf_printf(&b, "Model: %s\n",
                          precis_config_model(chat->cm.cfg) ? precis_config_model(chat->cm.cfg)
                                                            : "(the endpoint's default)");
    precis_chat_print_text(chat, b.ptr, b.len);
    precis_buf_release(&b);
}

int precis_chat_loop_tty(precis_chat *chat)
{
    install_signals(true);
    rl_readline_name = "precis";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_variable_bind("enable-bracketed-paste", "on");
    precis_chat_complete_install(chat);
    history_open();
    struct termios saved;
    bool have_saved = tcgetattr(STDIN_FILENO, &saved) == 0;
    banner(chat);
    precis_buf pending, prompt;
    precis_buf_init(&pending, 0);
    precis_buf_init(&prompt, 0);
    bool continuing = false;
    while (!chat->quit && !got_term) {
        precis_buf_reset(&prompt);
        if (continuing)
            precis_buf_puts(&prompt, "...> ");
        else
            precis_chat_prompt(chat, &prompt);
        bool was_continuing = continuing;
        if (!read_line(prompt.ptr, &continuing))
            break;
        if (was_continuing && !continuing && !line_ready) {
            precis_buf_reset(&pending); /* Ctrl-C dropped the unfinished lines */
            continue;
        }
        if (!entered) { /* Ctrl-D on an empty line */
            fputs("\n", stdout);
            break;
        }
        size_t len = strlen(entered);
        if (len && entered[len - 1] == '\\') {
            precis_buf_append(&pending, entered, len - 1);
            precis_buf_putc(&pending, '\n');
            free(entered);
            continuing = true;
            continue;
        }
        precis_buf_puts(&pending, entered);
        free(entered);
        continuing = false;
        history_record(pending.ptr);
        precis_chat_run_line(chat, pending.ptr);
        precis_buf_reset(&pending);
        if (have_saved)
            tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
        precis_interrupted = 0;
    }
    rl_callback_handler_remove();
    if (have_saved)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
    precis_chat_complete_install(NULL);
    clear_history();
    precis_chat_history_release(&history);
    precis_buf_release(&pending);
    precis_buf_release(&prompt);
    return got_term ? 128 + (int)got_term : 0;
}

/* --- not a terminal --- */

int precis_chat_loop_script(precis_chat *chat)
{
    install_signals(false);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    precis_buf pending;
    precis_buf_init(&pending, 0);
    while (!chat->quit && !got_term && (len = getline(&line, &cap, stdin)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len > 0 && line[len - 1] == '\\') {
            precis_buf_append(&pending, line, (size_t)len - 1);
            precis_buf_putc(&pending, '\n');
            continue;
        }
        precis_buf_append(&pending, line, (size_t)len);
        precis_chat_run_line(chat, pending.ptr);
        precis_buf_reset(&pending);
        fflush(stdout);
        if (precis_interrupted)
            break;
    }
    if (pending.len && !chat->quit && !got_term && !precis_interrupted)
        precis_chat_run_line(chat, pending.ptr);
    free(line);
    precis_buf_release(&pending);
    fflush(stdout);
    if (got_term)
        return 128 + (int)got_term;
    if (precis_interrupted)
        return 130;
    return chat->last_failure;
}
