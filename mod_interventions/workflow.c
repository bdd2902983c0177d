#include <string.h>
#include "roles.h"
#include "workflow.h"

static const char *const status_codes[IV_ST_COUNT] = {
    "nouvelle", "transmise", "planifiee", "en_cours", "realisee", "cloturee", "annulee"
};

#define ST(s) (1u << IV_ST_##s)
#define BEFORE_CLOSING (ST(NOUVELLE) | ST(TRANSMISE) | ST(PLANIFIEE) | ST(EN_COURS) | ST(REALISEE))
#define MANAGERS (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE)

/* The transition table: from which statuses, by which roles, needing what.
 * Intervenants are limited to their own requests (see iv_action_allowed). */
static const struct {
    const char *code;
    unsigned from;            /* bit set of statuses */
    unsigned roles;
    iv_status target;
    unsigned needs;
} actions[IV_ACT_COUNT] = {
    [IV_ACT_TRANSMIT] = { "transmettre", ST(NOUVELLE) | ST(TRANSMISE) | ST(PLANIFIEE),
                          MANAGERS | IV_ROLE_SECRETARIAT, IV_ST_TRANSMISE,
                          IV_NEED_TEAM | IV_NEED_TRANSMITTED_AT },
    [IV_ACT_PLAN]     = { "planifier", ST(TRANSMISE) | ST(PLANIFIEE),
                          MANAGERS | IV_ROLE_SECRETARIAT, IV_ST_PLANIFIEE, IV_NEED_PLANNED_AT },
    [IV_ACT_START]    = { "commencer", ST(TRANSMISE) | ST(PLANIFIEE),
                          MANAGERS | IV_ROLE_INTERVENANT, IV_ST_EN_COURS, IV_NEED_STARTED_AT },
    [IV_ACT_COMPLETE] = { "terminer", ST(TRANSMISE) | ST(PLANIFIEE) | ST(EN_COURS),
                          MANAGERS | IV_ROLE_SECRETARIAT | IV_ROLE_INTERVENANT, IV_ST_REALISEE,
                          IV_NEED_STARTED_AT | IV_NEED_ENDED_AT | IV_NEED_COMMENT },
    [IV_ACT_CLOSE]    = { "cloturer", ST(REALISEE), MANAGERS, IV_ST_CLOTUREE, 0 },
    [IV_ACT_CANCEL]   = { "annuler", BEFORE_CLOSING, MANAGERS, IV_ST_ANNULEE, IV_NEED_REASON },
    [IV_ACT_REOPEN]   = { "rouvrir", ST(CLOTUREE) | ST(ANNULEE), MANAGERS, IV_ST_TRANSMISE,
                          IV_NEED_REASON },
};

const char *iv_status_code(iv_status s)
{
    return s < IV_ST_COUNT ? status_codes[s] : NULL;
}

iv_status iv_status_from_code(const char *code)
{
    for (int s = 0; code && s < IV_ST_COUNT; s++)
        if (strcmp(code, status_codes[s]) == 0)
            return (iv_status)s;
    return IV_ST_COUNT;
}

const char *iv_action_code(iv_action a)
{
    return a < IV_ACT_COUNT ? actions[a].code : NULL;
}

iv_action iv_action_from_code(const char *code)
{
    for (int a = 0; code && a < IV_ACT_COUNT; a++)
        if (strcmp(code, actions[a].code) == 0)
            return (iv_action)a;
    return IV_ACT_COUNT;
}

int iv_action_allowed(iv_action action, iv_status from, unsigned roles, int own)
{
    unsigned granted;

    if (action >= IV_ACT_COUNT || from >= IV_ST_COUNT || !(actions[action].from & (1u << from)))
        return 0;
    granted = roles & actions[action].roles;
    if (!own)
        granted &= ~(unsigned)IV_ROLE_INTERVENANT;
    return granted != 0;
}

iv_status iv_action_target(iv_action action, int has_team)
{
    if (action == IV_ACT_REOPEN && !has_team)
        return IV_ST_NOUVELLE;
    return action < IV_ACT_COUNT ? actions[action].target : IV_ST_COUNT;
}

unsigned iv_action_needs(iv_action action, unsigned roles)
{
    unsigned needs = action < IV_ACT_COUNT ? actions[action].needs : 0;
    /* only the field agent himself may leave the comment to the secretariat */
    if (action == IV_ACT_COMPLETE && !(roles & (IV_ROLES_ALL & ~(unsigned)IV_ROLE_INTERVENANT)))
        needs &= ~(unsigned)IV_NEED_COMMENT;
    return needs;
}
