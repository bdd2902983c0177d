/*
 * export_xlsx.c — XLSX through libxlsxwriter (export_xlsx.h).
 */
#include <string.h>
#include <xlsxwriter.h>
#include "apr_strings.h"

#include "export_xlsx.h"

#define ROWS_PER_SHEET (LXW_ROW_MAX - 1)    /* data rows under the header row */
/* Excel's limit per cell is 32,767 UTF-16 units; a UTF-8 text never has fewer
 * bytes than units, so cutting at that many bytes is enough. */
#define TEXT_MAX 32767

struct iv_xlsx {
    apr_pool_t *pool;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *date;
    const char *sheet_name;
    const char *const *headers;
    const iv_export_column *cols;
    int ncols, sheets;
    lxw_row_t row;                  /* next row of the current sheet */
};

static apr_status_t free_workbook(void *data)
{
    iv_xlsx *x = data;
    if (x->wb)
        lxw_workbook_free(x->wb);   /* closing would write the file: only free */
    x->wb = NULL;
    return APR_SUCCESS;
}

static int failed(lxw_error err, const char **error)
{
    if (err == LXW_NO_ERROR)
        return 0;
    *error = lxw_strerror(err);
    return -1;
}

/* The header row at the top of a new sheet, frozen, with column widths. */
static int new_sheet(iv_xlsx *x, const char **error)
{
    const char *name = x->sheets++ == 0 ? x->sheet_name
                       : apr_psprintf(x->pool, "%s (%d)", x->sheet_name, x->sheets);
    lxw_error err = LXW_NO_ERROR;

    if (x->ws)
        worksheet_autofilter(x->ws, 0, 0, x->row - 1, (lxw_col_t)(x->ncols - 1));
    x->ws = workbook_add_worksheet(x->wb, name);
    if (!x->ws) {
        *error = "cannot add a worksheet";
        return -1;
    }
    for (int c = 0; c < x->ncols && !err; c++)
        err = worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, x->cols[c].width, NULL);
    worksheet_freeze_panes(x->ws, 1, 0);
    for (int c = 0; c < x->ncols && !err; c++)
        err = worksheet_write_string(x->ws, 0, (lxw_col_t)c, x->headers[c], x->bold);
    x->row = 1;
    return failed(err, error);
}

iv_xlsx *iv_xlsx_open(apr_pool_t *pool, const char *path, const char *tmpdir,
                      const char *sheet_name, const char *const *headers,
                      const iv_export_column *cols, int ncols, const char **error)
{
    iv_xlsx *x = apr_pcalloc(pool, sizeof *x);
    lxw_workbook_options options = {
        .constant_memory = LXW_TRUE,
        .tmpdir = apr_pstrdup(pool, tmpdir),
    };

    x->pool = pool;
    x->sheet_name = sheet_name;
    x->headers = headers;
    x->cols = cols;
    x->ncols = ncols;
    x->wb = workbook_new_opt(path, &options);
    if (!x->wb) {
        *error = "cannot create the workbook";
        return NULL;
    }
    apr_pool_cleanup_register(pool, x, free_workbook, apr_pool_cleanup_null);
    x->bold = workbook_add_format(x->wb);
    x->date = workbook_add_format(x->wb);
    if (!x->bold || !x->date) {
        *error = "cannot add a format";
        return NULL;
    }
    format_set_bold(x->bold);
    format_set_num_format(x->date, "dd/mm/yyyy hh:mm");
    return new_sheet(x, error) == 0 ? x : NULL;
}

/* s cut to TEXT_MAX bytes on a character boundary. */
static const char *excel_text(apr_pool_t *pool, const char *s)
{
    size_t len = strlen(s);
    if (len <= TEXT_MAX)
        return s;
    len = TEXT_MAX;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return apr_pstrmemdup(pool, s, len);
}

static lxw_error write_cell(iv_xlsx *x, apr_pool_t *pool, lxw_col_t col, const iv_cell *cell)
{
    lxw_datetime dt;
    switch (cell->kind) {
    case IV_CELL_TEXT:
        return worksheet_write_string(x->ws, x->row, col, excel_text(pool, cell->text), NULL);
    case IV_CELL_NUMBER:
        return worksheet_write_number(x->ws, x->row, col, cell->number, NULL);
    case IV_CELL_DATETIME:
        dt = (lxw_datetime){ cell->dt.year, cell->dt.month, cell->dt.day, cell->dt.hour,
                             cell->dt.min, cell->dt.sec };
        return worksheet_write_datetime(x->ws, x->row, col, &dt, x->date);
    case IV_CELL_EMPTY:
        break;
    }
    return LXW_NO_ERROR;
}

int iv_xlsx_row(iv_xlsx *x, const iv_cell *cells, apr_pool_t *pool, const char **error)
{
    lxw_error err = LXW_NO_ERROR;
    if (x->row > ROWS_PER_SHEET && new_sheet(x, error) != 0)
        return -1;
    for (int c = 0; c < x->ncols && !err; c++)
        err = write_cell(x, pool, (lxw_col_t)c, &cells[c]);
    x->row++;
    return failed(err, error);
}

int iv_xlsx_close(iv_xlsx *x, const char **error)
{
    lxw_error err;
    worksheet_autofilter(x->ws, 0, 0, x->row - 1, (lxw_col_t)(x->ncols - 1));
    err = workbook_close(x->wb);        /* frees the workbook, even on failure */
    x->wb = NULL;
    return failed(err, error);
}
