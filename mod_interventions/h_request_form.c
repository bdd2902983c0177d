/*
 * h_request_form.c — recording a request (nouvelle) and editing it
 * ({id}/modifier): parse → authorise → validate → store with history → redirect.
 */
#include "httpd.h"
#include <string.h>
#include "apr_strings.h"
#include "http_log.h"
#include "http_protocol.h"

#include "routes.h"
#include "form.h"
#include "http_util.h"
#include "request_view.h"
#include "store_interventions.h"
#include "upload.h"
#include "view.h"

/* Context for the validation callbacks: the choices the form offered. */
static int is_institution(void *ctx, const char *nature)
{
    const iv_choice *c = iv_choice_find(ctx, "nature", nature);
    return c && strcmp(c->flag, "institution") == 0;
}

static int known_code(void *ctx, const char *list, const char *code)
{
    return iv_choice_find(ctx, list, code) != NULL;
}

/* The form page. values: what to show (typed or stored); errors may be NULL. */
static int form_page(iv_req *rq, int status, const iv_request *req, apr_table_t *values,
                     apr_table_t *errors, const apr_array_header_t *choices, xmlNodePtr *out)
{
    xmlNodePtr page = iv_page_new(rq, "request_form"), form = iv_node(page, "form");

    iv_attr(form, "mode", req ? "edit" : "create");
    iv_attr(form, "action", req ? apr_pstrcat(rq->r->pool, rq->base, "/", req->id, "/modifier", NULL)
                                : apr_pstrcat(rq->r->pool, rq->base, "/nouvelle", NULL));
    if (req) {
        iv_attr(form, "id", req->id);
        iv_attr(form, "number", apr_pstrcat(rq->r->pool, req->year, " / ", req->number, NULL));
        iv_attr(form, "version", req->version);
    }
    iv_add_fields(rq, form, values, errors, choices);
    if (!req) {
        /* files come with the form on creation; later from the request's page */
        xmlNodePtr files = iv_node(form, "files");
        iv_attr(files, "error", errors ? apr_table_get(errors, "pieces") : NULL);
        iv_attr(files, "file", rq->upload_error_file);
    }
    iv_add_choices(page, choices);
    if (out) {
        *out = form;        /* the caller adds more (stale notice) and sends */
        return OK;
    }
    return iv_page_send(rq, page, status);
}

/* Reads and checks the posted form; returns the number of errors. */
static int check_form(iv_req *rq, const apr_array_header_t *choices, apr_table_t **clean,
                      apr_table_t **errors)
{
    const char *now;
    int future = 0, count;

    *clean = apr_table_make(rq->r->pool, 32);
    *errors = apr_table_make(rq->r->pool, 8);
    count = iv_request_validate(rq->r->pool, rq->form, *clean, *errors, is_institution,
                                known_code, (void *)choices);
    if (!apr_table_get(*errors, "date_recue")
        && iv_clock(rq, apr_table_get(*clean, "date_recue"), &now, &future) == 0 && future) {
        apr_table_setn(*errors, "date_recue", "error.field.future");
        count++;
    }
    return count;
}

int iv_h_request_new_form(iv_req *rq)
{
    apr_array_header_t *choices;
    apr_table_t *values = apr_table_make(rq->r->pool, 4);
    const char *now;
    int future;

    if (iv_form_choices(rq, NULL, &choices) != 0 || iv_clock(rq, NULL, &now, &future) != 0)
        return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
    apr_table_setn(values, "date_recue", now);
    return form_page(rq, HTTP_OK, NULL, values, NULL, choices, NULL);
}

int iv_h_request_create(iv_req *rq)
{
    apr_array_header_t *choices;
    apr_table_t *clean, *errors;
    const char *id, *year, *number;

    if (iv_form_choices(rq, NULL, &choices) != 0)
        return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
    if (check_form(rq, choices, &clean, &errors) > 0 || rq->upload_error) {
        if (rq->upload_error)
            apr_table_setn(errors, "pieces", rq->upload_error);
        iv_upload_discard(rq);
        return form_page(rq, HTTP_UNPROCESSABLE_ENTITY, NULL, rq->form, errors, choices, NULL);
    }
    if (iv_db_begin(rq) != 0 || iv_request_insert(rq, clean, &id, &year, &number) != 0
        || iv_history_add(rq, id, "creation", "", "", "", "") != 0
        || iv_store_uploads(rq, id) != 0 || iv_db_commit(rq) != 0) {
        iv_db_rollback(rq);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    iv_upload_keep(rq);
    return iv_redirect(rq, apr_pstrcat(rq->r->pool, rq->base, "/", id, "?cree=1", NULL));
}

/* Loads the request named in the URL if the user may see it; *response is set
 * when not (404 whether it does not exist or is outside the user's perimeter). */
int iv_load_visible_request(iv_req *rq, iv_request **req, const char **team, int *response)
{
    const char *id = iv_route_param(&rq->params, "id");

    *team = "";
    /* only an intervenant's perimeter depends on his team */
    if (iv_request_get(rq, id, req) != 0
        || ((rq->user->roles & IV_ROLE_INTERVENANT)
            && iv_agent_team(rq, rq->user->login, team) != 0)) {
        *response = iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
        return 0;
    }
    if (!*req || !iv_request_visible(rq, *req, *team)) {
        *response = iv_error_page(rq, HTTP_NOT_FOUND, "error.not_found");
        return 0;
    }
    return 1;
}

int iv_h_request_edit_form(iv_req *rq)
{
    iv_request *req;
    apr_array_header_t *choices;
    const char *team;
    int response;

    if (!iv_load_visible_request(rq, &req, &team, &response))
        return response;
    if (iv_form_choices(rq, req->values, &choices) != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    return form_page(rq, HTTP_OK, req, req->values, NULL, choices, NULL);
}

/* One history row per changed field, old and new as people read them. */
static int record_changes(iv_req *rq, const iv_request *old, apr_table_t *clean,
                          const apr_array_header_t *choices)
{
    size_t n;
    const iv_field *fields = iv_request_fields(&n);

    for (size_t i = 0; i < n; i++) {
        const char *before = apr_table_get(old->values, fields[i].name);
        const char *after = apr_table_get(clean, fields[i].name);
        if (strcmp(before ? before : "", after ? after : "") == 0)
            continue;
        if (iv_history_add(rq, old->id, "modification", fields[i].name,
                           iv_field_display(rq, &fields[i], before, choices),
                           iv_field_display(rq, &fields[i], after, choices), "") != 0)
            return -1;
    }
    return 0;
}

/* Someone saved the request after this user opened it: the form comes back with
 * what the user typed, who changed it when, and where the stored values differ. */
static int stale_page(iv_req *rq, const iv_request *current, apr_table_t *clean,
                      const apr_array_header_t *choices)
{
    xmlNodePtr form, stale;
    size_t n;
    const iv_field *fields = iv_request_fields(&n);

    form_page(rq, HTTP_CONFLICT, current, rq->form, NULL, choices, &form);
    stale = iv_node(form, "stale");
    iv_attr(stale, "by", current->updated_by);
    iv_attr(stale, "date", current->updated_date);
    iv_attr(stale, "time", current->updated_time);
    for (size_t i = 0; i < n; i++) {
        const char *stored = apr_table_get(current->values, fields[i].name);
        const char *typed = apr_table_get(clean, fields[i].name);
        if (strcmp(stored ? stored : "", typed ? typed : "") != 0) {
            xmlNodePtr d = iv_node(stale, "difference");
            iv_attr(d, "name", fields[i].name);
            iv_attr(d, "current", iv_field_display(rq, &fields[i], stored, choices));
            iv_attr(d, "yours", iv_field_display(rq, &fields[i], typed, choices));
        }
    }
    return iv_page_send(rq, form->parent, HTTP_CONFLICT);
}

int iv_h_request_update(iv_req *rq)
{
    iv_request *req;
    apr_array_header_t *choices;
    apr_table_t *clean, *errors;
    const char *team, *version = iv_form_get(rq, "version");
    int response, updated = 0;

    if (!iv_load_visible_request(rq, &req, &team, &response))
        return response;
    if (iv_form_choices(rq, req->values, &choices) != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (check_form(rq, choices, &clean, &errors) > 0) {
        xmlNodePtr form;
        form_page(rq, HTTP_UNPROCESSABLE_ENTITY, req, rq->form, errors, choices, &form);
        iv_attr(form, "version", version);      /* keep the version the user read */
        return iv_page_send(rq, form->parent, HTTP_UNPROCESSABLE_ENTITY);
    }
    if (iv_db_begin(rq) != 0 || iv_request_update(rq, req->id, version, clean, &updated) != 0) {
        iv_db_rollback(rq);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (!updated) {
        iv_db_rollback(rq);
        return stale_page(rq, req, clean, choices);
    }
    if (record_changes(rq, req, clean, choices) != 0 || iv_db_commit(rq) != 0) {
        iv_db_rollback(rq);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return iv_redirect(rq, apr_pstrcat(rq->r->pool, rq->base, "/", req->id, "?modifiee=1", NULL));
}
