/*
 * stores.h — the data layer: each store file owns its SQL (one statement table)
 * and exposes functions that take plain values. All return 0 on success, or
 * non-zero after the database error has been logged.
 */
#ifndef IV_STORES_H
#define IV_STORES_H

#include "db.h"

extern const iv_statement iv_session_statements[];
extern const iv_statement iv_audit_statements[];

/* store_session.c */

/* Looks up the session whose id hashes to hash and is neither idle nor too old;
 * *user is NULL when there is none. Refreshes last_seen when it is getting old. */
int iv_session_load(iv_req *rq, const char *hash, iv_user **user);

/* Stores a new session for user under hash (user->csrf_token set by the caller). */
int iv_session_insert(iv_req *rq, const char *hash, const iv_user *user);

int iv_session_delete(iv_req *rq, const char *hash);

/* Deletes expired sessions (called now and then at login). */
int iv_session_purge(iv_req *rq);

/* Failed logins for this identifier in the last 15 minutes. */
int iv_login_failures_count(iv_req *rq, const char *login, int *count);
int iv_login_failure_record(iv_req *rq, const char *login);
int iv_login_failures_clear(iv_req *rq, const char *login);

/* store_audit.c */
int iv_audit(iv_req *rq, const char *login, const char *action, const char *detail);

/* Answers the health check: 0 when the database runs a query. */
int iv_db_ping(iv_req *rq);

#endif
