#include "apr_strings.h"
#include "headers.h"

void iv_security_headers(apr_table_t *t, int no_store)
{
    apr_table_setn(t, "Content-Security-Policy", IV_CSP);
    apr_table_setn(t, "X-Content-Type-Options", "nosniff");
    apr_table_setn(t, "Referrer-Policy", "same-origin");
    apr_table_setn(t, "X-Frame-Options", "DENY");
    if (no_store)
        apr_table_setn(t, "Cache-Control", "no-store");
}

const char *iv_cookie_header(apr_pool_t *pool, const char *name, const char *value,
                             const char *path, const char *same_site, int secure)
{
    return apr_pstrcat(pool, name, "=", value, "; Path=", path,
                       "; HttpOnly; SameSite=", same_site,
                       secure ? "; Secure" : "",
                       *value ? "" : "; Max-Age=0", NULL);
}
