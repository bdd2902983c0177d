/*
 * config.h — configuration records and directive parsers (see config.c and the
 * directive table in mod_interventions.c).
 */
#ifndef IV_CONFIG_H
#define IV_CONFIG_H

#include "iv.h"

void *iv_create_server_conf(apr_pool_t *p, server_rec *s);
void *iv_merge_server_conf(apr_pool_t *p, void *base, void *add);

/* Fills unset fields with their documented defaults (post_config). */
void iv_server_conf_defaults(iv_server_conf *c);

/* A sentence describing an inconsistent configuration, or NULL when it holds. */
const char *iv_check_server_conf(apr_pool_t *p, const iv_server_conf *c);

const char *iv_set_ldap_url(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_dn(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_bind_password_file(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_user_filter(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_ldap_timeout(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_add_role(cmd_parms *cmd, void *dummy, const char *role, const char *dn);
const char *iv_add_perimeter(cmd_parms *cmd, void *dummy, int argc, char *const argv[]);
const char *iv_set_flag(cmd_parms *cmd, void *dummy, int on);
const char *iv_set_directory(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_static_url(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_size(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_upload_max_files(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_session_duration(cmd_parms *cmd, void *dummy, const char *arg);
/* fiche PDF */
const char *iv_set_font(cmd_parms *cmd, void *dummy, const char *arg);
const char *iv_set_logo(cmd_parms *cmd, void *dummy, const char *arg);

#endif
