/* The asynchronous search job: its callback runs from a later loop step (never inside
 * precis_search_start), once; a cancelled job never calls back; and the synchronous search
 * (the same job on a loop of its own) finds what the index finds. bm25 only here: the
 * model requests are tested end to end (tests/e2e/test_hybrid_serve.py). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "precis/extract.h"
#include "precis/hits.h"
#include "precis/search.h"
#include "precis/sections.h"

static const char page_html[] =
    "<html><head><title>Retries</title></head><body><article>"
    "<h1 id=\"top\">Retries</h1><p>How the client tries a failed request again, and when "
    "it gives up on a server that keeps failing.</p>"
    "<h2 id=\"backoff\">Backoff</h2><p>Each retry waits twice as long as the one before; a "
    "hanging server is abandoned after the last attempt.</p>"
    "</article></body></html>";

typedef struct outcome {
    int calls;
    precis_result r;
    size_t n;
    char anchor[64];
} outcome;

static void on_done(void *ctx, precis_result r, precis_hit *hits, size_t n, precis_error *err)
{
    (void)err;
    outcome *o = ctx;
    o->calls++;
    o->r = r;
    o->n = n;
    snprintf(o->anchor, sizeof o->anchor, "%s", n ? hits[0].anchor : "");
    precis_hits_free(hits, n);
}

static long long fill(precis_index *idx)
{
    precis_error err;
    long long site = 0;
    long seq = 0;
    CHECK(precis_index_begin_crawl(idx, "example.test/docs", "http://example.test/docs/",
                                   "http://example.test", "/docs/", &site, &seq,
                                   &err) == PRECIS_OK);
    precis_doc *doc = NULL;
    CHECK(precis_extract_html(page_html, strlen(page_html), "http://example.test/docs/t.html",
                              NULL, &doc, &err) == PRECIS_OK);
    precis_section *s;
    size_t n;
    precis_sections_split(doc, &s, &n);
    bool added, changed;
    CHECK(precis_index_page_put(idx, site, seq, "http://example.test/docs/t.html",
                                doc->meta.title, NULL, NULL, s, n, &added, &changed,
                                &err) == PRECIS_OK);
    precis_sections_free(s, n);
    precis_doc_free(doc);
    return site;
}

static void test_job(precis_index *idx, long long site)
{
    precis_searcher *s = precis_searcher_new(idx, NULL);
    precis_loop *loop = precis_loop_new();
    outcome o;
    memset(&o, 0, sizeof o);
    precis_search_job *job = precis_search_start(s, loop, "abandon a hanging server", site, 5,
                                                 on_done, &o);
    CHECK(job != NULL && o.calls == 0); /* never inside the start */
    for (int i = 0; i < 5 && o.calls == 0; i++)
        precis_loop_step(loop, NULL, 0, 100);
    CHECK(o.calls == 1 && o.r == PRECIS_OK && o.n >= 1);
    CHECK_STR(o.anchor, "backoff");
    CHECK_STR(precis_searcher_mode(s), "bm25");
    precis_loop_step(loop, NULL, 0, 0);
    CHECK(o.calls == 1); /* once */
    /* no query words: zero hits, still through the loop */
    memset(&o, 0, sizeof o);
    precis_search_start(s, loop, "  ", site, 5, on_done, &o);
    CHECK(o.calls == 0);
    precis_loop_step(loop, NULL, 0, 100);
    CHECK(o.calls == 1 && o.r == PRECIS_OK && o.n == 0);
    /* cancelled: no callback, nothing left on the loop */
    memset(&o, 0, sizeof o);
    precis_search_cancel(precis_search_start(s, loop, "hanging", site, 5, on_done, &o));
    precis_search_cancel(NULL);
    for (int i = 0; i < 3; i++)
        precis_loop_step(loop, NULL, 0, 10);
    CHECK(o.calls == 0 && precis_loop_active(loop) == 0);
    precis_loop_free(loop);
    precis_searcher_free(s);
}

static void test_sync(precis_index *idx, long long site)
{
    precis_hit *hits;
    size_t n;
    precis_error err;
    volatile sig_atomic_t stop = 1; /* a set flag stops model requests, not a bm25 search */
    CHECK(precis_search(idx, NULL, "hanging server", site, 5, &stop, &hits, &n, &err) ==
          PRECIS_OK);
    CHECK(n >= 1 && strcmp(hits[0].anchor, "backoff") == 0);
    precis_hits_free(hits, n);
}

int main(void)
{
    char dir[64], path[96];
    snprintf(dir, sizeof dir, "/tmp/precis-test-search-job-%d", (int)getpid());
    snprintf(path, sizeof path, "%s/index.db", dir);
    precis_index *idx = NULL;
    precis_error err;
    CHECK(precis_index_open(path, true, &idx, &err) == PRECIS_OK);
    if (idx) {
        long long site = fill(idx);
        test_job(idx, site);
        test_sync(idx, site);
        precis_index_close(idx);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not clean %s\n", dir);
    return CHECK_DONE();
}
