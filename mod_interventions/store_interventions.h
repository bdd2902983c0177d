/*
 * store_interventions.h — the requests' data (see store_interventions.c).
 * All functions return 0, or non-zero after the database error was logged.
 */
#ifndef IV_STORE_INTERVENTIONS_H
#define IV_STORE_INTERVENTIONS_H

#include "db.h"
#include "request_fields.h"

extern const iv_statement iv_request_statements[];

/* A request as read from the database. */
typedef struct {
    apr_table_t *values;        /* form field name → stored value (canonical dates) */
    apr_table_t *labels;        /* select field name → label of its code */
    const char *id, *year, *number, *version;
    const char *status, *status_label, *planned_at, *assigned_agent, *status_reason;
    const char *updated_by, *updated_time, *updated_date;
} iv_request;

/* What a status change sets; "" leaves a value as it is. */
typedef struct {
    const char *status, *team, *transmitted_at, *planned_at, *started_at, *ended_at;
    const char *comment, *done_by, *closed_by, *reason;
} iv_status_change;

/* One choice of a select of the form. */
typedef struct {
    const char *list, *code, *label;
    const char *flag;           /* nature: "institution"; ville: "hors"; agent: team code */
} iv_choice;

/* *req is NULL when there is no such request. */
int iv_request_get(iv_req *rq, const char *id, iv_request **req);

/* The requests of ids ("12,57,3"), in one select: *by_id maps each id found to its
 * iv_request (an id no longer in the table is absent). */
int iv_request_get_many(iv_req *rq, const char *ids, apr_hash_t **by_id);

/* Inserts a request with the next number of its year (call inside a transaction,
 * with the history row). */
int iv_request_insert(iv_req *rq, apr_table_t *clean, const char **id, const char **year,
                      const char **number);

/* Updates every form field if the stored version is still version; *updated is 0
 * when someone changed the request in between. */
int iv_request_update(iv_req *rq, const char *id, const char *version, apr_table_t *clean,
                      int *updated);

int iv_request_set_status(iv_req *rq, const char *id, const char *version,
                          const iv_status_change *change, int *updated);

/* kind: creation, modification, statut, impression, piece, import. */
int iv_history_add(iv_req *rq, const char *id, const char *kind, const char *field,
                   const char *old_value, const char *new_value, const char *reason);

/* Rows: date, time, who, kind, field, old, new, reason. */
int iv_history_list(iv_req *rq, const char *id, apr_dbd_results_t **res);

/* The team of the agent whose code is login ("" when none). */
int iv_agent_team(iv_req *rq, const char *login, const char **team);
int iv_agent_exists(iv_req *rq, const char *code, int *exists);

/* Lower-case label of a status, for the history ("nouvelle → transmise"). */
int iv_status_label(iv_req *rq, const char *code, const char **label);

/* The database clock in Paris time ("AAAA-MM-JJ HH:MM"), and whether when (a
 * canonical date, may be "") is more than 5 minutes in the future. */
int iv_clock(iv_req *rq, const char *when, const char **now, int *in_future);

/* The form's choices (active values plus those current holds). */
int iv_form_choices(iv_req *rq, apr_table_t *current, apr_array_header_t **choices);
const iv_choice *iv_choice_find(const apr_array_header_t *choices, const char *list,
                                const char *code);

/* The field agent's open requests (his or his team's). Rows: id, number, status,
 * status label, version, received, address, commune, object, object complement,
 * planned, started, phone, requester. */
int iv_requests_mine(iv_req *rq, const char *team, apr_dbd_results_t **res);

#endif
