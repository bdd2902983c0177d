/*
 * interventions-import — imports the requests of the department's legacy
 * Microsoft Access file (or of a CSV exported from it) into mod_interventions'
 * database. Every source row ends either imported (perhaps corrected) or in the
 * report with its reason; the whole run is one transaction.
 *
 *   interventions-import [options] SOURCE
 *
 * See usage() for the options. Exit status: 0 done (including "nothing new"),
 * 1 the import failed and nothing was written, 2 the source or the options
 * cannot be used (nothing was written either).
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "apr_general.h"
#include "apr_strings.h"
#include "csv.h"
#include "import.h"
#include "pg.h"

#define ADVISORY_LOCK "74657302"   /* one import at a time (tools/migrate uses 74657301) */

void iv_import_error(const char *fmt, ...)
{
    va_list ap;
    fputs("interventions-import : ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

double iv_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void iv_timing(iv_import *im, const char *step, double start)
{
    char *s = apr_psprintf(im->pool, "%s %.1f s", step, iv_clock() - start), *dot;
    if ((dot = strrchr(s, '.')))
        *dot = ',';
    *(const char **)apr_array_push(im->timings) = s;
}

const char *iv_join(apr_pool_t *pool, const apr_array_header_t *arr, const char *sep)
{
    const char *out = "";
    for (int i = 0; i < arr->nelts; i++)
        out = apr_pstrcat(pool, out, i ? sep : "", APR_ARRAY_IDX(arr, i, const char *), NULL);
    return out;
}

const char *iv_pad(apr_pool_t *pool, const char *s, int width)
{
    size_t len = strlen(s), cut = 0;
    int chars = 0;
    while (cut < len && chars < width) {
        cut++;
        while (cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut++;
        chars++;
    }
    return apr_psprintf(pool, "%.*s%*s", (int)cut, s, width - chars, "");
}

static void usage(FILE *out)
{
    fputs("usage : interventions-import [options] SOURCE\n"
          "\n"
          "SOURCE : le fichier Access (.mdb, .accdb, lu avec mdb-export de mdbtools) ou un CSV\n"
          "exporté d'Access (séparateur ; ou , et encodage UTF-8 ou Windows-1252 détectés).\n"
          "\n"
          "  --dry-run            tout sauf la fusion : rien n'est enregistré hormis le compte rendu\n"
          "  --report DIR         dossier du rapport CSV et du résumé (défaut : .)\n"
          "  --db CONNEXION       chaîne de connexion libpq (défaut : PGHOST, PGPORT, PGDATABASE…)\n"
          "  --mapping FICHIER    colonnes d'une autre disposition : « colonne = champ » par ligne\n"
          "  --table NOM          table du fichier Access à lire\n"
          "  --create-missing     ajoute, inactives, les valeurs inconnues des listes (sauf communes)\n"
          "  --user IDENTIFIANT   auteur enregistré dans l'historique (défaut : compte système)\n"
          "  --index-mode MODE    auto, keep (index maintenus) ou rebuild (index reconstruits)\n"
          "  -h, --help\n"
          "\n"
          "IV_IMPORT_FAIL_AFTER=étape (stage, resolve, dedup, number, merge, check, report)\n"
          "provoque un échec après l'étape, pour vérifier que rien n'est alors enregistré.\n",
          out);
}

static const char *default_login(void)
{
    const char *u = getenv("SUDO_USER");
    struct passwd *pw;
    if (u && *u)
        return u;
    if ((u = getenv("USER")) && *u)
        return u;
    pw = getpwuid(getuid());
    return pw ? pw->pw_name : "import";
}

static int parse_options(iv_import *im, int argc, char **argv)
{
    static const struct option options[] = {
        { "dry-run", no_argument, NULL, 'n' },
        { "report", required_argument, NULL, 'r' },
        { "db", required_argument, NULL, 'd' },
        { "mapping", required_argument, NULL, 'm' },
        { "table", required_argument, NULL, 't' },
        { "create-missing", no_argument, NULL, 'c' },
        { "user", required_argument, NULL, 'u' },
        { "index-mode", required_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt;

    im->report_dir = ".";
    im->conninfo = "";
    im->index_mode = "auto";
    im->login = default_login();
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'n': im->dry_run = 1; break;
        case 'r': im->report_dir = optarg; break;
        case 'd': im->conninfo = optarg; break;
        case 'm': im->mapping_path = optarg; break;
        case 't': im->table = optarg; break;
        case 'c': im->create_missing = 1; break;
        case 'u': im->login = optarg; break;
        case 'i': im->index_mode = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return -1;
    }
    if (strcmp(im->index_mode, "auto") && strcmp(im->index_mode, "keep")
        && strcmp(im->index_mode, "rebuild")) {
        iv_import_error("--index-mode : auto, keep ou rebuild");
        return -1;
    }
    im->source_path = argv[optind];
    im->display_name = apr_psprintf(im->pool, "Reprise Access (%s)", im->login);
    return 0;
}

static const char *describe_list(apr_pool_t *pool, const apr_array_header_t *names)
{
    apr_array_header_t *quoted = apr_array_make(pool, names->nelts, sizeof(char *));
    for (int i = 0; i < names->nelts; i++)
        *(char **)apr_array_push(quoted) = apr_psprintf(pool, "« %s »",
                                                        APR_ARRAY_IDX(names, i, const char *));
    return iv_join(pool, quoted, ", ");
}

/* Reads, decodes and splits the source up to its header; checks the columns. */
static int open_source(iv_import *im)
{
    const char *error;
    iv_mapping mapping, *mp = NULL;
    apr_array_header_t *header = apr_array_make(im->pool, 32, sizeof(char *));

    if ((error = iv_source_read(im->pool, im->source_path, im->table, &im->src))) {
        iv_import_error("%s", error);
        return -1;
    }
    im->encoding = iv_enc_detect(im->src.data, im->src.len);
    if (im->encoding == IV_ENC_UTF8 && !memchr(im->src.data, 0, im->src.len)) {
        /* already what the parser wants (and src.data[len] exists): no copy of 300 MB */
        im->text = im->src.data;
        im->text_len = im->src.len;
    } else {
        im->text = iv_enc_to_utf8(im->pool, im->encoding, im->src.data, im->src.len,
                                  &im->text_len);
    }
    im->separator = iv_csv_detect_separator(im->text, im->text_len);
    if (im->mapping_path) {
        iv_source map_file;
        if ((error = iv_source_read(im->pool, im->mapping_path, NULL, &map_file))) {
            iv_import_error("--mapping : %s", error);
            return -1;
        }
        size_t len;
        const char *text = iv_enc_to_utf8(im->pool, iv_enc_detect(map_file.data, map_file.len),
                                          map_file.data, map_file.len, &len);
        if ((error = iv_mapping_parse(im->pool, text, &mapping))) {
            iv_import_error("--mapping %s : %s", im->mapping_path, error);
            return -1;
        }
        mp = &mapping;
    }
    iv_csv_init(&im->csv, im->text, im->text_len, im->separator);
    if (!iv_csv_next(&im->csv, header)) {
        iv_import_error("%s est vide", im->source_path);
        return -1;
    }
    if (iv_layout_from_header(im->pool, header, mp, &im->layout) != 0) {
        if (im->layout.unknown->nelts)
            iv_import_error("colonnes inconnues : %s. Indiquez dans un fichier --mapping le champ "
                            "de chacune (« colonne = champ », champ étant une colonne de la table "
                            "Access : %s), ou « colonne = - » pour l'ignorer.",
                            describe_list(im->pool, im->layout.unknown),
                            "N°, Année, Origine, Date reçue, Nature demandeur, Titre, Nom demandeur, "
                            "Adresse, Ville, Téléphone, Courriel, Complément adresse, Objet, "
                            "Complément objet, Transmise à, Date transmission, Début intervention, "
                            "Fin intervention, Commentaire, Réalisée par, Clôturée par");
        if (im->layout.missing->nelts)
            iv_import_error("colonnes obligatoires absentes : %s",
                            describe_list(im->pool, im->layout.missing));
        if (im->layout.twice->nelts)
            iv_import_error("champs donnés par deux colonnes : %s",
                            describe_list(im->pool, im->layout.twice));
        return -1;
    }
    return 0;
}

static int connect_db(iv_import *im)
{
    const char *keys[] = { "dbname", "application_name", "client_encoding", NULL };
    const char *values[] = { im->conninfo, "interventions-import", "UTF8", NULL };
    im->conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(im->conn) != CONNECTION_OK) {
        iv_import_error("connexion à la base impossible : %s", PQerrorMessage(im->conn));
        PQfinish(im->conn);
        return -1;
    }
    return 0;
}

/* Session settings, the one-import-at-a-time lock and the imports row. */
static int begin(iv_import *im)
{
    PGresult *res;
    static const char *const settings =
        "SET TimeZone = 'Europe/Paris'; SET client_min_messages = warning;"
        " SET temp_buffers = '1GB'; SET work_mem = '256MB'; SET lock_timeout = '60s';"
        " SET client_connection_check_interval = '2s'";

    if (iv_pg_exec(im->conn, "réglages", settings) || iv_pg_exec(im->conn, "transaction", "BEGIN"))
        return -1;
    if (!(res = iv_pg_query(im->conn, "verrou", "SELECT pg_try_advisory_xact_lock(" ADVISORY_LOCK "),"
                            " to_char(now(), 'YYYY-MM-DD')", 0, NULL)))
        return -1;
    int locked = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    im->today = apr_pstrdup(im->pool, PQgetvalue(res, 0, 1));
    PQclear(res);
    if (!locked) {
        iv_import_error("un autre import est en cours sur cette base : réessayez quand il sera fini");
        return -1;
    }
    const char *params[] = { im->login, im->src.name, im->src.format, im->src.sha256,
                             iv_enc_name(im->encoding), im->dry_run ? "t" : "f",
                             im->create_missing ? "t" : "f" };
    res = PQexecParams(im->conn,
                       "INSERT INTO imports (login, source_name, source_format, source_sha256,"
                       " source_encoding, dry_run, create_missing) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                       " RETURNING id", 7, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        iv_import_error("enregistrement de l'import : %s", PQresultErrorMessage(res));
        PQclear(res);
        return -1;
    }
    im->import_id = apr_pstrdup(im->pool, PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* IV_IMPORT_FAIL_AFTER=step: the tests' way of failing in the middle. */
static int injected_failure(const char *step)
{
    const char *fail = getenv("IV_IMPORT_FAIL_AFTER");
    if (fail && strcmp(fail, step) == 0) {
        iv_import_error("échec provoqué après l'étape « %s » (IV_IMPORT_FAIL_AFTER)", step);
        return 1;
    }
    return 0;
}

typedef int (*step_fn)(iv_import *);

static int run_step(iv_import *im, const char *name, const char *label, step_fn fn)
{
    double t = iv_clock();
    int rc = fn(im);
    iv_timing(im, label, t);
    return rc || injected_failure(name) ? -1 : 0;
}

static int stage(iv_import *im)
{
    return iv_refs_load(im) || iv_stage_create(im) || iv_stage_load(im) ? -1 : 0;
}

static apr_array_header_t *intro_lines(iv_import *im)
{
    apr_array_header_t *lines = apr_array_make(im->pool, 4, sizeof(char *));
    /* an Access file's encoding and separator are mdb-export's, not the user's */
    const char *read_as = strcmp(im->src.format, "mdb") == 0
        ? apr_pstrcat(im->pool, "Access, table ", im->src.table, NULL)
        : apr_psprintf(im->pool, "CSV, %s, séparateur « %s »", iv_enc_name(im->encoding),
                       im->separator == '\t' ? "tabulation"
                                             : apr_pstrndup(im->pool, &im->separator, 1));
    *(const char **)apr_array_push(lines) = apr_psprintf(im->pool, "Import n° %s%s — %s (%s)",
        im->import_id, im->dry_run ? " (essai)" : "", im->src.name, read_as);
    if (im->blank_records)
        *(const char **)apr_array_push(lines) = apr_psprintf(im->pool,
            "lignes vides (aucune donnée) ignorées : %ld", im->blank_records);
    if (im->layout.ignored->nelts)
        *(const char **)apr_array_push(lines) = apr_psprintf(im->pool,
            "colonnes ignorées (--mapping) : %s", describe_list(im->pool, im->layout.ignored));
    if (im->bulk)
        *(const char **)apr_array_push(lines) =
            "index et contraintes reconstruits après l'insertion (import massif)";
    return lines;
}

static int run(iv_import *im, apr_array_header_t **summary)
{
    apr_array_header_t *checks = apr_array_make(im->pool, 64, sizeof(char *));
    double t;

    if (run_step(im, "stage", "lecture et chargement", stage)
        || run_step(im, "resolve", "listes de référence", iv_steps_resolve)
        || run_step(im, "dedup", "doublons", iv_steps_dedup)
        || run_step(im, "number", "numérotation", iv_steps_number)
        || run_step(im, "merge", "fusion", iv_merge))
        return -1;
    t = iv_clock();
    if (iv_check(im, checks) != 0 || injected_failure("check"))
        return -1;
    iv_timing(im, "contrôle", t);
    t = iv_clock();
    *summary = apr_array_make(im->pool, 64, sizeof(char *));
    if (iv_report(im, intro_lines(im), checks, *summary) != 0 || injected_failure("report"))
        return -1;
    iv_timing(im, "rapport", t);
    return 0;
}

int main(int argc, char **argv)
{
    iv_import im;
    apr_array_header_t *summary = NULL;
    struct stat st;
    double t0 = iv_clock(), t;

    apr_app_initialize(&argc, (const char *const **)&argv, NULL);
    memset(&im, 0, sizeof im);
    apr_pool_create(&im.pool, NULL);
    im.timings = apr_array_make(im.pool, 16, sizeof(char *));
    if (parse_options(&im, argc, argv) != 0)
        return 2;
    if (stat(im.report_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        iv_import_error("--report : %s n'est pas un dossier", im.report_dir);
        return 2;
    }
    t = iv_clock();
    if (open_source(&im) != 0)
        return 2;
    iv_timing(&im, "lecture de la source", t);
    if (connect_db(&im) != 0)
        return 1;
    if (begin(&im) != 0 || run(&im, &summary) != 0
        || iv_pg_exec(im.conn, "validation", "COMMIT") != 0) {
        PQclear(PQexec(im.conn, "ROLLBACK"));
        PQfinish(im.conn);
        if (im.lookup)
            PQfinish(im.lookup);
        /* a report of an import that did not happen would mislead */
        for (int i = 0; i < 2; i++)
            if (im.written[i])
                unlink(im.written[i]);
        iv_import_error("import annulé : la base est restée telle qu'elle était");
        return 1;
    }
    PQfinish(im.conn);
    if (im.lookup)
        PQfinish(im.lookup);
    iv_timing(&im, "total", t0);
    for (int i = 0; i < summary->nelts; i++)
        printf("%s\n", APR_ARRAY_IDX(summary, i, const char *));
    printf("durées : %s\n", iv_join(im.pool, im.timings, " ; "));
    apr_pool_destroy(im.pool);
    apr_terminate();
    return 0;
}
