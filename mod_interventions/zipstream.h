/*
 * zipstream.h — a ZIP archive written front to back, never held whole: each
 * entry's data is deflated as it comes and its sizes and CRC follow it in a data
 * descriptor (general purpose flag bit 3), the central directory comes at the end.
 * What the ODS export needs to stream a spreadsheet of any size.
 *
 * ZIP64 is used only where a size or offset does not fit in 32 bits (central
 * directory and end records, 8-byte data descriptor): a usual archive is plain
 * ZIP, which every office suite reads. Pure C on APR and zlib
 * (tests/unit/test_zipstream.c).
 */
#ifndef IV_ZIPSTREAM_H
#define IV_ZIPSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include "apr_pools.h"
#include "apr_time.h"

/* Receives the archive's bytes; returns 0, or non-zero to stop. */
typedef int (*iv_zip_write_fn)(void *ctx, const char *data, size_t len);

typedef struct iv_zip iv_zip;

/* A new archive written through write; entries deflated at level (zlib's 1-9)
 * and dated mtime. The deflate state is freed with pool. NULL when zlib fails. */
iv_zip *iv_zip_new(apr_pool_t *pool, iv_zip_write_fn write, void *ctx, int level,
                   apr_time_t mtime);

/* A whole entry stored uncompressed, sizes and CRC in its local header, no extra
 * field: what ODF requires of its first entry, "mimetype". */
int iv_zip_stored(iv_zip *z, const char *name, const char *data, size_t len);

/* A deflated entry written in pieces: begin, any number of writes, end. */
int iv_zip_begin(iv_zip *z, const char *name);
int iv_zip_write(iv_zip *z, const char *data, size_t len);
int iv_zip_end(iv_zip *z);

/* Writes the central directory; the archive is complete. */
int iv_zip_finish(iv_zip *z);

/* Every function returns 0, or non-zero once writing failed (then every later
 * call fails too): the archive is then incomplete. */

/* Tests only: the ZIP64 records even for small sizes. */
void iv_zip_force_zip64(iv_zip *z);

#endif
