/*
 * http_util.h — responses the handlers share: error pages, redirects, cookies.
 * Each returns the value the handler should return (OK once a page is sent).
 */
#ifndef IV_HTTP_UTIL_H
#define IV_HTTP_UTIL_H

#include "iv.h"

/* The French error page for status, its texts under catalogue key (error.*). */
int iv_error_page(iv_req *rq, int status, const char *key);

/* A 500 page with a fresh incident id; the id and cause go to the error log. */
int iv_fail(iv_req *rq, const char *cause);

/* The 503 page for an unreachable database. */
int iv_db_unavailable(iv_req *rq);

/* 303 See Other to location (an absolute path): the answer to a POST. */
int iv_redirect(iv_req *rq, const char *location);

/* A redirect with another status (302 for a GET sent to the login form). */
int iv_redirect_with(iv_req *rq, int status, const char *location);

/* Value of a request cookie, or NULL. */
const char *iv_cookie_get(iv_req *rq, const char *name);

/* Sets (or, with value "", deletes) a cookie scoped to the mount point. */
void iv_cookie_set(iv_req *rq, const char *name, const char *value, const char *same_site);

/* 1 when the client reached us over TLS or InterventionsCookieSecure is On. */
int iv_secure_transport(iv_req *rq);

#endif
