#include "unit.h"
#include "router.h"

static int dummy(struct iv_req *rq) { (void)rq; return 0; }

static const iv_route routes[] = {
    { IV_GET,  "",                   1, 0, dummy, NULL },
    { IV_GET,  "connexion",          0, 0, dummy, NULL },
    { IV_POST, "connexion",          0, 0, dummy, NULL },
    { IV_GET,  "{id}",               1, 0, dummy, NULL },
    { IV_GET,  "{id}/modifier",      1, 0, dummy, NULL },
    { IV_POST, "{id}/modifier",      1, 0, dummy, NULL },
    { IV_GET,  "{id}/pieces/{n}",    1, 0, dummy, NULL },
    { IV_POST, "deconnexion",        1, 0, dummy, NULL },
    { IV_POST, "admin/{list:word}/{code:word}", 1, 0, dummy, NULL },
};
#define N (sizeof routes / sizeof *routes)

static iv_route_status match(apr_pool_t *p, iv_method m, const char *path,
                             const iv_route **found, iv_route_params *params, unsigned *allowed)
{
    return iv_route_match(routes, N, m, path, p, found, params, allowed);
}

static void test_root_and_literals(void **state)
{
    const iv_route *found = NULL;
    iv_route_params params;
    unsigned allowed = 0;

    assert_int_equal(match(*state, IV_GET, "", &found, &params, &allowed), IV_ROUTE_FOUND);
    assert_ptr_equal(found, &routes[0]);
    assert_int_equal(match(*state, IV_POST, "connexion", &found, &params, &allowed), IV_ROUTE_FOUND);
    assert_ptr_equal(found, &routes[2]);
    assert_int_equal(params.count, 0);
}

static void test_literal_wins_over_parameter_by_order(void **state)
{
    const iv_route *found = NULL;
    iv_route_params params;
    assert_int_equal(match(*state, IV_GET, "connexion", &found, &params, NULL), IV_ROUTE_FOUND);
    assert_ptr_equal(found, &routes[1]);
}

static void test_parameters(void **state)
{
    const iv_route *found = NULL;
    iv_route_params params;

    assert_int_equal(match(*state, IV_GET, "42/pieces/3", &found, &params, NULL), IV_ROUTE_FOUND);
    assert_ptr_equal(found, &routes[6]);
    assert_int_equal(params.count, 2);
    assert_string_equal(iv_route_param(&params, "id"), "42");
    assert_string_equal(iv_route_param(&params, "n"), "3");
    assert_null(iv_route_param(&params, "x"));
}

static void test_word_parameters(void **state)
{
    const iv_route *found = NULL;
    iv_route_params params;

    assert_int_equal(match(*state, IV_POST, "admin/objets/debordement_ep", &found, &params, NULL),
                     IV_ROUTE_FOUND);
    assert_string_equal(iv_route_param(&params, "list"), "objets");
    assert_string_equal(iv_route_param(&params, "code"), "debordement_ep");
    assert_int_equal(match(*state, IV_POST, "admin/communes/2A004", &found, &params, NULL),
                     IV_ROUTE_FOUND);
    assert_int_equal(match(*state, IV_POST, "admin/agents/m.dupont", &found, &params, NULL),
                     IV_ROUTE_FOUND);
    assert_string_equal(iv_route_param(&params, "code"), "m.dupont");
    assert_int_equal(match(*state, IV_POST, "admin/objets/.hidden", &found, &params, NULL),
                     IV_ROUTE_NOT_FOUND);
    assert_int_equal(match(*state, IV_POST, "admin/objets/a b", &found, &params, NULL),
                     IV_ROUTE_NOT_FOUND);
    assert_int_equal(match(*state, IV_POST, "admin/objets/é", &found, &params, NULL),
                     IV_ROUTE_NOT_FOUND);
}

static void test_not_found(void **state)
{
    const iv_route *found = NULL;
    iv_route_params params;
    const char *paths[] = { "42/", "42/modifier/", "/", "42//modifier", "42/pieces",
                            "42/pieces/", "a/b/c/d", "connexionx", "4a", "42/pieces/x",
                            "1234567890123456789" };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        assert_int_equal(match(*state, IV_GET, paths[i], &found, &params, NULL),
                         IV_ROUTE_NOT_FOUND);
}

static void test_wrong_method_reports_allowed(void **state)
{
    const iv_route *found = NULL;
    iv_route_params params;
    unsigned allowed = 0;

    assert_int_equal(match(*state, IV_GET, "deconnexion", &found, &params, &allowed),
                     IV_ROUTE_WRONG_METHOD);
    assert_int_equal(allowed, 1u << IV_POST);
    assert_int_equal(match(*state, IV_POST, "", &found, &params, &allowed), IV_ROUTE_WRONG_METHOD);
    assert_int_equal(allowed, 1u << IV_GET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_root_and_literals),
        POOL_TEST(test_literal_wins_over_parameter_by_order),
        POOL_TEST(test_parameters),
        POOL_TEST(test_word_parameters),
        POOL_TEST(test_not_found),
        POOL_TEST(test_wrong_method_reports_allowed),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("router", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
