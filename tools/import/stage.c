/*
 * stage.c — the staging tables (temporary: private to the session, dropped at
 * commit, gone with a failure) and their loading. The source is parsed and
 * cleaned here in C while PostgreSQL ingests the previous rows of the same COPY:
 * the two work side by side on two cores. What SQL needs besides the rows is
 * gathered on the way and sent with COPYs of its own once the rows are in:
 *   imp_notes    the report's notes of the cleaning;
 *   imp_raw      the rows holding a value no rule resolved, with those values;
 *   imp_cand     the rows sharing a key with an earlier one (candidate duplicates,
 *                number conflicts), so that SQL compares these few, not a million;
 *   imp_unknown  each unresolved value once, with its key and row count;
 *   imp_communes the communes known, for the labels of the consistency check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "clean.h"
#include "csv.h"
#include "firsts.h"
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
                      " code text, how text) ON COMMIT DROP")
        || iv_pg_exec(im->conn, "tables de travail",
                      "CREATE TEMP TABLE imp_communes (code text, label text) ON COMMIT DROP")
        || iv_pg_exec(im->conn, "tables de travail",
                      "CREATE TEMP TABLE imp_raw (src_row integer, origin_raw text, nature_raw text,"
                      " object_raw text, commune_raw text, team_raw text, done_raw text,"
                      " closed_raw text) ON COMMIT DROP")
        || iv_pg_exec(im->conn, "tables de travail",
                      "CREATE TEMP TABLE imp_cand (kind text, src_row integer, first_row integer)"
                      " ON COMMIT DROP")
        ? -1 : 0;
}

/* ---------------------------------------------------------------- notes */

static void on_note(void *ctx, long row, const char *field, const char *original,
                    const char *value, const char *action, const char *reason)
{
    iv_import *im = ctx;
    char num[24];
    snprintf(num, sizeof num, "%ld", row);
    iv_copybuf_value(&im->notes, num, 0);
    iv_copybuf_value(&im->notes, field, 0);
    iv_copybuf_value(&im->notes, original, 0);
    iv_copybuf_value(&im->notes, value, 0);
    iv_copybuf_value(&im->notes, action, 0);
    iv_copybuf_value(&im->notes, reason, 1);
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

/* ---------------------------------------------------------------- side tables */

/* The rows holding a value no rule resolved, with those values (imp_raw). */
static void keep_unresolved(iv_import *im, const iv_staged *st)
{
    static const iv_sc raw[] = { SC_ORIGIN_RAW, SC_NATURE_RAW, SC_OBJECT_RAW, SC_COMMUNE_RAW,
                                 SC_TEAM_RAW, SC_DONE_RAW, SC_CLOSED_RAW };
    const size_t n = sizeof raw / sizeof *raw;
    size_t i;
    for (i = 0; i < n && !st->v[raw[i]]; i++)
        ;
    if (i == n)
        return;
    iv_copybuf_value(&im->raw, st->v[SC_SRC_ROW], 0);
    for (i = 0; i < n; i++)
        iv_copybuf_value(&im->raw, st->v[raw[i]], i == n - 1);
}

static void candidate(iv_import *im, const char *kind, iv_firsts *t, uint64_t key, long row,
                      apr_pool_t *pool)
{
    long first = iv_firsts_seen(t, key, row);
    if (!first)
        return;
    iv_copybuf_value(&im->cand, kind, 0);
    iv_copybuf_value(&im->cand, apr_ltoa(pool, row), 0);
    iv_copybuf_value(&im->cand, apr_ltoa(pool, first), 1);
}

/* Rows sharing a key with an earlier row: the same cleaned values (exact
 * duplicates), the same commune, address and object (near duplicates), the
 * same year and number (number conflicts). Rejected rows take no part. */
static void find_candidates(iv_import *im, const iv_staged *st, long row, apr_pool_t *pool)
{
    const char *const *v = st->v;
    if (strcmp(v[SC_REJECTED], "t") == 0)
        return;
    const char *exact[SC_COUNT];
    for (int i = 0; i < iv_exact_count; i++)
        exact[i] = v[iv_exact_columns[i]];
    candidate(im, "exact", &im->by_sig, iv_values_hash(exact, iv_exact_count), row, pool);
    if (*v[SC_ADDR_KEY]) {
        const char *place[] = { v[SC_COMMUNE_CODE], v[SC_ADDR_KEY], v[SC_OBJECT_CODE],
                                v[SC_OBJECT_RAW] };
        candidate(im, "lieu", &im->by_place, iv_firsts_hash(place, 4), row, pool);
    }
    if (v[SC_NUMERO] && v[SC_YEAR])
        candidate(im, "numero", &im->by_number,
                  (uint64_t)apr_atoi64(v[SC_YEAR]) << 32 | (uint64_t)apr_atoi64(v[SC_NUMERO]),
                  row, pool);
}

/* ---------------------------------------------------------------- loading */

static int load_rows(iv_import *im, iv_csv *csv)
{
    iv_copy cp;
    apr_array_header_t *cells = apr_array_make(im->pool, 32, sizeof(char *));
    apr_pool_t *row_pool;
    iv_cleaner cleaner = { &im->layout, im->refs, im->today, on_note, im, on_unknown, im, 0,
                           apr_hash_make(im->pool), im->pool };
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
        keep_unresolved(im, &staged);
        find_candidates(im, &staged, src_row, row_pool);
    }
    apr_pool_destroy(row_pool);
    return iv_copy_end(&cp, "chargement des lignes");
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
        iv_copy_value(&cp, c->label, 1);
    }
    return iv_copy_end(&cp, "communes");
}

int iv_stage_load(iv_import *im)
{
    int rc;
    im->unknown = apr_hash_make(im->pool);
    iv_firsts_init(&im->by_sig);
    iv_firsts_init(&im->by_place);
    iv_firsts_init(&im->by_number);
    rc = load_rows(im, &im->csv);
    iv_firsts_free(&im->by_sig);
    iv_firsts_free(&im->by_place);
    iv_firsts_free(&im->by_number);
    im->notes_count = im->notes.rows;
    if (rc || iv_copybuf_send(im->conn, "chargement des notes", "COPY imp_notes (src_row, field,"
                              " original, value, action, reason) FROM STDIN", &im->notes)
        || iv_copybuf_send(im->conn, "valeurs non reconnues", "COPY imp_raw FROM STDIN", &im->raw)
        || iv_copybuf_send(im->conn, "doublons possibles", "COPY imp_cand FROM STDIN", &im->cand)
        || load_unknown(im) || load_communes(im))
        return -1;
    /* NB: statistics only of the columns joins and filters use: ANALYZE of all
     * 38 columns costs seconds for nothing */
    return iv_pg_exec(im->conn, "statistiques", "ANALYZE imp_rows (src_row, legacy_key, rejected)")
        || iv_pg_exec(im->conn, "statistiques", "ANALYZE imp_notes (src_row, action)")
        || iv_pg_exec(im->conn, "statistiques", "ANALYZE imp_raw")
        || iv_pg_exec(im->conn, "statistiques", "ANALYZE imp_cand") ? -1 : 0;
}
