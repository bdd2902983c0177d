#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "apr_strings.h"
#include "validate.h"

/* Digits of typed, with the separators people use removed; "+" kept at the
 * start. NULL when anything else appears. */
static char *phone_digits(apr_pool_t *pool, const char *typed)
{
    char *out = apr_palloc(pool, strlen(typed) + 1), *o = out;
    for (const char *p = typed; *p; p++) {
        if (isdigit((unsigned char)*p) || (*p == '+' && o == out))
            *o++ = *p;
        else if (!strchr(" .-/()\t", *p))
            return NULL;
    }
    *o = '\0';
    return out;
}

const char *iv_phone_normalize(apr_pool_t *pool, const char *typed)
{
    char *d = phone_digits(pool, typed);
    size_t len;

    if (!d)
        return NULL;
    if (strncmp(d, "0033", 4) == 0)
        d = apr_pstrcat(pool, "+33", d + 4, NULL);
    if (strncmp(d, "+33", 3) == 0) {
        const char *rest = d + 3;
        if (rest[0] == '0')          /* "+33 (0)1 ..." */
            rest++;
        return strlen(rest) == 9 && rest[0] != '0' ? apr_pstrcat(pool, "0", rest, NULL) : NULL;
    }
    len = strlen(d);
    if (d[0] == '+')
        return len >= 7 && len <= 16 && d[1] != '0' ? d : NULL;
    return len == 10 && d[0] == '0' && d[1] != '0' ? d : NULL;
}

const char *iv_phone_display(apr_pool_t *pool, const char *stored)
{
    if (!stored || strlen(stored) != 10 || stored[0] != '0')
        return stored;
    return apr_psprintf(pool, "%.2s %.2s %.2s %.2s %.2s", stored, stored + 2, stored + 4,
                        stored + 6, stored + 8);
}

static int domain_valid(const char *d)
{
    const char *last_dot = strrchr(d, '.');
    if (!last_dot || d[0] == '.' || last_dot[1] == '\0' || strstr(d, ".."))
        return 0;
    for (const char *p = d; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.' || (unsigned char)*p >= 0x80))
            return 0;
    return 1;
}

int iv_email_valid(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
        return 0;
    for (const char *p = s; p < at; p++)
        if (isspace((unsigned char)*p) || (unsigned char)*p < 0x21 || strchr("<>()[],;:\"\\", *p))
            return 0;
    return domain_valid(at + 1);
}

static int days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int date_ok(int y, int m, int d)
{
    return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Reads "JJ/MM/AAAA" or "AAAA-MM-JJ" at s; returns the characters consumed or 0. */
static int scan_date(const char *s, int *y, int *m, int *d)
{
    int n = 0;
    if (sscanf(s, "%2d/%2d/%4d%n", d, m, y, &n) == 3 && n == 10)
        return n;
    if (sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) == 3 && n == 10)
        return n;
    return 0;
}

static int all_digits_where_expected(const char *s, const char *shape)
{
    /* shape: '9' for a digit, anything else literal; lengths must match */
    if (strlen(s) != strlen(shape))
        return 0;
    for (; *shape; s++, shape++)
        if (*shape == '9' ? !isdigit((unsigned char)*s) : *s != *shape)
            return 0;
    return 1;
}

static int shape_ok(const char *s)
{
    static const char *const shapes[] = { "99/99/9999", "99/99/9999 99:99", "9999-99-99",
                                          "9999-99-99T99:99", "9999-99-99 99:99" };
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
        if (all_digits_where_expected(s, shapes[i]))
            return 1;
    return 0;
}

const char *iv_datetime_parse(apr_pool_t *pool, const char *typed)
{
    int y, m, d, hh = 0, mm = 0, n;

    if (!shape_ok(typed) || !(n = scan_date(typed, &y, &m, &d)) || !date_ok(y, m, d))
        return NULL;
    if (typed[n] && sscanf(typed + n + 1, "%2d:%2d", &hh, &mm) != 2)
        return NULL;
    if (hh > 23 || mm > 59)
        return NULL;
    return apr_psprintf(pool, "%04d-%02d-%02d %02d:%02d", y, m, d, hh, mm);
}

const char *iv_date_parse(apr_pool_t *pool, const char *typed)
{
    int y, m, d;
    if (strlen(typed) != 10 || !shape_ok(typed) || !scan_date(typed, &y, &m, &d)
        || !date_ok(y, m, d))
        return NULL;
    return apr_psprintf(pool, "%04d-%02d-%02d", y, m, d);
}

const char *iv_datetime_input(apr_pool_t *pool, const char *canonical)
{
    char *copy;
    if (!canonical || strlen(canonical) != 16)
        return canonical;
    copy = apr_pstrdup(pool, canonical);
    copy[10] = 'T';
    return copy;
}
