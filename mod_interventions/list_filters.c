/*
 * list_filters.c — reading the list's filters from the URL (list_filters.h): each
 * value checked against its reference list or its syntax, a bad one ignored with a
 * French message key, then the perimeter of the user's roles from the session.
 */
#include <string.h>
#include "httpd.h"
#include "apr_strings.h"

#include "list_filters.h"
#include "routes.h"

#define MAX_QUERY_CHARS 200

static void add_error(iv_list_filters *lv, const char *field, const char *key)
{
    APR_ARRAY_PUSH(lv->errors, const char *) = field;
    APR_ARRAY_PUSH(lv->errors, const char *) = key;
}

/* The value of name as typed, "" when absent; an undecodable value is an error. */
static const char *arg(iv_list_filters *lv, const char *name)
{
    const iv_query_pair *pair = iv_query_get(lv->args, name);
    if (pair && !pair->ok)
        add_error(lv, name, "list.error.encoding");
    return pair ? pair->value : "";
}

/* ---------------------------------------------------------------- checking */

/* A single code filter: "" (none), or a code of list; anything else is ignored. */
static void check_code(iv_list_filters *lv, int param, const char *name,
                       const apr_array_header_t *list, const char *error_key)
{
    const char *value = arg(lv, name);
    lv->param[param] = "";
    if (!*value)
        return;
    if (iv_list_ref_find(list, value))
        lv->param[param] = value;
    else
        add_error(lv, name, error_key);
}

/* Statuses: checkboxes, so the name repeats; unknown ones are ignored. */
static void check_statuses(apr_pool_t *p, iv_list_filters *lv)
{
    char *codes = "";
    int bad = 0;
    for (int i = 0; i < lv->args->nelts; i++) {
        const iv_query_pair *pair = &APR_ARRAY_IDX(lv->args, i, iv_query_pair);
        if (strcmp(pair->name, IV_P_STATUS) != 0 || !*pair->value)
            continue;
        if (pair->ok && iv_list_ref_find(lv->refs.statuses, pair->value))
            codes = apr_pstrcat(p, codes, *codes ? "," : "", pair->value, NULL);
        else
            bad = 1;
    }
    if (bad)
        add_error(lv, IV_P_STATUS, "list.error.status");
    lv->param[IV_LIST_STATUSES] = codes;
}

/* Free text, or a request number (list_query.h says which). */
static void check_text(apr_pool_t *p, iv_list_filters *lv)
{
    const char *q = arg(lv, IV_P_TEXT);
    int year;
    long number;

    lv->param[IV_LIST_Q] = lv->param[IV_LIST_NUM] = lv->param[IV_LIST_YEAR] = "";
    if (!*q)
        return;
    if (strlen(q) > MAX_QUERY_CHARS) {
        add_error(lv, IV_P_TEXT, "list.error.text_long");
        return;
    }
    switch (iv_list_parse_number(q, &year, &number)) {
    case IV_LIST_NUMBER_YEAR:
        lv->param[IV_LIST_NUM] = apr_ltoa(p, number);
        lv->param[IV_LIST_YEAR] = apr_itoa(p, year);
        break;
    case IV_LIST_NUMBER_ANY_YEAR:
        lv->param[IV_LIST_NUM] = apr_ltoa(p, number);
        lv->param[IV_LIST_Q] = q;
        break;
    case IV_LIST_NUMBER_NONE:
        lv->param[IV_LIST_Q] = q;
        break;
    }
}

static void check_dates(apr_pool_t *p, iv_list_filters *lv)
{
    const char *from = arg(lv, IV_P_FROM), *to = arg(lv, IV_P_TO);
    char iso_from[11] = "", iso_to[11] = "";

    if (*from && !iv_list_parse_date(from, iso_from))
        add_error(lv, IV_P_FROM, "list.error.date");
    if (*to && !iv_list_parse_date(to, iso_to))
        add_error(lv, IV_P_TO, "list.error.date");
    if (*iso_from && *iso_to && strcmp(iso_from, iso_to) > 0) {
        add_error(lv, IV_P_TO, "list.error.date_order");
        iso_to[0] = '\0';
    }
    lv->param[IV_LIST_FROM] = apr_pstrdup(p, iso_from);
    lv->param[IV_LIST_TO] = apr_pstrdup(p, iso_to);
}

static void check_paging(iv_list_filters *lv)
{
    const char *per = arg(lv, IV_P_PER_PAGE), *page = arg(lv, IV_P_PAGE);
    const char *sort = arg(lv, IV_P_SORT), *dir = arg(lv, IV_P_DIR);

    lv->per_page = 25;
    if (*per && !(iv_list_parse_positive(per, &lv->per_page)
                  && iv_list_per_page_allowed(lv->per_page))) {
        add_error(lv, IV_P_PER_PAGE, "list.error.per_page");
        lv->per_page = 25;
    }
    lv->page = 1;
    if (*page && !iv_list_parse_positive(page, &lv->page)) {
        add_error(lv, IV_P_PAGE, "list.error.page");
        lv->page = 1;
    }
    lv->sort = iv_list_sort_find(sort);
    if (!lv->sort) {
        if (*sort)
            add_error(lv, IV_P_SORT, "list.error.sort");
        lv->sort = &iv_list_sorts[IV_LIST_DEFAULT_SORT];
        dir = "";
    }
    lv->desc = strcmp(dir, "desc") == 0 || (strcmp(dir, "asc") != 0 && lv->sort->first_desc);
}

/* What the user may see, from the session only: everything for the office roles,
 * his communes for a lecteur, his team's and his own for an intervenant. */
static void set_perimeter(iv_req *rq, iv_list_filters *lv)
{
    unsigned roles = rq->user->roles;
    lv->param[IV_LIST_SCOPE] =
        roles & (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE | IV_ROLE_SECRETARIAT) ? "all" : "";
    lv->param[IV_LIST_COMMUNES] = roles & IV_ROLE_LECTEUR && rq->user->communes
                                  ? rq->user->communes : "";
    lv->param[IV_LIST_LOGIN] = roles & IV_ROLE_INTERVENANT ? rq->user->login : "";
}

static void check_filters(iv_req *rq, iv_list_filters *lv)
{
    apr_pool_t *p = rq->r->pool;
    check_text(p, lv);
    check_statuses(p, lv);
    check_code(lv, IV_LIST_COMMUNE, IV_P_COMMUNE, lv->refs.communes, "list.error.commune");
    check_code(lv, IV_LIST_OBJECT, IV_P_OBJECT, lv->refs.objects, "list.error.object");
    check_code(lv, IV_LIST_TEAM, IV_P_TEAM, lv->refs.teams, "list.error.team");
    check_code(lv, IV_LIST_AGENT, IV_P_AGENT, lv->refs.agents, "list.error.agent");
    check_code(lv, IV_LIST_ORIGIN, IV_P_ORIGIN, lv->refs.origins, "list.error.origin");
    check_dates(p, lv);
    check_paging(lv);
    set_perimeter(rq, lv);
}

int iv_list_filters_known(const char *name)
{
    static const char *const names[] = { IV_P_TEXT, IV_P_STATUS, IV_P_COMMUNE, IV_P_OBJECT, IV_P_TEAM,
                                         IV_P_AGENT, IV_P_ORIGIN, IV_P_FROM, IV_P_TO, IV_P_PER_PAGE,
                                         IV_P_PAGE, IV_P_SORT, IV_P_DIR };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* The query string of the current view (values as typed, empty and unknown ones left
 * out) without the names in skip: links add their own tri/ordre/page. Ends with '&'. */
const char *iv_list_filters_query(apr_pool_t *p, const iv_list_filters *lv,
                                  const char *const *skip)
{
    char *qs = "";
    for (int i = 0; i < lv->args->nelts; i++) {
        const iv_query_pair *pair = &APR_ARRAY_IDX(lv->args, i, iv_query_pair);
        int skipped = !*pair->value || !iv_list_filters_known(pair->name);
        for (const char *const *s = skip; *s && !skipped; s++)
            skipped = strcmp(pair->name, *s) == 0;
        if (!skipped)
            iv_query_append(p, &qs, pair->name, pair->value);
    }
    return qs;
}

const char *iv_list_label(const apr_array_header_t *list, const char *code)
{
    const iv_list_ref *ref = iv_list_ref_find(list, code);
    return ref ? ref->label : code;
}


int iv_list_filters_read(iv_req *rq, iv_list_filters *lf)
{
    apr_pool_t *p = rq->r->pool;
    lf->args = iv_query_parse(p, rq->r->args);
    lf->errors = apr_array_make(p, 8, sizeof(const char *));
    if (iv_list_refs_load(rq, &lf->refs) != 0)
        return -1;
    check_filters(rq, lf);
    return 0;
}

int iv_list_filters_statement(const iv_list_filters *lf)
{
    return 2 * (int)(lf->sort - iv_list_sorts) + lf->desc;
}
