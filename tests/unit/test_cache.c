/* On-disk cache: round trip, misses, torn and garbage files, concurrent writers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "precis/cache.h"

static void fill(precis_cache_entry *e, const char *url, const char *body, size_t n)
{
    precis_cache_entry_init(e);
    e->url = precis_xstrdup(url);
    e->final_url = precis_xstrdup("http://example.test/final");
    e->content_type = precis_xstrdup("text/html");
    e->etag = precis_xstrdup("\"v1\"");
    e->fetched = 1700000000;
    precis_buf_append(&e->body, body, n);
}

static void test_round_trip(const char *dir)
{
    precis_cache_entry e, got;
    const char body[] = "<p>hello\nend\0binary\n</p>";
    fill(&e, "http://example.test/a", body, sizeof body);
    e.revalidate = true;
    CHECK(precis_cache_store(dir, &e) == PRECIS_OK);
    precis_cache_entry_init(&got);
    CHECK(precis_cache_load(dir, "http://example.test/a", &got));
    CHECK_STR(got.url, "http://example.test/a");
    CHECK_STR(got.final_url, "http://example.test/final");
    CHECK_STR(got.content_type, "text/html");
    CHECK(got.charset == NULL);
    CHECK_STR(got.etag, "\"v1\"");
    CHECK(got.last_modified == NULL);
    CHECK(got.fetched == 1700000000);
    CHECK(got.revalidate);
    CHECK(got.body.len == sizeof body && memcmp(got.body.ptr, body, sizeof body) == 0);
    precis_cache_entry_release(&got);
    /* another URL is a miss */
    CHECK(!precis_cache_load(dir, "http://example.test/b", &got));
    precis_cache_entry_release(&e);
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void test_torn_and_garbage(const char *dir)
{
    precis_cache_entry e, got;
    fill(&e, "http://example.test/torn", "0123456789", 10);
    CHECK(precis_cache_store(dir, &e) == PRECIS_OK);
    char *path = precis_cache_path(dir, e.url);
    struct stat st;
    CHECK(stat(path, &st) == 0);
    /* every truncation of the file is a miss */
    FILE *f = fopen(path, "rb");
    char *full = precis_xmalloc((size_t)st.st_size);
    CHECK(f && fread(full, 1, (size_t)st.st_size, f) == (size_t)st.st_size);
    if (f)
        fclose(f);
    int hits = 0;
    for (off_t n = 0; n < st.st_size; n++) {
        write_file(path, full, (size_t)n);
        precis_cache_entry_init(&got);
        hits += precis_cache_load(dir, e.url, &got);
        precis_cache_entry_release(&got);
    }
    CHECK(hits == 0);
    /* a flipped body byte is a miss */
    full[st.st_size - 6] ^= 1;
    write_file(path, full, (size_t)st.st_size);
    precis_cache_entry_init(&got);
    CHECK(!precis_cache_load(dir, e.url, &got));
    full[st.st_size - 6] ^= 1;
    write_file(path, full, (size_t)st.st_size);
    CHECK(precis_cache_load(dir, e.url, &got));
    precis_cache_entry_release(&got);
    write_file(path, "garbage\n\n", 9);
    CHECK(!precis_cache_load(dir, e.url, &got));
    free(full);
    free(path);
    precis_cache_entry_release(&e);
}

/* Eight processes write and read the same entry at once: every read is whole. */
static void test_concurrent(const char *dir)
{
    enum { PROCS = 8, ROUNDS = 40 };
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        if (pids[p] == 0) {
            int bad = 0;
            for (int i = 0; i < ROUNDS; i++) {
                precis_cache_entry e, got;
                size_t n = 1000 + (size_t)(p * 977 + i * 131) % 50000;
                char *body = precis_xmalloc(n);
                memset(body, 'a' + p, n);
                fill(&e, "http://example.test/shared", body, n);
                free(body);
                precis_cache_store(dir, &e);
                precis_cache_entry_init(&got);
                if (precis_cache_load(dir, e.url, &got)) {
                    char c = got.body.ptr[0];
                    for (size_t k = 0; k < got.body.len; k++)
                        bad += got.body.ptr[k] != c;
                } else {
                    bad++;
                }
                precis_cache_entry_release(&got);
                precis_cache_entry_release(&e);
            }
            _exit(bad ? 1 : 0);
        }
    }
    int failed = 0;
    for (int p = 0; p < PROCS; p++) {
        int status = 0;
        waitpid(pids[p], &status, 0);
        failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    CHECK(failed == 0);
}

/* A temp file left by a killed writer is swept once it is old; a young one stays. */
static void test_stale_temps_are_swept(const char *dir)
{
    char old_tmp[300], young_tmp[300];
    snprintf(old_tmp, sizeof old_tmp, "%s/.tmp-old123", dir);
    snprintf(young_tmp, sizeof young_tmp, "%s/.tmp-young1", dir);
    write_file(old_tmp, "half", 4);
    write_file(young_tmp, "half", 4);
    struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
    CHECK(utimensat(AT_FDCWD, old_tmp, times, 0) == 0);
    precis_cache_entry e;
    fill(&e, "http://example.test/sweep", "x", 1);
    CHECK(precis_cache_store(dir, &e) == PRECIS_OK);
    CHECK(access(old_tmp, F_OK) != 0);
    CHECK(access(young_tmp, F_OK) == 0);
    unlink(young_tmp);
    precis_cache_entry_release(&e);
}

static void test_dir_default(void)
{
    setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1);
    char *d = precis_cache_dir(NULL);
    CHECK_STR(d, "/tmp/xdg-test/precis/http");
    free(d);
    unsetenv("XDG_CACHE_HOME");
    setenv("HOME", "/home/someone", 1);
    d = precis_cache_dir(NULL);
    CHECK_STR(d, "/home/someone/.cache/precis/http");
    free(d);
    d = precis_cache_dir("/x/y");
    CHECK_STR(d, "/x/y");
    free(d);
}

int main(void)
{
    char tmpl[] = "/tmp/precis-cache-test-XXXXXX";
    char *root = mkdtemp(tmpl);
    CHECK(root != NULL);
    if (!root)
        return CHECK_DONE();
    char dir[256];
    snprintf(dir, sizeof dir, "%s/nested/http", root);
    test_round_trip(dir);
    test_torn_and_garbage(dir);
    test_concurrent(dir);
    test_stale_temps_are_swept(dir);
    test_dir_default();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
    return CHECK_DONE();
}
