/* Reading the answer log: list (newest first, since a date, full-text search), one
 * entry, count, clear, and the --since DATE parser. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "answer_log_internal.h"

#define DEFAULT_LIMIT 20

static const char select_columns[] =
    "SELECT a.id, a.time, a.command, a.sources, a.title, a.prompt, a.question, a.model,"
    " a.profile, a.endpoint, a.answer, a.partial, a.finish_reason, a.error, a.prompt_tokens,"
    " a.completion_tokens, a.first_token_s, a.total_s, a.exit_status FROM answers a";

static void add_text(cJSON *o, const char *k, sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    if (t)
        cJSON_AddStringToObject(o, k, t);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_number(cJSON *o, const char *k, sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        cJSON_AddNullToObject(o, k);
    else
        cJSON_AddNumberToObject(o, k, sqlite3_column_double(st, i));
}

/* One row of select_columns as a JSON object. */
static cJSON *row_json(sqlite3_stmt *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    time_t t = (time_t)sqlite3_column_int64(st, 1);
    cJSON_AddNumberToObject(o, "time", (double)t);
    struct tm tm;
    char date[40] = "";
    if (localtime_r(&t, &tm))
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", &tm);
    cJSON_AddStringToObject(o, "date", date);
    add_text(o, "command", st, 2);
    cJSON *sources = cJSON_AddArrayToObject(o, "sources");
    const char *s = (const char *)sqlite3_column_text(st, 3);
    while (s && *s) {
        size_t n = strcspn(s, "\n");
        char *one = precis_xstrndup(s, n);
        cJSON_AddItemToArray(sources, cJSON_CreateString(one));
        free(one);
        s += n;
        if (*s == '\n')
            s++;
    }
    add_text(o, "title", st, 4);
    add_text(o, "prompt", st, 5);
    add_text(o, "question", st, 6);
    add_text(o, "model", st, 7);
    add_text(o, "profile", st, 8);
    add_text(o, "endpoint", st, 9);
    add_text(o, "answer", st, 10);
    cJSON_AddBoolToObject(o, "partial", sqlite3_column_int(st, 11) != 0);
    add_text(o, "finish_reason", st, 12);
    add_text(o, "error", st, 13);
    cJSON *u = cJSON_AddObjectToObject(o, "usage");
    add_number(u, "prompt_tokens", st, 14);
    add_number(u, "completion_tokens", st, 15);
    cJSON *tm_o = cJSON_AddObjectToObject(o, "timings");
    add_number(tm_o, "first_token_s", st, 16);
    add_number(tm_o, "total_s", st, 17);
    add_number(o, "exit_status", st, 18);
    return o;
}

/* True if a word holds something the tokenizer keeps (a letter, digit or non-ASCII). */
static bool has_token(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)w[i]) || (unsigned char)w[i] >= 0x80)
            return true;
    return false;
}

/* Appends an FTS5 query that needs every word of text (each a quoted phrase); returns
 * the number of words. */
static size_t match_all(const char *text, precis_buf *out)
{
    size_t terms = 0;
    const char *p = text;
    while (*p && terms < 32) {
        while (*p && isspace((unsigned char)*p))
            p++;
        size_t n = 0;
        while (p[n] && !isspace((unsigned char)p[n]))
            n++;
        if (n && has_token(p, n)) {
            precis_buf_puts(out, terms ? " \"" : "\"");
            for (size_t i = 0; i < n; i++)
                precis_buf_append(out, p[i] == '"' ? "\"\"" : &p[i], p[i] == '"' ? 2 : 1);
            precis_buf_puts(out, "\"");
            terms++;
        }
        p += n;
    }
    return terms;
}

precis_result precis_answer_log_list(precis_answer_log *log, const precis_log_query *q,
                                     cJSON **out, precis_error *err)
{
    *out = NULL;
    precis_buf sql, match;
    precis_buf_init(&sql, 0);
    precis_buf_init(&match, 0);
    precis_buf_puts(&sql, select_columns);
    precis_buf_puts(&sql, " WHERE a.time >= ?1");
    bool searching = q->search && *q->search;
    if (searching) {
        if (match_all(q->search, &match) == 0) {
            precis_buf_release(&sql);
            precis_buf_release(&match);
            *out = cJSON_CreateArray(); /* no word to look for: nothing matches */
            return PRECIS_OK;
        }
        precis_buf_puts(&sql, " AND a.id IN (SELECT rowid FROM answers_fts WHERE "
                              "answers_fts MATCH ?3)");
    }
    precis_buf_puts(&sql, " ORDER BY a.time DESC, a.id DESC LIMIT ?2");
    sqlite3_stmt *st = NULL;
    precis_result r = PRECIS_OK;
    if (sqlite3_prepare_v2(log->db, sql.ptr, -1, &st, NULL) != SQLITE_OK) {
        r = precis_log_db_error(log, err, "cannot read");
        goto out;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)q->since);
    sqlite3_bind_int64(st, 2, q->limit > 0 ? q->limit : DEFAULT_LIMIT);
    if (searching)
        sqlite3_bind_text(st, 3, match.ptr, -1, SQLITE_TRANSIENT);
    cJSON *a = cJSON_CreateArray();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        cJSON_AddItemToArray(a, row_json(st));
    if (rc != SQLITE_DONE) {
        cJSON_Delete(a);
        r = precis_log_db_error(log, err, "cannot read");
        goto out;
    }
    *out = a;
out:
    sqlite3_finalize(st);
    precis_buf_release(&sql);
    precis_buf_release(&match);
    return r;
}

precis_result precis_answer_log_get(precis_answer_log *log, long long id, cJSON **out,
                                    precis_error *err)
{
    *out = NULL;
    precis_buf sql;
    precis_buf_init(&sql, 0);
    precis_buf_printf(&sql, "%s WHERE a.id = ?1", select_columns);
    sqlite3_stmt *st = NULL;
    precis_result r = PRECIS_OK;
    if (sqlite3_prepare_v2(log->db, sql.ptr, -1, &st, NULL) != SQLITE_OK) {
        r = precis_log_db_error(log, err, "cannot read");
    } else {
        sqlite3_bind_int64(st, 1, id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *out = row_json(st);
        else if (rc != SQLITE_DONE)
            r = precis_log_db_error(log, err, "cannot read");
    }
    sqlite3_finalize(st);
    precis_buf_release(&sql);
    return r;
}

long long precis_answer_log_count(precis_answer_log *log)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(log->db, "SELECT count(*) FROM answers", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

precis_result precis_answer_log_clear(precis_answer_log *log, precis_error *err)
{
    if (!precis_log_exec(log, "PRAGMA secure_delete=ON") ||
        !precis_log_exec(log, "BEGIN IMMEDIATE; DELETE FROM answers;"
                              " INSERT INTO answers_fts(answers_fts) VALUES('rebuild'); COMMIT")) {
        precis_result r = precis_log_db_error(log, err, "cannot clear");
        precis_log_exec(log, "ROLLBACK");
        return r;
    }
    /* Rewrite the file and empty the WAL, so that no old answer stays on disk. */
    if (!precis_log_exec(log, "VACUUM") ||
        !precis_log_exec(log, "PRAGMA wal_checkpoint(TRUNCATE)"))
        return precis_log_db_error(log, err, "cleared, but cannot compact the file");
    return PRECIS_OK;
}

/* Reads exactly n digits at *p into *v, advancing *p. */
static bool digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return true;
}

bool precis_log_parse_since(const char *s, time_t now, time_t *out)
{
    size_t n = strspn(s, "0123456789");
    if (n > 0 && n <= 6 && s[n] && !s[n + 1] && strchr("dhm", s[n])) {
        long v = strtol(s, NULL, 10);
        long unit = s[n] == 'd' ? 86400 : s[n] == 'h' ? 3600 : 60;
        *out = now - (time_t)(v * unit);
        return true;
    }
    const char *p = s;
    int y, mo, d, h = 0, mi = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return false;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return false;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || y < 1970)
        return false;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != mo - 1)
        return false; /* February 30th and the like */
    *out = t;
    return true;
}
