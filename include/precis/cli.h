/* The command line: option table, parsed options, and the commands. */
#ifndef PRECIS_CLI_H
#define PRECIS_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/doc.h"
#include "precis/extract.h"
#include "precis/fetch.h"
#include "precis/render.h"
#include "precis/term.h"

/* Everything the command line can set. Strings point into argv (not owned). */
typedef struct precis_cli {
    const char *command;     /* "summarize" (default), "extract", ... */
    const char **sources;    /* positional URL|FILE|- arguments (owned array) */
    size_t n_sources;
    precis_format format;
    bool links;
    bool help;
    bool version;
    bool offline;
    const char *length;      /* short|medium|long, NULL = default */
    const char *question;    /* -q (ask) */
    const char *prompt;      /* -p NAME|FILE */
    const char *model;       /* -m */
    const char *profile;     /* --profile */
    const char *base_url;    /* --base-url */
    const char *lang;        /* --lang */
    const char *jobs;        /* --jobs N (validated) */
    const char *color;       /* --color auto|always|never */
    bool no_stream;
    bool json;
    bool verbose;
    bool reasoning;
    const char *site;        /* --site SITE (ask, search, chat) */
    const char *prefix;      /* --prefix PATH (index) */
    const char *remove;      /* --remove SITE (sites) */
    long depth;              /* --depth N (index); -1 = default */
    long max_pages;          /* --max-pages N (index); -1 = default */
    long results;            /* -n, --results K (search); -1 = default */
    bool ignore_robots;      /* --ignore-robots (index) */
    bool no_log;             /* --no-log: do not record answers in the log */
    bool clear;              /* --clear (log) */
    const char *show;        /* --show ID (log) */
    const char *since;       /* --since DATE (log) */
    bool idle_set;           /* --idle-timeout given: applies to the model too */
    bool max_time_set;       /* --max-time given: applies to the model too */
    precis_fetch_opts fetch;
    precis_extract_opts extract;
} precis_cli;

/* What an option's value is, so completions can offer candidates. */
typedef enum precis_value_kind {
    PRECIS_VALUE_NONE,    /* a flag: takes no value */
    PRECIS_VALUE_TEXT,    /* free text: nothing to offer */
    PRECIS_VALUE_NUMBER,  /* a count, seconds or a size */
    PRECIS_VALUE_URL,     /* a URL */
    PRECIS_VALUE_PATH,    /* a URL path (index --prefix) */
    PRECIS_VALUE_CHOICE,  /* one of the option's choices */
    PRECIS_VALUE_PROFILE, /* a profile of the config file */
    PRECIS_VALUE_PROMPT,  /* a prompt template name, or a file */
    PRECIS_VALUE_MODEL,   /* a model name, as `precis models` last listed them */
    PRECIS_VALUE_SITE     /* an indexed site */
} precis_value_kind;

/* One row of the option table the parser uses, as completions and docs see it.
 * Strings are static. */
typedef struct precis_option_info {
    const char *name;        /* long name without "--" */
    char short_name;         /* 0 if none */
    precis_value_kind value; /* PRECIS_VALUE_NONE: a flag */
    const char *choices;     /* PRECIS_VALUE_CHOICE: "markdown text json"; else NULL */
    const char *commands;    /* space-separated commands it applies to; NULL: every one */
    const char *summary;     /* a few words for completion menus */
} precis_option_info;

/* Copies row i of the option table (sorted by long name) to *out; false past the end. */
bool precis_cli_option_at(size_t i, precis_option_info *out);

/* Returns command i of the sorted command table, or NULL past the end. */
const char *precis_cli_command_at(size_t i);

/* Returns true if option o applies to command (a name from the command table). */
bool precis_cli_option_applies(const precis_option_info *o, const char *command);

/* Set by the SIGINT handler precis_cli_main installs; every transfer checks it. */
extern volatile sig_atomic_t precis_interrupted;

/* Parses argv into cli (initialised to defaults first). Returns PRECIS_OK, or
 * PRECIS_ERR_USAGE with err set to a one-line message. Release with
 * precis_cli_release. */
precis_result precis_cli_parse(int argc, char **argv, precis_cli *cli, precis_error *err);

/* Frees what precis_cli_parse allocated. */
void precis_cli_release(precis_cli *cli);

/* Runs the tool; returns the process exit code. */
int precis_cli_main(int argc, char **argv);

/* `precis extract`: prints the readable content of each source; returns an exit code. */
int precis_cmd_extract(const precis_cli *cli);

/* `precis [summarize] SOURCE`: prints a summary of each source; returns an exit code. */
int precis_cmd_summarize(const precis_cli *cli);

/* `precis ask SOURCE... -q QUESTION`: answers from the page(s); returns an exit code. */
int precis_cmd_ask(const precis_cli *cli);

/* `precis ask --site SITE -q QUESTION`: answers from the doc index; returns an exit code. */
int precis_cmd_ask_site(const precis_cli *cli);

/* `precis prompts`: lists prompt templates; returns an exit code. */
int precis_cmd_prompts(const precis_cli *cli);

/* `precis models`: lists the endpoint's models; returns an exit code. */
int precis_cmd_models(const precis_cli *cli);

/* `precis config`: prints the effective settings and their origins; returns an exit code. */
int precis_cmd_config(const precis_cli *cli);

/* `precis index URL`: crawls a docs site into the index; returns an exit code. */
int precis_cmd_index(const precis_cli *cli);

/* `precis sites`: lists (or removes) indexed sites; returns an exit code. */
int precis_cmd_sites(const precis_cli *cli);

/* `precis search QUERY...`: prints the best sections; returns an exit code. */
int precis_cmd_search(const precis_cli *cli);

/* `precis serve`: the editor protocol on stdin/stdout; returns an exit code. */
int precis_cmd_serve(const precis_cli *cli);

/* `precis chat [URL|FILE|-]...`: the interactive doc Q&A REPL; returns an exit code. */
int precis_cmd_chat(const precis_cli *cli);

/* `precis log`: lists, searches, shows or clears the logged answers; returns an exit code. */
int precis_cmd_log(const precis_cli *cli);

/* `precis doctor`: checks the setup, one line each; returns 0 if nothing failed, else 1. */
int precis_cmd_doctor(const precis_cli *cli);

/* `precis completions bash|zsh|fish`: prints the shell's completion script;
 * `precis completions list KIND` prints candidates one a line. Returns an exit code. */
int precis_cmd_completions(const precis_cli *cli);

/* Renders one loaded page (index i of the sources) into out. A failure code is
 * reported by the caller loop as an exit code; fn prints its own message. */
typedef precis_result (*precis_page_fn)(void *ctx, const precis_cli *cli, size_t i,
                                        const precis_doc *doc, precis_buf *out);

/* Loads each source in turn (printing a failure as one line and going on), renders it
 * with fn and writes the result to stdout. Returns the exit code of the first
 * failure, 0 if none. */
int precis_cli_each_page(const precis_cli *cli, precis_page_fn fn, void *ctx);

/* Loads source into *doc, printing a failure as one "precis: ..." line (after clearing
 * status, which may be NULL). Returns 0 or the failure's exit code. */
int precis_cli_load_page(const precis_cli *cli, const char *source, precis_status *status,
                         precis_doc **doc);

/* Writes n bytes to stdout, flushing; returns false if stdout is gone. */
bool precis_write_stdout(const char *s, size_t n);

#endif
