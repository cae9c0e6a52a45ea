/* Metadata: JSON-LD (incl. @graph, author forms, malformed), OpenGraph, meta tags,
 * <title> suffix trimming, <html lang>, canonical links. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precis/buf.h"
#include "precis/extract.h"

static const char BODY[] =
    "<body><article><p>The river town woke slowly, its bakers first, then the ferrymen "
    "who had worked the crossing for three generations, and the schoolchildren.</p>"
    "<p>By noon the market square was full of traders selling apples, cheese, rope and "
    "lamp oil, and second-hand books that nobody seemed to buy.</p></article></body>";

static precis_doc *extract(const char *head, const char *html_attrs)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html %s><head>%s</head>%s</html>", html_attrs, head, BODY);
    precis_doc *doc = NULL;
    precis_error err;
    precis_result r = precis_extract_html(b.ptr, b.len, "https://example.org/news/river.html",
                                          NULL, &doc, &err);
    precis_buf_release(&b);
    CHECK(r == PRECIS_OK);
    return doc;
}

static void test_json_ld_graph(void)
{
    precis_doc *doc = extract(
        "<title>Ignored | Example News</title>"
        "<script type='application/ld+json'>{\"@context\":\"https://schema.org\",\"@graph\":["
        "{\"@type\":\"WebSite\",\"name\":\"Example News\"},"
        "{\"@type\":\"NewsArticle\",\"headline\":\"The river town wakes\","
        "\"author\":[{\"@type\":\"Person\",\"name\":\"Ada Lovelace\"},\"Charles Babbage\"],"
        "\"datePublished\":\"2024-03-05T08:00:00Z\",\"inLanguage\":\"en-GB\","
        "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Example Media\"},"
        "\"description\":\"A town and its bridge.\"}]}</script>",
        "");
    if (!doc)
        return;
    CHECK_STR(doc->meta.title, "The river town wakes");
    CHECK_STR(doc->meta.author, "Ada Lovelace, Charles Babbage");
    CHECK_STR(doc->meta.date, "2024-03-05T08:00:00Z");
    CHECK_STR(doc->meta.lang, "en-GB");
    CHECK_STR(doc->meta.description, "A town and its bridge.");
    CHECK(doc->meta.site_name != NULL);
    CHECK_STR(doc->meta.url, "https://example.org/news/river.html");
    precis_doc_free(doc);

    doc = extract("<script type=\"application/ld+json\">[{\"@type\":\"BlogPosting\","
                  "\"name\":\"Array form\",\"author\":{\"name\":\"Grace Hopper\"}}]</script>",
                  "");
    if (doc) {
        CHECK_STR(doc->meta.title, "Array form");
        CHECK_STR(doc->meta.author, "Grace Hopper");
        precis_doc_free(doc);
    }
    doc = extract("<script type=\"application/ld+json\">{\"@type\":\"Article\","
                  "\"headline\":\"String author\",\"author\":\"Alan Turing\"}</script>",
                  "");
    if (doc) {
        CHECK_STR(doc->meta.author, "Alan Turing");
        precis_doc_free(doc);
    }
}

static void test_malformed_json_ld(void)
{
    const char *bad[] = {
        "<script type='application/ld+json'>{\"@type\":\"Article\",\"headline\":</script>",
        "<script type='application/ld+json'>{{{{[[[[</script>",
        "<script type='application/ld+json'></script>",
        ("<script type='application/ld+json'>{\"@type\":[1,2,{}],\"author\":7,"
         "\"headline\":null,\"@graph\":\"x\",\"publisher\":[]}</script>"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        precis_buf head;
        precis_buf_init(&head, 0);
        precis_buf_printf(&head, "<title>Fallback title</title>%s", bad[i]);
        precis_doc *doc = extract(head.ptr, "lang='fr'");
        if (doc) {
            CHECK_STR(doc->meta.title, "Fallback title");
            CHECK_STR(doc->meta.lang, "fr");
            CHECK(doc->meta.author == NULL);
            precis_doc_free(doc);
        }
        precis_buf_release(&head);
    }
}

static void test_opengraph_and_page(void)
{
    precis_doc *doc = extract(
        "<title>The river town | Example News</title>"
        "<meta property='og:site_name' content='Example News'>"
        "<meta property='article:published_time' content='2023-01-02'>"
        "<meta name='author' content='Mary Shelley'>"
        "<meta name='description' content='  A   town. '>"
        "<link rel='canonical' href='/news/river'>",
        "lang='de'");
    if (!doc)
        return;
    CHECK_STR(doc->meta.title, "The river town");
    CHECK_STR(doc->meta.site_name, "Example News");
    CHECK_STR(doc->meta.date, "2023-01-02");
    CHECK_STR(doc->meta.author, "Mary Shelley");
    CHECK_STR(doc->meta.description, "A town.");
    CHECK_STR(doc->meta.lang, "de");
    CHECK_STR(doc->meta.canonical_url, "https://example.org/news/river");
    precis_doc_free(doc);

    doc = extract("<title>Plain title - Not the site</title>"
                  "<meta property='og:title' content='The OG title'>"
                  "<meta name='dc.creator' content='Dublin Core'>",
                  "");
    if (!doc)
        return;
    CHECK_STR(doc->meta.title, "The OG title");
    CHECK_STR(doc->meta.author, "Dublin Core");
    precis_doc_free(doc);
}

int main(void)
{
    test_json_ld_graph();
    test_malformed_json_ld();
    test_opengraph_and_page();
    return CHECK_DONE();
}
