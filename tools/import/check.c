/*
 * check.c — the consistency check after the merge: for each year and each
 * commune, the database must hold as many requests of this source as the source
 * has rows, minus the rejected ones and the duplicates. Source and database are
 * counted separately (the source's rows in the staging tables by their own year
 * and commune, the database's requests as stored) and printed side by side; a
 * difference fails the import, which is then rolled back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "import.h"
#include "pg.h"

/* The database's side, in one pass: the requests of the rows imported now or
 * before (by their ids: given before the insert, found by the source key for
 * the earlier ones), counted by their year and commune as stored. */
static const char *const found =
    "CREATE TEMP TABLE imp_found ON COMMIT DROP AS"
    " SELECT i.year, i.commune_code, count(*) AS n FROM interventions i"
    " JOIN imp_state s ON s.db_id = i.id WHERE s.outcome IN ('importee', 'deja')"
    " GROUP BY 1, 2";

static const char *const by_year =
    "WITH s AS (SELECT year AS k, count(*) AS src,"
    "  count(*) FILTER (WHERE outcome = 'rejetee') AS rej,"
    "  count(*) FILTER (WHERE outcome = 'doublon') AS dup FROM imp_state GROUP BY year),"
    " d AS (SELECT year AS k, sum(n) AS n FROM imp_found GROUP BY year)"
    "SELECT coalesce(coalesce(s.k, d.k)::text, '(illisible)'), coalesce(s.src, 0), coalesce(s.rej, 0),"
    " coalesce(s.dup, 0), coalesce(s.src - s.rej - s.dup, 0), coalesce(d.n, 0)"
    " FROM s FULL JOIN d ON s.k = d.k ORDER BY coalesce(s.k, d.k) NULLS LAST";

static const char *const by_commune =
    "WITH s AS (SELECT commune_code AS k, count(*) AS src,"
    "  count(*) FILTER (WHERE outcome = 'rejetee') AS rej,"
    "  count(*) FILTER (WHERE outcome = 'doublon') AS dup FROM imp_state GROUP BY commune_code),"
    " d AS (SELECT commune_code AS k, sum(n) AS n FROM imp_found GROUP BY commune_code)"
    "SELECT coalesce(c.label, coalesce(s.k, d.k), '(inconnue)'), coalesce(s.src, 0),"
    " coalesce(s.rej, 0), coalesce(s.dup, 0), coalesce(s.src - s.rej - s.dup, 0), coalesce(d.n, 0)"
    " FROM s FULL JOIN d ON s.k = d.k LEFT JOIN imp_communes c ON c.code = coalesce(s.k, d.k)"
    " ORDER BY 1";

/* Prints one table; returns the number of lines that differ. */
static int table(iv_import *im, apr_array_header_t *lines, const char *title, const char *sql)
{
    PGresult *res = iv_pg_query(im->conn, "contrôle de cohérence", sql, 0, NULL);
    int bad = 0;
    if (!res)
        return -1;
    *(const char **)apr_array_push(lines) = title;
    *(const char **)apr_array_push(lines) = apr_psprintf(im->pool,
        "  %s %8s %s %s %s %s", iv_pad(im->pool, "", 28), "source", iv_pad(im->pool, " rejetées", 9),
        iv_pad(im->pool, " doublons", 9), iv_pad(im->pool, "attendues", 9),
        iv_pad(im->pool, im->dry_run ? "  déjà là" : "  en base", 9));
    for (int i = 0; i < PQntuples(res); i++) {
        long expected = atol(PQgetvalue(res, i, 4)), found = atol(PQgetvalue(res, i, 5));
        int ok = im->dry_run || expected == found;
        bad += !ok;
        *(const char **)apr_array_push(lines) = apr_psprintf(im->pool,
            "  %s %8s %9s %9s %9s %9s  %s", iv_pad(im->pool, PQgetvalue(res, i, 0), 28),
            PQgetvalue(res, i, 1),
            PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
            PQgetvalue(res, i, 5), im->dry_run ? "" : ok ? "ok" : "DIFFÉRENT");
    }
    PQclear(res);
    return bad;
}

int iv_check(iv_import *im, apr_array_header_t *lines)
{
    if (iv_pg_exec(im->conn, "contrôle de cohérence", found) != 0)
        return -1;
    int a = table(im, lines, "Contrôle par année (source − rejetées − doublons = attendues) :", by_year);
    int b = a < 0 ? -1 : table(im, lines, "Contrôle par commune :", by_commune);
    if (a < 0 || b < 0)
        return -1;
    if (a + b > 0) {
        for (int i = 0; i < lines->nelts; i++)
            fprintf(stderr, "%s\n", APR_ARRAY_IDX(lines, i, const char *));
        iv_import_error("le contrôle de cohérence a trouvé %d écart(s) : import annulé", a + b);
        return -1;
    }
    return 0;
}
