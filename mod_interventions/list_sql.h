/*
 * list_sql.h — the SQL of the list page, as constant fragments.
 *
 * store_list.c builds its statement table from these macros, and
 * bench/list/dump-sql.c prints the very same text for pgbench: what is measured is
 * what runs. Nothing here is ever combined with user input; ORDER BY cannot be a
 * parameter, so each sort column and direction is a statement of its own.
 *
 * Every statement starts with the one-row CTE "p" that names the filter values, so
 * the filter clause refers to them by name, as often as it needs. It is NOT
 * MATERIALIZED: the planner pulls it up, and with plan_cache_mode =
 * force_custom_plan (sql/004) each execution is planned with the values known, so an
 * empty filter "(p.commune = '' OR ...)" folds away and the filters given pick their
 * index. LIMIT and OFFSET stay plain placeholders at the end: a limit read from "p"
 * would be unknown to the planner, which would then sort whole result sets.
 *
 * Placeholders, in order (all text, "" = no filter):
 *   IV_LIST_NFILTERS filter values, see enum iv_list_param in list_query.h;
 *   then (limit, offset) pairs: IV_LIST_PAIRS_* of the statement (the grouped sorts
 *   repeat the pair for their per-group limit).
 */
#ifndef IV_LIST_SQL_H
#define IV_LIST_SQL_H

#define IV_LIST_PARAMS \
    "WITH p AS NOT MATERIALIZED (SELECT %s::text AS scope, %s::text AS communes, " \
    "%s::text AS login, %s::text AS q, %s::text AS num, %s::text AS yr, " \
    "%s::text AS statuses, %s::text AS commune, %s::text AS object, %s::text AS team, " \
    "%s::text AS agent, %s::text AS origin, %s::text AS date_from, %s::text AS date_to) "

#define IV_LIST_NFILTERS 14

/* The same values, as indexes into the argument array of every statement. */
enum iv_list_param {
    IV_LIST_SCOPE, IV_LIST_COMMUNES, IV_LIST_LOGIN, IV_LIST_Q, IV_LIST_NUM, IV_LIST_YEAR,
    IV_LIST_STATUSES, IV_LIST_COMMUNE, IV_LIST_OBJECT, IV_LIST_TEAM, IV_LIST_AGENT,
    IV_LIST_ORIGIN, IV_LIST_FROM, IV_LIST_TO
};

/* The perimeter comes from the session, never from the form: everything for the
 * office roles ("all"); the communes of a lecteur; the team of an intervenant (his
 * agents row) and what is assigned to him. A user with several roles sees the union. */
#define IV_LIST_PERIMETER \
    "(p.scope = 'all'" \
    " OR (p.communes <> '' AND i.commune_code = ANY (string_to_array(p.communes, ',')))" \
    " OR (p.login <> '' AND (i.assigned_agent = p.login" \
    "     OR i.team_code = (SELECT a.team_code FROM agents a WHERE a.code = p.login))))"

/* Free text, or a request number: "58" is both a word and a number (any year);
 * "2026 / 58" is only a number (the handler leaves q empty then). */
#define IV_LIST_FILTER \
    IV_LIST_PERIMETER \
    " AND ((p.q = '' AND p.num = '')" \
    "  OR (p.q <> '' AND i.search @@ websearch_to_tsquery('iv_french', p.q))" \
    "  OR (p.num <> '' AND i.number = NULLIF(p.num, '')::int" \
    "      AND (p.yr = '' OR i.year = NULLIF(p.yr, '')::int)))" \
    " AND (p.statuses = '' OR i.status = ANY (string_to_array(p.statuses, ',')))" \
    " AND (p.commune = '' OR i.commune_code = p.commune)" \
    " AND (p.object = '' OR i.object_code = p.object)" \
    " AND (p.team = '' OR i.team_code = p.team)" \
    " AND (p.agent = '' OR i.done_by = p.agent OR i.assigned_agent = p.agent)" \
    " AND (p.origin = '' OR i.origin_code = p.origin)" \
    " AND (p.date_from = '' OR i.received_at >= NULLIF(p.date_from, '')::date)" \
    " AND (p.date_to = '' OR i.received_at < NULLIF(p.date_to, '')::date + 1)"

/* Columns of a row; labels are looked up in the reference lists by the handler.
 * The time separator is quoted text for to_char ('HH24":"MI'): pgbench would take
 * the ":MI" of 'HH24:MI' for one of its variables. */
#define IV_LIST_COLUMNS \
    "i.id, i.year, i.number, to_char(i.received_at, 'DD/MM/YYYY HH24\":\"MI') AS received, " \
    "i.title_code, i.requester_name, i.address, i.commune_code, i.object_code, " \
    "i.team_code, i.status"
#define IV_LIST_NCOLUMNS 11

/* Capped count: exact up to the cap, "more than" beyond (the limit is cap + 1). */
#define IV_LIST_COUNT_SQL \
    IV_LIST_PARAMS \
    "SELECT count(*) FROM (SELECT 1 FROM p, interventions i WHERE " IV_LIST_FILTER \
    " LIMIT %d) c"

/* The planner's estimate of the same selection, without running it: EXPLAIN of a
 * prepared statement plans with the values bound (PostgreSQL folds them as
 * constants), so an absent filter vanishes and the statistics of the given ones
 * count. Read from "Plan Rows" of the JSON. */
#define IV_LIST_ESTIMATE_SQL \
    "EXPLAIN (FORMAT JSON) " IV_LIST_PARAMS \
    "SELECT 1 FROM p, interventions i WHERE " IV_LIST_FILTER

/*
 * Every row statement works in two steps: the ids of the page first, in the sort's
 * index order (an index-only scan when no filter needs another column), then those
 * rows by primary key, in the same order. Page 40 skips 975 index entries instead of
 * 975 table rows.
 */
#define IV_LIST_FETCH(ids, order) \
    "SELECT " IV_LIST_COLUMNS " FROM (" ids ") s JOIN interventions i ON i.id = s.id" \
    " ORDER BY " order

/* A sort on a column of the row: read in index order (see sql/004). */
#define IV_LIST_PAIRS_DIRECT 1
#define IV_LIST_DIRECT_SQL(order) \
    IV_LIST_PARAMS \
    IV_LIST_FETCH("SELECT i.id FROM p, interventions i WHERE " IV_LIST_FILTER \
                  " ORDER BY " order " LIMIT %d OFFSET %d", order)

/*
 * A sort on a reference label (commune, object, status): the label lives in another
 * table, so no index of interventions has that order. But the reference lists are
 * short, and for each value the index (code, received_at, id) gives its requests in
 * order: take the first offset + limit of each value, in label order, and merge.
 * A page costs (number of values) x (offset + limit) index entries at most instead
 * of sorting every matching request. Within a value: date received, then id.
 *   groups: subquery (code, k) where k is the sort key of the value
 *   column: the interventions column that holds the code
 */
#define IV_LIST_PAIRS_GROUPED 2
#define IV_LIST_GROUP_LATERAL(where, dir) \
    " CROSS JOIN LATERAL (SELECT i.received_at AS r, i.id" \
    " FROM interventions i WHERE " where " AND " IV_LIST_FILTER \
    " ORDER BY i.received_at " dir ", i.id " dir " LIMIT %d + %d) x"
#define IV_LIST_GROUP_PAGE(dir) \
    " ORDER BY k " dir ", kc " dir ", r " dir ", id " dir " LIMIT %d OFFSET %d"
#define IV_LIST_GROUP_FETCH(ids, dir) \
    "SELECT " IV_LIST_COLUMNS " FROM (" ids ") s JOIN interventions i ON i.id = s.id" \
    " ORDER BY s.k " dir ", s.kc " dir ", s.r " dir ", s.id " dir

#define IV_LIST_GROUPED_SQL(groups, column, dir) \
    IV_LIST_PARAMS \
    IV_LIST_GROUP_FETCH("SELECT g.k, g.code AS kc, x.r, x.id FROM p, " groups " g" \
                        IV_LIST_GROUP_LATERAL("i." column " = g.code", dir) \
                        IV_LIST_GROUP_PAGE(dir), dir)

/* The team may be empty (not transmitted yet): those requests form one more group,
 * after the teams in ascending order (NULLS LAST), before them in descending. */
#define IV_LIST_PAIRS_TEAM 3
#define IV_LIST_TEAM_SQL(dir) \
    IV_LIST_PARAMS \
    IV_LIST_GROUP_FETCH("SELECT * FROM (SELECT g.k, g.code AS kc, x.r, x.id" \
                        " FROM p, " IV_LIST_LABEL_GROUPS("teams") " g" \
                        IV_LIST_GROUP_LATERAL("i.team_code = g.code", dir) \
                        " UNION ALL SELECT NULL, NULL, x.r, x.id FROM p" \
                        IV_LIST_GROUP_LATERAL("i.team_code IS NULL", dir) ") u" \
                        IV_LIST_GROUP_PAGE(dir), dir)

/* Labels sort as French readers expect (collation iv_fr, sql/004). */
#define IV_LIST_LABEL_GROUPS(table) \
    "(SELECT code, label COLLATE iv_fr AS k FROM " table ")"
/* Statuses sort in workflow order, not alphabetically. */
#define IV_LIST_STATUS_GROUPS "(SELECT code, position AS k FROM statuses)"

/* One entry per sort column and direction (order of enum iv_list_sort_key). */
#define IV_LIST_ROW_STATEMENTS(X) \
    X("iv_list_date_asc", IV_LIST_DIRECT_SQL("i.received_at, i.id"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_date_desc", IV_LIST_DIRECT_SQL("i.received_at DESC, i.id DESC"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_number_asc", IV_LIST_DIRECT_SQL("i.year, i.number"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_number_desc", IV_LIST_DIRECT_SQL("i.year DESC, i.number DESC"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_name_asc", IV_LIST_DIRECT_SQL( \
        "i.requester_name COLLATE iv_fr, i.id"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_name_desc", IV_LIST_DIRECT_SQL( \
        "i.requester_name COLLATE iv_fr DESC, i.id DESC"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_address_asc", IV_LIST_DIRECT_SQL( \
        "i.address COLLATE iv_fr, i.id"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_address_desc", IV_LIST_DIRECT_SQL( \
        "i.address COLLATE iv_fr DESC, i.id DESC"), IV_LIST_PAIRS_DIRECT) \
    X("iv_list_commune_asc", IV_LIST_GROUPED_SQL(IV_LIST_LABEL_GROUPS("communes"), \
        "commune_code", "ASC"), IV_LIST_PAIRS_GROUPED) \
    X("iv_list_commune_desc", IV_LIST_GROUPED_SQL(IV_LIST_LABEL_GROUPS("communes"), \
        "commune_code", "DESC"), IV_LIST_PAIRS_GROUPED) \
    X("iv_list_object_asc", IV_LIST_GROUPED_SQL(IV_LIST_LABEL_GROUPS("objects"), \
        "object_code", "ASC"), IV_LIST_PAIRS_GROUPED) \
    X("iv_list_object_desc", IV_LIST_GROUPED_SQL(IV_LIST_LABEL_GROUPS("objects"), \
        "object_code", "DESC"), IV_LIST_PAIRS_GROUPED) \
    X("iv_list_team_asc", IV_LIST_TEAM_SQL("ASC"), IV_LIST_PAIRS_TEAM) \
    X("iv_list_team_desc", IV_LIST_TEAM_SQL("DESC"), IV_LIST_PAIRS_TEAM) \
    X("iv_list_status_asc", IV_LIST_GROUPED_SQL(IV_LIST_STATUS_GROUPS, "status", "ASC"), \
        IV_LIST_PAIRS_GROUPED) \
    X("iv_list_status_desc", IV_LIST_GROUPED_SQL(IV_LIST_STATUS_GROUPS, "status", "DESC"), \
        IV_LIST_PAIRS_GROUPED)

/* Every reference list the page shows or filters on, in one round trip; deactivated
 * values too, since old requests still name them. */
#define IV_LIST_REFS_SQL \
    "SELECT 'commune', code, label, active, NOT in_territory, position FROM communes" \
    " UNION ALL SELECT 'object', code, label, active, false, position FROM objects" \
    " UNION ALL SELECT 'team', code, label, active, false, position FROM teams" \
    " UNION ALL SELECT 'origin', code, label, active, false, position FROM origins" \
    " UNION ALL SELECT 'agent', code, label, active, false, position FROM agents" \
    " UNION ALL SELECT 'status', code, label, true, false, position FROM statuses" \
    " UNION ALL SELECT 'title', code, label, active, false, position FROM titles" \
    " ORDER BY 1, 6, 3"

#endif
