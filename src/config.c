/* Config values: key table, validation, storage, defaults and getters. */
#include "config_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/strdist.h"

static const char *const key_names[PRECIS_KEY_COUNT] = {
    [PRECIS_KEY_BASE_URL] = "base_url",
    [PRECIS_KEY_MODEL] = "model",
    [PRECIS_KEY_API_KEY] = "api_key",
    [PRECIS_KEY_API_KEY_ENV] = "api_key_env",
    [PRECIS_KEY_API_KEY_FILE] = "api_key_file",
    [PRECIS_KEY_API_KEY_CMD] = "api_key_cmd",
    [PRECIS_KEY_AUTH] = "auth",
    [PRECIS_KEY_API_VERSION] = "api_version",
    [PRECIS_KEY_HEADER] = "header",
    [PRECIS_KEY_CONTEXT_TOKENS] = "context_tokens",
    [PRECIS_KEY_MAX_TOKENS] = "max_tokens",
    [PRECIS_KEY_TOKEN_LIMIT_FIELD] = "token_limit_field",
    [PRECIS_KEY_TEMPERATURE] = "temperature",
    [PRECIS_KEY_INCLUDE_USAGE] = "include_usage",
    [PRECIS_KEY_JOBS] = "jobs",
    [PRECIS_KEY_PROMPT] = "prompt",
    [PRECIS_KEY_LENGTH] = "length",
    [PRECIS_KEY_LANG] = "lang",
    [PRECIS_KEY_LOG] = "log",
    [PRECIS_KEY_EMBEDDINGS_MODEL] = "embeddings_model",
    [PRECIS_KEY_SEARCH_EXPAND] = "search_expand",
};

static const char openai_base[] = "https://api.openai.com/v1";

int precis_config_key_index(const char *name)
{
    for (int k = 0; k < PRECIS_KEY_COUNT; k++)
        if (strcmp(key_names[k], name) == 0)
            return k;
    return -1;
}

const char *precis_config_key_name(int k)
{
    return k >= 0 && k < PRECIS_KEY_COUNT ? key_names[k] : "?";
}

const char *precis_config_suggest(const char *name)
{
    const char *best = NULL;
    int best_d = 3;
    for (int k = 0; k < PRECIS_KEY_COUNT; k++) {
        int d = precis_edit_distance(name, strlen(name), key_names[k], strlen(key_names[k]));
        if (d < best_d) {
            best_d = d;
            best = key_names[k];
        }
    }
    return best;
}

/* Parses a whole decimal number in [lo, hi]. */
static bool parse_long(const char *s, long lo, long hi, long *out)
{
    long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > hi / 10 + 1)
            return false;
        v = v * 10 + (*s - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Parses "D[.DDD]" without the locale (strtod depends on LC_NUMERIC). */
static bool parse_decimal(const char *s, double *out)
{
    double v = 0, scale = 1;
    bool digits = false, dot = false;
    for (; *s; s++) {
        if (*s == '.' && !dot) {
            dot = true;
        } else if (*s >= '0' && *s <= '9') {
            digits = true;
            if (dot) {
                scale /= 10;
                v += (*s - '0') * scale;
            } else {
                v = v * 10 + (*s - '0');
                if (v > 1e6)
                    return false;
            }
        } else {
            return false;
        }
    }
    if (!digits)
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static bool is_env_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* Normalises "Name:value" to "Name: value"; false if it is not a valid header. */
static bool normalise_header(const char *v, precis_buf *norm)
{
    const char *colon = strchr(v, ':');
    if (!colon || colon == v)
        return false;
    for (const char *p = v; p < colon; p++)
        if (!is_token_char(*p))
            return false;
    const char *val = colon + 1;
    while (*val == ' ' || *val == '\t')
        val++;
    precis_buf_append(norm, v, (size_t)(colon - v));
    precis_buf_puts(norm, ": ");
    precis_buf_puts(norm, val);
    return true;
}

const char *precis_config_validate(int k, const char *v, precis_buf *norm)
{
    long n;
    double d;
    bool b;
    precis_buf_reset(norm);
    if (has_control(v))
        return "a value without control characters";
    switch (k) {
    case PRECIS_KEY_BASE_URL: {
        if (strncasecmp(v, "http://", 7) != 0 && strncasecmp(v, "https://", 8) != 0)
            return "a URL starting with http:// or https://";
        if (strchr(v, ' ') || strchr(v, '?') || strchr(v, '#'))
            return "a URL without spaces, '?' or '#' (use api_version for ?api-version=)";
        size_t len = strlen(v);
        while (len && v[len - 1] == '/')
            len--;
        size_t scheme = strncasecmp(v, "https", 5) == 0 ? 8 : 7;
        if (len <= scheme || v[scheme] == '/')
            return "a URL with a host name";
        precis_buf_append(norm, v, len);
        return NULL;
    }
    case PRECIS_KEY_API_KEY_ENV:
        if (!is_env_name(v))
            return "the name of an environment variable (letters, digits, '_')";
        break;
    case PRECIS_KEY_CONTEXT_TOKENS:
        if (!parse_long(v, 256, 100000000, &n))
            return "a whole number of tokens from 256 to 100000000";
        break;
    case PRECIS_KEY_MAX_TOKENS:
        if (!parse_long(v, 1, 10000000, &n))
            return "a whole number of tokens from 1 to 10000000";
        break;
    case PRECIS_KEY_JOBS:
        if (!parse_long(v, 1, 64, &n))
            return "a whole number from 1 to 64";
        break;
    case PRECIS_KEY_TEMPERATURE:
        if (!parse_decimal(v, &d) || d > 2.0)
            return "a number from 0 to 2, such as 0.2";
        break;
    case PRECIS_KEY_TOKEN_LIMIT_FIELD:
        if (strcmp(v, "max_tokens") && strcmp(v, "max_completion_tokens") && strcmp(v, "none"))
            return "max_tokens, max_completion_tokens or none";
        break;
    case PRECIS_KEY_AUTH:
        if (strcmp(v, "bearer") && strcmp(v, "api-key") && strcmp(v, "none"))
            return "bearer, api-key or none";
        break;
    case PRECIS_KEY_INCLUDE_USAGE:
    case PRECIS_KEY_LOG:
    case PRECIS_KEY_SEARCH_EXPAND:
        if (!parse_bool(v, &b))
            return "true or false";
        precis_buf_puts(norm, b ? "true" : "false");
        return NULL;
    case PRECIS_KEY_LENGTH:
        if (strcmp(v, "short") && strcmp(v, "medium") && strcmp(v, "long"))
            return "short, medium or long";
        break;
    case PRECIS_KEY_API_VERSION:
        for (const char *p = v; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_'))
                return "a version such as 2024-10-21 (letters, digits, '-', '.')";
        break;
    case PRECIS_KEY_HEADER:
        if (!normalise_header(v, norm))
            return "a header line such as \"X-Title: precis\"";
        return NULL;
    case PRECIS_KEY_LANG:
        if (strlen(v) > 64)
            return "a language name of at most 64 bytes, such as French";
        break;
    default:
        break;
    }
    if (!*v)
        return "a non-empty value";
    precis_buf_puts(norm, v);
    return NULL;
}

static void setting_clear(precis_setting *s)
{
    free(s->value);
    free(s->source);
    s->value = NULL;
    s->source = NULL;
    s->layer = PRECIS_LAYER_DEFAULT;
}

static bool is_key_source(int k)
{
    return k >= PRECIS_KEY_API_KEY && k <= PRECIS_KEY_API_KEY_CMD;
}

void precis_config_store(precis_config *cfg, int k, const char *value, const char *source,
                         int layer)
{
    precis_setting *s;
    if (k == PRECIS_KEY_HEADER) {
        cfg->headers = precis_xrealloc(cfg->headers, (cfg->n_headers + 1) * sizeof *cfg->headers);
        s = &cfg->headers[cfg->n_headers++];
    } else {
        if (is_key_source(k))
            for (int j = PRECIS_KEY_API_KEY; j <= PRECIS_KEY_API_KEY_CMD; j++)
                setting_clear(&cfg->s[j]);
        s = &cfg->s[k];
        setting_clear(s);
    }
    s->value = precis_xstrdup(value);
    s->source = precis_xstrdup(source);
    s->layer = layer;
}

int precis_config_key_source(const precis_config *cfg)
{
    for (int j = PRECIS_KEY_API_KEY; j <= PRECIS_KEY_API_KEY_CMD; j++)
        if (cfg->s[j].value)
            return j;
    return -1;
}

void precis_config_owner(const precis_config *cfg, precis_buf *out)
{
    if (cfg->profile)
        precis_buf_printf(out, "profile '%s'", cfg->profile);
    else
        precis_buf_puts(out, "the default settings");
}

precis_config *precis_config_new(void)
{
    precis_config *cfg = precis_xcalloc(1, sizeof *cfg);
    cfg->key_timeout_ms = 10000;
    return cfg;
}

void precis_config_free(precis_config *cfg)
{
    if (!cfg)
        return;
    for (int k = 0; k < PRECIS_KEY_COUNT; k++)
        setting_clear(&cfg->s[k]);
    for (size_t i = 0; i < cfg->n_headers; i++)
        setting_clear(&cfg->headers[i]);
    free(cfg->headers);
    for (size_t i = 0; i < cfg->n_profiles; i++)
        free(cfg->profile_names[i]);
    free(cfg->profile_names);
    free(cfg->path);
    free(cfg->profile);
    free(cfg->profile_source);
    free(cfg);
}

precis_result precis_config_set(precis_config *cfg, const char *key, const char *value,
                                const char *flag, precis_error *err)
{
    if (strcmp(key, "api_key") == 0)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "an API key is never taken from the command line (it would show "
                                "in the process list and shell history): set api_key_env, "
                                "api_key_file or api_key_cmd in the config, or OPENAI_API_KEY");
    if (strcmp(key, "profile") == 0)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "the profile is chosen when the config is loaded");
    int k = precis_config_key_index(key);
    if (k < 0) {
        const char *hint = precis_config_suggest(key);
        return precis_error_set(err, PRECIS_ERR_USAGE, "%s: unknown setting '%s'%s%s%s", flag,
                                key, hint ? " (did you mean '" : "", hint ? hint : "",
                                hint ? "'?)" : "");
    }
    precis_buf norm, src;
    precis_buf_init(&norm, 0);
    precis_buf_init(&src, 0);
    const char *why = precis_config_validate(k, value, &norm);
    precis_result r = PRECIS_OK;
    if (why) {
        r = precis_error_set(err, PRECIS_ERR_USAGE, "%s: bad value for %s: expected %s", flag,
                             key, why);
    } else {
        precis_buf_printf(&src, "flag %s", flag);
        precis_config_store(cfg, k, norm.ptr, src.ptr, PRECIS_LAYER_FLAG);
    }
    precis_buf_release(&norm);
    precis_buf_release(&src);
    return r;
}

/* Copies the host of url (lowercased, without port) into host. */
static void url_host(const char *url, char *host, size_t size)
{
    host[0] = '\0';
    if (!url)
        return;
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *at = p;
    while (*at && *at != '/' && *at != '@')
        at++;
    if (*at == '@')
        p = at + 1;
    size_t n = 0;
    while (p[n] && p[n] != '/' && p[n] != ':' && n + 1 < size) {
        char c = p[n];
        host[n] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        n++;
    }
    host[n] = '\0';
}

static bool host_ends_with(const char *host, const char *suffix)
{
    size_t h = strlen(host), s = strlen(suffix);
    return h >= s && strcmp(host + h - s, suffix) == 0 && (h == s || host[h - s - 1] == '.');
}

bool precis_config_is_openai_url(const char *url)
{
    char host[256];
    url_host(url, host, sizeof host);
    return strcmp(host, "api.openai.com") == 0;
}

static bool is_openai(const precis_config *cfg)
{
    return precis_config_is_openai_url(precis_config_base_url(cfg));
}

static bool is_azure(const precis_config *cfg)
{
    char host[256];
    url_host(precis_config_base_url(cfg), host, sizeof host);
    return host_ends_with(host, "openai.azure.com") || host_ends_with(host, "azure-api.net") ||
           host_ends_with(host, "cognitiveservices.azure.com") ||
           host_ends_with(host, "services.ai.azure.com");
}

/* The effective value of key k and its source text (defaults included). */
static const char *effective(const precis_config *cfg, int k, const char **source)
{
    const char *dummy;
    if (!source)
        source = &dummy;
    if (k < 0 || k >= PRECIS_KEY_COUNT || k == PRECIS_KEY_HEADER) {
        *source = "default";
        return NULL;
    }
    if (cfg->s[k].value) {
        *source = cfg->s[k].source;
        return cfg->s[k].value;
    }
    *source = "default";
    switch (k) {
    case PRECIS_KEY_BASE_URL:
        if (precis_config_key_source(cfg) >= 0) {
            *source = "default when only an API key is set";
            return openai_base;
        }
        return NULL;
    case PRECIS_KEY_MODEL:
        if (is_openai(cfg)) {
            *source = "default for api.openai.com";
            return "gpt-4o-mini";
        }
        return NULL;
    case PRECIS_KEY_AUTH:
        if (is_azure(cfg)) {
            *source = "default for Azure";
            return "api-key";
        }
        return "bearer";
    case PRECIS_KEY_CONTEXT_TOKENS:
        if (is_openai(cfg) || is_azure(cfg)) {
            *source = "default for OpenAI/Azure";
            return "128000";
        }
        return "8192";
    case PRECIS_KEY_TOKEN_LIMIT_FIELD:
        if (is_openai(cfg) || is_azure(cfg)) {
            *source = "default for OpenAI/Azure";
            return "max_completion_tokens";
        }
        return "max_tokens";
    case PRECIS_KEY_INCLUDE_USAGE:
    case PRECIS_KEY_LOG:
        return "true";
    case PRECIS_KEY_SEARCH_EXPAND:
        return "false";
    case PRECIS_KEY_JOBS:
        return "4";
    case PRECIS_KEY_PROMPT:
        return "summarize";
    case PRECIS_KEY_LENGTH:
        return "medium";
    default:
        return NULL;
    }
}

const char *precis_config_get(const precis_config *cfg, const char *key)
{
    int k = precis_config_key_index(key);
    if (k == PRECIS_KEY_API_KEY)
        return NULL;
    return effective(cfg, k, NULL);
}

const char *precis_config_source(const precis_config *cfg, const char *key)
{
    const char *src;
    effective(cfg, precis_config_key_index(key), &src);
    return src;
}

precis_config_origin precis_config_origin_of(const precis_config *cfg, const char *key)
{
    int k = precis_config_key_index(key);
    if (k < 0 || k == PRECIS_KEY_HEADER || !cfg->s[k].value)
        return PRECIS_ORIGIN_DEFAULT;
    switch (cfg->s[k].layer) {
    case PRECIS_LAYER_GLOBAL:
    case PRECIS_LAYER_PROFILE: return PRECIS_ORIGIN_FILE;
    case PRECIS_LAYER_ENV: return PRECIS_ORIGIN_ENV;
    case PRECIS_LAYER_FLAG: return PRECIS_ORIGIN_FLAG;
    default: return PRECIS_ORIGIN_DEFAULT;
    }
}

const char *precis_config_path(const precis_config *cfg)
{
    return cfg->path;
}

bool precis_config_file_found(const precis_config *cfg)
{
    return cfg->found;
}

const char *precis_config_profile(const precis_config *cfg)
{
    return cfg->profile;
}

size_t precis_config_profile_count(const precis_config *cfg)
{
    return cfg->n_profiles;
}

const char *precis_config_profile_name(const precis_config *cfg, size_t i)
{
    return i < cfg->n_profiles ? cfg->profile_names[i] : NULL;
}

bool precis_config_has_model(const precis_config *cfg)
{
    return cfg->s[PRECIS_KEY_BASE_URL].value || precis_config_key_source(cfg) >= 0;
}

const char *precis_config_base_url(const precis_config *cfg)
{
    return effective(cfg, PRECIS_KEY_BASE_URL, NULL);
}

const char *precis_config_model(const precis_config *cfg)
{
    return effective(cfg, PRECIS_KEY_MODEL, NULL);
}

const char *precis_config_prompt(const precis_config *cfg)
{
    return effective(cfg, PRECIS_KEY_PROMPT, NULL);
}

const char *precis_config_length(const precis_config *cfg)
{
    return effective(cfg, PRECIS_KEY_LENGTH, NULL);
}

const char *precis_config_lang(const precis_config *cfg)
{
    return effective(cfg, PRECIS_KEY_LANG, NULL);
}

const char *precis_config_api_version(const precis_config *cfg)
{
    return effective(cfg, PRECIS_KEY_API_VERSION, NULL);
}

static long effective_long(const precis_config *cfg, int k)
{
    const char *v = effective(cfg, k, NULL);
    long n = 0;
    if (v && !parse_long(v, 0, 100000000, &n))
        n = 0;
    return n;
}

long precis_config_context_tokens(const precis_config *cfg)
{
    return effective_long(cfg, PRECIS_KEY_CONTEXT_TOKENS);
}

long precis_config_max_tokens(const precis_config *cfg)
{
    return effective_long(cfg, PRECIS_KEY_MAX_TOKENS);
}

long precis_config_jobs(const precis_config *cfg)
{
    return effective_long(cfg, PRECIS_KEY_JOBS);
}

precis_token_field precis_config_token_field(const precis_config *cfg)
{
    const char *v = effective(cfg, PRECIS_KEY_TOKEN_LIMIT_FIELD, NULL);
    if (strcmp(v, "max_completion_tokens") == 0)
        return PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS;
    if (strcmp(v, "none") == 0)
        return PRECIS_TOKEN_FIELD_NONE;
    return PRECIS_TOKEN_FIELD_MAX_TOKENS;
}

precis_auth precis_config_auth(const precis_config *cfg)
{
    const char *v = effective(cfg, PRECIS_KEY_AUTH, NULL);
    if (strcmp(v, "api-key") == 0)
        return PRECIS_AUTH_API_KEY;
    if (strcmp(v, "none") == 0)
        return PRECIS_AUTH_NONE;
    return PRECIS_AUTH_BEARER;
}

bool precis_config_include_usage(const precis_config *cfg)
{
    return strcmp(effective(cfg, PRECIS_KEY_INCLUDE_USAGE, NULL), "true") == 0;
}

bool precis_config_log(const precis_config *cfg)
{
    return strcmp(effective(cfg, PRECIS_KEY_LOG, NULL), "true") == 0;
}

const char *precis_config_embeddings_model(const precis_config *cfg)
{
    return effective(cfg, PRECIS_KEY_EMBEDDINGS_MODEL, NULL);
}

bool precis_config_search_expand(const precis_config *cfg)
{
    return strcmp(effective(cfg, PRECIS_KEY_SEARCH_EXPAND, NULL), "true") == 0;
}

bool precis_config_temperature(const precis_config *cfg, double *t)
{
    const char *v = cfg->s[PRECIS_KEY_TEMPERATURE].value;
    return v && parse_decimal(v, t);
}

size_t precis_config_header_count(const precis_config *cfg)
{
    return cfg->n_headers;
}

const char *precis_config_header(const precis_config *cfg, size_t i)
{
    return i < cfg->n_headers ? cfg->headers[i].value : NULL;
}

void precis_config_set_key_timeout(precis_config *cfg, int ms)
{
    cfg->key_timeout_ms = ms > 0 ? ms : 10000;
}

precis_result precis_config_check(const precis_config *cfg, precis_error *err)
{
    const char *base = precis_config_base_url(cfg);
    if (!base)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "no model endpoint configured: set base_url in the config, "
                                "OPENAI_BASE_URL or --base-url (or OPENAI_API_KEY for OpenAI)");
    if (precis_config_model(cfg) || precis_config_api_version(cfg))
        return PRECIS_OK;
    precis_buf where;
    precis_buf_init(&where, 0);
    if (cfg->profile)
        precis_buf_printf(&where, "[profile %s]", cfg->profile);
    else
        precis_buf_puts(&where, "the config");
    precis_error_set(err, PRECIS_ERR_USAGE,
                     "no model set for %s: add 'model = NAME' to %s%s%s, set PRECIS_MODEL, "
                     "or pass -m NAME ('precis models' lists what the server offers)",
                     base, where.ptr, cfg->path ? " in " : "", cfg->path ? cfg->path : "");
    precis_buf_release(&where);
    return PRECIS_ERR_USAGE;
}

precis_result precis_config_url(const precis_config *cfg, const char *path, precis_buf *out,
                                precis_error *err)
{
    const char *base = precis_config_base_url(cfg);
    if (!base)
        return precis_error_set(err, PRECIS_ERR_USAGE, "no base_url configured");
    precis_buf_puts(out, base);
    precis_buf_puts(out, path);
    const char *ver = precis_config_api_version(cfg);
    if (ver)
        precis_buf_printf(out, "?api-version=%s", ver);
    return PRECIS_OK;
}
