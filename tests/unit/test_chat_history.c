/* The REPL's history file: escaping, duplicates, leading spaces, the cap, and the file
 * written as each line is entered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "precis/chat_history.h"

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    precis_buf b;
    precis_buf_init(&b, 0);
    char chunk[512];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        precis_buf_append(&b, chunk, n);
    fclose(f);
    return precis_buf_detach(&b);
}

static void test_escape_roundtrip(void)
{
    precis_buf e, u;
    precis_buf_init(&e, 0);
    precis_buf_init(&u, 0);
    precis_chat_history_escape("two\nlines \\n and a \\", &e);
    CHECK_STR(e.ptr, "two\\nlines \\\\n and a \\\\");
    precis_chat_history_unescape(e.ptr, e.len, &u);
    CHECK_STR(u.ptr, "two\nlines \\n and a \\");
    precis_buf_release(&e);
    precis_buf_release(&u);
}

static void test_path(void)
{
    precis_buf p;
    precis_buf_init(&p, 0);
    setenv("PRECIS_HISTORY", "/tmp/x-history", 1);
    CHECK(precis_chat_history_path(&p));
    CHECK_STR(p.ptr, "/tmp/x-history");
    precis_buf_reset(&p);
    setenv("PRECIS_HISTORY", "", 1);
    CHECK(!precis_chat_history_path(&p));
    unsetenv("PRECIS_HISTORY");
    setenv("XDG_STATE_HOME", "/state", 1);
    CHECK(precis_chat_history_path(&p));
    CHECK_STR(p.ptr, "/state/precis/history");
    precis_buf_reset(&p);
    unsetenv("XDG_STATE_HOME");
    setenv("HOME", "/home/u", 1);
    CHECK(precis_chat_history_path(&p));
    CHECK_STR(p.ptr, "/home/u/.local/state/precis/history");
    precis_buf_release(&p);
}

static void test_file(void)
{
    char dir[] = "/tmp/precis-hist-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/sub/history", dir);
    precis_chat_history h;
    precis_chat_history_init(&h, path, 5);
    CHECK(precis_chat_history_load(&h)); /* missing: empty */
    CHECK(h.n == 0);
    CHECK(precis_chat_history_add(&h, "/toc", NULL));
    CHECK(!precis_chat_history_add(&h, " secret", NULL));
    CHECK(!precis_chat_history_add(&h, "", NULL));
    CHECK(!precis_chat_history_add(&h, "/toc", NULL)); /* repeat of the newest */
    CHECK(precis_chat_history_add(&h, "multi\nline", NULL));
    char *s = read_all(path);
    CHECK_STR(s, "/toc\nmulti\\nline\n");
    free(s);
    bool removed;
    CHECK(precis_chat_history_add(&h, "/toc", &removed));
    CHECK(removed);
    s = read_all(path);
    CHECK_STR(s, "multi\\nline\n/toc\n");
    free(s);
    for (int i = 0; i < 10; i++) {
        char line[32];
        snprintf(line, sizeof line, "q%d", i);
        precis_chat_history_add(&h, line, NULL);
    }
    CHECK(h.n == 5);
    s = read_all(path);
    CHECK_STR(s, "q5\nq6\nq7\nq8\nq9\n");
    free(s);
    precis_chat_history_release(&h);

    precis_chat_history_init(&h, path, 3);
    CHECK(precis_chat_history_load(&h));
    CHECK(h.n == 3);
    CHECK_STR(h.lines[0], "q7");
    CHECK_STR(h.lines[2], "q9");
    precis_chat_history_release(&h);
    unlink(path);
    snprintf(path, sizeof path, "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void)
{
    test_escape_roundtrip();
    test_path();
    test_file();
    return CHECK_DONE();
}
