/*
 * h_fiche.c — the fiche d'intervention ({id}/fiche.pdf): the work order the
 * secrétariat prints and hands to the field agent (its layout: fiche.c).
 *
 * The handler reads like the others: load (same visibility as the request's
 * page) → data → layout → history → send.
 */
#include "httpd.h"
#include "apr_strings.h"
#include "http_protocol.h"

#include "routes.h"
#include "headers.h"
#include "fiche.h"
#include "request_view.h"
#include "store_interventions.h"

static int send_pdf(iv_req *rq, const iv_request *req, const char *bytes, apr_size_t len)
{
    request_rec *r = rq->r;
    ap_set_content_type(r, "application/pdf");
    apr_table_setn(r->headers_out, "Content-Disposition",
                   iv_content_disposition(r->pool, "inline", apr_psprintf(r->pool,
                                          "fiche-%s-%s.pdf", req->year, req->number)));
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only)
        ap_rwrite(bytes, (int)len, r);
    return OK;
}

int iv_h_fiche(iv_req *rq)
{
    iv_request *req;
    apr_array_header_t *communes;
    const char *team, *bytes;
    apr_size_t len;
    iv_pdf *pdf;
    iv_fiche f;
    int response;

    if (!iv_load_visible_request(rq, &req, &team, &response))
        return response;
    if (iv_fiche_banner(rq, &communes) != 0 || !(pdf = iv_pdf_new(rq->r, rq->conf->pdf_assets)))
        return HTTP_INTERNAL_SERVER_ERROR;
    iv_fiche_from_request(rq, req, communes, &f);
    iv_fiche_draw(pdf, &f, rq->r->pool);
    if (!(bytes = iv_pdf_finish(pdf, &len)))
        return HTTP_INTERNAL_SERVER_ERROR;
    /* every printing is in the history; a HEAD prints nothing. A byte range
     * would be a printing per range: the fiche is always sent whole. */
    if (!rq->r->header_only
        && iv_history_add(rq, req->id, "impression", "", "", "", "") != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    apr_table_unset(rq->r->headers_in, "Range");
    return send_pdf(rq, req, bytes, len);
}
