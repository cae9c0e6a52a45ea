/* An article's lead (standfirst, teaser text, abstract) sits before its body in a
 * box of its own: it is kept, in front, while ad slots and link boxes named like
 * it are not. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract_fixture.h"
#include "precis/buf.h"

static const char LEAD[] = "The council voted on Tuesday to rebuild the old ferry bridge, "
                           "ending a debate that lasted forty years.";

/* Extracts the page head + lead + mid + body + tail. */
static char *page(const char *head, const char *mid, const char *tail)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "%s%s%s%s%s%s", head, LEAD, mid, ARTICLE, ARTICLE, tail);
    char *text = extract_text(b.ptr, NULL, NULL, NULL);
    precis_buf_release(&b);
    return text;
}

/* Returns true if the lead comes before the body in text. */
static bool lead_first(const char *text)
{
    const char *lead = text ? strstr(text, "ending a debate") : NULL;
    const char *body = text ? strstr(text, "river town woke") : NULL;
    return lead && body && lead < body;
}

static void test_sibling_lead(void)
{
    /* a news CMS: the lead box beside the body, its class half "teaser" */
    char *text = page("<html><body><nav><a href='/'>Home</a></nav><div class='news'>"
                      "<div class='article'><h1>Bridge vote</h1>"
                      "<div class='teaser-text'><p>",
                      "</p></div><div class='news-text-wrap'>",
                      "</div></div></div></body></html>");
    CHECK(lead_first(text));
    free(text);
}

static void test_lead_in_header_box(void)
{
    char *text = page("<html><body><article><header><h1>Bridge vote</h1>"
                      "<div class='meta'><p class='article-lead'>",
                      "</p></div></header><div class='story'><div class='body'>",
                      "</div></div></article></body></html>");
    CHECK(lead_first(text));
    free(text);
}

static void test_subtitle_far_above(void)
{
    /* the lead is a subheadline three levels above the body's box */
    char *text = page("<html><body><article class='row'><div class='head'><h1>Bridge "
                      "vote</h1><h2 class='article-subheadline'>",
                      "</h2></div><div class='cols'><div class='col'><div class='text'>",
                      "</div></div></div></article></body></html>");
    CHECK(lead_first(text));
    free(text);
}

static void test_not_a_lead(void)
{
    /* an ad slot and a box of links with lead-like names stay out */
    char *text = page("<html><body><div class='wrap'>"
                      "<div class='leaderboard'><p>Advertisement: cheap flights to the "
                      "coast, book now and save on every trip this winter. ",
                      "</p></div><div class='intro'><p><a href='/1'>Ferry timetable</a> "
                      "<a href='/2'>Bridge history</a> <a href='/3'>Council minutes</a> "
                      "<a href='/4'>Market days</a></p></div><div class='story'>",
                      "</div></div></body></html>");
    CHECK(text && strstr(text, "river town woke"));
    CHECK(text && !strstr(text, "cheap flights"));
    CHECK(text && !strstr(text, "Ferry timetable"));
    free(text);
}

int main(void)
{
    test_sibling_lead();
    test_lead_in_header_box();
    test_subtitle_far_above();
    test_not_a_lead();
    return CHECK_DONE();
}
