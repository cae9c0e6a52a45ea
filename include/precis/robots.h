/* robots.txt (RFC 9309): parsing for one crawler and the allow/disallow decision.
 * Pure: no I/O. A precis_robots owns all of its memory; free it with precis_robots_free. */
#ifndef PRECIS_ROBOTS_H
#define PRECIS_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct precis_robots precis_robots; /* opaque; owns everything */

/* At most this many bytes of a robots.txt are read (the rest is ignored, as Google does). */
#define PRECIS_ROBOTS_MAX_BYTES (500u * 1024u)
/* At most this many rules are kept per group selection (later ones are ignored). */
#define PRECIS_ROBOTS_MAX_RULES 10000u

/* Parses robots.txt (len bytes, any bytes; BOM, CR/LF/CRLF, comments, unknown lines tolerated)
 * for the crawler whose product token is agent (e.g. "precis"). Group selection per RFC 9309
 * 2.2.1: the group(s) whose user-agent matches agent case-insensitively (a line
 * "User-agent: precis/1.0" matches token precis: the product token only is compared), all such
 * groups merged; otherwise the "*" group(s) merged; otherwise allow all. Consecutive user-agent
 * lines share one group; an allow, disallow or crawl-delay line ends the user-agent list.
 * Sitemap: lines are collected wherever they appear (absolute http(s) URLs, duplicates
 * dropped). Reads at most PRECIS_ROBOTS_MAX_BYTES. Never NULL; free with precis_robots_free. */
precis_robots *precis_robots_parse(const char *text, size_t len, const char *agent);

/* Returns rules that allow everything (for a 4xx robots.txt). Never NULL. */
precis_robots *precis_robots_allow_all(void);

/* Returns rules that disallow everything but /robots.txt (for 5xx / unreachable). Never NULL. */
precis_robots *precis_robots_disallow_all(void);

/* Is path (the URL's path plus "?query", starting with "/"; "" or NULL means "/") allowed?
 * Longest match wins (match length = length of the rule pattern after percent-encoding
 * normalisation, not the length of path it covered), allow wins a tie, `*` matches any
 * sequence, a trailing `$` anchors the end, patterns and path compared after normalising
 * percent-encoding (precis_url_percent_normalize), an empty Disallow allows everything,
 * "/robots.txt" is always allowed. Time is O(path length x pattern length) per rule. */
bool precis_robots_allowed(const precis_robots *r, const char *path);

/* Number of Sitemap: URLs collected. */
size_t precis_robots_sitemap_count(const precis_robots *r);

/* The i-th Sitemap: URL (non-empty, owned by r), or NULL if i is out of range. */
const char *precis_robots_sitemap(const precis_robots *r, size_t i);

/* Crawl-delay of the chosen group in milliseconds, or -1 when none (non-standard,
 * informative). The first valid value of the chosen groups counts. */
long precis_robots_crawl_delay_ms(const precis_robots *r);

/* Frees r and everything it owns. NULL-safe. */
void precis_robots_free(precis_robots *r);

#endif
