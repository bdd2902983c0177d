/*
 * export_csv.c — CSV for French spreadsheets (export_csv.h).
 */
#include <stdio.h>
#include <string.h>

#include "export_csv.h"

#define SEPARATOR ';'
#define UTF8_BOM "\xEF\xBB\xBF"

static void put(iv_csv *csv, const char *data, size_t len)
{
    if (!csv->failed && len && csv->write(csv->ctx, data, len) != 0)
        csv->failed = 1;
}

int iv_csv_begin(iv_csv *csv, iv_export_write_fn write, void *ctx)
{
    csv->write = write;
    csv->ctx = ctx;
    csv->fields = 0;
    csv->failed = 0;
    put(csv, UTF8_BOM, sizeof UTF8_BOM - 1);
    return csv->failed;
}

int iv_csv_formula_like(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

static void separator(iv_csv *csv)
{
    if (csv->fields++ > 0)
        put(csv, (const char[]){ SEPARATOR }, 1);
}

/* RFC 4180: a field with the separator, a quote, CR or LF is quoted, its quotes
 * doubled. neutralise adds the apostrophe inside the quotes, where a spreadsheet
 * reads it as "this is text". */
static void field(iv_csv *csv, const char *s, int neutralise)
{
    size_t len = strlen(s);
    int quoted = strpbrk(s, ";\"\r\n") != NULL;

    separator(csv);
    if (quoted)
        put(csv, "\"", 1);
    if (neutralise)
        put(csv, "'", 1);
    if (!quoted) {
        put(csv, s, len);
        return;
    }
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        put(csv, s, (size_t)(q - s) + 1);       /* up to and with the quote... */
        put(csv, "\"", 1);                      /* ...which is doubled */
    }
    put(csv, s, strlen(s));
    put(csv, "\"", 1);
}

void iv_csv_text(iv_csv *csv, const char *s)
{
    field(csv, s, iv_csv_formula_like(s));
}

/* A number with the decimal comma French spreadsheets expect ("48,8566"). Our own
 * formatting of a database number: never neutralised, so "-1,5" stays a number. */
static void number(iv_csv *csv, const char *s)
{
    char buf[64];
    size_t len = strlen(s);
    if (len >= sizeof buf) {
        field(csv, s, 0);
        return;
    }
    memcpy(buf, s, len + 1);
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = ',';
    separator(csv);
    put(csv, buf, len);
}

/* JJ/MM/AAAA HH:MM, which French Excel and LibreOffice read as a date. */
static void datetime(iv_csv *csv, const iv_datetime *dt)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d:%02d", dt->day, dt->month,
                     dt->year, dt->hour, dt->min);
    separator(csv);
    put(csv, buf, n > 0 && (size_t)n < sizeof buf ? (size_t)n : 0);
}

void iv_csv_cell(iv_csv *csv, const iv_cell *cell)
{
    switch (cell->kind) {
    case IV_CELL_TEXT:
        iv_csv_text(csv, cell->text);
        break;
    case IV_CELL_NUMBER:
        number(csv, cell->text);
        break;
    case IV_CELL_DATETIME:
        datetime(csv, &cell->dt);
        break;
    case IV_CELL_EMPTY:
        separator(csv);
        break;
    }
}

int iv_csv_end_record(iv_csv *csv)
{
    put(csv, "\r\n", 2);
    csv->fields = 0;
    return csv->failed;
}
