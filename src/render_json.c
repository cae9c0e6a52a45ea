/* JSON renderer: metadata, both text renderings, headings and links. */
#include "precis/render.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

static void add_string_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

static void add_headings(const precis_doc *doc, cJSON *array)
{
    precis_buf text;
    precis_buf_init(&text, 0);
    for (const precis_node *k = doc->root; k; k = precis_node_walk_next(doc->root, k)) {
        if (k->kind != PRECIS_NODE_HEADING)
            continue;
        precis_buf_reset(&text);
        precis_render_inline_text(k, &text, " ", 0);
        cJSON *h = cJSON_CreateObject();
        cJSON_AddNumberToObject(h, "level", k->level);
        cJSON_AddStringToObject(h, "text", text.ptr);
        add_string_or_null(h, "anchor", k->anchor);
        cJSON_AddItemToArray(array, h);
    }
    precis_buf_release(&text);
}

static void add_links(const precis_doc *doc, cJSON *array)
{
    const precis_node **links;
    size_t n = precis_render_collect_links(doc, &links);
    precis_buf text;
    precis_buf_init(&text, 0);
    for (size_t i = 0; i < n; i++) {
        precis_buf_reset(&text);
        precis_render_inline_text(links[i], &text, " ", 0);
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "text", text.ptr);
        cJSON_AddStringToObject(l, "url", links[i]->href);
        cJSON_AddItemToArray(array, l);
    }
    free(links);
    precis_buf_release(&text);
}

void precis_render_json(const precis_doc *doc, precis_buf *out)
{
    if (!doc || !doc->root)
        return;
    /* The cJSON tree is built and deleted here; nothing of it escapes. */
    cJSON *root = cJSON_CreateObject();
    if (!root)
        precis_die("out of memory building JSON");
    const precis_meta *m = &doc->meta;
    add_string_or_null(root, "title", m->title);
    add_string_or_null(root, "author", m->author);
    add_string_or_null(root, "date", m->date);
    add_string_or_null(root, "site_name", m->site_name);
    add_string_or_null(root, "lang", m->lang);
    add_string_or_null(root, "canonical_url", m->canonical_url);
    add_string_or_null(root, "description", m->description);
    add_string_or_null(root, "url", m->url);
    precis_buf text;
    precis_buf_init(&text, 0);
    precis_render_markdown(doc, &text);
    cJSON_AddStringToObject(root, "markdown", text.ptr);
    precis_buf_reset(&text);
    precis_render_text(doc, &text);
    cJSON_AddStringToObject(root, "text", text.ptr);
    precis_buf_release(&text);
    add_headings(doc, cJSON_AddArrayToObject(root, "headings"));
    add_links(doc, cJSON_AddArrayToObject(root, "links"));
    cJSON_AddNumberToObject(root, "word_count", (double)precis_doc_word_count(doc));
    char *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!json)
        precis_die("out of memory printing JSON");
    precis_buf_puts(out, json);
    precis_buf_putc(out, '\n');
    cJSON_free(json);
}
