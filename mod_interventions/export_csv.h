/*
 * export_csv.h — the CSV export as French Excel opens it: UTF-8 with a BOM, ';'
 * between fields, CRLF after each record, quoting per RFC 4180 (a field holding
 * the separator, a quote, CR or LF is quoted, its quotes doubled), decimal comma,
 * dates as JJ/MM/AAAA HH:MM. A text cell that a spreadsheet would take for a
 * formula (starting with = + - @, TAB or CR) gets a leading apostrophe: CSV
 * injection (OWASP). Pure C, streamed through a write function.
 */
#ifndef IV_EXPORT_CSV_H
#define IV_EXPORT_CSV_H

#include "export_cells.h"

/* Receives the bytes; returns 0, or non-zero to stop (the client went away). */
typedef int (*iv_export_write_fn)(void *ctx, const char *data, size_t len);

typedef struct {
    iv_export_write_fn write;
    void *ctx;
    int fields;                 /* fields written in the current record */
    int failed;                 /* a write failed: the rest is skipped */
} iv_csv;

/* Starts a CSV: writes the BOM. */
int iv_csv_begin(iv_csv *csv, iv_export_write_fn write, void *ctx);

/* One text field: neutralised and quoted as needed. */
void iv_csv_text(iv_csv *csv, const char *s);

/* One cell of the given kind (EMPTY is an empty field). */
void iv_csv_cell(iv_csv *csv, const iv_cell *cell);

/* Ends the record (CRLF). Returns 0, or non-zero once a write has failed. */
int iv_csv_end_record(iv_csv *csv);

/* 1 when a spreadsheet would evaluate s (its first character is = + - @, TAB or
 * CR): such a text is written with a leading apostrophe. */
int iv_csv_formula_like(const char *s);

#endif
