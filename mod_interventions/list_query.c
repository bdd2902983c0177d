#include <ctype.h>
#include <string.h>
#include "apr_strings.h"
#include "list_query.h"
#include "text.h"

/* ---------------------------------------------------------------- query string */

static int hex_value(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..len) ('+' = space, %XX), drops C0 controls but TAB. */
static char *form_decode(apr_pool_t *pool, const char *s, size_t len)
{
    char *out = apr_palloc(pool, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        }
        else if (c == '%' && i + 2 < len && hex_value(s[i + 1]) >= 0
                 && hex_value(s[i + 2]) >= 0) {
            c = hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]);
            i += 2;
        }
        if (c < 0x20 && c != '\t')
            continue;
        *o++ = (char)c;
    }
    *o = '\0';
    return out;
}

apr_array_header_t *iv_query_parse(apr_pool_t *pool, const char *args)
{
    apr_array_header_t *pairs = apr_array_make(pool, 8, sizeof(iv_query_pair));
    const char *p = args ? args : "";

    while (*p) {
        size_t len = strcspn(p, "&;");
        const char *eq = memchr(p, '=', len);
        if (len > 0) {
            iv_query_pair *pair = apr_array_push(pairs);
            size_t name_len = eq ? (size_t)(eq - p) : len;
            pair->name = form_decode(pool, p, name_len);
            pair->value = eq ? form_decode(pool, eq + 1, len - name_len - 1) : "";
            pair->ok = iv_utf8_valid(pair->value, strlen(pair->value))
                       && iv_utf8_valid(pair->name, strlen(pair->name));
            if (!pair->ok)
                pair->value = "";
        }
        p += len;
        if (*p)
            p++;
    }
    return pairs;
}

const iv_query_pair *iv_query_get(const apr_array_header_t *pairs, const char *name)
{
    for (int i = 0; i < pairs->nelts; i++) {
        const iv_query_pair *pair = &APR_ARRAY_IDX(pairs, i, iv_query_pair);
        if (strcmp(pair->name, name) == 0)
            return pair;
    }
    return NULL;
}

void iv_query_append(apr_pool_t *pool, char **qs, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *parts[2] = { name, value };
    size_t need = strlen(*qs) + 3 * (strlen(name) + strlen(value)) + 3;
    char *out = apr_palloc(pool, need), *o = out;

    memcpy(o, *qs, strlen(*qs));
    o += strlen(*qs);
    for (int k = 0; k < 2; k++) {
        for (const unsigned char *s = (const unsigned char *)parts[k]; *s; s++) {
            if (isalnum(*s) || *s == '-' || *s == '.' || *s == '_' || *s == '~') {
                *o++ = (char)*s;
            }
            else if (*s == ' ') {
                *o++ = '+';
            }
            else {
                *o++ = '%';
                *o++ = hex[*s >> 4];
                *o++ = hex[*s & 15];
            }
        }
        *o++ = k == 0 ? '=' : '&';
    }
    *o = '\0';
    *qs = out;
}

/* ---------------------------------------------------------------- values */

/* Reads 1 to max digits at *p; returns the count read (0: none). */
static int read_digits(const char **p, int max, long *value)
{
    int n = 0;
    *value = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        *value = *value * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static int days_in_month(long year, long month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

int iv_list_parse_date(const char *s, char iso[11])
{
    const char *p = skip_spaces(s);
    long a, b, c, year, month, day;
    int na, nb, nc;
    char sep;

    na = read_digits(&p, 4, &a);
    sep = *p;
    if (!na || (sep != '/' && sep != '-' && sep != '.'))
        return 0;
    p++;
    nb = read_digits(&p, 2, &b);
    if (!nb || *p != sep)
        return 0;
    p++;
    nc = read_digits(&p, 4, &c);
    if (*skip_spaces(p) != '\0')
        return 0;
    if (na == 4 && sep == '-' && nc >= 1 && nc <= 2) {        /* AAAA-MM-JJ */
        year = a; month = b; day = c;
    }
    else if (na <= 2 && nc == 4) {                             /* JJ/MM/AAAA */
        day = a; month = b; year = c;
    }
    else {
        return 0;
    }
    if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1
        || day > days_in_month(year, month))
        return 0;
    apr_snprintf(iso, 11, "%04ld-%02ld-%02ld", year, month, day);
    return 1;
}

iv_list_number_kind iv_list_parse_number(const char *s, int *year, long *number)
{
    const char *p = skip_spaces(s);
    long first, second;
    int n;

    /* "N° 2026 / 58", "n°58", "no 58": the sign that a number is meant */
    if ((p[0] == 'N' || p[0] == 'n') && strncmp(p + 1, "\xc2\xb0", 2) == 0)
        p = skip_spaces(p + 3);
    else if ((p[0] == 'N' || p[0] == 'n') && (p[1] == 'o' || p[1] == 'O') && p[2] == ' ')
        p = skip_spaces(p + 3);
    n = read_digits(&p, 10, &first);
    if (n == 0 || n > 9)
        return IV_LIST_NUMBER_NONE;
    p = skip_spaces(p);
    if (*p == '\0') {
        *number = first;
        *year = 0;
        return IV_LIST_NUMBER_ANY_YEAR;
    }
    if (n != 4 || *p != '/')
        return IV_LIST_NUMBER_NONE;
    p = skip_spaces(p + 1);
    n = read_digits(&p, 10, &second);
    if (n == 0 || n > 9 || *skip_spaces(p) != '\0')
        return IV_LIST_NUMBER_NONE;
    *year = (int)first;
    *number = second;
    return IV_LIST_NUMBER_YEAR;
}

int iv_list_parse_positive(const char *s, long *out)
{
    const char *p = skip_spaces(s);
    int n = read_digits(&p, 10, out);
    return n > 0 && n <= 9 && *skip_spaces(p) == '\0' && *out > 0;
}

int iv_list_per_page_allowed(long per)
{
    return per == 25 || per == 50 || per == 100;
}

/* ---------------------------------------------------------------- sorts, pages */

const iv_list_sort iv_list_sorts[] = {
    { "date",      "date",    1 },
    { "numero",    "number",  1 },
    { "demandeur", "name",    0 },
    { "adresse",   "address", 0 },
    { "ville",     "commune", 0 },
    { "objet",     "object",  0 },
    { "equipe",    "team",    0 },
    { "statut",    "status",  0 },
};
const int iv_list_sorts_count = (int)(sizeof iv_list_sorts / sizeof *iv_list_sorts);

const iv_list_sort *iv_list_sort_find(const char *key)
{
    for (int i = 0; key && i < iv_list_sorts_count; i++)
        if (strcmp(iv_list_sorts[i].key, key) == 0)
            return &iv_list_sorts[i];
    return NULL;
}

long iv_list_pages(long total, long cap, long per_page)
{
    long reachable = total > cap ? cap : total;
    long pages = (reachable + per_page - 1) / per_page;
    return pages > 0 ? pages : 1;
}

int iv_list_page_window(long current, long pages, long *out, int max)
{
    int n = 0;
    long prev = 0;

    for (long p = 1; p <= pages && n < max; ) {
        if (p - prev > 1)
            out[n++] = 0;           /* a gap before this page */
        if (n == max)
            break;
        out[n++] = p;
        prev = p;
        /* the next page worth showing: the window around current, then the last */
        long next = p + 1;
        if (next < current - 2)
            next = current - 2;
        if (next > current + 2 && next < pages)
            next = pages;
        p = next;
    }
    return n;
}
