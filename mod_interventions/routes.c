#include "apr_strings.h"
#include "routes.h"
#include "view.h"

/* Who records and edits requests. */
#define IV_EDITORS (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE | IV_ROLE_SECRETARIAT)

/* method, pattern below the mount point, roles allowed (0: public), flags,
 * handler, navigation key */
const iv_route iv_agent_routes[] = {
    { IV_GET,  "",              IV_ROLES_ALL, 0, iv_h_list,       "nav.requests" },
    /* requests (h_request_form.c, h_request.c, h_mine.c) */
    { IV_GET,  "nouvelle",      IV_EDITORS,   0, iv_h_request_new_form,  "nav.new" },
    { IV_POST, "nouvelle",      IV_EDITORS,   IV_ROUTE_UPLOAD, iv_h_request_create, NULL },
    { IV_GET,  "mes-interventions", IV_ROLE_INTERVENANT, 0, iv_h_mine,   "nav.mine" },
    { IV_GET,  "{id}",          IV_ROLES_ALL, 0, iv_h_request_page,      NULL },
    { IV_GET,  "{id}/modifier", IV_EDITORS,   0, iv_h_request_edit_form, NULL },
    { IV_POST, "{id}/modifier", IV_EDITORS,   0, iv_h_request_update,    NULL },
    { IV_POST, "{id}/statut",   IV_EDITORS | IV_ROLE_INTERVENANT, 0, iv_h_request_status, NULL },
    { IV_POST, "{id}/pieces",   IV_EDITORS | IV_ROLE_INTERVENANT, IV_ROUTE_UPLOAD,
      iv_h_attachments_add, NULL },
    { IV_GET,  "{id}/pieces/{n}", IV_ROLES_ALL, 0, iv_h_attachment_get, NULL },
    /* fiche d'intervention PDF (h_fiche.c) */
    { IV_GET,  "{id}/fiche.pdf", IV_ROLES_ALL, 0, iv_h_fiche, NULL },
    /* the current list as files (h_export.c) and as a tour sheet (h_tour.c) */
    { IV_GET,  "export.csv",    IV_ROLES_ALL, 0, iv_h_export_csv,  NULL },
    { IV_GET,  "export.xlsx",   IV_ROLES_ALL, 0, iv_h_export_xlsx, NULL },
    { IV_GET,  "export.ods",    IV_ROLES_ALL, 0, iv_h_export_ods,  NULL },
    { IV_GET,  "fiches.pdf",    IV_ROLES_ALL, 0, iv_h_tour,        NULL },
    { IV_GET,  "connexion",     0,            0, iv_h_login_form, NULL },
    { IV_POST, "connexion",     0,            0, iv_h_login,      NULL },
    { IV_POST, "deconnexion",   IV_ROLES_ALL, 0, iv_h_logout,     NULL },
    { IV_GET,  "accessibilite", 0,            0, iv_h_accessibility, NULL },
    { IV_GET,  "sante",         0, IV_ROUTE_NO_SESSION, iv_h_health, NULL },
    /* admin: reference lists (h_admin_refs.c) */
    { IV_GET,  "admin/referentiels",               IV_ROLE_ADMIN, 0, iv_h_refs_index, "nav.admin" },
    { IV_GET,  "admin/referentiels/{liste:word}",  IV_ROLE_ADMIN, 0, iv_h_refs_list,  NULL },
    { IV_POST, "admin/referentiels/{liste:word}",  IV_ROLE_ADMIN, 0, iv_h_refs_add,   NULL },
    { IV_POST, "admin/referentiels/{liste:word}/{code:word}", IV_ROLE_ADMIN, 0, iv_h_refs_change, NULL },
    /* admin: legacy imports (h_imports.c) */
    { IV_GET,  "admin/imports",                    IV_ROLE_ADMIN, 0, iv_h_imports_list, "nav.imports" },
    { IV_GET,  "admin/imports/{id}/rapport.csv",   IV_ROLE_ADMIN, 0, iv_h_imports_report, NULL },
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
