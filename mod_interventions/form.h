/*
 * form.h — reading application/x-www-form-urlencoded bodies.
 */
#ifndef IV_FORM_H
#define IV_FORM_H

#include "iv.h"

#define IV_FORM_MAX_BYTES (256 * 1024)
#define IV_FORM_MAX_FIELDS 200

/* Reads the body into rq->form (first value of each name; values without C0
 * control characters). Returns OK, HTTP_BAD_REQUEST for a body that is not
 * UTF-8, or the status ap_parse_form_data gave (413 when too large). */
int iv_form_read(iv_req *rq);

/* A field's value, or "" when absent (forms always post every field). */
const char *iv_form_get(iv_req *rq, const char *name);

#endif
