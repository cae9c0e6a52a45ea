/* Loading each page named on the command line and writing what a command makes of it. */
#include "precis/cli.h"
#include "precis/page.h"
#include "precis/term.h"

int precis_cli_load_page(const precis_cli *cli, const char *source, precis_status *status,
                         precis_doc **doc)
{
    precis_error err;
    precis_error_clear(&err);
    *doc = NULL;
    precis_result r = precis_page_load(source, &cli->fetch, &cli->extract, doc, &err);
    precis_status_clear(status);
    if (r == PRECIS_OK)
        return 0;
    precis_warn("%s", err.msg[0] ? err.msg : precis_strerror(r));
    return precis_exit_code(r);
}

int precis_cli_each_page(const precis_cli *cli, precis_page_fn fn, void *ctx)
{
    int worst = 0;
    for (size_t i = 0; i < cli->n_sources; i++) {
        precis_doc *doc = NULL;
        int rc = precis_cli_load_page(cli, cli->sources[i], NULL, &doc);
        if (precis_interrupted)
            return precis_exit_code(PRECIS_ERR_CANCELLED);
        if (rc) {
            if (!worst)
                worst = rc;
            continue;
        }
        precis_buf out;
        precis_buf_init(&out, 0);
        precis_result r = fn(ctx, cli, i, doc, &out);
        if (r != PRECIS_OK && !worst)
            worst = precis_exit_code(r);
        bool ok = precis_write_stdout(out.ptr, out.len);
        precis_buf_release(&out);
        precis_doc_free(doc);
        if (!ok) {
            precis_warn("cannot write to standard output");
            return precis_exit_code(PRECIS_ERR_IO);
        }
    }
    return worst;
}
