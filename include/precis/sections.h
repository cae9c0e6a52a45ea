/* A document cut into sections at its h1-h4 headings, each keyed by the page's own
 * heading id: what the doc index stores and a deep link points to. */
#ifndef PRECIS_SECTIONS_H
#define PRECIS_SECTIONS_H

#include <stddef.h>

#include "precis/doc.h"

typedef struct precis_section {
    char *anchor;   /* the heading's id; else the nearest enclosing heading's id; "" for the
                       page intro or when no enclosing heading has one */
    char **path;    /* heading texts from the outermost to this section's own */
    size_t npath;   /* 0 for the page intro */
    int level;      /* the heading level, 0 for the intro */
    char *text;     /* the section's Markdown, its heading line excluded */
} precis_section;

/* Cuts doc at its top-level headings of levels 1-4 (deeper headings stay inside their
 * section). Sections with no text of their own are left out (their headings still
 * lead the paths of the sections inside them). *out is a new array of
 * *n sections (everything owned), freed with precis_sections_free. */
void precis_sections_split(const precis_doc *doc, precis_section **out, size_t *n);

/* Frees an array from precis_sections_split. NULL-safe. */
void precis_sections_free(precis_section *s, size_t n);

#endif
