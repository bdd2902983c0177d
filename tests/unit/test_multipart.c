/* Unit tests of the multipart/form-data parser (mod_interventions/multipart.c).
 *
 * Every body goes through parse_all(), which feeds it whole, byte by byte and in
 * random chunk sizes (fixed seeds) and asserts that the outcomes are identical: the
 * chunking invariance is checked by every test, not only by the dedicated ones. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include "unit.h"
#include "apr_strings.h"
#include "multipart.h"

#define B      "XyZzy"
#define CRLF   "\r\n"
#define DELIM  "--" B CRLF
#define CLOSE  "--" B "--" CRLF
#define CD     "Content-Disposition: form-data; "
#define FIELD(name, value) DELIM CD "name=\"" name "\"" CRLF CRLF value CRLF
#define FILEPART(name, filename, type, data) \
    DELIM CD "name=\"" name "\"; filename=\"" filename "\"" CRLF \
    "Content-Type: " type CRLF CRLF data CRLF

#define SEEDS 24

/* ---- recording what the parser reports ---------------------------------- */

typedef struct {
    apr_pool_t *pool;
    char *log;                  /* begin/data/end events, binary safe */
    apr_size_t len, cap;
    int fail_in;                /* 1, 2 or 3: that callback returns an error */
    apr_size_t data_calls;
} recorder;

static void rec_add(recorder *r, const char *s, apr_size_t n)
{
    if (r->len + n + 1 > r->cap) {
        apr_size_t cap = (r->len + n + 1) * 2;
        char *log = apr_palloc(r->pool, cap);
        if (r->len)
            memcpy(log, r->log, r->len);
        r->log = log;
        r->cap = cap;
    }
    memcpy(r->log + r->len, s, n);
    r->len += n;
    r->log[r->len] = '\0';
}

static const char *or_null(const char *s) { return s ? s : "(null)"; }

static int on_begin(void *ctx, const iv_multipart_part *p)
{
    recorder *r = ctx;
    const char *s = apr_psprintf(r->pool, "<%u %s|%s|%s>", p->index, p->name,
                                 or_null(p->filename), or_null(p->content_type));
    rec_add(r, s, strlen(s));
    return r->fail_in == 1;
}

static int on_data(void *ctx, const char *data, apr_size_t len)
{
    recorder *r = ctx;
    assert_true(len > 0);
    r->data_calls++;
    rec_add(r, data, len);
    return r->fail_in == 2;
}

static int on_end(void *ctx)
{
    recorder *r = ctx;
    rec_add(r, "</>", 3);
    return r->fail_in == 3;
}

static const iv_multipart_callbacks callbacks = { on_begin, on_data, on_end };

/* ---- feeding -------------------------------------------------------------- */

typedef struct {
    iv_mp_status status;
    const char *log;            /* NUL-terminated, may hold NULs before the end */
    apr_size_t loglen;
    const char *fields;         /* "name=value;" for each field, in order */
    const char *err_name;       /* name of iv_multipart_error_part, or NULL */
    apr_table_t *table;
} result;

#define WHOLE 0
#define BYTES (-1)

/* Next chunk length: small sizes mostly (to cut through delimiters and headers),
 * sometimes large ones. Deterministic, independent of the C library's rand(). */
static apr_size_t next_chunk(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    unsigned x = (*seed >> 16) & 0x7fff;
    return x % 8 == 0 ? 1 + x % 300 : 1 + x % 7;
}

static const char *table_text(apr_pool_t *pool, apr_table_t *t)
{
    const apr_array_header_t *a = apr_table_elts(t);
    const apr_table_entry_t *e = (const apr_table_entry_t *)a->elts;
    const char *s = "";
    for (int i = 0; i < a->nelts; i++)
        s = apr_pstrcat(pool, s, e[i].key, "=", e[i].val, ";", NULL);
    return s;
}

static result parse_mode(apr_pool_t *pool, const char *body, apr_size_t len, int mode,
                         const iv_multipart_limits *lim, int fail_in)
{
    recorder rec = { .pool = pool, .fail_in = fail_in };
    iv_multipart_parser *mp = iv_multipart_new(pool, B, lim, &callbacks, &rec);
    unsigned seed = (unsigned)mode;
    apr_size_t off = 0;
    result res;

    rec_add(&rec, "", 0);
    while (off < len) {
        apr_size_t n = mode == WHOLE ? len : mode == BYTES ? 1 : next_chunk(&seed);
        if (n > len - off)
            n = len - off;
        iv_mp_status st = iv_multipart_feed(mp, body + off, n);
        off += n;
        if (st != IV_MP_OK) {
            /* an error sticks, and nothing more is reported */
            apr_size_t before = rec.len;
            assert_int_equal(iv_multipart_feed(mp, body, len), st);
            assert_int_equal(rec.len, before);
            break;
        }
    }
    res.status = iv_multipart_finish(mp);
    assert_int_equal(iv_multipart_finish(mp), res.status);
    res.log = rec.log;
    res.loglen = rec.len;
    res.table = iv_multipart_fields(mp);
    res.fields = table_text(pool, res.table);
    res.err_name = iv_multipart_error_part(mp) ? iv_multipart_error_part(mp)->name : NULL;
    return res;
}

/* Parses the body whole, byte by byte and in SEEDS random chunkings; all must agree. */
static result parse_lim(apr_pool_t *pool, const char *body, apr_size_t len,
                        const iv_multipart_limits *lim)
{
    result whole = parse_mode(pool, body, len, WHOLE, lim, 0);
    for (int mode = BYTES; mode <= SEEDS; mode++) {
        if (mode == WHOLE)
            continue;
        result r = parse_mode(pool, body, len, mode, lim, 0);
        assert_int_equal(r.status, whole.status);
        assert_int_equal(r.loglen, whole.loglen);
        assert_memory_equal(r.log, whole.log, whole.loglen);
        assert_string_equal(r.fields, whole.fields);
        assert_string_equal(or_null(r.err_name), or_null(whole.err_name));
    }
    return whole;
}

static result parse(apr_pool_t *pool, const char *body)
{
    return parse_lim(pool, body, strlen(body), NULL);
}

/* Limits far above what the tests send; each test lowers the one it checks. */
static iv_multipart_limits roomy(void)
{
    return (iv_multipart_limits){ 1 << 20, 1 << 20, 1 << 24, 100, 100, 1 << 16 };
}

static void assert_error(apr_pool_t *pool, const char *body, iv_mp_status want,
                         const char *err_name)
{
    result r = parse(pool, body);
    if (r.status != want)
        fail_msg("status %s, expected %s, for body:\n%s", iv_multipart_status_name(r.status),
                 iv_multipart_status_name(want), body);
    assert_string_equal(or_null(r.err_name), or_null(err_name));
}

/* ---- boundary ------------------------------------------------------------- */

#define REFUSED "(refused)"

/* The boundary found in a Content-Type value, or REFUSED. */
static const char *boundary_of(apr_pool_t *pool, const char *ct)
{
    const char *b = "unset";
    iv_mp_status st = iv_multipart_boundary(pool, ct, &b);
    if (st != IV_MP_OK) {
        assert_int_equal(st, IV_MP_BAD_BOUNDARY);
        assert_null(b);
        return REFUSED;
    }
    return b;
}

static void assert_refused(apr_pool_t *pool, const char *ct)
{
    assert_string_equal(boundary_of(pool, ct), REFUSED);
}

static void test_boundary_found(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(boundary_of(p, "multipart/form-data; boundary=abc"), "abc");
    assert_string_equal(boundary_of(p, "multipart/form-data;boundary=abc"), "abc");
    assert_string_equal(boundary_of(p,
        "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"),
        "----WebKitFormBoundary7MA4YWxkTrZu0gW");
    assert_string_equal(boundary_of(p, "Multipart/Form-Data; BOUNDARY=xyz"), "xyz");
    assert_string_equal(boundary_of(p,
        "multipart/form-data; charset=UTF-8; Boundary=\"simple boundary\"  "),
        "simple boundary");
    assert_string_equal(boundary_of(p, "multipart/form-data; boundary=----=_Part_0_1.2"),
                        "----=_Part_0_1.2");
    assert_string_equal(boundary_of(p, "  multipart/form-data ; boundary=abc ;"), "abc");
}

static void test_boundary_lengths(void **state)
{
    apr_pool_t *p = *state;
    const char *b70 = "0123456789012345678901234567890123456789012345678901234567890123456789";
    assert_string_equal(boundary_of(p, apr_pstrcat(p, "multipart/form-data; boundary=",
                                                   b70, NULL)), b70);
    assert_refused(p, apr_pstrcat(p, "multipart/form-data; boundary=", b70, "x", NULL));
    assert_string_equal(boundary_of(p, "multipart/form-data; boundary=a"), "a");
    assert_refused(p, "multipart/form-data; boundary=\"\"");
    assert_refused(p, "multipart/form-data; boundary=");
}

static void test_boundary_refused(void **state)
{
    apr_pool_t *p = *state;
    assert_refused(p, NULL);
    assert_refused(p, "");
    assert_refused(p, "multipart/form-data");
    assert_refused(p, "multipart/form-data; charset=utf-8");
    assert_refused(p, "multipart/mixed; boundary=abc");
    assert_refused(p, "application/x-www-form-urlencoded; boundary=abc");
    assert_refused(p, "multipart/form-datax; boundary=abc");
    assert_refused(p, "multipart/form-data; boundary=a@b");      /* not bchars */
    assert_refused(p, "multipart/form-data; boundary=\"ab \"");  /* final space */
    assert_refused(p, "multipart/form-data; boundary=\"a\\\"b\""); /* quote */
    assert_refused(p, "multipart/form-data; boundary=\"abc");    /* unterminated */
    assert_refused(p, "multipart/form-data; boundary=a; boundary=b");
    assert_refused(p, "multipart/form-data; boundary = abc");
    assert_refused(p, "multipart/form-data boundary=abc");
}

static void test_new_with_bad_boundary(void **state)
{
    const char *bad[] = { NULL, "", "a@b", "trailing ",
        "01234567890123456789012345678901234567890123456789012345678901234567890" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        iv_multipart_parser *mp = iv_multipart_new(*state, bad[i], NULL, NULL, NULL);
        assert_non_null(mp);
        assert_int_equal(iv_multipart_feed(mp, CLOSE, strlen(CLOSE)), IV_MP_BAD_BOUNDARY);
        assert_int_equal(iv_multipart_finish(mp), IV_MP_BAD_BOUNDARY);
        assert_null(iv_multipart_error_part(mp));
    }
}

static void test_boundary_with_space(void **state)
{
    const char body[] = "--simple boundary" CRLF CD "name=\"a\"" CRLF CRLF "1" CRLF
                        "--simple boundary--";
    iv_multipart_parser *mp = iv_multipart_new(*state, "simple boundary", NULL, NULL, NULL);
    assert_int_equal(iv_multipart_feed(mp, body, strlen(body)), IV_MP_OK);
    assert_int_equal(iv_multipart_finish(mp), IV_MP_OK);
    assert_string_equal(apr_table_get(iv_multipart_fields(mp), "a"), "1");
}

/* ---- well-formed bodies ---------------------------------------------------- */

static void test_fields(void **state)
{
    result r = parse(*state, FIELD("nom", "Dupré") FIELD("commune", "Saint-Mandé") CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.log, "<0 nom|(null)|(null)>Dupré</><1 commune|(null)|(null)>"
                               "Saint-Mandé</>");
    assert_string_equal(r.fields, "nom=Dupré;commune=Saint-Mandé;");
    assert_null(r.err_name);
}

static void test_file_part(void **state)
{
    result r = parse(*state, FIELD("objet", "Nid-de-poule")
                     FILEPART("photo", "trou.jpg", "image/jpeg", "JPEGDATA") CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.log, "<0 objet|(null)|(null)>Nid-de-poule</>"
                               "<1 photo|trou.jpg|image/jpeg>JPEGDATA</>");
    assert_string_equal(r.fields, "objet=Nid-de-poule;");   /* files are not fields */
}

static void test_preamble_and_epilogue_ignored(void **state)
{
    result r = parse(*state, "This is the preamble. --" B " is not at a line start."
                     CRLF "more preamble" CRLF FIELD("a", "1") CLOSE
                     "This is the epilogue." CRLF FIELD("b", "2") CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.log, "<0 a|(null)|(null)>1</>");
    assert_string_equal(r.fields, "a=1;");
}

static void test_no_parts(void **state)
{
    result r = parse(*state, CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.log, "");
    assert_string_equal(r.fields, "");
}

static void test_close_without_final_crlf_and_padding(void **state)
{
    result r = parse(*state, DELIM CD "name=\"a\"" CRLF CRLF "1" CRLF
                     "--" B " \t" CRLF CD "name=\"b\"" CRLF CRLF "2" CRLF "--" B "--");
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.fields, "a=1;b=2;");
}

static void test_empty_part_and_empty_file(void **state)
{
    result r = parse(*state, FIELD("vide", "") FILEPART("pj", "vide.txt", "text/plain", "")
                     FIELD("apres", "x") CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.log, "<0 vide|(null)|(null)></><1 pj|vide.txt|text/plain></>"
                               "<2 apres|(null)|(null)>x</>");
    assert_string_equal(r.fields, "vide=;apres=x;");
}

static void test_file_input_left_empty(void **state)
{
    iv_multipart_limits lim = roomy();
    const char *body = FILEPART("photo", "", "application/octet-stream", "") CLOSE;
    lim.max_files = 0;             /* a file input left empty is not a file */
    result r = parse_lim(*state, body, strlen(body), &lim);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.log, "<0 photo||application/octet-stream></>");
    assert_string_equal(r.fields, "");
}

static void test_header_names_and_parameters(void **state)
{
    result r = parse(*state,
        DELIM "content-disposition: FORM-DATA; filename=\"a.txt\"; NAME=\"f\"" CRLF
        "CONTENT-TYPE:text/plain  " CRLF CRLF "x" CRLF
        DELIM "X-Unknown: whatever" CRLF "Content-Transfer-Encoding: binary" CRLF
        "Content-Disposition:form-data;name=plain ; size=12;creation-date=\"Wed, 12 Feb\""
        CRLF CRLF "y" CRLF
        DELIM CD "name=\"q\\\"u\\\\o\\te\"" CRLF CRLF "z" CRLF
        CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.log, "<0 f|a.txt|text/plain>x</><1 plain|(null)|(null)>y</>"
                               "<2 q\"u\\o\\te|(null)|(null)>z</>");
}

static void test_boundary_in_data_not_at_line_start(void **state)
{
    const char *value = "a--" B " b\n--" B "\n" "--" B "--" " c";
    result r = parse(*state, apr_pstrcat(*state, DELIM CD "name=\"t\"" CRLF CRLF, value,
                                         CRLF, CLOSE, NULL));
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(apr_table_get(r.table, "t"), value);
}

static void test_partial_delimiters_in_data(void **state)
{
    /* CRLF "--" not followed by the boundary, prefixes of the delimiter, stray CRs */
    const char *value = "l1" CRLF "--" CRLF "-- " B CRLF "--XyZ" CRLF "--Xy\r\r\n--XyZz"
                        "\r\r" CRLF "-" CRLF "\r";
    result r = parse(*state, apr_pstrcat(*state, DELIM CD "name=\"t\"" CRLF CRLF, value,
                                         CRLF, CLOSE, NULL));
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(apr_table_get(r.table, "t"), value);
}

static void test_binary_file(void **state)
{
    static const char data[] = "\0\x01\r\n\0--\r\n--XyZz\r\r\n\xff\xfe\0" B "\n\r";
    const char *head = DELIM CD "name=\"bin\"; filename=\"b.bin\"" CRLF CRLF;
    const char *tail = CRLF CLOSE;
    apr_size_t hl = strlen(head), dl = sizeof data - 1, tl = strlen(tail);
    char *body = apr_palloc(*state, hl + dl + tl);
    const char *open = "<0 bin|b.bin|(null)>";

    memcpy(body, head, hl);
    memcpy(body + hl, data, dl);
    memcpy(body + hl + dl, tail, tl);
    result r = parse_lim(*state, body, hl + dl + tl, NULL);
    assert_int_equal(r.status, IV_MP_OK);
    assert_int_equal(r.loglen, strlen(open) + dl + 3);
    assert_memory_equal(r.log, open, strlen(open));
    assert_memory_equal(r.log + strlen(open), data, dl);
    assert_memory_equal(r.log + strlen(open) + dl, "</>", 3);
}

static void test_nested_multipart_is_opaque(void **state)
{
    const char *inner = "--inner" CRLF "Content-Disposition: file; filename=\"a.txt\"" CRLF
                        CRLF "A" CRLF "--inner--";
    result r = parse(*state, apr_pstrcat(*state, DELIM CD "name=\"pj\"" CRLF
                     "Content-Type: multipart/mixed; boundary=inner" CRLF CRLF, inner, CRLF,
                     CLOSE, NULL));
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(apr_table_get(r.table, "pj"), inner);
}

static void test_repeated_names_kept(void **state)
{
    result r = parse(*state, FIELD("tag", "a") FIELD("x", "1") FIELD("tag", "b") CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(r.fields, "tag=a;x=1;tag=b;");
    assert_string_equal(apr_table_get(r.table, "tag"), "a");
}

static void test_field_controls_stripped(void **state)
{
    static const char body[] = DELIM CD "name=\"c\"" CRLF CRLF "a\x01" "b\tc\0d\r\ne\x7f" CRLF
                               CLOSE;
    result r = parse_lim(*state, body, sizeof body - 1, NULL);
    assert_int_equal(r.status, IV_MP_OK);
    assert_string_equal(apr_table_get(r.table, "c"), "ab\tcd\r\ne\x7f");
}

/* ---- filenames ------------------------------------------------------------- */

static const char *filename_of(apr_pool_t *pool, const char *params)
{
    result r = parse(pool, apr_pstrcat(pool, DELIM CD "name=\"f\"; ", params, CRLF CRLF
                                       "d" CRLF CLOSE, NULL));
    const char *open = strchr(r.log, '|'), *close;
    assert_int_equal(r.status, IV_MP_OK);
    assert_non_null(open);
    close = strchr(open + 1, '|');
    return apr_pstrmemdup(pool, open + 1, (apr_size_t)(close - open - 1));
}

static void test_filename_utf8(void **state)
{
    assert_string_equal(filename_of(*state, "filename=\"Photo été.jpg\""), "Photo été.jpg");
}

static void test_filename_paths_stripped(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(filename_of(p,
        "filename=\"C:\\Users\\Marie\\Documents\\rapport.pdf\""), "rapport.pdf");
    assert_string_equal(filename_of(p, "filename=\"C:\\\\Temp\\\\a.txt\""), "a.txt");
    assert_string_equal(filename_of(p, "filename=\"/home/marie/photo.png\""), "photo.png");
    assert_string_equal(filename_of(p, "filename=\"../../etc/passwd\""), "passwd");
    assert_string_equal(filename_of(p, "filename=\"dossier/\""), "");
}

static void test_filename_ext_value(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(filename_of(p, "filename*=UTF-8''Photo%20%C3%A9t%C3%A9.jpg"),
                        "Photo été.jpg");
    /* preferred over filename=, in either order */
    assert_string_equal(filename_of(p, "filename=\"Photo ete.jpg\"; "
                                       "filename*=utf-8'fr'Photo%20%c3%a9t%c3%a9.jpg"),
                        "Photo été.jpg");
    assert_string_equal(filename_of(p, "filename*=UTF-8''%E2%82%AC.txt; filename=\"e.txt\""),
                        "€.txt");
    assert_string_equal(filename_of(p, "filename*=ISO-8859-1'fr'caf%E9.txt"), "café.txt");
    /* decoded before the path is stripped */
    assert_string_equal(filename_of(p, "filename*=UTF-8''a%2Fb%5Cc.txt"), "c.txt");
    assert_string_equal(filename_of(p, "filename*=UTF-8''a%01b%0A.txt"), "ab.txt");
}

static void test_filename_quotes(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(filename_of(p, "filename=\"Devis %22final%22.pdf\""),
                        "Devis \"final\".pdf");
    assert_string_equal(filename_of(p, "filename=\"a\\\"b.txt\""), "a\"b.txt");
    assert_string_equal(filename_of(p, "filename=\"100%.txt\""), "100%.txt");
    assert_string_equal(filename_of(p, "filename=plain.txt"), "plain.txt");
    assert_string_equal(filename_of(p, "filename=\"tab\there.txt\""), "tabhere.txt");
}

/* The contract: part strings live as long as the parser's pool, although the
 * parser reuses its part structure. */
static int copy_first_part(void *ctx, const iv_multipart_part *part)
{
    iv_multipart_part *first = ctx;
    if (!first->name)
        *first = *part;
    return 0;
}

static void test_strings_outlive_callbacks(void **state)
{
    const char *body = FILEPART("photo", "p.jpg", "image/jpeg", "x") FIELD("a", "1") CLOSE;
    iv_multipart_callbacks cb = { copy_first_part, NULL, NULL };
    iv_multipart_part first = { 0 };
    iv_multipart_parser *mp = iv_multipart_new(*state, B, NULL, &cb, &first);

    assert_int_equal(iv_multipart_feed(mp, body, strlen(body)), IV_MP_OK);
    assert_int_equal(iv_multipart_finish(mp), IV_MP_OK);
    assert_string_equal(first.name, "photo");
    assert_string_equal(first.filename, "p.jpg");
    assert_string_equal(first.content_type, "image/jpeg");
    assert_int_equal(first.index, 0);
}

/* ---- errors ---------------------------------------------------------------- */

static void test_malformed(void **state)
{
    static const char *const bodies[] = {
        DELIM "Content-Type: text/plain" CRLF CRLF "x" CRLF CLOSE,      /* no disposition */
        DELIM CRLF "x" CRLF CLOSE,                                      /* no headers */
        DELIM "Content-Disposition: attachment; name=\"a\"" CRLF CRLF "x" CRLF CLOSE,
        DELIM "Content-Disposition: form-data" CRLF CRLF "x" CRLF CLOSE, /* no name */
        DELIM "Content-Disposition: form-data; filename=\"a\"" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD CRLF " name=\"a\"" CRLF CRLF "x" CRLF CLOSE,           /* folding */
        DELIM CD "name=\"a\"" "\n" CRLF "x" CRLF CLOSE,                 /* bare LF */
        DELIM CD "name=\"a\"" "\r" "X: y" CRLF CRLF "x" CRLF CLOSE,     /* bare CR */
        DELIM CD "name=\"a\"" CRLF "no colon" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"" CRLF "Content Type: x" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"" CRLF ": x" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"" CRLF "X-Ctl: a\x01" "b" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"; name=\"b\"" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"; filename=\"a\"; FileName=\"b\"" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"" CRLF CD "name=\"b\"" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"" CRLF "Content-Type: a" CRLF "content-type: b" CRLF CRLF
            "x" CRLF CLOSE,
        DELIM CD "name=\"a" CRLF CRLF "x" CRLF CLOSE,                   /* unterminated */
        DELIM CD "name = \"a\"" CRLF CRLF "x" CRLF CLOSE,
        DELIM "Content-Disposition: form-data name=\"a\"" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\" junk" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"; filename*=UTF-8''%zz" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"; filename*=UTF-8" CRLF CRLF "x" CRLF CLOSE,
        DELIM CD "name=\"a\"; filename*=UTF-8''%4" CRLF CRLF "x" CRLF CLOSE,
        "--" B "X" CRLF CD "name=\"a\"" CRLF CRLF "x" CRLF CLOSE,       /* longer boundary */
        FIELD("a", "x") "--" B "-x" CRLF,
        FIELD("a", "x") "--" B "\rX",
        FIELD("a", "x") "--" B " \tX",
        FIELD("a", "x") "--" B " -" CRLF,
        FIELD("a", "1" CRLF "--" B "more") CLOSE,                      /* boundary in data */
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        result r = parse(*state, bodies[i]);
        if (r.status != IV_MP_MALFORMED)
            fail_msg("body %zu: %s", i, iv_multipart_status_name(r.status));
    }
}

static void test_malformed_names_the_part(void **state)
{
    assert_error(*state, FIELD("a", "x") DELIM CD "name=\"b\"" CRLF " folded" CRLF CRLF
                 CLOSE, IV_MP_MALFORMED, NULL);
    assert_error(*state, FIELD("a", "x" CRLF "--" B "x") CLOSE, IV_MP_MALFORMED, "a");
    assert_error(*state, DELIM CD "name=\"b\"; filename*=UTF-8''%z" CRLF CRLF CLOSE,
                 IV_MP_MALFORMED, "b");
}

static void test_truncated(void **state)
{
    apr_pool_t *p = *state;
    assert_error(p, "", IV_MP_TRUNCATED, NULL);
    assert_error(p, "just a preamble" CRLF, IV_MP_TRUNCATED, NULL);
    assert_error(p, FIELD("a", "1"), IV_MP_TRUNCATED, "a");
    assert_error(p, FIELD("a", "1") "--" B, IV_MP_TRUNCATED, "a");
    assert_error(p, FIELD("a", "1") "--" B "-", IV_MP_TRUNCATED, "a");
    assert_error(p, FIELD("a", "1") "--" B CRLF, IV_MP_TRUNCATED, NULL);
    assert_error(p, DELIM CD "name=\"a\"" CRLF, IV_MP_TRUNCATED, NULL);
    assert_error(p, DELIM CD "name=\"a\"" CRLF CRLF "half a val", IV_MP_TRUNCATED, "a");
    assert_error(p, FILEPART("f", "f.bin", "x/y", "data") "--" B "\r", IV_MP_TRUNCATED, "f");
}

static void test_bad_encoding(void **state)
{
    apr_pool_t *p = *state;
    assert_error(p, FIELD("a", "ok") FIELD("b", "caf\xe9") CLOSE, IV_MP_BAD_ENCODING, "b");
    assert_error(p, FIELD("a", "\xed\xa0\x80") CLOSE, IV_MP_BAD_ENCODING, "a");
    assert_error(p, FIELD("a", "x") FIELD("\xc3(", "x") CLOSE, IV_MP_BAD_ENCODING, NULL);
    assert_error(p, FILEPART("f", "caf\xe9.txt", "text/plain", "x") CLOSE,
                 IV_MP_BAD_ENCODING, "f");
    assert_error(p, DELIM CD "name=\"f\"; filename*=UTF-8''caf%E9.txt" CRLF CRLF "x" CRLF
                 CLOSE, IV_MP_BAD_ENCODING, "f");
    assert_error(p, DELIM CD "name=\"f\"; filename*=KOI8-R''x.txt" CRLF CRLF "x" CRLF
                 CLOSE, IV_MP_BAD_ENCODING, "f");
    assert_error(p, DELIM CD "name=\"f\"; filename*=UTF-8''a%00b" CRLF CRLF "x" CRLF
                 CLOSE, IV_MP_BAD_ENCODING, "f");
    assert_error(p, DELIM CD "name=\"f\"" CRLF "Content-Type: text/\xff" CRLF CRLF "x" CRLF
                 CLOSE, IV_MP_BAD_ENCODING, "f");
    /* a file's data is never checked: it is the handler's to judge */
    result r = parse(p, FILEPART("f", "a.bin", "x/y", "\xff\xfe") CLOSE);
    assert_int_equal(r.status, IV_MP_OK);
}

static void check_callback_error(apr_pool_t *pool, int fail_in, const char *log)
{
    const char *body = FIELD("a", "1") FIELD("b", "2") CLOSE;
    for (int mode = BYTES; mode <= SEEDS; mode++) {
        result r = parse_mode(pool, body, strlen(body), mode, NULL, fail_in);
        assert_int_equal(r.status, IV_MP_CALLBACK_ERROR);
        assert_string_equal(r.log, log);    /* nothing reported after the failure */
        assert_string_equal(or_null(r.err_name), "a");
    }
}

static void test_callback_errors(void **state)
{
    check_callback_error(*state, 1, "<0 a|(null)|(null)>");
    check_callback_error(*state, 2, "<0 a|(null)|(null)>1");
    check_callback_error(*state, 3, "<0 a|(null)|(null)>1</>");
}

static void test_no_callbacks(void **state)
{
    const char *body = FIELD("a", "1") FILEPART("f", "x.txt", "text/plain", "data") CLOSE;
    iv_multipart_parser *mp = iv_multipart_new(*state, B, NULL, NULL, NULL);
    assert_int_equal(iv_multipart_feed(mp, body, strlen(body)), IV_MP_OK);
    assert_int_equal(iv_multipart_finish(mp), IV_MP_OK);
    assert_string_equal(apr_table_get(iv_multipart_fields(mp), "a"), "1");
    assert_null(iv_multipart_error_part(mp));
}

static void test_status_names(void **state)
{
    (void)state;
    for (int i = IV_MP_OK; i <= IV_MP_CALLBACK_ERROR; i++) {
        const char *name = iv_multipart_status_name((iv_mp_status)i);
        assert_string_not_equal(name, "unknown");
        for (int j = IV_MP_OK; j < i; j++)
            assert_string_not_equal(name, iv_multipart_status_name((iv_mp_status)j));
    }
    assert_string_equal(iv_multipart_status_name(IV_MP_FILE_TOO_LARGE), "file_too_large");
    assert_string_equal(iv_multipart_status_name((iv_mp_status)(IV_MP_CALLBACK_ERROR + 1)),
                        "unknown");
}

/* ---- limits: exactly at the limit passes, one above fails -------------------- */

static result parse_with(apr_pool_t *pool, const char *body, iv_multipart_limits lim)
{
    return parse_lim(pool, body, strlen(body), &lim);
}

static void test_limit_field(void **state)
{
    const char *body = FIELD("a", "1") FIELD("desc", "abcdé") CLOSE;   /* 6 bytes */
    iv_multipart_limits lim = roomy();
    lim.max_field_bytes = 6;
    assert_int_equal(parse_with(*state, body, lim).status, IV_MP_OK);
    lim.max_field_bytes = 5;
    result r = parse_with(*state, body, lim);
    assert_int_equal(r.status, IV_MP_FIELD_TOO_LARGE);
    assert_string_equal(r.err_name, "desc");
    /* the data reported stops at the limit */
    assert_string_equal(r.log, "<0 a|(null)|(null)>1</><1 desc|(null)|(null)>abcd\xc3");
    lim.max_field_bytes = 0;
    assert_int_equal(parse_with(*state, FIELD("e", "") CLOSE, lim).status, IV_MP_OK);
}

static void test_limit_file(void **state)
{
    const char *body = FILEPART("f", "a.txt", "text/plain", "12345" CRLF "--") CLOSE;
    iv_multipart_limits lim = roomy();
    lim.max_file_bytes = 9;
    assert_int_equal(parse_with(*state, body, lim).status, IV_MP_OK);
    lim.max_file_bytes = 8;
    result r = parse_with(*state, body, lim);
    assert_int_equal(r.status, IV_MP_FILE_TOO_LARGE);
    assert_string_equal(r.err_name, "f");
    lim.max_file_bytes = 0;
    assert_int_equal(parse_with(*state, FILEPART("f", "e", "x/y", "") CLOSE, lim).status,
                     IV_MP_OK);
    /* a field is not a file: only max_field_bytes applies to it */
    assert_int_equal(parse_with(*state, FIELD("a", "12345") CLOSE, lim).status, IV_MP_OK);
}

static void test_limit_total(void **state)
{
    const char *body = FIELD("a", "1") FILEPART("f", "a.txt", "text/plain", "xyz") CLOSE;
    iv_multipart_limits lim = roomy();
    lim.max_total_bytes = strlen(body);
    assert_int_equal(parse_with(*state, body, lim).status, IV_MP_OK);
    lim.max_total_bytes = strlen(body) - 1;
    result r = parse_with(*state, body, lim);
    assert_int_equal(r.status, IV_MP_TOTAL_TOO_LARGE);
    assert_null(r.err_name);       /* cut in the final CRLF, after the last part */
    lim.max_total_bytes = strlen(body) - strlen(CRLF CLOSE) - 1;
    r = parse_with(*state, body, lim);
    assert_int_equal(r.status, IV_MP_TOTAL_TOO_LARGE);
    assert_string_equal(r.err_name, "f");
    assert_string_equal(r.log + r.loglen - 2, "xy");   /* parsed up to the limit */
}

static void test_limit_files(void **state)
{
    const char *body = FILEPART("f1", "a", "x/y", "1") FILEPART("vide", "", "x/y", "")
                       FIELD("a", "b") FILEPART("f2", "b", "x/y", "2") CLOSE;
    iv_multipart_limits lim = roomy();
    lim.max_files = 2;
    assert_int_equal(parse_with(*state, body, lim).status, IV_MP_OK);
    lim.max_files = 1;
    result r = parse_with(*state, body, lim);
    assert_int_equal(r.status, IV_MP_TOO_MANY_FILES);
    assert_string_equal(r.err_name, "f2");
}

static void test_limit_parts(void **state)
{
    const char *body = FIELD("a", "1") FILEPART("f", "", "x/y", "") FIELD("c", "3") CLOSE;
    iv_multipart_limits lim = roomy();
    lim.max_parts = 3;
    assert_int_equal(parse_with(*state, body, lim).status, IV_MP_OK);
    lim.max_parts = 2;
    result r = parse_with(*state, body, lim);
    assert_int_equal(r.status, IV_MP_TOO_MANY_PARTS);
    assert_null(r.err_name);
    lim.max_parts = 0;
    assert_int_equal(parse_with(*state, CLOSE, lim).status, IV_MP_OK);
}

static void test_limit_headers(void **state)
{
    const char *h1 = CD "name=\"a\"; filename=\"a.txt\"" CRLF, *h2 = "Content-Type: x/y" CRLF;
    const char *body = apr_pstrcat(*state, FIELD("small", "s") DELIM, h1, h2, CRLF "d" CRLF,
                                   CLOSE, NULL);
    iv_multipart_limits lim = roomy();
    lim.max_header_bytes = strlen(h1) + strlen(h2);
    assert_int_equal(parse_with(*state, body, lim).status, IV_MP_OK);
    lim.max_header_bytes--;
    result r = parse_with(*state, body, lim);
    assert_int_equal(r.status, IV_MP_HEADERS_TOO_LARGE);
    assert_null(r.err_name);
}

/* ---- chunking and streaming ------------------------------------------------- */

static void test_chunking_invariance(void **state)
{
    /* parse() checks it on every body; here a realistic form, in many more chunkings */
    const char *body = "preamble" CRLF FIELD("csrf_token", "0123456789abcdef")
        FIELD("description", "Lampadaire éteint depuis 3 jours" CRLF "rue des Écoles")
        FILEPART("photo", "IMG_0001.JPG", "image/jpeg", "\xff\xd8\xff\xe0" CRLF "--XyZz"
                 "-\r\r" CRLF "--" "\xff\xd9")
        FILEPART("plan", "C:\\plans\\plan.pdf", "application/pdf", "%PDF-1.4" CRLF "%%EOF")
        FILEPART("vide", "", "application/octet-stream", "")
        CLOSE "epilogue";
    result whole = parse(*state, body);
    assert_int_equal(whole.status, IV_MP_OK);
    assert_string_equal(whole.fields, "csrf_token=0123456789abcdef;description=Lampadaire "
                        "éteint depuis 3 jours" CRLF "rue des Écoles;");
    for (unsigned seed = 100; seed < 600; seed++) {
        result r = parse_mode(*state, body, strlen(body), (int)seed, NULL, 0);
        assert_int_equal(r.status, IV_MP_OK);
        assert_int_equal(r.loglen, whole.loglen);
        assert_memory_equal(r.log, whole.log, whole.loglen);
        assert_string_equal(r.fields, whole.fields);
    }
}

/* Bytes of the process's data segment (VmData: malloc, and the mmap'd blocks
 * Debian's APR gives pools, which malloc statistics do not see), to show that the
 * parser's memory does not grow with its input. */
static size_t memory_in_use(void)
{
    char text[256];            /* not fopen: its buffers would count (ASan keeps them) */
    unsigned long size, resident, shared, code, lib, data;
    int fd = open("/proc/self/statm", O_RDONLY);
    ssize_t n = read(fd, text, sizeof text - 1);

    close(fd);
    assert_true(n > 0);
    text[n] = '\0';
    assert_int_equal(sscanf(text, "%lu %lu %lu %lu %lu %lu", &size, &resident, &shared,
                            &code, &lib, &data), 6);
    return data * (size_t)sysconf(_SC_PAGESIZE);
}

/* A pool with an allocator of its own: a child of the test's pool would reuse the
 * blocks earlier tests freed, and hide the parser's allocations from memory_in_use(). */
static apr_pool_t *fresh_pool(void)
{
    apr_allocator_t *allocator;
    apr_pool_t *pool;
    assert_int_equal(apr_allocator_create(&allocator), APR_SUCCESS);
    assert_int_equal(apr_pool_create_ex(&pool, NULL, NULL, allocator), APR_SUCCESS);
    apr_allocator_owner_set(allocator, pool);
    return pool;
}

typedef struct {
    int in_file;
    apr_size_t bytes, calls;
    apr_uint32_t hash;
    size_t mem_base, mem_peak;
} stream_check;

static apr_uint32_t fnv(apr_uint32_t h, const char *data, apr_size_t len)
{
    for (apr_size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)data[i]) * 16777619u;
    return h;
}

static int note_file(void *ctx, const iv_multipart_part *part)
{
    stream_check *c = ctx;
    c->in_file = part->filename != NULL;
    return 0;
}

static int count_data(void *ctx, const char *data, apr_size_t len)
{
    stream_check *c = ctx;
    size_t mem = memory_in_use();
    if (!c->in_file)
        return 0;
    c->bytes += len;
    c->calls++;
    c->hash = fnv(c->hash, data, len);
    if (mem > c->mem_peak)
        c->mem_peak = mem;
    return 0;
}

/* 8 KB of file content number i: every byte value, CRs, and delimiter prefixes. */
static void file_chunk(char *buf, apr_size_t len, apr_size_t i)
{
    for (apr_size_t j = 0; j < len; j++)
        buf[j] = (char)((i * 131 + j * 7 + j / 256) & 0xff);
    memcpy(buf + 1000, CRLF "--XyZz.", 9);   /* a prefix of the delimiter, then not */
    memcpy(buf + 5000, CRLF "--" CRLF "\r", 7);
}

static void test_large_file_streamed(void **state)
{
    enum { CHUNK = 8192, FILE_BYTES = 5 * 1024 * 1024 };
    const char *head = FIELD("a", "1") DELIM CD "name=\"big\"; filename=\"big.bin\"" CRLF CRLF;
    const char *tail = CRLF CLOSE;
    iv_multipart_callbacks cb = { note_file, count_data, NULL };
    stream_check c = { .hash = 2166136261u };
    apr_uint32_t expected = 2166136261u;
    apr_pool_t *pool;
    char buf[CHUNK];

    (void)state;
    c.mem_base = c.mem_peak = memory_in_use();
    pool = fresh_pool();
    iv_multipart_parser *mp = iv_multipart_new(pool, B, NULL, &cb, &c);
    assert_int_equal(iv_multipart_feed(mp, head, strlen(head)), IV_MP_OK);
    for (apr_size_t i = 0; i < FILE_BYTES / CHUNK; i++) {
        file_chunk(buf, CHUNK, i);
        expected = fnv(expected, buf, CHUNK);
        assert_int_equal(iv_multipart_feed(mp, buf, CHUNK), IV_MP_OK);
    }
    /* streamed: all but a possible delimiter prefix reached the handler already */
    assert_true(c.bytes + 16 >= FILE_BYTES);
    assert_true(c.calls >= FILE_BYTES / CHUNK);
    assert_int_equal(iv_multipart_feed(mp, tail, strlen(tail)), IV_MP_OK);
    assert_int_equal(iv_multipart_finish(mp), IV_MP_OK);
    assert_int_equal(c.bytes, FILE_BYTES);
    assert_int_equal(c.hash, expected);
    /* the parser's memory did not grow with the file (5 MB): 64 KB is generous */
    assert_true(c.mem_peak - c.mem_base < 64 * 1024);
    assert_true(memory_in_use() - c.mem_base < 64 * 1024);
    apr_pool_destroy(pool);
}

/* A header line of many small parameters, within the header limit, must not cost
 * memory quadratic in its length (each parameter copying the rest of the line). */
static void test_many_parameters_linear_memory(void **state)
{
    enum { PARAMS = 1600 };
    char *params = apr_palloc(*state, PARAMS * 5 + 1);
    const char *body;
    iv_multipart_limits lim = roomy();
    apr_pool_t *pool;
    size_t base;

    for (int i = 0; i < PARAMS; i++)
        memcpy(params + i * 5, ";x=\"\"", 5);
    params[PARAMS * 5] = '\0';
    body = apr_pstrcat(*state, DELIM CD "name=\"a\"", params, CRLF CRLF "v" CRLF CLOSE, NULL);
    /* the first round warms the malloc up (ASan maps a region per size class) */
    for (int round = 0; round < 2; round++) {
        base = memory_in_use();
        pool = fresh_pool();
        iv_multipart_parser *mp = iv_multipart_new(pool, B, &lim, NULL, NULL);
        assert_int_equal(iv_multipart_feed(mp, body, strlen(body)), IV_MP_OK);
        assert_int_equal(iv_multipart_finish(mp), IV_MP_OK);
        if (round == 1)
            assert_true(memory_in_use() - base < 256 * 1024);   /* quadratic: ~7 MB */
        apr_pool_destroy(pool);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_boundary_found),
        POOL_TEST(test_boundary_lengths),
        POOL_TEST(test_boundary_refused),
        POOL_TEST(test_new_with_bad_boundary),
        POOL_TEST(test_boundary_with_space),
        POOL_TEST(test_fields),
        POOL_TEST(test_file_part),
        POOL_TEST(test_preamble_and_epilogue_ignored),
        POOL_TEST(test_no_parts),
        POOL_TEST(test_close_without_final_crlf_and_padding),
        POOL_TEST(test_empty_part_and_empty_file),
        POOL_TEST(test_file_input_left_empty),
        POOL_TEST(test_header_names_and_parameters),
        POOL_TEST(test_boundary_in_data_not_at_line_start),
        POOL_TEST(test_partial_delimiters_in_data),
        POOL_TEST(test_binary_file),
        POOL_TEST(test_nested_multipart_is_opaque),
        POOL_TEST(test_repeated_names_kept),
        POOL_TEST(test_field_controls_stripped),
        POOL_TEST(test_filename_utf8),
        POOL_TEST(test_filename_paths_stripped),
        POOL_TEST(test_filename_ext_value),
        POOL_TEST(test_filename_quotes),
        POOL_TEST(test_strings_outlive_callbacks),
        POOL_TEST(test_malformed),
        POOL_TEST(test_malformed_names_the_part),
        POOL_TEST(test_truncated),
        POOL_TEST(test_bad_encoding),
        POOL_TEST(test_callback_errors),
        POOL_TEST(test_no_callbacks),
        POOL_TEST(test_status_names),
        POOL_TEST(test_limit_field),
        POOL_TEST(test_limit_file),
        POOL_TEST(test_limit_total),
        POOL_TEST(test_limit_files),
        POOL_TEST(test_limit_parts),
        POOL_TEST(test_limit_headers),
        POOL_TEST(test_chunking_invariance),
        POOL_TEST(test_large_file_streamed),
        POOL_TEST(test_many_parameters_linear_memory),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("multipart", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
