/* The conversation: turns, the context budget, and /save's Markdown. */
#include "precis/chat_convo.h"

#include <stdlib.h>
#include <string.h>

#include "precis/chunk.h"

#define MESSAGE_OVERHEAD 8 /* tokens a chat message costs beyond its text */

void precis_chat_convo_init(precis_chat_convo *c)
{
    memset(c, 0, sizeof *c);
}

void precis_chat_sources_free(precis_chat_source *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].title);
        free(s[i].link);
    }
    free(s);
}

static void turn_free(precis_chat_turn *t)
{
    free(t->question);
    free(t->answer);
    precis_chat_sources_free(t->sources, t->n_sources);
}

void precis_chat_convo_clear(precis_chat_convo *c)
{
    for (size_t i = 0; i < c->n; i++)
        turn_free(&c->turns[i]);
    c->n = 0;
}

void precis_chat_convo_release(precis_chat_convo *c)
{
    if (!c)
        return;
    precis_chat_convo_clear(c);
    free(c->turns);
    memset(c, 0, sizeof *c);
}

void precis_chat_convo_add(precis_chat_convo *c, const char *question, const char *answer,
                           bool cut, precis_chat_source *sources, size_t n)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->turns = precis_xrealloc(c->turns, c->cap * sizeof *c->turns);
    }
    precis_chat_turn *t = &c->turns[c->n++];
    t->question = precis_xstrdup(question ? question : "");
    t->answer = precis_xstrdup(answer ? answer : "");
    t->cut = cut;
    t->sources = sources;
    t->n_sources = n;
}

static size_t turn_tokens(const precis_chat_turn *t)
{
    return precis_estimate_tokens(t->question, strlen(t->question)) +
           precis_estimate_tokens(t->answer, strlen(t->answer)) + 2 * MESSAGE_OVERHEAD;
}

size_t precis_chat_convo_tokens(const precis_chat_convo *c)
{
    size_t sum = 0;
    for (size_t i = 0; i < c->n; i++)
        sum += turn_tokens(&c->turns[i]);
    return sum;
}

size_t precis_chat_convo_fit(precis_chat_convo *c, size_t budget)
{
    size_t total = precis_chat_convo_tokens(c), k = 0;
    while (k < c->n && total > budget) {
        total -= turn_tokens(&c->turns[k]);
        turn_free(&c->turns[k]);
        k++;
    }
    if (k) {
        memmove(c->turns, c->turns + k, (c->n - k) * sizeof *c->turns);
        c->n -= k;
        c->dropped += k;
    }
    return k;
}

size_t precis_chat_convo_messages(const precis_chat_convo *c, precis_llm_message *msgs)
{
    for (size_t i = 0; i < c->n; i++) {
        msgs[2 * i] = (precis_llm_message){"user", c->turns[i].question};
        msgs[2 * i + 1] = (precis_llm_message){"assistant", c->turns[i].answer};
    }
    return 2 * c->n;
}

void precis_chat_sources_format(const precis_chat_source *s, size_t n, precis_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        precis_buf_printf(out, "[%zu] %s", s[i].number ? s[i].number : i + 1, s[i].title);
        if (s[i].link && *s[i].link)
            precis_buf_printf(out, " — %s", s[i].link);
        precis_buf_putc(out, '\n');
    }
}

void precis_chat_convo_markdown(const precis_chat_convo *c, const char *title, precis_buf *out)
{
    precis_buf_printf(out, "# %s\n", title && *title ? title : "precis chat");
    for (size_t i = 0; i < c->n; i++) {
        const precis_chat_turn *t = &c->turns[i];
        precis_buf_puts(out, "\n## ");
        for (const char *p = t->question; *p; p++)
            precis_buf_putc(out, *p == '\n' ? ' ' : *p);
        precis_buf_puts(out, "\n\n");
        precis_buf_puts(out, t->answer);
        if (!precis_buf_ends_with(out, '\n'))
            precis_buf_putc(out, '\n');
        if (t->cut)
            precis_buf_puts(out, "\n*(answer cut short)*\n");
        if (t->n_sources) {
            precis_buf_puts(out, "\nSources:\n\n");
            for (size_t j = 0; j < t->n_sources; j++) {
                if (t->sources[j].link && *t->sources[j].link)
                    precis_buf_printf(out, "- [%s](%s)\n", t->sources[j].title,
                                      t->sources[j].link);
                else
                    precis_buf_printf(out, "- %s\n", t->sources[j].title);
            }
        }
    }
}
