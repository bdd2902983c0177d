/*
 * store_imports.c — the runs of the legacy import (tools/interventions-import),
 * for admin/imports: their summaries, their reasons and their report CSV.
 */
#include "apr_strings.h"
#include "stores.h"

/* The page shows the last runs; older ones stay in the table. */
#define IMPORTS_SHOWN "100"

const iv_statement iv_imports_statements[] = {
    { "iv_imports_list",
      "SELECT id, to_char(started_at, 'DD/MM/YYYY'), to_char(started_at, 'HH24:MI'), login,"
      " source_name, source_format, source_encoding, dry_run::int, create_missing::int, rows_read,"
      " rows_imported, rows_corrected, rows_duplicate, rows_rejected, rows_already, report_lines"
      " FROM imports WHERE finished_at IS NOT NULL ORDER BY started_at DESC, id DESC"
      " LIMIT " IMPORTS_SHOWN },
    { "iv_imports_reasons",
      "SELECT r.import_id, r.outcome, r.reason, r.rows FROM import_reasons r"
      " WHERE r.import_id IN (SELECT id FROM imports WHERE finished_at IS NOT NULL"
      "  ORDER BY started_at DESC, id DESC LIMIT " IMPORTS_SHOWN ")"
      " ORDER BY r.import_id, r.position" },
    { "iv_imports_report",
      "SELECT report_csv FROM imports WHERE id = %s::bigint AND finished_at IS NOT NULL" },
    { NULL, NULL }
};

int iv_imports_list(iv_req *rq, apr_array_header_t **imports)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_hash_t *by_id = apr_hash_make(rq->r->pool);

    *imports = apr_array_make(rq->r->pool, 16, sizeof(iv_import_run *));
    if (iv_db_select(rq, "iv_imports_list", &res, IV_NO_ARGS) != 0)
        return -1;
    while (iv_db_next(rq, res, &row)) {
        iv_import_run *run = apr_pcalloc(rq->r->pool, sizeof *run);
        const char **fields[] = { &run->id, &run->date, &run->time, &run->login, &run->source,
                                  &run->format, &run->encoding, &run->dry_run, &run->create_missing,
                                  &run->read, &run->imported, &run->corrected, &run->duplicates,
                                  &run->rejected, &run->already, &run->report_lines };
        for (int i = 0; i < (int)(sizeof fields / sizeof *fields); i++)
            *fields[i] = iv_db_value(rq, row, i);
        run->reasons = apr_array_make(rq->r->pool, 8, sizeof(iv_import_reason));
        apr_hash_set(by_id, run->id, APR_HASH_KEY_STRING, run);
        *(iv_import_run **)apr_array_push(*imports) = run;
    }
    res = NULL;
    row = NULL;
    if (iv_db_select(rq, "iv_imports_reasons", &res, IV_NO_ARGS) != 0)
        return -1;
    while (iv_db_next(rq, res, &row)) {
        iv_import_run *run = apr_hash_get(by_id, iv_db_value(rq, row, 0), APR_HASH_KEY_STRING);
        if (!run)
            continue;
        iv_import_reason *reason = apr_array_push(run->reasons);
        reason->outcome = iv_db_value(rq, row, 1);
        reason->text = iv_db_value(rq, row, 2);
        reason->rows = iv_db_value(rq, row, 3);
    }
    return 0;
}

int iv_imports_report(iv_req *rq, const char *id, const char **csv)
{
    const char **values;
    if (iv_db_select_row(rq, "iv_imports_report", &values, IV_ARGS(id)) != 0)
        return -1;
    *csv = values ? values[0] : NULL;
    return 0;
}
