/* Sitemaps (sitemaps.org XML and plain text) and llms.txt link lists: URL discovery for the
 * crawler. Pure: no I/O; URLs come out through a callback. */
#ifndef PRECIS_SITEMAP_H
#define PRECIS_SITEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/error.h"

/* Called for each URL found; is_sitemap is true for entries of a <sitemapindex> (more sitemaps
 * to fetch), false for page URLs. url is trimmed and entity-decoded (&amp; &lt; &gt; &quot;
 * &apos; numeric refs), a non-empty absolute http(s) URL without control characters or spaces
 * (inner spaces arrive as %20), owned by the parser and valid for the call only. */
typedef void (*precis_sitemap_fn)(void *ctx, const char *url, bool is_sitemap);

/* Default and ceiling of max_urls for precis_sitemap_parse (the sitemaps.org limit). */
#define PRECIS_SITEMAP_MAX_URLS 50000u

/* Parses a sitemap: XML <urlset><url><loc> or <sitemapindex><sitemap><loc> (namespaces/prefixes,
 * CDATA, comments, whitespace tolerated; not a full XML parser, just a robust scanner: a <loc>
 * counts only directly inside <url> or <sitemap>, so image:loc and the like are skipped), or a
 * plain-text sitemap (one absolute http(s) URL a line; other lines ignored). At most max_urls URLs
 * are reported (0 = PRECIS_SITEMAP_MAX_URLS). Returns PRECIS_OK, or PRECIS_ERR_NO_CONTENT when
 * nothing usable was found. fn may be NULL (then URLs are only counted). */
precis_result precis_sitemap_parse(const char *text, size_t len, size_t max_urls,
                                   precis_sitemap_fn fn, void *ctx);

/* llms.txt (the llmstxt.org format: Markdown with "- [title](url): notes" link lists): calls fn
 * (is_sitemap false) for every inline link target "[text](url)" outside code, images excluded,
 * resolved against base (may be NULL: then only absolute links count) with precis_url_resolve,
 * http(s) only, fragments kept as given. */
void precis_llms_txt_links(const char *text, size_t len, const char *base,
                           precis_sitemap_fn fn, void *ctx);

#endif
