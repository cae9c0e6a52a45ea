/* A configured model endpoint: turns the effective configuration into chat requests. */
#ifndef PRECIS_MODEL_H
#define PRECIS_MODEL_H

#include "precis/config.h"
#include "precis/error.h"
#include "precis/llm.h"

typedef struct precis_model {
    const precis_config *cfg; /* borrowed; must outlive the model */
    char *api_key;            /* owned; wiped and freed by precis_model_release */
    char *url;                /* owned: base URL (api-version is passed separately) */
    const char **headers;     /* owned array (NULL-terminated) of strings owned by cfg */
    long connect_timeout_ms;  /* 0 = the client's default */
    long idle_timeout_ms;
    long max_time_ms;
} precis_model;

/* Checks that cfg names a usable endpoint and resolves the API key (running
 * api_key_cmd if configured). On failure m is left released and err says what to
 * fix. Release with precis_model_release. */
precis_result precis_model_init(precis_model *m, const precis_config *cfg, precis_error *err);

/* Like precis_model_init, but a model name need not be configured: for callers whose
 * requests name their own (the editor server). */
precis_result precis_model_init_endpoint(precis_model *m, const precis_config *cfg,
                                         precis_error *err);

/* Fills req with the defaults plus the endpoint, key, headers, model, token limit,
 * temperature and timeouts of m. Strings stay owned by m and cfg. */
void precis_model_request(const precis_model *m, precis_llm_request *req);

/* Frees what precis_model_init allocated, wiping the key. NULL-safe. */
void precis_model_release(precis_model *m);

#endif
