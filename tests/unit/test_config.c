/* Config: INI parsing, profiles, precedence and sources, Azure, flags, describe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "precis/config.h"

static const char *const env_vars[] = {"OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL",
                                       "PRECIS_PROFILE", "PRECIS_CONFIG", "XDG_CONFIG_HOME"};

static void clean_env(void)
{
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; i++)
        unsetenv(env_vars[i]);
}

/* Loads text as the config file; returns NULL and fills err on failure. */
static precis_config *load(const char *text, const char *profile, precis_error *err)
{
    precis_config *cfg = NULL;
    precis_error_clear(err);
    precis_config_load_text("/home/u/.config/precis/config", text, strlen(text), profile, &cfg,
                            err);
    return cfg;
}

/* Records every callback of the INI tokenizer as "line:section|key=value;". */
static precis_result record(void *ctx, int line, const char *section, const char *key,
                            const char *value, precis_error *err)
{
    precis_buf *b = ctx;
    (void)err;
    if (!key)
        precis_buf_printf(b, "%d:[%s];", line, value);
    else
        precis_buf_printf(b, "%d:%s|%s=%s;", line, section ? section : "-", key, value);
    return PRECIS_OK;
}

static void test_ini_tokens(void)
{
    const char *text = "\xEF\xBB\xBF# comment\n"
                       "  top = 1  \n"
                       "; another\n"
                       "[ profile a ]  # trailing\r\n"
                       "q = \"quoted # not a comment\"   ; comment\n"
                       "s = 'single \\ kept'\n"
                       "e = \"esc \\\" and \\\\\"\n"
                       "empty =\n"
                       "url = http://x/#frag\n";
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_error err;
    precis_error_clear(&err);
    CHECK(precis_ini_parse(text, strlen(text), record, &b, &err) == PRECIS_OK);
    CHECK_STR(b.ptr, "2:-|top=1;4:[profile a];5:profile a|q=quoted # not a comment;"
                     "6:profile a|s=single \\ kept;7:profile a|e=esc \" and \\;"
                     "8:profile a|empty=;9:profile a|url=http://x/#frag;");
    precis_buf_release(&b);

    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        {"a = 1\n\nnot a pair\n", "config line 3: expected 'key = value' or '[section]'"},
        {"[profile x\n", "config line 1: section header without ']'"},
        {"\n\n\nk = \"open\n", "config line 4: unterminated double quote"},
        {"k = 'a' b\n", "config line 1: unexpected text after the closing quote"},
        {" = v\n", "config line 1: missing key before '='"},
        {"[]\n", "config line 1: empty section name"},
        {"bad key = 1\n", "config line 1: invalid key 'bad key'"},
        {"[a] x\n", "config line 1: unexpected text after ']'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        precis_buf_init(&b, 0);
        precis_error_clear(&err);
        CHECK(precis_ini_parse(bad[i].text, strlen(bad[i].text), record, &b, &err) ==
              PRECIS_ERR_USAGE);
        CHECK_STR(err.msg, bad[i].msg);
        precis_buf_release(&b);
    }
}

static void test_errors(void)
{
    precis_error err;
    CHECK(!load("[profile groq]\nbase_url = https://api.groq.com/openai/v1\n\nmodle = x\n",
                NULL, &err));
    CHECK_STR(err.msg, "config line 4: unknown key 'modle' in [profile groq] (did you mean "
                       "'model'?)");
    CHECK(!load("colour = blue\n", NULL, &err));
    CHECK_STR(err.msg, "config line 1: unknown key 'colour' in the global settings");
    CHECK(!load("[groq]\nmax_tokens = lots\n", NULL, &err));
    CHECK_STR(err.msg, "config line 2: bad value for max_tokens in [profile groq]: expected a "
                       "whole number of tokens from 1 to 10000000");
    CHECK(!load("[a]\ntoken_limit_field = max_output\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "config line 2: bad value for token_limit_field");
    CHECK(!load("[a]\nbase_url = localhost:8080\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "http:// or https://");
    CHECK(!load("[a]\ntemperature = hot\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "config line 2: bad value for temperature");
    CHECK(!load("[a]\nheader = NoColon\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "config line 2: bad value for header");
    CHECK(!load("[a]\nauth = basic\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "bearer, api-key or none");
    CHECK(!load("[a]\nprofile = b\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "config line 2: 'profile = NAME' belongs at the top");
    CHECK(!load("[two words]\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "config line 1: bad section [two words]");
    CHECK(!load("[a]\napi_key_env = A_KEY\napi_key_cmd = pass x\n", "a", &err));
    CHECK_STR(err.msg, "config line 3: [profile a] sets both api_key_cmd and api_key_env "
                       "(config line 2): keep one");
    CHECK(!load("[a]\nmodel = m\n[b]\nmodel = n\n", "c", &err));
    CHECK_STR(err.msg, "profile 'c' (flag --profile) not found in /home/u/.config/precis/config "
                       "(profiles: a, b)");
    /* Errors in a profile that is not chosen are still reported. */
    CHECK(!load("profile = a\n[a]\nmodel = m\n[b]\njobs = 0\n", NULL, &err));
    CHECK_CONTAINS(err.msg, "config line 5: bad value for jobs in [profile b]");
}

static void test_profiles_and_precedence(void)
{
    const char *text = "profile = local\n"
                       "model = global-model\n"
                       "jobs = 3\n"
                       "[default]\n"
                       "length = short\n"
                       "[profile local]\n"
                       "base_url = http://127.0.0.1:8080/v1/\n"
                       "model = local-model\n"
                       "[remote]\n"
                       "base_url = https://example.com/v1\n";
    precis_error err;
    precis_config *cfg = load(text, NULL, &err);
    CHECK(cfg != NULL);
    if (!cfg)
        return;
    CHECK_STR(precis_config_profile(cfg), "local");
    CHECK(precis_config_profile_count(cfg) == 2);
    CHECK_STR(precis_config_profile_name(cfg, 0), "local");
    CHECK_STR(precis_config_profile_name(cfg, 1), "remote");
    CHECK(precis_config_profile_name(cfg, 2) == NULL);
    CHECK_STR(precis_config_base_url(cfg), "http://127.0.0.1:8080/v1");
    CHECK_STR(precis_config_source(cfg, "base_url"), "config line 7");
    CHECK_STR(precis_config_model(cfg), "local-model");
    CHECK_STR(precis_config_source(cfg, "model"), "config line 8");
    CHECK(precis_config_jobs(cfg) == 3);
    CHECK_STR(precis_config_source(cfg, "jobs"), "config line 3");
    CHECK_STR(precis_config_length(cfg), "short");
    CHECK_STR(precis_config_source(cfg, "prompt"), "default");
    CHECK_STR(precis_config_prompt(cfg), "summarize");
    CHECK(precis_config_origin_of(cfg, "model") == PRECIS_ORIGIN_FILE);
    CHECK(precis_config_origin_of(cfg, "prompt") == PRECIS_ORIGIN_DEFAULT);
    CHECK(precis_config_has_model(cfg));
    CHECK(precis_config_lang(cfg) == NULL);

    /* Flags beat everything; api_key and profile are refused. */
    CHECK(precis_config_set(cfg, "model", "flag-model", "--model", &err) == PRECIS_OK);
    CHECK_STR(precis_config_model(cfg), "flag-model");
    CHECK_STR(precis_config_source(cfg, "model"), "flag --model");
    CHECK(precis_config_origin_of(cfg, "model") == PRECIS_ORIGIN_FLAG);
    CHECK(precis_config_set(cfg, "api_key", "sk-secret", "--api-key", &err) == PRECIS_ERR_USAGE);
    CHECK_CONTAINS(err.msg, "never taken from the command line");
    CHECK(strstr(err.msg, "sk-secret") == NULL);
    CHECK(precis_config_set(cfg, "length", "huge", "--length", &err) == PRECIS_ERR_USAGE);
    CHECK_STR(err.msg, "--length: bad value for length: expected short, medium or long");
    CHECK(precis_config_set(cfg, "lenght", "short", "--set", &err) == PRECIS_ERR_USAGE);
    CHECK_CONTAINS(err.msg, "did you mean 'length'?");
    CHECK(precis_config_set(cfg, "lang", "日本語", "--lang", &err) == PRECIS_OK);
    CHECK_STR(precis_config_lang(cfg), "日本語");
    CHECK(precis_config_set(cfg, "profile", "remote", "--profile", &err) == PRECIS_ERR_USAGE);
    precis_config_free(cfg);

    /* Environment beats the file; PRECIS_PROFILE chooses; the flag beats PRECIS_PROFILE. */
    setenv("PRECIS_PROFILE", "remote", 1);
    setenv("PRECIS_MODEL", "env-model", 1);
    cfg = load(text, NULL, &err);
    CHECK(cfg != NULL);
    if (cfg) {
        CHECK_STR(precis_config_profile(cfg), "remote");
        CHECK_STR(precis_config_base_url(cfg), "https://example.com/v1");
        CHECK_STR(precis_config_model(cfg), "env-model");
        CHECK_STR(precis_config_source(cfg, "model"), "env PRECIS_MODEL");
        precis_buf d;
        precis_buf_init(&d, 0);
        precis_config_describe(cfg, false, &d);
        CHECK_CONTAINS(d.ptr, "profile = remote  (env PRECIS_PROFILE)\n");
        CHECK_CONTAINS(d.ptr, "profiles = local, remote  (config file)\n");
        CHECK_CONTAINS(d.ptr, "model = env-model  (env PRECIS_MODEL)\n");
        CHECK_CONTAINS(d.ptr, "base_url = https://example.com/v1  (config line 10)\n");
        CHECK_CONTAINS(d.ptr, "jobs = 3  (config line 3)\n");
        CHECK_CONTAINS(d.ptr, "prompt = summarize  (default)\n");
        precis_buf_release(&d);
        precis_config_free(cfg);
    }
    cfg = load(text, "local", &err);
    CHECK(cfg && strcmp(precis_config_profile(cfg), "local") == 0);
    precis_config_free(cfg);
    setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", 1);
    cfg = load(text, "local", &err);
    CHECK(cfg && strcmp(precis_config_base_url(cfg), "http://127.0.0.1:9/v1") == 0);
    CHECK(cfg && strcmp(precis_config_source(cfg, "base_url"), "env OPENAI_BASE_URL") == 0);
    precis_config_free(cfg);
    setenv("OPENAI_BASE_URL", "ftp://x", 1);
    CHECK(!load(text, NULL, &err));
    CHECK_CONTAINS(err.msg, "env OPENAI_BASE_URL: expected a URL");
    clean_env();
}

static void test_defaults_and_model(void)
{
    precis_error err;
    precis_config *cfg = load("", NULL, &err);
    CHECK(cfg != NULL);
    if (!cfg)
        return;
    CHECK(!precis_config_has_model(cfg));
    CHECK(precis_config_base_url(cfg) == NULL);
    CHECK(precis_config_check(cfg, &err) == PRECIS_ERR_USAGE);
    char *key = (char *)1;
    CHECK(precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK && key == NULL);
    precis_buf d;
    precis_buf_init(&d, 0);
    precis_config_describe(cfg, false, &d);
    CHECK_CONTAINS(d.ptr, "model_configured = no");
    CHECK_CONTAINS(d.ptr, "api_key = (none)  (default)\n");
    precis_buf_release(&d);
    precis_config_free(cfg);

    /* Only a key: OpenAI defaults. */
    setenv("OPENAI_API_KEY", "sk-proj-abcdefghijklmnopqrstuvXy3", 1);
    cfg = load("", NULL, &err);
    CHECK(cfg && precis_config_has_model(cfg));
    if (cfg) {
        CHECK_STR(precis_config_base_url(cfg), "https://api.openai.com/v1");
        CHECK_STR(precis_config_model(cfg), "gpt-4o-mini");
        CHECK_STR(precis_config_source(cfg, "model"), "default for api.openai.com");
        CHECK(precis_config_token_field(cfg) == PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS);
        CHECK(precis_config_auth(cfg) == PRECIS_AUTH_BEARER);
        CHECK(precis_config_check(cfg, &err) == PRECIS_OK);
        CHECK(precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK);
        CHECK_STR(key, "sk-proj-abcdefghijklmnopqrstuvXy3");
        free(key);
        precis_buf_init(&d, 0);
        precis_config_describe(cfg, false, &d);
        CHECK_CONTAINS(d.ptr, "api_key = sk-\xE2\x80\xA6Xy3  (env OPENAI_API_KEY)\n");
        CHECK(strstr(d.ptr, "abcdefgh") == NULL);
        precis_buf_release(&d);
        precis_config_free(cfg);
    }

    /* A profile with its own key source does not pick up OPENAI_API_KEY. */
    setenv("GROQ_TEST_KEY", "gsk_groqgroqgroqgroq123", 1);
    cfg = load("[groq]\nbase_url = https://api.groq.com/openai/v1\napi_key_env = GROQ_TEST_KEY\n",
               "groq", &err);
    CHECK(cfg != NULL);
    if (cfg) {
        CHECK(precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK);
        CHECK_STR(key, "gsk_groqgroqgroqgroq123");
        free(key);
        CHECK(precis_config_model(cfg) == NULL);
        CHECK(precis_config_token_field(cfg) == PRECIS_TOKEN_FIELD_MAX_TOKENS);
        CHECK(precis_config_check(cfg, &err) == PRECIS_ERR_USAGE);
        CHECK_STR(err.msg, "no model set for https://api.groq.com/openai/v1: add 'model = NAME' "
                           "to [profile groq] in /home/u/.config/precis/config, set PRECIS_MODEL, "
                           "or pass -m NAME ('precis models' lists what the server offers)");
        precis_config_free(cfg);
    }
    /* Nor does a profile that points elsewhere without a key (a local server). */
    cfg = load("[local]\nbase_url = http://127.0.0.1:8080/v1\nmodel = m\n", "local", &err);
    CHECK(cfg && precis_config_get(cfg, "api_key_env") == NULL);
    CHECK(cfg && precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK && key == NULL);
    precis_config_free(cfg);
    /* A profile for api.openai.com without a key source uses it. */
    cfg = load("[oa]\nbase_url = https://api.openai.com/v1\n", "oa", &err);
    CHECK(cfg && precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK && key != NULL);
    free(key);
    precis_config_free(cfg);
    /* OPENAI_BASE_URL next to OPENAI_API_KEY pairs them, whatever the host. */
    setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1", 1);
    cfg = load("[local]\nbase_url = http://127.0.0.1:9999/v1\nmodel = m\n", "local", &err);
    CHECK(cfg && precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK && key != NULL);
    free(key);
    precis_config_free(cfg);
    unsetenv("OPENAI_BASE_URL");
    unsetenv("OPENAI_API_KEY");

    /* Only a base URL: configured, key-less, model required. */
    setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1", 1);
    cfg = load("", NULL, &err);
    CHECK(cfg && precis_config_has_model(cfg));
    CHECK(cfg && precis_config_context_tokens(cfg) == 8192);
    CHECK(cfg && precis_config_max_tokens(cfg) == 0);
    CHECK(cfg && precis_config_include_usage(cfg));
    double t = -1;
    CHECK(cfg && !precis_config_temperature(cfg, &t));
    CHECK(cfg && precis_config_set(cfg, "temperature", "0.25", "--temperature", &err) ==
                     PRECIS_OK);
    CHECK(cfg && precis_config_temperature(cfg, &t) && t > 0.249 && t < 0.251);
    precis_config_free(cfg);
    clean_env();
    unsetenv("GROQ_TEST_KEY");
}

static void test_azure(void)
{
    precis_error err;
    precis_config *cfg =
        load("[az]\nbase_url = https://res.openai.azure.com/openai/deployments/dep\n"
             "api_version = 2024-10-21\napi_key = 0123456789abcdef0123456789abcdef\n",
             "az", &err);
    CHECK(cfg != NULL);
    if (!cfg)
        return;
    CHECK(precis_config_auth(cfg) == PRECIS_AUTH_API_KEY);
    CHECK_STR(precis_config_source(cfg, "auth"), "default for Azure");
    CHECK(precis_config_token_field(cfg) == PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS);
    CHECK(precis_config_check(cfg, &err) == PRECIS_OK); /* deployment selects the model */
    precis_buf url;
    precis_buf_init(&url, 0);
    CHECK(precis_config_url(cfg, "/chat/completions", &url, &err) == PRECIS_OK);
    CHECK_STR(url.ptr, "https://res.openai.azure.com/openai/deployments/dep/chat/completions"
                       "?api-version=2024-10-21");
    precis_buf_release(&url);
    precis_buf d;
    precis_buf_init(&d, 0);
    precis_config_describe(cfg, false, &d);
    CHECK_CONTAINS(d.ptr, "api_key = \xE2\x80\xA6" "def  (config line 4; api_key_env");
    CHECK(strstr(d.ptr, "0123456789") == NULL);
    CHECK_CONTAINS(d.ptr, "api_version = 2024-10-21  (config line 3)\n");
    precis_buf_release(&d);
    CHECK(precis_config_set(cfg, "auth", "none", "--auth", &err) == PRECIS_OK);
    char *key = (char *)1;
    CHECK(precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK && key == NULL);
    precis_config_free(cfg);

    cfg = load("[v1]\nbase_url = https://res.openai.azure.com/openai/v1/\nmodel = dep\n"
               "header = X-Trace:abc\nheader = api-key: 0123456789abcdefghij\n",
               "v1", &err);
    CHECK(cfg != NULL);
    if (!cfg)
        return;
    precis_buf_init(&url, 0);
    CHECK(precis_config_url(cfg, "/models", &url, &err) == PRECIS_OK);
    CHECK_STR(url.ptr, "https://res.openai.azure.com/openai/v1/models");
    precis_buf_release(&url);
    CHECK(precis_config_header_count(cfg) == 2);
    CHECK_STR(precis_config_header(cfg, 0), "X-Trace: abc");
    CHECK(precis_config_set(cfg, "header", "X-Extra: 1", "--header", &err) == PRECIS_OK);
    CHECK(precis_config_header_count(cfg) == 3);
    precis_buf_init(&d, 0);
    precis_config_describe(cfg, false, &d);
    CHECK_CONTAINS(d.ptr, "header = X-Trace: abc  (config line 4)\n");
    CHECK_CONTAINS(d.ptr, "header = api-key: \xE2\x80\xA6" "hij  (config line 5)\n");
    CHECK_CONTAINS(d.ptr, "header = X-Extra: 1  (flag --header)\n");
    CHECK(strstr(d.ptr, "0123456789") == NULL);
    precis_buf_release(&d);
    precis_config_free(cfg);
}

static void test_redact(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_config_redact("sk-abcdefghijklmnopXy3", &b);
    CHECK_STR(b.ptr, "sk-\xE2\x80\xA6Xy3");
    precis_buf_reset(&b);
    precis_config_redact("short-key", &b);
    CHECK_STR(b.ptr, "set");
    precis_buf_reset(&b);
    precis_config_redact("abcdefghijklmnopqrstuvwxyz", &b);
    CHECK_STR(b.ptr, "\xE2\x80\xA6xyz");
    precis_buf_reset(&b);
    precis_config_redact("キーキーキーキーキーキー末尾", &b); /* 3 characters, not 3 bytes */
    CHECK_STR(b.ptr, "\xE2\x80\xA6ー末尾");
    precis_buf_release(&b);
}

/* The example profiles shipped in the README parse and mean what they say. */
static void test_examples(void)
{
    const char *path = PRECIS_SOURCE_DIR "/tests/unit/fixtures/config-examples.ini";
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    static const struct {
        const char *profile, *base, *model;
        precis_auth auth;
        precis_token_field field;
        const char *key_source;
        long context;
    } want[] = {
        {NULL, "http://localhost:11434/v1", "llama3.2", PRECIS_AUTH_NONE,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, NULL, 8192},
        {"openai", "https://api.openai.com/v1", "gpt-4o-mini", PRECIS_AUTH_BEARER,
         PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS, "api_key_env", 128000},
        {"azure", "https://my-resource.openai.azure.com/openai/deployments/my-gpt-4o-mini", NULL,
         PRECIS_AUTH_API_KEY, PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS, "api_key_env", 128000},
        {"azure-v1", "https://my-resource.openai.azure.com/openai/v1", "my-gpt-4o-mini",
         PRECIS_AUTH_API_KEY, PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS, "api_key_env", 128000},
        {"ollama", "http://localhost:11434/v1", "llama3.2", PRECIS_AUTH_NONE,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, NULL, 8192},
        {"llamacpp", "http://127.0.0.1:8080/v1", "local", PRECIS_AUTH_BEARER,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, NULL, 8192},
        {"vllm", "http://localhost:8000/v1", "Qwen/Qwen2.5-7B-Instruct", PRECIS_AUTH_BEARER,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, "api_key_file", 32768},
        {"lmstudio", "http://localhost:1234/v1", "qwen2.5-7b-instruct", PRECIS_AUTH_NONE,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, NULL, 8192},
        {"openrouter", "https://openrouter.ai/api/v1", "openai/gpt-4o-mini", PRECIS_AUTH_BEARER,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, "api_key_cmd", 8192},
        {"groq", "https://api.groq.com/openai/v1", "llama-3.3-70b-versatile", PRECIS_AUTH_BEARER,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, "api_key_env", 8192},
        {"mistral", "https://api.mistral.ai/v1", "mistral-small-latest", PRECIS_AUTH_BEARER,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, "api_key_env", 8192},
        {"deepseek", "https://api.deepseek.com", "deepseek-chat", PRECIS_AUTH_BEARER,
         PRECIS_TOKEN_FIELD_MAX_TOKENS, "api_key_env", 65536},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        precis_error err;
        precis_config *cfg = load(text, want[i].profile, &err);
        CHECK(cfg != NULL);
        if (!cfg) {
            fprintf(stderr, "profile %s: %s\n", want[i].profile, err.msg);
            continue;
        }
        CHECK_STR(precis_config_profile(cfg), want[i].profile ? want[i].profile : "ollama");
        CHECK_STR(precis_config_base_url(cfg), want[i].base);
        if (want[i].model)
            CHECK_STR(precis_config_model(cfg), want[i].model);
        else
            CHECK(precis_config_model(cfg) == NULL);
        CHECK(precis_config_auth(cfg) == want[i].auth);
        CHECK(precis_config_token_field(cfg) == want[i].field);
        CHECK(precis_config_context_tokens(cfg) == want[i].context);
        CHECK(precis_config_has_model(cfg));
        CHECK(precis_config_check(cfg, &err) == PRECIS_OK);
        CHECK_STR(precis_config_length(cfg), "medium");
        CHECK_STR(precis_config_source(cfg, "length"), "config line 6");
        if (want[i].key_source)
            CHECK(precis_config_get(cfg, want[i].key_source) != NULL);
        precis_config_free(cfg);
    }
    precis_error err;
    precis_config *cfg = load(text, "azure", &err);
    if (cfg) {
        precis_buf url;
        precis_buf_init(&url, 0);
        precis_config_url(cfg, "/chat/completions", &url, &err);
        CHECK_STR(url.ptr, "https://my-resource.openai.azure.com/openai/deployments/"
                           "my-gpt-4o-mini/chat/completions?api-version=2024-10-21");
        precis_buf_release(&url);
        precis_config_free(cfg);
    }
    cfg = load(text, "openrouter", &err);
    CHECK(cfg && precis_config_header_count(cfg) == 1);
    CHECK(cfg && strcmp(precis_config_header(cfg, 0), "X-Title: precis") == 0);
    precis_config_free(cfg);
    cfg = load(text, "groq", &err);
    double t = 0;
    CHECK(cfg && precis_config_temperature(cfg, &t) && t > 0.19 && t < 0.21);
    precis_config_free(cfg);
    cfg = load(text, "deepseek", &err);
    CHECK(cfg && precis_config_max_tokens(cfg) == 4096);
    precis_config_free(cfg);
    cfg = load(text, "ollama", &err);
    CHECK(cfg && precis_config_jobs(cfg) == 1);
    precis_config_free(cfg);
}

/* precis_config_load finds the file through PRECIS_CONFIG and XDG_CONFIG_HOME. */
static void test_file_lookup(void)
{
    char dir[] = "/tmp/precis-config-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char sub[512], file[512];
    snprintf(sub, sizeof sub, "%s/precis", dir);
    snprintf(file, sizeof file, "%s/precis/config", dir);
    CHECK(mkdir(sub, 0700) == 0);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("profile = p\n[profile p]\nbase_url = http://127.0.0.1:1/v1\nmodel = m\n"
          "api_key = sk-literal-key-in-the-file-0123\n", f);
    fclose(f);
    chmod(file, 0644);
    precis_error err;
    precis_config *cfg = NULL;
    setenv("XDG_CONFIG_HOME", dir, 1);
    CHECK(precis_config_load(NULL, &cfg, &err) == PRECIS_OK);
    CHECK(cfg && precis_config_file_found(cfg));
    CHECK(cfg && strcmp(precis_config_path(cfg), file) == 0);
    CHECK(cfg && strcmp(precis_config_model(cfg), "m") == 0);
    precis_buf d;
    precis_buf_init(&d, 0);
    if (cfg)
        precis_config_describe(cfg, false, &d);
    CHECK_CONTAINS(d.ptr, "; others can read the file: chmod 600 ");
    CHECK(strstr(d.ptr, "literal-key") == NULL);
    precis_buf_release(&d);
    precis_config_free(cfg);
    chmod(file, 0600);
    CHECK(precis_config_load(NULL, &cfg, &err) == PRECIS_OK);
    precis_buf_init(&d, 0);
    if (cfg)
        precis_config_describe(cfg, false, &d);
    CHECK(strstr(d.ptr, "chmod") == NULL);
    CHECK_CONTAINS(d.ptr, "api_key = sk-\xE2\x80\xA6" "123  (config line 5; ");
    precis_buf_release(&d);
    precis_config_free(cfg);
    setenv("PRECIS_CONFIG", "/nonexistent/precis.conf", 1);
    CHECK(precis_config_load(NULL, &cfg, &err) == PRECIS_ERR_USAGE && cfg == NULL);
    CHECK_STR(err.msg, "cannot read config /nonexistent/precis.conf (from PRECIS_CONFIG): No "
                       "such file or directory");
    setenv("PRECIS_CONFIG", "", 1);
    CHECK(precis_config_load(NULL, &cfg, &err) == PRECIS_OK);
    CHECK(cfg && !precis_config_has_model(cfg) && precis_config_path(cfg) == NULL);
    precis_config_free(cfg);
    unsetenv("PRECIS_CONFIG");
    setenv("XDG_CONFIG_HOME", "/nonexistent-xdg", 1);
    CHECK(precis_config_load(NULL, &cfg, &err) == PRECIS_OK);
    CHECK(cfg && !precis_config_file_found(cfg));
    precis_config_free(cfg);
    CHECK(precis_config_load("p", &cfg, &err) == PRECIS_ERR_USAGE);
    CHECK_CONTAINS(err.msg, "profile 'p' (flag --profile) not found: no config file at");
    unlink(file);
    rmdir(sub);
    rmdir(dir);
    clean_env();
}

int main(void)
{
    clean_env();
    test_ini_tokens();
    test_errors();
    test_profiles_and_precedence();
    test_defaults_and_model();
    test_azure();
    test_redact();
    test_examples();
    test_file_lookup();
    return CHECK_DONE();
}
