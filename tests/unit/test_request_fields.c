#include <string.h>
#include "unit.h"
#include "request_fields.h"

static int institution(void *ctx, const char *nature)
{
    (void)ctx;
    return strcmp(nature, "commune") == 0 || strcmp(nature, "service") == 0;
}

static int known(void *ctx, const char *list, const char *code)
{
    (void)ctx; (void)list;
    return strcmp(code, "inconnu") != 0;
}

static apr_table_t *valid_input(apr_pool_t *p)
{
    apr_table_t *t = apr_table_make(p, 32);
    apr_table_set(t, "origine", "telephone");
    apr_table_set(t, "date_recue", "23/06/2025 16:17");
    apr_table_set(t, "nature", "particulier");
    apr_table_set(t, "nom", "  DUPONT Jean ");
    apr_table_set(t, "adresse", "3 rue de l'Église");
    apr_table_set(t, "ville", "94080");
    apr_table_set(t, "objet", "odeurs");
    apr_table_set(t, "telephone", "+33 1 23 45 67 89");
    apr_table_set(t, "courriel", "Jean.Dupont@Example.FR");
    return t;
}

static int validate(apr_pool_t *p, apr_table_t *in, apr_table_t **clean, apr_table_t **errors)
{
    *clean = apr_table_make(p, 32);
    *errors = apr_table_make(p, 8);
    return iv_request_validate(p, in, *clean, *errors, institution, known, NULL);
}

static void test_valid_request_is_normalised(void **state)
{
    apr_table_t *clean, *errors;
    assert_int_equal(validate(*state, valid_input(*state), &clean, &errors), 0);
    assert_string_equal(apr_table_get(clean, "nom"), "DUPONT Jean");
    assert_string_equal(apr_table_get(clean, "date_recue"), "2025-06-23 16:17");
    assert_string_equal(apr_table_get(clean, "telephone"), "0123456789");
    assert_string_equal(apr_table_get(clean, "courriel"), "jean.dupont@example.fr");
    assert_string_equal(apr_table_get(clean, "equipe"), "");
}

static void test_required_fields(void **state)
{
    apr_table_t *clean, *errors, *in = apr_table_make(*state, 1);
    const char *required[] = { "origine", "date_recue", "nature", "adresse", "ville", "objet" };
    validate(*state, in, &clean, &errors);
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        assert_string_equal(apr_table_get(errors, required[i]), "error.field.required");
    assert_null(apr_table_get(errors, "nom"));      /* no nature yet: no name rule */
    assert_null(apr_table_get(errors, "telephone"));
}

static void test_name_required_unless_institution(void **state)
{
    apr_table_t *clean, *errors, *in = valid_input(*state);
    apr_table_set(in, "nom", " ");
    assert_int_equal(validate(*state, in, &clean, &errors), 1);
    assert_string_equal(apr_table_get(errors, "nom"), "error.field.name_required");
    apr_table_set(in, "nature", "commune");
    assert_int_equal(validate(*state, in, &clean, &errors), 0);
}

static void test_each_bad_value(void **state)
{
    const struct { const char *field, *value, *error; } cases[] = {
        { "telephone", "12 34", "error.field.phone" },
        { "courriel", "jean@", "error.field.email" },
        { "date_recue", "31/02/2025", "error.field.datetime" },
        { "objet", "inconnu", "error.field.unknown_choice" },
        { "latitude", "91", "error.field.coordinate" },
        { "adresse", NULL, "error.field.too_long" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        apr_table_t *clean, *errors, *in = valid_input(*state);
        const char *value = cases[i].value;
        if (!value) {
            char *longer = apr_palloc(*state, 202);
            memset(longer, 'a', 201);
            longer[201] = '\0';
            value = longer;
        }
        apr_table_set(in, cases[i].field, value);
        validate(*state, in, &clean, &errors);
        assert_string_equal(apr_table_get(errors, cases[i].field), cases[i].error);
    }
}

static void test_cross_field_rules(void **state)
{
    apr_table_t *clean, *errors, *in = valid_input(*state);
    apr_table_set(in, "debut", "24/06/2025 10:00");
    apr_table_set(in, "fin", "24/06/2025 09:59");
    apr_table_set(in, "date_transmission", "23/06/2025 16:16");
    apr_table_set(in, "latitude", "48,85");
    validate(*state, in, &clean, &errors);
    assert_string_equal(apr_table_get(errors, "fin"), "error.field.end_before_start");
    assert_string_equal(apr_table_get(errors, "date_transmission"),
                        "error.field.sent_before_received");
    assert_string_equal(apr_table_get(errors, "longitude"), "error.field.coordinate_pair");
    assert_string_equal(apr_table_get(clean, "latitude"), "48.85");
    apr_table_set(in, "fin", "24/06/2025 10:00");
    apr_table_set(in, "date_transmission", "23/06/2025 16:17");
    apr_table_set(in, "longitude", "2.43");
    assert_int_equal(validate(*state, in, &clean, &errors), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_valid_request_is_normalised),
        POOL_TEST(test_required_fields),
        POOL_TEST(test_name_required_unless_institution),
        POOL_TEST(test_each_bad_value),
        POOL_TEST(test_cross_field_rules),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("request_fields", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
