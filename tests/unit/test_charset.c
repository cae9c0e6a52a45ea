/* Byte-level tests for charset detection order, conversion and sanitising. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precis/charset.h"

/* Converts and returns a malloc'd UTF-8 string; *used gets the charset name. */
static char *conv(const char *bytes, size_t len, const char *label, bool html, char **used)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    CHECK(precis_to_utf8(bytes, len, label, html, &out, used) == PRECIS_OK);
    return precis_buf_detach(&out);
}

static char *sanitize(const char *s, size_t len)
{
    precis_buf out;
    precis_buf_init(&out, 0);
    precis_utf8_sanitize(s, len, &out);
    return precis_buf_detach(&out);
}

#define CONV_EXPECT(bytes, label, html, want_text, want_cs)                          \
    do {                                                                             \
        char *u_ = NULL;                                                             \
        char *t_ = conv(bytes, sizeof(bytes) - 1, label, html, &u_);                 \
        CHECK_STR(t_, want_text);                                                    \
        CHECK_STR(u_, want_cs);                                                      \
        free(t_);                                                                    \
        free(u_);                                                                    \
    } while (0)

static void test_valid(void)
{
    CHECK(precis_utf8_valid("", 0));
    CHECK(precis_utf8_valid("abc \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 15));
    CHECK(!precis_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    CHECK(!precis_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    CHECK(!precis_utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    CHECK(!precis_utf8_valid("\xE2\x82", 2));         /* truncated */
    CHECK(!precis_utf8_valid("\xFF", 1));
}

static void test_sanitize(void)
{
    char *s = sanitize("a\tb\nc", 5);
    CHECK_STR(s, "a\tb\nc");
    free(s);
    s = sanitize("one\r\ntwo\rthree", 14);
    CHECK_STR(s, "one\ntwo\nthree");
    free(s);
    /* ESC[31m, OSC 52 with BEL, a NUL, DEL, and the C1 CSI U+009B */
    const char esc[] = "x\x1b[31mred\x1b]52;c;ZXZpbA==\x07y\0z\x7f\xC2\x9B" "2J!";
    s = sanitize(esc, sizeof esc - 1);
    CHECK_STR(s, "x[31mred]52;c;ZXZpbA==yz2J!");
    CHECK(strchr(s, 0x1b) == NULL);
    free(s);
    s = sanitize("bad \xFF\xFE end", 10);
    CHECK_STR(s, "bad \xEF\xBF\xBD\xEF\xBF\xBD end");
    free(s);
    s = sanitize("cut \xE2\x82", 6); /* truncated multibyte at the end */
    CHECK_STR(s, "cut \xEF\xBF\xBD\xEF\xBF\xBD");
    free(s);
}

static void test_detection_order(void)
{
    /* BOM beats a header label and is removed */
    CONV_EXPECT("\xEF\xBB\xBFh\xC3\xA9", "iso-8859-1", false, "h\xC3\xA9", "utf-8");
    CONV_EXPECT("\xFF\xFEh\0\xE9\0", NULL, false, "h\xC3\xA9", "utf-16le");
    CONV_EXPECT("\xFE\xFF\0h\0\xE9", "utf-8", false, "h\xC3\xA9", "utf-16be");
    /* header label, latin1 read as windows-1252 (0x93/0x94 are curly quotes) */
    CONV_EXPECT("\x93q\x94 caf\xE9", "ISO-8859-1", false,
                "\xE2\x80\x9Cq\xE2\x80\x9D caf\xC3\xA9", "windows-1252");
    /* valid multi-byte UTF-8 wins over a wrong latin1 label */
    CONV_EXPECT("caf\xC3\xA9", "latin1", false, "caf\xC3\xA9", "utf-8");
    /* pure ASCII keeps its label */
    CONV_EXPECT("plain", "iso-8859-1", false, "plain", "windows-1252");
    /* the header label beats <meta> */
    CONV_EXPECT("<meta charset=utf-8>\xE9", "windows-1252", true,
                "<meta charset=utf-8>\xC3\xA9", "windows-1252");
    /* <meta charset> in HTML when there is no header label */
    CONV_EXPECT("<html><head><meta charset=\"shift_jis\"></head>\x93\xfa\x96\x7b", NULL, true,
                "<html><head><meta charset=\"shift_jis\"></head>\xE6\x97\xA5\xE6\x9C\xAC",
                "cp932");
    /* http-equiv form */
    CONV_EXPECT("<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>\x80",
                NULL, true,
                "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
                "\xE2\x82\xAC",
                "windows-1252");
    /* <meta> is ignored for non-HTML */
    CONV_EXPECT("<meta charset=koi8-r>\xE9t\xE9", NULL, false,
                "<meta charset=koi8-r>\xC3\xA9t\xC3\xA9", "windows-1252");
    /* <meta> inside a comment does not count */
    CONV_EXPECT("<!-- <meta charset=koi8-r> -->caf\xE9", NULL, true,
                "<!-- <meta charset=koi8-r> -->caf\xC3\xA9", "windows-1252");
}

static void test_detection(void)
{
    /* unlabelled windows-1252 prose: detection, then windows-1252 */
    const char cp1252[] = "Le caf\xE9 \xE9tait d\xE9j\xE0 ferm\xE9 \x96 \x93voil\xE0\x94, "
                          "dit-il. Les \xE9l\xE8ves \xE9taient tr\xE8s d\xE9\xE7us.";
    char *used = NULL;
    char *t = conv(cp1252, sizeof cp1252 - 1, NULL, false, &used);
    CHECK_CONTAINS(t, "caf\xC3\xA9 \xC3\xA9tait d\xC3\xA9j\xC3\xA0");
    CHECK(used && (strcmp(used, "windows-1252") == 0 || strcmp(used, "iso-8859-1") == 0 ||
                   strcmp(used, "iso-8859-15") == 0));
    free(t);
    free(used);
    /* unlabelled shift_jis */
    const char sjis[] = "\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x95\xb6\x8f\xcd\x82\xc5\x82\xb7\x81"
                        "\x42\x82\xb1\x82\xea\x82\xcd\x83\x65\x83\x58\x83\x67\x82\xc5\x82\xb7"
                        "\x81\x42\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x95\xb6\x8f\xcd\x81\x42";
    t = conv(sjis, sizeof sjis - 1, NULL, false, &used);
    CHECK_CONTAINS(t, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"); /* 日本語 */
    free(t);
    free(used);
}

static void test_invalid_and_controls(void)
{
    /* invalid UTF-8 under a UTF-8 label: replacement characters */
    CONV_EXPECT("a\xC3(b", "utf-8", false, "a\xEF\xBF\xBD(b", "utf-8");
    /* truncated shift_jis at the end */
    CONV_EXPECT("\x93\xfa\x93", "shift_jis", false, "\xE6\x97\xA5\xEF\xBF\xBD", "cp932");
    /* undefined windows-1252 byte */
    CONV_EXPECT("a\x81z", "windows-1252", false, "a\xEF\xBF\xBDz", "windows-1252");
    /* control characters and CRLF after conversion */
    CONV_EXPECT("a\x1b[2Jb\r\nc\x9b", "windows-1252", false, "a[2Jb\nc\xE2\x80\xBA",
                "windows-1252");
    /* unknown label: falls back to detection */
    CONV_EXPECT("caf\xE9", "x-no-such-charset", false, "caf\xC3\xA9", "windows-1252");
    /* empty input */
    CONV_EXPECT("", NULL, true, "", "utf-8");
}

int main(void)
{
    test_valid();
    test_sanitize();
    test_detection_order();
    test_detection();
    test_invalid_and_controls();
    return CHECK_DONE();
}
