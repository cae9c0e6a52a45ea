/* A minimal unit-test harness: CHECK macros count failures; main returns the result. */
#ifndef PRECIS_CHECK_H
#define PRECIS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)

#define CHECK_STR(got, want)                                                           \
    do {                                                                               \
        const char *check_g_ = (got), *check_w_ = (want);                              \
        check_count++;                                                                 \
        if (!check_g_ || strcmp(check_g_, check_w_) != 0) {                            \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: CHECK_STR failed:\n  got:  \"%s\"\n  want: \"%s\"\n", \
                    __FILE__, __LINE__, check_g_ ? check_g_ : "(null)", check_w_);     \
        }                                                                              \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                    \
    do {                                                                               \
        const char *check_h_ = (hay), *check_n_ = (needle);                            \
        check_count++;                                                                 \
        if (!check_h_ || !strstr(check_h_, check_n_)) {                                \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: expected to contain \"%s\" in:\n%s\n", __FILE__,    \
                    __LINE__, check_n_, check_h_ ? check_h_ : "(null)");               \
        }                                                                              \
    } while (0)

/* Prints the plain summary line and returns the process exit status. */
#define CHECK_DONE()                                                                   \
    (printf("%d passed, %d failed\n", check_count - check_failures, check_failures),   \
     check_failures ? 1 : 0)

#endif
