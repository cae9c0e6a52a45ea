/* Answers from an indexed site: the retrieved sections numbered as sources that fit
 * the model's budget, and the [n] citations of an answer checked against them. */
#ifndef PRECIS_SOURCES_H
#define PRECIS_SOURCES_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/index.h"
#include "precis/model.h"
#include "precis/prompt.h"

/* One numbered source. Strings owned (precis_sources_free). */
typedef struct precis_source {
    int n;            /* 1-based, as the model sees it */
    char *url;        /* the deep link, page URL + "#anchor" when there is one */
    char *page, *anchor, *title;
    char *path;       /* the heading path joined with " › " */
    char *text;       /* the section's Markdown as sent (whole, or cut to fit) */
    bool cut;         /* the text was cut to fit the budget */
} precis_source;

/* Turns hits[0..n) into sources whose text fits budget_tokens in all (whole sections
 * while they fit, then one cut section when at least 200 tokens remain), and appends
 * the content the model reads to content ("[n] path — url" then the text, per source).
 * *out is a new array of *nout sources. */
precis_result precis_sources_build(precis_index *idx, const precis_hit *hits, size_t n,
                                   long budget_tokens, precis_buf *content,
                                   precis_source **out, size_t *nout, precis_error *err);

/* Returns the tokens the sources may take in one request with model m: the prompt
 * budget for context_tokens less what prompt takes with vars and no content. */
long precis_sources_budget(const precis_model *m, const precis_prompt *prompt,
                           const precis_prompt_vars *vars, long context_tokens);

/* Frees sources. NULL-safe. */
void precis_sources_free(precis_source *s, size_t n);

/* Scans answer text for citations "[n]", "[n, m]", "[n-m]" and "[n][m]": *cited gets the
 * numbers of existing sources (1..nsources) in order of first appearance, *invalid the
 * numbers that no source has (each once). Both are new arrays (free()) of *ncited /
 * *ninvalid ints. */
void precis_citations_scan(const char *text, size_t nsources, int **cited, size_t *ncited,
                           int **invalid, size_t *ninvalid);

/* The offline answer from a site: for each hit a "## [n] path" heading, its deep link
 * and its passage (the section's text, cut at a paragraph near max_bytes), appended to
 * out as Markdown, and/or, when json (an array) is given, one object per hit
 * (precis_hit_json plus "n" and "passage") added to it. */
precis_result precis_sources_passages(precis_index *idx, const precis_hit *hits, size_t n,
                                      size_t max_bytes, precis_buf *out, cJSON *json,
                                      precis_error *err);

/* Returns [{"n", "url", "anchor", "title", "path"}] for sources. The caller owns it. */
cJSON *precis_sources_json(const precis_source *s, size_t n);

#endif
