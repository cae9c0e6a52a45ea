/* Unit tests for the byte buffer and the document tree. */
#include <stdlib.h>

#include "check.h"
#include "precis/buf.h"
#include "precis/doc.h"

static void test_buf(void)
{
    precis_buf b;
    precis_buf_init(&b, 8);
    CHECK(b.ptr != NULL && b.ptr[0] == '\0');
    CHECK(precis_buf_puts(&b, "hello") == PRECIS_OK);
    CHECK(precis_buf_puts(&b, "world") == PRECIS_ERR_TOO_LARGE);
    CHECK_STR(b.ptr, "hello");
    CHECK(precis_buf_printf(&b, "%d", 123) == PRECIS_OK);
    CHECK_STR(b.ptr, "hello123");
    precis_buf_consume(&b, 5);
    CHECK_STR(b.ptr, "123");
    CHECK(precis_buf_ends_with(&b, '3'));
    char *s = precis_buf_detach(&b);
    CHECK_STR(s, "123");
    CHECK(b.len == 0 && b.ptr[0] == '\0');
    free(s);
    precis_buf_init(&b, 0);
    for (int i = 0; i < 1000; i++)
        precis_buf_printf(&b, "%04d", i);
    CHECK(b.len == 4000);
    precis_buf_release(&b);
}

static void test_doc_deep_tree(void)
{
    precis_doc *doc = precis_doc_new();
    precis_node *cur = doc->root;
    for (int i = 0; i < 200000; i++)
        cur = precis_node_append(cur, precis_node_new(PRECIS_NODE_BLOCKQUOTE));
    precis_node_append(cur, precis_node_new_text(PRECIS_NODE_TEXT, "x", 1));
    size_t n = 0;
    for (precis_node *it = doc->root; it; it = precis_node_walk_next(doc->root, it))
        n++;
    CHECK(n == 200002);
    precis_doc_free(doc);
}

int main(void)
{
    test_buf();
    test_doc_deep_tree();
    return CHECK_DONE();
}
