/*
 * report.c — what the run tells: the CSV of every row not imported as it was
 * read (one line per note: source row, field, original value, value imported,
 * what happened, why), and the summary "lues N, importées N, corrigées N,
 * doublons N, rejetées N" with the reasons counted. Both are written to
 * --report DIR and stored in the run's imports row, for admin/imports.
 *
 * Notes of rows imported by an earlier run are left out: that run reported them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "import.h"
#include "pg.h"

#define CSV_HEADER "ligne;champ;valeur d'origine;valeur importée;traitement;motif\n"

/* Actions that change what a row imported says. */
#define CHANGED "('correction', 'report en commentaire', 'renumérotation', 'création')"

/* The notes the report gives, with their row's outcome: every query below reads
 * this table instead of joining a million rows again. */
static const char *const noted_sql =
    "CREATE TEMP TABLE imp_noted ON COMMIT DROP AS"
    " SELECT n.seq, n.src_row, n.field, n.original, n.value, n.action, n.reason, s.outcome"
    " FROM imp_notes n JOIN imp_state s ON s.src_row = n.src_row"
    " WHERE s.outcome IS DISTINCT FROM 'deja'";

static const char *const counts_sql =
    "SELECT count(*), count(*) FILTER (WHERE outcome = 'importee'),"
    " count(*) FILTER (WHERE outcome = 'doublon'), count(*) FILTER (WHERE outcome = 'rejetee'),"
    " count(*) FILTER (WHERE outcome = 'deja'),"
    " (SELECT count(DISTINCT src_row) FROM imp_noted"
    "   WHERE outcome = 'importee' AND action IN " CHANGED ")"
    " FROM imp_state";

/* Reasons counted in rows, by outcome. */
static const char *const reasons_sql =
    "SELECT kind, reason, rows FROM ("
    " SELECT CASE WHEN outcome = 'rejetee' THEN 'rejetee' WHEN action = 'signalement'"
    "   THEN 'signalee' ELSE 'corrigee' END AS kind, field || ' : ' || reason AS reason,"
    "  count(DISTINCT src_row) AS rows"
    "  FROM imp_noted WHERE (outcome = 'rejetee' AND action = 'rejet')"
    "   OR (outcome = 'importee' AND action IN " CHANGED ")"
    "   OR (outcome = 'importee' AND action = 'signalement')"
    "  GROUP BY 1, 2"
    " UNION ALL SELECT 'doublon', CASE dup_kind WHEN 'exact' THEN 'doublons exacts'"
    "  ELSE 'doublons proches' END, count(*) FROM imp_state WHERE outcome = 'doublon' GROUP BY 2"
    ") x ORDER BY array_position(ARRAY['rejetee', 'doublon', 'corrigee', 'signalee'], kind),"
    " rows DESC, reason";

static const char *const statuses_sql =
    "SELECT st.label, count(*) FROM imp_state s JOIN statuses st ON st.code = s.status"
    " WHERE s.outcome = 'importee' GROUP BY st.label, st.position ORDER BY st.position";

static const char *const report_sql =
    "COPY (SELECT src_row, field, original, value, action, reason FROM imp_noted"
    " ORDER BY src_row, seq) TO STDOUT WITH (FORMAT csv, DELIMITER ';')";

typedef struct {
    FILE *file;
    char *buf;
    size_t len, cap;
    long lines;
    int failed;
} csv_out;

static void csv_sink(void *ctx, const char *data, size_t len)
{
    csv_out *out = ctx;
    if (out->len + len + 1 > out->cap) {
        size_t cap = out->cap ? out->cap : 1 << 20;
        while (cap < out->len + len + 1)
            cap *= 2;
        char *bigger = realloc(out->buf, cap);
        if (!bigger) {
            out->failed = 1;
            return;
        }
        out->buf = bigger;
        out->cap = cap;
    }
    memcpy(out->buf + out->len, data, len);
    out->len += len;
    for (size_t i = 0; i < len; i++)
        out->lines += data[i] == '\n';
    if (out->file && fwrite(data, 1, len, out->file) != len)
        out->failed = 1;
}

static const char *outcome_title(const char *outcome)
{
    return strcmp(outcome, "rejetee") == 0 ? "rejets"
         : strcmp(outcome, "doublon") == 0 ? "doublons"
         : strcmp(outcome, "corrigee") == 0 ? "corrections" : "signalements";
}

static int read_counts(iv_import *im)
{
    PGresult *res;
    if (iv_pg_exec(im->conn, "compte rendu", noted_sql) != 0)
        return -1;
    res = iv_pg_query(im->conn, "compte rendu", counts_sql, 0, NULL);
    if (!res)
        return -1;
    im->n_read = atol(PQgetvalue(res, 0, 0));
    im->n_imported = atol(PQgetvalue(res, 0, 1));
    im->n_duplicate = atol(PQgetvalue(res, 0, 2));
    im->n_rejected = atol(PQgetvalue(res, 0, 3));
    im->n_already = atol(PQgetvalue(res, 0, 4));
    im->n_corrected = atol(PQgetvalue(res, 0, 5));
    PQclear(res);
    return 0;
}

/* The summary's lines, and the reasons stored in import_reasons. */
static int summary_lines(iv_import *im, apr_array_header_t *lines)
{
    PGresult *res;
    const char *last = "";

#define ADD(s) (*(const char **)apr_array_push(lines) = (s))
    ADD(apr_psprintf(im->pool, "%slues %ld, importées %ld, corrigées %ld, doublons %ld, rejetées %ld%s",
                     im->dry_run ? "[essai] " : "", im->n_read, im->n_imported, im->n_corrected,
                     im->n_duplicate, im->n_rejected,
                     im->n_already ? apr_psprintf(im->pool, ", déjà importées %ld", im->n_already) : ""));
    if (im->n_imported == 0 && im->n_already > 0)
        ADD(apr_psprintf(im->pool, "rien de nouveau : les %ld lignes importables de cette source "
                         "l'ont déjà été par un import précédent", im->n_already));
    if (im->dry_run)
        ADD("essai (--dry-run) : rien n'a été enregistré, hormis ce compte rendu");
    if (!(res = iv_pg_query(im->conn, "compte rendu", reasons_sql, 0, NULL)))
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *outcome = PQgetvalue(res, i, 0);
        if (strcmp(outcome, last) != 0) {
            ADD(apr_psprintf(im->pool, "  %s :", outcome_title(outcome)));
            last = outcome;
        }
        ADD(apr_psprintf(im->pool, "    %s : %s", PQgetvalue(res, i, 1), PQgetvalue(res, i, 2)));
        if (iv_pg_execp(im->conn, "compte rendu",
                        "INSERT INTO import_reasons (import_id, position, outcome, reason, rows)"
                        " VALUES ($1, $2, $3, $4, $5)", 5,
                        (const char *const[]){ im->import_id, apr_itoa(im->pool, i + 1), outcome,
                                               PQgetvalue(res, i, 1), PQgetvalue(res, i, 2) },
                        NULL) != 0) {
            PQclear(res);
            return -1;
        }
    }
    PQclear(res);
    if (!(res = iv_pg_query(im->conn, "compte rendu", statuses_sql, 0, NULL)))
        return -1;
    if (PQntuples(res)) {
        apr_array_header_t *parts = apr_array_make(im->pool, 8, sizeof(char *));
        for (int i = 0; i < PQntuples(res); i++)
            *(const char **)apr_array_push(parts) = apr_psprintf(im->pool, "%s %s",
                PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
        ADD(apr_pstrcat(im->pool, "statuts", im->dry_run ? " prévus" : "", " : ",
                        iv_join(im->pool, parts, ", "), NULL));
        ADD("  (déduits des dates : clôturée si « Clôturée par » est rempli, réalisée si « Fin "
            "intervention » ou « Réalisée par » l'est, en cours si « Début intervention » l'est, "
            "transmise si « Transmise à » ou « Date transmission » l'est, sinon nouvelle)");
    }
    PQclear(res);
    return 0;
#undef ADD
}

static int write_csv(iv_import *im, const char *path, csv_out *out)
{
    memset(out, 0, sizeof *out);
    if (!(out->file = fopen(path, "wb"))) {
        iv_import_error("rapport %s : %s", path, strerror(errno));
        return -1;
    }
    /* a BOM: Excel on Windows opens UTF-8 CSV correctly only with it */
    fputs("\xEF\xBB\xBF", out->file);
    csv_sink(out, CSV_HEADER, strlen(CSV_HEADER));
    out->lines = 0;
    int rc = iv_copy_out(im->conn, "rapport", report_sql, csv_sink, out);
    if (fclose(out->file) != 0)
        out->failed = 1;
    if (out->failed) {
        iv_import_error("rapport %s : écriture impossible", path);
        return -1;
    }
    return rc;
}

int iv_report(iv_import *im, const apr_array_header_t *intro,
              const apr_array_header_t *checks, apr_array_header_t *summary)
{
    const char *base = apr_psprintf(im->pool, "%s/import-%s", im->report_dir, im->import_id);
    const char *csv_path = apr_pstrcat(im->pool, base, "-rapport.csv", NULL);
    const char *txt_path = apr_pstrcat(im->pool, base, "-resume.txt", NULL);
    csv_out csv;
    FILE *f;

    apr_array_cat(summary, intro);
    im->written[0] = csv_path;
    if (read_counts(im) || summary_lines(im, summary) || write_csv(im, csv_path, &csv))
        return -1;
    apr_array_cat(summary, checks);
    *(const char **)apr_array_push(summary) =
        apr_psprintf(im->pool, "rapport : %s (%ld lignes)", csv_path, csv.lines);

    const char *text = apr_array_pstrcat(im->pool, summary, '\n');
    im->written[1] = txt_path;
    if (!(f = fopen(txt_path, "w")) || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0) {
        iv_import_error("résumé %s : %s", txt_path, strerror(errno));
        free(csv.buf);
        return -1;
    }
    csv_sink(&csv, "", 0);
    csv.buf[csv.len] = '\0';
    const char *params[] = {
        im->import_id, apr_ltoa(im->pool, im->n_read), apr_ltoa(im->pool, im->n_imported),
        apr_ltoa(im->pool, im->n_corrected), apr_ltoa(im->pool, im->n_duplicate),
        apr_ltoa(im->pool, im->n_rejected), apr_ltoa(im->pool, im->n_already), text,
        csv.buf, apr_ltoa(im->pool, csv.lines),
    };
    int rc = iv_pg_execp(im->conn, "enregistrement de l'import",
        "UPDATE imports SET finished_at = clock_timestamp(), rows_read = $2, rows_imported = $3,"
        " rows_corrected = $4, rows_duplicate = $5, rows_rejected = $6, rows_already = $7,"
        " summary = $8, report_csv = $9, report_lines = $10 WHERE id = $1",
        10, params, NULL);
    free(csv.buf);
    return rc;
}
