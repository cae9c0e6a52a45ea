/* `precis chat [URL|FILE|-]... [--site SITE]`: the interactive doc Q&A REPL. */
#include <stdio.h>
#include <unistd.h>

#include "precis/chat.h"
#include "precis/cli.h"

int precis_cmd_chat(const precis_cli *cli)
{
    bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    precis_chat chat;
    int rc = precis_chat_init(&chat, cli, interactive);
    if (rc) {
        precis_chat_release(&chat);
        return rc;
    }
    if (cli->site) {
        precis_error err;
        precis_error_clear(&err);
        if (precis_chat_site_open(cli->site, cli, &chat.site, &err) != PRECIS_OK) {
            precis_warn("%s", err.msg);
            precis_chat_release(&chat);
            return precis_exit_code(err.code ? err.code : PRECIS_ERR_USAGE);
        }
    }
    for (size_t i = 0; i < cli->n_sources && !precis_interrupted; i++)
        precis_chat_load(&chat, cli->sources[i], true);
    if (chat.n_pages)
        chat.current = 0; /* the first page given is current */
    if (precis_interrupted) {
        precis_chat_release(&chat);
        return 130;
    }
    rc = interactive ? precis_chat_loop_tty(&chat) : precis_chat_loop_script(&chat);
    precis_chat_release(&chat);
    return rc;
}
