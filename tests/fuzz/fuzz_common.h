/* Checks shared by the fuzz harnesses (and their regression replay). */
#ifndef PRECIS_FUZZ_COMMON_H
#define PRECIS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>

/* True if s has a control character other than tab and newline (C0, DEL, C1). */
static inline bool fuzz_has_control(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n') || p[i] == 0x7F)
            return true;
        if (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            return true;
    }
    return false;
}

#endif
