/* Edit distance for did-you-mean suggestions. */
#include "precis/strdist.h"

enum { MAX_NAME = 40 };

int precis_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > MAX_NAME || lb > MAX_NAME)
        return 99;
    int row[MAX_NAME + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}
