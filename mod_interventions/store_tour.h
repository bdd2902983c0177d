/*
 * store_tour.h — the data of the tour sheet (h_tour.c). SQL in tour_sql.h.
 * Functions return 0, or non-zero after the database error was logged.
 */
#ifndef IV_STORE_TOUR_H
#define IV_STORE_TOUR_H

#include "db.h"
#include "tour_sql.h"

extern const iv_statement iv_tour_statements[];

/* The ids of the requests that filters (IV_LIST_NFILTERS values, list_sql.h)
 * select, in the round's order; at most IV_TOUR_MAX + 1 of them (one more than
 * the sheet takes: *ids then holds IV_TOUR_MAX + 1 ids, in no useful order).
 * *ids gets const char *. */
int iv_tour_ids(iv_req *rq, const char *const *filters, apr_array_header_t **ids);

/* Records the printing of every request of ids in its history (kind
 * "impression", new value "tournee"), in one statement: call it inside the
 * transaction of the sheet's audit row. */
int iv_tour_printed(iv_req *rq, const apr_array_header_t *ids);

#endif
