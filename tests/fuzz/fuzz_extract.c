/* libFuzzer harness: any bytes as HTML must extract, render in every format and
 * free without a crash, a leak or undefined behaviour; the renderings must be
 * valid UTF-8 without terminal controls and the JSON must parse.
 *
 * The first byte picks the mode, the rest is the page:
 *   bit 0: wrap the page in deep nesting (bits 4-6 pick the element; 3000 levels when
 *          bits 6 and 7 are both set, past the flattening limit, else 300: the deep
 *          case is slow under sanitizers, so it is the rarer one)
 *   bit 1: whole_body     bit 2: keep_comments
 *   bit 3: feed the page through precis_utf8_sanitize first, as the tool does
 * A page starting with '<' (0x3C) is thus sanitized, then extracted keeping comments. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "precis/charset.h"
#include "precis/extract.h"
#include "precis/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Elements to nest the page in: opening and closing tag of one level. */
static const char *const extract_nest_open[8] = {
    "<div>", "<span>", "<ul><li>", "<ol><li>", "<blockquote>", "<table><tr><td>",
    "<section><p>", "<b>",
};
static const char *const extract_nest_close[8] = {
    "</div>", "</span>", "</li></ul>", "</li></ol>", "</blockquote>",
    "</td></tr></table>", "</p></section>", "</b>",
};

static void extract_fail(const char *what, const precis_buf *b)
{
    fprintf(stderr, "fuzz_extract: %s (%zu bytes of output)\n", what, b->len);
    abort();
}

static void extract_check_text(const char *what, const precis_buf *b)
{
    if (!precis_utf8_valid(b->ptr, b->len))
        extract_fail(what, b);
    if (fuzz_has_control(b->ptr, b->len))
        extract_fail(what, b);
}

/* Extracts page and checks every rendering; strict when page is valid UTF-8. */
static void extract_page(const char *page, size_t len, uint8_t mode)
{
    precis_extract_opts opts;
    precis_doc *doc = NULL;
    precis_error err;
    precis_buf out;
    bool strict = precis_utf8_valid(page, len);

    precis_extract_opts_init(&opts);
    opts.whole_body = (mode & 2) != 0;
    opts.keep_comments = (mode & 4) != 0;
    precis_buf_init(&out, 0);
    precis_result r =
        precis_extract_html(page, len, "https://example.com/dir/page.html", &opts, &doc, &err);
    if (r != PRECIS_OK) {
        if (doc != NULL || r != PRECIS_ERR_NO_CONTENT || err.code != r)
            extract_fail("extraction failed with something else than no content", &out);
        return;
    }
    if (doc == NULL || doc->root == NULL)
        extract_fail("success without a document", &out);

    precis_render_markdown(doc, &out);
    if (strict)
        extract_check_text("markdown", &out);
    precis_buf_reset(&out);

    precis_render_text(doc, &out);
    if (strict)
        extract_check_text("text", &out);
    precis_buf_reset(&out);

    precis_render_json(doc, &out);
    if (strict) {
        cJSON *json = cJSON_ParseWithLength(out.ptr, out.len);
        if (json == NULL || !cJSON_IsObject(json))
            extract_fail("json does not parse", &out);
        cJSON_Delete(json);
    }
    precis_buf_reset(&out);

    precis_render_links(doc, &out);
    if (strict && !precis_utf8_valid(out.ptr, out.len))
        extract_fail("links", &out);
    (void)precis_doc_word_count(doc);

    precis_buf_release(&out);
    precis_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > (1u << 20))
        return 0;
    uint8_t mode = data[0];
    const char *page = (const char *)data + 1;
    size_t len = size - 1;
    precis_buf clean, nested;

    precis_buf_init(&clean, 0);
    precis_buf_init(&nested, 0);
    if (mode & 8) {
        precis_utf8_sanitize(page, len, &clean);
        page = clean.ptr;
        len = clean.len;
    }
    if (mode & 1) {
        unsigned kind = (mode >> 4) & 7;
        size_t depth = (mode & 0xC0) == 0xC0 ? 3000 : 300;
        precis_buf_puts(&nested, "<!doctype html><html><body>");
        for (size_t i = 0; i < depth; i++)
            precis_buf_puts(&nested, extract_nest_open[kind]);
        precis_buf_append(&nested, page, len);
        /* Close only half the levels: unclosed elements are the parser's job. */
        for (size_t i = 0; i < depth / 2; i++)
            precis_buf_puts(&nested, extract_nest_close[kind]);
        page = nested.ptr;
        len = nested.len;
    }
    extract_page(page, len, mode);
    precis_buf_release(&clean);
    precis_buf_release(&nested);
    return 0;
}
