/* Unit tests for the sentence splitter: each case lists the expected sentences. */
#include <stdlib.h>

#include "check.h"
#include "precis/buf.h"
#include "precis/sentence.h"

/* Returns the sentences of text joined by " | " (static storage, overwritten per call). */
static const char *split(const char *text)
{
    static precis_buf joined;
    precis_sentences list;
    precis_sentences_init(&list);
    precis_sentence_split(text, strlen(text), &list);
    precis_buf_release(&joined);
    for (size_t i = 0; i < list.count; i++) {
        if (i)
            precis_buf_puts(&joined, " | ");
        precis_buf_append(&joined, list.items[i].ptr, list.items[i].len);
    }
    precis_sentences_release(&list);
    return joined.ptr;
}

static void test_basic(void)
{
    CHECK_STR(split("Hello world. This is a test."), "Hello world. | This is a test.");
    CHECK_STR(split("One.Two three."), "One.Two three.");
    CHECK_STR(split("  Leading and trailing space.  "), "Leading and trailing space.");
    CHECK_STR(split("No terminal punctuation"), "No terminal punctuation");
    CHECK_STR(split(""), "");
    CHECK_STR(split("   \n\t "), "");
    CHECK_STR(split("Is it? Yes! Really."), "Is it? | Yes! | Really.");
    CHECK_STR(split("What?! No way!!! Fine."), "What?! | No way!!! | Fine.");
    CHECK_STR(split("Line one.\nLine two."), "Line one. | Line two.");
    CHECK_STR(split("Wrapped\nline of text. Next."), "Wrapped\nline of text. | Next.");
    CHECK_STR(split("Yahoo! is a company. It exists."), "Yahoo! is a company. | It exists.");
    CHECK_STR(split("He asked why? and left."), "He asked why? and left.");
}

static void test_abbreviations(void)
{
    CHECK_STR(split("Mr. Smith met Dr. Jones at St. Mary's. They talked."),
              "Mr. Smith met Dr. Jones at St. Mary's. | They talked.");
    CHECK_STR(split("Mrs. Brown and Prof. Green agreed. Good."),
              "Mrs. Brown and Prof. Green agreed. | Good.");
    CHECK_STR(split("Use a tool, e.g. Python or i.e. something. Then stop."),
              "Use a tool, e.g. Python or i.e. something. | Then stop.");
    CHECK_STR(split("Apples, pears, etc. are fruit. Next."), "Apples, pears, etc. are fruit. | Next.");
    CHECK_STR(split("We sold apples, pears, etc. The end."), "We sold apples, pears, etc. | The end.");
    CHECK_STR(split("It was Red vs. Blue. Blue won."), "It was Red vs. Blue. | Blue won.");
    CHECK_STR(split("The U.S. Army marched. It rained."), "The U.S. Army marched. | It rained.");
    CHECK_STR(split("He moved to the U.S. The move was hard."),
              "He moved to the U.S. | The move was hard.");
    CHECK_STR(split("Acme Inc. announced a product. It sold."),
              "Acme Inc. announced a product. | It sold.");
    CHECK_STR(split("See Fig. 3 and No. 5 for details. Done."),
              "See Fig. 3 and No. 5 for details. | Done.");
    CHECK_STR(split("We met at 5 p.m. The talk ran late."), "We met at 5 p.m. | The talk ran late.");
    CHECK_STR(split("We met at 9 a.m. Eastern time. Then lunch."),
              "We met at 9 a.m. Eastern time. | Then lunch.");
    CHECK_STR(split("J. R. R. Tolkien wrote it. Fans agree."), "J. R. R. Tolkien wrote it. | Fans agree.");
    CHECK_STR(split("It was written by John F. Kennedy. He was young."),
              "It was written by John F. Kennedy. | He was young.");
    CHECK_STR(split("Born on Jan. 5, 1990 in Ohio. Raised in Utah."),
              "Born on Jan. 5, 1990 in Ohio. | Raised in Utah.");
    CHECK_STR(split("Released Sept. 12 last year. Popular."), "Released Sept. 12 last year. | Popular.");
    CHECK_STR(split("She earned a Ph.D. in physics. Then she taught."),
              "She earned a Ph.D. in physics. | Then she taught.");
    CHECK_STR(split("Compare this (cf. chapter 2). Next."), "Compare this (cf. chapter 2). | Next.");
    CHECK_STR(split("MR. SMITH arrived. He sat."), "MR. SMITH arrived. | He sat.");
}

static void test_numbers_and_urls(void)
{
    CHECK_STR(split("Pi is 3.14 roughly. Next."), "Pi is 3.14 roughly. | Next.");
    CHECK_STR(split("Upgrade to v1.2.3 now. It fixes bugs."), "Upgrade to v1.2.3 now. | It fixes bugs.");
    CHECK_STR(split("It costs $4.50 today. Cheap."), "It costs $4.50 today. | Cheap.");
    CHECK_STR(split("Visit example.com for more. Or go.dev today."),
              "Visit example.com for more. | Or go.dev today.");
    CHECK_STR(split("See https://example.com/a.b?c=d. It works."),
              "See https://example.com/a.b?c=d. | It works.");
    CHECK_STR(split("Read it at www.example.org. Thanks."), "Read it at www.example.org. | Thanks.");
    CHECK_STR(split("The year was 2020. 2021 was better."), "The year was 2020. | 2021 was better.");
    CHECK_STR(split("1. Install the tool. 2. Run it."), "1. Install the tool. | 2. Run it.");
    CHECK_STR(split("Version 2. Is this a sentence? Yes."),
              "Version 2. | Is this a sentence? | Yes.");
}

static void test_ellipses_and_quotes(void)
{
    CHECK_STR(split("Wait... then go. Now."), "Wait... then go. | Now.");
    CHECK_STR(split("It ended... The next day came."), "It ended... | The next day came.");
    CHECK_STR(split("It ended\xE2\x80\xA6 The next day came."),
              "It ended\xE2\x80\xA6 | The next day came.");
    CHECK_STR(split("He said \"I left.\" Then he went."), "He said \"I left.\" | Then he went.");
    CHECK_STR(split("She asked, 'Why?' Nobody knew."), "She asked, 'Why?' | Nobody knew.");
    CHECK_STR(split("(This is aside.) Back to text."), "(This is aside.) | Back to text.");
    CHECK_STR(split("He said \xE2\x80\x9CStop.\xE2\x80\x9D She did."),
              "He said \xE2\x80\x9CStop.\xE2\x80\x9D | She did.");
    CHECK_STR(split("First one. \"Quoted start.\" End."), "First one. | \"Quoted start.\" | End.");
    CHECK_STR(split("Done. (Aside here.) Next."), "Done. | (Aside here.) | Next.");
}

static void test_reference_marks(void)
{
    CHECK_STR(split("It grew.[1] The community helped.[2][3] Done."),
              "It grew.[1] | The community helped.[2][3] | Done.");
    CHECK_STR(split("Unclear.[citation needed] Next."), "Unclear.[citation needed] | Next.");
    CHECK_STR(split("See list.[x] y"), "See list.[x] y");
    CHECK(precis_reference_mark_len("[12]", 4) == 4);
    CHECK(precis_reference_mark_len("[edit] x", 8) == 6);
    CHECK(precis_reference_mark_len("[note 4]", 8) == 8);
    CHECK(precis_reference_mark_len("[a]", 3) == 3);
    CHECK(precis_reference_mark_len("[]", 2) == 0);
    CHECK(precis_reference_mark_len("[note ]", 7) == 0);
    CHECK(precis_reference_mark_len("[1", 2) == 0);
    CHECK(precis_reference_mark_len("[see here]", 10) == 0);
    CHECK(precis_reference_mark_len("[12a]", 5) == 0);
}

static void test_code_spans(void)
{
    CHECK_STR(split("Call `os.path. Join` here. Then exit."), "Call `os.path. Join` here. | Then exit.");
    CHECK_STR(split("Run ``a. B`` now. Ok."), "Run ``a. B`` now. | Ok.");
    CHECK_STR(split("Unclosed ` tick. Next one."), "Unclosed ` tick. | Next one.");
}

static void test_cjk_and_others(void)
{
    /* 今日は晴れです。明日は雨です。 */
    CHECK_STR(split("\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE6\x99\xB4\xE3\x82\x8C\xE3\x81\xA7"
                    "\xE3\x81\x99\xE3\x80\x82\xE6\x98\x8E\xE6\x97\xA5\xE3\x81\xAF\xE9\x9B\xA8"
                    "\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82"),
              "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE6\x99\xB4\xE3\x82\x8C\xE3\x81\xA7"
              "\xE3\x81\x99\xE3\x80\x82 | \xE6\x98\x8E\xE6\x97\xA5\xE3\x81\xAF\xE9\x9B\xA8"
              "\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82");
    /* 你好！你是谁？我很好． */
    CHECK_STR(split("\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x81\xE4\xBD\xA0\xE6\x98\xAF\xE8\xB0\x81"
                    "\xEF\xBC\x9F\xE6\x88\x91\xE5\xBE\x88\xE5\xA5\xBD\xEF\xBC\x8E"),
              "\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x81 | \xE4\xBD\xA0\xE6\x98\xAF\xE8\xB0\x81"
              "\xEF\xBC\x9F | \xE6\x88\x91\xE5\xBE\x88\xE5\xA5\xBD\xEF\xBC\x8E");
    /* 他说：「走吧。」然后走了。 closing bracket stays with its sentence */
    CHECK_STR(split("\xE4\xBB\x96\xE8\xAF\xB4\xEF\xBC\x9A\xE3\x80\x8C\xE8\xB5\xB0\xE5\x90\xA7"
                    "\xE3\x80\x82\xE3\x80\x8D\xE7\x84\xB6\xE5\x90\x8E\xE8\xB5\xB0\xE4\xBA\x86"
                    "\xE3\x80\x82"),
              "\xE4\xBB\x96\xE8\xAF\xB4\xEF\xBC\x9A\xE3\x80\x8C\xE8\xB5\xB0\xE5\x90\xA7"
              "\xE3\x80\x82\xE3\x80\x8D | \xE7\x84\xB6\xE5\x90\x8E\xE8\xB5\xB0\xE4\xBA\x86"
              "\xE3\x80\x82");
    /* Hindi: यह अच्छा है। वह आया। */
    CHECK_STR(split("\xE0\xA4\xAF\xE0\xA4\xB9 \xE0\xA4\x85\xE0\xA4\x9A\xE0\xA5\x8D\xE0\xA4\x9B"
                    "\xE0\xA4\xBE \xE0\xA4\xB9\xE0\xA5\x88\xE0\xA5\xA4 \xE0\xA4\xB5\xE0\xA4\xB9 "
                    "\xE0\xA4\x86\xE0\xA4\xAF\xE0\xA4\xBE\xE0\xA5\xA4"),
              "\xE0\xA4\xAF\xE0\xA4\xB9 \xE0\xA4\x85\xE0\xA4\x9A\xE0\xA5\x8D\xE0\xA4\x9B"
              "\xE0\xA4\xBE \xE0\xA4\xB9\xE0\xA5\x88\xE0\xA5\xA4 | \xE0\xA4\xB5\xE0\xA4\xB9 "
              "\xE0\xA4\x86\xE0\xA4\xAF\xE0\xA4\xBE\xE0\xA5\xA4");
    /* Accented capital after a period starts a sentence; lowercase accented does not. */
    CHECK_STR(split("Fin. \xC3\x89t\xC3\xA9 arrive. ok"), "Fin. | \xC3\x89t\xC3\xA9 arrive. ok");
    CHECK_STR(split("Das ist gut. \xC3\xBC" "ber alles."), "Das ist gut. \xC3\xBC" "ber alles.");
    /* Russian: Привет. Мир. */
    CHECK_STR(split("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82. \xD0\x9C\xD0\xB8\xD1\x80."),
              "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82. | \xD0\x9C\xD0\xB8\xD1\x80.");
    /* Ideographic space and NBSP count as spaces. */
    CHECK_STR(split("One.\xC2\xA0Two."), "One. | Two.");
    /* Invalid UTF-8 does not crash and is kept. */
    CHECK_STR(split("Bad \xFF byte. Next."), "Bad \xFF byte. | Next.");
}

int main(void)
{
    test_basic();
    test_abbreviations();
    test_numbers_and_urls();
    test_ellipses_and_quotes();
    test_reference_marks();
    test_code_spans();
    test_cjk_and_others();
    return CHECK_DONE();
}
