#include "httpd.h"
#include <libpq-fe.h>
#include "apr_strings.h"
#include "apr_optional.h"
#include "http_log.h"

#include "db.h"
#include "stores.h"
#include "store_interventions.h"
#include "store_attachments.h"
#include "store_list.h"             /* list page (store_list.c) */
#include "store_tour.h"             /* tour sheet (store_tour.c) */
#include "store_export.h"           /* exports (store_export.c) */

static const iv_statement *const statement_tables[] = {
    iv_session_statements,
    iv_audit_statements,
    iv_refs_statements,         /* reference lists (store_refs.c) */
    iv_request_statements,      /* requests (store_interventions.c) */
    iv_attachment_statements,   /* attachments (store_attachments.c) */
    iv_list_statements,         /* list page (store_list.c) */
    iv_tour_statements,         /* tour sheet (store_tour.c) */
    iv_export_statements,       /* exports (store_export.c) */
    iv_imports_statements,      /* legacy imports (store_imports.c) */
};

void iv_db_prepare_all(apr_pool_t *ptemp, server_rec *main_server)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *prepare = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    module *dbd = ap_find_linked_module("mod_dbd.c");
    apr_hash_t *done = apr_hash_make(ptemp);

    if (!prepare || !dbd)
        return;         /* checked at start-up: mod_dbd is required */
    for (server_rec *s = main_server; s; s = s->next) {
        /* A virtual host without DBD directives shares the main server's mod_dbd
         * record: preparing twice there would only earn "conflicting" warnings. */
        void *dbd_conf = ap_get_module_config(s->module_config, dbd);
        if (dbd_conf && apr_hash_get(done, &dbd_conf, sizeof dbd_conf))
            continue;
        if (dbd_conf)
            apr_hash_set(done, apr_pmemdup(ptemp, &dbd_conf, sizeof dbd_conf), sizeof dbd_conf, "");
        for (size_t t = 0; t < sizeof statement_tables / sizeof *statement_tables; t++)
            for (const iv_statement *st = statement_tables[t]; st->label; st++)
                prepare(s, st->sql, st->label);
    }
}

/*
 * When PostgreSQL restarts, apr_dbd's connection check calls PQreset(): the
 * pooled connection comes back to life but without its prepared statements, and
 * mod_dbd never prepares them again. We remember, in the connection's own
 * statement table, the backend PID the statements belong to; a new PID means a
 * reset, and the statements are prepared again on the spot.
 */
#define BACKEND_MARK "iv:backend-pid"

static int prepare_again(iv_req *rq, ap_dbd_t *d)
{
    for (size_t t = 0; t < sizeof statement_tables / sizeof *statement_tables; t++)
        for (const iv_statement *st = statement_tables[t]; st->label; st++) {
            apr_dbd_prepared_t *stmt = NULL;
            int rv = apr_dbd_prepare(d->driver, d->pool, d->handle, st->sql, st->label, &stmt);
            if (rv != 0) {
                ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00103: preparing %s again "
                              "failed: %s", st->label, apr_dbd_error(d->driver, d->handle, rv));
                return rv;
            }
            apr_hash_set(d->prepared, st->label, APR_HASH_KEY_STRING, stmt);
        }
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, rq->r,
                  "IV00104: database connection was reset; statements prepared again");
    return 0;
}

/* 1 when the connection still has the statements mod_dbd prepared. */
static int statements_present(PGconn *pg)
{
    PGresult *res = PQdescribePrepared(pg, statement_tables[0][0].label);
    int present = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    return present;
}

static int check_statements(iv_req *rq, ap_dbd_t *d)
{
    PGconn *pg = apr_dbd_native_handle(d->driver, d->handle);
    int *mark = apr_hash_get(d->prepared, BACKEND_MARK, APR_HASH_KEY_STRING);

    if (mark && *mark == PQbackendPID(pg))
        return 0;
    if (mark || !statements_present(pg)) {
        /* the first look may find the connection dead: reconnect before preparing */
        if (PQstatus(pg) == CONNECTION_BAD) {
            PQreset(pg);
            if (PQstatus(pg) != CONNECTION_OK)
                return -1;
        }
        if (prepare_again(rq, d) != 0)
            return -1;
    }
    if (!mark) {
        mark = apr_palloc(d->pool, sizeof *mark);
        apr_hash_set(d->prepared, BACKEND_MARK, APR_HASH_KEY_STRING, mark);
    }
    *mark = PQbackendPID(pg);
    return 0;
}

ap_dbd_t *iv_db(iv_req *rq)
{
    static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *acquire;
    if (!acquire)
        acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    if (rq->db || rq->db_failed)
        return rq->db;
    /* After a database restart the pool still holds dead connections: mod_dbd
     * drops one per failed acquire, so try a few before answering 503. */
    for (int attempt = 0; !rq->db && acquire && attempt < 4; attempt++)
        rq->db = acquire(rq->r);
    if (rq->db && check_statements(rq, rq->db) != 0)
        rq->db = NULL;
    rq->db_failed = rq->db == NULL;
    return rq->db;
}

/* After a failure: when the server closed the connection (restart, idle kill),
 * reconnect and prepare again. Returns 1 when the statement can be retried:
 * it cannot have run, since the connection was gone. */
static int revived(iv_req *rq)
{
    PGconn *pg = apr_dbd_native_handle(rq->db->driver, rq->db->handle);

    if (rq->in_transaction || PQstatus(pg) != CONNECTION_BAD)
        return 0;
    PQreset(pg);
    return PQstatus(pg) == CONNECTION_OK && check_statements(rq, rq->db) == 0;
}

static apr_dbd_prepared_t *statement(iv_req *rq, const char *label)
{
    apr_dbd_prepared_t *st = apr_hash_get(rq->db->prepared, label, APR_HASH_KEY_STRING);
    if (!st) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r,
                      "IV00101: prepared statement %s is missing", label);
        if (rq->in_transaction)
            rq->transaction_failed = 1;
    }
    return st;
}

static void log_db_error(iv_req *rq, const char *label, int rv)
{
    if (rq->in_transaction)
        rq->transaction_failed = 1;     /* the whole unit must be rolled back */
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
    if (rv != 0 && revived(rq) && (st = statement(rq, label)))
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
    if (rv != 0 && revived(rq) && (st = statement(rq, label)))
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

/* Rolls back a transaction the handler left open (an early return), before mod_dbd
 * takes the connection back: cleanups run in reverse order, and this one was
 * registered after the connection's. */
static apr_status_t abandon_transaction(void *data)
{
    iv_req *rq = data;
    if (rq->transaction) {
        apr_dbd_transaction_mode_set(rq->db->driver, rq->transaction,
                                     APR_DBD_TRANSACTION_ROLLBACK);
        apr_dbd_transaction_end(rq->db->driver, rq->r->pool, rq->transaction);
        rq->transaction = NULL;
        rq->in_transaction = 0;
    }
    return APR_SUCCESS;
}

int iv_db_begin(iv_req *rq)
{
    int rv;
    if (!iv_db(rq))
        return -1;
    rv = apr_dbd_transaction_start(rq->db->driver, rq->r->pool, rq->db->handle, &rq->transaction);
    if (rv != 0) {
        log_db_error(rq, "BEGIN", rv);
        rq->transaction = NULL;
        return rv;
    }
    rq->in_transaction = 1;
    rq->transaction_failed = 0;
    apr_pool_cleanup_register(rq->r->pool, rq, abandon_transaction, apr_pool_cleanup_null);
    return 0;
}

int iv_db_commit(iv_req *rq)
{
    int failed, rv;
    if (!rq->transaction)
        return -1;
    failed = rq->transaction_failed;
    if (failed)
        apr_dbd_transaction_mode_set(rq->db->driver, rq->transaction, APR_DBD_TRANSACTION_ROLLBACK);
    rv = apr_dbd_transaction_end(rq->db->driver, rq->r->pool, rq->transaction);
    rq->transaction = NULL;
    rq->in_transaction = 0;
    if (rv != 0)
        log_db_error(rq, "COMMIT", rv);
    return rv != 0 || failed ? -1 : 0;
}

void iv_db_rollback(iv_req *rq)
{
    abandon_transaction(rq);
}

/* ---------------------------------------------------------------- protocol-prepared statements */

/* sql with apr_dbd's %s placeholders numbered $1, $2… as libpq takes them; NULL
 * if it holds another conversion (only %s and %% are written for these). */
static const char *numbered_placeholders(apr_pool_t *p, const char *sql)
{
    apr_size_t size = strlen(sql) + 1;
    char *out, *o;
    int n = 0;

    for (const char *c = strchr(sql, '%'); c; c = strchr(c + 1, '%'))
        size += 11;                     /* room for "$" and any int, generously */
    out = o = apr_palloc(p, size);

    for (const char *c = sql; *c; c++) {
        if (*c != '%') {
            *o++ = *c;
        }
        else if (c[1] == '%') {
            *o++ = '%';
            c++;
        }
        else if (c[1] == 's') {
            o += apr_snprintf(o, 12, "$%d", ++n);
            c++;
        }
        else {
            return NULL;
        }
    }
    *o = '\0';
    return out;
}

/* Prepares label on this connection unless done before: the connection's pool
 * lives as long as the session PostgreSQL keeps the statement in. */
static int prepare_natively(iv_req *rq, PGconn *conn, const char *label, const char *sql,
                            int nargs)
{
    const char *key = apr_pstrcat(rq->r->pool, "iv_native:", label, NULL);
    const char *numbered;
    void *done = NULL;
    PGresult *res;
    int ok;

    apr_pool_userdata_get(&done, key, rq->db->pool);
    if (done)
        return 1;
    if (!(numbered = numbered_placeholders(rq->r->pool, sql))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00105: statement %s: only %%s "
                      "placeholders can be prepared natively", label);
        return 0;
    }
    res = PQprepare(conn, label, numbered, nargs, NULL);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00102: statement %s failed: %s",
                      label, PQresultErrorMessage(res));
    else
        apr_pool_userdata_set(rq->db->pool, apr_pstrdup(rq->db->pool, key),
                              apr_pool_cleanup_null, rq->db->pool);
    PQclear(res);
    return ok;
}

int iv_db_native_value(iv_req *rq, const char *label, const char *sql, int nargs,
                       const char *const *args, const char **value)
{
    PGconn *conn;
    PGresult *res;
    int ok;

    *value = NULL;
    if (!iv_db(rq) || rq->in_transaction)
        return -1;
    conn = apr_dbd_native_handle(rq->db->driver, rq->db->handle);
    if (!conn || !prepare_natively(rq, conn, label, sql, nargs))
        return -1;
    res = PQexecPrepared(conn, label, nargs, args, NULL, NULL, 0);
    ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00102: statement %s failed: %s",
                      label, PQresultErrorMessage(res));
    else if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        *value = apr_pstrdup(rq->r->pool, PQgetvalue(res, 0, 0));
    PQclear(res);
    return ok ? 0 : -1;
}
