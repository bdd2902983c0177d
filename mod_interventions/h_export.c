/*
 * h_export.c — the current list as a file: export.csv, export.xlsx, export.ods
 * under the mount point, with the list's filters (the same reading, list_filters.c,
 * so a file holds exactly what the page lists, perimeter included: a lecteur gets
 * only his communes, an intervenant his team's and his own requests).
 *
 * The story: read the filters (a bad one stops the export with a 422 page: a file
 * silently holding other requests than the ones chosen would mislead) → labels →
 * cursor → first row (a database failure up to here is still an error page) →
 * rows, streamed: CSV and ODS go to the client batch by batch, XLSX to a temporary
 * file sent once complete (libxlsxwriter cannot stream) → audit: every export is a
 * read of personal data, recorded with its format, filters and row count, also when
 * the client went away ("interrompu").
 *
 * Memory stays flat at any size: one database batch, one row's cells.
 */
#include <string.h>
#include "httpd.h"
#include "apr_strings.h"
#include "apr_file_io.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "export_cells.h"
#include "export_csv.h"
#include "export_ods.h"
#include "export_xlsx.h"
#include "headers.h"
#include "list_filters.h"
#include "routes.h"
#include "store_export.h"
#include "store_interventions.h"
#include "stores.h"
#include "view.h"

typedef struct export_run export_run;

typedef struct {
    const char *ext;
    const char *content_type;
    int (*begin)(export_run *x);
    int (*row)(export_run *x, const iv_cell *cells, apr_pool_t *pool);
    int (*end)(export_run *x);
} export_format;

struct export_run {
    iv_req *rq;
    const export_format *format;
    iv_list_filters lf;
    iv_export_labels labels;
    const char **headers;           /* column headers, from the catalogue */
    const char *sheet_name;
    const char *today;              /* AAAA-MM-JJ, Paris time (the database's clock) */
    long rows;                      /* rows handed to the writer */
    int aborted;                    /* the client went away */
    int cut;                        /* the response was cut short: write nothing more */
    const char *error;              /* a writer's failure, for the log */
    /* the writers' states */
    iv_csv csv;
    iv_ods *ods;
    iv_xlsx *xlsx;
    apr_file_t *file;               /* XLSX: the workbook, unlinked once written */
    const char *path;
};

static int db_failure(iv_req *rq)
{
    return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
}

/* ---------------------------------------------------------------- response */

/* Bytes for the client: ap_rwrite keeps 8 KB and passes them down the filters;
 * nothing accumulates. Fails once the connection is gone. */
static int to_client(void *ctx, const char *data, size_t len)
{
    export_run *x = ctx;
    if (x->cut)
        return -1;
    if (x->aborted || ap_rwrite(data, (int)len, x->rq->r) < 0) {
        x->aborted = 1;
        return -1;
    }
    return 0;
}

static void file_headers(export_run *x)
{
    request_rec *r = x->rq->r;
    ap_set_content_type(r, x->format->content_type);
    apr_table_setn(r->headers_out, "Content-Disposition",
                   iv_content_disposition(r->pool, "attachment", apr_pstrcat(r->pool,
                                          "demandes-", x->today, ".", x->format->ext, NULL)));
    /* Cache-Control: no-store is already there: every answer of the agents' face
     * carries it (iv_security_headers) */
}

/* After the response began, a failure can no longer be an error page: the
 * response is cut short (no last chunk, connection closed), as mod_proxy does for
 * a backend that breaks, so that the client sees an incomplete download rather
 * than a complete-looking truncated file. */
static void cut_short(export_run *x)
{
    request_rec *r = x->rq->r;
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);

    ap_rflush(r);
    x->cut = 1;
    r->connection->keepalive = AP_CONN_CLOSE;
    APR_BRIGADE_INSERT_TAIL(bb, ap_bucket_error_create(HTTP_BAD_GATEWAY, NULL, r->pool,
                                                       r->connection->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    ap_pass_brigade(r->output_filters, bb);
}

/* ---------------------------------------------------------------- CSV */

static int csv_begin(export_run *x)
{
    iv_csv_begin(&x->csv, to_client, x);
    for (int c = 0; c < iv_export_ncolumns; c++)
        iv_csv_text(&x->csv, x->headers[c]);
    return iv_csv_end_record(&x->csv);
}

static int csv_row(export_run *x, const iv_cell *cells, apr_pool_t *pool)
{
    (void)pool;
    for (int c = 0; c < iv_export_ncolumns; c++)
        iv_csv_cell(&x->csv, &cells[c]);
    return iv_csv_end_record(&x->csv);
}

static int csv_end(export_run *x)
{
    return x->csv.failed;
}

/* ---------------------------------------------------------------- ODS */

static int ods_begin(export_run *x)
{
    x->ods = iv_ods_open(x->rq->r->pool, to_client, x, x->sheet_name, x->headers,
                         iv_export_columns, iv_export_ncolumns, apr_time_now());
    if (!x->ods && !x->aborted)
        x->error = "cannot start the ODS package";
    return x->ods ? 0 : -1;
}

static int ods_row(export_run *x, const iv_cell *cells, apr_pool_t *pool)
{
    return iv_ods_row(x->ods, cells, pool);
}

static int ods_end(export_run *x)
{
    return iv_ods_close(x->ods);
}

/* ---------------------------------------------------------------- XLSX */

/* Removes the workbook's name if still there (an export that failed). */
static apr_status_t remove_workbook(void *data)
{
    export_run *x = data;
    if (x->path)
        apr_file_remove(x->path, x->rq->r->pool);
    x->path = NULL;
    return APR_SUCCESS;
}

/* The workbook is written to a temporary file of ours (created exclusive, in
 * TMPDIR or /tmp, with libxlsxwriter's own temporary files): libxlsxwriter rewrites
 * it by name and we read it back through our descriptor, so the name is removed as
 * soon as the workbook is complete; what is sent can no longer be seen by others. */
static int xlsx_begin(export_run *x)
{
    apr_pool_t *p = x->rq->r->pool;
    const char *dir = NULL;
    char *path;

    if (apr_temp_dir_get(&dir, p) != APR_SUCCESS)
        dir = "/tmp";
    path = apr_pstrcat(p, dir, "/iv-export-XXXXXX", NULL);
    if (apr_file_mktemp(&x->file, path, APR_FOPEN_CREATE | APR_FOPEN_READ | APR_FOPEN_WRITE
                        | APR_FOPEN_EXCL, p) != APR_SUCCESS) {
        x->error = apr_pstrcat(p, "cannot create a temporary file in ", dir, NULL);
        return -1;
    }
    x->path = path;             /* apr_file_mktemp filled in the X's */
    apr_pool_cleanup_register(p, x, remove_workbook, apr_pool_cleanup_null);
    x->xlsx = iv_xlsx_open(p, path, dir, x->sheet_name, x->headers, iv_export_columns,
                           iv_export_ncolumns, &x->error);
    return x->xlsx ? 0 : -1;
}

static int xlsx_row(export_run *x, const iv_cell *cells, apr_pool_t *pool)
{
    return iv_xlsx_row(x->xlsx, cells, pool, &x->error);
}

static int xlsx_end(export_run *x)
{
    int rv = iv_xlsx_close(x->xlsx, &x->error);
    remove_workbook(x);
    return rv;
}

/* The complete workbook, sent from the (already unlinked) file. */
static int xlsx_send(export_run *x)
{
    request_rec *r = x->rq->r;
    apr_finfo_t info;
    apr_bucket_brigade *bb;
    apr_off_t start = 0;

    if (apr_file_info_get(&info, APR_FINFO_SIZE, x->file) != APR_SUCCESS
        || apr_file_seek(x->file, APR_SET, &start) != APR_SUCCESS) {
        x->error = "cannot read the workbook back";
        return -1;
    }
    file_headers(x);
    ap_set_content_length(r, info.size);
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_brigade_insert_file(bb, x->file, 0, info.size, r->pool);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    if (ap_pass_brigade(r->output_filters, bb) != APR_SUCCESS)
        x->aborted = 1;
    return 0;
}

static const export_format formats[] = {
    { "csv", "text/csv; charset=utf-8", csv_begin, csv_row, csv_end },
    { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      xlsx_begin, xlsx_row, xlsx_end },
    { "ods", "application/vnd.oasis.opendocument.spreadsheet", ods_begin, ods_row, ods_end },
};
enum { FORMAT_CSV, FORMAT_XLSX, FORMAT_ODS };

static int streamed(const export_run *x)
{
    return x->format != &formats[FORMAT_XLSX];
}

/* ---------------------------------------------------------------- filters */

/* Paging and sort do not change what an export holds: their errors do not matter. */
static int changes_rows(const char *field)
{
    return strcmp(field, IV_P_PAGE) != 0 && strcmp(field, IV_P_PER_PAGE) != 0
        && strcmp(field, IV_P_SORT) != 0 && strcmp(field, IV_P_DIR) != 0;
}

/* The filters without paging and sort, as the list's export links write them. */
static const char *filters_query(export_run *x)
{
    static const char *const skip[] = { IV_P_PAGE, IV_P_PER_PAGE, IV_P_SORT, IV_P_DIR, NULL };
    const char *qs = iv_list_filters_query(x->rq->r->pool, &x->lf, skip);
    size_t n = strlen(qs);
    return n ? apr_pstrndup(x->rq->r->pool, qs, n - 1) : qs;
}

/* 422: the filters the list page would have ignored, each with its message, and a
 * link back to the list, which shows them next to their fields. */
static int bad_filters(export_run *x)
{
    iv_req *rq = x->rq;
    xmlNodePtr page = iv_page_new(rq, "export_error"), ex = iv_node(page, "export");
    int shown = 0;

    iv_attr(ex, "format", x->format->ext);
    iv_attr(ex, "list", apr_pstrcat(rq->r->pool, rq->base, "/?", filters_query(x), NULL));
    for (int i = 0; i + 1 < x->lf.errors->nelts; i += 2) {
        const char *field = APR_ARRAY_IDX(x->lf.errors, i, const char *);
        if (!changes_rows(field))
            continue;
        xmlNodePtr e = iv_node(ex, "error");
        iv_attr(e, "field", field);
        iv_attr(e, "key", APR_ARRAY_IDX(x->lf.errors, i + 1, const char *));
        shown++;
    }
    iv_attr(ex, "count", apr_itoa(rq->r->pool, shown));
    return iv_page_send(rq, page, HTTP_UNPROCESSABLE_ENTITY);
}

static int filters_ok(const export_run *x)
{
    for (int i = 0; i + 1 < x->lf.errors->nelts; i += 2)
        if (changes_rows(APR_ARRAY_IDX(x->lf.errors, i, const char *)))
            return 0;
    return 1;
}

/* ---------------------------------------------------------------- labels */

static apr_hash_t *label_hash(apr_pool_t *p, const apr_array_header_t *refs)
{
    apr_hash_t *h = apr_hash_make(p);
    for (int i = 0; i < refs->nelts; i++) {
        const iv_list_ref *ref = &APR_ARRAY_IDX(refs, i, iv_list_ref);
        apr_hash_set(h, ref->code, APR_HASH_KEY_STRING, ref->label);
    }
    return h;
}

static int prepare(export_run *x)
{
    apr_pool_t *p = x->rq->r->pool;
    const iv_list_refs *refs = &x->lf.refs;
    const char *now;
    int future;

    x->labels.statuses = label_hash(p, refs->statuses);
    x->labels.origins = label_hash(p, refs->origins);
    x->labels.titles = label_hash(p, refs->titles);
    x->labels.communes = label_hash(p, refs->communes);
    x->labels.objects = label_hash(p, refs->objects);
    x->labels.teams = label_hash(p, refs->teams);
    x->labels.agents = label_hash(p, refs->agents);
    x->headers = apr_palloc(p, sizeof *x->headers * (size_t)iv_export_ncolumns);
    for (int c = 0; c < iv_export_ncolumns; c++)
        x->headers[c] = iv_msg(x->rq, iv_export_columns[c].key);
    x->sheet_name = iv_msg(x->rq, "export.sheet");
    if (iv_export_natures(x->rq, &x->labels.natures) != 0
        || iv_clock(x->rq, NULL, &now, &future) != 0)
        return -1;
    x->today = apr_pstrndup(p, now, 10);
    return 0;
}

/* ---------------------------------------------------------------- the rows */

static void audit(export_run *x, const char *outcome)
{
    iv_req *rq = x->rq;
    const char *detail = apr_psprintf(rq->r->pool, "%s lignes=%ld filtres=%s%s%s",
                                      x->format->ext, x->rows, filters_query(x),
                                      *outcome ? " " : "", outcome);
    if (iv_audit(rq, rq->user->login, "export", detail) != 0)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV01703: export of %ld rows by %s "
                      "could not be recorded in the audit", x->rows, rq->user->login);
}

/* Streams every row to the writer, starting with the one in values when more is
 * 1. Returns 0 at the end, -1 when the database or the writer failed, 1 when the
 * client left. */
static int copy_rows(export_run *x, iv_export_cursor *cur, const char **values, int more)
{
    apr_pool_t *row_pool;
    iv_cell cells[64];

    if (iv_export_ncolumns > (int)(sizeof cells / sizeof *cells)
        || apr_pool_create(&row_pool, x->rq->r->pool) != APR_SUCCESS)
        return -1;
    while (more > 0) {
        iv_export_cells(row_pool, &x->labels, values, cells);
        if (x->format->row(x, cells, row_pool) != 0)
            return x->aborted ? 1 : -1;
        apr_pool_clear(row_pool);
        /* a batch's worth on its way to the client; is the client still there? */
        if (++x->rows % IV_EXPORT_BATCH == 0 && streamed(x)
            && (ap_rflush(x->rq->r) < 0 || x->rq->r->connection->aborted)) {
            x->aborted = 1;
            return 1;
        }
        more = iv_export_next(cur, values);
    }
    return more < 0 ? -1 : 0;
}

/* Writes the file (first: 1 when values holds the first row, 0 when there is
 * none), ends it, records the export. */
static int write_file(export_run *x, iv_export_cursor *cur, const char **values, int first)
{
    request_rec *r = x->rq->r;
    int rv;

    if (streamed(x))
        file_headers(x);
    rv = x->format->begin(x);
    if (rv == 0)
        rv = copy_rows(x, cur, values, first);
    if (rv == 0 && x->format->end(x) != 0)
        rv = x->aborted ? 1 : -1;
    iv_export_close(cur);
    if (rv == 0 && !streamed(x) && xlsx_send(x) != 0)
        rv = -1;
    if (rv < 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "IV01702: %s export stopped after %ld rows%s%s",
                      x->format->ext, x->rows, x->error ? ": " : "", x->error ? x->error : "");
        audit(x, "erreur");
        if (!streamed(x))
            return db_failure(x->rq);       /* nothing sent yet: an error page */
        cut_short(x);
        return OK;
    }
    audit(x, x->aborted ? "interrompu" : "");
    if (x->aborted)
        r->connection->keepalive = AP_CONN_CLOSE;
    return OK;
}

static int export(iv_req *rq, const export_format *format)
{
    /* in the pool: its cleanups (the workbook's name) outlive this function */
    export_run *x = apr_pcalloc(rq->r->pool, sizeof *x);
    iv_export_cursor *cur;
    const char *values[IV_X_NCOLUMNS];
    int first;

    x->rq = rq;
    x->format = format;
    if (iv_list_filters_read(rq, &x->lf) != 0)
        return db_failure(rq);
    if (!filters_ok(x))
        return bad_filters(x);
    if (prepare(x) != 0)
        return db_failure(rq);
    if (rq->r->header_only) {       /* HEAD: the headers, nothing read */
        file_headers(x);
        return OK;
    }
    if (iv_export_open(rq, x->lf.param, &cur) != 0)
        return db_failure(rq);
    /* the first row before any byte: a failure up to here still gets its page */
    if ((first = iv_export_next(cur, values)) < 0)
        return db_failure(rq);
    return write_file(x, cur, values, first);
}

int iv_h_export_csv(iv_req *rq)
{
    return export(rq, &formats[FORMAT_CSV]);
}

int iv_h_export_xlsx(iv_req *rq)
{
    return export(rq, &formats[FORMAT_XLSX]);
}

int iv_h_export_ods(iv_req *rq)
{
    return export(rq, &formats[FORMAT_ODS]);
}
