/*
 * refcode.h — codes and labels of reference-list values (origins, objects,
 * communes…), as administrators type them. Pure C (APR pools only): unit-tested
 * without a server.
 *
 * A code is what requests store and never changes: 1 to IV_REF_CODE_MAX of
 * [a-z0-9_.-], or for a commune its INSEE code. A label is what users read.
 */
#ifndef IV_REFCODE_H
#define IV_REFCODE_H

#include <stddef.h>
#include "apr_pools.h"

#define IV_REF_CODE_MAX  64      /* the router's {code:word} accepts 64 characters */
#define IV_REF_LABEL_MAX 200     /* in characters (code points), not bytes */

/* A code made from a label: accents dropped ("é" → "e", "œ" → "oe"), letters
 * lower-cased, every other run of characters turned into one "_", no "_" at
 * either end, cut to IV_REF_CODE_MAX. "Débordement EP" → "debordement_ep".
 * May be "" (a label without Latin letters or digits). label must be UTF-8. */
char *iv_ref_code_from_label(apr_pool_t *pool, const char *label);

/* 1 when code is 1 to IV_REF_CODE_MAX of [a-z0-9_.-] starting with a letter or
 * digit (agents' codes are directory logins such as "m.dupont"). */
int iv_ref_code_valid(const char *code);

/* The INSEE code of a commune in its stored form: five digits, or "2A"/"2B" and
 * three digits for Corsica (upper-cased: "2a004" → "2A004"). NULL when typed is
 * not one. */
const char *iv_insee_normalize(apr_pool_t *pool, const char *typed);

/* A label as stored: white space trimmed at both ends, inner runs of white space
 * (tabs, new lines) made one space. */
char *iv_ref_label_clean(apr_pool_t *pool, const char *typed);

/* Number of characters (code points) of a valid UTF-8 string. */
size_t iv_utf8_length(const char *s);

#endif
