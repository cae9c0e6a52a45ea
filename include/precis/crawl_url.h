/* URL helpers for the crawler: normalisation, origin and scope tests, trap patterns.
 * Pure string work, no I/O. Every function that returns a char * returns a new string
 * that the caller frees with free(). */
#ifndef PRECIS_CRAWL_URL_H
#define PRECIS_CRAWL_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"

/* Returns a new normalised absolute URL for crawling, or NULL if url is not http(s) or not
 * parseable: lowercase scheme and host, default port (:80 for http, :443 for https) dropped,
 * user:password@ dropped, empty path becomes "/", dot segments resolved, fragment removed,
 * percent-encoding normalised (see precis_url_percent_normalize), and tracking parameters
 * removed from the query (utm_* of any case, fbclid, gclid, dclid, msclkid, mc_cid, mc_eid,
 * _ga, _gl, yclid, igshid, ref_src; every other non-empty parameter kept in order); an empty
 * query loses its "?". Surrounding whitespace is ignored; other control characters make the
 * URL unparseable. */
char *precis_url_crawl_normalize(const char *url);

/* Returns a new "scheme://host[:port]" string of url after normalisation, or NULL. */
char *precis_url_origin(const char *url);

/* Returns a new string of the path plus "?query" (no fragment) of an absolute URL as written,
 * "/" at least (also for NULL or a URL without a path). A url that starts with "/" is taken as
 * a path already. */
char *precis_url_path_query(const char *url);

/* True if url (normalised) has exactly the origin (normalised too) and its path starts with
 * prefix. A prefix ending in "/" admits paths that start with it ("/docs/" admits "/docs/" and
 * "/docs/x", not "/docs" or "/docsx"); a prefix without one is a directory too ("/docs" admits
 * "/docs" and "/docs/..." only). NULL or "" prefix means "/". The query is not considered. */
bool precis_url_in_scope(const char *url, const char *origin, const char *prefix);

/* Returns the scope directory of a start URL as a new string: its normalised path up to and
 * including the last "/" ("https://x/docs/intro.html" -> "/docs/", "https://x/docs" -> "/");
 * NULL if url is not a parseable http(s) URL. */
char *precis_url_scope_dir(const char *url);

/* Returns a new "shape" key for trap detection: the normalised path with every segment that
 * contains an ASCII digit replaced by "#", and the query reduced to its parameter names
 * ("/calendar/2026/11?day=3" -> "/calendar/#/#?day"). url may be absolute or a path starting
 * with "/"; NULL if neither. */
char *precis_url_pattern(const char *url);

/* Appends n bytes of s to out with percent-encoding normalised: %XX of an unreserved character
 * (ALPHA DIGIT - . _ ~) decoded, any other %XX written with uppercase hex, and bytes outside
 * printable ASCII (controls, space, DEL, 0x80-0xFF) encoded as %XX. A '%' not followed by two
 * hex digits is kept as is. Any bytes (NUL included) are accepted. */
void precis_url_percent_normalize(precis_buf *out, const char *s, size_t n);

#endif
