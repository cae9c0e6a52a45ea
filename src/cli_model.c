/* Config with flag overrides, templates and the connected model for the CLI. */
#include "precis/cli_model.h"

#include <string.h>

static const char *default_prompt_name;

precis_result precis_cli_model_open(const precis_cli *cli, const char *default_prompt,
                                    precis_cli_model *cm, precis_error *err)
{
    memset(cm, 0, sizeof *cm);
    default_prompt_name = default_prompt;
    precis_result r = precis_config_load(cli->profile, &cm->cfg, err);
    if (r != PRECIS_OK)
        return r;
    struct { const char *key, *value, *flag; } flags[] = {
        {"base_url", cli->base_url, "--base-url"}, {"model", cli->model, "--model"},
        {"length", cli->length, "--length"},       {"lang", cli->lang, "--lang"},
        {"prompt", cli->prompt, "--prompt"},       {"jobs", cli->jobs, "--jobs"},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        if (!flags[i].value)
            continue;
        r = precis_config_set(cm->cfg, flags[i].key, flags[i].value, flags[i].flag, err);
        if (r != PRECIS_OK)
            return r;
    }
    cm->configured = precis_config_has_model(cm->cfg);
    cm->status = precis_status_new(stderr);
    return PRECIS_OK;
}

precis_result precis_cli_model_connect(precis_cli_model *cm, const precis_cli *cli,
                                       precis_error *err)
{
    const char *name = cli->prompt;
    if (!name && precis_config_origin_of(cm->cfg, "prompt") != PRECIS_ORIGIN_DEFAULT)
        name = precis_config_prompt(cm->cfg);
    if (!name || (cli->question && !cli->prompt))
        name = default_prompt_name;
    precis_result r = precis_prompt_load(name, &cm->prompt, err);
    if (r == PRECIS_OK)
        r = precis_prompt_load("map", &cm->map, err);
    if (r == PRECIS_OK)
        r = precis_prompt_load("reduce", &cm->reduce, err);
    if (r != PRECIS_OK)
        return r;
    r = precis_model_init(&cm->model, cm->cfg, err);
    if (r != PRECIS_OK)
        return r;
    if (cli->idle_set)
        cm->model.idle_timeout_ms = cli->fetch.idle_timeout_s * 1000;
    if (cli->max_time_set)
        cm->model.max_time_ms = cli->fetch.max_time_s * 1000;
    cm->model.connect_timeout_ms = cli->fetch.connect_timeout_s * 1000;
    return PRECIS_OK;
}

void precis_cli_model_close(precis_cli_model *cm)
{
    precis_model_release(&cm->model);
    precis_prompt_free(cm->prompt);
    precis_prompt_free(cm->map);
    precis_prompt_free(cm->reduce);
    precis_status_free(cm->status);
    precis_config_free(cm->cfg);
    memset(cm, 0, sizeof *cm);
}
