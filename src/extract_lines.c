/* Short boilerplate lines inside the main content, recognised by their words:
 * "related articles" headings, read-more teasers, photo credits, bylines and
 * dates, share, comment and subscription prompts, advertising labels and rights
 * lines, in English and the ten most common web languages after it (German,
 * French, Spanish, Portuguese, Italian, Russian, Japanese, Chinese, Dutch,
 * Polish). Only short blocks are tested, and a line's length counts each CJK
 * character twice (one CJK character carries about as much as a short word).
 *
 * The line's text is folded once before matching: case for ASCII, Latin-1,
 * Latin Extended-A (Polish, Czech...), Greek and Cyrillic capitals; full-width
 * ASCII forms (U+FF01..U+FF5E) to ASCII; typographic apostrophes to ', en and em
 * dashes to -, non-breaking and ideographic spaces to a space, ё to е; and a
 * space before ':' is dropped ("Photo : AFP"). Table entries are written in that
 * folded form: lower case, ASCII ':' and '(' (which then also match "：" and
 * "（"), no ё. */
#include "extract_internal.h"

#include <string.h>
#include <strings.h>

#include "precis/unicode.h"

/* A whole line equal to one of these is a section heading or widget label. The
 * line is compared with leading "-|»•■▶【" and trailing ":!?.-|»›→…】" marks
 * (ASCII or full-width) removed, and without a count such as "Comments (12)",
 * "12 Kommentare" or "コメント(3)". */
static const char *const label_lines[] = {
    /* en */
    "related", "related articles", "related posts", "related stories", "related content",
    "you might also like", "you may also like", "more stories", "read more", "read next",
    "recommended", "recommended for you", "share", "share this", "share this article",
    "share this post", "share this story", "tags", "advertisement", "most read",
    "most popular", "leave a comment", "leave a reply", "about the author",
    "follow us", "subscribe", "discover our latest editorial picks", "comments",
    "all rights reserved",
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
    "verwandte beiträge", "verwandte themen", "ähnliche themen", "passend zum thema",
    "empfohlene artikel", "unsere empfehlungen", "weiterlesen", "mehr lesen",
    "diesen artikel teilen", "diesen beitrag teilen", "teile diesen beitrag", "jetzt teilen",
    "teilen mit", "kommentar schreiben", "kommentar verfassen", "schreibe einen kommentar",
    "newsletter abonnieren", "jetzt abonnieren", "folgen sie uns", "folge uns",
    "schlagwörter", "schlagworte", "meistgelesen", "die meistgelesenen artikel",
    "neueste beiträge", "letzte beiträge", "artikel drucken", "drucken",
    "alle rechte vorbehalten", "über den autor", "über die autorin",
    /* fr */
    "à lire aussi", "lire aussi", "à découvrir", "sur le même sujet", "articles similaires",
    "partager", "audios et vidéos sur le sujet", "à lire également", "lire également",
    "voir aussi", "à voir aussi", "à voir également", "lire la suite", "sur le même thème",
    "dans la même rubrique", "articles liés", "articles connexes", "vous aimerez aussi",
    "vous aimerez peut-être aussi", "vous pourriez aussi aimer",
    "ces articles peuvent vous intéresser", "à ne pas manquer", "les plus lus",
    "les articles les plus lus", "partager cet article", "partagez cet article",
    "partager sur facebook", "partager sur twitter", "commentaires", "aucun commentaire",
    "laisser un commentaire", "laissez un commentaire", "ajouter un commentaire", "réagir",
    "suivez-nous", "abonnez-vous", "s'abonner", "abonnez-vous à notre newsletter",
    "inscrivez-vous à notre newsletter", "publicité", "mots-clés", "mots clés",
    "étiquettes", "tous droits réservés", "imprimer", "envoyer par e-mail",
    "à propos de l'auteur", "j'aime", "j'aime chargement", "chargement",
    /* es */
    "lea también", "lee también", "te puede interesar", "también te puede interesar",
    "noticias relacionadas", "más noticias", "compartir", "compartir nota", "comparte",
    "etiquetas", "temas", "artículos relacionados", "lo más leído", "leer más",
    "seguir leyendo", "sigue leyendo", "ver también", "te recomendamos", "te podría interesar",
    "quizás te interese", "entradas relacionadas", "publicaciones relacionadas",
    "relacionados", "relacionadas", "lo más visto", "más leídas", "más leídos",
    "comparte esta noticia", "comparte este artículo", "compartir en facebook",
    "compartir en twitter", "comentarios", "deja un comentario", "deja tu comentario",
    "dejar un comentario", "publicidad", "síguenos", "suscríbete", "categorías",
    "todos los derechos reservados", "imprimir", "sobre el autor", "me gusta",
    "cargando",
    /* pt */
    "leia também", "notícias relacionadas", "compartilhe", "leia mais", "veja também",
    "saiba mais", "artigos relacionados", "posts relacionados", "matérias relacionadas",
    "você também pode gostar", "você pode gostar", "mais lidas", "mais lidos",
    "as mais lidas", "compartilhar", "compartilhe esta notícia", "partilhar", "partilhe",
    "comentários", "deixe um comentário", "deixe seu comentário", "deixe o seu comentário",
    "publicidade", "continua após a publicidade", "continua depois da publicidade",
    "siga-nos", "assine a newsletter", "inscreva-se", "categorias", "marcadores",
    "todos os direitos reservados", "sobre o autor", "curtir", "carregando",
    /* it */
    "leggi anche", "articoli correlati", "condividi", "leggi di più", "continua a leggere",
    "potrebbe interessarti", "ti potrebbe interessare", "potrebbero interessarti anche",
    "potrebbe interessarti anche", "vedi anche", "guarda anche", "post correlati",
    "correlati", "notizie correlate", "articoli simili", "i più letti", "più letti",
    "condividi questo articolo", "condividi su facebook", "commenti", "lascia un commento",
    "scrivi un commento", "aggiungi un commento", "pubblicità", "seguici",
    "iscriviti alla newsletter", "argomenti", "categorie", "tutti i diritti riservati",
    "riproduzione riservata", "© riproduzione riservata", "mi piace", "caricamento",
    /* nl */
    "lees ook", "lees meer", "lees verder", "meer lezen", "gerelateerde artikelen",
    "gerelateerde berichten", "gerelateerd", "meer nieuws", "dit vind je misschien ook leuk",
    "ook interessant", "bekijk ook", "zie ook", "meest gelezen", "populair", "delen",
    "deel dit artikel", "deel dit bericht", "delen op facebook", "reacties", "reageer",
    "reageren", "plaats een reactie", "laat een reactie achter", "geef een reactie",
    "advertentie", "volg ons", "nieuwsbrief", "schrijf je in voor onze nieuwsbrief",
    "trefwoorden", "categorieën", "alle rechten voorbehouden", "afdrukken",
    "over de auteur", "vind ik leuk", "bezig met laden",
    /* pl */
    "reklama", "czytaj także", "czytaj też", "zobacz też", "zobacz także",
    "czytaj więcej", "czytaj dalej", "przeczytaj też", "przeczytaj także", "polecamy",
    "polecane", "polecane artykuły", "powiązane artykuły", "podobne artykuły",
    "podobne wpisy", "zobacz również", "czytaj również", "najczęściej czytane",
    "najpopularniejsze", "udostępnij", "udostępnij artykuł", "podziel się", "komentarze",
    "dodaj komentarz", "skomentuj", "napisz komentarz", "zostaw komentarz", "obserwuj nas",
    "zapisz się do newslettera", "tagi", "wszelkie prawa zastrzeżone", "drukuj",
    "o autorze", "lubię to", "wczytywanie",
    /* ru */
    "читайте также", "смотрите также", "см. также", "похожие статьи", "похожие записи",
    "похожие новости", "похожие материалы", "связанные статьи", "другие новости",
    "еще по теме", "по теме", "новости по теме", "материалы по теме",
    "вам может быть интересно", "вам также может понравиться", "вам может понравиться",
    "рекомендуем", "рекомендуем прочитать", "самое популярное", "самое читаемое",
    "читать далее", "читать дальше", "подробнее", "поделиться", "поделитесь",
    "поделиться в соцсетях", "поделитесь с друзьями", "комментарии", "комментарий",
    "оставить комментарий", "оставьте комментарий", "добавить комментарий",
    "написать комментарий", "комментировать", "реклама", "подписывайтесь",
    "подпишитесь на рассылку", "подписаться", "метки", "теги", "рубрики",
    "все права защищены", "версия для печати", "распечатать", "об авторе", "нравится",
    "загрузка",
    /* ja */
    "関連記事", "関連する記事", "関連ニュース", "関連リンク", "あわせて読みたい",
    "合わせて読みたい", "こちらもおすすめ", "おすすめ記事", "こちらの記事もおすすめ",
    "人気記事", "人気記事ランキング", "よく読まれている記事", "アクセスランキング",
    "続きを読む", "もっと見る", "この記事をシェアする", "シェアする", "シェア",
    "ツイート", "いいね", "コメント", "コメントする", "コメントを書く", "コメントを残す",
    "コメント一覧", "広告", "スポンサーリンク", "フォローする", "タグ", "カテゴリー",
    "カテゴリ", "この記事を書いた人", "この記事を書いている人", "著者について",
    "著者プロフィール", "前の記事", "次の記事", "読み込み中",
    /* zh (simplified, traditional) */
    "相关文章", "相关阅读", "相关新闻", "相关推荐", "延伸阅读", "推荐阅读", "猜你喜欢",
    "热门文章", "热门推荐", "热门新闻", "热门标签", "阅读更多", "查看更多", "阅读全文",
    "分享", "分享到", "分享到微信", "分享到微博", "评论", "发表评论", "网友评论", "我要评论",
    "广告", "关注我们", "标签", "版权所有", "版权声明", "上一篇", "下一篇", "返回顶部",
    "点赞", "收藏", "加载中",
    "相關文章", "相關閱讀", "相關新聞", "延伸閱讀", "推薦閱讀", "熱門文章", "評論",
    "發表評論", "留言", "廣告", "關注我們", "標籤", "版權所有", "返回頂部",
};

/* A short line starting with one of these is a credit, teaser, byline, date or
 * prompt. None is a word that also starts ordinary sentences ("von", "par",
 * "por" are not here). */
static const char *const lead_words[] = {
    /* credits */
    "foto:", "fotos:", "(foto:", "bild:", "bilder:", "(bild:", "quelle:", "(quelle:", "©",
    "(©", "photo:", "photos:", "(photo:", "photo by ", "photograph by ", "credit:",
    "(credit:", "credits:", "crédits photos", "crédito:", "(crédito:", "titelbild:",
    "beitragsbild:", "fuente:", "źródło:", "fot.", "imágenes capturadas",
    "bildquelle:", "fotoquelle:", "crédit photo", "crédits photo", "crédit:", "crédits:",
    "illustration:", "imagen:", "fotografía:", "imagem:", "fonte:",
    "(fonte:", "créditos:", "crediti:", "credit foto", "beeld:", "(beeld:", "bron:",
    "(bron:", "fot:", "(fot.", "zdjęcie:", "фото:", "(фото:", "фото -", "фото/",
    "источник:", "иллюстрация:", "写真:", "(写真", "画像:", "出典:", "提供:", "撮影:",
    "图片来源", "(图片来源", "图片:", "图:", "图/", "(图/", "摄影:", "资料图", "圖片來源",
    "圖:", "圖/", "攝影:",
    /* teasers */
    "lesen sie auch", "lies auch", "mehr zum thema", "auch interessant",
    "das könnte sie auch", "das könnte dich", "read more:", "read also", "also read",
    "lea también", "lee también", "mire:", "mira:", "puedes ver:", "te puede interesar",
    "lire aussi", "à lire aussi", "czytaj także", "czytaj też", "zobacz też",
    "leggi anche", "leia também", "zum weiterlesen", "previous article", "next article",
    "vorheriger artikel", "nächster artikel",
    "lire également", "à lire également", "voir aussi", "à voir aussi", "lire la suite",
    "ver también", "leer más:", "ver más:", "te recomendamos:", "también puedes leer",
    "leia mais:", "veja também", "veja mais:", "saiba mais:", "vedi anche", "guarda anche",
    "ti potrebbe interessare", "potrebbe interessarti", "lees ook", "lees meer:",
    "lees verder:", "bekijk ook", "zie ook:", "zobacz także", "zobacz również",
    "czytaj również", "czytaj więcej", "przeczytaj też", "przeczytaj także",
    "przeczytaj również", "polecamy:", "читайте также", "читайте еще", "смотрите также",
    "читать также", "по теме:", "новости по теме", "материалы по теме", "関連記事:",
    "【関連記事】", "【あわせて読みたい】", "あわせて読みたい", "合わせて読みたい",
    "こちらもおすすめ", "相关阅读", "相关文章:", "延伸阅读", "推荐阅读", "相關閱讀",
    "延伸閱讀", "推薦閱讀", "原标题:", "原標題:",
    /* bylines, dates, filing */
    "this entry was posted", "dieser eintrag wurde veröffentlicht", "der beitrag wurde am",
    "eingestellt von ", "verfasst von", "veröffentlicht am ", "veröffentlicht:",
    "veröffentlichung:", "aktualisiert am ", "aktualisiert:", "publiziert:", "erstellt am ",
    "stand:", "posted by ", "posted on ", "published:", "updated:", "last modified",
    "release date", "category:", "categories:", "kategorie:", "kategorien:", "tags:",
    "schlagwörter:", "schlagworte:", "etiquetas:", "filed under", "news date",
    "publié le ", "publié:", "mis à jour le ", "mis à jour:", "publié par ",
    "publicado el ", "publicado por ", "actualizado el ", "actualizado:", "publicado:",
    "publicado em ", "atualizado em ", "atualizado:", "postado por ", "postado em ",
    "pubblicato il ", "pubblicato da ", "aggiornato il ", "ultimo aggiornamento",
    "gepubliceerd op ", "gepubliceerd:", "geplaatst op ", "geplaatst door ",
    "bijgewerkt op ", "laatst bijgewerkt", "opublikowano", "aktualizacja:",
    "zaktualizowano", "data publikacji", "data dodania", "опубликовано", "дата публикации",
    "обновлено:", "обновлено ", "дата:", "просмотров:", "公開日", "更新日", "投稿日",
    "最終更新日", "掲載日", "配信日", "投稿者:", "发布时间", "发布日期", "发表时间",
    "更新时间", "发布于", "責任編輯", "责任编辑", "发表于", "發布時間", "發佈時間",
    "更新時間", "發表於", "作者:", "编辑:", "編輯:", "来源:", "來源:", "文章来源",
    "浏览次数", "阅读量:",
    /* prompts */
    "to view the full story", "subscribe now", "subscribe to ", "if you enjoyed",
    "hazte miembro", "sign up for", "never miss", "folgen sie uns",
    "immer informiert bleiben", "jetzt anmelden", "sie sind aktuell nicht eingeloggt",
    "sie müssen sich einloggen", "du musst eingeloggt", "bitte registrieren sie sich",
    "den artikel mit anderen teilen", "share on ", "teilen auf ", "síguenos",
    "sie könnten auch", "for the latest stories", "get the latest news", "download the ",
    "submit your letter", "we want to hear what you think", "give us feedback",
    "help us continue", "if you're seeing this message",
    "first-time subscribers", "you can keep up with me", "besuchen sie unseren",
    "mitglieder in diesem forum", "wir respektieren deine privatsphäre", "únete",
    "¿ya sabías", "zapraszamy", "puede escribirnos", "suggested citation",
    "partager sur ", "abonnez-vous", "inscrivez-vous à notre newsletter", "suivez-nous",
    "compartir en ", "suscríbete", "compartilhar no ", "compartilhe no ", "inscreva-se",
    "assine a newsletter", "siga-nos", "condividi su ", "iscriviti alla newsletter",
    "seguici su ", "delen op ", "volg ons op ", "schrijf je in voor", "udostępnij na ",
    "zapisz się do newslettera", "obserwuj nas", "поделиться в ", "подписывайтесь",
    "подпишитесь на ", "следите за нами", "нашли ошибку", "нашли опечатку",
    "если вы нашли ошибку", "分享到", "关注我们", "扫码关注", "长按识别二维码", "扫描二维码",
    "欢迎关注", "点击关注", "your email address will not be published",
    "deine e-mail-adresse wird nicht veröffentlicht",
    "ihre e-mail-adresse wird nicht veröffentlicht",
    "votre adresse e-mail ne sera pas publiée",
    "votre adresse de messagerie ne sera pas publiée",
    "tu dirección de correo electrónico no será publicada",
    "o seu endereço de email não será publicado",
    "o seu endereço de e-mail não será publicado",
    "seu endereço de email não será publicado",
    "il tuo indirizzo email non sarà pubblicato", "je e-mailadres wordt niet gepubliceerd",
    "twój adres e-mail nie zostanie opublikowany", "ваш адрес email не будет опубликован",
    "ваш e-mail не будет опубликован", "メールアドレスが公開されることはありません",
    "您的电子邮箱地址不会被公开", "您的電子郵件地址不會被公開",
    /* advertising and affiliate notes, disclaimers, page tools */
    "anzeige -", "anzeige,", "anzeige:", "*werbung", "werbung:", "dieser beitrag enthält werbung",
    "alle angaben ohne gewähr", "(alle angaben ohne gewähr", "letzte aktualisierung am",
    "bei den verlinkungen handelt es sich", "this post contains references to products",
    "advertising disclosure", "dieser text wurde veröffentlicht unter",
    "dieser beitrag gibt die meinung", "bei diesem beitrag handelt es sich",
    "this article is the copyrighted", "materiał chroniony prawem", "rezept drucken",
    "dieses skript als pdf", "bild anzeigen", "zum vergrößern", "vergrößern ",
    "weitere beiträge", "weitere artikel", "mehr artikel", "mehr beiträge",
    "more articles", "more stories", "copyright ©", "copyright (c)", "publicité -",
    "- publicité", "publicidad -", "- publicidad", "continua após a publicidade",
    "continua depois da publicidade", "riproduzione riservata",
    "реклама -", "- реклама", "スポンサーリンク", "本文はここまで", "無断転載",
    "版权声明", "版權聲明", "未经授权,不得", "未经授权不得",
};

/* A tiny block holding one of these anywhere is a filing, metadata or rights
 * line. */
static const char *const filing_words[] = {
    "kategorie:", "kategorien:", "category:", "categories:", "tags:", "schlagwörter:",
    "schlagworte:", "posted in ", "filed under", "abgelegt unter", "verschlagwortet",
    "bookmark the permalink", "permalink", "hinzugefügt von", "aufrufe:",
    /* filing in the ten languages */
    "catégorie:", "catégories:", "mots-clés:", "étiquettes:", "classé dans",
    "categoría:", "categorías:", "archivado en", "categoria:", "categorias:", "marcadores:",
    "arquivado em", "categorie:", "archiviato in", "categorieën:", "trefwoorden:",
    "kategoria:", "tagi:", "рубрика:", "рубрики:", "категория:", "категории:", "метки:",
    "теги:", "тэги:", "カテゴリー:", "カテゴリ:", "タグ:", "标签:", "分类:", "關鍵字:",
    "关键词:", "关键字:", "標籤:", "分類:",
    /* rights lines */
    "all rights reserved", "alle rechte vorbehalten", "tous droits réservés",
    "todos los derechos reservados", "todos os direitos reservados",
    "tutti i diritti riservati", "alle rechten voorbehouden", "wszelkie prawa zastrzeżone",
    "все права защищены", "版权所有", "版權所有", "無断転載", "無断複写",
};

/* A caption holding one of these anywhere is (or ends with) a photo credit. */
static const char *const credit_words[] = {
    "foto:", "fotos:", "bild:", "quelle:", "©", "(c) ", "photo:", "photo by", "credit:",
    "crédito", "getty images", "shutterstock", "istock", "reuters", "imago", "dpa",
    "picture alliance", "picture-alliance", "fotolia", "unsplash", "źródło:",
    "crédit", "fonte:", "beeld:", "bron:", "fot.", "фото:", "источник:",
    "写真:", "(写真", "出典:", "图片来源", "图:", "圖片來源", "摄影:",
};

/* Lines longer than this (characters, CJK counted twice) are never tested. */
#define LABEL_MAX 60
#define LEAD_MAX 200
#define FILING_MAX 100
#define CAPTION_MAX 300
#define AUTHOR_MAX 800

/* Returns the folded form of code point c (see the top of the file). */
static uint32_t fold_cp(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0; /* full-width ASCII forms */
    else if (c == 0xA0 || c == 0x3000 || c == 0x2009 || c == 0x202F)
        return ' ';
    else if (c == 0x2018 || c == 0x2019)
        return '\'';
    else if (c == 0x2013 || c == 0x2014)
        return '-';
    c = precis_uc_fold(c);
    return c == 0x451 ? 0x435 : c; /* ё -> е */
}

void precis_ex_fold_text(char *s, size_t *n)
{
    size_t w = 0;
    for (size_t i = 0; i < *n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            s[w++] = (char)((b >= 'A' && b <= 'Z') ? b + 32 : b);
            i++;
        } else {
            size_t len;
            uint32_t c = precis_uc_decode(s, *n, i, &len);
            if (c == 0xFFFD && len == 1) {
                s[w++] = (char)b; /* invalid byte: kept as is */
            } else {
                char enc[4];
                size_t k = precis_uc_encode(fold_cp(c), enc);
                memcpy(s + w, enc, k);
                w += k;
            }
            i += len;
        }
        if (w >= 2 && s[w - 1] == ':' && s[w - 2] == ' ')
            s[--w - 1] = ':';
    }
    s[w] = '\0';
    *n = w;
}

static bool starts_with(const char *s, size_t n, const char *word)
{
    size_t wl = strlen(word);
    return wl <= n && memcmp(s, word, wl) == 0;
}

static bool has_any(const char *s, const char *const *words, size_t nwords)
{
    for (size_t i = 0; i < nwords; i++) {
        if (strstr(s, words[i]))
            return true;
    }
    return false;
}

#define HAS_ANY(s, list) has_any((s), (list), sizeof(list) / sizeof((list)[0]))

/* Decodes the (folded) code point ending at s[n) (n > 0); sets *len to its
 * byte length. */
static uint32_t last_cp(const char *s, size_t n, size_t *len)
{
    size_t i = n - 1;
    while (i > 0 && n - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    size_t k;
    uint32_t c = precis_uc_decode(s, n, i, &k);
    if (i + k != n) { /* not a whole sequence */
        *len = 1;
        return 0xFFFD;
    }
    *len = k;
    return c;
}

/* Marks trimmed from the end of a label line (after folding). */
static bool is_trail_mark(uint32_t c)
{
    return (c < 0x80 && c && strchr(":!?.-| ", (int)c)) || c == 0xBB || c == 0x203A ||
           c == 0x2192 || c == 0x2026 || c == 0x3011 || c == 0x3002 || c == 0x25B6 ||
           c == 0x25BA;
}

/* Marks trimmed from the start of a label line (after folding). */
static bool is_lead_mark(uint32_t c)
{
    return c == '-' || c == '|' || c == ' ' || c == 0xBB || c == 0x2022 || c == 0x25A0 ||
           c == 0x25B6 || c == 0x25BA || c == 0x3010 || c == 0x25CF;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Removes trailing marks and a trailing count ("(12)", " 12") from s[0..*n);
 * returns true if anything was removed. */
static bool trim_tail(const char *s, size_t *n)
{
    size_t start = *n, len;
    while (*n > 0 && is_trail_mark(last_cp(s, *n, &len)))
        *n -= len;
    size_t m = *n;
    bool paren = m > 0 && s[m - 1] == ')';
    if (paren)
        m--;
    size_t digits = m;
    while (m > 0 && is_digit(s[m - 1]))
        m--;
    if (m < digits && m > 0 && s[m - 1] == (paren ? '(' : ' ')) {
        *n = m - 1;
        while (*n > 0 && s[*n - 1] == ' ')
            (*n)--;
    }
    return *n != start;
}

/* s[0..n) is folded. */
static bool is_label(const char *s, size_t n)
{
    while (n > 0 && trim_tail(s, &n))
        ;
    for (;;) { /* leading marks, then a leading count ("12 Kommentare") */
        size_t i = 0;
        while (i < n) {
            size_t k;
            if (!is_lead_mark(precis_uc_decode(s, n, i, &k)))
                break;
            i += k;
        }
        size_t d = i;
        while (d < n && is_digit(s[d]))
            d++;
        if (d > i && d < n && s[d] == ' ')
            i = d + 1;
        if (i == 0 || i >= n)
            break;
        s += i, n -= i;
    }
    for (size_t i = 0; n > 0 && i < sizeof label_lines / sizeof label_lines[0]; i++) {
        if (label_lines[i][0] == s[0] && strlen(label_lines[i]) == n &&
            memcmp(label_lines[i], s, n) == 0)
            return true;
    }
    return false;
}

/* s[0..n) is folded. */
static bool has_lead(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof lead_words / sizeof lead_words[0]; i++) {
        if (lead_words[i][0] == s[0] && starts_with(s, n, lead_words[i]))
            return true;
    }
    return false;
}

/* Returns the number of CJK characters in s[0..n). */
static uint32_t count_cjk(const char *s, size_t n)
{
    uint32_t count = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t len;
        if (precis_uc_is_cjk(precis_uc_decode(s, n, i, &len)))
            count++;
        i += len;
    }
    return count;
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

/* Returns true if the element's class or id names an author box or byline
 * ("author", "autor" (de, es, pt, pl), "auteur" (fr, nl), "avtor" (ru)). */
static bool has_author_class(const GumboNode *el)
{
    static const char *const words[] = {"author", "autor", "auteur", "avtor"};
    for (int k = 0; k < 2; k++) {
        const char *v = precis_ex_attr(el, k == 0 ? "class" : "id");
        if (!v)
            continue;
        for (const char *p = v; *p; p++) {
            for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
                if (strncasecmp(p, words[i], strlen(words[i])) == 0)
                    return true;
            }
        }
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
    bool caption = precis_ex_is_caption(n->node);
    uint32_t max = caption ? CAPTION_MAX : LEAD_MAX;
    if (n->text == 0 || n->text > max || !is_line_tag(tag))
        return false;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_ex_text(n->node, &b);
    uint32_t len = n->text + count_cjk(b.ptr, b.len);
    bool junk = false;
    if (b.len > 0 && len <= max) {
        size_t fl = b.len;
        precis_ex_fold_text(b.ptr, &fl);
        precis_buf_truncate(&b, fl);
        junk = (len <= LABEL_MAX && is_label(b.ptr, b.len)) || has_lead(b.ptr, b.len) ||
               (len <= FILING_MAX && HAS_ANY(b.ptr, filing_words)) ||
               (caption && HAS_ANY(b.ptr, credit_words));
    }
    precis_buf_release(&b);
    return junk;
}
