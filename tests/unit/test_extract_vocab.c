/* Multilingual boilerplate vocabulary: in each of the ten most common web
 * languages after English, a "related articles" label, a credit, byline or date
 * line and a share/related/comment widget named in that language are dropped from
 * the extracted article, while its paragraphs stay, including one that starts
 * with a word boilerplate also starts with. Capitals of Cyrillic, Polish and
 * other non-ASCII letters match case-insensitively, and counts ("12 Kommentare",
 * "Комментарии (12)") do not hide a label. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract_fixture.h"
#include "precis/buf.h"

typedef struct vocab_case {
    const char *lang;
    const char *paras[3]; /* article paragraphs, all must be kept */
    const char *junk;     /* boilerplate put between the first two paragraphs */
    const char *gone[6];  /* strings that must not be in the text (NULL ends) */
} vocab_case;

static const vocab_case cases[] = {
    {"de",
     {"Die Stadtverwaltung hat am Dienstag angekündigt, dass die alte Brücke über den "
      "Fluss im kommenden Frühjahr vollständig saniert wird. Die Arbeiten sollen rund "
      "acht Monate dauern, und der Fährverkehr wird in dieser Zeit verstärkt.",
      "Teilen der Altstadt drohen während der Bauzeit lange Staus, warnt der Verkehrsverbund.",
      "Von Montag an gilt eine Umleitung über die Hafenstraße, die nach Angaben des Bauamts "
      "bis zum Ende der Arbeiten bestehen bleibt."},
     "<p>Verwandte Themen</p><p>Bildquelle: Stadtarchiv</p><p>12 Kommentare</p>"
     "<div class='box-werbung'><p>Jetzt alle Sofas im Möbelhaus zum halben Preis, nur bis "
     "Samstag.</p></div>",
     {"Verwandte Themen", "Stadtarchiv", "Kommentare", "Sofas", NULL}},
    {"fr",
     {"La municipalité a présenté mardi soir son projet de rénovation du vieux marché "
      "couvert, fermé depuis trois ans pour des raisons de sécurité. Les travaux devraient "
      "commencer à l'automne et durer dix-huit mois.",
      "Par ailleurs, les commerçants pourront s'installer provisoirement sur la place de l'église.",
      "Selon l'adjoint chargé de l'urbanisme, le coût total de l'opération atteindra près de "
      "quatre millions d'euros, financés en partie par la région et par l'État."},
     "<p>À lire également</p><p>Publié le 12 mars 2024 à 10h05</p>"
     "<p>PHOTO\xc2\xa0: AFP</p>"
     "<div class='encart-publicite'><p>Profitez de nos offres d'été sur tous les canapés, "
     "jusqu'à samedi.</p></div>",
     {"lire également", "Publié le", "AFP", "canapés", NULL}},
    {"es",
     {"El ayuntamiento aprobó este martes el plan para renovar el antiguo mercado municipal, "
      "cerrado desde hace tres años por problemas en la estructura del tejado. Las obras "
      "comenzarán en otoño.",
      "Por la tarde, decenas de vecinos se acercaron a la plaza para conocer los detalles del "
      "proyecto.",
      "Según la concejala de Urbanismo, las obras costarán cerca de cuatro millones de euros y "
      "se financiarán en parte con fondos europeos destinados a la rehabilitación urbana."},
     "<p>Deja un comentario</p><p>Publicado el 3 de mayo de 2024</p><p>Imagen: EFE</p>"
     "<div class='bloque-publicidad'><p>Aprovecha nuestras ofertas de verano en todos los "
     "sofás, solo hasta el sábado.</p></div>",
     {"Deja un comentario", "Publicado el", "EFE", "sofás", NULL}},
    {"pt",
     {"A prefeitura apresentou nesta terça-feira o projeto de reforma do antigo mercado "
      "municipal, fechado há três anos por causa de problemas na estrutura do telhado. As "
      "obras começam no outono.",
      "Para os comerciantes, a mudança provisória para a praça da igreja é uma boa notícia.",
      "De acordo com a secretária de Urbanismo, a obra vai custar cerca de quatro milhões de "
      "reais e deve ser concluída em dezoito meses, se não houver atrasos."},
     "<p>Continua após a publicidade</p><p>Veja também</p>"
     "<p>Atualizado em 12/03/2024 às 10h</p>"
     "<div class='materias-relacionadas'><p>Feira de artesanato volta ao centro da cidade "
     "no próximo domingo.</p></div>",
     {"publicidade", "Veja também", "Atualizado", "artesanato", NULL}},
    {"it",
     {"Il comune ha presentato martedì il progetto di ristrutturazione del vecchio mercato "
      "coperto, chiuso da tre anni per problemi alla struttura del tetto. I lavori "
      "inizieranno in autunno.",
      "Per molti commercianti il trasferimento provvisorio in piazza è una buona notizia.",
      "Secondo l'assessore all'urbanistica, i lavori costeranno circa quattro milioni di euro "
      "e dovrebbero concludersi entro diciotto mesi, salvo imprevisti."},
     "<p>Potrebbe interessarti</p><p>RIPRODUZIONE RISERVATA</p>"
     "<p>Pubblicato il 12 marzo 2024</p>"
     "<div class='articoli-correlati'><p>La fiera dell'artigianato torna in centro "
     "domenica prossima.</p></div>",
     {"interessarti", "RISERVATA", "Pubblicato", "artigianato", NULL}},
    {"nl",
     {"De gemeente heeft dinsdag het plan gepresenteerd om de oude overdekte markt te "
      "renoveren, die al drie jaar gesloten is vanwege problemen met het dak. De werkzaamheden "
      "beginnen in het najaar.",
      "Delen van de binnenstad worden tijdens de werkzaamheden afgesloten voor autoverkeer.",
      "Volgens de wethouder kost de verbouwing ongeveer vier miljoen euro en moet het werk "
      "binnen achttien maanden klaar zijn, als er geen tegenvallers komen."},
     "<p>Lees ook:</p><p>Gepubliceerd op 12 maart 2024</p><p>Beeld: ANP</p>"
     "<div class='reacties'><p>Mooi plan, maar die omleiding door onze straat is echt veel "
     "te lang.</p></div>",
     {"Lees ook", "Gepubliceerd", "ANP", "omleiding door onze", NULL}},
    {"pl",
     {"Władze miasta przedstawiły we wtorek plan remontu starej hali targowej, zamkniętej od "
      "trzech lat z powodu problemów z konstrukcją dachu. Prace mają ruszyć jesienią.",
      "Reklamacje dotyczące utrudnień mieszkańcy mogą zgłaszać w urzędzie dzielnicy.",
      "Według wiceprezydenta koszt inwestycji wyniesie około czterdziestu milionów złotych, a "
      "prace powinny zakończyć się w ciągu osiemnastu miesięcy."},
     "<p>CZYTAJ RÓWNIEŻ</p><p>Opublikowano: 12 marca 2024</p><p>ŹRÓDŁO: PAP</p>"
     "<p>UDOSTĘPNIJ</p>"
     "<div class='komentarze'><p>Świetny pomysł, ale objazd przez nasze osiedle jest "
     "stanowczo za długi.</p></div>",
     {"RÓWNIEŻ", "Opublikowano", "PAP", "UDOSTĘPNIJ", "objazd", NULL}},
    {"ru",
     {"Городские власти во вторник представили проект реконструкции старого крытого рынка, "
      "который закрыт уже три года из-за проблем с конструкцией крыши. Работы начнутся осенью.",
      "По словам жителей, временный рынок на площади у церкви оказался даже удобнее прежнего.",
      "Как сообщил заместитель мэра, стоимость работ составит около четырёхсот миллионов "
      "рублей, а завершить их планируют в течение полутора лет."},
     "<p>ЧИТАЙТЕ ТАКЖЕ:</p><p>Фото: РИА Новости</p><p>ОПУБЛИКОВАНО 12 марта 2024</p>"
     "<p>Комментарии (12)</p>"
     "<div class='pohozhie-novosti'><p>В субботу в центре города пройдёт ярмарка "
     "народных промыслов.</p></div>",
     {"ЧИТАЙТЕ", "РИА", "ОПУБЛИКОВАНО", "Комментарии", "ярмарка", NULL}},
    {"ja",
     {"市は火曜日、三年前から閉鎖されている旧市場の改修計画を発表した。屋根の構造に問題が"
      "見つかったため、安全上の理由で営業を停止していた。工事は秋に始まる予定だという。",
      "市によると、総事業費は約四億円で、その一部は県の補助金でまかなわれる。工事期間中、"
      "店舗は教会前の広場に仮設の売り場を設けて営業を続ける。",
      "地元の商店主は「ようやく元の場所に戻れる」と話し、完成を心待ちにしている様子だった。"
      "関連する説明会は来月、市役所で開かれる。"},
     "<p>関連記事</p><p>写真：共同通信</p><p>公開日：2024年3月12日</p>"
     "<p>スポンサーリンク</p>"
     "<div class='osusume-box'><p>今週末は駅前の広場で手作り市が開かれ、地元の職人による陶器や木工品が並びます。</p></div>",
     {"関連記事", "共同通信", "公開日", "スポンサーリンク", "手作り市", NULL}},
    {"zh",
     {"市政府周二公布了旧菜市场的改造计划。该市场因屋顶结构出现问题，已经关闭了三年。按照计划，"
      "改造工程将于今年秋季开工，预计耗时十八个月。",
      "据市政府介绍，工程总投资约为两千万元，其中一部分来自省级财政补贴。施工期间，摊主们将在"
      "教堂前的广场上临时经营。",
      "一位经营了二十多年的摊主表示，希望新市场能够保留原来的热闹气氛，也欢迎更多年轻人来这里"
      "分享生活。"},
     "<p>相关阅读</p><p>图片来源：新华社</p><p>发布时间：2024-03-12 10:05</p>"
     "<p>责任编辑：王明</p>"
     "<div class='xiangguan-news'><p>本周末，市中心广场将举办手工艺品集市，届时本地工匠将展出陶器和木雕作品。</p></div>",
     {"相关阅读", "新华社", "发布时间", "王明", "手工艺品", NULL}},
};

static char *vocab_page(const vocab_case *c)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_printf(&b,
                      "<html lang='%s'><head><title>T</title></head><body>"
                      "<nav><a href='/'>Start</a></nav><article><h1>Markt</h1>"
                      "<p>%s</p>%s<p>%s</p><p>%s</p></article></body></html>",
                      c->lang, c->paras[0], c->junk, c->paras[1], c->paras[2]);
    return precis_buf_detach(&b);
}

/* Returns the first 40 bytes of s, cut at a UTF-8 character boundary. */
static char *head_of(const char *s)
{
    size_t n = strlen(s) < 40 ? strlen(s) : 40;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    char *h = malloc(n + 1);
    if (h) {
        memcpy(h, s, n);
        h[n] = '\0';
    }
    return h;
}

static void test_language(const vocab_case *c)
{
    char *html = vocab_page(c);
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK(text != NULL);
    for (int i = 0; i < 3; i++) {
        char *h = head_of(c->paras[i]);
        CHECK_CONTAINS(text, h);
        free(h);
    }
    for (int i = 0; c->gone[i]; i++) {
        if (text && strstr(text, c->gone[i]))
            fprintf(stderr, "[%s] boilerplate kept: \"%s\"\n", c->lang, c->gone[i]);
        CHECK(text && !strstr(text, c->gone[i]));
    }
    free(text);
    free(html);
}

/* A whole-line label matches only as a whole line: a paragraph merely starting
 * with the label's words stays, in Cyrillic and in Polish capitals too. */
static void test_labels_are_whole_lines(void)
{
    const vocab_case c = {
        "ru",
        {"Городские власти во вторник представили проект реконструкции старого крытого "
         "рынка, который закрыт уже три года из-за проблем с конструкцией крыши.",
         "Подробнее о проекте жители смогут узнать на встрече в библиотеке в четверг.",
         "РЕКЛАМА НА ФАСАДЕ РЫНКА ПОСЛЕ РЕМОНТА БУДЕТ ЗАПРЕЩЕНА, РЕШИЛИ ДЕПУТАТЫ."},
        "<p>РЕКЛАМА</p><p>ПОДРОБНЕЕ »</p>",
        {"РЕКЛАМА\n", "ПОДРОБНЕЕ »", NULL}};
    test_language(&c);
}

/* A blog post's own wrapper lists its tags and categories as classes
 * ("tag-publicidad", "category-comentarios"): those words do not make the post a
 * comment section or an advertisement. */
static void test_post_taxonomy_classes(void)
{
    const char *html =
        "<html><body><div id='main'><div class='post-7 post type-post status-publish "
        "hentry category-comentarios tag-publicidad tag-reklama'>"
        "<h1>El mercado</h1>"
        "<p>El ayuntamiento aprobó este martes el plan para renovar el antiguo mercado "
        "municipal, cerrado desde hace tres años por problemas en la estructura del tejado.</p>"
        "<p>Según la concejala de Urbanismo, las obras costarán cerca de cuatro millones de "
        "euros y se financiarán en parte con fondos europeos.</p></div>"
        "<div class='comentarios'><p>Ya era hora de que arreglaran ese tejado, llevamos años "
        "esperando y nadie hacía nada.</p></div></div></body></html>";
    char *text = extract_text(html, NULL, NULL, NULL);
    CHECK_CONTAINS(text, "El ayuntamiento aprobó");
    CHECK_CONTAINS(text, "fondos europeos");
    CHECK(text && !strstr(text, "Ya era hora"));
    free(text);
}

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        test_language(&cases[i]);
    test_labels_are_whole_lines();
    test_post_taxonomy_classes();
    return CHECK_DONE();
}
