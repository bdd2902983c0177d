#include <string.h>
#include "apr_strings.h"
#include "refcode.h"
#include "textwrap.h"

/* ASCII spelling of U+00C0..U+00FF (Latin-1 letters), lower case; NULL for the
 * two signs of that block (× and ÷), which separate words like punctuation. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};

/* The code point at *p, *p moved past it (textwrap.c decodes). The string ends
 * with a NUL, which no sequence takes as a continuation byte: "s + 4" never lets
 * the decoder read past it. */
static unsigned long next_code_point(const unsigned char **p)
{
    const char *s = (const char *)*p;
    unsigned long cp = iv_utf8_next(&s, s + 4);
    *p = (const unsigned char *)s;
    return cp;
}

/* ASCII spelling of one code point for a code: "" for nothing usable (a
 * separator), else lower-case letters or a digit. buf holds a single character. */
static const char *ascii_of(unsigned long cp, char buf[2])
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        buf[0] = (char)cp;
        return buf;
    }
    if (cp >= 'A' && cp <= 'Z') {
        buf[0] = (char)(cp - 'A' + 'a');
        return buf;
    }
    if (cp >= 0xc0 && cp <= 0xff)
        return latin1[cp - 0xc0] ? latin1[cp - 0xc0] : "";
    if (cp == 0x152 || cp == 0x153)             /* Œ œ */
        return "oe";
    if (cp == 0x178)                            /* Ÿ */
        return "y";
    return "";
}

char *iv_ref_code_from_label(apr_pool_t *pool, const char *label)
{
    /* every character gives at most 2 bytes, one "_" before it */
    char *out = apr_palloc(pool, 3 * strlen(label) + 1), *o = out, buf[2] = { 0, 0 };
    const unsigned char *p = (const unsigned char *)label;
    int pending_separator = 0;

    while (*p) {
        const char *ascii = ascii_of(next_code_point(&p), buf);
        if (!*ascii) {
            pending_separator = o > out;
            continue;
        }
        if (pending_separator)
            *o++ = '_';
        pending_separator = 0;
        o = stpcpy(o, ascii);
    }
    *o = '\0';
    if (o - out > IV_REF_CODE_MAX) {
        out[IV_REF_CODE_MAX] = '\0';
        for (o = out + IV_REF_CODE_MAX; o > out && o[-1] == '_'; o--)
            o[-1] = '\0';
    }
    return out;
}

int iv_ref_code_valid(const char *code)
{
    size_t len = strlen(code);
    if (len == 0 || len > IV_REF_CODE_MAX)
        return 0;
    /* directory logins (agents' codes) may hold "." and "-" ("m.dupont") */
    return strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == len
        && strchr("abcdefghijklmnopqrstuvwxyz0123456789", code[0]);
}

const char *iv_insee_normalize(apr_pool_t *pool, const char *typed)
{
    char *code = apr_pstrdup(pool, typed);

    if (strlen(code) != 5 || strspn(code + 2, "0123456789") != 3)
        return NULL;
    if (code[0] == '2' && (code[1] == 'a' || code[1] == 'b'))
        code[1] = (char)(code[1] - 'a' + 'A');
    /* Corsica is 2A/2B since 1976: "20xxx" is no commune's code */
    if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B'))
        return code;
    if (strspn(code, "0123456789") != 5 || strncmp(code, "20", 2) == 0)
        return NULL;
    return code;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *iv_ref_label_clean(apr_pool_t *pool, const char *typed)
{
    char *out = apr_palloc(pool, strlen(typed) + 1), *o = out;

    for (const char *p = typed; *p; p++) {
        if (!is_space(*p))
            *o++ = *p;
        else if (o > out && !is_space(p[1]) && p[1] != '\0')
            *o++ = ' ';
    }
    *o = '\0';
    return out;
}

size_t iv_utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}
