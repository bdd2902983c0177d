/*
 * encoding.h — which character set a legacy file is written in, and its text in
 * UTF-8. Access exports CSV in the workstation's code page (Windows-1252 on French
 * Windows) unless told otherwise; newer ones write UTF-8, with or without a BOM,
 * or "Unicode" (UTF-16). Pure C (APR pools only).
 */
#ifndef IV_IMP_ENCODING_H
#define IV_IMP_ENCODING_H

#include <stddef.h>
#include "apr_pools.h"

typedef enum {
    IV_ENC_UTF8,
    IV_ENC_UTF8_BOM,
    IV_ENC_CP1252,
    IV_ENC_UTF16LE,
    IV_ENC_UTF16BE,
    IV_ENC_MIXED            /* UTF-8 with stray Windows-1252 bytes (pasted text) */
} iv_encoding;

/* The encoding of buf: a BOM decides; else UTF-16 when every other byte of the
 * start is NUL; else UTF-8 when the whole buffer is valid UTF-8 (plain ASCII
 * included); else mixed when it holds both multi-byte UTF-8 characters and bytes
 * that are not UTF-8 (a file edited by hand on two machines); else Windows-1252,
 * which every byte sequence is. */
iv_encoding iv_enc_detect(const char *buf, size_t len);

/* Its name as the report gives it: "UTF-8", "UTF-8 (BOM)", "Windows-1252"… */
const char *iv_enc_name(iv_encoding enc);

/* buf converted to UTF-8, without BOM, NUL-terminated; *out_len its length. In a
 * mixed buffer each valid UTF-8 sequence stays and every other byte is read as
 * Windows-1252. Bytes
 * that stand for no character (the five holes of Windows-1252, a lone UTF-16
 * surrogate, a NUL) become U+FFFD, so that nothing vanishes unseen. */
char *iv_enc_to_utf8(apr_pool_t *pool, iv_encoding enc, const char *buf, size_t len,
                     size_t *out_len);

#endif
