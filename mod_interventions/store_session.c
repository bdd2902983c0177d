/*
 * store_session.c — server-side sessions and failed-login counting.
 */
#include <stdlib.h>
#include "apr_strings.h"
#include "stores.h"

/* Sessions are looked up by the SHA-256 of their id (hex); intervals come in
 * seconds. last_seen is refreshed at most every "touch" seconds so a busy agent
 * does not cost a write per page. */
const iv_statement iv_session_statements[] = {
    { "iv_session_get",
      "SELECT login, display_name, roles, communes, csrf_token, "
      "       last_seen < now() - make_interval(secs => %d) "
      "  FROM sessions "
      " WHERE id_hash = decode(%s, 'hex') "
      "   AND last_seen > now() - make_interval(secs => %d) "
      "   AND created_at > now() - make_interval(secs => %d)" },
    { "iv_session_touch",
      "UPDATE sessions SET last_seen = now() WHERE id_hash = decode(%s, 'hex')" },
    { "iv_session_insert",
      "INSERT INTO sessions (id_hash, login, display_name, roles, communes, csrf_token) "
      "VALUES (decode(%s, 'hex'), %s, %s, %d, %s, %s)" },
    { "iv_session_delete",
      "DELETE FROM sessions WHERE id_hash = decode(%s, 'hex')" },
    { "iv_session_purge",
      "DELETE FROM sessions WHERE last_seen < now() - make_interval(secs => %d) "
      "OR created_at < now() - make_interval(secs => %d)" },
    { "iv_login_failures",
      "SELECT count(*) FROM login_attempts "
      " WHERE login = %s AND at > now() - interval '15 minutes'" },
    { "iv_login_failure_add",
      "INSERT INTO login_attempts (login, remote_ip) VALUES (%s, %s)" },
    { "iv_login_failures_clear",
      "DELETE FROM login_attempts WHERE login = %s" },
    { "iv_ping", "SELECT 1" },
    { NULL, NULL }
};

static const char *itoa_pool(apr_pool_t *p, long n)
{
    return apr_ltoa(p, n);
}

int iv_session_load(iv_req *rq, const char *hash, iv_user **user)
{
    apr_pool_t *p = rq->r->pool;
    int idle = rq->conf->session_idle;
    /* refresh granularity: a tenth of the idle time, at most a minute */
    int touch = idle / 10 < 60 ? idle / 10 : 60;
    const char **v;
    int rv = iv_db_select_row(rq, "iv_session_get", &v,
                              IV_ARGS(itoa_pool(p, touch), hash, itoa_pool(p, idle),
                                      itoa_pool(p, rq->conf->session_max)));
    *user = NULL;
    if (rv != 0 || !v)
        return rv;
    iv_user *u = apr_pcalloc(p, sizeof *u);
    u->login = v[0];
    u->display_name = v[1];
    u->roles = (unsigned)strtoul(v[2], NULL, 10);
    u->communes = v[3];
    u->csrf_token = v[4];
    u->session_hash = hash;
    *user = u;
    if (v[5] && v[5][0] == 't')
        return iv_db_exec(rq, "iv_session_touch", NULL, IV_ARGS(hash));
    return 0;
}

int iv_session_insert(iv_req *rq, const char *hash, const iv_user *u)
{
    return iv_db_exec(rq, "iv_session_insert", NULL,
                      IV_ARGS(hash, u->login, u->display_name,
                              itoa_pool(rq->r->pool, (long)u->roles), u->communes,
                              u->csrf_token));
}

int iv_session_delete(iv_req *rq, const char *hash)
{
    return iv_db_exec(rq, "iv_session_delete", NULL, IV_ARGS(hash));
}

int iv_session_purge(iv_req *rq)
{
    apr_pool_t *p = rq->r->pool;
    return iv_db_exec(rq, "iv_session_purge", NULL,
                      IV_ARGS(itoa_pool(p, rq->conf->session_idle),
                              itoa_pool(p, rq->conf->session_max)));
}

int iv_login_failures_count(iv_req *rq, const char *login, int *count)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_login_failures", &v, IV_ARGS(login));
    *count = (rv == 0 && v && v[0]) ? atoi(v[0]) : 0;
    return rv;
}

int iv_login_failure_record(iv_req *rq, const char *login)
{
    const char *ip = rq->r->useragent_ip ? rq->r->useragent_ip : "";
    return iv_db_exec(rq, "iv_login_failure_add", NULL, IV_ARGS(login, ip));
}

int iv_login_failures_clear(iv_req *rq, const char *login)
{
    return iv_db_exec(rq, "iv_login_failures_clear", NULL, IV_ARGS(login));
}

int iv_db_ping(iv_req *rq)
{
    const char **v;
    int rv = iv_db_select_row(rq, "iv_ping", &v, IV_NO_ARGS);
    return rv != 0 || !v;
}
