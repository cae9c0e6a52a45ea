/* Page metadata: JSON-LD, OpenGraph and meta tags, <title>, <html lang>, canonical. */
#include "extract_internal.h"

#include <cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precis/dom.h"

/* Candidate values by source, the best source wins. */
typedef struct meta_found {
    char *ld_title, *ld_author, *ld_date, *ld_site, *ld_lang, *ld_desc;
    int ld_rank; /* how article-like the JSON-LD object that filled the fields was */
    char *og_title, *og_site, *og_desc, *og_url, *og_locale;
    char *m_author, *m_date, *m_desc, *m_lang, *m_title, *m_site;
    char *title, *html_lang, *canonical;
} meta_found;

static void keep_first(char **field, const char *value)
{
    if (*field || !value)
        return;
    while (isspace((unsigned char)*value))
        value++;
    if (!*value)
        return;
    precis_buf b;
    precis_buf_init(&b, 0);
    /* collapse whitespace */
    for (const char *p = value; *p; p++) {
        if (isspace((unsigned char)*p)) {
            if (!precis_buf_ends_with(&b, ' '))
                precis_buf_putc(&b, ' ');
        } else {
            precis_buf_putc(&b, *p);
        }
    }
    while (b.len && precis_buf_ends_with(&b, ' '))
        precis_buf_truncate(&b, b.len - 1);
    *field = precis_buf_detach(&b);
}

static const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(v))
        return v->valuestring;
    if (cJSON_IsArray(v) && cJSON_IsString(cJSON_GetArrayItem(v, 0)))
        return cJSON_GetArrayItem(v, 0)->valuestring;
    return NULL;
}

/* A person or organisation: a string, {"name": ...} or an array of either. */
static void json_names(const cJSON *v, precis_buf *out)
{
    const cJSON *items[64];
    size_t n = 0;
    if (cJSON_IsArray(v)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, v) {
            if (n < 64)
                items[n++] = it;
        }
    } else if (v) {
        items[n++] = v;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = NULL;
        if (cJSON_IsString(items[i]))
            name = items[i]->valuestring;
        else if (cJSON_IsObject(items[i]))
            name = json_str(items[i], "name");
        if (!name || !*name)
            continue;
        if (out->len)
            precis_buf_puts(out, ", ");
        precis_buf_puts(out, name);
    }
}

/* Ranks an object by @type: articles first, then pages, 0 = not useful. */
static int type_rank(const cJSON *obj)
{
    static const char *const articles[] = {
        "Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle",
        "TechArticle", "SocialMediaPosting", "LiveBlogPosting", "AnalysisNewsArticle",
        "OpinionNewsArticle", "ReportageNewsArticle", "Recipe", "Review", "HowTo",
    };
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "@type");
    const cJSON *items[16];
    size_t n = 0;
    if (cJSON_IsArray(type)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, type) {
            if (n < 16)
                items[n++] = it;
        }
    } else if (type) {
        items[n++] = type;
    }
    int rank = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cJSON_IsString(items[i]))
            continue;
        const char *s = items[i]->valuestring;
        for (size_t k = 0; k < sizeof articles / sizeof articles[0]; k++) {
            if (!strcmp(s, articles[k]))
                rank = 3;
        }
        if (rank < 2 && strstr(s, "Page"))
            rank = 2;
        if (rank < 1 && (!strcmp(s, "WebSite") || !strcmp(s, "Organization")))
            rank = 1;
    }
    return rank;
}

static void take_ld_object(meta_found *m, const cJSON *obj)
{
    int rank = type_rank(obj);
    if (rank == 1) { /* the site itself: only its name */
        const char *name = json_str(obj, "name");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "@type");
        if (cJSON_IsString(type) && !strcmp(type->valuestring, "WebSite"))
            keep_first(&m->ld_site, name);
        return;
    }
    if (rank == 0 || rank < m->ld_rank)
        return;
    if (rank > m->ld_rank) { /* a better object: forget what a weaker one gave */
        free(m->ld_title), m->ld_title = NULL;
        free(m->ld_author), m->ld_author = NULL;
        free(m->ld_date), m->ld_date = NULL;
        free(m->ld_desc), m->ld_desc = NULL;
        m->ld_rank = rank;
    }
    const char *title = json_str(obj, "headline");
    keep_first(&m->ld_title, title ? title : json_str(obj, "name"));
    precis_buf names;
    precis_buf_init(&names, 4096);
    json_names(cJSON_GetObjectItemCaseSensitive(obj, "author"), &names);
    if (!names.len)
        json_names(cJSON_GetObjectItemCaseSensitive(obj, "creator"), &names);
    keep_first(&m->ld_author, names.len ? names.ptr : NULL);
    precis_buf_release(&names);
    const char *date = json_str(obj, "datePublished");
    keep_first(&m->ld_date, date ? date : json_str(obj, "dateCreated"));
    const cJSON *publisher = cJSON_GetObjectItemCaseSensitive(obj, "publisher");
    if (cJSON_IsArray(publisher))
        publisher = cJSON_GetArrayItem(publisher, 0);
    if (cJSON_IsObject(publisher))
        keep_first(&m->ld_site, json_str(publisher, "name"));
    else if (cJSON_IsString(publisher))
        keep_first(&m->ld_site, publisher->valuestring);
    keep_first(&m->ld_lang, json_str(obj, "inLanguage"));
    keep_first(&m->ld_desc, json_str(obj, "description"));
}

/* Visits the objects of one JSON-LD value: a top-level array, @graph arrays. */
static void take_ld(meta_found *m, const cJSON *root)
{
    const cJSON *stack[64];
    size_t sp = 0;
    stack[sp++] = root;
    while (sp > 0) {
        const cJSON *v = stack[--sp];
        if (cJSON_IsArray(v)) {
            const cJSON *it;
            cJSON_ArrayForEach(it, v) {
                if (sp < 64)
                    stack[sp++] = it;
            }
        } else if (cJSON_IsObject(v)) {
            take_ld_object(m, v);
            const cJSON *graph = cJSON_GetObjectItemCaseSensitive(v, "@graph");
            if (graph && sp < 64)
                stack[sp++] = graph;
        }
    }
}

static void take_script(meta_found *m, const GumboNode *script)
{
    const char *type = precis_ex_attr(script, "type");
    if (!type || !strstr(type, "ld+json") || script->v.element.children.length == 0)
        return;
    const GumboNode *text = script->v.element.children.data[0];
    if (text->type != GUMBO_NODE_TEXT && text->type != GUMBO_NODE_WHITESPACE &&
        text->type != GUMBO_NODE_CDATA)
        return;
    cJSON *json = cJSON_Parse(text->v.text.text); /* NULL when malformed: ignored */
    if (json) {
        take_ld(m, json);
        cJSON_Delete(json); /* the tree is ours to free */
    }
}

static void take_meta(meta_found *m, const GumboNode *el)
{
    const char *key = precis_ex_attr(el, "property");
    const char *content = precis_ex_attr(el, "content");
    if (!content)
        return;
    if (!key)
        key = precis_ex_attr(el, "name");
    if (!key) {
        const char *equiv = precis_ex_attr(el, "http-equiv");
        if (equiv && !strcasecmp(equiv, "content-language"))
            keep_first(&m->m_lang, content);
        return;
    }
    if (!strcasecmp(key, "og:title"))
        keep_first(&m->og_title, content);
    else if (!strcasecmp(key, "og:site_name"))
        keep_first(&m->og_site, content);
    else if (!strcasecmp(key, "og:description"))
        keep_first(&m->og_desc, content);
    else if (!strcasecmp(key, "og:url"))
        keep_first(&m->og_url, content);
    else if (!strcasecmp(key, "og:locale"))
        keep_first(&m->og_locale, content);
    else if (!strcasecmp(key, "author") || !strcasecmp(key, "dc.creator") ||
             !strcasecmp(key, "dcterms.creator") || !strcasecmp(key, "sailthru.author") ||
             !strcasecmp(key, "parsely-author") ||
             (!strcasecmp(key, "article:author") && !strstr(content, "://")))
        keep_first(&m->m_author, content);
    else if (!strcasecmp(key, "article:published_time") || !strcasecmp(key, "dc.date") ||
             !strcasecmp(key, "dcterms.date") || !strcasecmp(key, "dc.date.issued") ||
             !strcasecmp(key, "dcterms.created") || !strcasecmp(key, "date") ||
             !strcasecmp(key, "pubdate") || !strcasecmp(key, "publish-date") ||
             !strcasecmp(key, "parsely-pub-date") || !strcasecmp(key, "sailthru.date"))
        keep_first(&m->m_date, content);
    else if (!strcasecmp(key, "description") || !strcasecmp(key, "dc.description") ||
             !strcasecmp(key, "dcterms.description") || !strcasecmp(key, "twitter:description"))
        keep_first(&m->m_desc, content);
    else if (!strcasecmp(key, "dc.title") || !strcasecmp(key, "dcterms.title") ||
             !strcasecmp(key, "twitter:title") || !strcasecmp(key, "parsely-title"))
        keep_first(&m->m_title, content);
    else if (!strcasecmp(key, "dc.language") || !strcasecmp(key, "dcterms.language"))
        keep_first(&m->m_lang, content);
    else if (!strcasecmp(key, "application-name") || !strcasecmp(key, "dc.publisher") ||
             !strcasecmp(key, "dcterms.publisher"))
        keep_first(&m->m_site, content);
}

static bool rel_has(const char *rel, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = rel; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        size_t n = 0;
        while (p[n] && !isspace((unsigned char)p[n]))
            n++;
        if (n == wl && !strncasecmp(p, word, n))
            return true;
        p += n;
    }
    return false;
}

static void visit(meta_found *m, const GumboNode *el)
{
    switch (el->v.element.tag) {
    case GUMBO_TAG_HTML:
        keep_first(&m->html_lang, precis_ex_attr(el, "lang"));
        if (!m->html_lang)
            keep_first(&m->html_lang, precis_ex_attr(el, "xml:lang"));
        break;
    case GUMBO_TAG_TITLE:
        if (!m->title && el->parent && el->parent->type == GUMBO_NODE_ELEMENT &&
            el->parent->v.element.tag == GUMBO_TAG_HEAD) {
            precis_buf b;
            precis_buf_init(&b, 0);
            precis_ex_text(el, &b);
            keep_first(&m->title, b.ptr);
            precis_buf_release(&b);
        }
        break;
    case GUMBO_TAG_META: take_meta(m, el); break;
    case GUMBO_TAG_SCRIPT: take_script(m, el); break;
    case GUMBO_TAG_LINK: {
        const char *rel = precis_ex_attr(el, "rel");
        if (rel && rel_has(rel, "canonical"))
            keep_first(&m->canonical, precis_ex_attr(el, "href"));
        break;
    }
    default: break;
    }
}

/* Removes a " | Site" style suffix (or "Site | " prefix) naming the site. */
static void trim_site(char *title, const char *site)
{
    static const char *const seps[] = {" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " : "};
    if (!title || !site || !*site)
        return;
    size_t tl = strlen(title), sl = strlen(site);
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        size_t pl = strlen(seps[k]);
        if (tl > sl + pl && !strcasecmp(title + tl - sl, site) &&
            !strncmp(title + tl - sl - pl, seps[k], pl)) {
            title[tl - sl - pl] = '\0';
            return;
        }
        if (tl > sl + pl && !strncasecmp(title, site, sl) && !strncmp(title + sl, seps[k], pl)) {
            memmove(title, title + sl + pl, tl - sl - pl + 1);
            return;
        }
    }
}

static char *pick(char **a, char **b, char **c)
{
    char **src = *a ? a : *b ? b : c;
    char *v = *src;
    *src = NULL;
    return v;
}

static void found_release(meta_found *m)
{
    char **fields[] = {&m->ld_title, &m->ld_author, &m->ld_date, &m->ld_site, &m->ld_lang,
                       &m->ld_desc, &m->og_title, &m->og_site, &m->og_desc, &m->og_url,
                       &m->og_locale, &m->m_author, &m->m_date, &m->m_desc, &m->m_lang,
                       &m->m_title, &m->m_site, &m->title, &m->html_lang, &m->canonical};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
}

static void set_owned(char **field, char *value)
{
    if (!value)
        return;
    free(*field);
    *field = value;
}

void precis_ex_meta(const GumboNode *root, const char *base_url, precis_meta *meta)
{
    meta_found m;
    memset(&m, 0, sizeof m);
    const GumboNode *node = root;
    while (node) {
        const GumboVector *kids = NULL;
        if (node->type == GUMBO_NODE_ELEMENT) {
            visit(&m, node);
            kids = &node->v.element.children;
        } else if (node->type == GUMBO_NODE_DOCUMENT) {
            kids = &node->v.document.children;
        }
        if (kids && kids->length > 0) {
            node = kids->data[0];
            continue;
        }
        while (node && node != root) {
            const GumboNode *parent = node->parent;
            const GumboVector *sib = parent->type == GUMBO_NODE_DOCUMENT
                                         ? &parent->v.document.children
                                         : &parent->v.element.children;
            size_t next = node->index_within_parent + 1;
            if (next < sib->length) {
                node = sib->data[next];
                break;
            }
            node = parent;
        }
        if (node == root)
            break;
    }
    set_owned(&meta->site_name, pick(&m.og_site, &m.ld_site, &m.m_site));
    char *title = m.title;
    char *best = m.og_title ? m.og_title : m.ld_title ? m.ld_title : m.m_title;
    /* The <title> trimmed of the site name, unless a cleaner title is declared. */
    if (title)
        trim_site(title, meta->site_name);
    if (best && (!title || strlen(best) <= strlen(title) || !meta->site_name)) {
        trim_site(best, meta->site_name);
        set_owned(&meta->title, precis_xstrdup(best));
    } else if (title) {
        set_owned(&meta->title, precis_xstrdup(title));
    }
    set_owned(&meta->author, pick(&m.ld_author, &m.m_author, &m.m_author));
    set_owned(&meta->date, pick(&m.ld_date, &m.m_date, &m.m_date));
    set_owned(&meta->lang, pick(&m.html_lang, &m.ld_lang, &m.m_lang));
    if (!meta->lang && m.og_locale) {
        for (char *p = m.og_locale; *p; p++) {
            if (*p == '_')
                *p = '-';
        }
        set_owned(&meta->lang, pick(&m.og_locale, &m.og_locale, &m.og_locale));
    }
    set_owned(&meta->description, pick(&m.m_desc, &m.og_desc, &m.ld_desc));
    const char *canon = m.canonical ? m.canonical : m.og_url;
    if (canon) {
        char *abs = precis_url_resolve(base_url, canon);
        set_owned(&meta->canonical_url, abs);
    }
    if (base_url)
        precis_set_string(&meta->url, base_url);
    found_release(&m);
}
