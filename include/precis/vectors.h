/* Embedding vectors as the doc index stores them, and rank fusion: pure functions. A
 * vector is stored normalised to length 1 as little-endian float32, so cosine
 * similarity is a dot product. */
#ifndef PRECIS_VECTORS_H
#define PRECIS_VECTORS_H

#include <stdbool.h>
#include <stddef.h>

/* The constant k of reciprocal rank fusion: score = sum over lists of 1 / (k + rank). */
#define PRECIS_RRF_K 60

/* Scales v[0..dim) to length 1. Returns false (v untouched) for a zero or non-finite
 * vector. */
bool precis_vec_normalise(float *v, size_t dim);

/* Writes v[0..dim) to out (4 * dim bytes) as little-endian float32. */
void precis_vec_encode(const float *v, size_t dim, unsigned char *out);

/* Reads dim little-endian float32 values from blob (4 * dim bytes) into out. */
void precis_vec_decode(const unsigned char *blob, size_t dim, float *out);

/* Returns the dot product of a (decoded floats) and the encoded vector blob, both dim
 * long: the cosine similarity when both are normalised. */
double precis_vec_dot_blob(const float *a, const unsigned char *blob, size_t dim);

/* One fused result: an id and its fused score. */
typedef struct precis_fused {
    long long id;
    double score;
} precis_fused;

/* Fuses two ranked id lists (best first; either may be empty) by reciprocal rank fusion
 * with k = PRECIS_RRF_K: each id scores the sum of 1 / (k + rank) over the lists it is in
 * (rank 1-based). Writes at most max results to out, best first (ties: the better rank in
 * list a, then the smaller id), and returns the count. */
size_t precis_rrf_fuse(const long long *a, size_t na, const long long *b, size_t nb,
                       precis_fused *out, size_t max);

#endif
