#include <string.h>
#include "unit.h"
#include "validate.h"

static void test_phone_french_writings(void **state)
{
    const char *typed[] = { "01 23 45 67 89", "0123456789", "01.23.45.67.89", "01-23-45-67-89",
                            "+33 1 23 45 67 89", "+33123456789", "+33 (0)1 23 45 67 89",
                            "0033 1 23 45 67 89", " 01 23 45 67 89 ", NULL };
    for (int i = 0; typed[i]; i++)
        assert_string_equal(iv_phone_normalize(*state, typed[i]), "0123456789");
    assert_string_equal(iv_phone_normalize(*state, "06 12 34 56 78"), "0612345678");
}

static void test_phone_foreign_and_invalid(void **state)
{
    assert_string_equal(iv_phone_normalize(*state, "+32 2 123 45 67"), "+3221234567");
    const char *bad[] = { "", "12345", "01 23 45 67", "01 23 45 67 89 0", "00 23 45 67 89",
                          "abc", "01 23 45 67 8a", "+33 1 23", "+0 123 456 789", "1+23456789",
                          "+33 1 23 45 67 89 1", NULL };
    for (int i = 0; bad[i]; i++)
        assert_null(iv_phone_normalize(*state, bad[i]));
}

static void test_phone_display(void **state)
{
    assert_string_equal(iv_phone_display(*state, "0123456789"), "01 23 45 67 89");
    assert_string_equal(iv_phone_display(*state, "+3221234567"), "+3221234567");
    assert_string_equal(iv_phone_display(*state, ""), "");
}

static void test_email(void **state)
{
    (void)state;
    assert_true(iv_email_valid("marie.dupont@vincennes.fr"));
    assert_true(iv_email_valid("a+b@sub.example.org"));
    const char *bad[] = { "", "marie", "@vincennes.fr", "marie@", "marie@vincennes",
                          "marie@@vincennes.fr", "ma rie@vincennes.fr", "marie@vincennes..fr",
                          "marie@.vincennes.fr", "marie@vincennes.fr.", "<x>@y.fr", NULL };
    for (int i = 0; bad[i]; i++)
        assert_false(iv_email_valid(bad[i]));
}

static void test_datetimes(void **state)
{
    assert_string_equal(iv_datetime_parse(*state, "23/06/2025 16:17"), "2025-06-23 16:17");
    assert_string_equal(iv_datetime_parse(*state, "23/06/2025"), "2025-06-23 00:00");
    assert_string_equal(iv_datetime_parse(*state, "2025-06-23T16:17"), "2025-06-23 16:17");
    assert_string_equal(iv_datetime_parse(*state, "2025-06-23 16:17"), "2025-06-23 16:17");
    assert_string_equal(iv_datetime_parse(*state, "29/02/2024 00:00"), "2024-02-29 00:00");
    const char *bad[] = { "", "hier", "29/02/2025", "31/04/2025", "23/13/2025", "23/06/25",
                          "2025-06-23T24:00", "2025-06-23T16:60", "23/06/2025 16h17",
                          "2025-6-3", "23/06/2025 16:17:00", "0023/06/2025", NULL };
    for (int i = 0; bad[i]; i++)
        assert_null(iv_datetime_parse(*state, bad[i]));
}

static void test_dates_and_input_form(void **state)
{
    assert_string_equal(iv_date_parse(*state, "01/02/2026"), "2026-02-01");
    assert_string_equal(iv_date_parse(*state, "2026-02-01"), "2026-02-01");
    assert_null(iv_date_parse(*state, "2026-02-30"));
    assert_null(iv_date_parse(*state, "01/02/2026 10:00"));
    assert_string_equal(iv_datetime_input(*state, "2025-06-23 16:17"), "2025-06-23T16:17");
}

static void test_canonical_datetimes_sort_in_time_order(void **state)
{
    const char *a = iv_datetime_parse(*state, "31/12/2025 23:59");
    const char *b = iv_datetime_parse(*state, "01/01/2026 00:00");
    assert_true(strcmp(a, b) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_phone_french_writings),
        POOL_TEST(test_phone_foreign_and_invalid),
        POOL_TEST(test_phone_display),
        POOL_TEST(test_email),
        POOL_TEST(test_datetimes),
        POOL_TEST(test_dates_and_input_form),
        POOL_TEST(test_canonical_datetimes_sort_in_time_order),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("validate", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
