/*
 * h_pages.c — the accessibility statement and the health check (the list page
 * is in h_list.c).
 */
#include "httpd.h"
#include "http_protocol.h"
#include "routes.h"
#include "stores.h"
#include "view.h"

int iv_h_accessibility(iv_req *rq)
{
    return iv_page_send(rq, iv_page_new(rq, "accessibilite"), HTTP_OK);
}

/* For load balancers: 200 when the database answers a query, 503 otherwise. */
int iv_h_health(iv_req *rq)
{
    int ok = iv_db_ping(rq) == 0;
    rq->r->status = ok ? HTTP_OK : HTTP_SERVICE_UNAVAILABLE;
    ap_set_content_type(rq->r, "text/plain; charset=utf-8");
    ap_rputs(ok ? "ok\n" : "base de données indisponible\n", rq->r);
    return OK;
}
