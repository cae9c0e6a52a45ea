/* Sitemaps (XML url sets and indexes, plain text) and llms.txt links. */
#include "check.h"

#include <stdlib.h>

#include "precis/buf.h"
#include "precis/sitemap.h"

/* Records each URL as "P url\n" (page) or "S url\n" (sitemap). */
static void record(void *ctx, const char *url, bool is_sitemap)
{
    precis_buf *out = ctx;
    precis_buf_puts(out, is_sitemap ? "S " : "P ");
    precis_buf_puts(out, url);
    precis_buf_putc(out, '\n');
}

/* Parses text and checks the transcript and the result. */
static void sitemap_is(const char *text, size_t max, precis_result want_rc, const char *want,
                       int line)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_result rc = precis_sitemap_parse(text, strlen(text), max, record, &out);
    if (rc != want_rc || strcmp(out.ptr, want) != 0) {
        fprintf(stderr, "%s:%d: sitemap: rc %d (want %d)\n  got:\n%s  want:\n%s", __FILE__,
                line, (int)rc, (int)want_rc, out.ptr, want);
        check_failures++;
    }
    check_count++;
    precis_buf_release(&out);
}
#define SITEMAP_IS(text, want) sitemap_is(text, 0, PRECIS_OK, want, __LINE__)
#define SITEMAP_EMPTY(text) sitemap_is(text, 0, PRECIS_ERR_NO_CONTENT, "", __LINE__)

static void test_urlset(void)
{
    SITEMAP_IS("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
               "  <url>\n    <loc>https://x.org/</loc>\n    <lastmod>2024-01-01</lastmod>\n"
               "  </url>\n"
               "  <url><loc>\n   https://x.org/docs/a?b=1&amp;c=2\n  </loc>"
               "<changefreq>daily</changefreq><priority>0.5</priority></url>\n"
               "</urlset>\n",
               "P https://x.org/\nP https://x.org/docs/a?b=1&c=2\n");
}

static void test_index(void)
{
    SITEMAP_IS("\xEF\xBB\xBF<?xml version='1.0'?>"
               "<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
               "<sitemap><loc>https://x.org/sitemap-1.xml</loc>"
               "<lastmod>2024-05-01T10:00:00+00:00</lastmod></sitemap>"
               "<sitemap><loc>https://x.org/sitemap-2.xml.gz</loc></sitemap>"
               "</sitemapindex>",
               "S https://x.org/sitemap-1.xml\nS https://x.org/sitemap-2.xml.gz\n");
}

static void test_namespaces_cdata_comments(void)
{
    /* prefixed elements; image:loc and xhtml:link are not pages */
    SITEMAP_IS("<sm:urlset xmlns:sm=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n"
               "  xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\"\n"
               "  xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
               "<sm:url><sm:loc>https://x.org/a</sm:loc>\n"
               "  <image:image><image:loc>https://x.org/pic.jpg</image:loc></image:image>\n"
               "  <xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://x.org/de/a\"/>\n"
               "</sm:url>\n"
               "<sm:url><image:image><image:loc>https://x.org/p2.jpg</image:loc></image:image>"
               "<sm:loc>https://x.org/b</sm:loc></sm:url>\n"
               "</sm:urlset>",
               "P https://x.org/a\nP https://x.org/b\n");
    /* CDATA (raw, no entity decoding), comments, mixed text, odd case */
    SITEMAP_IS("<!DOCTYPE urlset>\n<!-- <url><loc>https://x.org/commented</loc></url> -->\n"
               "<urlset><url><loc><![CDATA[https://x.org/c?a=1&amp;b=<2>]]></loc></url>"
               "<URL><LOC>https://x.org/<![CDATA[mixed]]>/&#x41;&#66;</LOC></URL>"
               "<url><loc attr=\"a>b\">https://x.org/attr</loc></url>"
               "<url><loc/><loc>https://x.org/after-empty</loc></url>"
               "</urlset>",
               "P https://x.org/c?a=1&amp;b=<2>\nP https://x.org/mixed/AB\n"
               "P https://x.org/attr\nP https://x.org/after-empty\n");
}

static void test_entities(void)
{
    SITEMAP_IS("<urlset><url><loc>https://x.org/?a=&lt;&gt;&quot;&apos;&amp;amp;"
               "&#233;&#xE9;&#x1F600;&bogus;&#0;&#xD800;&#x110000;&amp</loc></url></urlset>",
               "P https://x.org/?a=<>\"'&amp;\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80"
               "&bogus;&#0;&#xD800;&#x110000;&amp\n");
}

static void test_bad_entries(void)
{
    /* not http(s), relative, empty, controls, inner spaces, unterminated */
    SITEMAP_IS("<urlset>"
               "<url><loc>ftp://x.org/f</loc></url>"
               "<url><loc>/relative</loc></url>"
               "<url><loc>   </loc></url>"
               "<url><loc>https://</loc></url>"
               "<url><loc>https:///nohost</loc></url>"
               "<url><loc>https://x.org/a&#1;b</loc></url>"
               "<url><loc>https://x.org/with space</loc></url>"
               "<loc>https://x.org/orphan</loc>"
               "<url><loc>https://x.org/unclosed</url>"
               "<url><loc>https://x.org/cut",
               "P https://x.org/with%20space\nP https://x.org/unclosed\nP https://x.org/cut\n");
}

static void test_plain_text(void)
{
    SITEMAP_IS("https://x.org/a\r\n"
               "  http://x.org/b  \n"
               "\n"
               "# a comment\n"
               "not a url\n"
               "https://x.org/c extra words\n"
               "HTTPS://X.org/d\r"
               "ftp://x.org/e\n"
               "https://x.org/last",
               "P https://x.org/a\nP http://x.org/b\nP HTTPS://X.org/d\nP https://x.org/last\n");
    /* XML after junk still parses */
    SITEMAP_IS("Warning: something\n<urlset><url><loc>https://x.org/z</loc></url></urlset>",
               "P https://x.org/z\n");
}

static void test_garbage_and_cap(void)
{
    SITEMAP_EMPTY("");
    SITEMAP_EMPTY("   \n\t");
    SITEMAP_EMPTY("<html><body><h1>404 Not Found</h1></body></html>");
    SITEMAP_EMPTY("<urlset></urlset>");
    SITEMAP_EMPTY("<<<<>>>></loc></url><loc>");
    SITEMAP_EMPTY("<!-- never closed <url><loc>https://x.org/</loc></url>");
    SITEMAP_EMPTY("just some words\nand more");
    CHECK(precis_sitemap_parse(NULL, 10, 0, record, NULL) == PRECIS_ERR_NO_CONTENT);

    /* the cap */
    precis_buf xml, txt;
    precis_buf_init(&xml, 0);
    precis_buf_init(&txt, 0);
    precis_buf_puts(&xml, "<urlset>");
    for (int i = 0; i < 60000; i++) {
        precis_buf_printf(&xml, "<url><loc>https://x.org/%d</loc></url>", i);
        precis_buf_printf(&txt, "https://x.org/%d\n", i);
    }
    precis_buf_puts(&xml, "</urlset>");
    sitemap_is(xml.ptr, 3, PRECIS_OK, "P https://x.org/0\nP https://x.org/1\nP https://x.org/2\n",
               __LINE__);
    sitemap_is(txt.ptr, 2, PRECIS_OK, "P https://x.org/0\nP https://x.org/1\n", __LINE__);
    size_t n = 0;
    CHECK(precis_sitemap_parse(xml.ptr, xml.len, 0, NULL, NULL) == PRECIS_OK);
    precis_buf out;
    precis_buf_init(&out, 0);
    CHECK(precis_sitemap_parse(xml.ptr, xml.len, 0, record, &out) == PRECIS_OK);
    for (size_t i = 0; i < out.len; i++)
        n += out.ptr[i] == '\n';
    CHECK(n == PRECIS_SITEMAP_MAX_URLS);
    precis_buf_reset(&out);
    CHECK(precis_sitemap_parse(txt.ptr, txt.len, 1000000, record, &out) == PRECIS_OK);
    n = 0;
    for (size_t i = 0; i < out.len; i++)
        n += out.ptr[i] == '\n';
    CHECK(n == PRECIS_SITEMAP_MAX_URLS);
    precis_buf_release(&out);
    precis_buf_release(&xml);
    precis_buf_release(&txt);

    /* deep nesting does not break the scanner */
    precis_buf deep;
    precis_buf_init(&deep, 0);
    for (int i = 0; i < 1000; i++)
        precis_buf_puts(&deep, "<a>");
    precis_buf_puts(&deep, "<url><loc>https://x.org/deep</loc></url>");
    for (int i = 0; i < 1000; i++)
        precis_buf_puts(&deep, "</a>");
    precis_buf_puts(&deep, "<url><loc>https://x.org/after</loc></url>");
    sitemap_is(deep.ptr, 0, PRECIS_OK, "P https://x.org/after\n", __LINE__);
    precis_buf_release(&deep);

    /* a <loc> value longer than 8 KB is dropped */
    precis_buf big;
    precis_buf_init(&big, 0);
    precis_buf_puts(&big, "<urlset><url><loc>https://x.org/");
    for (int i = 0; i < 9000; i++)
        precis_buf_putc(&big, 'a');
    precis_buf_puts(&big, "</loc></url><url><loc>https://x.org/ok</loc></url></urlset>");
    sitemap_is(big.ptr, 0, PRECIS_OK, "P https://x.org/ok\n", __LINE__);
    precis_buf_release(&big);

    /* NUL bytes are not URL bytes */
    static const char nul[] = "<urlset><url><loc>https://x.org/a\0b</loc></url>"
                              "<url><loc>https://x.org/c</loc></url></urlset>";
    precis_buf_init(&out, 0);
    CHECK(precis_sitemap_parse(nul, sizeof nul - 1, 0, record, &out) == PRECIS_OK);
    CHECK_STR(out.ptr, "P https://x.org/c\n");
    precis_buf_release(&out);
}

static void llms_is(const char *text, const char *base, const char *want, int line)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_llms_txt_links(text, strlen(text), base, record, &out);
    if (strcmp(out.ptr, want) != 0) {
        fprintf(stderr, "%s:%d: llms.txt:\n  got:\n%s  want:\n%s", __FILE__, line, out.ptr, want);
        check_failures++;
    }
    check_count++;
    precis_buf_release(&out);
}

static void test_llms_txt(void)
{
    const char *txt =
        "# FastThing\n"
        "\n"
        "> FastThing is a library. See [the site](https://fast.example/) too.\n"
        "\n"
        "Some notes with a [relative link](guide/intro.md#setup \"Title\").\n"
        "\n"
        "## Docs\n"
        "\n"
        "- [Quick start](https://fast.example/docs/quickstart.md): a first program\n"
        "- [API](/docs/api.md): every call\n"
        "- [Parens](https://fast.example/wiki/Foo_(bar)): balanced\n"
        "- [Angle](<docs/with space.md>): angle brackets\n"
        "- [Up](../up.md)\n"
        "- [Mail](mailto:team@fast.example): not http\n"
        "- [FTP](ftp://fast.example/f): not http\n"
        "- [Empty]()\n"
        "- [Not closed](https://fast.example/nope\n"
        "- ![logo](img/logo.png) and [![badge](img/b.svg)](https://ci.example/run)\n"
        "- `[code](https://fast.example/code-span)` and \\[escaped](https://esc.example/)\n"
        "\n"
        "```\n"
        "[fenced](https://fast.example/fenced)\n"
        "```\n"
        "\n"
        "## Optional\n"
        "\n"
        "- [Blog](http://blog.example/post?a=1&b=2#c)\n";
    llms_is(txt, "https://fast.example/docs/llms.txt",
            "P https://fast.example/\n"
            "P https://fast.example/docs/guide/intro.md#setup\n"
            "P https://fast.example/docs/quickstart.md\n"
            "P https://fast.example/docs/api.md\n"
            "P https://fast.example/wiki/Foo_(bar)\n"
            "P https://fast.example/docs/docs/with%20space.md\n"
            "P https://fast.example/up.md\n"
            "P https://ci.example/run\n"
            "P http://blog.example/post?a=1&b=2#c\n",
            __LINE__);
    /* without a base only absolute links count */
    llms_is("- [a](https://x.org/a)\n- [b](b.md)\n", NULL, "P https://x.org/a\n", __LINE__);
    llms_is("", "https://x.org/", "", __LINE__);
    llms_is("]]]](((( [[[[ )))) [x](", "https://x.org/", "", __LINE__);
    llms_is("[a]( https://x.org/sp 'title' )", NULL, "P https://x.org/sp\n", __LINE__);
    llms_is("[a](https://x.org/a\\)b)", NULL, "P https://x.org/a)b\n", __LINE__);
    precis_llms_txt_links(NULL, 4, "https://x.org/", record, NULL);
}

int main(void)
{
    test_urlset();
    test_index();
    test_namespaces_cdata_comments();
    test_entities();
    test_bad_entries();
    test_plain_text();
    test_garbage_and_cap();
    test_llms_txt();
    return CHECK_DONE();
}
