/* Short boilerplate lines inside the main content, recognised by their words:
 * "related articles" headings, read-more teasers, photo credits, bylines and
 * dates, share and subscription prompts, in English, German, Spanish, French,
 * Italian, Portuguese and Polish. Only short blocks are tested. */
#include "extract_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A whole line equal to one of these (case-insensitively, ASCII letters; trailing
 * ":!?.-|" and leading "- |" ignored) is a section heading or widget label. */
static const char *const label_lines[] = {
    /* en */
    "related", "related articles", "related posts", "related stories", "related content",
    "you might also like", "you may also like", "more stories", "read more", "read next",
    "recommended", "recommended for you", "share", "share this", "share this article",
    "share this post", "share this story", "tags", "advertisement", "most read",
    "most popular", "leave a comment", "leave a reply", "about the author",
    "follow us", "subscribe", "discover our latest editorial picks",
    /* de */
    "das könnte sie auch interessieren", "das könnte dich auch interessieren",
    "das thema könnte dich auch interessieren", "auch interessant", "ähnliche beiträge",
    "ähnliche artikel", "weitere artikel", "weitere artikel zum thema", "weitere beiträge",
    "mehr zum thema", "mehr themen", "mehr aus der sendung", "lesen sie auch",
    "lesen sie auch die folgenden beiträge", "zum weiterlesen", "schon gelesen",
    "neueste artikel", "meistgelesene artikel", "meistdiskutierte artikel",
    "kommentierte artikel", "verwandte artikel", "artikel teilen", "beitrag teilen",
    "teilen", "kommentieren", "kommentare", "keine kommentare", "gefällt mir",
    "wird geladen", "gefällt mir wird geladen", "anzeige", "- anzeige -", "werbung",
    "artikel bewerten", "bewerten", "hier können sie den artikel bewerten",
    "war der artikel nützlich", "möchten sie den artikel teilen", "entdecken sie jetzt",
    "weitere informationen", "kontakt", "autoren", "autor", "von", "quellenangaben",
    "zurück zur listenansicht", "zurück zur übersicht", "originalartikel",
    "zusatzinformationen", "vorschau auf den nächsten artikel", "rezept drucken",
    "noch keine bewertungen", "(noch keine bewertungen)", "pressemitteilungen",
    /* es, pt */
    "lea también", "lee también", "te puede interesar", "también te puede interesar",
    "noticias relacionadas", "más noticias", "compartir", "compartir nota", "comparte",
    "etiquetas", "temas", "artículos relacionados", "lo más leído", "leia também",
    "notícias relacionadas", "compartilhe",
    /* fr, it */
    "à lire aussi", "lire aussi", "à découvrir", "sur le même sujet", "articles similaires",
    "partager", "audios et vidéos sur le sujet", "leggi anche", "articoli correlati",
    "condividi",
    /* pl */
    "reklama", "czytaj także", "czytaj też", "zobacz też", "zobacz także",
};

/* A short line starting with one of these is a credit, teaser, byline, date or
 * prompt (compared case-insensitively on ASCII letters). */
static const char *const lead_words[] = {
    /* credits */
    "foto:", "fotos:", "(foto:", "bild:", "bilder:", "(bild:", "quelle:", "(quelle:", "©",
    "(©", "photo:", "photos:", "(photo:", "photo by ", "photograph by ", "credit:",
    "(credit:", "credits:", "crédits photos", "crédito:", "(crédito:", "titelbild:",
    "beitragsbild:", "fuente:", "źródło:", "fot.", "imágenes capturadas",
    /* teasers */
    "lesen sie auch", "lies auch", "mehr zum thema", "auch interessant",
    "das könnte sie auch", "das könnte dich", "read more:", "read also", "also read",
    "lea también", "lee también", "mire:", "mira:", "puedes ver:", "te puede interesar",
    "lire aussi", "à lire aussi", "czytaj także", "czytaj też", "zobacz też",
    "leggi anche", "leia também", "zum weiterlesen", "previous article", "next article",
    "vorheriger artikel", "nächster artikel",
    /* bylines, dates, filing */
    "this entry was posted", "dieser eintrag wurde veröffentlicht", "der beitrag wurde am",
    "eingestellt von ", "verfasst von", "veröffentlicht am ", "veröffentlicht:",
    "veröffentlichung:", "aktualisiert am ", "aktualisiert:", "publiziert:", "erstellt am ",
    "stand:", "posted by ", "posted on ", "published:", "updated:", "last modified",
    "release date", "category:", "categories:", "kategorie:", "kategorien:", "tags:",
    "schlagwörter:", "schlagworte:", "etiquetas:", "filed under", "news date",
    /* prompts */
    "to view the full story", "subscribe now", "subscribe to ", "if you enjoyed",
    "hazte miembro", "sign up for", "never miss", "folgen sie uns",
    "immer informiert bleiben", "jetzt anmelden", "sie sind aktuell nicht eingeloggt",
    "sie müssen sich einloggen", "du musst eingeloggt", "bitte registrieren sie sich",
    "den artikel mit anderen teilen", "share on ", "teilen auf ", "síguenos",
    "sie könnten auch", "for the latest stories", "get the latest news", "download the ",
    "submit your letter", "we want to hear what you think", "give us feedback",
    "help us continue", "if you’re seeing this message", "if you're seeing this message",
    "first-time subscribers", "you can keep up with me", "besuchen sie unseren",
    "mitglieder in diesem forum", "wir respektieren deine privatsphäre", "únete",
    "¿ya sabías", "zapraszamy", "puede escribirnos", "suggested citation",
    /* advertising and affiliate notes, disclaimers, page tools */
    "anzeige -", "anzeige,", "anzeige:", "*werbung", "werbung:", "dieser beitrag enthält werbung",
    "alle angaben ohne gewähr", "(alle angaben ohne gewähr", "letzte aktualisierung am",
    "bei den verlinkungen handelt es sich", "this post contains references to products",
    "advertising disclosure", "dieser text wurde veröffentlicht unter",
    "dieser beitrag gibt die meinung", "bei diesem beitrag handelt es sich",
    "this article is the copyrighted", "materiał chroniony prawem", "rezept drucken",
    "dieses skript als pdf", "bild anzeigen", "zum vergrößern", "vergrößern ",
    "weitere beiträge", "weitere artikel", "mehr artikel", "mehr beiträge",
    "more articles", "more stories",
};

/* A tiny block holding one of these anywhere is a filing or metadata line. */
static const char *const filing_words[] = {
    "kategorie:", "kategorien:", "category:", "categories:", "tags:", "schlagwörter:",
    "schlagworte:", "posted in ", "filed under", "abgelegt unter", "verschlagwortet",
    "bookmark the permalink", "permalink", "hinzugefügt von", "aufrufe:",
};

/* A caption holding one of these anywhere is (or ends with) a photo credit. */
static const char *const credit_words[] = {
    "foto:", "fotos:", "bild:", "quelle:", "©", "(c) ", "photo:", "photo by", "credit:",
    "crédito", "getty images", "shutterstock", "istock", "reuters", "imago", "dpa",
    "picture alliance", "picture-alliance", "fotolia", "unsplash", "źródło:",
};

/* Lines longer than this (characters) are never tested. */
#define LABEL_MAX 60
#define LEAD_MAX 200
#define FILING_MAX 100
#define CAPTION_MAX 300
#define AUTHOR_MAX 800


/* Folds one byte pair for comparison: ASCII letters and the Latin-1 capitals
 * U+00C0..U+00DE (UTF-8 C3 80..C3 9E, but not the multiplication sign) fold to
 * lower case. */
static unsigned char fold(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c + 32);
    if (i > 0 && (unsigned char)s[i - 1] == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97)
        return (unsigned char)(c + 0x20);
    return c;
}

/* Returns true if s[0..wl) equals word (lower case) with case folded. */
static bool eq_folded(const char *s, const char *word, size_t wl)
{
    for (size_t i = 0; i < wl; i++) {
        if (fold(s, i) != (unsigned char)word[i])
            return false;
    }
    return true;
}

static bool starts_with_ci(const char *s, size_t n, const char *word)
{
    size_t wl = strlen(word);
    return wl <= n && eq_folded(s, word, wl);
}

/* Returns true if word occurs in s[0..n), case folded. */
static bool contains_ci(const char *s, size_t n, const char *word)
{
    size_t wl = strlen(word);
    for (size_t i = 0; i + wl <= n; i++) {
        if (eq_folded(s + i, word, wl))
            return true;
    }
    return false;
}

static bool has_any(const char *s, size_t n, const char *const *words, size_t nwords)
{
    for (size_t i = 0; i < nwords; i++) {
        if (contains_ci(s, n, words[i]))
            return true;
    }
    return false;
}

#define HAS_ANY(s, n, list) has_any((s), (n), (list), sizeof(list) / sizeof((list)[0]))

static bool is_label(const char *s, size_t n)
{
    while (n > 0 && strchr(":!?.-| ", s[n - 1]))
        n--;
    while (n > 2 && (s[0] == '-' || s[0] == '|' || s[0] == ' '))
        s++, n--;
    for (size_t i = 0; i < sizeof label_lines / sizeof label_lines[0]; i++) {
        if (strlen(label_lines[i]) == n && eq_folded(s, label_lines[i], n))
            return true;
    }
    return false;
}

static bool has_lead(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof lead_words / sizeof lead_words[0]; i++) {
        if (starts_with_ci(s, n, lead_words[i]))
            return true;
    }
    return false;
}

/* Elements whose whole text may be one boilerplate line. */
static bool is_line_tag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SPAN: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_LI: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_SMALL:
    case GUMBO_TAG_EM: case GUMBO_TAG_STRONG: case GUMBO_TAG_B: case GUMBO_TAG_I:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_CITE: case GUMBO_TAG_TIME:
    case GUMBO_TAG_ADDRESS:
        return true;
    default:
        return false;
    }
}

/* Returns true if the element's class or id names an author box or byline. */
static bool has_author_class(const GumboNode *el)
{
    for (int k = 0; k < 2; k++) {
        const char *v = precis_ex_attr(el, k == 0 ? "class" : "id");
        if (v && (contains_ci(v, strlen(v), "author") || contains_ci(v, strlen(v), "autor")))
            return true;
    }
    return false;
}

bool precis_ex_is_boilerplate_line(const precis_ex_tree *t, int i)
{
    const precis_ex_node *n = &t->nodes[i];
    GumboTag tag = n->node->v.element.tag;
    if (n->text > 0 && n->text <= AUTHOR_MAX && is_line_tag(tag) && tag != GUMBO_TAG_LI &&
        has_author_class(n->node))
        return true;
    bool caption = tag == GUMBO_TAG_FIGCAPTION;
    if (n->text == 0 || n->text > (caption ? CAPTION_MAX : LEAD_MAX) || !is_line_tag(tag))
        return false;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_ex_text(n->node, &b);
    bool junk = b.len > 0 && ((n->text <= LABEL_MAX && is_label(b.ptr, b.len)) ||
                              has_lead(b.ptr, b.len) ||
                              (n->text <= FILING_MAX && HAS_ANY(b.ptr, b.len, filing_words)) ||
                              (caption && HAS_ANY(b.ptr, b.len, credit_words)));
    precis_buf_release(&b);
    return junk;
}
