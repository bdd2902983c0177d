#include <string.h>
#include "csv.h"

char iv_csv_detect_separator(const char *buf, size_t len)
{
    const char candidates[] = { ';', ',', '\t' };
    size_t counts[3] = { 0, 0, 0 };
    int quoted = 0;

    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == '\n' || ch == '\r'))
            break;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                counts[k] += ch == candidates[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return candidates[best];
}

void iv_csv_init(iv_csv *c, char *buf, size_t len, char sep)
{
    c->p = buf;
    c->end = buf + len;
    c->sep = sep;
    c->records = 0;
    c->unterminated = 0;
}

static int field_end(const iv_csv *c, const char *p)
{
    return p >= c->end || *p == c->sep || *p == '\n' || *p == '\r';
}

/* A quoted field whose opening quote is at p: its text is moved to p (the
 * unescaped text is never longer than the escaped one) up to the closing quote
 * that a separator or a line end follows; "" is a quote, any other quote a
 * character. Text between the closing quote and the separator belongs to the
 * field too. Returns where reading stopped; *out_end is the end of the text. */
static char *quoted_field(iv_csv *c, char *p, char **out_end)
{
    char *o = p, *r = p + 1;

    for (;;) {
        if (r >= c->end) {
            c->unterminated = 1;
            break;
        }
        if (*r != '"') {
            *o++ = *r++;
            continue;
        }
        if (r + 1 < c->end && r[1] == '"') {
            *o++ = '"';
            r += 2;
            continue;
        }
        if (field_end(c, r + 1)) {
            r++;
            break;
        }
        *o++ = *r++;
    }
    while (!field_end(c, r))
        *o++ = *r++;
    *out_end = o;
    return r;
}

int iv_csv_next(iv_csv *c, apr_array_header_t *fields)
{
    char *p = c->p;

    apr_array_clear(fields);
    c->unterminated = 0;
    if (p >= c->end)
        return 0;
    for (;;) {
        char *text = p, *text_end, stop;

        if (p < c->end && *p == '"') {
            p = quoted_field(c, p, &text_end);
        } else {
            while (!field_end(c, p))
                p++;
            text_end = p;
        }
        stop = p < c->end ? *p : '\n';
        *text_end = '\0';          /* text_end <= p: at worst the separator itself */
        *(char **)apr_array_push(fields) = text;
        if (stop == c->sep) {
            p++;
            continue;
        }
        if (stop == '\r' && p + 1 < c->end && p[1] == '\n')
            p++;
        if (p < c->end)
            p++;
        break;
    }
    c->p = p;
    c->records++;
    return 1;
}
