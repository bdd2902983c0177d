#include <string.h>
#include "unit.h"
#include "refcode.h"

static void test_code_from_label(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(iv_ref_code_from_label(p, "Débordement EP"), "debordement_ep");
    assert_string_equal(iv_ref_code_from_label(p, "Bailleur / syndic"), "bailleur_syndic");
    assert_string_equal(iv_ref_code_from_label(p, "  Pôle   conformité  "), "pole_conformite");
    assert_string_equal(iv_ref_code_from_label(p, "Œuvre d'ÉLU : Ÿ & ß"), "oeuvre_d_elu_y_ss");
    assert_string_equal(iv_ref_code_from_label(p, "M."), "m");
    assert_string_equal(iv_ref_code_from_label(p, "3×4 ÷ 2"), "3_4_2");
    assert_string_equal(iv_ref_code_from_label(p, "Saint-Maur-des-Fossés"), "saint_maur_des_fosses");
    assert_string_equal(iv_ref_code_from_label(p, "l’égout « bouché »"), "l_egout_bouche");
    assert_string_equal(iv_ref_code_from_label(p, "€ — €"), "");
    assert_string_equal(iv_ref_code_from_label(p, ""), "");
    assert_string_equal(iv_ref_code_from_label(p, "日本 2"), "2");
}

static void test_code_from_long_label(void **state)
{
    apr_pool_t *p = *state;
    char label[200];
    /* 63 letters, a space, then more: the cut must not leave a trailing "_" */
    memset(label, 'a', 63);
    strcpy(label + 63, " bcd");
    const char *code = iv_ref_code_from_label(p, label);
    assert_int_equal(strlen(code), 63);
    assert_true(iv_ref_code_valid(code));
    memset(label, 'e', 100);
    label[100] = '\0';
    assert_int_equal(strlen(iv_ref_code_from_label(p, label)), IV_REF_CODE_MAX);
    /* "é" is two bytes but one letter: 100 of them still give 64 */
    char accents[201] = "";
    for (int i = 0; i < 100; i++)
        strcat(accents, "é");
    assert_int_equal(strlen(iv_ref_code_from_label(p, accents)), IV_REF_CODE_MAX);
}

static void test_code_valid(void **state)
{
    (void)state;
    assert_true(iv_ref_code_valid("debordement_ep"));
    assert_true(iv_ref_code_valid("m"));
    assert_true(iv_ref_code_valid("a1_2"));
    assert_false(iv_ref_code_valid(""));
    assert_false(iv_ref_code_valid("Debordement"));
    assert_false(iv_ref_code_valid("débordement"));
    assert_true(iv_ref_code_valid("a-b"));
    assert_true(iv_ref_code_valid("m.dupont"));
    assert_false(iv_ref_code_valid(".cache"));
    assert_false(iv_ref_code_valid("-x"));
    assert_true(iv_ref_code_valid("a.b"));
    assert_true(iv_ref_code_valid("a.b"));
    char long_code[66];
    memset(long_code, 'x', 65);
    long_code[65] = '\0';
    assert_false(iv_ref_code_valid(long_code));
    long_code[64] = '\0';
    assert_true(iv_ref_code_valid(long_code));
}

static void test_insee(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(iv_insee_normalize(p, "94080"), "94080");
    assert_string_equal(iv_insee_normalize(p, "2A004"), "2A004");
    assert_string_equal(iv_insee_normalize(p, "2b033"), "2B033");
    assert_string_equal(iv_insee_normalize(p, "97101"), "97101");
    assert_null(iv_insee_normalize(p, "9408"));
    assert_null(iv_insee_normalize(p, "940800"));
    assert_null(iv_insee_normalize(p, "94O80"));
    assert_null(iv_insee_normalize(p, "2C004"));
    assert_null(iv_insee_normalize(p, "20004"));
    assert_null(iv_insee_normalize(p, "2A0O4"));
    assert_null(iv_insee_normalize(p, "vince"));
    assert_null(iv_insee_normalize(p, ""));
}

static void test_label_clean(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(iv_ref_label_clean(p, "  Débordement \t EP \n"), "Débordement EP");
    assert_string_equal(iv_ref_label_clean(p, "a\r\nb"), "a b");
    assert_string_equal(iv_ref_label_clean(p, " \t "), "");
    assert_string_equal(iv_ref_label_clean(p, "M."), "M.");
}

static void test_utf8_length(void **state)
{
    (void)state;
    assert_int_equal(iv_utf8_length(""), 0);
    assert_int_equal(iv_utf8_length("abc"), 3);
    assert_int_equal(iv_utf8_length("Débordement « EP » €"), 20);
    assert_int_equal(iv_utf8_length("\xf0\x9f\x98\x80"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_code_from_label),
        POOL_TEST(test_code_from_long_label),
        POOL_TEST(test_code_valid),
        POOL_TEST(test_insee),
        POOL_TEST(test_label_clean),
        POOL_TEST(test_utf8_length),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("refcode", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
