/*
 * stage.c — the staging tables (temporary: private to the session, dropped at
 * commit, gone with a failure) and their loading. The source is parsed and
 * cleaned here in C while PostgreSQL ingests the previous rows of the same COPY:
 * the two work side by side on two cores. Notes and unknown values are held in
 * memory and sent with their own COPY once the rows are in.
 */
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "clean.h"
#include "csv.h"
#include "import.h"
#include "pg.h"
#include "rowclean.h"

typedef struct {
    iv_list list;
    const char *value;
    long rows;
} unknown_value;

int iv_stage_create(iv_import *im)
{
    apr_array_header_t *cols = apr_array_make(im->pool, SC_COUNT, sizeof(char *));
    for (int i = 0; i < SC_COUNT; i++)
        *(const char **)apr_array_push(cols) = iv_sc_columns[i];
    const char *rows = apr_pstrcat(im->pool, "CREATE TEMP TABLE imp_rows (",
                                   apr_array_pstrcat(im->pool, cols, ','), ") ON COMMIT DROP", NULL);
    return iv_pg_exec(im->conn, "tables de travail", rows)
        || iv_pg_exec(im->conn, "tables de travail",
                      "CREATE TEMP TABLE imp_notes (seq bigserial, src_row integer, field text, "
                      " original text, value text, action text, reason text) ON COMMIT DROP")
        || iv_pg_exec(im->conn, "tables de travail",
                      "CREATE TEMP TABLE imp_unknown (list text, raw text, key text, rows integer, "
                      " code text, how text, score real) ON COMMIT DROP")
        || iv_pg_exec(im->conn, "tables de travail",
                      "CREATE TEMP TABLE imp_communes (code text, label text, key text, "
                      " in_territory boolean, outside boolean) ON COMMIT DROP")
        ? -1 : 0;
}

/* ---------------------------------------------------------------- notes */

static void notes_put(iv_import *im, const char *value, int last)
{
    size_t n = value ? 2 * strlen(value) + 3 : 3;
    if (im->notes_len + n > im->notes_cap) {
        size_t cap = im->notes_cap ? im->notes_cap : 1 << 20;
        while (cap < im->notes_len + n)
            cap *= 2;
        char *bigger = realloc(im->notes_buf, cap);
        if (!bigger) {
            iv_import_error("mémoire insuffisante pour les notes du rapport");
            exit(1);
        }
        im->notes_buf = bigger;
        im->notes_cap = cap;
    }
    char *o = im->notes_buf + im->notes_len;
    if (!value) {
        *o++ = '\\';
        *o++ = 'N';
    } else {
        for (const char *p = value; *p; p++) {
            if (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r') {
                *o++ = '\\';
                *o++ = *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\';
            } else {
                *o++ = *p;
            }
        }
    }
    *o++ = last ? '\n' : '\t';
    im->notes_len = (size_t)(o - im->notes_buf);
}

static void on_note(void *ctx, long row, const char *field, const char *original,
                    const char *value, const char *action, const char *reason)
{
    iv_import *im = ctx;
    char num[24];
    snprintf(num, sizeof num, "%ld", row);
    notes_put(im, num, 0);
    notes_put(im, field, 0);
    notes_put(im, original, 0);
    notes_put(im, value, 0);
    notes_put(im, action, 0);
    notes_put(im, reason, 1);
    im->notes++;
}

static void on_unknown(void *ctx, iv_list list, const char *value)
{
    iv_import *im = ctx;
    char *key = apr_psprintf(im->pool, "%d\x1f%s", (int)list, value);
    unknown_value *u = apr_hash_get(im->unknown, key, APR_HASH_KEY_STRING);
    if (!u) {
        u = apr_palloc(im->pool, sizeof *u);
        u->list = list;
        u->value = apr_pstrdup(im->pool, value);
        u->rows = 0;
        apr_hash_set(im->unknown, key, APR_HASH_KEY_STRING, u);
    }
    u->rows++;
}

/* ---------------------------------------------------------------- loading */

static int load_rows(iv_import *im, iv_csv *csv)
{
    iv_copy cp;
    apr_array_header_t *cells = apr_array_make(im->pool, 32, sizeof(char *));
    apr_pool_t *row_pool;
    iv_cleaner cleaner = { &im->layout, im->refs, im->today, on_note, im, on_unknown, im, 0 };
    iv_staged staged;

    apr_array_header_t *names = apr_array_make(im->pool, SC_COUNT, sizeof(char *));
    for (int c = 0; c < SC_COUNT; c++)
        *(const char **)apr_array_push(names) =
            apr_pstrndup(im->pool, iv_sc_columns[c], strcspn(iv_sc_columns[c], " "));
    if (iv_copy_begin(&cp, im->conn, "chargement des lignes",
                      apr_pstrcat(im->pool, "COPY imp_rows (", apr_array_pstrcat(im->pool, names, ','),
                                  ") FROM STDIN", NULL)) != 0)
        return -1;
    apr_pool_create(&row_pool, im->pool);
    while (iv_csv_next(csv, cells)) {
        long src_row = csv->records - 1;      /* the header is record 1: data starts at 1 */
        apr_pool_clear(row_pool);
        if (src_row == 1 && cells->nelts > im->layout.ncolumns) {
            cleaner.trailing_empty_ok = 1;
            for (int i = im->layout.ncolumns; i < cells->nelts; i++)
                cleaner.trailing_empty_ok &= !*APR_ARRAY_IDX(cells, i, const char *);
        }
        if (csv->unterminated)
            on_note(im, src_row, IV_FIELD_ROW, "", "", "signalement",
                    "guillemet ouvert jusqu'à la fin du fichier : la fin du fichier est lue "
                    "comme un seul champ");
        if (!iv_clean_record(&cleaner, row_pool, src_row, cells, &staged)) {
            im->blank_records++;
            continue;
        }
        im->records++;
        for (int c = 0; c < SC_COUNT; c++)
            iv_copy_value(&cp, staged.v[c], c == SC_COUNT - 1);
    }
    apr_pool_destroy(row_pool);
    return iv_copy_end(&cp, "chargement des lignes");
}

static int load_notes(iv_import *im)
{
    PGresult *res = PQexec(im->conn, "COPY imp_notes (src_row, field, original, value, action, reason) FROM STDIN");
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        iv_import_error("chargement des notes : %s", PQresultErrorMessage(res));
        PQclear(res);
        return -1;
    }
    PQclear(res);
    for (size_t off = 0; off < im->notes_len && rc == 0; off += 1 << 20) {
        size_t n = im->notes_len - off < (1 << 20) ? im->notes_len - off : 1 << 20;
        rc = PQputCopyData(im->conn, im->notes_buf + off, (int)n) == 1 ? 0 : -1;
    }
    free(im->notes_buf);
    im->notes_buf = NULL;
    if (PQputCopyEnd(im->conn, rc ? "échec" : NULL) != 1)
        rc = -1;
    while ((res = PQgetResult(im->conn))) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            iv_import_error("chargement des notes : %s", PQresultErrorMessage(res));
            rc = -1;
        }
        PQclear(res);
    }
    return rc;
}

static int load_unknown(iv_import *im)
{
    iv_copy cp;
    if (iv_copy_begin(&cp, im->conn, "valeurs inconnues",
                      "COPY imp_unknown (list, raw, key, rows) FROM STDIN") != 0)
        return -1;
    for (apr_hash_index_t *hi = apr_hash_first(im->pool, im->unknown); hi; hi = apr_hash_next(hi)) {
        const unknown_value *u = apr_hash_this_val(hi);
        const char *key = iv_resolver_key(im->pool, u->list, u->value);
        /* codes made from keys must fit the code rules (refcode.h: 64 characters) */
        iv_copy_value(&cp, iv_list_names[u->list], 0);
        iv_copy_value(&cp, u->value, 0);
        iv_copy_value(&cp, u->list == IV_LIST_AGENTS ? iv_imp_key(im->pool, u->value) : key, 0);
        iv_copy_value(&cp, apr_ltoa(im->pool, u->rows), 1);
    }
    return iv_copy_end(&cp, "valeurs inconnues");
}

static int load_communes(iv_import *im)
{
    iv_copy cp;
    if (iv_copy_begin(&cp, im->conn, "communes", "COPY imp_communes FROM STDIN") != 0)
        return -1;
    for (int i = 0; i < iv_resolver_count(im->refs, IV_LIST_COMMUNES); i++) {
        const iv_ref *c = iv_resolver_value(im->refs, IV_LIST_COMMUNES, i);
        iv_copy_value(&cp, c->code, 0);
        iv_copy_value(&cp, c->label, 0);
        iv_copy_value(&cp, iv_imp_commune_key(im->pool, c->label), 0);
        iv_copy_value(&cp, c->flag && !c->outside ? "t" : "f", 0);
        iv_copy_value(&cp, c->outside ? "t" : "f", 1);
    }
    return iv_copy_end(&cp, "communes");
}

int iv_stage_load(iv_import *im)
{
    im->unknown = apr_hash_make(im->pool);
    if (load_rows(im, &im->csv) || load_notes(im) || load_unknown(im) || load_communes(im))
        return -1;
    return iv_pg_exec(im->conn, "statistiques", "ANALYZE imp_rows")
        || iv_pg_exec(im->conn, "statistiques", "ANALYZE imp_notes") ? -1 : 0;
}
