/* Chunk handling: events through the real SSE parser, at every split point. */
#include "check.h"

#include <stdlib.h>

#include "../../src/llm_internal.h"

typedef struct out {
    precis_buf text, reasoning;
    int calls, stop_after;
} out;

static int on_text(void *ctx, const char *t, size_t n)
{
    out *o = ctx;
    precis_buf_append(&o->text, t, n);
    o->calls++;
    return o->stop_after && o->calls >= o->stop_after;
}

static int on_reason(void *ctx, const char *t, size_t n)
{
    out *o = ctx;
    precis_buf_append(&o->reasoning, t, n);
    return 0;
}

typedef struct run {
    precis_llm_result res;
    out o;
    bool done, err;
    size_t events;
    char *err_msg;
} run;

/* Feeds stream split at cut (0 = whole); fills r. */
static void feed(const char *stream, size_t cut, run *r, int stop_after)
{
    precis_llm_request req;
    precis_llm_request_init(&req);
    memset(r, 0, sizeof *r);
    precis_buf_init(&r->o.text, 0);
    precis_buf_init(&r->o.reasoning, 0);
    r->o.stop_after = stop_after;
    req.on_delta = on_text;
    req.delta_ctx = &r->o;
    req.on_reasoning = on_reason;
    req.reasoning_ctx = &r->o;
    precis_llm_result_init(&r->res);
    precis_llm_stream st;
    precis_llm_stream_init(&st, &req, &r->res, precis_llm_now());
    precis_sse p;
    precis_sse_init(&p, precis_llm_stream_event, &st, 0);
    size_t n = strlen(stream);
    if (cut && cut < n) {
        if (precis_sse_feed(&p, stream, cut) == PRECIS_OK)
            precis_sse_feed(&p, stream + cut, n - cut);
    } else {
        precis_sse_feed(&p, stream, n);
    }
    precis_sse_finish(&p);
    precis_llm_stream_flush(&st);
    r->done = st.done;
    r->err = st.err.present;
    r->events = st.events;
    r->err_msg = st.err.message ? precis_xstrdup(st.err.message) : NULL;
    precis_sse_release(&p);
    precis_llm_stream_release(&st);
}

static void done_run(run *r)
{
    precis_llm_result_release(&r->res);
    precis_buf_release(&r->o.text);
    precis_buf_release(&r->o.reasoning);
    free(r->err_msg);
}

#define D(json) "data: " json "\n\n"

static void test_think_split_everywhere(void)
{
    const char *pieces[] = {"<thi", "nk>I am thin", "king</th", "ink>\\n\\nThe answer", " is 42."};
    /* the whole content, cut at every byte into two deltas */
    const char *full = "  <think>I am thinking</think>   The answer is 42.";
    size_t n = strlen(full);
    for (size_t cut = 0; cut <= n; cut++) {
        precis_buf s;
        precis_buf_init(&s, 0);
        precis_buf_printf(&s, "data: {\"choices\":[{\"delta\":{\"content\":\"%.*s\"}}]}\n\n", (int)cut, full);
        precis_buf_printf(&s, "data: {\"choices\":[{\"delta\":{\"content\":\"%s\"},\"finish_reason\":\"stop\"}]}\n\n",
                          full + cut);
        run r;
        feed(s.ptr, 0, &r, 0);
        CHECK_STR(r.res.text.ptr, "The answer is 42.");
        CHECK_STR(r.res.reasoning.ptr, "I am thinking");
        CHECK_STR(r.o.text.ptr, "The answer is 42.");
        done_run(&r);
        precis_buf_release(&s);
    }
    precis_buf s;
    precis_buf_init(&s, 0);
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
        precis_buf_printf(&s, "data: {\"choices\":[{\"delta\":{\"content\":\"%s\"}}]}\n\n", pieces[i]);
    run r;
    feed(s.ptr, 0, &r, 0);
    CHECK_STR(r.res.reasoning.ptr, "I am thinking");
    CHECK_STR(r.res.text.ptr, "The answer is 42.");
    done_run(&r);
    precis_buf_release(&s);
    /* a leading "<" that is not a think tag is answer text */
    feed(D("{\"choices\":[{\"delta\":{\"content\":\"<b\"}}]}") D("{\"choices\":[{\"delta\":{\"content\":\">bold\"}}]}"),
         0, &r, 0);
    CHECK_STR(r.res.text.ptr, "<b>bold");
    CHECK_STR(r.res.reasoning.ptr, "");
    done_run(&r);
    /* a think tag later in the answer is just text */
    feed(D("{\"choices\":[{\"delta\":{\"content\":\"Use <think> tags\"}}]}"), 0, &r, 0);
    CHECK_STR(r.res.text.ptr, "Use <think> tags");
    done_run(&r);
}

static void test_chunks(void)
{
    const char *s =
        D("{\"choices\":[],\"prompt_filter_results\":[],\"id\":\"\",\"model\":\"\"}")
        D("{\"model\":\"m1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}")
        D("{\"choices\":[{\"index\":0,\"finish_reason\":null,\"content_filter_results\":{}}]}")
        D("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm \",\"content\":null}}]}")
        D("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"ok\"}}]}")
        D("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}")
        D("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}]}")
        D("{\"choices\":null,\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}")
        D("{\"choices\":[],\"usage\":null}")
        "data: [DONE]\n\n";
    for (size_t cut = 0; cut <= strlen(s); cut += 7) {
        run r;
        feed(s, cut, &r, 0);
        CHECK_STR(r.res.text.ptr, "Hi");
        CHECK_STR(r.res.reasoning.ptr, "hmm ok");
        CHECK_STR(r.res.finish_reason, "stop");
        CHECK_STR(r.res.model, "m1");
        CHECK(r.res.has_usage && r.res.prompt_tokens == 5 && r.res.total_tokens == 7);
        CHECK(r.done && !r.err);
        done_run(&r);
    }
}

static void test_errors(void)
{
    run r;
    /* error before choices, even with choices present (OpenRouter) */
    feed(D("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}")
         D("{\"error\":{\"code\":502,\"message\":\"Provider returned error\"},\"choices\":[{\"delta\":{\"content\":\"zz\"},"
           "\"finish_reason\":\"error\"}]}") D("{\"choices\":[{\"delta\":{\"content\":\"b\"}}]}"), 0, &r, 0);
    CHECK(r.err);
    CHECK_STR(r.err_msg, "Provider returned error");
    CHECK_STR(r.res.text.ptr, "a");
    done_run(&r);
    /* old llama.cpp error: field */
    feed("error: {\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}\n\ndata: [DONE]\n\n", 0, &r, 0);
    CHECK(r.err && !r.done);
    CHECK_STR(r.err_msg, "boom");
    done_run(&r);
    /* error as a string; Mistral message object */
    feed(D("{\"error\":\"model not found\"}"), 0, &r, 0);
    CHECK_STR(r.err_msg, "model not found");
    done_run(&r);
    feed(D("{\"object\":\"error\",\"message\":{\"detail\":[]},\"code\":null}"), 0, &r, 0);
    CHECK(r.err);
    CHECK_STR(r.err_msg, "{\"detail\":[]}");
    done_run(&r);
    /* "error": null is not an error (some servers send it on every chunk) */
    feed(D("{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"fine\"}}]}"), 0, &r, 0);
    CHECK(!r.err);
    CHECK_STR(r.res.text.ptr, "fine");
    done_run(&r);
    /* not JSON: ignored */
    feed(D("hello") D("{\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"length\"}]}"), 0, &r, 0);
    CHECK_STR(r.res.text.ptr, "x");
    CHECK_STR(r.res.finish_reason, "length");
    CHECK(r.events == 1 && !r.done);
    done_run(&r);
    /* a sink cancel stops at once */
    feed(D("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}") D("{\"choices\":[{\"delta\":{\"content\":\"b\"}}]}"), 0, &r, 1);
    CHECK_STR(r.o.text.ptr, "a");
    done_run(&r);
}

static void test_json_body(void)
{
    precis_llm_request req;
    precis_llm_request_init(&req);
    precis_llm_result res;
    precis_llm_result_init(&res);
    precis_llm_stream st;
    precis_llm_stream_init(&st, &req, &res, precis_llm_now());
    const char *body = "\n\n\n{\"model\":\"deepseek-reasoner\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                       "\"content\":\"Answer.\",\"reasoning_content\":\"Why.\"},\"finish_reason\":\"stop\"}],"
                       "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}";
    CHECK(precis_llm_stream_json_body(&st, body, strlen(body)));
    CHECK(st.done && !st.err.present);
    CHECK_STR(res.text.ptr, "Answer.");
    CHECK_STR(res.reasoning.ptr, "Why.");
    CHECK(res.total_tokens == 7);
    CHECK(!precis_llm_stream_json_body(&st, "<html>", 6));
    precis_llm_stream_release(&st);
    precis_llm_result_release(&res);
}

int main(void)
{
    test_think_split_everywhere();
    test_chunks();
    test_errors();
    test_json_body();
    return CHECK_DONE();
}
