/*
 * store_audit.c — the audit trail: who did what, when.
 */
#include "stores.h"

const iv_statement iv_audit_statements[] = {
    { "iv_audit_add", "INSERT INTO audit (login, action, detail) VALUES (%s, %s, %s)" },
    { NULL, NULL }
};

int iv_audit(iv_req *rq, const char *login, const char *action, const char *detail)
{
    return iv_db_exec(rq, "iv_audit_add", NULL, IV_ARGS(login, action, detail ? detail : ""));
}
