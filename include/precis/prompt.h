/* Prompt templates: lookup (user dir over shipped dirs), listing, `{{var}}` expansion.
 *
 * A template is a Markdown file NAME.md (syntax in prompts/README.md):
 *
 *     <!-- description: One line shown by `precis prompts` -->
 *     ## system
 *     ...system message...
 *     ## user
 *     ...user message with {{content}} inside <page>...</page>...
 *
 * Tags: {{var}} inserts a value verbatim (values are never expanded again);
 * {{#var}}...{{/var}} keeps its text only when var is non-empty and
 * {{^var}}...{{/var}} only when it is empty. A section tag alone on its line
 * removes the whole line. Variables: title, url, site, date, lang, length,
 * content, question, part, parts. In every value "<page" and "</page" are
 * written "&lt;page" / "&lt;/page" so page text cannot close the delimiter. */
#ifndef PRECIS_PROMPT_H
#define PRECIS_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"

/* Where a template was found. */
typedef enum precis_prompt_origin {
    PRECIS_PROMPT_SHIPPED = 0, /* shipped with precis (PRECIS_PROMPTS_DIR, source tree, datadir) */
    PRECIS_PROMPT_USER,        /* $XDG_CONFIG_HOME/precis/prompts (overrides shipped) */
    PRECIS_PROMPT_FILE         /* an explicit path given with -p */
} precis_prompt_origin;

/* A parsed template. Every string is owned by the struct; free with precis_prompt_free. */
typedef struct precis_prompt {
    char *name;        /* "summarize"; for a path, the file name without ".md" */
    char *path;        /* the file it came from ("" for text parsed from memory) */
    char *description; /* one line; "" if the file has none */
    char *system;      /* system message template ("" if the file has no system part) */
    char *user;        /* user message template */
    int system_line;   /* file line of the first line of system (for messages) */
    int user_line;     /* file line of the first line of user */
    precis_prompt_origin origin;
} precis_prompt;

/* Values for expansion. Borrowed (not copied); NULL means empty. length is
 * "short", "medium" or "long" and expands to a size hint with a sentence count
 * (any other text is inserted as is). part/parts <= 0 expand to "". */
typedef struct precis_prompt_vars {
    const char *title;
    const char *url;
    const char *site;
    const char *date;
    const char *lang;
    const char *length;
    const char *content;
    const char *question;
    int part;
    int parts;
} precis_prompt_vars;

/* One entry of precis_prompt_list. Strings owned by the list. */
typedef struct precis_prompt_info {
    char *name;
    char *description; /* "" if none; "(broken: ...)" if the file does not parse */
    char *path;
    precis_prompt_origin origin;
    bool overrides; /* a user template that hides a shipped one of the same name */
} precis_prompt_info;

/* Parses template text (len bytes). name and path are used in messages and
 * copied. Checks every tag: unknown variables and unbalanced sections are
 * errors naming the template and the line. On success *out is new (caller
 * frees with precis_prompt_free); on failure *out is NULL. */
precis_result precis_prompt_parse(const char *name, const char *path, const char *text,
                                  size_t len, precis_prompt_origin origin, precis_prompt **out,
                                  precis_error *err);

/* Loads -p NAME|FILE: a path (contains '/', or ends in ".md" and exists) is
 * read directly; a name is looked up in the user prompt dir, then the shipped
 * dirs. Unknown names are an error listing the available ones. *out as above. */
precis_result precis_prompt_load(const char *name_or_path, precis_prompt **out,
                                 precis_error *err);

/* Frees p and its strings. NULL-safe. */
void precis_prompt_free(precis_prompt *p);

/* Expands p with v, appending the system message to system and the user
 * message to user (both caller-owned buffers). */
precis_result precis_prompt_expand(const precis_prompt *p, const precis_prompt_vars *v,
                                   precis_buf *system, precis_buf *user, precis_error *err);

/* Lists every template for `precis prompts`, sorted by name, a user template
 * replacing a shipped one of the same name. *items is a new array of *n entries
 * the caller frees with precis_prompt_list_free. */
precis_result precis_prompt_list(precis_prompt_info **items, size_t *n, precis_error *err);

/* Frees a list from precis_prompt_list. NULL-safe. */
void precis_prompt_list_free(precis_prompt_info *items, size_t n);

/* Appends the user prompt dir ($XDG_CONFIG_HOME/precis/prompts, else
 * ~/.config/precis/prompts) to out; false if neither variable is set. */
bool precis_prompt_user_dir(precis_buf *out);

/* Returns the i-th shipped prompt dir that exists, appended to out; false past the
 * end. The order: PRECIS_PROMPTS_DIR; then, for an installed binary (one with
 * EXEDIR/../share/precis/prompts), that directory alone; else the source tree's
 * prompts/ and PRECIS_DATADIR/prompts. */
bool precis_prompt_shipped_dir(size_t i, precis_buf *out);

#endif
