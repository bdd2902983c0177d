/*
 * export_cells.h — what a row of the exports holds, without httpd: the columns of
 * a request (every field, headers named by catalogue keys), typed cells, and the
 * turning of one database row (export_sql.h) into those cells. The writers
 * (export_csv.c, export_ods.c, export_xlsx.c) only see cells.
 * Unit-tested alone (tests/unit/test_export_csv.c).
 */
#ifndef IV_EXPORT_CELLS_H
#define IV_EXPORT_CELLS_H

#include <stddef.h>
#include "apr_pools.h"
#include "apr_hash.h"

typedef enum {
    IV_CELL_EMPTY,
    IV_CELL_TEXT,               /* typed by someone: never a formula */
    IV_CELL_NUMBER,
    IV_CELL_DATETIME            /* a real date cell in XLSX and ODS */
} iv_cell_kind;

typedef struct {
    int year, month, day, hour, min, sec;
} iv_datetime;

/* One cell. text is set for every kind but EMPTY: the text (clean of control
 * characters), the number in C notation ("48.8566", "2026"), or the date time as
 * "AAAA-MM-JJ HH:MM:SS". number and dt are set for their kinds. */
typedef struct {
    iv_cell_kind kind;
    const char *text;
    double number;
    iv_datetime dt;
} iv_cell;

typedef struct {
    const char *key;            /* catalogue key of the header (xslt/i18n/fr.xml) */
    iv_cell_kind kind;
    double width;               /* in characters, for XLSX and ODS */
} iv_export_column;

/* The columns of the exports, in order. */
extern const iv_export_column iv_export_columns[];
extern const int iv_export_ncolumns;

/* Labels of the reference codes: code -> label, one hash per list; a code without
 * label is shown as it is. */
typedef struct {
    apr_hash_t *statuses, *origins, *natures, *titles, *communes, *objects, *teams, *agents;
} iv_export_labels;

/* Fills cells[iv_export_ncolumns] from one row of the export statement (values in
 * the order of enum iv_export_sql_column, NULL for SQL NULL). Strings are
 * allocated in pool only when they must change (labels and clean texts point into
 * their source): clear pool per row. */
void iv_export_cells(apr_pool_t *pool, const iv_export_labels *labels,
                     const char *const *values, iv_cell *cells);

/* "AAAA-MM-JJ HH:MM:SS" (seconds optional) into *dt; 1 when it is one, else 0. */
int iv_export_datetime_parse(const char *s, iv_datetime *dt);

/* s with the control characters a spreadsheet cannot hold (C0 but TAB and LF, and
 * DEL) made spaces, CR LF and lone CR made LF; s itself when already clean. */
const char *iv_export_clean_text(apr_pool_t *pool, const char *s);

#endif
