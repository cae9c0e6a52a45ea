/* `precis config`: the effective settings with their sources, secrets redacted. */
#include "config_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Byte length of the UTF-8 sequence that ends at s[len - 1]'s code point start. */
static size_t tail_start(const char *s, size_t len, int chars)
{
    size_t i = len;
    while (chars-- > 0 && i > 0) {
        i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
    }
    return i;
}

void precis_config_redact(const char *key, precis_buf *out)
{
    size_t len = strlen(key);
    if (len < 16) {
        precis_buf_puts(out, "set");
        return;
    }
    size_t prefix = 0;
    for (size_t i = 0; i < 5 && i < len; i++) {
        if (key[i] == '-' || key[i] == '_') {
            prefix = i + 1;
            break;
        }
    }
    precis_buf_append(out, key, prefix);
    precis_buf_puts(out, "\xE2\x80\xA6");
    size_t t = tail_start(key, len, 3);
    precis_buf_append(out, key + t, len - t);
}

/* Header names whose values are secrets. */
static bool is_secret_header(const char *h)
{
    static const char *const words[] = {"auth", "key", "token", "secret", "cookie", "password"};
    const char *colon = strchr(h, ':');
    size_t n = colon ? (size_t)(colon - h) : strlen(h);
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t wl = strlen(words[w]);
        for (size_t i = 0; i + wl <= n; i++)
            if (strncasecmp(h + i, words[w], wl) == 0)
                return true;
    }
    return false;
}

static void line(precis_buf *out, const char *key, const char *value, const char *source)
{
    precis_buf_printf(out, "%s = %s  (%s)\n", key, value, source);
}

static void describe_key(const precis_config *cfg, bool run_cmd, precis_buf *out)
{
    int k = precis_config_key_source(cfg);
    if (precis_config_auth(cfg) == PRECIS_AUTH_NONE) {
        line(out, "api_key", "(not sent)", "auth = none");
        return;
    }
    if (k < 0) {
        line(out, "api_key", "(none)", "default");
        return;
    }
    const precis_setting *s = &cfg->s[k];
    precis_buf value, source;
    precis_buf_init(&value, 0);
    precis_buf_init(&source, 0);
    switch (k) {
    case PRECIS_KEY_API_KEY:
        precis_buf_printf(&source, "%s; api_key_env, api_key_file or api_key_cmd keep it out of "
                                   "the file", s->source);
        if (cfg->readable_by_others && s->layer != PRECIS_LAYER_FLAG)
            precis_buf_printf(&source, "; others can read the file: chmod 600 %s", cfg->path);
        break;
    case PRECIS_KEY_API_KEY_ENV:
        if (strncmp(s->source, "env ", 4) == 0)
            precis_buf_puts(&source, s->source);
        else
            precis_buf_printf(&source, "from api_key_env %s in %s", s->value, s->source);
        break;
    case PRECIS_KEY_API_KEY_FILE:
        precis_buf_printf(&source, "from api_key_file %s in %s", s->value, s->source);
        break;
    default:
        precis_buf_printf(&source, "from api_key_cmd in %s", s->source);
        break;
    }
    if (k == PRECIS_KEY_API_KEY_CMD && !run_cmd) {
        precis_buf_puts(&value, "(not run: the command runs when a request is made)");
    } else {
        char *key = NULL;
        precis_error err;
        precis_error_clear(&err);
        if (precis_config_resolve_key(cfg, &key, &err) == PRECIS_OK && key) {
            precis_config_redact(key, &value);
            volatile char *vp = key;
            for (size_t i = 0; vp[i]; i++)
                vp[i] = 0;
            free(key);
        } else {
            precis_buf_printf(&value, "(error: %s)", err.msg);
        }
    }
    line(out, "api_key", value.ptr, source.ptr);
    precis_buf_release(&value);
    precis_buf_release(&source);
}

void precis_config_describe(const precis_config *cfg, bool run_key_cmd, precis_buf *out)
{
    if (cfg->path)
        line(out, "config", cfg->path, cfg->found ? "found" : "not found");
    else
        line(out, "config", "(none)",
             getenv("PRECIS_CONFIG") ? "PRECIS_CONFIG is empty" : "HOME is not set");
    line(out, "profile", cfg->profile ? cfg->profile : "(none)",
         cfg->profile ? cfg->profile_source : "default");
    if (cfg->n_profiles) {
        precis_buf names;
        precis_buf_init(&names, 0);
        for (size_t i = 0; i < cfg->n_profiles; i++)
            precis_buf_printf(&names, "%s%s", i ? ", " : "", cfg->profile_names[i]);
        line(out, "profiles", names.ptr, "config file");
        precis_buf_release(&names);
    }
    line(out, "model_configured",
         precis_config_has_model(cfg) ? "yes" : "no (the offline summarizer is used)",
         "a base_url or an API key from any source");
    for (int k = 0; k < PRECIS_KEY_COUNT; k++) {
        const char *name = precis_config_key_name(k);
        if (k == PRECIS_KEY_API_KEY) {
            describe_key(cfg, run_key_cmd, out);
            continue;
        }
        if (k >= PRECIS_KEY_API_KEY_ENV && k <= PRECIS_KEY_API_KEY_CMD)
            continue;
        if (k == PRECIS_KEY_HEADER) {
            for (size_t i = 0; i < cfg->n_headers; i++) {
                const char *h = cfg->headers[i].value;
                if (is_secret_header(h)) {
                    const char *colon = strchr(h, ':');
                    precis_buf v;
                    precis_buf_init(&v, 0);
                    precis_buf_append(&v, h, (size_t)(colon - h));
                    precis_buf_puts(&v, ": ");
                    precis_config_redact(colon + 2, &v);
                    line(out, name, v.ptr, cfg->headers[i].source);
                    precis_buf_release(&v);
                } else {
                    line(out, name, h, cfg->headers[i].source);
                }
            }
            continue;
        }
        const char *src = precis_config_source(cfg, name);
        const char *v = precis_config_get(cfg, name);
        if (!v) {
            if (k == PRECIS_KEY_MAX_TOKENS)
                v = "(not sent)";
            else if (k == PRECIS_KEY_TEMPERATURE)
                v = "(not sent: the server's default)";
            else if (k == PRECIS_KEY_MODEL && precis_config_base_url(cfg))
                v = "(none: set model, PRECIS_MODEL or -m)";
            else
                v = "(unset)";
        }
        line(out, name, v, src);
    }
}
