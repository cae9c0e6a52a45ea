/* `precis extract`: fetch, extract and print the readable content. */
#include <stdio.h>

#include "precis/cli.h"
#include "precis/page.h"
#include "precis/render.h"

int precis_cmd_extract(const precis_cli *cli)
{
    int worst = 0;
    for (size_t i = 0; i < cli->n_sources; i++) {
        precis_error err;
        precis_error_clear(&err);
        precis_doc *doc = NULL;
        precis_result r = precis_page_load(cli->sources[i], &cli->fetch, &cli->extract, &doc, &err);
        if (r != PRECIS_OK) {
            precis_warn("%s", err.msg[0] ? err.msg : precis_strerror(r));
            if (!worst)
                worst = precis_exit_code(r);
            continue;
        }
        precis_buf out;
        precis_buf_init(&out, 0);
        if (i > 0 && cli->format != PRECIS_FORMAT_JSON)
            precis_buf_puts(&out, "\n");
        if (cli->links)
            precis_render_links(doc, &out);
        else
            precis_render(doc, cli->format, &out);
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
