/*
 * store_list.h — the data of the list page: reference lists in one round trip, the
 * capped count, a page of rows. SQL in list_sql.h, statements in store_list.c.
 */
#ifndef IV_STORE_LIST_H
#define IV_STORE_LIST_H

#include "db.h"
#include "list_sql.h"

extern const iv_statement iv_list_statements[];

/* A value of a reference list, deactivated ones included (old requests name them). */
typedef struct {
    const char *code;
    const char *label;
    int active;
    int outside;                /* communes: outside the territory */
} iv_list_ref;

/* The lists, each an array of iv_list_ref in display order (position, label). */
typedef struct {
    apr_array_header_t *statuses, *communes, *objects, *teams, *agents, *origins, *titles;
} iv_list_refs;

/* One row of the table: the columns of IV_LIST_COLUMNS, as text (NULL for SQL NULL). */
typedef struct {
    const char *v[IV_LIST_NCOLUMNS];
} iv_list_row;
enum { IV_LIST_COL_ID, IV_LIST_COL_YEAR, IV_LIST_COL_NUMBER, IV_LIST_COL_RECEIVED,
       IV_LIST_COL_TITLE, IV_LIST_COL_NAME, IV_LIST_COL_ADDRESS, IV_LIST_COL_COMMUNE,
       IV_LIST_COL_OBJECT, IV_LIST_COL_TEAM, IV_LIST_COL_STATUS };

int iv_list_refs_load(iv_req *rq, iv_list_refs *refs);

/* The value coded code in list, or NULL. */
const iv_list_ref *iv_list_ref_find(const apr_array_header_t *list, const char *code);

/* Counts the requests that filters (IV_LIST_NFILTERS values) select, reading at
 * most probe of them: *count is exact when below probe. */
int iv_list_count(iv_req *rq, const char *const *filters, long probe, long *count);

/* The planner's estimate of the rows filters select (*rows = -1 when the plan could
 * not be read): a few tenths of a millisecond, where counting a frequent word's
 * requests reads thousands of index entries and heap pages. */
int iv_list_estimate(iv_req *rq, const char *const *filters, double *rows);

/* One page: rows offset .. offset + limit - 1 in the order of statement (2 x sort
 * index + 1 when descending, see list_query.h). *rows gets iv_list_row. */
int iv_list_rows(iv_req *rq, int statement, const char *const *filters, long limit,
                 long offset, apr_array_header_t **rows);

#endif
