/*
 * source.h — the bytes of a legacy source: a CSV file as it is, or the table of
 * an Access file (.mdb, .accdb) exported to CSV by mdbtools' mdb-export (UTF-8,
 * ';', dates as AAAA-MM-JJ HH:MM:SS). IV_MDB_EXPORT and IV_MDB_TABLES name other
 * programs to run instead (tests).
 */
#ifndef IV_IMP_SOURCE_H
#define IV_IMP_SOURCE_H

#include <stddef.h>
#include "apr_pools.h"

typedef struct {
    char *data;                 /* the CSV text; data[len] exists (the parser may write it) */
    size_t len;
    const char *name;           /* file name without its directory */
    const char *format;         /* "csv" or "mdb" */
    const char *table;          /* the Access table read (mdb) */
    const char *sha256;         /* of the file's bytes, hex */
} iv_source;

/* Reads path. table names the Access table (NULL: the only one, or the one
 * called like the requests). Returns NULL, or a French sentence. */
const char *iv_source_read(apr_pool_t *pool, const char *path, const char *table,
                           iv_source *out);

#endif
