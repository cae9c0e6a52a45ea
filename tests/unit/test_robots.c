/* robots.txt: RFC 9309 group selection and matching, the examples of the RFC and of
 * Google's documentation (restated), limits, and pathological patterns in bounded time. */
#include "check.h"

#include <stdlib.h>
#include <time.h>

#include "precis/buf.h"
#include "precis/robots.h"

static precis_robots *parse(const char *text, const char *agent)
{
    return precis_robots_parse(text, strlen(text), agent);
}

/* Checks every path of a NULL-terminated list against want. */
static void paths_are(const precis_robots *r, bool want, const char *const *paths, int line)
{
    for (; *paths; paths++) {
        bool got = precis_robots_allowed(r, *paths);
        check_count++;
        if (got != want) {
            check_failures++;
            fprintf(stderr, "%s:%d: \"%s\" should be %s\n", __FILE__, line, *paths,
                    want ? "allowed" : "disallowed");
        }
    }
}
#define ALLOWED(r, ...) paths_are(r, true, (const char *const[]){__VA_ARGS__, NULL}, __LINE__)
#define DISALLOWED(r, ...) paths_are(r, false, (const char *const[]){__VA_ARGS__, NULL}, __LINE__)

/* The combined example of RFC 9309 section 5.1, restated. */
static const char rfc_example[] =
    "User-Agent: *\n"
    "Disallow: *.gif$\n"
    "Disallow: /example/\n"
    "Allow: /publications/\n"
    "\n"
    "User-Agent: foobot\n"
    "Disallow:/\n"
    "Allow:/example/page.html\n"
    "Allow:/example/allowed.gif\n"
    "\n"
    "User-Agent: barbot\n"
    "User-Agent: bazbot\n"
    "Disallow: /example/page.html\n"
    "\n"
    "User-Agent: quxbot\n";

static void test_rfc_groups(void)
{
    precis_robots *r = parse(rfc_example, "foobot");
    ALLOWED(r, "/example/page.html", "/example/allowed.gif", "/robots.txt");
    DISALLOWED(r, "/", "/example/other.html", "/publications/x", "/a.gif");
    precis_robots_free(r);

    /* consecutive user-agent lines share one group; no fallback to "*" */
    for (int i = 0; i < 2; i++) {
        r = parse(rfc_example, i ? "BazBot" : "barbot");
        DISALLOWED(r, "/example/page.html");
        ALLOWED(r, "/", "/example/other.html", "/pic.gif");
        precis_robots_free(r);
    }

    /* a group that names us with no rules allows everything */
    r = parse(rfc_example, "quxbot");
    ALLOWED(r, "/", "/example/page.html", "/x.gif");
    precis_robots_free(r);

    /* anyone else gets the "*" group */
    r = parse(rfc_example, "precis");
    DISALLOWED(r, "/pic.gif", "/a/b/c.gif", "/example/", "/example/x");
    ALLOWED(r, "/", "/publications/", "/pic.gif?size=2", "/pic.GIF", "/example");
    precis_robots_free(r);
}

static void test_agent_matching(void)
{
    const char *txt = "User-agent: precis/1.0 (+https://x)\nDisallow: /private\n"
                      "User-agent: *\nDisallow: /\n";
    const char *agents[] = {"precis", "PRECIS", "Precis/2.3"};
    for (size_t i = 0; i < 3; i++) {
        precis_robots *r = parse(txt, agents[i]);
        DISALLOWED(r, "/private", "/private/x");
        ALLOWED(r, "/", "/public");
        precis_robots_free(r);
    }
    /* a longer token is a different crawler */
    precis_robots *r = parse("User-agent: precisbot\nDisallow: /\n"
                             "User-agent: precis-news\nDisallow: /\n",
                             "precis");
    ALLOWED(r, "/", "/x");
    precis_robots_free(r);
    r = parse(txt, NULL);
    DISALLOWED(r, "/", "/x");
    precis_robots_free(r);

    /* groups naming us are merged, the "*" group ignored (Google's example, restated) */
    r = parse("user-agent: precis\ndisallow: /fish\n\nuser-agent: *\ndisallow: /carrots\n\n"
              "user-agent: precis\ndisallow: /shrimp\n",
              "precis");
    DISALLOWED(r, "/fish", "/shrimp");
    ALLOWED(r, "/carrots");
    precis_robots_free(r);
    /* "*" groups are merged too */
    r = parse("user-agent: *\ndisallow: /a\nuser-agent: other\ndisallow: /b\n"
              "user-agent: *\ndisallow: /c\n",
              "precis");
    DISALLOWED(r, "/a", "/c");
    ALLOWED(r, "/b");
    precis_robots_free(r);
    /* one group can name us and "*" */
    r = parse("user-agent: *\nuser-agent: precis\ndisallow: /x\n", "precis");
    DISALLOWED(r, "/x");
    precis_robots_free(r);
    /* no matching group, no "*" group: everything allowed */
    r = parse("user-agent: other\ndisallow: /\n", "precis");
    ALLOWED(r, "/", "/a");
    precis_robots_free(r);
    /* rules before any user-agent line belong to no group */
    r = parse("disallow: /\nuser-agent: *\ndisallow: /x\n", "precis");
    ALLOWED(r, "/", "/a");
    DISALLOWED(r, "/x");
    precis_robots_free(r);
    /* a rule ends the user-agent list: the next user-agent starts a new group */
    r = parse("user-agent: precis\ndisallow: /a\nuser-agent: other\ndisallow: /b\n", "precis");
    DISALLOWED(r, "/a");
    ALLOWED(r, "/b");
    precis_robots_free(r);
    /* blank lines, comments, sitemaps and unknown lines do not split a user-agent list */
    r = parse("user-agent: other\n\n# hi\nsitemap: https://x/s.xml\nfoo: bar\n"
              "user-agent: precis\ndisallow: /a\n",
              "precis");
    DISALLOWED(r, "/a");
    precis_robots_free(r);
}

static void test_longest_match(void)
{
    /* RFC 9309 5.2 */
    precis_robots *r = parse("User-Agent: foobot\nAllow: /example/page/\n"
                             "Disallow: /example/page/disallowed.gif\n",
                             "foobot");
    ALLOWED(r, "/example/page/", "/example/page/x.gif");
    DISALLOWED(r, "/example/page/disallowed.gif");
    precis_robots_free(r);

    /* Google's precedence examples, restated */
    r = parse("user-agent: *\nallow: /p\ndisallow: /\n", "precis");
    ALLOWED(r, "/page");
    DISALLOWED(r, "/other");
    precis_robots_free(r);
    r = parse("user-agent: *\nallow: /folder\ndisallow: /folder\n", "precis");
    ALLOWED(r, "/folder/page"); /* equal length: allow wins the tie */
    precis_robots_free(r);
    r = parse("user-agent: *\ndisallow: /folder\nallow: /folder\n", "precis");
    ALLOWED(r, "/folder/page"); /* order does not matter */
    precis_robots_free(r);
    r = parse("user-agent: *\nallow: /page\ndisallow: /*.htm\n", "precis");
    DISALLOWED(r, "/page.htm");
    ALLOWED(r, "/page");
    precis_robots_free(r);
    r = parse("user-agent: *\nallow: /page\ndisallow: /*.ph\n", "precis");
    ALLOWED(r, "/page.php");
    precis_robots_free(r);
    r = parse("user-agent: *\nallow: /$\ndisallow: /\n", "precis");
    ALLOWED(r, "/", "");
    DISALLOWED(r, "/page.htm", "/?x");
    precis_robots_free(r);
    /* the pattern's length counts, not how much of the path '*' covered */
    r = parse("user-agent: *\ndisallow: /*/x\nallow: /abcdefgh\n", "precis");
    ALLOWED(r, "/abcdefgh/x");
    precis_robots_free(r);
}

static void test_wildcards(void)
{
    /* Google's path-matching examples, restated */
    precis_robots *r = parse("user-agent: *\ndisallow: /\n", "precis");
    DISALLOWED(r, "/", "/a", "/a/b?c");
    precis_robots_free(r);
    r = parse("user-agent: *\ndisallow: /*\n", "precis");
    DISALLOWED(r, "/", "/a");
    precis_robots_free(r);
    r = parse("user-agent: *\ndisallow: /$\n", "precis");
    DISALLOWED(r, "/");
    ALLOWED(r, "/a", "/?x");
    precis_robots_free(r);
    const char *fish[] = {"user-agent: *\ndisallow: /fish\n", "user-agent: *\ndisallow: /fish*\n"};
    for (int i = 0; i < 2; i++) {
        r = parse(fish[i], "precis");
        DISALLOWED(r, "/fish", "/fish.html", "/fish/salmon.html", "/fishheads",
                   "/fishheads/yummy.html", "/fish.php?id=anything");
        ALLOWED(r, "/Fish.asp", "/catfish", "/?id=fish", "/desert/fish");
        precis_robots_free(r);
    }
    r = parse("user-agent: *\ndisallow: /fish/\n", "precis");
    DISALLOWED(r, "/fish/", "/fish/?id=anything", "/fish/salmon.htm");
    ALLOWED(r, "/fish", "/fish.html", "/animals/fish/", "/Fish/Salmon.asp");
    precis_robots_free(r);
    r = parse("user-agent: *\ndisallow: /*.php\n", "precis");
    DISALLOWED(r, "/index.php", "/filename.php", "/folder/filename.php",
               "/folder/filename.php?parameters", "/folder/any.php.file.html", "/filename.php/");
    ALLOWED(r, "/", "/windows.PHP");
    precis_robots_free(r);
    r = parse("user-agent: *\ndisallow: /*.php$\n", "precis");
    DISALLOWED(r, "/filename.php", "/folder/filename.php");
    ALLOWED(r, "/filename.php?parameters", "/filename.php/", "/filename.php5", "/windows.PHP");
    precis_robots_free(r);
    r = parse("user-agent: *\ndisallow: /fish*.php\n", "precis");
    DISALLOWED(r, "/fish.php", "/fishheads/catfish.php?parameters");
    ALLOWED(r, "/Fish.PHP", "/fish");
    precis_robots_free(r);
    /* RFC 9309 2.2.3 examples */
    r = parse("user-agent: *\ndisallow: /this/path/exactly$\ndisallow: /this/*/exactly\n",
              "precis");
    DISALLOWED(r, "/this/path/exactly", "/this/a/b/exactly", "/this/x/exactly/more");
    ALLOWED(r, "/this/exactly", "/that/path/exactly", "/this/path/exact");
    precis_robots_free(r);
    /* '$' only anchors at the end; several pieces; '*' runs; '*' and '$' together */
    r = parse("user-agent: *\ndisallow: /a$b\ndisallow: /x**y*z$\ndisallow: /end*$\n", "precis");
    DISALLOWED(r, "/a$b", "/a$bc", "/xyz", "/x1y2z", "/xzyz", "/end", "/endless?x");
    ALLOWED(r, "/ab", "/xyz1", "/xzy", "/en");
    precis_robots_free(r);
    /* the same piece more than once */
    r = parse("user-agent: *\ndisallow: /*ab*ab$\n", "precis");
    DISALLOWED(r, "/abab", "/xabyyab", "/ababab");
    ALLOWED(r, "/ab", "/aba", "/abxa");
    precis_robots_free(r);
}

static void test_percent_encoding(void)
{
    precis_robots *r = parse("user-agent: *\n"
                             "disallow: /foo/bar/baz\n"
                             "disallow: /\xE3\x83\x84\n"
                             "disallow: /%e2%82%ac\n"
                             "disallow: /%7Euser\n"
                             "disallow: /file-with-a-%2A.html\n"
                             "disallow: /q?url=https%3A%2F%2Fx\n",
                             "precis");
    DISALLOWED(r, "/foo/bar/%62%61%7A", "/foo/bar/baz", "/%E3%83%84", "/%e3%83%84x",
               "/\xE3\x83\x84", "/\xE2\x82\xAC", "/%E2%82%AC", "/~user", "/%7euser/x",
               "/file-with-a-%2A.html", "/file-with-a-%2a.html", "/q?url=https%3a%2f%2fx");
    /* an escaped '*' is a literal, not a wildcard; %2F is not '/' */
    ALLOWED(r, "/file-with-a-b.html", "/file-with-a-*.html", "/q?url=https://x");
    precis_robots_free(r);
}

static void test_lines(void)
{
    /* BOM, CRLF, lone CR, comments, spacing, case of keys, missing colon, typos */
    const char *txt = "\xEF\xBB\xBFUSER-AGENT : *  # everyone\r\n"
                      "  DisAllow:/a   # comment\r"
                      "disallow /b\n"
                      "dissallow: /c\n"
                      "Disallow: /d e\n"
                      "allow: /a/ok # /a/no\n"
                      "# disallow: /e\n"
                      "nonsense line without meaning\n"
                      "unknown-key: /f\n"
                      "disallow: /g\x01h\n";
    precis_robots *r = precis_robots_parse(txt, strlen(txt), "precis");
    DISALLOWED(r, "/a", "/b", "/c", "/d%20e", "/d e", "/g%01h");
    ALLOWED(r, "/a/ok", "/e", "/f", "/", "/gh");
    precis_robots_free(r);

    /* NUL bytes inside the text are just bytes */
    const char nul[] = "user-agent: *\ndisallow: /x\0y\ndisallow: /z\n";
    r = precis_robots_parse(nul, sizeof nul - 1, "precis");
    DISALLOWED(r, "/z", "/x%00y");
    ALLOWED(r, "/x");
    precis_robots_free(r);
}

static void test_empty_and_special(void)
{
    /* an empty Disallow allows everything */
    precis_robots *r = parse("user-agent: *\ndisallow:\n", "precis");
    ALLOWED(r, "/", "/anything", "");
    precis_robots_free(r);
    r = parse("user-agent: precis\ndisallow:\nuser-agent: *\ndisallow: /\n", "precis");
    ALLOWED(r, "/", "/anything");
    precis_robots_free(r);
    r = parse("", "precis");
    ALLOWED(r, "/", "/x");
    CHECK(precis_robots_sitemap_count(r) == 0);
    CHECK(precis_robots_crawl_delay_ms(r) == -1);
    precis_robots_free(r);
    r = precis_robots_parse(NULL, 5, "precis");
    ALLOWED(r, "/");
    precis_robots_free(r);

    /* "/robots.txt" is always allowed; "" and NULL mean "/"; a missing "/" is added */
    r = parse("user-agent: *\ndisallow: /\nallow: /$\n", "precis");
    ALLOWED(r, "/robots.txt", "/robots.txt?x=1", "", "/");
    DISALLOWED(r, "/robots.txt.bak", "/a/robots.txt", "page");
    CHECK(precis_robots_allowed(r, NULL));
    precis_robots_free(r);

    /* 4xx and 5xx constructors */
    r = precis_robots_allow_all();
    ALLOWED(r, "/", "/x", "/robots.txt");
    CHECK(precis_robots_crawl_delay_ms(r) == -1);
    CHECK(precis_robots_sitemap_count(r) == 0);
    precis_robots_free(r);
    r = precis_robots_disallow_all();
    DISALLOWED(r, "/", "/x", "", "/robots.txt.x");
    ALLOWED(r, "/robots.txt");
    precis_robots_free(r);
    precis_robots_free(NULL);
    CHECK(precis_robots_allowed(NULL, "/x"));
}

static void test_sitemaps_and_delay(void)
{
    const char *txt = "Sitemap: https://x.org/top.xml\n"
                      "user-agent: other\n"
                      "crawl-delay: 30\n"
                      "sitemap:https://x.org/other.xml # trailing comment\n"
                      "user-agent: precis\n"
                      "crawl-delay: 2.5\n"
                      "crawl-delay: 9\n"
                      "disallow: /x\n"
                      "SITEMAP: HTTP://x.org/caps.xml\n"
                      "sitemap: /relative.xml\n"
                      "sitemap: ftp://x.org/s.xml\n"
                      "sitemap: https://x.org/top.xml\n"
                      "sitemap:\n"
                      "sitemap: https://\n"
                      "user-agent: *\n"
                      "crawl-delay: 1\n"
                      "Sitemap: https://x.org/last.xml\n";
    precis_robots *r = parse(txt, "precis");
    CHECK(precis_robots_sitemap_count(r) == 4);
    CHECK_STR(precis_robots_sitemap(r, 0), "https://x.org/top.xml");
    CHECK_STR(precis_robots_sitemap(r, 1), "https://x.org/other.xml");
    CHECK_STR(precis_robots_sitemap(r, 2), "HTTP://x.org/caps.xml");
    CHECK_STR(precis_robots_sitemap(r, 3), "https://x.org/last.xml");
    CHECK(precis_robots_sitemap(r, 4) == NULL);
    CHECK(precis_robots_crawl_delay_ms(r) == 2500);
    precis_robots_free(r);

    r = parse(txt, "someone");
    CHECK(precis_robots_crawl_delay_ms(r) == 1000);
    CHECK(precis_robots_sitemap_count(r) == 4);
    precis_robots_free(r);
    r = parse("user-agent: *\ncrawl-delay: soon\ncrawl-delay: .5\n", "precis");
    CHECK(precis_robots_crawl_delay_ms(r) == 500);
    precis_robots_free(r);
    r = parse("user-agent: *\ncrawl-delay: -3\ncrawl-delay: 99999999999999999999\n", "precis");
    CHECK(precis_robots_crawl_delay_ms(r) == 86400L * 1000);
    precis_robots_free(r);
    r = parse("user-agent: *\ncrawl-delay: 0\n", "precis");
    CHECK(precis_robots_crawl_delay_ms(r) == 0);
    precis_robots_free(r);
}

static double seconds_since(clock_t start)
{
    return (double)(clock() - start) / CLOCKS_PER_SEC;
}

static void test_limits_and_time(void)
{
    /* a pathological pattern against a long path: bounded time */
    precis_buf path;
    precis_buf_init(&path, 0);
    precis_buf_putc(&path, '/');
    for (int i = 0; i < 200000; i++)
        precis_buf_putc(&path, 'a');
    precis_robots *r = parse("user-agent: *\n"
                             "disallow: /*a*a*a*a*a*a*a*b\n"
                             "disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b$\n"
                             "disallow: /*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n",
                             "precis");
    clock_t start = clock();
    ALLOWED(r, path.ptr);
    precis_buf_putc(&path, 'b');
    DISALLOWED(r, path.ptr);
    CHECK(seconds_since(start) < 2.0);
    precis_robots_free(r);

    /* many wildcard rules against a long path */
    precis_buf txt;
    precis_buf_init(&txt, 0);
    precis_buf_puts(&txt, "user-agent: *\n");
    for (int i = 0; i < 2000; i++)
        precis_buf_printf(&txt, "disallow: /*a*a*a*a*%d*b$\n", i);
    r = precis_robots_parse(txt.ptr, txt.len, "precis");
    start = clock();
    ALLOWED(r, path.ptr);
    CHECK(seconds_since(start) < 5.0);
    precis_robots_free(r);

    /* at most PRECIS_ROBOTS_MAX_RULES rules are kept */
    precis_buf_reset(&txt);
    precis_buf_puts(&txt, "user-agent: *\n");
    for (unsigned i = 0; i < PRECIS_ROBOTS_MAX_RULES; i++)
        precis_buf_printf(&txt, "disallow: /r%u\n", i);
    precis_buf_puts(&txt, "disallow: /over\n");
    r = precis_robots_parse(txt.ptr, txt.len, "precis");
    DISALLOWED(r, "/r0", "/r9999");
    ALLOWED(r, "/over");
    precis_robots_free(r);

    /* bytes past PRECIS_ROBOTS_MAX_BYTES are ignored */
    precis_buf_reset(&txt);
    precis_buf_puts(&txt, "user-agent: *\ndisallow: /early\n");
    while (txt.len < PRECIS_ROBOTS_MAX_BYTES)
        precis_buf_puts(&txt, "# padding padding padding padding padding padding\n");
    precis_buf_puts(&txt, "disallow: /late\nsitemap: https://x/late.xml\n");
    r = precis_robots_parse(txt.ptr, txt.len, "precis");
    DISALLOWED(r, "/early");
    ALLOWED(r, "/late");
    CHECK(precis_robots_sitemap_count(r) == 0);
    precis_robots_free(r);

    precis_buf_release(&txt);
    precis_buf_release(&path);
}

int main(void)
{
    test_rfc_groups();
    test_agent_matching();
    test_longest_match();
    test_wildcards();
    test_percent_encoding();
    test_lines();
    test_empty_and_special();
    test_sitemaps_and_delay();
    test_limits_and_time();
    return CHECK_DONE();
}
