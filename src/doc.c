/* Document model: node allocation, tree edits and traversal. */
#include "precis/doc.h"

#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"

precis_doc *precis_doc_new(void)
{
    precis_doc *doc = precis_xcalloc(1, sizeof *doc);
    doc->root = precis_node_new(PRECIS_NODE_DOCUMENT);
    return doc;
}

static void meta_release(precis_meta *m)
{
    free(m->title);
    free(m->author);
    free(m->date);
    free(m->site_name);
    free(m->lang);
    free(m->canonical_url);
    free(m->description);
    free(m->url);
    memset(m, 0, sizeof *m);
}

void precis_doc_free(precis_doc *doc)
{
    if (!doc)
        return;
    meta_release(&doc->meta);
    precis_node_free(doc->root);
    free(doc);
}

precis_node *precis_node_new(precis_node_kind kind)
{
    precis_node *n = precis_xcalloc(1, sizeof *n);
    n->kind = kind;
    return n;
}

precis_node *precis_node_new_text(precis_node_kind kind, const char *text, size_t n)
{
    precis_node *node = precis_node_new(kind);
    node->text = precis_xstrndup(text, n);
    return node;
}

precis_node *precis_node_append(precis_node *parent, precis_node *child)
{
    child->parent = parent;
    child->next = NULL;
    child->prev = parent->last_child;
    if (parent->last_child)
        parent->last_child->next = child;
    else
        parent->first_child = child;
    parent->last_child = child;
    return child;
}

void precis_node_unlink(precis_node *node)
{
    if (node->prev)
        node->prev->next = node->next;
    else if (node->parent)
        node->parent->first_child = node->next;
    if (node->next)
        node->next->prev = node->prev;
    else if (node->parent)
        node->parent->last_child = node->prev;
    node->parent = node->next = node->prev = NULL;
}

void precis_node_free(precis_node *node)
{
    if (!node)
        return;
    precis_node_unlink(node);
    /* Iterative post-order free so deep trees cannot overflow the stack. */
    precis_node *cur = node;
    while (cur) {
        if (cur->first_child) {
            cur = cur->first_child;
            continue;
        }
        precis_node *parent = cur->parent;
        precis_node *next = cur->next;
        if (parent) {
            parent->first_child = next;
            if (!next)
                parent->last_child = NULL;
        }
        free(cur->text);
        free(cur->href);
        free(cur->lang);
        free(cur->anchor);
        free(cur);
        cur = next ? next : parent;
    }
}

bool precis_node_is_block(const precis_node *node)
{
    return node->kind <= PRECIS_NODE_RAW;
}

void precis_set_string(char **field, const char *value)
{
    free(*field);
    *field = value ? precis_xstrdup(value) : NULL;
}

precis_node *precis_node_walk_next(const precis_node *root, const precis_node *node)
{
    if (node->first_child)
        return node->first_child;
    while (node && node != root) {
        if (node->next)
            return node->next;
        node = node->parent;
    }
    return NULL;
}
