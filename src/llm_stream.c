/* Chat chunks to answer text: error before choices, odd choices, reasoning fields,
 * inline <think> blocks split anywhere, usage and finish_reason. */
#include "llm_internal.h"

#include <stdlib.h>
#include <string.h>

enum { THINK_START, THINK_INSIDE, THINK_AFTER, THINK_ANSWER };

static const char open_tag[] = "<think>";
static const char close_tag[] = "</think>";

void precis_llm_stream_init(precis_llm_stream *s, const precis_llm_request *req,
                            precis_llm_result *res, double t0)
{
    memset(s, 0, sizeof *s);
    s->req = req;
    s->res = res;
    s->t0 = t0;
    precis_buf_init(&s->hold, 0);
}

void precis_llm_stream_release(precis_llm_stream *s)
{
    precis_buf_release(&s->hold);
    precis_llm_apierr_release(&s->err);
}

/* Gives text to the answer (or the reasoning) and its sink; nonzero = cancel. */
static int emit(precis_llm_stream *s, bool answer, const char *text, size_t n)
{
    if (n == 0)
        return 0;
    const precis_llm_request *req = s->req;
    s->delivered = true;
    int stop;
    if (answer) {
        if (s->res->text.len == 0)
            s->res->ttft_s = precis_llm_now() - s->t0;
        precis_buf_append(&s->res->text, text, n);
        stop = req->on_delta ? req->on_delta(req->delta_ctx, text, n) : 0;
    } else {
        precis_buf_append(&s->res->reasoning, text, n);
        stop = req->on_reasoning ? req->on_reasoning(req->reasoning_ctx, text, n) : 0;
    }
    if (stop)
        s->cancelled = true;
    return stop;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Length of the longest suffix of b that is a proper prefix of tag. */
static size_t partial_tag(const precis_buf *b, const char *tag)
{
    size_t tl = strlen(tag);
    for (size_t m = tl - 1; m > 0; m--)
        if (b->len >= m && memcmp(b->ptr + b->len - m, tag, m) == 0)
            return m;
    return 0;
}

/* Routes content: a leading <think>...</think> block is reasoning, the rest is answer. */
static int content(precis_llm_stream *s, const char *text, size_t n)
{
    if (s->think == THINK_ANSWER)
        return emit(s, true, text, n);
    precis_buf *h = &s->hold;
    precis_buf_append(h, text, n);
    int stop = 0;
    while (!stop && h->len > 0) {
        if (s->think == THINK_START) {
            size_t j = 0;
            while (j < h->len && is_space(h->ptr[j]))
                j++;
            size_t rl = h->len - j, tl = sizeof open_tag - 1;
            if (rl == 0)
                return 0;
            if (rl < tl && memcmp(h->ptr + j, open_tag, rl) == 0)
                return 0; /* maybe the start of the tag: wait */
            if (rl >= tl && memcmp(h->ptr + j, open_tag, tl) == 0) {
                precis_buf_consume(h, j + tl);
                s->think = THINK_INSIDE;
                continue;
            }
            s->think = THINK_ANSWER;
        } else if (s->think == THINK_INSIDE) {
            char *end = strstr(h->ptr, close_tag);
            if (end) {
                size_t k = (size_t)(end - h->ptr);
                stop = emit(s, false, h->ptr, k);
                precis_buf_consume(h, k + sizeof close_tag - 1);
                s->think = THINK_AFTER;
                continue;
            }
            size_t keep = partial_tag(h, close_tag);
            stop = emit(s, false, h->ptr, h->len - keep);
            precis_buf_consume(h, h->len - keep);
            return stop;
        } else if (s->think == THINK_AFTER) {
            size_t j = 0;
            while (j < h->len && is_space(h->ptr[j]))
                j++;
            precis_buf_consume(h, j);
            if (h->len == 0)
                return 0;
            s->think = THINK_ANSWER;
        } else {
            stop = emit(s, true, h->ptr, h->len);
            precis_buf_reset(h);
        }
    }
    return stop;
}

void precis_llm_stream_flush(precis_llm_stream *s)
{
    if (s->hold.len > 0 && s->think != THINK_AFTER)
        emit(s, s->think != THINK_INSIDE, s->hold.ptr, s->hold.len);
    precis_buf_reset(&s->hold);
}

static void replace(char **dst, const char *src)
{
    free(*dst);
    *dst = precis_xstrdup(src);
}

static bool take_usage(precis_llm_result *res, const cJSON *u)
{
    if (!cJSON_IsObject(u))
        return false;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(u, "prompt_tokens");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(u, "completion_tokens");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(u, "total_tokens");
    if (!cJSON_IsNumber(p) && !cJSON_IsNumber(c) && !cJSON_IsNumber(t))
        return false;
    res->prompt_tokens = cJSON_IsNumber(p) ? (long)p->valuedouble : 0;
    res->completion_tokens = cJSON_IsNumber(c) ? (long)c->valuedouble : 0;
    res->total_tokens = cJSON_IsNumber(t) ? (long)t->valuedouble
                                          : res->prompt_tokens + res->completion_tokens;
    res->has_usage = true;
    return true;
}

static const char *str_item(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* One chunk (or a whole non-streamed answer); nonzero = stop reading. */
static int handle_object(precis_llm_stream *s, const cJSON *root)
{
    precis_llm_result *res = s->res;
    if (!cJSON_IsObject(root))
        return 0;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
    const char *object = str_item(root, "object");
    if ((err && !cJSON_IsNull(err)) || (object && strcmp(object, "error") == 0)) {
        precis_llm_apierr_release(&s->err);
        s->err.status = 200;
        precis_llm_apierr_from_json(root, &s->err);
        return 1;
    }
    s->events++;
    const char *model = str_item(root, "model");
    if (model && *model)
        replace(&res->model, model);
    take_usage(res, cJSON_GetObjectItemCaseSensitive(root, "usage"));
    const cJSON *xg = cJSON_GetObjectItemCaseSensitive(root, "x_groq");
    if (cJSON_IsObject(xg))
        take_usage(res, cJSON_GetObjectItemCaseSensitive(xg, "usage"));

    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(root, "choices");
    const cJSON *choice = cJSON_IsArray(choices) ? cJSON_GetArrayItem(choices, 0) : NULL;
    if (!cJSON_IsObject(choice))
        return 0;
    const cJSON *delta = cJSON_GetObjectItemCaseSensitive(choice, "delta");
    if (!cJSON_IsObject(delta))
        delta = cJSON_GetObjectItemCaseSensitive(choice, "message");
    int stop = 0;
    if (cJSON_IsObject(delta)) {
        const char *r = str_item(delta, "reasoning_content");
        if (!r)
            r = str_item(delta, "reasoning");
        if (r)
            stop = emit(s, false, r, strlen(r));
        const char *c = str_item(delta, "content");
        if (c && !stop)
            stop = content(s, c, strlen(c));
    }
    const char *fr = str_item(choice, "finish_reason");
    if (fr && *fr)
        replace(&res->finish_reason, fr);
    return stop;
}

int precis_llm_stream_event(void *vs, const char *type, const char *data, size_t len)
{
    precis_llm_stream *s = vs;
    if (strcmp(type, "error") == 0) {
        /* old llama.cpp: "error: {...}" instead of "data: {\"error\":...}" */
        precis_llm_apierr_release(&s->err);
        cJSON *obj = cJSON_ParseWithLength(data, len);
        if (cJSON_IsObject(obj) && !cJSON_GetObjectItemCaseSensitive(obj, "error")) {
            cJSON *wrap = cJSON_CreateObject();
            if (!wrap)
                precis_die("out of memory");
            cJSON_AddItemToObject(wrap, "error", obj);
            obj = wrap;
        }
        s->err.status = 200;
        if (!precis_llm_apierr_from_json(obj, &s->err))
            precis_llm_apierr_from_body(data, len, 200, &s->err);
        cJSON_Delete(obj);
        return 1;
    }
    if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
        s->done = true;
        return 1;
    }
    cJSON *root = cJSON_ParseWithLength(data, len);
    if (!root)
        return 0; /* not JSON: ignore the event */
    int stop = handle_object(s, root);
    cJSON_Delete(root);
    return stop;
}

bool precis_llm_stream_json_body(precis_llm_stream *s, const char *body, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return false;
    }
    handle_object(s, root);
    precis_llm_stream_flush(s);
    if (!s->err.present && !s->cancelled)
        s->done = true;
    cJSON_Delete(root);
    return true;
}
