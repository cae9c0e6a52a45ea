/* Renderers: Markdown, JSON and the link list, from small converted pages. */
#include <cjson/cJSON.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precis/dom.h"
#include "precis/render.h"

static precis_doc *convert(const char *html)
{
    GumboOutput *g = gumbo_parse(html);
    precis_doc *doc = precis_doc_new();
    precis_convert_opts opts = {"https://example.com/dir/page", NULL, NULL};
    precis_dom_convert(g->document, &opts, doc->root);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    return doc;
}

static char *render(const char *html, precis_format format)
{
    precis_doc *doc = convert(html);
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render(doc, format, &out);
    precis_doc_free(doc);
    return precis_buf_detach(&out);
}

#define CHECK_MD(html, want)                                                           \
    do {                                                                               \
        char *got_ = render(html, PRECIS_FORMAT_MARKDOWN);                             \
        CHECK_STR(got_, want);                                                         \
        free(got_);                                                                    \
    } while (0)

static void test_markdown_blocks(void)
{
    CHECK_MD("<h2>Title</h2><p>Para <em>one</em> and <strong>two</strong>.</p><hr><p>x</p>",
             "## Title\n\nPara *one* and **two**.\n\n---\n\nx\n");
    CHECK_MD("<h3>Issue #</h3>", "### Issue \\#\n");
    CHECK_MD("<h1>C# and F#</h1>", "# C# and F\\#\n");
    CHECK_MD("<p>a<br>b</p>", "a\\\nb\n");
    CHECK_MD("<blockquote><p>q1</p><p>q2</p><ul><li>i</li></ul></blockquote>",
             "> q1\n>\n> q2\n>\n> - i\n");
    CHECK_MD("<ol start=9><li>nine</li><li>ten<ul><li>sub</li></ul></li></ol>",
             "9. nine\n10. ten\n    - sub\n");
    CHECK_MD("<ul><li><p>para</p><pre class=lang-sh>make\n  install</pre></li></ul>",
             "- para\n\n  ```sh\n  make\n    install\n  ```\n");
    CHECK_MD("<blockquote><ul><li><pre>  x\n\n  y</pre></li></ul></blockquote>",
             "> - ```\n>     x\n>\n>     y\n>   ```\n");
    CHECK_MD("<pre>use ``` fences</pre>", "````\nuse ``` fences\n````\n");
    CHECK_MD("<figure><img src=/a.png alt=\"A [cat]\"><figcaption>The cat</figcaption></figure>",
             "![A \\[cat\\]](https://example.com/a.png)\n\nThe cat\n");
    CHECK_MD("<ul><li>a</li></ul><ul><li>b</li></ul><ul><li>c</li></ul><ol><li>d</li></ol><ol><li>e</li></ol>",
             "- a\n\n* b\n\n- c\n\n1. d\n\n1) e\n");
    CHECK_MD("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "**Term**\n\n- Meaning\n");
}

static void test_markdown_tables(void)
{
    CHECK_MD("<table><tr><th>a|b</th><th>c</th></tr><tr><td>1</td><td><b>2</b></td></tr></table>",
             "| a\\|b | c |\n| --- | --- |\n| 1 | **2** |\n");
    CHECK_MD("<table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table>",
             "| x | y |\n| --- | --- |\n| z |  |\n");
    CHECK_MD("<table><caption>Cap</caption><tr><td>a<br>b</td><td>c</td></tr></table>",
             "Cap\n\n| a b | c |\n| --- | --- |\n");
    CHECK_MD("<table></table><table><tr></tr></table><p>only</p>", "only\n");
    CHECK_MD("<table><tr><td><code>a|b</code></td><td>c</td></tr></table>",
             "| `a\\|b` | c |\n| --- | --- |\n");
}

static void test_markdown_inlines(void)
{
    CHECK_MD("<p>2 * 3 = 6, snake_case, *stars*, _under_ and a `tick`</p>",
             "2 * 3 = 6, snake_case, \\*stars\\*, \\_under\\_ and a \\`tick\\`\n");
    CHECK_MD("<p>[1] is fine; [x](y) is not; &lt;b&gt; and &amp;amp; too</p>",
             "[1] is fine; \\[x](y) is not; \\<b> and \\&amp; too\n");
    CHECK_MD("<p>- not a list</p><p>+ neither</p><p>&gt; nor a quote</p><p>2. nor this</p>",
             "\\- not a list\n\n\\+ neither\n\n\\> nor a quote\n\n2\\. nor this\n");
    CHECK_MD("<p>a<b> bold </b>b</p>", "a **bold** b\n");
    CHECK_MD("<p><code>a`b</code> <code>`x`</code></p>", "``a`b`` `` `x` ``\n");
    CHECK_MD("<p><a href=\"/p (1)\">paren</a> <a href=\"#top\"></a><a href=\"x\"><img src=i.png alt=icon></a></p>",
             "[paren](https://example.com/p%20%281%29) [![icon](https://example.com/dir/i.png)](https://example.com/dir/x)\n");
    CHECK_MD("<p><a href=\"javascript:void(0)\">click</a> here</p>", "click here\n");
    CHECK_MD("<p><a href=\"/a\">link [with] brackets</a></p>",
             "[link \\[with\\] brackets](https://example.com/a)\n");
}

static void test_json(void)
{
    precis_doc *doc = convert("<h1 id=top>T</h1><p>Hello <a href=/a>A</a> and <a href=/a>again</a> "
                              "<a href=/b>B</a></p><h2>Sub</h2>");
    precis_set_string(&doc->meta.title, "The \"title\"");
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render_json(doc, &out);
    cJSON *j = cJSON_Parse(out.ptr);
    CHECK(j != NULL);
    if (j) {
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "title")), "The \"title\"");
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(j, "author")));
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "markdown")),
                  "# T\n\nHello [A](https://example.com/a) and [again](https://example.com/a) "
                  "[B](https://example.com/b)\n\n## Sub\n");
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "text")), "T\n\nHello A and again B\n\nSub\n");
        cJSON *h = cJSON_GetObjectItem(j, "headings");
        CHECK(cJSON_GetArraySize(h) == 2);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "anchor")), "top");
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 1), "anchor")));
        CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 1), "level")->valueint == 2);
        cJSON *l = cJSON_GetObjectItem(j, "links");
        CHECK(cJSON_GetArraySize(l) == 2);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(l, 1), "url")),
                  "https://example.com/b");
        CHECK(cJSON_GetObjectItem(j, "word_count")->valueint == 7);
        cJSON_Delete(j);
    }
    CHECK(precis_buf_ends_with(&out, '\n'));
    precis_buf_release(&out);

    precis_render_links(doc, &out);
    CHECK_STR(out.ptr, "[1] https://example.com/a  A\n[2] https://example.com/b  B\n");
    precis_buf_release(&out);
    precis_doc_free(doc);
}

static void test_formats_and_empty(void)
{
    precis_format f;
    CHECK(precis_format_parse("markdown", &f) && f == PRECIS_FORMAT_MARKDOWN);
    CHECK(precis_format_parse("text", &f) && f == PRECIS_FORMAT_TEXT);
    CHECK(precis_format_parse("json", &f) && f == PRECIS_FORMAT_JSON);
    CHECK(!precis_format_parse("html", &f));
    char *s = render("", PRECIS_FORMAT_MARKDOWN);
    CHECK_STR(s, "");
    free(s);
    s = render("", PRECIS_FORMAT_JSON);
    CHECK_CONTAINS(s, "\"word_count\":0");
    free(s);
    precis_doc *doc = precis_doc_new();
    precis_node *raw = precis_node_append(doc->root, precis_node_new_text(PRECIS_NODE_RAW, "a *b*\n", 6));
    (void)raw;
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render_markdown(doc, &out);
    CHECK_STR(out.ptr, "a *b*\n");
    precis_buf_release(&out);
    CHECK(precis_doc_word_count(doc) == 2);
    precis_doc_free(doc);
}

static void test_word_count_cjk(void)
{
    precis_doc *doc = convert("<p>日本語 text 한국어</p><pre>x = 1</pre>");
    CHECK(precis_doc_word_count(doc) == 1 + 3 + 3 + 3);
    precis_doc_free(doc);
}

int main(void)
{
    test_markdown_blocks();
    test_markdown_tables();
    test_markdown_inlines();
    test_json();
    test_formats_and_empty();
    test_word_count_cjk();
    return CHECK_DONE();
}
