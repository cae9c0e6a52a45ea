/* Every link of a page, navigation included: what a crawler follows. */
#include "extract_internal.h"

#include <stdlib.h>

void precis_ex_each_link(const GumboNode *root, void (*fn)(void *ctx, const char *href),
                         void *ctx)
{
    size_t cap = 64, n = 0;
    const GumboNode **stack = precis_xcalloc(cap, sizeof *stack);
    stack[n++] = root;
    while (n > 0) {
        const GumboNode *node = stack[--n];
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE &&
            node->type != GUMBO_NODE_DOCUMENT)
            continue;
        const GumboVector *kids = node->type == GUMBO_NODE_DOCUMENT
                                      ? &node->v.document.children
                                      : &node->v.element.children;
        if (node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_A) {
            const char *href = precis_ex_attr(node, "href");
            if (href && *href)
                fn(ctx, href);
        }
        /* children pushed in reverse so that they come out in document order */
        for (unsigned i = kids->length; i > 0; i--) {
            if (n == cap) {
                cap *= 2;
                stack = precis_xrealloc(stack, cap * sizeof *stack);
            }
            stack[n++] = kids->data[i - 1];
        }
    }
    free(stack);
}
