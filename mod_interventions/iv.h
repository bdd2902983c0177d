/*
 * iv.h — types shared by the httpd-facing parts of mod_interventions.
 *
 * Core files (router, ldap_filter, token, headers, duration) do not include this
 * header: they take plain C and APR types so the unit tests run them without httpd.
 */
#ifndef IV_H
#define IV_H

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "apr_tables.h"

#include "roles.h"
#include "router.h"

/* The glue file declares the module itself (AP_DECLARE_MODULE does this too). */
#if defined(APLOG_USE_MODULE) && !defined(IV_MODULE_GLUE)
APLOG_USE_MODULE(interventions);
#endif

extern module AP_MODULE_DECLARE_DATA interventions_module;

#define IV_UNSET (-1)

struct iv_pdf_assets;                 /* pdf.h */

/* A configured "InterventionsRole <role> <group DN>" or
 * "InterventionsPerimeter <group DN> <commune>...". DNs are kept normalised. */
typedef struct {
    unsigned role;           /* IV_ROLE_* bit; 0 for a perimeter */
    const char *group_dn;    /* normalised DN */
    const char *communes;    /* comma-separated INSEE codes (perimeter only) */
} iv_group_rule;

typedef struct {
    const char *ldap_url;
    const char *ldap_base_dn;
    const char *ldap_bind_dn;
    const char *ldap_bind_password;   /* read from the password file at start-up */
    const char *ldap_user_filter;
    int ldap_timeout;                 /* seconds */
    apr_array_header_t *roles;        /* of iv_group_rule */
    apr_array_header_t *perimeters;   /* of iv_group_rule */
    int trust_remote_user;
    const char *templates_dir;
    const char *static_url;
    const char *upload_dir;
    long long upload_max_file;        /* bytes per attached file */
    long long upload_max_total;       /* bytes per request body with files */
    int upload_max_files;             /* files per request */
    int session_idle;                 /* seconds */
    int session_max;                  /* seconds */
    int cookie_secure;
    apr_hash_t *stylesheets;          /* view name -> xsltStylesheetPtr, set in post_config */
    /* fiche PDF (pdf.c, h_fiche.c) */
    const char *font_path;            /* InterventionsFont */
    const char *font_bold_path;       /* InterventionsFontBold */
    const char *logo_path;            /* InterventionsLogo, or NULL */
    const struct iv_pdf_assets *pdf_assets;   /* fonts and logo loaded in check_config */
} iv_server_conf;

/* The signed-in agent, as loaded from the session row. */
typedef struct {
    const char *login;
    const char *display_name;
    unsigned roles;
    const char *communes;             /* lecteur perimeter, comma-separated */
    const char *csrf_token;
    const char *session_hash;         /* hex SHA-256 of the session id */
} iv_user;

typedef struct iv_req iv_req;
typedef int (*iv_handler_fn)(iv_req *rq);

/* Per-request state handed to every handler. */
struct iv_req {
    request_rec *r;
    const iv_server_conf *conf;
    const char *base;                 /* mount point, e.g. "/interventions" */
    const char *path;                 /* path below the mount point, no leading '/' */
    const iv_route *route;
    iv_route_params params;
    iv_user *user;                    /* NULL when not signed in */
    int session_was_presented;        /* a session cookie came but was not valid */
    apr_table_t *form;                /* parsed body fields (POST), or NULL */
    apr_array_header_t *uploads;      /* files of a multipart body (iv_upload), or NULL */
    const char *upload_error;         /* catalogue key when the files were refused */
    const char *upload_error_file;    /* the file concerned, or NULL */
    ap_dbd_t *db;                     /* acquired on first use */
    int db_failed;                    /* no usable connection: stop asking */
    int in_transaction;               /* statements must not be retried */
    apr_dbd_transaction_t *transaction;
    int transaction_failed;           /* a statement failed: commit rolls back */
};

#endif
