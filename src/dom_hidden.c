/* DOM element tests: hidden elements, non-content elements, attribute helpers. */
#include "precis/dom.h"

#include <ctype.h>
#include <string.h>

#include "dom_internal.h"

const GumboVector *precis_dom_children(const GumboNode *node)
{
    if (!node)
        return NULL;
    if (node->type == GUMBO_NODE_DOCUMENT)
        return &node->v.document.children;
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
        return &node->v.element.children;
    return NULL;
}

const GumboNode *precis_dom_walk_next(const GumboNode *root, const GumboNode *n, bool descend)
{
    if (descend) {
        const GumboVector *ch = precis_dom_children(n);
        if (ch && ch->length > 0)
            return ch->data[0];
    }
    while (n && n != root) {
        const GumboNode *p = n->parent;
        if (!p)
            return NULL;
        const GumboVector *ch = precis_dom_children(p);
        size_t i = n->index_within_parent + 1;
        if (ch && i < ch->length)
            return ch->data[i];
        n = p;
    }
    return NULL;
}

static bool is_element(const GumboNode *n)
{
    return n && (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE);
}

const char *precis_dom_attr(const GumboNode *el, const char *name)
{
    if (!is_element(el))
        return NULL;
    GumboAttribute *a = gumbo_get_attribute(&el->v.element.attributes, name);
    return a ? a->value : NULL;
}

bool precis_dom_tag_is(const GumboNode *el, const char *name)
{
    if (!is_element(el))
        return false;
    if (el->v.element.tag != GUMBO_TAG_UNKNOWN)
        return strcmp(gumbo_normalized_tagname(el->v.element.tag), name) == 0;
    GumboStringPiece piece = el->v.element.original_tag;
    gumbo_tag_from_original_text(&piece); /* strips the angle brackets */
    size_t n = strlen(name);
    if (piece.length != n || !piece.data)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)piece.data[i]) != name[i])
            return false;
    return true;
}

bool precis_dom_has_class(const GumboNode *el, const char *token)
{
    const char *cls = precis_dom_attr(el, "class");
    if (!cls)
        return false;
    size_t tn = strlen(token);
    const char *p = cls;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - start);
        if (len == tn) {
            size_t i = 0;
            while (i < len && tolower((unsigned char)start[i]) == tolower((unsigned char)token[i]))
                i++;
            if (i == len)
                return true;
        }
    }
    return false;
}

/* Copies s into out (size cap) lowercased with all whitespace removed. */
static void squeeze_lower(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isspace(c))
            out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
}

/* Returns true if a CSS value means zero ("0", "0px", ".0em", "0%"...). */
static bool css_is_zero(const char *v)
{
    bool digit = false;
    while (*v == '0' || *v == '.') {
        digit = digit || *v == '0';
        v++;
    }
    if (!digit)
        return false;
    return *v == '\0' || isalpha((unsigned char)*v) || *v == '%';
}

/* Returns true if one "prop: value" declaration hides its element. */
static bool declaration_hides(const char *decl, size_t n)
{
    char d[128];
    if (n >= sizeof d)
        n = sizeof d - 1;
    squeeze_lower(decl, n, d, sizeof d);
    char *colon = strchr(d, ':');
    if (!colon)
        return false;
    *colon = '\0';
    char *value = colon + 1;
    char *bang = strchr(value, '!');
    if (bang)
        *bang = '\0';
    const char *prop = d;
    if (strcmp(prop, "display") == 0)
        return strcmp(value, "none") == 0;
    if (strcmp(prop, "visibility") == 0)
        return strcmp(value, "hidden") == 0 || strcmp(value, "collapse") == 0;
    if (strcmp(prop, "content-visibility") == 0)
        return strcmp(value, "hidden") == 0;
    /* font-size:0 is judged with the subtree (see restores_font_size);
     * opacity:0 is not hiding: animation libraries fade content in from it. */
    return false;
}

/* Returns true if the style sets font-size to zero. */
static bool style_zero_font(const char *style)
{
    const char *p = style;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char d[128];
        squeeze_lower(p, n < sizeof d ? n : sizeof d - 1, d, sizeof d);
        if (strncmp(d, "font-size:", 10) == 0) {
            char *bang = strchr(d, '!');
            if (bang)
                *bang = '\0';
            if (css_is_zero(d + 10))
                return true;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

/* font-size:0 on a container is a layout trick when its children set their own
 * size; returns true if a descendant does (or the subtree is too big to tell). */
static bool restores_font_size(const GumboNode *el)
{
    int budget = 2000;
    for (const GumboNode *n = precis_dom_walk_next(el, el, true); n;
         n = precis_dom_walk_next(el, n, true)) {
        if (--budget == 0)
            return true;
        const char *st = precis_dom_attr(n, "style");
        if (st && strstr(st, "font-size") && !style_zero_font(st))
            return true;
    }
    return false;
}

static bool style_hides(const char *style)
{
    const char *p = style;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (declaration_hides(p, n))
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

bool precis_dom_is_hidden(const GumboNode *element)
{
    if (!is_element(element))
        return false;
    if (precis_dom_attr(element, "hidden"))
        return true;
    const char *aria = precis_dom_attr(element, "aria-hidden");
    if (aria) {
        char v[16];
        squeeze_lower(aria, strlen(aria), v, sizeof v);
        if (strcmp(v, "true") == 0)
            return true;
    }
    const char *style = precis_dom_attr(element, "style");
    if (!style)
        return false;
    if (style_hides(style))
        return true;
    return style_zero_font(style) && !restores_font_size(element);
}

/* Class names that hide an element in common CSS frameworks, and code gutters. */
static const char *const hiding_classes[] = {
    "hidden", "d-none", "is-hidden", "u-hidden", "invisible", "visually-hidden",
    "visuallyhidden", "sr-only", "screen-reader-text", "hide",
    "linenos", "lineno", "line-numbers-rows", "gutter", "rouge-gutter",
};

static bool is_dropped_tag(const GumboNode *el)
{
    switch (el->v.element.tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_PROGRESS:
    case GUMBO_TAG_METER:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_ANNOTATION_XML:
    case GUMBO_TAG_MENUITEM:
        return true;
    case GUMBO_TAG_UNKNOWN:
        if (precis_dom_tag_is(el, "dialog"))
            return precis_dom_attr(el, "open") == NULL;
        return precis_dom_tag_is(el, "annotation") || precis_dom_tag_is(el, "slot");
    default:
        return false;
    }
}

bool precis_dom_is_dropped(const GumboNode *el)
{
    if (!is_element(el) || el->type == GUMBO_NODE_TEMPLATE)
        return true;
    if (is_dropped_tag(el) || precis_dom_is_hidden(el))
        return true;
    if (precis_dom_attr(el, "class")) {
        for (size_t i = 0; i < sizeof hiding_classes / sizeof hiding_classes[0]; i++)
            if (precis_dom_has_class(el, hiding_classes[i]))
                return true;
    }
    return false;
}
