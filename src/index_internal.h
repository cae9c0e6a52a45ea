/* The index handle, shared by src/index*.c only (not part of the public API). */
#ifndef PRECIS_INDEX_INTERNAL_H
#define PRECIS_INDEX_INTERNAL_H

#include <sqlite3.h>

#include "precis/index.h"
#include "precis/strmap.h"

struct precis_index {
    sqlite3 *db;
    char *path;
};

/* Sets err to what failed doing what (a busy database said as such); returns its code. */
precis_result precis_index_db_error(precis_index *idx, precis_error *err, const char *what);

/* Adds the site's remembered template lines (see index_template.c) to m; false on a
 * database error. */
bool precis_index_template_load(precis_index *idx, long long site_id, precis_strmap *m);

/* Returns a new copy of text without the template's lines, or NULL when it holds none
 * (use text as is). */
char *precis_index_template_apply(const precis_strmap *template, const char *text);

#endif
