#include <string.h>
#include "unit.h"
#include "text.h"

static int valid(const char *s) { return iv_utf8_valid(s, strlen(s)); }

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(valid(""));
    assert_true(valid("Église Saint-Mandé « œuvre » 5 €"));
    assert_true(valid("\xf0\x9f\x98\x80"));            /* U+1F600 */
}

static void test_utf8_invalid(void **state)
{
    (void)state;
    assert_false(valid("\xc3"));                       /* truncated */
    assert_false(valid("\xc0\xaf"));                   /* overlong '/' */
    assert_false(valid("\xe0\x80\xaf"));               /* overlong 3-byte */
    assert_false(valid("\xed\xa0\x80"));               /* surrogate */
    assert_false(valid("\xf4\x90\x80\x80"));           /* > U+10FFFF */
    assert_false(valid("\xff"));
    assert_false(valid("abc\x80"));
    assert_false(valid("\xe2\x82"));                   /* truncated € */
}

static void test_strip_controls(void **state)
{
    assert_string_equal(iv_strip_controls(*state, "a\x01" "b\tc\nd\r\x1f" "e"), "ab\tc\nd\re");
}

static void test_trim(void **state)
{
    assert_string_equal(iv_trim(*state, "  secretariat \t\n"), "secretariat");
    assert_string_equal(iv_trim(*state, "   "), "");
    assert_string_equal(iv_trim(*state, "a b"), "a b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_utf8_valid),
        POOL_TEST(test_utf8_invalid),
        POOL_TEST(test_strip_controls),
        POOL_TEST(test_trim),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("text", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
