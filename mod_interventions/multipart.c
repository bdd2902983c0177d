/*
 * multipart.c — streaming multipart/form-data parser; the contract is in multipart.h.
 *
 * The body is a sequence of parts separated by the delimiter CRLF "--" boundary
 * (RFC 2046 §5.1.1). The parser is a byte-driven state machine: whatever the chunking,
 * every byte goes through the same transitions in the same order, which is what makes
 * the outcome independent of the chunk sizes (the fuzz target checks it).
 */
#include <stdlib.h>
#include <string.h>
#include "apr_cstr.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "multipart.h"
#include "text.h"

#define MAX_BOUNDARY 70                       /* RFC 2046 §5.1.1 */

enum state {
    ST_PREAMBLE,     /* before the first delimiter: ignored */
    ST_DELIM_END,    /* right after a delimiter: "--", padding or CRLF */
    ST_PADDING,      /* linear white space after a delimiter */
    ST_DELIM_CR,     /* CR seen after a delimiter, LF expected */
    ST_CLOSE_DASH,   /* one '-' seen after a delimiter, another expected */
    ST_HEADERS,      /* a part's header lines */
    ST_BODY,         /* a part's data */
    ST_EPILOGUE      /* after the closing delimiter: ignored */
};

/* A heap buffer rather than pool memory: pools are not instrumented, so this lets
 * ASan catch overruns while fuzzing. Freed by a cleanup of the parser's pool. */
typedef struct {
    char *data;
    apr_size_t len, cap;
} growbuf;

struct iv_multipart_parser {
    apr_pool_t *pool;              /* the parser, part strings, field values */
    apr_pool_t *scratch;           /* header parsing of the current part */
    iv_multipart_limits lim;
    iv_multipart_callbacks cb;
    void *ctx;
    const char *delim;             /* CRLF "--" boundary */
    apr_size_t dlen;
    apr_size_t match;              /* bytes of delim matched and not yet passed on */
    enum state state;
    iv_mp_status status;
    apr_uint64_t total;            /* bytes fed */
    apr_uint64_t part_bytes;       /* data bytes of the current part */
    unsigned int parts, files;
    int in_part;                   /* on_part_begin called, on_part_end not yet */
    iv_multipart_part part;        /* the current part; name NULL until known */
    apr_size_t header_bytes;       /* of the current part's header block */
    int saw_cr;                    /* in headers: the last byte was a CR */
    const char *disposition;       /* raw header values of the current part */
    const char *content_type;
    growbuf line;                  /* the header line being read */
    growbuf value;                 /* the non-file field value being read */
    apr_table_t *fields;
};

/* Content-Disposition parameters that matter (RFC 7578 §4.2). */
typedef struct {
    const char *name, *filename, *filename_ext;
} disposition;

/* ---- small helpers ------------------------------------------------------ */

static iv_mp_status fail(iv_multipart_parser *mp, iv_mp_status status)
{
    if (mp->status == IV_MP_OK)
        mp->status = status;
    return mp->status;
}

/* Room for len + extra bytes and a final NUL. */
static void growbuf_reserve(growbuf *b, apr_size_t extra)
{
    apr_size_t need = b->len + extra + 1, cap = b->cap ? b->cap : 256;

    if (need <= b->cap)
        return;
    while (cap < need)
        cap = cap > ((apr_size_t)-1) / 2 ? need : cap * 2;
    b->data = realloc(b->data, cap);
    if (!b->data)
        abort();                   /* out of memory: as when an APR pool cannot grow */
    b->cap = cap;
}

static void growbuf_append(growbuf *b, const char *data, apr_size_t len)
{
    growbuf_reserve(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

static apr_status_t free_buffers(void *data)
{
    iv_multipart_parser *mp = data;
    free(mp->line.data);
    free(mp->value.data);
    return APR_SUCCESS;
}

static int boundary_valid(const char *b)
{
    apr_size_t len = strlen(b);

    if (len < 1 || len > MAX_BOUNDARY || b[len - 1] == ' ')
        return 0;
    for (const unsigned char *p = (const unsigned char *)b; *p; p++)
        if (!apr_isalnum(*p) && !strchr("'()+_,-./:=? ", *p))
            return 0;
    return 1;
}

static int is_tchar(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *scan_token(const char *s)
{
    while (*s && is_tchar((unsigned char)*s))
        s++;
    return s;
}

/* An unquoted parameter value. Laxer than a token because clients send values such
 * as boundary=----=_Part_1 unquoted. */
static const char *scan_bare(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p > 0x20 && *p != 0x7f && *p != ';' && *p != '"')
        p++;
    return (const char *)p;
}

/* In a quoted-string, only \" and \\ are escapes: browsers do not escape
 * backslashes, and an old browser's C:\dir\file must keep them. */
static int is_escape(const char *s)
{
    return s[0] == '\\' && (s[1] == '"' || s[1] == '\\');
}

/* A quoted-string from just after its opening quote; returns what follows the
 * closing quote, NULL when there is none. The copy is sized to the string, not to
 * the rest of the line: many parameters must not cost quadratic memory. */
static const char *scan_quoted(apr_pool_t *pool, const char *s, const char **out)
{
    const char *end = s;
    char *o;

    while (*end && *end != '"')
        end += is_escape(end) ? 2 : 1;
    if (*end != '"')
        return NULL;
    *out = o = apr_palloc(pool, (apr_size_t)(end - s) + 1);
    while (s < end) {
        s += is_escape(s);
        *o++ = *s++;
    }
    *o = '\0';
    return end + 1;
}

/* The next `; name=value` of a header value at *s. Returns 1 with copies in pool,
 * 0 at the end (a trailing ";" is tolerated), -1 when malformed. */
static int next_param(apr_pool_t *pool, const char **s, const char **name,
                      const char **value)
{
    const char *p = skip_ows(*s), *end;

    if (!*p)
        return 0;
    if (*p != ';')
        return -1;
    p = skip_ows(p + 1);
    if (!*p)
        return 0;
    end = scan_token(p);
    if (end == p || *end != '=')
        return -1;
    *name = apr_pstrmemdup(pool, p, (apr_size_t)(end - p));
    p = end + 1;
    if (*p == '"') {
        p = scan_quoted(pool, p + 1, value);
    } else {
        end = scan_bare(p);
        *value = apr_pstrmemdup(pool, p, (apr_size_t)(end - p));
        p = end > p ? end : NULL;
    }
    if (!p)
        return -1;
    *s = p;
    return 1;
}

/* ---- Content-Type of the request ---------------------------------------- */

iv_mp_status iv_multipart_boundary(apr_pool_t *pool, const char *content_type,
                                   const char **boundary)
{
    static const char type[] = "multipart/form-data";
    const char *s, *name, *value, *found = NULL;
    int rv;

    *boundary = NULL;
    if (!content_type)
        return IV_MP_BAD_BOUNDARY;
    s = skip_ows(content_type);
    if (apr_cstr_casecmpn(s, type, sizeof type - 1) != 0)
        return IV_MP_BAD_BOUNDARY;
    s += sizeof type - 1;
    while ((rv = next_param(pool, &s, &name, &value)) > 0) {
        if (apr_cstr_casecmp(name, "boundary") != 0)
            continue;
        if (found)                 /* two boundaries: refuse to pick one */
            return IV_MP_BAD_BOUNDARY;
        found = value;
    }
    if (rv < 0 || !found || !boundary_valid(found))
        return IV_MP_BAD_BOUNDARY;
    *boundary = found;
    return IV_MP_OK;
}

/* ---- Content-Disposition of a part -------------------------------------- */

static iv_mp_status parse_disposition(apr_pool_t *pool, const char *s, disposition *d)
{
    const char *end = scan_token(s), *name, *value, **slot;
    int rv;

    memset(d, 0, sizeof *d);
    if (end - s != 9 || apr_cstr_casecmpn(s, "form-data", 9) != 0)
        return IV_MP_MALFORMED;
    s = end;
    while ((rv = next_param(pool, &s, &name, &value)) > 0) {
        slot = !apr_cstr_casecmp(name, "name") ? &d->name
             : !apr_cstr_casecmp(name, "filename") ? &d->filename
             : !apr_cstr_casecmp(name, "filename*") ? &d->filename_ext : NULL;
        if (!slot)
            continue;              /* size=, creation-date= …: nothing for us */
        if (*slot)                 /* twice: another parser might believe the other one */
            return IV_MP_MALFORMED;
        *slot = value;
    }
    return rv < 0 || !d->name ? IV_MP_MALFORMED : IV_MP_OK;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s into *out (NUL-terminated). A NUL byte would cut the name short
 * unseen: refused as an encoding error. */
static iv_mp_status percent_decode(apr_pool_t *pool, const char *s, char **out)
{
    char *o = *out = apr_palloc(pool, strlen(s) + 1);

    for (; *s; s++) {
        if (*s != '%') {
            *o++ = *s;
            continue;
        }
        int hi = hex_value(s[1]), lo = hi < 0 ? -1 : hex_value(s[2]);
        if (lo < 0)
            return IV_MP_MALFORMED;
        if (hi == 0 && lo == 0)
            return IV_MP_BAD_ENCODING;
        *o++ = (char)(hi * 16 + lo);
        s += 2;
    }
    *o = '\0';
    return IV_MP_OK;
}

static char *latin1_to_utf8(apr_pool_t *pool, const char *s)
{
    char *out = apr_palloc(pool, 2 * strlen(s) + 1), *o = out;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) {
            *o++ = (char)*p;
        } else {
            *o++ = (char)(0xc0 | (*p >> 6));
            *o++ = (char)(0x80 | (*p & 0x3f));
        }
    }
    *o = '\0';
    return out;
}

/* RFC 5987 ext-value: charset'language'percent-encoded. */
static iv_mp_status decode_ext_value(apr_pool_t *pool, const char *v, char **out)
{
    const char *q1 = strchr(v, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
    apr_size_t clen = q1 ? (apr_size_t)(q1 - v) : 0;
    int latin1 = clen == 10 && !apr_cstr_casecmpn(v, "ISO-8859-1", 10);
    iv_mp_status st;

    if (!q2)
        return IV_MP_MALFORMED;
    if (!latin1 && !(clen == 5 && !apr_cstr_casecmpn(v, "UTF-8", 5)))
        return IV_MP_BAD_ENCODING;
    st = percent_decode(pool, q2 + 1, out);
    if (st == IV_MP_OK && latin1)
        *out = latin1_to_utf8(pool, *out);
    return st;
}

/* Browsers send a " of a file name as %22 (HTML's multipart/form-data encoding
 * algorithm); other escapes are left alone, as they are ambiguous. */
static char *decode_quote(apr_pool_t *pool, const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1), *o = out;

    while (*s) {
        if (s[0] == '%' && s[1] == '2' && s[2] == '2') {
            *o++ = '"';
            s += 3;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

/* What follows the last / or \ (Windows paths), without control characters. */
static const char *display_filename(apr_pool_t *pool, const char *f)
{
    const char *base = f;
    char *out, *o;

    for (const char *p = f; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    out = o = apr_palloc(pool, strlen(base) + 1);
    for (const unsigned char *p = (const unsigned char *)base; *p; p++)
        if (*p >= 0x20 && *p != 0x7f)
            *o++ = (char)*p;
    *o = '\0';
    return out;
}

/* The filename to show, NULL when the part is not a file. */
static iv_mp_status part_filename(apr_pool_t *pool, const disposition *d,
                                  const char **out)
{
    char *f = NULL;
    iv_mp_status st = IV_MP_OK;

    *out = NULL;
    if (d->filename_ext)
        st = decode_ext_value(pool, d->filename_ext, &f);
    else if (d->filename)
        f = decode_quote(pool, d->filename);
    if (st != IV_MP_OK || !f)
        return st;
    if (!iv_utf8_valid(f, strlen(f)))
        return IV_MP_BAD_ENCODING;
    *out = display_filename(pool, f);
    return IV_MP_OK;
}

/* Fills mp->part from the header values read. */
static iv_mp_status describe_part(iv_multipart_parser *mp)
{
    disposition d;
    const char *ct = mp->content_type, *filename;
    iv_mp_status st;

    if (!mp->disposition)
        return IV_MP_MALFORMED;    /* RFC 7578 §4.2: MUST be present */
    st = parse_disposition(mp->scratch, mp->disposition, &d);
    if (st != IV_MP_OK)
        return st;
    if (!iv_utf8_valid(d.name, strlen(d.name)))
        return IV_MP_BAD_ENCODING;
    mp->part.name = iv_strip_controls(mp->pool, d.name);
    st = part_filename(mp->scratch, &d, &filename);
    if (st != IV_MP_OK)
        return st;
    mp->part.filename = filename ? apr_pstrdup(mp->pool, filename) : NULL;
    if (ct && !iv_utf8_valid(ct, strlen(ct)))
        return IV_MP_BAD_ENCODING;
    mp->part.content_type = ct && *ct ? apr_pstrdup(mp->pool, ct) : NULL;
    return IV_MP_OK;
}

/* ---- part life cycle ---------------------------------------------------- */

static void begin_part(iv_multipart_parser *mp)
{
    if (fail(mp, describe_part(mp)) != IV_MP_OK)
        return;
    if (mp->part.filename && *mp->part.filename && ++mp->files > mp->lim.max_files) {
        fail(mp, IV_MP_TOO_MANY_FILES);
        return;
    }
    mp->in_part = 1;
    mp->part_bytes = 0;
    mp->value.len = 0;
    mp->match = 0;
    mp->state = ST_BODY;
    if (mp->cb.on_part_begin && mp->cb.on_part_begin(mp->ctx, &mp->part))
        fail(mp, IV_MP_CALLBACK_ERROR);
}

/* Adds the field just read to the table, with the urlencoded path's rules. */
static void store_field(iv_multipart_parser *mp)
{
    growbuf *v = &mp->value;
    apr_size_t kept = 0;

    if (!iv_utf8_valid(v->data, v->len)) {
        fail(mp, IV_MP_BAD_ENCODING);
        return;
    }
    for (apr_size_t i = 0; i < v->len; i++)    /* NUL is a control: drop it too */
        if (v->data[i] != '\0')
            v->data[kept++] = v->data[i];
    v->data[kept] = '\0';
    apr_table_addn(mp->fields, mp->part.name, iv_strip_controls(mp->pool, v->data));
}

static void end_part(iv_multipart_parser *mp)
{
    mp->in_part = 0;
    if (!mp->part.filename)
        store_field(mp);
    if (mp->status == IV_MP_OK && mp->cb.on_part_end && mp->cb.on_part_end(mp->ctx))
        fail(mp, IV_MP_CALLBACK_ERROR);
}

/* A delimiter line announced a new part. */
static void begin_headers(iv_multipart_parser *mp)
{
    if (mp->in_part)
        end_part(mp);
    if (mp->status != IV_MP_OK)
        return;
    memset(&mp->part, 0, sizeof mp->part);
    if (mp->parts == mp->lim.max_parts) {
        fail(mp, IV_MP_TOO_MANY_PARTS);
        return;
    }
    mp->part.index = mp->parts++;
    apr_pool_clear(mp->scratch);
    mp->disposition = mp->content_type = NULL;
    mp->header_bytes = 0;
    mp->saw_cr = 0;
    mp->line.len = 0;
    mp->state = ST_HEADERS;
}

/* Passes data confirmed to belong to the current part on, up to the part's limit. */
static void emit_data(iv_multipart_parser *mp, const char *data, apr_size_t len)
{
    int is_file = mp->part.filename != NULL;
    apr_uint64_t limit = is_file ? mp->lim.max_file_bytes : mp->lim.max_field_bytes;
    apr_uint64_t room = limit - mp->part_bytes;
    apr_size_t n = (apr_uint64_t)len > room ? (apr_size_t)room : len;

    mp->part_bytes += n;
    if (!is_file)
        growbuf_append(&mp->value, data, n);
    if (n && mp->cb.on_part_data && mp->cb.on_part_data(mp->ctx, data, n))
        fail(mp, IV_MP_CALLBACK_ERROR);
    else if (n < len)
        fail(mp, is_file ? IV_MP_FILE_TOO_LARGE : IV_MP_FIELD_TOO_LARGE);
}

/* ---- states -------------------------------------------------------------- */

/* Looks for the delimiter; what is not part of it is part data (emit) or preamble.
 * A partial match at the end of a chunk is kept as a count: the bytes are those of
 * delim itself, so nothing needs buffering. */
static const char *scan_delimiter(iv_multipart_parser *mp, const char *p,
                                  const char *end, int emit)
{
    while (p < end && mp->status == IV_MP_OK) {
        if (mp->match == 0) {
            const char *cr = memchr(p, '\r', (apr_size_t)(end - p));
            const char *stop = cr ? cr : end;
            if (emit && stop > p)
                emit_data(mp, p, (apr_size_t)(stop - p));
            if (!cr)
                return end;
            mp->match = 1;
            p = cr + 1;
        } else if (*p == mp->delim[mp->match]) {
            p++;
            if (++mp->match == mp->dlen) {
                mp->match = 0;
                mp->state = ST_DELIM_END;
                return p;
            }
        } else {
            /* Not a delimiter: the matched bytes were data. The current byte is
             * examined again; since delim holds a CR only at its start, no
             * delimiter can begin inside the bytes matched. */
            if (emit)
                emit_data(mp, mp->delim, mp->match);
            mp->match = 0;
        }
    }
    return p;
}

static const char *step_preamble(iv_multipart_parser *mp, const char *p, const char *end)
{
    return scan_delimiter(mp, p, end, 0);
}

static const char *step_body(iv_multipart_parser *mp, const char *p, const char *end)
{
    return scan_delimiter(mp, p, end, 1);
}

/* After a delimiter: "--" closes, optional white space then CRLF opens a part.
 * Anything else means the boundary occurs in the data, which RFC 2046 forbids. */
static const char *step_after_delimiter(iv_multipart_parser *mp, const char *p,
                                        const char *end)
{
    (void)end;
    if (*p == '-' && mp->state == ST_DELIM_END)
        mp->state = ST_CLOSE_DASH;
    else if (*p == ' ' || *p == '\t')
        mp->state = ST_PADDING;
    else if (*p == '\r')
        mp->state = ST_DELIM_CR;
    else
        fail(mp, IV_MP_MALFORMED);
    return p + 1;
}

static const char *step_delim_cr(iv_multipart_parser *mp, const char *p, const char *end)
{
    (void)end;
    if (*p == '\n')
        begin_headers(mp);
    else
        fail(mp, IV_MP_MALFORMED);
    return p + 1;
}

static const char *step_close_dash(iv_multipart_parser *mp, const char *p, const char *end)
{
    (void)end;
    if (*p != '-') {
        fail(mp, IV_MP_MALFORMED);
        return p + 1;
    }
    if (mp->in_part)
        end_part(mp);
    if (mp->status != IV_MP_OK)
        return p + 1;
    memset(&mp->part, 0, sizeof mp->part);   /* later errors concern no part */
    mp->state = ST_EPILOGUE;
    return p + 1;
}

static const char *step_epilogue(iv_multipart_parser *mp, const char *p, const char *end)
{
    (void)mp; (void)p;
    return end;
}

/* Records a Content-Disposition or Content-Type header line; others are ignored. */
static void parse_header(iv_multipart_parser *mp, const char *line)
{
    const char *colon = strchr(line, ':'), **slot;
    apr_size_t nlen = colon ? (apr_size_t)(colon - line) : 0;

    /* a line starting with white space would be folding (obsolete, RFC 7230 §3.2.4) */
    if (!nlen || scan_token(line) != colon) {
        fail(mp, IV_MP_MALFORMED);
        return;
    }
    if (nlen == 19 && !apr_cstr_casecmpn(line, "content-disposition", nlen))
        slot = &mp->disposition;
    else if (nlen == 12 && !apr_cstr_casecmpn(line, "content-type", nlen))
        slot = &mp->content_type;
    else
        return;
    if (*slot)                     /* twice: another parser might believe the other one */
        fail(mp, IV_MP_MALFORMED);
    else
        *slot = iv_trim(mp->scratch, colon + 1);
}

static void end_header_line(iv_multipart_parser *mp)
{
    if (mp->line.len == 0) {
        begin_part(mp);            /* the empty line: headers are complete */
        return;
    }
    mp->line.data[mp->line.len] = '\0';
    parse_header(mp, mp->line.data);
    mp->line.len = 0;
}

/* Header lines end in CRLF; a bare CR or LF, or another control character, is
 * refused rather than guessed at. */
static const char *step_headers(iv_multipart_parser *mp, const char *p, const char *end)
{
    for (; p < end && mp->state == ST_HEADERS && mp->status == IV_MP_OK; p++) {
        unsigned char c = (unsigned char)*p;
        /* + 2: the empty line that ends the block is not counted */
        if (++mp->header_bytes > 2 && mp->header_bytes - 2 > mp->lim.max_header_bytes)
            fail(mp, IV_MP_HEADERS_TOO_LARGE);
        else if (mp->saw_cr && c == '\n') {
            mp->saw_cr = 0;
            end_header_line(mp);
        } else if (mp->saw_cr || (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
            fail(mp, IV_MP_MALFORMED);
        } else if (c == '\r') {
            mp->saw_cr = 1;
        } else {
            growbuf_append(&mp->line, p, 1);
        }
    }
    return p;
}

typedef const char *(*step_fn)(iv_multipart_parser *, const char *, const char *);

static const step_fn steps[] = {
    [ST_PREAMBLE] = step_preamble,
    [ST_DELIM_END] = step_after_delimiter,
    [ST_PADDING] = step_after_delimiter,
    [ST_DELIM_CR] = step_delim_cr,
    [ST_CLOSE_DASH] = step_close_dash,
    [ST_HEADERS] = step_headers,
    [ST_BODY] = step_body,
    [ST_EPILOGUE] = step_epilogue,
};

/* ---- public API ---------------------------------------------------------- */

/* For a form of the product: short text fields (a description may be long) and a
 * few photos straight from a phone. Routes pick their own when they need to. */
iv_multipart_limits iv_multipart_default_limits(void)
{
    return (iv_multipart_limits){
        .max_field_bytes = 64 * 1024,
        .max_file_bytes = 10 * 1024 * 1024,
        .max_total_bytes = 50 * 1024 * 1024,
        .max_files = 10,
        .max_parts = 200,
        .max_header_bytes = 8 * 1024,
    };
}

iv_multipart_parser *iv_multipart_new(apr_pool_t *pool, const char *boundary,
                                      const iv_multipart_limits *limits,
                                      const iv_multipart_callbacks *cb, void *ctx)
{
    iv_multipart_parser *mp = apr_pcalloc(pool, sizeof *mp);

    mp->pool = pool;
    apr_pool_create(&mp->scratch, pool);
    mp->lim = limits ? *limits : iv_multipart_default_limits();
    if (cb)
        mp->cb = *cb;
    mp->ctx = ctx;
    mp->fields = apr_table_make(pool, 8);
    growbuf_reserve(&mp->line, 0);     /* never NULL, even for an empty value */
    growbuf_reserve(&mp->value, 0);
    apr_pool_cleanup_register(pool, mp, free_buffers, apr_pool_cleanup_null);
    if (!boundary || !boundary_valid(boundary)) {
        mp->status = IV_MP_BAD_BOUNDARY;
        return mp;
    }
    mp->delim = apr_pstrcat(pool, "\r\n--", boundary, NULL);
    mp->dlen = strlen(mp->delim);
    mp->match = 2;       /* the body may open with the delimiter line: as if after a CRLF */
    mp->state = ST_PREAMBLE;
    return mp;
}

iv_mp_status iv_multipart_feed(iv_multipart_parser *mp, const char *data, apr_size_t len)
{
    apr_uint64_t room = mp->lim.max_total_bytes - mp->total;
    apr_size_t n = (apr_uint64_t)len > room ? (apr_size_t)room : len;
    const char *end;

    if (mp->status != IV_MP_OK || !len)
        return mp->status;
    end = data + n;
    /* the bytes within the limit are parsed first, so that an earlier error in them
     * wins, whatever the chunking */
    mp->total += n;
    while (data < end && mp->status == IV_MP_OK)
        data = steps[mp->state](mp, data, end);
    if (n < len)
        fail(mp, IV_MP_TOTAL_TOO_LARGE);
    return mp->status;
}

iv_mp_status iv_multipart_finish(iv_multipart_parser *mp)
{
    if (mp->state != ST_EPILOGUE)
        fail(mp, IV_MP_TRUNCATED);
    return mp->status;
}

apr_table_t *iv_multipart_fields(const iv_multipart_parser *mp)
{
    return mp->fields;
}

const iv_multipart_part *iv_multipart_error_part(const iv_multipart_parser *mp)
{
    return mp->status != IV_MP_OK && mp->part.name ? &mp->part : NULL;
}

const char *iv_multipart_status_name(iv_mp_status status)
{
    static const char *const names[] = {
        [IV_MP_OK] = "ok",
        [IV_MP_BAD_BOUNDARY] = "bad_boundary",
        [IV_MP_MALFORMED] = "malformed",
        [IV_MP_FIELD_TOO_LARGE] = "field_too_large",
        [IV_MP_FILE_TOO_LARGE] = "file_too_large",
        [IV_MP_TOTAL_TOO_LARGE] = "total_too_large",
        [IV_MP_TOO_MANY_FILES] = "too_many_files",
        [IV_MP_TOO_MANY_PARTS] = "too_many_parts",
        [IV_MP_HEADERS_TOO_LARGE] = "headers_too_large",
        [IV_MP_TRUNCATED] = "truncated",
        [IV_MP_BAD_ENCODING] = "bad_encoding",
        [IV_MP_CALLBACK_ERROR] = "callback_error",
    };
    if ((unsigned)status >= sizeof names / sizeof names[0])
        return "unknown";
    return names[status];
}
