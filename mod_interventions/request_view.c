/*
 * request_view.c — what the request handlers share: who may see a request, and
 * the XML of its fields, choices and errors for the views.
 */
#include "httpd.h"
#include <string.h>
#include "apr_strings.h"

#include "request_view.h"
#include "validate.h"
#include "view.h"

static int in_list(const char *csv, const char *item)
{
    size_t len = strlen(item);
    for (const char *p = csv; p && *p; ) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == len && strncmp(p, item, n) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

int iv_request_is_own(iv_req *rq, const iv_request *req, const char *user_team)
{
    const char *team = apr_table_get(req->values, "equipe");
    return strcmp(req->assigned_agent, rq->user->login) == 0
        || (*user_team && team && strcmp(team, user_team) == 0);
}

int iv_request_visible(iv_req *rq, const iv_request *req, const char *user_team)
{
    unsigned roles = rq->user->roles;
    if (roles & (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE | IV_ROLE_SECRETARIAT))
        return 1;
    if ((roles & IV_ROLE_INTERVENANT) && iv_request_is_own(rq, req, user_team))
        return 1;
    return (roles & IV_ROLE_LECTEUR)
        && in_list(rq->user->communes, apr_table_get(req->values, "ville"));
}

/* "2025-06-23 16:17" → "23/06/2025 16:17" */
const char *iv_datetime_french(apr_pool_t *p, const char *canonical)
{
    if (!canonical || strlen(canonical) != 16)
        return canonical ? canonical : "";
    return apr_psprintf(p, "%.2s/%.2s/%.4s %.5s", canonical + 8, canonical + 5, canonical,
                        canonical + 11);
}

const char *iv_field_display(iv_req *rq, const iv_field *f, const char *value,
                             const apr_array_header_t *choices)
{
    const iv_choice *c;
    if (!value || !*value)
        return "";
    switch (f->kind) {
    case IV_F_SELECT:
        c = iv_choice_find(choices, f->list, value);
        return c ? c->label : value;
    case IV_F_DATETIME:
        return iv_datetime_french(rq->r->pool, value);
    case IV_F_PHONE:
        return iv_phone_display(rq->r->pool, value);
    default:
        return value;
    }
}

void iv_add_choices(xmlNodePtr page, const apr_array_header_t *choices)
{
    xmlNodePtr list = iv_node(page, "choices");
    for (int i = 0; choices && i < choices->nelts; i++) {
        const iv_choice *c = &APR_ARRAY_IDX(choices, i, iv_choice);
        xmlNodePtr n = iv_node(list, "choice");
        iv_attr(n, "list", c->list);
        iv_attr(n, "code", c->code);
        iv_attr(n, "label", c->label);
        if (*c->flag)
            iv_attr(n, "flag", c->flag);
    }
}

void iv_add_fields(iv_req *rq, xmlNodePtr parent, apr_table_t *values, apr_table_t *errors,
                   const apr_array_header_t *choices)
{
    size_t n;
    const iv_field *fields = iv_request_fields(&n);
    static const char *const groups[] = { "demande", "intervention", "realisee" };
    static const char *const kinds[] = { "text", "textarea", "select", "datetime", "phone",
                                         "email", "number" };

    for (size_t i = 0; i < n; i++) {
        const char *v = values ? apr_table_get(values, fields[i].name) : NULL;
        const char *shown = v ? v : "", *canonical;
        xmlNodePtr f = iv_node(parent, "field");
        /* a date the browser's datetime-local input can show; a bad one as typed */
        if (fields[i].kind == IV_F_DATETIME && *shown
            && (canonical = iv_datetime_parse(rq->r->pool, shown)))
            shown = iv_datetime_input(rq->r->pool, canonical);
        iv_attr(f, "name", fields[i].name);
        iv_attr(f, "group", groups[fields[i].group]);
        iv_attr(f, "kind", kinds[fields[i].kind]);
        iv_attr(f, "list", fields[i].list);
        iv_attr(f, "required", fields[i].required ? "1" : NULL);
        iv_attr(f, "value", shown);
        iv_attr(f, "display", iv_field_display(rq, &fields[i], v, choices));
        if (errors)
            iv_attr(f, "error", apr_table_get(errors, fields[i].name));
    }
}
