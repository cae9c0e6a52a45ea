/* The crawler: a FIFO frontier drained by at most `jobs` fetches on one loop; robots.txt
 * first, then the start page, the sitemaps and llms.txt; each readable page is cut into
 * sections and stored in the index as soon as it arrives. */
#include "precis/crawl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/crawl_url.h"
#include "precis/dom.h"
#include "precis/loop.h"
#include "precis/page.h"
#include "precis/robots.h"
#include "precis/sections.h"
#include "precis/sitemap.h"
#include "precis/strmap.h"

#define AGENT "precis"
#define MAX_SITEMAPS 100
#define MAX_ATTEMPTS 3
#define DEFAULT_RETRY_S 2
#define MAX_RETRY_S 60

typedef enum { ITEM_PAGE, ITEM_ROBOTS, ITEM_SITEMAP, ITEM_LLMS } item_kind;

typedef struct item {
    item_kind kind;
    char *url;
    int depth;
    int attempts;
} item;

typedef struct crawler crawler;

typedef struct flight {
    crawler *c;
    item it;
    precis_fetch_job *job;
    precis_index_page known;
} flight;

struct crawler {
    precis_index *idx;
    const precis_crawl_opts *o;
    precis_crawl_stats *st;
    precis_loop *loop;
    char *start, *origin, *prefix;
    long long site_id;
    long seq;
    long pattern_cap;
    precis_robots *robots;
    item *q;
    size_t qhead, qlen, qcap;
    flight **fl;
    size_t nfl, flcap;
    precis_strmap seen, indexed, etags, hashes, patterns, failed;
    long pages_started, sitemaps;
    double paused_until;
    bool fatal;
    precis_result fatal_code;
    precis_error *err;
    double t0;
};

/* ---- frontier ---- */

static void enqueue(crawler *c, item_kind kind, const char *url, int depth, bool front)
{
    if (c->qlen == c->qcap) {
        if (c->qhead > 0) { /* compact before growing */
            memmove(c->q, c->q + c->qhead, (c->qlen - c->qhead) * sizeof *c->q);
            c->qlen -= c->qhead;
            c->qhead = 0;
        }
        if (c->qlen == c->qcap) {
            c->qcap = c->qcap ? c->qcap * 2 : 64;
            c->q = precis_xrealloc(c->q, c->qcap * sizeof *c->q);
        }
    }
    item it = {kind, precis_xstrdup(url), depth, 0};
    if (front && c->qhead > 0) {
        c->q[--c->qhead] = it;
    } else if (front) {
        memmove(c->q + 1, c->q, c->qlen * sizeof *c->q);
        c->q[0] = it;
        c->qlen++;
    } else {
        c->q[c->qlen++] = it;
    }
}

static void fail_page(crawler *c, const char *url, const char *reason)
{
    bool added;
    precis_strmap_put(&c->failed, url, &added);
    if (!added)
        return;
    precis_crawl_stats *st = c->st;
    st->failures = precis_xrealloc(st->failures, (st->nfailures + 1) * sizeof *st->failures);
    precis_crawl_failure *f = &st->failures[st->nfailures++];
    f->url = precis_xstrdup(url);
    size_t ul = strlen(url);
    if (strncmp(reason, url, ul) == 0 && reason[ul] == ':' && reason[ul + 1] == ' ')
        reason += ul + 2; /* the list names the URL already */
    f->reason = precis_xstrdup(reason);
}

static void warn(crawler *c, const char *line)
{
    if (c->o->on_warning)
        c->o->on_warning(c->o->warning_ctx, line);
}

static bool allowed(crawler *c, const char *url)
{
    char *path = precis_url_path_query(url);
    bool ok = precis_robots_allowed(c->robots, path);
    free(path);
    return ok;
}

/* Takes a link (resolved against base) into the frontier if it is in scope, new,
 * allowed and not a trap. */
static void consider_link(crawler *c, const char *base, const char *href, int depth)
{
    char *abs = precis_url_resolve(base, href);
    char *url = abs ? precis_url_crawl_normalize(abs) : NULL;
    free(abs);
    if (!url)
        return;
    if (!precis_url_in_scope(url, c->origin, c->prefix)) {
        free(url);
        return;
    }
    bool added;
    precis_strmap_put(&c->seen, url, &added);
    if (!added) {
        free(url);
        return;
    }
    if (!allowed(c, url)) {
        c->st->blocked++;
    } else if (depth > c->o->max_depth) {
        /* beyond the depth cap: left out */
    } else {
        char *shape = precis_url_pattern(url);
        long *count = precis_strmap_put(&c->patterns, shape ? shape : url, NULL);
        free(shape);
        if (++*count > c->pattern_cap)
            c->st->trapped++;
        else
            enqueue(c, ITEM_PAGE, url, depth, false);
    }
    free(url);
}

/* ---- the fetches ---- */

static bool redirect_ok(void *ctx, const char *url)
{
    flight *f = ctx;
    crawler *c = f->c;
    char *n = precis_url_crawl_normalize(url);
    bool ok = n && (f->it.kind == ITEM_PAGE ? precis_url_in_scope(n, c->origin, c->prefix)
                                            : precis_url_in_scope(n, c->origin, "/"));
    if (ok && f->it.kind == ITEM_PAGE)
        ok = allowed(c, n);
    free(n);
    return ok;
}

static void on_fetched(void *ctx, precis_result r, precis_response *resp, precis_error *err);
static void known_page(void *ctx, const char *url);

static void start_item(crawler *c, item it)
{
    flight *f = precis_xcalloc(1, sizeof *f);
    f->c = c;
    f->it = it;
    precis_fetch_opts fo = c->o->fetch;
    fo.use_cache = false; /* a crawl asks the server every time */
    fo.user_agent = "precis/" PRECIS_VERSION;
    fo.redirect_ok = redirect_ok;
    fo.redirect_ctx = f;
    fo.cancel = NULL;
    if (it.kind == ITEM_PAGE) {
        precis_error e;
        if (precis_index_page_get(c->idx, c->site_id, it.url, &f->known, &e) == PRECIS_OK &&
            f->known.found) {
            fo.if_none_match = f->known.etag;
            fo.if_modified_since = f->known.last_modified;
        }
        c->pages_started++;
    }
    if (c->nfl == c->flcap) {
        c->flcap = c->flcap ? c->flcap * 2 : 8;
        c->fl = precis_xrealloc(c->fl, c->flcap * sizeof *c->fl);
    }
    c->fl[c->nfl++] = f;
    f->job = precis_fetch_start(c->loop, it.url, &fo, on_fetched, f);
}

static void drop_flight(crawler *c, flight *f)
{
    for (size_t i = 0; i < c->nfl; i++) {
        if (c->fl[i] == f) {
            c->fl[i] = c->fl[--c->nfl];
            break;
        }
    }
    precis_index_page_release(&f->known);
    free(f->it.url);
    free(f);
}

/* Starts what the job limit, the pause and the page cap allow. */
static void pump(crawler *c)
{
    while (!c->fatal && c->nfl < c->o->jobs && c->qhead < c->qlen &&
           precis_now() >= c->paused_until) {
        item it = c->q[c->qhead++];
        if (it.kind == ITEM_PAGE && c->pages_started >= c->o->max_pages) {
            c->st->capped = true;
            free(it.url);
            continue;
        }
        start_item(c, it);
    }
}

/* ---- what came back ---- */

static void got_robots(crawler *c, precis_result r, precis_response *resp, precis_error *err)
{
    precis_robots_free(c->robots);
    c->robots = NULL;
    if (r == PRECIS_OK) {
        c->robots = c->o->ignore_robots ? precis_robots_allow_all()
                                        : precis_robots_parse(resp->body.ptr ? resp->body.ptr : "",
                                                              resp->body.len, AGENT);
    } else if (resp->status >= 400 && resp->status < 500) {
        c->robots = precis_robots_allow_all(); /* RFC 9309: unavailable means allow */
    } else if (resp->status == 0 && r != PRECIS_ERR_REDIRECT) {
        /* the host cannot be reached at all: the start page cannot be either */
        c->robots = precis_robots_allow_all();
        c->fatal = true;
        const char *why = err->msg;
        size_t ul = strlen(c->origin) + strlen("/robots.txt: ");
        if (strlen(why) > ul)
            why += ul; /* the robots.txt URL: say it about the start URL instead */
        c->fatal_code = precis_error_set(c->err, PRECIS_ERR_FETCH, "%s: cannot reach the site: %s",
                                         c->start, why);
        return;
    } else if (c->o->ignore_robots) {
        c->robots = precis_robots_allow_all();
    } else {
        c->robots = precis_robots_disallow_all();
        c->fatal = true;
        c->fatal_code = precis_error_set(c->err, PRECIS_ERR_FETCH,
                                         "%s/robots.txt could not be read (%s): RFC 9309 "
                                         "treats the site as disallowed; --ignore-robots "
                                         "overrides",
                                         c->origin,
                                         resp->status ? "a server error" : "a redirect loop");
        return;
    }
    /* the start page first, then the seeds */
    if (!allowed(c, c->start)) {
        c->fatal = true;
        c->fatal_code = precis_error_set(c->err, PRECIS_ERR_FETCH,
                                         "%s: robots.txt does not allow precis to fetch it; "
                                         "--ignore-robots overrides",
                                         c->start);
        return;
    }
    precis_strmap_put(&c->seen, c->start, NULL);
    enqueue(c, ITEM_PAGE, c->start, 0, false);
    precis_strmap sm;
    precis_strmap_init(&sm);
    precis_buf u;
    precis_buf_init(&u, 0);
    for (size_t i = 0; i < precis_robots_sitemap_count(c->robots); i++) {
        char *n = precis_url_crawl_normalize(precis_robots_sitemap(c->robots, i));
        if (n && precis_url_in_scope(n, c->origin, "/")) {
            bool added;
            precis_strmap_put(&sm, n, &added);
            if (added)
                enqueue(c, ITEM_SITEMAP, n, 1, false);
        }
        free(n);
    }
    precis_buf_printf(&u, "%s/sitemap.xml", c->origin);
    bool added;
    precis_strmap_put(&sm, u.ptr, &added);
    if (added)
        enqueue(c, ITEM_SITEMAP, u.ptr, 1, false);
    precis_buf_reset(&u);
    precis_buf_printf(&u, "%s/llms.txt", c->origin);
    enqueue(c, ITEM_LLMS, u.ptr, 1, false);
    c->sitemaps = (long)sm.count;
    precis_error e;
    precis_index_page_urls(c->idx, c->site_id, known_page, c, &e);
    precis_strmap_release(&sm);
    precis_buf_release(&u);
}

typedef struct seed_ctx {
    crawler *c;
    const char *base;
} seed_ctx;

static void on_seed(void *ctx, const char *url, bool is_sitemap)
{
    seed_ctx *s = ctx;
    crawler *c = s->c;
    if (!is_sitemap) {
        consider_link(c, s->base, url, 1);
        return;
    }
    char *n = precis_url_crawl_normalize(url);
    if (n && precis_url_in_scope(n, c->origin, "/") && c->sitemaps < MAX_SITEMAPS) {
        bool added;
        precis_strmap_put(&c->seen, n, &added);
        if (added) {
            c->sitemaps++;
            enqueue(c, ITEM_SITEMAP, n, 1, false);
        }
    }
    free(n);
}

static void got_seed_list(crawler *c, flight *f, precis_response *resp)
{
    seed_ctx s = {c, resp->final_url ? resp->final_url : f->it.url};
    const char *text = resp->body.ptr ? resp->body.ptr : "";
    if (f->it.kind == ITEM_SITEMAP)
        precis_sitemap_parse(text, resp->body.len, 50000, on_seed, &s);
    else
        precis_llms_txt_links(text, resp->body.len, s.base, on_seed, &s);
}

typedef struct link_list {
    char **v;
    size_t n, cap;
} link_list;

static void collect_link(void *ctx, const char *href)
{
    link_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = precis_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = precis_xstrdup(href);
}

static void free_links(link_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static void failed_start(crawler *c, flight *f, const char *why)
{
    if (f->it.depth == 0 && strcmp(f->it.url, c->start) == 0) {
        c->fatal = true;
        c->fatal_code = precis_error_set(c->err, PRECIS_ERR_FETCH, "%s", why);
    }
}

/* Stores a fetched page (or recognises it as a duplicate) and follows its links. */
static void got_page(crawler *c, flight *f, precis_response *resp)
{
    const char *requested = f->it.url;
    char *final = precis_url_crawl_normalize(resp->final_url ? resp->final_url : requested);
    if (!final)
        final = precis_xstrdup(requested);
    precis_strmap_put(&c->seen, final, NULL);
    link_list links = {0};
    precis_extract_opts xo = c->o->extract;
    xo.on_link = collect_link;
    xo.link_ctx = &links;
    precis_doc *doc = NULL;
    precis_error e;
    precis_error_clear(&e);
    precis_result r = precis_page_from_response(final, resp, &c->o->fetch, &xo, &doc, &e);
    if (r != PRECIS_OK) {
        const char *why = r == PRECIS_ERR_NO_CONTENT
                              ? "no readable text (built by JavaScript?)"
                              : e.msg[0] ? e.msg : precis_strerror(r);
        fail_page(c, requested, why);
        failed_start(c, f, e.msg[0] ? e.msg : why);
        goto out;
    }
    const char *key = final;
    char *canon = doc->meta.canonical_url ? precis_url_crawl_normalize(doc->meta.canonical_url)
                                          : NULL;
    if (canon && strcmp(canon, final) != 0 && precis_url_in_scope(canon, c->origin, c->prefix) &&
        allowed(c, canon)) {
        /* <link rel="canonical"> wins: the canonical page is indexed from its own fetch
         * (with its own validators); this copy is a duplicate */
        bool added;
        precis_strmap_put(&c->seen, canon, &added);
        if (added)
            enqueue(c, ITEM_PAGE, canon, f->it.depth, true);
        c->st->duplicates++;
        for (size_t i = 0; i < links.n; i++)
            consider_link(c, final, links.v[i], f->it.depth + 1);
        free(canon);
        goto out;
    }
    bool dup = precis_strmap_get(&c->indexed, key) != NULL;
    if (!dup && resp->etag && *resp->etag) {
        bool added;
        precis_strmap_put(&c->etags, resp->etag, &added);
        dup = !added;
    }
    precis_section *secs = NULL;
    size_t nsecs = 0;
    precis_sections_split(doc, &secs, &nsecs);
    if (!dup) {
        precis_buf all;
        precis_buf_init(&all, 0);
        for (size_t i = 0; i < nsecs; i++)
            precis_buf_puts(&all, secs[i].text);
        char h[24];
        snprintf(h, sizeof h, "%016llx",
                 (unsigned long long)precis_hash_str(all.ptr ? all.ptr : ""));
        bool added;
        precis_strmap_put(&c->hashes, h, &added);
        dup = !added;
        precis_buf_release(&all);
    }
    for (size_t i = 0; i < links.n; i++)
        consider_link(c, final, links.v[i], f->it.depth + 1);
    if (dup) {
        c->st->duplicates++;
    } else {
        precis_strmap_put(&c->indexed, key, NULL);
        bool added = false, changed = false;
        precis_error we;
        if (precis_index_page_put(c->idx, c->site_id, c->seq, key, doc->meta.title, resp->etag,
                                  resp->last_modified, secs, nsecs, &added, &changed,
                                  &we) != PRECIS_OK) {
            fail_page(c, requested, we.msg);
        } else if (added || changed) {
            c->st->added += added;
            c->st->changed += changed;
            c->st->sections += (long)nsecs;
        } else {
            c->st->unchanged++;
        }
    }
    precis_sections_free(secs, nsecs);
    free(canon);
out:
    precis_doc_free(doc);
    free_links(&links);
    free(final);
}

/* A 304: the page is as indexed. (Every known page is asked about again anyway, so
 * the links it had need not be followed.) */
static void got_unchanged(crawler *c, flight *f)
{
    precis_error e;
    precis_index_page_seen(c->idx, f->known.id, c->seq, &e);
    precis_strmap_put(&c->indexed, f->it.url, NULL);
    c->st->unchanged++;
}

/* A re-crawl asks about every page it indexed before, whether still linked or not. */
static void known_page(void *ctx, const char *url)
{
    crawler *c = ctx;
    if (precis_url_in_scope(url, c->origin, c->prefix))
        consider_link(c, url, url, 1);
}

static void got_error(crawler *c, flight *f, precis_result r, precis_response *resp,
                      precis_error *err)
{
    long status = resp->status;
    if ((status == 429 || status == 503) && f->it.attempts + 1 < MAX_ATTEMPTS) {
        long wait = resp->retry_after_s >= 0 ? resp->retry_after_s : DEFAULT_RETRY_S;
        if (wait > MAX_RETRY_S)
            wait = MAX_RETRY_S;
        c->paused_until = precis_now() + (double)wait; /* the whole host waits */
        item again = f->it;
        again.url = precis_xstrdup(f->it.url);
        again.attempts++;
        if (again.kind == ITEM_PAGE)
            c->pages_started--;
        enqueue(c, again.kind, again.url, again.depth, true);
        c->q[c->qhead].attempts = again.attempts;
        free(again.url);
        return;
    }
    if (f->it.kind != ITEM_PAGE)
        return; /* a missing sitemap or llms.txt is no failure */
    if (status == 404 || status == 410) {
        bool removed = false;
        precis_error e;
        precis_index_page_remove(c->idx, c->site_id, f->it.url, &removed, &e);
        c->st->removed += removed;
    }
    const char *why = err->msg[0] ? err->msg : precis_strerror(r);
    fail_page(c, f->it.url, why);
    failed_start(c, f, why);
}

static void on_fetched(void *ctx, precis_result r, precis_response *resp, precis_error *err)
{
    flight *f = ctx;
    crawler *c = f->c;
    f->job = NULL;
    if (f->it.kind == ITEM_PAGE)
        c->st->fetched++;
    if (f->it.kind == ITEM_ROBOTS)
        got_robots(c, r, resp, err);
    else if (r != PRECIS_OK)
        got_error(c, f, r, resp, err);
    else if (f->it.kind != ITEM_PAGE)
        got_seed_list(c, f, resp);
    else if (resp->status == 304 && f->known.found)
        got_unchanged(c, f);
    else
        got_page(c, f, resp);
    drop_flight(c, f);
}

/* ---- the run ---- */

void precis_crawl_opts_init(precis_crawl_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->max_pages = 5000;
    opts->max_depth = 20;
    opts->jobs = 2;
    precis_fetch_opts_init(&opts->fetch);
    opts->fetch.max_bytes = (size_t)10 * 1000 * 1000;
    precis_extract_opts_init(&opts->extract);
}

void precis_crawl_stats_release(precis_crawl_stats *st)
{
    for (size_t i = 0; i < st->nfailures; i++) {
        free(st->failures[i].url);
        free(st->failures[i].reason);
    }
    free(st->failures);
    free(st->site);
    memset(st, 0, sizeof *st);
}

/* "host[:port]" plus the prefix without its trailing slash. */
static char *site_name(const char *origin, const char *prefix)
{
    const char *host = strstr(origin, "://");
    host = host ? host + 3 : origin;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, host);
    size_t pl = strlen(prefix);
    while (pl > 0 && prefix[pl - 1] == '/')
        pl--;
    precis_buf_append(&b, prefix, pl);
    return precis_buf_detach(&b);
}

precis_result precis_crawl_run(precis_index *idx, const precis_crawl_opts *o,
                               precis_crawl_stats *st, precis_error *err)
{
    memset(st, 0, sizeof *st);
    crawler c;
    memset(&c, 0, sizeof c);
    c.idx = idx;
    c.o = o;
    c.st = st;
    c.err = err;
    c.t0 = precis_now();
    c.start = precis_url_crawl_normalize(o->start_url);
    if (!c.start)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "%s: not an http(s) URL; 'precis index' crawls web sites",
                                o->start_url);
    c.origin = precis_url_origin(c.start);
    if (o->prefix) {
        precis_buf p;
        precis_buf_init(&p, 0);
        if (o->prefix[0] != '/')
            precis_buf_putc(&p, '/');
        precis_buf_puts(&p, o->prefix);
        c.prefix = precis_buf_detach(&p);
    } else {
        c.prefix = precis_url_scope_dir(c.start);
    }
    precis_result r = PRECIS_OK;
    if (!precis_url_in_scope(c.start, c.origin, c.prefix)) {
        r = precis_error_set(err, PRECIS_ERR_USAGE, "%s is not under --prefix %s", c.start,
                             c.prefix);
        goto out;
    }
    st->site = site_name(c.origin, c.prefix);
    r = precis_index_begin_crawl(idx, st->site, c.start, c.origin, c.prefix, &c.site_id, &c.seq,
                                 err);
    if (r != PRECIS_OK)
        goto out;
    c.pattern_cap = o->pattern_cap > 0 ? o->pattern_cap
                                       : (o->max_pages / 50 > 20 ? o->max_pages / 50 : 20);
    c.loop = precis_loop_new();
    precis_strmap_init(&c.seen);
    precis_strmap_init(&c.indexed);
    precis_strmap_init(&c.etags);
    precis_strmap_init(&c.hashes);
    precis_strmap_init(&c.patterns);
    precis_strmap_init(&c.failed);
    c.robots = precis_robots_allow_all();
    precis_buf u;
    precis_buf_init(&u, 0);
    precis_buf_printf(&u, "%s/robots.txt", c.origin);
    enqueue(&c, ITEM_ROBOTS, u.ptr, 0, false);
    precis_buf_release(&u);
    double last_progress = 0;
    for (;;) {
        if (o->cancel && *o->cancel) {
            st->interrupted = true;
            break;
        }
        pump(&c);
        if (c.fatal || (c.nfl == 0 && (c.qhead == c.qlen || precis_now() < c.paused_until) &&
                        c.qhead == c.qlen))
            break;
        precis_loop_step(c.loop, NULL, 0, 200);
        st->queued = (long)(c.qlen - c.qhead);
        st->in_flight = (long)c.nfl;
        st->seconds = precis_now() - c.t0;
        if (o->on_progress && st->seconds - last_progress >= 0.1) {
            last_progress = st->seconds;
            o->on_progress(o->progress_ctx, st);
        }
    }
    while (c.nfl > 0) { /* interrupted or fatal: stop what is in flight */
        flight *f = c.fl[c.nfl - 1];
        precis_fetch_job_cancel(f->job);
        drop_flight(&c, f);
    }
    st->queued = (long)(c.qlen - c.qhead);
    st->in_flight = 0;
    bool complete = !st->interrupted && !st->capped && !c.fatal;
    long removed = 0;
    precis_error e;
    if (c.fatal && c.seq == 1) /* a first crawl that never started leaves no site behind */
        precis_index_remove_site(idx, c.site_id, &e);
    else if (precis_index_end_crawl(idx, c.site_id, c.seq, complete, &removed, &e) == PRECIS_OK)
        st->removed += removed;
    else if (!c.fatal)
        warn(&c, e.msg);
    /* a Ctrl-C wants out now: the next crawl finds the frame */
    if (!c.fatal && !st->interrupted &&
        precis_index_strip_template(idx, c.site_id, &st->template_lines,
                                    &st->template_sections, &e) != PRECIS_OK)
        warn(&c, e.msg);
    st->seconds = precis_now() - c.t0;
    r = c.fatal ? c.fatal_code : st->interrupted ? PRECIS_ERR_CANCELLED : PRECIS_OK;
    if (r == PRECIS_ERR_CANCELLED)
        precis_error_set(err, r, "interrupted: %ld pages indexed so far are kept",
                         st->added + st->changed + st->unchanged);
    for (size_t i = c.qhead; i < c.qlen; i++)
        free(c.q[i].url);
    free(c.q);
    free(c.fl);
    precis_strmap_release(&c.seen);
    precis_strmap_release(&c.indexed);
    precis_strmap_release(&c.etags);
    precis_strmap_release(&c.hashes);
    precis_strmap_release(&c.patterns);
    precis_strmap_release(&c.failed);
    precis_robots_free(c.robots);
    precis_loop_free(c.loop);
out:
    free(c.start);
    free(c.origin);
    free(c.prefix);
    return r;
}
