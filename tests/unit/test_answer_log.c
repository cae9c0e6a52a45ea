/* The answer log: endpoint hosts, --since dates, write/list/search/show/clear, the
 * migration from the unversioned layout (schema 0), and every way the database can be
 * unusable (busy, corrupt, from a newer precis, unwritable) ending in one warning. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "precis/answer_log.h"

static char dir[] = "/tmp/precis-log-test-XXXXXX";

static char *path_in(const char *name)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "%s/%s", dir, name);
    return precis_buf_detach(&b);
}

static void host_is(const char *url, const char *want)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_log_endpoint_host(url, &b);
    CHECK_STR(b.ptr ? b.ptr : "", want);
    precis_buf_release(&b);
}

static void test_hosts(void)
{
    host_is("https://api.openai.com/v1", "api.openai.com");
    host_is("http://user:s3cret@LocalHost:11434/v1?key=abc#x", "localhost:11434");
    host_is("https://a@b@host.example/x", "host.example");
    host_is("http://[::1]:8080/v1", "[::1]:8080");
    host_is("host-only", "host-only");
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_log_url("https://me:pw@example.com/a@b?c=d", &b);
    CHECK_STR(b.ptr, "https://example.com/a@b?c=d");
    precis_buf_reset(&b);
    precis_log_url("/tmp/file.html", &b);
    CHECK_STR(b.ptr, "/tmp/file.html");
    precis_buf_release(&b);
}

static void test_since(void)
{
    time_t now = 1700000000, t = 0;
    CHECK(precis_log_parse_since("7d", now, &t) && t == now - 7 * 86400);
    CHECK(precis_log_parse_since("12h", now, &t) && t == now - 12 * 3600);
    CHECK(precis_log_parse_since("30m", now, &t) && t == now - 30 * 60);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 2024 - 1900;
    tm.tm_mon = 2;
    tm.tm_mday = 5;
    tm.tm_isdst = -1;
    time_t midnight = mktime(&tm);
    CHECK(precis_log_parse_since("2024-03-05", now, &t) && t == midnight);
    CHECK(precis_log_parse_since("2024-03-05T10:30", now, &t) && t == midnight + 37800);
    CHECK(precis_log_parse_since("2024-03-05 10:30", now, &t) && t == midnight + 37800);
    const char *bad[] = {"", "7", "d", "7w", "7dd", "-7d", "2024-3-05", "2024-13-01",
                         "2024-02-30", "2024-03-05T25:00", "2024-03-05T10", "2024-03-05x",
                         "yesterday", "1234567d"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool ok = precis_log_parse_since(bad[i], now, &t);
        CHECK(!ok);
        if (ok)
            fprintf(stderr, "  accepted '%s'\n", bad[i]);
    }
}

static void entry(precis_log_entry *e, const char *question, const char *answer)
{
    precis_log_entry_init(e, "ask", NULL);
    e->sources = "https://example.com/a\n/tmp/b.html";
    e->title = "A | B";
    e->prompt = "ask";
    e->question = question;
    e->model = "ok";
    e->profile = "work";
    e->endpoint = "https://user:pw@api.example.com:8443/v1";
    e->answer = answer;
    e->finish_reason = "stop";
    e->prompt_tokens = 12;
    e->completion_tokens = 3;
    e->first_token_s = 0.25;
    e->total_s = 1.5;
}

static cJSON *list(precis_answer_log *log, const char *search, time_t since, long limit)
{
    precis_log_query q = {limit, since, search};
    cJSON *a = NULL;
    precis_error err;
    CHECK(precis_answer_log_list(log, &q, &a, &err) == PRECIS_OK);
    return a;
}

static void test_write_list_show_clear(void)
{
    char *path = path_in("sub/dir/log.db");
    precis_log_entry e;
    entry(&e, "What does a write barrier do?", "It records pointer writes.");
    CHECK(precis_answer_log_record_at(path, &e));
    entry(&e, "How is the heap sized?", "By GOGC, the garbage collector's pacer setting.");
    e.partial = true;
    e.error = "server";
    e.exit_status = 4;
    e.prompt_tokens = -1;
    CHECK(precis_answer_log_record_at(path, &e));

    precis_answer_log *log = NULL;
    precis_error err;
    CHECK(precis_answer_log_open(path, false, &log, &err) == PRECIS_OK);
    if (!log) {
        free(path);
        return;
    }
    CHECK(precis_answer_log_count(log) == 2);
    cJSON *a = list(log, NULL, 0, 0);
    CHECK(cJSON_GetArraySize(a) == 2);
    const cJSON *newest = cJSON_GetArrayItem(a, 0);
    CHECK_STR(cJSON_GetObjectItem(newest, "question")->valuestring, "How is the heap sized?");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(newest, "partial")));
    CHECK_STR(cJSON_GetObjectItem(newest, "endpoint")->valuestring, "api.example.com:8443");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(newest, "usage"), "prompt_tokens")));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(newest, "sources")) == 2);
    CHECK(cJSON_GetObjectItem(newest, "exit_status")->valuedouble == 4);
    double id = cJSON_GetObjectItem(newest, "id")->valuedouble;
    cJSON_Delete(a);

    a = list(log, "barrier", 0, 0);
    CHECK(cJSON_GetArraySize(a) == 1);
    cJSON_Delete(a);
    a = list(log, "GOGC pacer", 0, 0); /* every word, in the answer */
    CHECK(cJSON_GetArraySize(a) == 1);
    cJSON_Delete(a);
    a = list(log, "GOGC barrier", 0, 0);
    CHECK(cJSON_GetArraySize(a) == 0);
    cJSON_Delete(a);
    a = list(log, "\"unbalanced ( AND OR NEAR *", 0, 0); /* any text is a valid query */
    CHECK(a != NULL);
    cJSON_Delete(a);
    a = list(log, "-- ::", 0, 0);
    CHECK(a && cJSON_GetArraySize(a) == 0);
    cJSON_Delete(a);
    a = list(log, NULL, 0, 1);
    CHECK(cJSON_GetArraySize(a) == 1);
    cJSON_Delete(a);
    a = list(log, NULL, time(NULL) + 3600, 0);
    CHECK(cJSON_GetArraySize(a) == 0);
    cJSON_Delete(a);

    cJSON *one = NULL;
    CHECK(precis_answer_log_get(log, (long long)id, &one, &err) == PRECIS_OK && one);
    CHECK_STR(cJSON_GetObjectItem(one, "answer")->valuestring,
              "By GOGC, the garbage collector's pacer setting.");
    cJSON_Delete(one);
    CHECK(precis_answer_log_get(log, 999, &one, &err) == PRECIS_OK && !one);

    CHECK(precis_answer_log_clear(log, &err) == PRECIS_OK);
    CHECK(precis_answer_log_count(log) == 0);
    a = list(log, "barrier", 0, 0);
    CHECK(cJSON_GetArraySize(a) == 0);
    cJSON_Delete(a);
    precis_answer_log_close(log);

    /* nothing of the answers stays in the file after --clear */
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        precis_buf b;
        precis_buf_init(&b, 0);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            precis_buf_append(&b, chunk, n);
        fclose(f);
        bool found = false;
        for (size_t i = 0; i + 14 <= b.len && !found; i++)
            found = memcmp(b.ptr + i, "pointer writes", 14) == 0;
        CHECK(!found);
        precis_buf_release(&b);
    }
    free(path);
}

static void test_set_result(void)
{
    precis_llm_result res;
    precis_llm_result_init(&res);
    precis_buf_puts(&res.text, "partial text");
    res.code = PRECIS_ERR_API;
    res.cls = PRECIS_LLM_RATE_LIMIT;
    res.has_usage = true;
    res.prompt_tokens = 7;
    res.completion_tokens = 2;
    res.model = precis_xstrdup("served-model");
    precis_log_entry e;
    precis_log_entry_init(&e, "chat", NULL);
    precis_log_entry_set_result(&e, &res, NULL);
    CHECK(e.partial);
    CHECK_STR(e.error, "rate_limit");
    CHECK_STR(e.model, "served-model");
    CHECK(e.prompt_tokens == 7 && e.completion_tokens == 2);
    CHECK(precis_log_exit_status(&res) == 4);
    res.code = PRECIS_ERR_CANCELLED;
    CHECK(precis_log_exit_status(&res) == 130);
    res.code = PRECIS_OK;
    res.truncated = true;
    CHECK(precis_log_exit_status(&res) == 4);
    res.truncated = false;
    CHECK(precis_log_exit_status(&res) == 0);
    precis_llm_result_release(&res);
}

static bool sql(const char *path, const char *stmt)
{
    sqlite3 *db = NULL;
    bool ok = sqlite3_open(path, &db) == SQLITE_OK &&
              sqlite3_exec(db, stmt, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

/* Schema 0: an `answers` table with a few columns and no meta table. */
static void test_migration_from_v0(void)
{
    char *path = path_in("v0.db");
    CHECK(sql(path, "CREATE TABLE answers(id INTEGER PRIMARY KEY, time INTEGER, command TEXT,"
                    " question TEXT, answer TEXT);"
                    "INSERT INTO answers(time, command, question, answer) VALUES"
                    " (1600000000, 'ask', 'old question', 'an answer about arenas');"));
    precis_answer_log *log = NULL;
    precis_error err;
    CHECK(precis_answer_log_open(path, false, &log, &err) == PRECIS_OK);
    if (log) {
        CHECK(precis_answer_log_count(log) == 1);
        cJSON *a = list(log, "arenas", 0, 0); /* the FTS index was built from the old rows */
        CHECK(cJSON_GetArraySize(a) == 1);
        const cJSON *o = cJSON_GetArrayItem(a, 0);
        CHECK(o && cJSON_IsNull(cJSON_GetObjectItem(o, "model")));
        CHECK(o && !cJSON_IsTrue(cJSON_GetObjectItem(o, "partial")));
        cJSON_Delete(a);
        precis_log_entry e;
        entry(&e, "new question", "a new answer about arenas");
        CHECK(precis_answer_log_append(log, &e, time(NULL), &err) == PRECIS_OK);
        a = list(log, "arenas", 0, 0);
        CHECK(cJSON_GetArraySize(a) == 2);
        cJSON_Delete(a);
        precis_answer_log_close(log);
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema'", -1, &st,
                             NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "1");
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(path);
}

static void test_newer_schema(void)
{
    char *path = path_in("future.db");
    precis_log_entry e;
    entry(&e, "q", "a");
    CHECK(precis_answer_log_record_at(path, &e));
    CHECK(sql(path, "UPDATE meta SET value = '9' WHERE key = 'schema'"));
    fprintf(stderr, "(expected warning follows)\n");
    CHECK(!precis_answer_log_record_at(path, &e));
    precis_answer_log *log = NULL;
    precis_error err;
    CHECK(precis_answer_log_open(path, false, &log, &err) == PRECIS_ERR_USAGE && !log);
    CHECK_CONTAINS(err.msg, "newer precis (schema 9, this one knows 1)");
    free(path);
}

static void test_corrupt(void)
{
    char *path = path_in("corrupt.db");
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    for (int i = 0; f && i < 4096; i++)
        fputc((i * 7919 + 13) & 0xff, f);
    if (f)
        fclose(f);
    precis_log_entry e;
    entry(&e, "q", "a");
    fprintf(stderr, "(expected warning follows)\n");
    CHECK(!precis_answer_log_record_at(path, &e));
    precis_answer_log *log = NULL;
    precis_error err;
    CHECK(precis_answer_log_open(path, false, &log, &err) != PRECIS_OK && !log);
    CHECK_CONTAINS(err.msg, "not a usable SQLite database");
    free(path);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Another writer holds the lock: the record gives up after the short timeout. */
static void test_busy(void)
{
    char *path = path_in("busy.db");
    precis_log_entry e;
    entry(&e, "q", "a");
    CHECK(precis_answer_log_record_at(path, &e));
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "BEGIN EXCLUSIVE; INSERT INTO meta VALUES('x', 'y')", NULL, NULL,
                       NULL) == SQLITE_OK);
    double t0 = now_s();
    fprintf(stderr, "(expected warning follows)\n");
    CHECK(!precis_answer_log_record_at(path, &e));
    double waited = now_s() - t0;
    CHECK(waited >= 1.5 && waited < 15); /* gives up, loaded machine or not */
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK(precis_answer_log_record_at(path, &e));
    free(path);
}

/* Eight processes at once, each writing five entries (the first create the file). */
static void test_concurrent(void)
{
    char *path = path_in("many/log.db");
    enum { PROCS = 8, EACH = 5 };
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        if (pids[p] == 0) {
            int failed = 0;
            for (int i = 0; i < EACH; i++) {
                precis_log_entry e;
                entry(&e, "concurrent question", "concurrent answer");
                if (!precis_answer_log_record_at(path, &e))
                    failed++;
            }
            _exit(failed);
        }
    }
    int failures = 0;
    for (int p = 0; p < PROCS; p++) {
        int status = 0;
        waitpid(pids[p], &status, 0);
        failures += WIFEXITED(status) ? WEXITSTATUS(status) : 100;
    }
    CHECK(failures == 0);
    precis_answer_log *log = NULL;
    precis_error err;
    CHECK(precis_answer_log_open(path, false, &log, &err) == PRECIS_OK);
    CHECK(log && precis_answer_log_count(log) == PROCS * EACH);
    precis_answer_log_close(log);
    free(path);
}

static void test_unwritable(void)
{
    precis_log_entry e;
    entry(&e, "q", "a");
    /* a file where the directory should be */
    char *file = path_in("plain");
    FILE *f = fopen(file, "w");
    if (f)
        fclose(f);
    char *below = path_in("plain/log.db");
    fprintf(stderr, "(expected warning follows)\n");
    CHECK(!precis_answer_log_record_at(below, &e));
    free(below);
    free(file);
    if (geteuid() == 0)
        return; /* root writes read-only files; tests/e2e/test_log.py covers it as nobody */
    char *path = path_in("ro.db");
    CHECK(precis_answer_log_record_at(path, &e));
    chmod(path, 0444);
    fprintf(stderr, "(expected warning follows)\n");
    CHECK(!precis_answer_log_record_at(path, &e));
    chmod(path, 0644);
    free(path);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    unsetenv("PRECIS_LOG");
    test_hosts();
    test_since();
    test_set_result();
    test_write_list_show_clear();
    test_migration_from_v0();
    test_newer_schema();
    test_corrupt();
    test_busy();
    test_concurrent();
    test_unwritable();
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
