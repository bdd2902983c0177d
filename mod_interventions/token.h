/*
 * token.h — random tokens, their hashes, and comparing them in constant time.
 */
#ifndef IV_TOKEN_H
#define IV_TOKEN_H

#include <stddef.h>
#include "apr_pools.h"
#include "apr_errno.h"

#define IV_TOKEN_BYTES 32                  /* 256 bits */
#define IV_TOKEN_HEX (IV_TOKEN_BYTES * 2)

/* A fresh token of IV_TOKEN_BYTES random bytes from APR's generator, as lower-case
 * hex. Returns NULL if the system generator fails (never a weak token). */
const char *iv_token_new(apr_pool_t *pool);

/* Lower-case hex of len bytes of random data, or NULL on generator failure. */
const char *iv_random_hex(apr_pool_t *pool, size_t len);

/* Lower-case hex of the SHA-256 of s (what the sessions table stores). */
const char *iv_token_hash(apr_pool_t *pool, const char *s);

/* 1 when s is exactly IV_TOKEN_HEX lower-case hex digits. */
int iv_token_well_formed(const char *s);

/* 1 when a and b are equal. Time depends only on the length of b (the expected
 * value), never on where the strings differ. NULL never equals anything. */
int iv_token_equal(const char *a, const char *b);

/* Lower-case hex of len bytes. */
char *iv_hex_encode(apr_pool_t *pool, const unsigned char *bytes, size_t len);

#endif
