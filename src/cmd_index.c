/* `precis index URL`: crawl a docs site into the index, with progress and a summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/cli.h"
#include "precis/crawl.h"
#include "precis/llm.h"
#include "precis/search.h"
#include "precis/term.h"

static void on_progress(void *ctx, const precis_crawl_stats *st)
{
    precis_status *status = ctx;
    if (!precis_status_is_enabled(status))
        return;
    char line[300];
    long done = st->added + st->changed + st->unchanged;
    snprintf(line, sizeof line, "crawling %s: %ld pages done, %ld queued, %zu failed, %.1f pages/s",
             st->site ? st->site : "", done, st->queued, st->nfailures,
             st->seconds > 0 ? (double)st->fetched / st->seconds : 0.0);
    precis_status_set(status, line);
}

static void on_warning(void *ctx, const char *line)
{
    precis_status_clear(ctx);
    precis_warn("%s", line);
}

/* Prints the one-line summary and the skipped pages to stdout. */
static void print_summary(const precis_crawl_stats *st, const precis_crawl_opts *o)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    long pages = st->added + st->changed + st->unchanged;
    precis_buf_printf(&out,
                      "%s %s: %ld pages (%ld added, %ld changed, %ld unchanged, %ld removed), "
                      "%ld sections written, %zu skipped, %ld duplicates, in %.1f s (%.1f pages/s)",
                      st->interrupted ? "interrupted while indexing" : "indexed", st->site, pages,
                      st->added, st->changed, st->unchanged, st->removed, st->sections,
                      st->nfailures, st->duplicates, st->seconds,
                      st->seconds > 0 ? (double)st->fetched / st->seconds : 0.0);
    if (st->blocked)
        precis_buf_printf(&out, "; %ld links not fetched (robots.txt)", st->blocked);
    if (st->trapped)
        precis_buf_printf(&out, "; %ld links left out (too many pages of one URL pattern)",
                          st->trapped);
    if (st->template_lines)
        precis_buf_printf(&out, "; %ld lines on most pages left out as the site's frame (%ld "
                                "sections)", st->template_lines, st->template_sections);
    if (st->capped)
        precis_buf_printf(&out, "; stopped at --max-pages %ld", o->max_pages);
    precis_buf_putc(&out, '\n');
    for (size_t i = 0; i < st->nfailures; i++)
        precis_buf_printf(&out, "  skipped %s: %s\n", st->failures[i].url, st->failures[i].reason);
    precis_write_stdout(out.ptr, out.len);
    precis_buf_release(&out);
}

static void on_embed_progress(void *ctx, long done, long total)
{
    precis_status *status = ctx;
    if (!precis_status_is_enabled(status))
        return;
    char line[200];
    snprintf(line, sizeof line, "embedding sections: %ld of %ld", done, total);
    precis_status_set(status, line);
}

/* With an embeddings_model configured, gives the sections of the crawled site that lack
 * a vector one. A failure is one warning: the crawl stands and search falls back to
 * bm25. Returns 130 when interrupted, else 0. */
static int embed_site(const precis_cli *cli, precis_index *idx, const char *site_name,
                      precis_status *status)
{
    precis_config *cfg = NULL;
    precis_error err;
    precis_error_clear(&err);
    if (precis_config_load(cli->profile, &cfg, &err) != PRECIS_OK) {
        precis_warn("%s; no vectors were made", err.msg);
        return 0;
    }
    const char *model = precis_config_embeddings_model(cfg);
    int rc = 0;
    if (model) {
        precis_model m;
        precis_llm_request req;
        precis_site site;
        memset(&site, 0, sizeof site);
        long done = 0;
        double t0 = precis_now();
        precis_result r = precis_search_embed_endpoint(cfg, &m, &req, &err);
        if (r == PRECIS_OK)
            r = precis_index_find_site(idx, site_name, &site, &err);
        if (r == PRECIS_OK)
            r = precis_search_embed_site(idx, &req, site.id, &precis_interrupted,
                                         on_embed_progress, status, &done, &err);
        precis_status_clear(status);
        if (done > 0 || r == PRECIS_OK) {
            precis_buf out;
            precis_buf_init(&out, 0);
            precis_buf_printf(&out, "embedded %ld sections with %s in %.1f s\n", done, model,
                              precis_now() - t0);
            precis_write_stdout(out.ptr, out.len);
            precis_buf_release(&out);
        }
        if (r == PRECIS_ERR_CANCELLED) {
            precis_warn("interrupted while embedding: the rest is embedded by the next "
                        "'precis index'");
            rc = 130;
        } else if (r != PRECIS_OK) {
            precis_warn("embeddings: %s; the sections without a vector are searched with "
                        "bm25 alone until 'precis index' runs again",
                        err.msg);
        }
        precis_site_release(&site);
        precis_model_release(&m);
    }
    precis_config_free(cfg);
    return rc;
}

int precis_cmd_index(const precis_cli *cli)
{
    if (cli->n_sources != 1) {
        precis_warn("'precis index' takes one start URL: precis index https://go.dev/doc/");
        return 1;
    }
    precis_crawl_opts o;
    precis_crawl_opts_init(&o);
    o.start_url = cli->sources[0];
    o.prefix = cli->prefix;
    if (cli->max_pages > 0)
        o.max_pages = cli->max_pages;
    if (cli->depth >= 0)
        o.max_depth = cli->depth;
    if (cli->jobs)
        o.jobs = (size_t)strtol(cli->jobs, NULL, 10);
    o.ignore_robots = cli->ignore_robots;
    size_t default_cap = o.fetch.max_bytes;
    o.fetch = cli->fetch;
    if (cli->fetch.max_bytes == (size_t)25 * 1000 * 1000) /* the CLI default: a page's cap */
        o.fetch.max_bytes = default_cap;
    o.extract = cli->extract;
    o.cancel = &precis_interrupted;
    precis_status *status = precis_status_new(stderr);
    o.on_progress = on_progress;
    o.progress_ctx = status;
    o.on_warning = on_warning;
    o.warning_ctx = status;
    if (cli->ignore_robots)
        precis_warn("--ignore-robots: robots.txt rules are not obeyed for this crawl");
    precis_index *idx;
    precis_error err;
    precis_error_clear(&err);
    if (precis_index_open(NULL, true, &idx, &err) != PRECIS_OK) {
        precis_status_free(status);
        precis_warn("%s", err.msg);
        return precis_exit_code(err.code ? err.code : PRECIS_ERR_IO);
    }
    precis_crawl_stats st;
    precis_result r = precis_crawl_run(idx, &o, &st, &err);
    precis_status_clear(status);
    int rc = 0;
    if (r == PRECIS_OK || r == PRECIS_ERR_CANCELLED)
        print_summary(&st, &o);
    if (r == PRECIS_ERR_CANCELLED) {
        precis_warn("%s", err.msg);
        rc = 130;
    } else if (r != PRECIS_OK) {
        precis_warn("%s", err.msg);
        rc = r == PRECIS_ERR_USAGE ? 1 : 2;
    } else {
        rc = embed_site(cli, idx, st.site, status);
    }
    precis_crawl_stats_release(&st);
    precis_index_close(idx);
    precis_status_free(status);
    return rc;
}
