/* The doc index: one SQLite database per user ($XDG_DATA_HOME/precis/index.db, WAL, so a
 * search runs while a crawl writes) holding sites, their pages and the pages' sections,
 * with FTS5 over title, heading path and body. */
#ifndef PRECIS_INDEX_H
#define PRECIS_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"
#include "precis/sections.h"

typedef struct precis_index precis_index;

/* An indexed site. Strings owned by the struct (precis_site_release). */
typedef struct precis_site {
    long long id;
    char *name;          /* "host[:port]/prefix", what `precis sites` shows */
    char *start_url;
    char *origin;        /* "scheme://host[:port]" */
    char *prefix;        /* the path prefix in scope, e.g. "/docs/" */
    long pages, sections;
    long long bytes;     /* text stored for the site */
    long long last_crawl;/* Unix time, 0 = never finished */
} precis_site;

/* One search result. Strings owned by the struct (precis_hits_free). */
typedef struct precis_hit {
    long long section_id;
    char *page;          /* the page URL */
    char *anchor;        /* "" for a page intro */
    char *title;         /* the page title */
    char **path;         /* heading path */
    size_t npath;
    double score;        /* higher is better */
    char *snippet;       /* matched terms between \x01 and \x02 */
    char *site;          /* the site's name */
} precis_hit;

/* Returns the database path: $PRECIS_INDEX, else $XDG_DATA_HOME/precis/index.db, else
 * ~/.local/share/precis/index.db. New string. */
char *precis_index_default_path(void);

/* Opens (creating when create is true, with its directory) the database at path (NULL:
 * the default). A database written by a newer precis is refused with a clear message.
 * Without create, a missing database is PRECIS_ERR_USAGE "nothing indexed yet". */
precis_result precis_index_open(const char *path, bool create, precis_index **out,
                                precis_error *err);

/* Closes the database. NULL-safe. */
void precis_index_close(precis_index *idx);

/* The database file's path (owned by idx). */
const char *precis_index_path(const precis_index *idx);

/* Lists every site (newest crawl first). *out is a new array freed with
 * precis_sites_free. */
precis_result precis_index_sites(precis_index *idx, precis_site **out, size_t *n,
                                 precis_error *err);

/* Finds the site spec names: its name, its start URL, or any URL within its scope
 * (the longest prefix wins). Fills *out (release with precis_site_release); a spec
 * that matches nothing is PRECIS_ERR_USAGE with the indexed names in the message. */
precis_result precis_index_find_site(precis_index *idx, const char *spec, precis_site *out,
                                     precis_error *err);

/* Deletes a site with its pages and sections. */
precis_result precis_index_remove_site(precis_index *idx, long long site_id, precis_error *err);

void precis_site_release(precis_site *s);
void precis_sites_free(precis_site *s, size_t n);

/* --- writing, for the crawler --- */

/* Creates the site for start_url (or finds it, for a re-crawl) and starts crawl number
 * *seq (pages seen in it are stamped with it). */
precis_result precis_index_begin_crawl(precis_index *idx, const char *name,
                                       const char *start_url, const char *origin,
                                       const char *prefix, long long *site_id, long *seq,
                                       precis_error *err);

/* What the index knows of a page from an earlier crawl. Strings owned (release). */
typedef struct precis_index_page {
    bool found;
    long long id;
    char *etag, *last_modified, *hash;
} precis_index_page;

/* Looks url up in site_id; out->found tells. */
precis_result precis_index_page_get(precis_index *idx, long long site_id, const char *url,
                                    precis_index_page *out, precis_error *err);
void precis_index_page_release(precis_index_page *p);

/* Calls fn for the URL of every page of site_id (a re-crawl asks about each again). */
precis_result precis_index_page_urls(precis_index *idx, long long site_id,
                                     void (*fn)(void *ctx, const char *url), void *ctx,
                                     precis_error *err);

/* Stores a page and its sections in one transaction, replacing what the page had.
 * Sets *added when the page is new and *changed when its content hash moved. */
precis_result precis_index_page_put(precis_index *idx, long long site_id, long seq,
                                    const char *url, const char *title, const char *etag,
                                    const char *last_modified,
                                    const precis_section *secs, size_t nsecs, bool *added,
                                    bool *changed, precis_error *err);

/* Stamps an unchanged page (a 304) as seen in crawl seq. */
precis_result precis_index_page_seen(precis_index *idx, long long page_id, long seq,
                                     precis_error *err);

/* Deletes one page of a site (gone: 404 or 410). */
precis_result precis_index_page_remove(precis_index *idx, long long site_id, const char *url,
                                       bool *removed, precis_error *err);

/* Ends crawl seq: when complete, deletes the site's pages it did not see (*removed
 * counts them); stamps the site's last crawl time. */
precis_result precis_index_end_crawl(precis_index *idx, long long site_id, long seq,
                                     bool complete, long *removed, precis_error *err);

/* Finds the lines of prose (outside code blocks) that stand on at least 60% of the
 * site's pages (10 pages at least), remembers them as the site's template and leaves
 * them out of its sections' indexed text, now and for pages indexed later. *lines gets
 * the lines newly found, *sections the sections rewritten. */
precis_result precis_index_strip_template(precis_index *idx, long long site_id, long *lines,
                                          long *sections, precis_error *err);

/* --- searching --- */

/* Returns the k best sections for the user's text (precis_query_build) in site_id (0:
 * every site), best first. No query words: zero hits. *hits is a new array freed with
 * precis_hits_free. */
precis_result precis_index_search(precis_index *idx, const char *text, long long site_id,
                                  size_t k, precis_hit **hits, size_t *n, precis_error *err);

/* Like precis_index_search, with the words of extra (may be NULL; e.g. a model's
 * alternative phrasings) added to the query at half the weight of text's own. */
precis_result precis_index_search_terms(precis_index *idx, const char *text, const char *extra,
                                        long long site_id, size_t k, precis_hit **hits,
                                        size_t *n, precis_error *err);

/* The bm25 ranking alone: writes the ids of the k best sections for text (+ extra, as in
 * precis_index_search_terms) to ids (room for k), best first, and their count to *n. */
precis_result precis_index_rank(precis_index *idx, const char *text, const char *extra,
                                long long site_id, size_t k, long long *ids, size_t *n,
                                precis_error *err);

/* Returns hits for the sections ids[0..k) in that order, with scores[i] as their score;
 * snippets highlight text's words where a section holds them, else show its start.
 * Sections that no longer exist are left out. *hits as in precis_index_search. */
precis_result precis_index_hits(precis_index *idx, const char *text, const long long *ids,
                                const double *scores, size_t k, precis_hit **hits, size_t *n,
                                precis_error *err);

/* Appends the Markdown body of a section to out. */
precis_result precis_index_section_text(precis_index *idx, long long section_id, precis_buf *out,
                                        precis_error *err);

void precis_hits_free(precis_hit *hits, size_t n);

/* --- vectors, for hybrid search (src/index_vectors.c) --- */

/* Lists up to max sections of site_id that have no vector for model, oldest first: *ids
 * and *texts (heading path or title, a newline, then the body's start) are new arrays of
 * *n entries freed with precis_index_texts_free. */
precis_result precis_index_unembedded(precis_index *idx, long long site_id, const char *model,
                                      size_t max, long long **ids, char ***texts, size_t *n,
                                      precis_error *err);

/* Frees what precis_index_unembedded returned. */
void precis_index_texts_free(long long *ids, char **texts, size_t n);

/* Stores the vectors vecs[i * dim ..] (normalised) of sections ids[0..n) of site_id for
 * model, in one transaction, replacing older ones. */
precis_result precis_index_vectors_put(precis_index *idx, long long site_id, const char *model,
                                       const long long *ids, const float *vecs, size_t n,
                                       size_t dim, precis_error *err);

/* Counts the vectors of model in site_id (0: every site) into *n. */
precis_result precis_index_vectors_count(precis_index *idx, long long site_id,
                                         const char *model, long *n, precis_error *err);

/* Brute-force cosine search: the k sections of site_id (0: every site) whose vectors for
 * model (of q's dimension dim; q normalised) are nearest q, best first, into ids and sims
 * (room for k each) and their count into *n. */
precis_result precis_index_vector_search(precis_index *idx, long long site_id,
                                         const char *model, const float *q, size_t dim,
                                         size_t k, long long *ids, double *sims, size_t *n,
                                         precis_error *err);

#endif
