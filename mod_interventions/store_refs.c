/*
 * store_refs.c — the reference lists (origins, natures, titles, objects, teams,
 * communes, agents): one table each, all of the same shape (code, label,
 * position, active) plus at most one extra column.
 *
 * A list is known by its French name in URLs ("objets"); that name only ever
 * selects a row of the fixed table below and statements labelled
 * "iv_refs_<name>_<operation>", whose SQL is written here at compile time. Each
 * list gets the same set of statements from one macro, so every list runs
 * through one code path.
 */
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "stores.h"

/* ---------------------------------------------------------------- the lists */

const iv_ref_list iv_ref_lists[] = {
    /* name,      extra column,       its form field,     INSEE, unique label */
    { "origines", IV_REF_EXTRA_NONE,  NULL,               0, 1 },
    { "natures",  IV_REF_EXTRA_FLAG,  "institution",      0, 1 },
    { "titres",   IV_REF_EXTRA_NONE,  NULL,               0, 1 },
    { "objets",   IV_REF_EXTRA_NONE,  NULL,               0, 1 },
    { "equipes",  IV_REF_EXTRA_NONE,  NULL,               0, 1 },
    { "communes", IV_REF_EXTRA_FLAG,  "dans_territoire",  1, 1 },
    /* agents: namesakes exist, the schema lets two agents share a name */
    { "agents",   IV_REF_EXTRA_TEAM,  "equipe",           0, 0 },
};

const size_t iv_ref_lists_count = sizeof iv_ref_lists / sizeof *iv_ref_lists;

/* ---------------------------------------------------------------- the SQL */

/* Rows come in the order forms offer them. Moving a value renumbers first (10,
 * 20, 30…), so this order and the positions always agree. */
#define ORDER " ORDER BY r.position, r.label, r.code"

/* How many requests use each code of a list. */
#define USED_AS(col) \
    "SELECT " col " AS code, count(*) AS n FROM interventions " \
    "WHERE " col " IS NOT NULL GROUP BY 1"
#define USED_BY_AGENTS \
    "SELECT v.code, count(DISTINCT i.id) AS n FROM interventions i " \
    "CROSS JOIN LATERAL (VALUES (i.assigned_agent), (i.done_by), (i.closed_by)) AS v(code) " \
    "WHERE v.code IS NOT NULL GROUP BY 1"

/* The extra column, as five SQL fragments: its value as text, the label it
 * stands for (agents: the team's), and its part of INSERT (column, value) and
 * UPDATE. Without one, NULLs keep the columns of every list at the same place. */
#define EXTRA_NONE "NULL::text", "NULL::text", "", "", ""
#define EXTRA_FLAG(col) \
    "r." col "::text", "NULL::text", ", " col, ", %s::boolean", ", " col " = %s::boolean"
#define EXTRA_TEAM \
    "r.team_code", "(SELECT t.label FROM teams t WHERE t.code = r.team_code)", \
    ", team_code", ", nullif(%s, '')", ", team_code = nullif(%s, '')"

/* Columns of a value; keep in step with read_value(). */
#define VALUE_COLUMNS(sel, sel_label) \
    "SELECT r.code, r.label, r.position, r.active, " sel ", " sel_label

#define REF_STATEMENTS(...) REF_STATEMENTS_(__VA_ARGS__)
#define REF_STATEMENTS_(name, table, used, sel, sel_label, ins_col, ins_val, upd)          \
    { "iv_refs_" name "_count",                                                         \
      "SELECT count(*) FILTER (WHERE active), count(*) FROM " table },                  \
    { "iv_refs_" name "_all",                                                           \
      VALUE_COLUMNS(sel, sel_label) ", coalesce(u.n, 0) FROM " table " r "              \
      "LEFT JOIN (" used ") u ON u.code = r.code" ORDER },                              \
    { "iv_refs_" name "_active",                                                        \
      VALUE_COLUMNS(sel, sel_label) " FROM " table " r "                                \
      "WHERE r.active OR r.code = %s" ORDER },                                          \
    { "iv_refs_" name "_get",                                                           \
      VALUE_COLUMNS(sel, sel_label) " FROM " table " r WHERE r.code = %s FOR UPDATE OF r" }, \
    { "iv_refs_" name "_clash",                                                         \
      "SELECT r.code = %s, r.code FROM " table " r "                                    \
      "WHERE r.code = %s OR (lower(r.label) = lower(%s) AND r.code <> %s)" },           \
    { "iv_refs_" name "_add",                                                           \
      "INSERT INTO " table " (code, label, position" ins_col ") "                       \
      "VALUES (%s, %s, (SELECT coalesce(max(position), 0) + 10 FROM " table ")" ins_val ") " \
      "ON CONFLICT DO NOTHING" },                                                       \
    { "iv_refs_" name "_edit",                                                          \
      "UPDATE " table " SET label = %s" upd " WHERE code = %s" },                       \
    { "iv_refs_" name "_set_active",                                                    \
      "UPDATE " table " SET active = %s::boolean "                                      \
      "WHERE code = %s AND active <> %s::boolean" },                                    \
    { "iv_refs_" name "_lock",                                                          \
      "SELECT code FROM " table " FOR UPDATE" },                                        \
    { "iv_refs_" name "_renumber",                                                      \
      "UPDATE " table " SET position = n.rank * 10 "                                    \
      "FROM (SELECT r.code, row_number() OVER (" ORDER ") AS rank FROM " table " r) AS n " \
      "WHERE " table ".code = n.code AND " table ".position <> n.rank * 10" },          \
    /* swaps with the neighbour above (%d = -1) or below (+1) */                        \
    { "iv_refs_" name "_move",                                                          \
      "WITH me AS (SELECT code, position FROM " table " WHERE code = %s), "             \
      "nb AS (SELECT r.code, r.position FROM " table " r, me "                          \
      "       WHERE (r.position - me.position) * %d > 0 "                               \
      "       ORDER BY (r.position - me.position) * %d LIMIT 1) "                       \
      "UPDATE " table " SET position = CASE WHEN " table ".code = me.code "             \
      "THEN nb.position ELSE me.position END "                                          \
      "FROM me, nb WHERE " table ".code IN (me.code, nb.code)" }

const iv_statement iv_refs_statements[] = {
    REF_STATEMENTS("origines", "origins",           USED_AS("origin_code"),  EXTRA_NONE),
    REF_STATEMENTS("natures",  "requester_natures", USED_AS("nature_code"),  EXTRA_FLAG("is_institution")),
    REF_STATEMENTS("titres",   "titles",            USED_AS("title_code"),   EXTRA_NONE),
    REF_STATEMENTS("objets",   "objects",           USED_AS("object_code"),  EXTRA_NONE),
    REF_STATEMENTS("equipes",  "teams",             USED_AS("team_code"),    EXTRA_NONE),
    REF_STATEMENTS("communes", "communes",          USED_AS("commune_code"), EXTRA_FLAG("in_territory")),
    REF_STATEMENTS("agents",   "agents",            USED_BY_AGENTS,          EXTRA_TEAM),
    { NULL, NULL }
};

/* ---------------------------------------------------------------- helpers */

const iv_ref_list *iv_refs_find(const char *name)
{
    for (size_t i = 0; name && i < iv_ref_lists_count; i++)
        if (strcmp(iv_ref_lists[i].name, name) == 0)
            return &iv_ref_lists[i];
    return NULL;
}

/* Label of a list's statement; the name comes from iv_ref_lists, never from input. */
static const char *label_of(iv_req *rq, const iv_ref_list *list, const char *operation)
{
    return apr_pstrcat(rq->r->pool, "iv_refs_", list->name, "_", operation, NULL);
}

/* args holds three arguments, the extra column's value at index at: lists
 * without that column drop it. Returns how many remain. */
static int drop_extra(const iv_ref_list *list, const char **args, int at)
{
    if (list->extra != IV_REF_EXTRA_NONE)
        return 3;
    memmove(args + at, args + at + 1, (size_t)(2 - at) * sizeof *args);
    return 2;
}

static iv_ref_value *read_value(iv_req *rq, apr_dbd_row_t *row, int with_uses)
{
    iv_ref_value *v = apr_pcalloc(rq->r->pool, sizeof *v);
    const char *active = iv_db_value(rq, row, 3);
    v->code = iv_db_value(rq, row, 0);
    v->label = iv_db_value(rq, row, 1);
    v->position = iv_db_value(rq, row, 2);
    v->active = active && active[0] == 't';
    v->extra = iv_db_value(rq, row, 4);
    v->extra_label = iv_db_value(rq, row, 5);
    v->uses = with_uses ? iv_db_value(rq, row, 6) : "0";
    return v;
}

/* Runs a statement returning values and collects them (read to the end). */
static int select_values(iv_req *rq, const char *label, int with_uses,
                         apr_array_header_t **values, int nargs, const char *const *args)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int rv = iv_db_select(rq, label, &res, nargs, args);

    *values = apr_array_make(rq->r->pool, 16, sizeof(iv_ref_value *));
    if (rv != 0)
        return rv;
    while (iv_db_next(rq, res, &row))
        APR_ARRAY_PUSH(*values, iv_ref_value *) = read_value(rq, row, with_uses);
    return 0;
}

/* ---------------------------------------------------------------- reading */

int iv_refs_counts(iv_req *rq, const iv_ref_list *list, int *active, int *total)
{
    const char **v;
    int rv = iv_db_select_row(rq, label_of(rq, list, "count"), &v, IV_NO_ARGS);
    *active = rv == 0 && v ? atoi(v[0]) : 0;
    *total = rv == 0 && v ? atoi(v[1]) : 0;
    return rv;
}

int iv_refs_all(iv_req *rq, const iv_ref_list *list, apr_array_header_t **values)
{
    return select_values(rq, label_of(rq, list, "all"), 1, values, IV_NO_ARGS);
}

int iv_refs_active(iv_req *rq, const char *name, const char *keep, apr_array_header_t **values)
{
    const iv_ref_list *list = iv_refs_find(name);
    if (!list) {
        *values = apr_array_make(rq->r->pool, 0, sizeof(iv_ref_value *));
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV01101: no reference list %s", name);
        return -1;
    }
    return select_values(rq, label_of(rq, list, "active"), 0, values, IV_ARGS(keep));
}

/* ---------------------------------------------------------------- changing */

int iv_refs_lock_value(iv_req *rq, const iv_ref_list *list, const char *code,
                       iv_ref_value **value)
{
    apr_array_header_t *found;
    int rv = select_values(rq, label_of(rq, list, "get"), 0, &found, IV_ARGS(code));
    *value = rv == 0 && found->nelts ? APR_ARRAY_IDX(found, 0, iv_ref_value *) : NULL;
    return rv;
}

int iv_refs_clash(iv_req *rq, const iv_ref_list *list, const char *code, const char *label,
                  const char *other_than, int *code_taken, int *label_taken)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    const char *label_arg = list->unique_label ? label : NULL;
    int rv = iv_db_select(rq, label_of(rq, list, "clash"), &res,
                          IV_ARGS(code, code, label_arg, other_than ? other_than : ""));

    *code_taken = *label_taken = 0;
    if (rv != 0)
        return rv;
    while (iv_db_next(rq, res, &row)) {
        const char *same_code = iv_db_value(rq, row, 0);
        if (same_code && same_code[0] == 't')
            *code_taken = 1;
        else
            *label_taken = 1;
    }
    return 0;
}

int iv_refs_insert(iv_req *rq, const iv_ref_list *list, const char *code, const char *label,
                   const char *extra, int *inserted)
{
    const char *args[] = { code, label, extra };
    return iv_db_exec(rq, label_of(rq, list, "add"), inserted, drop_extra(list, args, 2), args);
}

int iv_refs_update(iv_req *rq, const iv_ref_list *list, const char *code, const char *label,
                   const char *extra)
{
    const char *args[] = { label, extra, code };
    return iv_db_exec(rq, label_of(rq, list, "edit"), NULL, drop_extra(list, args, 1), args);
}

int iv_refs_set_active(iv_req *rq, const iv_ref_list *list, const char *code, int active,
                       int *changed)
{
    const char *flag = active ? "true" : "false";
    return iv_db_exec(rq, label_of(rq, list, "set_active"), changed, IV_ARGS(flag, code, flag));
}

/* Locks the whole list first: two admins moving values at once would otherwise
 * renumber from each other's half-done orders. */
int iv_refs_move(iv_req *rq, const iv_ref_list *list, const char *code, int direction,
                 int *moved)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    const char *dir = direction < 0 ? "-1" : "1";
    int rv = iv_db_select(rq, label_of(rq, list, "lock"), &res, IV_NO_ARGS);

    *moved = 0;
    if (rv != 0)
        return rv;
    while (iv_db_next(rq, res, &row))
        ;
    if ((rv = iv_db_exec(rq, label_of(rq, list, "renumber"), NULL, IV_NO_ARGS)) != 0)
        return rv;
    return iv_db_exec(rq, label_of(rq, list, "move"), moved, IV_ARGS(code, dir, dir));
}
