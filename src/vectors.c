/* Vector blobs (normalise, encode, decode, dot product) and reciprocal rank fusion. */
#include "precis/vectors.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"

bool precis_vec_normalise(float *v, size_t dim)
{
    double sum = 0;
    for (size_t i = 0; i < dim; i++)
        sum += (double)v[i] * (double)v[i];
    if (!(sum > 0) || !isfinite(sum))
        return false;
    double inv = 1.0 / sqrt(sum);
    for (size_t i = 0; i < dim; i++)
        v[i] = (float)(v[i] * inv);
    return true;
}

void precis_vec_encode(const float *v, size_t dim, unsigned char *out)
{
    for (size_t i = 0; i < dim; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        out[4 * i] = (unsigned char)(u & 0xff);
        out[4 * i + 1] = (unsigned char)((u >> 8) & 0xff);
        out[4 * i + 2] = (unsigned char)((u >> 16) & 0xff);
        out[4 * i + 3] = (unsigned char)(u >> 24);
    }
}

static float decode1(const unsigned char *p)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

void precis_vec_decode(const unsigned char *blob, size_t dim, float *out)
{
    for (size_t i = 0; i < dim; i++)
        out[i] = decode1(blob + 4 * i);
}

double precis_vec_dot_blob(const float *a, const unsigned char *blob, size_t dim)
{
    float sum = 0;
    for (size_t i = 0; i < dim; i++)
        sum += a[i] * decode1(blob + 4 * i);
    return sum;
}

typedef struct fused_entry {
    long long id;
    double score;
    size_t best_a; /* rank in list a, or SIZE_MAX */
} fused_entry;

static int by_fused(const void *x, const void *y)
{
    const fused_entry *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    if (a->best_a != b->best_a)
        return a->best_a < b->best_a ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

size_t precis_rrf_fuse(const long long *a, size_t na, const long long *b, size_t nb,
                       precis_fused *out, size_t max)
{
    fused_entry *e = precis_xcalloc(na + nb + 1, sizeof *e);
    size_t n = 0;
    for (int list = 0; list < 2; list++) {
        const long long *ids = list == 0 ? a : b;
        size_t len = list == 0 ? na : nb;
        for (size_t r = 0; r < len; r++) {
            size_t j = 0;
            while (j < n && e[j].id != ids[r])
                j++;
            if (j == n) { /* lists are a few hundred long: a scan is fine */
                e[n].id = ids[r];
                e[n].best_a = SIZE_MAX;
                n++;
            }
            e[j].score += 1.0 / (PRECIS_RRF_K + (double)(r + 1));
            if (list == 0 && e[j].best_a == SIZE_MAX)
                e[j].best_a = r;
        }
    }
    qsort(e, n, sizeof *e, by_fused);
    size_t m = n < max ? n : max;
    for (size_t i = 0; i < m; i++) {
        out[i].id = e[i].id;
        out[i].score = e[i].score;
    }
    free(e);
    return m;
}
