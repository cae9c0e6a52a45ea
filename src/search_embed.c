/* Index time for hybrid search: embedding the sections that have no vector yet. */
#include "precis/search.h"

#include <stdlib.h>

#include "precis/embed.h"

#define EMBED_ROUND 256 /* sections read, embedded and stored at a time */
#define EMBED_PARALLEL 2

precis_result precis_search_embed_site(precis_index *idx, const precis_llm_request *req,
                                       long long site_id, const volatile sig_atomic_t *cancel,
                                       void (*progress)(void *ctx, long done, long total),
                                       void *ctx, long *embedded, precis_error *err)
{
    *embedded = 0;
    long total = 0, have = 0;
    precis_site *sites = NULL;
    size_t ns = 0;
    precis_result r = precis_index_sites(idx, &sites, &ns, err);
    for (size_t i = 0; r == PRECIS_OK && i < ns; i++)
        if (sites[i].id == site_id)
            total = sites[i].sections;
    precis_sites_free(sites, ns);
    if (r == PRECIS_OK)
        r = precis_index_vectors_count(idx, site_id, req->model, &have, err);
    total -= have;
    while (r == PRECIS_OK) {
        if (cancel && *cancel)
            return precis_error_set(err, PRECIS_ERR_CANCELLED, "embeddings: interrupted");
        long long *ids = NULL;
        char **texts = NULL;
        size_t n = 0;
        r = precis_index_unembedded(idx, site_id, req->model, EMBED_ROUND, &ids, &texts, &n,
                                    err);
        if (r != PRECIS_OK || n == 0) {
            precis_index_texts_free(ids, texts, n);
            break;
        }
        float *vecs = NULL;
        size_t dim = 0;
        r = precis_embed(req, (const char *const *)texts, n, EMBED_PARALLEL, cancel, &vecs, &dim,
                         err);
        if (r == PRECIS_OK)
            r = precis_index_vectors_put(idx, site_id, req->model, ids, vecs, n, dim, err);
        if (r == PRECIS_OK) {
            *embedded += (long)n;
            if (progress)
                progress(ctx, *embedded, total > *embedded ? total : *embedded);
        }
        free(vecs);
        precis_index_texts_free(ids, texts, n);
    }
    return r;
}
