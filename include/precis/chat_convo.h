/* The conversation of `precis chat`: its turns, the sources of each answer, what is
 * kept within the model's context budget, and the Markdown written by /save. */
#ifndef PRECIS_CHAT_CONVO_H
#define PRECIS_CHAT_CONVO_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/llm.h"

/* A cited section: its title and deep link (both owned), and the number the model
 * saw it under (0: none; lists then number by position). */
typedef struct precis_chat_source {
    char *title;
    char *link;
    size_t number;
} precis_chat_source;

/* One question and its answer (all owned). */
typedef struct precis_chat_turn {
    char *question;
    char *answer;
    bool cut;                     /* the answer was interrupted or failed part way */
    precis_chat_source *sources;
    size_t n_sources;
} precis_chat_turn;

typedef struct precis_chat_convo {
    precis_chat_turn *turns; /* oldest first */
    size_t n, cap;
    size_t dropped;          /* turns dropped so far to fit the context budget */
} precis_chat_convo;

/* Initialises an empty conversation. */
void precis_chat_convo_init(precis_chat_convo *c);

/* Frees every turn. NULL-safe. */
void precis_chat_convo_release(precis_chat_convo *c);

/* Forgets every turn (/clear). */
void precis_chat_convo_clear(precis_chat_convo *c);

/* Appends a turn: question and answer are copied; sources[0..n) are moved in (the
 * array itself is taken over; the caller must not free it). */
void precis_chat_convo_add(precis_chat_convo *c, const char *question, const char *answer,
                           bool cut, precis_chat_source *sources, size_t n);

/* Estimated tokens the kept turns take as chat messages. */
size_t precis_chat_convo_tokens(const precis_chat_convo *c);

/* Drops the oldest turns until the rest take at most budget tokens; returns how many
 * were dropped (also added to c->dropped). */
size_t precis_chat_convo_fit(precis_chat_convo *c, size_t budget);

/* Sets msgs[0..2n) to the turns as alternating user/assistant messages (borrowing the
 * turns' strings; a cut answer is sent as it is) and returns 2n. msgs must have room
 * for 2 * c->n entries. */
size_t precis_chat_convo_messages(const precis_chat_convo *c, precis_llm_message *msgs);

/* Appends the conversation as Markdown: a title line, then each question as a "##"
 * heading, its answer, and its sources as a link list. */
void precis_chat_convo_markdown(const precis_chat_convo *c, const char *title, precis_buf *out);

/* Frees sources[0..n) and the array. NULL-safe. */
void precis_chat_sources_free(precis_chat_source *s, size_t n);

/* Appends the numbered source list ("[3] Title — link", one a line) to out, each
 * numbered by its own number, else by its position. */
void precis_chat_sources_format(const precis_chat_source *s, size_t n, precis_buf *out);

#endif
