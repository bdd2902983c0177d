#include "httpd.h"
#include <string.h>
#include "apr_strings.h"
#include "http_log.h"
#include "http_protocol.h"

#include "auth.h"
#include "directory.h"
#include "http_util.h"
#include "session.h"
#include "stores.h"

int iv_safe_return(iv_req *rq, const char *target)
{
    size_t base_len = strlen(rq->base);

    if (!target || strncmp(target, rq->base, base_len) != 0 || target[base_len] != '/')
        return 0;
    if (target[0] != '/' || target[1] == '/' || strchr(target, '\\'))
        return 0;
    for (const char *p = target; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* Maps a failed session/database step to its page. */
static int failure_page(iv_req *rq, int status)
{
    if (status == HTTP_SERVICE_UNAVAILABLE)
        return iv_db_unavailable(rq);
    return iv_fail(rq, "session storage failed (see the database message above)");
}

/* Intranet SSO: another module set r->user; the directory gives the roles. */
static int sso_sign_in(iv_req *rq, int *response)
{
    iv_user *user = NULL;
    int rv;

    switch (iv_dir_lookup(rq, rq->r->user, &user)) {
    case IV_DIR_UNAVAILABLE:
        *response = iv_error_page(rq, HTTP_SERVICE_UNAVAILABLE, "error.directory");
        return 0;
    case IV_DIR_BAD_CREDENTIALS:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r,
                      "IV00604: authenticated user %s is not in the directory", rq->r->user);
        *response = iv_error_page(rq, HTTP_FORBIDDEN, "error.no_role");
        return 0;
    case IV_DIR_OK:
        break;
    }
    if (!user->roles) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r,
                      "IV00603: account %s is in no group mapped to a role", user->login);
        *response = iv_error_page(rq, HTTP_FORBIDDEN, "error.no_role");
        return 0;
    }
    if ((rv = iv_session_open(rq, user)) != OK || iv_audit(rq, user->login, "connexion sso", "") != 0) {
        *response = failure_page(rq, rv != OK ? rv : HTTP_INTERNAL_SERVER_ERROR);
        return 0;
    }
    return 1;
}

static int redirect_to_login(iv_req *rq)
{
    apr_pool_t *p = rq->r->pool;
    const char *login = apr_pstrcat(p, rq->base, "/connexion", NULL);
    const char *expired = rq->session_was_presented ? "expire=1" : NULL;

    if (rq->r->method_number != M_GET)
        return iv_redirect(rq, expired ? apr_pstrcat(p, login, "?", expired, NULL) : login);
    if (iv_safe_return(rq, rq->r->unparsed_uri))
        login = apr_pstrcat(p, login, "?retour=", ap_escape_urlencoded(p, rq->r->unparsed_uri),
                            expired ? "&" : "", expired, NULL);
    else if (expired)
        login = apr_pstrcat(p, login, "?", expired, NULL);
    return iv_redirect_with(rq, HTTP_MOVED_TEMPORARILY, login);
}

int iv_authenticate(iv_req *rq, int *response)
{
    const char *remote = rq->conf->trust_remote_user ? rq->r->user : NULL;
    int rv = iv_session_resume(rq);

    if (rv != OK) {
        *response = failure_page(rq, rv);
        return 0;
    }
    if (remote && *remote && (!rq->user || strcmp(rq->user->login, remote) != 0))
        return sso_sign_in(rq, response);
    if (rq->user)
        return 1;
    *response = redirect_to_login(rq);
    return 0;
}
