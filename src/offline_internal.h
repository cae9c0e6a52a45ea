/* Shared parts of the offline summarizer (offline*.c); not part of the public API. */
#ifndef PRECIS_OFFLINE_INTERNAL_H
#define PRECIS_OFFLINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/doc.h"
#include "precis/textrank.h"

/* Longest sentence and heading written, in bytes (cut at a word boundary). */
#define PRECIS_OFFLINE_SENTENCE_MAX 700
#define PRECIS_OFFLINE_HEADING_MAX 120

/* One sentence of the page and what ranking learns about it. */
typedef struct offline_sentence {
    size_t off, len;    /* in offline_doc.text */
    int section;        /* index into offline_doc.heads, -1 before the first heading */
    bool section_lead;  /* first sentence of its section */
    bool para_lead;     /* first sentence of its paragraph */
    size_t para;        /* index of its paragraph */
    bool fragment;      /* from a list item, table cell or caption */
    double words;       /* words, CJK characters counting half */
    size_t vec_off;     /* into offline_doc.terms */
    size_t vec_n;
    double quality;
    double prior;
    double score;
} offline_sentence;

typedef struct offline_span {
    size_t off, len;
} offline_span;

typedef struct offline_doc {
    precis_buf text; /* paragraph and heading texts, back to back */
    offline_sentence *sents;
    size_t n_sents, cap_sents;
    offline_span *heads;
    size_t n_heads, cap_heads;
    int section;
    bool section_fresh;
    size_t n_paras;
    size_t title_head; /* heading index + 1 of the first level-1 heading, 0 = none */
    precis_term_weight *terms;
    size_t n_terms, cap_terms;
} offline_doc;

/* Initialises an empty collection. Allocates nothing. */
void precis_offline_doc_init(offline_doc *c);

/* Frees everything c holds. */
void precis_offline_doc_release(offline_doc *c);

/* Appends the prose sentences and headings under root to c, in document order:
 * paragraph, list item, quote, cell and caption text (inline code as `code`),
 * RAW text split at blank lines; code blocks and images are skipped. */
void precis_offline_collect(offline_doc *c, const precis_node *root);

/* Weights every sentence's terms (unit TF-IDF vectors in c->terms) and sets its
 * words, quality and position prior; returns the title's unit vector in
 * *title_terms (*title_n entries; caller frees; NULL when title is NULL). */
void precis_offline_analyse(offline_doc *c, const char *title, precis_term_weight **title_terms,
                            size_t *title_n);

/* Returns a factor in (0, 1]: how well a sentence of the given word count can
 * stand alone in a summary (length, boilerplate, form; fragment = list item,
 * cell or caption). */
double precis_offline_quality(const char *s, size_t n, double words, bool fragment);

/* Returns true for headings of back matter: references, notes, comments, links. */
bool precis_offline_is_back_matter(const char *heading, size_t n);

/* Appends the Markdown summary: "# title" (when non-NULL and non-empty), then
 * the n chosen sentences (indexes in document order) as a paragraph, or as
 * bullets led by their section heading when they span several sections. */
void precis_offline_render(precis_buf *b, const offline_doc *c, const char *title,
                           const size_t *chosen, size_t n);

/* Returns sentence s's term vector (entries owned by c). */
static inline precis_sparse_vec precis_offline_vec(const offline_doc *c, const offline_sentence *s)
{
    precis_sparse_vec v = {c->terms + s->vec_off, s->vec_n};
    return v;
}

#endif
