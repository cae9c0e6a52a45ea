/* What goes on the wire: the request URL and a JSON body holding only what was asked for. */
#include "llm_internal.h"

#include <string.h>

void precis_llm_build_url(const precis_llm_request *req, const char *path, precis_buf *out)
{
    const char *base = req->base_url ? req->base_url : "";
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    precis_buf_append(out, base, n);
    precis_buf_puts(out, path);
    if (req->api_version && *req->api_version) {
        precis_buf_puts(out, "?api-version=");
        for (const char *p = req->api_version; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'
                || c == '.' || c == '_')
                precis_buf_putc(out, (char)c);
            else
                precis_buf_printf(out, "%%%02X", c);
        }
    }
}

static void add_message(cJSON *arr, const char *role, const char *content)
{
    cJSON *m = cJSON_CreateObject();
    if (!m || !cJSON_AddStringToObject(m, "role", role)
        || !cJSON_AddStringToObject(m, "content", content ? content : ""))
        precis_die("out of memory");
    cJSON_AddItemToArray(arr, m);
}

void precis_llm_build_body(const precis_llm_request *req, precis_llm_max_field max_field,
                           precis_buf *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root || !cJSON_AddStringToObject(root, "model", req->model ? req->model : ""))
        precis_die("out of memory");
    cJSON *msgs = cJSON_AddArrayToObject(root, "messages");
    if (!msgs)
        precis_die("out of memory");
    if (req->messages) {
        for (size_t i = 0; i < req->n_messages; i++)
            add_message(msgs, req->messages[i].role, req->messages[i].content);
    } else {
        if (req->system)
            add_message(msgs, "system", req->system);
        add_message(msgs, "user", req->user);
    }
    cJSON_AddBoolToObject(root, "stream", req->stream);
    if (req->stream && req->include_usage) {
        cJSON *so = cJSON_AddObjectToObject(root, "stream_options");
        if (!so)
            precis_die("out of memory");
        cJSON_AddBoolToObject(so, "include_usage", 1);
    }
    if (req->max_tokens > 0 && max_field != PRECIS_LLM_MAX_NONE)
        cJSON_AddNumberToObject(root,
                                max_field == PRECIS_LLM_MAX_COMPLETION_TOKENS ? "max_completion_tokens"
                                                                              : "max_tokens",
                                (double)req->max_tokens);
    if (req->has_temperature)
        cJSON_AddNumberToObject(root, "temperature", req->temperature);
    char *s = cJSON_PrintUnformatted(root);
    if (!s)
        precis_die("out of memory");
    precis_buf_puts(out, s);
    cJSON_free(s);
    cJSON_Delete(root);
}
