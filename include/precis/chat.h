/* `precis chat`: the session the REPL works on (open pages with their link history,
 * the model, the conversation, the last answer's sources) and the functions the REPL's
 * files share. Single-threaded; one session per process. */
#ifndef PRECIS_CHAT_H
#define PRECIS_CHAT_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/chat_convo.h"
#include "precis/chat_retrieve.h"
#include "precis/chat_site.h"
#include "precis/cli.h"
#include "precis/cli_model.h"
#include "precis/doc.h"
#include "precis/term.h"

#define PRECIS_CHAT_BACK_MAX 32 /* pages remembered behind (and ahead of) each open page */

/* A page and where it came from (both owned). */
typedef struct precis_chat_visit {
    precis_doc *doc;
    char *source;
} precis_chat_visit;

/* An open page: what it shows now plus the pages /back and /forward walk to. */
typedef struct precis_chat_page {
    precis_chat_visit cur;
    precis_chat_visit *back; /* oldest first */
    size_t n_back;
    precis_chat_visit *fwd;  /* nearest last */
    size_t n_fwd;
} precis_chat_page;

typedef struct precis_chat {
    const precis_cli *cli;        /* borrowed */
    precis_cli_model cm;          /* config, summary/map/reduce templates, status, model */
    precis_prompt *ask;           /* owned: the template questions are answered with */
    char *summary_prompt;         /* owned: the /summary template's name */
    char *lang;                   /* owned: the answer language, or NULL (the model's) */
    bool online;                  /* questions and summaries go to the model */
    bool interactive;             /* stdin and stdout are terminals: readline, banner */
    precis_color_mode color;
    precis_chat_page *pages;      /* owned */
    size_t n_pages, cap_pages;
    size_t current;               /* index into pages; meaningless when n_pages == 0 */
    precis_chat_index index;      /* sections of the open pages */
    bool index_stale;
    precis_chat_convo convo;
    precis_chat_source *sources;  /* the last answer's sources (owned) */
    size_t n_sources;
    precis_chat_site *site;       /* the --site index, or NULL */
    char **models;                /* the endpoint's models, listed once for completion */
    size_t n_models;
    bool models_listed;
    int last_failure;             /* exit code of the last failed line (0: none) */
    bool quit;
} precis_chat;

/* --- session (chat_session.c) --- */

/* Sets up a session from the command line: configuration, templates, the model (a
 * model that cannot be reached is reported and the session goes on offline). Returns 0
 * or an exit code after printing one line. Release with precis_chat_release, also
 * after a failure. */
int precis_chat_init(precis_chat *chat, const precis_cli *cli, bool interactive);

/* Frees everything the session owns. */
void precis_chat_release(precis_chat *chat);

/* The current page's document, or NULL when nothing is open. */
precis_doc *precis_chat_doc(const precis_chat *chat);

/* Loads source; as_new opens it as a new page made current, otherwise it replaces the
 * current page, which /back returns to. Returns 0 or the exit code after printing one
 * error line (the session is unchanged then). */
int precis_chat_load(precis_chat *chat, const char *source, bool as_new);

/* Closes page i (0-based); the current page stays current when it remains. */
void precis_chat_close_page(precis_chat *chat, size_t i);

/* Makes sure chat->index holds the sections of every open page. */
void precis_chat_reindex(precis_chat *chat);

/* Appends the prompt's label ("gc-guide> ", "precis> ") to out. */
void precis_chat_prompt(const precis_chat *chat, precis_buf *out);

/* A short name for a page: the last path segment of its URL without extension, else
 * its host, else its title; sanitised, at most 40 bytes. Appended to out. */
void precis_chat_page_name(const precis_chat_visit *v, precis_buf *out);

/* Records a failure with exit code rc and prints "precis: MESSAGE" on stderr. */
void precis_chat_fail(precis_chat *chat, int rc, const char *fmt, ...) PRECIS_PRINTF(3, 4);

/* Writes Markdown text (from a page or a model: sanitised) to stdout, rendered on a
 * colour terminal. */
void precis_chat_print(precis_chat *chat, const char *md, size_t n);

/* Writes text sanitised but not rendered (outlines, link lists, titles) to stdout. */
void precis_chat_print_text(precis_chat *chat, const char *s, size_t n);

/* Like precis_chat_print, but through $PAGER when stdout is a terminal and the text is
 * longer than the screen. */
void precis_chat_print_paged(precis_chat *chat, const char *md, size_t n);

/* Sets chat->sources (taking over s[0..n)), freeing the previous ones. */
void precis_chat_set_sources(precis_chat *chat, precis_chat_source *s, size_t n);

/* --- commands (chat_cmds.c) --- */

/* Runs one entered line: a /command, or a question. Sets chat->last_failure on a
 * failure and chat->quit on /quit. */
void precis_chat_run_line(precis_chat *chat, const char *line);

/* The command names ("open", "toc", ...) for completion; *n receives the count. */
const char *const *precis_chat_command_names(size_t *n);

/* Appends the best "did you mean" command for an unknown name to out; false if none. */
bool precis_chat_suggest(const char *name, precis_buf *out);

/* The commands, in their files. Each takes the argument text (trimmed, maybe ""). */
void precis_chat_cmd_open(precis_chat *chat, const char *arg);
void precis_chat_cmd_toc(precis_chat *chat, const char *arg);
void precis_chat_cmd_read(precis_chat *chat, const char *arg);
void precis_chat_cmd_links(precis_chat *chat, const char *arg);
void precis_chat_cmd_follow(precis_chat *chat, const char *arg);
void precis_chat_cmd_back(precis_chat *chat, const char *arg);
void precis_chat_cmd_forward(precis_chat *chat, const char *arg);
void precis_chat_cmd_pages(precis_chat *chat, const char *arg);
void precis_chat_cmd_close(precis_chat *chat, const char *arg);
void precis_chat_cmd_search(precis_chat *chat, const char *arg);
void precis_chat_cmd_summary(precis_chat *chat, const char *arg);
void precis_chat_cmd_sources(precis_chat *chat, const char *arg);
void precis_chat_cmd_model(precis_chat *chat, const char *arg);
void precis_chat_cmd_prompt(precis_chat *chat, const char *arg);
void precis_chat_cmd_lang(precis_chat *chat, const char *arg);
void precis_chat_cmd_save(precis_chat *chat, const char *arg);
void precis_chat_cmd_clear(precis_chat *chat, const char *arg);

/* --- questions (chat_ask.c) --- */

/* Answers question from the open pages (or the site): streamed from the model, or the
 * offline passages; prints the sources and records the turn. */
void precis_chat_ask(precis_chat *chat, const char *question);

/* Lists the endpoint's model names once (cached in chat->models); false if unavailable. */
bool precis_chat_list_models(precis_chat *chat);

/* --- the terminal (chat_loop.c, chat_complete.c, chat_edit.c) --- */

/* Runs the REPL on readline until /quit or Ctrl-D; returns the exit code. */
int precis_chat_loop_tty(precis_chat *chat);

/* Reads stdin one line at a time (no prompt) until EOF; returns the exit code. */
int precis_chat_loop_script(precis_chat *chat);

/* Installs Tab completion for the session's commands and arguments (NULL: removes it
 * and frees what it kept). */
void precis_chat_complete_install(precis_chat *chat);

/* Opens $VISUAL / $EDITOR on a temporary file; on success *text is what was written
 * (a new string the caller frees; trailing newlines removed). Returns false, printing
 * why, when the editor failed or nothing was written. */
bool precis_chat_edit(precis_chat *chat, char **text);

/* Set by the SIGWINCH handler; the REPL re-reads the screen size and clears it. */
extern volatile sig_atomic_t precis_chat_winch;

#endif
