/* String -> long map with open addressing; grows at half full. */
#include "precis/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"

uint64_t precis_hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void precis_strmap_init(precis_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void precis_strmap_release(precis_strmap *m)
{
    for (size_t i = 0; i < m->slots; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

static size_t slot_of(const precis_strmap *m, const char *key)
{
    size_t i = (size_t)precis_hash_str(key) & (m->slots - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->slots - 1);
    return i;
}

long *precis_strmap_get(const precis_strmap *m, const char *key)
{
    if (m->slots == 0)
        return NULL;
    size_t i = slot_of(m, key);
    return m->keys[i] ? &m->values[i] : NULL;
}

static void grow(precis_strmap *m)
{
    precis_strmap bigger;
    bigger.slots = m->slots ? m->slots * 2 : 64;
    bigger.count = m->count;
    bigger.keys = precis_xcalloc(bigger.slots, sizeof *bigger.keys);
    bigger.values = precis_xcalloc(bigger.slots, sizeof *bigger.values);
    for (size_t i = 0; i < m->slots; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(&bigger, m->keys[i]);
        bigger.keys[j] = m->keys[i];
        bigger.values[j] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    *m = bigger;
}

long *precis_strmap_put(precis_strmap *m, const char *key, bool *added)
{
    if ((m->count + 1) * 2 > m->slots)
        grow(m);
    size_t i = slot_of(m, key);
    if (added)
        *added = m->keys[i] == NULL;
    if (!m->keys[i]) {
        m->keys[i] = precis_xstrdup(key);
        m->values[i] = 0;
        m->count++;
    }
    return &m->values[i];
}
