/* Search latency inside one process: opens the index once and times each query of a
 * list (one a line on stdin) through precis_search (the configuration's hybrid
 * retrieval included: $PRECIS_CONFIG with embeddings_model measures it), k = 10, after
 * one untimed pass. Prints the mode, the count, sections in the index, p50, p95, p99
 * and max in ms.
 * Usage: search_latency [INDEX.db] < queries.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precis/config.h"
#include "precis/index.h"
#include "precis/loop.h"
#include "precis/search.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    precis_index *idx;
    precis_error err;
    precis_config *cfg = NULL;
    if (precis_config_load(NULL, &cfg, &err) != PRECIS_OK) {
        fprintf(stderr, "search_latency: %s\n", err.msg);
        return 1;
    }
    if (precis_index_open(argc > 1 ? argv[1] : NULL, false, &idx, &err) != PRECIS_OK) {
        fprintf(stderr, "search_latency: %s\n", err.msg);
        return 1;
    }
    size_t cap = 1024, n = 0;
    char **queries = malloc(cap * sizeof *queries);
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (n == cap)
            queries = realloc(queries, (cap *= 2) * sizeof *queries);
        queries[n++] = strdup(line);
    }
    if (n == 0) {
        fprintf(stderr, "search_latency: no queries on stdin\n");
        return 1;
    }
    double *ms = malloc(n * sizeof *ms);
    precis_searcher *searcher = precis_searcher_new(idx, cfg);
    size_t total_hits = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            precis_hit *hits;
            size_t nh;
            double t0 = precis_now();
            if (precis_searcher_search(searcher, queries[i], 0, 10, &hits, &nh, &err) !=
                PRECIS_OK) {
                fprintf(stderr, "search_latency: %s\n", err.msg);
                return 1;
            }
            ms[i] = (precis_now() - t0) * 1000.0;
            total_hits += pass ? nh : 0;
            precis_hits_free(hits, nh);
        }
    }
    precis_site *sites;
    size_t ns;
    long sections = 0;
    if (precis_index_sites(idx, &sites, &ns, &err) == PRECIS_OK) {
        for (size_t i = 0; i < ns; i++)
            sections += sites[i].sections;
        precis_sites_free(sites, ns);
    }
    qsort(ms, n, sizeof *ms, cmp_double);
    printf("in-process search (%s): %zu queries over %ld sections (%.1f hits each): p50 %.2f ms, "
           "p95 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           precis_searcher_mode(searcher), n, sections, (double)total_hits / (double)n, pct(ms, n, 50), pct(ms, n, 95),
           pct(ms, n, 99), ms[n - 1]);
    for (size_t i = 0; i < n; i++)
        free(queries[i]);
    free(queries);
    free(ms);
    precis_searcher_free(searcher);
    precis_index_close(idx);
    precis_config_free(cfg);
    return 0;
}
