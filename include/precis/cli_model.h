/* What the model-using commands share: config with flag overrides, templates,
 * the status line and the connected model. */
#ifndef PRECIS_CLI_MODEL_H
#define PRECIS_CLI_MODEL_H

#include <stdbool.h>

#include "precis/cli.h"
#include "precis/config.h"
#include "precis/model.h"
#include "precis/prompt.h"
#include "precis/term.h"

typedef struct precis_cli_model {
    precis_config *cfg;      /* owned */
    bool configured;         /* a model endpoint is configured */
    precis_prompt *prompt;   /* owned; NULL until connected */
    precis_prompt *map;      /* owned */
    precis_prompt *reduce;   /* owned */
    precis_status *status;   /* owned; draws only on a terminal */
    precis_model model;      /* valid after precis_cli_model_connect */
} precis_cli_model;

/* Loads the configuration and applies the command-line overrides. default_prompt
 * names the template used when neither -p nor the profile sets one. Close with
 * precis_cli_model_close, also after a failure. */
precis_result precis_cli_model_open(const precis_cli *cli, const char *default_prompt,
                                    precis_cli_model *cm, precis_error *err);

/* Loads the templates and resolves the endpoint and key. */
precis_result precis_cli_model_connect(precis_cli_model *cm, const precis_cli *cli,
                                       precis_error *err);

/* Frees everything cm owns. */
void precis_cli_model_close(precis_cli_model *cm);

#endif
