/* libFuzzer harness: any bytes under any charset label must decode to valid UTF-8
 * without terminal controls (tab and newline aside), and precis_utf8_sanitize must
 * give clean, stable output that agrees with precis_utf8_valid.
 *
 * Input layout: byte 0 = flags (bits 0-4: label length, bit 5: is_html, bit 6: no
 * label at all), then the label bytes, then the body. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"
#include "fuzz_common.h"
#include "precis/charset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void charset_fail(const char *what, const char *label)
{
    fprintf(stderr, "fuzz_charset: %s (label %s)\n", what, label ? label : "(none)");
    abort();
}

static bool charset_is_clean(const precis_buf *b)
{
    return b->ptr[b->len] == '\0' && precis_utf8_valid(b->ptr, b->len) &&
           !fuzz_has_control(b->ptr, b->len);
}

static void charset_check_sanitize(const char *body, size_t len)
{
    precis_buf once, twice;

    precis_buf_init(&once, 0);
    precis_buf_init(&twice, 0);
    precis_utf8_sanitize(body, len, &once);
    if (!charset_is_clean(&once))
        charset_fail("sanitize left invalid UTF-8 or a control character", NULL);
    precis_utf8_sanitize(once.ptr, once.len, &twice);
    if (twice.len != once.len || memcmp(twice.ptr, once.ptr, once.len) != 0)
        charset_fail("sanitize is not idempotent", NULL);
    /* Clean input must come back unchanged. */
    if (precis_utf8_valid(body, len) && !fuzz_has_control(body, len) &&
        (once.len != len || memcmp(once.ptr, body, len) != 0))
        charset_fail("sanitize changed clean input", NULL);
    precis_buf_release(&once);
    precis_buf_release(&twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > (1u << 20))
        return 0;
    uint8_t flags = data[0];
    size_t label_len = flags & 0x1F;
    bool is_html = (flags & 0x20) != 0;
    char *label = NULL, *used = NULL;
    precis_buf out;

    data++;
    size--;
    if (label_len > size)
        label_len = size;
    if (!(flags & 0x40))
        label = precis_xstrndup((const char *)data, label_len);
    data += label_len;
    size -= label_len;

    precis_buf_init(&out, 0);
    precis_result r = precis_to_utf8((const char *)data, size, label, is_html, &out, &used);
    if (r == PRECIS_OK) {
        if (!charset_is_clean(&out))
            charset_fail("precis_to_utf8 gave invalid UTF-8 or a control character", label);
        if (used == NULL || used[0] == '\0')
            charset_fail("precis_to_utf8 did not name the charset it used", label);
    }
    charset_check_sanitize((const char *)data, size);

    free(used);
    free(label);
    precis_buf_release(&out);
    return 0;
}
