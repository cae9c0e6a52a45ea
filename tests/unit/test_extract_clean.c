/* Boilerplate lines inside the main content (teasers, credits, share and
 * subscription prompts) and parser traps that hide the whole page. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract_fixture.h"
#include "precis/extract.h"
#include "precis/render.h"

/* Wraps inner (placed among the article's paragraphs) in a page; caller frees. */
static char *article(const char *inner)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><div class='menu'><a href='/'>Home</a></div>"
                          "<article><h1>The river town</h1>%s%s</article></body></html>",
                      ARTICLE, inner);
    return precis_buf_detach(&b);
}

static void test_unclosed_noscript(void)
{
    /* The parser ignores </noscript> while the div is open: the whole page would
     * be inside the noscript. */
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><noscript><div id='nojs'></noscript>"
                          "<div class='content'>%s</div>"
                          "<noscript></div></noscript></body></html>", ARTICLE);
    precis_result r;
    char *text = extract_text(b.ptr, NULL, &r, NULL);
    CHECK(r == PRECIS_OK);
    CHECK_CONTAINS(text, "second-hand books");
    free(text);
    precis_buf_release(&b);
    /* A page that only asks for JavaScript still fails. */
    text = extract_text("<html><body><noscript>Please enable JavaScript.</noscript>"
                        "<script>go()</script></body></html>", NULL, &r, NULL);
    CHECK(r == PRECIS_ERR_NO_CONTENT);
    CHECK(text == NULL);
}

static void test_boilerplate_lines(void)
{
    char *html = article(
        "<h3>Das könnte Sie auch interessieren:</h3>"
        "<p>Lea también: <a href='/x'>Otra noticia del día</a></p>"
        "<figure><img src='a.jpg'><figcaption><span>Foto: Jane Roe / Agency</span>"
        "</figcaption></figure>"
        "<div>This entry was posted in News. Bookmark the permalink.</div>"
        "<p>Tags: town, river, bridge</p>"
        "<h2>- Anzeige -</h2>"
        "<p>To view the full story, please subscribe to The Daily Town.</p>"
        "<h3><em>ÄHNLICHE BEITRÄGE</em></h3>"
        "<div>24.01.2022 11:38<br>Kategorie: <a href='/news'>News</a></div>"
        "<figure><img src='b.jpg'><figcaption>The old bridge at dawn. Jane Roe / "
        "Getty Images</figcaption></figure>"
        "<figure><img src='c.jpg'><figcaption>The ferry landing in winter, seen from the "
        "hill</figcaption></figure>"
        "<div class='author-box'><p>Jane Roe writes about rivers, bridges and the towns "
        "that grew around them. She lives by the old ferry landing.</p></div>"
        "<p>Anzeige, enthält Affiliate Links</p>"
        "<p>For the latest stories download the Town News app for your phone.</p>"
        "<h2>Related articles</h2>"
        "<p>Related articles were kept by the archive, which the council still funds, "
        "and the museum lends them to schools every spring.</p>");
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "second-hand books");
    CHECK_CONTAINS(text, "Related articles were kept by the archive");
    CHECK(text && !strstr(text, "interessieren"));
    CHECK(text && !strstr(text, "Lea también"));
    CHECK(text && !strstr(text, "Jane Roe"));
    CHECK(text && !strstr(text, "This entry was posted"));
    CHECK(text && !strstr(text, "Tags:"));
    CHECK(text && !strstr(text, "Anzeige"));
    CHECK(text && !strstr(text, "full story"));
    CHECK(text && !strstr(text, "Related articles\n"));
    CHECK(text && !strstr(text, "BEITRÄGE"));
    CHECK(text && !strstr(text, "Kategorie"));
    CHECK(text && !strstr(text, "Getty"));
    CHECK_CONTAINS(text, "The ferry landing in winter");
    CHECK(text && !strstr(text, "writes about rivers"));
    CHECK(text && !strstr(text, "Affiliate"));
    CHECK(text && !strstr(text, "latest stories"));
    free(text);
    free(html);
}

static void test_commentary_is_an_article(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><div class='sect news commentary'><article>%s"
                          "</article></div><div class='comments'><p>First! Great "
                          "post, I really enjoyed reading every single word of it.</p>"
                          "</div></body></html>", ARTICLE);
    char *text = extract_text(b.ptr, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "second-hand books");
    CHECK(text && !strstr(text, "First!"));
    free(text);
    precis_buf_release(&b);
}

static void test_short_item_list_kept(void)
{
    char *html = article("<ul><li>Shelter<ol><li>Tent body and fly</li><li>Stakes</li>"
                         "</ol></li><li>Clothes: one set to wear, one to sleep in</li></ul>"
                         "<p>Everything else goes in the hip belt pockets.</p>");
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "Tent body and fly");
    CHECK_CONTAINS(text, "Clothes: one set to wear");
    free(text);
    free(html);
}

static void test_heading_slug_ids(void)
{
    /* docs sections carry their heading as id: "sharing-..." names the subject,
     * not a share widget; a short id still counts */
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><div class='body'><div class='section' id='intro'>"
                          "<h1>Shared history</h1>%s</div>"
                          "<div class='section' id='sharing-with-a-single-developer'>"
                          "<h2>Sharing with a single developer</h2><p>Push the draft "
                          "changesets to a private repository on the test server, then "
                          "pull them on the other machine and keep working there.</p>"
                          "<p>Nothing is published until the work is finished, and the "
                          "history can still be amended on either machine.</p></div>"
                          "<div id='share-buttons'><p>Share this page with a colleague "
                          "by mail or on a social network of your choice today.</p></div>"
                          "</div></body></html>", ARTICLE);
    char *text = extract_text(b.ptr, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "Push the draft changesets");
    CHECK(text && !strstr(text, "Share this page"));
    free(text);
    precis_buf_release(&b);
}

static void test_credited_captions(void)
{
    /* a caption by class (not figcaption) with a credit goes; one without stays */
    char *html = article("<div class='wp-caption'><img src='/a.jpg'><p class='wp-caption-text'>"
                         "The strike in the university hall / (C) Kab Niang</p></div>"
                         "<div class='image'><img src='/b.jpg'><p class='bildunterschrift'>"
                         "Das Hermelin im Winterfell (mlharing / iStock.com)</p></div>"
                         "<div class='image'><img src='/c.jpg'><p class='caption'>The ferry "
                         "landing at dawn, the year before the bridge opened.</p></div>");
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK(text && !strstr(text, "Kab Niang"));
    CHECK(text && !strstr(text, "Hermelin"));
    CHECK_CONTAINS(text, "The ferry landing at dawn");
    free(text);
    free(html);
}

static void test_live_commentary_is_the_article(void)
{
    /* a match ticker names its entries "live-match-comment": they are the article */
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><nav><a href='/'>Home</a></nav><main>"
                          "<div class='live-match'><div class='live-match-comments'>");
    for (int i = 90; i > 0; i -= 10)
        precis_buf_printf(&b, "<div class='live-match-comment'><span>%d'</span><div "
                              "class='live-match-comment-body'>Minute %d: the home side "
                              "presses again, a corner, then a shot that goes just wide of "
                              "the post.</div></div>", i, i);
    precis_buf_printf(&b, "</div></div><div class='comments'><p>Reader comment: what a "
                          "dull game that was, I left at half time.</p></div>"
                          "</main></body></html>");
    char *text = extract_text(b.ptr, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "Minute 90:");
    CHECK_CONTAINS(text, "Minute 10:");
    CHECK(text && !strstr(text, "Reader comment"));
    free(text);
    precis_buf_release(&b);
}

static void test_described_link_list_kept(void)
{
    /* a list of people, each with a link that describes their change: content */
    char *html = article("<h4>New contributors</h4><ul>"
                         "<li>Ann Lee <a href='/b/1'>fixed the crash when the window is "
                         "resized twice</a></li>"
                         "<li>Bo Chen <a href='/b/2'>removed the unused dialog attribute from "
                         "the preferences</a></li>"
                         "<li>Cy Diaz <a href='/b/3'>converted the network monitor to native "
                         "promises</a></li></ul><p>Thanks to all of them for their work on "
                         "this release, and welcome to the project.</p>");
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "fixed the crash when the window");
    CHECK_CONTAINS(text, "converted the network monitor");
    free(text);
    free(html);
}

int main(void)
{
    test_described_link_list_kept();
    test_live_commentary_is_the_article();
    test_credited_captions();
    test_heading_slug_ids();
    test_short_item_list_kept();
    test_commentary_is_an_article();
    test_unclosed_noscript();
    test_boilerplate_lines();
    return CHECK_DONE();
}
