/* Renderers: document model -> Markdown, plain text, JSON, link list. */
#ifndef PRECIS_RENDER_H
#define PRECIS_RENDER_H

#include "precis/buf.h"
#include "precis/doc.h"

typedef enum precis_format {
    PRECIS_FORMAT_MARKDOWN,
    PRECIS_FORMAT_TEXT,
    PRECIS_FORMAT_JSON
} precis_format;

/* Parses "markdown", "text" or "json"; returns false for anything else. */
bool precis_format_parse(const char *name, precis_format *out);

/* Appends GitHub-flavoured Markdown (fenced code with language, pipe tables,
 * nested lists, headings). Output ends with exactly one newline when non-empty.
 * Heading anchors are not written (no "{#id}", no inline HTML): they are in the
 * JSON "headings" array. Text is escaped only where it would become markup. */
void precis_render_markdown(const precis_doc *doc, precis_buf *out);

/* Appends plain text: a blank line between blocks, list items on their own lines,
 * code verbatim, no markup. */
void precis_render_text(const precis_doc *doc, precis_buf *out);

/* Appends one JSON object: metadata, markdown, text, headings with anchors,
 * links, word_count. */
void precis_render_json(const precis_doc *doc, precis_buf *out);

/* Appends the document's links numbered "[1] URL  text", one per line, in order
 * of appearance, duplicates listed once. */
void precis_render_links(const precis_doc *doc, precis_buf *out);

/* Renders in the given format. */
void precis_render(const precis_doc *doc, precis_format format, precis_buf *out);

/* Counts words in the document's text (CJK characters count one each). */
size_t precis_doc_word_count(const precis_doc *doc);

/* Appends the Markdown of the sibling blocks from first up to (not including) stop
 * (NULL: to the last sibling), as precis_render_markdown renders them, to out. */
void precis_render_markdown_range(const precis_node *first, const precis_node *stop,
                                  precis_buf *out);

/* Appends the plain text of an inline container (a heading, say) to out. */
void precis_render_node_text(const precis_node *n, precis_buf *out);

#endif
