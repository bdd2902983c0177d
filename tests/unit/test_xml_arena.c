/* xml_arena.c: libxml2's allocator inside and outside a request's window. Under
 * AddressSanitizer (make test runs the unit tests with it too) a block freed by
 * the wrong allocator, or a malloc'd block left behind, fails the run. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
#include "unit.h"
#include "xml_arena.h"

static void test_outside_a_window_blocks_are_malloc_blocks(void **state)
{
    (void)state;
    char *block = xmlMalloc(100);
    assert_non_null(block);
    assert_int_equal(iv_xml_arena_used(), 0);
    memset(block, 'x', 100);
    block = xmlRealloc(block, 100000);
    assert_non_null(block);
    assert_int_equal(block[99], 'x');
    xmlFree(block);                     /* ASan: free() of a malloc'd block */
}

static void test_inside_a_window_blocks_come_from_the_pool(void **state)
{
    void *outer = iv_xml_arena_enter(*state);
    char *a = xmlMalloc(40);

    assert_null(outer);
    assert_non_null(a);
    assert_true(iv_xml_arena_used() > 0);
    assert_int_equal((uintptr_t)a % 16, 0);
    iv_xml_arena_leave(outer);
    assert_int_equal(iv_xml_arena_used(), 0);
    xmlFree(a);                         /* a pool block after its window: left to the pool */
}

static void test_freed_blocks_are_reused_by_their_size_class(void **state)
{
    void *outer = iv_xml_arena_enter(*state);
    void *a = xmlMalloc(100), *b;
    size_t used;

    xmlFree(a);
    used = iv_xml_arena_used();
    b = xmlMalloc(112);                 /* same class (97..112 bytes) */
    assert_ptr_equal(a, b);
    assert_int_equal(iv_xml_arena_used(), used);
    b = xmlMalloc(100);                 /* the list is empty again: a new block */
    assert_ptr_not_equal(a, b);
    xmlFree(b);
    b = xmlMalloc(300);                 /* another class does not take it */
    assert_ptr_not_equal(a, b);
    iv_xml_arena_leave(outer);
}

static void test_realloc_keeps_content_and_allocator(void **state)
{
    char *plain = xmlMalloc(32), *pooled;
    void *outer;

    strcpy(plain, "avant la fenêtre");
    outer = iv_xml_arena_enter(*state);
    plain = xmlRealloc(plain, 4096);    /* born of malloc: stays a malloc block */
    assert_string_equal(plain, "avant la fenêtre");
    pooled = xmlMemStrdup("dans la fenêtre");
    assert_string_equal(pooled, "dans la fenêtre");
    pooled = xmlMalloc(20);
    strcpy(pooled, "demande 2026 / 58");
    pooled = xmlRealloc(pooled, 5000);
    assert_string_equal(pooled, "demande 2026 / 58");
    assert_ptr_equal(xmlRealloc(pooled, 10), pooled);   /* shrinking stays in place */
    iv_xml_arena_leave(outer);
    xmlFree(plain);                     /* ASan: a leak or a double free fails here */
}

static void test_a_window_stops_taking_from_its_pool_at_its_limit(void **state)
{
    void *outer = iv_xml_arena_enter(*state);
    size_t n = IV_XML_ARENA_MAX / 8192 + 16;
    void **blocks = calloc(n, sizeof *blocks);

    for (size_t i = 0; i < n; i++)
        assert_non_null(blocks[i] = xmlMalloc(8000));
    assert_true(iv_xml_arena_used() <= IV_XML_ARENA_MAX);
    iv_xml_arena_leave(outer);
    for (size_t i = 0; i < n; i++)
        xmlFree(blocks[i]);             /* the ones past the limit were malloc'd */
    free(blocks);
}

static void test_windows_nest(void **state)
{
    apr_pool_t *inner_pool;
    void *outer = iv_xml_arena_enter(*state), *middle;
    size_t used;

    xmlFree(xmlMalloc(10));
    used = iv_xml_arena_used();
    apr_pool_create(&inner_pool, *state);
    middle = iv_xml_arena_enter(inner_pool);
    assert_non_null(middle);
    assert_int_equal(iv_xml_arena_used(), 0);
    xmlMalloc(10);
    iv_xml_arena_leave(middle);
    apr_pool_destroy(inner_pool);
    assert_int_equal(iv_xml_arena_used(), used);
    iv_xml_arena_leave(outer);
}

static void test_a_document_lives_and_dies_in_a_window(void **state)
{
    void *outer = iv_xml_arena_enter(*state);
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "page");
    xmlChar *text = NULL;
    int len = 0;

    xmlDocSetRootElement(doc, root);
    for (int i = 0; i < 2000; i++)
        xmlNewProp(xmlNewChild(root, NULL, BAD_CAST "row", BAD_CAST "Église Saint-Louis"),
                   BAD_CAST "id", BAD_CAST "58");
    xmlDocDumpMemoryEnc(doc, &text, &len, "UTF-8");
    assert_non_null(strstr((const char *)text, "<row id=\"58\">Église Saint-Louis</row>"));
    assert_true(iv_xml_arena_used() > 2000 * sizeof(xmlNode));
    xmlFree(text);
    xmlFreeDoc(doc);
    iv_xml_arena_leave(outer);
}

static void test_blocks_of_plain_malloc_are_freed_by_free(void **state)
{
    (void)state;
    /* what libxml2 made before the allocator was installed, or with malloc() */
    char *block = malloc(64);
    void *outer = iv_xml_arena_enter(*state);
    xmlFree(block);
    iv_xml_arena_leave(outer);
}

static void free_twice(void **state)
{
    void *outer = iv_xml_arena_enter(*state);
    void *block = xmlMalloc(50);
    xmlFree(block);
    xmlFree(block);
    iv_xml_arena_leave(outer);
}

static void test_a_double_free_aborts(void **state)
{
    int status = 0;
    pid_t child = fork();

    assert_true(child >= 0);
    if (child == 0) {
        free_twice(state);
        _exit(0);
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void test_uninstall_gives_libxml2_malloc_back(void **state)
{
    xmlFreeFunc f;
    xmlMallocFunc m;
    xmlReallocFunc r;
    xmlStrdupFunc s;
    void *outer;
    char *block;

    iv_xml_arena_uninstall();
    assert_int_equal(xmlMemGet(&f, &m, &r, &s), 0);
    assert_ptr_equal(m, (xmlMallocFunc)malloc);
    assert_ptr_equal(f, (xmlFreeFunc)free);
    outer = iv_xml_arena_enter(*state);
    block = xmlMalloc(32);                 /* a window changes nothing without it */
    assert_int_equal(iv_xml_arena_used(), 0);
    iv_xml_arena_leave(outer);
    free(block);                            /* ASan: it must be a malloc block */
    assert_true(iv_xml_arena_install());    /* and it can come back */
    assert_int_equal(xmlMemGet(&f, &m, &r, &s), 0);
    assert_ptr_not_equal(m, (xmlMallocFunc)malloc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_outside_a_window_blocks_are_malloc_blocks),
        POOL_TEST(test_inside_a_window_blocks_come_from_the_pool),
        POOL_TEST(test_freed_blocks_are_reused_by_their_size_class),
        POOL_TEST(test_realloc_keeps_content_and_allocator),
        POOL_TEST(test_a_window_stops_taking_from_its_pool_at_its_limit),
        POOL_TEST(test_windows_nest),
        POOL_TEST(test_a_document_lives_and_dies_in_a_window),
        POOL_TEST(test_blocks_of_plain_malloc_are_freed_by_free),
        POOL_TEST(test_a_double_free_aborts),
        POOL_TEST(test_uninstall_gives_libxml2_malloc_back),
    };
    apr_initialize();
    if (!iv_xml_arena_install() || !iv_xml_arena_install())
        return 1;
    xmlInitParser();
    int failed = cmocka_run_group_tests_name("xml_arena", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
