/*
 * zipstream.c — streamed ZIP writer (zipstream.h). Record layouts from PKWARE's
 * APPNOTE.TXT 6.3: local file header (4.3.7), data descriptor (4.3.9), central
 * directory header (4.3.12), ZIP64 extra field (4.5.3), ZIP64 end of central
 * directory record and locator (4.3.14, 4.3.15), end of central directory (4.3.16).
 */
#include <string.h>
#include <zlib.h>
#include "apr_strings.h"
#include "apr_tables.h"

#include "zipstream.h"

#define SIG_LOCAL      0x04034b50u
#define SIG_DESCRIPTOR 0x08074b50u
#define SIG_CENTRAL    0x02014b50u
#define SIG_END64      0x06064b50u
#define SIG_LOCATOR64  0x07064b50u
#define SIG_END        0x06054b50u

#define FLAG_DESCRIPTOR 0x0008      /* sizes and CRC follow the data */
#define METHOD_STORED   0
#define METHOD_DEFLATED 8
#define VERSION_PLAIN   20          /* 2.0: deflate, data descriptor */
#define VERSION_ZIP64   45          /* 4.5: ZIP64 */
#define MAX32           0xFFFFFFFFu
#define OUT_SIZE        (64 * 1024)

typedef struct {
    const char *name;
    uint16_t method, flags;
    uint32_t crc;
    uint64_t compressed, size, offset;
} entry;

struct iv_zip {
    iv_zip_write_fn write;
    void *ctx;
    apr_pool_t *pool;
    apr_array_header_t *entries;    /* entry */
    uint64_t offset;                /* bytes written so far */
    uint16_t dos_time, dos_date;
    z_stream zs;
    int zs_ready;
    entry *current;                 /* the deflated entry being written */
    char *out;                      /* deflate output, OUT_SIZE bytes */
    int failed;
    int force_zip64;
};

/* ---------------------------------------------------------------- bytes */

/* Little-endian record under construction; 64 bytes hold the largest fixed part. */
typedef struct {
    unsigned char b[64];
    size_t n;
} record;

static void u16(record *r, unsigned v)
{
    r->b[r->n++] = (unsigned char)(v & 0xff);
    r->b[r->n++] = (unsigned char)((v >> 8) & 0xff);
}

static void u32(record *r, uint32_t v)
{
    u16(r, v & 0xffff);
    u16(r, v >> 16);
}

static void u64(record *r, uint64_t v)
{
    u32(r, (uint32_t)(v & MAX32));
    u32(r, (uint32_t)(v >> 32));
}

static int emit(iv_zip *z, const void *data, size_t len)
{
    if (z->failed)
        return -1;
    if (len && z->write(z->ctx, data, len) != 0) {
        z->failed = 1;
        return -1;
    }
    z->offset += len;
    return 0;
}

static int emit_record(iv_zip *z, const record *r)
{
    return emit(z, r->b, r->n);
}

/* ---------------------------------------------------------------- archive */

static apr_status_t deflate_end(void *data)
{
    iv_zip *z = data;
    if (z->zs_ready)
        deflateEnd(&z->zs);
    z->zs_ready = 0;
    return APR_SUCCESS;
}

static void dos_datetime(apr_time_t t, uint16_t *time, uint16_t *date)
{
    apr_time_exp_t x;
    apr_time_exp_lt(&x, t);
    if (x.tm_year < 80) {       /* DOS dates start in 1980 */
        memset(&x, 0, sizeof x);
        x.tm_year = 80;
        x.tm_mday = 1;
    }
    *time = (uint16_t)((x.tm_hour << 11) | (x.tm_min << 5) | (x.tm_sec / 2));
    *date = (uint16_t)(((x.tm_year - 80) << 9) | ((x.tm_mon + 1) << 5) | x.tm_mday);
}

iv_zip *iv_zip_new(apr_pool_t *pool, iv_zip_write_fn write, void *ctx, int level,
                   apr_time_t mtime)
{
    iv_zip *z = apr_pcalloc(pool, sizeof *z);
    z->write = write;
    z->ctx = ctx;
    z->pool = pool;
    z->entries = apr_array_make(pool, 8, sizeof(entry));
    z->out = apr_palloc(pool, OUT_SIZE);
    dos_datetime(mtime, &z->dos_time, &z->dos_date);
    /* raw deflate (negative window bits): ZIP has its own header and CRC */
    if (deflateInit2(&z->zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    z->zs_ready = 1;
    apr_pool_cleanup_register(pool, z, deflate_end, apr_pool_cleanup_null);
    return z;
}

void iv_zip_force_zip64(iv_zip *z)
{
    z->force_zip64 = 1;
}

static entry *new_entry(iv_zip *z, const char *name, uint16_t method, uint16_t flags)
{
    entry *e = apr_array_push(z->entries);
    memset(e, 0, sizeof *e);
    e->name = apr_pstrdup(z->pool, name);
    e->method = method;
    e->flags = flags;
    e->offset = z->offset;
    return e;
}

static int local_header(iv_zip *z, const entry *e)
{
    record r = { .n = 0 };
    size_t name_len = strlen(e->name);
    u32(&r, SIG_LOCAL);
    u16(&r, VERSION_PLAIN);
    u16(&r, e->flags);
    u16(&r, e->method);
    u16(&r, z->dos_time);
    u16(&r, z->dos_date);
    u32(&r, e->crc);                            /* 0 when a descriptor follows */
    u32(&r, (uint32_t)e->compressed);
    u32(&r, (uint32_t)e->size);
    u16(&r, (unsigned)name_len);
    u16(&r, 0);                                 /* no extra field */
    emit_record(z, &r);
    return emit(z, e->name, name_len);
}

int iv_zip_stored(iv_zip *z, const char *name, const char *data, size_t len)
{
    entry *e;
    if (z->failed || z->current || len >= MAX32)
        return -1;
    e = new_entry(z, name, METHOD_STORED, 0);
    e->crc = (uint32_t)crc32(0L, (const Bytef *)data, (uInt)len);
    e->compressed = e->size = len;
    local_header(z, e);
    return emit(z, data, len);
}

int iv_zip_begin(iv_zip *z, const char *name)
{
    if (z->failed || z->current)
        return -1;
    z->current = new_entry(z, name, METHOD_DEFLATED, FLAG_DESCRIPTOR);
    z->current->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    if (deflateReset(&z->zs) != Z_OK) {
        z->failed = 1;
        return -1;
    }
    return local_header(z, z->current);
}

/* Runs deflate with flush until it has consumed its input (and, for Z_FINISH,
 * ended the stream), writing each full output buffer. */
static int pump(iv_zip *z, int flush)
{
    int rv;
    do {
        z->zs.next_out = (Bytef *)z->out;
        z->zs.avail_out = OUT_SIZE;
        rv = deflate(&z->zs, flush);
        if (rv == Z_STREAM_ERROR) {
            z->failed = 1;
            return -1;
        }
        size_t produced = OUT_SIZE - z->zs.avail_out;
        z->current->compressed += produced;
        if (emit(z, z->out, produced) != 0)
            return -1;
    } while (z->zs.avail_out == 0 || (flush == Z_FINISH && rv != Z_STREAM_END));
    return 0;
}

int iv_zip_write(iv_zip *z, const char *data, size_t len)
{
    if (z->failed || !z->current)
        return -1;
    while (len > 0) {
        /* zlib counts in uInt: feed very large writes in slices */
        uInt slice = len > (1u << 30) ? (1u << 30) : (uInt)len;
        z->current->crc = (uint32_t)crc32(z->current->crc, (const Bytef *)data, slice);
        z->current->size += slice;
        z->zs.next_in = (Bytef *)(uintptr_t)data;
        z->zs.avail_in = slice;
        if (pump(z, Z_NO_FLUSH) != 0)
            return -1;
        data += slice;
        len -= slice;
    }
    return 0;
}

static int zip64_sizes(const iv_zip *z, const entry *e)
{
    return z->force_zip64 || e->size >= MAX32 || e->compressed >= MAX32;
}

int iv_zip_end(iv_zip *z)
{
    entry *e = z->current;
    record r = { .n = 0 };
    if (z->failed || !e)
        return -1;
    z->zs.next_in = Z_NULL;
    z->zs.avail_in = 0;
    if (pump(z, Z_FINISH) != 0)
        return -1;
    z->current = NULL;
    u32(&r, SIG_DESCRIPTOR);
    u32(&r, e->crc);
    if (zip64_sizes(z, e)) {
        u64(&r, e->compressed);
        u64(&r, e->size);
    }
    else {
        u32(&r, (uint32_t)e->compressed);
        u32(&r, (uint32_t)e->size);
    }
    return emit_record(z, &r);
}

/* ---------------------------------------------------------------- directory */

static int central_header(iv_zip *z, const entry *e)
{
    record r = { .n = 0 }, extra = { .n = 0 };
    size_t name_len = strlen(e->name);
    int big_size = zip64_sizes(z, e), big_offset = z->force_zip64 || e->offset >= MAX32;

    /* ZIP64 extra field: only the values that do not fit, in this order */
    if (big_size || big_offset) {
        u16(&extra, 0x0001);
        u16(&extra, (unsigned)(8 * (2 * big_size + big_offset)));
        if (big_size) {
            u64(&extra, e->size);
            u64(&extra, e->compressed);
        }
        if (big_offset)
            u64(&extra, e->offset);
    }
    u32(&r, SIG_CENTRAL);
    u16(&r, (3 << 8) | VERSION_ZIP64);          /* made by: Unix, 4.5 */
    u16(&r, extra.n ? VERSION_ZIP64 : VERSION_PLAIN);
    u16(&r, e->flags);
    u16(&r, e->method);
    u16(&r, z->dos_time);
    u16(&r, z->dos_date);
    u32(&r, e->crc);
    u32(&r, big_size ? MAX32 : (uint32_t)e->compressed);
    u32(&r, big_size ? MAX32 : (uint32_t)e->size);
    u16(&r, (unsigned)name_len);
    u16(&r, (unsigned)extra.n);
    u16(&r, 0);                                 /* comment */
    u16(&r, 0);                                 /* disk */
    u16(&r, 0);                                 /* internal attributes */
    u32(&r, 0100644u << 16);                    /* external: a regular file, rw-r--r-- */
    u32(&r, big_offset ? MAX32 : (uint32_t)e->offset);
    emit_record(z, &r);
    emit(z, e->name, name_len);
    return emit_record(z, &extra);
}

static int end_records(iv_zip *z, uint64_t dir_offset, uint64_t dir_size)
{
    uint64_t count = (uint64_t)z->entries->nelts, end64 = z->offset;
    int zip64 = z->force_zip64 || dir_offset >= MAX32 || dir_size >= MAX32 || count >= 0xFFFF;
    record r = { .n = 0 };

    if (zip64) {
        u32(&r, SIG_END64);
        u64(&r, 44);                            /* size of the rest of this record */
        u16(&r, (3 << 8) | VERSION_ZIP64);
        u16(&r, VERSION_ZIP64);
        u32(&r, 0);
        u32(&r, 0);
        u64(&r, count);
        u64(&r, count);
        u64(&r, dir_size);
        u64(&r, dir_offset);
        emit_record(z, &r);
        r.n = 0;
        u32(&r, SIG_LOCATOR64);
        u32(&r, 0);
        u64(&r, end64);
        u32(&r, 1);
        emit_record(z, &r);
        r.n = 0;
    }
    u32(&r, SIG_END);
    u16(&r, 0);
    u16(&r, 0);
    u16(&r, zip64 ? 0xFFFF : (unsigned)count);
    u16(&r, zip64 ? 0xFFFF : (unsigned)count);
    u32(&r, zip64 ? MAX32 : (uint32_t)dir_size);
    u32(&r, zip64 ? MAX32 : (uint32_t)dir_offset);
    u16(&r, 0);                                 /* comment */
    return emit_record(z, &r);
}

int iv_zip_finish(iv_zip *z)
{
    uint64_t dir_offset = z->offset;
    if (z->failed || z->current)
        return -1;
    for (int i = 0; i < z->entries->nelts; i++)
        central_header(z, &APR_ARRAY_IDX(z->entries, i, entry));
    if (z->failed)
        return -1;
    return end_records(z, dir_offset, z->offset - dir_offset);
}
