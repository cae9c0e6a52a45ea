/* Main-content scoring: paragraphs give points to their ancestors, link density
 * discounts them, the best candidate is refined and merged with its siblings. */
#include "extract_internal.h"

#include <stdlib.h>
#include <string.h>

/* A lead paragraph's length, in characters. */
#define LEAD_MIN 40
#define LEAD_MAX 1500
/* Ancestors of the main block whose earlier siblings may hold the lead. */
#define LEAD_LEVELS 3

static int tag_base_score(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: return 5;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: return 3;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM: return -3;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH: return -5;
    default: return 0;
    }
}

static GumboTag tag_of(const precis_ex_tree *t, int i)
{
    return t->nodes[i].node->v.element.tag;
}

static double link_density(const precis_ex_node *n)
{
    return n->text ? (double)n->link_text / (double)n->text : 0.0;
}

/* Private to this file (the shared bits stop at 1u << 8): inside an item of a
 * run of repeated siblings in the content (live-blog entries, gallery slides). */
#define EX_IN_ITEM (1u << 16)

/* Items of a run shorter than this are ordinary siblings. */
#define ITEM_RUN 3

/* Mean characters per item below which a run is a list of labels. */
#define ITEM_TEXT 50

/* Returns the index just past element i's subtree (pre-order: the subtree is
 * contiguous and every member's parent index is >= i). */
static size_t subtree_end(const precis_ex_tree *t, int i)
{
    size_t k = (size_t)i + 1;
    while (k < t->count && t->nodes[k].parent >= i)
        k++;
    return k;
}

/* Structural content hints: <article>, <main>, role=main, itemprop=articleBody. */
static int structure_bonus(const GumboNode *el)
{
    GumboTag tag = el->v.element.tag;
    const char *itemprop = precis_ex_attr(el, "itemprop");
    if (itemprop && strstr(itemprop, "articleBody"))
        return 30;
    const char *role = precis_ex_attr(el, "role");
    if (tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN || (role && !strcmp(role, "main")))
        return 10;
    return 0;
}

static void init_candidate(precis_ex_tree *t, int i)
{
    precis_ex_node *n = &t->nodes[i];
    if (n->flags & PRECIS_EX_CANDIDATE)
        return;
    n->flags |= PRECIS_EX_CANDIDATE;
    n->score = tag_base_score(tag_of(t, i)) + n->weight + structure_bonus(n->node);
}

static bool is_scored_paragraph(const precis_ex_tree *t, int i)
{
    const precis_ex_node *n = &t->nodes[i];
    if (!(n->flags & PRECIS_EX_BLOCK) || (n->flags & PRECIS_EX_DROPPED) || n->own_text < 25)
        return false;
    GumboTag tag = tag_of(t, i);
    if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML)
        return false;
    return n->own_link * 2 < n->own_text;
}

static void score_paragraphs(precis_ex_tree *t)
{
    for (size_t i = 0; i < t->count; i++) {
        if (!is_scored_paragraph(t, (int)i))
            continue;
        const precis_ex_node *n = &t->nodes[i];
        double points = 1.0 + n->own_commas;
        double len_points = n->own_text / 100.0;
        points += len_points > 3.0 ? 3.0 : len_points;
        int a = n->parent;
        for (int level = 0; a >= 0 && level < 5; level++, a = t->nodes[a].parent) {
            init_candidate(t, a);
            double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
            t->nodes[a].score += points / divider;
        }
    }
    for (size_t i = 0; i < t->count; i++) {
        precis_ex_node *n = &t->nodes[i];
        if (n->flags & PRECIS_EX_CANDIDATE)
            n->score *= 1.0 - link_density(n);
    }
}

static bool is_ancestor(const precis_ex_tree *t, int anc, int i)
{
    for (; i >= 0; i = t->nodes[i].parent) {
        if (i == anc)
            return true;
    }
    return false;
}

/* Counts element children of i that are not dropped. */
static size_t kept_children(const precis_ex_tree *t, int i, int *only)
{
    const GumboVector *kids = &t->nodes[i].node->v.element.children;
    size_t n = 0;
    for (size_t k = 0; k < kids->length; k++) {
        const GumboNode *c = kids->data[k];
        if (c->type == GUMBO_NODE_TEXT && c->v.text.text[strspn(c->v.text.text, " \t\r\n")])
            n += 2; /* loose text counts as content */
        if (c->type != GUMBO_NODE_ELEMENT)
            continue;
        int ci = precis_ex_tree_find(t, c);
        if (precis_ex_keep(t, ci)) {
            n++;
            *only = ci;
        }
    }
    return n;
}

static int refine_top(const precis_ex_tree *t, int top)
{
    /* Several near-equal candidates under one ancestor: the ancestor is the article. */
    enum { ALT = 5 };
    int alts[ALT];
    size_t nalts = 0;
    double best = t->nodes[top].score;
    for (size_t i = 0; i < t->count && nalts < ALT; i++) {
        const precis_ex_node *n = &t->nodes[i];
        if ((int)i != top && (n->flags & PRECIS_EX_CANDIDATE) && n->score >= best * 0.75 &&
            !is_ancestor(t, top, (int)i) && !is_ancestor(t, (int)i, top))
            alts[nalts++] = (int)i;
    }
    if (nalts >= 3) {
        for (int a = t->nodes[top].parent; a >= 0 && a != t->body; a = t->nodes[a].parent) {
            size_t inside = 0;
            for (size_t k = 0; k < nalts; k++)
                inside += is_ancestor(t, a, alts[k]);
            if (inside >= 3) {
                top = a;
                break;
            }
        }
    }
    /* Climb to the first ancestor that scores better than the path below it. */
    double last = t->nodes[top].score;
    double threshold = last / 3.0;
    for (int p = t->nodes[top].parent; p >= 0 && p != t->body; p = t->nodes[p].parent) {
        const precis_ex_node *pn = &t->nodes[p];
        if (!(pn->flags & PRECIS_EX_CANDIDATE))
            continue;
        if (pn->score < threshold)
            continue; /* a weak wrapper in between: look further up */
        if (pn->score > last) {
            top = p;
            break;
        }
        last = pn->score;
    }
    /* An only child stands for its parent. */
    for (;;) {
        int p = t->nodes[top].parent;
        int only = -1;
        if (p < 0 || p == t->body || tag_of(t, p) == GUMBO_TAG_HTML ||
            kept_children(t, p, &only) != 1)
            break;
        top = p;
    }
    return top;
}

/* Returns true if a short sibling paragraph reads like prose. */
static bool is_prose(const precis_ex_tree *t, int i)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_ex_text(t->nodes[i].node, &b);
    bool prose = b.len > 0 && (strstr(b.ptr, ". ") || b.ptr[b.len - 1] == '.');
    precis_buf_release(&b);
    return prose;
}

/* Returns true if element i, before the main block, is the article's lead: a
 * lead class, a few sentences with few links. */
static bool is_lead_block(const precis_ex_tree *t, int i)
{
    const precis_ex_node *n = &t->nodes[i];
    return n->text >= LEAD_MIN && n->text <= LEAD_MAX && link_density(n) < 0.2 &&
           n->inputs == 0 && precis_ex_is_lead(n->node);
}

/* Returns the first lead block at i or under it (depth levels down), or -1. */
static int find_lead(const precis_ex_tree *t, int i, int depth)
{
    if (is_lead_block(t, i))
        return i;
    if (depth == 0 || (t->nodes[i].flags & PRECIS_EX_DROPPED))
        return -1;
    const GumboVector *kids = &t->nodes[i].node->v.element.children;
    for (size_t k = 0; k < kids->length; k++) {
        const GumboNode *c = kids->data[k];
        int ci = c->type == GUMBO_NODE_ELEMENT ? precis_ex_tree_find(t, c) : -1;
        int lead = ci >= 0 && precis_ex_keep(t, ci) ? find_lead(t, ci, depth - 1) : -1;
        if (lead >= 0)
            return lead;
    }
    return -1;
}

/* When the lead sits before the main block's parent or one of the next ancestors
 * (in the page's header box), puts it first in *picks (room for one more is
 * reserved). */
static void add_outer_lead(const precis_ex_tree *t, int parent, int **picks, size_t *npicks)
{
    for (size_t k = 0; k < *npicks; k++) {
        if (precis_ex_is_lead(t->nodes[(*picks)[k]].node))
            return;
    }
    int anc = parent;
    for (int level = 0; level < LEAD_LEVELS && anc != t->body; level++) {
        int up = t->nodes[anc].parent;
        if (up < 0)
            return;
        const GumboVector *kids = &t->nodes[up].node->v.element.children;
        for (size_t k = 0; k < kids->length; k++) {
            const GumboNode *c = kids->data[k];
            if (c == t->nodes[anc].node)
                break;
            int ci = c->type == GUMBO_NODE_ELEMENT ? precis_ex_tree_find(t, c) : -1;
            int lead = ci >= 0 && precis_ex_keep(t, ci) ? find_lead(t, ci, 3) : -1;
            if (lead >= 0) {
                memmove(*picks + 1, *picks, *npicks * sizeof **picks);
                (*picks)[0] = lead;
                (*npicks)++;
                return;
            }
        }
        anc = up;
    }
}

static void merge_siblings(const precis_ex_tree *t, int top, int **picks, size_t *npicks)
{
    int parent = t->nodes[top].parent;
    *picks = NULL;
    *npicks = 0;
    if (parent < 0 || tag_of(t, top) == GUMBO_TAG_BODY) {
        *picks = precis_xmalloc(sizeof **picks);
        (*picks)[(*npicks)++] = top;
        return;
    }
    const precis_ex_node *tn = &t->nodes[top];
    double threshold = tn->score * 0.2 > 10.0 ? tn->score * 0.2 : 10.0;
    const GumboVector *kids = &t->nodes[parent].node->v.element.children;
    *picks = precis_xmalloc((kids->length + 2) * sizeof **picks);
    bool before_top = true;
    for (size_t k = 0; k < kids->length; k++) {
        const GumboNode *c = kids->data[k];
        if (c->type != GUMBO_NODE_ELEMENT)
            continue;
        int ci = precis_ex_tree_find(t, c);
        if (!precis_ex_keep(t, ci))
            continue;
        bool take = ci == top;
        before_top = before_top && !take;
        const precis_ex_node *cn = &t->nodes[ci];
        if (!take && before_top) {
            int lead = find_lead(t, ci, 3);
            if (lead >= 0 && lead != ci) {
                (*picks)[(*npicks)++] = lead; /* a lead inside a header box */
                continue;
            }
            take = lead == ci;
        }
        if (!take && (cn->flags & PRECIS_EX_CANDIDATE)) {
            double bonus = precis_ex_same_class(c, tn->node) ? tn->score * 0.2 : 0.0;
            take = cn->score + bonus >= threshold;
        }
        if (!take && (c->v.element.tag == GUMBO_TAG_P || cn->own_text == cn->text)) {
            double ld = link_density(cn);
            if (cn->text > 80 && ld < 0.25)
                take = true;
            else if (cn->text > 0 && cn->text <= 80 && cn->link_text == 0 &&
                     c->v.element.tag == GUMBO_TAG_P)
                take = is_prose(t, ci);
        }
        if (take)
            (*picks)[(*npicks)++] = ci;
    }
    add_outer_lead(t, parent, picks, npicks);
}

/* Tags that can be one entry of a repeated run: not paragraphs or inline text. */
static bool is_item_tag(GumboTag tag)
{
    return tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_ARTICLE ||
           tag == GUMBO_TAG_LI || tag == GUMBO_TAG_FIGURE;
}

/* Returns true if a and b are siblings of one kind: same tag and same class. */
static bool same_kind(const GumboNode *a, const GumboNode *b)
{
    if (a->v.element.tag != b->v.element.tag)
        return false;
    const char *ca = precis_ex_attr(a, "class"), *cb = precis_ex_attr(b, "class");
    return (!ca && !cb) || (ca && cb && !strcmp(ca, cb));
}

/* Flags the subtrees of run[0..n) as repeated items when the run is long enough
 * and its entries hold sentences, not single words (a credits list). */
static void flag_run(precis_ex_tree *t, const int *run, size_t n)
{
    if (n < ITEM_RUN)
        return;
    size_t text = 0;
    for (size_t r = 0; r < n; r++)
        text += t->nodes[run[r]].text;
    if (text < n * ITEM_TEXT)
        return;
    for (size_t r = 0; r < n; r++) {
        size_t end = subtree_end(t, run[r]);
        for (size_t k = (size_t)run[r]; k < end; k++)
            t->nodes[k].flags |= EX_IN_ITEM;
    }
}

/* Finds runs of consecutive kept children of p that are of one kind. */
static void flag_items_under(precis_ex_tree *t, int p, int *run)
{
    const GumboVector *kids = &t->nodes[p].node->v.element.children;
    size_t n = 0;
    for (size_t k = 0; k < kids->length; k++) {
        const GumboNode *c = kids->data[k];
        int ci = c->type == GUMBO_NODE_ELEMENT ? precis_ex_tree_find(t, c) : -1;
        if (!precis_ex_keep(t, ci))
            continue;
        if (n > 0 && !same_kind(t->nodes[run[0]].node, c)) {
            flag_run(t, run, n);
            n = 0;
        }
        if (is_item_tag(c->v.element.tag))
            run[n++] = ci;
    }
    flag_run(t, run, n);
}

/* Marks repeated items inside the picked subtree of element pick. */
static void flag_items(precis_ex_tree *t, int pick)
{
    size_t end = subtree_end(t, pick);
    size_t widest = 0;
    for (size_t k = (size_t)pick; k < end; k++) {
        size_t len = t->nodes[k].node->v.element.children.length;
        widest = len > widest ? len : widest;
    }
    int *run = precis_xmalloc((widest + 1) * sizeof *run);
    for (size_t k = (size_t)pick; k < end; k++) {
        if (precis_ex_keep(t, (int)k))
            flag_items_under(t, (int)k, run);
    }
    free(run);
}

bool precis_ex_pick(const precis_ex_tree *t_in, int **picks, size_t *npicks)
{
    precis_ex_tree *t = (precis_ex_tree *)t_in;
    *picks = NULL;
    *npicks = 0;
    score_paragraphs(t);
    int top = -1;
    for (size_t i = 0; i < t->count; i++) {
        const precis_ex_node *n = &t->nodes[i];
        if ((n->flags & PRECIS_EX_CANDIDATE) && !(n->flags & PRECIS_EX_DROPPED) &&
            (top < 0 || n->score > t->nodes[top].score))
            top = (int)i;
    }
    if (top < 0)
        return false;
    top = refine_top(t, top);
    merge_siblings(t, top, picks, npicks);
    for (size_t k = 0; k < *npicks; k++) {
        t->nodes[(*picks)[k]].flags |= PRECIS_EX_PICKED;
        flag_items(t, (*picks)[k]);
    }
    return *npicks > 0;
}

/* A short block that is a timestamp: a <time> element or an h:mm clock. */
#define STAMP_MAX 40

/* Returns true if element i is short and holds a time: a <time> element or an
 * "h:mm" clock reading (the stamp of a live-blog entry). */
static bool is_timestamp(const precis_ex_tree *t, int i)
{
    if (t->nodes[i].text == 0 || t->nodes[i].text > STAMP_MAX || t->nodes[i].link_text > 0)
        return false;
    size_t end = subtree_end(t, i);
    for (size_t k = (size_t)i; k < end; k++) {
        if (t->nodes[k].node->v.element.tag == GUMBO_TAG_TIME)
            return true;
    }
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_ex_text(t->nodes[i].node, &b);
    bool clock = false;
    for (size_t k = 1; k + 2 < b.len && !clock; k++) {
        clock = b.ptr[k] == ':' && b.ptr[k - 1] >= '0' && b.ptr[k - 1] <= '9' &&
                b.ptr[k + 1] >= '0' && b.ptr[k + 1] <= '5' && b.ptr[k + 2] >= '0' &&
                b.ptr[k + 2] <= '9';
    }
    precis_buf_release(&b);
    return clock;
}

/* Returns true if short element i of a repeated item is a live-blog entry's
 * stamp or one-line sentence, not a label (a source name, a button). */
static bool is_short_entry(const precis_ex_tree *t, int i)
{
    if (t->nodes[i].text == 0 || t->nodes[i].link_text * 2 > t->nodes[i].text)
        return false;
    if (is_timestamp(t, i))
        return true;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_ex_text(t->nodes[i].node, &b);
    bool sentence = b.len > 0 && strchr(".!?", b.ptr[b.len - 1]);
    precis_buf_release(&b);
    return sentence;
}

/* Returns true if list element i is nested in an entry of another list (the
 * sub-entries of an index or outline), not a widget (role=toolbar, menu...). */
static bool is_sublist(const precis_ex_tree *t, int i)
{
    if (precis_ex_attr(t->nodes[i].node, "role"))
        return false;
    int p = t->nodes[i].parent;
    GumboTag pt = p >= 0 ? tag_of(t, p) : GUMBO_TAG_UNKNOWN;
    return pt == GUMBO_TAG_LI || pt == GUMBO_TAG_DD;
}

/* Link text (characters) that describes rather than names. */
#define DESCRIBED_LINK 25

/* Returns true if list i's items mostly name something in their own words and
 * describe it with a long link ("Jane Roe <a>fixed the crash on resize</a>"): a
 * list of credits or changes, not navigation, whatever its link density. */
static bool is_described_link_list(const precis_ex_tree *t, int i)
{
    const GumboVector *kids = &t->nodes[i].node->v.element.children;
    size_t items = 0, described = 0;
    for (size_t k = 0; k < kids->length; k++) {
        const GumboNode *c = kids->data[k];
        if (c->type != GUMBO_NODE_ELEMENT || c->v.element.tag != GUMBO_TAG_LI)
            continue;
        int ci = precis_ex_tree_find(t, c);
        if (ci < 0)
            continue;
        const precis_ex_node *n = &t->nodes[ci];
        items++;
        described += n->link_text >= DESCRIBED_LINK && n->text - n->link_text >= 3;
    }
    return items >= 3 && described * 4 >= items * 3;
}

/* Returns true if tag is one the conditional cleaning below can drop. */
static bool is_cleaned_tag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_DL: case GUMBO_TAG_TABLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_P:
        return true;
    default:
        return false;
    }
}

/* Characters an item must keep besides its link-dense blocks to be judged
 * without them. */
#define ITEM_OWN_TEXT 25

/* Link density of repeated item i without its link-dense child blocks (image
 * controls, pagers), which the cleaning drops on their own. */
static double item_link_density(const precis_ex_tree *t, int i)
{
    const precis_ex_node *n = &t->nodes[i];
    uint32_t text = n->text, links = n->link_text;
    size_t end = subtree_end(t, i);
    for (size_t k = (size_t)i + 1; k < end; k = subtree_end(t, (int)k)) {
        const precis_ex_node *c = &t->nodes[k];
        if (c->text > 0 && c->link_text * 2 > c->text && is_cleaned_tag(tag_of(t, (int)k))) {
            text -= c->text;
            links -= c->link_text;
        }
    }
    if (text < ITEM_OWN_TEXT)
        return link_density(n); /* only a label is left: judge the whole */
    return (double)links / (double)text;
}

/* Readability-style conditional cleaning of one container inside the content. */
static bool is_junk_container(const precis_ex_tree *t, int i)
{
    const precis_ex_node *n = &t->nodes[i];
    GumboTag tag = tag_of(t, i);
    bool list = tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_DL;
    switch (tag) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_DL: case GUMBO_TAG_TABLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET:
        break;
    case GUMBO_TAG_P:
        /* "Read more: <a>other story</a>" and similar teasers */
        return n->text < 150 && n->link_text * 2 >= n->text && n->text > 0;
    default:
        return false;
    }
    double score = (n->flags & PRECIS_EX_CANDIDATE) ? n->score : 0.0;
    if (list)
        score -= tag_base_score(tag); /* a list's own base score is no verdict */
    bool item = n->flags & EX_IN_ITEM;
    if (n->weight + score < 0 && !(item && is_timestamp(t, i)))
        return true;
    if (n->commas >= 10)
        return false;
    double ld = item ? item_link_density(t, i) : link_density(n);
    if (n->inputs > n->paras / 3 + (tag == GUMBO_TAG_FORM ? 0 : 1))
        return true;
    if (!list && n->lis > n->paras + 100)
        return true;
    if (!list && tag != GUMBO_TAG_TABLE && n->text < 25 && n->imgs == 0 &&
        n->heading_text * 10 < n->text * 9 && !(item && is_short_entry(t, i)))
        return true;
    if (n->weight < 25 && ld > (list ? 0.5 : 0.25) && !(list && is_sublist(t, i)) &&
        !(list && is_described_link_list(t, i)))
        return true;
    if (n->weight >= 25 && ld > 0.5)
        return true;
    if ((n->embeds == 1 && n->text < 75) || n->embeds > 1)
        return true;
    return false;
}

/* A caption keeping at least this many characters besides its credit stays. */
#define CAPTION_OWN 20

/* Returns true if figcaption i, one of a gallery's repeated figures, is a
 * boilerplate line only because of a credit element inside it, which the
 * conversion drops on its own. */
static bool is_credited_caption(const precis_ex_tree *t, int i)
{
    if (tag_of(t, i) != GUMBO_TAG_FIGCAPTION || !(t->nodes[i].flags & EX_IN_ITEM))
        return false; /* a lone picture's caption goes with its credit */
    size_t end = subtree_end(t, i);
    uint32_t credit = 0;
    for (size_t k = (size_t)i + 1; k < end;) {
        if (precis_ex_keep(t, (int)k) && precis_ex_is_boilerplate_line(t, (int)k)) {
            credit += t->nodes[k].text;
            k = subtree_end(t, (int)k);
        } else {
            k++;
        }
    }
    return credit > 0 && t->nodes[i].text >= credit + CAPTION_OWN;
}

/* Returns true if element i is a boilerplate line to drop inside the content. */
static bool is_junk_line(const precis_ex_tree *t, int i)
{
    return precis_ex_is_boilerplate_line(t, i) && !is_credited_caption(t, i);
}

bool precis_ex_skip(void *ctx, const GumboNode *element)
{
    const precis_ex_tree *t = ctx;
    int i = precis_ex_tree_find(t, element);
    if (i < 0)
        return false;
    const precis_ex_node *n = &t->nodes[i];
    if (n->flags & PRECIS_EX_PICKED)
        return false;
    if (n->flags & PRECIS_EX_DROPPED)
        return true;
    if ((n->flags & PRECIS_EX_COMMENTS) && t->keep_comments)
        return false;
    if (t->lenient)
        return (n->weight < 0 && precis_ex_is_boilerplate_tag(element)) ||
               is_junk_line(t, i);
    return is_junk_container(t, i) || is_junk_line(t, i);
}

bool precis_ex_skip_body(void *ctx, const GumboNode *element)
{
    const precis_ex_tree *t = ctx;
    int i = precis_ex_tree_find(t, element);
    if (i < 0)
        return false;
    const precis_ex_node *n = &t->nodes[i];
    if (n->flags & PRECIS_EX_DROPPED)
        return true;
    GumboTag tag = tag_of(t, i);
    if ((tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER) &&
        (n->heading_text == 0 || link_density(n) > 0.5))
        return true;
    return precis_ex_is_boilerplate_line(t, i);
}
