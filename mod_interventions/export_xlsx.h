/*
 * export_xlsx.h — the XLSX export with libxlsxwriter in constant-memory mode: each
 * row goes to a temporary file as it comes, so memory stays flat whatever the
 * number of rows. libxlsxwriter 1.1.4 writes the workbook to a file (no memory
 * output), which the handler then sends.
 *
 * Texts are string cells, never formulas (a name typed "=HYPERLINK(…)" stays
 * text); dates are date cells shown JJ/MM/AAAA HH:MM; the header row is bold,
 * frozen and carries an autofilter. Past Excel's 1,048,576 rows a sheet, the rows
 * go on in a new sheet under the same header.
 */
#ifndef IV_EXPORT_XLSX_H
#define IV_EXPORT_XLSX_H

#include "export_cells.h"

typedef struct iv_xlsx iv_xlsx;

/* A new workbook to be written to path, libxlsxwriter's temporary files in
 * tmpdir; sheet_name names the first sheet, headers[ncols] are the header texts.
 * NULL (and *error set) when libxlsxwriter fails. Freed with pool if not closed. */
iv_xlsx *iv_xlsx_open(apr_pool_t *pool, const char *path, const char *tmpdir,
                      const char *sheet_name, const char *const *headers,
                      const iv_export_column *cols, int ncols, const char **error);

/* Appends a row of ncols cells (pool: for this row only). Returns 0, or non-zero
 * with *error set. */
int iv_xlsx_row(iv_xlsx *x, const iv_cell *cells, apr_pool_t *pool, const char **error);

/* Writes the file. Returns 0, or non-zero with *error set. */
int iv_xlsx_close(iv_xlsx *x, const char **error);

#endif
