/* Sentence splitting for UTF-8 prose, aware of abbreviations, numbers, URLs,
 * quotes, inline code spans and CJK / Devanagari sentence punctuation. */
#ifndef PRECIS_SENTENCE_H
#define PRECIS_SENTENCE_H

#include <stddef.h>

#include "precis/buf.h"

/* A growable list of slices; items point into the text that was split. */
typedef struct precis_sentences {
    precis_slice *items;
    size_t count;
    size_t cap;
} precis_sentences;

/* Initialises an empty list. Allocates nothing. */
void precis_sentences_init(precis_sentences *list);

/* Frees the list's storage (not the text it points into) and empties it. NULL-safe. */
void precis_sentences_release(precis_sentences *list);

/* Appends the sentences of text[0..len) to list as slices into text, in order,
 * each trimmed of surrounding whitespace and never empty. Newlines count as
 * spaces; a `code span` (Markdown backticks) is never split. */
void precis_sentence_split(const char *text, size_t len, precis_sentences *list);

/* Returns the length of a footnote or reference mark at s[0..len) such as
 * "[12]", "[a]", "[note 3]", "[edit]" or "[citation needed]", or 0 if s does
 * not start with one. Such a mark after a full stop stays with its sentence. */
size_t precis_reference_mark_len(const char *s, size_t len);

#endif
