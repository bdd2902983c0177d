#include <string.h>
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

/* RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." /
 * "^" / "_" / "`" / "|" / "~" */
static int attr_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c && strchr("!#$&+-.^_`|~", c));
}

const char *iv_content_disposition(apr_pool_t *pool, const char *disposition,
                                   const char *filename)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(filename);
    char *ascii = apr_palloc(pool, len + 1), *encoded = apr_palloc(pool, len * 3 + 1);
    char *a = ascii, *e = encoded;

    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        /* fallback: printable ASCII without quote, backslash or separators */
        *a++ = (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != ';') ? (char)*p : '_';
        if (attr_char(*p)) {
            *e++ = (char)*p;
        }
        else {
            *e++ = '%';
            *e++ = hex[*p >> 4];
            *e++ = hex[*p & 0x0f];
        }
    }
    *a = *e = '\0';
    return apr_pstrcat(pool, disposition, "; filename=\"", ascii, "\"; filename*=UTF-8''",
                       encoded, NULL);
}
