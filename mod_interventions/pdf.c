/*
 * pdf.c — PDF documents with libharu (see pdf.h for why text goes through
 * single-byte encodings rather than libharu's UTF-8 CID fonts).
 *
 * Start-up does the expensive and the risky work once: fonts and logo are
 * loaded and a test document saved (a font libharu cannot embed stops httpd
 * with a message, never a fiche), and for each font a table says how every BMP
 * code point is drawn: which encoding, which byte. A request then takes its
 * thread's document, where the fonts are already parsed (see "documents"), and
 * looks characters up.
 */
#include "httpd.h"
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include <hpdf.h>
#include <png.h>
#include <qrencode.h>
#include "apr_strings.h"
#include "apr_file_io.h"
#include "apr_file_info.h"
#include "http_log.h"

#include "pdf.h"
#include "textwrap.h"

/* libharu's single-byte encodings, in the order a character is looked for:
 * Windows-1252 first (all of French), then what covers the other European
 * letters (Latin Extended-A but for seven rare ones), Cyrillic and Greek. */
static const char *const encodings[] = {
    "CP1252", "CP1250", "CP1254", "CP1257", "ISO8859-3", "ISO8859-4", "ISO8859-10",
    "ISO8859-14", "ISO8859-16", "CP1251", "CP1253", "CP1258",
};
#define ENCODINGS (sizeof encodings / sizeof *encodings)

/* A code point's entry in a font's table: (encoding index + 1) << 8 | byte.
 * 0: the font cannot print it ("?" instead); DROP: printed as nothing. */
#define DROP 0xFFFFu
#define SLOT(entry) (((entry) >> 8) - 1)
#define BMP 0x10000u

#define LOGO_MAX (2 * 1024 * 1024)
#define LOGO_MAX_PIXELS 2048u              /* a side: it prints 39 mm wide */

struct iv_pdf_assets {
    const char *font_path[IV_PDF_FACES];
    const apr_uint16_t *map[IV_PDF_FACES];   /* BMP code point -> entry */
    apr_uint16_t question[IV_PDF_FACES];     /* the entry of "?" */
    const unsigned char *logo;               /* file contents, or NULL */
    apr_size_t logo_size;
    int logo_png;                            /* else JPEG */
};

struct iv_pdf {
    request_rec *r;
    const iv_pdf_assets *assets;
    struct thread_doc *thread;                  /* whose document this is */
    HPDF_Doc doc;
    const char *font_name[IV_PDF_FACES];
    HPDF_Font fonts[IV_PDF_FACES][ENCODINGS];   /* made on first use */
    apr_array_header_t *pages;                  /* of HPDF_Page */
    HPDF_Page page;
    HPDF_Image logo;                            /* loaded once per document */
    int failed;
};

/* ---------------------------------------------------------------- characters */

/* What a code point is printed as: typographic spaces and hyphens that no code
 * page holds become their plain forms; 0 for what prints as nothing. */
static unsigned fold(unsigned u)
{
    if (u < 0x20 || (u >= 0x7f && u < 0xa0))
        return ' ';                             /* tab, stray control characters */
    if ((u >= 0x2000 && u <= 0x200a) || u == 0x202f || u == 0x205f || u == 0x3000)
        return 0xa0;                            /* thin, narrow no-break… spaces */
    if ((u >= 0x2010 && u <= 0x2012) || u == 0x2043 || u == 0x2212)
        return '-';
    if (u == 0xad || (u >= 0x200b && u <= 0x200d) || u == 0x2060 || u == 0xfeff)
        return 0;                               /* soft hyphen, zero-width marks */
    return u;
}

/* The entry of the next code point of text for face; moves *s past it. */
static unsigned next_entry(const iv_pdf_assets *a, iv_pdf_face face, const char **s,
                           const char *end)
{
    unsigned u = iv_utf8_next(s, end);
    unsigned entry = u < BMP ? a->map[face][u] : 0;
    return entry ? entry : a->question[face];
}

/* ---------------------------------------------------------------- start-up */

typedef struct {
    HPDF_STATUS error, detail;
} startup_error;

static void startup_error_handler(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    startup_error *e = data;
    if (!e->error) {
        e->error = error;
        e->detail = detail;
    }
}

/* Loads a font into a scratch document, draws with it and saves: libharu
 * checks the tables it embeds only when it saves. */
static const char *check_font(apr_pool_t *p, const char *directive, const char *path)
{
    startup_error e = { 0, 0 };
    HPDF_Doc doc;
    const char *name;
    HPDF_Page page;
    apr_finfo_t info;

    if (apr_stat(&info, path, APR_FINFO_TYPE, p) != APR_SUCCESS || info.filetype != APR_REG)
        return apr_psprintf(p, "%s: cannot read font file '%s'%s", directive, path,
                            strcmp(path, IV_PDF_DEFAULT_FONT) == 0
                            || strcmp(path, IV_PDF_DEFAULT_FONT_BOLD) == 0
                            ? " (the default: install the Debian package fonts-dejavu-core, or "
                              "name a font with this directive)" : "");
    if (!(doc = HPDF_New(startup_error_handler, &e)))
        return "the PDF library could not start (out of memory)";
    if ((name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE)) != NULL) {
        page = HPDF_AddPage(doc);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, HPDF_GetFont(doc, name, "CP1252"), 12);
        HPDF_Page_ShowText(page, "Aa\xe9");
        HPDF_Page_EndText(page);
        HPDF_SaveToStream(doc);
    }
    HPDF_Free(doc);
    if (!e.error)
        return NULL;
    return apr_psprintf(p, "%s: '%s' cannot be used: the PDF library (libharu) cannot load or "
                        "embed it (error 0x%04X, %u); give a TrueType font (.ttf with TrueType "
                        "outlines, a Unicode cmap and the cvt, fpgm and prep tables)",
                        directive, path, (unsigned)e.error, (unsigned)e.detail);
}

/* Code point -> first encoding and byte that hold it (any font). */
static apr_uint16_t *encodings_table(apr_pool_t *p, HPDF_Doc doc)
{
    apr_uint16_t *raw = apr_pcalloc(p, BMP * sizeof *raw);
    for (unsigned slot = 0; slot < ENCODINGS; slot++) {
        HPDF_Encoder enc = HPDF_GetEncoder(doc, encodings[slot]);
        for (unsigned b = 0x20; enc && b <= 0xff; b++) {
            HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)b);
            if (u && u != 0x7f && !raw[u])
                raw[u] = (apr_uint16_t)(((slot + 1) << 8) | b);
        }
    }
    return raw;
}

/* The font's table: the encodings' entry where the font has the glyph. */
static apr_uint16_t *font_table(apr_pool_t *p, const apr_uint16_t *raw, HPDF_FontDef def)
{
    apr_uint16_t *map = apr_pcalloc(p, BMP * sizeof *map);
    for (unsigned u = 0; u < BMP; u++) {
        unsigned f = fold(u);
        if (f == 0)
            map[u] = DROP;
        else if (raw[f] && HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)f) != 0)
            map[u] = raw[f];
    }
    return map;
}

static const char *read_logo(apr_pool_t *p, const char *path, iv_pdf_assets *a)
{
    apr_file_t *f;
    apr_finfo_t info;
    apr_size_t got;
    unsigned char *data;

    if (apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p) != APR_SUCCESS
        || apr_file_info_get(&info, APR_FINFO_SIZE, f) != APR_SUCCESS)
        return apr_psprintf(p, "InterventionsLogo: cannot read file '%s'", path);
    if (info.size < 8 || info.size > LOGO_MAX)
        return apr_psprintf(p, "InterventionsLogo: '%s' must be an image of 8 bytes to 2 MB "
                            "(it is embedded in every fiche: a few tens of KB is plenty)", path);
    data = apr_palloc(p, (apr_size_t)info.size);
    if (apr_file_read_full(f, data, (apr_size_t)info.size, &got) != APR_SUCCESS)
        return apr_psprintf(p, "InterventionsLogo: reading '%s' failed", path);
    apr_file_close(f);
    a->logo_png = memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0;
    if (!a->logo_png && memcmp(data, "\xff\xd8\xff", 3) != 0)
        return apr_psprintf(p, "InterventionsLogo: '%s' is neither a PNG nor a JPEG image", path);
    a->logo = data;
    a->logo_size = got;
    return NULL;
}

/* libharu leaves the errors of a broken PNG to libpng's default handler, which
 * aborts the process: the image is decoded here first with libpng's simplified
 * API, which reports them. */
static const char *png_check(apr_pool_t *p, const char *path, const iv_pdf_assets *a)
{
    png_image img;
    void *pixels = NULL;
    int ok;

    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    ok = png_image_begin_read_from_memory(&img, a->logo, a->logo_size);
    if (ok && (img.width > LOGO_MAX_PIXELS || img.height > LOGO_MAX_PIXELS)) {
        png_image_free(&img);
        return apr_psprintf(p, "InterventionsLogo: '%s' is %u x %u pixels; give at most %u x %u "
                            "(it prints 39 mm wide)", path, (unsigned)img.width,
                            (unsigned)img.height, LOGO_MAX_PIXELS, LOGO_MAX_PIXELS);
    }
    if (ok) {
        img.format = PNG_FORMAT_RGBA;
        ok = (pixels = malloc(PNG_IMAGE_SIZE(img))) != NULL
             && png_image_finish_read(&img, NULL, pixels, 0, NULL);
        free(pixels);
    }
    if (ok)
        return NULL;
    png_image_free(&img);
    return apr_psprintf(p, "InterventionsLogo: '%s' is not a readable PNG image (%s)", path,
                        img.message[0] ? img.message : "out of memory");
}

static const char *check_logo(apr_pool_t *p, const char *path, const iv_pdf_assets *a)
{
    startup_error e = { 0, 0 };
    HPDF_Doc doc;
    HPDF_Image img;
    const char *problem;

    if (a->logo_png && (problem = png_check(p, path, a)))
        return problem;
    if (!(doc = HPDF_New(startup_error_handler, &e)))
        return "the PDF library could not start (out of memory)";
    img = a->logo_png ? HPDF_LoadPngImageFromMem(doc, a->logo, (HPDF_UINT)a->logo_size)
                      : HPDF_LoadJpegImageFromMem(doc, a->logo, (HPDF_UINT)a->logo_size);
    HPDF_Free(doc);
    if (img && !e.error)
        return NULL;
    return apr_psprintf(p, "InterventionsLogo: the PDF library (libharu) cannot read the image "
                        "'%s' (error 0x%04X, %u); save it again as a plain PNG or JPEG",
                        path, (unsigned)e.error, (unsigned)e.detail);
}

/* Builds the character tables of both fonts. */
static const char *font_tables(apr_pool_t *p, iv_pdf_assets *a)
{
    startup_error e = { 0, 0 };
    HPDF_Doc doc = HPDF_New(startup_error_handler, &e);
    apr_uint16_t *raw;

    if (!doc)
        return "the PDF library could not start (out of memory)";
    raw = encodings_table(p, doc);
    for (int face = 0; face < IV_PDF_FACES; face++) {
        const char *name = HPDF_LoadTTFontFromFile(doc, a->font_path[face], HPDF_FALSE);
        HPDF_FontDef def = name ? HPDF_GetFontDef(doc, name) : NULL;
        if (!def)
            break;
        a->map[face] = font_table(p, raw, def);
        a->question[face] = raw['?'];
    }
    HPDF_Free(doc);
    return e.error || !a->map[IV_PDF_BOLD] ? "the PDF library failed to read the fonts' "
                                             "character maps" : NULL;
}

static const char *prepare(apr_pool_t *p, const iv_server_conf *c, iv_pdf_assets **out)
{
    iv_pdf_assets *a = apr_pcalloc(p, sizeof *a);
    const char *problem;

    a->font_path[IV_PDF_REGULAR] = c->font_path;
    a->font_path[IV_PDF_BOLD] = c->font_bold_path;
    if ((problem = check_font(p, "InterventionsFont", c->font_path))
        || (problem = check_font(p, "InterventionsFontBold", c->font_bold_path))
        || (problem = font_tables(p, a)))
        return problem;
    if (c->logo_path && ((problem = read_logo(p, c->logo_path, a))
                         || (problem = check_logo(p, c->logo_path, a))))
        return problem;
    *out = a;
    return NULL;
}

const char *iv_pdf_check_conf(apr_pool_t *pconf, iv_server_conf *c)
{
    static const char cache_key[] = "iv_pdf_assets";
    apr_hash_t *cache = NULL;
    const char *key, *problem;
    iv_pdf_assets *a;

    /* one preparation per distinct set of files, for the life of pconf */
    apr_pool_userdata_get((void **)&cache, cache_key, pconf);
    if (!cache) {
        cache = apr_hash_make(pconf);
        apr_pool_userdata_setn(cache, cache_key, NULL, pconf);
    }
    key = apr_pstrcat(pconf, c->font_path, "\n", c->font_bold_path, "\n",
                      c->logo_path ? c->logo_path : "", NULL);
    if (!(a = apr_hash_get(cache, key, APR_HASH_KEY_STRING))) {
        if ((problem = prepare(pconf, c, &a)))
            return problem;
        apr_hash_set(cache, key, APR_HASH_KEY_STRING, a);
    }
    c->pdf_assets = a;
    return NULL;
}

/* ---------------------------------------------------------------- documents */

/* Each thread keeps one libharu document and starts every fiche afresh in it
 * (HPDF_NewDoc): libharu keeps the font definitions, already parsed, and the
 * encoders across HPDF_NewDoc, and clears which glyphs were used, so the fonts
 * are read from disk once per thread rather than per fiche (measured: +20 %
 * fiches/s). Like the compiled stylesheets, this is configuration made ready,
 * not data: nothing of a fiche outlives its request. A document that met an
 * error is thrown away. libharu documents are never shared between threads. */
typedef struct thread_doc {
    HPDF_Doc doc;
    const iv_pdf_assets *assets;            /* the fonts it holds */
    const char *font_name[IV_PDF_FACES];    /* libharu's names for them */
    iv_pdf *current;                        /* the fiche being made: errors go to it */
} thread_doc;

static pthread_key_t doc_key;
static pthread_once_t doc_key_once = PTHREAD_ONCE_INIT;

static void thread_doc_free(void *data)
{
    thread_doc *t = data;
    if (t->doc)
        HPDF_Free(t->doc);
    free(t);
}

static void doc_key_create(void)
{
    pthread_key_create(&doc_key, thread_doc_free);
}

static void error_handler(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    thread_doc *t = data;
    iv_pdf *pdf = t->current;
    /* the first error is the cause; the calls after it fail in its wake */
    if (pdf && !pdf->failed)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, pdf->r,
                      "IV01301: PDF library error 0x%04X (detail %u)", (unsigned)error,
                      (unsigned)detail);
    if (pdf)
        pdf->failed = 1;
}

static void thread_doc_discard(thread_doc *t)
{
    if (t->doc)
        HPDF_Free(t->doc);
    t->doc = NULL;
    t->assets = NULL;
}

/* The thread's document, emptied, with the fonts of assets loaded. */
static HPDF_Doc thread_doc_take(iv_pdf *pdf, const iv_pdf_assets *assets, thread_doc **out)
{
    thread_doc *t;

    pthread_once(&doc_key_once, doc_key_create);
    if (!(t = pthread_getspecific(doc_key))) {
        if (!(t = calloc(1, sizeof *t)) || pthread_setspecific(doc_key, t) != 0) {
            free(t);
            return NULL;
        }
    }
    *out = t;
    t->current = pdf;
    if (t->doc && (t->assets != assets || HPDF_NewDoc(t->doc) != HPDF_OK))
        thread_doc_discard(t);
    if (!t->doc) {
        if (!(t->doc = HPDF_New(error_handler, t))) {
            t->current = NULL;
            return NULL;
        }
        for (int face = 0; face < IV_PDF_FACES && !pdf->failed; face++)
            t->font_name[face] = HPDF_LoadTTFontFromFile(t->doc, assets->font_path[face],
                                                         HPDF_TRUE);
        t->assets = assets;
    }
    return t->doc;
}

/* The fiche is made: the document is emptied for the thread's next one (its
 * pages and objects freed, the fonts kept), or dropped after an error. NB: not
 * a cleanup of the request pool: with the event MPM that pool may be destroyed
 * by another thread (write completion), which would then touch this thread's
 * document while it makes the next fiche. */
static void thread_doc_release(iv_pdf *pdf)
{
    thread_doc *t = pdf->thread;
    if (pdf->failed)
        thread_doc_discard(t);
    else if (t->doc)
        HPDF_FreeDoc(t->doc);
    t->current = NULL;
    pdf->doc = NULL;
}

iv_pdf *iv_pdf_new(request_rec *r, const iv_pdf_assets *assets)
{
    iv_pdf *pdf = apr_pcalloc(r->pool, sizeof *pdf);

    pdf->r = r;
    pdf->assets = assets;
    pdf->pages = apr_array_make(r->pool, 2, sizeof(HPDF_Page));
    if (!assets || !(pdf->doc = thread_doc_take(pdf, assets, &pdf->thread))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "IV01302: cannot create a PDF document%s",
                      assets ? "" : " (fonts not prepared at start-up)");
        return NULL;
    }
    /* Page content and images are deflated, the embedded fonts not
     * (HPDF_COMP_METADATA): the cut-down fonts weigh 9 KB more that way and
     * deflating them took 30 % of a fiche's time. (With the whole of DejaVu a
     * fiche is 300 KB instead of 120 KB, but made in 5 ms instead of 15.) */
    HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
    for (int face = 0; face < IV_PDF_FACES; face++)
        pdf->font_name[face] = pdf->thread->font_name[face];
    if (pdf->failed) {
        thread_doc_release(pdf);
        return NULL;
    }
    return pdf;
}

void iv_pdf_add_page(iv_pdf *pdf)
{
    pdf->page = HPDF_AddPage(pdf->doc);
    HPDF_Page_SetSize(pdf->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    APR_ARRAY_PUSH(pdf->pages, HPDF_Page) = pdf->page;
}

int iv_pdf_page_count(const iv_pdf *pdf)
{
    return pdf->pages->nelts;
}

void iv_pdf_use_page(iv_pdf *pdf, int index)
{
    if (index >= 0 && index < pdf->pages->nelts)
        pdf->page = APR_ARRAY_IDX(pdf->pages, index, HPDF_Page);
}

void iv_pdf_gray(iv_pdf *pdf, float gray)
{
    HPDF_Page_SetGrayFill(pdf->page, gray);
}

/* ---------------------------------------------------------------- text */

static HPDF_Font font_for(iv_pdf *pdf, iv_pdf_face face, unsigned slot)
{
    if (!pdf->fonts[face][slot] && pdf->font_name[face])
        pdf->fonts[face][slot] = HPDF_GetFont(pdf->doc, pdf->font_name[face], encodings[slot]);
    return pdf->fonts[face][slot];
}

/* Width of text[0..len) in thousandths of the font size. */
static double text_units(iv_pdf *pdf, iv_pdf_face face, const char *text, size_t len)
{
    const char *s = text, *end = text + len;
    double units = 0;

    while (s < end) {
        unsigned entry = next_entry(pdf->assets, face, &s, end);
        HPDF_BYTE b = (HPDF_BYTE)(entry & 0xff);
        HPDF_Font font;
        if (entry == DROP || !(font = font_for(pdf, face, SLOT(entry))))
            continue;
        units += HPDF_Font_TextWidth(font, &b, 1).width;
    }
    return units;
}

float iv_pdf_width(iv_pdf *pdf, iv_pdf_face face, float size, const char *text)
{
    return (float)(text_units(pdf, face, text, strlen(text)) * size / 1000);
}

static void show_run(iv_pdf *pdf, iv_pdf_face face, unsigned slot, float size, char *run,
                     size_t n)
{
    run[n] = '\0';
    HPDF_Page_SetFontAndSize(pdf->page, font_for(pdf, face, slot), size);
    HPDF_Page_ShowText(pdf->page, run);
}

/* Draws the characters of text in runs of one encoding each (one Tf per run). */
static void show_runs(iv_pdf *pdf, iv_pdf_face face, float size, const char *text)
{
    size_t len = strlen(text), n = 0;
    char *run = apr_palloc(pdf->r->pool, len + 1);
    const char *s = text, *end = text + len;
    unsigned slot = 0;

    while (s < end) {
        unsigned entry = next_entry(pdf->assets, face, &s, end);
        if (entry == DROP)
            continue;
        if (n && SLOT(entry) != slot) {
            show_run(pdf, face, slot, size, run, n);
            n = 0;
        }
        slot = SLOT(entry);
        run[n++] = (char)(entry & 0xff);
    }
    if (n)
        show_run(pdf, face, slot, size, run, n);
}

float iv_pdf_text(iv_pdf *pdf, iv_pdf_face face, float size, float x, float y,
                  const char *text)
{
    if (!text || !*text)
        return 0;
    HPDF_Page_BeginText(pdf->page);
    HPDF_Page_MoveTextPos(pdf->page, x, y);
    show_runs(pdf, face, size, text);
    HPDF_Page_EndText(pdf->page);
    return iv_pdf_width(pdf, face, size, text);
}

typedef struct {
    iv_pdf *pdf;
    iv_pdf_face face;
    float size;
} measure_ctx;

static double measure(void *data, const char *text, size_t len)
{
    measure_ctx *m = data;
    return text_units(m->pdf, m->face, text, len) * m->size / 1000;
}

apr_array_header_t *iv_pdf_wrap(iv_pdf *pdf, iv_pdf_face face, float size, const char *text,
                                float width)
{
    measure_ctx m = { pdf, face, size };
    return iv_text_wrap(pdf->r->pool, text, width, measure, &m);
}

/* ---------------------------------------------------------------- drawing */

void iv_pdf_line(iv_pdf *pdf, float x1, float y1, float x2, float y2, float width,
                 float gray, int dotted)
{
    static const HPDF_UINT16 dots[] = { 1, 2 };
    HPDF_Page_GSave(pdf->page);
    HPDF_Page_SetLineWidth(pdf->page, width);
    HPDF_Page_SetGrayStroke(pdf->page, gray);
    if (dotted)
        HPDF_Page_SetDash(pdf->page, dots, 2, 0);
    HPDF_Page_MoveTo(pdf->page, x1, y1);
    HPDF_Page_LineTo(pdf->page, x2, y2);
    HPDF_Page_Stroke(pdf->page);
    HPDF_Page_GRestore(pdf->page);
}

void iv_pdf_box(iv_pdf *pdf, float x, float y, float w, float h, float line_width,
                float fill_gray)
{
    HPDF_Page_GSave(pdf->page);
    /* colours and width before the path: libharu refuses them inside one */
    if (fill_gray >= 0)
        HPDF_Page_SetGrayFill(pdf->page, fill_gray);
    if (line_width > 0)
        HPDF_Page_SetLineWidth(pdf->page, line_width);
    HPDF_Page_Rectangle(pdf->page, x, y, w, h);
    if (fill_gray >= 0 && line_width > 0)
        HPDF_Page_FillStroke(pdf->page);
    else if (fill_gray >= 0)
        HPDF_Page_Fill(pdf->page);
    else
        HPDF_Page_Stroke(pdf->page);
    HPDF_Page_GRestore(pdf->page);
}

int iv_pdf_qr(iv_pdf *pdf, const char *text, float x, float y, float size)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    float m;

    if (!qr) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, errno, pdf->r, "IV01303: QR code not made");
        return -1;
    }
    m = size / (float)qr->width;
    HPDF_Page_GSave(pdf->page);
    HPDF_Page_SetGrayFill(pdf->page, 0);
    /* one rectangle per run of dark modules in a row; one fill for all */
    for (int row = 0; row < qr->width; row++) {
        const unsigned char *line = qr->data + row * qr->width;
        for (int col = 0; col < qr->width; ) {
            int start = col;
            while (col < qr->width && (line[col] & 1))
                col++;
            if (col > start)
                HPDF_Page_Rectangle(pdf->page, x + (float)start * m,
                                    y + size - (float)(row + 1) * m, (float)(col - start) * m, m);
            else
                col++;
        }
    }
    HPDF_Page_Fill(pdf->page);
    HPDF_Page_GRestore(pdf->page);
    QRcode_free(qr);
    return 0;
}

float iv_pdf_logo(iv_pdf *pdf, float x, float top, float max_w, float max_h)
{
    const iv_pdf_assets *a = pdf->assets;
    HPDF_Image img;
    float w, h, scale;

    if (!a->logo)
        return 0;
    /* one image object drawn on every fiche of a tour sheet, not one per fiche */
    if (!pdf->logo)
        pdf->logo = a->logo_png
                    ? HPDF_LoadPngImageFromMem(pdf->doc, a->logo, (HPDF_UINT)a->logo_size)
                    : HPDF_LoadJpegImageFromMem(pdf->doc, a->logo, (HPDF_UINT)a->logo_size);
    if (!(img = pdf->logo))
        return 0;
    w = (float)HPDF_Image_GetWidth(img);
    h = (float)HPDF_Image_GetHeight(img);
    scale = max_w / w < max_h / h ? max_w / w : max_h / h;
    HPDF_Page_DrawImage(pdf->page, img, x, top - h * scale, w * scale, h * scale);
    return w * scale;
}

/* ---------------------------------------------------------------- output */

/* The saved document copied into the request pool, or NULL. */
static const char *saved_bytes(iv_pdf *pdf, apr_size_t *len)
{
    HPDF_UINT32 size, got;
    HPDF_BYTE *buf;

    if (pdf->failed || HPDF_SaveToStream(pdf->doc) != HPDF_OK || pdf->failed)
        return NULL;
    size = got = HPDF_GetStreamSize(pdf->doc);
    buf = apr_palloc(pdf->r->pool, size ? size : 1);
    HPDF_ResetStream(pdf->doc);
    /* one read of exactly the stream's size: libharu answers OK, not EOF */
    if (size == 0 || HPDF_ReadFromStream(pdf->doc, buf, &got) != HPDF_OK || got != size) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, pdf->r,
                      "IV01304: PDF document could not be read back (%u of %u bytes)",
                      (unsigned)got, (unsigned)size);
        pdf->failed = 1;
        return NULL;
    }
    *len = size;
    return (const char *)buf;
}

const char *iv_pdf_finish(iv_pdf *pdf, apr_size_t *len)
{
    const char *bytes = saved_bytes(pdf, len);
    thread_doc_release(pdf);
    return bytes;
}
