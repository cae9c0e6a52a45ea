/* The per-element statistics table: one iterative pre-order pass records every
 * element and counts text, then one reverse pass sums subtrees into ancestors. */
#include "extract_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/dom.h"

static size_t hash_ptr(const GumboNode *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return (size_t)x;
}

static void map_put(precis_ex_tree *t, const GumboNode *key, int val);

static void map_grow(precis_ex_tree *t)
{
    size_t old_cap = t->keys ? t->mask + 1 : 0;
    const GumboNode **old_keys = t->keys;
    int *old_vals = t->vals;
    size_t cap = old_cap ? old_cap * 2 : 256;
    t->keys = precis_xcalloc(cap, sizeof *t->keys);
    t->vals = precis_xcalloc(cap, sizeof *t->vals);
    t->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old_keys[i])
            map_put(t, old_keys[i], old_vals[i]);
    }
    free(old_keys);
    free(old_vals);
}

static void map_put(precis_ex_tree *t, const GumboNode *key, int val)
{
    size_t i = hash_ptr(key) & t->mask;
    while (t->keys[i] && t->keys[i] != key)
        i = (i + 1) & t->mask;
    t->keys[i] = key;
    t->vals[i] = val;
}

int precis_ex_tree_find(const precis_ex_tree *t, const GumboNode *node)
{
    if (!t->keys || !node)
        return -1;
    size_t i = hash_ptr(node) & t->mask;
    while (t->keys[i]) {
        if (t->keys[i] == node)
            return t->vals[i];
        i = (i + 1) & t->mask;
    }
    return -1;
}

bool precis_ex_keep(const precis_ex_tree *t, int idx)
{
    return idx >= 0 && (size_t)idx < t->count && !(t->nodes[idx].flags & PRECIS_EX_DROPPED);
}

static int add_node(precis_ex_tree *t, const GumboNode *node, int parent)
{
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->nodes = precis_xrealloc(t->nodes, t->cap * sizeof *t->nodes);
    }
    if (!t->keys || (t->count + 1) * 2 > t->mask + 1)
        map_grow(t);
    int idx = (int)t->count++;
    memset(&t->nodes[idx], 0, sizeof t->nodes[idx]);
    t->nodes[idx].node = node;
    t->nodes[idx].parent = parent;
    t->nodes[idx].block = -1;
    map_put(t, node, idx);
    return idx;
}

/* Elements whose content is never readable text. */
static bool is_non_content(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_HEAD:
    case GUMBO_TAG_INPUT: case GUMBO_TAG_MENU:
        return true;
    default:
        return false;
    }
}

static bool asks_for_javascript(const GumboNode *noscript)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_ex_text(noscript, &b);
    bool js = false;
    for (size_t i = 0; i + 10 <= b.len && !js; i++) {
        if ((b.ptr[i] | 0x20) == 'j' && strncasecmp(b.ptr + i, "javascript", 10) == 0)
            js = true;
    }
    precis_buf_release(&b);
    return js;
}

/* Decides whether element (just added as idx) is dropped with its subtree. */
static bool is_dropped(precis_ex_tree *t, const GumboNode *el, int idx)
{
    GumboTag tag = el->v.element.tag;
    if (is_non_content(tag)) {
        if (tag == GUMBO_TAG_SCRIPT)
            t->scripts++;
        if (tag == GUMBO_TAG_NOSCRIPT && !t->js_notice && asks_for_javascript(el))
            t->js_notice = true;
        return true;
    }
    if (precis_dom_is_hidden(el))
        return true;
    if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY)
        return false;
    if (precis_ex_is_comment_section(el) && tag != GUMBO_TAG_ARTICLE &&
        tag != GUMBO_TAG_MAIN) {
        t->nodes[idx].flags |= PRECIS_EX_COMMENTS;
        if (!t->keep_comments)
            return true;
    }
    if (tag != GUMBO_TAG_HEADER && precis_ex_is_boilerplate_tag(el))
        return true;
    if (t->strip_unlikely && !(t->nodes[idx].flags & PRECIS_EX_COMMENTS) &&
        precis_ex_is_unlikely(el))
        t->nodes[idx].flags |= PRECIS_EX_UNLIKELY; /* decided once sizes are known */
    return false;
}

static void count_text(precis_ex_tree *t, int idx, const char *s)
{
    precis_ex_node *n = &t->nodes[idx];
    uint32_t commas = 0;
    uint32_t c = precis_ex_count_text(s, strlen(s), &commas);
    n->text += c;
    n->commas += commas;
    t->all_text += c;
    if (n->flags & PRECIS_EX_IN_LINK)
        n->link_text += c;
    if (n->flags & PRECIS_EX_IN_HEADING)
        n->heading_text += c;
    if (n->block >= 0) {
        precis_ex_node *b = &t->nodes[n->block];
        b->own_text += c;
        b->own_commas += commas;
        if (n->flags & PRECIS_EX_IN_LINK)
            b->own_link += c;
    }
}

static void visit_element(precis_ex_tree *t, const GumboNode *el, int idx)
{
    precis_ex_node *n = &t->nodes[idx];
    GumboTag tag = el->v.element.tag;
    int parent = n->parent;
    unsigned inherit = parent >= 0 ? t->nodes[parent].flags &
                                         (PRECIS_EX_IN_LINK | PRECIS_EX_IN_HEADING)
                                   : 0;
    n->flags |= inherit;
    if (precis_ex_is_block_tag(tag) && tag != GUMBO_TAG_BR) {
        n->flags |= PRECIS_EX_BLOCK;
        n->block = idx;
    } else {
        n->block = parent >= 0 ? t->nodes[parent].block : -1;
    }
    if (tag == GUMBO_TAG_A && precis_ex_attr(el, "href"))
        n->flags |= PRECIS_EX_LINK | PRECIS_EX_IN_LINK;
    if (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6)
        n->flags |= PRECIS_EX_IN_HEADING;
    n->weight = precis_ex_class_weight(el);
    switch (tag) {
    case GUMBO_TAG_P: n->paras = 1; break;
    case GUMBO_TAG_IMG: n->imgs = 1; break;
    case GUMBO_TAG_LI: n->lis = 1; break;
    case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_BUTTON: n->inputs = 1; break;
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_EMBED: case GUMBO_TAG_OBJECT: n->embeds = 1; break;
    case GUMBO_TAG_BODY: if (t->body < 0) t->body = idx; break;
    default: break;
    }
}

/* A form with at most this much text (characters) and a password field is a
 * login or sign-up box, never the page's content. */
#define LOGIN_FORM_MAX 600

/* Returns true if element i is a small form holding a password field (login,
 * sign-up or paywall box); its subtree is indices i+1.. while parents are >= i. */
static bool is_login_form(const precis_ex_tree *t, size_t i)
{
    const precis_ex_node *n = &t->nodes[i];
    if (n->node->v.element.tag != GUMBO_TAG_FORM || n->text > LOGIN_FORM_MAX || n->paras > 2)
        return false;
    for (size_t k = i + 1; k < t->count && t->nodes[k].parent >= (int)i; k++) {
        const GumboNode *el = t->nodes[k].node;
        const char *type = precis_ex_attr(el, "type");
        if (el->v.element.tag == GUMBO_TAG_INPUT && type && !strcasecmp(type, "password"))
            return true;
    }
    return false;
}

void precis_ex_tree_build(precis_ex_tree *t, const GumboNode *root, bool strip_unlikely,
                          bool keep_comments)
{
    memset(t, 0, sizeof *t);
    t->body = -1;
    t->strip_unlikely = strip_unlikely;
    t->keep_comments = keep_comments;
    const GumboNode *node = root;
    int cur = -1; /* index of the element whose children are being visited */
    while (node) {
        bool descend = false;
        if (node->type == GUMBO_NODE_ELEMENT) {
            int idx = add_node(t, node, cur);
            visit_element(t, node, idx);
            if (is_dropped(t, node, idx)) {
                t->nodes[idx].flags |= PRECIS_EX_DROPPED;
                /* Form controls still count, for the conditional cleaning. */
            } else if (node->v.element.children.length > 0) {
                descend = true;
                cur = idx;
            }
        } else if (node->type == GUMBO_NODE_DOCUMENT) {
            descend = node->v.document.children.length > 0;
        } else if ((node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) &&
                   cur >= 0) {
            count_text(t, cur, node->v.text.text);
        }
        if (descend) {
            node = node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children.data[0]
                                                     : node->v.element.children.data[0];
            continue;
        }
        /* Next sibling, climbing as needed; cur follows the climb. */
        while (node && node != root) {
            const GumboNode *parent = node->parent;
            const GumboVector *kids = NULL;
            if (parent)
                kids = parent->type == GUMBO_NODE_DOCUMENT ? &parent->v.document.children
                                                           : &parent->v.element.children;
            size_t next = node->index_within_parent + 1;
            if (kids && next < kids->length) {
                node = kids->data[next];
                break;
            }
            node = parent;
            if (node && node->type == GUMBO_NODE_ELEMENT && cur >= 0 &&
                t->nodes[cur].node == node)
                cur = t->nodes[cur].parent;
        }
        if (node == root)
            break;
    }
    /* Subtree sums: children come after their parent in pre-order. An unlikely
     * element is dropped unless it holds a large share of the page's text; so is
     * a login form. */
    for (size_t i = t->count; i-- > 1;) {
        precis_ex_node *n = &t->nodes[i];
        if (n->parent < 0)
            continue;
        bool login = is_login_form(t, i);
        if (login)
            t->all_text -= n->text; /* its labels are no text of the page */
        if (login || ((n->flags & PRECIS_EX_UNLIKELY) && n->text * 10 < t->all_text * 4)) {
            n->flags |= PRECIS_EX_DROPPED;
            continue;
        }
        precis_ex_node *p = &t->nodes[n->parent];
        p->text += n->text;
        p->link_text += n->link_text;
        p->commas += n->commas;
        p->heading_text += n->heading_text;
        if (!(n->flags & PRECIS_EX_DROPPED)) {
            p->paras += n->paras;
            p->imgs += n->imgs;
            p->lis += n->lis;
            p->embeds += n->embeds;
        }
        p->inputs += n->inputs;
    }
    for (size_t i = 1; i < t->count; i++) {
        precis_ex_node *n = &t->nodes[i];
        if (n->parent >= 0 && (t->nodes[n->parent].flags & PRECIS_EX_DROPPED))
            n->flags |= PRECIS_EX_DROPPED;
    }
    t->total_text = t->body >= 0 ? t->nodes[t->body].text : 0;
}

void precis_ex_tree_release(precis_ex_tree *t)
{
    free(t->nodes);
    free(t->keys);
    free(t->vals);
    memset(t, 0, sizeof *t);
}
