/* Index terms of prose for similarity ranking: folded words minus stopwords,
 * and character bigrams for scripts written without spaces (CJK). */
#ifndef PRECIS_TOKENIZE_H
#define PRECIS_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Receives one index term, identified by a 64-bit hash of its folded form. */
typedef void (*precis_term_fn)(void *ctx, uint64_t term);

/* Counts gathered while tokenizing. */
typedef struct precis_token_stats {
    size_t words;     /* words of alphabetic scripts, stopwords included */
    size_t cjk_chars; /* characters of CJK runs */
    size_t terms;     /* index terms emitted */
} precis_token_stats;

/* Calls emit(ctx, term) for every index term of text[0..len) in order: words
 * lowercased (plural 's' stripped), stopwords and 1-letter words skipped; CJK
 * runs as overlapping character bigrams (a lone character as itself). stats
 * (may be NULL) is overwritten with the counts. */
void precis_tokenize(const char *text, size_t len, precis_term_fn emit, void *ctx,
                     precis_token_stats *stats);

/* Returns true if word[0..len) (already lowercase) is a stopword of English or
 * of a few other common languages (de, fr, es, it, pt, nl). */
bool precis_is_stopword(const char *word, size_t len);

/* Returns the term hash precis_tokenize would emit for a lowercase word. */
uint64_t precis_term_hash(const char *word, size_t len);

#endif
