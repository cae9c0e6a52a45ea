/* API key sources: env, file (~ expanded), command (output never in errors, timeout). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "precis/config.h"

static char dir[] = "/tmp/precis-key-XXXXXX";

static precis_config *load(const char *text, precis_error *err)
{
    precis_config *cfg = NULL;
    precis_error_clear(err);
    precis_config_load_text("/home/u/.config/precis/config", text, strlen(text), "p", &cfg, err);
    return cfg;
}

/* Resolves the key of a one-profile config; returns the key (caller frees) or NULL. */
static char *resolve(const char *profile_body, precis_result want, precis_error *err)
{
    precis_buf text;
    precis_buf_init(&text, 0);
    precis_buf_printf(&text, "[profile p]\nbase_url = http://127.0.0.1:1/v1\n%s", profile_body);
    precis_config *cfg = load(text.ptr, err);
    precis_buf_release(&text);
    CHECK(cfg != NULL);
    if (!cfg)
        return NULL;
    precis_config_set_key_timeout(cfg, 500);
    char *key = NULL;
    CHECK(precis_config_resolve_key(cfg, &key, err) == want);
    precis_config_free(cfg);
    return key;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_env(void)
{
    precis_error err;
    setenv("PRECIS_TEST_KEY", "  key-from-env-123  ", 1);
    char *key = resolve("api_key_env = PRECIS_TEST_KEY\n", PRECIS_OK, &err);
    CHECK_STR(key, "  key-from-env-123  "); /* an environment value is taken as is */
    free(key);
    unsetenv("PRECIS_TEST_KEY");
    key = resolve("api_key_env = PRECIS_TEST_KEY\n", PRECIS_ERR_USAGE, &err);
    CHECK(key == NULL);
    CHECK_STR(err.msg, "the API key variable PRECIS_TEST_KEY is not set (api_key_env for "
                       "profile 'p', config line 3)");
    setenv("PRECIS_TEST_KEY", "bad\nkey-with-newline", 1);
    key = resolve("api_key_env = PRECIS_TEST_KEY\n", PRECIS_ERR_USAGE, &err);
    CHECK_CONTAINS(err.msg, "contains control characters");
    CHECK(strstr(err.msg, "key-with-newline") == NULL);
    unsetenv("PRECIS_TEST_KEY");
    key = resolve("api_key = literal-key\n", PRECIS_OK, &err);
    CHECK_STR(key, "literal-key");
    free(key);
    key = resolve("api_key = literal-key\nauth = none\n", PRECIS_OK, &err);
    CHECK(key == NULL);
}

static void test_file(void)
{
    precis_error err;
    char path[512];
    snprintf(path, sizeof path, "%s/key.txt", dir);
    write_file(path, "  sk-file-key-456 \r\nsecond line\n");
    setenv("HOME", dir, 1);
    char *key = resolve("api_key_file = ~/key.txt\n", PRECIS_OK, &err);
    CHECK_STR(key, "sk-file-key-456");
    free(key);
    key = resolve("api_key_file = \"~/missing.txt\"\n", PRECIS_ERR_USAGE, &err);
    CHECK(key == NULL);
    CHECK_CONTAINS(err.msg, "cannot read api_key_file ");
    CHECK_CONTAINS(err.msg, "/missing.txt for profile 'p' (config line 3): No such file");
    write_file(path, "\nsk-on-second-line\n");
    key = resolve("api_key_file = ~/key.txt\n", PRECIS_ERR_USAGE, &err);
    CHECK_CONTAINS(err.msg, "has an empty first line");
    CHECK(strstr(err.msg, "sk-on-second-line") == NULL);
    unlink(path);
}

static void test_cmd(void)
{
    precis_error err;
    char *key = resolve("api_key_cmd = printf 'sk-cmd-key-789\\nextra\\n'\n", PRECIS_OK, &err);
    CHECK_STR(key, "sk-cmd-key-789");
    free(key);

    /* A failing command: a clear error that names the profile but not the output. */
    key = resolve("api_key_cmd = echo sk-leaked-output; echo to-stderr >&2; exit 3\n",
                  PRECIS_ERR_USAGE, &err);
    CHECK(key == NULL);
    CHECK_STR(err.msg, "api_key_cmd for profile 'p' (config line 3) failed with exit status 3");
    CHECK(strstr(err.msg, "leaked") == NULL);

    key = resolve("api_key_cmd = /nonexistent/precis-key-helper\n", PRECIS_ERR_USAGE, &err);
    CHECK_CONTAINS(err.msg, "failed with exit status 127 (command not found?)");

    key = resolve("api_key_cmd = true\n", PRECIS_ERR_USAGE, &err);
    CHECK_STR(err.msg, "api_key_cmd for profile 'p' (config line 3) printed no key on its first "
                       "line");

    /* A command that hangs is stopped at the time limit, even if its child holds stdout. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    key = resolve("api_key_cmd = echo sk-partial; sleep 30 & sleep 30\n", PRECIS_ERR_USAGE, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(key == NULL);
    CHECK_STR(err.msg, "api_key_cmd for profile 'p' (config line 3) did not finish within "
                       "500 ms and was stopped");
    CHECK(secs < 5.0);

    key = resolve("api_key_cmd = kill -9 $$\n", PRECIS_ERR_USAGE, &err);
    CHECK_STR(err.msg, "api_key_cmd for profile 'p' (config line 3) was killed by signal 9");
}

/* `precis config` does not run api_key_cmd unless asked, and never shows the key. */
static void test_describe_lazy(void)
{
    char marker[512], text[1024];
    snprintf(marker, sizeof marker, "%s/ran", dir);
    snprintf(text, sizeof text,
             "[profile p]\nbase_url = http://127.0.0.1:1/v1\nmodel = m\n"
             "api_key_cmd = touch %s; echo sk-abcdefghijklmnopqrstuvwxyz0123\n",
             marker);
    precis_error err;
    precis_config *cfg = load(text, &err);
    CHECK(cfg != NULL);
    if (!cfg)
        return;
    precis_buf d;
    precis_buf_init(&d, 0);
    precis_config_describe(cfg, false, &d);
    CHECK(access(marker, F_OK) != 0);
    CHECK_CONTAINS(d.ptr, "api_key = (not run: the command runs when a request is made)  "
                          "(from api_key_cmd in config line 4)\n");
    CHECK(strstr(d.ptr, "touch") == NULL);
    precis_buf_reset(&d);
    precis_config_describe(cfg, true, &d);
    CHECK(access(marker, F_OK) == 0);
    CHECK_CONTAINS(d.ptr, "api_key = sk-\xE2\x80\xA6" "123  (from api_key_cmd in config line 4)\n");
    CHECK(strstr(d.ptr, "abcdefgh") == NULL);
    precis_buf_release(&d);
    precis_config_free(cfg);
    unlink(marker);

    cfg = load("[profile p]\nbase_url = http://127.0.0.1:1/v1\napi_key_env = PRECIS_UNSET_KEY\n",
               &err);
    CHECK(cfg != NULL);
    if (!cfg)
        return;
    unsetenv("PRECIS_UNSET_KEY");
    precis_buf_init(&d, 0);
    precis_config_describe(cfg, false, &d);
    CHECK_CONTAINS(d.ptr, "api_key = (error: the API key variable PRECIS_UNSET_KEY is not set");
    CHECK_CONTAINS(d.ptr, "(from api_key_env PRECIS_UNSET_KEY in config line 3)\n");
    precis_buf_release(&d);
    precis_config_free(cfg);
}

int main(void)
{
    unsetenv("OPENAI_API_KEY");
    unsetenv("OPENAI_BASE_URL");
    unsetenv("PRECIS_MODEL");
    unsetenv("PRECIS_PROFILE");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_env();
    test_file();
    test_cmd();
    test_describe_lazy();
    rmdir(dir);
    return CHECK_DONE();
}
