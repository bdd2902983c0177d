/*
 * request_fields.h — the fields of a request as the form names them (the labels of
 * the existing Access form, PRODUCT.md), and their validation. Pure C over APR
 * tables: the same table drives the form, the page, the history and the checks.
 */
#ifndef IV_REQUEST_FIELDS_H
#define IV_REQUEST_FIELDS_H

#include "apr_pools.h"
#include "apr_tables.h"

typedef enum { IV_F_TEXT, IV_F_TEXTAREA, IV_F_SELECT, IV_F_DATETIME, IV_F_PHONE,
               IV_F_EMAIL, IV_F_NUMBER } iv_field_kind;

typedef enum { IV_G_DEMANDE, IV_G_INTERVENTION, IV_G_REALISEE } iv_field_group;

typedef struct {
    const char *name;        /* form field name = XML name = catalogue key field.<name> */
    iv_field_kind kind;
    iv_field_group group;
    const char *list;        /* reference list of a select ("origine", "agent"…) */
    int required;
    apr_size_t max_length;
} iv_field;

/* The fields, in form order; count in *n. */
const iv_field *iv_request_fields(size_t *n);

/* The field called name, or NULL. */
const iv_field *iv_request_field(const char *name);

/* Checks and normalises the typed values (every field read from input, trimmed).
 * clean receives the values to store (phone normalised, dates canonical
 * "AAAA-MM-JJ HH:MM", empty strings for empty optional fields); errors receives
 * field name → catalogue key of the message (error.field.*). is_institution
 * tells whether a nature code asks in its own name (no requester name needed),
 * known_code whether a code exists in a list (both are given the ctx). Returns
 * the number of errors. Date reçue in the future is checked by the caller (it
 * needs the database clock). */
int iv_request_validate(apr_pool_t *pool, apr_table_t *input, apr_table_t *clean,
                        apr_table_t *errors,
                        int (*is_institution)(void *ctx, const char *nature),
                        int (*known_code)(void *ctx, const char *list, const char *code),
                        void *ctx);

#endif
