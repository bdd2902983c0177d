/*
 * store_interventions.c — requests: create with their yearly number, read, edit
 * with a version check, change status, and their history.
 *
 * Field values travel as apr tables keyed by the form's field names (see
 * request_fields.c); dates as canonical "AAAA-MM-JJ HH:MM" in Paris time (the
 * database's time zone).
 */
#include "httpd.h"
#include <string.h>
#include "apr_strings.h"
#include "store_interventions.h"

#define DT(col) "coalesce(to_char(" col ", 'YYYY-MM-DD HH24:MI'), '')"

/* A reference label by scalar subquery rather than by join: the database plans every
 * statement afresh (plan_cache_mode = force_custom_plan, sql/004), and a ten-table
 * join cost ~3 ms of planning per request page, the subqueries ~0.2 ms (bench/). Each
 * code column is a foreign key to the list, so the subquery finds what the join did. */
#define LABEL(table, col) "(SELECT x.label FROM " table " x WHERE x.code = i." col ")"

/* Columns of iv_req_get, in the order of request_fields.c, then the rest. */
#define REQUEST_COLUMNS \
    "i.origin_code, " DT("i.received_at") ", i.nature_code, coalesce(i.title_code, ''), " \
    "i.requester_name, i.address, i.commune_code, i.phone, i.email, i.address_complement, " \
    "i.object_code, i.object_complement, coalesce(i.team_code, ''), " DT("i.transmitted_at") ", " \
    DT("i.started_at") ", " DT("i.ended_at") ", i.comment, coalesce(i.latitude::text, ''), " \
    "coalesce(i.longitude::text, ''), coalesce(i.done_by, ''), coalesce(i.closed_by, ''), " \
    "i.id, i.year, i.number, i.version, i.status, " LABEL("statuses", "status") ", " \
    DT("i.planned_at") ", coalesce(i.assigned_agent, ''), i.status_reason, i.updated_by_name, " \
    "to_char(i.updated_at, 'HH24:MI'), to_char(i.updated_at, 'DD/MM/YYYY'), " \
    LABEL("origins", "origin_code") ", " LABEL("requester_natures", "nature_code") ", " \
    "coalesce(" LABEL("titles", "title_code") ", ''), " LABEL("communes", "commune_code") ", " \
    LABEL("objects", "object_code") ", coalesce(" LABEL("teams", "team_code") ", ''), " \
    "coalesce(" LABEL("agents", "done_by") ", ''), coalesce(" LABEL("agents", "closed_by") ", ''), " \
    "coalesce(" LABEL("agents", "assigned_agent") ", '')"

/* Index of the first column after the form fields, and of the labels. */
enum {
    COL_ID = 21, COL_YEAR, COL_NUMBER, COL_VERSION, COL_STATUS, COL_STATUS_LABEL,
    COL_PLANNED, COL_ASSIGNED, COL_REASON, COL_UPDATED_BY, COL_UPDATED_TIME,
    COL_UPDATED_DATE, COL_LABELS
};

/* Fields with a reference label column after COL_LABELS, in that order. */
static const char *const labelled_fields[] = {
    "origine", "nature", "titre", "ville", "objet", "equipe", "realisee_par", "cloturee_par",
    "agent_assigne"
};

#define FIELD_PARAMS \
    "%s, %s::timestamptz, %s, nullif(%s, ''), %s, %s, %s, %s, %s, %s, %s, %s, nullif(%s, ''), " \
    "nullif(%s, '')::timestamptz, nullif(%s, '')::timestamptz, nullif(%s, '')::timestamptz, %s, " \
    "nullif(%s, '')::double precision, nullif(%s, '')::double precision, nullif(%s, ''), " \
    "nullif(%s, '')"

const iv_statement iv_request_statements[] = {
    { "iv_req_get", "SELECT " REQUEST_COLUMNS " FROM interventions i WHERE i.id = %s::bigint" },
    { "iv_req_get_many", "SELECT " REQUEST_COLUMNS " FROM interventions i"
                         " WHERE i.id = ANY (string_to_array(%s, ',')::bigint[])" },
    /* The counter row is locked until commit: numbers per year have no gap and
     * no duplicate however many agents create at once. */
    { "iv_req_insert",
      "WITH n AS (INSERT INTO year_counters (year, last_number) "
      "  VALUES (extract(year FROM %s::timestamptz)::int, 1) "
      "  ON CONFLICT (year) DO UPDATE SET last_number = year_counters.last_number + 1 "
      "  RETURNING year, last_number) "
      "INSERT INTO interventions (year, number, origin_code, received_at, nature_code, "
      " title_code, requester_name, address, commune_code, phone, email, address_complement, "
      " object_code, object_complement, team_code, transmitted_at, started_at, ended_at, "
      " comment, latitude, longitude, done_by, closed_by, created_by, updated_by, "
      " updated_by_name) "
      "SELECT n.year, n.last_number, " FIELD_PARAMS ", %s, %s, %s FROM n "
      "RETURNING id, year, number" },
    { "iv_req_update",
      "UPDATE interventions SET (origin_code, received_at, nature_code, title_code, "
      " requester_name, address, commune_code, phone, email, address_complement, object_code, "
      " object_complement, team_code, transmitted_at, started_at, ended_at, comment, latitude, "
      " longitude, done_by, closed_by) = (" FIELD_PARAMS "), version = version + 1, "
      " updated_at = now(), updated_by = %s, updated_by_name = %s "
      "WHERE id = %s::bigint AND version = %d RETURNING version" },
    { "iv_req_set_status",
      "UPDATE interventions SET status = %s, "
      " team_code = coalesce(nullif(%s, ''), team_code), "
      " transmitted_at = coalesce(nullif(%s, '')::timestamptz, transmitted_at), "
      " planned_at = coalesce(nullif(%s, '')::timestamptz, planned_at), "
      " started_at = coalesce(nullif(%s, '')::timestamptz, started_at), "
      " ended_at = coalesce(nullif(%s, '')::timestamptz, ended_at), "
      " comment = coalesce(nullif(%s, ''), comment), "
      " done_by = coalesce(nullif(%s, ''), done_by), "
      " closed_by = coalesce(nullif(%s, ''), closed_by), "
      " status_reason = %s, version = version + 1, updated_at = now(), updated_by = %s, "
      " updated_by_name = %s "
      "WHERE id = %s::bigint AND version = %d RETURNING version" },
    { "iv_history_add",
      "INSERT INTO intervention_history (intervention_id, login, display_name, kind, field, "
      " old_value, new_value, reason) VALUES (%s::bigint, %s, %s, %s, %s, %s, %s, %s)" },
    { "iv_history_list",
      "SELECT to_char(at, 'DD/MM/YYYY'), to_char(at, 'HH24:MI'), display_name, kind, field, "
      " old_value, new_value, reason FROM intervention_history "
      "WHERE intervention_id = %s::bigint ORDER BY id" },
    { "iv_agent_team", "SELECT coalesce(team_code, '') FROM agents WHERE code = %s" },
    { "iv_agent_exists", "SELECT 1 FROM agents WHERE code = %s" },
    { "iv_status_label", "SELECT lower(label) FROM statuses WHERE code = %s" },
    { "iv_clock",
      "SELECT to_char(now(), 'YYYY-MM-DD HH24:MI'), "
      " nullif(%s, '')::timestamptz > now() + interval '5 minutes'" },
    /* The choices of the form: active values, plus the ones the request already
     * uses (a deactivated value still shows on an old request). */
    { "iv_form_choices",
      "SELECT list, code, label, flag FROM ("
      " SELECT 'origine' AS list, code, label, '' AS flag, position FROM origins "
      "  WHERE active OR code = %s"
      " UNION ALL SELECT 'nature', code, label, CASE WHEN is_institution THEN 'institution' "
      "  ELSE '' END, position FROM requester_natures WHERE active OR code = %s"
      " UNION ALL SELECT 'titre', code, label, '', position FROM titles WHERE active OR code = %s"
      " UNION ALL SELECT 'ville', code, label, CASE WHEN in_territory THEN '' ELSE 'hors' END, "
      "  position FROM communes WHERE active OR code = %s"
      " UNION ALL SELECT 'objet', code, label, '', position FROM objects WHERE active OR code = %s"
      " UNION ALL SELECT 'equipe', code, label, '', position FROM teams WHERE active OR code = %s"
      " UNION ALL SELECT 'agent', code, label, coalesce(team_code, ''), position FROM agents "
      "  WHERE active OR code = %s OR code = %s"
      ") x ORDER BY list, position, label" },
    /* The field agent's list: his or his team's requests still to do. */
    { "iv_mine",
      "SELECT i.id, i.year || ' / ' || i.number, i.status, st.label, i.version, "
      " to_char(i.received_at, 'DD/MM/YYYY'), i.address, c.label, ob.label, i.object_complement, "
      " coalesce(to_char(i.planned_at, 'DD/MM/YYYY HH24:MI'), ''), "
      " coalesce(to_char(i.started_at, 'DD/MM/YYYY HH24:MI'), ''), i.phone, i.requester_name "
      "FROM interventions i JOIN statuses st ON st.code = i.status "
      " JOIN communes c ON c.code = i.commune_code JOIN objects ob ON ob.code = i.object_code "
      "WHERE i.status IN ('transmise', 'planifiee', 'en_cours') "
      " AND (i.assigned_agent = %s OR (%s <> '' AND i.team_code = %s)) "
      "ORDER BY i.status = 'en_cours' DESC, i.planned_at NULLS LAST, i.received_at, i.id "
      "LIMIT 200" },
    { NULL, NULL }
};

/* ---------------------------------------------------------------- reading */

static iv_request *request_from_row(iv_req *rq, const char **v)
{
    apr_pool_t *p = rq->r->pool;
    iv_request *req = apr_pcalloc(p, sizeof *req);
    size_t n;
    const iv_field *fields = iv_request_fields(&n);

    req->values = apr_table_make(p, 32);
    req->labels = apr_table_make(p, 16);
    for (size_t i = 0; i < n; i++)
        apr_table_setn(req->values, fields[i].name, v[i] ? v[i] : "");
    req->id = v[COL_ID];
    req->year = v[COL_YEAR];
    req->number = v[COL_NUMBER];
    req->version = v[COL_VERSION];
    req->status = v[COL_STATUS];
    req->status_label = v[COL_STATUS_LABEL];
    req->planned_at = v[COL_PLANNED];
    req->assigned_agent = v[COL_ASSIGNED];
    req->status_reason = v[COL_REASON];
    req->updated_by = v[COL_UPDATED_BY];
    req->updated_time = v[COL_UPDATED_TIME];
    req->updated_date = v[COL_UPDATED_DATE];
    for (size_t i = 0; i < sizeof labelled_fields / sizeof *labelled_fields; i++)
        apr_table_setn(req->labels, labelled_fields[i], v[COL_LABELS + i] ? v[COL_LABELS + i] : "");
    return req;
}

int iv_request_get(iv_req *rq, const char *id, iv_request **req)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_req_get", &v, IV_ARGS(id));
    *req = rv == 0 && v ? request_from_row(rq, v) : NULL;
    return rv;
}

int iv_request_get_many(iv_req *rq, const char *ids, apr_hash_t **by_id)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int rv = iv_db_select(rq, "iv_req_get_many", &res, IV_ARGS(ids));

    *by_id = apr_hash_make(rq->r->pool);
    if (rv != 0)
        return rv;
    while (iv_db_next(rq, res, &row)) {
        int ncols = apr_dbd_num_cols(rq->db->driver, res);
        const char **v = apr_pcalloc(rq->r->pool, (size_t)(ncols + 1) * sizeof *v);
        for (int c = 0; c < ncols; c++)
            v[c] = iv_db_value(rq, row, c);
        iv_request *req = request_from_row(rq, v);
        apr_hash_set(*by_id, req->id, APR_HASH_KEY_STRING, req);
    }
    return 0;
}

/* ---------------------------------------------------------------- writing */

/* The form values in the order of FIELD_PARAMS, followed by extra. */
static const char **field_args(iv_req *rq, apr_table_t *clean, int extra, int *count)
{
    size_t n;
    const iv_field *fields = iv_request_fields(&n);
    const char **args = apr_pcalloc(rq->r->pool, (n + (size_t)extra + 1) * sizeof *args);

    for (size_t i = 0; i < n; i++) {
        const char *v = apr_table_get(clean, fields[i].name);
        args[i] = v ? v : "";
    }
    *count = (int)n + extra;
    return args;
}

int iv_request_insert(iv_req *rq, apr_table_t *clean, const char **id, const char **year,
                      const char **number)
{
    int nargs;
    const char **args = field_args(rq, clean, 3, &nargs);
    const char **all = apr_pcalloc(rq->r->pool, (size_t)(nargs + 1) * sizeof *all);
    const char **v;
    int rv;

    /* first parameter: the date the year comes from */
    all[0] = apr_table_get(clean, "date_recue");
    memcpy(all + 1, args, (size_t)(nargs - 3) * sizeof *all);
    all[nargs - 2] = rq->user->login;
    all[nargs - 1] = rq->user->login;
    all[nargs] = rq->user->display_name;
    rv = iv_db_select_row(rq, "iv_req_insert", &v, nargs + 1, all);
    if (rv == 0 && !v)
        rv = -1;
    if (rv == 0) {
        *id = v[0];
        *year = v[1];
        *number = v[2];
    }
    return rv;
}

int iv_request_update(iv_req *rq, const char *id, const char *version, apr_table_t *clean,
                      int *updated)
{
    int nargs;
    const char **args = field_args(rq, clean, 4, &nargs), **v;
    int rv;

    args[nargs - 4] = rq->user->login;
    args[nargs - 3] = rq->user->display_name;
    args[nargs - 2] = id;
    args[nargs - 1] = version;
    rv = iv_db_select_row(rq, "iv_req_update", &v, nargs, args);
    *updated = rv == 0 && v != NULL;
    return rv;
}

int iv_request_set_status(iv_req *rq, const char *id, const char *version,
                          const iv_status_change *c, int *updated)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_req_set_status", &v,
                              IV_ARGS(c->status, c->team, c->transmitted_at, c->planned_at,
                                      c->started_at, c->ended_at, c->comment, c->done_by,
                                      c->closed_by, c->reason, rq->user->login,
                                      rq->user->display_name, id, version));
    *updated = rv == 0 && v != NULL;
    return rv;
}

int iv_history_add(iv_req *rq, const char *id, const char *kind, const char *field,
                   const char *old_value, const char *new_value, const char *reason)
{
    return iv_db_exec(rq, "iv_history_add", NULL,
                      IV_ARGS(id, rq->user->login, rq->user->display_name, kind, field,
                              old_value ? old_value : "", new_value ? new_value : "",
                              reason ? reason : ""));
}

int iv_history_list(iv_req *rq, const char *id, apr_dbd_results_t **res)
{
    return iv_db_select(rq, "iv_history_list", res, IV_ARGS(id));
}

/* ---------------------------------------------------------------- helpers */

int iv_agent_team(iv_req *rq, const char *login, const char **team)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_agent_team", &v, IV_ARGS(login));
    *team = rv == 0 && v ? v[0] : "";
    return rv;
}

int iv_agent_exists(iv_req *rq, const char *code, int *exists)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_agent_exists", &v, IV_ARGS(code));
    *exists = rv == 0 && v != NULL;
    return rv;
}

int iv_status_label(iv_req *rq, const char *code, const char **label)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_status_label", &v, IV_ARGS(code));
    *label = rv == 0 && v ? v[0] : code;
    return rv;
}

int iv_clock(iv_req *rq, const char *when, const char **now, int *in_future)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_clock", &v, IV_ARGS(when ? when : ""));
    *now = rv == 0 && v ? v[0] : "";
    *in_future = rv == 0 && v && v[1] && v[1][0] == 't';
    return rv;
}

int iv_form_choices(iv_req *rq, apr_table_t *current, apr_array_header_t **choices)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    const char *cur[8];
    const char *names[] = { "origine", "nature", "titre", "ville", "objet", "equipe",
                            "realisee_par", "cloturee_par" };
    int rv;

    for (int i = 0; i < 8; i++) {
        const char *v = current ? apr_table_get(current, names[i]) : NULL;
        cur[i] = v ? v : "";
    }
    rv = iv_db_select(rq, "iv_form_choices", &res,
                      IV_ARGS(cur[0], cur[1], cur[2], cur[3], cur[4], cur[5], cur[6], cur[7]));
    if (rv != 0)
        return rv;
    *choices = apr_array_make(rq->r->pool, 64, sizeof(iv_choice));
    while (iv_db_next(rq, res, &row)) {
        iv_choice *c = apr_array_push(*choices);
        c->list = iv_db_value(rq, row, 0);
        c->code = iv_db_value(rq, row, 1);
        c->label = iv_db_value(rq, row, 2);
        c->flag = iv_db_value(rq, row, 3);
    }
    return 0;
}

const iv_choice *iv_choice_find(const apr_array_header_t *choices, const char *list,
                                const char *code)
{
    for (int i = 0; choices && i < choices->nelts; i++) {
        const iv_choice *c = &APR_ARRAY_IDX(choices, i, iv_choice);
        if (strcmp(c->list, list) == 0 && strcmp(c->code, code) == 0)
            return c;
    }
    return NULL;
}

int iv_requests_mine(iv_req *rq, const char *team, apr_dbd_results_t **res)
{
    return iv_db_select(rq, "iv_mine", res, IV_ARGS(rq->user->login, team, team));
}
