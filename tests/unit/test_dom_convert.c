/* DOM -> document model conversion, checked through the plain-text renderer. */
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precis/dom.h"
#include "precis/render.h"
#include "../../src/dom_internal.h"

static precis_doc *convert_opts(const char *html, const precis_convert_opts *opts)
{
    GumboOutput *g = gumbo_parse(html);
    precis_doc *doc = precis_doc_new();
    precis_dom_convert(g->document, opts, doc->root);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    return doc;
}

static precis_doc *convert(const char *html)
{
    precis_convert_opts opts = {"https://example.com/a/b/page.html", NULL, NULL};
    return convert_opts(html, &opts);
}

/* Converts html and returns its plain text; the caller frees it. */
static char *text_of(const char *html)
{
    precis_doc *doc = convert(html);
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render_text(doc, &out);
    precis_doc_free(doc);
    return precis_buf_detach(&out);
}

#define CHECK_TEXT(html, want)                                                         \
    do {                                                                               \
        char *got_ = text_of(html);                                                    \
        CHECK_STR(got_, want);                                                         \
        free(got_);                                                                    \
    } while (0)

static const precis_node *first_of(const precis_doc *doc, precis_node_kind kind)
{
    for (const precis_node *n = doc->root; n; n = precis_node_walk_next(doc->root, n))
        if (n->kind == kind)
            return n;
    return NULL;
}

static void test_whitespace(void)
{
    CHECK_TEXT("<p>  hello \n\t world  </p>", "hello world\n");
    CHECK_TEXT("<div>a</div><div>b</div>", "a\n\nb\n");
    CHECK_TEXT("<p>a<br>b</p>", "a\nb\n");
    CHECK_TEXT("<p>a<b>b</b>c</p>", "abc\n");
    CHECK_TEXT("<p>a <b> b </b> c</p>", "a b c\n");
    CHECK_TEXT("<div>x<span>y</span> z</div>", "xy z\n");
    CHECK_TEXT("<p>one&nbsp;&nbsp;two</p><p>&nbsp;</p>", "one two\n");
    CHECK_TEXT("<div>text<p>para</p>tail</div>", "text\n\npara\n\ntail\n");
    CHECK_TEXT("<table><tr><td>a</td><td>b</td></tr></table>", "a | b\n");
    CHECK_TEXT("<table><tr><td>a</td></tr><tr><td>b</td></tr></table>", "a\n\nb\n"); /* layout */
    CHECK_TEXT("<h1><div>a</div><div>b</div></h1>", "a b\n");
    CHECK_TEXT("<p>tag\xf3\xa0\x81\x81smuggled\xe2\x80\x8b</p>", "tagsmuggled\n");
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_dom_clean_text("x\x01y\x7fz\r\n\xc2\x85\xff!", 11, &b);
    CHECK_STR(b.ptr, "xyz\n\xef\xbf\xbd!");
    precis_buf_release(&b);
}

static void test_tables(void)
{
    CHECK_TEXT("<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>",
               "k | v\na | 1\n");
    precis_doc *doc = convert("<table><thead><tr><td>k</td><td>v</td></tr></thead>"
                              "<tr><td colspan=2>wide</td></tr><tr><td>x</td><td>y</td></tr></table>");
    const precis_node *row = first_of(doc, PRECIS_NODE_ROW);
    CHECK(row && row->header);
    CHECK(row && row->next && !row->next->header);
    size_t cells = 0;
    for (const precis_node *c = row && row->next ? row->next->first_child : NULL; c; c = c->next)
        cells++;
    CHECK(cells == 2);
    precis_doc_free(doc);
    CHECK_TEXT("<p>before</p><table></table><p>after</p>", "before\n\nafter\n");
    CHECK_TEXT("<table><tr><td></td><td></td></tr></table><p>x</p>", "x\n");
    /* nested data table inside a data table cell is flattened */
    CHECK_TEXT("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>"
               "<table><tr><td>n1</td><td>n2</td></tr></table></td></tr></table>",
               "a\n\nb\n\nc\n\nn1 | n2\n");
    CHECK_TEXT("<table><tr><th>h1</th><th>h2</th></tr><tr><td><p>p1</p><p>p2</p></td>"
               "<td><ul><li>x</li><li>y</li></ul></td></tr></table>",
               "h1 | h2\np1 p2 | x y\n");
}

static void test_lists(void)
{
    CHECK_TEXT("<ul><li>a</li><li>b<ol start=3><li>c</li><li>d<ul><li>e</li></ul></li></ol></li></ul>",
               "- a\n- b\n  3. c\n  4. d\n     - e\n");
    CHECK_TEXT("<ul><li>a</li><ul><li>nested</li></ul></ul>", "- a\n  - nested\n");
    CHECK_TEXT("<ul>stray<li>x</li></ul>", "- stray\n- x\n");
    CHECK_TEXT("<dl><dt>term</dt><dd>def one</dd><dd>def two</dd></dl>",
               "term\n\n- def one\n- def two\n");
    CHECK_TEXT("<ul><li></li><li>  </li></ul><p>x</p>", "x\n");
}

static void test_code(void)
{
    precis_doc *doc = convert("<pre class=\"language-python\"><code>def f():\n"
                              "    if x:\n        return 1\n</code></pre>");
    const precis_node *cb = first_of(doc, PRECIS_NODE_CODE_BLOCK);
    CHECK(cb != NULL);
    if (cb) {
        CHECK_STR(cb->lang, "python");
        CHECK_STR(cb->text, "def f():\n    if x:\n        return 1");
    }
    precis_doc_free(doc);
    doc = convert("<div class=\"highlight-make notranslate\"><div class=\"highlight\"><pre>"
                  "all:\n\t$(CC) -o x <span class=\"n\">x.c</span><br>\tstrip x</pre></div></div>");
    cb = first_of(doc, PRECIS_NODE_CODE_BLOCK);
    CHECK(cb != NULL);
    if (cb) {
        CHECK_STR(cb->lang, "make");
        CHECK_STR(cb->text, "all:\n\t$(CC) -o x x.c\n\tstrip x");
    }
    precis_doc_free(doc);
    doc = convert("<pre class=\"sourceCode python\"><code class=\"sourceCode\">x = 1</code></pre>"
                  "<pre data-lang=\"Rust\">fn main() {}</pre>"
                  "<div class=\"highlight highlight-source-shell\"><pre>ls</pre></div>");
    cb = first_of(doc, PRECIS_NODE_CODE_BLOCK);
    CHECK(cb && cb->lang && strcmp(cb->lang, "python") == 0);
    CHECK(cb && cb->next && cb->next->lang && strcmp(cb->next->lang, "rust") == 0);
    CHECK(cb && cb->next && cb->next->next && cb->next->next->lang &&
          strcmp(cb->next->next->lang, "shell") == 0);
    precis_doc_free(doc);
    CHECK_TEXT("<p>call <code>f( x )</code> now</p>", "call f( x ) now\n");
    CHECK_TEXT("<blockquote><ul><li><pre>  keep\n    this</pre></li></ul></blockquote>",
               "-   keep\n      this\n");
    CHECK_TEXT("<pre>\n\n  first\n</pre>", "  first\n");
    CHECK_TEXT("<pre><span class=\"linenos\">1</span>code</pre>", "code\n");
    doc = convert("<p><a href=\"/x\"><pre>a\n b</pre></a></p>");
    CHECK(first_of(doc, PRECIS_NODE_CODE_BLOCK) != NULL || first_of(doc, PRECIS_NODE_CODE) != NULL);
    precis_doc_free(doc);
}

static void test_hidden(void)
{
    CHECK_TEXT("<p>seen</p><p hidden>no1</p><p aria-hidden=\"true\">no2</p>"
               "<p style=\"DISPLAY : NONE\">no3</p><p style=\"color:red;visibility: hidden !important\">no4</p>"
               "<div style='display:block'><span style=\"display:none\">no5</span>yes</div>"
               "<script>no6</script><style>p{}</style><noscript>no7</noscript><template>no8</template>"
               "<form><input value=no9><select><option>no10</option></select><button>no11</button>"
               "<textarea>no12</textarea>label</form><svg><text>no13</text></svg>"
               "<p style=\"font-size:0px\">no14</p><p class=\"sr-only\">no15</p>"
               "<p style=\"opacity:0\">faded in later</p>"
               "<div style=\"font-size: 0\"><span style=\"font-size:16px\">inline-block trick</span></div>",
               "seen\n\nyes\n\nlabel\n\nfaded in later\n\ninline-block trick\n");
    GumboOutput *g = gumbo_parse("<div style=\"display:noneX\">x</div><i style=\"opacity:0.5\">y</i>");
    const GumboNode *body = g->root->v.element.children.data[1];
    CHECK(!precis_dom_is_hidden(body->v.element.children.data[0]));
    CHECK(!precis_dom_is_hidden(body->v.element.children.data[1]));
    gumbo_destroy_output(&kGumboDefaultOptions, g);
}

static bool skip_aside(void *ctx, const GumboNode *el)
{
    (void)ctx;
    return el->v.element.tag == GUMBO_TAG_ASIDE;
}

static void test_skip(void)
{
    precis_convert_opts opts = {NULL, skip_aside, NULL};
    precis_doc *doc = convert_opts("<p>keep</p><aside>share this</aside><p>too</p>", &opts);
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render_text(doc, &out);
    CHECK_STR(out.ptr, "keep\n\ntoo\n");
    precis_buf_release(&out);
    precis_doc_free(doc);
}

static void test_links_images(void)
{
    precis_doc *doc = convert("<p><a href=\"../c?q=1#f\">rel</a> <a href=\"javascript:alert(1)\">js</a>"
                              " <a href=\"https://x.org\"></a><img src=\"i.png\" alt=\" the  alt \">"
                              "<img src=\"data:image/png;base64,xx\" alt=\"d\"></p>");
    const precis_node *a = first_of(doc, PRECIS_NODE_LINK);
    CHECK(a && a->href && strcmp(a->href, "https://example.com/a/c?q=1#f") == 0);
    CHECK(a && a->next && a->next->kind == PRECIS_NODE_TEXT && strcmp(a->next->text, " js ") == 0);
    const precis_node *img = first_of(doc, PRECIS_NODE_IMAGE);
    CHECK(img && img->href && strcmp(img->href, "https://example.com/a/b/i.png") == 0);
    CHECK(img && img->text && strcmp(img->text, "the alt") == 0);
    CHECK(img && img->next == NULL);
    precis_doc_free(doc);
    CHECK_TEXT("<a href=\"/x\"><div>card title</div><div>card text</div></a>", "card title card text\n");
}

static void test_headings(void)
{
    precis_doc *doc = convert("<h2 id=\"intro\">Intro</h2><a name=\"s2\"></a><h3>Two</h3>"
                              "<h4><span id=\"inner\">Three</span></h4><h5>None</h5>");
    const precis_node *h = first_of(doc, PRECIS_NODE_HEADING);
    CHECK(h && h->level == 2 && h->anchor && strcmp(h->anchor, "intro") == 0);
    h = h ? h->next : NULL;
    CHECK(h && h->level == 3 && h->anchor && strcmp(h->anchor, "s2") == 0);
    h = h ? h->next : NULL;
    CHECK(h && h->level == 4 && h->anchor && strcmp(h->anchor, "inner") == 0);
    h = h ? h->next : NULL;
    CHECK(h && h->level == 5 && h->anchor == NULL);
    precis_doc_free(doc);
    /* a heading's own permalink is noise; a real link in a heading is kept */
    CHECK_TEXT("<h2 id=a>Setup <a class=headerlink href=\"#a\">\xc2\xb6</a></h2>"
               "<h2>Use <a href=\"#b\">\xf0\x9f\x94\x97</a></h2><h2><a href=\"#c\">Caf\xc3\xa9</a></h2>",
               "Setup\n\nUse\n\nCaf\xc3\xa9\n");
}

static void test_misc(void)
{
    CHECK_TEXT("<details><summary>More</summary><p>hidden until opened</p></details>",
               "More\n\nhidden until opened\n");
    CHECK_TEXT("<figure><img src=a.png alt=x><figcaption>Cap <b>bold</b></figcaption></figure>",
               "Cap bold\n");
    CHECK_TEXT("<p>a</p><hr><p>b</p>", "a\n\nb\n");
    CHECK_TEXT("<p>unclosed <b>bold <i>both</p><p>next", "unclosed bold both\n\nnext\n");
    CHECK_TEXT("", "");
    CHECK_TEXT("<p>a <img src=x.png alt=pic> b</p><p><img src=y.png alt=s> <img src=z.png alt=t></p>",
               "a b\n");
    CHECK_TEXT("<p><a href=/><i>\xee\xa2\x8a</i></a> icon</p>", "icon\n");
    {
        precis_doc *d = convert("<p><img src=deco.png alt=\"\"><img src=real.png alt=Real></p>");
        const precis_node *img = first_of(d, PRECIS_NODE_IMAGE);
        CHECK(img && img->text && strcmp(img->text, "Real") == 0 && !img->next);
        precis_doc_free(d);
    }
    CHECK_TEXT("<div><p></p><span> </span></div>", "");
    CHECK_TEXT("<p>\xe4\xb8\xad\xe6\x96\x87 <b>\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a</b></p>",
               "\xe4\xb8\xad\xe6\x96\x87 \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\n");
}

static void test_word_count(void)
{
    precis_doc *doc = convert("<p>one two<b>three</b></p><p>four</p><p>\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97 ok</p>");
    CHECK(precis_doc_word_count(doc) == 7); /* "twothree" is one word */
    precis_doc_free(doc);
}

static void test_deep(void)
{
    const size_t depth = 100000;
    precis_buf html;
    precis_buf_init(&html, 0);
    /* Mostly <span>: gumbo's own cost for nested blocks grows with the square
     * of the depth; block elements still appear all the way down. */
    static const char *const tags[] = {"<div>", "<blockquote>", "<em>", "<ul><li>", "<a href=x>",
                                       "<p>", "<table><tr><td>", "<strong>"};
    for (size_t i = 0; i < depth; i++)
        precis_buf_puts(&html, i % 97 == 0 ? tags[(i / 97) % 8] : "<span>");
    precis_buf_puts(&html, "deep text");
    /* Default options record one parse error per unclosed element, each with a
     * copy of the open-element stack: quadratic memory. Errors are not needed. */
    GumboOptions gopts = kGumboDefaultOptions;
    gopts.max_errors = 0;
    GumboOutput *g = gumbo_parse_with_options(&gopts, html.ptr, html.len);
    precis_doc *doc = precis_doc_new();
    precis_dom_convert(g->document, NULL, doc->root);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render_text(doc, &out);
    CHECK_CONTAINS(out.ptr, "deep text");
    precis_buf_reset(&out);
    precis_render_markdown(doc, &out);
    CHECK_CONTAINS(out.ptr, "deep text");
    precis_buf_release(&out);
    precis_doc_free(doc);
    precis_buf_release(&html);
}

static void check_url(const char *base, const char *ref, const char *want)
{
    char *got = precis_url_resolve(base, ref);
    if (want)
        CHECK_STR(got, want);
    else
        CHECK(got == NULL);
    free(got);
}

static void test_url(void)
{
    /* RFC 3986 section 5.4 examples */
    const char *b = "http://a/b/c/d;p?q";
    static const char *const cases[][2] = {
        {"g:h", "g:h"},           {"g", "http://a/b/c/g"},     {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},        {"//g", "http://g/"},
        {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"}, {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},   {"..", "http://a/b/"},       {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},  {"../..", "http://a/"},      {"../../", "http://a/"},
        {"../../g", "http://a/g"}, {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"},    {"/../g", "http://a/g"},     {"g.", "http://a/b/c/g."},
        {".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"}, {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_url(b, cases[i][0], cases[i][1]);
    check_url("https://example.com", "x", "https://example.com/x");
    check_url("https://example.com/dir/", " a b\n.html ", "https://example.com/dir/a%20b.html");
    check_url("https://example.com/", "JavaScript:alert(1)", NULL);
    check_url("https://example.com/", "  javascript:void(0)", NULL);
    check_url("https://example.com/", "data:text/html,x", NULL);
    check_url("https://example.com/", "mailto:a@b.c", "mailto:a@b.c");
    check_url("HTTPS://Example.com/a", "//cdn.example.com/x.js", "https://cdn.example.com/x.js");
    check_url(NULL, "/relative", "/relative");
    check_url(NULL, "", NULL);
    check_url("https://example.com/a", NULL, NULL);
}

int main(void)
{
    test_url();
    test_whitespace();
    test_tables();
    test_lists();
    test_code();
    test_hidden();
    test_skip();
    test_links_images();
    test_headings();
    test_misc();
    test_word_count();
    test_deep();
    return CHECK_DONE();
}
