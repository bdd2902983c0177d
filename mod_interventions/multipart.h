/*
 * multipart.h — streaming multipart/form-data parser (RFC 7578, RFC 2046 §5.1),
 * plain C and APR, no httpd types: unit-tested and fuzzed without a server.
 *
 * Contract in short
 * - Fed incrementally: iv_multipart_feed() any number of times with chunks of any
 *   size (brigade buckets), then iv_multipart_finish(). The outcome (status, the
 *   sequence of callbacks, the bytes they receive once concatenated per part, the
 *   fields table) does not depend on how the body was cut into chunks.
 * - Bounded memory: file data is passed to on_part_data as it arrives and never
 *   kept. The parser holds at most one header line (<= max_header_bytes), one
 *   non-file field value (<= max_field_bytes), the collected fields and the few
 *   strings of each part.
 * - Strict: anything RFC 7578 does not allow browsers to send (bare LF or folded
 *   header lines, a part without `Content-Disposition: form-data; name=...`, a
 *   delimiter line followed by other text) is IV_MP_MALFORMED. Nested
 *   multipart/mixed parts are not parsed: their body is opaque part data.
 * - The first error stops the parser: no callback is called after it (not even
 *   on_part_end for the part in progress, so tie clean-up such as unlinking a
 *   temporary file to a pool), and every later feed or finish returns it again.
 */
#ifndef IV_MULTIPART_H
#define IV_MULTIPART_H

#include "apr.h"
#include "apr_pools.h"
#include "apr_tables.h"

typedef enum {
    IV_MP_OK = 0,
    IV_MP_BAD_BOUNDARY,       /* Content-Type not multipart/form-data, or boundary invalid */
    IV_MP_MALFORMED,          /* syntax the RFCs do not allow */
    IV_MP_FIELD_TOO_LARGE,    /* a non-file field's value exceeds max_field_bytes */
    IV_MP_FILE_TOO_LARGE,     /* a file's data exceeds max_file_bytes */
    IV_MP_TOTAL_TOO_LARGE,    /* more than max_total_bytes were fed */
    IV_MP_TOO_MANY_FILES,     /* more than max_files parts with a non-empty filename */
    IV_MP_TOO_MANY_PARTS,     /* more than max_parts parts */
    IV_MP_HEADERS_TOO_LARGE,  /* a part's header lines exceed max_header_bytes */
    IV_MP_TRUNCATED,          /* finished before the closing delimiter "--boundary--" */
    IV_MP_BAD_ENCODING,       /* name, filename or field value not UTF-8, unknown charset */
    IV_MP_CALLBACK_ERROR      /* a callback returned non-zero */
} iv_mp_status;

/* Limits; 0 is a real limit (max_files = 0 refuses every file). Byte counts:
 * - max_field_bytes: value of one non-file field, as sent (before control stripping);
 * - max_file_bytes: data of one file part (also of a file input left empty);
 * - max_total_bytes: everything fed, preamble and epilogue included;
 * - max_header_bytes: the header lines of one part, each with its CRLF, not
 *   counting the empty line that ends them. */
typedef struct {
    apr_size_t   max_field_bytes;
    apr_uint64_t max_file_bytes;
    apr_uint64_t max_total_bytes;
    unsigned int max_files;
    unsigned int max_parts;
    apr_size_t   max_header_bytes;
} iv_multipart_limits;

/* What on_part_begin learns of a part. The strings are allocated in the parser's
 * pool: they stay valid, unchanged, until that pool is cleared or destroyed. */
typedef struct {
    const char  *name;          /* field name: UTF-8, C0 controls removed; never NULL */
    const char  *filename;      /* NULL for an ordinary field; "" for a file input left
                                 * empty. Display only, never a path: UTF-8, no directory
                                 * (what follows the last / or \), no control characters;
                                 * RFC 5987 filename*= (UTF-8 or ISO-8859-1) is preferred
                                 * over filename=, and %22 is decoded to " as browsers
                                 * encode it (HTML multipart/form-data encoding). */
    const char  *content_type;  /* the part's Content-Type, trimmed; NULL when absent */
    unsigned int index;         /* 0 for the first part */
} iv_multipart_part;

/* Called for every part, fields and files alike; any may be NULL. A non-zero return
 * stops the parser with IV_MP_CALLBACK_ERROR. on_part_data receives the part's body
 * in pieces of any size (possibly zero calls for an empty part); data is valid only
 * during the call. */
typedef struct {
    int (*on_part_begin)(void *ctx, const iv_multipart_part *part);
    int (*on_part_data)(void *ctx, const char *data, apr_size_t len);
    int (*on_part_end)(void *ctx);
} iv_multipart_callbacks;

typedef struct iv_multipart_parser iv_multipart_parser;

/* Extracts the boundary from a Content-Type value such as
 * `multipart/form-data; boundary="----x"` (type and parameter names compared without
 * case, value quoted or not). On IV_MP_OK *boundary is a copy in pool; otherwise
 * IV_MP_BAD_BOUNDARY: not multipart/form-data, no or several boundary parameters, or
 * a boundary that is not 1-70 characters of RFC 2046's set (bchars, no final space). */
iv_mp_status iv_multipart_boundary(apr_pool_t *pool, const char *content_type,
                                   const char **boundary);

/* Reasonable limits for a form with a few attachments (documented in multipart.c). */
iv_multipart_limits iv_multipart_default_limits(void);

/* A parser for a body delimited by boundary (as returned by iv_multipart_boundary).
 * limits NULL means the defaults; cb may be NULL (fields are still collected); ctx is
 * passed to the callbacks. Everything lives in pool. Never NULL: an invalid boundary
 * gives a parser whose feed and finish return IV_MP_BAD_BOUNDARY. */
iv_multipart_parser *iv_multipart_new(apr_pool_t *pool, const char *boundary,
                                      const iv_multipart_limits *limits,
                                      const iv_multipart_callbacks *cb, void *ctx);

/* Parses len more bytes of the body. Returns IV_MP_OK or the first error. */
iv_mp_status iv_multipart_feed(iv_multipart_parser *mp, const char *data, apr_size_t len);

/* Declares the end of the body: IV_MP_OK only when the closing delimiter was seen
 * and no error occurred, else the error (IV_MP_TRUNCATED when the body stopped early). */
iv_mp_status iv_multipart_finish(iv_multipart_parser *mp);

/* The non-file fields seen so far, name -> value in body order (apr_table_addn: every
 * value is kept; apr_table_get gives the first). Values are valid UTF-8 without C0
 * control characters other than TAB, LF and CR, like the urlencoded path's. Complete
 * once iv_multipart_finish returned IV_MP_OK. */
apr_table_t *iv_multipart_fields(const iv_multipart_parser *mp);

/* The part the error concerns (its name says which field or file, for the message
 * shown to the user), or NULL when none does (IV_MP_TOO_MANY_PARTS, headers too large
 * or malformed before the part was known, a bad boundary, no error). */
const iv_multipart_part *iv_multipart_error_part(const iv_multipart_parser *mp);

/* A stable lower-case identifier of a status ("file_too_large"), for logs and
 * message catalogue keys; "unknown" for a value outside the enum. */
const char *iv_multipart_status_name(iv_mp_status status);

#endif
