/* The second opinion on the main block: when the detector's pick holds little
 * prose and another clean container holds several times more, that container
 * replaces it; boilerplate prose (a footer, a negative class) never does. */
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/extract_internal.h"
#include "check.h"
#include "extract_fixture.h"
#include "precis/buf.h"

/* Paragraphs of prose, n of them, inside an element opened by open. */
static void prose(precis_buf *b, const char *open, const char *close, int n)
{
    precis_buf_printf(b, "%s", open);
    for (int i = 0; i < n; i++)
        precis_buf_printf(b, "<p>Paragraph %d: the ferrymen worked the crossing in fog and "
                             "in flood and the council minutes record every debate about "
                             "the bridge and the tolls.</p>", i);
    precis_buf_printf(b, "%s", close);
}

/* Index of the first element with this id. */
static int by_id(const precis_ex_tree *t, const char *id)
{
    for (size_t i = 0; i < t->count; i++) {
        const char *v = precis_ex_attr(t->nodes[i].node, "id");
        if (v && !strcmp(v, id))
            return (int)i;
    }
    return -1;
}

/* Builds the tree of html, picks the element with id "wrong", asks for a second
 * opinion and returns the id of what is picked afterwards (static storage). */
static const char *second_opinion(const char *html)
{
    static char got[64];
    GumboOutput *g = gumbo_parse(html);
    precis_ex_tree t;
    precis_ex_tree_build(&t, g->document, true, false);
    int *picks = precis_xmalloc(sizeof *picks);
    size_t npicks = 1;
    picks[0] = by_id(&t, "wrong");
    t.nodes[picks[0]].flags |= PRECIS_EX_PICKED;
    precis_ex_second_opinion(&t, &picks, &npicks);
    const char *id = npicks == 1 ? precis_ex_attr(t.nodes[picks[0]].node, "id") : NULL;
    snprintf(got, sizeof got, "%s", id ? id : "(none)");
    CHECK(npicks == 1 && (t.nodes[picks[0]].flags & PRECIS_EX_PICKED));
    free(picks);
    precis_ex_tree_release(&t);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    return got;
}

static void test_prose_replaces_a_notice(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><div id='wrong'><p>Please wait, the print view is "
                          "being prepared.</p></div>");
    prose(&b, "<div id='story'>", "</div>", 10);
    precis_buf_printf(&b, "</body></html>");
    CHECK_STR(second_opinion(b.ptr), "story");
    precis_buf_release(&b);
}

static void test_close_call_kept(void)
{
    /* the pick holds half as much prose as the other: no switch */
    precis_buf b;
    precis_buf_init(&b, 0);
    prose(&b, "<html><body><div id='wrong'>", "</div>", 5);
    prose(&b, "<div id='story'>", "</div>", 10);
    precis_buf_printf(&b, "</body></html>");
    CHECK_STR(second_opinion(b.ptr), "wrong");
    precis_buf_release(&b);
}

static void test_boilerplate_prose_never_wins(void)
{
    static const char *const wrappers[][2] = {
        {"<footer id='legal'>", "</footer>"},
        {"<div id='legal' class='sidebar'>", "</div>"},
        {"<aside id='legal'>", "</aside>"},
    };
    for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++) {
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "<html><body><div id='wrong'><p>A short article of one "
                              "paragraph about the bridge.</p></div>");
        prose(&b, wrappers[i][0], wrappers[i][1], 12);
        precis_buf_printf(&b, "</body></html>");
        CHECK_STR(second_opinion(b.ptr), "wrong");
        precis_buf_release(&b);
    }
}

static void test_split_article_parts_joined(void)
{
    /* an article in two parts of one class, an aside between them, and a sidebar
     * box of another class that stays out */
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<html><body><div class='page'><section class='outer'>"
                          "<div class='wrap'><div class='post-part'><p>Part one begins: "
                          "the ferry crossing was worked by hand for a century.</p>");
    prose(&b, "", "", 4);
    precis_buf_printf(&b, "</div></div></section><aside class='promo'><p>Buy the book of "
                          "the ferry now and read it on the crossing, only today.</p></aside>"
                          "<div class='more'><section class='outer'><div class='wrap'>"
                          "<div class='post-part'><p>Part two begins: then the bridge came, "
                          "and with it the end of the ferrymen's trade.</p>");
    prose(&b, "", "", 10);
    precis_buf_printf(&b, "</div></div></section></div><div class='box'><p>Opening hours "
                          "of the harbour office, Monday to Friday, nine to five, closed on "
                          "public holidays and during the regatta week.</p></div>"
                          "</div></body></html>");
    char *text = extract_text(b.ptr, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "Part one begins");
    CHECK_CONTAINS(text, "Part two begins");
    CHECK(text && strstr(text, "Part one") < strstr(text, "Part two"));
    CHECK(text && !strstr(text, "Buy the book"));
    free(text);
    precis_buf_release(&b);
}

int main(void)
{
    test_split_article_parts_joined();
    test_prose_replaces_a_notice();
    test_close_call_kept();
    test_boilerplate_prose_never_wins();
    return CHECK_DONE();
}
