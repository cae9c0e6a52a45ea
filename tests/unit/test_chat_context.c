/* The REPL's pieces that need no terminal: the outline and section lookup, retrieval
 * and snippets, the conversation budget, sources and /save's Markdown, and "did you
 * mean". */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precis/chat.h"
#include "precis/chat_convo.h"
#include "precis/chat_retrieve.h"
#include "precis/doc_outline.h"
#include "precis/page.h"

static const char html[] =
    "<html><head><title>GC</title></head><body><article>"
    "<h1 id=\"top\">Collector</h1><p>An intro about the collector and memory.</p>"
    "<h2 id=\"roots\">Roots</h2><p>Globals and stacks are the roots of the search.</p>"
    "<h2 id=\"barriers\">Write barriers</h2><p>A write barrier shades pointers while "
    "marking runs.</p><h3 id=\"cost\">Cost</h3><p>Barriers cost a few nanoseconds.</p>"
    "<h2>Pacing</h2><p>The pacer starts cycles. See <a href=\"http://x.test/a\">a</a> and "
    "<a href=\"http://x.test/b\">b</a> and <a href=\"http://x.test/a\">a again</a>.</p>"
    "</article></body></html>";

static precis_doc *load(void)
{
    precis_doc *doc = NULL;
    precis_error err;
    precis_extract_opts eo;
    memset(&eo, 0, sizeof eo);
    CHECK(precis_page_from_text(html, sizeof html - 1, "http://x.test/gc.html", &eo, &doc,
                                &err) == PRECIS_OK);
    if (doc)
        precis_set_string(&doc->meta.url, "http://x.test/gc.html");
    return doc;
}

static void test_outline(precis_doc *doc)
{
    precis_heading *h;
    size_t n = precis_outline(doc, &h);
    CHECK(n == 5);
    CHECK(h[2].level == 2 && strcmp(h[2].title, "Write barriers") == 0);
    CHECK(h[4].anchor == NULL);
    CHECK(precis_outline_find(h, n, "3") == 2);
    CHECK(precis_outline_find(h, n, "#cost") == 3);
    CHECK(precis_outline_find(h, n, "roots") == 1);      /* title, any case */
    CHECK(precis_outline_find(h, n, "write") == 2);      /* prefix */
    CHECK(precis_outline_find(h, n, "barr") == 2);       /* substring */
    CHECK(precis_outline_find(h, n, "9") == -1);
    CHECK(precis_outline_find(h, n, "zebra") == -1);
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_outline_section(h[2].node, &b);
    CHECK_CONTAINS(b.ptr, "## Write barriers");
    CHECK_CONTAINS(b.ptr, "### Cost");
    CHECK(strstr(b.ptr, "Pacing") == NULL);
    precis_buf_reset(&b);
    precis_deep_link(doc, h[3].anchor, &b);
    CHECK_STR(b.ptr, "http://x.test/gc.html#cost");
    precis_buf_release(&b);
    const precis_node **links;
    CHECK(precis_doc_links(doc, &links) == 2);
    free(links);
    precis_outline_free(h, n);
}

static void test_retrieve(precis_doc *doc)
{
    precis_chat_index idx;
    precis_chat_index_init(&idx);
    precis_chat_index_add(&idx, 0, doc);
    CHECK(idx.n >= 4);
    size_t *order;
    size_t n = precis_chat_index_rank(&idx, "what does a write barrier do", 99, &order, NULL);
    CHECK(n >= 1);
    if (n) {
        CHECK_STR(idx.chunks[order[0]].title, "Write barriers");
        CHECK_STR(idx.chunks[order[0]].link, "http://x.test/gc.html#barriers");
    }
    free(order);
    CHECK(precis_chat_index_rank(&idx, "zebra", 99, &order, NULL) == 0);
    CHECK(order == NULL);
    precis_chat_index_release(&idx);

    precis_buf b;
    precis_buf_init(&b, 0);
    precis_chat_snippet("First paragraph.\n\nThe write barrier shades pointers.", "write barriers",
                        0, &b);
    CHECK_STR(b.ptr, "The **write barrier** shades pointers.");
    precis_buf_reset(&b);
    precis_chat_snippet("one two three four five six seven eight nine ten", "five", 20, &b);
    CHECK_STR(b.ptr, "one two three four …"); /* cut at a word boundary near 20 bytes */
    precis_buf_reset(&b);
    precis_chat_snippet("- alpha\n- beta gamma", "beta", 0, &b);
    CHECK_STR(b.ptr, "alpha; **beta** gamma");
    precis_buf_release(&b);
}

static precis_chat_source *one_source(const char *title, const char *link)
{
    precis_chat_source *s = precis_xcalloc(1, sizeof *s);
    s->title = precis_xstrdup(title);
    s->link = precis_xstrdup(link);
    s->number = 3;
    return s;
}

static void test_convo(void)
{
    precis_chat_convo c;
    precis_chat_convo_init(&c);
    char big[4001];
    memset(big, 'a', 4000);
    big[4000] = '\0';
    for (int i = 0; i < 5; i++)
        precis_chat_convo_add(&c, "question?", big, i == 4, one_source("Roots", "u#roots"), 1);
    size_t all = precis_chat_convo_tokens(&c);
    CHECK(all > 5000);
    size_t dropped = precis_chat_convo_fit(&c, all / 2);
    CHECK(dropped == 3 && c.n == 2 && c.dropped == 3);
    CHECK(c.turns[1].cut);
    precis_llm_message msgs[4];
    CHECK(precis_chat_convo_messages(&c, msgs) == 4);
    CHECK_STR(msgs[0].role, "user");
    CHECK_STR(msgs[1].role, "assistant");
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_chat_convo_markdown(&c, "T", &b);
    CHECK(strncmp(b.ptr, "# T\n\n## question?\n\n", strlen("# T\n\n## question?\n\n")) == 0);
    CHECK_CONTAINS(b.ptr, "- [Roots](u#roots)");
    CHECK_CONTAINS(b.ptr, "*(answer cut short)*");
    precis_buf_reset(&b);
    precis_chat_sources_format(c.turns[0].sources, 1, &b);
    CHECK_STR(b.ptr, "[3] Roots — u#roots\n");
    precis_buf_release(&b);
    precis_chat_convo_clear(&c);
    CHECK(c.n == 0);
    precis_chat_convo_release(&c);
}

static void test_suggest(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    CHECK(precis_chat_suggest("tco", &b));
    CHECK_STR(b.ptr, "/toc");
    precis_buf_reset(&b);
    CHECK(precis_chat_suggest("sumary", &b));
    CHECK_STR(b.ptr, "/summary");
    precis_buf_reset(&b);
    CHECK(precis_chat_suggest("fol", &b));
    CHECK_STR(b.ptr, "/follow");
    precis_buf_reset(&b);
    CHECK(!precis_chat_suggest("xyzzyplugh", &b));
    precis_buf_release(&b);
}

static void test_page_name(void)
{
    struct { const char *src, *want; } cases[] = {
        {"https://go.dev/doc/gc-guide", "gc-guide"},
        {"https://go.dev/doc/gc-guide/", "gc-guide"},
        {"https://www.sqlite.org/wal.html#ckpt", "wal"},
        {"https://example.org/", "example.org"},
        {"https://example.org/docs/index.html", "example.org"},
        {"examples/tracing-gc.html", "tracing-gc"},
        {"-", "stdin"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        precis_chat_visit v = {NULL, (char *)cases[i].src};
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_chat_page_name(&v, &b);
        CHECK_STR(b.ptr, cases[i].want);
        precis_buf_release(&b);
    }
}

int main(void)
{
    precis_doc *doc = load();
    if (doc) {
        test_outline(doc);
        test_retrieve(doc);
    }
    precis_doc_free(doc);
    test_convo();
    test_suggest();
    test_page_name();
    return CHECK_DONE();
}
