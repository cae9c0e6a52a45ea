/* The polite crawler: one site (scheme, host, port, path prefix) fetched on one loop,
 * robots.txt obeyed, sitemaps and llms.txt as seeds, caps on pages, depth, bytes and
 * URL shapes, and every readable page stored in the doc index. */
#ifndef PRECIS_CRAWL_H
#define PRECIS_CRAWL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/extract.h"
#include "precis/fetch.h"
#include "precis/index.h"

/* One page that was skipped, and why (one line). */
typedef struct precis_crawl_failure {
    char *url;
    char *reason;
} precis_crawl_failure;

/* What a crawl did. Release with precis_crawl_stats_release. */
typedef struct precis_crawl_stats {
    char *site;            /* the site's name */
    long fetched;          /* page requests answered (any status) */
    long added, changed, unchanged, removed;
    long sections;         /* sections written for added or changed pages */
    long duplicates;       /* same canonical, same ETag or same text as another page */
    long blocked;          /* links robots.txt forbids (never requested) */
    long trapped;          /* links left out because their URL shape hit its cap */
    long template_lines;   /* lines newly found on most pages: the site's frame */
    long template_sections; /* sections whose indexed text left them out */
    long queued, in_flight;
    double seconds;
    bool interrupted;      /* the cancel flag stopped it */
    bool capped;           /* --max-pages was reached */
    precis_crawl_failure *failures;
    size_t nfailures;
} precis_crawl_stats;

typedef struct precis_crawl_opts {
    const char *start_url;
    const char *prefix;        /* path prefix in scope; NULL: the start URL's directory */
    long max_pages;            /* default 5000 */
    long max_depth;            /* links followed from the start page; default 20 */
    long pattern_cap;          /* pages one URL shape may take; 0: max(20, max_pages / 50) */
    size_t jobs;               /* requests in flight (connections to the host); default 2 */
    bool ignore_robots;
    precis_fetch_opts fetch;   /* timeouts and byte cap per page; cache and UA are set here */
    precis_extract_opts extract;
    void (*on_progress)(void *ctx, const precis_crawl_stats *st);
    void *progress_ctx;
    void (*on_warning)(void *ctx, const char *line);
    void *warning_ctx;
    const volatile sig_atomic_t *cancel;
} precis_crawl_opts;

/* Sets opts to the defaults above (fetch and extract defaults included). */
void precis_crawl_opts_init(precis_crawl_opts *opts);

/* Crawls opts->start_url into idx. Returns PRECIS_OK when the crawl ran (failed pages
 * are in st->failures), PRECIS_ERR_CANCELLED when interrupted (what was indexed is
 * kept), or the start page's failure (err says why). st is filled in every case. */
precis_result precis_crawl_run(precis_index *idx, const precis_crawl_opts *opts,
                               precis_crawl_stats *st, precis_error *err);

/* Frees what a crawl put in st. */
void precis_crawl_stats_release(precis_crawl_stats *st);

#endif
