/* The doc index: sections with real anchors, the query builder on hostile input, and the
 * SQLite store (put, re-put, search, find, remove, end of crawl, schema check). */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "precis/extract.h"
#include "precis/index.h"
#include "precis/query.h"
#include "precis/sections.h"

static const char page_html[] =
    "<html><head><title>Timeouts</title></head><body><article>"
    "<h1 id=\"top\">Timeouts</h1><p>Intro paragraph about limits on transfers and how long "
    "they may take before they are stopped by the library.</p>"
    "<h2 id=\"opt-total\">Total time</h2><p>The whole transfer may take at most this many "
    "seconds; a hanging server is then abandoned.</p>"
    "<h3>No id here</h3><p>A subsection without an id of its own belongs to the one above "
    "it, so deep links point there.</p>"
    "<h2 id=\"opt-connect\">Connecting</h2><p>Only the connection phase is limited by this "
    "value; the transfer itself may go on for longer.</p>"
    "<h5 id=\"deep\">Deep heading</h5><p>Stays inside its section.</p>"
    "</article></body></html>";

static precis_doc *parse(const char *html, const char *url)
{
    precis_doc *doc = NULL;
    precis_error err;
    precis_error_clear(&err);
    CHECK(precis_extract_html(html, strlen(html), url, NULL, &doc, &err) == PRECIS_OK);
    return doc;
}

static void test_sections(void)
{
    precis_doc *doc = parse(page_html, "http://example.test/docs/timeouts.html");
    precis_section *s;
    size_t n;
    precis_sections_split(doc, &s, &n);
    CHECK(n == 4);
    if (n == 4) {
        CHECK_STR(s[0].anchor, "top");
        CHECK(s[0].npath == 1 && s[0].level == 1);
        CHECK_CONTAINS(s[0].text, "Intro paragraph");
        CHECK_STR(s[1].anchor, "opt-total");
        CHECK(s[1].npath == 2);
        CHECK_STR(s[1].path[1], "Total time");
        CHECK_STR(s[2].anchor, "opt-total"); /* the nearest enclosing id, never a slug */
        CHECK(s[2].npath == 3);
        CHECK_STR(s[2].path[2], "No id here");
        CHECK_STR(s[3].anchor, "opt-connect");
        CHECK_CONTAINS(s[3].text, "Deep heading"); /* h5 stays inside */
        CHECK(strstr(s[1].text, "Total time") == NULL); /* the heading line is not the body */
    }
    precis_sections_free(s, n);
    precis_doc_free(doc);
    /* a page with no heading: one intro section with an empty anchor */
    doc = parse("<html><body><article><p>Just some words in a paragraph that is long enough "
                "to be the content of this page.</p></article></body></html>",
                "http://example.test/a");
    precis_sections_split(doc, &s, &n);
    CHECK(n == 1 && strcmp(s[0].anchor, "") == 0 && s[0].npath == 0);
    precis_sections_free(s, n);
    precis_doc_free(doc);
}

static bool common_transfer(void *ctx, const char *w, size_t n)
{
    (void)ctx;
    return n == 8 && strncmp(w, "transfer", 8) == 0;
}

static void test_query(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    CHECK(precis_query_build("how do I cap the GC's memory?", &b) == 3);
    CHECK_STR(b.ptr, "\"cap\" OR \"GC's\" OR \"memory\"");
    precis_buf_reset(&b);
    CHECK(precis_query_build("", &b) == 0 && b.len == 0);
    CHECK(precis_query_build("   \t ", &b) == 0);
    CHECK(precis_query_build("++ -- ::", &b) == 0);
    CHECK(precis_query_build("how do I", &b) == 3); /* only stopwords: keep them */
    precis_buf_reset(&b);
    precis_query_build("say \"hi", &b);
    CHECK_STR(b.ptr, "\"say\" OR \"hi\"");
    precis_buf_reset(&b);
    precis_query_build("a\"b", &b);
    CHECK_STR(b.ptr, "\"a\"\"b\"");
    precis_buf_reset(&b);
    precis_query_build("C++ -O2 std::vector OPS-306 GOGC=off", &b);
    CHECK_STR(b.ptr, "\"C\" OR \"O2\" OR \"std::vector\" OR \"OPS-306\" OR \"GOGC=off\"");
    precis_buf_reset(&b);
    CHECK(precis_query_build_filtered("stop a transfer quickly", common_transfer, NULL, &b) == 2);
    CHECK_STR(b.ptr, "\"stop\" OR \"quickly\"");
    precis_buf_reset(&b);
    CHECK(precis_query_build_filtered("the transfer", common_transfer, NULL, &b) == 1);
    CHECK_STR(b.ptr, "\"transfer\""); /* the only meaningful word stays */
    precis_buf_release(&b);
    CHECK(precis_query_is_stopword("The", 3));
    CHECK(!precis_query_is_stopword("timeout", 7));
}

static char db_path[256];

static void put_page(precis_index *idx, long long site, long seq, const char *url,
                     const char *html, bool *added, bool *changed)
{
    precis_doc *doc = parse(html, url);
    precis_section *s;
    size_t n;
    precis_sections_split(doc, &s, &n);
    precis_error err;
    CHECK(precis_index_page_put(idx, site, seq, url, doc->meta.title, "\"e1\"", NULL, s, n,
                                added, changed, &err) == PRECIS_OK);
    precis_sections_free(s, n);
    precis_doc_free(doc);
}

static void test_store(void)
{
    precis_index *idx;
    precis_error err;
    CHECK(precis_index_open(db_path, false, &idx, &err) == PRECIS_ERR_USAGE);
    CHECK_CONTAINS(err.msg, "nothing indexed yet");
    CHECK(precis_index_open(db_path, true, &idx, &err) == PRECIS_OK);
    long long site;
    long seq;
    CHECK(precis_index_begin_crawl(idx, "example.test/docs", "http://example.test/docs/",
                                   "http://example.test", "/docs/", &site, &seq,
                                   &err) == PRECIS_OK);
    CHECK(seq == 1);
    bool added, changed;
    put_page(idx, site, seq, "http://example.test/docs/timeouts.html", page_html, &added,
             &changed);
    CHECK(added && !changed);
    put_page(idx, site, seq, "http://example.test/docs/timeouts.html", page_html, &added,
             &changed);
    CHECK(!added && !changed);
    precis_hit *h;
    size_t n;
    CHECK(precis_index_search(idx, "abandon a hanging server", site, 5, &h, &n, &err) ==
          PRECIS_OK);
    CHECK(n >= 1);
    if (n >= 1) {
        CHECK_STR(h[0].anchor, "opt-total");
        CHECK_STR(h[0].page, "http://example.test/docs/timeouts.html");
        CHECK(h[0].npath == 2 && strcmp(h[0].path[0], "Timeouts") == 0);
        CHECK(h[0].score > 0);
        CHECK_CONTAINS(h[0].snippet, "\x01");
        precis_buf body;
        precis_buf_init(&body, 0);
        CHECK(precis_index_section_text(idx, h[0].section_id, &body, &err) == PRECIS_OK);
        CHECK_CONTAINS(body.ptr, "hanging server");
        precis_buf_release(&body);
    }
    precis_hits_free(h, n);
    /* hostile queries never make an SQLite syntax error */
    const char *hostile[] = {"C++", "-O2", "std::vector", "OPS-306", "GOGC=off", "\"unbalanced",
                             "", "NEAR(", "a OR", "*", "^x", "col:val", "(((", "AND", "NOT x",
                             "\xe2\x80\x94", "x\"y\"z", "{title}: x", NULL};
    for (size_t i = 0; hostile[i]; i++) {
        CHECK(precis_index_search(idx, hostile[i], 0, 5, &h, &n, &err) == PRECIS_OK);
        precis_hits_free(h, n);
    }
    precis_index_page page;
    CHECK(precis_index_page_get(idx, site, "http://example.test/docs/timeouts.html", &page,
                                &err) == PRECIS_OK);
    CHECK(page.found && strcmp(page.etag, "\"e1\"") == 0);
    precis_index_page_release(&page);
    /* find by name, start URL, and URL in scope */
    precis_site s;
    CHECK(precis_index_find_site(idx, "example.test/docs", &s, &err) == PRECIS_OK);
    CHECK(s.id == site && s.pages == 1 && s.sections == 4);
    precis_site_release(&s);
    CHECK(precis_index_find_site(idx, "http://example.test/docs", &s, &err) == PRECIS_OK);
    precis_site_release(&s);
    CHECK(precis_index_find_site(idx, "http://example.test/docs/x/y.html", &s, &err) ==
          PRECIS_OK);
    precis_site_release(&s);
    CHECK(precis_index_find_site(idx, "http://other.test/", &s, &err) == PRECIS_ERR_USAGE);
    CHECK_CONTAINS(err.msg, "example.test/docs");
    /* a second crawl that does not see the page removes it */
    CHECK(precis_index_begin_crawl(idx, "example.test/docs", "http://example.test/docs/",
                                   "http://example.test", "/docs/", &site, &seq,
                                   &err) == PRECIS_OK);
    CHECK(seq == 2);
    long removed;
    CHECK(precis_index_end_crawl(idx, site, seq, true, &removed, &err) == PRECIS_OK);
    CHECK(removed == 1);
    CHECK(precis_index_search(idx, "hanging", 0, 5, &h, &n, &err) == PRECIS_OK && n == 0);
    precis_hits_free(h, n);
    CHECK(precis_index_remove_site(idx, site, &err) == PRECIS_OK);
    precis_site *all;
    CHECK(precis_index_sites(idx, &all, &n, &err) == PRECIS_OK && n == 0);
    precis_sites_free(all, n);
    precis_index_close(idx);
    /* a database from the future is refused */
    sqlite3 *db;
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema'", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK(precis_index_open(db_path, true, &idx, &err) == PRECIS_ERR_USAGE);
    CHECK_CONTAINS(err.msg, "newer precis");
}

int main(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/precis-test-index-%d/sub/index.db", (int)getpid());
    test_sections();
    test_query();
    test_store();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/precis-test-index-%d", (int)getpid());
    if (system(cmd) != 0)
        fprintf(stderr, "could not clean %s\n", db_path);
    return CHECK_DONE();
}
