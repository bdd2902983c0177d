/*
 * routes.h — the agents' face: every URL under the mount point, in one table.
 */
#ifndef IV_ROUTES_H
#define IV_ROUTES_H

#include <libxml/tree.h>
#include "iv.h"

extern const iv_route iv_agent_routes[];
extern const size_t iv_agent_routes_count;

/* Adds <nav><item href key current/></nav>: the routes with a navigation key
 * that the signed-in user's roles allow. */
void iv_nav_add(iv_req *rq, xmlNodePtr page);

/* handlers (h_*.c) */
int iv_h_login_form(iv_req *rq);
int iv_h_login(iv_req *rq);
int iv_h_logout(iv_req *rq);
int iv_h_list(iv_req *rq);
/* requests */
int iv_h_request_new_form(iv_req *rq);
int iv_h_request_create(iv_req *rq);
int iv_h_request_edit_form(iv_req *rq);
int iv_h_request_update(iv_req *rq);
int iv_h_request_page(iv_req *rq);
int iv_h_request_status(iv_req *rq);
int iv_h_mine(iv_req *rq);
int iv_h_attachments_add(iv_req *rq);
int iv_h_attachment_get(iv_req *rq);
/* fiche d'intervention PDF (h_fiche.c) */
int iv_h_fiche(iv_req *rq);
int iv_h_export_csv(iv_req *rq);
int iv_h_export_xlsx(iv_req *rq);
int iv_h_export_ods(iv_req *rq);
int iv_h_tour(iv_req *rq);
int iv_h_health(iv_req *rq);
int iv_h_accessibility(iv_req *rq);
/* admin: reference lists (h_admin_refs.c) */
int iv_h_refs_index(iv_req *rq);
int iv_h_refs_list(iv_req *rq);
int iv_h_refs_add(iv_req *rq);
int iv_h_refs_change(iv_req *rq);
/* admin: legacy imports (h_imports.c) */
int iv_h_imports_list(iv_req *rq);
int iv_h_imports_report(iv_req *rq);

#endif
