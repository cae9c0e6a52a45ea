/* A document's outline: every heading with its level, text and anchor, in order, and
 * the Markdown of the section a heading starts (for `precis chat`'s /toc and /read). */
#ifndef PRECIS_DOC_OUTLINE_H
#define PRECIS_DOC_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/doc.h"

/* One heading. node and anchor are borrowed from the document; title is owned. */
typedef struct precis_heading {
    const precis_node *node;
    int level;          /* 1..6 */
    char *title;        /* plain text of the heading, never NULL */
    const char *anchor; /* the heading's id, or NULL */
} precis_heading;

/* Sets *out to a new array of the document's headings in document order (headings
 * nested in other blocks included) and returns how many; free with
 * precis_outline_free. An empty title is kept (the numbering follows the page). */
size_t precis_outline(const precis_doc *doc, precis_heading **out);

/* Frees an array from precis_outline. NULL-safe. */
void precis_outline_free(precis_heading *h, size_t n);

/* Appends to out the Markdown of the section heading starts: the heading line and the
 * blocks after it up to the next heading of the same or a higher level (its
 * subsections included). heading must be a HEADING node of doc. */
void precis_outline_section(const precis_node *heading, precis_buf *out);

/* Finds the heading named by what, as /read takes it: a number (1-based, as numbered by
 * the outline), an anchor (exact, a leading '#' allowed), else a title (exact, then
 * prefix, then substring, ignoring ASCII case). Returns its index or -1. */
long precis_outline_find(const precis_heading *h, size_t n, const char *what);

/* Appends the deep link to anchor on doc's page: its URL, plus "#anchor" when anchor is
 * neither NULL nor empty. Appends nothing when the document has no URL. */
void precis_deep_link(const precis_doc *doc, const char *anchor, precis_buf *out);

/* Sets *links to a new array (freed with free()) of the document's link nodes in the
 * order and numbering of precis_render_links (each URL once); returns the count. */
size_t precis_doc_links(const precis_doc *doc, const precis_node ***links);

#endif
