/*
 * h_list.c — "Demandes d'intervention": the list of requests, GET / under the
 * mount point. Filters, sort and page live in the URL, so every view can be
 * bookmarked and the page works without JavaScript.
 *
 * The story: read the query string → load the reference lists → check each filter
 * (a bad value is ignored and gets a French message next to its field, never an
 * error status) → add the perimeter of the user's roles → read the page → count
 * (capped, only when the page does not tell the total) → render. The perimeter comes
 * only from the session.
 */
#include <string.h>
#include "httpd.h"
#include "apr_strings.h"
#include "http_protocol.h"

#include "list_query.h"
#include "routes.h"
#include "store_list.h"
#include "view.h"

#define MAX_QUERY_CHARS 200

/* URL parameters (French, they show in the address bar and in bookmarks). */
#define P_TEXT     "q"
#define P_STATUS   "statut"
#define P_COMMUNE  "commune"
#define P_OBJECT   "objet"
#define P_TEAM     "equipe"
#define P_AGENT    "agent"
#define P_ORIGIN   "origine"
#define P_FROM     "du"
#define P_TO       "au"
#define P_PER_PAGE "par_page"
#define P_PAGE     "page"
#define P_SORT     "tri"
#define P_DIR      "ordre"

typedef struct {
    apr_array_header_t *args;         /* iv_query_pair, as received */
    const char *param[IV_LIST_NFILTERS];
    apr_array_header_t *errors;       /* const char *: field, key, field, key… */
    iv_list_refs refs;
    const iv_list_sort *sort;
    int desc;
    long per_page, page, total, pages;
    apr_array_header_t *rows;         /* iv_list_row */
} list_view;

static void add_error(list_view *lv, const char *field, const char *key)
{
    APR_ARRAY_PUSH(lv->errors, const char *) = field;
    APR_ARRAY_PUSH(lv->errors, const char *) = key;
}

/* The value of name as typed, "" when absent; an undecodable value is an error. */
static const char *arg(list_view *lv, const char *name)
{
    const iv_query_pair *pair = iv_query_get(lv->args, name);
    if (pair && !pair->ok)
        add_error(lv, name, "list.error.encoding");
    return pair ? pair->value : "";
}

/* ---------------------------------------------------------------- checking */

/* A single code filter: "" (none), or a code of list; anything else is ignored. */
static void check_code(list_view *lv, int param, const char *name,
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
static void check_statuses(apr_pool_t *p, list_view *lv)
{
    char *codes = "";
    int bad = 0;
    for (int i = 0; i < lv->args->nelts; i++) {
        const iv_query_pair *pair = &APR_ARRAY_IDX(lv->args, i, iv_query_pair);
        if (strcmp(pair->name, P_STATUS) != 0 || !*pair->value)
            continue;
        if (pair->ok && iv_list_ref_find(lv->refs.statuses, pair->value))
            codes = apr_pstrcat(p, codes, *codes ? "," : "", pair->value, NULL);
        else
            bad = 1;
    }
    if (bad)
        add_error(lv, P_STATUS, "list.error.status");
    lv->param[IV_LIST_STATUSES] = codes;
}

/* Free text, or a request number (list_query.h says which). */
static void check_text(apr_pool_t *p, list_view *lv)
{
    const char *q = arg(lv, P_TEXT);
    int year;
    long number;

    lv->param[IV_LIST_Q] = lv->param[IV_LIST_NUM] = lv->param[IV_LIST_YEAR] = "";
    if (!*q)
        return;
    if (strlen(q) > MAX_QUERY_CHARS) {
        add_error(lv, P_TEXT, "list.error.text_long");
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

static void check_dates(apr_pool_t *p, list_view *lv)
{
    const char *from = arg(lv, P_FROM), *to = arg(lv, P_TO);
    char iso_from[11] = "", iso_to[11] = "";

    if (*from && !iv_list_parse_date(from, iso_from))
        add_error(lv, P_FROM, "list.error.date");
    if (*to && !iv_list_parse_date(to, iso_to))
        add_error(lv, P_TO, "list.error.date");
    if (*iso_from && *iso_to && strcmp(iso_from, iso_to) > 0) {
        add_error(lv, P_TO, "list.error.date_order");
        iso_to[0] = '\0';
    }
    lv->param[IV_LIST_FROM] = apr_pstrdup(p, iso_from);
    lv->param[IV_LIST_TO] = apr_pstrdup(p, iso_to);
}

static void check_paging(list_view *lv)
{
    const char *per = arg(lv, P_PER_PAGE), *page = arg(lv, P_PAGE);
    const char *sort = arg(lv, P_SORT), *dir = arg(lv, P_DIR);

    lv->per_page = 25;
    if (*per && !(iv_list_parse_positive(per, &lv->per_page)
                  && iv_list_per_page_allowed(lv->per_page))) {
        add_error(lv, P_PER_PAGE, "list.error.per_page");
        lv->per_page = 25;
    }
    lv->page = 1;
    if (*page && !iv_list_parse_positive(page, &lv->page)) {
        add_error(lv, P_PAGE, "list.error.page");
        lv->page = 1;
    }
    lv->sort = iv_list_sort_find(sort);
    if (!lv->sort) {
        if (*sort)
            add_error(lv, P_SORT, "list.error.sort");
        lv->sort = &iv_list_sorts[IV_LIST_DEFAULT_SORT];
        dir = "";
    }
    lv->desc = strcmp(dir, "desc") == 0 || (strcmp(dir, "asc") != 0 && lv->sort->first_desc);
}

/* What the user may see, from the session only: everything for the office roles,
 * his communes for a lecteur, his team's and his own for an intervenant. */
static void set_perimeter(iv_req *rq, list_view *lv)
{
    unsigned roles = rq->user->roles;
    lv->param[IV_LIST_SCOPE] =
        roles & (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE | IV_ROLE_SECRETARIAT) ? "all" : "";
    lv->param[IV_LIST_COMMUNES] = roles & IV_ROLE_LECTEUR && rq->user->communes
                                  ? rq->user->communes : "";
    lv->param[IV_LIST_LOGIN] = roles & IV_ROLE_INTERVENANT ? rq->user->login : "";
}

static void check_filters(iv_req *rq, list_view *lv)
{
    apr_pool_t *p = rq->r->pool;
    check_text(p, lv);
    check_statuses(p, lv);
    check_code(lv, IV_LIST_COMMUNE, P_COMMUNE, lv->refs.communes, "list.error.commune");
    check_code(lv, IV_LIST_OBJECT, P_OBJECT, lv->refs.objects, "list.error.object");
    check_code(lv, IV_LIST_TEAM, P_TEAM, lv->refs.teams, "list.error.team");
    check_code(lv, IV_LIST_AGENT, P_AGENT, lv->refs.agents, "list.error.agent");
    check_code(lv, IV_LIST_ORIGIN, P_ORIGIN, lv->refs.origins, "list.error.origin");
    check_dates(p, lv);
    check_paging(lv);
    set_perimeter(rq, lv);
}

/* ---------------------------------------------------------------- rendering */

static int known_param(const char *name)
{
    static const char *const names[] = { P_TEXT, P_STATUS, P_COMMUNE, P_OBJECT, P_TEAM,
                                         P_AGENT, P_ORIGIN, P_FROM, P_TO, P_PER_PAGE,
                                         P_PAGE, P_SORT, P_DIR };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* The query string of the current view (values as typed, empty and unknown ones left
 * out) without the names in skip: links add their own tri/ordre/page. Ends with '&'. */
static const char *query_without(apr_pool_t *p, list_view *lv, const char *const *skip)
{
    char *qs = "";
    for (int i = 0; i < lv->args->nelts; i++) {
        const iv_query_pair *pair = &APR_ARRAY_IDX(lv->args, i, iv_query_pair);
        int skipped = !*pair->value || !known_param(pair->name);
        for (const char *const *s = skip; *s && !skipped; s++)
            skipped = strcmp(pair->name, *s) == 0;
        if (!skipped)
            iv_query_append(p, &qs, pair->name, pair->value);
    }
    return qs;
}

static void add_choices(xmlNodePtr list, const char *name, const apr_array_header_t *refs)
{
    xmlNodePtr choices = iv_node(list, "choices");
    iv_attr(choices, "name", name);
    for (int i = 0; i < refs->nelts; i++) {
        const iv_list_ref *ref = &APR_ARRAY_IDX(refs, i, iv_list_ref);
        xmlNodePtr o = iv_node(choices, "option");
        iv_attr(o, "value", ref->code);
        iv_attr(o, "label", ref->label);
        if (!ref->active)
            iv_attr(o, "inactive", "1");
        if (ref->outside)
            iv_attr(o, "outside", "1");
    }
}

static const char *label_of(const apr_array_header_t *list, const char *code)
{
    const iv_list_ref *ref = iv_list_ref_find(list, code);
    return ref ? ref->label : code;
}

static void add_rows(iv_req *rq, list_view *lv, xmlNodePtr list)
{
    apr_pool_t *p = rq->r->pool;
    for (int i = 0; i < lv->rows->nelts; i++) {
        const char *const *v = APR_ARRAY_IDX(lv->rows, i, iv_list_row).v;
        xmlNodePtr row = iv_node(list, "row");
        const char *title = v[IV_LIST_COL_TITLE] ? label_of(lv->refs.titles, v[IV_LIST_COL_TITLE])
                                                 : NULL;
        iv_attr(row, "href", apr_pstrcat(p, rq->base, "/", v[IV_LIST_COL_ID], NULL));
        iv_attr(row, "number", apr_pstrcat(p, v[IV_LIST_COL_YEAR], " / ",
                                           v[IV_LIST_COL_NUMBER], NULL));
        iv_attr(row, "received", v[IV_LIST_COL_RECEIVED]);
        iv_attr(row, "title", title);
        iv_attr(row, "name", v[IV_LIST_COL_NAME]);
        iv_attr(row, "address", v[IV_LIST_COL_ADDRESS]);
        iv_attr(row, "commune", label_of(lv->refs.communes, v[IV_LIST_COL_COMMUNE]));
        iv_attr(row, "object", label_of(lv->refs.objects, v[IV_LIST_COL_OBJECT]));
        if (v[IV_LIST_COL_TEAM])
            iv_attr(row, "team", label_of(lv->refs.teams, v[IV_LIST_COL_TEAM]));
        iv_attr(row, "status", v[IV_LIST_COL_STATUS]);
        iv_attr(row, "status-label", label_of(lv->refs.statuses, v[IV_LIST_COL_STATUS]));
    }
}

static void add_columns(apr_pool_t *p, list_view *lv, xmlNodePtr list, const char *action)
{
    static const char *const skip[] = { P_SORT, P_DIR, P_PAGE, NULL };
    const char *qs = query_without(p, lv, skip);
    for (int i = 0; i < iv_list_sorts_count; i++) {
        const iv_list_sort *s = &iv_list_sorts[i];
        int current = s == lv->sort;
        /* the current column's link reverses it; another starts in its usual direction */
        int desc = current ? !lv->desc : s->first_desc;
        xmlNodePtr col = iv_node(list, "column");
        iv_attr(col, "key", s->key);
        iv_attr(col, "href", apr_pstrcat(p, action, "?", qs, P_SORT "=", s->key,
                                         "&" P_DIR "=", desc ? "desc" : "asc", NULL));
        iv_attr(col, "next", desc ? "descending" : "ascending");
        if (current)
            iv_attr(col, "sorted", lv->desc ? "descending" : "ascending");
    }
}

static void add_pages(apr_pool_t *p, list_view *lv, xmlNodePtr list)
{
    long window[16];
    int n = iv_list_page_window(lv->page, lv->pages, window, 16);
    xmlNodePtr pages = iv_node(list, "pages");
    for (int i = 0; i < n; i++) {
        xmlNodePtr item = iv_node(pages, window[i] ? "page" : "gap");
        if (window[i])
            iv_attr(item, "n", apr_ltoa(p, window[i]));
    }
}

static int render(iv_req *rq, list_view *lv)
{
    static const char *const skip_page[] = { P_PAGE, NULL };
    apr_pool_t *p = rq->r->pool;
    const char *action = apr_pstrcat(p, rq->base, "/", NULL);
    xmlNodePtr page = iv_page_new(rq, "list"), list = iv_node(page, "list");
    long first = (lv->page - 1) * lv->per_page + 1;

    iv_attr(list, "action", action);
    iv_attr(list, "query", query_without(p, lv, skip_page));
    iv_attr(list, "total", apr_ltoa(p, lv->total > IV_LIST_COUNT_CAP ? IV_LIST_COUNT_CAP
                                                                     : lv->total));
    if (lv->total > IV_LIST_COUNT_CAP)
        iv_attr(list, "capped", "1");
    iv_attr(list, "page", apr_ltoa(p, lv->page));
    iv_attr(list, "pages", apr_ltoa(p, lv->pages));
    iv_attr(list, "per-page", apr_ltoa(p, lv->per_page));
    iv_attr(list, "first", apr_ltoa(p, first));
    iv_attr(list, "last", apr_ltoa(p, first + lv->rows->nelts - 1));
    iv_attr(list, "sort", lv->sort->key);
    iv_attr(list, "dir", lv->desc ? "desc" : "asc");
    for (int i = 0; i < lv->args->nelts; i++) {
        const iv_query_pair *pair = &APR_ARRAY_IDX(lv->args, i, iv_query_pair);
        if (!known_param(pair->name))
            continue;
        xmlNodePtr f = iv_node(list, "filter");
        iv_attr(f, "name", pair->name);
        iv_attr(f, "value", pair->value);
        /* a valid date comes back as the date input wants it, AAAA-MM-JJ */
        if (strcmp(pair->name, P_FROM) == 0 && *lv->param[IV_LIST_FROM])
            iv_attr(f, "display", lv->param[IV_LIST_FROM]);
        else if (strcmp(pair->name, P_TO) == 0 && *lv->param[IV_LIST_TO])
            iv_attr(f, "display", lv->param[IV_LIST_TO]);
    }
    for (int i = 0; i + 1 < lv->errors->nelts; i += 2) {
        xmlNodePtr e = iv_node(list, "error");
        iv_attr(e, "field", APR_ARRAY_IDX(lv->errors, i, const char *));
        iv_attr(e, "key", APR_ARRAY_IDX(lv->errors, i + 1, const char *));
    }
    add_choices(list, P_STATUS, lv->refs.statuses);
    add_choices(list, P_COMMUNE, lv->refs.communes);
    add_choices(list, P_OBJECT, lv->refs.objects);
    add_choices(list, P_TEAM, lv->refs.teams);
    add_choices(list, P_AGENT, lv->refs.agents);
    add_choices(list, P_ORIGIN, lv->refs.origins);
    add_columns(p, lv, list, action);
    add_rows(rq, lv, list);
    add_pages(p, lv, list);
    return iv_page_send(rq, page, HTTP_OK);
}

/* ---------------------------------------------------------------- the handler */

static int db_failure(iv_req *rq)
{
    return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
}

static int read_page(iv_req *rq, list_view *lv)
{
    int statement = 2 * (int)(lv->sort - iv_list_sorts) + lv->desc;
    return iv_list_rows(rq, statement, lv->param, lv->per_page,
                        (lv->page - 1) * lv->per_page, &lv->rows);
}

/* The page first: when it is not full, it ends the list and gives the total without
 * a count (the count is most of the SQL work on large results). */
static int read_page_and_total(iv_req *rq, list_view *lv)
{
    long offset = (lv->page - 1) * lv->per_page;

    if (read_page(rq, lv) != 0)
        return -1;
    if (lv->rows->nelts < lv->per_page && (lv->rows->nelts > 0 || lv->page == 1)) {
        lv->total = offset + lv->rows->nelts;
    }
    else if (iv_list_count(rq, lv->param, IV_LIST_COUNT_CAP + 1, &lv->total) != 0) {
        return -1;
    }
    lv->pages = iv_list_pages(lv->total, IV_LIST_COUNT_CAP, lv->per_page);
    if (lv->page > lv->pages) {
        add_error(lv, P_PAGE, "list.error.page_beyond");
        lv->page = 1;
        return read_page(rq, lv);
    }
    return 0;
}

int iv_h_list(iv_req *rq)
{
    apr_pool_t *p = rq->r->pool;
    list_view lv = { 0 };

    lv.args = iv_query_parse(p, rq->r->args);
    lv.errors = apr_array_make(p, 8, sizeof(const char *));
    if (iv_list_refs_load(rq, &lv.refs) != 0)
        return db_failure(rq);
    check_filters(rq, &lv);
    if (read_page_and_total(rq, &lv) != 0)
        return db_failure(rq);
    return render(rq, &lv);
}
