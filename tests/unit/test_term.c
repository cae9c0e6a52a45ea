/* The terminal sink: Markdown rendering, raw passthrough, split invariance and
 * neutralising of escape and control sequences in every mode. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "precis/term.h"
#include "precis/unicode.h"

#define R "\x1b[0m"
#define B "\x1b[0;1m"
#define I "\x1b[0;3m"
#define BI "\x1b[0;1;3m"
#define H1 "\x1b[0;1;4;35m"
#define H2 "\x1b[0;1;35m"
#define CODE "\x1b[0;33m"
#define BLOCK "\x1b[0;32m"
#define DIM "\x1b[0;2m"
#define MARK "\x1b[0;1;33m"
#define UL "\x1b[0;4m"
#define BUL "\x1b[0;1;4m"
#define RULE "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80" \
             "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80" \
             "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80" \
             "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80"
#define SYM_ESC "\xE2\x90\x9B"
#define SYM_BEL "\xE2\x90\x87"
#define SYM_BS "\xE2\x90\x88"
#define SYM_DEL "\xE2\x90\xA1"
#define FFFD "\xEF\xBF\xBD"

enum kind { K_RENDER, K_RAW, K_REASON, K_REASON_DIM };

/* Feeds in[0..n) cut at the given offsets (ascending), finishes, returns the
 * output (caller frees). */
static char *run_cuts(enum kind k, const char *in, size_t n, const size_t *cuts, size_t ncuts,
                      size_t *outlen)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    precis_term *t;
    if (k == K_RENDER || k == K_RAW)
        t = precis_term_new(f, k == K_RENDER ? PRECIS_COLOR_ALWAYS : PRECIS_COLOR_NEVER);
    else
        t = precis_term_new_reasoning(f, k == K_REASON_DIM ? PRECIS_COLOR_ALWAYS
                                                            : PRECIS_COLOR_NEVER);
    size_t at = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : n;
        CHECK(precis_term_write(t, in + at, end - at) == 0);
        at = end;
    }
    CHECK(precis_term_finish(t) == 0);
    precis_term_free(t);
    fclose(f);
    if (outlen)
        *outlen = len;
    return mem;
}

static char *run(enum kind k, const char *in)
{
    return run_cuts(k, in, strlen(in), NULL, 0, NULL);
}

/* Feeds one byte at a time. */
static char *run_bytes(enum kind k, const char *in, size_t n)
{
    size_t *cuts = malloc((n + 1) * sizeof *cuts);
    for (size_t i = 0; i < n; i++)
        cuts[i] = i;
    char *out = run_cuts(k, in, n, cuts, n ? n - 1 : 0, NULL);
    free(cuts);
    return out;
}

/* The output of in is want whole, byte by byte and at every 2-way split. */
static void expect(enum kind k, const char *in, const char *want)
{
    size_t n = strlen(in);
    char *whole = run(k, in);
    CHECK_STR(whole, want);
    free(whole);
    char *bytes = run_bytes(k, in, n);
    CHECK_STR(bytes, want);
    free(bytes);
    for (size_t cut = 0; cut <= n; cut++) {
        char *split = run_cuts(k, in, n, &cut, 1, NULL);
        if (strcmp(split, want) != 0) {
            fprintf(stderr, "split at %zu of \"%s\" differs\n", cut, in);
            CHECK_STR(split, want);
        }
        free(split);
    }
}

/* Renders with colour and, in raw mode, passes through unchanged (plus a final
 * newline when missing). */
static void expect_md(const char *in, const char *want)
{
    expect(K_RENDER, in, want);
    size_t n = strlen(in);
    char *raw = precis_xmalloc(n + 2);
    memcpy(raw, in, n + 1);
    if (n && in[n - 1] != '\n') {
        raw[n] = '\n';
        raw[n + 1] = 0;
    }
    expect(K_RAW, in, raw);
    free(raw);
}

static void test_rendering(void)
{
    expect_md("# Title\n", H1 "Title" R "\n");
    expect_md("## Sub\ntext\n", H2 "Sub" R "\ntext\n");
    expect_md("### T *x*\n", H2 "T " "\x1b[0;1;3;35m" "x" R "\n");
    expect_md("#hashtag\n", "#hashtag\n");
    expect_md("####### seven\n", "####### seven\n");
    expect_md("a **b** c\n", "a " B "b" R " c\n");
    expect_md("*em* and _em_\n", I "em" R " and " I "em" R "\n");
    expect_md("**bold *both* bold**\n", B "bold " BI "both" B " bold" R "\n");
    expect_md("***all***\n", BI "all" R "\n");
    expect_md("__strong__ x\n", B "strong" R " x\n");
    expect_md("snake_case_name\n", "snake_case_name\n");
    expect_md("5 * 3 * 2\n", "5 * 3 * 2\n");
    expect_md("\\*not em\\*\n", "*not em*\n");
    expect_md("use `x*y` now\n", "use " CODE "x*y" R " now\n");
    expect_md("``a`b`` c\n", CODE "a`b" R " c\n");
    expect_md("```c\nint *p;\n  # x\n```\nafter\n",
              DIM "```c" R "\n" BLOCK "int *p;" R "\n" BLOCK "  # x" R "\n" DIM "```" R
              "\nafter\n");
    expect_md("~~~\n# no\n``` \n~~~\n",
              DIM "~~~" R "\n" BLOCK "# no" R "\n" BLOCK "``` " R "\n" DIM "~~~" R "\n");
    expect_md("- one\n* two\n+ three\n",
              MARK "\xE2\x80\xA2" R " one\n" MARK "\xE2\x80\xA2" R " two\n" MARK
              "\xE2\x80\xA2" R " three\n");
    expect_md("  - nested\n", "  " MARK "\xE2\x80\xA2" R " nested\n");
    expect_md("1. first\n10) tenth\n2024 was\n",
              MARK "1." R " first\n" MARK "10)" R " tenth\n2024 was\n");
    expect_md("> quoted\n>> deep\n", DIM "\xE2\x94\x82" R " quoted\n" DIM "\xE2\x94\x82\xE2\x94\x82" R
              " deep\n");
    expect_md("---\n***\n_ _ _\n", DIM RULE R "\n" DIM RULE R "\n" DIM RULE R "\n");
    expect_md("--\n", "--\n");
    expect_md("see [docs](http://x/a_(b)) ok\n",
              "see " UL "docs" DIM " (http://x/a_(b))" R " ok\n");
    expect_md("[**b**](u)\n", BUL "b" DIM " (u)" R "\n");
    expect_md("[not a link] and [x]\n", "[not a link] and [x]\n");
    expect_md("- [ ] task\n", MARK "\xE2\x80\xA2" R " [ ] task\n");
    expect_md("[a\\]b](u)\n", UL "a]b" DIM " (u)" R "\n");
    expect_md("[open\nnext\n", "[open\nnext\n");
    /* Unfinished spans close at the end of the line or stream. */
    expect_md("a **b\nc\n", "a " B "b" R "\nc\n");
    expect_md("a **b", "a " B "b" R "\n");
    expect_md("# T", H1 "T" R "\n");
    expect_md("```\ncode", DIM "```" R "\n" BLOCK "code" R "\n");
    expect_md("**", "**\n");
    expect_md("", "");
    expect_md("\n", "\n");
    expect_md("caf\xC3\xA9 *\xE6\x97\xA5*\n", "caf\xC3\xA9 " I "\xE6\x97\xA5" R "\n");
}

/* True if out is valid UTF-8 with no escape other than an SGR colour sequence,
 * no control other than \n and \t, and no C1 control (so no raw 0x9B either). */
static int is_safe(const char *out, size_t n)
{
    const unsigned char *u = (const unsigned char *)out;
    size_t i = 0;
    while (i < n) {
        if (u[i] == 0x1B) {
            if (i + 1 >= n || u[i + 1] != '[')
                return 0;
            size_t j = i + 2;
            while (j < n && ((u[j] >= '0' && u[j] <= '9') || u[j] == ';'))
                j++;
            if (j >= n || u[j] != 'm')
                return 0;
            i = j + 1;
            continue;
        }
        size_t len;
        uint32_t c = precis_uc_decode(out, n, i, &len);
        if (c == 0xFFFD && len == 1)
            return 0; /* invalid UTF-8 */
        if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F))
            return 0;
        i += len;
    }
    return 1;
}

/* in (n bytes) comes out as want in raw mode and safe in every mode, at every split. */
static void expect_neutral(const char *in, size_t n, const char *want)
{
    enum kind kinds[] = {K_RENDER, K_RAW, K_REASON, K_REASON_DIM};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (size_t cut = 0; cut <= n; cut++) {
            size_t len;
            char *out = run_cuts(kinds[k], in, n, &cut, 1, &len);
            CHECK(is_safe(out, len));
            if (kinds[k] == K_RAW || kinds[k] == K_REASON)
                CHECK_STR(out, want);
            free(out);
        }
        char *bytes = run_bytes(kinds[k], in, n);
        CHECK(is_safe(bytes, strlen(bytes)));
        if (kinds[k] == K_RAW)
            CHECK_STR(bytes, want);
        free(bytes);
    }
}

#define NEUTRAL(lit, want) expect_neutral(lit, sizeof lit - 1, want)

static void test_neutralising(void)
{
    NEUTRAL("a\x1b[2Jb", "a" SYM_ESC "[2Jb\n");
    NEUTRAL("x\x1b]52;c;SGVsbG8=\x07y", "x" SYM_ESC "]52;c;SGVsbG8=" SYM_BEL "y\n");
    NEUTRAL("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
            SYM_ESC "]8;;http://evil" SYM_ESC "\\link" SYM_ESC "]8;;" SYM_ESC "\\\n");
    NEUTRAL("c1 \xC2\x9B" "31m", "c1 " FFFD "31m\n");
    NEUTRAL("c1 \xC2\x85 next", "c1 " FFFD " next\n");
    NEUTRAL("raw \x9B" "2J", "raw " FFFD "2J\n");
    NEUTRAL("secret\rpublic\n", "secret\npublic\n");
    NEUTRAL("dos\r\nline\r\n", "dos\nline\n");
    NEUTRAL("cr\r\r\nx", "cr\n\nx\n");
    NEUTRAL("bell\x07 bs\x08 del\x7F", "bell" SYM_BEL " bs" SYM_BS " del" SYM_DEL "\n");
    NEUTRAL("nul\0x", "nul\xE2\x90\x80x\n");
    NEUTRAL("tab\there\n", "tab\there\n");
    NEUTRAL("**\x1b[31mred**\n", "**" SYM_ESC "[31mred**\n");
    NEUTRAL("```\n\x1b[2J\n```\n", "```\n" SYM_ESC "[2J\n```\n");
    /* A stray CSI in colour mode does not start a link hold that swallows it. */
    char *r = run(K_RENDER, "x\x1b[2Jy\n");
    CHECK_STR(r, "x" SYM_ESC "[2Jy\n");
    free(r);
}

static void test_utf8(void)
{
    const char *text = "h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \xE2\x80\xA2\n";
    expect(K_RAW, text, text);
    expect(K_REASON, text, text);
    NEUTRAL("\xFF", FFFD "\n");
    NEUTRAL("\xC3(", FFFD "(\n");
    NEUTRAL("\xC0\xAF", FFFD FFFD "\n");
    NEUTRAL("\xED\xA0\x80", FFFD FFFD FFFD "\n");
    NEUTRAL("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD "\n");
    NEUTRAL("\xE6\x97x", FFFD "x\n");
    NEUTRAL("ab\xE6\x97", "ab" FFFD "\n");
    NEUTRAL("\xF0\x9F\x98", FFFD "\n");
    /* Every 3-way split of a 4-byte character survives. */
    const char *emoji = "\xF0\x9F\x98\x80";
    for (size_t a = 0; a <= 4; a++) {
        for (size_t b = a; b <= 4; b++) {
            size_t cuts[2] = {a, b};
            char *out = run_cuts(K_RAW, emoji, 4, cuts, 2, NULL);
            CHECK_STR(out, "\xF0\x9F\x98\x80\n");
            free(out);
        }
    }
}

/* Raw mode writes each delta at once; rendering holds only undecided bytes. */
static void test_latency(void)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    precis_term *raw = precis_term_new(f, PRECIS_COLOR_NEVER);
    CHECK(!precis_term_is_rendering(raw));
    CHECK(precis_term_write(raw, "# partial **line", 16) == 0);
    CHECK(len == 16 && memcmp(mem, "# partial **line", 16) == 0);
    precis_term_free(raw);
    fclose(f);
    free(mem);

    mem = NULL;
    f = open_memstream(&mem, &len);
    precis_term *t = precis_term_new(f, PRECIS_COLOR_ALWAYS);
    CHECK(precis_term_is_rendering(t));
    precis_term_write(t, "plain a **", 10);
    CHECK_STR(mem, "plain a ");
    precis_term_write(t, "b", 1);
    CHECK_STR(mem, "plain a " B "b");
    precis_term_write(t, "\n#", 2);
    CHECK_STR(mem, "plain a " B "b" R "\n");
    precis_term_write(t, "# H", 3);
    CHECK_STR(mem, "plain a " B "b" R "\n" H2 "H");
    CHECK(precis_term_finish(t) == 0);
    CHECK_STR(mem, "plain a " B "b" R "\n" H2 "H" R "\n");
    CHECK(precis_term_write(t, "x", 1) != 0); /* finished */
    precis_term_free(t);
    fclose(f);
    free(mem);
}

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* Random Markdown-ish input: the output is the same at random splits and safe. */
static void test_random_splits(void)
{
    static const char *atoms[] = {"*", "**", "_", "`", "```", "~~~", "[", "]", "(", ")",
                                  "#", "## ", "- ", "1. ", "> ", "\\", "\n", " ", "word",
                                  "\xC3\xA9", "\xE6\x97\xA5", "\x1b", "\r", "\xC2\x9B", "---",
                                  "http://x", "\xE6", "\x9B"};
    size_t natoms = sizeof atoms / sizeof atoms[0];
    int bad = 0;
    for (int iter = 0; iter < 1500 && !bad; iter++) {
        char in[256];
        size_t n = 0;
        unsigned parts = 1 + rnd(24);
        for (unsigned p = 0; p < parts; p++) {
            const char *a = atoms[rnd((unsigned)natoms)];
            size_t l = strlen(a);
            if (n + l >= sizeof in)
                break;
            memcpy(in + n, a, l);
            n += l;
        }
        for (int k = 0; k < 2 && !bad; k++) {
            enum kind kind = k ? K_RAW : K_RENDER;
            size_t wl, bl;
            char *whole = run_cuts(kind, in, n, NULL, 0, &wl);
            size_t cuts[4];
            size_t nc = n ? 1 + rnd(4) : 0;
            for (size_t c = 0; c < nc; c++)
                cuts[c] = rnd((unsigned)n + 1);
            for (size_t a = 1; a < nc; a++) /* sort */
                for (size_t b = a; b > 0 && cuts[b - 1] > cuts[b]; b--) {
                    size_t tmp = cuts[b];
                    cuts[b] = cuts[b - 1];
                    cuts[b - 1] = tmp;
                }
            char *split = run_cuts(kind, in, n, cuts, nc, &bl);
            char *bytes = run_bytes(kind, in, n);
            if (wl != bl || memcmp(whole, split, wl) != 0 || strcmp(whole, bytes) != 0 ||
                !is_safe(whole, wl)) {
                fprintf(stderr, "random case differs (kind %d): \"%.*s\"\n", k, (int)n, in);
                bad = 1;
            }
            free(whole);
            free(split);
            free(bytes);
        }
    }
    CHECK(!bad);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_throughput(void)
{
    static const char para[] =
        "## Section heading\n\nSome **bold** text, some *emphasis*, `inline code`, a "
        "[link](https://example.org/path) and caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.\n"
        "- a bullet item with snake_case_words\n1. a numbered item\n> a quote\n"
        "```c\nint main(void) { return 0; }\n```\n";
    precis_buf md;
    precis_buf_init(&md, 0);
    while (md.len < 1024 * 1024)
        precis_buf_puts(&md, para);
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen("/dev/null", "w");
        CHECK(f != NULL);
        if (!f)
            break;
        precis_term *t = precis_term_new(f, k ? PRECIS_COLOR_NEVER : PRECIS_COLOR_ALWAYS);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = 0;
        for (size_t at = 0; at < md.len; at += 16)
            rc |= precis_term_write(t, md.ptr + at, md.len - at < 16 ? md.len - at : 16);
        rc |= precis_term_finish(t);
        double s = seconds_since(&t0);
        printf("throughput: %zu bytes in 16-byte deltas, %s: %.3f s (%.1f MB/s, %.2f us "
               "per delta including its fflush)\n",
               md.len, k ? "raw" : "rendered", s, (double)md.len / s / 1e6,
               s * 1e6 / (double)((md.len + 15) / 16));
        CHECK(rc == 0);
        CHECK(s < 3.0);
        precis_term_free(t);
        fclose(f);
    }
    precis_buf_release(&md);
}

/* Inputs built to make a renderer hold or re-read bytes stay linear. */
static void test_hostile_runs(void)
{
    static const char *units[] = {"[", "[a", "*", "`", "#", "-", "```", "\\", "](", "\xE6"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        precis_buf in;
        precis_buf_init(&in, 0);
        while (in.len < 256 * 1024)
            precis_buf_puts(&in, units[u]);
        FILE *f = fopen("/dev/null", "w");
        CHECK(f != NULL);
        if (!f)
            break;
        precis_term *t = precis_term_new(f, PRECIS_COLOR_ALWAYS);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (size_t at = 0; at < in.len; at += 16)
            precis_term_write(t, in.ptr + at, in.len - at < 16 ? in.len - at : 16);
        precis_term_finish(t);
        double s = seconds_since(&t0);
        if (s >= 2.0)
            printf("hostile run of \"%s\": %.3f s\n", units[u], s);
        CHECK(s < 2.0);
        precis_term_free(t);
        fclose(f);
        precis_buf_release(&in);
    }
}

static void test_color_mode(void)
{
    precis_color_mode m = PRECIS_COLOR_NEVER;
    CHECK(precis_color_mode_parse("auto", &m) == PRECIS_OK && m == PRECIS_COLOR_AUTO);
    CHECK(precis_color_mode_parse("always", &m) == PRECIS_OK && m == PRECIS_COLOR_ALWAYS);
    CHECK(precis_color_mode_parse("never", &m) == PRECIS_OK && m == PRECIS_COLOR_NEVER);
    CHECK(precis_color_mode_parse("yes", &m) == PRECIS_ERR_USAGE && m == PRECIS_COLOR_NEVER);
    CHECK(precis_color_mode_parse("", &m) == PRECIS_ERR_USAGE);
    CHECK(precis_color_mode_parse(NULL, &m) == PRECIS_ERR_USAGE);

    CHECK(precis_color_decide(PRECIS_COLOR_AUTO, true, "xterm", NULL));
    CHECK(precis_color_decide(PRECIS_COLOR_AUTO, true, NULL, ""));
    CHECK(!precis_color_decide(PRECIS_COLOR_AUTO, true, "xterm", "1"));
    CHECK(!precis_color_decide(PRECIS_COLOR_AUTO, true, "dumb", NULL));
    CHECK(!precis_color_decide(PRECIS_COLOR_AUTO, false, "xterm", NULL));
    CHECK(precis_color_decide(PRECIS_COLOR_ALWAYS, false, "dumb", "1"));
    CHECK(!precis_color_decide(PRECIS_COLOR_NEVER, true, "xterm", NULL));

    /* auto on a non-terminal stream is raw even with colour allowed. */
    unsetenv("NO_COLOR");
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    precis_term *t = precis_term_new(f, PRECIS_COLOR_AUTO);
    CHECK(!precis_term_is_rendering(t));
    precis_term_write(t, "**b**", 5);
    precis_term_finish(t);
    precis_term_free(t);
    fclose(f);
    CHECK_STR(mem, "**b**\n");
    free(mem);
}

/* Reasoning text is dimmed per delta on a colour stream and plain otherwise. */
static void test_reasoning(void)
{
    char *out = run(K_REASON_DIM, "think **hard**\n");
    CHECK_STR(out, "\x1b[2m" "think **hard**\n" R);
    free(out);
    out = run(K_REASON, "think **hard**");
    CHECK_STR(out, "think **hard**\n");
    free(out);
}

/* A closed reader makes write return nonzero so the caller cancels. */
static void test_epipe(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0);
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    close(fds[0]);
    FILE *f = fdopen(fds[1], "w");
    precis_term *t = precis_term_new(f, PRECIS_COLOR_NEVER);
    CHECK(precis_term_write(t, "hello", 5) != 0);
    CHECK(precis_term_write(t, "again", 5) != 0);
    CHECK(precis_term_finish(t) != 0);
    precis_term_free(t);
    fclose(f);
    sigaction(SIGPIPE, &old, NULL);
}

/* The status line draws nothing on a stream that is not a terminal. */
static void test_status_not_tty(void)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    precis_status *st = precis_status_new(f);
    CHECK(!precis_status_is_enabled(st));
    precis_status_set(st, "fetching https://example.org/");
    precis_status_tick(st);
    precis_status_clear(st);
    precis_status_set(st, "waiting for model");
    precis_status_free(st);
    fflush(f);
    CHECK(len == 0);
    fclose(f);
    free(mem);

    /* Nor does a sink with a status attached when stderr is a file. */
    FILE *err = tmpfile();
    st = precis_status_new(err);
    mem = NULL;
    f = open_memstream(&mem, &len);
    precis_term *t = precis_term_new(f, PRECIS_COLOR_NEVER);
    precis_term_set_status(t, st);
    precis_status_set(st, "waiting");
    precis_term_write(t, "answer", 6);
    precis_term_finish(t);
    precis_term_free(t);
    precis_status_free(st);
    CHECK(ftell(err) == 0);
    fclose(err);
    fclose(f);
    CHECK_STR(mem, "answer\n");
    free(mem);
}

int main(void)
{
    test_rendering();
    test_neutralising();
    test_utf8();
    test_latency();
    test_random_splits();
    test_color_mode();
    test_reasoning();
    test_epipe();
    test_status_not_tty();
    test_throughput();
    test_hostile_runs();
    return CHECK_DONE();
}
