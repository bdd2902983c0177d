/*
 * store_tour.c — the tour sheet's statements (tour_sql.h) and their reading.
 */
#include <string.h>
#include "apr_strings.h"
#include "store_tour.h"

const iv_statement iv_tour_statements[] = {
    { "iv_tour_ids", IV_TOUR_IDS_SQL },
    { "iv_tour_printed", IV_TOUR_PRINTED_SQL },
    { NULL, NULL }
};

int iv_tour_ids(iv_req *rq, const char *const *filters, apr_array_header_t **ids)
{
    const char *args[IV_LIST_NFILTERS + 1];
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int rv;

    *ids = apr_array_make(rq->r->pool, 64, sizeof(const char *));
    memcpy(args, filters, IV_LIST_NFILTERS * sizeof *args);
    args[IV_LIST_NFILTERS] = apr_itoa(rq->r->pool, IV_TOUR_MAX + 1);
    if ((rv = iv_db_select(rq, "iv_tour_ids", &res, IV_LIST_NFILTERS + 1, args)) != 0)
        return rv;
    while (iv_db_next(rq, res, &row)) {
        const char *id = iv_db_value(rq, row, 0);
        if (id)
            APR_ARRAY_PUSH(*ids, const char *) = id;
    }
    return 0;
}

int iv_tour_printed(iv_req *rq, const apr_array_header_t *ids)
{
    const char *list = apr_array_pstrcat(rq->r->pool, ids, ',');
    return iv_db_exec(rq, "iv_tour_printed", NULL,
                      IV_ARGS(rq->user->login, rq->user->display_name, list));
}
