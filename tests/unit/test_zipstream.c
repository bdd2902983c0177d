/* zipstream.c: the archive is read back here by its central directory (as office
 * suites and Python's zipfile read it), each entry inflated and checked against
 * its CRC and sizes; then, when Python is there, zipfile's own test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "unit.h"
#include "apr_strings.h"
#include "zipstream.h"

typedef struct {
    unsigned char *data;
    size_t len, cap;
    long fail_at;               /* fail the write that would pass this offset; -1: never */
} buffer;

static int append(void *ctx, const char *data, size_t len)
{
    buffer *b = ctx;
    if (b->fail_at >= 0 && (long)(b->len + len) > b->fail_at)
        return -1;
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        b->data = realloc(b->data, b->cap);
        assert_non_null(b->data);
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

static uint64_t le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Raw inflate of in into a new buffer of exactly size bytes. */
static unsigned char *inflate_raw(const unsigned char *in, size_t in_len, size_t size)
{
    z_stream zs = { 0 };
    unsigned char *out = malloc(size + 1);
    assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)in_len;
    zs.next_out = out;
    zs.avail_out = (uInt)size + 1;
    assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
    assert_int_equal(zs.total_out, size);
    inflateEnd(&zs);
    return out;
}

typedef struct {
    char name[64];
    int method, flags;
    uint32_t crc;
    uint64_t csize, size, offset;
} dir_entry;

/* Reads the end records and the central directory; returns the entry count. */
static int read_directory(const buffer *b, dir_entry *entries, int max, int *zip64)
{
    const unsigned char *end = b->data + b->len - 22, *p;
    uint64_t count, dir_offset;

    assert_int_equal(le(end, 4), 0x06054b50);
    count = le(end + 10, 2);
    dir_offset = le(end + 16, 4);
    *zip64 = count == 0xFFFF;
    if (*zip64) {
        const unsigned char *loc = end - 20, *e64;
        assert_int_equal(le(loc, 4), 0x07064b50);
        e64 = b->data + le(loc + 8, 8);
        assert_int_equal(le(e64, 4), 0x06064b50);
        count = le(e64 + 32, 8);
        dir_offset = le(e64 + 48, 8);
    }
    assert_true((int)count <= max);
    p = b->data + dir_offset;
    for (uint64_t i = 0; i < count; i++) {
        dir_entry *e = &entries[i];
        size_t name_len = le(p + 28, 2), extra_len = le(p + 30, 2);
        assert_int_equal(le(p, 4), 0x02014b50);
        e->flags = (int)le(p + 8, 2);
        e->method = (int)le(p + 10, 2);
        e->crc = (uint32_t)le(p + 16, 4);
        e->csize = le(p + 20, 4);
        e->size = le(p + 24, 4);
        e->offset = le(p + 42, 4);
        memcpy(e->name, p + 46, name_len);
        e->name[name_len] = '\0';
        if (extra_len) {            /* the ZIP64 extra field, all three values */
            const unsigned char *x = p + 46 + name_len;
            assert_int_equal(le(x, 2), 1);
            assert_int_equal(le(x + 2, 2), 24);
            e->size = le(x + 4, 8);
            e->csize = le(x + 12, 8);
            e->offset = le(x + 20, 8);
        }
        p += 46 + name_len + extra_len + le(p + 32, 2);
    }
    return (int)count;
}

/* The data of entry e, checked against its local header and CRC. */
static unsigned char *entry_data(const buffer *b, const dir_entry *e)
{
    const unsigned char *h = b->data + e->offset, *data;
    unsigned char *out;
    size_t name_len = le(h + 26, 2), extra_len = le(h + 28, 2);

    assert_int_equal(le(h, 4), 0x04034b50);
    assert_memory_equal(h + 30, e->name, name_len);
    data = h + 30 + name_len + extra_len;
    if (e->method == 0) {
        out = malloc(e->size + 1);
        memcpy(out, data, e->size);
    }
    else {
        assert_int_equal(e->method, 8);
        out = inflate_raw(data, e->csize, e->size);
        /* the data descriptor after the data */
        assert_int_equal(le(data + e->csize, 4), 0x08074b50);
        assert_int_equal(le(data + e->csize + 4, 4), e->crc);
    }
    assert_int_equal(crc32(0, out, (uInt)e->size), e->crc);
    out[e->size] = '\0';
    return out;
}

static buffer *write_archive(apr_pool_t *pool, int force64, const char *big, size_t big_len)
{
    buffer *b = apr_pcalloc(pool, sizeof *b);
    iv_zip *z;
    b->fail_at = -1;
    z = iv_zip_new(pool, append, b, 1, apr_time_now());
    assert_non_null(z);
    if (force64)
        iv_zip_force_zip64(z);
    assert_int_equal(iv_zip_stored(z, "mimetype", "application/test", 16), 0);
    assert_int_equal(iv_zip_begin(z, "a/b.xml"), 0);
    /* in pieces, as the XML writer hands them */
    for (size_t off = 0; off < big_len; off += 3000)
        assert_int_equal(iv_zip_write(z, big + off, big_len - off < 3000 ? big_len - off : 3000), 0);
    assert_int_equal(iv_zip_end(z), 0);
    assert_int_equal(iv_zip_begin(z, "empty.xml"), 0);
    assert_int_equal(iv_zip_end(z), 0);
    assert_int_equal(iv_zip_finish(z), 0);
    return b;
}

static char *big_text(apr_pool_t *pool, size_t *len)
{
    /* several output buffers' worth, not too repetitive */
    size_t cap = 20000 * 40, n = 0;
    char *s = apr_palloc(pool, cap);
    for (int i = 0; i < 20000; i++)
        n += (size_t)snprintf(s + n, cap - n, "<c r=\"%d\">é%x</c>", i,
                              (unsigned)(i * 2654435761u));
    *len = n;
    return s;
}

static void check_archive(buffer *b, const char *big, size_t big_len, int expect64)
{
    dir_entry e[4];
    int zip64, n = read_directory(b, e, 4, &zip64);
    unsigned char *data;

    assert_int_equal(zip64, expect64);
    assert_int_equal(n, 3);
    /* ODF: mimetype first, stored, no extra field, its text at offset 38 */
    assert_string_equal(e[0].name, "mimetype");
    assert_int_equal(e[0].method, 0);
    assert_int_equal(e[0].offset, 0);
    assert_int_equal(le(b->data + 28, 2), 0);
    assert_memory_equal(b->data + 38, "application/test", 16);
    data = entry_data(b, &e[0]);
    assert_string_equal((char *)data, "application/test");
    free(data);
    assert_string_equal(e[1].name, "a/b.xml");
    assert_int_equal(e[1].flags & 8, 8);
    assert_int_equal(e[1].size, big_len);
    assert_true(e[1].csize < big_len);
    data = entry_data(b, &e[1]);
    assert_memory_equal(data, big, big_len);
    free(data);
    assert_int_equal(e[2].size, 0);
    free(entry_data(b, &e[2]));
}

/* Python's zipfile test of the archive, when Python is installed. */
static void python_check(const buffer *b)
{
    char path[] = "/tmp/iv-zipstream-XXXXXX";
    int fd;
    FILE *f;
    if (access("/usr/bin/python3", X_OK) != 0)
        return;
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
    char command[256];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); "
             "sys.exit(z.testzip() is not None or z.namelist()[0] != \"mimetype\")' %s", path);
    int rv = system(command);
    unlink(path);
    assert_int_equal(rv, 0);
}

/* an archive written with or without the ZIP64 records, read back both ways */
static void write_and_read_back(apr_pool_t *pool, int zip64)
{
    size_t big_len;
    const char *big = big_text(pool, &big_len);
    buffer *b = write_archive(pool, zip64, big, big_len);
    check_archive(b, big, big_len, zip64);
    python_check(b);
    free(b->data);
}

static void test_plain_zip(void **state)
{
    write_and_read_back(*state, 0);
}

static void test_zip64_records(void **state)
{
    write_and_read_back(*state, 1);
}

static void test_write_failure_sticks(void **state)
{
    buffer b = { .fail_at = 100 };
    size_t big_len;
    const char *big = big_text(*state, &big_len);
    iv_zip *z = iv_zip_new(*state, append, &b, 1, apr_time_now());
    assert_int_equal(iv_zip_stored(z, "mimetype", "application/test", 16), 0);
    assert_int_equal(iv_zip_begin(z, "a.xml"), 0);
    assert_int_not_equal(iv_zip_write(z, big, big_len), 0);
    assert_int_not_equal(iv_zip_end(z), 0);
    assert_int_not_equal(iv_zip_finish(z), 0);
    assert_true(b.len <= 100);
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_plain_zip),
        POOL_TEST(test_zip64_records),
        POOL_TEST(test_write_failure_sticks),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("zipstream", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
