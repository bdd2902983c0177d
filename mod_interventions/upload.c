/*
 * upload.c — multipart/form-data bodies: ordinary fields go to rq->form, each file
 * is streamed to InterventionsUploadDir under a random name, its type decided by
 * its content (libmagic), never by its name. Files not kept by the handler (an
 * error, a refused token, a rollback) are deleted when the request ends.
 */
#include "httpd.h"
#include <magic.h>
#include <string.h>
#include "apr_strings.h"
#include "apr_file_io.h"
#include "http_log.h"
#include "http_protocol.h"

#include "upload.h"
#include "multipart.h"
#include "text.h"
#include "token.h"

#define SNIFF_BYTES 4096
#define READ_CHUNK 16384

static const char *const allowed_types[] = { "image/jpeg", "image/png", "image/webp",
                                             "application/pdf" };

typedef struct {
    iv_req *rq;
    iv_upload *current;           /* the file part being written, or NULL */
    apr_file_t *fd;
    char *head;                   /* first bytes, for libmagic */
    apr_size_t head_len;
    const char *error_key;        /* why a callback stopped the parser */
} upload_ctx;

static apr_status_t remove_unkept(void *data)
{
    apr_array_header_t *files = data;
    for (int i = 0; i < files->nelts; i++) {
        iv_upload *u = &APR_ARRAY_IDX(files, i, iv_upload);
        if (!u->kept && u->path) {
            apr_file_remove(u->path, files->pool);
            u->path = NULL;
        }
    }
    return APR_SUCCESS;
}

static apr_status_t close_magic(void *cookie)
{
    magic_close(cookie);
    return APR_SUCCESS;
}

/* The MIME type libmagic finds in the first bytes, or NULL. */
static const char *sniff(iv_req *rq, const char *head, apr_size_t len)
{
    magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    const char *type;
    if (!cookie)
        return NULL;
    apr_pool_cleanup_register(rq->r->pool, cookie, close_magic, apr_pool_cleanup_null);
    if (magic_load(cookie, NULL) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00801: libmagic: %s", magic_error(cookie));
        return NULL;
    }
    type = magic_buffer(cookie, head, len);
    return type ? apr_pstrdup(rq->r->pool, type) : NULL;
}

static int type_allowed(const char *type)
{
    for (size_t i = 0; type && i < sizeof allowed_types / sizeof *allowed_types; i++)
        if (strcmp(type, allowed_types[i]) == 0)
            return 1;
    return 0;
}

static int on_begin(void *data, const iv_multipart_part *part)
{
    upload_ctx *ctx = data;
    iv_req *rq = ctx->rq;
    const char *name;

    if (!part->filename || !*part->filename)
        return 0;                 /* an ordinary field, or a file input left empty */
    if (!(name = iv_random_hex(rq->r->pool, 16)))
        return 1;
    ctx->current = apr_array_push(rq->uploads);
    memset(ctx->current, 0, sizeof *ctx->current);
    ctx->current->field = part->name;
    ctx->current->original_name = part->filename;
    ctx->current->stored_name = name;
    ctx->current->path = apr_pstrcat(rq->r->pool, rq->conf->upload_dir, "/", name, NULL);
    ctx->head_len = 0;
    if (apr_file_open(&ctx->fd, ctx->current->path,
                      APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_EXCL | APR_FOPEN_BUFFERED,
                      APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD, rq->r->pool)
        != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00802: cannot create %s",
                      ctx->current->path);
        ctx->current->path = NULL;
        ctx->error_key = "error.upload.storage";
        return 1;
    }
    return 0;
}

static int on_data(void *data, const char *bytes, apr_size_t len)
{
    upload_ctx *ctx = data;
    apr_size_t keep;

    if (!ctx->current)
        return 0;
    keep = SNIFF_BYTES - ctx->head_len < len ? SNIFF_BYTES - ctx->head_len : len;
    memcpy(ctx->head + ctx->head_len, bytes, keep);
    ctx->head_len += keep;
    ctx->current->size += (apr_off_t)len;
    if (apr_file_write_full(ctx->fd, bytes, len, NULL) != APR_SUCCESS) {
        ctx->error_key = "error.upload.storage";
        return 1;
    }
    return 0;
}

static int on_end(void *data)
{
    upload_ctx *ctx = data;
    iv_upload *u = ctx->current;

    if (!u)
        return 0;
    ctx->current = NULL;
    if (apr_file_close(ctx->fd) != APR_SUCCESS) {
        ctx->error_key = "error.upload.storage";
        return 1;
    }
    u->content_type = sniff(ctx->rq, ctx->head, ctx->head_len);
    if (!type_allowed(u->content_type)) {
        ctx->error_key = "error.upload.type";
        return 1;
    }
    return 0;
}

/* The French message for a parser status. */
static const char *status_key(iv_mp_status st)
{
    switch (st) {
    case IV_MP_FILE_TOO_LARGE:  return "error.upload.file_too_large";
    case IV_MP_TOTAL_TOO_LARGE: return "error.upload.total_too_large";
    case IV_MP_TOO_MANY_FILES:  return "error.upload.too_many_files";
    case IV_MP_FIELD_TOO_LARGE: return "error.upload.field_too_large";
    default:                    return "error.upload.malformed";
    }
}

static iv_multipart_limits limits_of(const iv_server_conf *c)
{
    iv_multipart_limits limits = iv_multipart_default_limits();
    limits.max_file_bytes = (apr_uint64_t)c->upload_max_file;
    limits.max_total_bytes = (apr_uint64_t)c->upload_max_total;
    limits.max_files = (unsigned)c->upload_max_files;
    return limits;
}

/* Feeds the request body to the parser. */
static iv_mp_status feed_body(iv_req *rq, iv_multipart_parser *mp)
{
    char *buf = apr_palloc(rq->r->pool, READ_CHUNK);
    long got;
    iv_mp_status st = IV_MP_OK;

    if (ap_setup_client_block(rq->r, REQUEST_CHUNKED_DECHUNK) != OK
        || !ap_should_client_block(rq->r))
        return IV_MP_TRUNCATED;
    apr_off_t dropped = 0;

    /* After an error, read on and drop the rest so the browser gets the page with
     * the message, but not without end: past the request limit, close instead. */
    while ((got = ap_get_client_block(rq->r, buf, READ_CHUNK)) > 0) {
        if (st == IV_MP_OK) {
            st = iv_multipart_feed(mp, buf, (apr_size_t)got);
        }
        else if ((dropped += got) > rq->conf->upload_max_total) {
            rq->r->connection->keepalive = AP_CONN_CLOSE;
            break;
        }
    }
    if (got < 0)
        return IV_MP_TRUNCATED;
    return st == IV_MP_OK ? iv_multipart_finish(mp) : st;
}

int iv_upload_is_multipart(request_rec *r)
{
    const char *type = apr_table_get(r->headers_in, "Content-Type");
    return type && strncasecmp(type, "multipart/form-data", 19) == 0;
}

int iv_upload_read(iv_req *rq, const char **error_key, const char **error_file)
{
    upload_ctx ctx = { rq, NULL, NULL, NULL, 0, NULL };
    iv_multipart_callbacks cb = { on_begin, on_data, on_end };
    iv_multipart_limits limits = limits_of(rq->conf);
    const char *boundary, *length = apr_table_get(rq->r->headers_in, "Content-Length");
    iv_multipart_parser *mp;
    iv_mp_status st;

    *error_key = *error_file = NULL;
    rq->uploads = apr_array_make(rq->r->pool, 2, sizeof(iv_upload));
    apr_pool_cleanup_register(rq->r->pool, rq->uploads, remove_unkept, apr_pool_cleanup_null);
    rq->form = apr_table_make(rq->r->pool, 16);
    if (iv_multipart_boundary(rq->r->pool, apr_table_get(rq->r->headers_in, "Content-Type"),
                              &boundary) != IV_MP_OK)
        return HTTP_BAD_REQUEST;
    if (length && apr_atoi64(length) > rq->conf->upload_max_total) {
        *error_key = "error.upload.total_too_large";
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    if (!rq->conf->upload_dir) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00803: InterventionsUploadDir is not set");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ctx.head = apr_palloc(rq->r->pool, SNIFF_BYTES);
    mp = iv_multipart_new(rq->r->pool, boundary, &limits, &cb, &ctx);
    st = feed_body(rq, mp);
    if (ctx.current && ctx.fd)
        apr_file_close(ctx.fd);
    rq->form = iv_multipart_fields(mp);
    if (st == IV_MP_OK)
        return OK;
    remove_unkept(rq->uploads);       /* refused: no file stays, not even briefly */
    *error_key = st == IV_MP_CALLBACK_ERROR && ctx.error_key ? ctx.error_key : status_key(st);
    if (iv_multipart_error_part(mp))
        *error_file = iv_multipart_error_part(mp)->filename;
    if (st == IV_MP_CALLBACK_ERROR && rq->uploads->nelts)
        *error_file = APR_ARRAY_IDX(rq->uploads, rq->uploads->nelts - 1, iv_upload).original_name;
    return st == IV_MP_MALFORMED || st == IV_MP_TRUNCATED || st == IV_MP_BAD_ENCODING
               ? HTTP_BAD_REQUEST : HTTP_UNPROCESSABLE_ENTITY;
}

void iv_upload_discard(iv_req *rq)
{
    if (rq->uploads)
        remove_unkept(rq->uploads);
}

void iv_upload_keep(iv_req *rq)
{
    for (int i = 0; rq->uploads && i < rq->uploads->nelts; i++)
        APR_ARRAY_IDX(rq->uploads, i, iv_upload).kept = 1;
}
