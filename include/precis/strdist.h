/* Edit distance for did-you-mean suggestions. */
#ifndef PRECIS_STRDIST_H
#define PRECIS_STRDIST_H

#include <stddef.h>

/* Returns the Levenshtein distance between a[0..la) and b[0..lb), or 99 when either
 * is longer than 40 bytes (suggestions are for short names only). */
int precis_edit_distance(const char *a, size_t la, const char *b, size_t lb);

#endif
