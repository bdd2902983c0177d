/*
 * ldap_filter.h — building LDAP search filters from untrusted values (RFC 4515).
 */
#ifndef IV_LDAP_FILTER_H
#define IV_LDAP_FILTER_H

#include "apr_pools.h"

/* Escapes a value for use inside an LDAP filter: '*', '(', ')', '\\', NUL and
 * every byte >= 0x80 of invalid UTF-8 are written as "\XX" (RFC 4515 §3).
 * Valid UTF-8 is kept as is. Never returns NULL. */
const char *iv_ldap_escape_filter_value(apr_pool_t *pool, const char *value);

/* Returns 1 when template holds exactly one "%s" and no other '%'. */
int iv_ldap_filter_template_valid(const char *template);

/* The template with its "%s" replaced by the escaped value. The template must be
 * valid (checked at start-up). */
const char *iv_ldap_filter_build(apr_pool_t *pool, const char *template, const char *value);



/* The DN in a canonical LDAPv3 string form (extra spaces removed), for comparing
 * group DNs case-insensitively; NULL if dn is not a valid DN. */
const char *iv_ldap_dn_normalize(apr_pool_t *pool, const char *dn);
#endif
