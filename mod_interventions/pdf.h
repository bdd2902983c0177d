/*
 * pdf.h — PDF documents for the printed views (the fiche d'intervention) with
 * libharu: A4 pages, text in the configured TrueType fonts, rules and boxes, a
 * QR code, the logo, and the bytes of the response.
 *
 * Text is UTF-8 throughout this API. libharu draws a TrueType font either as a
 * CID font (its UTF-8 encoder) or as a simple font through a single-byte
 * encoding. The CID way builds a 65,536-entry glyph map per font and per
 * document: measured, it caps printing at ~200 fiches/s per core. So text goes
 * the simple way: each string is cut into runs per encoding, Windows-1252 first
 * (all of French: é ç œ Œ Ÿ € « » ’ … included), then other single-byte code
 * pages for the rest of the Latin letters (ł ő ř ş…), Greek and Cyrillic when
 * the font has them. A character that no encoding of libharu and no glyph of
 * the font can print comes out as "?" (so "Ω 漢字" with the fiche's subset
 * font prints "? ??"); malformed UTF-8 also gives "?". Nothing is ever dropped
 * silently but zero-width and soft-hyphen characters.
 */
#ifndef IV_PDF_H
#define IV_PDF_H

#include "iv.h"
#include "apr_tables.h"

typedef struct iv_pdf iv_pdf;
typedef struct iv_pdf_assets iv_pdf_assets;

typedef enum { IV_PDF_REGULAR, IV_PDF_BOLD, IV_PDF_FACES } iv_pdf_face;

/* A4 portrait, in points (1/72 inch); y grows upwards from the bottom edge. */
#define IV_PDF_A4_WIDTH  595.276f
#define IV_PDF_A4_HEIGHT 841.89f

#define IV_PDF_DEFAULT_FONT      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define IV_PDF_DEFAULT_FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/* Start-up (check_config): loads c's fonts and logo with libharu, draws and
 * saves a test document with them, and works out which characters each font
 * can print. Sets c->pdf_assets (shared by the servers that name the same
 * files). Returns NULL, or a sentence for the administrator. */
const char *iv_pdf_check_conf(apr_pool_t *pconf, iv_server_conf *c);

/* A new, empty document for request r; library errors are logged on r. It is
 * the thread's libharu document, emptied when r's pool goes (the fonts stay
 * parsed for the thread's next fiche). NULL (logged) when the fonts cannot be
 * loaded. */
iv_pdf *iv_pdf_new(request_rec *r, const iv_pdf_assets *assets);

/* Adds an A4 page and draws on it from now on. */
void iv_pdf_add_page(iv_pdf *pdf);
int iv_pdf_page_count(const iv_pdf *pdf);
/* Draws on page index (0-based) again: footers once the page count is known. */
void iv_pdf_use_page(iv_pdf *pdf, int index);

/* Fill colour of the text and boxes drawn next: 0 black … 1 white. */
void iv_pdf_gray(iv_pdf *pdf, float gray);

/* Width of text in points at size. */
float iv_pdf_width(iv_pdf *pdf, iv_pdf_face face, float size, const char *text);

/* Draws text with the left end of its baseline at (x, y); returns its width. */
float iv_pdf_text(iv_pdf *pdf, iv_pdf_face face, float size, float x, float y,
                  const char *text);

/* Lines of text no wider than width (see iv_text_wrap: paragraphs kept, long
 * words cut), as NUL-terminated UTF-8 strings. */
apr_array_header_t *iv_pdf_wrap(iv_pdf *pdf, iv_pdf_face face, float size, const char *text,
                                float width);

/* A straight line; dotted for the blanks a person fills in by hand. */
void iv_pdf_line(iv_pdf *pdf, float x1, float y1, float x2, float y2, float width,
                 float gray, int dotted);

/* A rectangle from its lower-left corner: stroked when line_width > 0, filled
 * with fill_gray when fill_gray >= 0. */
void iv_pdf_box(iv_pdf *pdf, float x, float y, float w, float h, float line_width,
                float fill_gray);

/* A QR code of text (error correction M), size points square with its
 * lower-left corner at (x, y). The caller leaves 4 modules of white around it
 * (the quiet zone readers need). Returns 0, or -1 (logged). */
int iv_pdf_qr(iv_pdf *pdf, const char *text, float x, float y, float size);

/* Draws the configured logo scaled into max_w x max_h with its top-left corner
 * at (x, top); returns the width drawn, 0 when there is no logo. */
float iv_pdf_logo(iv_pdf *pdf, float x, float top, float max_w, float max_h);

/* The document's bytes, in the request pool; NULL when anything went wrong
 * while it was made (the cause is in the error log). Ends the document: call it
 * once for every iv_pdf_new that succeeded, in the same handler (the thread's
 * libharu document is handed back here, not by a pool cleanup). */
const char *iv_pdf_finish(iv_pdf *pdf, apr_size_t *len);

#endif
