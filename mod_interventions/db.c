#include "httpd.h"
#include "apr_strings.h"
#include "apr_optional.h"
#include "http_log.h"

#include "db.h"
#include "stores.h"

static const iv_statement *const statement_tables[] = {
    iv_session_statements,
    iv_audit_statements,
};

void iv_db_prepare_all(server_rec *s)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *prepare = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    if (!prepare)
        return;         /* checked in post_config: mod_dbd is required */
    for (size_t t = 0; t < sizeof statement_tables / sizeof *statement_tables; t++)
        for (const iv_statement *st = statement_tables[t]; st->label; st++)
            prepare(s, st->sql, st->label);
}

ap_dbd_t *iv_db(iv_req *rq)
{
    static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *acquire;
    if (!acquire)
        acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    if (!rq->db && acquire)
        rq->db = acquire(rq->r);
    return rq->db;
}

static apr_dbd_prepared_t *statement(iv_req *rq, const char *label)
{
    apr_dbd_prepared_t *st = apr_hash_get(rq->db->prepared, label, APR_HASH_KEY_STRING);
    if (!st)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r,
                      "IV00101: prepared statement %s is missing", label);
    return st;
}

static void log_db_error(iv_req *rq, const char *label, int rv)
{
    const char *msg = apr_dbd_error(rq->db->driver, rq->db->handle, rv);
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00102: statement %s failed: %s",
                  label, msg ? msg : "(no message)");
}

int iv_db_select(iv_req *rq, const char *label, apr_dbd_results_t **res,
                 int nargs, const char *const *args)
{
    apr_dbd_prepared_t *st;
    int rv;

    *res = NULL;
    if (!iv_db(rq) || !(st = statement(rq, label)))
        return -1;
    rv = apr_dbd_pselect(rq->db->driver, rq->r->pool, rq->db->handle, res, st, 1,
                         nargs, (const char **)args);
    if (rv != 0)
        log_db_error(rq, label, rv);
    return rv;
}

int iv_db_exec(iv_req *rq, const char *label, int *rows, int nargs, const char *const *args)
{
    apr_dbd_prepared_t *st;
    int count = 0, rv;

    if (!iv_db(rq) || !(st = statement(rq, label)))
        return -1;
    rv = apr_dbd_pquery(rq->db->driver, rq->r->pool, rq->db->handle, &count, st,
                        nargs, (const char **)args);
    if (rv != 0)
        log_db_error(rq, label, rv);
    if (rows)
        *rows = count;
    return rv;
}

int iv_db_next(iv_req *rq, apr_dbd_results_t *res, apr_dbd_row_t **row)
{
    return apr_dbd_get_row(rq->db->driver, rq->r->pool, res, row, -1) == 0;
}

const char *iv_db_value(iv_req *rq, apr_dbd_row_t *row, int col)
{
    char *value = NULL;
    /* apr_dbd_get_entry gives "" for SQL NULL; the datum API tells them apart. */
    if (apr_dbd_datum_get(rq->db->driver, row, col, APR_DBD_TYPE_STRING, &value) != APR_SUCCESS)
        return NULL;
    /* Copied: the driver frees its result once the last row has been read. */
    return apr_pstrdup(rq->r->pool, value);
}

int iv_db_select_row(iv_req *rq, const char *label, const char ***values,
                     int nargs, const char *const *args)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int rv = iv_db_select(rq, label, &res, nargs, args);

    *values = NULL;
    if (rv != 0)
        return rv;
    while (iv_db_next(rq, res, &row)) {
        if (*values)
            continue;   /* drain the rest */
        int ncols = apr_dbd_num_cols(rq->db->driver, res);
        const char **copy = apr_pcalloc(rq->r->pool, (size_t)(ncols + 1) * sizeof *copy);
        for (int c = 0; c < ncols; c++)
            copy[c] = iv_db_value(rq, row, c);
        *values = copy;
    }
    return 0;
}
