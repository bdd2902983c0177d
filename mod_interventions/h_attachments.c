/*
 * h_attachments.c — photos and documents of a request: adding them
 * ({id}/pieces) and serving them ({id}/pieces/{n}) after the same access checks
 * as the request itself.
 */
#include "httpd.h"
#include <string.h>
#include "apr_strings.h"
#include "apr_file_io.h"
#include "http_log.h"
#include "http_protocol.h"

#include "routes.h"
#include "headers.h"
#include "http_util.h"
#include "request_view.h"
#include "store_attachments.h"
#include "store_interventions.h"
#include "upload.h"

int iv_store_uploads(iv_req *rq, const char *id)
{
    iv_upload *files = rq->uploads ? (iv_upload *)rq->uploads->elts : NULL;
    int count = rq->uploads ? rq->uploads->nelts : 0;

    if (count == 0)
        return 0;
    if (iv_attachments_insert(rq, id, files, count) != 0)
        return -1;
    for (int i = 0; i < count; i++)
        if (iv_history_add(rq, id, "piece", "", "", files[i].original_name, "") != 0)
            return -1;
    return 0;
}

int iv_h_attachments_add(iv_req *rq)
{
    iv_request *req;
    const char *team;
    int response;

    if (!iv_load_visible_request(rq, &req, &team, &response))
        return response;
    if (!iv_may_attach(rq, req, team))
        return HTTP_FORBIDDEN;
    if (!rq->upload_error && (!rq->uploads || rq->uploads->nelts == 0))
        rq->upload_error = "error.upload.none";
    if (rq->upload_error) {
        iv_upload_discard(rq);
        return iv_request_page_with_upload_error(rq, req, team);
    }
    if (iv_db_begin(rq) != 0 || iv_store_uploads(rq, req->id) != 0 || iv_db_commit(rq) != 0) {
        iv_db_rollback(rq);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    iv_upload_keep(rq);
    return iv_redirect(rq, apr_pstrcat(rq->r->pool, rq->base, "/", req->id, "?pieces=1", NULL));
}

int iv_h_attachment_get(iv_req *rq)
{
    iv_request *req;
    const char *team, *path, **row;
    apr_file_t *fd;
    apr_size_t sent;
    int response;

    if (!iv_load_visible_request(rq, &req, &team, &response))
        return response;
    if (iv_attachment_get(rq, req->id, iv_route_param(&rq->params, "n"), &row) != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (!row)
        return HTTP_NOT_FOUND;
    path = apr_pstrcat(rq->r->pool, rq->conf->upload_dir, "/", row[1], NULL);
    if (apr_file_open(&fd, path, APR_FOPEN_READ | APR_FOPEN_SENDFILE_ENABLED, 0, rq->r->pool)
        != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00804: attachment file %s is missing",
                      row[1]);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_set_content_type(rq->r, row[2]);
    /* images open in the browser; a PDF is downloaded (its viewer may run scripts) */
    apr_table_setn(rq->r->headers_out, "Content-Disposition",
                   iv_content_disposition(rq->r->pool,
                                          strncmp(row[2], "image/", 6) == 0 ? "inline" : "attachment",
                                          row[0]));
    ap_set_content_length(rq->r, apr_atoi64(row[3]));
    if (!rq->r->header_only)
        ap_send_fd(fd, rq->r, 0, (apr_size_t)apr_atoi64(row[3]), &sent);
    return OK;
}
