#include "httpd.h"
#include "apr_strings.h"
#include "http_protocol.h"
#include "http_ssl.h"
#include "util_cookies.h"

#include "http_util.h"
#include "headers.h"
#include "token.h"
#include "view.h"

/* Last resort when even the error view cannot be rendered: plain French text. */
static int plain_error(iv_req *rq, int status)
{
    rq->r->status = status;
    ap_set_content_type(rq->r, "text/plain; charset=utf-8");
    ap_rputs("Le service rencontre une erreur. Réessayez dans quelques minutes.\n", rq->r);
    return OK;
}

static int error_view(iv_req *rq, int status, const char *key, const char *incident)
{
    xmlNodePtr page = iv_page_new(rq, "error"), err = iv_node(page, "error");
    iv_attr(err, "status", apr_itoa(rq->r->pool, status));
    iv_attr(err, "key", key);
    iv_attr(err, "incident", incident);
    if (iv_page_send(rq, page, status) != OK)
        return plain_error(rq, status);
    return OK;
}

int iv_error_page(iv_req *rq, int status, const char *key)
{
    return error_view(rq, status, key, NULL);
}

int iv_fail(iv_req *rq, const char *cause)
{
    const char *hex = iv_random_hex(rq->r->pool, 4);
    char *incident = apr_pstrdup(rq->r->pool, hex ? hex : "00000000");
    ap_str_toupper(incident);
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00500: incident %s: %s", incident, cause);
    return error_view(rq, HTTP_INTERNAL_SERVER_ERROR, "error.internal", incident);
}

int iv_db_unavailable(iv_req *rq)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r,
                  "IV00503: no database connection (see mod_dbd messages above)");
    return iv_error_page(rq, HTTP_SERVICE_UNAVAILABLE, "error.database");
}

int iv_redirect_with(iv_req *rq, int status, const char *location)
{
    rq->r->status = status;
    apr_table_setn(rq->r->headers_out, "Location", location);
    return OK;
}

int iv_redirect(iv_req *rq, const char *location)
{
    return iv_redirect_with(rq, HTTP_SEE_OTHER, location);
}

const char *iv_cookie_get(iv_req *rq, const char *name)
{
    const char *value = NULL;
    if (ap_cookie_read(rq->r, name, &value, 0) != APR_SUCCESS)
        return NULL;
    return value;
}

int iv_secure_transport(iv_req *rq)
{
    return rq->conf->cookie_secure || ap_ssl_conn_is_ssl(rq->r->connection);
}

void iv_cookie_set(iv_req *rq, const char *name, const char *value, const char *same_site)
{
    /* err_headers_out: the cookie must survive redirects and error pages */
    apr_table_addn(rq->r->err_headers_out, "Set-Cookie",
                   iv_cookie_header(rq->r->pool, name, value, rq->base[0] ? rq->base : "/",
                                    same_site, iv_secure_transport(rq)));
}
