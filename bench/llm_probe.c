/* Drives the chat client the way the tool does: streams the answer to stdout, prints a
 * failure as one line on stderr and exits 4 (130 when cancelled). Used by the e2e tests
 * and for measuring latency/throughput against a local server.
 *
 * usage: llm_probe BASE_URL MODEL [--user TEXT] [--user-file PATH] [--system TEXT]
 *        [--no-stream] [--no-usage] [--max-tokens N] [--max-field NAME] [--temperature T]
 *        [--idle-ms N] [--max-time-ms N] [--connect-ms N] [--retries N]
 *        [--retry-max-sleep-ms N] [--azure] [--api-version V] [--header H]...
 *        [--models] [--parallel N] [--show-reasoning] [--cancel-after N] [--sigint]
 *        [--stats]
 * The API key comes from $OPENAI_API_KEY. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/llm.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    interrupted = 1;
}

typedef struct sink_state {
    int deltas;
    int cancel_after;
} sink_state;

static int to_stdout(void *ctx, const char *text, size_t n)
{
    sink_state *s = ctx;
    fwrite(text, 1, n, stdout);
    fflush(stdout);
    s->deltas++;
    return s->cancel_after > 0 && s->deltas >= s->cancel_after;
}

static int to_stderr(void *ctx, const char *text, size_t n)
{
    fwrite(text, 1, n, stderr);
    return 0;
}

static long num(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end) {
        fprintf(stderr, "llm_probe: bad number %s\n", s);
        exit(1);
    }
    return v;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void print_stats(const precis_llm_result *r)
{
    fprintf(stderr, "stats: {\"class\":\"%s\",\"status\":%ld,\"retries\":%d,\"finish\":",
            precis_llm_class_name(r->cls), r->http_status, r->retries);
    json_str(stderr, r->finish_reason);
    fprintf(stderr, ",\"truncated\":%s,\"has_usage\":%s,\"usage\":[%ld,%ld,%ld],\"model\":",
            r->truncated ? "true" : "false", r->has_usage ? "true" : "false", r->prompt_tokens,
            r->completion_tokens, r->total_tokens);
    json_str(stderr, r->model);
    fprintf(stderr, ",\"provider_message\":");
    json_str(stderr, r->provider_message);
    fprintf(stderr, ",\"provider_code\":");
    json_str(stderr, r->provider_code);
    fprintf(stderr, ",\"text_len\":%zu,\"reasoning\":", r->text.len);
    json_str(stderr, r->reasoning.ptr);
    fprintf(stderr, ",\"ttfb\":%.4f,\"ttft\":%.4f,\"total\":%.4f}\n", r->ttfb_s, r->ttft_s, r->total_s);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "llm_probe: cannot read %s\n", path);
        exit(1);
    }
    precis_buf b;
    precis_buf_init(&b, 0);
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        precis_buf_append(&b, tmp, n);
    fclose(f);
    return precis_buf_detach(&b);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: llm_probe BASE_URL MODEL [options]\n");
        return 1;
    }
    precis_llm_request req;
    precis_llm_request_init(&req);
    req.base_url = argv[1];
    req.model = argv[2];
    req.user = "Summarize this page.";
    req.api_key = getenv("OPENAI_API_KEY");
    const char *headers[9] = {0};
    int nheaders = 0, parallel = 0;
    bool models = false, stats = false, show_reasoning = false;
    char *user_file = NULL;
    sink_state sink = {0};
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE() (v ? (i++, v) : (fprintf(stderr, "llm_probe: %s needs a value\n", a), exit(1), ""))
        if (!strcmp(a, "--user"))
            req.user = TAKE();
        else if (!strcmp(a, "--user-file"))
            req.user = user_file = read_file(TAKE());
        else if (!strcmp(a, "--system"))
            req.system = TAKE();
        else if (!strcmp(a, "--no-stream"))
            req.stream = false;
        else if (!strcmp(a, "--no-usage"))
            req.include_usage = false;
        else if (!strcmp(a, "--max-tokens"))
            req.max_tokens = num(TAKE());
        else if (!strcmp(a, "--max-field")) {
            const char *f = TAKE();
            req.max_field = !strcmp(f, "max_completion_tokens") ? PRECIS_LLM_MAX_COMPLETION_TOKENS
                            : !strcmp(f, "none")                  ? PRECIS_LLM_MAX_NONE
                                                                  : PRECIS_LLM_MAX_TOKENS;
        } else if (!strcmp(a, "--temperature")) {
            req.has_temperature = true;
            req.temperature = strtod(TAKE(), NULL);
        } else if (!strcmp(a, "--idle-ms"))
            req.idle_timeout_ms = num(TAKE());
        else if (!strcmp(a, "--max-time-ms"))
            req.max_time_ms = num(TAKE());
        else if (!strcmp(a, "--connect-ms"))
            req.connect_timeout_ms = num(TAKE());
        else if (!strcmp(a, "--retries"))
            req.max_retries = (int)num(TAKE());
        else if (!strcmp(a, "--retry-max-sleep-ms"))
            req.retry_max_sleep_ms = num(TAKE());
        else if (!strcmp(a, "--azure"))
            req.auth = PRECIS_LLM_AUTH_API_KEY;
        else if (!strcmp(a, "--api-version"))
            req.api_version = TAKE();
        else if (!strcmp(a, "--header") && nheaders < 8)
            headers[nheaders++] = TAKE();
        else if (!strcmp(a, "--models"))
            models = true;
        else if (!strcmp(a, "--parallel"))
            parallel = (int)num(TAKE());
        else if (!strcmp(a, "--show-reasoning"))
            show_reasoning = true;
        else if (!strcmp(a, "--cancel-after"))
            sink.cancel_after = (int)num(TAKE());
        else if (!strcmp(a, "--sigint")) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_sigint;
            sigemptyset(&sa.sa_mask);
            sigaction(SIGINT, &sa, NULL);
            req.cancel = &interrupted;
        } else if (!strcmp(a, "--stats"))
            stats = true;
        else {
            fprintf(stderr, "llm_probe: unknown option %s\n", a);
            return 1;
        }
#undef TAKE
    }
    req.headers = nheaders ? headers : NULL;
    int rc = 0;

    if (models) {
        precis_llm_result res;
        precis_llm_result_init(&res);
        char **ids;
        size_t n;
        if (precis_llm_models(&req, &ids, &n, &res) == PRECIS_OK) {
            for (size_t i = 0; i < n; i++)
                printf("%s\n", ids[i]);
            precis_llm_models_free(ids, n);
        } else {
            precis_warn("%s", res.err.msg);
            rc = precis_exit_code(res.code);
        }
        precis_llm_result_release(&res);
    } else if (parallel > 0) {
        precis_llm_request *reqs = precis_xcalloc((size_t)parallel, sizeof *reqs);
        precis_llm_result *res = precis_xcalloc((size_t)parallel, sizeof *res);
        char **users = precis_xcalloc((size_t)parallel, sizeof *users);
        for (int i = 0; i < parallel; i++) {
            precis_buf u;
            precis_buf_init(&u, 0);
            precis_buf_printf(&u, "part %d: %s", i, req.user);
            users[i] = precis_buf_detach(&u);
            reqs[i] = req;
            reqs[i].user = users[i];
            precis_llm_result_init(&res[i]);
        }
        precis_result r = precis_llm_chat_many(reqs, res, (size_t)parallel, (size_t)parallel);
        for (int i = 0; i < parallel; i++) {
            if (res[i].code == PRECIS_OK)
                printf("[%d] %s\n", i, res[i].text.ptr);
            else
                precis_warn("[%d] %s", i, res[i].err.msg);
            if (stats)
                print_stats(&res[i]);
            precis_llm_result_release(&res[i]);
            free(users[i]);
        }
        rc = precis_exit_code(r);
        free(reqs);
        free(res);
        free(users);
    } else {
        req.on_delta = to_stdout;
        req.delta_ctx = &sink;
        if (show_reasoning)
            req.on_reasoning = to_stderr;
        precis_llm_result res;
        precis_llm_result_init(&res);
        precis_result r = precis_llm_chat(&req, &res);
        if (show_reasoning && res.reasoning.len > 0)
            fputc('\n', stderr);
        if (res.text.len > 0 && !precis_buf_ends_with(&res.text, '\n'))
            putchar('\n');
        fflush(stdout);
        if (r != PRECIS_OK)
            precis_warn("%s", res.err.msg);
        else if (res.truncated)
            precis_warn("warning: the answer hit the token limit (finish_reason length)");
        if (stats)
            print_stats(&res);
        rc = precis_exit_code(r);
        precis_llm_result_release(&res);
    }
    free(user_file);
    return rc;
}
