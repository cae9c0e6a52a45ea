/* A configured model endpoint -> chat requests. */
#include "precis/model.h"

#include <stdlib.h>
#include <string.h>

void precis_model_release(precis_model *m)
{
    if (!m)
        return;
    if (m->api_key) {
        volatile char *p = m->api_key;
        while (*p)
            *p++ = '\0';
        free(m->api_key);
    }
    free(m->url);
    free(m->headers);
    memset(m, 0, sizeof *m);
}

/* Initialises m; a model name is required only when need_model is set. */
static precis_result init(precis_model *m, const precis_config *cfg, bool need_model,
                          precis_error *err)
{
    memset(m, 0, sizeof *m);
    m->cfg = cfg;
    precis_result r = PRECIS_OK;
    if (need_model)
        r = precis_config_check(cfg, err);
    else if (!precis_config_base_url(cfg))
        r = precis_config_check(cfg, err); /* says what to set */
    if (r != PRECIS_OK)
        return r;
    r = precis_config_resolve_key(cfg, &m->api_key, err);
    if (r != PRECIS_OK) {
        precis_model_release(m);
        return r;
    }
    const char *base = precis_config_base_url(cfg);
    size_t len = strlen(base);
    while (len > 0 && base[len - 1] == '/')
        len--;
    m->url = precis_xstrndup(base, len);
    size_t nh = precis_config_header_count(cfg);
    m->headers = precis_xcalloc(nh + 1, sizeof *m->headers);
    for (size_t i = 0; i < nh; i++)
        m->headers[i] = precis_config_header(cfg, i);
    return PRECIS_OK;
}

precis_result precis_model_init(precis_model *m, const precis_config *cfg, precis_error *err)
{
    return init(m, cfg, true, err);
}

precis_result precis_model_init_endpoint(precis_model *m, const precis_config *cfg,
                                         precis_error *err)
{
    return init(m, cfg, false, err);
}

void precis_model_request(const precis_model *m, precis_llm_request *req)
{
    precis_llm_request_init(req);
    req->base_url = m->url;
    req->api_key = m->api_key;
    switch (precis_config_auth(m->cfg)) {
    case PRECIS_AUTH_BEARER: req->auth = PRECIS_LLM_AUTH_BEARER; break;
    case PRECIS_AUTH_API_KEY: req->auth = PRECIS_LLM_AUTH_API_KEY; break;
    case PRECIS_AUTH_NONE: req->auth = PRECIS_LLM_AUTH_NONE; break;
    }
    req->headers = m->headers;
    req->api_version = precis_config_api_version(m->cfg);
    req->model = precis_config_model(m->cfg);
    req->include_usage = precis_config_include_usage(m->cfg);
    switch (precis_config_token_field(m->cfg)) {
    case PRECIS_TOKEN_FIELD_MAX_TOKENS: req->max_field = PRECIS_LLM_MAX_TOKENS; break;
    case PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS:
        req->max_field = PRECIS_LLM_MAX_COMPLETION_TOKENS;
        break;
    case PRECIS_TOKEN_FIELD_NONE: req->max_field = PRECIS_LLM_MAX_NONE; break;
    }
    req->max_tokens = precis_config_max_tokens(m->cfg);
    req->has_temperature = precis_config_temperature(m->cfg, &req->temperature);
    if (m->connect_timeout_ms > 0)
        req->connect_timeout_ms = m->connect_timeout_ms;
    if (m->idle_timeout_ms > 0)
        req->idle_timeout_ms = m->idle_timeout_ms;
    if (m->max_time_ms > 0)
        req->max_time_ms = m->max_time_ms;
}
