/* libFuzzer harness: sitemap and llms.txt URL discovery. The first byte picks the URL cap
 * (0 = default); the rest is the document, parsed as a sitemap and as llms.txt. Invariants:
 * every URL is a non-empty http(s) URL without controls or spaces (so NUL-free), no more
 * than the cap are reported, and the result is PRECIS_OK exactly when some URL was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/sitemap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct sitemap_fuzz_seen {
    size_t count;
    bool llms;
} sitemap_fuzz_seen;

static void sitemap_fuzz_check(void *ctx, const char *url, bool is_sitemap)
{
    sitemap_fuzz_seen *s = ctx;
    if (!url || !url[0] || (s->llms && is_sitemap))
        abort();
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        abort();
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7F)
            abort();
    s->count++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max = data[0] % 8;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    sitemap_fuzz_seen s = {0, false};
    precis_result rc = precis_sitemap_parse(text, len, max, sitemap_fuzz_check, &s);
    if ((rc == PRECIS_OK) != (s.count > 0) || (rc != PRECIS_OK && rc != PRECIS_ERR_NO_CONTENT))
        abort();
    if (s.count > (max ? max : PRECIS_SITEMAP_MAX_URLS))
        abort();
    /* the same document without a callback gives the same result */
    if (precis_sitemap_parse(text, len, max, NULL, NULL) != rc)
        abort();

    sitemap_fuzz_seen l = {0, true};
    precis_llms_txt_links(text, len, "https://x.org/docs/llms.txt", sitemap_fuzz_check, &l);
    precis_llms_txt_links(text, len, NULL, sitemap_fuzz_check, &l);
    return 0;
}
