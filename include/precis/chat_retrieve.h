/* Retrieval over the pages open in `precis chat`: each page cut into sections (as the
 * doc index cuts them), ranked against a question with BM25, and short snippets with
 * the question's terms highlighted. */
#ifndef PRECIS_CHAT_RETRIEVE_H
#define PRECIS_CHAT_RETRIEVE_H

#include <stddef.h>
#include <stdint.h>

#include "precis/buf.h"
#include "precis/doc.h"

/* One section of an open page. Every string is owned by the index. */
typedef struct precis_chat_chunk {
    size_t page;     /* which open page (the caller's numbering) */
    size_t order;    /* position within the index, in document order */
    char *title;     /* heading path "A > B", or the page title for the intro */
    char *link;      /* deep link URL#anchor ("" when the page has no URL) */
    char *text;      /* the section's Markdown, its heading line excluded */
    size_t tokens;   /* estimated tokens of title + text */
    uint64_t *terms; /* sorted term hashes of title (weighted) and text */
    size_t n_terms;
} precis_chat_chunk;

typedef struct precis_chat_index {
    precis_chat_chunk *chunks;
    size_t n, cap;
} precis_chat_index;

/* Initialises an empty index. */
void precis_chat_index_init(precis_chat_index *idx);

/* Adds the sections of doc (borrowed only during the call) as page number page. */
void precis_chat_index_add(precis_chat_index *idx, size_t page, const precis_doc *doc);

/* Frees every chunk and empties the index. NULL-safe. */
void precis_chat_index_release(precis_chat_index *idx);

/* Ranks the chunks against query: *order becomes a new array (freed with free()) of
 * chunk indexes with a positive score, best first (ties in document order), and
 * scores (may be NULL) receives each chunk's score (caller's array of idx->n).
 * Chunks of page boost_page (SIZE_MAX: none) score 20% higher. Returns the count. */
size_t precis_chat_index_rank(const precis_chat_index *idx, const char *query,
                              size_t boost_page, size_t **order, double *scores);

/* Appends to out a one-paragraph snippet of text (Markdown) for query: the paragraph
 * with the most query terms, whitespace collapsed, cut near max bytes at a word
 * boundary (marked "…"), with each query term wrapped in ** for highlighting. */
void precis_chat_snippet(const char *text, const char *query, size_t max, precis_buf *out);

#endif
