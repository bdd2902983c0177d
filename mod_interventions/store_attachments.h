/*
 * store_attachments.h — attachment rows (see store_attachments.c).
 */
#ifndef IV_STORE_ATTACHMENTS_H
#define IV_STORE_ATTACHMENTS_H

#include "db.h"
#include "upload.h"

extern const iv_statement iv_attachment_statements[];

/* Records the files for request id, numbered after the existing ones (inside the
 * caller's transaction). */
int iv_attachments_insert(iv_req *rq, const char *id, const iv_upload *files, int count);

/* Rows: n, original name, type, size, date. */
int iv_attachments_list(iv_req *rq, const char *id, apr_dbd_results_t **res);

/* *row: original name, stored name, type, size; NULL when there is none. */
int iv_attachment_get(iv_req *rq, const char *id, const char *n, const char ***row);

#endif
