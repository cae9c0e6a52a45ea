/* precis doctor's pieces: report lines, the directory check, the model lookup. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "precis/doctor.h"

static void test_report(void)
{
    precis_doctor d;
    precis_doctor_init(&d);
    precis_doctor_add(&d, PRECIS_CHECK_OK, "cache", "%s is writable", "/tmp/x");
    precis_doctor_add(&d, PRECIS_CHECK_WARN, "pdftotext", "not found");
    precis_doctor_add(&d, PRECIS_CHECK_FAIL, "endpoint", "server said:\nno\x1b[2J");
    precis_doctor_detail(&d, "a = 1  (default)\nb = 2  (env B)\n");
    CHECK(d.fails == 1 && d.warns == 1);
    CHECK_STR(d.out.ptr, "ok    cache      /tmp/x is writable\n"
                         "warn  pdftotext  not found\n"
                         "FAIL  endpoint   server said: no [2J\n"
                         "                  a = 1  (default)\n"
                         "                  b = 2  (env B)\n");
    precis_doctor_release(&d);
    CHECK_STR(precis_check_word(PRECIS_CHECK_INFO), "info");
}

static void test_dir(void)
{
    char root[] = "/tmp/precis-doctor-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    char path[512], file[512];
    precis_buf why;
    precis_buf_init(&why, 0);

    CHECK(precis_doctor_dir(root, &why) == PRECIS_CHECK_OK);
    CHECK_CONTAINS(why.ptr, "is writable");

    precis_buf_reset(&why);
    snprintf(path, sizeof path, "%s/a/b/precis", root);
    CHECK(precis_doctor_dir(path, &why) == PRECIS_CHECK_OK);
    CHECK_CONTAINS(why.ptr, "made on first use");
    CHECK(access(path, F_OK) != 0); /* nothing was created */

    /* A regular file where a directory must go: cannot be created, even by root. */
    snprintf(file, sizeof file, "%s/plain", root);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    precis_buf_reset(&why);
    snprintf(path, sizeof path, "%s/plain/precis/http", root);
    CHECK(precis_doctor_dir(path, &why) == PRECIS_CHECK_FAIL);
    CHECK_CONTAINS(why.ptr, "is not a directory");
    precis_buf_reset(&why);
    CHECK(precis_doctor_dir(file, &why) == PRECIS_CHECK_FAIL);
    CHECK_CONTAINS(why.ptr, "not a directory: remove or rename it");

    /* Permissions bind only when not root. */
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/ro", root);
        CHECK(mkdir(path, 0500) == 0);
        precis_buf_reset(&why);
        CHECK(precis_doctor_dir(path, &why) == PRECIS_CHECK_FAIL);
        CHECK_CONTAINS(why.ptr, "is not writable");
        rmdir(path);
    }
    unlink(file);
    rmdir(root);
    precis_buf_release(&why);
}

static void test_find_model(void)
{
    char *ids[] = {"fake-model", "llama3:latest", "models/gemini-2.0-flash", "qwen2.5:7b"};
    size_t n = sizeof ids / sizeof ids[0];
    CHECK(precis_doctor_find_model("fake-model", ids, n) == 0);
    CHECK(precis_doctor_find_model("llama3", ids, n) == 1);
    CHECK(precis_doctor_find_model("llama3:latest", ids, n) == 1);
    CHECK(precis_doctor_find_model("gemini-2.0-flash", ids, n) == 2);
    CHECK(precis_doctor_find_model("qwen2.5", ids, n) == -1); /* only :latest is implied */
    CHECK(precis_doctor_find_model("fake", ids, n) == -1);
    CHECK(precis_doctor_find_model("gpt-4o", ids, 0) == -1);
}

int main(void)
{
    test_report();
    test_dir();
    test_find_model();
    return CHECK_DONE();
}
