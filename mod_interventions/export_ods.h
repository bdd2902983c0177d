/*
 * export_ods.h — the ODS export (OpenDocument spreadsheet), streamed: content.xml
 * is written by libxml2's xmlTextWriter into an output buffer whose bytes are
 * deflated into the ZIP (zipstream.c) as they come, and the ZIP's bytes go to the
 * write function (the response). Nothing grows with the number of rows.
 *
 * The package: mimetype first and stored (ODF 1.2 part 3, 3.3), the manifest,
 * styles, meta, content, then settings (written last: it names every sheet, to
 * freeze their header rows). Texts are string cells, never formulas; dates are
 * office:value-type="date" cells shown JJ/MM/AAAA HH:MM. Past 1,048,576 rows a
 * sheet (LibreOffice's usual limit), the rows go on in a new sheet.
 */
#ifndef IV_EXPORT_ODS_H
#define IV_EXPORT_ODS_H

#include "export_cells.h"
#include "export_csv.h"         /* iv_export_write_fn */

typedef struct iv_ods iv_ods;

/* Starts the package and its first sheet. NULL when zlib or libxml2 fail, or when
 * write failed. */
iv_ods *iv_ods_open(apr_pool_t *pool, iv_export_write_fn write, void *ctx,
                    const char *sheet_name, const char *const *headers,
                    const iv_export_column *cols, int ncols, apr_time_t now);

/* Appends a row of ncols cells (pool: for this row only). Returns 0, or non-zero
 * once writing failed. */
int iv_ods_row(iv_ods *o, const iv_cell *cells, apr_pool_t *pool);

/* Ends the content and writes the rest of the package. Returns 0 or non-zero. */
int iv_ods_close(iv_ods *o);

#endif
