/*
 * csrf.h — cross-site request forgery tokens.
 *
 * Signed-in forms carry the session's token (256 bits, in the sessions table).
 * The login form, before any session exists, uses a double-submit cookie: a
 * random token in a SameSite=Strict cookie that the form must echo.
 */
#ifndef IV_CSRF_H
#define IV_CSRF_H

#include "iv.h"

#define IV_CSRF_FIELD "csrf_token"
#define IV_LOGIN_CSRF_COOKIE "iv_login_csrf"

/* 1 when the posted csrf_token equals the session's token. */
int iv_csrf_valid(iv_req *rq);

/* The login form's token: the cookie's when well formed, else a new one (and
 * the cookie is set). NULL if the random generator fails. */
const char *iv_login_csrf_token(iv_req *rq);

/* 1 when the posted csrf_token equals the login cookie's token. */
int iv_login_csrf_valid(iv_req *rq);

#endif
