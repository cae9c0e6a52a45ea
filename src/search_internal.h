/* Shared between the searcher (search.c), its asynchronous job (search_job.c) and query
 * expansion (search_expand.c). Not installed. */
#ifndef PRECIS_SEARCH_INTERNAL_H
#define PRECIS_SEARCH_INTERNAL_H

#include "precis/search.h"

struct precis_searcher {
    precis_index *idx;
    const precis_config *cfg;
    const volatile sig_atomic_t *cancel;
    precis_model embed_model; /* the endpoint for embeddings, once resolved */
    precis_llm_request embed_req;
    int embed_state;          /* 0 not tried, 1 ready, -1 unusable */
    precis_model chat_model;  /* the chat model for extra terms, once resolved */
    int chat_state;
    bool warned_embed, warned_expand, warned_vectors;
    const char *mode;
};

/* One query-expansion request: the search-expand template expanded for a question into
 * sys and user, and req (which borrows them and the model) ready for a pool. */
typedef struct precis_search_expansion {
    precis_llm_request req;
    precis_buf sys, user;
} precis_search_expansion;

/* Fills x for question with m's endpoint and model under the caps (within
 * PRECIS_SEARCH_EXPAND_MS, no retry, at most 200 tokens). x must not move afterwards; release
 * it with precis_search_expansion_release, also after a failure. */
precis_result precis_search_expansion_init(precis_search_expansion *x, const precis_model *m,
                                           const char *question, precis_error *err);

/* Frees x's buffers. */
void precis_search_expansion_release(precis_search_expansion *x);

/* Appends the words of the model's answer text[0..len) to terms as one line: list marks,
 * numbering and punctuation between words become spaces; at most 300 bytes, cut at a space. */
void precis_search_expansion_words(const char *text, size_t len, precis_buf *terms);

/* Warns "what: msg; then" on stderr unless *flag says it was done; sets *flag. */
void precis_searcher_warn_once(bool *flag, const char *what, const char *msg, const char *then);

#endif
