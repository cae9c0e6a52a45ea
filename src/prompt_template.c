/* Prompt templates from text: the file format, tag checking and `{{var}}` expansion. */
#include "precis/prompt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/strdist.h"

enum var_index {
    VAR_TITLE,
    VAR_URL,
    VAR_SITE,
    VAR_DATE,
    VAR_LANG,
    VAR_LENGTH,
    VAR_CONTENT,
    VAR_QUESTION,
    VAR_PART,
    VAR_PARTS,
    VAR_COUNT
};

static const char *const var_names[VAR_COUNT] = {
    "title", "url", "site", "date", "lang", "length", "content", "question", "part", "parts",
};

#define MAX_DEPTH 16

typedef enum tok_kind { TOK_TEXT, TOK_VAR, TOK_OPEN, TOK_CLOSE } tok_kind;

typedef struct token {
    tok_kind kind;
    const char *s; /* TOK_TEXT */
    size_t len;
    int var;
    bool inverted;
    int line;
} token;

typedef struct tokens {
    token *v;
    size_t n;
} tokens;

/* Formats the "prompt 'NAME' (PATH) line N: " prefix of an error. */
static precis_result tmpl_error(precis_error *err, const precis_prompt *p, int line,
                                const char *what)
{
    if (p->path && *p->path)
        return precis_error_set(err, PRECIS_ERR_USAGE, "prompt '%s' (%s) line %d: %s", p->name,
                                p->path, line, what);
    return precis_error_set(err, PRECIS_ERR_USAGE, "prompt '%s' line %d: %s", p->name, line,
                            what);
}

static void push(tokens *t, token tok)
{
    t->v = precis_xrealloc(t->v, (t->n + 1) * sizeof *t->v);
    t->v[t->n++] = tok;
}

static bool only_blanks(const char *s, const char *e)
{
    for (; s < e; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

/* Splits a template into tokens, checking every tag. */
static precis_result tokenize(const precis_prompt *p, const char *t, int line0, tokens *out,
                              precis_error *err)
{
    size_t n = strlen(t), pos = 0;
    int line = line0;
    char msg[256];
    while (pos < n) {
        const char *open = strstr(t + pos, "{{");
        size_t text_end = open ? (size_t)(open - t) : n;
        if (text_end > pos)
            push(out, (token){TOK_TEXT, t + pos, text_end - pos, -1, false, line});
        for (size_t i = pos; i < text_end; i++)
            line += t[i] == '\n';
        if (!open)
            break;
        const char *close = strstr(open + 2, "}}");
        const char *nl = strchr(open + 2, '\n');
        if (!close || (nl && nl < close))
            return tmpl_error(err, p, line, "'{{' without '}}' on the same line");
        const char *s = open + 2, *e = close;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        tok_kind kind = TOK_VAR;
        bool inverted = false;
        if (s < e && (*s == '#' || *s == '^' || *s == '/')) {
            kind = *s == '/' ? TOK_CLOSE : TOK_OPEN;
            inverted = *s == '^';
            s++;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
        }
        if (s == e)
            return tmpl_error(err, p, line, "empty tag '{{}}'");
        int var = -1;
        for (int v = 0; v < VAR_COUNT; v++)
            if (strlen(var_names[v]) == (size_t)(e - s) && memcmp(var_names[v], s, (size_t)(e - s)) == 0)
                var = v;
        if (var < 0) {
            const char *hint = NULL;
            for (int v = 0; v < VAR_COUNT && !hint; v++)
                if (precis_edit_distance(s, (size_t)(e - s), var_names[v], strlen(var_names[v])) <= 2)
                    hint = var_names[v];
            snprintf(msg, sizeof msg, "unknown variable '%.*s'%s%s%s (known: title, url, site, "
                     "date, lang, length, content, question, part, parts)",
                     (int)(e - s > 40 ? 40 : e - s), s, hint ? " (did you mean '" : "",
                     hint ? hint : "", hint ? "'?)" : "");
            return tmpl_error(err, p, line, msg);
        }
        pos = (size_t)(close - t) + 2;
        if (kind != TOK_VAR) {
            /* A section tag alone on its line takes the whole line with it. */
            size_t ls = (size_t)(open - t);
            while (ls > 0 && t[ls - 1] != '\n')
                ls--;
            const char *eol = strchr(t + pos, '\n');
            const char *eend = eol ? eol : t + n;
            if (only_blanks(t + ls, open) && only_blanks(t + pos, eend)) {
                if (out->n && out->v[out->n - 1].kind == TOK_TEXT &&
                    out->v[out->n - 1].s + out->v[out->n - 1].len == open)
                    out->v[out->n - 1].len -= (size_t)(open - (t + ls));
                if (eol) {
                    pos = (size_t)(eol - t) + 1;
                    push(out, (token){kind, NULL, 0, var, inverted, line});
                    line++;
                    continue;
                }
                pos = n;
            }
        }
        push(out, (token){kind, NULL, 0, var, inverted, line});
    }
    return PRECIS_OK;
}

static const char *length_hint(const char *v)
{
    if (strcmp(v, "short") == 0)
        return "short, about 3 sentences";
    if (strcmp(v, "medium") == 0)
        return "medium, about 5 to 8 sentences";
    if (strcmp(v, "long") == 0)
        return "long, about 12 to 20 sentences in several paragraphs";
    return v;
}

/* The text a variable expands to ("" when unset); num holds formatted numbers. */
static const char *value_of(const precis_prompt_vars *v, int var, char num[24])
{
    const char *s = NULL;
    switch (var) {
    case VAR_TITLE: s = v->title; break;
    case VAR_URL: s = v->url; break;
    case VAR_SITE: s = v->site; break;
    case VAR_DATE: s = v->date; break;
    case VAR_LANG: s = v->lang; break;
    case VAR_LENGTH: s = v->length ? length_hint(v->length) : NULL; break;
    case VAR_CONTENT: s = v->content; break;
    case VAR_QUESTION: s = v->question; break;
    case VAR_PART:
    case VAR_PARTS: {
        int x = var == VAR_PART ? v->part : v->parts;
        num[0] = '\0';
        if (x > 0)
            snprintf(num, 24, "%d", x);
        s = num;
        break;
    }
    default: break;
    }
    return s ? s : "";
}

/* Appends s verbatim except that "<page" / "</page" (any case) lose their '<'. */
static void append_value(precis_buf *out, const char *s)
{
    const char *start = s;
    for (; *s; s++) {
        if (*s != '<')
            continue;
        const char *q = s + 1;
        if (*q == '/')
            q++;
        if (strncasecmp(q, "page", 4) == 0) {
            precis_buf_append(out, start, (size_t)(s - start));
            precis_buf_puts(out, "&lt;");
            start = s + 1;
        }
    }
    precis_buf_puts(out, start);
}

/* Renders tokens into out (NULL: only check the section structure). */
static precis_result render(const precis_prompt *p, const tokens *t, int line0,
                            const precis_prompt_vars *v, precis_buf *out, precis_error *err)
{
    struct {
        int var;
        int line;
        bool active;
    } stack[MAX_DEPTH];
    int depth = 0;
    bool active = true;
    char num[24], msg[128];
    for (size_t i = 0; i < t->n; i++) {
        const token *k = &t->v[i];
        switch (k->kind) {
        case TOK_TEXT:
            if (active && out)
                precis_buf_append(out, k->s, k->len);
            break;
        case TOK_VAR:
            if (active && out)
                append_value(out, value_of(v, k->var, num));
            break;
        case TOK_OPEN:
            if (depth == MAX_DEPTH)
                return tmpl_error(err, p, k->line, "sections nested too deeply");
            stack[depth].var = k->var;
            stack[depth].line = k->line;
            stack[depth].active = active;
            depth++;
            if (v) {
                bool set = *value_of(v, k->var, num) != '\0';
                active = active && (set != k->inverted);
            }
            break;
        case TOK_CLOSE:
            if (depth == 0 || stack[depth - 1].var != k->var) {
                snprintf(msg, sizeof msg, "'{{/%s}}' does not close an open section%s%s%s",
                         var_names[k->var], depth ? " ('{{#" : "",
                         depth ? var_names[stack[depth - 1].var] : "", depth ? "}}' is open)" : "");
                return tmpl_error(err, p, k->line, msg);
            }
            depth--;
            active = stack[depth].active;
            break;
        }
    }
    if (depth) {
        snprintf(msg, sizeof msg, "section '%s' is never closed with '{{/%s}}'",
                 var_names[stack[depth - 1].var], var_names[stack[depth - 1].var]);
        return tmpl_error(err, p, stack[depth - 1].line, msg);
    }
    (void)line0;
    return PRECIS_OK;
}

/* Tokenizes and renders one part (out NULL: check only). */
static precis_result expand_part(const precis_prompt *p, const char *tmpl, int line0,
                                 const precis_prompt_vars *v, precis_buf *out, precis_error *err)
{
    tokens t = {NULL, 0};
    size_t start = out ? out->len : 0;
    precis_result r = tokenize(p, tmpl, line0, &t, err);
    if (r == PRECIS_OK)
        r = render(p, &t, line0, v, out, err);
    free(t.v);
    /* A dropped section at the end must not leave blank lines behind. */
    while (out && out->len > start && (out->ptr[out->len - 1] == '\n' ||
                                       out->ptr[out->len - 1] == ' '))
        precis_buf_truncate(out, out->len - 1);
    return r;
}

precis_result precis_prompt_expand(const precis_prompt *p, const precis_prompt_vars *v,
                                   precis_buf *system, precis_buf *user, precis_error *err)
{
    precis_result r = expand_part(p, p->system, p->system_line, v, system, err);
    if (r == PRECIS_OK)
        r = expand_part(p, p->user, p->user_line, v, user, err);
    return r;
}

void precis_prompt_free(precis_prompt *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->path);
    free(p->description);
    free(p->system);
    free(p->user);
    free(p);
}

/* A line of the file: [s, s + len) without the newline. */
typedef struct line_view {
    const char *s;
    size_t len;
} line_view;

static void trim_view(line_view *l)
{
    while (l->len && (l->s[0] == ' ' || l->s[0] == '\t'))
        l->s++, l->len--;
    while (l->len && (l->s[l->len - 1] == ' ' || l->s[l->len - 1] == '\t' ||
                      l->s[l->len - 1] == '\r'))
        l->len--;
}

static bool view_is(line_view l, const char *word)
{
    trim_view(&l);
    return l.len == strlen(word) && strncasecmp(l.s, word, l.len) == 0;
}

/* Extracts "description: X" from a comment line or front-matter line, if any. */
static bool description_of(line_view l, precis_buf *out)
{
    trim_view(&l);
    bool comment = l.len >= 7 && memcmp(l.s, "<!--", 4) == 0 &&
                   memcmp(l.s + l.len - 3, "-->", 3) == 0;
    if (comment) {
        l.s += 4;
        l.len -= 7;
        trim_view(&l);
    }
    if (l.len < 12 || strncasecmp(l.s, "description:", 12) != 0)
        return false;
    l.s += 12;
    l.len -= 12;
    trim_view(&l);
    precis_buf_reset(out);
    precis_buf_append(out, l.s, l.len);
    return true;
}

/* Copies lines [from, to) of the file as one part, without leading blank lines
 * and trailing whitespace; *first gets the line number of its first line. */
static char *part_text(const line_view *lines, size_t from, size_t to, int *first)
{
    while (from < to) {
        line_view l = lines[from];
        trim_view(&l);
        if (l.len)
            break;
        from++;
    }
    *first = (int)from + 1;
    if (from >= to)
        return precis_xstrdup("");
    const char *s = lines[from].s;
    const char *e = lines[to - 1].s + lines[to - 1].len;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    return precis_xstrndup(s, (size_t)(e - s));
}

precis_result precis_prompt_parse(const char *name, const char *path, const char *text,
                                  size_t len, precis_prompt_origin origin, precis_prompt **out,
                                  precis_error *err)
{
    *out = NULL;
    if (memchr(text, '\0', len))
        return precis_error_set(err, PRECIS_ERR_USAGE, "prompt '%s': the file contains a NUL byte",
                                name);
    precis_prompt *p = precis_xcalloc(1, sizeof *p);
    p->name = precis_xstrdup(name);
    p->path = precis_xstrdup(path ? path : "");
    p->origin = origin;
    precis_result r = PRECIS_OK;
    size_t n_lines = 0;
    line_view *lines = NULL;
    for (size_t i = 0; i <= len;) {
        const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;
        size_t end = nl ? (size_t)(nl - text) : len;
        if (!nl && end == i && i == len && i > 0)
            break;
        lines = precis_xrealloc(lines, (n_lines + 1) * sizeof *lines);
        lines[n_lines++] = (line_view){text + i, end - i};
        i = end + 1;
    }
    precis_buf desc;
    precis_buf_init(&desc, 0);
    size_t i = 0, sys_at = 0, user_at = 0;
    bool front = n_lines && view_is(lines[0], "---");
    if (front) {
        for (i = 1; i < n_lines && !view_is(lines[i], "---"); i++)
            description_of(lines[i], &desc);
        if (i == n_lines) {
            r = tmpl_error(err, p, 1, "front matter '---' is never closed");
            goto done;
        }
        i++;
    }
    for (; i < n_lines; i++) {
        line_view l = lines[i];
        trim_view(&l);
        if (view_is(l, "## system") || view_is(l, "## user")) {
            bool sys = view_is(l, "## system");
            size_t *at = sys ? &sys_at : &user_at;
            if (*at) {
                r = tmpl_error(err, p, (int)i + 1, sys ? "second '## system' heading"
                                                       : "second '## user' heading");
                goto done;
            }
            if (sys && user_at) {
                r = tmpl_error(err, p, (int)i + 1, "'## system' must come before '## user'");
                goto done;
            }
            *at = i + 1;
            continue;
        }
        if (sys_at || user_at)
            continue;
        if (l.len == 0)
            continue;
        if (l.len >= 4 && memcmp(l.s, "<!--", 4) == 0) {
            if (!desc.len)
                description_of(l, &desc);
            continue;
        }
        r = tmpl_error(err, p, (int)i + 1,
                       "text before the first '## system' or '## user' heading");
        goto done;
    }
    if (!user_at) {
        r = tmpl_error(err, p, (int)n_lines, "no '## user' heading: a template needs a user part");
        goto done;
    }
    p->description = precis_xstrdup(desc.ptr);
    p->system = sys_at ? part_text(lines, sys_at, user_at - 1, &p->system_line)
                       : precis_xstrdup("");
    p->user = part_text(lines, user_at, n_lines, &p->user_line);
    r = expand_part(p, p->system, p->system_line, NULL, NULL, err);
    if (r == PRECIS_OK)
        r = expand_part(p, p->user, p->user_line, NULL, NULL, err);
done:
    free(lines);
    precis_buf_release(&desc);
    if (r != PRECIS_OK) {
        precis_prompt_free(p);
        return r;
    }
    *out = p;
    return PRECIS_OK;
}
