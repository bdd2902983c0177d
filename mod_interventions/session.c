#include "httpd.h"
#include "apr_strings.h"
#include "http_log.h"

#include "session.h"
#include "stores.h"
#include "token.h"
#include "http_util.h"

static int db_status(iv_req *rq)
{
    return rq->db ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
}

int iv_session_resume(iv_req *rq)
{
    const char *id = iv_cookie_get(rq, IV_SESSION_COOKIE);

    rq->user = NULL;
    rq->session_was_presented = id != NULL && *id;
    if (!iv_token_well_formed(id))
        return OK;
    if (iv_session_load(rq, iv_token_hash(rq->r->pool, id), &rq->user) != 0)
        return db_status(rq);
    return OK;
}

int iv_session_open(iv_req *rq, iv_user *user)
{
    const char *id = iv_token_new(rq->r->pool);
    const char *csrf = iv_token_new(rq->r->pool);
    const char *hash;

    if (!id || !csrf) {
        ap_log_rerror(APLOG_MARK, APLOG_CRIT, 0, rq->r, "IV00301: random generator failed");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (rq->user && iv_session_delete(rq, rq->user->session_hash) != 0)
        return db_status(rq);
    hash = iv_token_hash(rq->r->pool, id);
    user->csrf_token = csrf;
    user->session_hash = hash;
    if (iv_session_insert(rq, hash, user) != 0)
        return db_status(rq);
    iv_cookie_set(rq, IV_SESSION_COOKIE, id, "Lax");
    rq->user = user;
    return OK;
}

int iv_session_close(iv_req *rq)
{
    if (rq->user && iv_session_delete(rq, rq->user->session_hash) != 0)
        return db_status(rq);
    iv_cookie_set(rq, IV_SESSION_COOKIE, "", "Lax");
    rq->user = NULL;
    return OK;
}
