#include "unit.h"
#include "apr_tables.h"
#include "headers.h"

static void test_security_headers(void **state)
{
    apr_table_t *t = apr_table_make(*state, 8);
    iv_security_headers(t, 0);
    assert_string_equal(apr_table_get(t, "Content-Security-Policy"),
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'");
    assert_string_equal(apr_table_get(t, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(apr_table_get(t, "Referrer-Policy"), "same-origin");
    assert_string_equal(apr_table_get(t, "X-Frame-Options"), "DENY");
    assert_null(apr_table_get(t, "Cache-Control"));
}

static void test_no_store_and_no_duplicates(void **state)
{
    apr_table_t *t = apr_table_make(*state, 8);
    iv_security_headers(t, 1);
    iv_security_headers(t, 1);
    assert_string_equal(apr_table_get(t, "Cache-Control"), "no-store");
    assert_int_equal(apr_table_elts(t)->nelts, 5);
}

static void test_cookie_header(void **state)
{
    assert_string_equal(iv_cookie_header(*state, "iv_session", "abc", "/interventions", "Lax", 0),
                        "iv_session=abc; Path=/interventions; HttpOnly; SameSite=Lax");
    assert_string_equal(iv_cookie_header(*state, "iv_session", "abc", "/", "Strict", 1),
                        "iv_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
    assert_string_equal(iv_cookie_header(*state, "iv_session", "", "/i", "Lax", 1),
                        "iv_session=; Path=/i; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
}

static void test_content_disposition(void **state)
{
    assert_string_equal(iv_content_disposition(*state, "inline", "photo.jpg"),
                        "inline; filename=\"photo.jpg\"; filename*=UTF-8''photo.jpg");
    assert_string_equal(iv_content_disposition(*state, "attachment", "Photo été \"1\";x.pdf"),
                        "attachment; filename=\"Photo __t__ _1__x.pdf\"; "
                        "filename*=UTF-8''Photo%20%C3%A9t%C3%A9%20%221%22%3Bx.pdf");
    assert_string_equal(iv_content_disposition(*state, "inline", "a\r\nb"),
                        "inline; filename=\"a__b\"; filename*=UTF-8''a%0D%0Ab");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_security_headers),
        POOL_TEST(test_no_store_and_no_duplicates),
        POOL_TEST(test_cookie_header),
        POOL_TEST(test_content_disposition),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("headers", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
