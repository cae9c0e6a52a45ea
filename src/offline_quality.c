/* Offline summarizer: how well a sentence can stand alone in a summary. */
#include <stdint.h>
#include <string.h>

#include "offline_internal.h"
#include "precis/unicode.h"

/* Returns true if needle (lowercase ASCII) occurs in s[0..n), ignoring ASCII case. */
static bool contains_ci(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m) {
            char ch = s[i + k];
            if ((ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != needle[k])
                break;
            k++;
        }
        if (k == m)
            return true;
    }
    return false;
}

/* Site furniture: a sentence containing what and (when set) also is boilerplate. */
static const struct {
    const char *what, *also;
    double factor;
} boilerplate[] = {
    {"cookie", "we use", 0.03},         {"cookie", "accept", 0.03},
    {"cookie", "consent", 0.03},        {"cookie", "browser", 0.03},
    {"cookie", "this site", 0.03},      {"cookie", "website", 0.03},
    {"cookie", "policy", 0.03},         {"cookie", "settings", 0.03},
    {"cookie", "experience", 0.03},     {"subscribe", NULL, 0.03},
    {"click here", NULL, 0.03},         {"copyright", NULL, 0.03},
    {"\xC2\xA9", NULL, 0.03},           {"all rights reserved", NULL, 0.03},
    {"newsletter", NULL, 0.05},         {"privacy policy", NULL, 0.03},
    {"terms of service", NULL, 0.03},   {"terms of use", NULL, 0.03},
    {"follow us", NULL, 0.03},          {"share this", NULL, 0.03},
    {"advertisement", NULL, 0.05},      {"enable javascript", NULL, 0.03},
    {"javascript is disabled", NULL, 0.03}, {"read more", NULL, 0.1},
    {"related articles", NULL, 0.05},   {"related posts", NULL, 0.05},
    {"leave a comment", NULL, 0.03},    {"skip to content", NULL, 0.03},
    {"powered by", NULL, 0.1},          {"sign up", NULL, 0.3},
    {"log in", NULL, 0.3},              {"sign in", NULL, 0.3},
    {"your inbox", NULL, 0.1},          {"sponsored", NULL, 0.2},
};

/* Returns a factor in (0, 1]: how well the sentence can stand in a summary. */
static double sentence_quality(const char *s, size_t n, double words)
{
    double q = 1;
    if (words < 3)
        q *= 0.1;
    else if (words < 5)
        q *= 0.35;
    else if (words < 8)
        q *= 0.8;
    if (words > 45)
        q *= 45 / words;
    for (size_t i = 0; i < sizeof boilerplate / sizeof boilerplate[0]; i++) {
        if (contains_ci(s, n, boilerplate[i].what) &&
            (!boilerplate[i].also || contains_ci(s, n, boilerplate[i].also))) {
            q *= boilerplate[i].factor;
            break;
        }
    }
    /* How it ends: questions and lead-ins to lists read badly alone. */
    size_t end = n;
    while (end > 0 && strchr("\"')]", s[end - 1]))
        end--;
    char last = end ? s[end - 1] : 0;
    if (last == '?')
        q *= 0.6;
    else if (last == ':')
        q *= 0.4;
    else if (last != '.' && last != '!' && (unsigned char)last < 0x80)
        q *= 0.7;
    /* Mostly digits and symbols: tables, code, dates. */
    size_t letters = 0, other = 0;
    for (size_t i = 0, cl; i < n; i += cl) {
        uint32_t ch = precis_uc_decode(s, n, i, &cl);
        if (precis_uc_is_space(ch))
            continue;
        if (precis_uc_is_word(ch) && !(ch >= '0' && ch <= '9'))
            letters++;
        else
            other++;
    }
    if (letters < 2 * other)
        q *= 0.5;
    return q;
}

/* Sentence openers that lean on what came before, and how much that hurts. */
static const struct {
    const char *word;
    double factor;
} context_openers[] = {
    {"actually ", 0.7}, {"also ", 0.7},   {"and ", 0.7},     {"but ", 0.7},  {"however", 0.8},
    {"it's ", 0.85},    {"or ", 0.7},     {"so ", 0.7},      {"that's ", 0.8}, {"then ", 0.8},
    {"these ", 0.85},   {"they ", 0.85},  {"this ", 0.85},   {"those ", 0.85},
};

static bool starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t m = strlen(prefix);
    if (m > n)
        return false;
    for (size_t i = 0; i < m; i++) {
        char ch = s[i];
        if ((ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != prefix[i])
            return false;
    }
    return true;
}

/* Returns a factor in (0, 1] for how well the sentence reads out of context. */
static double form_quality(const char *s, size_t n, bool fragment)
{
    double q = fragment ? 0.75 : 1;
    if (n && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '`'))
        q *= 0.7; /* a fragment, a continued list or a code term */
    for (size_t i = 0; i < sizeof context_openers / sizeof context_openers[0]; i++)
        if (starts_with_ci(s, n, context_openers[i].word)) {
            q *= context_openers[i].factor;
            break;
        }
    /* "Term: definition" glossary lines and "Note:" lead-ins. */
    const char *colon = memchr(s, ':', n < 50 ? n : 50);
    if (colon && (size_t)(colon - s) + 1 < n && s[colon - s + 1] == ' ') {
        size_t spaces = 0;
        for (const char *p = s; p < colon; p++)
            spaces += *p == ' ';
        if (spaces <= 3)
            q *= 0.6;
    }
    /* Mostly inline code. */
    size_t code = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != '`') {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && s[j] != '`')
            j++;
        code += j - i;
        i = j + 1;
    }
    if (code * 10 > n * 3)
        q *= 0.6;
    return q;
}

/* Returns true for the headings of reference lists, comments and link lists. */
bool precis_offline_is_back_matter(const char *h, size_t n)
{
    static const char *const names[] = {
        "bibliography", "citations", "comments", "external links", "footnotes",
        "further reading", "notes", "references", "related", "see also", "sources",
    };
    while (n && (*h == ' ' || *h == '\n'))
        h++, n--;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (starts_with_ci(h, n, names[i]))
            return true;
    return false;
}

double precis_offline_quality(const char *s, size_t n, double words, bool fragment)
{
    return sentence_quality(s, n, words) * form_quality(s, n, fragment);
}
