/* Provider error bodies (every envelope of openai-compat.md 6.1), their classification
 * and the one-line message a user sees. */
#include "llm_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void precis_llm_apierr_release(precis_llm_apierr *e)
{
    free(e->message);
    free(e->code);
    free(e->type);
    free(e->param);
    memset(e, 0, sizeof *e);
}

/* A string value as is, a number as digits, an object/array as compact JSON; else NULL. */
static char *value_text(const cJSON *v)
{
    if (cJSON_IsString(v) && v->valuestring)
        return precis_xstrdup(v->valuestring);
    if (cJSON_IsNumber(v)) {
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "%.0f", v->valuedouble);
        return precis_buf_detach(&b);
    }
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        char *s = cJSON_PrintUnformatted(v);
        if (!s)
            precis_die("out of memory");
        char *copy = precis_xstrdup(s);
        cJSON_free(s);
        return copy;
    }
    return NULL;
}

static bool is_digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

bool precis_llm_apierr_from_json(const cJSON *root, precis_llm_apierr *e)
{
    if (!cJSON_IsObject(root))
        return false;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *src = NULL;
    if (cJSON_IsObject(err)) {
        src = err;
    } else if (cJSON_IsString(err) && err->valuestring) {
        e->message = precis_xstrdup(err->valuestring);
    } else {
        const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "object");
        if (!(cJSON_IsString(obj) && obj->valuestring && strcmp(obj->valuestring, "error") == 0))
            return false;
        src = root; /* flat envelope: vLLM < 0.10.1, Mistral */
    }
    if (src) {
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(src, "message");
        e->message = value_text(msg);
        if (!e->message && src == err)
            e->message = value_text(cJSON_GetObjectItemCaseSensitive(root, "message"));
        if (!e->message && src == err)
            e->message = value_text(err);
        e->code = value_text(cJSON_GetObjectItemCaseSensitive(src, "code"));
        e->type = value_text(cJSON_GetObjectItemCaseSensitive(src, "type"));
        e->param = value_text(cJSON_GetObjectItemCaseSensitive(src, "param"));
    }
    if ((e->status == 0 || e->status == 200) && is_digits(e->code)) {
        long c = strtol(e->code, NULL, 10);
        if (c >= 100 && c < 600)
            e->status = c;
    }
    e->present = true;
    return true;
}

/* Readable start of a non-JSON body: tags dropped, whitespace folded, at most 200 bytes. */
static char *body_snippet(const char *body, size_t len)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    bool in_tag = false, space = false;
    for (size_t i = 0; i < len && b.len < 200; i++) {
        unsigned char c = (unsigned char)body[i];
        if (c == '<') {
            in_tag = true;
            space = b.len > 0;
            continue;
        }
        if (in_tag) {
            in_tag = c != '>';
            continue;
        }
        if (c < 0x20 || c == 0x7f || c == ' ') {
            space = b.len > 0;
            continue;
        }
        if (space)
            precis_buf_putc(&b, ' ');
        space = false;
        precis_buf_putc(&b, (char)c);
    }
    while (b.len > 0 && ((unsigned char)b.ptr[b.len - 1] & 0xC0) == 0x80)
        b.len--; /* do not end inside a UTF-8 sequence */
    if (b.len > 0 && (unsigned char)b.ptr[b.len - 1] >= 0xC0)
        b.len--;
    b.ptr[b.len] = '\0';
    if (b.len == 0) {
        precis_buf_release(&b);
        return NULL;
    }
    return precis_buf_detach(&b);
}

void precis_llm_apierr_from_body(const char *body, size_t len, long status, precis_llm_apierr *e)
{
    e->status = status;
    cJSON *root = len ? cJSON_ParseWithLength(body, len) : NULL;
    if (root)
        precis_llm_apierr_from_json(root, e);
    cJSON_Delete(root);
    if (!e->message)
        e->message = body_snippet(body, len);
    if (!e->message) {
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "HTTP %ld", status);
        e->message = precis_buf_detach(&b);
    }
    e->present = true;
}

static bool eq(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* Case-insensitive substring search. */
static bool has_word(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

bool precis_llm_is_overflow(const precis_llm_apierr *e)
{
    if (eq(e->code, "context_length_exceeded") || eq(e->type, "exceed_context_size_error"))
        return true;
    if (e->status == 429)
        return false; /* "tokens per minute" rate limits are not overflows */
    const char *m = e->message;
    return has_word(m, "maximum context length") || has_word(m, "context size")
           || has_word(m, "context window") || has_word(m, "too many tokens")
           || has_word(m, "context length")
           || has_word(m, "context_length_exceeded");
}

precis_llm_class precis_llm_classify(const precis_llm_apierr *e)
{
    long s = e->status;
    if (precis_llm_is_overflow(e))
        return PRECIS_LLM_CONTEXT_OVERFLOW;
    if (eq(e->code, "insufficient_quota") || eq(e->type, "insufficient_quota") || s == 402)
        return PRECIS_LLM_QUOTA;
    if (s == 401 || s == 403 || eq(e->code, "invalid_api_key"))
        return PRECIS_LLM_AUTH;
    if (s == 404 || eq(e->code, "model_not_found") || eq(e->code, "DeploymentNotFound"))
        return PRECIS_LLM_NOT_FOUND;
    if (s == 429)
        return PRECIS_LLM_RATE_LIMIT;
    if (eq(e->code, "unsupported_parameter") || eq(e->code, "unsupported_value")
        || (s == 422 && (has_word(e->message, "extra_forbidden") || has_word(e->message, "Extra inputs"))))
        return PRECIS_LLM_UNSUPPORTED_PARAM;
    if (s == 408 || s >= 500)
        return PRECIS_LLM_SERVER;
    if (s >= 400)
        return PRECIS_LLM_BAD_REQUEST;
    return PRECIS_LLM_SERVER; /* an error inside a 2xx answer */
}

static const char *field_name(precis_llm_max_field f)
{
    return f == PRECIS_LLM_MAX_COMPLETION_TOKENS ? "max_completion_tokens" : "max_tokens";
}

precis_llm_max_field precis_llm_param_fallback(const precis_llm_apierr *e, long http_status,
                                               precis_llm_max_field used)
{
    if (used == PRECIS_LLM_MAX_NONE || (http_status != 400 && http_status != 422))
        return used;
    const char *name = field_name(used);
    bool named = eq(e->param, name);
    if (!e->param && e->message) {
        /* no param: look for the name as a whole word in the message */
        const char *m = e->message;
        size_t n = strlen(name);
        for (const char *p = strstr(m, name); p && !named; p = strstr(p + 1, name)) {
            bool left = p == m || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
            bool right = !(isalnum((unsigned char)p[n]) || p[n] == '_');
            named = left && right;
        }
    }
    bool rejected = eq(e->code, "unsupported_parameter") || has_word(e->message, "unsupported parameter")
                    || has_word(e->message, "not supported") || has_word(e->message, "extra_forbidden")
                    || has_word(e->message, "extra inputs") || has_word(e->message, "unrecognized");
    if (!named || !rejected)
        return used;
    return used == PRECIS_LLM_MAX_TOKENS ? PRECIS_LLM_MAX_COMPLETION_TOKENS : PRECIS_LLM_MAX_TOKENS;
}

const char *precis_llm_class_name(precis_llm_class cls)
{
    switch (cls) {
    case PRECIS_LLM_OK: return "ok";
    case PRECIS_LLM_CONTEXT_OVERFLOW: return "context_overflow";
    case PRECIS_LLM_AUTH: return "auth";
    case PRECIS_LLM_NOT_FOUND: return "not_found";
    case PRECIS_LLM_QUOTA: return "quota";
    case PRECIS_LLM_RATE_LIMIT: return "rate_limit";
    case PRECIS_LLM_SERVER: return "server";
    case PRECIS_LLM_UNSUPPORTED_PARAM: return "unsupported_parameter";
    case PRECIS_LLM_BAD_REQUEST: return "bad_request";
    case PRECIS_LLM_REDIRECT: return "redirect";
    case PRECIS_LLM_CONNECT: return "connect";
    case PRECIS_LLM_TIMEOUT_IDLE: return "timeout_idle";
    case PRECIS_LLM_TIMEOUT_TOTAL: return "timeout_total";
    case PRECIS_LLM_TRUNCATED: return "truncated";
    case PRECIS_LLM_EMPTY: return "empty";
    case PRECIS_LLM_BAD_RESPONSE: return "bad_response";
    case PRECIS_LLM_CANCELLED: return "cancelled";
    }
    return "unknown";
}

bool precis_llm_class_is_transient(precis_llm_class cls)
{
    return cls == PRECIS_LLM_RATE_LIMIT || cls == PRECIS_LLM_SERVER || cls == PRECIS_LLM_CONNECT
           || cls == PRECIS_LLM_TIMEOUT_IDLE || cls == PRECIS_LLM_TIMEOUT_TOTAL
           || cls == PRECIS_LLM_TRUNCATED;
}

static const char *hint(precis_llm_class cls)
{
    switch (cls) {
    case PRECIS_LLM_AUTH: return "check OPENAI_API_KEY or api_key in your profile";
    case PRECIS_LLM_NOT_FOUND: return "check the model name ('precis models' lists them) and base_url";
    case PRECIS_LLM_QUOTA: return "out of credits or quota: check your plan and billing with the provider";
    case PRECIS_LLM_RATE_LIMIT: return "rate limited: wait a moment and try again";
    case PRECIS_LLM_CONTEXT_OVERFLOW: return "the text does not fit the model's context: use a shorter input or a larger model";
    case PRECIS_LLM_SERVER: return "the provider failed: try again later";
    case PRECIS_LLM_UNSUPPORTED_PARAM: return "the model rejected a request field: adjust max_tokens_field or temperature in your profile";
    case PRECIS_LLM_BAD_REQUEST: return "the provider rejected the request";
    case PRECIS_LLM_REDIRECT: return "redirects are not followed: set base_url to the final address";
    case PRECIS_LLM_CONNECT: return "is the server running? check base_url";
    case PRECIS_LLM_TIMEOUT_IDLE: return "the server went silent: try again or raise the idle timeout";
    case PRECIS_LLM_TIMEOUT_TOTAL: return "the answer took too long: raise the time limit or use a shorter input";
    case PRECIS_LLM_TRUNCATED: return "the answer was cut off (partial answer kept): try again";
    case PRECIS_LLM_EMPTY: return "the model returned no text (some servers do this when the input is too long): try a shorter input or another model";
    case PRECIS_LLM_BAD_RESPONSE: return "this does not look like an OpenAI-compatible API: check base_url";
    case PRECIS_LLM_CANCELLED: return "interrupted";
    case PRECIS_LLM_OK: return "";
    }
    return "";
}

/* Appends s to out with control characters folded to spaces and the key blanked out. */
static void put_clean(precis_buf *out, const char *s, const char *key, size_t max)
{
    size_t klen = key ? strlen(key) : 0;
    size_t start = out->len;
    while (*s && out->len - start < max) {
        if (klen >= 4 && strncmp(s, key, klen) == 0) {
            precis_buf_puts(out, "[redacted]");
            s += klen;
            continue;
        }
        unsigned char c = (unsigned char)*s++;
        precis_buf_putc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
    }
}

void precis_llm_fail(precis_llm_result *res, const precis_llm_request *req, precis_llm_class cls,
                     const char *detail)
{
    const char *key = req ? req->api_key : NULL;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, "model API error (");
    if (res->http_status > 0)
        precis_buf_printf(&b, "%ld from ", res->http_status);
    const char *url = req && req->base_url ? req->base_url : "?";
    const char *q = strchr(url, '?');
    put_clean(&b, url, key, q ? (size_t)(q - url) : 300);
    precis_buf_puts(&b, "): ");
    if (detail && *detail) {
        put_clean(&b, detail, key, 600);
        precis_buf_puts(&b, "; ");
    }
    precis_buf_puts(&b, hint(cls));
    res->cls = cls;
    res->code = cls == PRECIS_LLM_CANCELLED ? PRECIS_ERR_CANCELLED : PRECIS_ERR_API;
    precis_error_set(&res->err, res->code, "%s", b.ptr);
    precis_buf_release(&b);
}
