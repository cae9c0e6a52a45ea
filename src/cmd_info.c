/* `precis prompts`, `precis models`, `precis config`. */
#include <stdio.h>
#include <string.h>

#include "precis/cli.h"
#include "precis/cli_model.h"
#include "precis/models_cache.h"

int precis_cmd_prompts(const precis_cli *cli)
{
    (void)cli;
    precis_prompt_info *items = NULL;
    size_t n = 0;
    precis_error err;
    precis_error_clear(&err);
    if (precis_prompt_list(&items, &n, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return 1;
    }
    precis_buf out;
    precis_buf_init(&out, 0);
    for (size_t i = 0; i < n; i++)
        precis_buf_printf(&out, "%-12s %s%s\n", items[i].name, items[i].description,
                          items[i].origin == PRECIS_PROMPT_USER
                              ? (items[i].overrides ? "  [yours, overrides shipped]" : "  [yours]")
                              : "");
    bool ok = precis_write_stdout(out.ptr, out.len);
    precis_buf_release(&out);
    precis_prompt_list_free(items, n);
    return ok ? 0 : 2;
}

int precis_cmd_models(const precis_cli *cli)
{
    precis_cli_model cm;
    precis_error err;
    precis_error_clear(&err);
    int rc = 0;
    precis_result r = precis_cli_model_open(cli, "summarize", &cm, &err);
    if (r == PRECIS_OK && !cm.configured) {
        precis_error_set(&err, PRECIS_ERR_USAGE,
                         "no model endpoint configured: set OPENAI_BASE_URL or OPENAI_API_KEY, "
                         "or pass --base-url");
        r = PRECIS_ERR_USAGE;
    }
    if (r == PRECIS_OK) {
        r = precis_model_init(&cm.model, cm.cfg, &err);
        if (r == PRECIS_ERR_USAGE && !precis_config_model(cm.cfg) &&
            precis_config_base_url(cm.cfg)) {
            /* Listing models needs no model name. */
            precis_error_clear(&err);
            precis_config_set(cm.cfg, "model", "-", "(models)", &err);
            r = precis_model_init(&cm.model, cm.cfg, &err);
        }
    }
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        rc = precis_exit_code(r);
        goto out;
    }
    precis_llm_request req;
    precis_model_request(&cm.model, &req);
    if (cli->fetch.connect_timeout_s)
        req.connect_timeout_ms = cli->fetch.connect_timeout_s * 1000;
    precis_llm_result res;
    precis_llm_result_init(&res);
    char **ids = NULL;
    size_t n = 0;
    r = precis_llm_models(&req, &ids, &n, &res);
    if (r != PRECIS_OK) {
        precis_warn("%s", res.err.msg);
        rc = precis_exit_code(r);
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", ids[i]);
        fflush(stdout);
        precis_models_cache_write(ids, n); /* for completing -m; best effort */
        precis_llm_models_free(ids, n);
    }
    precis_llm_result_release(&res);
out:
    precis_cli_model_close(&cm);
    return rc;
}

int precis_cmd_config(const precis_cli *cli)
{
    precis_cli_model cm;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_cli_model_open(cli, "summarize", &cm, &err);
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        precis_cli_model_close(&cm);
        return precis_exit_code(r);
    }
    precis_buf out;
    precis_buf_init(&out, 0);
    const char *path = precis_config_path(cm.cfg);
    precis_buf_printf(&out, "# config file: %s%s\n", path ? path : "(none)",
                      path && !precis_config_file_found(cm.cfg) ? " (not found)" : "");
    precis_config_describe(cm.cfg, cli->verbose, &out);
    if (!cm.configured)
        precis_buf_puts(&out, "# no model configured: 'precis URL' prints an offline summary\n");
    bool ok = precis_write_stdout(out.ptr, out.len);
    precis_buf_release(&out);
    precis_cli_model_close(&cm);
    return ok ? 0 : 2;
}
