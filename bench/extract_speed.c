/* In-process extraction benchmark: loads every page into memory first, then
 * times, per page, the median of N runs of (a) extraction + plain-text render +
 * free and (b) gumbo's parse + destroy alone, the floor any gumbo-based
 * extractor pays. Prints one line per page with -v and a summary that
 * bench/extract-bench.sh reads ("extract ..." / "parse ..." / "overhead ..."). */
#include <errno.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precis/buf.h"
#include "precis/extract.h"
#include "precis/render.h"

typedef struct page {
    const char *path;
    char *html;
    size_t len;
    double extract_ms; /* median of the repetitions */
    double parse_ms;
    int result; /* precis_result of the first extraction */
} page;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place and returns its median. */
static double median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Reads the whole file into p; returns false (with a message) on failure. */
static bool load_page(const char *path, page *p)
{
    FILE *f = fopen(path, "rb");
    precis_buf b;
    char chunk[65536];
    size_t n;
    bool ok = false;

    precis_buf_init(&b, 0);
    if (!f) {
        fprintf(stderr, "extract_speed: %s: %s\n", path, strerror(errno));
        return false;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        precis_buf_append(&b, chunk, n);
    if (ferror(f)) {
        fprintf(stderr, "extract_speed: %s: read error\n", path);
        goto out;
    }
    p->path = path;
    p->len = b.len;
    p->html = precis_buf_detach(&b);
    ok = true;
out:
    fclose(f);
    precis_buf_release(&b);
    return ok;
}

/* One extraction as the tool does it for --format text; returns the result. */
static int extract_once(const page *p, precis_buf *out)
{
    precis_extract_opts opts;
    precis_doc *doc = NULL;
    precis_error err;
    precis_result r;

    precis_extract_opts_init(&opts);
    r = precis_extract_html(p->html, p->len, NULL, &opts, &doc, &err);
    if (r == PRECIS_OK)
        precis_render_text(doc, out);
    precis_doc_free(doc);
    precis_buf_reset(out);
    return (int)r;
}

/* Parses with the options extraction uses (no error records), so the floor is
 * the very parse that extraction pays for. */
static void parse_once(const page *p)
{
    GumboOptions opts = kGumboDefaultOptions;
    opts.max_errors = 0;
    GumboOutput *g = gumbo_parse_with_options(&opts, p->html, p->len);
    gumbo_destroy_output(&opts, g);
}

static void usage(void)
{
    fputs("usage: extract_speed [-n REPS] [-v] FILE...\n"
          "  times extraction+text render and gumbo parse-only per page (median of\n"
          "  REPS runs, default 5) and prints totals, means and medians in ms\n",
          stderr);
}

static void summary(const char *label, const double *per_page, size_t n, double *total_out)
{
    double *v = precis_xmalloc((n ? n : 1) * sizeof *v);
    double total = 0.0;

    for (size_t i = 0; i < n; i++) {
        v[i] = per_page[i];
        total += per_page[i];
    }
    printf("%s pages=%zu total_ms=%.3f mean_ms=%.3f median_ms=%.3f\n", label, n, total,
           n ? total / (double)n : 0.0, median(v, n));
    *total_out = total;
    free(v);
}

int main(int argc, char **argv)
{
    long reps = 5;
    bool verbose = false;
    int first = 1;
    size_t npages = 0, bytes = 0, no_content = 0;
    page *pages;
    double *times, *ext, *par, ext_total, par_total;
    precis_buf out;

    while (first < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "-n") == 0 && first + 1 < argc) {
            char *end;
            reps = strtol(argv[first + 1], &end, 10);
            if (*end || reps < 1 || reps > 1000) {
                usage();
                return 1;
            }
            first += 2;
        } else if (strcmp(argv[first], "-v") == 0) {
            verbose = true;
            first++;
        } else {
            usage();
            return 1;
        }
    }
    if (first >= argc) {
        usage();
        return 1;
    }

    pages = precis_xcalloc((size_t)(argc - first), sizeof *pages);
    for (int i = first; i < argc; i++) {
        if (load_page(argv[i], &pages[npages])) {
            bytes += pages[npages].len;
            npages++;
        }
    }
    if (npages == 0)
        return 1;

    precis_buf_init(&out, 0);
    times = precis_xmalloc((size_t)reps * sizeof *times);
    ext = precis_xmalloc(npages * sizeof *ext);
    par = precis_xmalloc(npages * sizeof *par);
    for (size_t i = 0; i < npages; i++) {
        page *p = &pages[i];

        /* One untimed warm-up run so the first page does not pay for page faults. */
        p->result = extract_once(p, &out);
        if (p->result != PRECIS_OK)
            no_content++;
        for (long r = 0; r < reps; r++) {
            double t0 = now_ms();
            extract_once(p, &out);
            times[r] = now_ms() - t0;
        }
        p->extract_ms = median(times, (size_t)reps);
        parse_once(p);
        for (long r = 0; r < reps; r++) {
            double t0 = now_ms();
            parse_once(p);
            times[r] = now_ms() - t0;
        }
        p->parse_ms = median(times, (size_t)reps);
        ext[i] = p->extract_ms;
        par[i] = p->parse_ms;
        if (verbose)
            printf("page %s bytes=%zu extract_ms=%.3f parse_ms=%.3f result=%d\n", p->path,
                   p->len, p->extract_ms, p->parse_ms, p->result);
    }

    printf("input pages=%zu bytes=%zu reps=%ld not_extracted=%zu\n", npages, bytes, reps,
           no_content);
    summary("extract", ext, npages, &ext_total);
    summary("parse", par, npages, &par_total);
    /* Extraction includes its own parse: the overhead is what it adds on top. */
    printf("overhead pct=%.1f\n",
           par_total > 0 ? (ext_total - par_total) / par_total * 100.0 : 0.0);

    for (size_t i = 0; i < npages; i++)
        free(pages[i].html);
    free(pages);
    free(times);
    free(ext);
    free(par);
    precis_buf_release(&out);
    return 0;
}
