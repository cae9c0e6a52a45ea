/* `precis serve`: the command line's settings, handed to the editor server. */
#include <signal.h>
#include <unistd.h>

#include "precis/cli.h"
#include "precis/cli_model.h"
#include "precis/serve.h"

int precis_cmd_serve(const precis_cli *cli)
{
    if (cli->n_sources > 0) {
        precis_warn("'precis serve' takes no pages: requests name them (see 'precis serve "
                    "--help')");
        return 1;
    }
    if (cli->question) {
        precis_warn("-q is for 'precis ask'; serve takes questions in ask requests");
        return 1;
    }
    precis_cli_model cm;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_cli_model_open(cli, "summarize", &cm, &err);
    if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        precis_cli_model_close(&cm);
        return precis_exit_code(r);
    }
    signal(SIGINT, SIG_DFL); /* no terminal of its own: an interrupt ends the server */
    precis_fetch_opts fetch = cli->fetch;
    fetch.cancel = NULL;
    precis_serve_opts o = {
        .cfg = cm.cfg,
        .fetch = &fetch,
        .extract = &cli->extract,
        .offline = cli->offline,
        .no_log = cli->no_log,
        .in_fd = STDIN_FILENO,
        .out_fd = STDOUT_FILENO,
        .max_line = 0,
    };
    int rc = precis_serve_run(&o);
    precis_cli_model_close(&cm);
    return rc;
}
