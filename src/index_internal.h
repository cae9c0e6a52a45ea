/* The index handle, shared by src/index*.c only (not part of the public API). */
#ifndef PRECIS_INDEX_INTERNAL_H
#define PRECIS_INDEX_INTERNAL_H

#include <sqlite3.h>

#include "precis/index.h"

struct precis_index {
    sqlite3 *db;
    char *path;
};

/* Sets err to what failed doing what (a busy database said as such); returns its code. */
precis_result precis_index_db_error(precis_index *idx, precis_error *err, const char *what);

#endif
