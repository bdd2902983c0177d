/*
 * session.h — who is signed in: the session cookie, checked against the
 * sessions table on every request; nothing kept in process memory.
 */
#ifndef IV_SESSION_H
#define IV_SESSION_H

#include "iv.h"

#define IV_SESSION_COOKIE "iv_session"

/* Sets rq->user from a valid session cookie (left NULL otherwise; then
 * rq->session_was_presented tells whether a cookie came). Returns OK, or
 * HTTP_SERVICE_UNAVAILABLE / HTTP_INTERNAL_SERVER_ERROR on database trouble. */
int iv_session_resume(iv_req *rq);

/* Opens a session for user with a fresh id and CSRF token (the old session, if
 * any, is deleted first: a new id at every login). Sets the cookie and rq->user.
 * Returns OK or an HTTP error status. */
int iv_session_open(iv_req *rq, iv_user *user);

/* Deletes the current session and its cookie. Returns OK or an error status. */
int iv_session_close(iv_req *rq);

#endif
