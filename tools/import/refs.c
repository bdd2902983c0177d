/*
 * refs.c — the reference lists and the correspondence table, loaded once into
 * the resolver. Communes known only from import_communes (outside the
 * territory, not yet used) are loaded as "outside": merge.c adds them to
 * communes when a request needs them.
 */
#include <stdio.h>
#include <string.h>
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
    return 0;
}
