/* `precis extract`: fetch, extract and print the readable content. */
#include "precis/cli.h"
#include "precis/render.h"

static precis_result render_page(void *ctx, const precis_cli *cli, size_t i,
                                 const precis_doc *doc, precis_buf *out)
{
    (void)ctx;
    if (i > 0 && cli->format != PRECIS_FORMAT_JSON)
        precis_buf_puts(out, "\n");
    if (cli->links)
        precis_render_links(doc, out);
    else
        precis_render(doc, cli->format, out);
    return PRECIS_OK;
}

int precis_cmd_extract(const precis_cli *cli)
{
    return precis_cli_each_page(cli, render_page, NULL);
}
