#include <string.h>
#include "unit.h"
#include "token.h"

static void test_new_tokens_are_256_bit_hex_and_distinct(void **state)
{
    const char *a = iv_token_new(*state), *b = iv_token_new(*state);
    assert_non_null(a);
    assert_int_equal(strlen(a), 64);
    assert_true(iv_token_well_formed(a));
    assert_string_not_equal(a, b);
}

static void test_well_formed(void **state)
{
    (void)state;
    assert_false(iv_token_well_formed(NULL));
    assert_false(iv_token_well_formed(""));
    assert_false(iv_token_well_formed("abc"));
    assert_false(iv_token_well_formed(
        "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
    assert_false(iv_token_well_formed(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"));
    assert_true(iv_token_well_formed(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
}

static void test_equal(void **state)
{
    (void)state;
    assert_true(iv_token_equal("abcdef", "abcdef"));
    assert_false(iv_token_equal("abcdeg", "abcdef"));
    assert_false(iv_token_equal("abcde", "abcdef"));
    assert_false(iv_token_equal("abcdefabcdef", "abcdef"));
    assert_false(iv_token_equal("", "abcdef"));
    assert_false(iv_token_equal("", ""));
    assert_false(iv_token_equal(NULL, "abcdef"));
    assert_false(iv_token_equal("abcdef", NULL));
}

static void test_hash_is_sha256(void **state)
{
    /* SHA-256("abc"), FIPS 180-2 appendix B.1 */
    assert_string_equal(iv_token_hash(*state, "abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_hex_encode(void **state)
{
    const unsigned char bytes[] = { 0x00, 0x7f, 0xff, 0x10 };
    assert_string_equal(iv_hex_encode(*state, bytes, sizeof bytes), "007fff10");
    assert_int_equal(strlen(iv_random_hex(*state, 4)), 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_new_tokens_are_256_bit_hex_and_distinct),
        POOL_TEST(test_well_formed),
        POOL_TEST(test_equal),
        POOL_TEST(test_hash_is_sha256),
        POOL_TEST(test_hex_encode),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("token", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
