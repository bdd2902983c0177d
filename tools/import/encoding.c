#include <string.h>
#include "encoding.h"
#include "text.h"

/* Windows-1252 0x80..0x9F; 0 marks the five unassigned bytes. 0xA0..0xFF are
 * Latin-1, i.e. the code point itself. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

#define REPLACEMENT 0xFFFD

/* Looks at up to 64 bytes: UTF-16 text of a Latin script has a NUL in every
 * other byte, which no 8-bit text has. Returns 1 for LE, 2 for BE, 0 for no. */
static int looks_utf16(const unsigned char *b, size_t len)
{
    size_t n = len < 64 ? len & ~(size_t)1 : 64, zero_odd = 0, zero_even = 0;
    if (n < 4)
        return 0;
    for (size_t i = 0; i < n; i += 2) {
        zero_even += b[i] == 0;
        zero_odd += b[i + 1] == 0;
    }
    if (zero_odd * 10 >= n / 2 * 9 && zero_even == 0)
        return 1;
    if (zero_even * 10 >= n / 2 * 9 && zero_odd == 0)
        return 2;
    return 0;
}

/* Length of the valid UTF-8 sequence of 2 to 4 bytes at b, or 0. */
static size_t utf8_sequence(const unsigned char *b, const unsigned char *end)
{
    size_t n = b[0] >= 0xC2 && b[0] <= 0xDF ? 2 : b[0] >= 0xE0 && b[0] <= 0xEF ? 3
             : b[0] >= 0xF0 && b[0] <= 0xF4 ? 4 : 0;
    if (!n || (size_t)(end - b) < n || !iv_utf8_valid((const char *)b, n))
        return 0;
    return n;
}

static int has_utf8_sequence(const unsigned char *b, size_t len)
{
    for (const unsigned char *p = b, *end = b + len; p < end; p++)
        if (*p >= 0x80 && utf8_sequence(p, end))
            return 1;
    return 0;
}

iv_encoding iv_enc_detect(const char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf;
    int wide;

    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return IV_ENC_UTF8_BOM;
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return IV_ENC_UTF16LE;
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return IV_ENC_UTF16BE;
    if ((wide = looks_utf16(b, len)))
        return wide == 1 ? IV_ENC_UTF16LE : IV_ENC_UTF16BE;
    if (iv_utf8_valid(buf, len))
        return IV_ENC_UTF8;
    return has_utf8_sequence(b, len) ? IV_ENC_MIXED : IV_ENC_CP1252;
}

const char *iv_enc_name(iv_encoding enc)
{
    switch (enc) {
    case IV_ENC_UTF8:     return "UTF-8";
    case IV_ENC_UTF8_BOM: return "UTF-8 (BOM)";
    case IV_ENC_CP1252:   return "Windows-1252";
    case IV_ENC_UTF16LE:  return "UTF-16LE";
    case IV_ENC_UTF16BE:  return "UTF-16BE";
    case IV_ENC_MIXED:    return "UTF-8 et Windows-1252 mêlés";
    }
    return "?";
}

static char *put_utf8(char *o, unsigned long cp)
{
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = REPLACEMENT;
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

static char *from_cp1252(apr_pool_t *pool, const unsigned char *b, size_t len, size_t *out_len)
{
    char *out = apr_palloc(pool, 3 * len + 1), *o = out;   /* U+20AC takes 3 bytes */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = b[i];
        if (c >= 0x80 && c < 0xA0)
            o = put_utf8(o, cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : REPLACEMENT);
        else if (c >= 0x80)
            o = put_utf8(o, c);
        else
            o = put_utf8(o, c ? c : REPLACEMENT);
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

static char *from_utf16(apr_pool_t *pool, const unsigned char *b, size_t len, int big_endian,
                        size_t *out_len)
{
    /* a BMP unit gives at most 3 bytes; a surrogate pair (2 units) gives 4 */
    char *out = apr_palloc(pool, len / 2 * 3 + 4), *o = out;
    size_t i = 0;

    if (len >= 2 && ((big_endian && b[0] == 0xFE && b[1] == 0xFF)
                     || (!big_endian && b[0] == 0xFF && b[1] == 0xFE)))
        i = 2;
    for (; i + 1 < len; i += 2) {
        unsigned long u = big_endian ? (unsigned long)(b[i] << 8 | b[i + 1])
                                     : (unsigned long)(b[i + 1] << 8 | b[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            unsigned long lo = big_endian ? (unsigned long)(b[i + 2] << 8 | b[i + 3])
                                          : (unsigned long)(b[i + 3] << 8 | b[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        o = put_utf8(o, u);
    }
    if (len & 1)
        o = put_utf8(o, REPLACEMENT);
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

static char *from_mixed(apr_pool_t *pool, const unsigned char *b, size_t len, size_t *out_len)
{
    char *out = apr_palloc(pool, 3 * len + 1), *o = out;
    const unsigned char *end = b + len;
    for (const unsigned char *p = b; p < end;) {
        size_t n = *p >= 0x80 ? utf8_sequence(p, end) : 0;
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
            continue;
        }
        if (*p >= 0x80 && *p < 0xA0)
            o = put_utf8(o, cp1252_high[*p - 0x80] ? cp1252_high[*p - 0x80] : REPLACEMENT);
        else
            o = put_utf8(o, *p ? *p : REPLACEMENT);
        p++;
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

/* Valid UTF-8 already: a copy, NULs made visible. */
static char *from_utf8(apr_pool_t *pool, const char *b, size_t len, size_t *out_len)
{
    size_t zeros = 0;
    for (const char *z = memchr(b, 0, len); z; z = memchr(z + 1, 0, len - (size_t)(z + 1 - b)))
        zeros++;
    char *out = apr_palloc(pool, len + 2 * zeros + 1), *o = out;
    for (size_t i = 0; i < len; i++)
        o = b[i] ? (*o = b[i], o + 1) : put_utf8(o, REPLACEMENT);
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

char *iv_enc_to_utf8(apr_pool_t *pool, iv_encoding enc, const char *buf, size_t len,
                     size_t *out_len)
{
    const unsigned char *b = (const unsigned char *)buf;
    switch (enc) {
    case IV_ENC_UTF8_BOM:
        return from_utf8(pool, buf + 3, len - 3, out_len);
    case IV_ENC_UTF8:
        return from_utf8(pool, buf, len, out_len);
    case IV_ENC_CP1252:
        return from_cp1252(pool, b, len, out_len);
    case IV_ENC_UTF16LE:
        return from_utf16(pool, b, len, 0, out_len);
    case IV_ENC_UTF16BE:
        return from_utf16(pool, b, len, 1, out_len);
    case IV_ENC_MIXED:
        return from_mixed(pool, b, len, out_len);
    }
    return from_cp1252(pool, b, len, out_len);
}
