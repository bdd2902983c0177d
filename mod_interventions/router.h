/*
 * router.h — method + path pattern matching, with no httpd types.
 *
 * A pattern is a path below the mount point without a leading slash: "" is the
 * mount point itself, "connexion" a literal, "{id}/modifier" a parameter followed
 * by a literal. A parameter "{id}" matches one segment of decimal digits (so it
 * never swallows "connexion"); "{code:word}" matches 1 to 64 of [A-Za-z0-9_.-] not starting with "."
 * (reference-list names and codes).
 */
#ifndef IV_ROUTER_H
#define IV_ROUTER_H

#include <stddef.h>
#include "apr_pools.h"

#define IV_ROUTE_MAX_PARAMS 4

typedef enum { IV_GET, IV_POST } iv_method;

/* Route flags. */
#define IV_ROUTE_NO_SESSION 1u   /* public and never looks at the session (health check) */
#define IV_ROUTE_UPLOAD     2u   /* accepts multipart/form-data with files */

struct iv_req;

typedef struct {
    iv_method method;
    const char *pattern;
    unsigned roles;              /* roles allowed; 0 = public (no session needed) */
    unsigned flags;              /* IV_ROUTE_* */
    int (*handler)(struct iv_req *rq);
    const char *nav_key;         /* catalogue key when the route is in the navigation */
} iv_route;

typedef struct {
    size_t count;
    const char *names[IV_ROUTE_MAX_PARAMS];
    const char *values[IV_ROUTE_MAX_PARAMS];
} iv_route_params;

typedef enum {
    IV_ROUTE_FOUND,
    IV_ROUTE_NOT_FOUND,
    IV_ROUTE_WRONG_METHOD        /* the path exists for another method */
} iv_route_status;

/* Finds the route for method and path. On IV_ROUTE_FOUND, *found and params are
 * set (values are copies from pool). On IV_ROUTE_WRONG_METHOD, *allowed receives
 * a bit set of the methods the path accepts (1 << IV_GET, 1 << IV_POST). */
iv_route_status iv_route_match(const iv_route *routes, size_t count, iv_method method,
                               const char *path, apr_pool_t *pool,
                               const iv_route **found, iv_route_params *params,
                               unsigned *allowed);

/* Value of a named parameter, NULL if absent. */
const char *iv_route_param(const iv_route_params *params, const char *name);

#endif
