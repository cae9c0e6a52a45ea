/* robots.txt per RFC 9309: a line scanner that keeps the rules of the groups for our
 * product token and of the "*" groups side by side, then keeps one set; and a matcher
 * that places the '*'-separated pieces of a pattern greedily (leftmost), which is exact
 * for these patterns and never backtracks. */
#include "precis/robots.h"

#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"
#include "precis/crawl_url.h"

#define MAX_SITEMAPS 1000u
#define MAX_DELAY_S 86400L /* a longer Crawl-delay is read as one day */

typedef struct robots_rule {
    char *pat;       /* normalised, runs of '*' collapsed, without the anchoring '$' */
    size_t plen;
    size_t priority; /* length of the normalised pattern as written, '$' included */
    bool allow;
    bool anchored;   /* the pattern ended with '$' */
} robots_rule;

/* The rules and crawl-delay collected for one kind of group (ours or "*"). */
typedef struct rule_set {
    robots_rule *v;
    size_t n, cap;
    long delay_ms;
} rule_set;

struct precis_robots {
    rule_set rules;
    bool disallow_all;
    char **sitemaps;
    size_t nsitemaps, sitemap_cap;
};

typedef struct parse_state {
    const char *agent;     /* our product token */
    size_t agent_len;
    bool have_group;       /* a user-agent line has been seen */
    bool in_agents;        /* the last group line was a user-agent line */
    bool cur_mine;         /* the current group names our token */
    bool cur_star;         /* the current group names "*" */
    bool seen_mine;        /* some group named our token */
    rule_set mine, star;
    precis_robots *r;
} parse_state;

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* A character of an RFC 9309 product token: letters, '-' and '_'. */
static bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

static size_t token_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_token_char(s[i]))
        i++;
    return i;
}

static bool ieq(const char *a, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lower(lit[i]))
            return false;
    return true;
}

static bool key_is(const char *k, size_t n, const char *const *names)
{
    for (; *names; names++)
        if (ieq(k, n, *names))
            return true;
    return false;
}

static const char *const key_agent[] = {"user-agent", "useragent", "user agent", NULL};
static const char *const key_allow[] = {"allow", NULL};
static const char *const key_disallow[] = {"disallow", "dissallow", "dissalow", "disalow",
                                           "diasllow", "disallaw", NULL};
static const char *const key_sitemap[] = {"sitemap", "site-map", NULL};
static const char *const key_delay[] = {"crawl-delay", "crawldelay", "crawl delay", NULL};

static void rule_set_init(rule_set *s)
{
    memset(s, 0, sizeof *s);
    s->delay_ms = -1;
}

static void rule_set_release(rule_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].pat);
    free(s->v);
    rule_set_init(s);
}

static void rule_set_add(rule_set *s, const robots_rule *rule)
{
    if (s->n >= PRECIS_ROBOTS_MAX_RULES)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = precis_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n] = *rule;
    s->v[s->n].pat = precis_xstrndup(rule->pat, rule->plen);
    s->n++;
}

static precis_robots *robots_new(void)
{
    precis_robots *r = precis_xcalloc(1, sizeof *r);
    rule_set_init(&r->rules);
    return r;
}

/* Builds rule from a pattern as written; the caller frees rule->pat. */
static void rule_build(robots_rule *rule, const char *v, size_t n, bool allow)
{
    precis_buf norm, pat;
    precis_buf_init(&norm, 0);
    precis_buf_init(&pat, 0);
    precis_url_percent_normalize(&norm, v, n);
    rule->priority = norm.len;
    rule->allow = allow;
    rule->anchored = norm.len > 0 && norm.ptr[norm.len - 1] == '$';
    if (rule->anchored)
        precis_buf_truncate(&norm, norm.len - 1);
    for (size_t i = 0; i < norm.len; i++)
        if (norm.ptr[i] != '*' || !precis_buf_ends_with(&pat, '*'))
            precis_buf_putc(&pat, norm.ptr[i]);
    rule->plen = pat.len;
    rule->pat = precis_buf_detach(&pat);
    precis_buf_release(&norm);
}

/* Parses a Crawl-delay value in seconds (fractions allowed) into milliseconds; -1 if bad. */
static long parse_delay(const char *v, size_t n)
{
    size_t i = 0;
    long secs = 0, ms = 0;
    bool digits = false;
    while (i < n && v[i] >= '0' && v[i] <= '9') {
        if (secs <= MAX_DELAY_S)
            secs = secs * 10 + (v[i] - '0');
        digits = true;
        i++;
    }
    if (i < n && v[i] == '.') {
        long scale = 100;
        for (i++; i < n && v[i] >= '0' && v[i] <= '9'; i++) {
            ms += (v[i] - '0') * scale;
            scale /= 10;
            digits = true;
        }
    }
    if (!digits)
        return -1;
    if (secs >= MAX_DELAY_S)
        return MAX_DELAY_S * 1000;
    return secs * 1000 + ms;
}

static void add_sitemap(precis_robots *r, const char *v, size_t n)
{
    size_t end = 0;
    while (end < n && (unsigned char)v[end] > 0x20 && v[end] != 0x7F)
        end++;
    if (end < n && !is_ws(v[end]))
        return; /* a control character inside */
    n = end;
    size_t scheme = (n > 7 && ieq(v, 7, "http://")) ? 7 : (n > 8 && ieq(v, 8, "https://")) ? 8 : 0;
    if (scheme == 0 || r->nsitemaps >= MAX_SITEMAPS)
        return;
    for (size_t i = 0; i < r->nsitemaps; i++)
        if (strlen(r->sitemaps[i]) == n && memcmp(r->sitemaps[i], v, n) == 0)
            return;
    if (r->nsitemaps == r->sitemap_cap) {
        r->sitemap_cap = r->sitemap_cap ? r->sitemap_cap * 2 : 4;
        r->sitemaps = precis_xrealloc(r->sitemaps, r->sitemap_cap * sizeof *r->sitemaps);
    }
    r->sitemaps[r->nsitemaps++] = precis_xstrndup(v, n);
}

static void on_user_agent(parse_state *st, const char *v, size_t n)
{
    if (!st->in_agents) {
        st->cur_mine = st->cur_star = false;
        st->in_agents = true;
        st->have_group = true;
    }
    if (n > 0 && v[0] == '*' && (n == 1 || !is_token_char(v[1]))) {
        st->cur_star = true;
        return;
    }
    size_t t = token_len(v, n);
    if (t > 0 && t == st->agent_len) {
        for (size_t i = 0; i < t; i++)
            if (lower(v[i]) != lower(st->agent[i]))
                return;
        st->cur_mine = st->seen_mine = true;
    }
}

static void on_rule(parse_state *st, const char *v, size_t n, bool allow)
{
    st->in_agents = false;
    if (!st->have_group || n == 0 || (!st->cur_mine && !st->cur_star))
        return;
    robots_rule rule;
    rule_build(&rule, v, n, allow);
    if (st->cur_mine)
        rule_set_add(&st->mine, &rule);
    if (st->cur_star)
        rule_set_add(&st->star, &rule);
    free(rule.pat);
}

static void on_delay(parse_state *st, const char *v, size_t n)
{
    st->in_agents = false;
    long ms = parse_delay(v, n);
    if (!st->have_group || ms < 0)
        return;
    if (st->cur_mine && st->mine.delay_ms < 0)
        st->mine.delay_ms = ms;
    if (st->cur_star && st->star.delay_ms < 0)
        st->star.delay_ms = ms;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_ws(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_ws((*s)[*n - 1]))
        (*n)--;
}

/* Interprets one line (without its terminator). */
static void handle_line(parse_state *st, const char *line, size_t n)
{
    const char *hash = memchr(line, '#', n);
    if (hash)
        n = (size_t)(hash - line);
    trim(&line, &n);
    if (n == 0)
        return;
    const char *key = line, *val;
    size_t klen, vlen;
    const char *colon = memchr(line, ':', n);
    if (colon) {
        klen = (size_t)(colon - line);
        val = colon + 1;
        vlen = n - klen - 1;
    } else {
        /* Tolerated: "Disallow /x", a key and one value separated by whitespace. */
        klen = 0;
        while (klen < n && !is_ws(line[klen]))
            klen++;
        val = line + klen;
        vlen = n - klen;
        trim(&val, &vlen);
        for (size_t i = 0; i < vlen; i++)
            if (is_ws(val[i]))
                return;
        if (vlen == 0)
            return;
    }
    trim(&key, &klen);
    trim(&val, &vlen);
    if (key_is(key, klen, key_agent))
        on_user_agent(st, val, vlen);
    else if (key_is(key, klen, key_allow))
        on_rule(st, val, vlen, true);
    else if (key_is(key, klen, key_disallow))
        on_rule(st, val, vlen, false);
    else if (key_is(key, klen, key_delay))
        on_delay(st, val, vlen);
    else if (key_is(key, klen, key_sitemap))
        add_sitemap(st->r, val, vlen);
}

precis_robots *precis_robots_parse(const char *text, size_t len, const char *agent)
{
    precis_robots *r = robots_new();
    parse_state st;
    memset(&st, 0, sizeof st);
    st.r = r;
    st.agent = agent ? agent : "";
    st.agent_len = token_len(st.agent, strlen(st.agent));
    rule_set_init(&st.mine);
    rule_set_init(&st.star);
    if (!text)
        len = 0;
    if (len > PRECIS_ROBOTS_MAX_BYTES)
        len = PRECIS_ROBOTS_MAX_BYTES;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n' && text[j] != '\r')
            j++;
        handle_line(&st, text + i, j - i);
        i = j + 1; /* a CRLF leaves an empty line, which means nothing */
    }
    if (st.seen_mine) {
        r->rules = st.mine;
        rule_set_release(&st.star);
    } else {
        r->rules = st.star;
        rule_set_release(&st.mine);
    }
    return r;
}

precis_robots *precis_robots_allow_all(void)
{
    return robots_new();
}

precis_robots *precis_robots_disallow_all(void)
{
    precis_robots *r = robots_new();
    r->disallow_all = true;
    return r;
}

/* Returns the offset of the first occurrence of needle in hay at or after from, or
 * (size_t)-1. */
static size_t find(const char *hay, size_t n, size_t from, const char *needle, size_t m)
{
    if (m == 0)
        return from <= n ? from : (size_t)-1;
    while (from < n && n - from >= m) {
        const char *p = memchr(hay + from, needle[0], n - from - m + 1);
        if (!p)
            break;
        size_t at = (size_t)(p - hay);
        if (memcmp(p, needle, m) == 0)
            return at;
        from = at + 1;
    }
    return (size_t)-1;
}

/* Does rule match path (normalised, n bytes)? Pieces between '*' are placed leftmost in
 * turn; with an anchor the last piece must end the path. */
static bool rule_matches(const robots_rule *rule, const char *path, size_t n)
{
    const char *pat = rule->pat;
    size_t m = rule->plen;
    const char *star = memchr(pat, '*', m);
    size_t first = star ? (size_t)(star - pat) : m;
    if (n < first || memcmp(path, pat, first) != 0)
        return false;
    if (!star)
        return !rule->anchored || n == m;
    size_t pos = first;
    size_t i = first + 1; /* start of the next piece in pat */
    for (;;) {
        const char *next = memchr(pat + i, '*', m - i);
        size_t plen = next ? (size_t)(next - (pat + i)) : m - i;
        if (!next) {
            if (!rule->anchored)
                return find(path, n, pos, pat + i, plen) != (size_t)-1;
            return n - pos >= plen && memcmp(path + n - plen, pat + i, plen) == 0;
        }
        size_t at = find(path, n, pos, pat + i, plen);
        if (at == (size_t)-1)
            return false;
        pos = at + plen;
        i += plen + 1;
    }
}

bool precis_robots_allowed(const precis_robots *r, const char *path)
{
    if (!r)
        return true;
    if (!path || path[0] == '\0')
        path = "/";
    precis_buf norm;
    precis_buf_init(&norm, 0);
    if (path[0] != '/')
        precis_buf_putc(&norm, '/');
    precis_url_percent_normalize(&norm, path, strlen(path));
    size_t plen = strcspn(norm.ptr, "?");
    bool allowed = true;
    if (plen == strlen("/robots.txt") && memcmp(norm.ptr, "/robots.txt", plen) == 0)
        goto out;
    if (r->disallow_all) {
        allowed = false;
        goto out;
    }
    bool found = false;
    size_t best = 0;
    for (size_t i = 0; i < r->rules.n; i++) {
        const robots_rule *rule = &r->rules.v[i];
        if (found && (rule->priority < best ||
                      (rule->priority == best && (allowed || !rule->allow))))
            continue; /* cannot change the outcome */
        if (!rule_matches(rule, norm.ptr, norm.len))
            continue;
        found = true;
        best = rule->priority;
        allowed = rule->allow;
    }
out:
    precis_buf_release(&norm);
    return allowed;
}

size_t precis_robots_sitemap_count(const precis_robots *r)
{
    return r ? r->nsitemaps : 0;
}

const char *precis_robots_sitemap(const precis_robots *r, size_t i)
{
    return r && i < r->nsitemaps ? r->sitemaps[i] : NULL;
}

long precis_robots_crawl_delay_ms(const precis_robots *r)
{
    return r ? r->rules.delay_ms : -1;
}

void precis_robots_free(precis_robots *r)
{
    if (!r)
        return;
    rule_set_release(&r->rules);
    for (size_t i = 0; i < r->nsitemaps; i++)
        free(r->sitemaps[i]);
    free(r->sitemaps);
    free(r);
}
