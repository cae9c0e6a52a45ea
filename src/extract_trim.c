/* Trailing boilerplate: once the article's text ends, the blocks after it that are
 * related-article lists, read-more teasers, subscription, follow and support
 * prompts, disclaimers and ornaments are cut, judged by their
 * position (only what follows the last block of prose) and their shape (link
 * share, length), with a multilingual vocabulary of prompts. */
#include "extract_internal.h"

#include <string.h>

#include "precis/unicode.h"

/* Blocks longer than this (characters) are never prompts, nor widgets. */
#define PROMPT_MAX 600
#define WIDGET_MAX 120
/* A short line under the tail's last picture is its caption. */
#define CAPTION_MAX 100
/* Teasers: a block mostly made of links, shorter than this. */
#define TEASER_MAX 300
/* Never cut more than this share of the document's text unless this much text
 * stays, nor more blocks. */
#define CUT_SHARE 0.5
#define KEEP_ENOUGH 1500
#define CUT_BLOCKS 16
/* A list of this many headed items at least is a list of teaser cards. */
#define CARDS_MIN 3
/* Documents shorter than this (characters) are left alone. */
#define TRIM_MIN 500

/* Phrases (folded to lower case) that make a short trailing block a prompt, a
 * disclaimer or a credit: subscribe, follow, support, read-more and rights lines in
 * English, German, French, Spanish, Portuguese, Italian, Russian, Japanese, Chinese,
 * Dutch and Polish. */
static const char *const prompt_cues[] = {
    /* en */
    "subscribe", "newsletter", "sign up", "sign-up", "follow us", "follow the ",
    "follow me", "like us on", "find us on", "support us", "support our", "donate",
    "become a member", "become a patron", "read the rest", "read more about",
    "download our", "download the app", "get our app", "join our", "join us",
    "send us a message", "email us", "contact us at", "all rights reserved",
    "copyrighted", "copyright ©", "is not responsible for", "disclaimer",
    "reproduction without", "without written permission", "written permission",
    "photo source", "image source", "featured image", "header image",
    "this article originally appeared", "this story originally appeared",
    "this post originally appeared", "originally published", "click here",
    "may earn a commission", "affiliate link", "affiliate commission",
    /* de */
    "abonnieren", "abonniere", "abonnement", "folgen sie uns",
    "folge uns", "folgt uns", "unterstützen sie", "unterstütze uns", "jetzt spenden",
    "jetzt anmelden", "jetzt registrieren", "jetzt bestellen", "jetzt kaufen",
    "jetzt lesen", "jetzt entdecken", "jetzt testen", "jetzt herunterladen",
    "hier geht es zu", "hier geht's zu", "hier anmelden",
    "mehr erfahren", "weiterlesen", "alle rechte vorbehalten",
    "sofern nicht anders", "lizenziert unter", "titelbild", "beitragsbild",
    "klicken sie hier", "weitere infos unter", "weitere informationen unter",
    "weitere informationen zu", "weitere informationen finden",
    "hier klicken", "eine provision", "affiliate-link", "partnerlink", "werbelink",
    /* fr */
    "abonnez-vous", "abonnez vous", "inscrivez-vous", "suivez-nous", "suivez nous",
    "soutenez", "faites un don", "tous droits réservés", "lire la suite",
    "téléchargez", "rejoignez", "cliquez ici", "liens affiliés", "lien affilié",
    /* es */
    "suscríbete", "suscribite", "suscríbase", "síguenos", "seguinos", "apóyanos",
    "únete", "hazte socio", "hazte miembro", "todos los derechos reservados",
    "descarga nuestra", "mira lo que", "lee más", "haz clic", "enlaces de afiliado",
    /* pt */
    "assine já", "assine o", "assine a", "inscreva-se", "siga-nos", "apoie", "todos os direitos reservados",
    "leia mais", "baixe o", "clique aqui",
    /* it */
    "iscriviti", "abbonati", "seguici", "sostienici", "sostieni", "tutti i diritti riservati",
    "leggi di più", "scarica l", "clicca qui", "link di affiliazione",
    /* ru */
    "подпишитесь", "подписывайтесь", "подписаться", "поддержите", "читайте также",
    "все права защищены", "присоединяйтесь",
    /* ja */
    "フォローして", "購読", "登録はこちら", "無断転載", "無断複製", "関連記事",
    /* zh */
    "订阅", "訂閱", "关注我们", "關注我們", "版权所有", "版權所有", "未经授权", "相关阅读",
    /* nl */
    "abonneer", "schrijf je in", "volg ons", "steun ons", "alle rechten voorbehouden",
    "lees meer", "lees ook", "klik hier",
    /* pl */
    "zapisz się", "subskrybuj", "obserwuj nas", "wesprzyj", "wszelkie prawa zastrzeżone",
    "czytaj więcej", "czytaj także", "pobierz aplikację", "kliknij tutaj",
};

/* Words that make a very short trailing block a widget: comment counters and
 * prompts, share rows, tag and category lines (folded). */
static const char *const widget_cues[] = {
    "comments", "leave a comment", "kommentare", "kommentar schreiben", "kommentieren",
    "commentaires", "comentarios", "comentários", "commenti", "комментари", "コメント",
    "reacties", "komentarze",
    "share", "teilen", "partager", "compartir", "compartilh", "condividi", "поделиться",
    "シェア", "分享", "delen", "udostępnij", "tags:", "schlagwörter", "étiquettes",
    "etiquetas", "tag:", "теги", "タグ", "标签", "tagi:",
    /* next and previous page */
    "weiter zu", "zurück zu", "next page", "previous page", "nächste seite",
    "vorherige seite", "page suivante", "page précédente", "página siguiente",
    "página anterior", "pagina successiva", "pagina precedente", "próxima página",
    "volgende pagina", "vorige pagina", "następna strona", "poprzednia strona",
    "следующая страница", "предыдущая страница",
};

/* Text statistics of one block: characters, of which inside links, letters and
 * pictures seen, and (when asked for) its text, folded to lower case. */
typedef struct block_text {
    size_t chars, link_chars;
    bool letters, images;
    bool want_text;
    precis_buf text;
} block_text;

static void add_text(block_text *bt, const char *s, bool in_link)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        uint32_t c = precis_uc_decode(s, len, i, &n);
        bt->chars++;
        bt->link_chars += in_link;
        if (precis_uc_is_word(c) && !(c >= '0' && c <= '9'))
            bt->letters = true;
        i += n ? n : 1;
    }
    if (bt->want_text)
        precis_buf_append(&bt->text, s, len);
}

/* Collects the text under node (depth-first; the document model is shallow). */
static void gather(const precis_node *node, bool in_link, block_text *bt)
{
    for (const precis_node *c = node->first_child; c; c = c->next) {
        bt->images |= c->kind == PRECIS_NODE_IMAGE;
        if ((c->kind == PRECIS_NODE_TEXT || c->kind == PRECIS_NODE_CODE) && c->text)
            add_text(bt, c->text, in_link);
        else if (c->kind == PRECIS_NODE_LINEBREAK)
            add_text(bt, " ", false);
        else
            gather(c, in_link || c->kind == PRECIS_NODE_LINK, bt);
        if (precis_node_is_block(c))
            add_text(bt, " ", false);
    }
}

/* Fills *bt for node; with want_text, bt->text holds its folded text (release it). */
static void block_text_of(const precis_node *node, bool want_text, block_text *bt)
{
    memset(bt, 0, sizeof *bt);
    bt->want_text = want_text;
    precis_buf_init(&bt->text, 0);
    gather(node, node->kind == PRECIS_NODE_LINK, bt);
    if (want_text) {
        precis_buf_append(&bt->text, "", 1);
        size_t n = bt->text.len - 1;
        precis_ex_fold_text(bt->text.ptr, &n);
        precis_buf_truncate(&bt->text, n + 1); /* keep the NUL in len, as before */
    }
}

static bool has_any(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strstr(s, words[i]))
            return true;
    }
    return false;
}

#define HAS_ANY(s, list) has_any((s), (list), sizeof(list) / sizeof((list)[0]))

/* A list whose items are mostly links (related articles, tag lists), or mostly
 * open with a heading of their own (teaser cards, a slide show of other stories). */
static bool is_teaser_list(const precis_node *list)
{
    size_t items = 0, linked = 0, headed = 0;
    for (const precis_node *it = list->first_child; it; it = it->next) {
        block_text bt;
        block_text_of(it, false, &bt);
        items++;
        linked += bt.chars > 0 && bt.link_chars * 10 >= bt.chars * 7;
        headed += it->first_child && it->first_child->kind == PRECIS_NODE_HEADING;
        precis_buf_release(&bt.text);
    }
    return (items >= 2 && linked * 10 >= items * 6) ||
           (items >= CARDS_MIN && headed * 4 >= items * 3);
}

/* Returns true if the block's text ends with a full stop (a pulled quote, not a
 * section title; a question or an exclamation there is a teaser). */
static bool ends_sentence(const block_text *bt)
{
    size_t n = bt->text.len - 1; /* without the terminating NUL */
    while (n > 0 && bt->text.ptr[n - 1] == ' ')
        n--;
    return n > 0 && bt->text.ptr[n - 1] == '.';
}

/* Returns true if node holds an image and no text: a picture on its own. */
static bool is_picture(const precis_node *node)
{
    if (!node)
        return false;
    block_text bt;
    block_text_of(node, false, &bt);
    precis_buf_release(&bt.text);
    return bt.images && !bt.letters;
}

/* Returns true if node, found after the article's last prose, is boilerplate;
 * section_cut says the blocks it heads were cut. */
static bool is_tail_junk(const precis_node *node, bool section_cut)
{
    switch (node->kind) {
    case PRECIS_NODE_RULE:
        return true;
    case PRECIS_NODE_LIST:
        if (is_teaser_list(node))
            return true;
        break;
    case PRECIS_NODE_PARAGRAPH: case PRECIS_NODE_HEADING: case PRECIS_NODE_BLOCKQUOTE:
    case PRECIS_NODE_FIGURE: case PRECIS_NODE_CAPTION:
        break;
    default:
        return false;
    }
    block_text bt;
    block_text_of(node, true, &bt);
    bool junk = !bt.letters && !bt.images;
    if (!junk && node->kind == PRECIS_NODE_HEADING)
        junk = bt.chars <= 120 && (section_cut || (!node->next && !ends_sentence(&bt)));
    if (!junk && node->kind != PRECIS_NODE_LIST) {
        junk = (bt.chars <= TEASER_MAX && bt.link_chars * 10 >= bt.chars * 7) ||
               (bt.chars <= PROMPT_MAX && HAS_ANY(bt.text.ptr, prompt_cues)) ||
               (bt.chars <= WIDGET_MAX && HAS_ANY(bt.text.ptr, widget_cues)) ||
               (bt.chars <= CAPTION_MAX && !ends_sentence(&bt) && is_picture(node->prev));
    }
    precis_buf_release(&bt.text);
    return junk;
}

static size_t chars_of(const precis_node *node)
{
    block_text bt;
    block_text_of(node, false, &bt);
    precis_buf_release(&bt.text);
    return bt.chars;
}

void precis_ex_trim_tail(precis_doc *doc)
{
    size_t total = 0;
    for (const precis_node *c = doc->root->first_child; c; c = c->next)
        total += chars_of(c);
    if (total < TRIM_MIN)
        return;
    size_t cut = 0, blocks = 0;
    const precis_node *first_cut = NULL;
    for (const precis_node *c = doc->root->last_child; c && c != doc->root->first_child;
         c = c->prev) {
        if (!is_tail_junk(c, first_cut != NULL))
            break;
        cut += chars_of(c);
        if (++blocks > CUT_BLOCKS ||
            ((double)cut > CUT_SHARE * (double)total && total - cut < KEEP_ENOUGH))
            return; /* too much to be a tail: leave the document as it is */
        first_cut = c;
    }
    if (!first_cut)
        return;
    while (doc->root->last_child != first_cut)
        precis_node_free(doc->root->last_child);
    precis_node_free((precis_node *)first_cut);
}
