#include "httpd.h"
#include <ldap.h>
#include <string.h>
#include <strings.h>
#include "apr_strings.h"
#include "http_log.h"

#include "directory.h"
#include "ldap_filter.h"

/* What the user search found. */
typedef struct {
    const char *dn;
    const char *display_name;
    apr_array_header_t *groups;   /* normalised group DNs (const char *) */
} found_user;

static apr_status_t unbind(void *ld)
{
    ldap_unbind_ext_s(ld, NULL, NULL);
    return APR_SUCCESS;
}

static void log_ldap(iv_req *rq, const char *tag, const char *what, int rc)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "%s: directory %s: %s (%d)",
                  tag, what, ldap_err2string(rc), rc);
}

static int simple_bind(LDAP *ld, const char *dn, const char *password)
{
    struct berval cred = { password ? strlen(password) : 0, (char *)(password ? password : "") };
    return ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
}

/* A connection bound as the service account (or anonymous), released with the
 * request pool. NULL when the directory cannot be used (logged). */
static LDAP *service_connection(iv_req *rq)
{
    const iv_server_conf *c = rq->conf;
    struct timeval timeout = { c->ldap_timeout, 0 };
    int version = LDAP_VERSION3, rc;
    LDAP *ld = NULL;

    if (!c->ldap_url) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00401: InterventionsLDAPURL is not set");
        return NULL;
    }
    if ((rc = ldap_initialize(&ld, c->ldap_url)) != LDAP_SUCCESS) {
        log_ldap(rq, "IV00402", "initialisation", rc);
        return NULL;
    }
    apr_pool_cleanup_register(rq->r->pool, ld, unbind, apr_pool_cleanup_null);
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);
    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    if ((rc = simple_bind(ld, c->ldap_bind_dn, c->ldap_bind_password)) != LDAP_SUCCESS) {
        log_ldap(rq, "IV00403", "service account bind", rc);
        return NULL;
    }
    return ld;
}

static void add_group(iv_req *rq, apr_array_header_t *groups, const char *dn)
{
    const char *normal = iv_ldap_dn_normalize(rq->r->pool, dn);
    if (normal)
        APR_ARRAY_PUSH(groups, const char *) = normal;
}

/* memberOf values of the user entry (Active Directory, OpenLDAP memberof). */
static void read_member_of(iv_req *rq, LDAP *ld, LDAPMessage *entry, apr_array_header_t *groups)
{
    struct berval **values = ldap_get_values_len(ld, entry, "memberOf");
    for (int i = 0; values && values[i]; i++)
        add_group(rq, groups, apr_pstrmemdup(rq->r->pool, values[i]->bv_val, values[i]->bv_len));
    ldap_value_free_len(values);
}

static const char *first_value(iv_req *rq, LDAP *ld, LDAPMessage *entry, const char *attr)
{
    struct berval **values = ldap_get_values_len(ld, entry, attr);
    const char *v = NULL;
    if (values && values[0] && values[0]->bv_len)
        v = apr_pstrmemdup(rq->r->pool, values[0]->bv_val, values[0]->bv_len);
    ldap_value_free_len(values);
    return v;
}

/* Searches the user; IV_DIR_BAD_CREDENTIALS when there is not exactly one. */
static iv_dir_status search_user(iv_req *rq, LDAP *ld, const char *login, found_user *out)
{
    char *attrs[] = { "cn", "displayName", "memberOf", NULL };
    const char *filter = iv_ldap_filter_build(rq->r->pool, rq->conf->ldap_user_filter, login);
    LDAPMessage *res = NULL, *entry;
    char *dn;
    int rc = ldap_search_ext_s(ld, rq->conf->ldap_base_dn, LDAP_SCOPE_SUBTREE, filter, attrs, 0,
                               NULL, NULL, NULL, 2, &res);

    if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
        ldap_msgfree(res);
        log_ldap(rq, "IV00404", "user search", rc);
        return IV_DIR_UNAVAILABLE;
    }
    if (ldap_count_entries(ld, res) != 1) {
        ldap_msgfree(res);
        return IV_DIR_BAD_CREDENTIALS;
    }
    entry = ldap_first_entry(ld, res);
    dn = ldap_get_dn(ld, entry);
    out->dn = apr_pstrdup(rq->r->pool, dn);
    ldap_memfree(dn);
    out->display_name = first_value(rq, ld, entry, "displayName");
    if (!out->display_name)
        out->display_name = first_value(rq, ld, entry, "cn");
    out->groups = apr_array_make(rq->r->pool, 8, sizeof(const char *));
    read_member_of(rq, ld, entry, out->groups);
    ldap_msgfree(res);
    return IV_DIR_OK;
}

/* Groups naming the user as member (groupOfNames) or uniqueMember. */
static iv_dir_status search_groups(iv_req *rq, LDAP *ld, found_user *u)
{
    char *attrs[] = { LDAP_NO_ATTRS, NULL };
    const char *dn = iv_ldap_escape_filter_value(rq->r->pool, u->dn);
    const char *filter = apr_pstrcat(rq->r->pool, "(|(member=", dn, ")(uniqueMember=", dn, "))", NULL);
    LDAPMessage *res = NULL;
    int rc = ldap_search_ext_s(ld, rq->conf->ldap_base_dn, LDAP_SCOPE_SUBTREE, filter, attrs, 0,
                               NULL, NULL, NULL, LDAP_NO_LIMIT, &res);

    if (rc != LDAP_SUCCESS) {
        ldap_msgfree(res);
        log_ldap(rq, "IV00405", "group search", rc);
        return IV_DIR_UNAVAILABLE;
    }
    for (LDAPMessage *e = ldap_first_entry(ld, res); e; e = ldap_next_entry(ld, e)) {
        char *group = ldap_get_dn(ld, e);
        add_group(rq, u->groups, group);
        ldap_memfree(group);
    }
    ldap_msgfree(res);
    return IV_DIR_OK;
}

static int in_groups(const apr_array_header_t *groups, const char *dn)
{
    for (int i = 0; i < groups->nelts; i++)
        if (strcasecmp(APR_ARRAY_IDX(groups, i, const char *), dn) == 0)
            return 1;
    return 0;
}

/* Roles and perimeter from the configured group rules. */
static iv_user *map_user(iv_req *rq, const char *login, const found_user *u)
{
    iv_user *user = apr_pcalloc(rq->r->pool, sizeof *user);
    const char *communes = "";

    user->login = login;
    user->display_name = u->display_name ? u->display_name : login;
    for (int i = 0; i < rq->conf->roles->nelts; i++) {
        const iv_group_rule *rule = &APR_ARRAY_IDX(rq->conf->roles, i, iv_group_rule);
        if (in_groups(u->groups, rule->group_dn))
            user->roles |= rule->role;
    }
    for (int i = 0; i < rq->conf->perimeters->nelts; i++) {
        const iv_group_rule *rule = &APR_ARRAY_IDX(rq->conf->perimeters, i, iv_group_rule);
        if (in_groups(u->groups, rule->group_dn))
            communes = apr_pstrcat(rq->r->pool, communes, *communes ? "," : "", rule->communes, NULL);
    }
    user->communes = communes;
    return user;
}

/* Finds the user and its groups over the service connection. */
static iv_dir_status find_user(iv_req *rq, LDAP **ld, const char *login, found_user *u)
{
    iv_dir_status st;
    if (!(*ld = service_connection(rq)))
        return IV_DIR_UNAVAILABLE;
    if ((st = search_user(rq, *ld, login, u)) != IV_DIR_OK)
        return st;
    return search_groups(rq, *ld, u);
}

iv_dir_status iv_dir_lookup(iv_req *rq, const char *login, iv_user **user)
{
    LDAP *ld;
    found_user u;
    iv_dir_status st = find_user(rq, &ld, login, &u);
    if (st == IV_DIR_OK)
        *user = map_user(rq, login, &u);
    return st;
}

iv_dir_status iv_dir_authenticate(iv_req *rq, const char *login, const char *password,
                                  iv_user **user)
{
    LDAP *ld;
    found_user u;
    iv_dir_status st;
    int rc;

    if (!*password)     /* an empty password would be an anonymous bind: never a login */
        return IV_DIR_BAD_CREDENTIALS;
    if ((st = find_user(rq, &ld, login, &u)) != IV_DIR_OK)
        return st;
    rc = simple_bind(ld, u.dn, password);
    if (rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH
        || rc == LDAP_UNWILLING_TO_PERFORM)
        return IV_DIR_BAD_CREDENTIALS;
    if (rc != LDAP_SUCCESS) {
        log_ldap(rq, "IV00406", "user bind", rc);
        return IV_DIR_UNAVAILABLE;
    }
    *user = map_user(rq, login, &u);
    return IV_DIR_OK;
}
