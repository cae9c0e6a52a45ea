/* Unit tests for token estimates and section-aware chunking. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precis/buf.h"
#include "precis/chunk.h"

/* Checks the chunks cover the input exactly, in order, within the budget. */
static void check_cover(const char *md, size_t max_tokens, size_t *n_out)
{
    precis_slice *chunks;
    size_t n;
    size_t len = strlen(md);
    precis_chunk_markdown(md, len, max_tokens, &chunks, &n);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(chunks[i].ptr == md + at);
        CHECK(chunks[i].len > 0);
        /* one character may exceed a tiny budget; otherwise the budget holds */
        CHECK(precis_estimate_tokens(chunks[i].ptr, chunks[i].len) <= max_tokens ||
              chunks[i].len <= 4);
        at += chunks[i].len;
    }
    CHECK(at == len);
    if (n_out)
        *n_out = n;
    free(chunks);
}

static void test_estimate(void)
{
    CHECK(precis_estimate_tokens("", 0) == 0);
    CHECK(precis_estimate_tokens("abcd", 4) == 1);
    CHECK(precis_estimate_tokens("abcdefgh", 8) == 2);
    const char *cjk = "日本語のテキスト";
    CHECK(precis_estimate_tokens(cjk, strlen(cjk)) == 8);
}

static void test_sections_preferred(void)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    for (int s = 0; s < 6; s++) {
        precis_buf_printf(&b, "## Section %d\n\n", s);
        for (int p = 0; p < 3; p++)
            precis_buf_puts(&b, "Some words in a paragraph that goes on for a while. "
                                "Another sentence follows it here.\n\n");
    }
    size_t n;
    /* each section is about 90 tokens: a budget of 200 fits two sections per chunk */
    check_cover(b.ptr, 200, &n);
    precis_slice *chunks;
    precis_chunk_markdown(b.ptr, b.len, 200, &chunks, &n);
    CHECK(n >= 3 && n <= 4);
    for (size_t i = 0; i < n; i++)
        CHECK(strncmp(chunks[i].ptr, "## Section", 10) == 0);
    free(chunks);
    precis_buf_release(&b);
}

static void test_fence_not_split_at_heading_line(void)
{
    const char *md = "intro text here\n\n```sh\n# not a heading\necho hi\n```\n\nafter\n";
    precis_slice *chunks;
    size_t n;
    precis_chunk_markdown(md, strlen(md), 12, &chunks, &n);
    for (size_t i = 0; i < n; i++)
        CHECK(strncmp(chunks[i].ptr, "# not a heading", 15) != 0);
    free(chunks);
    check_cover(md, 12, NULL);
}

static void test_tiny_budgets_and_utf8(void)
{
    const char *md = "ÄÖÜ äöü 日本語 — text without any breaks at all";
    for (size_t t = 1; t < 20; t++)
        check_cover(md, t, NULL);
    precis_slice *chunks;
    size_t n;
    precis_chunk_markdown(md, strlen(md), 1, &chunks, &n);
    for (size_t i = 0; i < n; i++)
        CHECK(((unsigned char)chunks[i].ptr[0] & 0xC0) != 0x80);
    free(chunks);
    check_cover("", 10, &n);
    CHECK(n == 0);
}

int main(void)
{
    test_estimate();
    test_sections_preferred();
    test_fence_not_split_at_heading_line();
    test_tiny_budgets_and_utf8();
    return CHECK_DONE();
}
