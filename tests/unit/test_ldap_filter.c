#include "unit.h"
#include "ldap_filter.h"

static void test_escapes_rfc4515_specials(void **state)
{
    assert_string_equal(iv_ldap_escape_filter_value(*state, "a*b(c)d\\e"),
                        "a\\2ab\\28c\\29d\\5ce");
    assert_string_equal(iv_ldap_escape_filter_value(*state, "*)(uid=*))(|(uid=*"),
                        "\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a");
}

static void test_keeps_plain_and_utf8(void **state)
{
    assert_string_equal(iv_ldap_escape_filter_value(*state, "secretariat"), "secretariat");
    assert_string_equal(iv_ldap_escape_filter_value(*state, "Élodie"), "Élodie");
}

static void test_escapes_invalid_utf8_bytes(void **state)
{
    assert_string_equal(iv_ldap_escape_filter_value(*state, "a\xff" "b"), "a\\ffb");
}

static void test_template_validity(void **state)
{
    (void)state;
    assert_true(iv_ldap_filter_template_valid("(uid=%s)"));
    assert_true(iv_ldap_filter_template_valid("(&(objectClass=person)(sAMAccountName=%s))"));
    assert_false(iv_ldap_filter_template_valid("(uid=admin)"));
    assert_false(iv_ldap_filter_template_valid("(|(uid=%s)(mail=%s))"));
    assert_false(iv_ldap_filter_template_valid("(uid=%d)"));
    assert_false(iv_ldap_filter_template_valid("(uid=%s%%)"));
}

static void test_build(void **state)
{
    assert_string_equal(iv_ldap_filter_build(*state, "(&(objectClass=inetOrgPerson)(uid=%s))", "x*"),
                        "(&(objectClass=inetOrgPerson)(uid=x\\2a))");
}

static void test_dn_normalize(void **state)
{
    const char *a = iv_ldap_dn_normalize(*state, "cn=Admins, ou=groups,  dc=demo,dc=local");
    assert_non_null(a);
    assert_string_equal(a, "cn=Admins,ou=groups,dc=demo,dc=local");
    assert_null(iv_ldap_dn_normalize(*state, "not a dn"));
    assert_null(iv_ldap_dn_normalize(*state, ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_escapes_rfc4515_specials),
        POOL_TEST(test_keeps_plain_and_utf8),
        POOL_TEST(test_escapes_invalid_utf8_bytes),
        POOL_TEST(test_template_validity),
        POOL_TEST(test_build),
        POOL_TEST(test_dn_normalize),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("ldap_filter", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
