/* `precis chat --site SITE`: the REPL's questions and /search answered from the doc
 * index (precis index), through the same search the CLI and the editor server use. */
#include "precis/chat_site.h"

#include <stdlib.h>
#include <string.h>

#include "precis/cli_model.h"
#include "precis/hits.h"
#include "precis/index.h"
#include "precis/search.h"

struct precis_chat_site {
    precis_index *idx;
    precis_site site;
    precis_config *cfg;        /* for hybrid retrieval and search_expand; NULL: bm25 */
    precis_searcher *searcher; /* warns once per session */
};

precis_result precis_chat_site_open(const char *site, const precis_cli *cli,
                                    precis_chat_site **out, precis_error *err)
{
    *out = NULL;
    precis_chat_site *s = precis_xcalloc(1, sizeof *s);
    precis_cli_model cm;
    precis_result r = precis_cli_model_open(cli, "ask-site", &cm, err);
    if (r == PRECIS_OK && !cli->offline) {
        s->cfg = cm.cfg;
        cm.cfg = NULL;
    }
    precis_cli_model_close(&cm);
    if (r == PRECIS_OK)
        r = precis_index_open(NULL, false, &s->idx, err);
    if (r == PRECIS_OK)
        r = precis_index_find_site(s->idx, site, &s->site, err);
    if (r == PRECIS_OK) {
        s->searcher = precis_searcher_new(s->idx, s->cfg);
        precis_searcher_set_cancel(s->searcher, &precis_interrupted);
    }
    if (r != PRECIS_OK) {
        precis_chat_site_close(s);
        return r;
    }
    *out = s;
    return PRECIS_OK;
}

const char *precis_chat_site_name(const precis_chat_site *site)
{
    return site && site->site.name ? site->site.name : "";
}

precis_result precis_chat_site_search(precis_chat_site *site, const char *query, size_t k,
                                      precis_chat_site_hit **hits, size_t *n,
                                      precis_error *err)
{
    *hits = NULL;
    *n = 0;
    precis_hit *found = NULL;
    size_t nf = 0;
    precis_result r =
        precis_searcher_search(site->searcher, query, site->site.id, k, &found, &nf, err);
    if (r != PRECIS_OK)
        return r;
    *hits = precis_xcalloc(nf ? nf : 1, sizeof **hits);
    precis_buf b;
    precis_buf_init(&b, 0);
    for (size_t i = 0; i < nf && r == PRECIS_OK; i++) {
        precis_chat_site_hit *h = &(*hits)[i];
        precis_buf_reset(&b);
        precis_hit_path(&found[i], " > ", &b);
        h->title = precis_xstrdup(b.ptr ? b.ptr : "");
        precis_buf_reset(&b);
        precis_hit_link(&found[i], &b);
        h->link = precis_xstrdup(b.ptr);
        precis_buf_reset(&b);
        precis_hit_snippet(&found[i], "**", "**", &b);
        h->snippet = precis_xstrdup(b.ptr ? b.ptr : "");
        precis_buf_reset(&b);
        r = precis_index_section_text(site->idx, found[i].section_id, &b, err);
        h->text = precis_xstrdup(b.ptr ? b.ptr : "");
        h->score = found[i].score;
        (*n)++;
    }
    precis_buf_release(&b);
    precis_hits_free(found, nf);
    if (r != PRECIS_OK) {
        precis_chat_site_hits_free(*hits, *n);
        *hits = NULL;
        *n = 0;
    }
    return r;
}

void precis_chat_site_hits_free(precis_chat_site_hit *hits, size_t n)
{
    for (size_t i = 0; hits && i < n; i++) {
        free(hits[i].title);
        free(hits[i].link);
        free(hits[i].text);
        free(hits[i].snippet);
    }
    free(hits);
}

void precis_chat_site_close(precis_chat_site *site)
{
    if (!site)
        return;
    precis_searcher_free(site->searcher);
    precis_site_release(&site->site);
    precis_index_close(site->idx);
    precis_config_free(site->cfg);
    free(site);
}
