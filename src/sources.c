/* Numbered sources for site answers, and citation checking. */
#include "precis/sources.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "precis/answer.h"
#include "precis/chunk.h"
#include "precis/hits.h"

#define MIN_CUT_TOKENS 200

void precis_sources_free(precis_source *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].url);
        free(s[i].page);
        free(s[i].anchor);
        free(s[i].title);
        free(s[i].path);
        free(s[i].text);
    }
    free(s);
}

/* Cuts text to about max_tokens at a paragraph (else line, else word) boundary. */
static size_t cut_point(const char *text, size_t len, long max_tokens)
{
    size_t want = (size_t)max_tokens * 4; /* the estimator's ~4 bytes a token */
    if (want >= len)
        return len;
    for (size_t i = want; i > want / 2; i--)
        if (text[i] == '\n' && i > 0 && text[i - 1] == '\n')
            return i;
    for (size_t i = want; i > want / 2; i--)
        if (text[i] == '\n')
            return i;
    for (size_t i = want; i > 0; i--)
        if (text[i] == ' ')
            return i;
    return want;
}

precis_result precis_sources_build(precis_index *idx, const precis_hit *hits, size_t n,
                                   long budget_tokens, precis_buf *content,
                                   precis_source **out, size_t *nout, precis_error *err)
{
    *out = precis_xcalloc(n ? n : 1, sizeof **out);
    *nout = 0;
    long left = budget_tokens;
    precis_buf text, head;
    precis_buf_init(&text, 0);
    precis_buf_init(&head, 0);
    precis_result r = PRECIS_OK;
    for (size_t i = 0; i < n && left > 0; i++) {
        precis_buf_reset(&text);
        r = precis_index_section_text(idx, hits[i].section_id, &text, err);
        if (r != PRECIS_OK)
            break;
        precis_source *s = &(*out)[*nout];
        memset(s, 0, sizeof *s);
        s->n = (int)*nout + 1;
        precis_buf_reset(&head);
        precis_hit_link(&hits[i], &head);
        s->url = precis_xstrdup(head.ptr);
        s->page = precis_xstrdup(hits[i].page);
        s->anchor = precis_xstrdup(hits[i].anchor ? hits[i].anchor : "");
        s->title = precis_xstrdup(hits[i].title ? hits[i].title : "");
        precis_buf_reset(&head);
        precis_hit_path(&hits[i], " › ", &head);
        s->path = precis_xstrdup(head.ptr ? head.ptr : "");
        precis_buf_reset(&head);
        precis_buf_printf(&head, "[%d] %s — %s\n", s->n, s->path, s->url);
        long cost = (long)precis_estimate_tokens(head.ptr, head.len) +
                    (long)precis_estimate_tokens(text.ptr ? text.ptr : "", text.len) + 4;
        size_t keep = text.len;
        if (cost > left) {
            long room = left - (long)precis_estimate_tokens(head.ptr, head.len) - 4;
            if (room < MIN_CUT_TOKENS || *nout > 0) {
                free(s->url);
                free(s->page);
                free(s->anchor);
                free(s->title);
                free(s->path);
                memset(s, 0, sizeof *s);
                if (room < MIN_CUT_TOKENS)
                    break;
                continue; /* a later, shorter section may still fit whole */
            }
            keep = cut_point(text.ptr, text.len, room);
            s->cut = true;
        }
        s->text = precis_xstrndup(text.ptr ? text.ptr : "", keep);
        precis_buf_printf(content, "%s%s%s%s\n", *nout ? "\n" : "", head.ptr, s->text,
                          s->cut ? "\n[…]" : "");
        left -= (long)precis_estimate_tokens(head.ptr, head.len) +
                (long)precis_estimate_tokens(s->text, strlen(s->text)) + 4;
        (*nout)++;
    }
    precis_buf_release(&text);
    precis_buf_release(&head);
    return r;
}

static void add_int(int **v, size_t *n, int x)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == x)
            return;
    *v = precis_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = x;
}

static void note(int x, size_t nsources, int **cited, size_t *ncited, int **invalid,
                 size_t *ninvalid)
{
    if (x >= 1 && (size_t)x <= nsources)
        add_int(cited, ncited, x);
    else
        add_int(invalid, ninvalid, x);
}

void precis_citations_scan(const char *text, size_t nsources, int **cited, size_t *ncited,
                           int **invalid, size_t *ninvalid)
{
    *cited = *invalid = NULL;
    *ncited = *ninvalid = 0;
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p != '[' || !isdigit((unsigned char)p[1]))
            continue;
        /* [n], [n, m], [n-m], [n–m]: digits, commas, spaces and dashes up to ']' */
        const char *q = p + 1;
        int nums[64], nn = 0;
        bool range_next = false, ok = true;
        while (*q && *q != ']' && ok) {
            if (isdigit((unsigned char)*q)) {
                long x = 0;
                while (isdigit((unsigned char)*q) && x < 100000)
                    x = x * 10 + (*q++ - '0');
                if (range_next && nn > 0 && x >= nums[nn - 1] && x - nums[nn - 1] < 50) {
                    for (long k = nums[nn - 1] + 1; k <= x && nn < 64; k++)
                        nums[nn++] = (int)k;
                } else if (nn < 64) {
                    nums[nn++] = (int)x;
                }
                range_next = false;
            } else if (*q == ',' || *q == ' ') {
                q++;
            } else if (*q == '-') {
                range_next = true;
                q++;
            } else if ((unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 &&
                       ((unsigned char)q[2] == 0x93 || (unsigned char)q[2] == 0x94)) {
                range_next = true; /* an en or em dash */
                q += 3;
            } else {
                ok = false;
            }
        }
        if (!ok || *q != ']' || nn == 0)
            continue;
        if (q[1] == '(') /* a Markdown link [text](url), not a citation */
            continue;
        for (int i = 0; i < nn; i++)
            note(nums[i], nsources, cited, ncited, invalid, ninvalid);
        p = q;
    }
}

cJSON *precis_sources_json(const precis_source *s, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "n", s[i].n);
        cJSON_AddStringToObject(o, "url", s[i].url);
        cJSON_AddStringToObject(o, "anchor", s[i].anchor);
        cJSON_AddStringToObject(o, "title", s[i].title);
        cJSON_AddStringToObject(o, "path", s[i].path);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* The end of a passage of at most max bytes: a paragraph break, else a line break. */
static size_t passage_end(const char *text, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t at = max;
    while (at > max / 2 && !(text[at] == '\n' && text[at - 1] == '\n'))
        at--;
    if (at > max / 2)
        return at;
    for (at = max; at > 0 && text[at] != '\n'; at--)
        ;
    return at ? at : max;
}

precis_result precis_sources_passages(precis_index *idx, const precis_hit *hits, size_t n,
                                      size_t max_bytes, precis_buf *out, cJSON *json,
                                      precis_error *err)
{
    precis_buf text, line;
    precis_buf_init(&text, 0);
    precis_buf_init(&line, 0);
    precis_result r = PRECIS_OK;
    for (size_t i = 0; i < n; i++) {
        precis_buf_reset(&text);
        r = precis_index_section_text(idx, hits[i].section_id, &text, err);
        if (r != PRECIS_OK)
            break;
        const char *t = text.ptr ? text.ptr : "";
        size_t len = passage_end(t, text.len, max_bytes);
        while (len > 0 && t[len - 1] == '\n')
            len--;
        if (json) {
            cJSON *o = precis_hit_json(&hits[i]);
            cJSON_AddNumberToObject(o, "n", (double)(i + 1));
            char *passage = precis_xstrndup(t, len);
            cJSON_AddStringToObject(o, "passage", passage);
            free(passage);
            cJSON_AddItemToArray(json, o);
        }
        if (out) {
            precis_buf_reset(&line);
            precis_hit_link(&hits[i], &line);
            precis_buf_printf(out, "%s## [%zu] ", i ? "\n" : "", i + 1);
            precis_hit_path(&hits[i], " › ", out);
            precis_buf_printf(out, "\n\n<%s>\n\n", line.ptr);
            precis_buf_append(out, t, len);
            precis_buf_puts(out, len < text.len && text.len > max_bytes ? "\n\n[…]\n" : "\n");
        }
    }
    precis_buf_release(&text);
    precis_buf_release(&line);
    return r;
}

long precis_sources_budget(const precis_model *m, const precis_prompt *prompt,
                           const precis_prompt_vars *vars, long context_tokens)
{
    precis_prompt_vars v = *vars;
    v.content = "";
    precis_buf sys, user;
    precis_buf_init(&sys, 0);
    precis_buf_init(&user, 0);
    precis_error err;
    precis_prompt_expand(prompt, &v, &sys, &user, &err);
    long overhead = (long)(precis_estimate_tokens(sys.ptr ? sys.ptr : "", sys.len) +
                           precis_estimate_tokens(user.ptr ? user.ptr : "", user.len)) + 64;
    precis_buf_release(&sys);
    precis_buf_release(&user);
    return precis_answer_budget(m, context_tokens) - overhead;
}
