/* A second opinion on the main block, by where the page's prose lives: every
 * paragraph of real text (long enough, few links) gives its length to its
 * container, and the container with the most prose is compared with the chosen
 * content. When the chosen content holds much less prose than that container and
 * lies elsewhere (a teaser, an intro box, a shop notice that a class name
 * promoted), the container wins. */
#include "extract_internal.h"

#include <stdlib.h>
#include <string.h>

/* A paragraph of prose: this many visible characters of its own at least, and
 * links under a quarter of them. */
#define PROSE_MIN 60
/* The other container must hold this many times the chosen content's prose, and
 * this much prose at least, to win. */
#define PROSE_RATIO 3
#define PROSE_FLOOR 800
/* A part of a split article holds this much prose at least. */
#define PART_FLOOR 500

/* Returns the element that collects a prose block's text: its parent for a
 * paragraph-like element, itself for a container holding loose text. */
static int container_of(const precis_ex_tree *t, int i)
{
    switch (t->nodes[i].node->v.element.tag) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_TD:
    case GUMBO_TAG_MAIN:
        return i;
    default:
        return t->nodes[i].parent;
    }
}

static bool is_prose_block(const precis_ex_tree *t, int i)
{
    const precis_ex_node *n = &t->nodes[i];
    if (!(n->flags & PRECIS_EX_BLOCK) || (n->flags & PRECIS_EX_DROPPED) ||
        (n->flags & PRECIS_EX_IN_HEADING) || n->own_text < PROSE_MIN ||
        n->own_link * 4 >= n->own_text)
        return false;
    GumboTag tag = n->node->v.element.tag;
    return tag != GUMBO_TAG_BODY && tag != GUMBO_TAG_HTML && tag != GUMBO_TAG_LI &&
           tag != GUMBO_TAG_TD && tag != GUMBO_TAG_TH;
}

/* Returns true if no ancestor of i says boilerplate (dropped, unlikely, a
 * comment section, a negative class or id, nav/aside/footer): the detector was
 * right to leave such prose out. */
static bool clean_path(const precis_ex_tree *t, int i)
{
    for (; i >= 0; i = t->nodes[i].parent) {
        const precis_ex_node *n = &t->nodes[i];
        if ((n->flags & (PRECIS_EX_DROPPED | PRECIS_EX_COMMENTS | PRECIS_EX_UNLIKELY)) ||
            n->weight < 0 || precis_ex_is_boilerplate_tag(n->node))
            return false;
    }
    return true;
}

static bool in_picks(const precis_ex_tree *t, int i)
{
    for (; i >= 0; i = t->nodes[i].parent) {
        if (t->nodes[i].flags & PRECIS_EX_PICKED)
            return true;
    }
    return false;
}

/* Fills mass[] with the prose each container holds; returns the prose inside the
 * picks. */
static size_t prose_mass(const precis_ex_tree *t, size_t *mass)
{
    size_t picked = 0;
    for (size_t i = 0; i < t->count; i++) {
        if (!is_prose_block(t, (int)i) || !clean_path(t, (int)i))
            continue;
        int c = container_of(t, (int)i);
        if (c >= 0)
            mass[c] += t->nodes[i].own_text;
        if (in_picks(t, (int)i))
            picked += t->nodes[i].own_text;
    }
    return picked;
}

static int by_index(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Returns true if some pick lies inside element i. */
static bool holds_a_pick(const precis_ex_tree *t, int i, const int *picks, size_t npicks)
{
    for (size_t k = 0; k < npicks; k++) {
        for (int a = picks[k]; a >= 0; a = t->nodes[a].parent) {
            if (a == i)
                return true;
        }
    }
    return false;
}

/* Adds to the picks the other parts of an article split into several containers of
 * the same class (a section per part, asides between them). */
static void add_parts(precis_ex_tree *t, const size_t *mass, int **picks, size_t *npicks)
{
    int main_part = -1;
    for (size_t i = 0; i < t->count; i++) {
        if (mass[i] > 0 && in_picks(t, (int)i) && (main_part < 0 || mass[i] > mass[main_part]))
            main_part = (int)i;
    }
    if (main_part < 0)
        return;
    size_t extra = 0;
    for (size_t i = 0; i < t->count; i++) {
        if ((int)i == main_part || mass[i] < PART_FLOOR || in_picks(t, (int)i) ||
            t->nodes[i].node->v.element.tag != t->nodes[main_part].node->v.element.tag ||
            !precis_ex_same_class(t->nodes[i].node, t->nodes[main_part].node) ||
            t->nodes[i].link_text * 4 >= t->nodes[i].text ||
            holds_a_pick(t, (int)i, *picks, *npicks))
            continue;
        *picks = realloc(*picks, (*npicks + 1) * sizeof **picks);
        if (!*picks)
            abort();
        (*picks)[(*npicks)++] = (int)i;
        t->nodes[i].flags |= PRECIS_EX_PICKED;
        extra++;
    }
    if (extra)
        qsort(*picks, *npicks, sizeof **picks, by_index);
}

bool precis_ex_second_opinion(precis_ex_tree *t, int **picks, size_t *npicks)
{
    size_t *mass = calloc(t->count, sizeof *mass);
    if (!mass)
        return false;
    size_t picked = prose_mass(t, mass);
    int best = -1;
    for (size_t i = 0; i < t->count; i++) {
        if (mass[i] > 0 && (best < 0 || mass[i] > mass[best]))
            best = (int)i;
    }
    bool switched = false;
    if (best >= 0 && best != t->body && mass[best] >= PROSE_FLOOR &&
        t->nodes[best].link_text * 4 < t->nodes[best].text &&
        mass[best] > PROSE_RATIO * picked && !in_picks(t, best)) {
        for (size_t k = 0; k < *npicks; k++)
            t->nodes[(*picks)[k]].flags &= ~(unsigned)PRECIS_EX_PICKED;
        free(*picks);
        *picks = precis_xmalloc(sizeof **picks);
        (*picks)[0] = best;
        *npicks = 1;
        t->nodes[best].flags |= PRECIS_EX_PICKED;
        switched = true;
    }
    if (!switched)
        add_parts(t, mass, picks, npicks);
    free(mass);
    return switched;
}
