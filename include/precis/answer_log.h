/* The answer log: every answer (summary, ask, ask --site, chat, serve) appended to one
 * SQLite file when it ends, listed, searched (FTS5 over question and answer), shown and
 * cleared by `precis log`. Writing it never fails an answer: a problem is one warning.
 *
 * File: $PRECIS_LOG, else $XDG_DATA_HOME/precis/log.db, else
 * ~/.local/share/precis/log.db. Never stored: the API key, request headers, the
 * endpoint's full URL (only its host and port). */
#ifndef PRECIS_ANSWER_LOG_H
#define PRECIS_ANSWER_LOG_H

#include <stdbool.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "precis/answer.h"
#include "precis/buf.h"
#include "precis/config.h"
#include "precis/doc.h"
#include "precis/error.h"
#include "precis/llm.h"

/* The schema this code writes; a newer file is left alone. */
#define PRECIS_ANSWER_LOG_SCHEMA 1

/* One answer to record. Every string is borrowed (NULL: unknown). */
typedef struct precis_log_entry {
    const char *command;       /* "summarize", "ask", "ask-site", "chat", "serve" */
    const char *sources;       /* the source URL(s) or paths, one a line */
    const char *title;
    const char *prompt;        /* the template's name */
    const char *question;
    const char *model;         /* "offline" for the offline summarizer */
    const char *profile;
    const char *endpoint;      /* the base URL: only its host[:port] is stored */
    const char *answer;        /* the text as far as it got */
    bool partial;              /* the answer was cut short (error, limit, interrupt) */
    const char *finish_reason;
    const char *error;         /* a short error class ("rate_limit"), never a message */
    long prompt_tokens;        /* -1: not reported */
    long completion_tokens;    /* -1: not reported */
    double first_token_s;      /* < 0: unknown */
    double total_s;            /* < 0: unknown */
    int exit_status;           /* the command's exit code (serve, chat: the equivalent) */
} precis_log_entry;

/* An open log (a SQLite connection). */
typedef struct precis_answer_log precis_answer_log;

/* Returns the log's path ($PRECIS_LOG or the default); the caller frees it. */
char *precis_answer_log_default_path(void);

/* Returns true if answers should be logged: not no_log and the config's `log` is on. */
bool precis_answer_log_wanted(const precis_config *cfg, bool no_log);

/* Sets e to an empty entry for command, taking profile, endpoint and model from cfg
 * (which may be NULL); numbers unknown (-1). Allocates nothing. */
void precis_log_entry_init(precis_log_entry *e, const char *command, const precis_config *cfg);

/* Fills e's answer, partial flag, finish reason, error class, usage, timings and (when
 * the server named one) model from a finished answer; st may be NULL. Borrows res. */
void precis_log_entry_set_result(precis_log_entry *e, const precis_llm_result *res,
                                 const precis_answer_stats *st);

/* The exit code a command reports for a finished answer: 0, 4 (failed or cut at the
 * token limit) or 130 (cancelled). */
int precis_log_exit_status(const precis_llm_result *res);

/* Appends e to the log at $PRECIS_LOG or the default path. Never fails the caller: a
 * busy (2 s), read-only, corrupt or newer database prints one "precis: answer log ..."
 * warning on stderr and returns false. */
bool precis_answer_log_record(const precis_log_entry *e);

/* Like precis_answer_log_record, at path (NULL: the default). */
bool precis_answer_log_record_at(const char *path, const precis_log_entry *e);

/* Opens the log at path (NULL: the default), creating it and its directory when create
 * is true, and migrating an older schema. Without create, a missing file is
 * PRECIS_ERR_NO_CONTENT. On success *out is for precis_answer_log_close. */
precis_result precis_answer_log_open(const char *path, bool create, precis_answer_log **out,
                                     precis_error *err);

/* Closes log. NULL-safe. */
void precis_answer_log_close(precis_answer_log *log);

/* Returns the path log was opened at (owned by log). */
const char *precis_answer_log_path(const precis_answer_log *log);

/* Appends e at time now; PRECIS_ERR_IO (busy, read-only, ...) with err set. */
precis_result precis_answer_log_append(precis_answer_log *log, const precis_log_entry *e,
                                       time_t now, precis_error *err);

/* What `precis log` lists. */
typedef struct precis_log_query {
    long limit;          /* at most this many, newest first (<= 0: 20) */
    time_t since;        /* only answers at or after this time (0: all) */
    const char *search;  /* words that must all occur in question or answer, or NULL */
} precis_log_query;

/* Lists entries matching q into *out: a new cJSON array of objects (id, time, date,
 * command, sources[], title, prompt, question, model, profile, endpoint, answer,
 * partial, finish_reason, error, usage{}, timings{}, exit_status), newest first. The
 * caller frees it with cJSON_Delete. */
precis_result precis_answer_log_list(precis_answer_log *log, const precis_log_query *q,
                                     cJSON **out, precis_error *err);

/* Sets *out to entry id as precis_answer_log_list shapes it (caller cJSON_Deletes it),
 * or NULL when there is no such entry. */
precis_result precis_answer_log_get(precis_answer_log *log, long long id, cJSON **out,
                                    precis_error *err);

/* Returns the number of entries (-1 on an error). */
long long precis_answer_log_count(precis_answer_log *log);

/* Deletes every entry and compacts the file so that no answer text stays on disk. */
precis_result precis_answer_log_clear(precis_answer_log *log, precis_error *err);

/* Parses a --since DATE: YYYY-MM-DD (local midnight), YYYY-MM-DDTHH:MM (local time,
 * also with a space), or a relative age Nd, Nh, Nm (days, hours, minutes before now).
 * Returns false for anything else. */
bool precis_log_parse_since(const char *s, time_t now, time_t *out);

/* Appends the sources of docs[0..n) to sources (their URLs or paths, one a line, any
 * user:password@ removed) and their titles to titles (joined with " | "). */
void precis_log_docs(precis_doc *const *docs, size_t n, precis_buf *sources,
                     precis_buf *titles);

/* Appends url to out without a user:password@ part. */
void precis_log_url(const char *url, precis_buf *out);

/* Appends the host[:port] of url to out, without scheme, user, password, path or
 * query ("https://u:p@api.example.com:8443/v1?k=x" -> "api.example.com:8443"). */
void precis_log_endpoint_host(const char *url, precis_buf *out);

#endif
