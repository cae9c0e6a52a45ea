/* Token estimates and section-aware splitting of long Markdown. */
#include "precis/chunk.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

size_t precis_estimate_tokens(const char *s, size_t n)
{
    size_t ascii = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            ascii++;
        else if ((c & 0xC0) != 0x80)
            other++;
    }
    return (ascii + 3) / 4 + other;
}

/* Break-point quality at a line start: higher is a better place to cut. */
enum { CUT_NONE, CUT_CHAR, CUT_SENTENCE, CUT_LINE, CUT_PARAGRAPH, CUT_SECTION };

typedef struct cut_scan {
    const char *s;
    size_t len;
    unsigned char *rank; /* rank[i]: quality of cutting just before byte i */
} cut_scan;

static bool is_fence(const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && line[i] == ' ')
        i++;
    return n - i >= 3 && (memcmp(line + i, "```", 3) == 0 || memcmp(line + i, "~~~", 3) == 0);
}

/* Marks every position with the best kind of cut allowed there. */
static void rank_cuts(cut_scan *cs)
{
    const char *s = cs->s;
    size_t len = cs->len;
    bool in_fence = false, prev_blank = false;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && s[end] != '\n')
            end++;
        size_t n = end - i;
        bool blank = n == 0;
        if (i > 0 && !in_fence) {
            if (s[i] == '#')
                cs->rank[i] = CUT_SECTION;
            else if (prev_blank)
                cs->rank[i] = CUT_PARAGRAPH;
            else
                cs->rank[i] = CUT_LINE;
        } else if (i > 0) {
            cs->rank[i] = CUT_LINE;
        }
        if (is_fence(s + i, n))
            in_fence = !in_fence;
        /* inside the line: sentence ends and character boundaries */
        for (size_t j = i + 1; j < end; j++) {
            unsigned char c = (unsigned char)s[j];
            if ((c & 0xC0) == 0x80)
                continue;
            char p = s[j - 1];
            bool sentence = !in_fence && s[j] == ' ' && (p == '.' || p == '!' || p == '?');
            cs->rank[j] = sentence ? CUT_SENTENCE : CUT_CHAR;
        }
        prev_blank = blank;
        i = end < len ? end + 1 : end;
    }
}

void precis_chunk_markdown(const char *markdown, size_t len, size_t max_tokens,
                           precis_slice **chunks, size_t *n)
{
    size_t cap = 8, count = 0;
    precis_slice *out = precis_xmalloc(cap * sizeof *out);
    if (max_tokens < 1)
        max_tokens = 1;
    cut_scan cs = {markdown, len, precis_xcalloc(len + 1, 1)};
    rank_cuts(&cs);

    size_t start = 0;
    while (start < len) {
        /* Walk forward while the estimate fits, remembering the last cut of each kind. */
        size_t ascii = 0, other = 0, pos = start;
        size_t last_at[CUT_SECTION + 1] = {0};
        while (pos < len) {
            unsigned char c = (unsigned char)markdown[pos];
            if (c < 0x80)
                ascii++;
            else if ((c & 0xC0) != 0x80)
                other++;
            if ((ascii + 3) / 4 + other > max_tokens)
                break;
            pos++;
            if (pos < len)
                last_at[cs.rank[pos]] = pos;
        }
        size_t end = 0;
        if (pos >= len) {
            end = len;
        } else {
            /* The best kind of cut in the second half of the window, else any cut. */
            size_t half = start + (pos - start) / 2;
            for (int r = CUT_SECTION; r > CUT_NONE && !end; r--)
                if (last_at[r] > half)
                    end = last_at[r];
            for (int r = CUT_SECTION; r > CUT_NONE && !end; r--)
                if (last_at[r] > start)
                    end = last_at[r];
        }
        if (!end) {
            /* Not even one cut fits: cut at the next character boundary. */
            end = pos > start ? pos : start + 1;
            while (end < len && ((unsigned char)markdown[end] & 0xC0) == 0x80)
                end++;
        }
        if (count == cap) {
            cap *= 2;
            out = precis_xrealloc(out, cap * sizeof *out);
        }
        out[count].ptr = markdown + start;
        out[count].len = end - start;
        count++;
        start = end;
    }
    free(cs.rank);
    *chunks = out;
    *n = count;
}
