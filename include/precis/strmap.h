/* A string -> long map (open addressing, FNV-1a): the crawler's seen set, its counters
 * per URL shape and its duplicate detectors. Keys are copied and owned by the map. */
#ifndef PRECIS_STRMAP_H
#define PRECIS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct precis_strmap {
    char **keys;
    long *values;
    size_t slots, count;
} precis_strmap;

/* FNV-1a hash of a NUL-terminated string. */
uint64_t precis_hash_str(const char *s);

/* Starts an empty map. Release with precis_strmap_release. */
void precis_strmap_init(precis_strmap *m);

/* Frees every key and the tables. */
void precis_strmap_release(precis_strmap *m);

/* Returns a pointer to key's value (NULL when absent). Valid until the next insert. */
long *precis_strmap_get(const precis_strmap *m, const char *key);

/* Returns a pointer to key's value, inserting it with value 0 when absent (*added tells,
 * may be NULL). Valid until the next insert. */
long *precis_strmap_put(precis_strmap *m, const char *key, bool *added);

#endif
