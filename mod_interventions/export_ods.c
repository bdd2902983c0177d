/*
 * export_ods.c — streamed OpenDocument spreadsheet (export_ods.h).
 */
#include <stdarg.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include "apr_strings.h"
#include "apr_tables.h"

#include "export_ods.h"
#include "zipstream.h"

#define MEDIA_TYPE "application/vnd.oasis.opendocument.spreadsheet"
#define ROWS_PER_SHEET (1048576 - 1)    /* data rows under the header row */
/* Throughput first: level 1 deflates this repetitive XML ~8:1 at several times
 * the speed of the default level. */
#define ZIP_LEVEL 1
#define CM_PER_CHAR 0.21                /* column width: one character at 10 pt */

#define NS_OFFICE   "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE    "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT     "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE    "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_FO       "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_NUMBER   "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
#define NS_META     "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_CONFIG   "urn:oasis:names:tc:opendocument:xmlns:config:1.0"

/* Cell styles of content.xml */
#define STYLE_HEADER "ce1"
#define STYLE_DATE   "ce2"

struct iv_ods {
    apr_pool_t *pool;
    iv_zip *zip;
    xmlTextWriterPtr w;             /* the current part's writer */
    const char *sheet_name;
    const char *const *headers;
    const iv_export_column *cols;
    int ncols;
    long rows;                      /* data rows in the current sheet */
    apr_array_header_t *sheets;     /* const char *: their names, for settings.xml */
    apr_time_t now;
    int failed;
    int discarding;                 /* freed unfinished: nothing more is written */
};

typedef const xmlChar *X;

/* ---------------------------------------------------------------- parts */

static int to_zip(void *ctx, const char *data, int len)
{
    iv_ods *o = ctx;
    if (o->discarding || iv_zip_write(o->zip, data, (size_t)len) != 0)
        return -1;
    return len;
}

static int close_nothing(void *ctx)
{
    (void)ctx;
    return 0;
}

static void free_writer(iv_ods *o)
{
    if (o->w)
        xmlFreeTextWriter(o->w);    /* flushes what it holds into the zip */
    o->w = NULL;
}

/* A package left unfinished (the export failed) is freed with its pool, by which
 * time the response is over: the writer's last bytes go nowhere. */
static apr_status_t discard(void *data)
{
    iv_ods *o = data;
    o->discarding = 1;
    free_writer(o);
    return APR_SUCCESS;
}

/* Starts a deflated part written by an xmlTextWriter (o->w). */
static int part_begin(iv_ods *o, const char *name)
{
    xmlOutputBufferPtr out;
    if (o->failed || iv_zip_begin(o->zip, name) != 0
        || !(out = xmlOutputBufferCreateIO(to_zip, close_nothing, o, NULL)))
        return o->failed = -1;
    if (!(o->w = xmlNewTextWriter(out))) {      /* the writer owns out from here */
        xmlOutputBufferClose(out);
        return o->failed = -1;
    }
    if (xmlTextWriterStartDocument(o->w, NULL, "UTF-8", NULL) < 0)
        return o->failed = -1;
    return 0;
}

static int part_end(iv_ods *o)
{
    int rv = o->failed ? -1 : xmlTextWriterEndDocument(o->w);
    free_writer(o);
    if (rv < 0 || o->failed || iv_zip_end(o->zip) != 0)
        return o->failed = -1;
    return 0;
}

static void start(iv_ods *o, const char *name)
{
    if (xmlTextWriterStartElement(o->w, (X)name) < 0)
        o->failed = -1;
}

static void end(iv_ods *o)
{
    if (xmlTextWriterEndElement(o->w) < 0)
        o->failed = -1;
}

static void attr(iv_ods *o, const char *name, const char *value)
{
    if (xmlTextWriterWriteAttribute(o->w, (X)name, (X)value) < 0)
        o->failed = -1;
}

static void string(iv_ods *o, const char *s)
{
    if (xmlTextWriterWriteString(o->w, (X)s) < 0)
        o->failed = -1;
}

/* <name attr1="v1" …/> from a NULL-terminated list of names and values. */
static void empty(iv_ods *o, const char *name, ...)
{
    va_list ap;
    const char *a;
    start(o, name);
    va_start(ap, name);
    while ((a = va_arg(ap, const char *)))
        attr(o, a, va_arg(ap, const char *));
    va_end(ap);
    end(o);
}

/* ---------------------------------------------------------------- texts */

/* Spaces that ODF would collapse or drop (leading, trailing, repeated) become
 * <text:s text:c="n"/>, tabs <text:tab/>: what was typed is what is read.
 * line is a writable copy of the line, len its length. */
static void spaced_text(iv_ods *o, apr_pool_t *pool, char *line, size_t len)
{
    size_t i = 0, seg = 0;
    while (i < len) {
        if (line[i] != ' ' && line[i] != '\t') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && line[j] == ' ')
            j++;
        /* one space between two characters is plain text */
        size_t keep = line[i] == ' ' && i > 0 && line[i - 1] != '\t' && j < len
                      && line[j] != '\t' ? 1 : 0;
        char saved = line[i + keep];
        line[i + keep] = '\0';
        string(o, line + seg);
        line[i + keep] = saved;
        if (line[i] == '\t') {
            empty(o, "text:tab", NULL);
            j = i + 1;
        }
        else if (j - i > keep) {
            empty(o, "text:s", "text:c", apr_psprintf(pool, "%lu",
                  (unsigned long)(j - i - keep)), NULL);
        }
        i = seg = j;
    }
    string(o, line + seg);
}

static int plain(const char *s)
{
    size_t len = strlen(s);
    return len == 0 || (!strpbrk(s, "\n\t") && !strstr(s, "  ") && s[0] != ' '
                        && s[len - 1] != ' ');
}

/* A text: one <text:p> per line. */
static void text_cell(iv_ods *o, const char *s, apr_pool_t *pool)
{
    start(o, "table:table-cell");
    attr(o, "office:value-type", "string");
    if (plain(s)) {
        start(o, "text:p");
        string(o, s);
        end(o);
    }
    else {
        char *nl;
        for (char *line = apr_pstrdup(pool, s); line; line = nl ? nl + 1 : NULL) {
            if ((nl = strchr(line, '\n')))
                *nl = '\0';
            start(o, "text:p");
            spaced_text(o, pool, line, strlen(line));
            end(o);
        }
    }
    end(o);
}

static void cell(iv_ods *o, const iv_cell *c, apr_pool_t *pool)
{
    char iso[32];
    switch (c->kind) {
    case IV_CELL_TEXT:
        text_cell(o, c->text, pool);
        break;
    case IV_CELL_NUMBER:
        empty(o, "table:table-cell", "office:value-type", "float", "office:value", c->text, NULL);
        break;
    case IV_CELL_DATETIME:
        apr_snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d", c->dt.year, c->dt.month,
                     c->dt.day, c->dt.hour, c->dt.min, c->dt.sec);
        empty(o, "table:table-cell", "table:style-name", STYLE_DATE,
              "office:value-type", "date", "office:date-value", iso, NULL);
        break;
    case IV_CELL_EMPTY:
        empty(o, "table:table-cell", NULL);
        break;
    }
}

/* ---------------------------------------------------------------- content.xml */

static void date_style(iv_ods *o)
{
    static const char *const parts[] = { "day", "/", "month", "/", "year", " ", "hours", ":",
                                         "minutes" };
    start(o, "number:date-style");
    attr(o, "style:name", "N1");
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (i % 2) {
            start(o, "number:text");
            string(o, parts[i]);
            end(o);
        }
        else {
            empty(o, apr_pstrcat(o->pool, "number:", parts[i], NULL), "number:style", "long", NULL);
        }
    }
    end(o);
}

static void automatic_styles(iv_ods *o)
{
    start(o, "office:automatic-styles");
    for (int c = 0; c < o->ncols; c++) {
        start(o, "style:style");
        attr(o, "style:name", apr_psprintf(o->pool, "co%d", c + 1));
        attr(o, "style:family", "table-column");
        empty(o, "style:table-column-properties", "style:column-width",
              apr_psprintf(o->pool, "%.2fcm", o->cols[c].width * CM_PER_CHAR), NULL);
        end(o);
    }
    date_style(o);
    start(o, "style:style");
    attr(o, "style:name", STYLE_HEADER);
    attr(o, "style:family", "table-cell");
    empty(o, "style:text-properties", "fo:font-weight", "bold", NULL);
    end(o);
    empty(o, "style:style", "style:name", STYLE_DATE, "style:family", "table-cell",
          "style:data-style-name", "N1", NULL);
    end(o);
}

/* A table: its columns and the header row, repeated on every printed page. */
static void table_begin(iv_ods *o)
{
    int n = o->sheets->nelts + 1;
    const char *name = n == 1 ? o->sheet_name : apr_psprintf(o->pool, "%s (%d)", o->sheet_name, n);
    APR_ARRAY_PUSH(o->sheets, const char *) = name;
    start(o, "table:table");
    attr(o, "table:name", name);
    for (int c = 0; c < o->ncols; c++)
        empty(o, "table:table-column", "table:style-name",
              apr_psprintf(o->pool, "co%d", c + 1), NULL);
    start(o, "table:table-header-rows");
    start(o, "table:table-row");
    for (int c = 0; c < o->ncols; c++) {
        start(o, "table:table-cell");
        attr(o, "table:style-name", STYLE_HEADER);
        attr(o, "office:value-type", "string");
        start(o, "text:p");
        string(o, o->headers[c]);
        end(o);
        end(o);
    }
    end(o);
    end(o);
    o->rows = 0;
}

static void content_begin(iv_ods *o)
{
    static const char *const ns[][2] = {
        { "xmlns:office", NS_OFFICE }, { "xmlns:style", NS_STYLE }, { "xmlns:text", NS_TEXT },
        { "xmlns:table", NS_TABLE }, { "xmlns:fo", NS_FO }, { "xmlns:number", NS_NUMBER },
    };
    if (part_begin(o, "content.xml") != 0)
        return;
    start(o, "office:document-content");
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
        attr(o, ns[i][0], ns[i][1]);
    attr(o, "office:version", "1.2");
    automatic_styles(o);
    start(o, "office:body");
    start(o, "office:spreadsheet");
    table_begin(o);
}

int iv_ods_row(iv_ods *o, const iv_cell *cells, apr_pool_t *pool)
{
    if (o->failed)
        return -1;
    if (o->rows == ROWS_PER_SHEET) {
        end(o);
        table_begin(o);
    }
    start(o, "table:table-row");
    for (int c = 0; c < o->ncols; c++)
        cell(o, &cells[c], pool);
    end(o);
    o->rows++;
    return o->failed;
}

/* ---------------------------------------------------------------- the other parts */

static const char manifest[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<manifest:manifest xmlns:manifest=\"" NS_MANIFEST "\" manifest:version=\"1.2\">"
    "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\""
    " manifest:media-type=\"" MEDIA_TYPE "\"/>"
    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"settings.xml\" manifest:media-type=\"text/xml\"/>"
    "</manifest:manifest>\n";

static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document-styles xmlns:office=\"" NS_OFFICE "\" xmlns:style=\"" NS_STYLE "\""
    " office:version=\"1.2\"><office:styles/></office:document-styles>\n";

static int whole_part(iv_ods *o, const char *name, const char *data)
{
    if (o->failed || iv_zip_begin(o->zip, name) != 0
        || iv_zip_write(o->zip, data, strlen(data)) != 0 || iv_zip_end(o->zip) != 0)
        return o->failed = -1;
    return 0;
}

static int meta(iv_ods *o)
{
    char date[APR_RFC822_DATE_LEN];
    apr_time_exp_t t;
    apr_time_exp_gmt(&t, o->now);
    apr_snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.tm_year + 1900,
                 t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
    return whole_part(o, "meta.xml", apr_pstrcat(o->pool,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<office:document-meta xmlns:office=\"" NS_OFFICE "\" xmlns:meta=\"" NS_META "\""
        " office:version=\"1.2\"><office:meta><meta:generator>mod_interventions</meta:generator>"
        "<meta:creation-date>", date, "</meta:creation-date></office:meta>"
        "</office:document-meta>\n", NULL));
}

static void config_item(iv_ods *o, const char *name, const char *type, const char *value)
{
    start(o, "config:config-item");
    attr(o, "config:name", name);
    attr(o, "config:type", type);
    string(o, value);
    end(o);
}

/* The view settings LibreOffice reads: each sheet's header row frozen. */
static int settings(iv_ods *o)
{
    if (part_begin(o, "settings.xml") != 0)
        return -1;
    start(o, "office:document-settings");
    attr(o, "xmlns:office", NS_OFFICE);
    attr(o, "xmlns:config", NS_CONFIG);
    attr(o, "office:version", "1.2");
    start(o, "office:settings");
    start(o, "config:config-item-set");
    attr(o, "config:name", "ooo:view-settings");
    start(o, "config:config-item-map-indexed");
    attr(o, "config:name", "Views");
    start(o, "config:config-item-map-entry");
    config_item(o, "ViewId", "string", "view1");
    start(o, "config:config-item-map-named");
    attr(o, "config:name", "Tables");
    for (int i = 0; i < o->sheets->nelts; i++) {
        start(o, "config:config-item-map-entry");
        attr(o, "config:name", APR_ARRAY_IDX(o->sheets, i, const char *));
        config_item(o, "VerticalSplitMode", "short", "2");
        config_item(o, "VerticalSplitPosition", "int", "1");
        config_item(o, "ActiveSplitRange", "short", "2");
        config_item(o, "PositionTop", "int", "0");
        config_item(o, "PositionBottom", "int", "1");
        end(o);
    }
    return part_end(o);
}

/* ---------------------------------------------------------------- package */

iv_ods *iv_ods_open(apr_pool_t *pool, iv_export_write_fn write, void *ctx,
                    const char *sheet_name, const char *const *headers,
                    const iv_export_column *cols, int ncols, apr_time_t now)
{
    iv_ods *o = apr_pcalloc(pool, sizeof *o);
    o->pool = pool;
    o->sheet_name = sheet_name;
    o->headers = headers;
    o->cols = cols;
    o->ncols = ncols;
    o->now = now;
    o->sheets = apr_array_make(pool, 1, sizeof(const char *));
    if (!(o->zip = iv_zip_new(pool, write, ctx, ZIP_LEVEL, now)))
        return NULL;
    apr_pool_cleanup_register(pool, o, discard, apr_pool_cleanup_null);
    if (iv_zip_stored(o->zip, "mimetype", MEDIA_TYPE, strlen(MEDIA_TYPE)) != 0
        || whole_part(o, "META-INF/manifest.xml", manifest) != 0
        || whole_part(o, "styles.xml", styles) != 0 || meta(o) != 0)
        return NULL;
    content_begin(o);
    return o->failed ? NULL : o;
}

int iv_ods_close(iv_ods *o)
{
    /* part_end closes the table, spreadsheet, body and document elements */
    if (o->failed || part_end(o) != 0 || settings(o) != 0)
        return -1;
    return iv_zip_finish(o->zip);
}
