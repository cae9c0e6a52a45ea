/* The doc index on SQLite: schema, sites, pages and sections, and FTS5 search. */
#include "precis/index.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "index_internal.h"
#include "precis/datadir.h"
#include "precis/query.h"

#define SCHEMA_VERSION 3 /* 2: the vectors table; 3: template_lines */
#define PATH_SEP "\x1f"
#define PRF_DOCS 3   /* sections read for feedback */
#define COMMON_SHARE 0.1 /* a word in over 10% of sections: no loss in MRR, p95 13 -> 7 ms */
#define PRF_TERMS 0  /* expansion terms (0 = off); set from bench/search-eval.py figures */

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sites("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, start_url TEXT NOT NULL,"
    "  origin TEXT NOT NULL, prefix TEXT NOT NULL, created INTEGER NOT NULL,"
    "  last_crawl INTEGER NOT NULL DEFAULT 0, crawl_seq INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS pages("
    "  id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,"
    "  url TEXT NOT NULL, title TEXT, etag TEXT, last_modified TEXT, hash TEXT,"
    "  bytes INTEGER NOT NULL DEFAULT 0, fetched INTEGER NOT NULL, seen_seq INTEGER NOT NULL,"
    "  UNIQUE(site_id, url));"
    "CREATE TABLE IF NOT EXISTS sections("
    "  id INTEGER PRIMARY KEY, page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, anchor TEXT NOT NULL, path TEXT NOT NULL, level INTEGER NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS sections_page ON sections(page_id);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5("
    "  title, path, body, site UNINDEXED, tokenize = \"%s\");"
    "CREATE VIRTUAL TABLE IF NOT EXISTS sections_vocab USING fts5vocab(sections_fts, row);"
    "CREATE TABLE IF NOT EXISTS vectors("
    "  model TEXT NOT NULL, site_id INTEGER NOT NULL,"
    "  section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,"
    "  vec BLOB NOT NULL, PRIMARY KEY(model, site_id, section_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS vectors_section ON vectors(section_id);"
    "CREATE TABLE IF NOT EXISTS template_lines("
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE, line TEXT NOT NULL,"
    "  PRIMARY KEY(site_id, line)) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.feedback USING fts5(body, tokenize = \"%s\");"
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.feedback_vocab USING fts5vocab(temp, feedback, row);";

/* The FTS5 tokenizer of a new database: unicode61 (case and diacritics folded), with
 * '_' kept inside tokens so CURLOPT_URL and snake_case names stay whole. Porter
 * stemming measured worse with the shipped weights (bench/README.md);
 * $PRECIS_INDEX_TOKENIZER replaces it, for measuring alternatives. */
static const char *tokenizer(void)
{
    const char *e = getenv("PRECIS_INDEX_TOKENIZER");
    return e && *e && !strchr(e, '"') ? e : "unicode61 tokenchars '_'";
}

precis_result precis_index_db_error(precis_index *idx, precis_error *err, const char *what)
{
    int code = sqlite3_errcode(idx->db);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return precis_error_set(err, PRECIS_ERR_IO,
                                "index %s: the database is busy (another precis is writing "
                                "it); try again",
                                idx->path);
    return precis_error_set(err, PRECIS_ERR_IO, "index %s: %s: %s", idx->path, what,
                            sqlite3_errmsg(idx->db));
}

#define db_error precis_index_db_error

static bool exec(precis_index *idx, const char *sql)
{
    return sqlite3_exec(idx->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static sqlite3_stmt *prepare(precis_index *idx, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(idx->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? precis_xstrdup((const char *)t) : NULL;
}

char *precis_index_default_path(void)
{
    return precis_data_file("PRECIS_INDEX", "index.db");
}


/* Ends the transaction begun with BEGIN IMMEDIATE: commits when ok, else rolls back;
 * a failure of either is reported as what went wrong doing what. */
static precis_result end_tx(precis_index *idx, bool ok, const char *what, precis_error *err)
{
    if (!ok) {
        precis_result r = db_error(idx, err, what);
        exec(idx, "ROLLBACK");
        return r;
    }
    return exec(idx, "COMMIT") ? PRECIS_OK : db_error(idx, err, what);
}

static precis_result check_schema(precis_index *idx, precis_error *err)
{
    sqlite3_stmt *st = prepare(idx, "SELECT value FROM meta WHERE key = 'schema'");
    if (!st)
        return db_error(idx, err, "reading the schema version");
    int version = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = atoi((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (version > SCHEMA_VERSION)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "index %s was written by a newer precis (schema %d, this one "
                                "knows %d); upgrade precis or remove the file",
                                idx->path, version, SCHEMA_VERSION);
    /* 0: a new database; 1 or 2: made before the vectors or template_lines table, which
     * the schema script has just added (empty: a later `precis index` fills them). */
    if (version < SCHEMA_VERSION &&
        !exec(idx, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema', '3')"))
        return db_error(idx, err, "writing the schema version");
    return PRECIS_OK;
}

precis_result precis_index_open(const char *path, bool create, precis_index **out,
                                precis_error *err)
{
    *out = NULL;
    precis_index *idx = precis_xcalloc(1, sizeof *idx);
    idx->path = path ? precis_xstrdup(path) : precis_index_default_path();
    struct stat sb;
    if (!create && stat(idx->path, &sb) != 0) {
        precis_result r = precis_error_set(err, PRECIS_ERR_USAGE,
                                           "nothing indexed yet (%s does not exist); run "
                                           "'precis index URL' first",
                                           idx->path);
        precis_index_close(idx);
        return r;
    }
    if (create && !precis_make_parent_dirs(idx->path)) {
        precis_result r = precis_error_set(err, PRECIS_ERR_IO,
                                           "index %s: cannot create its directory: %s",
                                           idx->path, strerror(errno));
        precis_index_close(idx);
        return r;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    precis_result r = PRECIS_OK;
    if (sqlite3_open_v2(idx->path, &idx->db, flags, NULL) != SQLITE_OK) {
        r = db_error(idx, err, "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(idx->db, 10000);
    sqlite3_extended_result_codes(idx->db, 0);
    if (!exec(idx, "PRAGMA journal_mode=WAL") || !exec(idx, "PRAGMA synchronous=NORMAL") ||
        !exec(idx, "PRAGMA foreign_keys=ON")) {
        r = db_error(idx, err, "not a usable SQLite database");
        goto fail;
    }
    precis_buf ddl;
    precis_buf_init(&ddl, 0);
    precis_buf_printf(&ddl, schema, tokenizer(), tokenizer());
    bool made = exec(idx, ddl.ptr);
    precis_buf_release(&ddl);
    if (!made) {
        r = db_error(idx, err, "cannot set up the tables (is it a precis index?)");
        goto fail;
    }
    if ((r = check_schema(idx, err)) != PRECIS_OK)
        goto fail;
    *out = idx;
    return PRECIS_OK;
fail:
    precis_index_close(idx);
    return r;
}

void precis_index_close(precis_index *idx)
{
    if (!idx)
        return;
    if (idx->db)
        sqlite3_close(idx->db);
    free(idx->path);
    free(idx);
}

const char *precis_index_path(const precis_index *idx)
{
    return idx->path;
}

/* ---- sites ---- */

void precis_site_release(precis_site *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->start_url);
    free(s->origin);
    free(s->prefix);
    memset(s, 0, sizeof *s);
}

void precis_sites_free(precis_site *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        precis_site_release(&s[i]);
    free(s);
}

static const char site_columns[] =
    "SELECT s.id, s.name, s.start_url, s.origin, s.prefix, s.last_crawl,"
    " (SELECT count(*) FROM pages p WHERE p.site_id = s.id),"
    " (SELECT count(*) FROM sections x JOIN pages p ON p.id = x.page_id WHERE p.site_id = s.id),"
    " (SELECT coalesce(sum(bytes), 0) FROM pages p WHERE p.site_id = s.id)"
    " FROM sites s";

static void read_site(sqlite3_stmt *st, precis_site *s)
{
    s->id = sqlite3_column_int64(st, 0);
    s->name = col_text(st, 1);
    s->start_url = col_text(st, 2);
    s->origin = col_text(st, 3);
    s->prefix = col_text(st, 4);
    s->last_crawl = sqlite3_column_int64(st, 5);
    s->pages = (long)sqlite3_column_int64(st, 6);
    s->sections = (long)sqlite3_column_int64(st, 7);
    s->bytes = sqlite3_column_int64(st, 8);
}

precis_result precis_index_sites(precis_index *idx, precis_site **out, size_t *n,
                                 precis_error *err)
{
    *out = NULL;
    *n = 0;
    precis_buf sql;
    precis_buf_init(&sql, 0);
    precis_buf_printf(&sql, "%s ORDER BY s.last_crawl DESC, s.id", site_columns);
    sqlite3_stmt *st = prepare(idx, sql.ptr);
    precis_buf_release(&sql);
    if (!st)
        return db_error(idx, err, "listing sites");
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = precis_xrealloc(*out, cap * sizeof **out);
        }
        memset(&(*out)[*n], 0, sizeof **out);
        read_site(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        precis_sites_free(*out, *n);
        *out = NULL;
        *n = 0;
        return db_error(idx, err, "listing sites");
    }
    return PRECIS_OK;
}

/* Strips a trailing slash (and a scheme) so "https://x/docs/" and "x/docs" compare. */
static void comparable(const char *s, precis_buf *out)
{
    const char *p = strstr(s, "://");
    precis_buf_puts(out, p ? p + 3 : s);
    while (out->len > 0 && out->ptr[out->len - 1] == '/')
        out->ptr[--out->len] = '\0';
}

precis_result precis_index_find_site(precis_index *idx, const char *spec, precis_site *out,
                                     precis_error *err)
{
    memset(out, 0, sizeof *out);
    precis_site *all;
    size_t n;
    precis_result r = precis_index_sites(idx, &all, &n, err);
    if (r != PRECIS_OK)
        return r;
    precis_buf want, have;
    precis_buf_init(&want, 0);
    precis_buf_init(&have, 0);
    comparable(spec, &want);
    size_t best = n, best_len = 0;
    for (size_t i = 0; i < n && best == n; i++) { /* a name or start URL */
        precis_buf_reset(&have);
        comparable(all[i].start_url, &have);
        if (strcmp(all[i].name, spec) == 0 || strcmp(have.ptr ? have.ptr : "", want.ptr ? want.ptr : "") == 0)
            best = i;
    }
    if (best == n && strstr(spec, "://")) { /* a URL within a site's scope */
        for (size_t i = 0; i < n; i++) {
            size_t ol = strlen(all[i].origin);
            if (strncmp(spec, all[i].origin, ol) != 0)
                continue;
            const char *path = spec + ol;
            if (*path == '\0')
                path = "/";
            size_t pl = strlen(all[i].prefix);
            if (*path != '/' || strncmp(path, all[i].prefix, pl) != 0)
                continue;
            if (best == n || pl > best_len) {
                best = i;
                best_len = pl;
            }
        }
    }
    precis_buf_release(&want);
    precis_buf_release(&have);
    if (best == n) {
        precis_buf names;
        precis_buf_init(&names, 0);
        for (size_t i = 0; i < n; i++)
            precis_buf_printf(&names, "%s%s", i ? ", " : "", all[i].name);
        r = precis_error_set(err, PRECIS_ERR_USAGE,
                             n ? "no indexed site matches '%s'; indexed: %s"
                               : "no indexed site matches '%s'; nothing is indexed yet (run "
                                 "'precis index URL')%s",
                             spec, names.ptr ? names.ptr : "");
        precis_buf_release(&names);
        precis_sites_free(all, n);
        return r;
    }
    *out = all[best];
    memset(&all[best], 0, sizeof all[best]);
    precis_sites_free(all, n);
    return PRECIS_OK;
}

/* Deletes the FTS rows of the sections matching where (a clause on sections x). */
static bool delete_fts(precis_index *idx, const char *where, long long id)
{
    precis_buf sql;
    precis_buf_init(&sql, 0);
    precis_buf_printf(&sql,
                      "DELETE FROM sections_fts WHERE rowid IN (SELECT x.id FROM sections x "
                      "JOIN pages p ON p.id = x.page_id WHERE %s)",
                      where);
    sqlite3_stmt *st = prepare(idx, sql.ptr);
    precis_buf_release(&sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

static bool run1(precis_index *idx, const char *sql, long long id)
{
    sqlite3_stmt *st = prepare(idx, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

precis_result precis_index_remove_site(precis_index *idx, long long site_id, precis_error *err)
{
    if (!exec(idx, "BEGIN IMMEDIATE"))
        return db_error(idx, err, "removing a site");
    bool ok = delete_fts(idx, "p.site_id = ?1", site_id) &&
              run1(idx, "DELETE FROM sites WHERE id = ?1", site_id);
    return end_tx(idx, ok, "removing a site", err);
}

/* ---- crawling ---- */

precis_result precis_index_begin_crawl(precis_index *idx, const char *name,
                                       const char *start_url, const char *origin,
                                       const char *prefix, long long *site_id, long *seq,
                                       precis_error *err)
{
    sqlite3_stmt *st = prepare(idx,
                               "INSERT INTO sites(name, start_url, origin, prefix, created) "
                               "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO UPDATE "
                               "SET crawl_seq = crawl_seq + 1, start_url = excluded.start_url "
                               "RETURNING id, crawl_seq");
    if (!st)
        return db_error(idx, err, "starting a crawl");
    bind_text(st, 1, name);
    bind_text(st, 2, start_url);
    bind_text(st, 3, origin);
    bind_text(st, 4, prefix);
    sqlite3_bind_int64(st, 5, (long long)time(NULL));
    precis_result r = PRECIS_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *site_id = sqlite3_column_int64(st, 0);
        *seq = (long)sqlite3_column_int64(st, 1); /* 0 for a new site, else the next one */
    } else {
        r = db_error(idx, err, "starting a crawl");
    }
    sqlite3_finalize(st);
    if (r == PRECIS_OK && *seq == 0) {
        *seq = 1;
        if (!run1(idx, "UPDATE sites SET crawl_seq = 1 WHERE id = ?1", *site_id))
            r = db_error(idx, err, "starting a crawl");
    }
    return r;
}

void precis_index_page_release(precis_index_page *p)
{
    if (!p)
        return;
    free(p->etag);
    free(p->last_modified);
    free(p->hash);
    memset(p, 0, sizeof *p);
}

precis_result precis_index_page_get(precis_index *idx, long long site_id, const char *url,
                                    precis_index_page *out, precis_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(idx, "SELECT id, etag, last_modified, hash FROM pages "
                                    "WHERE site_id = ?1 AND url = ?2");
    if (!st)
        return db_error(idx, err, "reading a page");
    sqlite3_bind_int64(st, 1, site_id);
    bind_text(st, 2, url);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->found = true;
        out->id = sqlite3_column_int64(st, 0);
        out->etag = col_text(st, 1);
        out->last_modified = col_text(st, 2);
        out->hash = col_text(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(idx, err, "reading a page");
    return PRECIS_OK;
}

/* A 64-bit FNV-1a hash as 16 hex digits. */
static void hash_text(const char *s, size_t n, uint64_t *h)
{
    for (size_t i = 0; i < n; i++) {
        *h ^= (unsigned char)s[i];
        *h *= 1099511628211ULL;
    }
}

static void hex64(uint64_t h, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static void join_path(const precis_section *s, const char *sep, precis_buf *out)
{
    for (size_t i = 0; i < s->npath; i++) {
        if (i)
            precis_buf_puts(out, sep);
        precis_buf_puts(out, s->path[i]);
    }
    if (!out->ptr)
        precis_buf_puts(out, "");
}

precis_result precis_index_page_put(precis_index *idx, long long site_id, long seq,
                                    const char *url, const char *title, const char *etag,
                                    const char *last_modified,
                                    const precis_section *secs, size_t nsecs, bool *added,
                                    bool *changed, precis_error *err)
{
    uint64_t h = 1469598103934665603ULL;
    long long bytes = 0;
    hash_text(title ? title : "", title ? strlen(title) : 0, &h);
    for (size_t i = 0; i < nsecs; i++) {
        hash_text(secs[i].anchor, strlen(secs[i].anchor), &h);
        hash_text(secs[i].text, strlen(secs[i].text), &h);
        bytes += (long long)strlen(secs[i].text);
    }
    char page_hash[17];
    hex64(h, page_hash);
    precis_index_page old;
    precis_result r = precis_index_page_get(idx, site_id, url, &old, err);
    if (r != PRECIS_OK)
        return r;
    *added = !old.found;
    *changed = old.found && (!old.hash || strcmp(old.hash, page_hash) != 0);
    if (!exec(idx, "BEGIN IMMEDIATE")) {
        precis_index_page_release(&old);
        return db_error(idx, err, "storing a page");
    }
    bool ok = true;
    long long page_id = old.id;
    if (old.found && !*changed) {
        sqlite3_stmt *st = prepare(idx, "UPDATE pages SET etag = ?2, last_modified = ?3, "
                                        "fetched = ?5, seen_seq = ?6, title = ?7 "
                                        "WHERE id = ?1");
        ok = st != NULL;
        if (ok) {
            sqlite3_bind_int64(st, 1, page_id);
            bind_text(st, 2, etag);
            bind_text(st, 3, last_modified);
            sqlite3_bind_int64(st, 5, (long long)time(NULL));
            sqlite3_bind_int64(st, 6, seq);
            bind_text(st, 7, title);
            ok = sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
        goto done;
    }
    if (old.found)
        ok = delete_fts(idx, "x.page_id = ?1", page_id) &&
             run1(idx, "DELETE FROM sections WHERE page_id = ?1", page_id);
    if (ok) {
        sqlite3_stmt *st = prepare(idx,
                                   "INSERT INTO pages(site_id, url, title, etag, last_modified, "
                                   "hash, bytes, fetched, seen_seq) "
                                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?8, ?9, ?10) "
                                   "ON CONFLICT(site_id, url) DO UPDATE SET title = ?3, "
                                   "etag = ?4, last_modified = ?5, hash = ?6, "
                                   "bytes = ?8, fetched = ?9, seen_seq = ?10 RETURNING id");
        ok = st != NULL;
        if (ok) {
            sqlite3_bind_int64(st, 1, site_id);
            bind_text(st, 2, url);
            bind_text(st, 3, title);
            bind_text(st, 4, etag);
            bind_text(st, 5, last_modified);
            bind_text(st, 6, page_hash);
            sqlite3_bind_int64(st, 8, bytes);
            sqlite3_bind_int64(st, 9, (long long)time(NULL));
            sqlite3_bind_int64(st, 10, seq);
            ok = sqlite3_step(st) == SQLITE_ROW;
            if (ok)
                page_id = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
    }
    sqlite3_stmt *sec = ok ? prepare(idx, "INSERT INTO sections(page_id, ord, anchor, path, "
                                          "level, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
                           : NULL;
    sqlite3_stmt *fts = ok ? prepare(idx, "INSERT INTO sections_fts(rowid, title, path, body, "
                                          "site) VALUES(?1, ?2, ?3, ?4, ?5)")
                           : NULL;
    ok = ok && sec && fts;
    precis_strmap template;
    precis_strmap_init(&template);
    ok = ok && precis_index_template_load(idx, site_id, &template);
    precis_buf path, shown;
    precis_buf_init(&path, 0);
    precis_buf_init(&shown, 0);
    for (size_t i = 0; ok && i < nsecs; i++) {
        precis_buf_reset(&path);
        precis_buf_reset(&shown);
        join_path(&secs[i], PATH_SEP, &path);
        join_path(&secs[i], " > ", &shown);
        uint64_t sh = 1469598103934665603ULL;
        hash_text(secs[i].text, strlen(secs[i].text), &sh);
        char shex[17];
        hex64(sh, shex);
        sqlite3_reset(sec);
        sqlite3_bind_int64(sec, 1, page_id);
        sqlite3_bind_int64(sec, 2, (long long)i);
        bind_text(sec, 3, secs[i].anchor);
        bind_text(sec, 4, path.ptr);
        sqlite3_bind_int(sec, 5, secs[i].level);
        bind_text(sec, 6, shex);
        ok = sqlite3_step(sec) == SQLITE_DONE;
        if (!ok)
            break;
        long long sid = sqlite3_last_insert_rowid(idx->db);
        sqlite3_reset(fts);
        sqlite3_bind_int64(fts, 1, sid);
        bind_text(fts, 2, title ? title : "");
        bind_text(fts, 3, shown.ptr);
        char *kept = precis_index_template_apply(&template, secs[i].text);
        bind_text(fts, 4, kept ? kept : secs[i].text);
        sqlite3_bind_int64(fts, 5, site_id);
        ok = sqlite3_step(fts) == SQLITE_DONE;
        free(kept);
    }
    precis_strmap_release(&template);
    precis_buf_release(&path);
    precis_buf_release(&shown);
    sqlite3_finalize(sec);
    sqlite3_finalize(fts);
done:
    precis_index_page_release(&old);
    return end_tx(idx, ok, "storing a page", err);
}

precis_result precis_index_page_seen(precis_index *idx, long long page_id, long seq,
                                     precis_error *err)
{
    sqlite3_stmt *st = prepare(idx, "UPDATE pages SET seen_seq = ?2, fetched = ?3 WHERE id = ?1");
    if (!st)
        return db_error(idx, err, "updating a page");
    sqlite3_bind_int64(st, 1, page_id);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_int64(st, 3, (long long)time(NULL));
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok ? PRECIS_OK : db_error(idx, err, "updating a page");
}

precis_result precis_index_page_remove(precis_index *idx, long long site_id, const char *url,
                                       bool *removed, precis_error *err)
{
    *removed = false;
    precis_index_page p;
    precis_result r = precis_index_page_get(idx, site_id, url, &p, err);
    if (r != PRECIS_OK || !p.found) {
        precis_index_page_release(&p);
        return r;
    }
    bool ok = exec(idx, "BEGIN IMMEDIATE") && delete_fts(idx, "x.page_id = ?1", p.id) &&
              run1(idx, "DELETE FROM pages WHERE id = ?1", p.id);
    precis_index_page_release(&p);
    r = end_tx(idx, ok, "removing a page", err);
    *removed = r == PRECIS_OK;
    return r;
}

precis_result precis_index_end_crawl(precis_index *idx, long long site_id, long seq,
                                     bool complete, long *removed, precis_error *err)
{
    *removed = 0;
    if (!exec(idx, "BEGIN IMMEDIATE"))
        return db_error(idx, err, "finishing the crawl");
    bool ok = true;
    if (complete) {
        sqlite3_stmt *st = prepare(idx, "SELECT count(*) FROM pages WHERE site_id = ?1 AND "
                                        "seen_seq <> ?2");
        ok = st != NULL;
        if (ok) {
            sqlite3_bind_int64(st, 1, site_id);
            sqlite3_bind_int64(st, 2, seq);
            if (sqlite3_step(st) == SQLITE_ROW)
                *removed = (long)sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        precis_buf where;
        precis_buf_init(&where, 0);
        precis_buf_printf(&where, "p.site_id = ?1 AND p.seen_seq <> %ld", seq);
        ok = ok && delete_fts(idx, where.ptr, site_id);
        precis_buf_release(&where);
        if (ok) {
            st = prepare(idx, "DELETE FROM pages WHERE site_id = ?1 AND seen_seq <> ?2");
            ok = st != NULL;
            if (ok) {
                sqlite3_bind_int64(st, 1, site_id);
                sqlite3_bind_int64(st, 2, seq);
                ok = sqlite3_step(st) == SQLITE_DONE;
                sqlite3_finalize(st);
            }
        }
    }
    if (ok) {
        sqlite3_stmt *st = prepare(idx, "UPDATE sites SET last_crawl = ?2 WHERE id = ?1");
        ok = st != NULL;
        if (ok) {
            sqlite3_bind_int64(st, 1, site_id);
            sqlite3_bind_int64(st, 2, (long long)time(NULL));
            ok = sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
    }
    precis_result r = end_tx(idx, ok, "finishing the crawl", err);
    if (r == PRECIS_OK)
        exec(idx, "PRAGMA wal_checkpoint(TRUNCATE)"); /* best effort: readers may hold it */
    return r;
}

precis_result precis_index_page_urls(precis_index *idx, long long site_id,
                                     void (*fn)(void *ctx, const char *url), void *ctx,
                                     precis_error *err)
{
    sqlite3_stmt *st = prepare(idx, "SELECT url FROM pages WHERE site_id = ?1 ORDER BY id");
    if (!st)
        return db_error(idx, err, "listing pages");
    sqlite3_bind_int64(st, 1, site_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? PRECIS_OK : db_error(idx, err, "listing pages");
}

/* ---- searching ---- */

void precis_hits_free(precis_hit *hits, size_t n)
{
    for (size_t i = 0; hits && i < n; i++) {
        free(hits[i].page);
        free(hits[i].anchor);
        free(hits[i].title);
        for (size_t j = 0; j < hits[i].npath; j++)
            free(hits[i].path[j]);
        free(hits[i].path);
        free(hits[i].snippet);
        free(hits[i].site);
    }
    free(hits);
}

static void split_path(const char *joined, precis_hit *h)
{
    h->npath = 0;
    h->path = NULL;
    if (!joined || !*joined)
        return;
    size_t cap = 1;
    for (const char *p = joined; *p; p++)
        cap += *p == PATH_SEP[0];
    h->path = precis_xcalloc(cap, sizeof *h->path);
    const char *s = joined;
    for (;;) {
        const char *e = strchr(s, PATH_SEP[0]);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        h->path[h->npath++] = precis_xstrndup(s, n);
        if (!e)
            break;
        s = e + 1;
    }
}

/* A ranking setting from the environment (for the benchmarks), else fallback. */
static double env_number(const char *name, double fallback)
{
    const char *e = getenv(name);
    return e && *e ? atof(e) : fallback;
}

/* Weights of title, heading path and body in bm25 ($PRECIS_RANK_WEIGHTS "t,p,b" lets
 * the benchmarks compare settings). */
static void rank_weights(double w[3])
{
    w[0] = 2.0; /* measured on bench/questions: see bench/README.md */
    w[1] = 2.0;
    w[2] = 3.0;
    const char *e = getenv("PRECIS_RANK_WEIGHTS");
    if (e && *e) {
        double a, b, c;
        if (sscanf(e, "%lf,%lf,%lf", &a, &b, &c) == 3) {
            w[0] = a;
            w[1] = b;
            w[2] = c;
        }
    }
}

typedef struct candidate {
    long long id;
    double score;
} candidate;

/* Fills h with the details of section id for the query q. */
static bool hit_details(precis_index *idx, sqlite3_stmt *st, const char *q, const candidate *c,
                        precis_hit *h)
{
    sqlite3_reset(st);
    bind_text(st, 1, q);
    sqlite3_bind_int64(st, 2, c->id);
    if (sqlite3_step(st) != SQLITE_ROW)
        return false;
    (void)idx;
    h->section_id = c->id;
    h->score = c->score;
    h->page = col_text(st, 0);
    h->anchor = col_text(st, 1);
    h->title = col_text(st, 2);
    char *joined = col_text(st, 3);
    split_path(joined, h);
    free(joined);
    h->snippet = col_text(st, 4);
    h->site = col_text(st, 5);
    if (!h->snippet || !strchr(h->snippet, '\x01')) { /* matched in the title or path */
        free(h->snippet);
        h->snippet = col_text(st, 6);
    }
    if (!h->anchor)
        h->anchor = precis_xstrdup("");
    if (!h->snippet)
        h->snippet = precis_xstrdup("");
    return true;
}

/* Pseudo-relevance feedback ($PRECIS_RANK_PRF: the number of expansion terms, 0 = off):
 * the best few sections of a first pass are read through the index's own tokenizer
 * (a temporary FTS5 table), their terms weighted by frequency there times rarity in the
 * whole index, and the strongest ones are added to the query, which keeps its own
 * terms twice as heavy (each is written twice; bm25 adds a phrase per mention). */
static long prf_terms(void)
{
    return (long)env_number("PRECIS_RANK_PRF", PRF_TERMS);
}

typedef struct prf_term {
    char *term;
    double weight;
} prf_term;

static int by_weight(const void *a, const void *b)
{
    const prf_term *x = a, *y = b;
    return x->weight < y->weight ? 1 : x->weight > y->weight ? -1 : strcmp(x->term, y->term);
}

/* Appends up to nterms expansion terms for the feedback sections ids[0..n) to q. */
static void expand_query(precis_index *idx, const char *text, const long long *ids, size_t n,
                         long nterms, precis_buf *q)
{
    if (!exec(idx, "DELETE FROM temp.feedback"))
        return;
    sqlite3_stmt *get = prepare(idx, "SELECT body FROM sections_fts WHERE rowid = ?1");
    sqlite3_stmt *put = prepare(idx, "INSERT INTO temp.feedback(rowid, body) VALUES(?1, ?2)");
    if (!get || !put)
        goto out;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(get);
        sqlite3_bind_int64(get, 1, ids[i]);
        if (sqlite3_step(get) != SQLITE_ROW)
            continue;
        sqlite3_reset(put);
        sqlite3_bind_int64(put, 1, (long long)i + 1);
        sqlite3_bind_value(put, 2, sqlite3_column_value(get, 0));
        sqlite3_step(put);
    }
    sqlite3_reset(put);
    sqlite3_bind_int64(put, 1, (long long)n + 1); /* the query itself, to leave its terms out */
    bind_text(put, 2, text);
    sqlite3_step(put);
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    get = put = NULL;
    double total = 0;
    sqlite3_stmt *count = prepare(idx, "SELECT count(*) FROM sections");
    if (count && sqlite3_step(count) == SQLITE_ROW)
        total = (double)sqlite3_column_int64(count, 0);
    sqlite3_finalize(count);
    sqlite3_stmt *terms = prepare(idx, "SELECT f.term, f.doc, f.cnt, v.doc FROM "
                                       "temp.feedback_vocab f JOIN sections_vocab v "
                                       "ON v.term = f.term");
    sqlite3_stmt *in_query = prepare(idx, "SELECT 1 FROM temp.feedback WHERE feedback MATCH ?1 "
                                          "AND rowid = ?2");
    if (!terms || !in_query || total < 1) {
        sqlite3_finalize(terms);
        sqlite3_finalize(in_query);
        goto out;
    }
    prf_term *v = NULL;
    size_t nv = 0, cap = 0;
    precis_buf phrase;
    precis_buf_init(&phrase, 0);
    while (sqlite3_step(terms) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(terms, 0);
        long in_docs = (long)sqlite3_column_int64(terms, 1);
        long tf = (long)sqlite3_column_int64(terms, 2);
        double df = (double)sqlite3_column_int64(terms, 3);
        if (!t || strlen(t) < 3 || in_docs < 2 || df < 2 || !isalpha((unsigned char)t[0]) ||
            precis_query_is_stopword(t, strlen(t)))
            continue;
        precis_buf_reset(&phrase);
        precis_buf_printf(&phrase, "\"%s\"", t);
        sqlite3_reset(in_query);
        bind_text(in_query, 1, phrase.ptr);
        sqlite3_bind_int64(in_query, 2, (long long)n + 1);
        if (sqlite3_step(in_query) == SQLITE_ROW)
            continue; /* already a query term */
        if (nv == cap) {
            cap = cap ? cap * 2 : 64;
            v = precis_xrealloc(v, cap * sizeof *v);
        }
        v[nv].term = precis_xstrdup(t);
        v[nv].weight = (double)tf * log(total / df);
        nv++;
    }
    sqlite3_finalize(terms);
    sqlite3_finalize(in_query);
    precis_buf_release(&phrase);
    qsort(v, nv, sizeof *v, by_weight);
    if (nv > 0) {
        precis_buf orig;
        precis_buf_init(&orig, 0);
        precis_buf_append(&orig, q->ptr, q->len);
        precis_buf_puts(q, " OR ");
        precis_buf_append(q, orig.ptr, orig.len);
        precis_buf_release(&orig);
    }
    for (size_t i = 0; i < nv && (long)i < nterms; i++)
        precis_buf_printf(q, " OR \"%s\"", v[i].term); /* stems: letters only, no quotes */
    for (size_t i = 0; i < nv; i++)
        free(v[i].term);
    free(v);
out:
    sqlite3_finalize(get);
    sqlite3_finalize(put);
}

/* A further length normalisation on top of bm25's own ($PRECIS_RANK_LENGTH: gamma, 0 =
 * off): score - gamma * ln(1 + bytes / 1000), over the best 50. Measured, off. */
static double length_gamma(void)
{
    return env_number("PRECIS_RANK_LENGTH", 0.0);
}

static int by_score(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    return x->score < y->score ? 1 : x->score > y->score ? -1 : (x->id > y->id) - (x->id < y->id);
}

/* Runs the ranking query q; fills c[0..want) and returns the count (or -1 on error). */
static long rank_pass(precis_index *idx, const char *q, long long site_id, candidate *c,
                      size_t want)
{
    double w[3];
    rank_weights(w);
    double gamma = length_gamma();
    size_t fetch = gamma != 0 && want < 50 ? 50 : want;
    char sql[600];
    snprintf(sql, sizeof sql, /* the FTS table alone: no join slows the ranking */
             "SELECT rowid, bm25(sections_fts, %g, %g, %g) AS rank, %s FROM sections_fts "
             "WHERE sections_fts MATCH ?1 %s ORDER BY rank LIMIT ?3",
             w[0], w[1], w[2], gamma != 0 ? "length(body)" : "0",
             site_id ? "AND site = ?2" : "");
    sqlite3_stmt *st = prepare(idx, sql);
    if (!st)
        return -1;
    bind_text(st, 1, q);
    if (site_id)
        sqlite3_bind_int64(st, 2, site_id);
    sqlite3_bind_int64(st, 3, (long long)fetch);
    candidate *all = fetch > want ? precis_xcalloc(fetch, sizeof *all) : c;
    long nc = 0;
    int rc = SQLITE_DONE;
    while ((size_t)nc < fetch && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        all[nc].id = sqlite3_column_int64(st, 0);
        all[nc].score = -sqlite3_column_double(st, 1);
        if (gamma != 0)
            all[nc].score -= gamma * log(1.0 + (double)sqlite3_column_int64(st, 2) / 1000.0);
        nc++;
    }
    sqlite3_finalize(st);
    if (gamma != 0)
        qsort(all, (size_t)nc, sizeof *all, by_score);
    if (all != c) {
        if ((size_t)nc > want)
            nc = (long)want;
        memcpy(c, all, (size_t)nc * sizeof *c);
        free(all);
    }
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? nc : -1;
}

/* How common a term may be ($PRECIS_RANK_COMMON: a share of all sections; 0 = keep
 * every term) before a query of several words leaves it out. */
static double common_share(void)
{
    return env_number("PRECIS_RANK_COMMON", COMMON_SHARE);
}

typedef struct common_ctx {
    sqlite3_stmt *df;
    double limit;
} common_ctx;

static bool is_common(void *ctx, const char *word, size_t n)
{
    common_ctx *cc = ctx;
    char lower[128];
    if (n >= sizeof lower)
        return false;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)word[i]);
    lower[n] = '\0';
    sqlite3_reset(cc->df);
    sqlite3_bind_text(cc->df, 1, lower, (int)n, SQLITE_TRANSIENT);
    return sqlite3_step(cc->df) == SQLITE_ROW &&
           (double)sqlite3_column_int64(cc->df, 0) > cc->limit;
}

/* Builds the FTS5 query for text, leaving out words that too many sections hold. */
static size_t build_query(precis_index *idx, const char *text, precis_buf *q)
{
    double share = common_share();
    common_ctx cc = {NULL, 0};
    if (share > 0) {
        sqlite3_stmt *count = prepare(idx, "SELECT count(*) FROM sections");
        if (count && sqlite3_step(count) == SQLITE_ROW)
            cc.limit = share * (double)sqlite3_column_int64(count, 0);
        sqlite3_finalize(count);
        if (cc.limit >= 50)
            cc.df = prepare(idx, "SELECT doc FROM sections_vocab WHERE term = ?1");
    }
    size_t terms = precis_query_build_filtered(text, cc.df ? is_common : NULL, &cc, q);
    sqlite3_finalize(cc.df);
    return terms;
}

/* The details of every hit: the user's words q highlighted, else the ranking query's. */
static const char details_sql[] =
    "SELECT p.url, x.anchor, p.title, x.path, "
    "snippet(sections_fts, 2, char(1), char(2), '…', 24), s.name, "
    "substr(f.body, 1, 240) FROM sections_fts f "
    "JOIN sections x ON x.id = f.rowid JOIN pages p ON "
    "p.id = x.page_id JOIN sites s ON s.id = p.site_id "
    "WHERE sections_fts MATCH ?1 AND f.rowid = ?2";

/* The same for a section the query does not match (found by its vector): no highlight. */
static const char plain_details_sql[] =
    "SELECT p.url, x.anchor, p.title, x.path, NULL, s.name, "
    "substr(f.body, 1, 240) FROM sections_fts f "
    "JOIN sections x ON x.id = f.rowid JOIN pages p ON "
    "p.id = x.page_id JOIN sites s ON s.id = p.site_id "
    "WHERE ?1 IS NOT NULL AND f.rowid = ?2";

/* Ranks by bm25: the query for text (into orig, the user's words) plus, at half their
 * weight, the words of extra (may be NULL), then pseudo-relevance feedback when it is
 * on (into q). Fills c[0..want) and returns the count, or -1 on a database error; 0
 * when text has no words. */
static long bm25_rank(precis_index *idx, const char *text, const char *extra,
                      long long site_id, size_t want, candidate *c, precis_buf *orig,
                      precis_buf *q)
{
    if (build_query(idx, text, orig) == 0 || want == 0)
        return 0;
    precis_buf_append(q, orig->ptr, orig->len);
    precis_buf more;
    precis_buf_init(&more, 0);
    if (extra && build_query(idx, extra, &more) > 0) /* each own word counts twice */
        precis_buf_printf(q, " OR %s OR %s", orig->ptr, more.ptr);
    precis_buf_release(&more);
    long expand = prf_terms();
    size_t first = expand > 0 && want < PRF_DOCS ? PRF_DOCS : want;
    candidate *all = first > want ? precis_xcalloc(first, sizeof *all) : c;
    long nc = rank_pass(idx, q->ptr, site_id, all, first);
    if (nc >= (long)PRF_DOCS && expand > 0) {
        long long ids[PRF_DOCS];
        for (size_t i = 0; i < PRF_DOCS; i++)
            ids[i] = all[i].id;
        expand_query(idx, text, ids, PRF_DOCS, expand, q);
        nc = rank_pass(idx, q->ptr, site_id, all, first);
    }
    if (all != c) {
        if (nc > (long)want)
            nc = (long)want;
        if (nc > 0)
            memcpy(c, all, (size_t)nc * sizeof *c);
        free(all);
    }
    return nc;
}

/* Fills hits[0..) with the details of c[0..nc): highlighted by orig, else by q, else (a
 * section no query word matches) with the start of its text. Returns the count. */
static size_t details(precis_index *idx, const char *orig, const char *q, const candidate *c,
                      long nc, precis_hit *hits)
{
    sqlite3_stmt *det = prepare(idx, details_sql);
    sqlite3_stmt *plain = prepare(idx, plain_details_sql);
    size_t n = 0;
    for (long i = 0; det && plain && i < nc; i++)
        if ((orig && hit_details(idx, det, orig, &c[i], &hits[n])) ||
            (q && hit_details(idx, det, q, &c[i], &hits[n])) ||
            hit_details(idx, plain, "", &c[i], &hits[n]))
            n++;
    sqlite3_finalize(det);
    sqlite3_finalize(plain);
    return n;
}

precis_result precis_index_search_terms(precis_index *idx, const char *text, const char *extra,
                                        long long site_id, size_t k, precis_hit **hits,
                                        size_t *n, precis_error *err)
{
    *hits = NULL;
    *n = 0;
    precis_buf orig, q;
    precis_buf_init(&orig, 0);
    precis_buf_init(&q, 0);
    candidate *c = precis_xcalloc(k ? k : 1, sizeof *c);
    long nc = bm25_rank(idx, text, extra, site_id, k, c, &orig, &q);
    if (nc > 0) {
        *hits = precis_xcalloc((size_t)nc, sizeof **hits);
        *n = details(idx, orig.ptr, q.ptr, c, nc, *hits);
    }
    free(c);
    precis_buf_release(&orig);
    precis_buf_release(&q);
    return nc < 0 ? db_error(idx, err, "searching") : PRECIS_OK;
}

precis_result precis_index_search(precis_index *idx, const char *text, long long site_id,
                                  size_t k, precis_hit **hits, size_t *n, precis_error *err)
{
    return precis_index_search_terms(idx, text, NULL, site_id, k, hits, n, err);
}

precis_result precis_index_rank(precis_index *idx, const char *text, const char *extra,
                                long long site_id, size_t k, long long *ids, size_t *n,
                                precis_error *err)
{
    *n = 0;
    precis_buf orig, q;
    precis_buf_init(&orig, 0);
    precis_buf_init(&q, 0);
    candidate *c = precis_xcalloc(k ? k : 1, sizeof *c);
    long nc = bm25_rank(idx, text, extra, site_id, k, c, &orig, &q);
    for (long i = 0; i < nc; i++)
        ids[(*n)++] = c[i].id;
    free(c);
    precis_buf_release(&orig);
    precis_buf_release(&q);
    return nc < 0 ? db_error(idx, err, "searching") : PRECIS_OK;
}

precis_result precis_index_hits(precis_index *idx, const char *text, const long long *ids,
                                const double *scores, size_t k, precis_hit **hits, size_t *n,
                                precis_error *err)
{
    (void)err;
    *hits = NULL;
    *n = 0;
    if (k == 0)
        return PRECIS_OK;
    precis_buf orig;
    precis_buf_init(&orig, 0);
    build_query(idx, text, &orig);
    candidate *c = precis_xcalloc(k, sizeof *c);
    for (size_t i = 0; i < k; i++) {
        c[i].id = ids[i];
        c[i].score = scores[i];
    }
    *hits = precis_xcalloc(k, sizeof **hits);
    *n = details(idx, orig.len ? orig.ptr : NULL, NULL, c, (long)k, *hits);
    free(c);
    precis_buf_release(&orig);
    return PRECIS_OK;
}

precis_result precis_index_section_text(precis_index *idx, long long section_id, precis_buf *out,
                                        precis_error *err)
{
    sqlite3_stmt *st = prepare(idx, "SELECT body FROM sections_fts WHERE rowid = ?1");
    if (!st)
        return db_error(idx, err, "reading a section");
    sqlite3_bind_int64(st, 1, section_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (t)
            precis_buf_puts(out, (const char *)t);
    }
    sqlite3_finalize(st);
    return PRECIS_OK;
}
