/* The REPL's session commands: /sources, /model, /prompt, /lang, /save and /clear. */
#include "precis/chat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/prompt.h"

/* Prints a short informational line (sanitised; not rendered). */
static void say(precis_chat *chat, const char *fmt, ...) PRECIS_PRINTF(2, 3);

static void say(precis_chat *chat, const char *fmt, ...)
{
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    precis_chat_print_text(chat, line, strlen(line));
}

void precis_chat_cmd_sources(precis_chat *chat, const char *arg)
{
    (void)arg;
    if (chat->n_sources == 0) {
        say(chat, "(no sources yet: ask a question first)\n");
        return;
    }
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_chat_sources_format(chat->sources, chat->n_sources, &b);
    precis_chat_print_text(chat, b.ptr, b.len);
    precis_buf_release(&b);
}

/* Connects to the model again after a switch (the first connection may have failed). */
static bool reconnect(precis_chat *chat)
{
    precis_cli_model *cm = &chat->cm;
    precis_model_release(&cm->model);
    precis_prompt_free(cm->prompt);
    precis_prompt_free(cm->map);
    precis_prompt_free(cm->reduce);
    cm->prompt = cm->map = cm->reduce = NULL;
    precis_error err;
    precis_error_clear(&err);
    if (precis_cli_model_connect(cm, chat->cli, &err) != PRECIS_OK) {
        chat->online = false;
        precis_chat_fail(chat, 4, "%s; questions get offline answers", err.msg);
        return false;
    }
    chat->online = true;
    return true;
}

void precis_chat_cmd_model(precis_chat *chat, const char *arg)
{
    const precis_config *cfg = chat->cm.cfg;
    if (!*arg) {
        if (!chat->online)
            say(chat, "model: offline (%s)\n",
                chat->cli->offline ? "--offline"
                : chat->cm.configured ? "the endpoint could not be used"
                                      : "no model configured: set OPENAI_BASE_URL or "
                                        "OPENAI_API_KEY, or add a profile to "
                                        "~/.config/precis/config");
        else
            say(chat, "model: %s  (%s)\n",
                precis_config_model(cfg) ? precis_config_model(cfg) : "(the endpoint's default)",
                precis_config_base_url(cfg) ? precis_config_base_url(cfg) : "");
        return;
    }
    if (chat->cli->offline || !chat->cm.configured) {
        precis_chat_fail(chat, 1, "/model: no model endpoint is configured%s",
                         chat->cli->offline ? " (--offline)" : "; set OPENAI_BASE_URL or add a profile");
        return;
    }
    precis_error err;
    precis_error_clear(&err);
    if (precis_config_set(chat->cm.cfg, "model", arg, "/model", &err) != PRECIS_OK) {
        precis_chat_fail(chat, 1, "/model: %s", err.msg);
        return;
    }
    if (!chat->online && !reconnect(chat))
        return;
    if (chat->interactive)
        say(chat, "model: %s\n", arg);
}

void precis_chat_cmd_prompt(precis_chat *chat, const char *arg)
{
    precis_error err;
    precis_error_clear(&err);
    if (!*arg) {
        precis_prompt_info *items;
        size_t n;
        precis_buf b;
        precis_buf_init(&b, 0);
        precis_buf_printf(&b, "prompt (for /summary): %s\n", chat->summary_prompt);
        if (precis_prompt_list(&items, &n, &err) == PRECIS_OK) {
            precis_buf_puts(&b, "available:");
            for (size_t i = 0; i < n; i++)
                precis_buf_printf(&b, " %s", items[i].name);
            precis_buf_puts(&b, "\n");
            precis_prompt_list_free(items, n);
        }
        precis_chat_print_text(chat, b.ptr, b.len);
        precis_buf_release(&b);
        return;
    }
    precis_prompt *p = NULL;
    if (precis_prompt_load(arg, &p, &err) != PRECIS_OK) {
        precis_chat_fail(chat, 1, "/prompt: %s", err.msg);
        return;
    }
    free(chat->summary_prompt);
    chat->summary_prompt = precis_xstrdup(arg);
    if (chat->interactive)
        say(chat, "prompt: %s%s%s\n", p->name, p->description[0] ? " — " : "", p->description);
    precis_prompt_free(p);
}

void precis_chat_cmd_lang(precis_chat *chat, const char *arg)
{
    if (!*arg) {
        say(chat, "lang: %s\n", chat->lang ? chat->lang : "(the model's choice)");
        return;
    }
    if (strlen(arg) > 64) {
        precis_chat_fail(chat, 1, "/lang: expected a language name of at most 64 bytes");
        return;
    }
    free(chat->lang);
    chat->lang = strcmp(arg, "-") == 0 || strcmp(arg, "none") == 0 ? NULL : precis_xstrdup(arg);
    if (chat->interactive)
        say(chat, "lang: %s\n", chat->lang ? chat->lang : "(the model's choice)");
}

void precis_chat_cmd_save(precis_chat *chat, const char *arg)
{
    if (!*arg) {
        precis_chat_fail(chat, 1, "/save needs a file name: /save notes.md");
        return;
    }
    precis_buf path, md;
    precis_buf_init(&path, 0);
    precis_buf_init(&md, 0);
    const char *home = getenv("HOME");
    if (arg[0] == '~' && arg[1] == '/' && home)
        precis_buf_printf(&path, "%s%s", home, arg + 1);
    else
        precis_buf_puts(&path, arg);
    precis_buf title;
    precis_buf_init(&title, 0);
    precis_buf_puts(&title, "precis chat");
    for (size_t i = 0; i < chat->n_pages; i++) {
        const precis_doc *d = chat->pages[i].cur.doc;
        precis_buf_printf(&title, "%s%s", i ? "; " : ": ",
                          d->meta.title ? d->meta.title : chat->pages[i].cur.source);
    }
    precis_chat_convo_markdown(&chat->convo, title.ptr, &md);
    FILE *f = fopen(path.ptr, "w");
    bool ok = f && fwrite(md.ptr, 1, md.len, f) == md.len;
    int e = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok)
        precis_chat_fail(chat, 1, "/save: cannot write %s: %s", path.ptr, strerror(e));
    else if (chat->interactive)
        say(chat, "saved %zu turn%s to %s\n", chat->convo.n, chat->convo.n == 1 ? "" : "s",
            path.ptr);
    precis_buf_release(&title);
    precis_buf_release(&path);
    precis_buf_release(&md);
}

void precis_chat_cmd_clear(precis_chat *chat, const char *arg)
{
    (void)arg;
    precis_chat_convo_clear(&chat->convo);
    precis_chat_set_sources(chat, NULL, 0);
    if (chat->interactive)
        say(chat, "conversation cleared; %zu page%s still open\n", chat->n_pages,
            chat->n_pages == 1 ? "" : "s");
}
