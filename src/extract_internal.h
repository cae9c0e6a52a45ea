/* Private to the extract module: the per-element statistics table shared by
 * scoring (extract_score.c), boilerplate tests (extract_clean.c), metadata
 * (extract_meta.c) and the driver (extract.c). Not part of the public API. */
#ifndef PRECIS_EXTRACT_INTERNAL_H
#define PRECIS_EXTRACT_INTERNAL_H

#include <gumbo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "precis/buf.h"
#include "precis/doc.h"

enum {
    PRECIS_EX_DROPPED = 1u << 0,   /* boilerplate, hidden or unlikely: never kept */
    PRECIS_EX_BLOCK = 1u << 1,     /* a block-level element */
    PRECIS_EX_LINK = 1u << 2,      /* an <a href> element */
    PRECIS_EX_CANDIDATE = 1u << 3, /* got a content score */
    PRECIS_EX_COMMENTS = 1u << 4,  /* a comment section */
    PRECIS_EX_IN_LINK = 1u << 5,   /* inside an <a href> */
    PRECIS_EX_IN_HEADING = 1u << 6, /* inside h1..h6 */
    PRECIS_EX_PICKED = 1u << 7,    /* chosen as (part of) the main content */
    PRECIS_EX_UNLIKELY = 1u << 8   /* class/id says boilerplate; dropped unless big */
};

/* Statistics of one element, in document (pre-)order; parent index < own index. */
typedef struct precis_ex_node {
    const GumboNode *node;
    int parent;          /* index of the parent element, -1 for the root */
    unsigned flags;
    int block;           /* index of the nearest block element (itself if a block) */
    int weight;          /* class/id hint weight */
    uint32_t text;       /* visible characters in the subtree (whitespace collapsed) */
    uint32_t link_text;  /* of which inside links */
    uint32_t own_text;   /* characters whose nearest block ancestor is this element */
    uint32_t own_link;   /* of which inside links */
    uint32_t commas;     /* commas in the subtree */
    uint32_t own_commas; /* commas in own text */
    uint32_t paras;      /* <p> descendants */
    uint32_t imgs;       /* <img> descendants */
    uint32_t lis;        /* <li> descendants */
    uint32_t inputs;     /* form control descendants */
    uint32_t embeds;     /* iframe/embed/object descendants */
    uint32_t heading_text; /* characters inside h1..h6 */
    double score;
} precis_ex_node;

/* The table for one parse, plus a pointer -> index map for skip callbacks. */
typedef struct precis_ex_tree {
    precis_ex_node *nodes;
    size_t count, cap;
    const GumboNode **keys; /* open addressing, capacity mask+1 */
    int *vals;
    size_t mask;
    int body;               /* index of <body>, -1 if none */
    size_t total_text;      /* visible characters in the body, after drops */
    size_t all_text;        /* visible characters anywhere, before unlikely drops */
    size_t scripts;         /* <script> elements seen */
    bool js_notice;         /* a <noscript> asks for JavaScript */
    bool strip_unlikely;    /* drop unlikely candidates by class/id */
    bool keep_comments;
    bool lenient;           /* skip only sure boilerplate inside the content */
} precis_ex_tree;

/* Builds the table over the document in one iterative pass (plus a reverse pass
 * for subtree sums). The tree borrows root; release it with precis_ex_tree_release. */
void precis_ex_tree_build(precis_ex_tree *t, const GumboNode *root, bool strip_unlikely,
                          bool keep_comments);

/* Frees the table's memory. */
void precis_ex_tree_release(precis_ex_tree *t);

/* Returns the index of element node, or -1 if it is not in the table. */
int precis_ex_tree_find(const precis_ex_tree *t, const GumboNode *node);

/* Returns the class/id weight of an element: positive for content hints,
 * negative for boilerplate hints, 0 when neutral. */
int precis_ex_class_weight(const GumboNode *element);

/* Returns true if the element's class/id/role says it is probably not content
 * (navigation, footer, comments, share widget...), false for likely content. */
bool precis_ex_is_unlikely(const GumboNode *element);

/* Returns true if the element is boilerplate by its tag or role alone
 * (nav, footer, aside, header outside an article, role=navigation...). */
bool precis_ex_is_boilerplate_tag(const GumboNode *element);

/* Returns true if the element is a comment section (by class/id). */
bool precis_ex_is_comment_section(const GumboNode *element);

/* Returns true if a and b have the same, non-empty class attribute. */
bool precis_ex_same_class(const GumboNode *a, const GumboNode *b);

/* Returns true if the element is an image caption: a <figcaption>, or a class or
 * id that names one (caption, Bildunterschrift, legende, didascalia...). */
bool precis_ex_is_caption(const GumboNode *element);

/* Returns true if the element's class or id names an article's lead paragraph
 * (lead, intro, standfirst, abstract, excerpt, chapo...). */
bool precis_ex_is_lead(const GumboNode *element);

/* Returns true for block-level HTML elements. */
bool precis_ex_is_block_tag(GumboTag tag);

/* Returns the value of attribute name, or NULL. */
const char *precis_ex_attr(const GumboNode *element, const char *name);

/* Returns true if a node with this index is a valid, non-dropped element. */
bool precis_ex_keep(const precis_ex_tree *t, int idx);

/* Chooses the main content: fills *picks (malloc'd, caller frees) with *npicks
 * element indices (siblings, in document order) to convert. Returns false when no
 * block clearly wins. */
bool precis_ex_pick(const precis_ex_tree *t, int **picks, size_t *npicks);

/* Skip callback for precis_dom_convert: ctx is a precis_ex_tree. Vetoes
 * boilerplate descendants inside the chosen content. */
bool precis_ex_skip(void *ctx, const GumboNode *element);

/* Skip callback for the cleaned-body fallback: drops only sure boilerplate
 * (dropped elements, nav/header/footer/aside, comments unless kept). */
bool precis_ex_skip_body(void *ctx, const GumboNode *element);

/* Fills doc->meta from JSON-LD, OpenGraph/meta tags and the page itself. */
void precis_ex_meta(const GumboNode *root, const char *base_url, precis_meta *meta);

/* Calls fn(ctx, href) for every <a href> under root, in document order (iterative). */
void precis_ex_each_link(const GumboNode *root, void (*fn)(void *ctx, const char *href),
                         void *ctx);

/* Returns the number of visible characters of text in s[0..n) with whitespace
 * runs counted once (UTF-8 code points), and adds commas seen to *commas. */
uint32_t precis_ex_count_text(const char *s, size_t n, uint32_t *commas);

/* Appends to out the text of element's subtree (iteratively), whitespace
 * collapsed and trimmed; used for titles and short metadata. */
void precis_ex_text(const GumboNode *element, precis_buf *out);

/* Returns a copy of html with start tags nested deeper than max_depth removed
 * (their text kept), or NULL when the input is shallow enough to parse as is.
 * Guards the parser against pathological nesting; *out_len gets the length. */
char *precis_ex_flatten_deep(const char *html, size_t len, size_t max_depth,
                             size_t *out_len);

/* Returns a copy of html without its <noscript> start and end tags (their content
 * kept), or NULL when there are none; *out_len gets the length. Caller frees. */
char *precis_ex_strip_noscript(const char *html, size_t len, size_t *out_len);

/* Folds s[0..*n) in place for phrase matching: lower case (Latin, Greek,
 * Cyrillic), full-width forms to ASCII, curly apostrophes to ', dashes to -, odd
 * spaces to ' ', ё to е, and no space before ':'. No folded character is longer
 * than the original; updates *n and NUL-terminates. */
void precis_ex_fold_text(char *s, size_t *n);

/* Returns true if element i is one short line of boilerplate by its words (a
 * "related articles" label, a photo credit, a byline or date line, a share or
 * subscription prompt). */
bool precis_ex_is_boilerplate_line(const precis_ex_tree *t, int i);

/* Second opinion on *picks: when another container holds several times the prose
 * the picks do, elsewhere in the page, it replaces them (flags updated). Returns
 * true if it did. */
bool precis_ex_second_opinion(precis_ex_tree *t, int **picks, size_t *npicks);

/* Cuts the blocks that follow the article's last prose in doc when they are
 * boilerplate (related lists, prompts, disclaimers); leaves doc alone when
 * that would cut too much. */
void precis_ex_trim_tail(precis_doc *doc);

#endif
