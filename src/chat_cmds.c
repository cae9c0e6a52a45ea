/* The REPL's command table: dispatch, /help, and "did you mean" for unknown names. */
#include "precis/chat.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "precis/strdist.h"

typedef void (*cmd_fn)(precis_chat *chat, const char *arg);

typedef struct chat_cmd {
    const char *name;
    const char *args;
    const char *help;
    cmd_fn fn; /* NULL: handled in precis_chat_run_line */
} chat_cmd;

static void cmd_help(precis_chat *chat, const char *arg);

static const chat_cmd commands[] = {
    {"open", "URL|FILE", "load a page and make it current", precis_chat_cmd_open},
    {"toc", "", "the current page's outline, numbered", precis_chat_cmd_toc},
    {"read", "[N|ANCHOR|TEXT]", "print a section (no argument: the whole page)",
     precis_chat_cmd_read},
    {"links", "", "the current page's links, numbered", precis_chat_cmd_links},
    {"follow", "N|URL", "open link N (or a URL) in place of the current page",
     precis_chat_cmd_follow},
    {"back", "", "go back to the page before the last /follow", precis_chat_cmd_back},
    {"forward", "", "undo /back", precis_chat_cmd_forward},
    {"search", "TERMS", "the sections of the open pages that match, with deep links",
     precis_chat_cmd_search},
    {"summary", "[PROMPT]", "summarize the current page", precis_chat_cmd_summary},
    {"sources", "", "the sources of the last answer, as deep links", precis_chat_cmd_sources},
    {"pages", "", "the open pages (* marks the current one)", precis_chat_cmd_pages},
    {"close", "[N]", "close page N (default: the current one)", precis_chat_cmd_close},
    {"model", "[NAME]", "show or switch the model", precis_chat_cmd_model},
    {"prompt", "[NAME]", "show or switch the /summary template", precis_chat_cmd_prompt},
    {"lang", "[LANG]", "show or switch the answer language ('-' for the model's choice)",
     precis_chat_cmd_lang},
    {"save", "FILE", "write the conversation as Markdown", precis_chat_cmd_save},
    {"clear", "", "forget the conversation (the pages stay open)", precis_chat_cmd_clear},
    {"edit", "", "write a question in $VISUAL/$EDITOR and send it", NULL},
    {"help", "", "this list", cmd_help},
    {"quit", "", "leave (also /exit or Ctrl-D)", NULL},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

const char *const *precis_chat_command_names(size_t *n)
{
    static const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    *n = N_COMMANDS;
    return names;
}

static void cmd_help(precis_chat *chat, const char *arg)
{
    (void)arg;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, "Type a question to ask it about the open pages, or a command:\n\n");
    for (size_t i = 0; i < N_COMMANDS; i++) {
        char left[64];
        snprintf(left, sizeof left, "/%s%s%s", commands[i].name, commands[i].args[0] ? " " : "",
                 commands[i].args);
        precis_buf_printf(&b, "  %-24s %s\n", left, commands[i].help);
    }
    precis_buf_puts(&b, "\nA line ending in \\ continues on the next line. Tab completes "
                        "commands, section names, link numbers, prompts, models and files.\n");
    fwrite(b.ptr, 1, b.len, stdout);
    fflush(stdout);
    precis_buf_release(&b);
}

bool precis_chat_suggest(const char *name, precis_buf *out)
{
    size_t len = strlen(name);
    int best = 99;
    const char *pick = NULL;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const char *c = commands[i].name;
        int d = precis_edit_distance(name, len, c, strlen(c));
        if (len >= 2 && strncmp(c, name, len) == 0)
            d = 0;
        if (d < best) {
            best = d;
            pick = c;
        }
    }
    if (!pick || best > (len <= 2 ? 1 : 2))
        return false;
    precis_buf_printf(out, "/%s", pick);
    return true;
}

/* Runs /edit: the editor's text is entered as if typed. */
static void run_edit(precis_chat *chat)
{
    char *text = NULL;
    if (!precis_chat_edit(chat, &text))
        return;
    if (text[0] == '/' && strncmp(text, "/edit", 5) == 0 && (!text[5] || isspace((unsigned char)text[5])))
        precis_chat_fail(chat, 1, "/edit: the editor's text cannot be another /edit");
    else
        precis_chat_run_line(chat, text);
    free(text);
}

void precis_chat_run_line(precis_chat *chat, const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t len = strlen(line);
    while (len && isspace((unsigned char)line[len - 1]))
        len--;
    if (len == 0)
        return;
    char *text = precis_xstrndup(line, len);
    if (text[0] != '/' || text[1] == '/') {
        precis_chat_ask(chat, text[0] == '/' ? text + 1 : text);
        free(text);
        return;
    }
    size_t nlen = strcspn(text + 1, " \t\n");
    char *name = precis_xstrndup(text + 1, nlen);
    const char *arg = text + 1 + nlen;
    while (*arg == ' ' || *arg == '\t' || *arg == '\n')
        arg++;
    const chat_cmd *cmd = NULL;
    for (size_t i = 0; i < N_COMMANDS && !cmd; i++)
        if (strcmp(commands[i].name, name) == 0)
            cmd = &commands[i];
    if (!cmd && strcmp(name, "exit") == 0)
        chat->quit = true;
    else if (!cmd && strcmp(name, "?") == 0)
        cmd_help(chat, arg);
    else if (!cmd) {
        precis_buf s;
        precis_buf_init(&s, 0);
        if (precis_chat_suggest(name, &s))
            precis_chat_fail(chat, 1, "unknown command /%s (did you mean %s?); /help lists them",
                             name, s.ptr);
        else
            precis_chat_fail(chat, 1, "unknown command /%s; /help lists them", name);
        precis_buf_release(&s);
    } else if (strcmp(cmd->name, "quit") == 0)
        chat->quit = true;
    else if (strcmp(cmd->name, "edit") == 0)
        run_edit(chat);
    else
        cmd->fn(chat, arg);
    free(name);
    free(text);
}
