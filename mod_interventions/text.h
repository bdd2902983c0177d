/*
 * text.h — small text helpers on untrusted input, no httpd types.
 */
#ifndef IV_TEXT_H
#define IV_TEXT_H

#include <stddef.h>
#include "apr_pools.h"

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int iv_utf8_valid(const char *s, size_t len);

/* Copy of s without C0 control characters other than TAB, LF and CR (they are not
 * allowed in XML 1.0 and never legitimate in a form field). */
char *iv_strip_controls(apr_pool_t *pool, const char *s);

/* Copy of s with leading and trailing ASCII white space removed. */
char *iv_trim(apr_pool_t *pool, const char *s);

#endif
