/* Query expansion by the model: a few other words for a question, asked within a
 * strict time cap, with the answer reduced to one line of words. */
#include "precis/search.h"

#include <string.h>

#include "precis/prompt.h"

#define EXPAND_MAX_BYTES 300 /* words kept from the answer */

/* Appends the answer's words to terms: list marks, numbering and punctuation between
 * words become spaces; at most EXPAND_MAX_BYTES, cut at a space. */
static void keep_words(const char *s, size_t len, precis_buf *terms)
{
    size_t start = terms->len;
    bool space = true;
    for (size_t i = 0; i < len && terms->len - start < EXPAND_MAX_BYTES; i++) {
        unsigned char c = (unsigned char)s[i];
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

precis_result precis_search_expand(const precis_model *m, const char *question,
                                   const volatile sig_atomic_t *cancel, precis_buf *terms,
                                   precis_error *err)
{
    precis_prompt *p = NULL;
    precis_result r = precis_prompt_load("search-expand", &p, err);
    if (r != PRECIS_OK)
        return r;
    precis_prompt_vars v;
    memset(&v, 0, sizeof v);
    v.question = question;
    precis_buf sys, user;
    precis_buf_init(&sys, 0);
    precis_buf_init(&user, 0);
    r = precis_prompt_expand(p, &v, &sys, &user, err);
    precis_prompt_free(p);
    if (r == PRECIS_OK) {
        precis_llm_request req;
        precis_model_request(m, &req);
        req.system = sys.len ? sys.ptr : NULL;
        req.user = user.ptr ? user.ptr : "";
        req.stream = false;
        req.max_retries = 0;
        req.max_time_ms = PRECIS_SEARCH_EXPAND_MS;
        req.idle_timeout_ms = PRECIS_SEARCH_EXPAND_MS;
        if (req.connect_timeout_ms > PRECIS_SEARCH_EXPAND_MS)
            req.connect_timeout_ms = PRECIS_SEARCH_EXPAND_MS;
        if (req.max_tokens <= 0 || req.max_tokens > 200)
            req.max_tokens = 200;
        req.cancel = cancel;
        precis_llm_result res;
        precis_llm_result_init(&res);
        r = precis_llm_chat(&req, &res);
        if (r == PRECIS_OK)
            keep_words(res.text.ptr ? res.text.ptr : "", res.text.len, terms);
        else
            precis_error_set(err, r, "%s", res.err.msg[0] ? res.err.msg : "the request failed");
        precis_llm_result_release(&res);
    }
    precis_buf_release(&sys);
    precis_buf_release(&user);
    return r;
}
