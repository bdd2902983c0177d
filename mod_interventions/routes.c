#include "apr_strings.h"
#include "routes.h"
#include "view.h"

/* method, pattern below the mount point, roles allowed (0: public), flags,
 * handler, navigation key */
const iv_route iv_agent_routes[] = {
    { IV_GET,  "",              IV_ROLES_ALL, 0, iv_h_list,       "nav.requests" },
    { IV_GET,  "connexion",     0,            0, iv_h_login_form, NULL },
    { IV_POST, "connexion",     0,            0, iv_h_login,      NULL },
    { IV_POST, "deconnexion",   IV_ROLES_ALL, 0, iv_h_logout,     NULL },
    { IV_GET,  "accessibilite", 0,            0, iv_h_accessibility, NULL },
    { IV_GET,  "sante",         0, IV_ROUTE_NO_SESSION, iv_h_health, NULL },
};

const size_t iv_agent_routes_count = sizeof iv_agent_routes / sizeof *iv_agent_routes;

void iv_nav_add(iv_req *rq, xmlNodePtr page)
{
    xmlNodePtr nav = iv_node(page, "nav");
    for (size_t i = 0; i < iv_agent_routes_count; i++) {
        const iv_route *route = &iv_agent_routes[i];
        if (!route->nav_key || !rq->user || !(route->roles & rq->user->roles))
            continue;
        xmlNodePtr item = iv_node(nav, "item");
        iv_attr(item, "href", apr_pstrcat(rq->r->pool, rq->base, "/", route->pattern, NULL));
        iv_attr(item, "key", route->nav_key);
        if (route == rq->route)
            iv_attr(item, "current", "1");
    }
}
