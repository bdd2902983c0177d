/*
 * workflow.h — the life of a request: statuses, the transitions each role may
 * make, and what each transition needs. Pure C, unit-tested; the server checks
 * every status change against this table.
 */
#ifndef IV_WORKFLOW_H
#define IV_WORKFLOW_H

typedef enum {
    IV_ST_NOUVELLE, IV_ST_TRANSMISE, IV_ST_PLANIFIEE, IV_ST_EN_COURS,
    IV_ST_REALISEE, IV_ST_CLOTUREE, IV_ST_ANNULEE, IV_ST_COUNT
} iv_status;

/* An action on the request page; each leads to one status. */
typedef enum {
    IV_ACT_TRANSMIT,     /* → transmise: team + date de transmission */
    IV_ACT_PLAN,         /* → planifiee: planned date */
    IV_ACT_START,        /* → en_cours: start date/time */
    IV_ACT_COMPLETE,     /* → realisee: start, end, comment (see iv_action_needs) */
    IV_ACT_CLOSE,        /* → cloturee */
    IV_ACT_CANCEL,       /* → annulee: a reason */
    IV_ACT_REOPEN,       /* cloturee/annulee → transmise (or nouvelle without team): a reason */
    IV_ACT_COUNT
} iv_action;

/* What an action needs, as a bit set. */
enum {
    IV_NEED_TEAM = 1u << 0,
    IV_NEED_TRANSMITTED_AT = 1u << 1,
    IV_NEED_PLANNED_AT = 1u << 2,
    IV_NEED_STARTED_AT = 1u << 3,
    IV_NEED_ENDED_AT = 1u << 4,
    IV_NEED_COMMENT = 1u << 5,
    IV_NEED_REASON = 1u << 6
};

/* The status code stored in the database ("nouvelle", "en_cours"…) and back;
 * iv_status_from_code returns IV_ST_COUNT for an unknown code. */
const char *iv_status_code(iv_status s);
iv_status iv_status_from_code(const char *code);

/* The action's code as posted by the forms ("transmettre"…) and back;
 * iv_action_from_code returns IV_ACT_COUNT for an unknown code. */
const char *iv_action_code(iv_action a);
iv_action iv_action_from_code(const char *code);

/* 1 when a user holding roles (IV_ROLE_* bits) may apply action to a request in
 * status from. own is 1 when the request is the user's (his team or assigned to
 * him): an intervenant acts only on his own requests. */
int iv_action_allowed(iv_action action, iv_status from, unsigned roles, int own);

/* The status the action leads to. has_team matters for reopening only. */
iv_status iv_action_target(iv_action action, int has_team);

/* The fields the action needs (IV_NEED_*). An intervenant ending his own work from
 * the field may leave the comment for the secretariat (typed from the paper). */
unsigned iv_action_needs(iv_action action, unsigned roles);

#endif
