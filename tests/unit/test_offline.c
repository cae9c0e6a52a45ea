/* Unit tests for the offline extractive summarizer. */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "precis/buf.h"
#include "precis/doc.h"
#include "precis/offline.h"

static precis_node *add_text_block(precis_node *parent, precis_node_kind kind, const char *text)
{
    precis_node *b = precis_node_append(parent, precis_node_new(kind));
    precis_node_append(b, precis_node_new_text(PRECIS_NODE_TEXT, text, strlen(text)));
    return b;
}

static void add_para(precis_doc *doc, const char *text)
{
    add_text_block(doc->root, PRECIS_NODE_PARAGRAPH, text);
}

static void add_heading(precis_doc *doc, int level, const char *text)
{
    add_text_block(doc->root, PRECIS_NODE_HEADING, text)->level = level;
}

/* Summarizes doc into a malloc'd string (caller frees); *r receives the result. */
static char *summarize(const precis_doc *doc, precis_length length, precis_result *r)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    *r = precis_offline_summarize(doc, length, &out);
    return precis_buf_detach(&out);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Returns true if s is valid UTF-8 (no overlongs, surrogates or truncation). */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        if (n == 0 || (n == 2 && *p < 0xC2))
            return false;
        for (size_t k = 1; k < n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return false;
        if (n == 3 && ((*p == 0xE0 && p[1] < 0xA0) || (*p == 0xED && p[1] >= 0xA0)))
            return false;
        if (n == 4 && ((*p == 0xF0 && p[1] < 0x90) || *p > 0xF4 || (*p == 0xF4 && p[1] >= 0x90)))
            return false;
        p += n;
    }
    return true;
}

static void test_length_parse(void)
{
    precis_length l = PRECIS_LENGTH_MEDIUM;
    CHECK(precis_length_parse("short", &l) && l == PRECIS_LENGTH_SHORT);
    CHECK(precis_length_parse("LONG", &l) && l == PRECIS_LENGTH_LONG);
    CHECK(precis_length_parse("Medium", &l) && l == PRECIS_LENGTH_MEDIUM);
    l = PRECIS_LENGTH_SHORT;
    CHECK(!precis_length_parse("med", &l) && l == PRECIS_LENGTH_SHORT);
    CHECK(!precis_length_parse("longer", &l));
    CHECK(!precis_length_parse("", &l));
    CHECK(!precis_length_parse(NULL, &l));
    CHECK(precis_length_sentences(PRECIS_LENGTH_SHORT, 100) == 3);
    CHECK(precis_length_sentences(PRECIS_LENGTH_MEDIUM, 100) == 6);
    CHECK(precis_length_sentences(PRECIS_LENGTH_LONG, 100) == 12);
    CHECK(precis_length_sentences(PRECIS_LENGTH_LONG, 10) == 5);
    CHECK(precis_length_sentences(PRECIS_LENGTH_SHORT, 1) == 1);
    CHECK(precis_length_sentences(PRECIS_LENGTH_SHORT, 2) == 1);
    CHECK(precis_length_sentences(PRECIS_LENGTH_SHORT, 0) == 0);
}

static void test_empty(void)
{
    precis_doc *doc = precis_doc_new();
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_buf_puts(&out, "keep");
    CHECK(precis_offline_summarize(doc, PRECIS_LENGTH_MEDIUM, &out) == PRECIS_ERR_NO_CONTENT);
    CHECK_STR(out.ptr, "keep");
    /* Headings, code blocks, images and punctuation alone are not sentences. */
    precis_set_string(&doc->meta.title, "A title");
    add_heading(doc, 1, "Only a heading");
    precis_node *code = precis_node_append(doc->root, precis_node_new(PRECIS_NODE_CODE_BLOCK));
    precis_set_string(&code->text, "int main(void) { return 0; }\n");
    add_para(doc, " ... --- !!! ");
    CHECK(precis_offline_summarize(doc, PRECIS_LENGTH_MEDIUM, &out) == PRECIS_ERR_NO_CONTENT);
    CHECK_STR(out.ptr, "keep");
    precis_buf_release(&out);
    precis_doc_free(doc);
}

static void test_tiny(void)
{
    precis_doc *doc = precis_doc_new();
    precis_set_string(&doc->meta.title, "Tiny page");
    add_para(doc, "This tiny page holds exactly one sentence about nothing much.");
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    CHECK(r == PRECIS_OK);
    CHECK_STR(s, "# Tiny page\n\nThis tiny page holds exactly one sentence about nothing much.\n");
    free(s);
    /* Two sentences: a summary is shorter than the page. */
    add_para(doc, "A second sentence talks about the tiny page and its one sentence.");
    s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    CHECK(r == PRECIS_OK);
    CHECK(count(s, "sentence") >= 1 && count(s, ".") == 1);
    free(s);
    precis_doc_free(doc);

    /* No title at all, and a short fragment without punctuation still counts. */
    doc = precis_doc_new();
    add_para(doc, "just some words");
    s = summarize(doc, PRECIS_LENGTH_SHORT, &r);
    CHECK(r == PRECIS_OK);
    CHECK_STR(s, "just some words\n");
    free(s);
    precis_doc_free(doc);
}

/* A page about one topic with off-topic and boilerplate sentences mixed in. */
static precis_doc *bee_doc(void)
{
    precis_doc *doc = precis_doc_new();
    precis_set_string(&doc->meta.title, "How honeybee colonies pollinate crops");
    add_para(doc, "We use cookies to improve your experience on this website about honeybee "
                  "colonies and crops.");
    add_para(doc, "Honeybee colonies pollinate a large share of the crops that farmers grow. "
                  "A single honeybee colony can visit millions of crop flowers in one season. "
                  "The weather in Paris was pleasant on the day this was written.");
    add_para(doc, "Farmers rent honeybee colonies so that the bees pollinate almond and apple "
                  "crops. Without pollination by honeybee colonies many crops would yield far "
                  "less fruit. My cousin once bought a red bicycle at a garage sale.");
    add_para(doc, "Subscribe to our newsletter for weekly news about honeybee colonies and crops.");
    add_para(doc, "Click here to read more about honeybee colonies that pollinate crops.");
    add_para(doc, "Healthy honeybee colonies need forage, clean water and protection from mites. "
                  "Colonies weakened by mites pollinate fewer crop flowers.");
    add_para(doc, "Copyright 2024 Honeybee Crops Media. All rights reserved.");
    return doc;
}

static void test_central_sentences(void)
{
    precis_doc *doc = bee_doc();
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_SHORT, &r);
    CHECK(r == PRECIS_OK);
    CHECK(strncmp(s, "# How honeybee colonies pollinate crops\n\n", 41) == 0);
    CHECK_CONTAINS(s, "Honeybee colonies pollinate a large share of the crops that farmers grow.");
    CHECK(!strstr(s, "cookies"));
    CHECK(!strstr(s, "Subscribe"));
    CHECK(!strstr(s, "Click here"));
    CHECK(!strstr(s, "Copyright"));
    CHECK(!strstr(s, "Paris"));
    CHECK(!strstr(s, "bicycle"));
    free(s);
    s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    CHECK(r == PRECIS_OK);
    CHECK(!strstr(s, "cookies") && !strstr(s, "Subscribe") && !strstr(s, "Click here") &&
          !strstr(s, "Copyright"));
    free(s);
    precis_doc_free(doc);
}

/* Sentence i of a generic page mentions "item<i>" so that outputs can be decoded. */
static precis_doc *numbered_doc(size_t n, size_t per_section)
{
    static const char *const topics[] = {"storage engine", "query planner", "write ahead log",
                                         "index structure", "buffer pool"};
    precis_doc *doc = precis_doc_new();
    precis_set_string(&doc->meta.title, "Database internals");
    precis_buf p;
    precis_buf_init(&p, 0);
    for (size_t i = 0; i < n; i++) {
        if (per_section && i % per_section == 0) {
            char h[64];
            snprintf(h, sizeof h, "Part %zu", i / per_section + 1);
            add_heading(doc, 2, h);
        }
        precis_buf_printf(&p, "The database %s keeps item%zu pages and the %s in memory for "
                              "queries. ",
                          topics[i % 5], i, topics[(i * 3 + 1) % 5]);
        if (i % 4 == 3 || i + 1 == n) {
            add_para(doc, p.ptr);
            precis_buf_reset(&p);
        }
    }
    precis_buf_release(&p);
    return doc;
}

/* Returns the item numbers in s, in order of appearance; returns how many. */
static size_t items(const char *s, long *out, size_t max)
{
    size_t n = 0;
    for (const char *p = strstr(s, "item"); p && n < max; p = strstr(p + 1, "item"))
        out[n++] = strtol(p + 4, NULL, 10);
    return n;
}

static void test_length_and_order(void)
{
    precis_doc *doc = numbered_doc(40, 0);
    const precis_length lengths[] = {PRECIS_LENGTH_SHORT, PRECIS_LENGTH_MEDIUM, PRECIS_LENGTH_LONG};
    const size_t want[] = {3, 6, 12};
    for (size_t i = 0; i < 3; i++) {
        precis_result r;
        char *s = summarize(doc, lengths[i], &r);
        long got[64];
        size_t n = items(s, got, 64);
        CHECK(r == PRECIS_OK);
        CHECK(n == want[i]);
        for (size_t k = 1; k < n; k++)
            CHECK(got[k - 1] < got[k]);
        /* One section: paragraphs, never bullets; the long one breaks into several. */
        CHECK(!strstr(s, "\n- "));
        if (i == 0)
            CHECK(count(s, "\n\n") == 1);
        if (i == 2)
            CHECK(count(s, "\n\n") >= 2);
        free(s);
    }
    precis_doc_free(doc);

    /* A 6-sentence page: long gives at most half of it. */
    doc = numbered_doc(6, 0);
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    long got[64];
    CHECK(items(s, got, 64) == 3);
    free(s);
    precis_doc_free(doc);
}

static void test_sections_as_bullets(void)
{
    precis_doc *doc = numbered_doc(60, 10);
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    CHECK(r == PRECIS_OK);
    CHECK(count(s, "\n- ") >= 12);
    CHECK_CONTAINS(s, "- **Part ");
    /* Same input, same output. */
    char *again = summarize(doc, PRECIS_LENGTH_LONG, &r);
    CHECK_STR(again, s);
    free(again);
    free(s);
    precis_doc_free(doc);
}

static void test_repeats_skipped(void)
{
    precis_doc *doc = precis_doc_new();
    for (int i = 0; i < 6; i++)
        add_para(doc, "Solar panels turn sunlight into electricity for homes and offices.");
    add_para(doc, "Batteries store the electricity that solar panels make during the day.");
    add_para(doc, "Inverters change the direct current of solar panels into alternating current.");
    add_para(doc, "Homes with solar panels and batteries can keep their lights on at night.");
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_MEDIUM, &r);
    CHECK(r == PRECIS_OK);
    CHECK(count(s, "Solar panels turn sunlight") <= 1);
    free(s);
    precis_doc_free(doc);
}

static void test_inline_markup(void)
{
    precis_doc *doc = precis_doc_new();
    precis_node *p = precis_node_append(doc->root, precis_node_new(PRECIS_NODE_PARAGRAPH));
    const char *a = "Call the ";
    precis_node_append(p, precis_node_new_text(PRECIS_NODE_TEXT, a, strlen(a)));
    precis_node_append(p, precis_node_new_text(PRECIS_NODE_CODE, "os.path. Join", 13));
    const char *b = " helper from the ";
    precis_node_append(p, precis_node_new_text(PRECIS_NODE_TEXT, b, strlen(b)));
    precis_node *link = precis_node_append(p, precis_node_new(PRECIS_NODE_LINK));
    precis_set_string(&link->href, "https://example.com/");
    precis_node_append(link, precis_node_new_text(PRECIS_NODE_TEXT, "standard library", 16));
    const char *c = " to build 2*3 file paths safely.";
    precis_node_append(p, precis_node_new_text(PRECIS_NODE_TEXT, c, strlen(c)));
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_SHORT, &r);
    CHECK(r == PRECIS_OK);
    CHECK_STR(s, "Call the `os.path. Join` helper from the standard library to build 2\\*3 file "
                 "paths safely.\n");
    free(s);
    precis_doc_free(doc);
}

static void test_reference_marks_and_back_matter(void)
{
    precis_doc *doc = precis_doc_new();
    add_para(doc, "Mozilla is a free software community that builds the Firefox browser.[1] "
                  "The Mozilla community builds Firefox and other free software.[2][3]");
    add_para(doc, "Firefox is the free software browser the Mozilla community is known for.");
    add_heading(doc, 2, "Values[edit]");
    add_para(doc, "The Mozilla community values free software and an open web for everyone.");
    add_heading(doc, 2, "References[edit]");
    add_para(doc, "Mozilla community Firefox free software browser Mozilla Firefox community.");
    add_para(doc, "Mozilla Firefox free software community browser notes from the Mozilla blog.");
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    CHECK(r == PRECIS_OK);
    CHECK_CONTAINS(s, "Firefox browser. ");
    CHECK(!strstr(s, "[1]") && !strstr(s, "[2]") && !strstr(s, "edit"));
    CHECK(!strstr(s, "blog") && !strstr(s, "browser Mozilla"));
    free(s);
    precis_doc_free(doc);
}

static void test_raw_text(void)
{
    precis_doc *doc = precis_doc_new();
    precis_node *raw = precis_node_append(doc->root, precis_node_new(PRECIS_NODE_RAW));
    precis_set_string(&raw->text,
                      "Plain text files have paragraphs\nwrapped at the margin. They are read as "
                      "prose.\n\n\n  \nA second paragraph of the plain text file follows here.\n");
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    CHECK(r == PRECIS_OK);
    CHECK_CONTAINS(s, "Plain text files have paragraphs wrapped at the margin.");
    CHECK(!strstr(s, "\n\n"));
    free(s);
    precis_doc_free(doc);
}

static void test_cjk(void)
{
    /* 蜜蜂为农作物授粉。 etc.: sentences about bees and crops. */
    static const char *const sents[] = {
        "\xE8\x9C\x9C\xE8\x9C\x82\xE4\xB8\xBA\xE5\x86\x9C\xE4\xBD\x9C\xE7\x89\xA9\xE6\x8E\x88"
        "\xE7\xB2\x89\xE3\x80\x82",
        "\xE5\x86\x9C\xE6\xB0\x91\xE7\xA7\x9F\xE7\x94\xA8\xE8\x9C\x9C\xE8\x9C\x82\xE4\xB8\xBA"
        "\xE5\x86\x9C\xE4\xBD\x9C\xE7\x89\xA9\xE6\x8E\x88\xE7\xB2\x89\xE3\x80\x82",
        "\xE4\xBB\x8A\xE5\xA4\xA9\xE5\xA4\xA9\xE6\xB0\x94\xE5\xBE\x88\xE5\xA5\xBD\xEF\xBC\x81",
        "\xE8\x9C\x9C\xE8\x9C\x82\xE9\x9C\x80\xE8\xA6\x81\xE5\xB9\xB2\xE5\x87\x80\xE7\x9A\x84"
        "\xE6\xB0\xB4\xE3\x80\x82",
    };
    precis_doc *doc = precis_doc_new();
    precis_buf p;
    precis_buf_init(&p, 0);
    for (int i = 0; i < 12; i++)
        precis_buf_puts(&p, sents[i % 4]);
    add_para(doc, p.ptr);
    /* A long run without any stop: cut, but never inside a character. */
    precis_buf_reset(&p);
    for (int i = 0; i < 400; i++)
        precis_buf_puts(&p, "\xE8\x9C\x9C\xE8\x9C\x82");
    add_para(doc, p.ptr);
    precis_buf_release(&p);
    precis_result r;
    for (int len = PRECIS_LENGTH_SHORT; len <= PRECIS_LENGTH_LONG; len++) {
        char *s = summarize(doc, (precis_length)len, &r);
        CHECK(r == PRECIS_OK);
        CHECK(valid_utf8(s));
        CHECK_CONTAINS(s, sents[0]);
        CHECK(!strstr(s, "\xE3\x80\x82 \xE5")); /* CJK sentences join without spaces */
        free(s);
    }
    precis_doc_free(doc);

    doc = precis_doc_new();
    precis_buf_init(&p, 0);
    for (int i = 0; i < 3000; i++)
        precis_buf_puts(&p, i % 7 == 6 ? " " : "\xE8\x9C\x9C");
    add_para(doc, p.ptr);
    precis_buf_release(&p);
    char *s = summarize(doc, PRECIS_LENGTH_SHORT, &r);
    CHECK(r == PRECIS_OK);
    CHECK(valid_utf8(s));
    CHECK(strlen(s) < 1000);
    CHECK_CONTAINS(s, "\xE2\x80\xA6\n");
    free(s);
    precis_doc_free(doc);
}

static void test_large_document_is_fast(void)
{
    precis_doc *doc = precis_doc_new();
    precis_set_string(&doc->meta.title, "A very long generated page");
    precis_buf p;
    precis_buf_init(&p, 0);
    unsigned seed = 12345;
    size_t words = 0;
    for (size_t sentence = 0; words < 200000; sentence++) {
        if (sentence % 100 == 0) {
            char h[32];
            snprintf(h, sizeof h, "Chapter %zu", sentence / 100 + 1);
            add_heading(doc, 2, h);
        }
        size_t len = 8 + sentence % 17;
        for (size_t w = 0; w < len; w++, words++) {
            seed = seed * 1103515245u + 12345u;
            unsigned v = (seed >> 16) % 3000;
            precis_buf_printf(&p, "%s%c%c%c%u", w ? " " : "", 'a' + (int)(v % 26),
                              'a' + (int)(v / 26 % 26), 'k', v % 5);
        }
        precis_buf_puts(&p, ". ");
        if (sentence % 5 == 4) {
            add_para(doc, p.ptr);
            precis_buf_reset(&p);
        }
    }
    add_para(doc, p.ptr);
    precis_buf_release(&p);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    precis_result r;
    char *s = summarize(doc, PRECIS_LENGTH_LONG, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("summarized %zu words in %.3f s\n", words, secs);
    CHECK(r == PRECIS_OK);
    CHECK(count(s, "\n- ") + count(s, ". ") >= 10);
    CHECK(secs < 5.0);
    free(s);
    precis_doc_free(doc);
}

int main(void)
{
    test_length_parse();
    test_empty();
    test_tiny();
    test_central_sentences();
    test_length_and_order();
    test_sections_as_bullets();
    test_repeats_skipped();
    test_inline_markup();
    test_reference_marks_and_back_matter();
    test_raw_text();
    test_cjk();
    test_large_document_is_fast();
    return CHECK_DONE();
}
