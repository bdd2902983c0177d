#include <string.h>
#include "apr_hash.h"
#include "apr_strings.h"
#include "apr_tables.h"
#include "clean.h"
#include "resolve.h"

const char *const iv_list_names[IV_LIST_COUNT] = {
    "origines", "natures", "objets", "equipes", "agents", "communes",
};

typedef struct {
    const iv_ref *ref;
    iv_match how;
} memo;

struct iv_resolver {
    apr_pool_t *pool;
    apr_array_header_t *values[IV_LIST_COUNT];   /* of iv_ref */
    apr_hash_t *by_key[IV_LIST_COUNT];           /* key → iv_ref * */
    apr_hash_t *by_code[IV_LIST_COUNT];          /* code → iv_ref * */
    apr_hash_t *mapped[IV_LIST_COUNT];           /* key of a legacy spelling → iv_ref * */
    apr_hash_t *memo[IV_LIST_COUNT];             /* source text → memo */
    iv_fuzzy_fn *fuzzy[IV_LIST_COUNT];
    void *fuzzy_ctx[IV_LIST_COUNT];
};

void iv_resolver_fuzzy(iv_resolver *r, iv_list list, iv_fuzzy_fn *fn, void *ctx)
{
    r->fuzzy[list] = fn;
    r->fuzzy_ctx[list] = ctx;
}

/* Asks the list's fuzzy rule, with every value's key. */
static const iv_ref *fuzzy(iv_resolver *r, iv_list list, const char *key)
{
    int n = r->values[list]->nelts;
    const char **codes = apr_palloc(r->pool, sizeof *codes * (size_t)(n + 1));
    const char **keys = apr_palloc(r->pool, sizeof *keys * (size_t)(n + 1));
    const char *code;
    if (!*key || n == 0)
        return NULL;
    for (int i = 0; i < n; i++) {
        const iv_ref *v = &APR_ARRAY_IDX(r->values[list], i, iv_ref);
        codes[i] = v->code;
        keys[i] = iv_resolver_key(r->pool, list, v->label);
    }
    code = r->fuzzy[list](r->fuzzy_ctx[list], list, key, codes, keys, n);
    return code ? apr_hash_get(r->by_code[list], code, APR_HASH_KEY_STRING) : NULL;
}

iv_resolver *iv_resolver_make(apr_pool_t *pool)
{
    iv_resolver *r = apr_pcalloc(pool, sizeof *r);
    r->pool = pool;
    for (int l = 0; l < IV_LIST_COUNT; l++) {
        r->values[l] = apr_array_make(pool, 16, sizeof(iv_ref));
        r->by_key[l] = apr_hash_make(pool);
        r->by_code[l] = apr_hash_make(pool);
        r->mapped[l] = apr_hash_make(pool);
        r->memo[l] = apr_hash_make(pool);
    }
    return r;
}

const char *iv_resolver_key(apr_pool_t *pool, iv_list list, const char *value)
{
    if (list == IV_LIST_COMMUNES)
        return iv_imp_commune_key(pool, value);
    if (list == IV_LIST_AGENTS)
        return iv_imp_name_key(pool, value);
    return iv_imp_key(pool, value);
}

static void index_key(iv_resolver *r, iv_list list, const char *key, const iv_ref *ref)
{
    if (*key && !apr_hash_get(r->by_key[list], key, APR_HASH_KEY_STRING))
        apr_hash_set(r->by_key[list], key, APR_HASH_KEY_STRING, ref);
}

void iv_resolver_add(iv_resolver *r, iv_list list, const char *code, const char *label,
                     int flag, int outside)
{
    /* NB: pointers into values[] would move when the array grows: refs live apart */
    iv_ref *ref = apr_palloc(r->pool, sizeof *ref);
    ref->code = apr_pstrdup(r->pool, code);
    ref->label = apr_pstrdup(r->pool, label);
    ref->flag = flag;
    ref->outside = outside;
    *(iv_ref *)apr_array_push(r->values[list]) = *ref;
    apr_hash_set(r->by_code[list], ref->code, APR_HASH_KEY_STRING, ref);
    index_key(r, list, iv_resolver_key(r->pool, list, label), ref);
    /* a code is also a spelling ("94080" for Vincennes, "telephone") */
    index_key(r, list, list == IV_LIST_AGENTS ? iv_imp_key(r->pool, code)
                                              : iv_resolver_key(r->pool, list, code), ref);
}

int iv_resolver_map(iv_resolver *r, iv_list list, const char *legacy_value, const char *code)
{
    const iv_ref *ref = apr_hash_get(r->by_code[list], code, APR_HASH_KEY_STRING);
    const char *key = iv_resolver_key(r->pool, list, iv_imp_squeeze(r->pool, legacy_value));
    if (!ref)
        return -1;
    if (*key)
        apr_hash_set(r->mapped[list], key, APR_HASH_KEY_STRING, ref);
    return 0;
}

/* 1 when the words of key are the first words of candidate. */
static int word_prefix(const char *key, const char *candidate)
{
    size_t n = strlen(key);
    return strncmp(key, candidate, n) == 0 && (candidate[n] == '_' || candidate[n] == '\0');
}

/* The only commune whose key starts with the words of key, or NULL. */
static const iv_ref *commune_by_prefix(iv_resolver *r, apr_pool_t *pool, const char *key)
{
    const iv_ref *found = NULL;
    if (!*key)
        return NULL;
    for (int i = 0; i < r->values[IV_LIST_COMMUNES]->nelts; i++) {
        const iv_ref *c = &APR_ARRAY_IDX(r->values[IV_LIST_COMMUNES], i, iv_ref);
        if (!word_prefix(key, iv_imp_commune_key(pool, c->label)))
            continue;
        if (found && strcmp(found->code, c->code) != 0)
            return NULL;
        found = apr_hash_get(r->by_code[IV_LIST_COMMUNES], c->code, APR_HASH_KEY_STRING);
    }
    return found;
}

const iv_ref *iv_resolve(iv_resolver *r, iv_list list, const char *value, iv_match *how)
{
    memo *m = apr_hash_get(r->memo[list], value, APR_HASH_KEY_STRING);
    if (m) {
        *how = m->how;
        return m->ref;
    }
    m = apr_pcalloc(r->pool, sizeof *m);
    const char *key = iv_resolver_key(r->pool, list, value);
    if ((m->ref = apr_hash_get(r->mapped[list], key, APR_HASH_KEY_STRING)))
        m->how = IV_MATCH_MAPPING;
    else if ((m->ref = apr_hash_get(r->by_key[list], key, APR_HASH_KEY_STRING)))
        m->how = strcmp(m->ref->label, value) == 0 ? IV_MATCH_SAME : IV_MATCH_KEY;
    else if (list == IV_LIST_COMMUNES && (m->ref = commune_by_prefix(r, r->pool, key)))
        m->how = IV_MATCH_PREFIX;
    else if (r->fuzzy[list] && (m->ref = fuzzy(r, list, key)))
        m->how = IV_MATCH_FUZZY;
    if (m->ref && m->how == IV_MATCH_MAPPING && strcmp(m->ref->label, value) == 0)
        m->how = IV_MATCH_SAME;
    apr_hash_set(r->memo[list], apr_pstrdup(r->pool, value), APR_HASH_KEY_STRING, m);
    *how = m->how;
    return m->ref;
}

int iv_resolver_count(const iv_resolver *r, iv_list list)
{
    return r->values[list]->nelts;
}

const iv_ref *iv_resolver_value(const iv_resolver *r, iv_list list, int i)
{
    return &APR_ARRAY_IDX(r->values[list], i, iv_ref);
}
