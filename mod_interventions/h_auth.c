/*
 * h_auth.c — signing in with the directory account, signing out.
 */
#include "httpd.h"
#include "apr_strings.h"
#include "apr_lib.h"
#include "http_log.h"
#include "http_protocol.h"
#include "util_script.h"

#include "routes.h"
#include "auth.h"
#include "csrf.h"
#include "directory.h"
#include "form.h"
#include "http_util.h"
#include "session.h"
#include "stores.h"
#include "text.h"
#include "view.h"

#define MAX_FAILURES 5
#define MAX_IDENTIFIER 256

/* Renders the login form; identifier and return target are kept. */
static int login_page(iv_req *rq, int status, const char *notice_kind, const char *notice,
                      const char *identifier, const char *retour)
{
    const char *token = iv_login_csrf_token(rq);
    xmlNodePtr page, login;

    if (!token)
        return iv_fail(rq, "random generator failed for the login token");
    page = iv_page_new(rq, "login");
    xmlNewTextChild(page, NULL, (const xmlChar *)"csrf", (const xmlChar *)token);
    if (notice)
        iv_page_notice(page, notice_kind, notice);
    login = iv_node(page, "login");
    iv_attr(login, "identifier", identifier);
    if (retour && iv_safe_return(rq, retour))
        iv_attr(login, "return", retour);
    return iv_page_send(rq, page, status);
}

int iv_h_login_form(iv_req *rq)
{
    apr_table_t *args = NULL;
    const char *notice = NULL, *kind = "info";

    if (rq->user)
        return iv_redirect(rq, apr_pstrcat(rq->r->pool, rq->base, "/", NULL));
    ap_args_to_table(rq->r, &args);
    if (apr_table_get(args, "expire")) {
        notice = "session.expired";
    }
    else if (apr_table_get(args, "sortie")) {
        notice = "logout.done";
        kind = "success";
    }
    return login_page(rq, HTTP_OK, kind, notice, "", apr_table_get(args, "retour"));
}

static const char *lower(apr_pool_t *p, const char *s)
{
    char *copy = apr_pstrdup(p, s);
    ap_str_tolower(copy);
    return copy;
}

/* Refused while the identifier has too many recent failures. */
static int throttled(iv_req *rq, const char *key, int *error)
{
    int failures = 0;
    *error = iv_login_failures_count(rq, key, &failures);
    return !*error && failures >= MAX_FAILURES;
}

/* Signs the user in after the directory accepted them. */
static int open_session(iv_req *rq, iv_user *user, const char *key, const char *retour)
{
    int rv;

    if (!user->roles) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r,
                      "IV00603: account %s is in no group mapped to a role", user->login);
        return iv_error_page(rq, HTTP_FORBIDDEN, "error.no_role");
    }
    if ((rv = iv_session_open(rq, user)) != OK)
        return rv;
    if (iv_login_failures_clear(rq, key) != 0 || iv_session_purge(rq) != 0
        || iv_audit(rq, user->login, "connexion", "") != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    iv_cookie_set(rq, IV_LOGIN_CSRF_COOKIE, "", "Strict");
    return iv_redirect(rq, iv_safe_return(rq, retour) ? retour
                                                     : apr_pstrcat(rq->r->pool, rq->base, "/", NULL));
}

int iv_h_login(iv_req *rq)
{
    const char *identifier = iv_trim(rq->r->pool, iv_form_get(rq, "identifiant"));
    const char *password = iv_form_get(rq, "mot_de_passe");
    const char *retour = iv_form_get(rq, "retour"), *key;
    iv_user *user = NULL;
    int db_error;

    if (!iv_login_csrf_valid(rq)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r, "IV00701: login form without a valid token");
        return iv_error_page(rq, HTTP_FORBIDDEN, "error.csrf");
    }
    if (!*identifier || !*password)
        return login_page(rq, HTTP_UNPROCESSABLE_ENTITY, "error", "login.missing", identifier, retour);
    if (strlen(identifier) > MAX_IDENTIFIER)
        return login_page(rq, HTTP_UNPROCESSABLE_ENTITY, "error", "login.bad_credentials", "", retour);
    key = lower(rq->r->pool, identifier);
    if (throttled(rq, key, &db_error)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r,
                      "IV00602: login refused for %s from %s: too many failures", key,
                      rq->r->useragent_ip);
        apr_table_setn(rq->r->err_headers_out, "Retry-After", "900");
        return login_page(rq, HTTP_TOO_MANY_REQUESTS, "error", "login.throttled", identifier, retour);
    }
    if (db_error)
        return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
    switch (iv_dir_authenticate(rq, identifier, password, &user)) {
    case IV_DIR_OK:
        return open_session(rq, user, key, retour);
    case IV_DIR_UNAVAILABLE:
        return iv_error_page(rq, HTTP_SERVICE_UNAVAILABLE, "error.directory");
    case IV_DIR_BAD_CREDENTIALS:
        break;
    }
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r, "IV00601: failed login for %s from %s",
                  key, rq->r->useragent_ip);
    if (iv_login_failure_record(rq, key) != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    return login_page(rq, HTTP_UNPROCESSABLE_ENTITY, "error", "login.bad_credentials", identifier,
                      retour);
}

int iv_h_logout(iv_req *rq)
{
    const char *login = rq->user->login;
    int rv = iv_session_close(rq);

    if (rv != OK)
        return rv;
    if (iv_audit(rq, login, "deconnexion", "") != 0)
        return HTTP_INTERNAL_SERVER_ERROR;
    return iv_redirect(rq, apr_pstrcat(rq->r->pool, rq->base, "/connexion?sortie=1", NULL));
}
