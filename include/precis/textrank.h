/* Graph ranking of sentences: TextRank / LexRank over cosine similarity. */
#ifndef PRECIS_TEXTRANK_H
#define PRECIS_TEXTRANK_H

#include <stddef.h>
#include <stdint.h>

/* One weighted term of a sparse vector. */
typedef struct precis_term_weight {
    uint32_t term;
    float weight;
} precis_term_weight;

/* A sparse vector: entries sorted by ascending term, each term at most once.
 * The entries are owned by the caller. */
typedef struct precis_sparse_vec {
    const precis_term_weight *entries;
    size_t n;
} precis_sparse_vec;

/* Returns the dot product of a and b (their cosine when both have unit length). */
double precis_sparse_dot(const precis_sparse_vec *a, const precis_sparse_vec *b);

/* Largest n precis_textrank accepts; it allocates n*n floats. */
#define PRECIS_TEXTRANK_MAX 2000

/* Ranks n (<= PRECIS_TEXTRANK_MAX) unit-length vectors by personalised PageRank
 * with damping 0.85, run to convergence, on the graph whose edge weights are
 * their pairwise dot products (those below min_sim dropped). The random jump
 * lands on i with probability proportional to prior[i] (NULL = uniform; all
 * zero = uniform). Writes n scores that sum to 1 into scores (caller-owned). */
void precis_textrank(const precis_sparse_vec *vecs, size_t n, const double *prior, double min_sim,
                     double *scores);

#endif
