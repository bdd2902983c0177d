/*
 * stores.h — the data layer: each store file owns its SQL (one statement table)
 * and exposes functions that take plain values. All return 0 on success, or
 * non-zero after the database error has been logged.
 */
#ifndef IV_STORES_H
#define IV_STORES_H

#include "db.h"

extern const iv_statement iv_session_statements[];
extern const iv_statement iv_audit_statements[];
extern const iv_statement iv_refs_statements[];     /* reference lists (store_refs.c) */

/* store_session.c */

/* Looks up the session whose id hashes to hash and is neither idle nor too old;
 * *user is NULL when there is none. Refreshes last_seen when it is getting old. */
int iv_session_load(iv_req *rq, const char *hash, iv_user **user);

/* Stores a new session for user under hash (user->csrf_token set by the caller). */
int iv_session_insert(iv_req *rq, const char *hash, const iv_user *user);

int iv_session_delete(iv_req *rq, const char *hash);

/* Deletes expired sessions (called now and then at login). */
int iv_session_purge(iv_req *rq);

/* Failed logins for this identifier in the last 15 minutes. */
int iv_login_failures_count(iv_req *rq, const char *login, int *count);
int iv_login_failure_record(iv_req *rq, const char *login);
int iv_login_failures_clear(iv_req *rq, const char *login);

/* store_audit.c */
int iv_audit(iv_req *rq, const char *login, const char *action, const char *detail);

/* Answers the health check: 0 when the database runs a query. */
int iv_db_ping(iv_req *rq);

/* store_refs.c — reference lists (admin: référentiels) */

typedef enum {
    IV_REF_EXTRA_NONE,
    IV_REF_EXTRA_FLAG,          /* a boolean: natures.is_institution, communes.in_territory */
    IV_REF_EXTRA_TEAM           /* agents.team_code */
} iv_ref_extra;

/* A list, known by its name in URLs: origines, natures, titres, objets,
 * equipes, communes, agents. */
typedef struct {
    const char *name;
    iv_ref_extra extra;         /* the list's one extra column, if any */
    const char *extra_field;    /* its form field name */
    int insee_code;             /* communes: the code is typed, an INSEE code */
    int unique_label;           /* no two values may share a label */
} iv_ref_list;

/* One value. extra is "true"/"false" for a flag, the team code for agents
 * (NULL for none); extra_label the team's label; uses how many requests refer
 * to the value (filled by iv_refs_all only, else "0"). */
typedef struct {
    const char *code;
    const char *label;
    const char *position;
    int active;
    const char *extra;
    const char *extra_label;
    const char *uses;
} iv_ref_value;

extern const iv_ref_list iv_ref_lists[];
extern const size_t iv_ref_lists_count;

/* The list named name, NULL if there is none. */
const iv_ref_list *iv_refs_find(const char *name);

/* What forms offer: the active values of list name ("objets"…) in position
 * order, plus the value coded keep even when deactivated (the one an existing
 * request holds; NULL for none). *values gets iv_ref_value pointers. SQL:
 * SELECT … FROM <table> WHERE active OR code = $1 ORDER BY position, label, code. */
int iv_refs_active(iv_req *rq, const char *name, const char *keep, apr_array_header_t **values);

/* Every value of list, active or not, with its use count (admin page). */
int iv_refs_all(iv_req *rq, const iv_ref_list *list, apr_array_header_t **values);
int iv_refs_counts(iv_req *rq, const iv_ref_list *list, int *active, int *total);

/* Changes, to run inside iv_db_begin/iv_db_commit. iv_refs_lock_value reads one
 * value and locks its row (*value NULL when code is unknown). iv_refs_clash
 * tells whether code (may be NULL) or label (ignored where labels may repeat)
 * is taken by a value other than other_than (may be NULL). */
int iv_refs_lock_value(iv_req *rq, const iv_ref_list *list, const char *code,
                       iv_ref_value **value);
int iv_refs_clash(iv_req *rq, const iv_ref_list *list, const char *code, const char *label,
                  const char *other_than, int *code_taken, int *label_taken);
/* Adds a value at the end of the list; *inserted is 0 when the code or label
 * was taken meanwhile (nothing written). */
int iv_refs_insert(iv_req *rq, const iv_ref_list *list, const char *code, const char *label,
                   const char *extra, int *inserted);
int iv_refs_update(iv_req *rq, const iv_ref_list *list, const char *code, const char *label,
                   const char *extra);
int iv_refs_set_active(iv_req *rq, const iv_ref_list *list, const char *code, int active,
                       int *changed);
/* Swaps the value with its neighbour above (direction < 0) or below; *moved is
 * 0 when it was already first or last. */
int iv_refs_move(iv_req *rq, const iv_ref_list *list, const char *code, int direction,
                 int *moved);

/* store_imports.c — legacy imports (admin/imports) */

extern const iv_statement iv_imports_statements[];

typedef struct {
    const char *outcome;        /* rejetee, doublon, corrigee, signalee */
    const char *text;
    const char *rows;
} iv_import_reason;

/* A run of tools/interventions-import, as its imports row records it. */
typedef struct {
    const char *id, *date, *time, *login, *source, *format, *encoding;
    const char *dry_run, *create_missing;       /* "1" or "0" */
    const char *read, *imported, *corrected, *duplicates, *rejected, *already;
    const char *report_lines;
    apr_array_header_t *reasons;                /* of iv_import_reason */
} iv_import_run;

/* The last runs, newest first (*imports gets iv_import_run pointers). */
int iv_imports_list(iv_req *rq, apr_array_header_t **imports);

/* The report CSV of run id (without BOM); *csv is NULL when there is no such run. */
int iv_imports_report(iv_req *rq, const char *id, const char **csv);

#endif
