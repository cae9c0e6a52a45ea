/* Helpers shared by the DOM conversion files (dom_convert.c, dom_hidden.c,
 * dom_code.c, dom_text.c); not part of the public API. */
#ifndef PRECIS_DOM_INTERNAL_H
#define PRECIS_DOM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <gumbo.h>

#include "precis/buf.h"
#include "precis/dom.h"

/* Returns the children of a document or element node, or NULL for leaves. */
const GumboVector *precis_dom_children(const GumboNode *node);

/* Returns the next node after n in pre-order within root; descend = false skips
 * n's subtree. Uses parent links, so it never recurses. */
const GumboNode *precis_dom_walk_next(const GumboNode *root, const GumboNode *n, bool descend);

/* Returns the value of attribute name on an element, or NULL. */
const char *precis_dom_attr(const GumboNode *el, const char *name);

/* Returns true if the element's tag is name (lowercase), known or unknown to gumbo. */
bool precis_dom_tag_is(const GumboNode *el, const char *name);

/* Returns true if the class attribute contains the token (ASCII case-insensitive). */
bool precis_dom_has_class(const GumboNode *el, const char *token);

/* Returns true if an element must never reach output: non-content tags (script,
 * style, form controls, svg...), hidden elements, line-number gutters. */
bool precis_dom_is_dropped(const GumboNode *el);

/* Appends s[0..n) to out as clean UTF-8: invalid bytes become U+FFFD; control
 * characters (other than tab and newline), invisible format characters,
 * Unicode tag characters and private-use code points are removed; CR/CRLF
 * become newline. */
void precis_dom_clean_text(const char *s, size_t n, precis_buf *out);

/* Returns the verbatim text of a <pre> (or any element) subtree: <br> and line
 * blocks become newlines, dropped elements are skipped, trailing whitespace and
 * leading blank lines removed. Caller frees. */
char *precis_dom_pre_text(const GumboNode *pre, const precis_convert_opts *opts);

/* Returns the byte length of the whitespace character at s (ASCII whitespace or
 * NBSP; n bytes available), or 0 if s does not start with whitespace. */
size_t precis_dom_space_len(const char *s, size_t n);

/* Returns the text of a subtree with whitespace collapsed and trimmed (for inline
 * code and alt text). Caller frees. */
char *precis_dom_flat_text(const GumboNode *el, const precis_convert_opts *opts);

/* Returns the code language declared on a <pre>, its inner <code> or a close
 * wrapper (language-x, lang-x, highlight-x, sourceCode x, brush: x, data-lang),
 * lowercased, or NULL. Caller frees. */
char *precis_dom_code_lang(const GumboNode *pre);

#endif
