/* Shared by the extraction unit tests: a plain article and extract-then-render. */
#ifndef PRECIS_EXTRACT_FIXTURE_H
#define PRECIS_EXTRACT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "precis/extract.h"
#include "precis/render.h"

/* Three ordinary paragraphs that any detector should keep. */
static const char ARTICLE[] =
    "<p>The river town woke slowly, its bakers first, then the ferrymen who had "
    "worked the crossing for three generations, and finally the schoolchildren.</p>"
    "<p>By noon the market square was full of traders selling apples, cheese, rope, "
    "lamp oil and, in one corner, second-hand books that nobody seemed to buy.</p>"
    "<p>Historians argue about when the bridge was first proposed, but the council "
    "minutes show the debate lasted, on and off, for almost forty years.</p>";

/* Extracts html (opts, res and err may be NULL) and returns the rendered text
 * (caller frees), or NULL on error. */
static char *extract_text(const char *html, const precis_extract_opts *opts,
                          precis_result *res, precis_error *err)
{
    precis_doc *doc = NULL;
    precis_error local;
    if (!err)
        err = &local;
    precis_error_clear(err);
    precis_result r = precis_extract_html(html, strlen(html), "https://example.org/a/b.html",
                                          opts, &doc, err);
    if (res)
        *res = r;
    if (r != PRECIS_OK)
        return NULL;
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_render_text(doc, &out);
    precis_doc_free(doc);
    return precis_buf_detach(&out);
}

#endif
