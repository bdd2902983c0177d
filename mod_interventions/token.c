#include <string.h>
#include <openssl/evp.h>
#include "apr_general.h"
#include "token.h"

char *iv_hex_encode(apr_pool_t *pool, const unsigned char *bytes, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *out = apr_palloc(pool, len * 2 + 1);
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 0x0f];
    }
    out[len * 2] = '\0';
    return out;
}

const char *iv_random_hex(apr_pool_t *pool, size_t len)
{
    unsigned char *bytes = apr_palloc(pool, len);
    if (apr_generate_random_bytes(bytes, len) != APR_SUCCESS)
        return NULL;
    return iv_hex_encode(pool, bytes, len);
}

const char *iv_token_new(apr_pool_t *pool)
{
    return iv_random_hex(pool, IV_TOKEN_BYTES);
}

const char *iv_token_hash(apr_pool_t *pool, const char *s)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(s, strlen(s), digest, &len, EVP_sha256(), NULL);
    return iv_hex_encode(pool, digest, len);
}

int iv_token_well_formed(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return s && n == IV_TOKEN_HEX;
}

int iv_token_equal(const char *a, const char *b)
{
    size_t alen, blen;
    unsigned char diff;

    if (!a || !b)
        return 0;
    alen = strlen(a);
    blen = strlen(b);
    diff = (unsigned char)(alen != blen);
    /* Walk the whole expected value; read a cyclically so no early exit. */
    for (size_t i = 0; i < blen; i++)
        diff |= (unsigned char)(a[alen ? i % alen : 0] ^ b[i]);
    return blen > 0 && diff == 0;
}
