/* Unicode helpers for text analysis: UTF-8 decoding, classes and case folding. */
#include "precis/unicode.h"

uint32_t precis_uc_decode(const char *s, size_t len, size_t i, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s + i;
    size_t avail = len - i;
    unsigned char b = p[0];
    *n = 1;
    if (b < 0x80)
        return b;
    size_t need;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4, c = b & 0x07, min = 0x10000;
    } else {
        return 0xFFFD;
    }
    if (avail < need)
        return 0xFFFD;
    for (size_t k = 1; k < need; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0xFFFD;
        c = (c << 6) | (p[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0xFFFD;
    *n = need;
    return c;
}

size_t precis_uc_encode(uint32_t c, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

bool precis_uc_is_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

bool precis_uc_is_cjk(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x11FF) ||   /* Hangul Jamo */
           c == 0x3005 || c == 0x3006 ||     /* iteration and closing marks */
           (c >= 0x3041 && c <= 0x30FA) ||   /* Hiragana, Katakana */
           (c >= 0x30FC && c <= 0x30FF) ||
           (c >= 0x31F0 && c <= 0x31FF) ||
           (c >= 0x3400 && c <= 0x4DBF) ||   /* Han extension A */
           (c >= 0x4E00 && c <= 0x9FFF) ||   /* Han */
           (c >= 0xAC00 && c <= 0xD7AF) ||   /* Hangul syllables */
           (c >= 0xF900 && c <= 0xFAFF) ||   /* Han compatibility */
           (c >= 0xFF66 && c <= 0xFF9F) ||   /* half-width Katakana */
           (c >= 0x20000 && c <= 0x3FFFF);   /* Han extensions B.. */
}

static bool is_punct_or_symbol(uint32_t c)
{
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    if (c <= 0xBF)
        return c != 0xAA && c != 0xB5 && c != 0xBA;
    if (c == 0xD7 || c == 0xF7)
        return true;
    if (c == 0x037E || c == 0x0387 || c == 0x0589 || c == 0x05BE || c == 0x05C3)
        return true;
    if (c == 0x060C || c == 0x061B || c == 0x061F || (c >= 0x066A && c <= 0x066D) ||
        c == 0x06D4)
        return true;
    if (c == 0x0964 || c == 0x0965 || c == 0x0970)
        return true;
    if (c >= 0x2000 && c <= 0x2BFF)   /* punctuation, symbols, arrows, math, boxes */
        return true;
    if (c >= 0x2E00 && c <= 0x2E7F)
        return true;
    if (c >= 0x3000 && c <= 0x303F)
        return c != 0x3005 && c != 0x3006;
    if (c == 0x30FB)
        return true;
    if ((c >= 0xFE00 && c <= 0xFE6F) || c == 0xFEFF)
        return true;
    if (c >= 0xFF00 && c <= 0xFF65)
        return !((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
                 (c >= 0xFF41 && c <= 0xFF5A));
    if (c >= 0xFFF0 && c <= 0xFFFF)
        return true;
    if (c >= 0x1F000 && c <= 0x1FAFF)  /* emoji and pictographs */
        return true;
    return false;
}

bool precis_uc_is_word(uint32_t c)
{
    return !precis_uc_is_space(c) && !is_punct_or_symbol(c);
}

uint32_t precis_uc_fold(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130)
            return 'i';
        if (c == 0x178)
            return 0xFF;
        if ((c <= 0x137 || (c >= 0x14A && c <= 0x177)) && c % 2 == 0)
            return c + 1;
        if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && c % 2 == 1)
            return c + 1;
        return c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0xFF10 && c <= 0xFF19)
        return '0' + (c - 0xFF10);
    if (c >= 0xFF21 && c <= 0xFF3A)
        return 'a' + (c - 0xFF21);
    if (c >= 0xFF41 && c <= 0xFF5A)
        return 'a' + (c - 0xFF41);
    return c;
}

bool precis_uc_is_upper(uint32_t c)
{
    if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF41 && c <= 0xFF5A))
        return false;
    return precis_uc_fold(c) != c;
}

bool precis_uc_is_lower(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) ||
           (c >= 0x3AC && c <= 0x3CE) || (c >= 0x430 && c <= 0x45F) ||
           (c >= 0x100 && c <= 0x17F && !precis_uc_is_upper(c)) ||
           (c >= 0xFF41 && c <= 0xFF5A);
}
