/* TextRank: personalised PageRank over a sentence similarity graph. */
#include "precis/textrank.h"

#include <math.h>
#include <stdlib.h>

#include "precis/buf.h"

#define DAMPING 0.85
#define MAX_ITERATIONS 200
#define TOLERANCE 1e-10

double precis_sparse_dot(const precis_sparse_vec *a, const precis_sparse_vec *b)
{
    double sum = 0;
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        uint32_t ta = a->entries[i].term, tb = b->entries[j].term;
        if (ta == tb)
            sum += (double)a->entries[i++].weight * b->entries[j++].weight;
        else if (ta < tb)
            i++;
        else
            j++;
    }
    return sum;
}

void precis_textrank(const precis_sparse_vec *vecs, size_t n, const double *prior, double min_sim,
                     double *scores)
{
    if (n == 0)
        return;
    if (n > PRECIS_TEXTRANK_MAX)
        n = PRECIS_TEXTRANK_MAX;
    float *w = precis_xcalloc(n * n, sizeof *w);
    double *out_sum = precis_xcalloc(n, sizeof *out_sum);
    double *jump = precis_xmalloc(n * sizeof *jump);
    double *next = precis_xmalloc(n * sizeof *next);

    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            double s = precis_sparse_dot(&vecs[i], &vecs[j]);
            if (s < min_sim)
                continue;
            w[i * n + j] = w[j * n + i] = (float)s;
            out_sum[i] += s;
            out_sum[j] += s;
        }
    }
    double prior_sum = 0;
    for (size_t i = 0; i < n; i++)
        prior_sum += prior && prior[i] > 0 ? prior[i] : 0;
    for (size_t i = 0; i < n; i++)
        jump[i] = prior_sum > 0 ? (prior[i] > 0 ? prior[i] / prior_sum : 0) : 1.0 / (double)n;
    for (size_t i = 0; i < n; i++)
        scores[i] = 1.0 / (double)n;

    for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
        /* Sentences with no edges hand their score back through the jump vector. */
        double dangling = 0;
        for (size_t j = 0; j < n; j++)
            if (out_sum[j] <= 0)
                dangling += scores[j];
        for (size_t i = 0; i < n; i++) {
            double in = 0;
            const float *row = w + i * n;
            for (size_t j = 0; j < n; j++)
                if (row[j] > 0)
                    in += row[j] / out_sum[j] * scores[j];
            next[i] = (1 - DAMPING) * jump[i] + DAMPING * (in + dangling * jump[i]);
        }
        double delta = 0;
        for (size_t i = 0; i < n; i++) {
            delta += fabs(next[i] - scores[i]);
            scores[i] = next[i];
        }
        if (delta < TOLERANCE)
            break;
    }
    free(w);
    free(out_sum);
    free(jump);
    free(next);
}
