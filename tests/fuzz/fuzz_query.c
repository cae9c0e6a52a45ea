/* libFuzzer harness: any text a user types becomes an FTS5 query that SQLite accepts.
 * The input is the query; it runs against a small in-memory FTS5 table built with the
 * index's tokenizer, and a syntax error (or any failure but "no rows") aborts. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *query_fuzz_db(void)
{
    static sqlite3 *db;
    if (db)
        return db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        abort();
    const char *setup =
        "CREATE VIRTUAL TABLE t USING fts5(title, path, body, "
        "tokenize = \"unicode61 tokenchars '_'\");"
        "INSERT INTO t VALUES('Timeouts', 'Timeouts > Total', 'CURLOPT_TIMEOUT std::vector C++ "
        "-O2 GOGC=off OPS-306 the whole transfer may take');";
    if (sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK)
        abort();
    return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* a NUL inside ends the text, as it would on a command line */
    precis_buf q;
    precis_buf_init(&q, 0);
    size_t terms = precis_query_build(text, &q);
    if ((terms == 0) != (q.len == 0))
        abort();
    if (terms > 0) {
        sqlite3 *db = query_fuzz_db();
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT rowid, bm25(t, 4, 2, 1) FROM t WHERE t MATCH ?1 "
                                   "ORDER BY rank",
                               -1, &st, NULL) != SQLITE_OK)
            abort();
        sqlite3_bind_text(st, 1, q.ptr, (int)q.len, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (rc != SQLITE_DONE)
            abort(); /* e.g. "fts5: syntax error" */
        sqlite3_finalize(st);
    }
    precis_buf_release(&q);
    free(text);
    return 0;
}
