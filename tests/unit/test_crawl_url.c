/* Crawler URL helpers: normalisation rules, origin, path+query, scope, scope dir, shapes. */
#include "check.h"

#include <stdlib.h>

#include "precis/crawl_url.h"

/* Checks that precis_url_crawl_normalize(in) gives want (NULL = refused). */
static void norm_is(const char *in, const char *want)
{
    char *got = precis_url_crawl_normalize(in);
    if (want) {
        CHECK_STR(got, want);
    } else {
        CHECK(got == NULL);
        if (got)
            fprintf(stderr, "  %s -> %s (want NULL)\n", in, got);
    }
    free(got);
}

static void test_normalize_basics(void)
{
    norm_is("HTTP://Example.COM/A/b", "http://example.com/A/b");
    norm_is("https://example.com", "https://example.com/");
    norm_is("https://example.com?", "https://example.com/");
    norm_is("https://example.com:443/x", "https://example.com/x");
    norm_is("http://example.com:80/x", "http://example.com/x");
    norm_is("http://example.com:443/x", "http://example.com:443/x");
    norm_is("https://example.com:80/x", "https://example.com:80/x");
    norm_is("https://example.com:8443/x", "https://example.com:8443/x");
    norm_is("https://example.com:0443/x", "https://example.com/x");
    norm_is("https://example.com:/x", "https://example.com/x");
    norm_is("https://example.com/a#frag", "https://example.com/a");
    norm_is("https://example.com/a?b=1#frag?x", "https://example.com/a?b=1");
    norm_is("https://user:pw@example.com/a", "https://example.com/a");
    norm_is("  https://example.com/a \n", "https://example.com/a");
    norm_is("https://[2001:DB8::1]:8080/x", "https://[2001:db8::1]:8080/x");
    norm_is("https://[2001:db8::1]:443/", "https://[2001:db8::1]/");
    /* dot segments */
    norm_is("https://x.org/a/b/../c/./d", "https://x.org/a/c/d");
    norm_is("https://x.org/a/b/..", "https://x.org/a/");
    norm_is("https://x.org/a/.", "https://x.org/a/");
    norm_is("https://x.org/../../a", "https://x.org/a");
    norm_is("https://x.org/a/%2E%2E/b", "https://x.org/b");
    norm_is("https://x.org/a//b", "https://x.org/a//b");
    /* percent-encoding */
    norm_is("https://x.org/%7euser/%41%62", "https://x.org/~user/Ab");
    norm_is("https://x.org/a%2fb%3a", "https://x.org/a%2Fb%3A");
    norm_is("https://x.org/a b", "https://x.org/a%20b");
    norm_is("https://x.org/\xC3\xA9t\xC3\xA9", "https://x.org/%C3%A9t%C3%A9");
    norm_is("https://x.org/100%", "https://x.org/100%");
    norm_is("https://x.org/?q=%e2%82%ac&r=%2d", "https://x.org/?q=%E2%82%AC&r=-");
    /* refused */
    norm_is("ftp://x.org/", NULL);
    norm_is("mailto:a@b.c", NULL);
    norm_is("javascript:alert(1)", NULL);
    norm_is("/relative/path", NULL);
    norm_is("https://", NULL);
    norm_is("https:///path", NULL);
    norm_is("https://x.org:99999/", NULL);
    norm_is("https://x.org:12ab/", NULL);
    norm_is("https://ex ample.org/", NULL);
    norm_is("https://x.org/a\x01" "b", NULL);
    norm_is("https://x.org/a\tb\n", "https://x.org/ab");
    norm_is("", NULL);
    norm_is(NULL, NULL);
}

static void test_normalize_tracking(void)
{
    norm_is("https://x.org/p?utm_source=a&id=7&UTM_Medium=b&utm_campaign=c",
            "https://x.org/p?id=7");
    norm_is("https://x.org/p?fbclid=1&gclid=2&dclid=3&msclkid=4&mc_cid=5&mc_eid=6"
            "&_ga=7&_gl=8&yclid=9&igshid=10&ref_src=11",
            "https://x.org/p");
    norm_is("https://x.org/p?b=2&utm_x=1&a=1&a=0", "https://x.org/p?b=2&a=1&a=0");
    norm_is("https://x.org/p?ref=home&utm=keep&gclidx=keep",
            "https://x.org/p?ref=home&utm=keep&gclidx=keep");
    norm_is("https://x.org/p?%75tm_source=a&k", "https://x.org/p?k");
    norm_is("https://x.org/p?a=1&&b=2&", "https://x.org/p?a=1&b=2");
    norm_is("https://x.org/p?utm_source", "https://x.org/p");
    norm_is("https://x.org/p?q=a+b&sort", "https://x.org/p?q=a+b&sort");
}

static void test_origin_and_path(void)
{
    char *s = precis_url_origin("HTTPS://Docs.Example.com:443/a/b?c#d");
    CHECK_STR(s, "https://docs.example.com");
    free(s);
    s = precis_url_origin("http://x.org:8080");
    CHECK_STR(s, "http://x.org:8080");
    free(s);
    CHECK(precis_url_origin("file:///etc/passwd") == NULL);

    s = precis_url_path_query("https://x.org/a/b?c=1#frag");
    CHECK_STR(s, "/a/b?c=1");
    free(s);
    s = precis_url_path_query("https://x.org");
    CHECK_STR(s, "/");
    free(s);
    s = precis_url_path_query("https://x.org?q");
    CHECK_STR(s, "/?q");
    free(s);
    s = precis_url_path_query("https://x.org#top");
    CHECK_STR(s, "/");
    free(s);
    s = precis_url_path_query("/docs/x?y#z");
    CHECK_STR(s, "/docs/x?y");
    free(s);
    s = precis_url_path_query(NULL);
    CHECK_STR(s, "/");
    free(s);
}

static void test_scope(void)
{
    const char *o = "https://x.org";
    CHECK(precis_url_in_scope("https://x.org/docs/a", o, "/docs/"));
    CHECK(precis_url_in_scope("https://x.org/docs/", o, "/docs/"));
    CHECK(!precis_url_in_scope("https://x.org/docsx", o, "/docs/"));
    CHECK(!precis_url_in_scope("https://x.org/docs", o, "/docs/"));
    CHECK(precis_url_in_scope("https://x.org/docs", o, "/docs"));
    CHECK(precis_url_in_scope("https://x.org/docs/a/b", o, "/docs"));
    CHECK(precis_url_in_scope("https://x.org/docs?x=1", o, "/docs"));
    CHECK(!precis_url_in_scope("https://x.org/docs.html", o, "/docs"));
    CHECK(!precis_url_in_scope("https://x.org/docsx", o, "/docs"));
    CHECK(precis_url_in_scope("https://x.org/anything", o, "/"));
    CHECK(precis_url_in_scope("https://x.org/anything", o, ""));
    CHECK(precis_url_in_scope("https://x.org/anything", o, NULL));
    /* the URL is normalised before the test */
    CHECK(precis_url_in_scope("HTTPS://X.ORG:443/docs/../docs/a#f", o, "/docs/"));
    CHECK(!precis_url_in_scope("https://x.org/docs/../etc", o, "/docs/"));
    CHECK(precis_url_in_scope("https://x.org/%64ocs/a", o, "/docs/"));
    /* the origin must match exactly: scheme, host, port */
    CHECK(!precis_url_in_scope("http://x.org/docs/a", o, "/docs/"));
    CHECK(!precis_url_in_scope("https://www.x.org/docs/a", o, "/docs/"));
    CHECK(!precis_url_in_scope("https://x.org:8443/docs/a", o, "/docs/"));
    CHECK(!precis_url_in_scope("https://x.org.evil.com/docs/a", o, "/docs/"));
    CHECK(!precis_url_in_scope("https://x.org@evil.com/docs/a", o, "/docs/"));
    CHECK(precis_url_in_scope("https://x.org/docs/a", "https://X.org:443/", "/docs/"));
    CHECK(!precis_url_in_scope("mailto:a@x.org", o, "/"));
    CHECK(!precis_url_in_scope("https://x.org/a", "not a url", "/"));
    CHECK(!precis_url_in_scope(NULL, o, "/"));
}

static void scope_dir_is(const char *url, const char *want)
{
    char *s = precis_url_scope_dir(url);
    if (want)
        CHECK_STR(s, want);
    else
        CHECK(s == NULL);
    free(s);
}

static void pattern_is(const char *url, const char *want)
{
    char *s = precis_url_pattern(url);
    if (want)
        CHECK_STR(s, want);
    else
        CHECK(s == NULL);
    free(s);
}

static void test_scope_dir_and_pattern(void)
{
    scope_dir_is("https://x/docs/intro.html", "/docs/");
    scope_dir_is("https://x/docs", "/");
    scope_dir_is("https://x/", "/");
    scope_dir_is("https://x", "/");
    scope_dir_is("https://x/docs/v2/?q=a/b", "/docs/v2/");
    scope_dir_is("https://x/a/b/../c/d.html#x/y", "/a/c/");
    scope_dir_is("nope", NULL);

    pattern_is("https://x.org/calendar/2026/11?day=3", "/calendar/#/#?day");
    pattern_is("/calendar/2026/11?day=3", "/calendar/#/#?day");
    pattern_is("https://x.org/a/b-2/c?x=1&y&z=abc", "/a/#/c?x&y&z");
    pattern_is("https://x.org/", "/");
    pattern_is("https://x.org/docs/page/", "/docs/page/");
    pattern_is("https://x.org/p?utm_source=1&page=4", "/p?page");
    pattern_is("https://x.org/v1.2/api", "/#/api");
    pattern_is("relative", NULL);
    pattern_is(NULL, NULL);
}

static void test_percent_normalize(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_url_percent_normalize(&b, "/%7e%2a%2F*$%zz%4", 17);
    CHECK_STR(b.ptr, "/~%2A%2F*$%zz%4");
    precis_buf_reset(&b);
    precis_url_percent_normalize(&b, "a\0b\x7f\xff", 5);
    CHECK_STR(b.ptr, "a%00b%7F%FF");
    precis_buf_release(&b);
}

int main(void)
{
    test_normalize_basics();
    test_normalize_tracking();
    test_origin_and_path();
    test_scope();
    test_scope_dir_and_pattern();
    test_percent_normalize();
    return CHECK_DONE();
}
