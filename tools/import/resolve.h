/*
 * resolve.h — legacy values → reference codes, in memory. The tool loads the
 * reference lists and the correspondence table (import_mappings) once; each
 * distinct spelling met in the source is then resolved once and remembered, so a
 * million rows cost a hash lookup per field. What stays unknown is resolved by
 * SQL afterwards (communes by trigram similarity) or reported.
 *
 * Order of the rules: the correspondence table (the admin's word is final), then
 * the label or the code compared as keys (case, accents and punctuation aside),
 * then, for communes, a unique commune whose name starts with the words typed
 * ("ST MAUR" → Saint-Maur-des-Fossés, not Saint-Maurice). Pure C (APR pools).
 */
#ifndef IV_IMP_RESOLVE_H
#define IV_IMP_RESOLVE_H

#include "apr_pools.h"

typedef enum {
    IV_LIST_ORIGINES, IV_LIST_NATURES, IV_LIST_OBJETS, IV_LIST_EQUIPES, IV_LIST_AGENTS,
    IV_LIST_COMMUNES,
    IV_LIST_COUNT
} iv_list;

/* As import_mappings.list spells them. */
extern const char *const iv_list_names[IV_LIST_COUNT];

typedef struct {
    const char *code;
    const char *label;
    int flag;           /* natures: is_institution; communes: in_territory */
    int outside;        /* communes: known from import_communes only, not yet in communes */
} iv_ref;

typedef enum {
    IV_MATCH_NONE,      /* unknown */
    IV_MATCH_SAME,      /* the label itself */
    IV_MATCH_KEY,       /* the label or code, written otherwise (case, accents, spaces) */
    IV_MATCH_MAPPING,   /* through the correspondence table */
    IV_MATCH_PREFIX,    /* communes: the start of one commune's name */
    IV_MATCH_FUZZY      /* the fuzzy rule of the list (communes: trigram similarity) */
} iv_match;

typedef struct iv_resolver iv_resolver;

iv_resolver *iv_resolver_make(apr_pool_t *pool);

/* A reference value (strings are copied). */
void iv_resolver_add(iv_resolver *r, iv_list list, const char *code, const char *label,
                     int flag, int outside);

/* A row of the correspondence table. Returns -1 (and ignores it) when code is
 * not a value of the list. */
int iv_resolver_map(iv_resolver *r, iv_list list, const char *legacy_value, const char *code);

/* A last rule for a list: given the key of a value no other rule knows and the
 * keys of the list's values, the code of the one it means, or NULL. */
typedef const char *iv_fuzzy_fn(void *ctx, iv_list list, const char *key,
                                const char *const *codes, const char *const *keys, int n);

void iv_resolver_fuzzy(iv_resolver *r, iv_list list, iv_fuzzy_fn *fn, void *ctx);

/* The value for a squeezed source text, NULL when unknown; *how tells which
 * rule matched. Results are remembered per spelling. */
const iv_ref *iv_resolve(iv_resolver *r, iv_list list, const char *value, iv_match *how);

/* The key a list compares (communes: iv_imp_commune_key; agents: the words of
 * the name in order, iv_imp_name_key; others: iv_imp_key). */
const char *iv_resolver_key(apr_pool_t *pool, iv_list list, const char *value);

/* Every value of a list, for the SQL steps that need them (fuzzy communes). */
int iv_resolver_count(const iv_resolver *r, iv_list list);
const iv_ref *iv_resolver_value(const iv_resolver *r, iv_list list, int i);

#endif
