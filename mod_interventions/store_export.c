/*
 * store_export.c — the exports' statements and their cursor (store_export.h).
 *
 * DECLARE and FETCH are run as unnamed statements (why: export_sql.h): apr_dbd's
 * pgsql driver turns a statement prepared without a label into PQexecParams, the
 * values bound by the protocol as for the labelled ones. Each FETCH's result lives
 * in a pool of its own, cleared before the next: the process holds one batch.
 */
#include "httpd.h"
#include "http_log.h"
#include "apr_strings.h"

#include "store_export.h"

const iv_statement iv_export_statements[] = {
    { "iv_export_natures", IV_EXPORT_NATURES_SQL },
    { NULL, NULL }
};

struct iv_export_cursor {
    iv_req *rq;
    ap_dbd_t *db;
    apr_dbd_prepared_t *fetch;
    apr_pool_t *batch;              /* holds the current FETCH's result */
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    int last_batch;                 /* the current batch is the last one */
};

int iv_export_natures(iv_req *rq, apr_hash_t **labels)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int rv = iv_db_select(rq, "iv_export_natures", &res, IV_NO_ARGS);

    *labels = apr_hash_make(rq->r->pool);
    if (rv != 0)
        return rv;
    while (iv_db_next(rq, res, &row)) {
        const char *code = iv_db_value(rq, row, 0), *label = iv_db_value(rq, row, 1);
        if (code && label)
            apr_hash_set(*labels, code, APR_HASH_KEY_STRING, label);
    }
    return 0;
}

static void log_failure(iv_export_cursor *c, const char *what, int rv)
{
    const char *msg = apr_dbd_error(c->db->driver, c->db->handle, rv);
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, c->rq->r, "IV01701: export %s failed: %s", what,
                  msg ? msg : "(no message)");
}

/* A statement prepared without a label: translated here, parsed by the server
 * when it runs. */
static apr_dbd_prepared_t *unnamed(iv_export_cursor *c, const char *sql)
{
    apr_dbd_prepared_t *st = NULL;
    int rv = apr_dbd_prepare(c->db->driver, c->rq->r->pool, c->db->handle, sql, NULL, &st);
    if (rv != 0) {
        log_failure(c, "statement", rv);
        return NULL;
    }
    return st;
}

int iv_export_open(iv_req *rq, const char *const *filters, iv_export_cursor **cursor)
{
    iv_export_cursor *c = apr_pcalloc(rq->r->pool, sizeof *c);
    apr_dbd_prepared_t *declare;
    int rows = 0, rv;

    *cursor = NULL;
    c->rq = rq;
    if (!(c->db = iv_db(rq)) || !(declare = unnamed(c, IV_EXPORT_DECLARE_SQL))
        || !(c->fetch = unnamed(c, IV_EXPORT_FETCH_SQL)))
        return -1;
    if (iv_db_begin(rq) != 0)
        return -1;
    rv = apr_dbd_pquery(c->db->driver, rq->r->pool, c->db->handle, &rows, declare,
                        IV_LIST_NFILTERS, (const char **)filters);
    if (rv != 0) {
        log_failure(c, "DECLARE", rv);
        iv_db_rollback(rq);
        return rv;
    }
    if (apr_pool_create(&c->batch, rq->r->pool) != APR_SUCCESS) {
        iv_db_rollback(rq);
        return -1;
    }
    *cursor = c;
    return 0;
}

/* The next batch into c->batch (the previous one freed). */
static int fetch(iv_export_cursor *c)
{
    int rv;
    apr_pool_clear(c->batch);
    c->res = NULL;
    c->row = NULL;
    rv = apr_dbd_pselect(c->db->driver, c->batch, c->db->handle, &c->res, c->fetch, 1, 0, NULL);
    if (rv != 0) {
        log_failure(c, "FETCH", rv);
        c->res = NULL;
        return -1;
    }
    /* a short batch is the last: no FETCH just to learn that there is nothing left */
    c->last_batch = apr_dbd_num_tuples(c->db->driver, c->res) < IV_EXPORT_BATCH;
    return 0;
}

int iv_export_next(iv_export_cursor *c, const char **values)
{
    for (;;) {
        /* sequential reading; after the last row the driver frees the result
         * itself, with the cleanup it registered on c->batch */
        if (c->res && apr_dbd_get_row(c->db->driver, c->batch, c->res, &c->row, -1) == 0) {
            for (int col = 0; col < IV_X_NCOLUMNS; col++) {
                char *v = NULL;
                /* a pointer into the result, not a copy: valid until the next fetch */
                values[col] = apr_dbd_datum_get(c->db->driver, c->row, col, APR_DBD_TYPE_STRING,
                                                &v) == APR_SUCCESS ? v : NULL;
            }
            return 1;
        }
        c->res = NULL;          /* read to the end (or none yet): never read again */
        if (c->last_batch)
            return 0;
        if (fetch(c) != 0)
            return -1;
    }
}

int iv_export_close(iv_export_cursor *c)
{
    apr_pool_clear(c->batch);
    c->res = NULL;
    return iv_db_commit(c->rq);
}
