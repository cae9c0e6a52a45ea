/* libFuzzer harness: the SSE parser must give the same events however the bytes are split. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precis/sse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int record(void *ctx, const char *type, const char *d, size_t len)
{
    precis_buf *out = ctx;
    if (d[len] != '\0' || strlen(type) == 0)
        abort();
    precis_buf_puts(out, type);
    precis_buf_putc(out, '\x1e');
    precis_buf_append(out, d, len);
    precis_buf_putc(out, '\x1f');
    return 0;
}

/* Feeds data in pieces ending at the given cut points; step > 0 feeds that many bytes at a time. */
static void run(const uint8_t *data, size_t size, const size_t *cuts, size_t ncuts, size_t step,
                precis_buf *out)
{
    precis_sse p;
    precis_sse_init(&p, record, out, 1u << 20);
    size_t at = 0;
    for (size_t i = 0; i < ncuts; i++) {
        if (cuts[i] < at || cuts[i] > size)
            continue;
        if (precis_sse_feed(&p, (const char *)data + at, cuts[i] - at) != PRECIS_OK)
            abort();
        at = cuts[i];
    }
    while (step && at < size) {
        size_t n = size - at < step ? size - at : step;
        if (precis_sse_feed(&p, (const char *)data + at, n) != PRECIS_OK)
            abort();
        at += n;
    }
    if (precis_sse_feed(&p, (const char *)data + at, size - at) != PRECIS_OK)
        abort();
    if (precis_sse_finish(&p) != PRECIS_OK)
        abort();
    if (precis_sse_has_partial(&p))
        abort();
    precis_sse_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    precis_buf whole, split;
    precis_buf_init(&whole, 0);
    precis_buf_init(&split, 0);
    run(data, size, NULL, 0, 0, &whole);

    size_t cuts[4] = {size / 3, size / 2, size ? data[0] % (size + 1) : 0, size ? size - 1 : 0};
    /* keep the cut points ascending */
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (cuts[j] < cuts[i]) {
                size_t t = cuts[i];
                cuts[i] = cuts[j];
                cuts[j] = t;
            }
    run(data, size, cuts, 4, 0, &split);
    if (whole.len != split.len || memcmp(whole.ptr, split.ptr, whole.len) != 0)
        abort();
    precis_buf_reset(&split);
    run(data, size, NULL, 0, 1, &split);
    if (whole.len != split.len || memcmp(whole.ptr, split.ptr, whole.len) != 0)
        abort();
    precis_buf_release(&whole);
    precis_buf_release(&split);
    return 0;
}
