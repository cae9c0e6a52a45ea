/* Unit tests for the edit distance behind did-you-mean suggestions. */
#include <string.h>

#include "check.h"
#include "precis/strdist.h"

static int d(const char *a, const char *b)
{
    return precis_edit_distance(a, strlen(a), b, strlen(b));
}

int main(void)
{
    CHECK(d("", "") == 0);
    CHECK(d("model", "model") == 0);
    CHECK(d("modle", "model") == 2);
    CHECK(d("mode", "model") == 1);
    CHECK(d("", "abc") == 3);
    CHECK(d("kitten", "sitting") == 3);
    CHECK(precis_edit_distance("questionx", 8, "question", 8) == 0);
    char longer[64];
    memset(longer, 'a', sizeof longer - 1);
    longer[63] = '\0';
    CHECK(d(longer, "a") == 99);
    return CHECK_DONE();
}
