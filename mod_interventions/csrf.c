#include "csrf.h"
#include "form.h"
#include "token.h"
#include "http_util.h"

int iv_csrf_valid(iv_req *rq)
{
    return rq->user && iv_token_equal(iv_form_get(rq, IV_CSRF_FIELD), rq->user->csrf_token);
}

const char *iv_login_csrf_token(iv_req *rq)
{
    const char *token = iv_cookie_get(rq, IV_LOGIN_CSRF_COOKIE);
    if (iv_token_well_formed(token))
        return token;
    if (!(token = iv_token_new(rq->r->pool)))
        return NULL;
    iv_cookie_set(rq, IV_LOGIN_CSRF_COOKIE, token, "Strict");
    return token;
}

int iv_login_csrf_valid(iv_req *rq)
{
    const char *cookie = iv_cookie_get(rq, IV_LOGIN_CSRF_COOKIE);
    return iv_token_well_formed(cookie)
        && iv_token_equal(iv_form_get(rq, IV_CSRF_FIELD), cookie);
}
