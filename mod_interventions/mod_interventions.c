/*
 * mod_interventions.c — module glue: the directive table, the hooks and the
 * dispatcher of the agents' face (SetHandler interventions-agent).
 *
 * The dispatcher does, for every request: security headers → route lookup →
 * session and role check → form body and CSRF check (POST) → handler.
 */
#define IV_MODULE_GLUE
#include "httpd.h"
#include <libxml/parser.h>
#include "apr_strings.h"
#include "apr_optional.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_core.h"
#include <strings.h>
#include "http_log.h"
#include "util_cfgtree.h"

#include "iv.h"
#include "auth.h"
#include "config.h"
#include "csrf.h"
#include "db.h"
#include "form.h"
#include "headers.h"
#include "http_util.h"
#include "pdf.h"
#include "routes.h"
#include "session.h"
#include "upload.h"
#include "view.h"
#include "xml_arena.h"

#define AGENT_HANDLER "interventions-agent"
#define OFFSET(field) (void *)APR_OFFSETOF(iv_server_conf, field)

static const command_rec iv_directives[] = {
    AP_INIT_TAKE1("InterventionsLDAPURL", iv_set_ldap_url, NULL, RSRC_CONF,
                  "URL of the agents' directory, e.g. ldap://annuaire.example.org/"),
    AP_INIT_TAKE1("InterventionsLDAPBaseDN", iv_set_dn, OFFSET(ldap_base_dn), RSRC_CONF,
                  "DN under which accounts and groups are searched"),
    AP_INIT_TAKE1("InterventionsLDAPBindDN", iv_set_dn, OFFSET(ldap_bind_dn), RSRC_CONF,
                  "DN of the service account used to search the directory"),
    AP_INIT_TAKE1("InterventionsLDAPBindPasswordFile", iv_set_bind_password_file, NULL, RSRC_CONF,
                  "file holding the service account's password (read at start-up)"),
    AP_INIT_TAKE1("InterventionsLDAPUserFilter", iv_set_user_filter, NULL, RSRC_CONF,
                  "search filter for an account, %s standing for the identifier"),
    AP_INIT_TAKE1("InterventionsLDAPTimeout", iv_set_ldap_timeout, NULL, RSRC_CONF,
                  "seconds to wait for the directory (default 5)"),
    AP_INIT_TAKE2("InterventionsRole", iv_add_role, NULL, RSRC_CONF,
                  "a role (admin, responsable, secretariat, intervenant, lecteur) and the DN "
                  "of the directory group that grants it"),
    AP_INIT_TAKE_ARGV("InterventionsPerimeter", iv_add_perimeter, NULL, RSRC_CONF,
                      "a group DN and the INSEE codes of the communes its lecteurs may read"),
    AP_INIT_FLAG("InterventionsTrustRemoteUser", iv_set_flag, OFFSET(trust_remote_user), RSRC_CONF,
                 "On to accept the user authenticated by another module (single sign-on)"),
    AP_INIT_TAKE1("InterventionsTemplates", iv_set_directory, OFFSET(templates_dir), RSRC_CONF,
                  "directory of the XSLT views"),
    AP_INIT_TAKE1("InterventionsUploadDir", iv_set_directory, OFFSET(upload_dir), RSRC_CONF,
                  "directory where attachments are stored"),
    AP_INIT_TAKE1("InterventionsUploadMaxFileSize", iv_set_size, OFFSET(upload_max_file),
                  RSRC_CONF, "largest attached file, e.g. 10M (default 10M)"),
    AP_INIT_TAKE1("InterventionsUploadMaxRequestSize", iv_set_size, OFFSET(upload_max_total),
                  RSRC_CONF, "largest form with files, e.g. 30M (default 30M)"),
    AP_INIT_TAKE1("InterventionsUploadMaxFiles", iv_set_upload_max_files, NULL, RSRC_CONF,
                  "files attached in one form (default 5)"),
    AP_INIT_TAKE1("InterventionsStaticURL", iv_set_static_url, NULL, RSRC_CONF,
                  "URL path where htdocs/ (CSS, images, scripts) is served"),
    AP_INIT_TAKE1("InterventionsSessionIdle", iv_set_session_duration, OFFSET(session_idle),
                  RSRC_CONF, "idle time after which a session ends (default 30m)"),
    AP_INIT_TAKE1("InterventionsSessionMax", iv_set_session_duration, OFFSET(session_max),
                  RSRC_CONF, "absolute lifetime of a session (default 10h)"),
    AP_INIT_FLAG("InterventionsCookieSecure", iv_set_flag, OFFSET(cookie_secure), RSRC_CONF,
                 "On to mark cookies Secure even when TLS ends in front of httpd"),
    /* fiche PDF (pdf.c, h_fiche.c) */
    AP_INIT_TAKE1("InterventionsFont", iv_set_font, OFFSET(font_path), RSRC_CONF,
                  "TrueType font (.ttf) of the printed fiche"),
    AP_INIT_TAKE1("InterventionsFontBold", iv_set_font, OFFSET(font_bold_path), RSRC_CONF,
                  "bold TrueType font (.ttf) of the printed fiche"),
    AP_INIT_TAKE1("InterventionsLogo", iv_set_logo, NULL, RSRC_CONF,
                  "PNG or JPEG image printed at the top of the fiche"),
    { NULL }
};

/* Paths of the <Location> sections that hold "SetHandler interventions-agent",
 * found in the configuration tree at start-up (read-only afterwards). A request's
 * mount point is the longest of them that prefixes its path: nested sections such
 * as <Location /interventions/sante> do not move it. */
static apr_array_header_t *agent_mounts;
/* libxml2 takes a request's memory from its pool (xml_arena.h) */
static int xml_arena_installed;

static const char *unquoted_word(apr_pool_t *p, const char *args)
{
    char *copy = apr_pstrdup(p, args), *end = strrchr(copy, '>');
    const char *cursor;
    if (end && end[1] == '\0')
        *end = '\0';
    cursor = copy;
    return ap_getword_conf(p, &cursor);
}

static void find_agent_mounts(apr_pool_t *p, const ap_directive_t *node)
{
    for (; node; node = node->next) {
        if (strcasecmp(node->directive, "<Location") == 0) {
            for (const ap_directive_t *d = node->first_child; d; d = d->next)
                if (strcasecmp(d->directive, "SetHandler") == 0
                    && strcmp(unquoted_word(p, d->args), AGENT_HANDLER) == 0) {
                    const char *path = unquoted_word(p, node->args);
                    size_t len = strlen(path);
                    while (len > 0 && path[len - 1] == '/')
                        len--;
                    APR_ARRAY_PUSH(agent_mounts, const char *) = apr_pstrmemdup(p, path, len);
                }
        }
        find_agent_mounts(p, node->first_child);
    }
}

static const char *mount_point(request_rec *r)
{
    const char *best = NULL;
    size_t best_len = 0;

    for (int i = 0; agent_mounts && i < agent_mounts->nelts; i++) {
        const char *m = APR_ARRAY_IDX(agent_mounts, i, const char *);
        size_t len = strlen(m);
        if (strncmp(r->uri, m, len) == 0 && (r->uri[len] == '/' || r->uri[len] == '\0')
            && (!best || len > best_len)) {
            best = m;
            best_len = len;
        }
    }
    return best;
}

/* Runs before mod_dbd's post_config (APR_HOOK_FIRST): statements must be known
 * when mod_dbd opens its connections. */
static int iv_prepare_statements(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    (void)pconf; (void)plog;
    iv_db_prepare_all(ptemp, s);
    return OK;
}

static int config_error(server_rec *s, const char *msg)
{
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, "IV00001: %s", msg);
    return HTTP_INTERNAL_SERVER_ERROR;
}

/* Checks the merged configuration of every server and compiles the views; runs
 * before "Syntax OK", so apachectl -t catches what is wrong. */
static int iv_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_t *compiled = apr_hash_make(ptemp);   /* templates dir -> stylesheets */
    (void)plog;

    if (!APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare))
        return config_error(s, "mod_dbd must be loaded (LoadModule dbd_module) before "
                               "mod_interventions");
    xmlInitParser();
    if (!xml_arena_installed)
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_NOTICE, 0, s, "IV00004: libxml2 already "
                     "has another allocator; pages will use it instead of the request pool");
    agent_mounts = apr_array_make(pconf, 4, sizeof(const char *));
    find_agent_mounts(pconf, ap_conftree);
    for (server_rec *sr = s; sr; sr = sr->next) {
        iv_server_conf *c = ap_get_module_config(sr->module_config, &interventions_module);
        const char *problem;

        iv_server_conf_defaults(c);
        if ((problem = iv_check_server_conf(ptemp, c)))
            return config_error(sr, problem);
        /* fiche PDF: fonts and logo loaded by libharu once, here */
        if ((problem = iv_pdf_check_conf(pconf, c)))
            return config_error(sr, problem);
        if (!c->templates_dir)
            continue;
        c->stylesheets = apr_hash_get(compiled, c->templates_dir, APR_HASH_KEY_STRING);
        if (!c->stylesheets) {
            if ((problem = iv_views_compile(pconf, c)))
                return config_error(sr, problem);
            apr_hash_set(compiled, c->templates_dir, APR_HASH_KEY_STRING, c->stylesheets);
        }
    }
    return OK;
}

static int method_of(request_rec *r, iv_method *method)
{
    if (r->method_number == M_GET)          /* HEAD included */
        *method = IV_GET;
    else if (r->method_number == M_POST)
        *method = IV_POST;
    else
        return 0;
    return 1;
}

static int wrong_method(iv_req *rq, unsigned allowed)
{
    apr_table_setn(rq->r->err_headers_out, "Allow",
                   allowed == ((1u << IV_GET) | (1u << IV_POST)) ? "GET, HEAD, POST"
                   : allowed & (1u << IV_POST) ? "POST" : "GET, HEAD");
    return iv_error_page(rq, HTTP_METHOD_NOT_ALLOWED, "error.method");
}

/* Turns an HTTP error status returned by a handler into its French page. */
static int status_page(iv_req *rq, int status)
{
    switch (status) {
    case HTTP_SERVICE_UNAVAILABLE:
        return iv_db_unavailable(rq);
    case HTTP_BAD_REQUEST:
        return iv_error_page(rq, status, "error.bad_request");
    case HTTP_REQUEST_ENTITY_TOO_LARGE:
        return iv_error_page(rq, status, "error.too_large");
    case HTTP_FORBIDDEN:
        return iv_error_page(rq, status, "error.forbidden");
    case HTTP_NOT_FOUND:
        return iv_error_page(rq, status, "error.not_found");
    default:
        return iv_fail(rq, apr_psprintf(rq->r->pool, "handler for %s returned %d",
                                        rq->r->uri, status));
    }
}

/* The POST body: urlencoded, or multipart with files on the routes that take
 * files. File errors the user can fix are left for the handler to show on its
 * form (rq->upload_error); the CSRF check still comes first. */
static int read_body(iv_req *rq)
{
    int rv;

    if (!iv_upload_is_multipart(rq->r))
        return iv_form_read(rq);
    if (!(rq->route->flags & IV_ROUTE_UPLOAD))
        return HTTP_BAD_REQUEST;
    rv = iv_upload_read(rq, &rq->upload_error, &rq->upload_error_file);
    return rv == HTTP_UNPROCESSABLE_ENTITY ? OK : rv;
}

/* Session, role, body and CSRF checks before the handler. Returns 1 to go on,
 * else 0 with *response set. */
static int guard(iv_req *rq, int *response)
{
    int rv;

    if (rq->route->flags & IV_ROUTE_NO_SESSION)
        return 1;
    if (rq->route->roles == 0) {
        /* public page: a signed-in user still sees their name in the header */
        if ((rv = iv_session_resume(rq)) != OK)
            rq->user = NULL;
    }
    else if (!iv_authenticate(rq, response)) {
        return 0;
    }
    else if (!(rq->route->roles & rq->user->roles)) {
        *response = iv_error_page(rq, HTTP_FORBIDDEN, "error.forbidden");
        return 0;
    }
    if (rq->route->method != IV_POST)
        return 1;
    if ((rv = read_body(rq)) != OK) {
        *response = status_page(rq, rv);
        return 0;
    }
    if (rq->route->roles != 0 && !iv_csrf_valid(rq)) {
        iv_upload_discard(rq);
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r,
                      "IV00702: POST %s by %s without a valid CSRF token", rq->r->uri,
                      rq->user->login);
        *response = iv_error_page(rq, HTTP_FORBIDDEN, "error.csrf");
        return 0;
    }
    return 1;
}

static int dispatch(iv_req *rq)
{
    iv_method method;
    unsigned allowed = 0;
    int response = OK, rv;

    if (!method_of(rq->r, &method))
        return wrong_method(rq, (1u << IV_GET) | (1u << IV_POST));
    switch (iv_route_match(iv_agent_routes, iv_agent_routes_count, method, rq->path,
                           rq->r->pool, &rq->route, &rq->params, &allowed)) {
    case IV_ROUTE_NOT_FOUND:
        if (iv_session_resume(rq) != OK)
            rq->user = NULL;
        return iv_error_page(rq, HTTP_NOT_FOUND, "error.not_found");
    case IV_ROUTE_WRONG_METHOD:
        return wrong_method(rq, allowed);
    case IV_ROUTE_FOUND:
        break;
    }
    if (!guard(rq, &response))
        return response;
    rv = rq->route->handler(rq);
    return rv == OK ? OK : status_page(rq, rv);
}

static int iv_handler(request_rec *r)
{
    iv_req *rq;
    size_t mount_len;
    void *arena;
    int rv;

    if (!r->handler || strcmp(r->handler, AGENT_HANDLER) != 0)
        return DECLINED;
    rq = apr_pcalloc(r->pool, sizeof *rq);
    rq->r = r;
    rq->conf = ap_get_module_config(r->server->module_config, &interventions_module);
    rq->base = mount_point(r);
    iv_security_headers(r->err_headers_out, 1);
    if (!rq->base) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "IV00003: SetHandler " AGENT_HANDLER
                      " must be inside a <Location> with a plain path (not %s)", r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    mount_len = strlen(rq->base);
    if (r->uri[mount_len] == '\0') {
        /* "/interventions" → "/interventions/": relative links need the slash */
        apr_table_setn(r->headers_out, "Location", apr_pstrcat(r->pool, rq->base, "/", NULL));
        r->status = HTTP_MOVED_PERMANENTLY;
        return OK;
    }
    rq->path = r->uri + mount_len + 1;
    if (!rq->conf->stylesheets) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "IV00002: InterventionsTemplates is not set");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    arena = iv_xml_arena_enter(r->pool);
    rv = dispatch(rq);
    iv_xml_arena_leave(arena);
    return rv;
}

#if !defined(__SANITIZE_ADDRESS__)
static apr_status_t uninstall_xml_arena(void *unused)
{
    (void)unused;
    iv_xml_arena_uninstall();
    return APR_SUCCESS;
}
#endif

static void iv_register_hooks(apr_pool_t *p)
{
    (void)p;
    /* before libxml2 allocates anything in this process (xml_arena.h); not under
     * AddressSanitizer, which then watches every libxml2 block of the module */
#if !defined(__SANITIZE_ADDRESS__)
    xml_arena_installed = iv_xml_arena_install();
    apr_pool_cleanup_register(p, NULL, uninstall_xml_arena, apr_pool_cleanup_null);
#else
    xml_arena_installed = 1;
#endif
    ap_hook_post_config(iv_prepare_statements, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_check_config(iv_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(iv_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(interventions) = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    iv_create_server_conf,
    iv_merge_server_conf,
    iv_directives,
    iv_register_hooks,
    AP_MODULE_FLAG_NONE
};
