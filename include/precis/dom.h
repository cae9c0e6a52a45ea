/* DOM -> document model conversion: turns a gumbo subtree into blocks and inlines.
 * Main-content detection (extract.c) decides WHICH subtrees; this module decides
 * HOW an element becomes structure (headings, lists, code, tables, links...). */
#ifndef PRECIS_DOM_H
#define PRECIS_DOM_H

#include <stdbool.h>
#include <gumbo.h>

#include "precis/doc.h"

typedef struct precis_convert_opts {
    const char *base_url; /* resolves relative href/src; may be NULL */
    /* Optional veto from the content detector: return true to drop an element
     * (and its subtree) found inside the converted content, e.g. a share widget. */
    bool (*skip)(void *ctx, const GumboNode *element);
    void *skip_ctx;
} precis_convert_opts;

/* Appends the content of node (an element, or the whole document) to parent as
 * blocks: drops script/style/template/forms and hidden elements, collapses
 * whitespace outside <pre>, resolves links. Iterative: never recurses on depth. */
void precis_dom_convert(const GumboNode *node, const precis_convert_opts *opts,
                        precis_node *parent);

/* Returns true if the element is hidden: the hidden attribute, aria-hidden="true",
 * or an inline style with display:none, visibility:hidden|collapse,
 * content-visibility:hidden, or font-size:0 (unless a descendant sets its own
 * size). Spacing and case in the CSS do not matter. */
bool precis_dom_is_hidden(const GumboNode *element);

/* Resolves ref against base (either may be NULL) into a new absolute URL the caller
 * frees; returns NULL for javascript:/data: URLs or when nothing can be resolved. */
char *precis_url_resolve(const char *base, const char *ref);

#endif
