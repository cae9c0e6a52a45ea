/* Tokenization into index terms: word folding, stopwords, CJK bigrams. */
#include "precis/tokenize.h"

#include <stdlib.h>
#include <string.h>

#include "precis/unicode.h"

/* Longest word kept whole; longer ones are truncated (they are rarely words). */
#define WORD_MAX 64

/* Sorted by byte value (bsearch). */
static const char *const stopwords[] = {
    "a", "aber", "about", "above", "after", "again", "against", "al", "all", "als",
    "also", "am", "an", "and", "any", "are", "aren", "as", "at", "au",
    "auch", "auf", "aus", "aux", "avec", "be", "because", "been", "before", "bei",
    "being", "below", "between", "bin", "bis", "both", "but", "by", "can", "cannot",
    "ce", "ces", "cette", "che", "como", "con", "could", "couldn", "da", "dans",
    "das", "dass", "del", "della", "delle", "dem", "den", "der", "des", "di",
    "did", "didn", "die", "dies", "do", "doch", "does", "doesn", "doing", "don",
    "down", "du", "during", "each", "een", "ein", "eine", "einem", "einen", "einer",
    "eines", "either", "el", "ella", "elle", "else", "em", "en", "er", "es",
    "est", "esta", "este", "et", "even", "ever", "every", "few", "for", "from",
    "further", "f\xC3\xBCr", "get", "gets", "gli", "got", "had", "hadn", "has", "hasn",
    "hat", "have", "haven", "having", "he", "her", "here", "hers", "herself", "het",
    "him", "himself", "his", "how", "however", "i", "ich", "if", "ihr", "il",
    "ils", "im", "in", "into", "is", "isn", "ist", "it", "its", "itself",
    "je", "just", "kann", "la", "las", "le", "les", "let", "leur", "like",
    "ll", "lo", "los", "lui", "mais", "may", "me", "mes", "might", "mit",
    "more", "most", "much", "must", "mustn", "my", "myself", "m\xC3\xA1s", "nach", "neither",
    "nel", "nicht", "no", "noch", "non", "nor", "not", "nous", "now", "nur",
    "n\xC3\xA3o", "oder", "of", "off", "often", "on", "once", "one", "only", "ont",
    "ook", "or", "os", "other", "others", "ou", "our", "ours", "ourselves", "out",
    "over", "own", "par", "para", "pas", "per", "pero", "plus", "por", "pour",
    "qu", "que", "qui", "quite", "rather", "re", "really", "s", "sa", "same",
    "se", "ses", "seu", "shall", "shan", "she", "should", "shouldn", "sich", "sie",
    "sin", "since", "sind", "so", "sobre", "some", "son", "sono", "sont", "su",
    "such", "sur", "sus", "t", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those", "though", "through", "thus",
    "to", "too", "um", "uma", "un", "una", "und", "under", "une", "uno",
    "uns", "until", "up", "upon", "us", "van", "ve", "very", "via", "von",
    "voor", "vous", "war", "was", "wasn", "we", "were", "weren", "what", "when",
    "where", "whether", "which", "while", "who", "whom", "whose", "why", "wie", "will",
    "wir", "wird", "with", "within", "without", "won", "would", "wouldn", "y", "yet",
    "you", "your", "yours", "yourself", "yourselves", "zijn", "zu", "zum", "zur",};

static int compare_word(const void *key, const void *elem)
{
    const char *const *w = elem;
    return strcmp(key, *w);
}

bool precis_is_stopword(const char *word, size_t len)
{
    char w[WORD_MAX + 1];
    if (len == 0 || len > WORD_MAX)
        return false;
    memcpy(w, word, len);
    w[len] = '\0';
    return bsearch(w, stopwords, sizeof stopwords / sizeof stopwords[0], sizeof stopwords[0],
                   compare_word) != NULL;
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#define FNV_OFFSET 0xcbf29ce484222325ULL

uint64_t precis_term_hash(const char *word, size_t len)
{
    return fnv1a(FNV_OFFSET, (const unsigned char *)word, len);
}

static uint64_t bigram_hash(uint32_t a, uint32_t b)
{
    unsigned char bytes[9] = {0x01};
    for (int k = 0; k < 4; k++) {
        bytes[1 + k] = (unsigned char)(a >> (8 * k));
        bytes[5 + k] = (unsigned char)(b >> (8 * k));
    }
    return fnv1a(FNV_OFFSET, bytes, sizeof bytes);
}

/* Strips an English plural ending from an ASCII word in place; returns the new length. */
static size_t stem_plural(char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] >= 0x80 || (w[i] >= '0' && w[i] <= '9'))
            return n;
    if (n > 4 && memcmp(w + n - 3, "ies", 3) == 0) {
        w[n - 3] = 'y';
        return n - 2;
    }
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
        return n - 1;
    return n;
}

static void emit_word(char *w, size_t n, precis_term_fn emit, void *ctx, precis_token_stats *st)
{
    st->words++;
    if (n < 2)
        return;
    if (precis_is_stopword(w, n))
        return;
    n = stem_plural(w, n);
    emit(ctx, precis_term_hash(w, n));
    st->terms++;
}

void precis_tokenize(const char *text, size_t len, precis_term_fn emit, void *ctx,
                     precis_token_stats *stats)
{
    precis_token_stats st = {0, 0, 0};
    char w[WORD_MAX + 4];
    size_t wn = 0;
    bool in_word = false;
    uint32_t prev_cjk = 0;
    size_t cjk_run = 0;
    size_t i = 0, n;
    while (i <= len) {
        uint32_t c = i < len ? precis_uc_decode(text, len, i, &n) : ' ';
        if (i == len)
            n = 1;
        bool cjk = precis_uc_is_cjk(c);
        bool word = !cjk && precis_uc_is_word(c);
        if (!cjk && cjk_run) {
            if (cjk_run == 1) {
                emit(ctx, bigram_hash(prev_cjk, 0));
                st.terms++;
            }
            cjk_run = 0;
        }
        if (cjk) {
            if (cjk_run) {
                emit(ctx, bigram_hash(prev_cjk, c));
                st.terms++;
            }
            prev_cjk = c;
            cjk_run++;
            st.cjk_chars++;
        }
        if (word) {
            uint32_t f = precis_uc_fold(c);
            char enc[4];
            size_t en = precis_uc_encode(f, enc);
            if (wn + en <= WORD_MAX) {
                memcpy(w + wn, enc, en);
                wn += en;
            }
            in_word = true;
        } else if (in_word) {
            emit_word(w, wn, emit, ctx, &st);
            wn = 0;
            in_word = false;
        }
        i += n;
    }
    if (stats)
        *stats = st;
}
