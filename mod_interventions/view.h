/*
 * view.h — pages as data: a small XML document per page, transformed into HTML
 * by a stylesheet of InterventionsTemplates compiled once per process. No
 * markup is ever written from C.
 */
#ifndef IV_VIEW_H
#define IV_VIEW_H

#include <libxml/tree.h>
#include "iv.h"

/* Compiles every view's stylesheet of c->templates_dir into c->stylesheets.
 * Returns NULL, or a sentence for the administrator when one fails. */
const char *iv_views_compile(apr_pool_t *pconf, iv_server_conf *c);

/* A new page for view: root <page view=…> with the context, the user, the CSRF
 * token and the navigation already added. Freed with the request pool. */
xmlNodePtr iv_page_new(iv_req *rq, const char *view);

/* Adds <notice kind=… key=…/> to the page; attributes a and b of the returned
 * node fill the message's {a} and {b}. */
xmlNodePtr iv_page_notice(xmlNodePtr page, const char *kind, const char *key);

/* Adds a child element (attributes are added by the caller with iv_attr). */
xmlNodePtr iv_node(xmlNodePtr parent, const char *name);

/* Sets an attribute; a NULL value is skipped. Values are escaped by libxml2. */
void iv_attr(xmlNodePtr node, const char *name, const char *value);

/* The catalogue's text for key (xslt/i18n/fr.xml), or key itself when it has none:
 * for views that are not HTML (the exports' column headers). Read-only, lives as
 * long as the process. */
const char *iv_msg(iv_req *rq, const char *key);

/* Transforms the page and sends it with the given HTTP status. Returns OK, or
 * HTTP_INTERNAL_SERVER_ERROR when the transformation fails (logged). */
int iv_page_send(iv_req *rq, xmlNodePtr page, int status);

#endif
