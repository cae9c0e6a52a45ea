/* `precis completions bash|zsh|fish` and the `list KIND` helper its scripts call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/cli.h"
#include "precis/completions.h"
#include "precis/config.h"
#include "precis/index.h"
#include "precis/models_cache.h"
#include "precis/prompt.h"

/* Profiles of the config file. A config that does not load lists nothing: the
 * message goes to stderr, which the scripts discard. */
static int list_profiles(precis_buf *out)
{
    precis_config *cfg = NULL;
    precis_error err;
    precis_error_clear(&err);
    if (precis_config_load(NULL, &cfg, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return 1;
    }
    for (size_t i = 0; i < precis_config_profile_count(cfg); i++)
        precis_buf_printf(out, "%s\n", precis_config_profile_name(cfg, i));
    precis_config_free(cfg);
    return 0;
}

static int list_prompts(precis_buf *out)
{
    precis_prompt_info *items = NULL;
    size_t n = 0;
    precis_error err;
    precis_error_clear(&err);
    if (precis_prompt_list(&items, &n, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        precis_buf_printf(out, "%s\n", items[i].name);
    precis_prompt_list_free(items, n);
    return 0;
}

/* Indexed sites; no index yet lists nothing, quietly. */
static int list_sites(precis_buf *out)
{
    char *path = precis_index_default_path();
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        free(path);
        return 0;
    }
    fclose(f);
    precis_index *idx = NULL;
    precis_site *sites = NULL;
    size_t n = 0;
    precis_error err;
    precis_error_clear(&err);
    int rc = 0;
    if (precis_index_open(path, false, &idx, &err) != PRECIS_OK ||
        precis_index_sites(idx, &sites, &n, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        rc = 1;
    }
    for (size_t i = 0; i < n; i++)
        precis_buf_printf(out, "%s\n", sites[i].name);
    precis_sites_free(sites, n);
    precis_index_close(idx);
    free(path);
    return rc;
}

/* Options that apply to command (NULL: all): "--name", then "-x" if it has a short form. */
static int list_options(precis_buf *out, const char *command)
{
    precis_option_info o;
    for (size_t i = 0; precis_cli_option_at(i, &o); i++) {
        if (command && !precis_cli_option_applies(&o, command))
            continue;
        precis_buf_printf(out, "--%s\n", o.name);
        if (o.short_name)
            precis_buf_printf(out, "-%c\n", o.short_name);
    }
    return 0;
}

static int list(const char *kind, const char *arg, precis_buf *out)
{
    if (strcmp(kind, "profiles") == 0)
        return list_profiles(out);
    if (strcmp(kind, "prompts") == 0)
        return list_prompts(out);
    if (strcmp(kind, "models") == 0) {
        precis_models_cache_read(out);
        return 0;
    }
    if (strcmp(kind, "sites") == 0)
        return list_sites(out);
    if (strcmp(kind, "commands") == 0) {
        const char *c;
        for (size_t i = 0; (c = precis_cli_command_at(i)); i++)
            precis_buf_printf(out, "%s\n", c);
        return 0;
    }
    if (strcmp(kind, "options") == 0)
        return list_options(out, arg);
    precis_warn("completions list: unknown kind '%s'; expected profiles, prompts, models, "
                "sites, commands or options [COMMAND]",
                kind);
    return 1;
}

int precis_cmd_completions(const precis_cli *cli)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    int rc = 1;
    const char *what = cli->n_sources ? cli->sources[0] : NULL;
    if (what && strcmp(what, "list") == 0 && cli->n_sources >= 2 && cli->n_sources <= 3)
        rc = list(cli->sources[1], cli->n_sources == 3 ? cli->sources[2] : NULL, &out);
    else if (what && cli->n_sources == 1 && precis_completions_script(what, &out))
        rc = 0;
    else
        precis_warn("completions: name one shell: bash, zsh or fish "
                    "(e.g. 'precis completions bash'); see 'precis completions --help'");
    if (!precis_write_stdout(out.ptr, out.len) && rc == 0)
        rc = 2;
    precis_buf_release(&out);
    return rc;
}
