/*
 * h_request.c — a request's page ({id}) and its status changes ({id}/statut).
 */
#include "httpd.h"
#include <stddef.h>
#include <string.h>
#include "apr_strings.h"
#include "http_log.h"
#include "http_protocol.h"
#include "util_script.h"

#include "routes.h"
#include "auth.h"
#include "form.h"
#include "http_util.h"
#include "request_view.h"
#include "store_interventions.h"
#include "store_attachments.h"
#include "text.h"
#include "validate.h"
#include "view.h"
#include "workflow.h"

/* What the status forms were sent with, when the page comes back with errors. */
typedef struct {
    const char *action;
    apr_table_t *errors;
    const char *notice;         /* catalogue key of a page-level error */
} status_attempt;

static void add_history(iv_req *rq, xmlNodePtr page, const char *id)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    static const char *const attrs[] = { "date", "time", "who", "kind", "field", "old", "new",
                                         "reason" };
    xmlNodePtr history = iv_node(page, "history");

    if (iv_history_list(rq, id, &res) != 0)
        return;
    while (iv_db_next(rq, res, &row)) {
        xmlNodePtr e = iv_node(history, "entry");
        for (int c = 0; c < 8; c++)
            iv_attr(e, attrs[c], iv_db_value(rq, row, c));
    }
}

/* The actions the user may take now, with what each needs. */
static void add_actions(iv_req *rq, xmlNodePtr page, const iv_request *req, int own,
                        const char *now)
{
    xmlNodePtr actions = iv_node(page, "actions");
    iv_status from = iv_status_from_code(req->status);
    static const struct { unsigned need; const char *name; } needs[] = {
        { IV_NEED_TEAM, "equipe" }, { IV_NEED_TRANSMITTED_AT, "date_transmission" },
        { IV_NEED_PLANNED_AT, "date_planifiee" }, { IV_NEED_STARTED_AT, "debut" },
        { IV_NEED_ENDED_AT, "fin" }, { IV_NEED_COMMENT, "commentaire" },
        { IV_NEED_REASON, "motif" },
    };

    iv_attr(actions, "now", iv_datetime_input(rq->r->pool, now));
    for (iv_action a = 0; a < IV_ACT_COUNT; a++) {
        if (!iv_action_allowed(a, from, rq->user->roles, own))
            continue;
        xmlNodePtr n = iv_node(actions, "action");
        unsigned need = iv_action_needs(a, rq->user->roles);
        iv_attr(n, "code", iv_action_code(a));
        for (size_t i = 0; i < sizeof needs / sizeof *needs; i++)
            if (need & needs[i].need)
                iv_attr(iv_node(n, "needs"), "name", needs[i].name);
    }
    if (rq->user->roles & (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE | IV_ROLE_SECRETARIAT))
        iv_attr(actions, "edit", "1");
}

int iv_may_attach(iv_req *rq, const iv_request *req, const char *team)
{
    return (rq->user->roles & (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE | IV_ROLE_SECRETARIAT))
        || ((rq->user->roles & IV_ROLE_INTERVENANT) && iv_request_is_own(rq, req, team));
}

static void add_attachments(iv_req *rq, xmlNodePtr page, const iv_request *req, const char *team)
{
    static const char *const attrs[] = { "n", "name", "type", "size", "date" };
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    xmlNodePtr list = iv_node(page, "attachments");

    if (iv_may_attach(rq, req, team))
        iv_attr(list, "can-add", "1");
    if (iv_attachments_list(rq, req->id, &res) != 0)
        return;
    while (iv_db_next(rq, res, &row)) {
        xmlNodePtr f = iv_node(list, "file");
        for (int c = 0; c < 5; c++)
            iv_attr(f, attrs[c], iv_db_value(rq, row, c));
    }
}

static void add_request(iv_req *rq, xmlNodePtr page, const iv_request *req,
                        const apr_array_header_t *choices)
{
    xmlNodePtr r = iv_node(page, "request");
    iv_attr(r, "id", req->id);
    iv_attr(r, "number", apr_pstrcat(rq->r->pool, req->year, " / ", req->number, NULL));
    iv_attr(r, "status", req->status);
    iv_attr(r, "status-label", req->status_label);
    iv_attr(r, "version", req->version);
    iv_attr(r, "planned", iv_datetime_french(rq->r->pool, req->planned_at));
    iv_attr(r, "reason", req->status_reason);
    iv_attr(r, "updated-by", req->updated_by);
    iv_attr(r, "updated-date", req->updated_date);
    iv_attr(r, "updated-time", req->updated_time);
    iv_add_fields(rq, r, req->values, NULL, choices);
}

/* Renders the request's page. attempt is set when a status form came back. */
static int request_page(iv_req *rq, int status, const iv_request *req, const char *team,
                        const status_attempt *attempt)
{
    apr_array_header_t *choices;
    apr_table_t *args = NULL;
    const char *now;
    int future;
    xmlNodePtr page = iv_page_new(rq, "request");

    if (iv_form_choices(rq, req->values, &choices) != 0 || iv_clock(rq, NULL, &now, &future) != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    ap_args_to_table(rq->r, &args);
    if (!attempt) {
        static const char *const flags[] = { "cree", "modifiee", "statut", "pieces" };
        for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
            if (apr_table_get(args, flags[i]))
                iv_attr(iv_page_notice(page, "success", apr_pstrcat(rq->r->pool, "request.done.",
                                                                    flags[i], NULL)),
                        "a", apr_pstrcat(rq->r->pool, req->year, " / ", req->number, NULL));
    }
    add_request(rq, page, req, choices);
    add_actions(rq, page, req, iv_request_is_own(rq, req, team), now);
    if (attempt) {
        xmlNodePtr tried = iv_node(page, "attempt");
        const apr_array_header_t *errs = apr_table_elts(attempt->errors);
        iv_attr(tried, "action", attempt->action);
        if (attempt->notice) {
            xmlNodePtr n = iv_page_notice(page, "error", attempt->notice);
            iv_attr(n, "a", req->updated_by);
            iv_attr(n, "b", req->updated_time);
        }
        for (int i = 0; i < errs->nelts; i++) {
            const apr_table_entry_t *e = &APR_ARRAY_IDX(errs, i, apr_table_entry_t);
            xmlNodePtr f = iv_node(tried, "error");
            iv_attr(f, "name", e->key);
            iv_attr(f, "key", e->val);
        }
        const apr_array_header_t *typed = apr_table_elts(rq->form);
        for (int i = 0; i < typed->nelts; i++) {
            const apr_table_entry_t *e = &APR_ARRAY_IDX(typed, i, apr_table_entry_t);
            if (strcmp(e->key, "csrf_token") != 0) {
                xmlNodePtr v = iv_node(tried, "value");
                iv_attr(v, "name", e->key);
                iv_attr(v, "value", e->val);
            }
        }
    }
    if (rq->upload_error)
        iv_attr(iv_page_notice(page, "error", rq->upload_error), "a", rq->upload_error_file);
    iv_add_choices(page, choices);
    add_attachments(rq, page, req, team);
    add_history(rq, page, req->id);
    return iv_page_send(rq, page, status);
}

int iv_request_page_with_upload_error(iv_req *rq, const iv_request *req, const char *team)
{
    return request_page(rq, HTTP_UNPROCESSABLE_ENTITY, req, team, NULL);
}

int iv_h_request_page(iv_req *rq)
{
    iv_request *req;
    const char *team;
    int response;

    if (!iv_load_visible_request(rq, &req, &team, &response))
        return response;
    return request_page(rq, HTTP_OK, req, team, NULL);
}

/* ---------------------------------------------------------------- status changes */

/* A date of the status form: absent from the post means now (the one-tap buttons
 * of the field agent's list), present but empty or wrong is an error. */
static const char *posted_datetime(iv_req *rq, const char *name, const char *now,
                                   apr_table_t *errors)
{
    const char *typed = apr_table_get(rq->form, name), *value;
    if (!typed)
        return now;
    typed = iv_trim(rq->r->pool, typed);
    if (!*typed) {
        apr_table_setn(errors, name, "error.field.required");
        return "";
    }
    if (!(value = iv_datetime_parse(rq->r->pool, typed)))
        apr_table_setn(errors, name, "error.field.datetime");
    return value ? value : "";
}

static const char *posted_text(iv_req *rq, const char *name, int required, apr_table_t *errors)
{
    const char *v = iv_trim(rq->r->pool, iv_form_get(rq, name));
    if (required && !*v)
        apr_table_setn(errors, name, "error.field.required");
    else if (strlen(v) > 4000)
        apr_table_setn(errors, name, "error.field.too_long");
    return v;
}

/* Fills the change from the posted fields the action needs; errors per field. */
static void read_change(iv_req *rq, iv_action action, const iv_request *req, const char *now,
                        const apr_array_header_t *choices, iv_status_change *c,
                        apr_table_t *errors)
{
    unsigned needs = iv_action_needs(action, rq->user->roles);
    const char *received = apr_table_get(req->values, "date_recue");
    const char *started = apr_table_get(req->values, "debut");

    memset(c, 0, sizeof *c);
    c->team = c->transmitted_at = c->planned_at = c->started_at = c->ended_at = "";
    c->comment = c->done_by = c->closed_by = c->reason = "";
    if (needs & IV_NEED_TEAM) {
        c->team = posted_text(rq, "equipe", 1, errors);
        if (*c->team && !iv_choice_find(choices, "equipe", c->team))
            apr_table_setn(errors, "equipe", "error.field.unknown_choice");
    }
    if (needs & IV_NEED_TRANSMITTED_AT) {
        c->transmitted_at = posted_datetime(rq, "date_transmission", now, errors);
        if (*c->transmitted_at && strcmp(c->transmitted_at, received) < 0)
            apr_table_setn(errors, "date_transmission", "error.field.sent_before_received");
    }
    if (needs & IV_NEED_PLANNED_AT)
        c->planned_at = posted_datetime(rq, "date_planifiee", now, errors);
    if (needs & IV_NEED_STARTED_AT) {
        /* a start already recorded (the agent tapped "Commencer") stands */
        c->started_at = apr_table_get(rq->form, "debut") || !*started
                        ? posted_datetime(rq, "debut", now, errors) : started;
    }
    if (needs & IV_NEED_ENDED_AT) {
        c->ended_at = posted_datetime(rq, "fin", now, errors);
        if (*c->ended_at && *c->started_at && strcmp(c->ended_at, c->started_at) < 0)
            apr_table_setn(errors, "fin", "error.field.end_before_start");
    }
    if (action == IV_ACT_COMPLETE)
        c->comment = posted_text(rq, "commentaire", (needs & IV_NEED_COMMENT) != 0, errors);
    if (needs & IV_NEED_REASON)
        c->reason = posted_text(rq, "motif", 1, errors);
}

/* Who did the work and who closed: the posted agent, else the user when he is
 * an agent of the reference list. */
static int fill_agents(iv_req *rq, iv_action action, const apr_array_header_t *choices,
                       iv_status_change *c, apr_table_t *errors)
{
    int is_agent = 0;
    const char *posted = iv_trim(rq->r->pool, iv_form_get(rq, "realisee_par"));

    if (action != IV_ACT_COMPLETE && action != IV_ACT_CLOSE)
        return 0;
    if (iv_agent_exists(rq, rq->user->login, &is_agent) != 0)
        return -1;
    if (action == IV_ACT_CLOSE) {
        c->closed_by = is_agent ? rq->user->login : "";
        return 0;
    }
    if (*posted && !iv_choice_find(choices, "agent", posted))
        apr_table_setn(errors, "realisee_par", "error.field.unknown_choice");
    c->done_by = *posted ? posted : (rq->user->roles & IV_ROLE_INTERVENANT) && is_agent
                                     ? rq->user->login : "";
    return 0;
}

/* History: the status row, then one row per field the change set. */
static int record_status(iv_req *rq, const iv_request *req, const iv_status_change *c,
                         const apr_array_header_t *choices)
{
    const char *old_label, *new_label;
    static const struct { const char *field; size_t offset; } set[] = {
        { "equipe", offsetof(iv_status_change, team) },
        { "date_transmission", offsetof(iv_status_change, transmitted_at) },
        { "debut", offsetof(iv_status_change, started_at) },
        { "fin", offsetof(iv_status_change, ended_at) },
        { "commentaire", offsetof(iv_status_change, comment) },
        { "realisee_par", offsetof(iv_status_change, done_by) },
        { "cloturee_par", offsetof(iv_status_change, closed_by) },
    };

    if (iv_status_label(rq, req->status, &old_label) != 0
        || iv_status_label(rq, c->status, &new_label) != 0
        || iv_history_add(rq, req->id, "statut", "statut", old_label, new_label, c->reason) != 0)
        return -1;
    for (size_t i = 0; i < sizeof set / sizeof *set; i++) {
        const char *after = *(const char *const *)((const char *)c + set[i].offset);
        const char *before = apr_table_get(req->values, set[i].field);
        const iv_field *f = iv_request_field(set[i].field);
        if (!*after || strcmp(after, before ? before : "") == 0)
            continue;
        if (iv_history_add(rq, req->id, "modification", set[i].field,
                           iv_field_display(rq, f, before, choices),
                           iv_field_display(rq, f, after, choices), "") != 0)
            return -1;
    }
    return 0;
}

static int refused(iv_req *rq, int status, const iv_request *req, const char *team,
                   const char *action, apr_table_t *errors, const char *notice)
{
    status_attempt attempt = { action, errors, notice };
    return request_page(rq, status, req, team, &attempt);
}

int iv_h_request_status(iv_req *rq)
{
    iv_request *req;
    apr_array_header_t *choices;
    apr_table_t *errors = apr_table_make(rq->r->pool, 4);
    const char *team, *now, *code = iv_form_get(rq, "action"), *retour = iv_form_get(rq, "retour");
    iv_action action = iv_action_from_code(code);
    iv_status_change change;
    int response, future, updated = 0;

    if (!iv_load_visible_request(rq, &req, &team, &response))
        return response;
    if (action == IV_ACT_COUNT)
        return HTTP_BAD_REQUEST;
    if (!iv_action_allowed(action, iv_status_from_code(req->status), rq->user->roles,
                           iv_request_is_own(rq, req, team)))
        return refused(rq, HTTP_CONFLICT, req, team, code, errors, "request.forbidden_transition");
    if (iv_form_choices(rq, req->values, &choices) != 0 || iv_clock(rq, NULL, &now, &future) != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    read_change(rq, action, req, now, choices, &change, errors);
    if (fill_agents(rq, action, choices, &change, errors) != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (apr_table_elts(errors)->nelts)
        return refused(rq, HTTP_UNPROCESSABLE_ENTITY, req, team, code, errors, "request.status_errors");
    change.status = iv_status_code(iv_action_target(action, *apr_table_get(req->values, "equipe")));
    if (iv_db_begin(rq) != 0
        || iv_request_set_status(rq, req->id, iv_form_get(rq, "version"), &change, &updated) != 0) {
        iv_db_rollback(rq);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (!updated) {
        iv_db_rollback(rq);
        return refused(rq, HTTP_CONFLICT, req, team, code, errors, "request.stale_status");
    }
    if (record_status(rq, req, &change, choices) != 0 || iv_db_commit(rq) != 0) {
        iv_db_rollback(rq);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (*retour && iv_safe_return(rq, retour))
        return iv_redirect(rq, retour);
    return iv_redirect(rq, apr_pstrcat(rq->r->pool, rq->base, "/", req->id, "?statut=1", NULL));
}
