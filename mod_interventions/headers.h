/*
 * headers.h — the security headers every response of the module carries.
 */
#ifndef IV_HEADERS_H
#define IV_HEADERS_H

#include "apr_tables.h"

#define IV_CSP "default-src 'none'; script-src 'self'; style-src 'self'; " \
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; " \
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/* Sets the security headers in t (use r->err_headers_out so that error and
 * redirect responses carry them too). With no_store, pages are not cached
 * (authenticated pages and forms carrying tokens). */
void iv_security_headers(apr_table_t *t, int no_store);

/* A Set-Cookie value: name=value; Path=path; HttpOnly; SameSite=same_site
 * [; Secure] [; Max-Age=0 when value is empty, to delete it]. */
const char *iv_cookie_header(apr_pool_t *pool, const char *name, const char *value,
                             const char *path, const char *same_site, int secure);

/* A Content-Disposition value for a file name from users (RFC 6266 / 5987):
 * disposition; filename="ASCII fallback"; filename*=UTF-8''percent-encoded. */
const char *iv_content_disposition(apr_pool_t *pool, const char *disposition,
                                   const char *filename);

#endif
