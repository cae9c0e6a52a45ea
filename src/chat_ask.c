/* Questions and /summary in `precis chat`: the context sent to the model (the best
 * sections of the open pages within the budget, then as many earlier turns as fit),
 * streaming, citations, and the offline answer when no model is configured. */
#include "precis/chat.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/answer.h"
#include "precis/answer_log.h"
#include "precis/chunk.h"
#include "precis/doc_outline.h"
#include "precis/offline.h"

#define CHUNK_OVERHEAD 24    /* tokens for a section's number, title and link lines */
#define PROMPT_OVERHEAD 64   /* message framing and the question label */
#define FALLBACK_SOURCES 3   /* sources listed when the answer cites none */
#define OFFLINE_PASSAGES 3
#define OFFLINE_SNIPPET 400
#define SITE_HITS 12

static const char chat_note[] =
    "\n\nThe page text is cut into sections. Each starts with a heading holding its number "
    "in brackets and its title, then its link. Cite the sections you use by number and "
    "title, for example: [2] \"Mark and sweep\". The earlier messages are the conversation "
    "so far; answer the last question.";

/* A section that can go into the context: borrowed strings. */
typedef struct cand {
    const char *title, *link, *text;
    size_t tokens;
    size_t page;   /* which open page (0 for a site) */
    size_t order;  /* document order (rank order for a site) */
    size_t number; /* the number the model sees, once selected (1-based) */
} cand;

typedef struct cands {
    cand *v;
    size_t n;
    size_t *ranked; /* indexes into v, best first (only those that matched) */
    size_t n_ranked;
    precis_chat_site_hit *hits; /* owned when the candidates come from a site */
    size_t n_hits;
} cands;

static void cands_release(cands *c)
{
    free(c->v);
    free(c->ranked);
    precis_chat_site_hits_free(c->hits, c->n_hits);
    memset(c, 0, sizeof *c);
}

/* Gathers the candidates for question: the site's hits, or every section of the open
 * pages ranked against it. Returns false after reporting a failure. */
static bool gather(precis_chat *chat, const char *question, cands *c)
{
    memset(c, 0, sizeof *c);
    if (chat->site) {
        precis_error err;
        precis_error_clear(&err);
        precis_result r =
            precis_chat_site_search(chat->site, question, SITE_HITS, &c->hits, &c->n_hits, &err);
        if (r != PRECIS_OK) { /* Ctrl-C while the query is embedded or expanded: 130 */
            precis_chat_fail(chat, r == PRECIS_ERR_CANCELLED ? 130 : 1, "%s", err.msg);
            return false;
        }
        c->v = precis_xcalloc(c->n_hits ? c->n_hits : 1, sizeof *c->v);
        c->ranked = precis_xcalloc(c->n_hits ? c->n_hits : 1, sizeof *c->ranked);
        for (size_t i = 0; i < c->n_hits; i++) {
            const precis_chat_site_hit *h = &c->hits[i];
            c->v[i] = (cand){h->title, h->link, h->text ? h->text : "",
                             precis_estimate_tokens(h->text ? h->text : "",
                                                    h->text ? strlen(h->text) : 0),
                             0, i, 0};
            c->ranked[i] = i;
        }
        c->n = c->n_ranked = c->n_hits;
        return true;
    }
    precis_chat_reindex(chat);
    const precis_chat_index *idx = &chat->index;
    c->v = precis_xcalloc(idx->n ? idx->n : 1, sizeof *c->v);
    for (size_t i = 0; i < idx->n; i++) {
        const precis_chat_chunk *k = &idx->chunks[i];
        c->v[i] = (cand){k->title, k->link, k->text, k->tokens, k->page, k->order, 0};
    }
    c->n = idx->n;
    c->n_ranked = precis_chat_index_rank(idx, question, chat->current, &c->ranked, NULL);
    return true;
}

static int cmp_order(const void *a, const void *b)
{
    const cand *x = *(const cand *const *)a, *y = *(const cand *const *)b;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Chooses the sections for a page budget of budget tokens: every one when all fit;
 * else the best ranked, then the current page's from the top, while they fit. *sel is
 * a new array (freed with free()) in document order, numbered 1..n. */
static size_t select_sections(precis_chat *chat, cands *c, size_t budget, cand ***sel)
{
    *sel = precis_xcalloc(c->n ? c->n : 1, sizeof **sel);
    size_t total = 0;
    for (size_t i = 0; i < c->n; i++)
        total += c->v[i].tokens + CHUNK_OVERHEAD;
    size_t m = 0;
    bool *taken = precis_xcalloc(c->n ? c->n : 1, sizeof *taken);
    if (total <= budget && !chat->site) {
        for (size_t i = 0; i < c->n; i++)
            taken[i] = true;
    } else {
        size_t used = 0;
        for (size_t r = 0; r < c->n_ranked; r++) {
            size_t i = c->ranked[r];
            if (used + c->v[i].tokens + CHUNK_OVERHEAD <= budget) {
                taken[i] = true;
                used += c->v[i].tokens + CHUNK_OVERHEAD;
            }
        }
        for (size_t i = 0; i < c->n && !chat->site; i++) {
            if (!taken[i] && c->v[i].page == chat->current &&
                used + c->v[i].tokens + CHUNK_OVERHEAD <= budget) {
                taken[i] = true;
                used += c->v[i].tokens + CHUNK_OVERHEAD;
            }
        }
    }
    for (size_t i = 0; i < c->n; i++)
        if (taken[i])
            (*sel)[m++] = &c->v[i];
    free(taken);
    if (!chat->site && m)
        qsort(*sel, m, sizeof **sel, cmp_order);
    for (size_t i = 0; i < m; i++)
        (*sel)[i]->number = i + 1;
    return m;
}

/* Appends at most max_tokens of text (cut at a UTF-8 boundary) to out. */
static void put_capped(precis_buf *out, const char *text, size_t max_tokens)
{
    size_t len = strlen(text);
    if (precis_estimate_tokens(text, len) <= max_tokens) {
        precis_buf_puts(out, text);
        return;
    }
    precis_slice *parts;
    size_t n;
    precis_chunk_markdown(text, len, max_tokens ? max_tokens : 1, &parts, &n);
    if (n)
        precis_buf_append(out, parts[0].ptr, parts[0].len);
    precis_buf_puts(out, "\n[…]");
    free(parts);
}

/* Appends the selected sections as the model reads them. */
static void build_content(precis_chat *chat, cand **sel, size_t m, size_t budget,
                          precis_buf *out)
{
    size_t last_page = (size_t)-1;
    bool many = chat->n_pages > 1 && !chat->site;
    for (size_t i = 0; i < m; i++) {
        const cand *k = sel[i];
        if (many && k->page != last_page) {
            const precis_doc *d = chat->pages[k->page].cur.doc;
            precis_buf_printf(out, "%s# Page %zu: %s\n", out->len ? "\n" : "", k->page + 1,
                              d->meta.title ? d->meta.title : chat->pages[k->page].cur.source);
            last_page = k->page;
        }
        precis_buf_printf(out, "%s## [%zu] %s\n", out->len ? "\n" : "", k->number, k->title);
        if (k->link && *k->link)
            precis_buf_printf(out, "Link: %s\n", k->link);
        if (k->text && *k->text) {
            precis_buf_puts(out, "\n");
            put_capped(out, k->text, m == 1 ? budget : k->tokens);
            if (!precis_buf_ends_with(out, '\n'))
                precis_buf_puts(out, "\n");
        }
    }
}

/* True if the answer cites section number n as "[n]" (also inside "[1, 3]" or "[1][3]"). */
static bool cites_number(const char *answer, size_t n)
{
    for (const char *p = strchr(answer, '['); p; p = strchr(p + 1, '[')) {
        const char *q = p + 1;
        while (*q && *q != ']' && q - p < 40) {
            if (isdigit((unsigned char)*q)) {
                char *end;
                unsigned long v = strtoul(q, &end, 10);
                if (v == n)
                    return true;
                q = end;
            } else if (*q == ',' || *q == ' ' || *q == '-' || *q == '#') {
                q++;
            } else {
                break;
            }
        }
    }
    return false;
}

/* True if the answer names the section's own title (its last path part). */
static bool cites_title(const char *answer, const char *title)
{
    const char *own = title;
    for (const char *p = strstr(title, " > "); p; p = strstr(p + 3, " > "))
        own = p + 3;
    size_t len = strlen(own);
    if (len < 4)
        return false;
    for (const char *p = answer; *p; p++)
        if (strncasecmp(p, own, len) == 0)
            return true;
    return false;
}

static precis_chat_source make_source(const cand *k)
{
    return (precis_chat_source){precis_xstrdup(k->title), precis_xstrdup(k->link ? k->link : ""),
                                k->number};
}

/* The sources of an answer: the selected sections it cites, else the best ranked. */
static size_t pick_sources(const cands *c, cand **sel, size_t m, const char *answer,
                           precis_chat_source **out)
{
    *out = precis_xcalloc(m ? m : 1, sizeof **out);
    size_t n = 0;
    for (size_t i = 0; i < m; i++)
        if (cites_number(answer, sel[i]->number) || cites_title(answer, sel[i]->title))
            (*out)[n++] = make_source(sel[i]);
    bool cited = n > 0;
    for (size_t r = 0; !cited && r < c->n_ranked && n < FALLBACK_SOURCES; r++) {
        const cand *k = &c->v[c->ranked[r]];
        for (size_t i = 0; i < m && n < FALLBACK_SOURCES; i++)
            if (sel[i] == k)
                (*out)[n++] = make_source(k);
        if (n >= FALLBACK_SOURCES)
            break;
    }
    if (n == 0 && m > 0)
        (*out)[n++] = make_source(sel[0]);
    return n;
}

static precis_chat_source *copy_sources(const precis_chat_source *s, size_t n)
{
    precis_chat_source *c = precis_xcalloc(n ? n : 1, sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i] = (precis_chat_source){precis_xstrdup(s[i].title), precis_xstrdup(s[i].link),
                                    s[i].number};
    return c;
}

/* Prints the sources after an answer, records the turn and keeps them for /sources. */
static void finish_turn(precis_chat *chat, const char *question, const char *answer, bool cut,
                        precis_chat_source *src, size_t n)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    if (n) {
        precis_buf_puts(&b, "\nSources:\n");
        precis_chat_sources_format(src, n, &b);
    }
    precis_buf_puts(&b, "\n");
    precis_chat_print_text(chat, b.ptr, b.len);
    precis_buf_release(&b);
    precis_chat_convo_add(&chat->convo, question, answer, cut, copy_sources(src, n), n);
    precis_chat_set_sources(chat, src, n);
}

/* Appends a finished turn to the answer log unless it is off: the open pages (or only
 * doc, for /summary) or the site as sources; res NULL means text is an offline answer. */
static void log_turn(precis_chat *chat, const precis_doc *doc, const char *question,
                     const char *prompt, const precis_llm_result *res,
                     const precis_answer_stats *st, const char *text, int exit_status)
{
    if (!precis_answer_log_wanted(chat->cm.cfg, chat->cli->no_log))
        return;
    precis_buf sources, titles;
    precis_buf_init(&sources, 0);
    precis_buf_init(&titles, 0);
    if (doc) {
        precis_doc *d = (precis_doc *)doc;
        precis_log_docs(&d, 1, &sources, &titles);
    } else if (chat->site) {
        precis_buf_puts(&titles, precis_chat_site_name(chat->site));
    } else {
        for (size_t i = 0; i < chat->n_pages; i++)
            precis_log_docs(&chat->pages[i].cur.doc, 1, &sources, &titles);
    }
    precis_log_entry e;
    precis_log_entry_init(&e, "chat", chat->cm.cfg);
    e.sources = sources.len ? sources.ptr : NULL;
    e.title = titles.len ? titles.ptr : NULL;
    e.prompt = prompt;
    e.question = question;
    if (res) {
        precis_log_entry_set_result(&e, res, st);
    } else {
        e.model = "offline";
        e.endpoint = NULL;
        e.answer = text;
        e.finish_reason = "stop";
    }
    e.exit_status = exit_status;
    precis_answer_log_record(&e);
    precis_buf_release(&sources);
    precis_buf_release(&titles);
}

/* The offline answer: the best passages with their sections and deep links. */
static void ask_offline(precis_chat *chat, const char *question, cands *c)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    size_t n = c->n_ranked < OFFLINE_PASSAGES ? c->n_ranked : OFFLINE_PASSAGES;
    precis_chat_source *src = precis_xcalloc(n ? n : 1, sizeof *src);
    if (n == 0)
        precis_buf_puts(&b, "The open pages do not seem to say: no section matches those "
                            "words. Try other words, /search, or /toc.\n");
    for (size_t r = 0; r < n; r++) {
        cand *k = &c->v[c->ranked[r]];
        k->number = r + 1;
        precis_buf_printf(&b, "%s**[%zu] %s**", r ? "\n" : "", r + 1, k->title);
        if (k->link && *k->link)
            precis_buf_printf(&b, " — %s", k->link);
        precis_buf_puts(&b, "\n\n> ");
        precis_chat_snippet(k->text, question, OFFLINE_SNIPPET, &b);
        precis_buf_puts(&b, "\n");
        src[r] = make_source(k);
    }
    precis_chat_print(chat, b.ptr, b.len);
    finish_turn(chat, question, b.ptr, false, src, n);
    log_turn(chat, NULL, question, chat->ask ? chat->ask->name : NULL, NULL, NULL, b.ptr, 0);
    precis_buf_release(&b);
}

/* One attempt at a model answer within a context of ctx tokens. */
typedef struct attempt {
    precis_llm_result res;
    cand **sel;
    size_t m;
    size_t dropped;
} attempt;

static void attempt_release(attempt *a)
{
    precis_llm_result_release(&a->res);
    free(a->sel);
}

static void send_question(precis_chat *chat, const char *question, cands *c, long ctx, precis_term *out,
                 precis_term *thinking, attempt *a)
{
    memset(a, 0, sizeof *a);
    precis_llm_result_init(&a->res);
    const precis_doc *cur = chat->site ? NULL : precis_chat_doc(chat);
    bool one = chat->n_pages == 1 && cur;
    precis_prompt_vars v;
    memset(&v, 0, sizeof v);
    v.title = one ? cur->meta.title : NULL;
    v.url = one ? cur->meta.url : NULL;
    v.site = one ? cur->meta.site_name : NULL;
    v.date = one ? cur->meta.date : NULL;
    v.lang = chat->lang;
    v.length = precis_config_length(chat->cm.cfg);
    v.question = question;
    v.content = "";
    precis_buf sys, user, content;
    precis_buf_init(&sys, 0);
    precis_buf_init(&user, 0);
    precis_buf_init(&content, 0);
    precis_error err;
    precis_error_clear(&err);
    precis_prompt_expand(chat->ask, &v, &sys, &user, &err);
    long reserve = precis_config_max_tokens(chat->cm.cfg);
    if (reserve <= 0)
        reserve = ctx / 4 > 2048 ? 2048 : ctx / 4;
    long fixed = (long)(precis_estimate_tokens(sys.ptr, sys.len) +
                        precis_estimate_tokens(user.ptr, user.len) + sizeof chat_note / 4) +
                 PROMPT_OVERHEAD;
    long avail = ctx - reserve - fixed;
    if (avail < 256)
        avail = 256;
    size_t pages = 0;
    for (size_t i = 0; i < c->n; i++)
        pages += c->v[i].tokens + CHUNK_OVERHEAD;
    size_t hist = precis_chat_convo_tokens(&chat->convo);
    size_t page_budget = (size_t)avail;
    if (pages + hist > (size_t)avail) {
        size_t hist_cap = (size_t)avail / 3;
        if (pages < (size_t)avail && (size_t)avail - pages > hist_cap)
            hist_cap = (size_t)avail - pages;
        a->dropped = precis_chat_convo_fit(&chat->convo, hist_cap);
        page_budget = (size_t)avail - precis_chat_convo_tokens(&chat->convo);
    }
    a->m = select_sections(chat, c, page_budget, &a->sel);
    if (a->m == 0 && c->n) {
        /* Not even one section fits whole: the best one (or the first), cut to size. */
        a->sel[0] = &c->v[c->n_ranked ? c->ranked[0] : 0];
        a->sel[0]->number = 1;
        a->m = 1;
    }
    build_content(chat, a->sel, a->m, page_budget > CHUNK_OVERHEAD ? page_budget - CHUNK_OVERHEAD : 1,
                  &content);
    v.content = content.ptr;
    precis_buf_reset(&sys);
    precis_buf_reset(&user);
    precis_prompt_expand(chat->ask, &v, &sys, &user, &err);
    precis_buf_puts(&sys, chat_note);

    size_t nm = 2 + 2 * chat->convo.n;
    precis_llm_message *msgs = precis_xcalloc(nm, sizeof *msgs);
    msgs[0] = (precis_llm_message){"system", sys.ptr};
    size_t k = 1 + precis_chat_convo_messages(&chat->convo, msgs + 1);
    msgs[k++] = (precis_llm_message){"user", user.ptr};
    if (a->dropped)
        precis_warn("note: %zu earlier turn%s no longer fit the model's context and %s dropped",
                    a->dropped, a->dropped == 1 ? "" : "s", a->dropped == 1 ? "was" : "were");

    precis_llm_request req;
    precis_model_request(&chat->cm.model, &req);
    req.messages = msgs;
    req.n_messages = k;
    req.stream = !chat->cli->no_stream;
    req.on_delta = precis_term_write;
    req.delta_ctx = out;
    req.on_reasoning = thinking ? precis_term_write : NULL;
    req.reasoning_ctx = thinking;
    req.cancel = &precis_interrupted;
    precis_llm_chat(&req, &a->res);
    free(msgs);
    precis_buf_release(&sys);
    precis_buf_release(&user);
    precis_buf_release(&content);
}

/* Writes the "[answer cut short: ...]" mark and reports a failure; returns true if the
 * answer was cut. */
static bool report_end(precis_chat *chat, precis_term *out, const precis_llm_result *res)
{
    bool cancelled = res->code == PRECIS_ERR_CANCELLED || precis_interrupted;
    bool cut = res->code != PRECIS_OK || res->truncated;
    if (cut) {
        precis_buf mark;
        precis_buf_init(&mark, 0);
        precis_answer_cut_mark(res, cancelled, &mark);
        if (mark.len)
            precis_term_write(out, mark.ptr, mark.len);
        precis_buf_release(&mark);
    }
    precis_term_finish(out);
    if (cancelled) {
        if (!chat->interactive)
            chat->last_failure = 130;
    } else if (res->code != PRECIS_OK) {
        precis_chat_fail(chat, 4, "%s", res->err.msg[0] ? res->err.msg : precis_strerror(res->code));
    } else if (res->truncated) {
        precis_chat_fail(chat, 4, "answer cut short: the model stopped at its output token "
                                  "limit; raise max_tokens in your profile");
    }
    return cut;
}

static void ask_model(precis_chat *chat, const char *question, cands *c)
{
    precis_term *out = precis_term_new(stdout, chat->color);
    precis_term *thinking =
        chat->cli->reasoning ? precis_term_new_reasoning(stderr, chat->color) : NULL;
    precis_term_set_status(out, chat->cm.status);
    char waiting[300];
    snprintf(waiting, sizeof waiting, "waiting for %s…",
             precis_config_model(chat->cm.cfg) ? precis_config_model(chat->cm.cfg) : "the model");
    precis_status_set(chat->cm.status, waiting);
    long ctx = precis_config_context_tokens(chat->cm.cfg);
    if (ctx <= 0)
        ctx = 8192;
    attempt a;
    send_question(chat, question, c, ctx, out, thinking, &a);
    for (int retry = 0; retry < 2 && a.res.cls == PRECIS_LLM_CONTEXT_OVERFLOW && a.res.text.len == 0;
         retry++) {
        attempt_release(&a);
        ctx /= 2;
        send_question(chat, question, c, ctx, out, thinking, &a);
    }
    precis_status_clear(chat->cm.status);
    if (thinking)
        precis_term_finish(thinking);
    bool cut = report_end(chat, out, &a.res);
    precis_chat_source *src = NULL;
    size_t n = 0;
    if (a.res.text.len > 0 || a.res.code == PRECIS_OK)
        n = pick_sources(c, a.sel, a.m, a.res.text.ptr, &src);
    if (a.res.text.len > 0 || a.res.code == PRECIS_OK)
        finish_turn(chat, question, a.res.text.ptr, cut, src, n);
    else
        precis_chat_sources_free(src, n);
    log_turn(chat, NULL, question, chat->ask ? chat->ask->name : NULL, &a.res, NULL, NULL,
             precis_log_exit_status(&a.res));
    attempt_release(&a);
    precis_term_free(out);
    precis_term_free(thinking);
    precis_interrupted = 0;
}

void precis_chat_ask(precis_chat *chat, const char *question)
{
    if (chat->n_pages == 0 && !chat->site) {
        precis_chat_fail(chat, 1, "no page is open to answer from: /open URL|FILE first");
        return;
    }
    cands c;
    if (!gather(chat, question, &c))
        return;
    if (chat->online)
        ask_model(chat, question, &c);
    else
        ask_offline(chat, question, &c);
    cands_release(&c);
}

void precis_chat_cmd_summary(precis_chat *chat, const char *arg)
{
    precis_doc *doc = precis_chat_doc(chat);
    if (!doc) {
        precis_chat_fail(chat, 1, "/summary: no page is open; /open URL|FILE first");
        return;
    }
    precis_buf question;
    precis_buf_init(&question, 0);
    precis_buf_printf(&question, "/summary%s%s", *arg ? " " : "", arg);
    precis_chat_source *src = precis_xcalloc(1, sizeof *src);
    precis_buf link;
    precis_buf_init(&link, 0);
    precis_deep_link(doc, NULL, &link);
    src[0] = (precis_chat_source){precis_xstrdup(doc->meta.title ? doc->meta.title
                                                                : chat->pages[chat->current].cur.source),
                                  precis_buf_detach(&link), 0};
    if (!src[0].link)
        src[0].link = precis_xstrdup("");
    if (!chat->online) {
        precis_length length = PRECIS_LENGTH_MEDIUM;
        precis_length_parse(precis_config_length(chat->cm.cfg), &length);
        precis_buf b;
        precis_buf_init(&b, 0);
        if (precis_offline_summarize(doc, length, &b) != PRECIS_OK)
            precis_chat_fail(chat, 3, "/summary: the page has no sentences to summarize; /read it");
        else {
            precis_chat_print(chat, b.ptr, b.len);
            finish_turn(chat, question.ptr, b.ptr, false, src, 1);
            log_turn(chat, doc, question.ptr, NULL, NULL, NULL, b.ptr, 0);
            src = NULL;
        }
        precis_chat_sources_free(src, src ? 1 : 0);
        precis_buf_release(&b);
        precis_buf_release(&question);
        return;
    }
    precis_prompt *prompt = NULL;
    precis_error err;
    precis_error_clear(&err);
    if (precis_prompt_load(*arg ? arg : chat->summary_prompt, &prompt, &err) != PRECIS_OK) {
        precis_chat_fail(chat, 1, "/summary: %s", err.msg);
        precis_chat_sources_free(src, 1);
        precis_buf_release(&question);
        return;
    }
    precis_buf content;
    precis_buf_init(&content, 0);
    precis_answer_content(&doc, 1, &content);
    precis_term *out = precis_term_new(stdout, chat->color);
    precis_term_set_status(out, chat->cm.status);
    precis_answer_opts o;
    memset(&o, 0, sizeof o);
    o.prompt = prompt;
    o.map_prompt = chat->cm.map;
    o.reduce_prompt = chat->cm.reduce;
    o.vars.title = doc->meta.title;
    o.vars.url = doc->meta.url;
    o.vars.site = doc->meta.site_name;
    o.vars.date = doc->meta.date;
    o.vars.lang = chat->lang;
    o.vars.length = precis_config_length(chat->cm.cfg);
    o.content = content.ptr;
    precis_answer_opts_limits(&o, chat->cm.cfg);
    o.stream = !chat->cli->no_stream;
    o.on_delta = precis_term_write;
    o.delta_ctx = out;
    o.cancel = &precis_interrupted;
    precis_status_set(chat->cm.status, "summarizing…");
    precis_llm_result res;
    precis_llm_result_init(&res);
    precis_answer_stats st;
    precis_answer(&chat->cm.model, &o, &res, &st);
    precis_status_clear(chat->cm.status);
    bool cut = report_end(chat, out, &res);
    if (res.text.len > 0 || res.code == PRECIS_OK) {
        finish_turn(chat, question.ptr, res.text.ptr, cut, src, 1);
        src = NULL;
    }
    log_turn(chat, doc, question.ptr, prompt->name, &res, &st, NULL,
             precis_log_exit_status(&res));
    precis_chat_sources_free(src, src ? 1 : 0);
    precis_llm_result_release(&res);
    precis_term_free(out);
    precis_prompt_free(prompt);
    precis_buf_release(&content);
    precis_buf_release(&question);
    precis_interrupted = 0;
}

bool precis_chat_list_models(precis_chat *chat)
{
    if (chat->models_listed)
        return chat->n_models > 0;
    chat->models_listed = true;
    if (!chat->online)
        return false;
    precis_llm_request req;
    precis_model_request(&chat->cm.model, &req);
    req.connect_timeout_ms = 3000;
    req.max_time_ms = 5000;
    req.max_retries = 0;
    precis_llm_result res;
    precis_llm_result_init(&res);
    precis_llm_models(&req, &chat->models, &chat->n_models, &res);
    precis_llm_result_release(&res);
    return chat->n_models > 0;
}
