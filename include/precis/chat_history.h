/* The REPL's input history file: kept across sessions, capped, written as each line is
 * entered. Pure file handling; the readline side lives in chat_loop.c. */
#ifndef PRECIS_CHAT_HISTORY_H
#define PRECIS_CHAT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"

#define PRECIS_CHAT_HISTORY_MAX 1000

/* The entries, oldest first. Every string is owned; release with
 * precis_chat_history_release. */
typedef struct precis_chat_history {
    char *path;    /* the file, or NULL to keep the history in memory only */
    char **lines;
    size_t n, cap;
    size_t max;    /* cap on the entries (and the file's lines) */
    size_t in_file; /* lines the file holds, as far as this process knows */
} precis_chat_history;

/* Appends the history file's path to out: $PRECIS_HISTORY, else
 * $XDG_STATE_HOME/precis/history, else ~/.local/state/precis/history. Returns false
 * (out untouched) when none can be formed (no HOME) or PRECIS_HISTORY is empty. */
bool precis_chat_history_path(precis_buf *out);

/* Initialises h for path (copied; NULL = memory only) with at most max entries. */
void precis_chat_history_init(precis_chat_history *h, const char *path, size_t max);

/* Reads the file, keeping its last max entries; a missing file is an empty history.
 * Returns false when the file exists but cannot be read. */
bool precis_chat_history_load(precis_chat_history *h);

/* Records line (one entry; it may hold newlines) and writes the file now. Returns
 * false, storing nothing, for an empty line, one starting with a space, or a repeat of
 * the newest entry; an older copy of the same line is removed, so each line appears
 * once. *removed_older (may be NULL) tells whether that happened. */
bool precis_chat_history_add(precis_chat_history *h, const char *line, bool *removed_older);

/* Frees every entry and the path. NULL-safe. */
void precis_chat_history_release(precis_chat_history *h);

/* Escapes an entry as one file line ("\\" for a backslash, "\n" for a newline),
 * appended to out; unescape reverses it into out. */
void precis_chat_history_escape(const char *line, precis_buf *out);
void precis_chat_history_unescape(const char *line, size_t len, precis_buf *out);

#endif
