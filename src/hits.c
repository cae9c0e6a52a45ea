/* Search hits as text and JSON. */
#include "precis/hits.h"

#include <math.h>

void precis_hit_link(const precis_hit *h, precis_buf *out)
{
    precis_buf_puts(out, h->page);
    if (h->anchor && *h->anchor) {
        precis_buf_putc(out, '#');
        precis_buf_puts(out, h->anchor);
    }
}

void precis_hit_path(const precis_hit *h, const char *sep, precis_buf *out)
{
    if (h->npath == 0) {
        precis_buf_puts(out, h->title && *h->title ? h->title : h->page);
        return;
    }
    for (size_t i = 0; i < h->npath; i++) {
        if (i)
            precis_buf_puts(out, sep);
        precis_buf_puts(out, h->path[i]);
    }
}

void precis_hit_snippet(const precis_hit *h, const char *open, const char *close,
                        precis_buf *out)
{
    bool space = false;
    for (const char *p = h->snippet ? h->snippet : ""; *p; p++) {
        if (*p == '\x01') {
            if (space && out->len)
                precis_buf_putc(out, ' ');
            precis_buf_puts(out, open);
        } else if (*p == '\x02') {
            precis_buf_puts(out, close);
        } else if (*p == '\n' || *p == '\t' || *p == ' ') {
            space = true;
            continue;
        } else {
            if (space && out->len)
                precis_buf_putc(out, ' ');
            precis_buf_putc(out, *p);
        }
        space = false;
    }
}

/* The score to 4 significant digits: bm25 scores (14.22) and fused ones (0.01639,
 * sums of 1 / (60 + rank)) both keep their order. */
static double score_digits(double s)
{
    if (s == 0 || !isfinite(s))
        return 0;
    double scale = pow(10.0, 3.0 - floor(log10(fabs(s))));
    return round(s * scale) / scale;
}

cJSON *precis_hit_json(const precis_hit *h)
{
    cJSON *o = cJSON_CreateObject();
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_hit_link(h, &b);
    cJSON_AddStringToObject(o, "url", b.ptr);
    cJSON_AddStringToObject(o, "page", h->page);
    cJSON_AddStringToObject(o, "anchor", h->anchor ? h->anchor : "");
    cJSON_AddStringToObject(o, "title", h->title ? h->title : "");
    cJSON *path = cJSON_AddArrayToObject(o, "path");
    for (size_t i = 0; i < h->npath; i++)
        cJSON_AddItemToArray(path, cJSON_CreateString(h->path[i]));
    cJSON_AddNumberToObject(o, "score", score_digits(h->score));
    precis_buf_reset(&b);
    precis_hit_snippet(h, "**", "**", &b);
    cJSON_AddStringToObject(o, "snippet", b.ptr ? b.ptr : "");
    if (h->site)
        cJSON_AddStringToObject(o, "site", h->site);
    precis_buf_release(&b);
    return o;
}

cJSON *precis_hits_json(const char *query, const precis_hit *hits, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "query", query ? query : "");
    cJSON *a = cJSON_AddArrayToObject(o, "results");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, precis_hit_json(&hits[i]));
    return o;
}
