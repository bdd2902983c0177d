#include "httpd.h"
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libxslt/extensions.h>
#include <libxml/xpathInternals.h>

#include <string.h>
#include "apr_strings.h"
#include "apr_file_info.h"
#include "http_protocol.h"
#include "http_log.h"

#include "view.h"
#include "routes.h"

static apr_status_t free_stylesheet(void *style)
{
    xsltFreeStylesheet(style);
    return APR_SUCCESS;
}

/* Views every installation must have (the others are found in the directory). */
static const char *const required_views[] = { "login", "list", "error", "accessibilite" };

/*
 * The message catalogue (i18n/fr.xml of the templates directory), read once at
 * start-up into a hash key -> text and handed to the stylesheets as the extension
 * function iv:msg($key) (namespace IV_XSLT_NS), which layout.xsl's template "msg"
 * calls. Loading it with document() instead cost a parse of the file, a key index
 * and a free of both on every page: about a third of a page's CPU (bench/README.md).
 * Read-only after start-up, so the event MPM's threads share it without a lock.
 */
#define IV_XSLT_NS "urn:mod-interventions"
#define CATALOGUE "/i18n/fr.xml"

static void free_text(void *payload, const xmlChar *name)
{
    (void)name;
    xmlFree(payload);
}

static apr_status_t free_catalogue(void *hash)
{
    xmlHashFree(hash, free_text);
    return APR_SUCCESS;
}

static const char *load_catalogue(apr_pool_t *pconf, const char *dir, xmlHashTablePtr *out)
{
    const char *path = apr_pstrcat(pconf, dir, CATALOGUE, NULL);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlHashTablePtr hash;

    if (!root || !xmlStrEqual(root->name, (const xmlChar *)"catalogue")) {
        xmlFreeDoc(doc);
        return apr_psprintf(pconf, "InterventionsTemplates: message catalogue '%s' "
                            "is missing or invalid", path);
    }
    hash = xmlHashCreate(512);
    for (xmlNodePtr m = root->children; m; m = m->next) {
        xmlChar *key;
        if (m->type != XML_ELEMENT_NODE || !xmlStrEqual(m->name, (const xmlChar *)"m")
            || !(key = xmlGetProp(m, (const xmlChar *)"key")))
            continue;
        xmlChar *text = xmlNodeGetContent(m);
        /* the first entry of a key wins, as the former key('msg', $key)[1] did */
        if (!text || xmlHashAddEntry(hash, key, text) != 0)
            xmlFree(text);
        xmlFree(key);
    }
    xmlFreeDoc(doc);
    apr_pool_cleanup_register(pconf, hash, free_catalogue, apr_pool_cleanup_null);
    *out = hash;
    return NULL;
}

/* iv:msg(key): the catalogue's text, or the key itself when it has none (a
 * forgotten translation shows on the page instead of vanishing). */
static void msg_function(xmlXPathParserContextPtr ctxt, int nargs)
{
    xsltTransformContextPtr tctxt = xsltXPathGetTransformContext(ctxt);
    xmlHashTablePtr catalogue = tctxt && tctxt->style ? tctxt->style->_private : NULL;
    const xmlChar *text;
    xmlChar *key;

    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    key = xmlXPathPopString(ctxt);
    if (!key)
        return;
    text = catalogue ? xmlHashLookup(catalogue, key) : NULL;
    if (text) {
        xmlFree(key);
        valuePush(ctxt, xmlXPathNewString(text));
    }
    else {
        valuePush(ctxt, xmlXPathWrapString(key));
    }
}

/* text with "{a}" and "{b}" replaced by a and b, in one pass: a value that holds
 * "{b}" itself (typed by a user) is never filled in again. */
static xmlChar *fill_placeholders(const xmlChar *text, const xmlChar *a, const xmlChar *b)
{
    xmlChar *out = xmlStrdup((const xmlChar *)"");
    const xmlChar *rest = text, *at;

    while ((at = xmlStrchr(rest, '{'))) {
        const xmlChar *value = at[1] == 'a' ? a : at[1] == 'b' ? b : NULL;
        if (!value || at[2] != '}') {           /* a "{" of the text itself */
            out = xmlStrncat(out, rest, (int)(at - rest) + 1);
            rest = at + 1;
            continue;
        }
        out = xmlStrncat(out, rest, (int)(at - rest));
        out = xmlStrcat(out, value);
        rest = at + 3;
    }
    return xmlStrcat(out, rest);
}

/* iv:msg-fill(key, a, b): the catalogue's text with {a} and {b} filled in (the
 * template "msg-fill" of layout.xsl), without a recursive template per
 * placeholder. b, and a, may be left out. */
static void msg_fill_function(xmlXPathParserContextPtr ctxt, int nargs)
{
    xsltTransformContextPtr tctxt = xsltXPathGetTransformContext(ctxt);
    xmlHashTablePtr catalogue = tctxt && tctxt->style ? tctxt->style->_private : NULL;
    xmlChar *args[3] = { NULL, NULL, NULL }, *text;
    const xmlChar *found, *empty = (const xmlChar *)"";

    if (nargs < 1 || nargs > 3) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    for (int i = nargs - 1; i >= 0; i--)
        args[i] = xmlXPathPopString(ctxt);
    if (!args[0]) {
        xmlFree(args[1]);
        xmlFree(args[2]);
        return;
    }
    found = catalogue ? xmlHashLookup(catalogue, args[0]) : NULL;
    text = fill_placeholders(found ? found : args[0], args[1] ? args[1] : empty,
                             args[2] ? args[2] : empty);
    for (int i = 0; i < 3; i++)
        xmlFree(args[i]);
    valuePush(ctxt, xmlXPathWrapString(text));
}

const char *iv_msg(iv_req *rq, const char *key)
{
    /* every stylesheet of a templates directory holds the same catalogue; "error"
     * is one every installation has */
    xsltStylesheetPtr style = rq->conf->stylesheets
        ? apr_hash_get(rq->conf->stylesheets, "error", APR_HASH_KEY_STRING) : NULL;
    const xmlChar *text = style && style->_private
        ? xmlHashLookup(style->_private, (const xmlChar *)key) : NULL;
    return text ? (const char *)text : key;
}

static const char *compile_one(apr_pool_t *pconf, iv_server_conf *c, xmlHashTablePtr catalogue,
                               const char *name)
{
    const char *path = apr_pstrcat(pconf, c->templates_dir, "/", name, ".xsl", NULL);
    xsltStylesheetPtr style = xsltParseStylesheetFile((const xmlChar *)path);
    if (!style)
        return apr_psprintf(pconf, "InterventionsTemplates: stylesheet '%s' "
                            "is missing or invalid", path);
    style->_private = catalogue;        /* for iv:msg(), via the transformation context */
    apr_pool_cleanup_register(pconf, style, free_stylesheet, apr_pool_cleanup_null);
    apr_hash_set(c->stylesheets, apr_pstrdup(pconf, name), APR_HASH_KEY_STRING, style);
    return NULL;
}

const char *iv_views_compile(apr_pool_t *pconf, iv_server_conf *c)
{
    apr_dir_t *dir;
    apr_finfo_t entry;
    const char *problem = NULL;
    xmlHashTablePtr catalogue = NULL;

    c->stylesheets = apr_hash_make(pconf);
    /* registered for the whole process; the catalogue itself is per stylesheet */
    xsltRegisterExtModuleFunction((const xmlChar *)"msg", (const xmlChar *)IV_XSLT_NS,
                                  msg_function);
    xsltRegisterExtModuleFunction((const xmlChar *)"msg-fill", (const xmlChar *)IV_XSLT_NS,
                                  msg_fill_function);
    if ((problem = load_catalogue(pconf, c->templates_dir, &catalogue)))
        return problem;
    for (size_t i = 0; i < sizeof required_views / sizeof *required_views; i++)
        if ((problem = compile_one(pconf, c, catalogue, required_views[i])))
            return problem;
    /* every other <name>.xsl is a view too; layout.xsl and _partials are only imported */
    if (apr_dir_open(&dir, c->templates_dir, pconf) != APR_SUCCESS)
        return apr_psprintf(pconf, "InterventionsTemplates: cannot read '%s'", c->templates_dir);
    while (!problem && apr_dir_read(&entry, APR_FINFO_NAME | APR_FINFO_TYPE, dir) == APR_SUCCESS) {
        size_t len = strlen(entry.name);
        if (entry.filetype != APR_REG || len < 5 || entry.name[0] == '_'
            || strcmp(entry.name + len - 4, ".xsl") != 0)
            continue;
        const char *name = apr_pstrmemdup(pconf, entry.name, len - 4);
        if (strcmp(name, "layout") != 0 && !apr_hash_get(c->stylesheets, name, APR_HASH_KEY_STRING))
            problem = compile_one(pconf, c, catalogue, name);
    }
    apr_dir_close(dir);
    return problem;
}

static apr_status_t free_doc(void *doc)
{
    xmlFreeDoc(doc);
    return APR_SUCCESS;
}

xmlNodePtr iv_node(xmlNodePtr parent, const char *name)
{
    return xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
}

void iv_attr(xmlNodePtr node, const char *name, const char *value)
{
    if (value)
        xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)value);
}

xmlNodePtr iv_page_notice(xmlNodePtr page, const char *kind, const char *key)
{
    xmlNodePtr n = iv_node(page, "notice");
    iv_attr(n, "kind", kind);
    iv_attr(n, "key", key);
    return n;
}

static void add_user(xmlNodePtr page, const iv_user *u)
{
    xmlNodePtr user = iv_node(page, "user");
    iv_attr(user, "login", u->login);
    iv_attr(user, "name", u->display_name);
    for (unsigned bit = 1; bit <= IV_ROLE_LECTEUR; bit <<= 1)
        if (u->roles & bit)
            iv_attr(iv_node(user, "role"), "code", iv_role_name(bit));
}

xmlNodePtr iv_page_new(iv_req *rq, const char *view)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr page = xmlNewNode(NULL, (const xmlChar *)"page"), ctx;

    apr_pool_cleanup_register(rq->r->pool, doc, free_doc, apr_pool_cleanup_null);
    xmlDocSetRootElement(doc, page);
    iv_attr(page, "view", view);
    ctx = iv_node(page, "ctx");
    iv_attr(ctx, "base", rq->base);
    iv_attr(ctx, "static", rq->conf->static_url);
    iv_attr(ctx, "path", rq->path);
    if (rq->user) {
        add_user(page, rq->user);
        xmlNewTextChild(page, NULL, (const xmlChar *)"csrf", (const xmlChar *)rq->user->csrf_token);
        iv_nav_add(rq, page);
    }
    return page;
}

/* Serialisation straight into a brigade of 8 KB heap buckets: no growing string
 * (each doubling of a large buffer made glibc consolidate its free lists: a tenth of
 * a list page's CPU), and nothing is sent before the whole page rendered, so a
 * failure still gets the 500 page.
 *
 * Written with libxml2's XHTML rules (void elements as <br />, every other element
 * closed, even empty) rather than its HTML serialiser, which looks every element up
 * in its table of HTML 4 tags and URI-escapes every href: 0.14 → 0.08 ms for a list
 * page, and the same document for an HTML parser (tests/integration compare them). */
static int write_to_brigade(void *ctx, const char *buf, int len)
{
    return apr_brigade_write(ctx, NULL, NULL, buf, (apr_size_t)len) == APR_SUCCESS ? len : -1;
}

static apr_bucket_brigade *serialise(iv_req *rq, xmlDocPtr html)
{
    apr_bucket_brigade *bb = apr_brigade_create(rq->r->pool, rq->r->connection->bucket_alloc);
    xmlSaveCtxtPtr out = xmlSaveToIO(write_to_brigade, NULL, bb, "UTF-8",
                                     XML_SAVE_NO_DECL | XML_SAVE_XHTML);
    long saved;

    if (!out)
        return NULL;
    saved = xmlSaveDoc(out, html);
    if (xmlSaveClose(out) < 0 || saved < 0)
        return NULL;
    return bb;
}

int iv_page_send(iv_req *rq, xmlNodePtr page, int status)
{
    const char *view = (const char *)xmlGetProp(page, (const xmlChar *)"view");
    xsltStylesheetPtr style = apr_hash_get(rq->conf->stylesheets, view, APR_HASH_KEY_STRING);
    xmlDocPtr html;
    apr_bucket_brigade *bb = NULL;
    apr_off_t len = 0;

    iv_attr(page, "status", apr_itoa(rq->r->pool, status));
    if (!style) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00201: no stylesheet for view %s", view);
        xmlFree((xmlChar *)view);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    html = xsltApplyStylesheet(style, page->doc, NULL);
    if (html)
        bb = serialise(rq, html);
    if (!bb || apr_brigade_length(bb, 1, &len) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, "IV00202: view %s failed to render", view);
        xmlFree((xmlChar *)view);
        xmlFreeDoc(html);
        if (bb)
            apr_brigade_cleanup(bb);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    xmlFree((xmlChar *)view);
    xmlFreeDoc(html);
    rq->r->status = status;
    ap_set_content_type(rq->r, "text/html; charset=utf-8");
    ap_set_content_length(rq->r, len);
    if (rq->r->header_only) {
        apr_brigade_cleanup(bb);
        return OK;
    }
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
    return ap_pass_brigade(rq->r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}
