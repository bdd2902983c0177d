/* libFuzzer target for the multipart/form-data parser (mod_interventions/multipart.c).
 *
 * Input: 4 control bytes, then the body.
 *   [0] bits 0-1: boundary (one of `boundaries`); bit 2: the body's first line is a
 *       Content-Type header value, given to iv_multipart_boundary(), whose boundary
 *       (when valid) is used instead
 *   [1] seed of the random chunk sizes
 *   [2] which limits are small (one bit each, see limits_from), [3] their values
 * The body is parsed three times: whole, in random chunks, byte by byte (short bodies).
 * The outcomes must be identical, and the contract's invariants must hold: no callback
 * after an error, begin/data/end well nested, every limit respected, names and field
 * values valid UTF-8, filenames without directory or control characters. A violation
 * aborts, which libFuzzer reports as a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "apr_general.h"
#include "apr_strings.h"
#include "multipart.h"
#include "text.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define BYTE_BY_BYTE_MAX 2048

static const char *const boundaries[] = {
    "XyZzy", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "simple boundary", "-",
};

typedef struct {
    const iv_multipart_limits *lim;
    uint64_t hash;             /* FNV-1a over every event and its bytes */
    int in_part, is_file, stopped;
    uint64_t part_bytes;
    unsigned parts, files;
} run_ctx;

static void mix(run_ctx *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        c->hash = (c->hash ^ p[i]) * 1099511628211u;
}

static void mix_str(run_ctx *c, const char *s)
{
    mix(c, s ? s : "\x01(null)", s ? strlen(s) + 1 : 8);
}

static void check_filename(const char *f)
{
    CHECK(iv_utf8_valid(f, strlen(f)));
    for (const unsigned char *p = (const unsigned char *)f; *p; p++)
        CHECK(*p >= 0x20 && *p != 0x7f && *p != '/' && *p != '\\');
}

static int on_begin(void *ctx, const iv_multipart_part *part)
{
    run_ctx *c = ctx;
    CHECK(!c->stopped && !c->in_part);
    CHECK(part->name && iv_utf8_valid(part->name, strlen(part->name)));
    CHECK(part->index == c->parts);
    CHECK(++c->parts <= c->lim->max_parts);
    if (part->filename) {
        check_filename(part->filename);
        if (*part->filename)
            CHECK(++c->files <= c->lim->max_files);
    }
    c->in_part = 1;
    c->is_file = part->filename != NULL;
    c->part_bytes = 0;
    mix(c, "B", 1);
    mix_str(c, part->name);
    mix_str(c, part->filename);
    mix_str(c, part->content_type);
    return 0;
}

static int on_data(void *ctx, const char *data, apr_size_t len)
{
    run_ctx *c = ctx;
    CHECK(!c->stopped && c->in_part && len > 0);
    c->part_bytes += len;
    CHECK(c->part_bytes <= (c->is_file ? c->lim->max_file_bytes : c->lim->max_field_bytes));
    mix(c, data, len);         /* not the length: the split may differ between runs */
    return 0;
}

static int on_end(void *ctx)
{
    run_ctx *c = ctx;
    CHECK(!c->stopped && c->in_part);
    c->in_part = 0;
    mix(c, "E", 1);
    return 0;
}

static void check_fields(apr_table_t *t, run_ctx *c)
{
    const apr_array_header_t *a = apr_table_elts(t);
    const apr_table_entry_t *e = (const apr_table_entry_t *)a->elts;
    for (int i = 0; i < a->nelts; i++) {
        CHECK(iv_utf8_valid(e[i].val, strlen(e[i].val)));
        for (const unsigned char *p = (const unsigned char *)e[i].val; *p; p++)
            CHECK(*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r');
        mix_str(c, e[i].key);
        mix_str(c, e[i].val);
    }
}

static apr_size_t next_chunk(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    unsigned x = (*seed >> 16) & 0x7fff;
    return x % 8 == 0 ? 1 + x % 500 : 1 + x % 9;
}

/* Parses body in the given mode (0 whole, 1 byte by byte, else chunk seed) and returns
 * a digest of everything observable. */
static uint64_t run(const char *boundary, const iv_multipart_limits *lim,
                    const char *body, size_t len, unsigned mode)
{
    static const iv_multipart_callbacks cb = { on_begin, on_data, on_end };
    run_ctx c = { .lim = lim, .hash = 14695981039346656037u };
    apr_pool_t *pool;
    iv_multipart_parser *mp;
    iv_mp_status st = IV_MP_OK;
    const iv_multipart_part *err;
    size_t off = 0;

    apr_pool_create(&pool, NULL);
    mp = iv_multipart_new(pool, boundary, lim, &cb, &c);
    while (off < len && st == IV_MP_OK) {
        size_t n = mode == 0 ? len : mode == 1 ? 1 : next_chunk(&mode);
        n = n > len - off ? len - off : n;
        st = iv_multipart_feed(mp, body + off, n);
        off += n;
    }
    c.stopped = st != IV_MP_OK;
    if (st != IV_MP_OK)
        CHECK(iv_multipart_feed(mp, body, len) == st);
    st = iv_multipart_finish(mp);
    c.stopped = 1;
    CHECK(iv_multipart_finish(mp) == st);
    CHECK(st != IV_MP_OK || !c.in_part);
    CHECK(iv_multipart_status_name(st) != NULL);
    err = iv_multipart_error_part(mp);
    CHECK(st != IV_MP_OK || !err);
    mix(&c, &st, sizeof st);
    mix_str(&c, err ? err->name : NULL);
    check_fields(iv_multipart_fields(mp), &c);
    apr_pool_destroy(pool);
    return c.hash;
}

static iv_multipart_limits limits_from(uint8_t which, uint8_t value, size_t len)
{
    iv_multipart_limits lim = { 1 << 16, 1 << 20, 1 << 24, 8, 64, 4096 };
    if (which & 0x01) lim.max_field_bytes = (value & 0x0f) * 4u;
    if (which & 0x02) lim.max_file_bytes = (value >> 4) * 16u;
    if (which & 0x04) lim.max_total_bytes = len / 2;
    if (which & 0x08) lim.max_files = value & 1;
    if (which & 0x10) lim.max_parts = 1 + (value & 3);
    if (which & 0x20) lim.max_header_bytes = 32 + (value & 0x3f);
    return lim;
}

/* With flag 4, the first line of the body is a Content-Type value. */
static const char *pick_boundary(apr_pool_t *pool, uint8_t ctl, const char **body,
                                 size_t *len)
{
    const char *nl, *found;

    if (!(ctl & 4))
        return boundaries[ctl & 3];
    nl = memchr(*body, '\n', *len);
    if (!nl)
        return boundaries[ctl & 3];
    if (iv_multipart_boundary(pool, apr_pstrmemdup(pool, *body, (apr_size_t)(nl - *body)),
                              &found) != IV_MP_OK)
        found = boundaries[ctl & 3];
    else
        CHECK(strlen(found) >= 1 && strlen(found) <= 70);
    *len -= (size_t)(nl + 1 - *body);
    *body = nl + 1;
    return found;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    apr_initialize();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    const char *body = (const char *)data + 4, *boundary;
    size_t len;
    iv_multipart_limits lim;
    uint64_t whole;

    if (size < 4)
        return 0;
    len = size - 4;
    apr_pool_create(&pool, NULL);
    boundary = pick_boundary(pool, data[0], &body, &len);
    lim = limits_from(data[2], data[3], len);
    whole = run(boundary, &lim, body, len, 0);
    CHECK(run(boundary, &lim, body, len, 2u + data[1]) == whole);
    if (len <= BYTE_BY_BYTE_MAX)
        CHECK(run(boundary, &lim, body, len, 1) == whole);
    apr_pool_destroy(pool);
    return 0;
}
