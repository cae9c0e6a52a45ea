/* A site's template in the index: a line of prose that stands on most pages of a
 * site ("Was this page helpful?", an edition notice, a licence line the extraction
 * kept) is the site's frame, not a page's content. After a crawl the lines of every
 * section are counted by the pages they stand on; those on at least TEMPLATE_SHARE
 * of the pages are remembered for the site and left out of the indexed text, now
 * and in pages indexed later. Code blocks are never counted: the same #include or
 * return-value line on half the pages of an API reference is content. */
#include <stdlib.h>
#include <string.h>

#include "index_internal.h"
#include "precis/strmap.h"

#define TEMPLATE_SHARE 0.6
#define TEMPLATE_MIN_PAGES 10
/* Lines shorter or longer than these (bytes, whitespace collapsed) never count. */
#define LINE_MIN 12
#define LINE_MAX 300

/* Calls fn on each line of body outside ``` fences, whitespace collapsed and
 * trimmed into tmp, with the line's span in body. */
typedef void (*line_fn)(void *ctx, const char *norm, const char *start, const char *end);

static void each_prose_line(const char *body, precis_buf *tmp, line_fn fn, void *ctx)
{
    bool fenced = false;
    for (const char *p = body; *p;) {
        const char *end = strchr(p, '\n');
        if (!end)
            end = p + strlen(p);
        const char *s = p;
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        if (end - s >= 3 && !strncmp(s, "```", 3)) {
            fenced = !fenced;
        } else if (!fenced) {
            precis_buf_reset(tmp);
            bool space = false;
            for (const char *q = s; q < end; q++) {
                bool ws = *q == ' ' || *q == '\t' || *q == '\r';
                if (ws) {
                    space = tmp->len > 0;
                    continue;
                }
                if (space)
                    precis_buf_putc(tmp, ' ');
                space = false;
                precis_buf_putc(tmp, *q);
            }
            precis_buf_putc(tmp, '\0');
            size_t n = tmp->len - 1;
            if (n >= LINE_MIN && n <= LINE_MAX)
                fn(ctx, tmp->ptr, p, end);
        }
        p = *end ? end + 1 : end;
    }
}

/* --- counting --- */

typedef struct counter {
    precis_strmap on_page; /* lines of the current page */
    precis_strmap pages;   /* line -> pages it stands on */
} counter;

static void count_line(void *ctx, const char *norm, const char *start, const char *end)
{
    (void)start;
    (void)end;
    counter *c = ctx;
    bool added = false;
    precis_strmap_put(&c->on_page, norm, &added);
    if (added)
        (*precis_strmap_put(&c->pages, norm, NULL))++;
}

/* --- filtering --- */

typedef struct filter {
    const precis_strmap *template;
    const char *copied; /* body up to here is in out */
    precis_buf *out;
    size_t dropped;
} filter;

static void drop_line(void *ctx, const char *norm, const char *start, const char *end)
{
    filter *f = ctx;
    if (!precis_strmap_get(f->template, norm))
        return;
    precis_buf_append(f->out, f->copied, (size_t)(start - f->copied));
    f->copied = *end ? end + 1 : end;
    f->dropped++;
}

/* Writes body without the template's lines into out; returns the lines left out. */
static size_t filter_body(const precis_strmap *template, const char *body, precis_buf *out)
{
    precis_buf tmp;
    precis_buf_init(&tmp, 0);
    precis_buf_reset(out);
    filter f = {template, body, out, 0};
    each_prose_line(body, &tmp, drop_line, &f);
    precis_buf_append(out, f.copied, strlen(f.copied));
    precis_buf_putc(out, '\0');
    precis_buf_release(&tmp);
    return f.dropped;
}

bool precis_index_template_load(precis_index *idx, long long site_id, precis_strmap *m)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(idx->db, "SELECT line FROM template_lines WHERE site_id = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(st, 1, site_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        precis_strmap_put(m, (const char *)sqlite3_column_text(st, 0), NULL);
    sqlite3_finalize(st);
    return true;
}

char *precis_index_template_apply(const precis_strmap *template, const char *text)
{
    if (template->count == 0)
        return NULL;
    precis_buf b;
    precis_buf_init(&b, 0);
    char *out = filter_body(template, text, &b) > 0 ? precis_buf_detach(&b) : NULL;
    precis_buf_release(&b);
    return out;
}

/* Counts every prose line of the site's sections by the pages it stands on. */
static bool count_site(precis_index *idx, long long site_id, counter *c, long *pages)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(idx->db, "SELECT s.page_id, f.body FROM sections s "
                                    "JOIN pages p ON p.id = s.page_id "
                                    "JOIN sections_fts f ON f.rowid = s.id "
                                    "WHERE p.site_id = ?1 ORDER BY s.page_id", -1, &st,
                           NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(st, 1, site_id);
    long long page = -1;
    precis_buf tmp;
    precis_buf_init(&tmp, 0);
    *pages = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long pid = sqlite3_column_int64(st, 0);
        if (pid != page) {
            precis_strmap_release(&c->on_page);
            precis_strmap_init(&c->on_page);
            page = pid;
            (*pages)++;
        }
        const char *body = (const char *)sqlite3_column_text(st, 1);
        if (body)
            each_prose_line(body, &tmp, count_line, c);
    }
    precis_buf_release(&tmp);
    return sqlite3_finalize(st) == SQLITE_OK;
}

/* Adds the lines of c that stand on enough pages to the site's template. */
static bool remember(precis_index *idx, long long site_id, const counter *c, long pages,
                     precis_strmap *template, long *added)
{
    long need = (long)(TEMPLATE_SHARE * (double)pages + 0.999);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(idx->db, "INSERT OR IGNORE INTO template_lines(site_id, line) "
                                    "VALUES(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < c->pages.slots; i++) {
        const char *line = c->pages.keys[i];
        if (!line || c->pages.values[i] < need)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, site_id);
        sqlite3_bind_text(st, 2, line, -1, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE;
        *added += sqlite3_changes(idx->db) > 0;
        precis_strmap_put(template, line, NULL);
    }
    sqlite3_finalize(st);
    return ok;
}

/* Rewrites the bodies of the site's sections that hold template lines. */
static bool rewrite(precis_index *idx, long long site_id, const precis_strmap *template,
                    long *sections)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    bool ok = sqlite3_prepare_v2(idx->db, "SELECT s.id, f.body FROM sections s "
                                          "JOIN pages p ON p.id = s.page_id "
                                          "JOIN sections_fts f ON f.rowid = s.id "
                                          "WHERE p.site_id = ?1", -1, &sel, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(idx->db, "UPDATE sections_fts SET body = ?2 WHERE rowid = ?1",
                                 -1, &upd, NULL) == SQLITE_OK;
    if (ok)
        sqlite3_bind_int64(sel, 1, site_id);
    precis_buf out;
    precis_buf_init(&out, 0);
    while (ok && sqlite3_step(sel) == SQLITE_ROW) {
        const char *body = (const char *)sqlite3_column_text(sel, 1);
        if (!body || filter_body(template, body, &out) == 0)
            continue;
        sqlite3_reset(upd);
        sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_text(upd, 2, out.ptr, -1, SQLITE_STATIC);
        ok = sqlite3_step(upd) == SQLITE_DONE;
        (*sections)++;
    }
    precis_buf_release(&out);
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return ok;
}

precis_result precis_index_strip_template(precis_index *idx, long long site_id, long *lines,
                                          long *sections, precis_error *err)
{
    *lines = 0;
    *sections = 0;
    counter c;
    precis_strmap_init(&c.on_page);
    precis_strmap_init(&c.pages);
    precis_strmap template;
    precis_strmap_init(&template);
    long pages = 0;
    bool ok = sqlite3_exec(idx->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    bool began = ok;
    ok = ok && count_site(idx, site_id, &c, &pages);
    if (ok && pages >= TEMPLATE_MIN_PAGES) {
        ok = remember(idx, site_id, &c, pages, &template, lines) &&
             precis_index_template_load(idx, site_id, &template) &&
             (template.count == 0 || rewrite(idx, site_id, &template, sections));
    }
    precis_strmap_release(&c.on_page);
    precis_strmap_release(&c.pages);
    precis_strmap_release(&template);
    if (began)
        sqlite3_exec(idx->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    return ok ? PRECIS_OK : precis_index_db_error(idx, err, "finding the site's template");
}
