/* The model names `precis models` last listed, kept for shell completions so that
 * completing -m never makes a network call. */
#ifndef PRECIS_MODELS_CACHE_H
#define PRECIS_MODELS_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"

/* Appends the cache file's path to out: $XDG_CACHE_HOME/precis/models, else
 * ~/.cache/precis/models. Returns false (out unchanged) if neither is set. */
bool precis_models_cache_path(precis_buf *out);

/* Replaces the cache with ids[0..n), one a line (ids holding a control character
 * are left out), through a temporary file renamed into place; creates the
 * directory (mode 0700). Best effort: returns false on any failure, prints nothing. */
bool precis_models_cache_write(char *const *ids, size_t n);

/* Appends the cached names to out, one a line; a missing or unreadable cache
 * appends nothing. Lines holding control characters are skipped. */
void precis_models_cache_read(precis_buf *out);

#endif
