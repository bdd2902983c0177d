/*
 * auth.h — who is asking: the session cookie, or a user already authenticated
 * by another httpd module (intranet single sign-on), and where to send others.
 */
#ifndef IV_AUTH_H
#define IV_AUTH_H

#include "iv.h"

/* For routes that need a signed-in agent. Returns 1 with rq->user set; else 0
 * with *response the value the handler must return (a redirect to the login
 * form, or an error page already sent). */
int iv_authenticate(iv_req *rq, int *response);

/* 1 when target is a path of ours, safe to redirect to after login. */
int iv_safe_return(iv_req *rq, const char *target);

#endif
