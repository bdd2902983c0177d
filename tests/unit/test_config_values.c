/* Directive value parsing: durations, roles, commune codes, URL paths. */
#include "unit.h"
#include "confparse.h"
#include "roles.h"

static void test_durations(void **state)
{
    (void)state;
    assert_int_equal(iv_parse_duration("1800"), 1800);
    assert_int_equal(iv_parse_duration("45s"), 45);
    assert_int_equal(iv_parse_duration("30m"), 1800);
    assert_int_equal(iv_parse_duration("10h"), 36000);
    assert_int_equal(iv_parse_duration("2d"), 172800);
    assert_int_equal(iv_parse_duration("366d"), 366L * 86400);
}

static void test_bad_durations(void **state)
{
    const char *bad[] = { "", "0", "-5", "abc", "30 m", "30mm", "30x", "m", "1.5h",
                          "367d", "99999999999999999999", " 30m", NULL };
    (void)state;
    assert_int_equal(iv_parse_duration(NULL), -1);
    for (int i = 0; bad[i]; i++)
        assert_int_equal(iv_parse_duration(bad[i]), -1);
}

static void test_sizes(void **state)
{
    const char *bad[] = { "", "0", "-1", "10MB", "10 M", "M", "1.5M", "5G", "x", NULL };
    (void)state;
    assert_int_equal(iv_parse_size("1000"), 1000);
    assert_int_equal(iv_parse_size("512K"), 512 * 1024);
    assert_int_equal(iv_parse_size("10M"), 10 * 1024 * 1024);
    assert_int_equal(iv_parse_size("4G"), 4LL * 1024 * 1024 * 1024);
    for (int i = 0; bad[i]; i++)
        assert_int_equal(iv_parse_size(bad[i]), -1);
}

static void test_roles(void **state)
{
    (void)state;
    assert_int_equal(iv_role_from_name("admin"), IV_ROLE_ADMIN);
    assert_int_equal(iv_role_from_name("lecteur"), IV_ROLE_LECTEUR);
    assert_int_equal(iv_role_from_name("Admin"), 0);
    assert_int_equal(iv_role_from_name("superuser"), 0);
    assert_int_equal(iv_role_from_name(NULL), 0);
    assert_string_equal(iv_role_name(IV_ROLE_SECRETARIAT), "secretariat");
    assert_null(iv_role_name(IV_ROLE_ADMIN | IV_ROLE_LECTEUR));
}

static void test_commune_codes(void **state)
{
    (void)state;
    assert_true(iv_commune_code_valid("94080"));
    assert_true(iv_commune_code_valid("2A004"));
    assert_false(iv_commune_code_valid("9408"));
    assert_false(iv_commune_code_valid("940800"));
    assert_false(iv_commune_code_valid("Vincennes"));
    assert_false(iv_commune_code_valid("2C004"));
}

static void test_url_paths(void **state)
{
    (void)state;
    assert_true(iv_url_path_valid("/interventions-static"));
    assert_false(iv_url_path_valid("static"));
    assert_false(iv_url_path_valid("/a b"));
    assert_false(iv_url_path_valid("/a\"onload=x"));
    assert_false(iv_url_path_valid("/<script>"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_durations),
        POOL_TEST(test_bad_durations),
        POOL_TEST(test_sizes),
        POOL_TEST(test_roles),
        POOL_TEST(test_commune_codes),
        POOL_TEST(test_url_paths),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("config_values", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
