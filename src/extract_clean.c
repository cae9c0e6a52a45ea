/* Boilerplate hints: class/id/role/tag tests, text counting, the depth guard. */
#include "extract_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A hint word; whole = must be a whole token of class/id, else a substring.
 * Class names are mostly English, but CMS themes and hand-written templates also
 * use the site's language (German, French, Spanish, Portuguese, Italian, Dutch,
 * Polish, written without accents) or a transliteration (Russian, Japanese,
 * Chinese); each list has those after the English words. */
typedef struct hint {
    const char *word;
    bool whole;
} hint;

static const hint positive_hints[] = {
    {"article", false}, {"content", false}, {"main", true},   {"post", false},
    {"entry", false},   {"text", true},     {"body", false},  {"story", false},
    {"blog", false},    {"hentry", false},  {"prose", false}, {"markdown", false},
    {"page", true},     {"rich", true},
    /* de, nl: artikel, beitrag, inhalt, inhoud */
    {"artikel", false}, {"beitrag", false}, {"inhalt", true}, {"inhoud", true},
    /* fr, es, pt, it: contenu, contenido, conteudo, contenuto, articolo, articulo, artigo */
    {"contenu", false}, {"contenido", false}, {"conteudo", false}, {"contenuto", false},
    {"articolo", false}, {"articulo", false}, {"artigo", false},
    /* pl: tresc (treść), wpis; ru: statya (статья), tekst */
    {"tresc", false},   {"wpis", true},     {"statya", false}, {"tekst", true},
    /* ja: honbun (本文), kiji (記事); zh: zhengwen (正文), neirong (内容), wenzhang (文章) */
    {"honbun", false},  {"kiji", false},    {"zhengwen", false}, {"neirong", false},
    {"wenzhang", false},
};

/* Boilerplate words of the ten languages: negative and unlikely, like the
 * English words of the two lists below. */
#define LOCAL_BOILERPLATE_HINTS                                                         \
    /* de: teilen, kommentare, werbung, anzeige, verwandte/ahnliche (ähnliche),      \
     * empfehlung, fusszeile (footer), seitenleiste (sidebar) */                       \
    {"teilen", false}, {"kommentare", false}, {"werbung", false}, {"anzeige", true},    \
    {"verwandte", false}, {"aehnliche", false}, {"ahnliche", false},                   \
    {"empfehlung", false}, {"fusszeile", false}, {"seitenleiste", false},             \
    /* fr: partage, commentaires, publicite, pub, a-lire, lire-aussi, articles-lies,   \
     * reseaux-sociaux, pied-de-page, fil-ariane (breadcrumb) */                       \
    {"partage", false}, {"publicite", false}, {"pub", true}, {"a-lire", false},         \
    {"alire", false}, {"lire-aussi", false}, {"articles-lies", false},                  \
    {"reseaux-sociaux", false}, {"pied-de-page", false}, {"fil-ariane", false},        \
    /* es, pt: compartir, compartilhar, comentarios, relacionados, publicidad(e),      \
     * redes-sociales, boletin, recomendados, leia-tambem, veja-tambem, rodape */     \
    {"compartir", false}, {"compartilh", false}, {"comentarios", false},              \
    {"relacionad", false}, {"publicidad", false}, {"redes-sociales", false},            \
    {"boletin", false}, {"recomendad", false}, {"leia-tambem", false},                  \
    {"veja-tambem", false}, {"rodape", false},                                          \
    /* it: condividi, commenti (by "comment"), correlati, pubblicita, leggi-anche */   \
    {"condividi", false}, {"correlati", false}, {"pubblicita", false},                  \
    {"leggi-anche", false},                                                              \
    /* nl: delen, reacties, gerelateerd, advertentie, nieuwsbrief, lees-ook */         \
    {"delen", true}, {"reacties", false}, {"gerelateerd", false},                       \
    {"advertentie", false}, {"nieuwsbrief", false}, {"lees-ook", false},                \
    /* pl: komentarze, udostepnij, reklama, powiazane, polecane, podobne, stopka */    \
    {"komentarze", false}, {"udostepnij", false}, {"reklama", false},                   \
    {"powiazane", false}, {"polecane", false}, {"podobne", false}, {"stopka", false},   \
    /* ru: kommentarii, podelitsya (поделиться), pohozhie (похожие), Yandex share      \
     * and ad widgets, pluso and uptolike share buttons */                              \
    {"kommentarii", false}, {"podelit", false}, {"pohozhie", false},                   \
    {"ya-share", false}, {"yandex_rtb", false}, {"adfox", false}, {"pluso", false},     \
    {"uptolike", false},                                                                 \
    /* ja: sns buttons, kanren (関連), osusume (おすすめ), ninki (人気), Hatena and     \
     * AdSense blocks */                                                                \
    {"sns", true}, {"kanren", false}, {"osusume", false}, {"ninki", false},             \
    {"hatena", false}, {"adsbygoogle", false},                                         \
    /* zh: fenxiang (分享), pinglun (评论), xiangguan (相关), tuijian (推荐),           \
     * guanggao (广告), Baidu/JiaThis/bShare share widgets */                          \
    {"fenxiang", false}, {"pinglun", false}, {"xiangguan", false}, {"tuijian", false}, \
    {"guanggao", false}, {"bdshare", false}, {"jiathis", false}, {"bshare", false}

static const hint negative_hints[] = {
    {"nav", true},        {"navbar", false},     {"navigation", false}, {"menu", false},
    {"footer", false},    {"header", false},     {"masthead", false},   {"sidebar", false},
    {"comment", false},   {"share", false},      {"sharing", false},    {"social", false},
    {"related", false},   {"promo", false},      {"ad", true},          {"ads", true},
    {"advert", false},    {"banner", false},     {"cookie", false},     {"consent", false},
    {"gdpr", false},      {"newsletter", false}, {"subscribe", false},  {"breadcrumb", false},
    {"pagination", false}, {"pager", false},     {"widget", false},     {"popup", false},
    {"modal", false},     {"sponsor", false},    {"outbrain", false},   {"taboola", false},
    {"shoutbox", false},  {"skyscraper", false}, {"tags", true},        {"tag", true},
    {"toolbar", false},   {"login", false},      {"signup", false},     {"disqus", false},
    {"hidden", true},     {"hid", true},         {"meta", true},        {"byline", false},
    {"contact", false},   {"print", true},       {"recommend", false},  {"teaser", false},
    {"overlay", false},   {"tooltip", false},    {"skip", true},        {"rss", true},
};

static const hint unlikely_hints[] = {
    {"nav", true},        {"navbar", false},     {"navigation", false}, {"menu", false},
    {"footer", false},    {"header", false},     {"masthead", false},   {"sidebar", false},
    {"comment", false},   {"share", false},      {"sharing", false},    {"social", false},
    {"related", false},   {"promo", false},      {"ad", true},          {"ads", true},
    {"advert", false},    {"banner", false},     {"cookie", false},     {"consent", false},
    {"gdpr", false},      {"newsletter", false}, {"subscribe", false},  {"breadcrumb", false},
    {"pagination", false}, {"pager", false},     {"popup", false},      {"modal", false},
    {"sponsor", false},   {"outbrain", false},   {"taboola", false},    {"shoutbox", false},
    {"skyscraper", false}, {"disqus", false},    {"remark", false},     {"replies", false},
    {"community", false}, {"combx", false},      {"rss", true},         {"supplemental", false},
    {"agegate", false},   {"yom-remote", false}, {"skip", true},        {"login", false},
    {"toolbar", false},   {"widget", false},
};

/* Negative and unlikely in any class list but a post's own (see is_post_class). */
static const hint local_hints[] = {
    LOCAL_BOILERPLATE_HINTS,
};

/* Class/id hints that rescue an element from the unlikely list. */
static const hint maybe_hints[] = {
    {"and", true},  {"article", false}, {"body", false},   {"column", false},
    {"content", false}, {"main", false}, {"shadow", false}, {"entry", false},
    {"post", true}, {"story", false},
    /* de, nl, fr, es, pt, it, pl: the article and content words */
    {"artikel", false}, {"inhalt", true}, {"contenu", false}, {"contenido", false},
    {"conteudo", false}, {"contenuto", false}, {"articolo", false}, {"tresc", false},
};

static const hint comment_hints[] = {
    {"comment", false}, {"disqus", false}, {"replies", false}, {"respond", true},
    {"discussion", false},
};

/* Comment sections in other languages (de, es/pt, nl, pl, ru, zh), tested like
 * local_hints: plural forms only, since the singular also names an opinion
 * column ("Kommentar", "komentarz"). */
static const hint local_comment_hints[] = {
    {"kommentare", false}, {"comentarios", false}, {"reacties", false},
    {"komentarze", false}, {"kommentarii", false}, {"pinglun", false},
};

const char *precis_ex_attr(const GumboNode *element, const char *name)
{
    if (!element || element->type != GUMBO_NODE_ELEMENT)
        return NULL;
    GumboAttribute *a = gumbo_get_attribute(&element->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Lower-cases class and id into buf (space separated); returns false if both empty. */
/* Returns true if id reads like a heading turned into an anchor
 * ("sharing-with-a-single-developer"): four or more words joined by - or _.
 * Such an id names the section's subject, not its role. */
static bool is_heading_slug(const char *id)
{
    size_t words = 1;
    for (const char *p = id; *p; p++) {
        if ((*p == '-' || *p == '_') && p[1] && p[1] != '-' && p[1] != '_')
            words++;
        else if (*p == ' ')
            return false;
    }
    return words >= 4;
}

static bool class_id(const GumboNode *element, char *buf, size_t size)
{
    const char *cls = precis_ex_attr(element, "class");
    const char *id = precis_ex_attr(element, "id");
    if (id && is_heading_slug(id))
        id = NULL;
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        const char *s = k == 0 ? cls : id;
        if (!s)
            continue;
        for (; *s && n + 2 < size; s++)
            buf[n++] = (char)tolower((unsigned char)*s);
        if (n + 1 < size)
            buf[n++] = ' ';
    }
    buf[n] = '\0';
    /* "commentary" is an article genre (opinion), not a comment section, and a live
     * ticker's "live-comment" entries are the article */
    for (char *p = strstr(buf, "commentary"); p; p = strstr(p + 1, "commentary"))
        memcpy(p, "opinion", 7);
    if (strstr(buf, "live")) {
        for (char *p = strstr(buf, "comment"); p; p = strstr(p + 1, "comment"))
            memcpy(p, "tickers", 7);
    }
    return n > 0;
}

/* Returns true if word occurs in s as a whole token (split on non-alphanumerics). */
static bool has_token(const char *s, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
        bool left = p == s || !isalnum((unsigned char)p[-1]);
        bool right = !isalnum((unsigned char)p[wl]);
        if (left && right)
            return true;
    }
    return false;
}

static bool matches(const char *s, const hint *hints, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (hints[i].whole ? has_token(s, hints[i].word) : strstr(s, hints[i].word) != NULL)
            return true;
    }
    return false;
}

#define MATCHES(s, list) matches((s), (list), sizeof(list) / sizeof((list)[0]))

/* Returns true for the class list of a blog post's own wrapper (WordPress
 * post_class: "hentry", "type-post", "status-publish"), which also names the
 * post's tags, categories and other taxonomy terms ("tag-publicidad",
 * "category-comentarios"): the words of local_hints say nothing there. */
static bool is_post_class(const char *s)
{
    return has_token(s, "hentry") || strstr(s, "type-post") || strstr(s, "status-publish");
}

/* Returns true if the class list s names boilerplate in another language. */
static bool is_local_boilerplate(const char *s, const hint *hints, size_t n)
{
    return matches(s, hints, n) && !is_post_class(s);
}

#define LOCAL(s, list) is_local_boilerplate((s), (list), sizeof(list) / sizeof((list)[0]))

int precis_ex_class_weight(const GumboNode *element)
{
    char buf[512];
    if (!class_id(element, buf, sizeof buf))
        return 0;
    int w = 0;
    if (MATCHES(buf, negative_hints) || LOCAL(buf, local_hints))
        w -= 25;
    if (MATCHES(buf, positive_hints))
        w += 25;
    return w;
}

bool precis_ex_is_unlikely(const GumboNode *element)
{
    char buf[512];
    GumboTag tag = element->v.element.tag;
    if (tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_ARTICLE ||
        tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_A)
        return false;
    const char *role = precis_ex_attr(element, "role");
    if (role && (!strcasecmp(role, "dialog") || !strcasecmp(role, "alertdialog") ||
                 !strcasecmp(role, "menu") || !strcasecmp(role, "menubar")))
        return true;
    if (!class_id(element, buf, sizeof buf))
        return false;
    return (MATCHES(buf, unlikely_hints) || LOCAL(buf, local_hints)) &&
           !MATCHES(buf, maybe_hints);
}

bool precis_ex_is_comment_section(const GumboNode *element)
{
    char buf[512];
    if (!class_id(element, buf, sizeof buf))
        return false;
    return MATCHES(buf, comment_hints) || LOCAL(buf, local_comment_hints);
}

bool precis_ex_same_class(const GumboNode *a, const GumboNode *b)
{
    const char *ca = precis_ex_attr(a, "class"), *cb = precis_ex_attr(b, "class");
    return ca && cb && *ca && !strcmp(ca, cb);
}

/* Class/id words of an image caption. */
static const hint caption_hints[] = {
    {"caption", false},   {"bildunterschrift", false}, {"legende", false},
    {"imagedescription", false}, {"image-description", false}, {"img-desc", false},
    {"photo-desc", false}, {"didascalia", false}, {"pie-de-foto", false},
    {"piefoto", false},   {"legenda", false},
};

bool precis_ex_is_caption(const GumboNode *element)
{
    char buf[512];
    return element->v.element.tag == GUMBO_TAG_FIGCAPTION ||
           (class_id(element, buf, sizeof buf) && MATCHES(buf, caption_hints));
}

/* Class/id words of an article's lead paragraph (standfirst, teaser, abstract). */
static const hint lead_hints[] = {
    {"lead", true},        {"lede", true},       {"leader", true},    {"intro", true},
    {"dek", true},         {"deck", true},       {"chapo", true},     {"chapeau", true},
    {"standfirst", false}, {"abstract", false},  {"excerpt", false},  {"teaser-text", false},
    {"vorspann", false},   {"bajada", false},    {"entradilla", false}, {"sottotitolo", false},
    {"subtitle", false},   {"subheadline", false}, {"subhead", false}, {"sub-headline", false},
    {"summary", true},     {"teaser", true},
};

bool precis_ex_is_lead(const GumboNode *element)
{
    char buf[512];
    return class_id(element, buf, sizeof buf) && MATCHES(buf, lead_hints) &&
           !strstr(buf, "leaderboard");
}

/* Returns true if element has an <article> or <main> ancestor. */
static bool inside_article(const GumboNode *element)
{
    for (const GumboNode *p = element->parent; p; p = p->parent) {
        if (p->type != GUMBO_NODE_ELEMENT)
            continue;
        GumboTag tag = p->v.element.tag;
        if (tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN)
            return true;
    }
    return false;
}

bool precis_ex_is_boilerplate_tag(const GumboNode *element)
{
    GumboTag tag = element->v.element.tag;
    if (tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE)
        return true;
    if (tag == GUMBO_TAG_FOOTER || tag == GUMBO_TAG_HEADER)
        return !inside_article(element);
    const char *role = precis_ex_attr(element, "role");
    if (role && (!strcasecmp(role, "navigation") || !strcasecmp(role, "banner") ||
                 !strcasecmp(role, "contentinfo") || !strcasecmp(role, "complementary") ||
                 !strcasecmp(role, "search") || !strcasecmp(role, "dialog") ||
                 !strcasecmp(role, "alertdialog") || !strcasecmp(role, "menubar")))
        return true;
    return false;
}

bool precis_ex_is_block_tag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
    case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL: case GUMBO_TAG_BR:
        return true;
    default:
        return false;
    }
}

uint32_t precis_ex_count_text(const char *s, size_t n, uint32_t *commas)
{
    uint32_t count = 0;
    bool space = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (!space)
                count++;
            space = true;
            continue;
        }
        space = false;
        if ((c & 0xC0) == 0x80)
            continue; /* continuation byte */
        count++;
        if (c == ',')
            (*commas)++;
        else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
                 (unsigned char)s[i + 2] == 0x8C)
            (*commas)++; /* U+FF0C fullwidth comma */
        else if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                 (unsigned char)s[i + 2] == 0x81)
            (*commas)++; /* U+3001 ideographic comma */
    }
    return count;
}

static void append_collapsed(precis_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (out->len > 0 && !precis_buf_ends_with(out, ' '))
                precis_buf_putc(out, ' ');
        } else {
            precis_buf_putc(out, (char)c);
        }
    }
}

void precis_ex_text(const GumboNode *element, precis_buf *out)
{
    size_t start = out->len;
    const GumboNode *node = element;
    /* Pre-order walk by parent pointers and sibling indices: no recursion. */
    while (node) {
        bool descend = false;
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
            node->type == GUMBO_NODE_WHITESPACE) {
            append_collapsed(out, node->v.text.text, strlen(node->v.text.text));
        } else if (node->type == GUMBO_NODE_ELEMENT) {
            GumboTag tag = node->v.element.tag;
            descend = (node == element ||
                       (tag != GUMBO_TAG_SCRIPT && tag != GUMBO_TAG_STYLE &&
                        tag != GUMBO_TAG_TEMPLATE && tag != GUMBO_TAG_NOSCRIPT)) &&
                      node->v.element.children.length > 0;
            if (precis_ex_is_block_tag(tag) && out->len > start &&
                !precis_buf_ends_with(out, ' '))
                precis_buf_putc(out, ' ');
        }
        if (descend) {
            node = node->v.element.children.data[0];
            continue;
        }
        while (node && node != element) {
            const GumboNode *parent = node->parent;
            size_t next = node->index_within_parent + 1;
            if (parent && next < parent->v.element.children.length) {
                node = parent->v.element.children.data[next];
                break;
            }
            node = parent;
        }
        if (node == element)
            break;
    }
    while (out->len > start && precis_buf_ends_with(out, ' '))
        precis_buf_truncate(out, out->len - 1);
}

/* Elements whose end tag is often omitted or that never nest in practice: not
 * counted by the depth guard. */
static bool is_uncounted(const char *name, size_t n)
{
    static const char *const names[] = {
        "p", "li", "dt", "dd", "td", "th", "tr", "option", "optgroup", "rb", "rt", "rp",
        "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body", "area",
        "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i]) == n && strncasecmp(names[i], name, n) == 0)
            return true;
    }
    return false;
}

char *precis_ex_flatten_deep(const char *html, size_t len, size_t max_depth, size_t *out_len)
{
    /* First pass: estimate nesting from start/end tags; most pages stop here. */
    size_t depth = 0, max_seen = 0;
    for (int pass = 0; pass < 2; pass++) {
        precis_buf out;
        precis_buf_init(&out, 0);
        size_t copied = 0;
        depth = 0;
        for (size_t i = 0; i + 1 < len; i++) {
            if (html[i] != '<')
                continue;
            size_t j = i + 1;
            if (html[j] == '!') { /* comment or doctype: skip to its end */
                const char *end = NULL;
                if (j + 2 < len && html[j + 1] == '-' && html[j + 2] == '-') {
                    for (size_t k = j + 3; k + 2 < len; k++) {
                        if (html[k] == '-' && html[k + 1] == '-' && html[k + 2] == '>') {
                            end = html + k + 2;
                            break;
                        }
                    }
                } else {
                    end = memchr(html + j, '>', len - j);
                }
                i = end ? (size_t)(end - html) : len;
                continue;
            }
            bool closing = html[j] == '/';
            if (closing)
                j++;
            size_t name = j;
            while (j < len && (isalnum((unsigned char)html[j]) || html[j] == '-'))
                j++;
            if (j == name || !isalpha((unsigned char)html[name]))
                continue;
            size_t nlen = j - name;
            const char *gt = memchr(html + j, '>', len - j);
            size_t end = gt ? (size_t)(gt - html) + 1 : len;
            bool self_closing = gt && gt > html + j && gt[-1] == '/';
            if ((nlen == 6 && !strncasecmp(html + name, "script", 6)) ||
                (nlen == 5 && !strncasecmp(html + name, "style", 5)) ||
                (nlen == 8 && !strncasecmp(html + name, "textarea", 8))) {
                if (!closing) { /* raw text: skip to the matching end tag */
                    size_t k = end;
                    while (k + 2 + nlen < len &&
                           !(html[k] == '<' && html[k + 1] == '/' &&
                             !strncasecmp(html + k + 2, html + name, nlen)))
                        k++;
                    end = k;
                }
                i = end > 0 ? end - 1 : 0;
                continue;
            }
            if (is_uncounted(html + name, nlen) || self_closing) {
                i = end - 1;
                continue;
            }
            if (closing) {
                if (depth > 0)
                    depth--;
            } else {
                depth++;
                if (depth > max_seen)
                    max_seen = depth;
                if (pass == 1 && depth > max_depth) {
                    /* Too deep: drop this start tag, keep what follows. */
                    precis_buf_append(&out, html + copied, i - copied);
                    copied = end;
                    depth--;
                }
            }
            i = end - 1;
        }
        if (pass == 0) {
            precis_buf_release(&out);
            if (max_seen <= max_depth)
                return NULL;
            continue;
        }
        precis_buf_append(&out, html + copied, len - copied);
        *out_len = out.len;
        return precis_buf_detach(&out);
    }
    return NULL;
}

/* Returns true if html[i..len) starts a noscript start or end tag; *end gets the
 * index just past its '>'. */
static bool noscript_tag_at(const char *html, size_t len, size_t i, size_t *end)
{
    static const char name[] = "noscript";
    size_t j = i + 1;
    if (j < len && html[j] == '/')
        j++;
    if (len - j < sizeof name - 1 || strncasecmp(html + j, name, sizeof name - 1) != 0)
        return false;
    j += sizeof name - 1;
    if (j < len && html[j] != '>' && html[j] != '/' && !isspace((unsigned char)html[j]))
        return false; /* a longer tag name */
    const char *gt = memchr(html + j, '>', len - j);
    *end = gt ? (size_t)(gt - html) + 1 : len;
    return true;
}

char *precis_ex_strip_noscript(const char *html, size_t len, size_t *out_len)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    size_t copied = 0;
    bool found = false;
    for (const char *p = memchr(html, '<', len); p;
         p = memchr(p + 1, '<', len - (size_t)(p + 1 - html))) {
        size_t i = (size_t)(p - html), end = 0;
        if (i + 1 >= len)
            break;
        if (!noscript_tag_at(html, len, i, &end))
            continue;
        found = true;
        precis_buf_append(&out, html + copied, i - copied);
        copied = end;
        p = html + end - 1;
    }
    if (!found) {
        precis_buf_release(&out);
        return NULL;
    }
    precis_buf_append(&out, html + copied, len - copied);
    *out_len = out.len;
    return precis_buf_detach(&out);
}
