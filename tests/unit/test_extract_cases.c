/* Named extraction cases, each inside real site chrome: live tickers and live
 * blogs, photo galleries, login and paywall forms, and pages whose content is a
 * list (documentation indexes, search results). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract_fixture.h"
#include "precis/extract.h"
#include "precis/render.h"

/* Chrome styles: semantic tags, or class-named divs only. */
enum { SEMANTIC, DIVS, STYLES };

/* Text that only the chrome holds; none of it may survive extraction. */
static const char *const CHROME[] = {
    "Weather desk",    "Crosswords and puzzles", "Most read this week",
    "autumn soup",     "Terms of service",       "Copyright 2024 Ledger Media",
    "More from the Ledger", "Why ferries still matter", "Sign up for our morning briefing",
};

/* Wraps main (the page's own content) in header, navigation, sidebar, related
 * links and footer of the given style; caller frees. */
static char *with_chrome(int style, const char *title, const char *main)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b, "<!doctype html><html><head><title>%s | The Ledger</title></head><body>",
                      title);
    if (style == SEMANTIC)
        precis_buf_puts(
            &b, "<header><a href='/' class='logo'>The Ledger</a>"
                "<nav><ul><li><a href='/news'>News</a></li><li><a href='/weather'>Weather desk</a>"
                "</li><li><a href='/puzzles'>Crosswords and puzzles</a></li>"
                "<li><a href='/opinion'>Opinion</a></li></ul></nav></header>");
    else
        precis_buf_puts(
            &b, "<div id='top'><div class='logo'><a href='/'>The Ledger</a></div>"
                "<ul class='menu'><li><a href='/news'>News</a></li><li><a href='/weather'>Weather "
                "desk</a></li><li><a href='/puzzles'>Crosswords and puzzles</a></li>"
                "<li><a href='/opinion'>Opinion</a></li></ul></div>");
    precis_buf_puts(&b, "<div class='wrap'>");
    precis_buf_puts(&b, main);
    precis_buf_printf(
        &b, "<%s class='%s'><h3>Most read this week</h3><ol>"
            "<li><a href='/food/soup'>Ten recipes for autumn soup</a></li>"
            "<li><a href='/travel/bridge'>The bridge that took forty years</a></li>"
            "<li><a href='/money/rates'>What the rate rise means for you</a></li></ol>"
            "<div class='signup'><p>Sign up for our morning briefing</p></div></%s>",
        style == SEMANTIC ? "aside" : "div", style == SEMANTIC ? "rail" : "col-right",
        style == SEMANTIC ? "aside" : "div");
    precis_buf_puts(&b, "</div><div class='related-links'><h3>More from the Ledger</h3><ul>"
                        "<li><a href='/a'>Why ferries still matter</a></li>"
                        "<li><a href='/b'>A night on the lifeboat</a></li></ul></div>");
    precis_buf_printf(
        &b, "<%s id='bottom'><p><a href='/terms'>Terms of service</a> | <a href='/privacy'>"
            "Privacy</a> | <a href='/contact'>Contact us</a></p>"
            "<p>Copyright 2024 Ledger Media Ltd. All rights reserved.</p></%s></body></html>",
        style == SEMANTIC ? "footer" : "div", style == SEMANTIC ? "footer" : "div");
    return precis_buf_detach(&b);
}

/* Checks that no chrome text survived, naming the case on failure. */
static void check_no_chrome(const char *text)
{
    for (size_t i = 0; i < sizeof CHROME / sizeof CHROME[0]; i++)
        CHECK(text && !strstr(text, CHROME[i]));
}

/* Checks that every string of want[0..n) is in text, in this order. */
static void check_in_order(const char *text, const char *const *want, size_t n)
{
    const char *from = text;
    for (size_t i = 0; i < n; i++) {
        CHECK_CONTAINS(text, want[i]);
        const char *at = from ? strstr(from, want[i]) : NULL;
        CHECK(at != NULL);
        if (at)
            from = at + strlen(want[i]);
    }
}

/* Extracts with chrome of the given style and default options; caller frees. */
static char *extract_case(int style, const char *title, const char *main, precis_result *r)
{
    char *html = with_chrome(style, title, main);
    precis_error err;
    char *text = extract_text(html, NULL, r, &err);
    if (getenv("PRECIS_CASES_DUMP")) /* debugging aid: show what was kept */
        printf("---- %s (style %d)\n%s\n%s\n%s\n", title, style, html,
               text ? "" : err.msg, text ? text : "(null)");
    free(html);
    return text;
}

/* ---- 1. Live blogs and tickers ---------------------------------------------- */

static const char *const LIVE_TIMES[] = {"16:05", "15:48", "15:30", "15:12",
                                         "14:55", "14:31", "14:10", "13:47"};

static const char *const LIVE_TEXTS[] = {
    "Ferries between the two harbours will resume at six tomorrow morning, the operator "
    "says. Check-in opens an hour earlier than usual.",
    "Power has been restored to 3,200 homes in the valley.",
    "Schools stay closed on Monday.",
    "The coastguard has called off the search: the missing kayaker was found safe near "
    "the lighthouse. She was treated for mild hypothermia.",
    "Coast road reopens.",
    "Rainfall at the airport reached 48mm in six hours, the highest total since records "
    "began in 1961, forecasters said.",
    "All rail services suspended.",
    "Good afternoon and welcome to our live coverage of the storm as it moves east across "
    "the region.",
};

#define NLIVE (sizeof LIVE_TIMES / sizeof LIVE_TIMES[0])

/* A live blog: timestamped entries of 1-3 sentences, some a single short line. */
static char *live_blog(bool semantic)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, semantic ? "<main><article class='live-blog'>" : "<div id='content'>");
    precis_buf_puts(&b, "<h1>Storm live: ferries to resume as winds ease</h1>"
                        "<p class='standfirst'>Latest updates as the storm moves east.</p>"
                        "<div class='live-feed'>");
    for (size_t i = 0; i < NLIVE; i++)
        precis_buf_printf(&b,
                          "<div class='live-entry' id='e%zu'><div class='entry-meta'>"
                          "<time datetime='2024-11-02T%s'>%s</time></div>"
                          "<div class='entry-body'><p>%s</p></div></div>",
                          NLIVE - i, LIVE_TIMES[i], LIVE_TIMES[i], LIVE_TEXTS[i]);
    precis_buf_puts(&b, "</div>");
    precis_buf_puts(&b, semantic ? "</article></main>" : "</div>");
    return precis_buf_detach(&b);
}

/* Every entry and every timestamp survives, newest first, and no chrome. */
static void test_live_blog(void)
{
    for (int style = 0; style < STYLES; style++) {
        char *main = live_blog(style == SEMANTIC);
        precis_result r;
        char *text = extract_case(style, "Storm live", main, &r);
        CHECK(r == PRECIS_OK);
        CHECK_CONTAINS(text, "ferries to resume");
        const char *want[2 * NLIVE];
        for (size_t i = 0; i < NLIVE; i++) {
            want[2 * i] = LIVE_TIMES[i];
            want[2 * i + 1] = LIVE_TEXTS[i];
        }
        check_in_order(text, want, 2 * NLIVE);
        check_no_chrome(text);
        free(text);
        free(main);
    }
}

/* A market ticker: one list item per short timestamped line. */
static void test_live_ticker(void)
{
    static const char *const items[] = {
        "09:42", "Brent crude up 1.2% at $84.10.",
        "09:31", "Shipping stocks lead the early gains.",
        "09:20", "Euro flat.",
        "09:12", "Retail sales beat forecasts for a third month, the statistics office said.",
        "09:00", "Markets open.",
    };
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, "<div class='main-col'><h1>Markets live</h1>"
                        "<p>Prices and news from the trading day, updated every few minutes.</p>"
                        "<ul class='ticker'>");
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i += 2)
        precis_buf_printf(&b, "<li class='tick'><span class='time'>%s</span> %s</li>", items[i],
                          items[i + 1]);
    precis_buf_puts(&b, "</ul></div>");
    for (int style = 0; style < STYLES; style++) {
        precis_result r;
        char *text = extract_case(style, "Markets live", b.ptr, &r);
        CHECK(r == PRECIS_OK);
        check_in_order(text, items, sizeof items / sizeof items[0]);
        check_no_chrome(text);
        free(text);
    }
    precis_buf_release(&b);
}

/* ---- 2. Galleries -------------------------------------------------------------- */

static const char *const CAPTIONS[] = {
    "Trawlers wait for the tide at first light on the north quay.",
    "Nets are mended by hand in the old ice house.",
    "The harbour master checks the morning forecast.",
    "Gulls follow the last boat home.",
    "Crates of mackerel are weighed before the auction.",
    "A deckhand coils rope after a twelve-hour shift.",
};

#define NCAPTIONS (sizeof CAPTIONS / sizeof CAPTIONS[0])

/* A gallery: intro, figures with captions and credits, image controls. */
static char *gallery(bool semantic)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, semantic ? "<main><article class='gallery'>" : "<div class='content'>");
    precis_buf_puts(&b, "<h1>The harbour in winter, in pictures</h1>"
                        "<p class='intro'>Photographers spent a week on the quays as the fishing "
                        "fleet prepared for the new season.</p>");
    for (size_t i = 0; i < NCAPTIONS; i++) {
        precis_buf_printf(&b,
                          "<div class='slide'><div class='slide-controls'>"
                          "<a href='?image=%zu' class='prev'>Previous image</a> "
                          "<span class='count'>%zu of %zu</span> "
                          "<a href='?image=%zu' class='next'>Next image</a>"
                          "<button class='fullscreen'>View fullscreen</button></div>"
                          "<figure><img src='/img/harbour-%zu.jpg' alt=''>"
                          "<figcaption>%s <span class='credit'>Photo: Ana Ruiz/Harbour Press"
                          "</span></figcaption></figure></div>",
                          i, i + 1, NCAPTIONS, i + 2, i + 1, CAPTIONS[i]);
    }
    precis_buf_puts(&b, semantic ? "</article></main>" : "</div>");
    return precis_buf_detach(&b);
}

/* Captions and intro survive in order; credits, controls and chrome do not. */
static void test_gallery(void)
{
    for (int style = 0; style < STYLES; style++) {
        char *main = gallery(style == SEMANTIC);
        precis_result r;
        char *text = extract_case(style, "The harbour in winter", main, &r);
        CHECK(r == PRECIS_OK);
        CHECK_CONTAINS(text, "fleet prepared for the new season");
        check_in_order(text, CAPTIONS, NCAPTIONS);
        CHECK(text && !strstr(text, "Ana Ruiz"));
        CHECK(text && !strstr(text, "Previous image"));
        CHECK(text && !strstr(text, "Next image"));
        CHECK(text && !strstr(text, "fullscreen"));
        CHECK(text && !strstr(text, "1 of 6"));
        check_no_chrome(text);
        free(text);
        free(main);
    }
}

/* ---- 3. Login and paywall forms ------------------------------------------------ */

static const char PAYWALL[] =
    "<div class='paywall'><h2>Subscribe to continue reading</h2>"
    "<p>Get unlimited access to every story for 1 euro a week. Cancel anytime.</p>"
    "<form action='/login' method='post'><label for='em'>Email address</label>"
    "<input id='em' type='email' name='email'><label for='pw'>Password</label>"
    "<input id='pw' type='password' name='password'><button type='submit'>Log in</button>"
    "</form><p>Already a subscriber? <a href='/login'>Log in</a></p></div>";

/* An article teaser cut off by a subscription box with a login form. */
static void test_paywall(void)
{
    static const char *const teaser[] = {
        "The council voted on Tuesday night to close the old swing bridge to cars from "
        "January, ending a century of traffic over the river.",
        "Residents on both banks, who packed the public gallery, said the decision would "
        "add twenty minutes to the school run and cut the market off from its customers.",
    };
    for (int style = 0; style < STYLES; style++) {
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "<%s class='story'><h1>Swing bridge to close to cars</h1>"
                              "<p class='byline'>By Tom Hale</p><div class='story-body'>"
                              "<p>%s</p><p>%s</p></div>%s</%s>",
                          style == SEMANTIC ? "article" : "div", teaser[0], teaser[1], PAYWALL,
                          style == SEMANTIC ? "article" : "div");
        precis_result r;
        char *text = extract_case(style, "Swing bridge", b.ptr, &r);
        CHECK(r == PRECIS_OK);
        check_in_order(text, teaser, 2);
        CHECK(text && !strstr(text, "Subscribe to continue"));
        CHECK(text && !strstr(text, "unlimited access"));
        CHECK(text && !strstr(text, "Already a subscriber"));
        CHECK(text && !strstr(text, "Email address"));
        CHECK(text && !strstr(text, "Password"));
        check_no_chrome(text);
        free(text);
        precis_buf_release(&b);
    }
}

/* A page that is only a login form. It has visible text, so like any such page
 * it extracts (no-content errors are for pages without visible text): the
 * page's own heading and prompts, never the form's labels and controls. */
static void test_login_only(void)
{
    static const char login[] =
        "<div class='login-page'><h1>Sign in to your account</h1>"
        "<form action='/session' method='post'><label>Email address</label>"
        "<input type='email' name='email'><label>Password</label>"
        "<input type='password' name='password'><label><input type='checkbox'> Remember me"
        "</label><button type='submit'>Sign in</button></form>"
        "<p><a href='/reset'>Forgot your password?</a></p>"
        "<p>New here? <a href='/join'>Create an account</a></p></div>";
    for (int style = 0; style < STYLES; style++) {
        precis_result r;
        char *text = extract_case(style, "Sign in", login, &r);
        CHECK(r == PRECIS_OK);
        CHECK(text && !strstr(text, "Email address"));
        CHECK(text && !strstr(text, "Password"));
        CHECK(text && !strstr(text, "Remember me"));
        if (style == SEMANTIC) { /* class-named chrome: the footer line still wins */
            CHECK_CONTAINS(text, "Sign in to your account");
            check_no_chrome(text);
        }
        free(text);
    }
}

/* ---- 4. Pages whose content is a list ------------------------------------------ */

static const char *const DOC_ENTRIES[] = {
    "precis_doc_new", "creates an empty document",
    "precis_doc_free", "frees a document and all its nodes",
    "precis_doc_word_count", "counts the words of the visible text",
    "precis_render_text", "renders a document as plain text",
    "precis_render_markdown", "renders a document as Markdown",
    "precis_render_json", "renders a document as a JSON tree",
    "precis_extract_html", "finds the main content of an HTML page",
    "precis_extract_opts_init", "fills extraction options with defaults",
};

#define NDOC (sizeof DOC_ENTRIES / sizeof DOC_ENTRIES[0])

/* A documentation index: headings over lists of links with one-line descriptions,
 * beside a documentation sidebar. */
static char *docs_index(bool semantic)
{
    static const char *const groups[] = {"Documents", "Rendering", "Extraction"};
    static const size_t starts[] = {0, 6, 12, NDOC};
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, semantic ? "<nav class='docs-nav'>" : "<div class='docs-sidebar'>");
    precis_buf_puts(&b, "<ul><li><a href='/docs/'>Overview</a></li><li><a href='/docs/install'>"
                        "Installation steps</a></li><li><a href='/docs/faq'>Frequently asked"
                        "</a></li></ul>");
    precis_buf_puts(&b, semantic ? "</nav><main>" : "</div><div class='docs-body'>");
    precis_buf_puts(&b, "<h1>API reference</h1><p>Every public function, grouped by module.</p>");
    for (size_t g = 0; g < 3; g++) {
        precis_buf_printf(&b, "<h2>%s</h2><ul>", groups[g]);
        for (size_t i = starts[g]; i < starts[g + 1]; i += 2)
            precis_buf_printf(&b, "<li><a href='/docs/%s.html'><code>%s</code></a> &mdash; %s.</li>",
                              DOC_ENTRIES[i], DOC_ENTRIES[i], DOC_ENTRIES[i + 1]);
        precis_buf_puts(&b, "</ul>");
    }
    precis_buf_puts(&b, semantic ? "</main>" : "</div>");
    return precis_buf_detach(&b);
}

/* The whole index survives, in order, with its group headings. */
static void test_docs_index(void)
{
    for (int style = 0; style < STYLES; style++) {
        char *main = docs_index(style == SEMANTIC);
        precis_result r;
        char *text = extract_case(style, "API reference", main, &r);
        CHECK(r == PRECIS_OK);
        check_in_order(text, DOC_ENTRIES, NDOC);
        CHECK_CONTAINS(text, "Documents");
        CHECK_CONTAINS(text, "Rendering");
        CHECK_CONTAINS(text, "Extraction");
        CHECK(text && !strstr(text, "Installation steps"));
        CHECK(text && !strstr(text, "Frequently asked"));
        check_no_chrome(text);
        free(text);
        free(main);
    }
}

/* A docs index written as a definition list, one nested list inside. */
static void test_docs_index_dl(void)
{
    static const char main[] =
        "<div class='content'><h1>Tutorials</h1><dl>"
        "<dt><a href='/t/first'>Your first summary</a></dt>"
        "<dd>Fetch a page and print a five-sentence summary.</dd>"
        "<dt><a href='/t/sites'>Indexing a whole site</a></dt>"
        "<dd>Crawl a documentation site and search it offline.</dd>"
        "<dt><a href='/t/chat'>Chatting with a page</a></dt>"
        "<dd>Ask follow-up questions about what you read.<ul>"
        "<li><a href='/t/chat#models'>Choosing a model</a></li>"
        "<li><a href='/t/chat#history'>Keeping history</a></li></ul></dd>"
        "<dt><a href='/t/serve'>Running the server</a></dt>"
        "<dd>Expose summaries to editors over JSON-RPC.</dd></dl></div>";
    static const char *const want[] = {
        "Your first summary", "five-sentence summary", "Indexing a whole site",
        "search it offline", "Chatting with a page", "follow-up questions",
        "Choosing a model", "Keeping history", "Running the server", "JSON-RPC",
    };
    for (int style = 0; style < STYLES; style++) {
        precis_result r;
        char *text = extract_case(style, "Tutorials", main, &r);
        CHECK(r == PRECIS_OK);
        check_in_order(text, want, sizeof want / sizeof want[0]);
        check_no_chrome(text);
        free(text);
    }
}

static const char *const RESULTS[] = {
    "Tide tables for the north coast",
    "High and low water times for fourteen harbours, updated daily.",
    "Understanding spring and neap tides",
    "Why the tide range changes through the month, with diagrams.",
    "Harbour authority: tide and weather notices",
    "Official notices for mariners, including closures.",
    "Tide predictions API",
    "Query predicted heights by station and date range.",
    "Printable tide calendar 2025",
    "A free monthly calendar of tides for the whole coast.",
};

#define NRESULTS (sizeof RESULTS / sizeof RESULTS[0])

/* A search results page: a count line, results with title link, address and
 * snippet, filters beside and pagination below. */
static char *search_results(bool semantic)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, semantic ? "<main id='search'>" : "<div id='search-page'>");
    precis_buf_puts(&b, "<form class='search-box' action='/search'><input type='search' name='q' "
                        "value='tide tables'><button>Search</button></form>"
                        "<p class='result-count'>About 1,240 results for tide tables</p>"
                        "<ol class='results'>");
    for (size_t i = 0; i < NRESULTS; i += 2)
        precis_buf_printf(&b,
                          "<li class='result'><h3><a href='https://site%zu.example/p'>%s</a></h3>"
                          "<cite>site%zu.example &rsaquo; p</cite><p class='snippet'>%s</p></li>",
                          i, RESULTS[i], i, RESULTS[i + 1]);
    precis_buf_puts(&b, "</ol><div class='pagination'><a href='?p=1'>Previous</a> "
                        "<a href='?p=1'>1</a> <a href='?p=2'>2</a> <a href='?p=3'>3</a> "
                        "<a href='?p=2'>Next page</a></div>");
    precis_buf_puts(&b, semantic ? "</main>" : "</div>");
    precis_buf_puts(&b, "<div class='filters'><h3>Filter by date</h3><ul>"
                        "<li><a href='?t=d'>Past day</a></li><li><a href='?t=w'>Past week</a></li>"
                        "<li><a href='?t=y'>Past year</a></li></ul></div>");
    return precis_buf_detach(&b);
}

/* Every result title and snippet survives, in rank order; pagination does not. */
static void test_search_results(void)
{
    for (int style = 0; style < STYLES; style++) {
        char *main = search_results(style == SEMANTIC);
        precis_result r;
        char *text = extract_case(style, "Search: tide tables", main, &r);
        CHECK(r == PRECIS_OK);
        check_in_order(text, RESULTS, NRESULTS);
        CHECK(text && !strstr(text, "Next page"));
        CHECK(text && !strstr(text, "Past week"));
        check_no_chrome(text);
        free(text);
        free(main);
    }
}

int main(void)
{
    test_live_blog();
    test_live_ticker();
    test_gallery();
    test_paywall();
    test_login_only();
    test_docs_index();
    test_docs_index_dl();
    test_search_results();
    return CHECK_DONE();
}
