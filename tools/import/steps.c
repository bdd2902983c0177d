/*
 * steps.c — what is decided on the whole set of rows, in SQL: the values no
 * rule recognised (created inactive with --create-missing, or reported; communes
 * were tried by trigram similarity while streaming, see refs.c), the rows already
 * imported by an earlier run, exact and near duplicates, and the numbers. Every
 * decision that changes what a row becomes leaves a note for the report.
 */
#include <stdio.h>
#include <string.h>
#include "apr_strings.h"
#include "import.h"
#include "pg.h"
#include "rowclean.h"

/* A reference field of the staging rows. */
typedef struct {
    const char *list;           /* import_mappings.list */
    const char *field;          /* Access column name */
    const char *raw, *code;     /* imp_rows columns */
    const char *table;          /* reference table */
    int required;
} ref_field;

static const ref_field ref_fields[] = {
    { "origines", "Origine", "origin_raw", "origin_code", "origins", 1 },
    { "natures", "Nature demandeur", "nature_raw", "nature_code", "requester_natures", 1 },
    { "objets", "Objet", "object_raw", "object_code", "objects", 1 },
    { "communes", "Ville", "commune_raw", "commune_code", "communes", 1 },
    { "equipes", "Transmise à", "team_raw", "team_code", "teams", 0 },
    { "agents", "Réalisée par", "done_raw", "done_code", "agents", 0 },
    { "agents", "Clôturée par", "closed_raw", "closed_code", "agents", 0 },
};
#define N_REF_FIELDS (sizeof ref_fields / sizeof *ref_fields)

static int exec(iv_import *im, const char *what, const char *sql)
{
    return iv_pg_exec(im->conn, what, sql);
}

/* ---------------------------------------------------------------- unknown values */

/* --create-missing: one inactive value per key (the most frequent spelling is its
 * label), placed after the list's others. */
static int create_missing(iv_import *im, const char *list, const char *table)
{
    const char *sql;
    if (im->dry_run)
        return 0;
    sql = apr_psprintf(im->pool,
        "INSERT INTO %s (code, label, position, active)"
        " SELECT k.code, k.label, (SELECT coalesce(max(position), 0) FROM %s)"
        "  + 10 * row_number() OVER (ORDER BY k.label), false"
        " FROM (SELECT DISTINCT ON (key) left(key, 64) AS code, raw AS label FROM imp_unknown"
        "  WHERE list = '%s' AND code IS NULL AND key <> '' ORDER BY key, rows DESC, raw) k"
        " ON CONFLICT DO NOTHING", table, table, list);
    return exec(im, "création des valeurs manquantes", sql);
}

static int mark_created(iv_import *im, const char *list, const char *table)
{
    const char *sql = im->dry_run
        ? apr_psprintf(im->pool, "UPDATE imp_unknown SET code = left(key, 64), how = 'creation'"
                       " WHERE list = '%s' AND code IS NULL AND key <> ''", list)
        : apr_psprintf(im->pool, "UPDATE imp_unknown u SET code = left(u.key, 64), how = 'creation'"
                       " WHERE u.list = '%s' AND u.code IS NULL AND u.key <> ''"
                       " AND EXISTS (SELECT 1 FROM %s t WHERE t.code = left(u.key, 64))", list, table);
    (void)table;
    return exec(im, "création des valeurs manquantes", sql);
}

/* NB: imp_raw holds the rows with a value no rule resolved (written by stage.c):
 * the statements about unknown values read that small table instead of the
 * million rows of imp_rows, which they update through its src_row index. */
static int apply_field(iv_import *im, const ref_field *f)
{
    const char *created_reason = im->dry_run
        ? "valeur inconnue : serait ajoutée (inactive) à sa liste"
        : "valeur inconnue ajoutée (inactive) à sa liste";
    const char *sql[] = {
        apr_psprintf(im->pool,
            "UPDATE imp_rows r SET %s = u.code FROM imp_raw x JOIN imp_unknown u"
            " ON u.list = '%s' AND u.raw = x.%s"
            " WHERE r.src_row = x.src_row AND u.code IS NOT NULL AND r.%s IS NULL",
            f->code, f->list, f->raw, f->code),
        apr_psprintf(im->pool,
            "INSERT INTO imp_notes (src_row, field, original, value, action, reason)"
            " SELECT x.src_row, '%s', x.%s, u.raw,"
            "  'création',"
            "  '%s'"
            " FROM imp_raw x JOIN imp_unknown u ON u.list = '%s' AND u.raw = x.%s"
            " WHERE u.code IS NOT NULL ORDER BY x.src_row",
            f->field, f->raw, created_reason, f->list, f->raw),
        f->required
        ? apr_psprintf(im->pool,
            "WITH x AS (UPDATE imp_rows r SET rejected = true FROM imp_raw x JOIN imp_unknown u"
            "  ON u.list = '%s' AND u.raw = x.%s"
            "  WHERE r.src_row = x.src_row AND u.code IS NULL RETURNING r.src_row, x.%s AS raw)"
            " INSERT INTO imp_notes (src_row, field, original, value, action, reason)"
            " SELECT src_row, '%s', raw, '', 'rejet', '%s' FROM x ORDER BY src_row",
            f->list, f->raw, f->raw, f->field,
            strcmp(f->list, "communes") == 0
                ? "commune inconnue (à ajouter à la table de correspondance)"
                : "valeur inconnue (à ajouter à la table de correspondance, ou --create-missing)")
        : apr_psprintf(im->pool,
            "WITH x AS (UPDATE imp_rows r SET comment = CASE WHEN r.comment = '' THEN ''"
            "  ELSE r.comment || E'\\n' END || '[Reprise Access] %s : ' || x.%s"
            "  FROM imp_raw x JOIN imp_unknown u ON u.list = '%s' AND u.raw = x.%s"
            "  WHERE r.src_row = x.src_row AND u.code IS NULL RETURNING r.src_row, x.%s AS raw)"
            " INSERT INTO imp_notes (src_row, field, original, value, action, reason)"
            " SELECT src_row, '%s', raw, '', 'report en commentaire',"
            " 'valeur inconnue, reportée en commentaire' FROM x ORDER BY src_row",
            f->field, f->raw, f->list, f->raw, f->raw, f->field),
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if (exec(im, "valeurs inconnues", sql[i]) != 0)
            return -1;
    return 0;
}

/* The application asks a name of every requester that is not an institution;
 * the row cleaner checked the rows whose nature it knew, here are the others. */
static const char *const name_required =
    "WITH x AS (UPDATE imp_rows r SET rejected = true FROM imp_raw x, requester_natures n"
    "  WHERE r.src_row = x.src_row AND x.nature_raw IS NOT NULL AND n.code = r.nature_code"
    "  AND NOT n.is_institution AND r.requester_name = '' AND NOT r.rejected RETURNING r.src_row)"
    " INSERT INTO imp_notes (src_row, field, original, value, action, reason)"
    " SELECT src_row, 'Nom demandeur', '', '', 'rejet',"
    " 'champ obligatoire vide (le demandeur n''est pas une institution)' FROM x ORDER BY src_row";

int iv_steps_resolve(iv_import *im)
{
    if (im->create_missing)
        for (size_t i = 0; i < N_REF_FIELDS; i++) {
            const ref_field *f = &ref_fields[i];
            if (strcmp(f->list, "communes") == 0 || (i > 0 && strcmp(f->list, ref_fields[i - 1].list) == 0))
                continue;       /* communes need an INSEE code: never made up */
            if (create_missing(im, f->list, f->table) || mark_created(im, f->list, f->table))
                return -1;
        }
    if (!im->dry_run
        && iv_pg_execp(im->conn, "table de correspondance",
                       "INSERT INTO import_mappings (list, legacy_value, code, created_by)"
                       " SELECT list, raw, code, $1 FROM imp_unknown WHERE how = 'creation'"
                       " ON CONFLICT DO NOTHING", 1, (const char *const[]){ im->login }, NULL) != 0)
        return -1;
    if (exec(im, "valeurs inconnues", "CREATE INDEX ON imp_rows (src_row)"))
        return -1;
    for (size_t i = 0; i < N_REF_FIELDS; i++)
        if (apply_field(im, &ref_fields[i]) != 0)
            return -1;
    return exec(im, "nom du demandeur", name_required);
}

/* ---------------------------------------------------------------- duplicates */

/* What becomes of each row, in a narrow table beside the wide staging rows (so
 * that deciding a million outcomes rewrites 50 bytes a row, not 500). A row
 * whose source key is in the database was imported by an earlier run (db_id:
 * that request); else a row with a missing or unreadable required value is
 * rejected. unexplained: a required value missing though no rule rejected the
 * row — never expected, but then the row is rejected with a reason of its own
 * rather than left to fail the merge. */
static const char *const state =
    "CREATE TEMP TABLE imp_state ON COMMIT DROP AS"
    " SELECT r.src_row, r.year, r.numero, r.received_at, r.commune_code, r.status,"
    "  CASE WHEN i.id IS NOT NULL THEN 'deja' WHEN r.rejected OR m.missing THEN 'rejetee' END"
    "   AS outcome,"
    "  i.year AS final_year, i.number AS final_number, i.id AS db_id,"
    "  NULL::integer AS dup_of, NULL::text AS dup_kind,"
    "  i.id IS NULL AND NOT r.rejected AND m.missing AS unexplained"
    " FROM imp_rows r LEFT JOIN interventions i ON i.legacy_key = r.legacy_key,"
    " LATERAL (SELECT r.origin_code IS NULL OR r.nature_code IS NULL OR r.object_code IS NULL"
    "  OR r.commune_code IS NULL OR r.received_at IS NULL OR r.address = '' OR r.year IS NULL"
    "  AS missing) m";

static const char *const unexplained_notes =
    "INSERT INTO imp_notes (src_row, field, original, value, action, reason)"
    " SELECT src_row, 'ligne', '', '', 'rejet', 'valeur obligatoire manquante'"
    " FROM imp_state WHERE unexplained";

/* The candidates of a kind that stage.c found while streaming: the rows sharing
 * a key with an earlier row, and those earlier rows. */
#define CANDIDATES(kind) \
    "(SELECT src_row FROM imp_cand WHERE kind = '" kind "'" \
    " UNION SELECT first_row FROM imp_cand WHERE kind = '" kind "')"

/* Exact duplicates: the same cleaned values but the number, compared among the
 * candidates (same hash while streaming). The row kept is one already
 * imported, else the first of the file. */
static const char *const exact =
    "WITH k AS (SELECT s.src_row, first_value(s.src_row) OVER (PARTITION BY r.sig"
    "  ORDER BY coalesce(s.outcome = 'deja', false) DESC, s.src_row) AS keep"
    " FROM " CANDIDATES("exact") " c JOIN imp_state s ON s.src_row = c.src_row"
    " JOIN LATERAL (SELECT md5(row(" IV_EXACT_COLUMNS_SQL ")::text) AS sig FROM imp_rows x"
    "  WHERE x.src_row = c.src_row) r ON true"
    " WHERE s.outcome IS NULL OR s.outcome = 'deja')"
    "UPDATE imp_state s SET outcome = 'doublon', dup_of = k.keep, dup_kind = 'exact'"
    " FROM k WHERE s.src_row = k.src_row AND k.keep <> k.src_row AND s.outcome IS NULL";

/* Near duplicates: same commune, address and object, the same phone or name,
 * received within 2 days. Compared: the rows whose commune, address and object
 * occur twice, plus those whose object SQL resolved (its code was not known while
 * streaming). prec orders the candidates (already imported first, then by
 * reception): each later row points at the earliest it matches. */
static const char *const near_pairs =
    "CREATE TEMP TABLE imp_near ON COMMIT DROP AS"
    " WITH c AS (" CANDIDATES("lieu")
    "  UNION SELECT src_row FROM imp_raw WHERE object_raw IS NOT NULL),"
    " d AS (SELECT r.src_row, r.commune_code, r.addr_key, r.object_code, r.received_at,"
    "  r.phone, r.name_key, coalesce(s.outcome = 'deja', false) AS deja"
    "  FROM c JOIN imp_rows r ON r.src_row = c.src_row JOIN imp_state s ON s.src_row = c.src_row"
    "  WHERE (s.outcome IS NULL OR s.outcome = 'deja') AND r.addr_key <> ''),"
    " p AS (SELECT d.*, row_number() OVER (ORDER BY deja DESC, received_at, src_row) AS prec FROM d)"
    " SELECT DISTINCT ON (b.src_row) b.src_row AS dup, a.src_row AS keep"
    " FROM p a JOIN p b ON a.commune_code = b.commune_code AND a.addr_key = b.addr_key"
    "  AND a.object_code = b.object_code"
    " WHERE a.prec < b.prec AND abs(extract(epoch FROM b.received_at - a.received_at)) <= 172800"
    "  AND ((a.phone <> '' AND a.phone = b.phone) OR (a.name_key <> '' AND a.name_key = b.name_key))"
    " ORDER BY b.src_row, a.prec";

/* A row kept by a duplicate may itself duplicate an earlier one: follow to the root. */
static const char *const near_chain =
    "UPDATE imp_near n SET keep = m.keep FROM imp_near m WHERE n.keep = m.dup";

static const char *const near_mark =
    "UPDATE imp_state s SET outcome = 'doublon', dup_of = n.keep, dup_kind = 'proche'"
    " FROM imp_near n WHERE s.src_row = n.dup AND s.outcome IS NULL";

int iv_steps_dedup(iv_import *im)
{
    long changed = 1;
    /* NB: joins by src_row use these indexes when a statement's estimate is off
     * (an outcome that statistics taken earlier say no row has): a nested loop
     * then costs lookups, not a scan of a million rows per row */
    if (exec(im, "lignes déjà importées", state)
        || exec(im, "lignes déjà importées", "CREATE UNIQUE INDEX ON imp_state (src_row)")
        || exec(im, "statistiques", "ANALYZE imp_state")
        || exec(im, "valeurs obligatoires", unexplained_notes)
        || exec(im, "doublons exacts", exact) || exec(im, "doublons proches", near_pairs))
        return -1;
    for (int round = 0; changed > 0 && round < 100; round++)
        if (iv_pg_execp(im->conn, "doublons proches", near_chain, 0, NULL, &changed) != 0)
            return -1;
    return exec(im, "doublons proches", near_mark);
}

/* ---------------------------------------------------------------- numbers */

/* The counters of the years concerned are locked before numbering, so that a
 * request recorded meanwhile in the application cannot take a number given
 * here: it waits for the import's commit. A year without a counter gets one at
 * its highest number. */
static const char *const lock_counters[] = {
    "CREATE TEMP TABLE imp_years ON COMMIT DROP AS"
    " SELECT DISTINCT year FROM imp_state WHERE outcome IS NULL",
    "INSERT INTO year_counters (year, last_number)"
    " SELECT y.year, coalesce((SELECT max(number) FROM interventions i WHERE i.year = y.year), 0)"
    " FROM imp_years y ON CONFLICT (year) DO NOTHING",
    "SELECT year FROM year_counters WHERE year IN (SELECT year FROM imp_years)"
    " ORDER BY year FOR UPDATE",
};

/* The legacy number is kept when it is valid and free: first in the file for its
 * year (by reception; only the candidates found while streaming can clash) and
 * unused in the database. The others are renumbered. */
static const char *const renumber =
    "CREATE TEMP TABLE imp_renumber ON COMMIT DROP AS"
    " WITH f AS (SELECT s.src_row,"
    "  row_number() OVER (PARTITION BY s.year, s.numero ORDER BY s.received_at, s.src_row) AS rank"
    "  FROM " CANDIDATES("numero") " c JOIN imp_state s ON s.src_row = c.src_row"
    "  WHERE s.outcome IS NULL)"
    " SELECT s.src_row, s.year, s.numero, s.received_at,"
    "  CASE WHEN s.numero IS NULL THEN NULL WHEN f.rank > 1 THEN 'fichier' ELSE 'base' END AS conflict"
    " FROM imp_state s LEFT JOIN f ON f.src_row = s.src_row"
    " LEFT JOIN interventions i ON i.year = s.year AND i.number = s.numero"
    " WHERE s.outcome IS NULL AND (s.numero IS NULL OR f.rank > 1 OR i.id IS NOT NULL)";

/* The renumbered rows get the next numbers of their year, after the counter,
 * the database's highest and the legacy numbers kept. */
static const char *const next_numbers =
    "CREATE TEMP TABLE imp_next ON COMMIT DROP AS"
    " WITH kept AS (SELECT s.year, max(s.numero) AS m FROM imp_state s"
    "  LEFT JOIN imp_renumber n ON n.src_row = s.src_row"
    "  WHERE s.outcome IS NULL AND s.numero IS NOT NULL AND n.src_row IS NULL GROUP BY s.year),"
    " b AS (SELECT y.year, greatest(coalesce(yc.last_number, 0), coalesce(k.m, 0),"
    "  coalesce((SELECT max(number) FROM interventions i WHERE i.year = y.year), 0)) AS base"
    "  FROM (SELECT DISTINCT year FROM imp_renumber) y LEFT JOIN kept k ON k.year = y.year"
    "  LEFT JOIN year_counters yc ON yc.year = y.year)"
    " SELECT n.src_row, b.base"
    "  + row_number() OVER (PARTITION BY n.year ORDER BY n.received_at, n.src_row) AS num"
    " FROM imp_renumber n JOIN b ON b.year = n.year";

/* Every row left is imported, with its number and its request id (the history
 * rows need it; a dry run takes none: a sequence does not roll back). The table
 * is written anew rather than updated: a million rows rewritten by UPDATE cost
 * twice as much. */
static const char *const importable[] = {
    "CREATE TEMP TABLE imp_state2 ON COMMIT DROP AS"
    " SELECT s.src_row, s.year, s.numero, s.received_at, s.commune_code, s.status,"
    "  coalesce(s.outcome, 'importee') AS outcome,"
    "  CASE WHEN s.outcome IS NULL THEN s.year ELSE s.final_year END AS final_year,"
    "  CASE WHEN s.outcome IS NULL THEN coalesce(x.num, s.numero) ELSE s.final_number END"
    "   AS final_number,"
    "  CASE WHEN s.outcome IS NULL THEN %s ELSE s.db_id END AS db_id,"
    "  s.dup_of, s.dup_kind, s.unexplained"
    " FROM imp_state s LEFT JOIN imp_next x ON x.src_row = s.src_row",
    "DROP TABLE imp_state",
    "ALTER TABLE imp_state2 RENAME TO imp_state",
    "ANALYZE imp_state",
};

static const char *const renumber_notes =
    "INSERT INTO imp_notes (src_row, field, original, value, action, reason)"
    " SELECT n.src_row, 'N°', coalesce(r.numero_raw, r.numero::text, ''),"
    "  'N° ' || s.final_year || ' / ' || s.final_number, 'renumérotation',"
    "  CASE WHEN n.conflict = 'fichier' THEN 'numéro déjà pris par une autre ligne du fichier'"
    "   WHEN n.conflict = 'base' THEN 'numéro déjà utilisé par une demande en base'"
    "   WHEN r.numero_raw IS NOT NULL THEN 'numéro illisible'"
    "   ELSE 'numéro absent' END || ' : numéro suivant de l''année attribué'"
    " FROM imp_renumber n JOIN imp_state s ON s.src_row = n.src_row"
    " JOIN imp_rows r ON r.src_row = n.src_row ORDER BY n.src_row";

static const char *const duplicate_notes =
    "INSERT INTO imp_notes (src_row, field, original, value, action, reason)"
    " SELECT d.src_row, 'ligne', '', 'N° ' || k.final_year || ' / ' || k.final_number"
    "  || ' (ligne ' || k.src_row || ')', 'doublon',"
    "  CASE d.dup_kind WHEN 'exact' THEN 'doublon exact : ligne identique à la demande gardée'"
    "   ELSE 'doublon proche : même adresse, objet et téléphone ou nom, reçue à moins de 2 jours'"
    "  END"
    " FROM imp_state d JOIN imp_state k ON k.src_row = d.dup_of WHERE d.outcome = 'doublon'"
    " ORDER BY d.src_row";

/* nextval of the id sequence, its name looked up once: pg_get_serial_sequence()
 * evaluated for each of a million rows cost 3 s by itself. */
static const char *next_id(iv_import *im)
{
    PGresult *res = iv_pg_query(im->conn, "numérotation",
                                "SELECT quote_literal(pg_get_serial_sequence('interventions', 'id'))",
                                0, NULL);
    const char *sql = NULL;
    if (res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        sql = apr_psprintf(im->pool, "nextval(%s::regclass)", PQgetvalue(res, 0, 0));
    PQclear(res);
    return sql;
}

int iv_steps_number(iv_import *im)
{
    const char *ids = im->dry_run ? "NULL" : next_id(im);
    if (!ids)
        return -1;
    for (size_t i = 0; !im->dry_run && i < sizeof lock_counters / sizeof *lock_counters; i++)
        if (exec(im, "compteurs annuels", lock_counters[i]) != 0)
            return -1;
    if (exec(im, "numérotation", renumber) || exec(im, "statistiques", "ANALYZE imp_renumber")
        || exec(im, "numérotation", next_numbers))
        return -1;
    for (size_t i = 0; i < sizeof importable / sizeof *importable; i++)
        if (exec(im, "numérotation", i == 0 ? apr_psprintf(im->pool, importable[0], ids)
                                            : importable[i]) != 0)
            return -1;
    return exec(im, "numérotation", renumber_notes)
        || exec(im, "doublons", duplicate_notes)
        || exec(im, "statistiques", "ANALYZE imp_notes (src_row, action)") ? -1 : 0;
}
