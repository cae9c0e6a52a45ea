/* The document model: what extraction produces and every renderer consumes.
 *
 * A document is metadata plus a tree of nodes, shaped like CommonMark's:
 * block nodes contain blocks or inlines; inline nodes contain inlines.
 * All strings are UTF-8 with no control characters other than tab and newline,
 * owned by the node that holds them and freed with it. */
#ifndef PRECIS_DOC_H
#define PRECIS_DOC_H

#include <stdbool.h>
#include <stddef.h>

typedef enum precis_node_kind {
    /* blocks */
    PRECIS_NODE_DOCUMENT,   /* root */
    PRECIS_NODE_HEADING,    /* level 1..6, anchor = element id (may be NULL) */
    PRECIS_NODE_PARAGRAPH,
    PRECIS_NODE_LIST,       /* ordered, start; children are ITEMs */
    PRECIS_NODE_ITEM,       /* children are blocks (usually PARAGRAPH, nested LIST) */
    PRECIS_NODE_CODE_BLOCK, /* text = exact code (whitespace kept), lang may be NULL */
    PRECIS_NODE_BLOCKQUOTE,
    PRECIS_NODE_TABLE,      /* children are ROWs */
    PRECIS_NODE_ROW,        /* header = true for a header row; children are CELLs */
    PRECIS_NODE_CELL,       /* children are inlines */
    PRECIS_NODE_FIGURE,     /* children: blocks/IMAGE inlines, then a CAPTION */
    PRECIS_NODE_CAPTION,    /* figure or table caption; children are inlines */
    PRECIS_NODE_RULE,       /* thematic break */
    PRECIS_NODE_RAW,        /* text printed verbatim by every renderer (plain-text pages) */
    /* inlines */
    PRECIS_NODE_TEXT,       /* text; whitespace already collapsed */
    PRECIS_NODE_CODE,       /* inline code span; text */
    PRECIS_NODE_EMPH,
    PRECIS_NODE_STRONG,
    PRECIS_NODE_LINK,       /* href = absolute URL; children are inlines */
    PRECIS_NODE_IMAGE,      /* href = absolute src, text = alt (may be NULL) */
    PRECIS_NODE_LINEBREAK
} precis_node_kind;

typedef struct precis_node {
    precis_node_kind kind;
    char *text;   /* TEXT, CODE, CODE_BLOCK, RAW, IMAGE alt */
    char *href;   /* LINK, IMAGE */
    char *lang;   /* CODE_BLOCK language, e.g. "python" */
    char *anchor; /* HEADING (and any block) id, for deep links */
    int level;    /* HEADING level */
    int start;    /* LIST start number (ordered) */
    bool ordered; /* LIST */
    bool header;  /* ROW */
    struct precis_node *parent;
    struct precis_node *first_child;
    struct precis_node *last_child;
    struct precis_node *next;
    struct precis_node *prev;
} precis_node;

/* Page metadata; every field may be NULL. */
typedef struct precis_meta {
    char *title;
    char *author;
    char *date;        /* as published, ISO 8601 where the page gives it */
    char *site_name;
    char *lang;
    char *canonical_url;
    char *description;
    char *url;         /* where the page was read from (final URL after redirects) */
} precis_meta;

typedef struct precis_doc {
    precis_meta meta;
    precis_node *root; /* kind DOCUMENT, never NULL */
} precis_doc;

/* Returns a new empty document (root allocated); free with precis_doc_free. */
precis_doc *precis_doc_new(void);

/* Frees the document, its metadata and every node. NULL-safe. */
void precis_doc_free(precis_doc *doc);

/* Returns a new detached node of the given kind, all fields zero. */
precis_node *precis_node_new(precis_node_kind kind);

/* Returns a new node with a copy of text (n bytes) as its text. */
precis_node *precis_node_new_text(precis_node_kind kind, const char *text, size_t n);

/* Appends child as the last child of parent; child must be detached. Returns child. */
precis_node *precis_node_append(precis_node *parent, precis_node *child);

/* Detaches node from its parent and siblings (it keeps its own children). */
void precis_node_unlink(precis_node *node);

/* Frees node and its subtree; unlinks it first. NULL-safe. */
void precis_node_free(precis_node *node);

/* Returns true for block kinds (DOCUMENT..RAW). */
bool precis_node_is_block(const precis_node *node);

/* Sets *field to a copy of value (NULL clears it), freeing the old string. */
void precis_set_string(char **field, const char *value);

/* Returns the next node in document order (pre-order) within root, or NULL. */
precis_node *precis_node_walk_next(const precis_node *root, const precis_node *node);

#endif
