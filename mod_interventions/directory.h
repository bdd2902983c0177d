/*
 * directory.h — agents' accounts in LDAP / Active Directory: finding the user,
 * checking the password by binding as the user, and mapping groups to roles.
 */
#ifndef IV_DIRECTORY_H
#define IV_DIRECTORY_H

#include "iv.h"

typedef enum {
    IV_DIR_OK,
    IV_DIR_BAD_CREDENTIALS,   /* unknown user or wrong password: one answer for both */
    IV_DIR_UNAVAILABLE        /* directory unreachable or misconfigured (logged) */
} iv_dir_status;

/* Authenticates login/password. On IV_DIR_OK, *user has the display name, the
 * roles and the lecteur perimeter from the user's groups (roles may be 0). */
iv_dir_status iv_dir_authenticate(iv_req *rq, const char *login, const char *password,
                                  iv_user **user);

/* The same without a password, for a user already authenticated by another
 * module (InterventionsTrustRemoteUser On). An unknown user gives
 * IV_DIR_BAD_CREDENTIALS. */
iv_dir_status iv_dir_lookup(iv_req *rq, const char *login, iv_user **user);

#endif
