/* libFuzzer harness: robots.txt parsing and matching. The first byte picks the crawler's
 * token; the rest is the robots.txt, except that bytes after its last NUL are a path to test.
 * Every line's value is also tried as a path, so patterns meet paths that look like them.
 * Invariants: matching terminates and is deterministic, "/robots.txt" is always allowed,
 * the 4xx/5xx constructors answer all-yes/all-no, and every sitemap is a non-empty
 * http(s) URL without controls or spaces. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/buf.h"
#include "precis/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const robots_fuzz_agents[] = {"precis", "foobot", "PRECIS/1.0", "", "*"};

/* Checks the answer for path against the invariants. */
static void robots_fuzz_path(const precis_robots *r, const char *path)
{
    bool a = precis_robots_allowed(r, path);
    if (precis_robots_allowed(r, path) != a)
        abort();
}

static void robots_fuzz_sitemaps(const precis_robots *r)
{
    size_t n = precis_robots_sitemap_count(r);
    if (n > 1000 || precis_robots_sitemap(r, n) != NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        const char *s = precis_robots_sitemap(r, i);
        if (!s || (strncasecmp(s, "http://", 7) != 0 && strncasecmp(s, "https://", 8) != 0))
            abort();
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            if (*p <= 0x20 || *p == 0x7F)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *agent = robots_fuzz_agents[data[0] % 5];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    precis_buf path;
    precis_buf_init(&path, 0);
    size_t text_len = len;
    for (size_t i = len; i > 0; i--) {
        if (text[i - 1] == '\0') {
            text_len = i - 1;
            precis_buf_append(&path, text + i, len - i);
            break;
        }
    }
    precis_robots *r = precis_robots_parse(text, text_len, agent);
    robots_fuzz_path(r, path.ptr);
    robots_fuzz_path(r, "/");
    robots_fuzz_path(r, "");
    robots_fuzz_path(r, NULL);
    if (!precis_robots_allowed(r, "/robots.txt") || !precis_robots_allowed(r, "/robots.txt?x"))
        abort();

    /* every line's value (after the first ':') as a path */
    size_t i = 0, lines = 0;
    while (i < text_len && lines < 64) {
        size_t j = i;
        while (j < text_len && text[j] != '\n' && text[j] != '\r')
            j++;
        const char *colon = memchr(text + i, ':', j - i);
        if (colon) {
            precis_buf_reset(&path);
            precis_buf_append(&path, colon + 1, (size_t)(text + j - colon - 1));
            robots_fuzz_path(r, path.ptr);
            lines++;
        }
        i = j + 1;
    }
    long delay = precis_robots_crawl_delay_ms(r);
    if (delay < -1 || delay > 86400L * 1000)
        abort();
    robots_fuzz_sitemaps(r);
    precis_robots_free(r);

    precis_robots *all = precis_robots_allow_all();
    precis_robots *none = precis_robots_disallow_all();
    if (!precis_robots_allowed(all, path.ptr) || !precis_robots_allowed(none, "/robots.txt"))
        abort();
    if (precis_robots_allowed(none, "/") || precis_robots_allowed(none, "/x"))
        abort();
    precis_robots_free(all);
    precis_robots_free(none);
    precis_buf_release(&path);
    return 0;
}
