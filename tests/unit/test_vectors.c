/* Vector blobs (normalise, encode, decode, cosine) and reciprocal rank fusion. */
#include <math.h>

#include "check.h"
#include "precis/vectors.h"

static int near(double a, double b)
{
    return fabs(a - b) < 1e-6;
}

static void test_normalise(void)
{
    float v[3] = {3, 0, 4};
    CHECK(precis_vec_normalise(v, 3));
    CHECK(near(v[0], 0.6) && near(v[1], 0) && near(v[2], 0.8));
    float zero[2] = {0, 0};
    CHECK(!precis_vec_normalise(zero, 2));
    CHECK(zero[0] == 0 && zero[1] == 0);
    float inf[2] = {INFINITY, 1};
    CHECK(!precis_vec_normalise(inf, 2));
}

static void test_blob_round_trip(void)
{
    float v[4] = {1.0f, -0.5f, 0.25f, 1e-20f};
    unsigned char blob[16];
    precis_vec_encode(v, 4, blob);
    /* little-endian float32 whatever the host: 1.0f is 00 00 80 3f */
    CHECK(blob[0] == 0x00 && blob[1] == 0x00 && blob[2] == 0x80 && blob[3] == 0x3f);
    CHECK(blob[7] == 0xbf); /* -0.5f: 00 00 00 bf */
    float back[4];
    precis_vec_decode(blob, 4, back);
    for (int i = 0; i < 4; i++)
        CHECK(back[i] == v[i]);
}

static void test_cosine(void)
{
    float a[3] = {1, 2, 2}, b[3] = {2, 1, -2}, c[3] = {1, 2, 2};
    precis_vec_normalise(a, 3);
    precis_vec_normalise(b, 3);
    precis_vec_normalise(c, 3);
    unsigned char bb[12], cb[12];
    precis_vec_encode(b, 3, bb);
    precis_vec_encode(c, 3, cb);
    CHECK(near(precis_vec_dot_blob(a, bb, 3), 0.0)); /* orthogonal */
    CHECK(near(precis_vec_dot_blob(a, cb, 3), 1.0)); /* the same direction */
}

static void test_rrf(void)
{
    const long long lex[] = {10, 20, 30};
    const long long vec[] = {30, 40, 10};
    precis_fused f[8];
    size_t n = precis_rrf_fuse(lex, 3, vec, 3, f, 8);
    CHECK(n == 4);
    /* 10: 1/61 + 1/63; 30: 1/63 + 1/61 (a tie: 10 ranks better in the first list) */
    CHECK(f[0].id == 10 && f[1].id == 30);
    CHECK(near(f[0].score, 1.0 / 61 + 1.0 / 63) && near(f[1].score, f[0].score));
    CHECK(f[2].id == 20 && near(f[2].score, 1.0 / 62)); /* 20 and 40 tie at 1/62 too */
    CHECK(f[3].id == 40 && near(f[3].score, 1.0 / 62));
    CHECK(precis_rrf_fuse(lex, 3, vec, 3, f, 2) == 2 && f[0].id == 10 && f[1].id == 30);
    CHECK(precis_rrf_fuse(NULL, 0, vec, 3, f, 8) == 3 && f[0].id == 30 &&
          near(f[0].score, 1.0 / 61));
    CHECK(precis_rrf_fuse(NULL, 0, NULL, 0, f, 8) == 0);
    /* one list deep: an id ranked 100th scores 1/160 */
    long long deep[100];
    for (int i = 0; i < 100; i++)
        deep[i] = i + 1;
    CHECK(precis_rrf_fuse(deep, 100, NULL, 0, f, 8) == 8 && f[7].id == 8 &&
          near(f[7].score, 1.0 / 68));
}

int main(void)
{
    test_normalise();
    test_blob_round_trip();
    test_cosine();
    test_rrf();
    return CHECK_DONE();
}
