/*
 * config.c — server and directory configuration: creation, merging, and the
 * directive parsers. Every bad value is refused here, at start-up, with a
 * sentence an administrator can act on (apachectl -t shows it).
 */
#include "httpd.h"
#include <ldap.h>
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "apr_file_io.h"
#include "apr_file_info.h"
#include "http_config.h"

#include "iv.h"
#include "config.h"
#include "ldap_filter.h"
#include "confparse.h"
#include "pdf.h"

#define DEFAULT_USER_FILTER "(&(objectClass=inetOrgPerson)(uid=%s))"
#define DEFAULT_STATIC_URL "/interventions-static"
#define DEFAULT_SESSION_IDLE (30 * 60)
#define DEFAULT_SESSION_MAX (10 * 3600)
#define DEFAULT_LDAP_TIMEOUT 5
#define DEFAULT_UPLOAD_MAX_FILE (10LL * 1024 * 1024)
#define DEFAULT_UPLOAD_MAX_TOTAL (30LL * 1024 * 1024)
#define DEFAULT_UPLOAD_MAX_FILES 5

void *iv_create_server_conf(apr_pool_t *p, server_rec *s)
{
    iv_server_conf *c = apr_pcalloc(p, sizeof *c);
    (void)s;
    c->ldap_timeout = IV_UNSET;
    c->roles = apr_array_make(p, 5, sizeof(iv_group_rule));
    c->perimeters = apr_array_make(p, 2, sizeof(iv_group_rule));
    c->trust_remote_user = IV_UNSET;
    c->session_idle = IV_UNSET;
    c->session_max = IV_UNSET;
    c->cookie_secure = IV_UNSET;
    c->upload_max_file = IV_UNSET;
    c->upload_max_total = IV_UNSET;
    c->upload_max_files = IV_UNSET;
    return c;
}

#define MERGE_PTR(f) m->f = add->f ? add->f : base->f
#define MERGE_INT(f) m->f = add->f != IV_UNSET ? add->f : base->f

void *iv_merge_server_conf(apr_pool_t *p, void *base_v, void *add_v)
{
    const iv_server_conf *base = base_v, *add = add_v;
    iv_server_conf *m = apr_pcalloc(p, sizeof *m);

    MERGE_PTR(ldap_url);
    MERGE_PTR(ldap_base_dn);
    MERGE_PTR(ldap_bind_dn);
    MERGE_PTR(ldap_bind_password);
    MERGE_PTR(ldap_user_filter);
    MERGE_INT(ldap_timeout);
    /* A virtual host that maps any role replaces the whole mapping: mixing two
     * directories' groups would be a surprise. */
    m->roles = add->roles->nelts ? add->roles : base->roles;
    m->perimeters = add->perimeters->nelts ? add->perimeters : base->perimeters;
    MERGE_INT(trust_remote_user);
    MERGE_PTR(templates_dir);
    MERGE_PTR(static_url);
    MERGE_PTR(upload_dir);
    MERGE_INT(session_idle);
    MERGE_INT(session_max);
    MERGE_INT(cookie_secure);
    MERGE_INT(upload_max_file);
    MERGE_INT(upload_max_total);
    MERGE_INT(upload_max_files);
    /* fiche PDF */
    MERGE_PTR(font_path);
    MERGE_PTR(font_bold_path);
    MERGE_PTR(logo_path);
    return m;
}

void iv_server_conf_defaults(iv_server_conf *c)
{
    if (!c->ldap_user_filter)
        c->ldap_user_filter = DEFAULT_USER_FILTER;
    if (c->ldap_timeout == IV_UNSET)
        c->ldap_timeout = DEFAULT_LDAP_TIMEOUT;
    if (c->trust_remote_user == IV_UNSET)
        c->trust_remote_user = 0;
    if (!c->static_url)
        c->static_url = DEFAULT_STATIC_URL;
    if (c->session_idle == IV_UNSET)
        c->session_idle = DEFAULT_SESSION_IDLE;
    if (c->session_max == IV_UNSET)
        c->session_max = DEFAULT_SESSION_MAX;
    if (c->cookie_secure == IV_UNSET)
        c->cookie_secure = 0;
    if (c->upload_max_file == IV_UNSET)
        c->upload_max_file = DEFAULT_UPLOAD_MAX_FILE;
    if (c->upload_max_total == IV_UNSET)
        c->upload_max_total = DEFAULT_UPLOAD_MAX_TOTAL;
    if (c->upload_max_files == IV_UNSET)
        c->upload_max_files = DEFAULT_UPLOAD_MAX_FILES;
    /* fiche PDF: Debian's fonts-dejavu-core */
    if (!c->font_path)
        c->font_path = IV_PDF_DEFAULT_FONT;
    if (!c->font_bold_path)
        c->font_bold_path = IV_PDF_DEFAULT_FONT_BOLD;
}

static iv_server_conf *server_conf(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &interventions_module);
}

const char *iv_set_ldap_url(cmd_parms *cmd, void *dummy, const char *arg)
{
    LDAPURLDesc *desc = NULL;
    (void)dummy;
    if (ldap_url_parse(arg, &desc) != LDAP_URL_SUCCESS)
        return apr_psprintf(cmd->pool, "%s: invalid directory URL '%s' "
                            "(example: ldap://annuaire.example.org/)", cmd->cmd->name, arg);
    ldap_free_urldesc(desc);
    server_conf(cmd)->ldap_url = arg;
    return NULL;
}

/* InterventionsLDAPBaseDN and InterventionsLDAPBindDN: the field is the offset
 * given in the directive table. */
const char *iv_set_dn(cmd_parms *cmd, void *dummy, const char *arg)
{
    (void)dummy;
    if (!iv_ldap_dn_normalize(cmd->pool, arg))
        return apr_psprintf(cmd->pool, "%s: invalid DN '%s'", cmd->cmd->name, arg);
    *(const char **)((char *)server_conf(cmd) + (size_t)cmd->info) = arg;
    return NULL;
}

const char *iv_set_bind_password_file(cmd_parms *cmd, void *dummy, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_file_t *f;
    apr_finfo_t info;
    char *secret;
    apr_size_t got;
    (void)dummy;

    if (!path || apr_file_open(&f, path, APR_FOPEN_READ, 0, cmd->temp_pool) != APR_SUCCESS
        || apr_file_info_get(&info, APR_FINFO_SIZE, f) != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "%s: cannot read file '%s'",
                            cmd->cmd->name, arg);
    if (info.size <= 0 || info.size > 4096)
        return apr_psprintf(cmd->pool, "%s: file '%s' must hold the password "
                            "(1 to 4096 bytes)", cmd->cmd->name, arg);
    secret = apr_palloc(cmd->pool, (apr_size_t)info.size + 1);
    if (apr_file_read_full(f, secret, (apr_size_t)info.size, &got) != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "%s: reading '%s' failed", cmd->cmd->name, arg);
    apr_file_close(f);
    while (got > 0 && (secret[got - 1] == '\n' || secret[got - 1] == '\r'))
        got--;
    secret[got] = '\0';
    if (got == 0)
        return apr_psprintf(cmd->pool, "%s: file '%s' is empty", cmd->cmd->name, arg);
    server_conf(cmd)->ldap_bind_password = secret;
    return NULL;
}

const char *iv_set_user_filter(cmd_parms *cmd, void *dummy, const char *arg)
{
    (void)dummy;
    if (!iv_ldap_filter_template_valid(arg) || arg[0] != '(')
        return apr_psprintf(cmd->pool, "%s: filter '%s' must be in parentheses and hold "
                            "exactly one %%s, replaced by the login identifier "
                            "(example: (&(objectClass=inetOrgPerson)(uid=%%s)))",
                            cmd->cmd->name, arg);
    server_conf(cmd)->ldap_user_filter = arg;
    return NULL;
}

const char *iv_set_ldap_timeout(cmd_parms *cmd, void *dummy, const char *arg)
{
    long seconds = iv_parse_duration(arg);
    (void)dummy;
    if (seconds < 1 || seconds > 300)
        return apr_psprintf(cmd->pool, "%s: invalid timeout '%s' (1 to 300 seconds)",
                            cmd->cmd->name, arg);
    server_conf(cmd)->ldap_timeout = (int)seconds;
    return NULL;
}

const char *iv_add_role(cmd_parms *cmd, void *dummy, const char *role, const char *dn)
{
    iv_group_rule *rule;
    unsigned bit = iv_role_from_name(role);
    const char *normal = iv_ldap_dn_normalize(cmd->pool, dn);
    (void)dummy;

    if (!bit)
        return apr_psprintf(cmd->pool, "%s: unknown role '%s' (roles: admin, responsable, "
                            "secretariat, intervenant, lecteur)", cmd->cmd->name, role);
    if (!normal)
        return apr_psprintf(cmd->pool, "%s: invalid group DN '%s'", cmd->cmd->name, dn);
    rule = apr_array_push(server_conf(cmd)->roles);
    rule->role = bit;
    rule->group_dn = normal;
    rule->communes = "";
    return NULL;
}

const char *iv_add_perimeter(cmd_parms *cmd, void *dummy, int argc, char *const argv[])
{
    iv_group_rule *rule;
    const char *normal, *codes = "";
    (void)dummy;

    if (argc < 2)
        return apr_psprintf(cmd->pool, "%s: expects a group DN followed by at least one "
                            "INSEE commune code", cmd->cmd->name);
    if (!(normal = iv_ldap_dn_normalize(cmd->pool, argv[0])))
        return apr_psprintf(cmd->pool, "%s: invalid group DN '%s'", cmd->cmd->name, argv[0]);
    for (int i = 1; i < argc; i++) {
        if (!iv_commune_code_valid(argv[i]))
            return apr_psprintf(cmd->pool, "%s: invalid INSEE commune code '%s' "
                                "(example: 94080)", cmd->cmd->name, argv[i]);
        codes = apr_pstrcat(cmd->pool, codes, *codes ? "," : "", argv[i], NULL);
    }
    rule = apr_array_push(server_conf(cmd)->perimeters);
    rule->role = 0;
    rule->group_dn = normal;
    rule->communes = codes;
    return NULL;
}

const char *iv_set_flag(cmd_parms *cmd, void *dummy, int on)
{
    (void)dummy;
    *(int *)((char *)server_conf(cmd) + (size_t)cmd->info) = on ? 1 : 0;
    return NULL;
}

/* InterventionsTemplates and InterventionsUploadDir: an existing directory. */
const char *iv_set_directory(cmd_parms *cmd, void *dummy, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_finfo_t info;
    (void)dummy;

    if (!path || apr_stat(&info, path, APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS
        || info.filetype != APR_DIR)
        return apr_psprintf(cmd->pool, "%s: directory '%s' does not exist",
                            cmd->cmd->name, arg);
    *(const char **)((char *)server_conf(cmd) + (size_t)cmd->info) = path;
    return NULL;
}

const char *iv_set_static_url(cmd_parms *cmd, void *dummy, const char *arg)
{
    (void)dummy;
    if (!iv_url_path_valid(arg))
        return apr_psprintf(cmd->pool, "%s: invalid URL path '%s' (example: "
                            DEFAULT_STATIC_URL ")", cmd->cmd->name, arg);
    server_conf(cmd)->static_url = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

/* InterventionsSessionIdle and InterventionsSessionMax. */
const char *iv_set_session_duration(cmd_parms *cmd, void *dummy, const char *arg)
{
    long seconds = iv_parse_duration(arg);
    (void)dummy;
    if (seconds < 1)
        return apr_psprintf(cmd->pool, "%s: invalid duration '%s' (examples: 1800, 30m, 10h)",
                            cmd->cmd->name, arg);
    *(int *)((char *)server_conf(cmd) + (size_t)cmd->info) = (int)seconds;
    return NULL;
}

/* InterventionsUploadMaxFileSize and InterventionsUploadMaxRequestSize. */
const char *iv_set_size(cmd_parms *cmd, void *dummy, const char *arg)
{
    long long bytes = iv_parse_size(arg);
    (void)dummy;
    if (bytes < 1)
        return apr_psprintf(cmd->pool, "%s: invalid size '%s' (examples: 512K, 10M)",
                            cmd->cmd->name, arg);
    *(long long *)((char *)server_conf(cmd) + (size_t)cmd->info) = bytes;
    return NULL;
}

const char *iv_set_upload_max_files(cmd_parms *cmd, void *dummy, const char *arg)
{
    char *end;
    long n = strtol(arg, &end, 10);
    (void)dummy;
    if (*end || end == arg || n < 1 || n > 100)
        return apr_psprintf(cmd->pool, "%s: invalid count '%s' (1 to 100)", cmd->cmd->name, arg);
    server_conf(cmd)->upload_max_files = (int)n;
    return NULL;
}

const char *iv_check_server_conf(apr_pool_t *p, const iv_server_conf *c)
{
    if (c->roles->nelts && !c->ldap_url)
        return "InterventionsRole is set but InterventionsLDAPURL is missing: "
               "roles are read from the directory";
    if (c->ldap_url && !c->ldap_base_dn)
        return "InterventionsLDAPBaseDN is missing: say where accounts are searched";
    if (c->ldap_bind_dn && !c->ldap_bind_password)
        return "InterventionsLDAPBindDN is set without InterventionsLDAPBindPasswordFile";
    if (c->upload_max_file > c->upload_max_total)
        return "InterventionsUploadMaxFileSize exceeds InterventionsUploadMaxRequestSize";
    if (c->session_idle > c->session_max)
        return apr_psprintf(p, "InterventionsSessionIdle (%d s) exceeds InterventionsSessionMax "
                            "(%d s)", c->session_idle, c->session_max);
    return NULL;
}

/* ---------------------------------------------------------------- fiche PDF */

/* The first bytes of path, or NULL with *problem set when it cannot be read as
 * a regular file. */
static const char *file_start(cmd_parms *cmd, const char *arg, char *head, apr_size_t want,
                              const char **problem)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_file_t *f;
    apr_finfo_t info;
    apr_size_t got = want;

    memset(head, 0, want);
    if (!path || apr_stat(&info, path, APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS
        || info.filetype != APR_REG
        || apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, cmd->temp_pool)
           != APR_SUCCESS) {
        *problem = apr_psprintf(cmd->pool, "%s: cannot read file '%s'", cmd->cmd->name, arg);
        return NULL;
    }
    apr_file_read(f, head, &got);
    apr_file_close(f);
    return path;
}

/* InterventionsFont and InterventionsFontBold: a TrueType file (libharu loads
 * it fully in check_config; this only gives a clear word for common mistakes). */
const char *iv_set_font(cmd_parms *cmd, void *dummy, const char *arg)
{
    char head[4];
    const char *problem = NULL, *path = file_start(cmd, arg, head, sizeof head, &problem);
    (void)dummy;

    if (!path)
        return problem;
    if (memcmp(head, "OTTO", 4) == 0)
        return apr_psprintf(cmd->pool, "%s: '%s' is an OpenType font with PostScript (CFF) "
                            "outlines; the PDF library needs TrueType outlines (.ttf)",
                            cmd->cmd->name, arg);
    if (memcmp(head, "ttcf", 4) == 0)
        return apr_psprintf(cmd->pool, "%s: '%s' is a font collection (.ttc); give a single "
                            "TrueType font (.ttf)", cmd->cmd->name, arg);
    if (memcmp(head, "\0\1\0\0", 4) != 0 && memcmp(head, "true", 4) != 0)
        return apr_psprintf(cmd->pool, "%s: '%s' is not a TrueType font (.ttf)",
                            cmd->cmd->name, arg);
    *(const char **)((char *)server_conf(cmd) + (size_t)cmd->info) = path;
    return NULL;
}

/* InterventionsLogo: a PNG or JPEG file, read and decoded in check_config. */
const char *iv_set_logo(cmd_parms *cmd, void *dummy, const char *arg)
{
    char head[8];
    const char *problem = NULL, *path = file_start(cmd, arg, head, sizeof head, &problem);
    (void)dummy;

    if (!path)
        return problem;
    if (memcmp(head, "\x89PNG\r\n\x1a\n", 8) != 0 && memcmp(head, "\xff\xd8\xff", 3) != 0)
        return apr_psprintf(cmd->pool, "%s: '%s' is neither a PNG nor a JPEG image",
                            cmd->cmd->name, arg);
    server_conf(cmd)->logo_path = path;
    return NULL;
}
