#include <string.h>
#include "roles.h"

static const struct { const char *name; unsigned bit; } role_names[] = {
    { "admin",       IV_ROLE_ADMIN },
    { "responsable", IV_ROLE_RESPONSABLE },
    { "secretariat", IV_ROLE_SECRETARIAT },
    { "intervenant", IV_ROLE_INTERVENANT },
    { "lecteur",     IV_ROLE_LECTEUR },
};

unsigned iv_role_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof role_names / sizeof *role_names; i++)
        if (strcmp(name, role_names[i].name) == 0)
            return role_names[i].bit;
    return 0;
}

const char *iv_role_name(unsigned role)
{
    for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++)
        if (role == role_names[i].bit)
            return role_names[i].name;
    return NULL;
}
