/*
 * merge.c — the rows to import enter interventions, each with its history row
 * "importée depuis Access (ligne n)", in the run's transaction.
 *
 * Maintaining the table's fourteen indexes and eight foreign keys row by row
 * costs several times the insertion itself (measured for a million rows: 157 s
 * for the insertion with them, against 20 s without and 17 s to rebuild them
 * afterwards). So a large import into a table that is small next to it ("rebuild"
 * mode: at least 50 000 rows and at least half the table) drops the secondary indexes and the constraints of interventions
 * and intervention_history, inserts, and creates them again from their own
 * definitions (pg_get_indexdef, pg_get_constraintdef) before commit. The
 * constraints are checked again on the whole table when they come back; a
 * failure rolls everything back, definitions included. The price is an
 * exclusive lock on both tables until commit: the application waits for the
 * import (tens of seconds for a million rows). --index-mode keep|rebuild
 * overrides the choice.
 *
 * Rebuild mode also computes the full-text vectors before the insertion, with
 * PostgreSQL's parallel workers (6 s instead of 12 s for a million rows on two
 * cores), and inserts them with the rows while the trigger that would compute
 * them again, one row at a time, is disabled (sql/007_search_vector.sql). The
 * workers cannot read the session's temporary tables: the texts go through an
 * unlogged table of this run, dropped before commit (and with everything else
 * on a failure).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "import.h"
#include "pg.h"

/* What rebuild mode removes, with the statements that bring it back: the
 * indexes of both tables that no constraint owns (ord 1), their primary and
 * unique constraints (ord 2: the primary key too, whose upkeep cost 2 s a
 * million rows), and the foreign keys from, or to, either table (ord 3:
 * attachments' one as well, which the primary key cannot go without). Dropped
 * in reverse order, created in order. */
static const char *const saved_sql =
    "SELECT 1 AS ord, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)"
    " FROM pg_index i WHERE i.indrelid IN ('interventions'::regclass, 'intervention_history'::regclass)"
    " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
    "  AND k.conrelid = i.indrelid)"
    " UNION ALL"
    " SELECT CASE WHEN k.contype IN ('p', 'u') THEN 2 ELSE 3 END,"
    "  format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname),"
    "  format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,"
    "   pg_get_constraintdef(k.oid))"
    " FROM pg_constraint k WHERE (k.conrelid IN ('interventions'::regclass,"
    "  'intervention_history'::regclass) AND k.contype IN ('p', 'f', 'u'))"
    "  OR (k.confrelid IN ('interventions'::regclass, 'intervention_history'::regclass)"
    "   AND k.contype = 'f')"
    " ORDER BY 1, 2";

/* The insertion; %s: nothing, or the vectors computed beforehand (rebuild mode). */
static const char *const insert_sql =
    "INSERT INTO interventions (id, year, number, status, origin_code, received_at, nature_code,"
    " title_code, requester_name, address, commune_code, phone, email, address_complement,"
    " object_code, object_complement, team_code, transmitted_at, started_at, ended_at, comment,"
    " done_by, closed_by, created_by, updated_by, updated_by_name, legacy_key%s)"
    " SELECT s.db_id, s.final_year, s.final_number, r.status, r.origin_code, r.received_at,"
    "  r.nature_code, r.title_code, r.requester_name, r.address, r.commune_code, r.phone, r.email,"
    "  r.address_complement, r.object_code, r.object_complement, r.team_code, r.transmitted_at,"
    "  r.started_at, r.ended_at, r.comment, r.done_code, r.closed_code, $1, $1, $2, r.legacy_key%s"
    " FROM imp_rows r JOIN imp_state s ON s.src_row = r.src_row%s WHERE s.outcome = 'importee'";

/* Rebuild mode's vectors: each %s is the run's table name. */
static const char *const vectors_sql[] = {
    "CREATE UNLOGGED TABLE %s_texts AS SELECT r.src_row, r.requester_name, r.address,"
    " r.address_complement, r.object_complement, r.comment"
    " FROM imp_rows r JOIN imp_state s ON s.src_row = r.src_row WHERE s.outcome = 'importee'",
    "CREATE UNLOGGED TABLE %s AS SELECT src_row, iv_search_vector(requester_name, address,"
    " address_complement, object_complement, comment) AS search FROM %s_texts",
    "DROP TABLE %s_texts",
    "ALTER TABLE interventions DISABLE TRIGGER interventions_search",
};
static const char *const vectors_done_sql[] = {
    "ALTER TABLE interventions ENABLE TRIGGER interventions_search",
    "DROP TABLE %s",
};

static const char *const history_sql =
    "INSERT INTO intervention_history (intervention_id, login, display_name, kind, new_value, reason)"
    " SELECT db_id, $1, $2, 'import', $3, 'importée depuis Access (ligne ' || src_row || ')'"
    " FROM imp_state WHERE outcome = 'importee'";

/* Communes named outside the territory enter the list, inactive, when a request
 * needs them. */
static const char *const outside_communes =
    "INSERT INTO communes (code, label, in_territory, position, active)"
    " SELECT c.code, c.label, false, 1000 + row_number() OVER (ORDER BY c.label), false"
    " FROM import_communes c WHERE c.code IN (SELECT commune_code FROM imp_state"
    "  WHERE outcome = 'importee')"
    " AND NOT EXISTS (SELECT 1 FROM communes x WHERE x.code = c.code)";

/* The yearly counters end above every imported number. */
static const char *const counters =
    "INSERT INTO year_counters (year, last_number)"
    " SELECT final_year, max(final_number) FROM imp_state WHERE outcome = 'importee'"
    " GROUP BY final_year"
    " ON CONFLICT (year) DO UPDATE"
    " SET last_number = greatest(year_counters.last_number, excluded.last_number)";

static int choose_bulk(iv_import *im, long to_insert)
{
    PGresult *res;
    long existing;

    if (strcmp(im->index_mode, "rebuild") == 0)
        return 1;
    if (strcmp(im->index_mode, "keep") == 0 || to_insert < 50000)
        return 0;
    res = iv_pg_query(im->conn, "taille de la table", "SELECT count(*) FROM interventions", 0, NULL);
    if (!res)
        return -1;
    existing = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    return to_insert * 2 >= existing;
}

/* Runs the statements of column col of saved, rows whose ord is in [from, to]. */
static int run_saved(iv_import *im, PGresult *saved, int col, int from, int to, int reverse)
{
    int n = PQntuples(saved);
    for (int k = 0; k < n; k++) {
        int i = reverse ? n - 1 - k : k;
        int ord = atoi(PQgetvalue(saved, i, 0));
        if (ord < from || ord > to)
            continue;
        if (iv_pg_exec(im->conn, col == 1 ? "retrait des index" : "reconstruction des index",
                       PQgetvalue(saved, i, col)) != 0)
            return -1;
    }
    return 0;
}

/* Runs the n statements of sql, each %s (two at most) standing for table. */
static int run_named(iv_import *im, const char *what, const char *const sql[], size_t n,
                     const char *table)
{
    for (size_t i = 0; i < n; i++)
        if (iv_pg_exec(im->conn, what, apr_psprintf(im->pool, sql[i], table, table)) != 0)
            return -1;
    return 0;
}

static int insert_rows(iv_import *im)
{
    const char *origin = apr_psprintf(im->pool, "%s (import n° %s)", im->src.name, im->import_id);
    const char *params[] = { im->login, im->display_name, origin };
    /* the import's id makes the name unique among concurrent runs */
    const char *vectors = apr_psprintf(im->pool, "imp_vectors_%s", im->import_id);
    const char *sql = im->bulk
        ? apr_psprintf(im->pool, insert_sql, ", search", ", v.search",
                       apr_psprintf(im->pool, " JOIN %s v ON v.src_row = r.src_row", vectors))
        : apr_psprintf(im->pool, insert_sql, "", "", "");
    size_t n_vectors = sizeof vectors_sql / sizeof *vectors_sql;
    size_t n_done = sizeof vectors_done_sql / sizeof *vectors_done_sql;

    if (im->bulk && run_named(im, "vecteurs plein texte", vectors_sql, n_vectors, vectors) != 0)
        return -1;
    if (iv_pg_execp(im->conn, "insertion des demandes", sql, 2, params, NULL) != 0
        || iv_pg_execp(im->conn, "historique des demandes", history_sql, 3, params, NULL) != 0)
        return -1;
    return im->bulk ? run_named(im, "vecteurs plein texte", vectors_done_sql, n_done, vectors) : 0;
}

int iv_merge(iv_import *im)
{
    PGresult *res, *saved = NULL;
    long to_insert;
    double t;
    int rc;

    if (im->dry_run)
        return 0;
    if (!(res = iv_pg_query(im->conn, "fusion", "SELECT count(*) FROM imp_state"
                            " WHERE outcome = 'importee'", 0, NULL)))
        return -1;
    to_insert = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (to_insert == 0)
        return 0;
    if ((im->bulk = choose_bulk(im, to_insert)) < 0)
        return -1;
    if (iv_pg_exec(im->conn, "communes hors territoire", outside_communes) != 0)
        return -1;
    if (im->bulk) {
        t = iv_clock();
        if (iv_pg_exec(im->conn, "verrouillage", "LOCK TABLE interventions, intervention_history,"
                       " attachments IN ACCESS EXCLUSIVE MODE") != 0
            || !(saved = iv_pg_query(im->conn, "index", saved_sql, 0, NULL)))
            return -1;
        rc = run_saved(im, saved, 1, 2, 3, 1) || run_saved(im, saved, 1, 1, 1, 0);
        iv_timing(im, "retrait des index", t);
        if (rc) {
            PQclear(saved);
            return -1;
        }
    }
    t = iv_clock();
    rc = insert_rows(im);
    iv_timing(im, "insertion", t);
    if (!rc && im->bulk) {
        t = iv_clock();
        rc = iv_pg_exec(im->conn, "index", "SET maintenance_work_mem = '512MB'")
            || run_saved(im, saved, 2, 1, 3, 0);
        iv_timing(im, "reconstruction des index et contraintes", t);
    }
    PQclear(saved);
    return rc ? -1 : iv_pg_exec(im->conn, "compteurs annuels", counters);
}
