/*
 * store_export.h — the data of the exports: the requests the list's filters select,
 * read through a cursor one batch at a time (SQL in export_sql.h), and the one
 * reference list the list page does not load.
 */
#ifndef IV_STORE_EXPORT_H
#define IV_STORE_EXPORT_H

#include "apr_hash.h"
#include "db.h"
#include "export_sql.h"

extern const iv_statement iv_export_statements[];

/* The natures of requesters, code -> label (deactivated ones too). */
int iv_export_natures(iv_req *rq, apr_hash_t **labels);

typedef struct iv_export_cursor iv_export_cursor;

/* Opens a transaction and declares the cursor over the requests that filters
 * (IV_LIST_NFILTERS values, list_filters.h) select. Returns 0, or non-zero after
 * logging (the transaction is then rolled back). */
int iv_export_open(iv_req *rq, const char *const *filters, iv_export_cursor **cursor);

/* The next row: returns 1 with values[IV_X_NCOLUMNS] set (NULL for SQL NULL; the
 * strings live until the next call), 0 after the last row, -1 when the database
 * failed (logged). Only one batch of rows is ever held. */
int iv_export_next(iv_export_cursor *cursor, const char **values);

/* Ends the transaction, and the cursor with it. Returns 0 or non-zero. */
int iv_export_close(iv_export_cursor *cursor);

#endif
