/*
 * textwrap.h — breaking text into lines of a given width, for the PDF views.
 * No httpd or libharu types: the width of a piece of text comes from a callback,
 * so the unit tests run it with a fixed-width "font".
 */
#ifndef IV_TEXTWRAP_H
#define IV_TEXTWRAP_H

#include <stddef.h>
#include "apr_pools.h"
#include "apr_tables.h"

#define IV_REPLACEMENT_CHAR 0xFFFDu

/* Decodes the code point at *s (s < end) and moves *s past it. A byte that does
 * not start a well-formed sequence (overlong, surrogate, > U+10FFFF, truncated)
 * gives U+FFFD and moves one byte: bad input never stops the decoding. */
unsigned iv_utf8_next(const char **s, const char *end);

/* Width of text[0..len) in the caller's unit (points). len ends on a code point
 * boundary. */
typedef double (*iv_measure_fn)(void *ctx, const char *text, size_t len);

/* Breaks text into lines (array of NUL-terminated UTF-8 copies in pool) no
 * wider than width, as a person would write it on a form:
 *   - "\n", "\r\n" and "\r" end a paragraph; an empty paragraph is an empty
 *     line; empty lines at the very end are dropped;
 *   - lines break at spaces (runs of spaces and tabs count as one; a no-break
 *     space U+00A0 does not break); the breaking space is not kept;
 *   - a word wider than a line is cut between code points, as late as fits;
 *   - every line holds at least one code point, whatever width is.
 * Widths are added word by word (text is measured once per word and once for
 * a space), which is exact for fonts drawn without kerning. */
apr_array_header_t *iv_text_wrap(apr_pool_t *pool, const char *text, double width,
                                 iv_measure_fn measure, void *ctx);

#endif
