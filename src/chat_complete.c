/* Tab completion for the REPL: command names, then each command's arguments (section
 * titles, link and page numbers, prompt and model names, languages, file names). */
#include "precis/chat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <readline/readline.h>

#include "precis/doc_outline.h"
#include "precis/prompt.h"

static precis_chat *session;

/* The candidates of the completion in progress (owned here) and the typed prefix. */
static char **cands;
static size_t n_cands, cap_cands;
static size_t skip; /* bytes of each candidate already on the line before the word */

static void cands_reset(void)
{
    for (size_t i = 0; i < n_cands; i++)
        free(cands[i]);
    n_cands = 0;
    skip = 0;
}

static void cand_add(const char *s)
{
    if (n_cands == cap_cands) {
        cap_cands = cap_cands ? cap_cands * 2 : 32;
        cands = precis_xrealloc(cands, cap_cands * sizeof *cands);
    }
    cands[n_cands++] = precis_xstrdup(s);
}

/* Yields the candidates that start with what is typed (ASCII case ignored), minus the
 * part that is on the line before the word being completed. */
static char *generate(const char *text, int state)
{
    static size_t i;
    static const char *typed;
    static size_t typed_len;
    if (!state) {
        i = 0;
        typed = rl_line_buffer + (rl_point - (int)strlen(text)) - (int)skip;
        typed_len = strlen(text) + skip;
    }
    while (i < n_cands) {
        const char *c = cands[i++];
        if (strlen(c) >= typed_len && strncasecmp(c, typed, typed_len) == 0)
            return strdup(c + skip);
    }
    return NULL;
}

static void add_sections(void)
{
    precis_doc *doc = precis_chat_doc(session);
    precis_heading *h;
    size_t n = precis_outline(doc, &h);
    for (size_t i = 0; i < n; i++)
        if (h[i].title[0])
            cand_add(h[i].title);
    precis_outline_free(h, n);
}

static void add_numbers(size_t n)
{
    char num[32];
    for (size_t i = 1; i <= n; i++) {
        snprintf(num, sizeof num, "%zu", i);
        cand_add(num);
    }
}

static void add_links(void)
{
    const precis_node **links;
    size_t n = precis_doc_links(precis_chat_doc(session), &links);
    free(links);
    add_numbers(n);
}

static void add_prompts(void)
{
    precis_prompt_info *items;
    size_t n;
    precis_error err;
    if (precis_prompt_list(&items, &n, &err) != PRECIS_OK)
        return;
    for (size_t i = 0; i < n; i++)
        cand_add(items[i].name);
    precis_prompt_list_free(items, n);
}

static void add_models(void)
{
    if (!precis_chat_list_models(session))
        return;
    for (size_t i = 0; i < session->n_models; i++)
        cand_add(session->models[i]);
}

static void add_langs(void)
{
    static const char *const langs[] = {"Arabic", "Chinese", "Dutch", "English", "French",
                                        "German", "Hindi", "Italian", "Japanese", "Korean",
                                        "Polish", "Portuguese", "Russian", "Spanish",
                                        "Swedish", "Turkish", "Ukrainian"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
        cand_add(langs[i]);
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;
    cands_reset();
    const char *line = rl_line_buffer;
    int lead = 0;
    while (line[lead] == ' ')
        lead++;
    if (line[lead] != '/')
        return NULL; /* a question: nothing to complete */
    int name_end = lead + 1;
    while (line[name_end] && line[name_end] != ' ')
        name_end++;
    if (start <= lead + 1 && rl_point <= name_end) {
        size_t n;
        const char *const *names = precis_chat_command_names(&n);
        char slash[40];
        for (size_t i = 0; i < n; i++) {
            snprintf(slash, sizeof slash, "/%s", names[i]);
            cand_add(slash);
        }
        return rl_completion_matches(text, generate);
    }
    char cmd[32];
    size_t clen = (size_t)(name_end - lead - 1);
    if (clen >= sizeof cmd)
        return NULL;
    memcpy(cmd, line + lead + 1, clen);
    cmd[clen] = '\0';
    int arg = name_end;
    while (line[arg] == ' ')
        arg++;
    if (strcmp(cmd, "open") == 0 || strcmp(cmd, "save") == 0) {
        rl_attempted_completion_over = 0;
        rl_filename_completion_desired = 1;
        return rl_completion_matches(text, rl_filename_completion_function);
    }
    if (strcmp(cmd, "read") == 0) {
        add_sections();
        /* Titles hold spaces: match the whole argument, hand back what follows the word. */
        skip = start > arg ? (size_t)(start - arg) : 0;
        rl_completion_suppress_append = 1;
    } else if (strcmp(cmd, "follow") == 0) {
        add_links();
    } else if (strcmp(cmd, "close") == 0) {
        add_numbers(session->n_pages);
    } else if (strcmp(cmd, "prompt") == 0 || strcmp(cmd, "summary") == 0) {
        add_prompts();
    } else if (strcmp(cmd, "model") == 0) {
        add_models();
    } else if (strcmp(cmd, "lang") == 0) {
        add_langs();
    } else {
        return NULL;
    }
    return rl_completion_matches(text, generate);
}

void precis_chat_complete_install(precis_chat *chat)
{
    session = chat;
    if (!chat) {
        cands_reset();
        free(cands);
        cands = NULL;
        cap_cands = 0;
        rl_attempted_completion_function = NULL;
        return;
    }
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n";
    rl_completer_word_break_characters = " \t\n";
}
