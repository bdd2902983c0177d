/*
 * h_admin_refs.c — the administrators' pages for the reference lists, under
 * admin/referentiels: the lists with their counts, one list's values, and the
 * changes: add, rename (and the list's extra column), move up or down,
 * deactivate, reactivate. A code never changes and nothing is ever deleted: a
 * deactivated value leaves new forms but stays on the requests that hold it.
 *
 * Every change is one transaction with its audit row. Bad input gives the list
 * page again with HTTP 422, the typed values and the errors; success a 303 back
 * to the list with ?ok=<action>&code=<code> for the confirmation.
 */
#include "httpd.h"
#include "apr_strings.h"
#include "http_protocol.h"
#include "util_script.h"

#include "routes.h"
#include "form.h"
#include "http_util.h"
#include "refcode.h"
#include "stores.h"
#include "text.h"
#include "view.h"

#define REFS_PATH "admin/referentiels"
#define ADD_FORM "ajout"

typedef struct {
    const char *field;          /* form field name: libelle, code, or the extra's */
    const char *key;            /* catalogue key of the message */
} field_error;

/* A form sent back: what was typed, and why it was refused. */
typedef struct {
    const char *form;           /* ADD_FORM, or the code of the row being renamed */
    const char *code;
    const char *label;
    const char *extra;
    apr_array_header_t *errors; /* of field_error */
    const char *notice;         /* an error that belongs to no field */
} ref_form;

static const char *const extra_kinds[] = { "none", "flag", "team" };

/* ---------------------------------------------------------------- rendering */

static int db_failure(iv_req *rq)
{
    return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
}

static void add_value(xmlNodePtr parent, const iv_ref_value *v, int first, int last)
{
    xmlNodePtr n = iv_node(parent, "value");
    iv_attr(n, "code", v->code);
    iv_attr(n, "label", v->label);
    iv_attr(n, "position", v->position);
    iv_attr(n, "active", v->active ? "1" : "0");
    iv_attr(n, "extra", v->extra);
    iv_attr(n, "extra-label", v->extra_label);
    iv_attr(n, "uses", v->uses);
    if (first)
        iv_attr(n, "first", "1");
    if (last)
        iv_attr(n, "last", "1");
}

/* The refused form; its errors in the order of the fields on the page, so that
 * the summary reads top to bottom and the first one takes the focus. */
static void add_form(xmlNodePtr page, const iv_ref_list *list, const ref_form *form)
{
    const char *const fields[] = { "libelle", "code", list->extra_field };
    xmlNodePtr n = iv_node(page, "form"), errors = iv_node(n, "errors");

    iv_attr(n, "for", form->form);
    iv_attr(n, "code", form->code);
    iv_attr(n, "label", form->label);
    iv_attr(n, "extra", form->extra);
    for (size_t f = 0; f < sizeof fields / sizeof *fields && fields[f]; f++)
        for (int i = 0; i < form->errors->nelts; i++) {
            const field_error *e = &APR_ARRAY_IDX(form->errors, i, field_error);
            xmlNodePtr err;
            if (strcmp(e->field, fields[f]) != 0)
                continue;
            err = iv_node(errors, "error");
            iv_attr(err, "field", e->field);
            iv_attr(err, "key", e->key);
        }
}

/* The page of one list. form (may be NULL) is a refused form; done (may be
 * NULL) the change just made, for the confirmation. */
static int list_page(iv_req *rq, const iv_ref_list *list, int status, const ref_form *form,
                     const char *done, const char *done_code)
{
    apr_array_header_t *values, *teams = NULL;
    xmlNodePtr page, refs;

    if (iv_refs_all(rq, list, &values) != 0
        || (list->extra == IV_REF_EXTRA_TEAM && iv_refs_active(rq, "equipes", NULL, &teams) != 0))
        return db_failure(rq);
    page = iv_page_new(rq, "admin_refs_list");
    refs = iv_node(page, "refs");
    iv_attr(refs, "list", list->name);
    iv_attr(refs, "extra", extra_kinds[list->extra]);
    iv_attr(refs, "field", list->extra_field);
    iv_attr(refs, "insee", list->insee_code ? "1" : "0");
    for (int i = 0; i < values->nelts; i++)
        add_value(refs, APR_ARRAY_IDX(values, i, iv_ref_value *), i == 0, i == values->nelts - 1);
    for (int i = 0; teams && i < teams->nelts; i++)
        add_value(iv_node(refs, "teams"), APR_ARRAY_IDX(teams, i, iv_ref_value *), 0, 0);
    if (form && form->notice)
        iv_page_notice(page, "error", form->notice);
    if (form)
        add_form(page, list, form);
    if (done) {
        xmlNodePtr d = iv_node(page, "done");
        iv_attr(d, "action", done);
        iv_attr(d, "code", done_code);
    }
    return iv_page_send(rq, page, status);
}

/* ---------------------------------------------------------------- input */

static ref_form *form_new(iv_req *rq, const char *which)
{
    ref_form *form = apr_pcalloc(rq->r->pool, sizeof *form);
    form->form = which;
    form->code = form->label = "";
    form->errors = apr_array_make(rq->r->pool, 4, sizeof(field_error));
    return form;
}

static void add_error(ref_form *form, const char *field, const char *key)
{
    field_error *e = apr_array_push(form->errors);
    e->field = field;
    e->key = key;
}

/* The label and the extra column's value as posted. */
static void read_fields(iv_req *rq, const iv_ref_list *list, ref_form *form)
{
    form->label = iv_ref_label_clean(rq->r->pool, iv_form_get(rq, "libelle"));
    if (list->extra == IV_REF_EXTRA_FLAG)
        form->extra = strcmp(iv_form_get(rq, list->extra_field), "1") == 0 ? "true" : "false";
    else if (list->extra == IV_REF_EXTRA_TEAM)
        form->extra = iv_trim(rq->r->pool, iv_form_get(rq, list->extra_field));
}

static void check_label(ref_form *form)
{
    if (!*form->label)
        add_error(form, "libelle", "refs.error.label_required");
    else if (iv_utf8_length(form->label) > IV_REF_LABEL_MAX)
        add_error(form, "libelle", "refs.error.label_long");
}

/* The code a new value gets: typed (an INSEE code for communes), or made from
 * the label. NULL after adding the reason to form. */
static const char *new_code(iv_req *rq, const iv_ref_list *list, ref_form *form)
{
    const char *code = form->code;

    if (list->insee_code) {
        if (!*code) {
            add_error(form, "code", "refs.error.insee_required");
            return NULL;
        }
        if (!(code = iv_insee_normalize(rq->r->pool, code)))
            add_error(form, "code", "refs.error.insee_format");
        return code;
    }
    if (*code) {
        if (iv_ref_code_valid(code))
            return code;
        add_error(form, "code", "refs.error.code_format");
        return NULL;
    }
    if (!*form->label)
        return NULL;        /* the label's own error says what to do */
    code = iv_ref_code_from_label(rq->r->pool, form->label);
    if (*code)
        return code;
    add_error(form, "code", "refs.error.code_required");
    return NULL;
}

/* An agent's team must be an active team, or the one they already have. */
static int check_team(iv_req *rq, const iv_ref_list *list, ref_form *form, const char *current)
{
    apr_array_header_t *teams;

    if (list->extra != IV_REF_EXTRA_TEAM || !*form->extra)
        return 0;
    if (iv_refs_active(rq, "equipes", current, &teams) != 0)
        return -1;
    for (int i = 0; i < teams->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(teams, i, iv_ref_value *)->code, form->extra) == 0)
            return 0;
    add_error(form, list->extra_field, "refs.error.team");
    return 0;
}

/* ---------------------------------------------------------------- changes */

/* Records the change and commits, or rolls back; then the answer: 303 to the
 * list, the list with the refused form (rv > 0), or an error status (rv < 0). */
static int finish(iv_req *rq, const iv_ref_list *list, int rv, const ref_form *form,
                  const char *action, const char *code, const char *detail)
{
    apr_pool_t *p = rq->r->pool;
    int moved = strcmp(action, "monter") == 0 || strcmp(action, "descendre") == 0;

    if (rv == 0 && detail
        && iv_audit(rq, rq->user->login, "referentiel",
                    apr_psprintf(p, "%s: %s %s%s", list->name, action, code, detail)) != 0)
        rv = -1;
    if (rv == 0 && iv_db_commit(rq) != 0)
        return db_failure(rq);
    if (rv != 0)
        iv_db_rollback(rq);
    if (rv < 0)
        return db_failure(rq);
    if (rv > 0)
        return list_page(rq, list, HTTP_UNPROCESSABLE_ENTITY, form, NULL, NULL);
    code = ap_escape_path_segment(p, code);
    /* after a move the page opens at the row, ready for the next click */
    return iv_redirect(rq, apr_pstrcat(p, rq->base, "/" REFS_PATH "/", list->name, "?ok=", action,
                                       "&code=", code, moved ? "#v-" : "", moved ? code : "",
                                       NULL));
}

/* The changes below (insert_value, change_label, run_change) run inside the
 * transaction and return < 0 on a database error (logged), > 0 when form got
 * errors (nothing is to be kept), 0 when done. *detail receives the audit text
 * that follows "<list>: <action> <code>", and stays NULL when nothing changed
 * (no audit row then). */

static int has_error(const ref_form *form, const char *field)
{
    for (int i = 0; i < form->errors->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(form->errors, i, field_error).field, field) == 0)
            return 1;
    return 0;
}

/* Adds the value unless its code or label is taken; the errors found before
 * (code is NULL when it was unusable) are reported together with these. */
static int insert_value(iv_req *rq, const iv_ref_list *list, ref_form *form, const char *code)
{
    const char *label = has_error(form, "libelle") ? NULL : form->label;
    int code_taken = 0, label_taken = 0, inserted = 0;

    if ((code || label)
        && iv_refs_clash(rq, list, code, label, NULL, &code_taken, &label_taken) != 0)
        return -1;
    if (label_taken)
        add_error(form, "libelle", "refs.error.label_taken");
    if (code_taken) {
        add_error(form, "code", list->insee_code ? "refs.error.insee_taken" : "refs.error.code_taken");
        form->code = code;      /* a code made from the label: show which */
    }
    if (form->errors->nelts)
        return 1;
    if (iv_refs_insert(rq, list, code, form->label, form->extra, &inserted) != 0)
        return -1;
    if (!inserted)              /* taken between the check and the insert */
        add_error(form, "code", "refs.error.code_taken");
    return !inserted;
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static int change_label(iv_req *rq, const iv_ref_list *list, const iv_ref_value *current,
                        ref_form *form, const char **detail)
{
    apr_pool_t *p = rq->r->pool;
    int code_taken, label_taken, same_label, same_extra;

    read_fields(rq, list, form);
    check_label(form);
    if (check_team(rq, list, form, current->extra) != 0)
        return -1;
    if (form->errors->nelts)
        return 1;
    if (iv_refs_clash(rq, list, NULL, form->label, current->code, &code_taken, &label_taken) != 0)
        return -1;
    if (label_taken) {
        add_error(form, "libelle", "refs.error.label_taken");
        return 1;
    }
    same_label = strcmp(form->label, current->label) == 0;
    same_extra = !form->extra || strcmp(form->extra, current->extra ? current->extra : "") == 0;
    if (same_label && same_extra)
        return 0;
    if (iv_refs_update(rq, list, current->code, form->label, form->extra) != 0)
        return -1;
    /* old → new, as the audit trail wants: "(Odeurs → Odeurs fortes; equipe: - → conformite)" */
    *detail = apr_pstrcat(p, " (",
                          same_label ? "" : apr_psprintf(p, "%s → %s", current->label, form->label),
                          same_label || same_extra ? "" : "; ",
                          same_extra ? "" : apr_psprintf(p, "%s: %s → %s", list->extra_field,
                                                         or_dash(current->extra),
                                                         or_dash(form->extra)),
                          ")", NULL);
    return 0;
}

/* The posted field "action": one change per post. There is no "supprimer". All
 * but renommer take no input: a store function does them whole. */
typedef int (*ref_store_fn)(iv_req *rq, const iv_ref_list *list, const char *code, int arg,
                            int *changed);

static const struct ref_change {
    const char *name;
    ref_store_fn store;         /* NULL: renommer, which reads and checks the form */
    int arg;
} changes[] = {
    { "renommer",   NULL,               0 },
    { "monter",     iv_refs_move,       -1 },
    { "descendre",  iv_refs_move,       1 },
    { "desactiver", iv_refs_set_active, 0 },
    { "reactiver",  iv_refs_set_active, 1 },
};

static int run_change(iv_req *rq, const iv_ref_list *list, const iv_ref_value *current,
                      const struct ref_change *change, ref_form *form, const char **detail)
{
    int changed;

    if (!change->store)
        return change_label(rq, list, current, form, detail);
    if (change->store(rq, list, current->code, change->arg, &changed) != 0)
        return -1;
    if (changed)
        *detail = "";           /* the action and the code say it all */
    return 0;
}

/* The change posted under name, or NULL. */
static const struct ref_change *find_change(const char *name)
{
    for (size_t i = 0; name && i < sizeof changes / sizeof *changes; i++)
        if (strcmp(changes[i].name, name) == 0)
            return &changes[i];
    return NULL;
}

/* ---------------------------------------------------------------- handlers */

static const iv_ref_list *requested_list(iv_req *rq)
{
    return iv_refs_find(iv_route_param(&rq->params, "liste"));
}

int iv_h_refs_index(iv_req *rq)
{
    xmlNodePtr page = iv_page_new(rq, "admin_refs_index"), lists = iv_node(page, "lists");

    for (size_t i = 0; i < iv_ref_lists_count; i++) {
        int active, total;
        xmlNodePtr n;
        if (iv_refs_counts(rq, &iv_ref_lists[i], &active, &total) != 0)
            return db_failure(rq);
        n = iv_node(lists, "list");
        iv_attr(n, "name", iv_ref_lists[i].name);
        iv_attr(n, "active", apr_itoa(rq->r->pool, active));
        iv_attr(n, "total", apr_itoa(rq->r->pool, total));
    }
    return iv_page_send(rq, page, HTTP_OK);
}

int iv_h_refs_list(iv_req *rq)
{
    const iv_ref_list *list = requested_list(rq);
    apr_table_t *args = NULL;
    const char *done;

    if (!list)
        return HTTP_NOT_FOUND;
    ap_args_to_table(rq->r, &args);
    done = apr_table_get(args, "ok");
    /* only our own confirmations: the flag selects a catalogue key */
    if (done && strcmp(done, ADD_FORM) != 0 && !find_change(done))
        done = NULL;
    return list_page(rq, list, HTTP_OK, NULL, done, done ? apr_table_get(args, "code") : NULL);
}

int iv_h_refs_add(iv_req *rq)
{
    const iv_ref_list *list = requested_list(rq);
    ref_form *form;
    const char *code;
    int rv;

    if (!list)
        return HTTP_NOT_FOUND;
    form = form_new(rq, ADD_FORM);
    read_fields(rq, list, form);
    form->code = iv_trim(rq->r->pool, iv_form_get(rq, "code"));
    check_label(form);
    code = new_code(rq, list, form);
    if (iv_db_begin(rq) != 0)
        return db_failure(rq);
    rv = check_team(rq, list, form, NULL);
    if (rv == 0)
        rv = insert_value(rq, list, form, code);
    return finish(rq, list, rv, form, ADD_FORM, code, "");
}

int iv_h_refs_change(iv_req *rq)
{
    const iv_ref_list *list = requested_list(rq);
    const char *code = iv_route_param(&rq->params, "code");
    const struct ref_change *change = find_change(iv_form_get(rq, "action"));
    const char *detail = NULL;
    iv_ref_value *current;
    ref_form *form;
    int rv;

    if (!list)
        return HTTP_NOT_FOUND;
    if (!change) {
        /* "supprimer" among others: values are deactivated, never deleted */
        form = form_new(rq, NULL);
        form->notice = "refs.error.action";
        return list_page(rq, list, HTTP_UNPROCESSABLE_ENTITY, form, NULL, NULL);
    }
    form = form_new(rq, code);
    if (iv_db_begin(rq) != 0 || iv_refs_lock_value(rq, list, code, &current) != 0)
        return db_failure(rq);          /* an open transaction ends with the request */
    if (!current) {
        iv_db_rollback(rq);
        return HTTP_NOT_FOUND;
    }
    rv = run_change(rq, list, current, change, form, &detail);
    return finish(rq, list, rv, form, change->name, current->code, detail);
}
