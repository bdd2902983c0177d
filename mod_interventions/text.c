#include <ctype.h>
#include <string.h>
#include "apr_strings.h"
#include "text.h"

/* Number of continuation bytes announced by a lead byte, -1 if invalid. */
static int utf8_tail_length(unsigned char c)
{
    if (c < 0x80) return 0;
    if (c >= 0xc2 && c <= 0xdf) return 1;
    if (c >= 0xe0 && c <= 0xef) return 2;
    if (c >= 0xf0 && c <= 0xf4) return 3;
    return -1;
}

int iv_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        int tail = utf8_tail_length(*p);
        if (tail < 0 || end - p <= tail)
            return 0;
        for (int i = 1; i <= tail; i++)
            if ((p[i] & 0xc0) != 0x80)
                return 0;
        /* overlong 3/4-byte forms, UTF-16 surrogates, and code points > U+10FFFF */
        if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)
            || (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
            return 0;
        p += tail + 1;
    }
    return 1;
}

char *iv_strip_controls(apr_pool_t *pool, const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
            *o++ = (char)*p;
    *o = '\0';
    return out;
}

char *iv_trim(apr_pool_t *pool, const char *s)
{
    const char *end = s + strlen(s);
    while (*s && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    return apr_pstrmemdup(pool, s, (apr_size_t)(end - s));
}
