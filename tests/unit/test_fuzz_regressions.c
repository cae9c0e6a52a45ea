/* Replays every input a fuzzer ever crashed on (tests/fuzz/regressions/<harness>/)
 * and every hand-written seed (tests/fuzz/corpus/<harness>/) through the same
 * entry points libFuzzer calls, so a fixed crash stays fixed on ordinary builds.
 * A harness aborts on a broken invariant, which fails this test. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Each harness defines LLVMFuzzerTestOneInput; give each its own name here. */
#define LLVMFuzzerTestOneInput precis_fuzz_extract_one
#include "../fuzz/fuzz_extract.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput precis_fuzz_charset_one
#include "../fuzz/fuzz_charset.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput precis_fuzz_sse_one
#include "../fuzz/fuzz_sse.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput precis_fuzz_rpc_one
#define run run_rpc
#define on_line on_line_rpc
#define check_reply check_reply_rpc
#include "../fuzz/fuzz_rpc.c"
#undef check_reply
#undef on_line
#undef run
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput precis_fuzz_query_one
#include "../fuzz/fuzz_query.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput precis_fuzz_robots_one
#include "../fuzz/fuzz_robots.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput precis_fuzz_sitemap_one
#include "../fuzz/fuzz_sitemap.c"
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_entry)(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    fuzz_entry entry;
} harnesses[] = {
    {"fuzz_extract", precis_fuzz_extract_one},
    {"fuzz_charset", precis_fuzz_charset_one},
    {"fuzz_sse", precis_fuzz_sse_one},
    {"fuzz_rpc", precis_fuzz_rpc_one},
    {"fuzz_query", precis_fuzz_query_one},
    {"fuzz_robots", precis_fuzz_robots_one},
    {"fuzz_sitemap", precis_fuzz_sitemap_one},
};

/* Reads path whole into b; false if it cannot be read. */
static bool read_file(const char *path, precis_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;
    bool ok;

    if (!f)
        return false;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        precis_buf_append(b, chunk, n);
    ok = !ferror(f);
    fclose(f);
    return ok;
}

/* Runs entry on every regular file of dir (a missing dir counts zero); returns
 * the number of inputs replayed, or -1 if a file could not be read. */
static long replay_dir(const char *dir, fuzz_entry entry)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    long count = 0;
    precis_buf path, data;

    if (!d)
        return errno == ENOENT ? 0 : -1;
    precis_buf_init(&path, 0);
    precis_buf_init(&data, 0);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .., .keep */
        precis_buf_reset(&path);
        precis_buf_printf(&path, "%s/%s", dir, e->d_name);
        precis_buf_reset(&data);
        if (!read_file(path.ptr, &data)) {
            fprintf(stderr, "cannot read %s\n", path.ptr);
            count = -1;
            break;
        }
        /* Named first so a crash below says which input it was. */
        fprintf(stderr, "replay %s (%zu bytes)\n", path.ptr, data.len);
        entry((const uint8_t *)data.ptr, data.len);
        count++;
    }
    closedir(d);
    precis_buf_release(&path);
    precis_buf_release(&data);
    return count;
}

int main(void)
{
    precis_buf dir;
    long seeds = 0;

    precis_buf_init(&dir, 0);
    for (size_t i = 0; i < sizeof harnesses / sizeof harnesses[0]; i++) {
        precis_buf_reset(&dir);
        precis_buf_printf(&dir, "%s/tests/fuzz/regressions/%s", PRECIS_SOURCE_DIR,
                          harnesses[i].name);
        CHECK(replay_dir(dir.ptr, harnesses[i].entry) >= 0);

        precis_buf_reset(&dir);
        precis_buf_printf(&dir, "%s/tests/fuzz/corpus/%s", PRECIS_SOURCE_DIR,
                          harnesses[i].name);
        long n = replay_dir(dir.ptr, harnesses[i].entry);
        CHECK(n >= 0);
        seeds += n;
    }
    /* The seeds ship with the sources: finding none means the paths are wrong. */
    CHECK(seeds > 0);

    /* Edge inputs every harness must take: empty, one byte, mode bytes alone. */
    static const uint8_t edge[] = {0x00, 0x01, 0x0F, 0x81, 0xFF, 0x3C};
    for (size_t i = 0; i < sizeof harnesses / sizeof harnesses[0]; i++) {
        harnesses[i].entry(edge, 0);
        for (size_t k = 0; k < sizeof edge; k++)
            harnesses[i].entry(edge + k, 1);
        harnesses[i].entry(edge, sizeof edge);
    }
    precis_buf_release(&dir);
    return CHECK_DONE();
}
