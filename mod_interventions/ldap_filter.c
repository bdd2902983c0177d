#include <string.h>
#include "apr_strings.h"
#include <ldap.h>
#include "ldap_filter.h"
#include "text.h"

static int needs_escape(unsigned char c)
{
    return c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0';
}

const char *iv_ldap_escape_filter_value(apr_pool_t *pool, const char *value)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = strlen(value);
    int valid_utf8 = iv_utf8_valid(value, len);
    char *out = apr_palloc(pool, len * 3 + 1), *o = out;

    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (needs_escape(*p) || (*p >= 0x80 && !valid_utf8)) {
            *o++ = '\\';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 0x0f];
        }
        else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

int iv_ldap_filter_template_valid(const char *template)
{
    const char *first = strchr(template, '%');
    if (!first || first[1] != 's')
        return 0;
    return strchr(first + 2, '%') == NULL;
}

const char *iv_ldap_filter_build(apr_pool_t *pool, const char *template, const char *value)
{
    const char *mark = strstr(template, "%s");
    return apr_pstrcat(pool, apr_pstrmemdup(pool, template, (apr_size_t)(mark - template)),
                       iv_ldap_escape_filter_value(pool, value), mark + 2, NULL);
}

const char *iv_ldap_dn_normalize(apr_pool_t *pool, const char *dn)
{
    char *normal = NULL;
    const char *copy;

    if (!dn || !*dn
        || ldap_dn_normalize(dn, LDAP_DN_FORMAT_LDAP, &normal, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS
        || !normal)
        return NULL;
    copy = apr_pstrdup(pool, normal);
    ldap_memfree(normal);
    return copy;
}
