/*
 * roles.h — the five agent roles. Roles come from directory groups (see
 * InterventionsRole); a user may hold several, kept as a bit set.
 */
#ifndef IV_ROLES_H
#define IV_ROLES_H

enum {
    IV_ROLE_ADMIN       = 1u << 0,
    IV_ROLE_RESPONSABLE = 1u << 1,
    IV_ROLE_SECRETARIAT = 1u << 2,
    IV_ROLE_INTERVENANT = 1u << 3,
    IV_ROLE_LECTEUR     = 1u << 4
};

#define IV_ROLES_ALL (IV_ROLE_ADMIN | IV_ROLE_RESPONSABLE | IV_ROLE_SECRETARIAT \
                      | IV_ROLE_INTERVENANT | IV_ROLE_LECTEUR)

/* Role bit for a configuration name ("admin", "responsable", ...), 0 if unknown. */
unsigned iv_role_from_name(const char *name);

/* Configuration name of a single role bit, NULL if not exactly one known bit. */
const char *iv_role_name(unsigned role);

#endif
