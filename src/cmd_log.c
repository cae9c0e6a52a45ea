/* `precis log`: recent answers (newest first), full-text search, one answer whole, and
 * --clear. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "precis/answer_log.h"
#include "precis/cli.h"
#include "precis/term.h"

#define SNIPPET_BYTES 120

/* Appends about max bytes of s on one line: control characters (C0, DEL and C1, so no
 * escape sequence gets through) and whitespace runs become one space; a cut falls on a
 * UTF-8 boundary and is marked with an ellipsis. */
static void put_oneline(precis_buf *out, const char *s, size_t max)
{
    size_t n = 0;
    bool space = false;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (n >= max && (c & 0xC0) != 0x80) {
            precis_buf_puts(out, "\xE2\x80\xA6");
            return;
        }
        if (c == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F) {
            s++;
            space = n > 0;
            continue;
        }
        if (c < 0x20 || c == 0x7f || c == ' ') {
            space = n > 0;
            continue;
        }
        if (space) {
            precis_buf_puts(out, " ");
            n++;
            space = false;
        }
        precis_buf_append(out, s, 1);
        n++;
    }
}

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* "2024-05-01 12:34" in local time, or with seconds and the UTC offset when full. */
static void put_date(precis_buf *out, const cJSON *o, bool full)
{
    time_t t = (time_t)num_of(o, "time", 0);
    struct tm tm;
    char date[40] = "?";
    if (localtime_r(&t, &tm) && full)
        strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %z", &tm);
    else if (localtime_r(&t, &tm))
        strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
    precis_buf_puts(out, date);
}

/* The sources joined with ", ". */
static void put_sources(precis_buf *out, const cJSON *o)
{
    const cJSON *s;
    bool first = true;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(o, "sources")) {
        if (!cJSON_IsString(s))
            continue;
        if (!first)
            precis_buf_puts(out, ", ");
        put_oneline(out, s->valuestring, 300);
        first = false;
    }
}

static void list_entry(precis_buf *out, const cJSON *o)
{
    precis_buf_printf(out, "#%.0f  ", num_of(o, "id", 0));
    put_date(out, o, false);
    precis_buf_puts(out, "  ");
    put_oneline(out, str_of(o, "command"), 20);
    precis_buf_puts(out, "  ");
    put_oneline(out, str_of(o, "model") ? str_of(o, "model") : "?", 60);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "partial")))
        precis_buf_puts(out, "  (partial)");
    precis_buf_puts(out, "\n    ");
    const char *title = str_of(o, "title");
    if (title && *title) {
        put_oneline(out, title, 100);
        precis_buf_puts(out, " — ");
    }
    put_sources(out, o);
    precis_buf_puts(out, "\n");
    if (str_of(o, "question")) {
        precis_buf_puts(out, "    Q: ");
        put_oneline(out, str_of(o, "question"), SNIPPET_BYTES);
        precis_buf_puts(out, "\n");
    }
    precis_buf_puts(out, "    ");
    put_oneline(out, str_of(o, "answer"), SNIPPET_BYTES);
    precis_buf_puts(out, "\n");
}

static void show_field(precis_buf *out, const char *label, const char *v)
{
    precis_buf_printf(out, "%-10s ", label);
    put_oneline(out, v && *v ? v : "-", 2000);
    precis_buf_puts(out, "\n");
}

static void show_entry(precis_buf *out, const cJSON *o)
{
    precis_buf_printf(out, "%-10s %.0f\n", "id:", num_of(o, "id", 0));
    precis_buf_printf(out, "%-10s ", "date:");
    put_date(out, o, true);
    precis_buf_puts(out, "\n");
    show_field(out, "command:", str_of(o, "command"));
    precis_buf_printf(out, "%-10s ", "sources:");
    put_sources(out, o);
    precis_buf_puts(out, "\n");
    show_field(out, "title:", str_of(o, "title"));
    show_field(out, "prompt:", str_of(o, "prompt"));
    show_field(out, "question:", str_of(o, "question"));
    show_field(out, "model:", str_of(o, "model"));
    show_field(out, "profile:", str_of(o, "profile"));
    show_field(out, "endpoint:", str_of(o, "endpoint"));
    show_field(out, "finish:", str_of(o, "finish_reason"));
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "partial")))
        show_field(out, "partial:", str_of(o, "error") ? str_of(o, "error") : "yes");
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "usage");
    double pt = num_of(u, "prompt_tokens", -1), ct = num_of(u, "completion_tokens", -1);
    if (pt >= 0 || ct >= 0)
        precis_buf_printf(out, "%-10s %.0f prompt + %.0f completion tokens\n", "usage:",
                          pt < 0 ? 0 : pt, ct < 0 ? 0 : ct);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "timings");
    double ft = num_of(t, "first_token_s", -1), tt = num_of(t, "total_s", -1);
    if (ft >= 0 || tt >= 0)
        precis_buf_printf(out, "%-10s first token %.3f s, total %.3f s\n", "timings:",
                          ft < 0 ? 0 : ft, tt < 0 ? 0 : tt);
    precis_buf_printf(out, "%-10s %.0f\n\n", "exit:", num_of(o, "exit_status", 0));
    const char *answer = str_of(o, "answer");
    precis_sanitizer san;
    precis_sanitize_init(&san);
    precis_sanitize_feed(&san, answer ? answer : "", answer ? strlen(answer) : 0, out);
    precis_sanitize_finish(&san, out);
    if (out->len && out->ptr[out->len - 1] != '\n')
        precis_buf_puts(out, "\n");
}

/* Prints o (an array or an object) as pretty JSON and deletes it; 0 or 2. */
static int print_json(cJSON *o)
{
    char *s = cJSON_Print(o);
    bool ok = precis_write_stdout(s, strlen(s)) && precis_write_stdout("\n", 1);
    cJSON_free(s);
    cJSON_Delete(o);
    return ok ? 0 : 2;
}

static int print_buf(precis_buf *b)
{
    bool ok = precis_write_stdout(b->ptr ? b->ptr : "", b->len);
    precis_buf_release(b);
    return ok ? 0 : 2;
}

/* Asks on the terminal before clearing; true if the answer is yes. */
static bool confirm_clear(const char *path, long long n)
{
    fprintf(stderr, "precis: delete all %lld logged answer%s in %s? [y/N] ", n,
            n == 1 ? "" : "s", path);
    fflush(stderr);
    char line[32];
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

static int do_clear(precis_answer_log *log)
{
    long long n = precis_answer_log_count(log);
    if (isatty(STDIN_FILENO) && !confirm_clear(precis_answer_log_path(log), n)) {
        fputs("precis: the answer log was left as it was\n", stderr);
        return 1;
    }
    precis_error err;
    precis_error_clear(&err);
    if (precis_answer_log_clear(log, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return precis_exit_code(err.code);
    }
    printf("deleted %lld logged answer%s\n", n < 0 ? 0 : n, n == 1 ? "" : "s");
    return 0;
}

static int do_show(const precis_cli *cli, precis_answer_log *log)
{
    const char *s = cli->show[0] == '#' ? cli->show + 1 : cli->show;
    char *end;
    long long id = strtoll(s, &end, 10);
    if (end == s || *end || id <= 0) {
        precis_warn("--show: expected an answer's number as 'precis log' lists it, got '%s'",
                    cli->show);
        return 1;
    }
    cJSON *o = NULL;
    precis_error err;
    precis_error_clear(&err);
    if (log && precis_answer_log_get(log, id, &o, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return precis_exit_code(err.code);
    }
    if (!o) {
        precis_warn("no logged answer #%lld; 'precis log' lists them", id);
        return 1;
    }
    if (cli->json)
        return print_json(o);
    precis_buf b;
    precis_buf_init(&b, 0);
    show_entry(&b, o);
    cJSON_Delete(o);
    return print_buf(&b);
}

static int do_list(const precis_cli *cli, precis_answer_log *log)
{
    precis_log_query q;
    memset(&q, 0, sizeof q);
    q.limit = cli->results > 0 ? cli->results : 20;
    if (cli->since && !precis_log_parse_since(cli->since, time(NULL), &q.since)) {
        precis_warn("--since: expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or an age such as 7d, "
                    "12h or 30m, got '%s'",
                    cli->since);
        return 1;
    }
    precis_buf words;
    precis_buf_init(&words, 0);
    for (size_t i = 0; i < cli->n_sources; i++)
        precis_buf_printf(&words, "%s%s", i ? " " : "", cli->sources[i]);
    q.search = words.len ? words.ptr : NULL;
    cJSON *a = NULL;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = log ? precis_answer_log_list(log, &q, &a, &err) : PRECIS_OK;
    precis_buf_release(&words);
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return precis_exit_code(r);
    }
    if (!a)
        a = cJSON_CreateArray();
    if (cli->json)
        return print_json(a);
    precis_buf b;
    precis_buf_init(&b, 0);
    const cJSON *o;
    cJSON_ArrayForEach(o, a) {
        if (b.len)
            precis_buf_puts(&b, "\n");
        list_entry(&b, o);
    }
    if (!b.len)
        precis_buf_puts(&b, q.search || q.since ? "no logged answer matches\n"
                                                : "no answers logged yet\n");
    cJSON_Delete(a);
    return print_buf(&b);
}

int precis_cmd_log(const precis_cli *cli)
{
    if (cli->clear && (cli->show || cli->n_sources || cli->since)) {
        precis_warn("--clear deletes every logged answer and takes nothing else");
        return 1;
    }
    if (cli->show && (cli->n_sources || cli->since)) {
        precis_warn("--show ID shows one answer; search words and --since are for listing");
        return 1;
    }
    precis_answer_log *log = NULL;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_answer_log_open(NULL, false, &log, &err);
    if (r == PRECIS_ERR_NO_CONTENT) {
        log = NULL; /* nothing logged yet: an empty log */
    } else if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return precis_exit_code(r);
    }
    int rc;
    if (cli->clear)
        rc = log ? do_clear(log) : (puts("the answer log is empty"), 0);
    else if (cli->show)
        rc = do_show(cli, log);
    else
        rc = do_list(cli, log);
    precis_answer_log_close(log);
    return rc;
}
