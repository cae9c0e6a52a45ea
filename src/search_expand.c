/* Query expansion by the model: the request for a few other words for a question, under
 * a strict time cap, and the answer reduced to one line of words. */
#include "search_internal.h"

#include <string.h>

#include "precis/prompt.h"

#define EXPAND_MAX_BYTES 300 /* words kept from the answer */
#define EXPAND_MAX_TOKENS 200

void precis_search_expansion_words(const char *text, size_t len, precis_buf *terms)
{
    size_t start = terms->len;
    bool space = true;
    for (size_t i = 0; i < len && terms->len - start < EXPAND_MAX_BYTES; i++) {
        unsigned char c = (unsigned char)text[i];
        bool word = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                    (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.' || c == '+' ||
                    c == ':' || c == '#';
        if (word) {
            precis_buf_putc(terms, (char)c);
            space = false;
        } else if (!space) {
            precis_buf_putc(terms, ' ');
            space = true;
        }
    }
    if (terms->len - start >= EXPAND_MAX_BYTES) /* drop a cut word */
        while (terms->len > start && terms->ptr[terms->len - 1] != ' ')
            precis_buf_truncate(terms, terms->len - 1);
    while (terms->len > start && terms->ptr[terms->len - 1] == ' ')
        precis_buf_truncate(terms, terms->len - 1);
}

precis_result precis_search_expansion_init(precis_search_expansion *x, const precis_model *m,
                                           const char *question, precis_error *err)
{
    memset(x, 0, sizeof *x);
    precis_buf_init(&x->sys, 0);
    precis_buf_init(&x->user, 0);
    precis_prompt *p = NULL;
    precis_result r = precis_prompt_load("search-expand", &p, err);
    if (r != PRECIS_OK)
        return r;
    precis_prompt_vars v;
    memset(&v, 0, sizeof v);
    v.question = question;
    r = precis_prompt_expand(p, &v, &x->sys, &x->user, err);
    precis_prompt_free(p);
    if (r != PRECIS_OK)
        return r;
    precis_llm_request *req = &x->req;
    precis_model_request(m, req);
    req->system = x->sys.len ? x->sys.ptr : NULL;
    req->user = x->user.ptr ? x->user.ptr : "";
    req->stream = false;
    req->max_retries = 0;
    req->max_time_ms = PRECIS_SEARCH_EXPAND_MS;
    req->idle_timeout_ms = PRECIS_SEARCH_EXPAND_MS;
    if (req->connect_timeout_ms <= 0 || req->connect_timeout_ms > PRECIS_SEARCH_EXPAND_MS)
        req->connect_timeout_ms = PRECIS_SEARCH_EXPAND_MS;
    if (req->max_tokens <= 0 || req->max_tokens > EXPAND_MAX_TOKENS)
        req->max_tokens = EXPAND_MAX_TOKENS;
    return PRECIS_OK;
}

void precis_search_expansion_release(precis_search_expansion *x)
{
    precis_buf_release(&x->sys);
    precis_buf_release(&x->user);
}
