/* Helpers shared by the renderers (render*.c); not part of the public API. */
#ifndef PRECIS_RENDER_INTERNAL_H
#define PRECIS_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/doc.h"

/* Nesting deeper than this is rendered as flat text (the converter never builds
 * trees this deep; this guards documents built elsewhere). */
#define PRECIS_RENDER_MAX_DEPTH 64

/* Appends text[0..len) with first prefixed to its first line and rest to every
 * other line; blank lines get blank_prefix (may be ""). */
void precis_render_prefix_lines(precis_buf *out, const char *text, size_t len,
                                const char *first, const char *rest, const char *blank_prefix);

/* Appends the text of every TEXT/CODE/CODE_BLOCK/RAW node under n, separated by
 * spaces: the fallback for over-deep trees. Iterative. */
void precis_render_flat(const precis_node *n, precis_buf *out);

/* Appends the plain inline text of n's children: links as their text, images
 * omitted, line breaks as br (e.g. "\n" or " "). */
void precis_render_inline_text(const precis_node *n, precis_buf *out, const char *br, int depth);

/* Sets *links to a new array (caller frees with free()) of the document's LINK nodes
 * with a non-empty href, in order of appearance, each URL once; returns the count. */
size_t precis_render_collect_links(const precis_doc *doc, const precis_node ***links);

/* Appends sep to out unless out is empty. */
void precis_render_separate(precis_buf *out, const char *sep);

#endif
