/* Unit tests for the ranking parts of the offline summarizer: tokenizer, sparse
 * vectors and TextRank. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "precis/textrank.h"
#include "precis/tokenize.h"
#include "precis/unicode.h"

typedef struct terms {
    uint64_t v[64];
    size_t n;
} terms;

static void collect(void *ctx, uint64_t term)
{
    terms *t = ctx;
    if (t->n < 64)
        t->v[t->n++] = term;
}

static terms tokenize(const char *s, precis_token_stats *st)
{
    terms t = {{0}, 0};
    precis_tokenize(s, strlen(s), collect, &t, st);
    return t;
}

static bool has(const terms *t, const char *word)
{
    uint64_t h = precis_term_hash(word, strlen(word));
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i] == h)
            return true;
    return false;
}

static void test_stopwords(void)
{
    const char *stop[] = {"a", "the", "and", "yourselves", "zur", "y", "about", "f\xC3\xBCr",
                          "m\xC3\xA1s", "n\xC3\xA3o", "which", "would", "les", "und"};
    for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
        CHECK(precis_is_stopword(stop[i], strlen(stop[i])));
    const char *content[] = {"honeybee", "database", "fetch", "zebra", "aardvark", ""};
    for (size_t i = 0; i < sizeof content / sizeof content[0]; i++)
        CHECK(!precis_is_stopword(content[i], strlen(content[i])));
    CHECK(precis_is_stopword("thee", 3)); /* only len bytes are read: "the" */
}

static void test_words(void)
{
    precis_token_stats st;
    terms t = tokenize("The Honeybees POLLINATE the crops, don't they? Über-fast bees!", &st);
    CHECK(st.words == 11);
    CHECK(has(&t, "honeybee"));
    CHECK(has(&t, "pollinate"));
    CHECK(has(&t, "crop"));
    CHECK(has(&t, "bee"));
    CHECK(has(&t, "\xC3\xBC" "ber"));
    CHECK(has(&t, "fast"));
    CHECK(!has(&t, "the"));
    CHECK(!has(&t, "they"));
    CHECK(!has(&t, "t"));
    CHECK(st.terms == t.n && t.n == 6);

    t = tokenize("Libraries and studies; class glass status analysis", &st);
    CHECK(has(&t, "library") && has(&t, "study") && has(&t, "class") && has(&t, "glass") &&
          has(&t, "status") && has(&t, "analysis"));
    /* Full-width letters fold to ASCII, Cyrillic and Greek capitals fold. */
    t = tokenize("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBD\x83 \xD0\x9C\xD0\x98\xD0\xA0 \xCE\xA3\xCE\x9F\xCE\xA6", &st);
    CHECK(has(&t, "abc"));
    CHECK(has(&t, "\xD0\xBC\xD0\xB8\xD1\x80"));
    CHECK(has(&t, "\xCF\x83\xCE\xBF\xCF\x86"));
    t = tokenize("", &st);
    CHECK(t.n == 0 && st.words == 0);
    t = tokenize("... --- 42 x", &st);
    CHECK(t.n == 1 && has(&t, "42"));
}

static void test_cjk_bigrams(void)
{
    precis_token_stats st;
    /* 蜜蜂授粉 -> 3 bigrams; a lone 我 -> itself */
    terms a = tokenize("\xE8\x9C\x9C\xE8\x9C\x82\xE6\x8E\x88\xE7\xB2\x89", &st);
    CHECK(a.n == 3 && st.cjk_chars == 4 && st.words == 0);
    terms b = tokenize("\xE8\x9C\x9C\xE8\x9C\x82", &st);
    CHECK(b.n == 1 && b.v[0] == a.v[0]);
    terms c = tokenize("\xE6\x88\x91 ok \xE6\x88\x91\xE3\x80\x82", &st);
    CHECK(c.n == 3 && c.v[0] == c.v[2]); /* "ok" is a word; the two lone chars match */
}

static void test_unicode(void)
{
    size_t n;
    CHECK(precis_uc_decode("\xE2\x82\xAC", 3, 0, &n) == 0x20AC && n == 3);
    CHECK(precis_uc_decode("\xE2\x82", 2, 0, &n) == 0xFFFD && n == 1);
    CHECK(precis_uc_decode("\xC0\xAF", 2, 0, &n) == 0xFFFD && n == 1);
    CHECK(precis_uc_decode("\xED\xA0\x80", 3, 0, &n) == 0xFFFD && n == 1);
    CHECK(precis_uc_decode("\xF0\x9F\x98\x80", 4, 0, &n) == 0x1F600 && n == 4);
    char buf[4];
    CHECK(precis_uc_encode(0x1F600, buf) == 4 && memcmp(buf, "\xF0\x9F\x98\x80", 4) == 0);
    CHECK(precis_uc_encode(0xE9, buf) == 2 && memcmp(buf, "\xC3\xA9", 2) == 0);
    CHECK(precis_uc_is_cjk(0x4E2D) && precis_uc_is_cjk(0x30AB) && !precis_uc_is_cjk('a'));
    CHECK(precis_uc_is_space(0x3000) && precis_uc_is_space(0xA0) && !precis_uc_is_space('x'));
    CHECK(!precis_uc_is_word(0x3002) && !precis_uc_is_word(0x201C) && precis_uc_is_word(0xE9));
    CHECK(precis_uc_fold('Q') == 'q' && precis_uc_fold(0xC9) == 0xE9 && precis_uc_fold(0x0141) == 0x0142);
    CHECK(precis_uc_is_upper(0xC9) && !precis_uc_is_upper(0xE9) && precis_uc_is_lower(0xE9));
}

static void test_textrank(void)
{
    /* Three vectors about one thing and one about another: the hub wins. */
    static const precis_term_weight e0[] = {{1, 0.6f}, {2, 0.8f}};
    static const precis_term_weight e1[] = {{1, 0.6f}, {3, 0.8f}};
    static const precis_term_weight e2[] = {{1, 1.0f}};
    static const precis_term_weight e3[] = {{9, 1.0f}};
    precis_sparse_vec v[] = {{e0, 2}, {e1, 2}, {e2, 1}, {e3, 1}};
    CHECK(fabs(precis_sparse_dot(&v[0], &v[1]) - 0.36) < 1e-6);
    CHECK(precis_sparse_dot(&v[0], &v[3]) == 0);
    double s[4];
    precis_textrank(v, 4, NULL, 0.01, s);
    double sum = s[0] + s[1] + s[2] + s[3];
    CHECK(fabs(sum - 1) < 1e-6);
    CHECK(s[2] > s[0] && s[2] > s[1] && s[0] > s[3]);
    CHECK(fabs(s[0] - s[1]) < 1e-9);
    /* The prior tilts ties toward the favoured sentence. */
    double prior[4] = {2, 1, 1, 1};
    precis_textrank(v, 4, prior, 0.01, s);
    CHECK(s[0] > s[1]);
    /* A graph without edges returns the prior. */
    precis_sparse_vec lone[] = {{e0, 2}, {e3, 1}};
    double p2[2] = {3, 1};
    precis_textrank(lone, 2, p2, 0.01, s);
    CHECK(fabs(s[0] - 0.75) < 1e-6 && fabs(s[1] - 0.25) < 1e-6);
}

int main(void)
{
    test_stopwords();
    test_words();
    test_cjk_bigrams();
    test_unicode();
    test_textrank();
    return CHECK_DONE();
}
