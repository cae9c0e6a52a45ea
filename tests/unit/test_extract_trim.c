/* Trailing boilerplate: what follows the article's last prose is cut when it is a
 * prompt, a related list, a widget line or a disclaimer, and kept otherwise. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract_fixture.h"
#include "precis/buf.h"

/* A page whose article ends with tail (placed right after the last paragraph,
 * inside the article); caller frees the text extracted from it. */
static char *with_tail(const char *tail)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><nav><a href='/'>Home</a></nav><article>"
                          "<h1>The river town</h1>%s%s%s</article>"
                          "<footer>Imprint</footer></body></html>",
                      ARTICLE, ARTICLE, tail);
    char *text = extract_text(b.ptr, NULL, NULL, NULL);
    precis_buf_release(&b);
    return text;
}

static bool has(const char *text, const char *needle)
{
    return text && strstr(text, needle) != NULL;
}

static void test_prompts_cut(void)
{
    static const char *const tails[] = {
        "<p>Do you want to hear about our next events? Sign up for the newsletter.</p>",
        "<p>Si te parece valioso nuestro trabajo, apóyanos: únete a la comunidad.</p>",
        "<p>Folgen Sie uns auf Facebook und Instagram, damit Sie nichts verpassen.</p>",
        "<p>Abonnez-vous pour lire la suite de nos enquêtes.</p>",
        "<p>Подпишитесь на наш канал, чтобы не пропустить новые материалы.</p>",
        "<p>Sofern nicht anders ausgewiesen, stehen Inhalte dieser Website unter CC-BY.</p>",
        "<p>This article is the copyrighted property of the Gazette; written permission "
        "must be obtained before reprinting.</p>",
        "<p>Dieser Artikel kann Links zu Anbietern enthalten, von denen wir eine Provision "
        "erhalten.</p>",
        "<p>0 Kommentare</p>",
        "<p>❖</p><hr>",
        "<h3>Keine Lust alleine zu radeln?</h3>",
        "<p>... weiter zu <a href='/next'>die Wortwahl</a></p>",
        "<p><b>Weitere Infos unter <a href='http://x.example'>x.example</a></b></p>",
        "<p><a href='/chart-big.png'><img src='/chart.png' alt='Chart'></a></p>"
        "<p>Grafico conta femmine 2019</p>",
    };
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char *text = with_tail(tails[i]);
        CHECK(has(text, "council minutes show the debate"));
        static const char *const words[] = { /* one a tail, what must be gone */
            "hear about our next", "apóyanos", "Facebook und Instagram", "lire la suite",
            "наш канал", "CC-BY", "copyrighted property", "eine Provision", "Kommentare",
            "❖", "alleine zu radeln", "weiter zu", "Weitere Infos", "conta femmine",
        };
        if (!text || strstr(text, words[i]))
            fprintf(stderr, "tail %zu kept:\n%s\n", i, text ? text : "(null)");
        CHECK(text && !strstr(text, words[i]));
        free(text);
    }
}

static void test_related_section_cut(void)
{
    /* a heading over a list of links, and a teaser that is one link */
    char *text = with_tail("<h2>More from the valley</h2><ul>"
                           "<li><a href='/x'>The ferry that never sank</a></li>"
                           "<li><a href='/y'>Apples, cheese and rope: a market guide</a></li>"
                           "<li><a href='/z'>Forty years of bridge minutes</a></li></ul>"
                           "<p><a href='/w'>Read the whole series on the river towns</a></p>");
    CHECK(has(text, "second-hand books"));
    CHECK(!has(text, "More from the valley"));
    CHECK(!has(text, "The ferry that never sank"));
    CHECK(!has(text, "whole series"));
    free(text);
}

static void test_teaser_cards_cut(void)
{
    /* other stories as cards (a heading and a summary each), longer than the
     * article: still a tail, since the article keeps enough text */
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<ul class='stream'>");
    for (int i = 0; i < 12; i++)
        precis_buf_printf(&b, "<li><h3><a href='/s%d'>Other story number %d</a></h3><p>A "
                              "summary of another story about another town, its mayor, its "
                              "bakers and the price of apples in the square this week.</p>"
                              "</li>", i, i);
    precis_buf_printf(&b, "</ul>");
    precis_buf page;
    precis_buf_init(&page, 0);
    precis_buf_printf(&page, "<html><body><article><h1>The river town</h1>%s%s%s%s%s"
                             "</article></body></html>", ARTICLE, ARTICLE, ARTICLE, ARTICLE,
                      b.ptr);
    char *text = extract_text(page.ptr, NULL, NULL, NULL);
    CHECK(has(text, "council minutes show the debate"));
    CHECK(!has(text, "Other story number"));
    free(text);
    /* with less than 1,500 characters of article left, the cards stay */
    text = with_tail(b.ptr);
    CHECK(has(text, "Other story number 11"));
    free(text);
    precis_buf_release(&page);
    precis_buf_release(&b);
    /* a list of headed items inside the article (before its last prose) stays */
    text = with_tail("<ul><li><h3>The ferry</h3><p>It ran until the bridge opened.</p></li>"
                     "<li><h3>The market</h3><p>It moved to the square.</p></li>"
                     "<li><h3>The bell</h3><p>It hangs in the hall.</p></li></ul>"
                     "<p>All three are remembered in the town's museum, which opens every "
                     "weekend from spring to autumn.</p>");
    CHECK(has(text, "It ran until the bridge opened"));
    free(text);
}

static void test_content_kept(void)
{
    /* a closing paragraph of prose that mentions subscribing, but is long */
    static const char LONG_CLOSE[] =
        "<p>In the end the council did not need anyone to subscribe to the bond: the "
        "ferrymen paid for the first span themselves, a little each week, and the "
        "second came from a tax on the apples sold in the square. The minutes record "
        "that the vote was unanimous, that the bakers sent bread to the meeting, and "
        "that the mayor, who had opposed the bridge for a decade, walked across it "
        "first on the morning it opened. Children still learn the date at school, and "
        "the town keeps the old ferry bell in the hall where the debate took place, "
        "rung once a year on the anniversary, while the oldest ferryman tells again "
        "how the crossing was worked in fog and in flood before the bridge was built.</p>";
    char *text = with_tail(LONG_CLOSE);
    CHECK(has(text, "rung once a year"));
    free(text);
    /* a closing heading with its section, and a list of plain items */
    text = with_tail("<h2>What changed</h2><p>The ferry stopped running in the spring "
                     "after the bridge opened, and its crew joined the bakers.</p>"
                     "<ul><li>Apples from the hills</li><li>Rope from the docks</li></ul>");
    CHECK(has(text, "What changed"));
    CHECK(has(text, "Rope from the docks"));
    free(text);
    /* a short page: nothing is judged */
    text = extract_text("<html><body><article><h1>Note</h1><p>Bridge closed today for "
                        "repairs on the east side of the river.</p><p>Follow us for news."
                        "</p></article></body></html>", NULL, NULL, NULL);
    CHECK(has(text, "Follow us"));
    free(text);
}

static void test_never_most_of_the_page(void)
{
    /* a run of prompts longer than the article is not a tail: left alone */
    precis_buf b;
    precis_buf_init(&b, 0);
    for (int i = 0; i < 12; i++)
        precis_buf_printf(&b, "<p>Join our river town club number %d for weekly walks "
                              "along the ferry path, the market and the bridge.</p>", i);
    char *html = NULL;
    precis_buf page;
    precis_buf_init(&page, 0);
    precis_buf_printf(&page, "<html><body><article><p>The bridge opened on a Monday, and "
                             "the whole town, bakers and ferrymen alike, came to see it.</p>"
                             "%s</article></body></html>", b.ptr);
    html = precis_buf_detach(&page);
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK(has(text, "club number 11"));
    free(text);
    free(html);
    precis_buf_release(&b);
}

static void test_whole_body_untouched(void)
{
    precis_extract_opts opts;
    precis_extract_opts_init(&opts);
    opts.whole_body = true;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body>%s%s<p>Join our club for the walks.</p></body></html>",
                      ARTICLE, ARTICLE);
    char *text = extract_text(b.ptr, &opts, NULL, NULL);
    CHECK(has(text, "Join our club"));
    free(text);
    precis_buf_release(&b);
}

int main(void)
{
    test_prompts_cut();
    test_related_section_cut();
    test_teaser_cards_cut();
    test_content_kept();
    test_never_most_of_the_page();
    test_whole_body_untouched();
    return CHECK_DONE();
}
