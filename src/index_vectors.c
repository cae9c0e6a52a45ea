/* The vectors table of the doc index: sections still to embed, storing their vectors,
 * and the brute-force cosine search over a site's vectors. */
#include <stdlib.h>
#include <string.h>

#include "index_internal.h"
#include "precis/vectors.h"

precis_result precis_index_unembedded(precis_index *idx, long long site_id, const char *model,
                                      size_t max, long long **ids, char ***texts, size_t *n,
                                      precis_error *err)
{
    *ids = NULL;
    *texts = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(idx->db,
                           "SELECT x.id, CASE WHEN f.path <> '' THEN f.path ELSE f.title END "
                           "|| char(10) || substr(f.body, 1, 2000) "
                           "FROM sections x JOIN pages p ON p.id = x.page_id "
                           "JOIN sections_fts f ON f.rowid = x.id "
                           "WHERE p.site_id = ?1 AND NOT EXISTS (SELECT 1 FROM vectors v "
                           "WHERE v.model = ?2 AND v.site_id = ?1 AND v.section_id = x.id) "
                           "ORDER BY x.id LIMIT ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return precis_index_db_error(idx, err, "listing sections to embed");
    sqlite3_bind_int64(st, 1, site_id);
    sqlite3_bind_text(st, 2, model, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (long long)max);
    *ids = precis_xcalloc(max ? max : 1, sizeof **ids);
    *texts = precis_xcalloc(max ? max : 1, sizeof **texts);
    int rc;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 1);
        (*ids)[*n] = sqlite3_column_int64(st, 0);
        (*texts)[*n] = precis_xstrdup(t ? (const char *)t : "");
        (*n)++;
    }
    sqlite3_finalize(st);
    if (*n < max && rc != SQLITE_DONE) {
        precis_index_texts_free(*ids, *texts, *n);
        *ids = NULL;
        *texts = NULL;
        *n = 0;
        return precis_index_db_error(idx, err, "listing sections to embed");
    }
    return PRECIS_OK;
}

void precis_index_texts_free(long long *ids, char **texts, size_t n)
{
    for (size_t i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    free(ids);
}

precis_result precis_index_vectors_put(precis_index *idx, long long site_id, const char *model,
                                       const long long *ids, const float *vecs, size_t n,
                                       size_t dim, precis_error *err)
{
    if (sqlite3_exec(idx->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return precis_index_db_error(idx, err, "storing vectors");
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(idx->db,
                                 "INSERT OR REPLACE INTO vectors(model, site_id, section_id, vec) "
                                 "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS "
                                 "(SELECT 1 FROM sections WHERE id = ?3)",
                                 -1, &st, NULL) == SQLITE_OK;
    unsigned char *blob = precis_xcalloc(dim ? dim : 1, 4);
    for (size_t i = 0; ok && i < n; i++) {
        precis_vec_encode(vecs + i * dim, dim, blob);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, model, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, site_id);
        sqlite3_bind_int64(st, 3, ids[i]);
        sqlite3_bind_blob(st, 4, blob, (int)(dim * 4), SQLITE_TRANSIENT);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    free(blob);
    sqlite3_finalize(st);
    if (!ok) {
        precis_result r = precis_index_db_error(idx, err, "storing vectors");
        sqlite3_exec(idx->db, "ROLLBACK", NULL, NULL, NULL);
        return r;
    }
    if (sqlite3_exec(idx->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return precis_index_db_error(idx, err, "storing vectors");
    return PRECIS_OK;
}

precis_result precis_index_vectors_count(precis_index *idx, long long site_id,
                                         const char *model, long *n, precis_error *err)
{
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(idx->db,
                           site_id ? "SELECT count(*) FROM vectors WHERE model = ?1 AND "
                                     "site_id = ?2"
                                   : "SELECT count(*) FROM vectors WHERE model = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return precis_index_db_error(idx, err, "counting vectors");
    sqlite3_bind_text(st, 1, model, -1, SQLITE_TRANSIENT);
    if (site_id)
        sqlite3_bind_int64(st, 2, site_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? PRECIS_OK : precis_index_db_error(idx, err, "counting vectors");
}

precis_result precis_index_vector_search(precis_index *idx, long long site_id,
                                         const char *model, const float *q, size_t dim,
                                         size_t k, long long *ids, double *sims, size_t *n,
                                         precis_error *err)
{
    *n = 0;
    if (k == 0 || dim == 0)
        return PRECIS_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(idx->db,
                           site_id ? "SELECT section_id, vec FROM vectors WHERE model = ?1 AND "
                                     "site_id = ?2"
                                   : "SELECT section_id, vec FROM vectors WHERE model = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return precis_index_db_error(idx, err, "searching vectors");
    sqlite3_bind_text(st, 1, model, -1, SQLITE_TRANSIENT);
    if (site_id)
        sqlite3_bind_int64(st, 2, site_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((size_t)sqlite3_column_bytes(st, 1) != dim * 4)
            continue; /* another dimension: written by another model of that name */
        const unsigned char *blob = sqlite3_column_blob(st, 1);
        double sim = precis_vec_dot_blob(q, blob, dim);
        if (*n == k && sim <= sims[k - 1])
            continue;
        size_t at = *n < k ? (*n)++ : k - 1; /* insertion into the sorted top k */
        while (at > 0 && sims[at - 1] < sim) {
            sims[at] = sims[at - 1];
            ids[at] = ids[at - 1];
            at--;
        }
        sims[at] = sim;
        ids[at] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? PRECIS_OK : precis_index_db_error(idx, err, "searching vectors");
}
