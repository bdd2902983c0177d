/*
 * upload.h — forms with files (multipart/form-data), see upload.c.
 */
#ifndef IV_UPLOAD_H
#define IV_UPLOAD_H

#include "iv.h"

/* A file received with the form, stored under InterventionsUploadDir. */
typedef struct {
    const char *field;            /* form field name */
    const char *original_name;    /* as the user's computer named it (display only) */
    const char *stored_name;      /* random, 32 hex characters */
    const char *path;
    const char *content_type;     /* decided by content: image/jpeg, image/png,
                                   * image/webp or application/pdf */
    apr_off_t size;
    int kept;                     /* else deleted at the end of the request */
} iv_upload;

/* 1 when the request body is multipart/form-data. */
int iv_upload_is_multipart(request_rec *r);

/* Reads the body: fields into rq->form, files into rq->uploads (iv_upload).
 * Returns OK; HTTP_BAD_REQUEST for a broken body; HTTP_UNPROCESSABLE_ENTITY or
 * HTTP_REQUEST_ENTITY_TOO_LARGE with *error_key (catalogue key) and *error_file
 * (the file concerned, may be NULL) for what the user can fix. */
int iv_upload_read(iv_req *rq, const char **error_key, const char **error_file);

/* Deletes the files not kept, now rather than at the end of the request (the
 * form is refused: nothing it sent stays). */
void iv_upload_discard(iv_req *rq);

/* The handler stored the files' rows: keep the files. */
void iv_upload_keep(iv_req *rq);

#endif
