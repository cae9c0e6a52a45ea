/* `precis search [--site SITE] [-n K] [--json] QUERY...`: the best sections. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/cli.h"
#include "precis/hits.h"
#include "precis/index.h"
#include "precis/search.h"
#include "precis/term.h"

/* Joins the positional words into one query. */
static void query_text(const precis_cli *cli, precis_buf *q)
{
    for (size_t i = 0; i < cli->n_sources; i++) {
        if (i)
            precis_buf_putc(q, ' ');
        precis_buf_puts(q, cli->sources[i]);
    }
    if (!q->ptr)
        precis_buf_puts(q, "");
}

static void print_text(const precis_cli *cli, const precis_hit *h, size_t n, precis_buf *out)
{
    precis_color_mode mode = PRECIS_COLOR_AUTO;
    if (cli->color)
        precis_color_mode_parse(cli->color, &mode);
    bool color = precis_color_enabled(mode, stdout);
    precis_buf line;
    precis_buf_init(&line, 0);
    for (size_t i = 0; i < n; i++) {
        precis_buf_reset(&line);
        precis_hit_path(&h[i], " › ", &line);
        precis_buf_printf(out, "%s%zu. %s%s", color ? "\x1b[1m" : "", i + 1, line.ptr,
                          color ? "\x1b[0m" : "");
        if (h[i].npath > 0 && h[i].title && *h[i].title)
            precis_buf_printf(out, "  (%s)", h[i].title);
        precis_buf_putc(out, '\n');
        precis_buf_reset(&line);
        precis_hit_link(&h[i], &line);
        precis_buf_printf(out, "   %s%s%s\n", color ? "\x1b[4m" : "", line.ptr,
                          color ? "\x1b[0m" : "");
        precis_buf_reset(&line);
        precis_hit_snippet(&h[i], color ? "\x1b[1;33m" : "", color ? "\x1b[0m" : "", &line);
        if (line.len)
            precis_buf_printf(out, "   %s\n", line.ptr);
        if (i + 1 < n)
            precis_buf_putc(out, '\n');
    }
    precis_buf_release(&line);
}

int precis_cmd_search(const precis_cli *cli)
{
    precis_buf q;
    precis_buf_init(&q, 0);
    query_text(cli, &q);
    precis_index *idx = NULL;
    precis_error err;
    precis_error_clear(&err);
    int rc = 0;
    precis_hit *hits = NULL;
    size_t n = 0;
    precis_site site;
    memset(&site, 0, sizeof site);
    precis_config *cfg = NULL;
    if (precis_config_load(cli->profile, &cfg, &err) != PRECIS_OK) { /* bm25 still works */
        precis_warn("%s; searching with bm25 alone", err.msg);
        precis_error_clear(&err);
    }
    if (precis_index_open(NULL, false, &idx, &err) != PRECIS_OK ||
        (cli->site && precis_index_find_site(idx, cli->site, &site, &err) != PRECIS_OK) ||
        precis_search(idx, cfg, q.ptr, site.id, cli->results > 0 ? (size_t)cli->results : 10,
                      &precis_interrupted, &hits, &n, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        rc = err.code == PRECIS_ERR_USAGE ? 1 : err.code == PRECIS_ERR_CANCELLED ? 130 : 2;
        goto out;
    }
    precis_buf out;
    precis_buf_init(&out, 0);
    if (cli->json) {
        cJSON *o = precis_hits_json(q.ptr, hits, n);
        char *text = cJSON_Print(o);
        precis_buf_puts(&out, text);
        precis_buf_putc(&out, '\n');
        cJSON_free(text);
        cJSON_Delete(o);
    } else if (n == 0) {
        precis_warn("no section matches '%s'", q.ptr);
    } else {
        print_text(cli, hits, n, &out);
    }
    if (out.len && !precis_write_stdout(out.ptr, out.len))
        rc = 2;
    precis_buf_release(&out);
out:
    precis_hits_free(hits, n);
    precis_site_release(&site);
    precis_index_close(idx);
    precis_config_free(cfg);
    precis_buf_release(&q);
    return rc;
}
