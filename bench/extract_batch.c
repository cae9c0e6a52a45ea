/* Batch extractor for score-extract.py --batch: extract_batch LIST OUTDIR.
 * LIST has lines id<TAB>path<TAB>url; writes OUTDIR/<id>.txt (plain text, empty on
 * failure) and OUTDIR/times.tsv (id<TAB>milliseconds spent in extraction). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precis/buf.h"
#include "precis/charset.h"
#include "precis/extract.h"
#include "precis/render.h"

static bool read_file(const char *path, precis_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        precis_buf_append(out, chunk, n);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Extracts one page into text (empty on failure); returns the milliseconds spent. */
static double extract_one(const char *path, const char *url, precis_buf *text)
{
    precis_buf raw, html;
    precis_buf_init(&raw, 0);
    precis_buf_init(&html, 0);
    double ms = 0;
    if (read_file(path, &raw)) {
        double t0 = now_ms();
        if (precis_to_utf8(raw.ptr, raw.len, NULL, true, &html, NULL) != PRECIS_OK) {
            precis_buf_reset(&html);
            precis_buf_append(&html, raw.ptr, raw.len);
        }
        precis_extract_opts opts;
        precis_extract_opts_init(&opts);
        precis_doc *doc = NULL;
        precis_error err;
        precis_error_clear(&err);
        if (precis_extract_html(html.ptr, html.len, url, &opts, &doc, &err) == PRECIS_OK) {
            precis_render_text(doc, text);
            precis_doc_free(doc);
        } else {
            fprintf(stderr, "extract_batch: %s: %s\n", path, err.msg);
        }
        ms = now_ms() - t0;
    } else {
        fprintf(stderr, "extract_batch: cannot read %s\n", path);
    }
    precis_buf_release(&raw);
    precis_buf_release(&html);
    return ms;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: extract_batch LIST OUTDIR\n");
        return 1;
    }
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        fprintf(stderr, "extract_batch: cannot open %s\n", argv[1]);
        return 1;
    }
    precis_buf times, path, text;
    precis_buf_init(&times, 0);
    precis_buf_init(&path, 0);
    precis_buf_init(&text, 0);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    while ((n = getline(&line, &cap, list)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *id = line;
        char *file = strchr(id, '\t');
        if (!file)
            continue;
        *file++ = '\0';
        char *url = strchr(file, '\t');
        if (url)
            *url++ = '\0';
        precis_buf_reset(&text);
        double ms = extract_one(file, url && *url ? url : NULL, &text);
        precis_buf_reset(&path);
        precis_buf_printf(&path, "%s/%s.txt", argv[2], id);
        if (!write_file(path.ptr, text.ptr, text.len)) {
            fprintf(stderr, "extract_batch: cannot write %s\n", path.ptr);
            status = 1;
        }
        precis_buf_printf(&times, "%s\t%.3f\n", id, ms);
    }
    free(line);
    fclose(list);
    precis_buf_reset(&path);
    precis_buf_printf(&path, "%s/times.tsv", argv[2]);
    if (!write_file(path.ptr, times.ptr, times.len))
        status = 1;
    precis_buf_release(&times);
    precis_buf_release(&path);
    precis_buf_release(&text);
    return status;
}
