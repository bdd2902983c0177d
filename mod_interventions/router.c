#include <string.h>
#include "apr_strings.h"
#include "router.h"

/* Length of the segment starting at s (up to '/' or end). */
static size_t segment_length(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash ? (size_t)(slash - s) : strlen(s);
}

/* 1 when the segment is 1 to 18 decimal digits (fits a bigint). */
static int numeric_segment(const char *s, size_t len)
{
    if (len == 0 || len > 18)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* 1 when the segment is 1 to 64 of [A-Za-z0-9_.-], not starting with "." (a
 * reference-list code; agents' codes are logins such as "m.dupont"). */
static int word_segment(const char *s, size_t len)
{
    if (len == 0 || len > 64 || s[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
              || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.'))
            return 0;
    return 1;
}

/* Does segment s match the parameter spec "{name}" (digits) or "{name:word}"? */
static int param_matches(const char *spec, size_t spec_len, const char *s, size_t len,
                         size_t *name_len)
{
    const char *colon = memchr(spec, ':', spec_len);
    if (!colon) {
        *name_len = spec_len - 2;
        return numeric_segment(s, len);
    }
    *name_len = (size_t)(colon - spec) - 1;
    return word_segment(s, len);
}

/* Matches path against pattern segment by segment; fills params on success. */
static int pattern_matches(const char *pattern, const char *path, apr_pool_t *pool,
                           iv_route_params *params)
{
    iv_route_params found = { 0 };
    const char *p = pattern, *s = path;

    for (;;) {
        size_t plen = segment_length(p), slen = segment_length(s);
        if (plen > 2 && p[0] == '{' && p[plen - 1] == '}') {
            size_t name_len;
            if (!param_matches(p, plen, s, slen, &name_len) || found.count == IV_ROUTE_MAX_PARAMS)
                return 0;
            found.names[found.count] = apr_pstrmemdup(pool, p + 1, name_len);
            found.values[found.count] = apr_pstrmemdup(pool, s, slen);
            found.count++;
        }
        else if (plen != slen || strncmp(p, s, plen) != 0) {
            return 0;
        }
        p += plen;
        s += slen;
        if (*p == '\0' || *s == '\0')
            break;
        p++;            /* both on '/' */
        s++;
    }
    if (*p != '\0' || *s != '\0')
        return 0;
    if (params)
        *params = found;
    return 1;
}

iv_route_status iv_route_match(const iv_route *routes, size_t count, iv_method method,
                               const char *path, apr_pool_t *pool,
                               const iv_route **found, iv_route_params *params,
                               unsigned *allowed)
{
    unsigned methods = 0;

    for (size_t i = 0; i < count; i++) {
        if (!pattern_matches(routes[i].pattern, path, pool,
                             routes[i].method == method ? params : NULL))
            continue;
        if (routes[i].method == method) {
            *found = &routes[i];
            return IV_ROUTE_FOUND;
        }
        methods |= 1u << routes[i].method;
    }
    if (allowed)
        *allowed = methods;
    return methods ? IV_ROUTE_WRONG_METHOD : IV_ROUTE_NOT_FOUND;
}

const char *iv_route_param(const iv_route_params *params, const char *name)
{
    for (size_t i = 0; i < params->count; i++)
        if (strcmp(params->names[i], name) == 0)
            return params->values[i];
    return NULL;
}
