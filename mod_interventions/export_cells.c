/*
 * export_cells.c — a request as a row of typed cells (export_cells.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"

#include "export_cells.h"
#include "export_sql.h"
#include "validate.h"

/* Headers are the request form's labels (field.*) where the form has the field,
 * so that the words match what agents type into; the others are export.col.*. */
const iv_export_column iv_export_columns[] = {
    { "export.col.number",        IV_CELL_TEXT,     11 },
    { "export.col.year",          IV_CELL_NUMBER,    7 },
    { "field.statut",             IV_CELL_TEXT,     11 },
    { "field.origine",            IV_CELL_TEXT,     14 },
    { "field.date_recue",         IV_CELL_DATETIME, 16 },
    { "field.nature",             IV_CELL_TEXT,     16 },
    { "field.titre",              IV_CELL_TEXT,      8 },
    { "field.nom",                IV_CELL_TEXT,     24 },
    { "field.adresse",            IV_CELL_TEXT,     30 },
    { "field.ville",              IV_CELL_TEXT,     20 },
    { "field.telephone",          IV_CELL_TEXT,     15 },
    { "field.courriel",           IV_CELL_TEXT,     24 },
    { "field.complement_adresse", IV_CELL_TEXT,     24 },
    { "field.objet",              IV_CELL_TEXT,     22 },
    { "field.complement_objet",   IV_CELL_TEXT,     40 },
    { "field.equipe",             IV_CELL_TEXT,     20 },
    { "field.date_transmission",  IV_CELL_DATETIME, 16 },
    { "field.date_planifiee",     IV_CELL_DATETIME, 16 },
    { "field.debut",              IV_CELL_DATETIME, 16 },
    { "field.fin",                IV_CELL_DATETIME, 16 },
    { "field.commentaire",        IV_CELL_TEXT,     40 },
    { "field.latitude",           IV_CELL_NUMBER,   11 },
    { "field.longitude",          IV_CELL_NUMBER,   11 },
    { "field.realisee_par",       IV_CELL_TEXT,     20 },
    { "field.cloturee_par",       IV_CELL_TEXT,     20 },
    { "export.col.assigned",      IV_CELL_TEXT,     20 },
    { "export.col.reason",        IV_CELL_TEXT,     24 },
    { "export.col.created",       IV_CELL_DATETIME, 16 },
    { "export.col.created_by",    IV_CELL_TEXT,     14 },
    { "export.col.updated",       IV_CELL_DATETIME, 16 },
    { "export.col.updated_by",    IV_CELL_TEXT,     20 },
};
const int iv_export_ncolumns = (int)(sizeof iv_export_columns / sizeof *iv_export_columns);

/* ---------------------------------------------------------------- values */

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int iv_export_datetime_parse(const char *s, iv_datetime *dt)
{
    size_t len = s ? strlen(s) : 0;
    dt->sec = 0;
    if ((len != 16 && len != 19) || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':'
        || (len == 19 && s[16] != ':'))
        return 0;
    if (!digits(s, 4, &dt->year) || !digits(s + 5, 2, &dt->month) || !digits(s + 8, 2, &dt->day)
        || !digits(s + 11, 2, &dt->hour) || !digits(s + 14, 2, &dt->min)
        || (len == 19 && !digits(s + 17, 2, &dt->sec)))
        return 0;
    return dt->month >= 1 && dt->month <= 12 && dt->day >= 1 && dt->day <= 31
        && dt->hour <= 23 && dt->min <= 59 && dt->sec <= 60;
}

static int is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

const char *iv_export_clean_text(apr_pool_t *pool, const char *s)
{
    const char *p = s;
    char *copy, *out;

    while (*p && !is_control((unsigned char)*p))
        p++;
    if (!*p)
        return s;           /* the usual case: nothing to copy */
    out = copy = apr_palloc(pool, strlen(s) + 1);
    for (p = s; *p; p++) {
        if (*p == '\r') {
            *out++ = '\n';
            if (p[1] == '\n')
                p++;
        }
        else {
            *out++ = is_control((unsigned char)*p) ? ' ' : *p;
        }
    }
    *out = '\0';
    return copy;
}

/* ---------------------------------------------------------------- cells */

static void text(iv_cell *c, apr_pool_t *pool, const char *v)
{
    if (!v || !*v) {
        c->kind = IV_CELL_EMPTY;
        return;
    }
    c->kind = IV_CELL_TEXT;
    c->text = iv_export_clean_text(pool, v);
}

static void label(iv_cell *c, apr_pool_t *pool, apr_hash_t *labels, const char *code)
{
    const char *l = code && labels ? apr_hash_get(labels, code, APR_HASH_KEY_STRING) : NULL;
    text(c, pool, l ? l : code);
}

static void number(iv_cell *c, const char *v)
{
    char *end;
    c->kind = IV_CELL_EMPTY;
    if (!v || !*v)
        return;
    c->number = strtod(v, &end);
    if (*end || !isfinite(c->number))
        return;             /* not a number after all: better empty than wrong */
    c->kind = IV_CELL_NUMBER;
    c->text = v;
}

static void datetime(iv_cell *c, const char *v)
{
    c->kind = iv_export_datetime_parse(v, &c->dt) ? IV_CELL_DATETIME : IV_CELL_EMPTY;
    c->text = v;
}

void iv_export_cells(apr_pool_t *pool, const iv_export_labels *L,
                     const char *const *v, iv_cell *cells)
{
    iv_cell *c = cells;
    const char *year = v[IV_X_YEAR] ? v[IV_X_YEAR] : "", *n = v[IV_X_NUMBER] ? v[IV_X_NUMBER] : "";

    text(c++, pool, apr_pstrcat(pool, year, " / ", n, NULL));      /* as in "N° 2026 / 58" */
    number(c++, v[IV_X_YEAR]);
    label(c++, pool, L->statuses, v[IV_X_STATUS]);
    label(c++, pool, L->origins, v[IV_X_ORIGIN]);
    datetime(c++, v[IV_X_RECEIVED]);
    label(c++, pool, L->natures, v[IV_X_NATURE]);
    label(c++, pool, L->titles, v[IV_X_TITLE]);
    text(c++, pool, v[IV_X_NAME]);
    text(c++, pool, v[IV_X_ADDRESS]);
    label(c++, pool, L->communes, v[IV_X_COMMUNE]);
    text(c++, pool, iv_phone_display(pool, v[IV_X_PHONE]));
    text(c++, pool, v[IV_X_EMAIL]);
    text(c++, pool, v[IV_X_ADDRESS_MORE]);
    label(c++, pool, L->objects, v[IV_X_OBJECT]);
    text(c++, pool, v[IV_X_OBJECT_MORE]);
    label(c++, pool, L->teams, v[IV_X_TEAM]);
    datetime(c++, v[IV_X_TRANSMITTED]);
    datetime(c++, v[IV_X_PLANNED]);
    datetime(c++, v[IV_X_STARTED]);
    datetime(c++, v[IV_X_ENDED]);
    text(c++, pool, v[IV_X_COMMENT]);
    number(c++, v[IV_X_LATITUDE]);
    number(c++, v[IV_X_LONGITUDE]);
    label(c++, pool, L->agents, v[IV_X_DONE_BY]);
    label(c++, pool, L->agents, v[IV_X_CLOSED_BY]);
    label(c++, pool, L->agents, v[IV_X_ASSIGNED]);
    text(c++, pool, v[IV_X_REASON]);
    datetime(c++, v[IV_X_CREATED]);
    text(c++, pool, v[IV_X_CREATED_BY]);
    datetime(c++, v[IV_X_UPDATED]);
    text(c++, pool, v[IV_X_UPDATED_BY]);
}
