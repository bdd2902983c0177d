/*
 * request_view.h — shared by the request handlers: visibility and XML building.
 */
#ifndef IV_REQUEST_VIEW_H
#define IV_REQUEST_VIEW_H

#include <libxml/tree.h>
#include "iv.h"
#include "store_interventions.h"

/* The request is the intervenant's own: assigned to him or to his team. */
int iv_request_is_own(iv_req *rq, const iv_request *req, const char *user_team);

/* Whether the signed-in user may see the request at all (else: 404, never a
 * peek): managers and secretariat all, intervenants their own, lecteurs their
 * communes. */
int iv_request_visible(iv_req *rq, const iv_request *req, const char *user_team);

/* Loads the request named by the route's {id} if the user may see it. Returns 1;
 * else 0 with *response the handler's answer (404 page whether the request does
 * not exist or is outside the user's perimeter). *team: the user's agent team. */
int iv_load_visible_request(iv_req *rq, iv_request **req, const char **team, int *response);

/* Whether the user may attach files to the request (editors; an intervenant on
 * his own requests). */
int iv_may_attach(iv_req *rq, const iv_request *req, const char *team);

/* The request's page with rq->upload_error shown (422). */
int iv_request_page_with_upload_error(iv_req *rq, const iv_request *req, const char *team);

/* Records rq->uploads as attachments of request id, with history rows (inside
 * the caller's transaction). */
int iv_store_uploads(iv_req *rq, const char *id);

/* "2025-06-23 16:17" → "23/06/2025 16:17". */
const char *iv_datetime_french(apr_pool_t *p, const char *canonical);

/* A stored value as people read it (label of a code, French date, spaced phone). */
const char *iv_field_display(iv_req *rq, const iv_field *f, const char *value,
                             const apr_array_header_t *choices);

/* <choices><choice list code label flag/>…</choices> */
void iv_add_choices(xmlNodePtr page, const apr_array_header_t *choices);

/* <field name group list required value display error/> for every field. */
void iv_add_fields(iv_req *rq, xmlNodePtr parent, apr_table_t *values, apr_table_t *errors,
                   const apr_array_header_t *choices);

#endif
