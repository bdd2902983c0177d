/*
 * refs.c — the reference lists and the correspondence table, loaded once into
 * the resolver. Communes known only from import_communes (outside the
 * territory, not yet used) are loaded as "outside": merge.c adds them to
 * communes when a request needs them.
 */
#include <stdio.h>
#include <string.h>
#include "apr_strings.h"
#include "import.h"
#include "pg.h"

static const struct {
    iv_list list;
    const char *sql;
} lists[] = {
    { IV_LIST_ORIGINES, "SELECT code, label, false, false FROM origins" },
    { IV_LIST_NATURES, "SELECT code, label, is_institution, false FROM requester_natures" },
    { IV_LIST_OBJETS, "SELECT code, label, false, false FROM objects" },
    { IV_LIST_EQUIPES, "SELECT code, label, false, false FROM teams" },
    { IV_LIST_AGENTS, "SELECT code, label, false, false FROM agents" },
    { IV_LIST_COMMUNES, "SELECT code, label, in_territory, false FROM communes "
                        "UNION ALL SELECT code, label, false, true FROM import_communes i "
                        "WHERE NOT EXISTS (SELECT 1 FROM communes c WHERE c.code = i.code)" },
};

/* Communes by trigram similarity (pg_trgm) of their keys: the best candidate when
 * it is close enough and clearly ahead of the next one ("Vincenes" → Vincennes;
 * "Saint" alone is close to too many). Asked while the rows stream, once per
 * distinct spelling, on a second connection: the first one is busy with COPY. */
static const char *const similar_sql =
    "WITH c AS (SELECT * FROM unnest($2::text[], $3::text[]) AS c(code, key)),"
    " s AS (SELECT code, similarity(replace($1, '_', ' '), replace(key, '_', ' ')) AS score FROM c),"
    " r AS (SELECT code, score, lead(score) OVER (ORDER BY score DESC, code) AS next,"
    "  row_number() OVER (ORDER BY score DESC, code) AS rank FROM s)"
    "SELECT code FROM r WHERE rank = 1 AND score >= 0.45"
    " AND (next IS NULL OR score - next >= 0.1)";

/* A text[] literal of keys and codes ([a-z0-9_] and INSEE codes: nothing to quote). */
static const char *array_literal(apr_pool_t *pool, const char *const *items, int n)
{
    apr_array_header_t *a = apr_array_make(pool, n, sizeof(char *));
    for (int i = 0; i < n; i++)
        *(const char **)apr_array_push(a) = apr_pstrcat(pool, "\"", items[i], "\"", NULL);
    return apr_pstrcat(pool, "{", iv_join(pool, a, ","), "}", NULL);
}

static const char *similar_commune(void *ctx, iv_list list, const char *key,
                                   const char *const *codes, const char *const *keys, int n)
{
    iv_import *im = ctx;
    const char *params[3];
    const char *code = NULL;
    PGresult *res;
    (void)list;
    if (!im->lookup) {
        im->lookup = PQconnectdb(im->conninfo);
        if (PQstatus(im->lookup) != CONNECTION_OK) {
            iv_import_error("seconde connexion (communes) : %s", PQerrorMessage(im->lookup));
            return NULL;
        }
    }
    params[0] = key;
    params[1] = array_literal(im->pool, codes, n);
    params[2] = array_literal(im->pool, keys, n);
    if ((res = iv_pg_query(im->lookup, "rapprochement des communes", similar_sql, 3, params))) {
        if (PQntuples(res) == 1)
            code = apr_pstrdup(im->pool, PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return code;
}

int iv_refs_load(iv_import *im)
{
    PGresult *res;

    im->refs = iv_resolver_make(im->pool);
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        if (!(res = iv_pg_query(im->conn, "lecture des listes de référence", lists[l].sql, 0, NULL)))
            return -1;
        for (int i = 0; i < PQntuples(res); i++)
            iv_resolver_add(im->refs, lists[l].list, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                            strcmp(PQgetvalue(res, i, 2), "t") == 0,
                            strcmp(PQgetvalue(res, i, 3), "t") == 0);
        PQclear(res);
    }
    res = iv_pg_query(im->conn, "lecture de la table de correspondance",
                      "SELECT list, legacy_value, code FROM import_mappings ORDER BY list, legacy_value",
                      0, NULL);
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *list = PQgetvalue(res, i, 0);
        for (int l = 0; l < IV_LIST_COUNT; l++)
            if (strcmp(list, iv_list_names[l]) == 0
                && iv_resolver_map(im->refs, (iv_list)l, PQgetvalue(res, i, 1),
                                   PQgetvalue(res, i, 2)) != 0)
                fprintf(stderr, "interventions-import : correspondance ignorée (%s) : « %s » → "
                        "« %s », code absent de la liste\n", list, PQgetvalue(res, i, 1),
                        PQgetvalue(res, i, 2));
    }
    PQclear(res);
    iv_resolver_fuzzy(im->refs, IV_LIST_COMMUNES, similar_commune, im);
    return 0;
}
