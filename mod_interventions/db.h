/*
 * db.h — the database through mod_dbd: labelled statements prepared at start-up,
 * one pooled connection per request, results read to the end.
 */
#ifndef IV_DB_H
#define IV_DB_H

#include "iv.h"
#include "apr_dbd.h"

/* A labelled statement; the label must be a valid SQL identifier (the pgsql
 * driver runs PREPARE <label>). Placeholders follow apr_dbd: %s text, %d int. */
typedef struct {
    const char *label;
    const char *sql;
} iv_statement;

/* Hands every statement of every store to mod_dbd, for each server. Must run in
 * a post_config hook ordered before mod_dbd's own. */
void iv_db_prepare_all(apr_pool_t *ptemp, server_rec *main_server);

/* The request's connection, acquired on first use; NULL when the database cannot
 * be reached (answer 503). */
ap_dbd_t *iv_db(iv_req *rq);

/* Runs a prepared select; every argument is text (NULL is SQL NULL). Returns 0,
 * or non-zero after logging the database's message. */
int iv_db_select(iv_req *rq, const char *label, apr_dbd_results_t **res,
                 int nargs, const char *const *args);

/* Runs a prepared insert/update/delete; *rows (may be NULL) gets the count. */
int iv_db_exec(iv_req *rq, const char *label, int *rows, int nargs, const char *const *args);

/* Next row of res into *row: 1 while there is one, 0 at the end. *row must be
 * NULL before the first call and is then reused: the driver counts rows in it
 * (a fresh row each time would read row 0 forever). */
int iv_db_next(iv_req *rq, apr_dbd_results_t *res, apr_dbd_row_t **row);

/* Column col of row as text copied into the request pool; NULL for SQL NULL. */
const char *iv_db_value(iv_req *rq, apr_dbd_row_t *row, int col);

/* Runs a select that returns at most one row: *values gets a copy of its columns
 * (NULL entries for SQL NULL), or NULL when there is no row. The result is read
 * to the end. Returns the status of the select. */
int iv_db_select_row(iv_req *rq, const char *label, const char ***values,
                     int nargs, const char *const *args);

/* The first value of a statement that cannot be a labelled one: apr_dbd's pgsql
 * driver prepares those with SQL PREPARE, which takes no utility statement such as
 * EXPLAIN. This one is prepared by libpq at protocol level (Parse), once per
 * database connection under the name label, then executed like the others: the
 * values travel apart from the text (placeholders %s as everywhere), nothing is
 * pasted into SQL, and the statement is not parsed again on every page (half the
 * cost of the list's EXPLAIN, bench/README.md). *value is NULL for no row or SQL
 * NULL. Not inside a transaction. */
int iv_db_native_value(iv_req *rq, const char *label, const char *sql, int nargs,
                       const char *const *args, const char **value);

/* Transactions: every statement between iv_db_begin and iv_db_commit is one
 * unit. iv_db_commit returns non-zero (and the work is rolled back) if any
 * statement failed. A transaction left open is rolled back when the request
 * ends. Statements inside a transaction are never retried on reconnect. */
int iv_db_begin(iv_req *rq);
int iv_db_commit(iv_req *rq);
void iv_db_rollback(iv_req *rq);

/* Argument list helper: IV_ARGS("a", b) expands to a count and an array. */
#define IV_ARGS(...) \
    (int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)), \
    (const char *const[]){ __VA_ARGS__ }
#define IV_NO_ARGS 0, NULL

#endif
