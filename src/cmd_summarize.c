/* `precis URL`: fetch, extract and summarize. */
#include <stdio.h>
#include <string.h>

#include "precis/cli.h"
#include "precis/offline.h"
#include "precis/page.h"

static const char configure_hint[] =
    "no model configured: showing an offline extractive summary; set OPENAI_BASE_URL "
    "(e.g. http://localhost:11434/v1 for Ollama) or OPENAI_API_KEY, or see 'precis --help'";

int precis_cmd_summarize(const precis_cli *cli)
{
    precis_length length = PRECIS_LENGTH_MEDIUM;
    if (cli->length)
        precis_length_parse(cli->length, &length);
    if (!cli->offline)
        precis_warn("%s", configure_hint);
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
        if (i > 0)
            precis_buf_puts(&out, "\n");
        r = precis_offline_summarize(doc, length, &out);
        if (r != PRECIS_OK) {
            precis_warn("%s: %s", cli->sources[i],
                        r == PRECIS_ERR_NO_CONTENT ? "no sentences to summarize" : precis_strerror(r));
            if (!worst)
                worst = precis_exit_code(r);
        }
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
