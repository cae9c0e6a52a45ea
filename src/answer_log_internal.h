/* Shared by src/answer_log*.c only: the open log and its error helper. */
#ifndef PRECIS_ANSWER_LOG_INTERNAL_H
#define PRECIS_ANSWER_LOG_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "precis/answer_log.h"

struct precis_answer_log {
    sqlite3 *db;   /* owned */
    char *path;    /* owned */
};

/* Sets err from the connection's last error (busy, not a database, ...) about what;
 * returns PRECIS_ERR_IO. */
precis_result precis_log_db_error(precis_answer_log *log, precis_error *err, const char *what);

/* Runs sql (no results); true on success. */
bool precis_log_exec(precis_answer_log *log, const char *sql);

#endif
