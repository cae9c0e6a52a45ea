/* User text -> FTS5 MATCH expression: quoted words joined with OR, stopwords dropped. */
#include "precis/query.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define MAX_TERMS 32

static const char *const stopwords[] = {
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "done", "each", "else", "for", "from", "get", "gets", "got", "had", "has",
    "have", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "just", "me", "more", "most", "my", "need", "no", "not", "of", "on", "one",
    "only", "or", "other", "our", "out", "over", "same", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "us", "use", "using", "very", "want", "was",
    "way", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "would", "you", "your",
};

bool precis_query_is_stopword(const char *word, size_t n)
{
    size_t lo = 0, hi = sizeof stopwords / sizeof stopwords[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t m = strlen(stopwords[mid]);
        int c = strncasecmp(word, stopwords[mid], n < m ? n : m);
        if (c == 0)
            c = n < m ? -1 : n > m ? 1 : 0;
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

static bool is_token_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c >= 0x80;
}

/* The word trimmed of leading and trailing bytes that no token can hold. */
static void trim(const char **w, size_t *n)
{
    while (*n && !is_token_byte((unsigned char)**w)) {
        (*w)++;
        (*n)--;
    }
    while (*n && !is_token_byte((unsigned char)(*w)[*n - 1]))
        (*n)--;
}

/* True when the whole (trimmed) word is one run of ASCII letters: a stopword candidate. */
static bool plain_word(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)w[i]))
            return false;
    return n > 0;
}

static void put_term(precis_buf *out, const char *w, size_t n, size_t written)
{
    if (written)
        precis_buf_puts(out, " OR ");
    precis_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '"')
            precis_buf_putc(out, '"');
        precis_buf_putc(out, w[i]);
    }
    precis_buf_putc(out, '"');
}

size_t precis_query_build(const char *text, precis_buf *out)
{
    return precis_query_build_filtered(text, NULL, NULL, out);
}

size_t precis_query_build_filtered(const char *text, precis_query_common_fn common, void *ctx,
                                   precis_buf *out)
{
    const char *words[MAX_TERMS];
    size_t lens[MAX_TERMS];
    bool stop[MAX_TERMS];
    size_t n = 0, kept = 0;
    const char *p = text ? text : "";
    while (*p && n < MAX_TERMS) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - w);
        trim(&w, &len);
        if (len == 0)
            continue;
        bool dup = false;
        for (size_t i = 0; i < n && !dup; i++)
            dup = lens[i] == len && strncasecmp(words[i], w, len) == 0;
        if (dup)
            continue;
        words[n] = w;
        lens[n] = len;
        stop[n] = plain_word(w, len) && precis_query_is_stopword(w, len);
        kept += !stop[n];
        n++;
    }
    if (common && kept > 1) { /* leave out words most sections hold, if rarer ones remain */
        bool drop[MAX_TERMS] = {false};
        size_t dropped = 0;
        for (size_t i = 0; i < n; i++) {
            if (stop[i] || !plain_word(words[i], lens[i]))
                continue;
            drop[i] = common(ctx, words[i], lens[i]);
            dropped += drop[i];
        }
        if (dropped < kept)
            for (size_t i = 0; i < n; i++)
                stop[i] = stop[i] || drop[i];
    }
    size_t written = 0;
    for (size_t i = 0; i < n; i++) {
        if (stop[i] && kept > 0)
            continue;
        put_term(out, words[i], lens[i], written++);
    }
    return written;
}
