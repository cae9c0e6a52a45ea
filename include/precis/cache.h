/* On-disk HTTP cache: one file per URL, written atomically, validated on read. */
#ifndef PRECIS_CACHE_H
#define PRECIS_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"

/* One cached response. Every string may be NULL; all are owned by the entry. */
typedef struct precis_cache_entry {
    char *url;           /* the URL asked for (the key) */
    char *final_url;     /* URL after redirects */
    char *content_type;  /* media type, lowercase, no parameters */
    char *charset;       /* charset parameter of Content-Type */
    char *etag;          /* ETag validator, verbatim */
    char *last_modified; /* Last-Modified validator, verbatim */
    long long fetched;   /* time(NULL) when stored or last revalidated */
    bool revalidate;     /* Cache-Control: no-cache / max-age=0: never serve unrevalidated */
    precis_buf body;
} precis_cache_entry;

/* Zeroes e (empty body). */
void precis_cache_entry_init(precis_cache_entry *e);

/* Frees the contents of e and re-initialises it. NULL-safe. */
void precis_cache_entry_release(precis_cache_entry *e);

/* Returns the cache directory as a new string the caller frees: dir if non-NULL,
 * else $XDG_CACHE_HOME/precis/http, else $HOME/.cache/precis/http; NULL if none. */
char *precis_cache_dir(const char *dir);

/* Loads the entry for url from dir into e (initialised by the caller). Returns
 * false (e left empty) on a miss: no file, another URL, or a torn/garbage file. */
bool precis_cache_load(const char *dir, const char *url, precis_cache_entry *e);

/* Stores e under e->url in dir (created if needed) through a temporary file and
 * rename(2), so concurrent readers see the old or the new entry, never a mix. */
precis_result precis_cache_store(const char *dir, const precis_cache_entry *e);

/* Returns the path of url's entry in dir as a new string the caller frees. */
char *precis_cache_path(const char *dir, const char *url);

#endif
