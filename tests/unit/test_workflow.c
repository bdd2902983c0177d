#include "unit.h"
#include "roles.h"
#include "workflow.h"

#define ALL_STATUSES for (iv_status s = 0; s < IV_ST_COUNT; s++)

static void test_codes_round_trip(void **state)
{
    (void)state;
    ALL_STATUSES
        assert_int_equal(iv_status_from_code(iv_status_code(s)), s);
    for (iv_action a = 0; a < IV_ACT_COUNT; a++)
        assert_int_equal(iv_action_from_code(iv_action_code(a)), a);
    assert_int_equal(iv_status_from_code("inconnu"), IV_ST_COUNT);
    assert_int_equal(iv_action_from_code(NULL), IV_ACT_COUNT);
}

/* The expected table, written independently of workflow.c. */
static int expected(iv_action a, iv_status from, unsigned role, int own)
{
    int before_closing = from != IV_ST_CLOTUREE && from != IV_ST_ANNULEE;
    int manager = role == IV_ROLE_ADMIN || role == IV_ROLE_RESPONSABLE;
    int sec = role == IV_ROLE_SECRETARIAT, field = role == IV_ROLE_INTERVENANT && own;
    switch (a) {
    case IV_ACT_TRANSMIT:
        return (manager || sec) && (from == IV_ST_NOUVELLE || from == IV_ST_TRANSMISE
                                    || from == IV_ST_PLANIFIEE);
    case IV_ACT_PLAN:
        return (manager || sec) && (from == IV_ST_TRANSMISE || from == IV_ST_PLANIFIEE);
    case IV_ACT_START:
        return (manager || field) && (from == IV_ST_TRANSMISE || from == IV_ST_PLANIFIEE);
    case IV_ACT_COMPLETE:
        return (manager || sec || field) && (from == IV_ST_TRANSMISE || from == IV_ST_PLANIFIEE
                                             || from == IV_ST_EN_COURS);
    case IV_ACT_CLOSE:
        return manager && from == IV_ST_REALISEE;
    case IV_ACT_CANCEL:
        return manager && before_closing;
    case IV_ACT_REOPEN:
        return manager && !before_closing;
    default:
        return 0;
    }
}

static void test_every_transition_for_every_role(void **state)
{
    const unsigned roles[] = { IV_ROLE_ADMIN, IV_ROLE_RESPONSABLE, IV_ROLE_SECRETARIAT,
                               IV_ROLE_INTERVENANT, IV_ROLE_LECTEUR };
    (void)state;
    for (iv_action a = 0; a < IV_ACT_COUNT; a++)
        ALL_STATUSES
            for (size_t r = 0; r < sizeof roles / sizeof *roles; r++)
                for (int own = 0; own <= 1; own++)
                    if (iv_action_allowed(a, s, roles[r], own) != expected(a, s, roles[r], own))
                        fail_msg("action %s from %s by role %u own=%d", iv_action_code(a),
                                 iv_status_code(s), roles[r], own);
}

static void test_lecteur_never_acts_and_combined_roles_add_up(void **state)
{
    (void)state;
    for (iv_action a = 0; a < IV_ACT_COUNT; a++)
        ALL_STATUSES
            assert_false(iv_action_allowed(a, s, IV_ROLE_LECTEUR, 1));
    assert_true(iv_action_allowed(IV_ACT_CLOSE, IV_ST_REALISEE,
                                  IV_ROLE_LECTEUR | IV_ROLE_RESPONSABLE, 0));
}

static void test_targets(void **state)
{
    (void)state;
    assert_int_equal(iv_action_target(IV_ACT_TRANSMIT, 0), IV_ST_TRANSMISE);
    assert_int_equal(iv_action_target(IV_ACT_COMPLETE, 1), IV_ST_REALISEE);
    assert_int_equal(iv_action_target(IV_ACT_REOPEN, 1), IV_ST_TRANSMISE);
    assert_int_equal(iv_action_target(IV_ACT_REOPEN, 0), IV_ST_NOUVELLE);
    assert_int_equal(iv_action_target(IV_ACT_CANCEL, 0), IV_ST_ANNULEE);
}

static void test_needs(void **state)
{
    (void)state;
    assert_int_equal(iv_action_needs(IV_ACT_TRANSMIT, IV_ROLE_SECRETARIAT),
                     IV_NEED_TEAM | IV_NEED_TRANSMITTED_AT);
    assert_int_equal(iv_action_needs(IV_ACT_PLAN, IV_ROLE_SECRETARIAT), IV_NEED_PLANNED_AT);
    assert_int_equal(iv_action_needs(IV_ACT_COMPLETE, IV_ROLE_SECRETARIAT),
                     IV_NEED_STARTED_AT | IV_NEED_ENDED_AT | IV_NEED_COMMENT);
    assert_int_equal(iv_action_needs(IV_ACT_COMPLETE, IV_ROLE_INTERVENANT),
                     IV_NEED_STARTED_AT | IV_NEED_ENDED_AT);
    assert_int_equal(iv_action_needs(IV_ACT_CANCEL, IV_ROLE_RESPONSABLE), IV_NEED_REASON);
    assert_int_equal(iv_action_needs(IV_ACT_REOPEN, IV_ROLE_ADMIN), IV_NEED_REASON);
    assert_int_equal(iv_action_needs(IV_ACT_CLOSE, IV_ROLE_ADMIN), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_codes_round_trip),
        POOL_TEST(test_every_transition_for_every_role),
        POOL_TEST(test_lecteur_never_acts_and_combined_roles_add_up),
        POOL_TEST(test_targets),
        POOL_TEST(test_needs),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
