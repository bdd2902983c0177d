/*
 * store_list.c — the list page's statements and their reading.
 *
 * The SQL is in list_sql.h, shared with the benchmark's pgbench scripts; this file
 * only turns it into the labelled statement table and passes the arguments.
 */
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "store_list.h"

#define STATEMENT(label, sql, pairs) { label, sql },
const iv_statement iv_list_statements[] = {
    { "iv_list_refs", IV_LIST_REFS_SQL },
    { "iv_list_count", IV_LIST_COUNT_SQL },
    IV_LIST_ROW_STATEMENTS(STATEMENT)
    { NULL, NULL }
};

/* Label and number of (limit, offset) pairs of each row statement, same order. */
#define ROW_META(label, sql, pairs) { label, pairs },
static const struct {
    const char *label;
    int pairs;
} row_statements[] = { IV_LIST_ROW_STATEMENTS(ROW_META) };

#define ROW_STATEMENTS_COUNT ((int)(sizeof row_statements / sizeof *row_statements))
#define MAX_PAIRS 3

static apr_array_header_t *ref_list(iv_list_refs *refs, const char *kind)
{
    switch (kind[0]) {
    case 'a': return refs->agents;
    case 'c': return refs->communes;
    case 'o': return kind[1] == 'b' ? refs->objects : refs->origins;
    case 's': return refs->statuses;
    case 't': return kind[1] == 'e' ? refs->teams : refs->titles;
    default:  return NULL;
    }
}

int iv_list_refs_load(iv_req *rq, iv_list_refs *refs)
{
    apr_pool_t *p = rq->r->pool;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int rv;

    refs->statuses = apr_array_make(p, 8, sizeof(iv_list_ref));
    refs->communes = apr_array_make(p, 24, sizeof(iv_list_ref));
    refs->objects = apr_array_make(p, 16, sizeof(iv_list_ref));
    refs->teams = apr_array_make(p, 8, sizeof(iv_list_ref));
    refs->agents = apr_array_make(p, 16, sizeof(iv_list_ref));
    refs->origins = apr_array_make(p, 8, sizeof(iv_list_ref));
    refs->titles = apr_array_make(p, 4, sizeof(iv_list_ref));
    if ((rv = iv_db_select(rq, "iv_list_refs", &res, IV_NO_ARGS)) != 0)
        return rv;
    while (iv_db_next(rq, res, &row)) {
        const char *kind = iv_db_value(rq, row, 0);
        apr_array_header_t *list = kind ? ref_list(refs, kind) : NULL;
        if (!list)
            continue;
        iv_list_ref *ref = apr_array_push(list);
        const char *active = iv_db_value(rq, row, 3), *outside = iv_db_value(rq, row, 4);
        ref->code = iv_db_value(rq, row, 1);
        ref->label = iv_db_value(rq, row, 2);
        ref->active = active && active[0] == 't';
        ref->outside = outside && outside[0] == 't';
    }
    return 0;
}

const iv_list_ref *iv_list_ref_find(const apr_array_header_t *list, const char *code)
{
    for (int i = 0; code && i < list->nelts; i++) {
        const iv_list_ref *ref = &APR_ARRAY_IDX(list, i, iv_list_ref);
        if (strcmp(ref->code, code) == 0)
            return ref;
    }
    return NULL;
}

int iv_list_count(iv_req *rq, const char *const *filters, long probe, long *count)
{
    const char *args[IV_LIST_NFILTERS + 1];
    const char **v;
    int rv;

    memcpy(args, filters, IV_LIST_NFILTERS * sizeof *args);
    args[IV_LIST_NFILTERS] = apr_ltoa(rq->r->pool, probe);
    rv = iv_db_select_row(rq, "iv_list_count", &v, IV_LIST_NFILTERS + 1, args);
    *count = rv == 0 && v && v[0] ? atol(v[0]) : 0;
    return rv;
}

int iv_list_estimate(iv_req *rq, const char *const *filters, double *rows)
{
    const char *plan, *plan_rows;
    int rv = iv_db_native_value(rq, "iv_list_estimate", IV_LIST_ESTIMATE_SQL,
                                IV_LIST_NFILTERS, filters, &plan);

    *rows = -1;
    /* the first "Plan Rows" is the top node's: the rows the selection returns */
    if (rv == 0 && plan && (plan_rows = strstr(plan, "\"Plan Rows\":")))
        *rows = strtod(plan_rows + strlen("\"Plan Rows\":"), NULL);
    return rv;
}

int iv_list_rows(iv_req *rq, int statement, const char *const *filters, long limit,
                 long offset, apr_array_header_t **rows)
{
    const char *args[IV_LIST_NFILTERS + 2 * MAX_PAIRS];
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int nargs = IV_LIST_NFILTERS, rv;

    *rows = apr_array_make(rq->r->pool, (int)limit, sizeof(iv_list_row));
    if (statement < 0 || statement >= ROW_STATEMENTS_COUNT
        || row_statements[statement].pairs > MAX_PAIRS)
        return -1;
    memcpy(args, filters, IV_LIST_NFILTERS * sizeof *args);
    /* every pair is (limit, offset): the grouped sorts take offset + limit per group */
    for (int i = 0; i < row_statements[statement].pairs; i++) {
        args[nargs++] = apr_ltoa(rq->r->pool, limit);
        args[nargs++] = apr_ltoa(rq->r->pool, offset);
    }
    if ((rv = iv_db_select(rq, row_statements[statement].label, &res, nargs, args)) != 0)
        return rv;
    while (iv_db_next(rq, res, &row)) {
        iv_list_row *r = apr_array_push(*rows);
        for (int c = 0; c < IV_LIST_NCOLUMNS; c++)
            r->v[c] = iv_db_value(rq, row, c);
    }
    return 0;
}
