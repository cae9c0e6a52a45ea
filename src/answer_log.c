/* The answer log: opening (WAL, a short busy timeout, schema check and migration),
 * appending one answer, and the one-call recorder the front-ends use. */
#include "precis/answer_log.h"
#include "precis/datadir.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "answer_log_internal.h"

#define BUSY_TIMEOUT_MS 2000

/* Version 0 is a log without a meta table: just an `answers` table holding some of
 * the columns below. Migrating to 1 adds whatever is missing, the FTS index over
 * question and answer (rebuilt from the rows), its triggers, and the version. */
static const struct {
    const char *name, *type;
} columns[] = {
    {"time", "INTEGER NOT NULL DEFAULT 0"},
    {"command", "TEXT NOT NULL DEFAULT ''"},
    {"sources", "TEXT"},
    {"title", "TEXT"},
    {"prompt", "TEXT"},
    {"question", "TEXT"},
    {"model", "TEXT"},
    {"profile", "TEXT"},
    {"endpoint", "TEXT"},
    {"answer", "TEXT NOT NULL DEFAULT ''"},
    {"partial", "INTEGER NOT NULL DEFAULT 0"},
    {"finish_reason", "TEXT"},
    {"error", "TEXT"},
    {"prompt_tokens", "INTEGER"},
    {"completion_tokens", "INTEGER"},
    {"first_token_s", "REAL"},
    {"total_s", "REAL"},
    {"exit_status", "INTEGER"},
};

static const char schema_v1_tail[] =
    "CREATE INDEX IF NOT EXISTS answers_time ON answers(time);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS answers_fts USING fts5("
    "  question, answer, content = 'answers', content_rowid = 'id');"
    "CREATE TRIGGER IF NOT EXISTS answers_ai AFTER INSERT ON answers BEGIN"
    "  INSERT INTO answers_fts(rowid, question, answer) VALUES(new.id, new.question, new.answer);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS answers_ad AFTER DELETE ON answers BEGIN"
    "  INSERT INTO answers_fts(answers_fts, rowid, question, answer)"
    "    VALUES('delete', old.id, old.question, old.answer);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS answers_au AFTER UPDATE ON answers BEGIN"
    "  INSERT INTO answers_fts(answers_fts, rowid, question, answer)"
    "    VALUES('delete', old.id, old.question, old.answer);"
    "  INSERT INTO answers_fts(rowid, question, answer) VALUES(new.id, new.question, new.answer);"
    " END;"
    "INSERT INTO answers_fts(answers_fts) VALUES('rebuild');"
    "INSERT OR REPLACE INTO meta(key, value) VALUES('schema', '1');";

char *precis_answer_log_default_path(void)
{
    return precis_data_file("PRECIS_LOG", "log.db");
}

bool precis_answer_log_wanted(const precis_config *cfg, bool no_log)
{
    return !no_log && (!cfg || precis_config_log(cfg));
}

precis_result precis_log_db_error(precis_answer_log *log, precis_error *err, const char *what)
{
    int code = sqlite3_errcode(log->db);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return precis_error_set(err, PRECIS_ERR_IO,
                                "answer log %s: the database stayed busy for %d s (another "
                                "precis is writing it)",
                                log->path, BUSY_TIMEOUT_MS / 1000);
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return precis_error_set(err, PRECIS_ERR_IO,
                                "answer log %s: not a usable SQLite database (%s); move it away",
                                log->path, sqlite3_errmsg(log->db));
    return precis_error_set(err, PRECIS_ERR_IO, "answer log %s: %s: %s", log->path, what,
                            sqlite3_errmsg(log->db));
}

bool precis_log_exec(precis_answer_log *log, const char *sql)
{
    return sqlite3_exec(log->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}


/* Reads the schema version into *version: 0 when there is no meta table or no row. */
static bool read_version(precis_answer_log *log, long *version)
{
    *version = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(log->db,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name = 'meta'",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    bool has_meta = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    int rc = sqlite3_errcode(log->db);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        return false;
    if (!has_meta)
        return true;
    if (sqlite3_prepare_v2(log->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &st,
                           NULL) != SQLITE_OK)
        return false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        char *end = NULL;
        long n = v ? strtol(v, &end, 10) : 0;
        *version = end && end != v && n > 0 ? n : 0;
    }
    sqlite3_finalize(st);
    return true;
}

/* True if the answers table has column name. */
static bool has_column(precis_answer_log *log, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(log->db, "SELECT name FROM pragma_table_info('answers')", -1, &st,
                           NULL) != SQLITE_OK)
        return false;
    while (!found && sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        found = c && strcmp(c, name) == 0;
    }
    sqlite3_finalize(st);
    return found;
}

/* Version 0 (or nothing) to 1, inside the caller's write transaction. */
static bool migrate_0_to_1(precis_answer_log *log)
{
    if (!precis_log_exec(log, "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, "
                       "value TEXT NOT NULL);"
                       "CREATE TABLE IF NOT EXISTS answers(id INTEGER PRIMARY KEY);"))
        return false;
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        if (has_column(log, columns[i].name))
            continue;
        precis_buf sql;
        precis_buf_init(&sql, 0);
        precis_buf_printf(&sql, "ALTER TABLE answers ADD COLUMN %s %s", columns[i].name,
                          columns[i].type);
        bool ok = precis_log_exec(log, sql.ptr);
        precis_buf_release(&sql);
        if (!ok)
            return false;
    }
    return precis_log_exec(log, schema_v1_tail);
}

/* Brings the schema to PRECIS_ANSWER_LOG_SCHEMA, or refuses a newer one. */
static precis_result check_schema(precis_answer_log *log, precis_error *err)
{
    long version;
    if (!read_version(log, &version))
        return precis_log_db_error(log, err, "reading the schema version");
    if (version == PRECIS_ANSWER_LOG_SCHEMA)
        return PRECIS_OK;
    if (version > PRECIS_ANSWER_LOG_SCHEMA)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "answer log %s was written by a newer precis (schema %ld, this "
                                "one knows %d); upgrade precis or move the file away",
                                log->path, version, PRECIS_ANSWER_LOG_SCHEMA);
    if (!precis_log_exec(log, "BEGIN IMMEDIATE"))
        return precis_log_db_error(log, err, "starting the schema update");
    /* Another precis may have migrated it while this one waited for the lock. */
    precis_result r = PRECIS_OK;
    if (!read_version(log, &version))
        r = precis_log_db_error(log, err, "reading the schema version");
    else if (version < 1 && !migrate_0_to_1(log))
        r = precis_log_db_error(log, err, "updating the schema");
    if (r == PRECIS_OK && !precis_log_exec(log, "COMMIT"))
        r = precis_log_db_error(log, err, "saving the schema update");
    if (r != PRECIS_OK)
        precis_log_exec(log, "ROLLBACK");
    return r;
}

precis_result precis_answer_log_open(const char *path, bool create, precis_answer_log **out,
                                     precis_error *err)
{
    *out = NULL;
    precis_answer_log *log = precis_xcalloc(1, sizeof *log);
    log->path = path ? precis_xstrdup(path) : precis_answer_log_default_path();
    precis_result r = PRECIS_OK;
    struct stat sb;
    if (!create && stat(log->path, &sb) != 0) {
        r = precis_error_set(err, PRECIS_ERR_NO_CONTENT, "no answers logged yet (%s does not "
                                                         "exist)",
                             log->path);
        goto fail;
    }
    if (create && !precis_make_parent_dirs(log->path)) {
        r = precis_error_set(err, PRECIS_ERR_IO, "answer log %s: cannot create its directory: %s",
                             log->path, strerror(errno));
        goto fail;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(log->path, &log->db, flags, NULL) != SQLITE_OK) {
        r = precis_log_db_error(log, err, "cannot open");
        goto fail;
    }
    sqlite3_extended_result_codes(log->db, 0);
    sqlite3_busy_timeout(log->db, BUSY_TIMEOUT_MS);
    if (!precis_log_exec(log, "PRAGMA journal_mode=WAL") || !precis_log_exec(log, "PRAGMA synchronous=NORMAL")) {
        r = precis_log_db_error(log, err, "cannot use the database");
        goto fail;
    }
    if ((r = check_schema(log, err)) != PRECIS_OK)
        goto fail;
    *out = log;
    return PRECIS_OK;
fail:
    precis_answer_log_close(log);
    return r;
}

void precis_answer_log_close(precis_answer_log *log)
{
    if (!log)
        return;
    if (log->db)
        sqlite3_close(log->db);
    free(log->path);
    free(log);
}

const char *precis_answer_log_path(const precis_answer_log *log)
{
    return log->path;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_count(sqlite3_stmt *st, int i, long n)
{
    if (n >= 0)
        sqlite3_bind_int64(st, i, n);
    else
        sqlite3_bind_null(st, i);
}

static void bind_seconds(sqlite3_stmt *st, int i, double s)
{
    if (s >= 0)
        sqlite3_bind_double(st, i, s);
    else
        sqlite3_bind_null(st, i);
}

precis_result precis_answer_log_append(precis_answer_log *log, const precis_log_entry *e,
                                       time_t now, precis_error *err)
{
    static const char sql[] =
        "INSERT INTO answers(time, command, sources, title, prompt, question, model, profile,"
        " endpoint, answer, partial, finish_reason, error, prompt_tokens, completion_tokens,"
        " first_token_s, total_s, exit_status)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(log->db, sql, -1, &st, NULL) != SQLITE_OK)
        return precis_log_db_error(log, err, "cannot write");
    precis_buf host;
    precis_buf_init(&host, 0);
    if (e->endpoint)
        precis_log_endpoint_host(e->endpoint, &host);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
    sqlite3_bind_text(st, 2, e->command ? e->command : "", -1, SQLITE_TRANSIENT);
    bind_text(st, 3, e->sources);
    bind_text(st, 4, e->title);
    bind_text(st, 5, e->prompt);
    bind_text(st, 6, e->question);
    bind_text(st, 7, e->model);
    bind_text(st, 8, e->profile);
    bind_text(st, 9, host.len ? host.ptr : NULL);
    sqlite3_bind_text(st, 10, e->answer ? e->answer : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 11, e->partial ? 1 : 0);
    bind_text(st, 12, e->finish_reason);
    bind_text(st, 13, e->error);
    bind_count(st, 14, e->prompt_tokens);
    bind_count(st, 15, e->completion_tokens);
    bind_seconds(st, 16, e->first_token_s);
    bind_seconds(st, 17, e->total_s);
    sqlite3_bind_int(st, 18, e->exit_status);
    precis_buf_release(&host);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return precis_log_db_error(log, err, "cannot write");
    return PRECIS_OK;
}

bool precis_answer_log_record_at(const char *path, const precis_log_entry *e)
{
    precis_answer_log *log = NULL;
    precis_error err;
    precis_error_clear(&err);
    bool ok = precis_answer_log_open(path, true, &log, &err) == PRECIS_OK &&
              precis_answer_log_append(log, e, time(NULL), &err) == PRECIS_OK;
    precis_answer_log_close(log);
    if (!ok) {
        precis_error_oneline(&err);
        precis_warn("%s; this answer was not logged (--no-log or 'log = false' in the config "
                    "turns the log off)",
                    err.msg);
    }
    return ok;
}

bool precis_answer_log_record(const precis_log_entry *e)
{
    return precis_answer_log_record_at(NULL, e);
}

void precis_log_entry_init(precis_log_entry *e, const char *command, const precis_config *cfg)
{
    memset(e, 0, sizeof *e);
    e->command = command;
    e->prompt_tokens = -1;
    e->completion_tokens = -1;
    e->first_token_s = -1;
    e->total_s = -1;
    if (cfg) {
        e->profile = precis_config_profile(cfg);
        e->endpoint = precis_config_base_url(cfg);
        e->model = precis_config_model(cfg);
    }
}

void precis_log_entry_set_result(precis_log_entry *e, const precis_llm_result *res,
                                 const precis_answer_stats *st)
{
    e->answer = res->text.len ? res->text.ptr : "";
    e->partial = res->code != PRECIS_OK || res->truncated;
    e->finish_reason = res->finish_reason;
    e->error = res->code != PRECIS_OK ? precis_llm_class_name(res->cls) : NULL;
    if (res->model)
        e->model = res->model;
    if (st && (st->prompt_tokens > 0 || st->completion_tokens > 0)) {
        e->prompt_tokens = st->prompt_tokens;
        e->completion_tokens = st->completion_tokens;
    } else if (res->has_usage) {
        e->prompt_tokens = res->prompt_tokens;
        e->completion_tokens = res->completion_tokens;
    }
    e->first_token_s = res->ttft_s > 0 ? res->ttft_s : -1;
    e->total_s = res->total_s > 0 ? res->total_s : -1;
}

int precis_log_exit_status(const precis_llm_result *res)
{
    if (res->code == PRECIS_ERR_CANCELLED)
        return 130;
    if (res->code != PRECIS_OK)
        return precis_exit_code(res->code);
    return res->truncated ? precis_exit_code(PRECIS_ERR_API) : 0;
}

void precis_log_endpoint_host(const char *url, precis_buf *out)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t end = strcspn(p, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < end; i++)
        if (p[i] == '@')
            at = p + i;
    size_t start = at ? (size_t)(at - p) + 1 : 0;
    for (size_t i = start; i < end; i++) {
        char c = p[i];
        if ((unsigned char)c < 0x20 || c == 0x7f)
            continue;
        char lower = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        precis_buf_append(out, &lower, 1);
    }
}

void precis_log_url(const char *url, precis_buf *out)
{
    const char *p = strstr(url, "://");
    const char *host = p ? p + 3 : url;
    size_t end = strcspn(host, "/?#");
    const char *at = NULL;
    for (size_t i = 0; p && i < end; i++)
        if (host[i] == '@')
            at = host + i;
    if (!at) {
        precis_buf_puts(out, url);
        return;
    }
    precis_buf_append(out, url, (size_t)(host - url));
    precis_buf_puts(out, at + 1);
}

void precis_log_docs(precis_doc *const *docs, size_t n, precis_buf *sources,
                     precis_buf *titles)
{
    for (size_t i = 0; i < n; i++) {
        const precis_doc *d = docs[i];
        if (!d)
            continue;
        if (d->meta.url) {
            if (sources->len)
                precis_buf_puts(sources, "\n");
            precis_log_url(d->meta.url, sources);
        }
        if (d->meta.title) {
            if (titles->len)
                precis_buf_puts(titles, " | ");
            precis_buf_puts(titles, d->meta.title);
        }
    }
}
