/* Sentence splitting: finds sentence ends in UTF-8 prose.
 *
 * A sentence ends at a run of terminators (. ? ! … and the CJK / Devanagari
 * full stops), plus any closing quotes or brackets after it. ASCII-style
 * terminators must be followed by whitespace and then something that is not a
 * lowercase letter; a single period after an abbreviation, an initial or a list
 * number does not end a sentence. CJK terminators end a sentence at once. */
#include "precis/sentence.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/unicode.h"

/* How far a backtick run looks for its closing run. */
#define CODE_SPAN_MAX 1000

void precis_sentences_init(precis_sentences *list)
{
    list->items = NULL;
    list->count = 0;
    list->cap = 0;
}

void precis_sentences_release(precis_sentences *list)
{
    if (!list)
        return;
    free(list->items);
    precis_sentences_init(list);
}

/* Words after which a single period never ends a sentence (lowercase, no final dot). */
static const char *const never_end[] = {
    "adm",  "approx", "art",  "capt", "cf",   "ch",   "chap", "cmdr", "col",  "dept",
    "dr",   "e.g",    "eds",  "eq",   "eqs",  "esp",  "fig",  "figs", "gen",  "gov",
    "hon",  "i.e",    "incl", "lt",   "mr",   "mrs",  "ms",   "mt",   "mx",   "no",
    "nos",  "op",     "pp",   "pres", "prof", "ref",  "refs", "rep",  "resp", "rev",
    "sen",  "sgt",    "st",   "supt", "viz",  "vol",  "vols", "vs",
};

/* Month abbreviations: no sentence end when a day number follows. */
static const char *const months[] = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
};

/* Words that usually start a sentence: after "U.S." or "p.m." they mark a new one. */
static const char *const starters[] = {
    "a",    "after", "also",  "an",   "and",  "as",    "at",    "before", "but",  "for",
    "he",   "her",   "here",  "his",  "how",  "however", "i",   "if",     "in",   "it",
    "its",  "many",  "most",  "my",   "on",   "our",   "she",   "so",     "some", "that",
    "the",  "their", "then",  "there", "these", "they", "this", "those",  "we",   "what",
    "when", "while", "why",   "you",
};

static bool in_list(const char *const *list, size_t n, const char *word)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], word) == 0)
            return true;
    return false;
}

#define IN_LIST(list, word) in_list(list, sizeof list / sizeof list[0], word)

static bool is_terminator(uint32_t c)
{
    return c == '.' || c == '?' || c == '!' || c == 0x2026 || c == 0x203C ||
           (c >= 0x2047 && c <= 0x2049) || c == 0x061F || c == 0x06D4 || c == 0x0964 ||
           c == 0x0965 || c == 0x3002 || c == 0xFF01 || c == 0xFF0E || c == 0xFF1F ||
           c == 0xFF61;
}

/* Terminators of scripts that need no space after a full stop. */
static bool ends_at_once(uint32_t c)
{
    return c == 0x0964 || c == 0x0965 || c == 0x3002 || c == 0xFF01 || c == 0xFF0E ||
           c == 0xFF1F || c == 0xFF61;
}

static bool is_closer(uint32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == 0x2019 ||
           c == 0x201D || c == 0xBB || c == 0x203A || c == 0x3009 || c == 0x300B ||
           c == 0x300D || c == 0x300F || c == 0x3011 || c == 0x3015 || c == 0x3017 ||
           c == 0xFF09 || c == 0xFF3D || c == 0xFF5D || c == 0xFF63;
}

static bool is_digit_cp(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* Returns the length of a footnote or reference mark at s ("[12]", "[a]",
 * "[edit]", "[note 3]", "[citation needed]"), or 0 if there is none. */
size_t precis_reference_mark_len(const char *s, size_t len)
{
    if (len < 3 || s[0] != '[')
        return 0;
    size_t close = 1;
    while (close < len && close <= 20 && s[close] != ']' && s[close] != '[')
        close++;
    if (close >= len || s[close] != ']' || close == 1)
        return 0;
    const char *in = s + 1;
    size_t n = close - 1;
    static const char *const words[] = {"edit", "citation needed", "clarification needed",
                                        "who?", "when?", "by whom?", "dubious", "update"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && memcmp(in, words[i], n) == 0)
            return close + 1;
    if (n == 1 && in[0] >= 'a' && in[0] <= 'z')
        return close + 1;
    size_t k = 0;
    if (n > 5 && memcmp(in, "note ", 5) == 0)
        k = 5;
    if (k == n)
        return 0;
    for (; k < n; k++)
        if (in[k] < '0' || in[k] > '9')
            return 0;
    return close + 1;
}

/* Returns the index just past a code span starting at the backtick run at i,
 * or past the run itself when it has no closing run nearby. */
static size_t skip_code_span(const char *s, size_t len, size_t i)
{
    size_t run = 0;
    while (i + run < len && s[i + run] == '`')
        run++;
    size_t limit = i + run + CODE_SPAN_MAX < len ? i + run + CODE_SPAN_MAX : len;
    size_t j = i + run;
    while (j < limit) {
        if (s[j] != '`') {
            j++;
            continue;
        }
        size_t k = 0;
        while (j + k < len && s[j + k] == '`')
            k++;
        if (k == run)
            return j + k;
        j += k;
    }
    return i + run;
}

/* Copies the word ending just before s[end] (stripped of leading punctuation),
 * lowercased, into out (size outsz). Returns its length, or 0 if it is empty,
 * too long or not ASCII. Sets *word_start to where the word begins. */
static size_t word_before(const char *s, size_t from, size_t end, char *out, size_t outsz,
                          size_t *word_start)
{
    size_t b = end;
    while (b > from && s[b - 1] != ' ' && s[b - 1] != '\n' && s[b - 1] != '\t' &&
           s[b - 1] != '\r' && (unsigned char)s[b - 1] != 0xA0)
        b--;
    /* Strip leading opening punctuation (ASCII or not). */
    while (b < end) {
        size_t n;
        uint32_t c = precis_uc_decode(s, end, b, &n);
        if (precis_uc_is_word(c))
            break;
        b += n;
    }
    *word_start = b;
    size_t n = end - b;
    if (n == 0 || n >= outsz)
        return 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)s[b + k];
        if (ch >= 0x80)
            return 0;
        out[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    out[n] = '\0';
    return n;
}

/* Returns true for "u.s", "a.m", "ph.d": dot-separated parts of 1-2 letters. */
static bool is_dotted_acronym(const char *w)
{
    size_t part = 0;
    bool dotted = false;
    for (const char *p = w; *p; p++) {
        if (*p == '.') {
            if (part == 0)
                return false;
            dotted = true;
            part = 0;
        } else if (*p >= 'a' && *p <= 'z') {
            if (++part > 2)
                return false;
        } else {
            return false;
        }
    }
    return dotted && part > 0;
}

/* Returns true if the next word (at s[j]) is a common sentence opener. */
static bool next_is_starter(const char *s, size_t len, size_t j)
{
    char w[16];
    size_t n = 0;
    while (j + n < len && n < sizeof w - 1) {
        unsigned char ch = (unsigned char)s[j + n];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            break;
        w[n] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        n++;
    }
    if (n == 0 || (j + n < len && ((s[j + n] >= 'a' && s[j + n] <= 'z') ||
                                   (s[j + n] >= 'A' && s[j + n] <= 'Z'))))
        return false;
    w[n] = '\0';
    return IN_LIST(starters, w);
}

/* Decides whether a single period at s[dot] ends the sentence that began at
 * start, given that the next sentence would begin at s[next] (not lowercase). */
static bool period_ends_sentence(const char *s, size_t len, size_t start, size_t dot, size_t next)
{
    char w[16];
    size_t ws;
    size_t n = word_before(s, start, dot, w, sizeof w, &ws);
    if (n == 0)
        return true;
    if (n == 1 && w[0] >= 'a' && w[0] <= 'z' && s[ws] >= 'A' && s[ws] <= 'Z' && s[ws] != 'I')
        return false; /* an initial: J. R. R. Tolkien */
    if (IN_LIST(never_end, w))
        return false;
    size_t nc;
    uint32_t c = precis_uc_decode(s, len, next, &nc);
    if (IN_LIST(months, w) && is_digit_cp(c))
        return false;
    if (is_dotted_acronym(w))
        return next_is_starter(s, len, next);
    if (n <= 3 && strspn(w, "0123456789") == n) {
        /* "1. Install": a list number opening the sentence. */
        size_t first = start;
        while (first < dot) {
            uint32_t sc = precis_uc_decode(s, len, first, &nc);
            if (!precis_uc_is_space(sc))
                break;
            first += nc;
        }
        if (first == ws)
            return false;
    }
    return true;
}

static void push(precis_sentences *list, const char *s, size_t from, size_t to)
{
    size_t n;
    while (from < to) {
        uint32_t c = precis_uc_decode(s, to, from, &n);
        if (!precis_uc_is_space(c))
            break;
        from += n;
    }
    while (to > from) {
        /* Step back to the start of the last character. */
        size_t k = to - 1;
        while (k > from && ((unsigned char)s[k] & 0xC0) == 0x80 && to - k < 4)
            k--;
        uint32_t c = precis_uc_decode(s, to, k, &n);
        if (k + n != to || !precis_uc_is_space(c))
            break;
        to = k;
    }
    if (from >= to)
        return;
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 16;
        list->items = precis_xrealloc(list->items, list->cap * sizeof *list->items);
    }
    list->items[list->count].ptr = s + from;
    list->items[list->count].len = to - from;
    list->count++;
}

void precis_sentence_split(const char *text, size_t len, precis_sentences *list)
{
    size_t start = 0, i = 0, n;
    while (i < len) {
        if (text[i] == '`') {
            i = skip_code_span(text, len, i);
            continue;
        }
        uint32_t c = precis_uc_decode(text, len, i, &n);
        if (!is_terminator(c)) {
            i += n;
            continue;
        }
        size_t term = i, dots = 0, others = 0;
        bool at_once = false;
        if (c == 0xFF0E && term > 0) {
            /* A full-width point between digits is a decimal point. */
            size_t pn;
            size_t p = term - 1;
            while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80)
                p--;
            uint32_t prev = precis_uc_decode(text, len, p, &pn);
            uint32_t nxt = i + n < len ? precis_uc_decode(text, len, i + n, &pn) : 0;
            if (is_digit_cp(prev) && is_digit_cp(nxt)) {
                i += n;
                continue;
            }
        }
        while (i < len) {
            c = precis_uc_decode(text, len, i, &n);
            if (!is_terminator(c))
                break;
            if (c == '.')
                dots++;
            else
                others++;
            if (ends_at_once(c))
                at_once = true;
            i += n;
        }
        while (i < len) {
            c = precis_uc_decode(text, len, i, &n);
            if (is_closer(c))
                i += n;
            else if (c == '[' && precis_reference_mark_len(text + i, len - i))
                i += precis_reference_mark_len(text + i, len - i);
            else
                break;
        }
        size_t end = i;
        if (at_once) {
            push(list, text, start, end);
            start = end;
            continue;
        }
        if (i >= len)
            break;
        c = precis_uc_decode(text, len, i, &n);
        if (!precis_uc_is_space(c))
            continue;
        size_t j = i;
        while (j < len) {
            c = precis_uc_decode(text, len, j, &n);
            if (!precis_uc_is_space(c))
                break;
            j += n;
        }
        if (j >= len)
            break;
        if (precis_uc_is_lower(c))
            continue;
        if (dots == 1 && others == 0 && !period_ends_sentence(text, len, start, term, j))
            continue;
        push(list, text, start, end);
        start = end;
    }
    push(list, text, start, len);
}
