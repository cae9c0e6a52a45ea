/* Main-content detection: boilerplate removal, hidden text, comments, fallbacks,
 * JavaScript-only pages and pathological nesting. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract_fixture.h"
#include "precis/extract.h"
#include "precis/render.h"

static char *page(const char *before, const char *after)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><head><title>River town</title></head><body>%s"
                          "<article><h1>The river town</h1>%s</article>%s</body></html>",
                      before, ARTICLE, after);
    return precis_buf_detach(&b);
}

static void test_boilerplate_removed(void)
{
    char *html = page(
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News section</a></li></ul></nav>"
        "<header><a href='/'>Site logo and tagline here</a></header>"
        "<div class='cookie-banner'>We use cookies to improve your experience, accept all?</div>"
        "<aside><p>Sidebar: the most read stories of the week, ranked by clicks.</p></aside>",
        "<div class='share-buttons'><a href='https://x.example/share'>Share on X</a>"
        "<a href='https://f.example/share'>Share on F</a></div>"
        "<footer><p>Copyright 2024 Example Media Group. All rights reserved.</p></footer>");
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK(text != NULL);
    CHECK_CONTAINS(text, "The river town woke slowly");
    CHECK_CONTAINS(text, "second-hand books");
    CHECK_CONTAINS(text, "forty years");
    CHECK(text && !strstr(text, "News section"));
    CHECK(text && !strstr(text, "Site logo"));
    CHECK(text && !strstr(text, "cookies"));
    CHECK(text && !strstr(text, "most read"));
    CHECK(text && !strstr(text, "Share on"));
    CHECK(text && !strstr(text, "Copyright"));
    free(text);
    free(html);
}

static void test_share_widget_inside_article(void)
{
    const char *html =
        "<html><body><div class='post'><p>The river town woke slowly, its bakers first, then "
        "the ferrymen who had worked the crossing for three generations.</p>"
        "<div class='social-share'><a href='/s1'>Tweet this</a> <a href='/s2'>Email a friend</a></div>"
        "<p>By noon the market square was full of traders selling apples, cheese, rope, "
        "lamp oil and second-hand books.</p>"
        "<p>Historians argue about when the bridge was first proposed, but the council minutes "
        "show the debate lasted, on and off, for almost forty years.</p></div></body></html>";
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "ferrymen");
    CHECK_CONTAINS(text, "forty years");
    CHECK(text && !strstr(text, "Tweet this"));
    free(text);
}

static void test_comments(void)
{
    char *html = page("", "<section id='comments'><h2>Comments</h2>"
                          "<div class='comment'><p>Great article, I grew up in that very town "
                          "and remember the ferry.</p></div></section>");
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "ferrymen");
    CHECK(text && !strstr(text, "grew up in that very town"));
    free(text);

    precis_extract_opts opts;
    precis_extract_opts_init(&opts);
    opts.keep_comments = true;
    opts.whole_body = true;
    text = extract_text(html, &opts, NULL, NULL);
    CHECK_CONTAINS(text, "ferrymen");
    CHECK_CONTAINS(text, "grew up in that very town");
    free(text);
    free(html);
}

static void test_hidden_never_shown(void)
{
    const char *hidden[] = {
        "<p style='display: none'>SECRET-ONE instructions for the reader.</p>",
        "<p hidden>SECRET-TWO instructions for the reader.</p>",
        "<div aria-hidden='true'><p>SECRET-THREE instructions for the reader.</p></div>",
        "<p style='visibility:hidden'>SECRET-FOUR instructions for the reader.</p>",
    };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        char *html = page("", hidden[i]);
        /* also inside the article itself */
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "<html><body><article>%s%s</article></body></html>", ARTICLE,
                          hidden[i]);
        for (int whole = 0; whole < 2; whole++) {
            precis_extract_opts opts;
            precis_extract_opts_init(&opts);
            opts.whole_body = whole;
            char *t1 = extract_text(html, &opts, NULL, NULL);
            char *t2 = extract_text(b.ptr, &opts, NULL, NULL);
            CHECK_CONTAINS(t1, "ferrymen");
            CHECK_CONTAINS(t2, "ferrymen");
            CHECK(t1 && !strstr(t1, "SECRET"));
            CHECK(t2 && !strstr(t2, "SECRET"));
            free(t1);
            free(t2);
        }
        precis_buf_release(&b);
        free(html);
    }
}

static void test_docs_index_falls_back_to_body(void)
{
    const char *html =
        "<html><body><nav><a href='/'>Top navigation</a></nav>"
        "<div><h1>Library reference</h1><ul>"
        "<li><a href='a.html'>Arrays</a></li><li><a href='b.html'>Buffers</a></li>"
        "<li><a href='c.html'>Channels</a></li><li><a href='d.html'>Dates</a></li></ul>"
        "<h2>Guides</h2><ul><li><a href='g.html'>Getting started</a></li></ul></div>"
        "<footer>Footer text of the site</footer></body></html>";
    precis_result r;
    char *text = extract_text(html, NULL, &r, NULL);
    CHECK(r == PRECIS_OK);
    CHECK_CONTAINS(text, "Library reference");
    CHECK_CONTAINS(text, "Arrays");
    CHECK_CONTAINS(text, "Channels");
    CHECK_CONTAINS(text, "Getting started");
    CHECK(text && !strstr(text, "Top navigation"));
    CHECK(text && !strstr(text, "Footer text"));
    free(text);
}

static void test_no_content(void)
{
    precis_result r;
    precis_error err;
    char *text = extract_text("", NULL, &r, &err);
    CHECK(text == NULL && r == PRECIS_ERR_NO_CONTENT);
    CHECK(err.msg[0] != '\0');
    text = extract_text("  \n ", NULL, &r, &err);
    CHECK(text == NULL && r == PRECIS_ERR_NO_CONTENT);

    text = extract_text("<html><head><script src='app.js'></script></head>"
                        "<body><div id='root'></div><script>render()</script></body></html>",
                        NULL, &r, &err);
    CHECK(text == NULL && r == PRECIS_ERR_NO_CONTENT);
    CHECK_CONTAINS(err.msg, "JavaScript");
    text = extract_text("<html><body><noscript>You need to enable JavaScript to run this "
                        "app.</noscript><div id='app'></div></body></html>",
                        NULL, &r, &err);
    CHECK(text == NULL && r == PRECIS_ERR_NO_CONTENT);
    CHECK_CONTAINS(err.msg, "JavaScript");

    text = extract_text("<p>Just one short line.</p>", NULL, &r, &err);
    CHECK(r == PRECIS_OK);
    CHECK_CONTAINS(text, "Just one short line.");
    free(text);
}

static void test_long_class_and_id(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, "<html><body><div class='");
    for (int i = 0; i < 2000; i++)
        precis_buf_puts(&b, "x");
    precis_buf_puts(&b, "' id='");
    for (int i = 0; i < 2000; i++)
        precis_buf_puts(&b, "y");
    precis_buf_printf(&b, "'>%s</div></body></html>", ARTICLE);
    char *text = extract_text(b.ptr, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "ferrymen");
    free(text);
    precis_buf_release(&b);
}

static void test_deep_nesting(void)
{
    enum { DEPTH = 100000 };
    const char *tags[] = {"div", "span", "b"};
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_puts(&b, "<html><body>");
        for (int i = 0; i < DEPTH; i++)
            precis_buf_printf(&b, "<%s>", tags[k]);
        precis_buf_puts(&b, "Deep text at the bottom of the well.");
        for (int i = 0; i < DEPTH; i++)
            precis_buf_printf(&b, "</%s>", tags[k]);
        precis_buf_puts(&b, "<p>After the well.</p></body></html>");
        precis_result r;
        char *text = extract_text(b.ptr, NULL, &r, NULL);
        CHECK(r == PRECIS_OK);
        CHECK_CONTAINS(text, "Deep text at the bottom");
        free(text);
        precis_buf_release(&b);
    }
    /* unclosed tags and broken entities */
    precis_buf b;
    precis_buf_init(&b, 0);
    for (int i = 0; i < DEPTH; i++)
        precis_buf_puts(&b, i % 3 ? "<table><tr><td>&am" : "<p><li>x&#xZZ;");
    precis_result r;
    char *text = extract_text(b.ptr, NULL, &r, NULL);
    CHECK(r == PRECIS_OK || r == PRECIS_ERR_NO_CONTENT);
    free(text);
    precis_buf_release(&b);
}

int main(void)
{
    test_boilerplate_removed();
    test_share_widget_inside_article();
    test_comments();
    test_hidden_never_shown();
    test_docs_index_falls_back_to_body();
    test_no_content();
    test_long_class_and_id();
    test_deep_nesting();
    return CHECK_DONE();
}
