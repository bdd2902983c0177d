/*
 * h_mine.c — "Mes interventions": the field agent's own list, made for a phone
 * over VPN: each request with one button to start and one to finish.
 */
#include "httpd.h"
#include "apr_strings.h"
#include "http_protocol.h"

#include "routes.h"
#include "store_interventions.h"
#include "validate.h"
#include "view.h"

int iv_h_mine(iv_req *rq)
{
    static const char *const attrs[] = { "id", "number", "status", "status-label", "version",
                                         "received", "address", "commune", "object",
                                         "object-complement", "planned", "started", "phone",
                                         "requester" };
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    const char *team;
    xmlNodePtr page, list;

    if (iv_agent_team(rq, rq->user->login, &team) != 0 || iv_requests_mine(rq, team, &res) != 0)
        return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
    page = iv_page_new(rq, "mine");
    list = iv_node(page, "mine");
    iv_attr(list, "return", apr_pstrcat(rq->r->pool, rq->base, "/mes-interventions", NULL));
    while (iv_db_next(rq, res, &row)) {
        xmlNodePtr item = iv_node(list, "item");
        for (int c = 0; c < (int)(sizeof attrs / sizeof *attrs); c++)
            iv_attr(item, attrs[c], iv_db_value(rq, row, c));
        iv_attr(item, "phone-display", iv_phone_display(rq->r->pool, iv_db_value(rq, row, 12)));
    }
    return iv_page_send(rq, page, HTTP_OK);
}
