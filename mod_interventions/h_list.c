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

#include "list_filters.h"
#include "routes.h"
#include "view.h"

typedef struct {
    iv_list_filters f;
    long total, pages;
    apr_array_header_t *rows;         /* iv_list_row */
} list_view;

/* ---------------------------------------------------------------- rendering */

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

static void add_rows(iv_req *rq, list_view *lv, xmlNodePtr list)
{
    apr_pool_t *p = rq->r->pool;
    for (int i = 0; i < lv->rows->nelts; i++) {
        const char *const *v = APR_ARRAY_IDX(lv->rows, i, iv_list_row).v;
        xmlNodePtr row = iv_node(list, "row");
        const char *title = v[IV_LIST_COL_TITLE] ? iv_list_label(lv->f.refs.titles, v[IV_LIST_COL_TITLE])
                                                 : NULL;
        iv_attr(row, "href", apr_pstrcat(p, rq->base, "/", v[IV_LIST_COL_ID], NULL));
        iv_attr(row, "number", apr_pstrcat(p, v[IV_LIST_COL_YEAR], " / ",
                                           v[IV_LIST_COL_NUMBER], NULL));
        iv_attr(row, "received", v[IV_LIST_COL_RECEIVED]);
        iv_attr(row, "title", title);
        iv_attr(row, "name", v[IV_LIST_COL_NAME]);
        iv_attr(row, "address", v[IV_LIST_COL_ADDRESS]);
        iv_attr(row, "commune", iv_list_label(lv->f.refs.communes, v[IV_LIST_COL_COMMUNE]));
        iv_attr(row, "object", iv_list_label(lv->f.refs.objects, v[IV_LIST_COL_OBJECT]));
        if (v[IV_LIST_COL_TEAM])
            iv_attr(row, "team", iv_list_label(lv->f.refs.teams, v[IV_LIST_COL_TEAM]));
        iv_attr(row, "status", v[IV_LIST_COL_STATUS]);
        iv_attr(row, "status-label", iv_list_label(lv->f.refs.statuses, v[IV_LIST_COL_STATUS]));
    }
}

static void add_columns(apr_pool_t *p, list_view *lv, xmlNodePtr list, const char *action)
{
    static const char *const skip[] = { IV_P_SORT, IV_P_DIR, IV_P_PAGE, NULL };
    const char *qs = iv_list_filters_query(p, &lv->f, skip);
    for (int i = 0; i < iv_list_sorts_count; i++) {
        const iv_list_sort *s = &iv_list_sorts[i];
        int current = s == lv->f.sort;
        /* the current column's link reverses it; another starts in its usual direction */
        int desc = current ? !lv->f.desc : s->first_desc;
        xmlNodePtr col = iv_node(list, "column");
        iv_attr(col, "key", s->key);
        iv_attr(col, "href", apr_pstrcat(p, action, "?", qs, IV_P_SORT "=", s->key,
                                         "&" IV_P_DIR "=", desc ? "desc" : "asc", NULL));
        iv_attr(col, "next", desc ? "descending" : "ascending");
        if (current)
            iv_attr(col, "sorted", lv->f.desc ? "descending" : "ascending");
    }
}

static void add_pages(apr_pool_t *p, list_view *lv, xmlNodePtr list)
{
    long window[16];
    int n = iv_list_page_window(lv->f.page, lv->pages, window, 16);
    xmlNodePtr pages = iv_node(list, "pages");
    for (int i = 0; i < n; i++) {
        xmlNodePtr item = iv_node(pages, window[i] ? "page" : "gap");
        if (window[i])
            iv_attr(item, "n", apr_ltoa(p, window[i]));
    }
}

/* The filters alone (no page, size or sort) for the export and tour-sheet links. */
static const char *export_query(apr_pool_t *p, list_view *lv)
{
    static const char *const skip[] = { IV_P_PAGE, IV_P_PER_PAGE, IV_P_SORT, IV_P_DIR, NULL };
    const char *qs = iv_list_filters_query(p, &lv->f, skip);
    size_t n = strlen(qs);
    return n && qs[n - 1] == '&' ? apr_pstrndup(p, qs, n - 1) : qs;
}

static int render(iv_req *rq, list_view *lv)
{
    static const char *const skip_page[] = { IV_P_PAGE, NULL };
    apr_pool_t *p = rq->r->pool;
    const char *action = apr_pstrcat(p, rq->base, "/", NULL);
    xmlNodePtr page = iv_page_new(rq, "list"), list = iv_node(page, "list");
    long first = (lv->f.page - 1) * lv->f.per_page + 1;

    iv_attr(list, "action", action);
    iv_attr(list, "query", iv_list_filters_query(p, &lv->f, skip_page));
    iv_attr(list, "export-query", export_query(p, lv));
    iv_attr(list, "total", apr_ltoa(p, lv->total > IV_LIST_COUNT_CAP ? IV_LIST_COUNT_CAP
                                                                     : lv->total));
    if (lv->total > IV_LIST_COUNT_CAP)
        iv_attr(list, "capped", "1");
    iv_attr(list, "page", apr_ltoa(p, lv->f.page));
    iv_attr(list, "pages", apr_ltoa(p, lv->pages));
    iv_attr(list, "per-page", apr_ltoa(p, lv->f.per_page));
    iv_attr(list, "first", apr_ltoa(p, first));
    iv_attr(list, "last", apr_ltoa(p, first + lv->rows->nelts - 1));
    iv_attr(list, "sort", lv->f.sort->key);
    iv_attr(list, "dir", lv->f.desc ? "desc" : "asc");
    for (int i = 0; i < lv->f.args->nelts; i++) {
        const iv_query_pair *pair = &APR_ARRAY_IDX(lv->f.args, i, iv_query_pair);
        if (!iv_list_filters_known(pair->name))
            continue;
        xmlNodePtr f = iv_node(list, "filter");
        iv_attr(f, "name", pair->name);
        iv_attr(f, "value", pair->value);
        /* a valid date comes back as the date input wants it, AAAA-MM-JJ */
        if (strcmp(pair->name, IV_P_FROM) == 0 && *lv->f.param[IV_LIST_FROM])
            iv_attr(f, "display", lv->f.param[IV_LIST_FROM]);
        else if (strcmp(pair->name, IV_P_TO) == 0 && *lv->f.param[IV_LIST_TO])
            iv_attr(f, "display", lv->f.param[IV_LIST_TO]);
    }
    for (int i = 0; i + 1 < lv->f.errors->nelts; i += 2) {
        xmlNodePtr e = iv_node(list, "error");
        iv_attr(e, "field", APR_ARRAY_IDX(lv->f.errors, i, const char *));
        iv_attr(e, "key", APR_ARRAY_IDX(lv->f.errors, i + 1, const char *));
    }
    add_choices(list, IV_P_STATUS, lv->f.refs.statuses);
    add_choices(list, IV_P_COMMUNE, lv->f.refs.communes);
    add_choices(list, IV_P_OBJECT, lv->f.refs.objects);
    add_choices(list, IV_P_TEAM, lv->f.refs.teams);
    add_choices(list, IV_P_AGENT, lv->f.refs.agents);
    add_choices(list, IV_P_ORIGIN, lv->f.refs.origins);
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
    return iv_list_rows(rq, iv_list_filters_statement(&lv->f), lv->f.param, lv->f.per_page,
                        (lv->f.page - 1) * lv->f.per_page, &lv->rows);
}

/* The total, when the page did not tell it: none when the planner expects far more
 * than the cap (a frequent word would make the count read thousands of rows), else
 * an exact count up to the cap. */
static int count(iv_req *rq, list_view *lv)
{
    double estimate;
    if (lv->rows->nelts > 0) {
        if (iv_list_estimate(rq, lv->f.param, &estimate) != 0)
            return -1;
        if (estimate > IV_LIST_ESTIMATE_TRUSTED) {
            lv->total = IV_LIST_COUNT_CAP + 1;
            return 0;
        }
    }
    return iv_list_count(rq, lv->f.param, IV_LIST_COUNT_CAP + 1, &lv->total);
}

/* The page first: when it is not full, it ends the list and gives the total without
 * a count (the count is most of the SQL work on large results). */
static int read_page_and_total(iv_req *rq, list_view *lv)
{
    long offset = (lv->f.page - 1) * lv->f.per_page;

    if (read_page(rq, lv) != 0)
        return -1;
    if (lv->rows->nelts < lv->f.per_page && (lv->rows->nelts > 0 || lv->f.page == 1)) {
        lv->total = offset + lv->rows->nelts;
    }
    else if (count(rq, lv) != 0) {
        return -1;
    }
    lv->pages = iv_list_pages(lv->total, IV_LIST_COUNT_CAP, lv->f.per_page);
    if (lv->f.page > lv->pages) {
        APR_ARRAY_PUSH(lv->f.errors, const char *) = IV_P_PAGE;
        APR_ARRAY_PUSH(lv->f.errors, const char *) = "list.error.page_beyond";
        lv->f.page = 1;
        return read_page(rq, lv);
    }
    return 0;
}

int iv_h_list(iv_req *rq)
{
    list_view lv = { 0 };

    if (iv_list_filters_read(rq, &lv.f) != 0)
        return db_failure(rq);
    if (read_page_and_total(rq, &lv) != 0)
        return db_failure(rq);
    return render(rq, &lv);
}
