/* Extraction driver: parse with gumbo, choose the main content (or the cleaned
 * body), convert it to the document model and fill the metadata. */
#include "precis/extract.h"

#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"
#include "precis/dom.h"
#include "precis/render.h"

/* Nesting deeper than this is flattened before parsing (the parser's cost grows
 * with depth squared and its teardown recurses). */
#define MAX_NESTING 2000

/* Content shorter than this (characters) makes the detector retry with the
 * class/id filter off. */
#define SHORT_CONTENT 400

/* Words a noscript must have hidden for its content to count as the page. */
#define SWALLOWED_WORDS 50

static const char JS_MESSAGE[] =
    "page has no readable content (it appears to be built by JavaScript); "
    "try a different URL or the site's docs/text version";

void precis_extract_opts_init(precis_extract_opts *opts)
{
    memset(opts, 0, sizeof *opts);
}

static size_t picked_text(const precis_ex_tree *t, const int *picks, size_t n)
{
    size_t sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += t->nodes[picks[k]].text;
    return sum;
}

/* Picks in t, with the fallback decision: false means use the cleaned body. */
static bool choose(precis_ex_tree *t, int **picks, size_t *npicks)
{
    if (!precis_ex_pick(t, picks, npicks))
        return false;
    precis_ex_second_opinion(t, picks, npicks);
    size_t got = picked_text(t, *picks, *npicks);
    if (got == 0) {
        free(*picks);
        *picks = NULL;
        *npicks = 0;
        return false;
    }
    return true;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
            return false;
    }
    return true;
}

/* Converts the chosen content (or the body) into doc. */
static void convert(precis_ex_tree *t, const int *picks, size_t npicks, bool body,
                    const char *base_url, precis_doc *doc)
{
    precis_convert_opts copts;
    memset(&copts, 0, sizeof copts);
    copts.base_url = base_url;
    copts.skip_ctx = t;
    if (body) {
        copts.skip = precis_ex_skip_body;
        precis_dom_convert(t->nodes[t->body].node, &copts, doc->root);
        return;
    }
    copts.skip = precis_ex_skip;
    for (size_t k = 0; k < npicks; k++)
        precis_dom_convert(t->nodes[picks[k]].node, &copts, doc->root);
}

/* Parses html once and extracts its content into *out. */
static precis_result extract_once(const char *html, size_t len, const char *base_url,
                                  const precis_extract_opts *opts, precis_doc **out,
                                  precis_error *err)
{
    precis_result result = PRECIS_ERR_NO_CONTENT;
    size_t flat_len = 0;
    char *flat = precis_ex_flatten_deep(html, len, MAX_NESTING, &flat_len);
    GumboOptions gopts = kGumboDefaultOptions;
    gopts.max_errors = 0; /* error records copy the open-element stack: quadratic */
    GumboOutput *g = gumbo_parse_with_options(&gopts, flat ? flat : html, flat ? flat_len : len);
    precis_doc *doc = precis_doc_new();
    precis_ex_tree tree, retry;
    memset(&retry, 0, sizeof retry);
    int *picks = NULL;
    size_t npicks = 0;

    precis_ex_meta(g->document, base_url, &doc->meta);
    if (opts->on_link)
        precis_ex_each_link(g->document, opts->on_link, opts->link_ctx);
    precis_ex_tree_build(&tree, g->document, !opts->whole_body, opts->keep_comments);
    if (tree.body < 0 || tree.all_text == 0) {
        if (tree.scripts > 0 || tree.js_notice)
            precis_error_set(err, PRECIS_ERR_NO_CONTENT, "%s", JS_MESSAGE);
        else
            precis_error_set(err, PRECIS_ERR_NO_CONTENT,
                             "page has no readable content (no visible text)");
        goto out;
    }
    if (tree.js_notice && tree.all_text < 200) {
        precis_error_set(err, PRECIS_ERR_NO_CONTENT, "%s", JS_MESSAGE);
        goto out;
    }
    precis_ex_tree *use = &tree;
    bool body = true;
    if (!opts->whole_body) {
        body = !choose(&tree, &picks, &npicks);
        size_t got = body ? 0 : picked_text(&tree, picks, npicks);
        if (got < SHORT_CONTENT) {
            int *picks2 = NULL;
            size_t npicks2 = 0;
            precis_ex_tree_build(&retry, g->document, false, opts->keep_comments);
            if (choose(&retry, &picks2, &npicks2) &&
                picked_text(&retry, picks2, npicks2) > got) {
                free(picks);
                picks = picks2;
                npicks = npicks2;
                use = &retry;
                body = false;
            } else {
                free(picks2);
            }
        }
    }
    convert(use, picks, npicks, body, base_url, doc);
    if (!body &&
        precis_doc_word_count(doc) * 8 < picked_text(use, picks, npicks) / 3) {
        /* the cleaning vetoed most of the content: keep it, minus sure boilerplate */
        precis_node *c;
        while ((c = doc->root->first_child))
            precis_node_free(c);
        use->lenient = true;
        convert(use, picks, npicks, body, base_url, doc);
    }
    if (!doc->root->first_child && !body) /* everything vetoed: the body instead */
        convert(&tree, NULL, 0, true, base_url, doc);
    if (!opts->whole_body)
        precis_ex_trim_tail(doc);
    if (!doc->root->first_child) {
        precis_error_set(err, PRECIS_ERR_NO_CONTENT,
                         "page has no readable content (no visible text)");
        goto out;
    }
    *out = doc;
    doc = NULL;
    result = PRECIS_OK;
out:
    free(picks);
    precis_ex_tree_release(&tree);
    precis_ex_tree_release(&retry);
    precis_doc_free(doc);
    gumbo_destroy_output(&gopts, g);
    free(flat);
    return result;
}

precis_result precis_extract_html(const char *html, size_t len, const char *base_url,
                                  const precis_extract_opts *opts, precis_doc **out,
                                  precis_error *err)
{
    precis_extract_opts defaults;
    if (!opts) {
        precis_extract_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    if (!html || len == 0 || is_blank(html, len))
        return precis_error_set(err, PRECIS_ERR_NO_CONTENT,
                                "page has no readable content (the document is empty)");
    precis_result r = extract_once(html, len, base_url, opts, out, err);
    if (r != PRECIS_ERR_NO_CONTENT)
        return r;
    /* A <noscript> left open (its end tag ignored by the parser because a block
     * opened inside it is still open) swallows the rest of the page, which a
     * browser with scripts on would show: retry with the noscript tags removed. */
    size_t plain_len = 0;
    char *plain = precis_ex_strip_noscript(html, len, &plain_len);
    if (!plain)
        return r;
    precis_error again;
    precis_error_clear(&again);
    if (extract_once(plain, plain_len, base_url, opts, out, &again) == PRECIS_OK &&
        precis_doc_word_count(*out) < SWALLOWED_WORDS) {
        precis_doc_free(*out); /* only a short notice was hidden there */
        *out = NULL;
    }
    free(plain);
    if (!*out)
        return r;
    if (err)
        precis_error_clear(err);
    return PRECIS_OK;
}
