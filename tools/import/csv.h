/*
 * csv.h — reading CSV as Access and spreadsheets write it (RFC 4180 and its
 * usual liberties): ';' or ',' between fields, fields in double quotes when they
 * hold the separator, a quote ("" inside) or line breaks; CRLF, LF or CR at the
 * end of records. Text typed by hand breaks the rules: a quote inside an unquoted
 * field, or a quote followed by more text inside a quoted one, is kept as a
 * character instead of ending the field. Pure C.
 *
 * The parser works in place: fields are unquoted inside the buffer and
 * NUL-terminated there, so a million records cost no allocation. The buffer must
 * stay alive (and unchanged by others) while the fields are used.
 */
#ifndef IV_IMP_CSV_H
#define IV_IMP_CSV_H

#include <stddef.h>
#include "apr_tables.h"

typedef struct {
    char *p, *end;
    char sep;
    long records;           /* records read so far */
    int unterminated;       /* the last record ended inside a quoted field (end of input) */
} iv_csv;

/* The separator of the first line: whichever of ';', ',' and TAB occurs most
 * often outside quotes; ';' (French Excel and Access) when none does. */
char iv_csv_detect_separator(const char *buf, size_t len);

/* buf[0..len) is parsed in place; buf[len] must exist (it may be overwritten). */
void iv_csv_init(iv_csv *c, char *buf, size_t len, char sep);

/* Reads the next record: pointers to its fields (NUL-terminated, inside the
 * buffer, quotes removed) replace the content of fields (an array of char *).
 * Returns 1, or 0 at the end of the input (no record). */
int iv_csv_next(iv_csv *c, apr_array_header_t *fields);

#endif
