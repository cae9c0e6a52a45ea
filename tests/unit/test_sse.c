/* SSE parser: every stream is fed whole, byte by byte and split at every point. */
#include "check.h"

#include <stdlib.h>
#include <time.h>

#include "precis/sse.h"

#define RS "\x1e" /* separates events in the expected transcripts */

typedef struct transcript {
    precis_buf out;
    int stop_after; /* 0 = never ask the parser to stop */
    int seen;
} transcript;

static int record(void *ctx, const char *type, const char *data, size_t len)
{
    transcript *t = ctx;
    CHECK(data[len] == '\0');
    precis_buf_puts(&t->out, type);
    precis_buf_putc(&t->out, '=');
    precis_buf_append(&t->out, data, len);
    precis_buf_puts(&t->out, RS);
    t->seen++;
    return t->stop_after && t->seen >= t->stop_after;
}

/* Feeds input cut at the given points (ascending, at most 2) and returns the transcript. */
static char *run_split(const char *input, size_t n, const size_t *cuts, int ncuts,
                       size_t *comments)
{
    transcript t = {0};
    precis_buf_init(&t.out, 0);
    precis_sse p;
    precis_sse_init(&p, record, &t, 0);
    size_t at = 0;
    for (int i = 0; i < ncuts; i++) {
        CHECK(precis_sse_feed(&p, input + at, cuts[i] - at) == PRECIS_OK);
        at = cuts[i];
    }
    CHECK(precis_sse_feed(&p, input + at, n - at) == PRECIS_OK);
    CHECK(precis_sse_finish(&p) == PRECIS_OK);
    if (comments)
        *comments = p.comments;
    precis_sse_release(&p);
    return precis_buf_detach(&t.out);
}

static char *run_bytewise(const char *input, size_t n)
{
    transcript t = {0};
    precis_buf_init(&t.out, 0);
    precis_sse p;
    precis_sse_init(&p, record, &t, 0);
    for (size_t i = 0; i < n; i++)
        CHECK(precis_sse_feed(&p, input + i, 1) == PRECIS_OK);
    CHECK(precis_sse_finish(&p) == PRECIS_OK);
    precis_sse_release(&p);
    return precis_buf_detach(&t.out);
}

/* One case: whole, byte by byte, every 2-way split, and 3-way splits for short input. */
static void expect(const char *input, const char *want)
{
    size_t n = strlen(input);
    char *got = run_split(input, n, NULL, 0, NULL);
    CHECK_STR(got, want);
    free(got);
    got = run_bytewise(input, n);
    CHECK_STR(got, want);
    free(got);
    int bad = 0;
    for (size_t i = 0; i <= n && !bad; i++) {
        size_t cut[2] = {i, 0};
        got = run_split(input, n, cut, 1, NULL);
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "split at %zu of \"%s\" gave \"%s\"\n", i, input, got);
            bad = 1;
        }
        free(got);
        for (size_t j = i; n <= 80 && j <= n && !bad; j++) {
            cut[1] = j;
            got = run_split(input, n, cut, 2, NULL);
            if (strcmp(got, want) != 0) {
                fprintf(stderr, "splits at %zu,%zu of \"%s\" gave \"%s\"\n", i, j, input, got);
                bad = 1;
            }
            free(got);
        }
    }
    CHECK(!bad);
}

static void test_framing(void)
{
    expect("data: hello\n\n", "message=hello" RS);
    expect("data: a\r\n\r\ndata: b\r\n\r\n", "message=a" RS "message=b" RS);
    expect("data: a\r\rdata: b\r\r", "message=a" RS "message=b" RS);
    expect("data: a\r\ndata: b\r\n\r\n", "message=a\nb" RS);
    expect("data: a\r\r\ndata: b\n\n", "message=a" RS "message=b" RS);
    expect("data: a\n\r\ndata: b\r\n\n", "message=a" RS "message=b" RS);
    expect("data: a\n\ndata: b\n\ndata: c\n\n", "message=a" RS "message=b" RS "message=c" RS);
    expect("\n\n\ndata: x\n\n\n\n", "message=x" RS);
}

static void test_fields(void)
{
    expect("data:x\n\n", "message=x" RS);
    expect("data:  x\n\n", "message= x" RS);
    expect("data: a\ndata: b\ndata:c\n\n", "message=a\nb\nc" RS);
    expect("data\n\n", "message=" RS);
    expect("data:\n\n", "message=" RS);
    expect("data:\ndata:\n\n", "message=\n" RS);
    expect("event: foo\ndata: z\n\ndata: y\n\n", "foo=z" RS "message=y" RS);
    expect("id: 1\nretry: 10\nfoo: bar\nDATA: no\ndata: q\n\n", "message=q" RS);
    expect("event: x\n\nid: 5\n\ndata: after\n\n", "message=after" RS);
    expect("event: x\n\ndata: r\n\n", "message=r" RS);
    expect("data: a: b :c\n\n", "message=a: b :c" RS);
    expect("data: h\xc3\xa9llo \xe2\x82\xac\n\n", "message=h\xc3\xa9llo \xe2\x82\xac" RS);
}

static void test_comments_bom_error(void)
{
    expect(": keep-alive\n\ndata: y\n\n: OPENROUTER PROCESSING\n\n", "message=y" RS);
    expect(":\ndata: y\n:ping\n\n", "message=y" RS);
    size_t comments = 0;
    const char *s = ": a\r\n: b\r\ndata: y\r\n\r\n: c\n";
    char *got = run_split(s, strlen(s), NULL, 0, &comments);
    CHECK_STR(got, "message=y" RS);
    CHECK(comments == 3);
    free(got);

    expect("\xEF\xBB\xBF" "data: b\n\n", "message=b" RS);
    expect("\xEF\xBB\xBF\xEF\xBB\xBF" "data: b\n\ndata: c\n\n", "message=c" RS);
    expect("\xEF\xBB" "data: b\n\n", "");
    expect("data: \xEF\xBB\xBF\n\n", "message=\xEF\xBB\xBF" RS);

    expect("error: {\"code\":500,\"message\":\"boom\"}\n\ndata: [DONE]\n\n",
           "error={\"code\":500,\"message\":\"boom\"}" RS "message=[DONE]" RS);
}

static void test_eof(void)
{
    expect("data: a\n\ndata: b", "message=a" RS);
    expect("data: a\n\ndata: b\n", "message=a" RS);
    expect("data: [DONE]", "message=[DONE]" RS);
    expect("data: [DONE]\n", "message=[DONE]" RS);
    expect("data: [DONE]\r", "message=[DONE]" RS);
    expect("data:[DONE]\r\n", "message=[DONE]" RS);
    expect("data: x\n\ndata: [DONE]", "message=x" RS "message=[DONE]" RS);
    expect("data: [DONE]x", "");
    expect("", "");
    expect("\xEF\xBB\xBF", "");
}

static void test_openai_stream(void)
{
    const char *lf =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
        ": OPENROUTER PROCESSING\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        "data: [DONE]\n\n";
    const char *want =
        "message={\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}" RS
        "message={\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}" RS
        "message={\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}" RS
        "message=[DONE]" RS;
    expect(lf, want);
    /* The same stream with CRLF framing and with CR-only framing. */
    precis_buf crlf, cr;
    precis_buf_init(&crlf, 0);
    precis_buf_init(&cr, 0);
    for (const char *c = lf; *c; c++) {
        if (*c == '\n') {
            precis_buf_puts(&crlf, "\r\n");
            precis_buf_putc(&cr, '\r');
        } else {
            precis_buf_putc(&crlf, *c);
            precis_buf_putc(&cr, *c);
        }
    }
    expect(crlf.ptr, want);
    expect(cr.ptr, want);
    precis_buf_release(&crlf);
    precis_buf_release(&cr);
}

static void test_stop_and_cap(void)
{
    transcript t = {0};
    precis_buf_init(&t.out, 0);
    t.stop_after = 1;
    precis_sse p;
    precis_sse_init(&p, record, &t, 0);
    CHECK(precis_sse_feed(&p, "data: a\n\ndata: b\n\n", 18) == PRECIS_ERR_CANCELLED);
    CHECK(precis_sse_feed(&p, "data: c\n\n", 9) == PRECIS_ERR_CANCELLED);
    CHECK(precis_sse_finish(&p) == PRECIS_ERR_CANCELLED);
    CHECK_STR(t.out.ptr, "message=a" RS);
    precis_sse_release(&p);
    precis_buf_release(&t.out);

    precis_buf_init(&t.out, 0);
    t.stop_after = 0;
    precis_sse_init(&p, record, &t, 16);
    CHECK(precis_sse_feed(&p, "data: short\n\n", 13) == PRECIS_OK);
    CHECK(precis_sse_feed(&p, "data: 0123456789abcdef0123\n\n", 28) == PRECIS_ERR_TOO_LARGE);
    CHECK_STR(t.out.ptr, "message=short" RS);
    precis_sse_release(&p);
    precis_sse_release(NULL);
    precis_buf_release(&t.out);

    precis_sse_init(&p, record, &t, 0);
    precis_buf_init(&t.out, 0);
    CHECK(!precis_sse_has_partial(&p));
    CHECK(precis_sse_feed(&p, "data: a\n\ndata: {\"x", 18) == PRECIS_OK);
    CHECK(precis_sse_has_partial(&p));
    CHECK(precis_sse_feed(&p, "\"}\n\n", 4) == PRECIS_OK);
    CHECK(!precis_sse_has_partial(&p));
    precis_sse_release(&p);
    precis_buf_release(&t.out);
}

typedef struct counter {
    size_t events;
    size_t bytes;
} counter;

static int count(void *ctx, const char *type, const char *data, size_t len)
{
    counter *c = ctx;
    c->events++;
    c->bytes += len;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A 1 MiB answer fed in 64 KiB reads: as many small events, then as one huge line. */
static void test_big(void)
{
    const size_t total = 1u << 20, feed = 64u << 10;
    precis_buf s;
    precis_buf_init(&s, 0);
    size_t want_events = 0, want_bytes = 0;
    while (s.len < total) {
        const char *ev = "{\"choices\":[{\"delta\":{\"content\":\"word \"}}]}";
        precis_buf_printf(&s, "data: %s\r\n\r\n", ev);
        want_events++;
        want_bytes += strlen(ev);
    }
    double t0 = now_s();
    counter c = {0};
    precis_sse p;
    precis_sse_init(&p, count, &c, 0);
    for (size_t at = 0; at < s.len; at += feed)
        CHECK(precis_sse_feed(&p, s.ptr + at, at + feed <= s.len ? feed : s.len - at) == PRECIS_OK);
    CHECK(precis_sse_finish(&p) == PRECIS_OK);
    precis_sse_release(&p);
    CHECK(c.events == want_events);
    CHECK(c.bytes == want_bytes);

    precis_buf_reset(&s);
    precis_buf_puts(&s, "data: ");
    while (s.len < total)
        precis_buf_puts(&s, "abcdefghijklmnopqrstuvwxyz012345");
    size_t line = s.len - 6;
    precis_buf_puts(&s, "\n\n");
    c = (counter){0};
    precis_sse_init(&p, count, &c, 0);
    for (size_t at = 0; at < s.len; at += feed)
        CHECK(precis_sse_feed(&p, s.ptr + at, at + feed <= s.len ? feed : s.len - at) == PRECIS_OK);
    CHECK(precis_sse_finish(&p) == PRECIS_OK);
    precis_sse_release(&p);
    CHECK(c.events == 1 && c.bytes == line);
    double dt = now_s() - t0;
    printf("1 MiB x2 in 64 KiB feeds: %.1f ms\n", dt * 1000.0);
    CHECK(dt < 1.0); /* linear work is a few ms even under sanitizers; O(n^2) is far slower */
    precis_buf_release(&s);
}

int main(void)
{
    test_framing();
    test_fields();
    test_comments_bom_error();
    test_eof();
    test_openai_stream();
    test_stop_and_cap();
    test_big();
    return CHECK_DONE();
}
