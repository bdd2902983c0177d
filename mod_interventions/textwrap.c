/*
 * textwrap.c — line breaking for the PDF views (see textwrap.h).
 */
#include <string.h>
#include "apr_strings.h"
#include "textwrap.h"

unsigned iv_utf8_next(const char **s, const char *end)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t avail = (size_t)((const unsigned char *)end - p);
    unsigned c = p[0], cp;
    int tail = c < 0x80 ? 0
             : c >= 0xc2 && c <= 0xdf ? 1
             : c >= 0xe0 && c <= 0xef ? 2
             : c >= 0xf0 && c <= 0xf4 ? 3 : -1;

    if (tail < 0 || avail <= (size_t)tail)
        goto bad;
    for (int i = 1; i <= tail; i++)
        if ((p[i] & 0xc0) != 0x80)
            goto bad;
    /* overlong 3/4-byte forms, UTF-16 surrogates, code points > U+10FFFF */
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0)
        || (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
        goto bad;
    cp = tail ? c & (0x3fu >> tail) : c;
    for (int i = 1; i <= tail; i++)
        cp = (cp << 6) | (p[i] & 0x3fu);
    *s += tail + 1;
    return cp;
bad:
    *s += 1;
    return IV_REPLACEMENT_CHAR;
}

/* The line being filled: words joined by single spaces in buf. */
typedef struct {
    apr_pool_t *pool;
    apr_array_header_t *lines;
    iv_measure_fn measure;
    void *ctx;
    double width, space;
    char *buf;
    size_t len;
    double used;
} wrapper;

static void flush(wrapper *w)
{
    APR_ARRAY_PUSH(w->lines, const char *) = apr_pstrmemdup(w->pool, w->buf, w->len);
    w->len = 0;
    w->used = 0;
}

static void append(wrapper *w, const char *s, size_t len, double width)
{
    if (w->len) {
        w->buf[w->len++] = ' ';
        w->used += w->space;
    }
    memcpy(w->buf + w->len, s, len);
    w->len += len;
    w->used += width;
}

/* A word wider than a line: full-width pieces become lines, the rest starts the
 * next line (the following words may join it). */
static void cut_word(wrapper *w, const char *s, const char *end)
{
    while (s < end) {
        const char *piece = s, *next = s;
        double used = 0;
        while (next < end) {
            const char *after = next;
            double cw;
            iv_utf8_next(&after, end);
            cw = w->measure(w->ctx, next, (size_t)(after - next));
            if (next > piece && used + cw > w->width)
                break;
            used += cw;
            next = after;
        }
        append(w, piece, (size_t)(next - piece), used);
        if (next < end)
            flush(w);
        s = next;
    }
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void wrap_paragraph(wrapper *w, const char *p, const char *end)
{
    size_t before = (size_t)w->lines->nelts;

    while (p < end) {
        const char *word;
        double ww;
        while (p < end && is_blank(*p))
            p++;
        if (p == end)
            break;
        for (word = p; p < end && !is_blank(*p); p++)
            ;
        ww = w->measure(w->ctx, word, (size_t)(p - word));
        if (w->len && w->used + w->space + ww <= w->width) {
            append(w, word, (size_t)(p - word), ww);
            continue;
        }
        if (w->len)
            flush(w);
        if (ww <= w->width)
            append(w, word, (size_t)(p - word), ww);
        else
            cut_word(w, word, p);
    }
    if (w->len || (size_t)w->lines->nelts == before)
        flush(w);
}

apr_array_header_t *iv_text_wrap(apr_pool_t *pool, const char *text, double width,
                                 iv_measure_fn measure, void *ctx)
{
    wrapper w = { pool, apr_array_make(pool, 8, sizeof(const char *)), measure, ctx, width,
                  measure(ctx, " ", 1), NULL, 0, 0 };
    const char *p = text ? text : "", *end = p + strlen(p);

    /* a line is never longer than the text itself */
    w.buf = apr_palloc(pool, (size_t)(end - p) + 1);
    while (p <= end) {
        const char *stop = p;
        while (stop < end && *stop != '\n' && *stop != '\r')
            stop++;
        wrap_paragraph(&w, p, stop);
        if (stop < end && stop[0] == '\r' && stop + 1 < end && stop[1] == '\n')
            stop++;
        p = stop + 1;
    }
    while (w.lines->nelts && !*APR_ARRAY_IDX(w.lines, w.lines->nelts - 1, const char *))
        w.lines->nelts--;
    return w.lines;
}
