/*
 * dump-sql — prints the list page's SQL (mod_interventions/list_sql.h), translated the
 * way apr_dbd's pgsql driver does it (%s -> varchar, %d -> integer, %% -> %), so that
 * psql and pgbench run exactly the statements the module prepares.
 *
 *   dump-sql psql             PREPARE statements for psql, labels as in the module
 *   dump-sql pgbench LABEL    a pgbench script: the statements a list page runs with
 *                             that sort, parameters as variables (:s1…, :r…, :c1…, :p1…)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "list_sql.h"

struct statement { const char *label, *sql; };

#define ENTRY(label, sql, pairs) { label, sql },
static const struct statement rows[] = { IV_LIST_ROW_STATEMENTS(ENTRY) };
static const struct statement count = { "iv_list_count", IV_LIST_COUNT_SQL };
static const struct statement refs = { "iv_list_refs", IV_LIST_REFS_SQL };

/* The session lookup every page starts with: a copy of iv_session_get in
 * mod_interventions/store_session.c (keep in step). */
static const struct statement session = { "iv_session_get",
    "SELECT login, display_name, roles, communes, csrf_token, "
    "       last_seen < now() - make_interval(secs => %d) "
    "  FROM sessions "
    " WHERE id_hash = decode(%s, 'hex') "
    "   AND last_seen > now() - make_interval(secs => %d) "
    "   AND created_at > now() - make_interval(secs => %d)" };

/* Writes sql to out with numbered placeholders ($N, or :<prefix>N::type for pgbench)
 * and their types, comma-separated, to types. */
static void translate(FILE *out, const char *sql, const char *prefix, FILE *types)
{
    int n = 0;
    for (const char *s = sql; *s; s++) {
        if (s[0] != '%') {
            fputc(*s, out);
            continue;
        }
        if (s[1] == '%') {
            fputc('%', out);
            s++;
            continue;
        }
        const char *type = s[1] == 'd' ? "integer" : "varchar";
        n++;
        if (prefix)
            fprintf(out, ":%s%d::%s", prefix, n, type);
        else
            fprintf(out, "$%d", n);
        if (types)
            fprintf(types, "%s%s", n > 1 ? ", " : "", type);
        s++;
    }
}

static void prepare(const struct statement *st)
{
    char *sql = NULL, *types = NULL;
    size_t sql_len = 0, types_len = 0;
    FILE *s = open_memstream(&sql, &sql_len), *t = open_memstream(&types, &types_len);
    translate(s, st->sql, NULL, t);
    fclose(s);
    fclose(t);
    printf("PREPARE %s%s%s%s AS %s;\n", st->label, *types ? " (" : "", types, *types ? ")" : "",
           sql);
    free(sql);
    free(types);
}

static void script_line(const struct statement *st, const char *prefix)
{
    translate(stdout, st->sql, prefix, NULL);
    printf(";\n");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "psql") == 0) {
        prepare(&session);
        prepare(&refs);
        prepare(&count);
        for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
            prepare(&rows[i]);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "pgbench") == 0) {
        for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
            if (strcmp(rows[i].label, argv[2]) != 0)
                continue;
            script_line(&session, "s");
            script_line(&refs, "r");
            script_line(&count, "c");
            script_line(&rows[i], "p");
            return 0;
        }
        fprintf(stderr, "dump-sql: unknown statement %s\n", argv[2]);
        return 1;
    }
    fprintf(stderr, "usage: dump-sql psql | dump-sql pgbench LABEL\n");
    return 2;
}
