/*
 * rowclean.h — one source record → one staged row and its report notes. Every
 * rule of clean.h is applied here, field by field, with the reference lists of
 * resolve.h; what cannot be stored where it was typed goes to the request's
 * comment ("[Reprise Access] Téléphone : …"), and every change says why in a
 * note. Required values missing or unreadable reject the row. Pure C over APR
 * pools: the tool streams the staged rows to PostgreSQL with COPY, the unit
 * tests look at them directly.
 */
#ifndef IV_IMP_ROWCLEAN_H
#define IV_IMP_ROWCLEAN_H

#include <stdint.h>
#include "apr_pools.h"
#include "apr_tables.h"
#include "layout.h"
#include "resolve.h"

/* Columns of the staging table, in COPY order. A NULL value is SQL NULL.
 * *_raw: the source text of a reference value no rule resolved (NULL when
 * resolved or empty); SQL resolves or reports it. */
typedef enum {
    SC_SRC_ROW, SC_LEGACY_KEY, SC_NUMERO, SC_NUMERO_RAW, SC_YEAR, SC_ORIGIN_CODE,
    SC_ORIGIN_RAW, SC_RECEIVED_AT, SC_NATURE_CODE, SC_NATURE_RAW, SC_TITLE_CODE,
    SC_REQUESTER_NAME, SC_NAME_KEY, SC_ADDRESS, SC_ADDR_KEY, SC_COMMUNE_CODE, SC_COMMUNE_RAW,
    SC_PHONE, SC_EMAIL, SC_ADDRESS_COMPLEMENT, SC_OBJECT_CODE, SC_OBJECT_RAW,
    SC_OBJECT_COMPLEMENT, SC_TEAM_CODE, SC_TEAM_RAW, SC_TRANSMITTED_AT, SC_STARTED_AT,
    SC_ENDED_AT, SC_COMMENT, SC_DONE_CODE, SC_DONE_RAW, SC_CLOSED_CODE, SC_CLOSED_RAW,
    SC_STATUS, SC_REJECTED,
    SC_COUNT
} iv_sc;

/* "name type" of each column, for CREATE TABLE. */
extern const char *const iv_sc_columns[SC_COUNT];

typedef struct {
    const char *v[SC_COUNT];
} iv_staged;

/* What the report's "traitement" column says. */
#define IV_ACT_CORRECTION "correction"
#define IV_ACT_COMMENT    "report en commentaire"
#define IV_ACT_REJECT     "rejet"
#define IV_ACT_DUPLICATE  "doublon"
#define IV_ACT_RENUMBER   "renumérotation"
#define IV_ACT_FLAG       "signalement"
#define IV_ACT_CREATE     "création"

/* The field of a note about the whole row. */
#define IV_FIELD_ROW "ligne"

/* Receives a note: field is a column name of the Access table (or "ligne"),
 * original the source text, value what is stored (may be ""), action one of
 * IV_ACT_*, reason a French sentence. Strings live in the row's pool. */
typedef void iv_note_fn(void *ctx, long row, const char *field, const char *original,
                        const char *value, const char *action, const char *reason);

/* Receives a reference value no rule resolved (once per row and field). */
typedef void iv_unknown_fn(void *ctx, iv_list list, const char *value);

typedef struct {
    const iv_layout *layout;
    iv_resolver *refs;
    const char *today;          /* "AAAA-MM-JJ": a later Date reçue is refused */
    iv_note_fn *note;
    void *note_ctx;
    iv_unknown_fn *unknown;
    void *unknown_ctx;
    /* Records may end with empty cells beyond the header (an exporter's trailing
     * separator): set when the first record does. Otherwise a record longer than
     * the header is a shifted one (a separator typed in a field) and rejected. */
    int trailing_empty_ok;
    /* Optional (NULL: none): names already cased, so that the same requester's
     * name, typed a thousand times, is worked out once. Lives in memo_pool. */
    apr_hash_t *names;
    apr_pool_t *memo_pool;
} iv_cleaner;

/* Cleans one record (cells: char * in source column order). Returns 0 for a
 * record without any data (skipped: not a request), else 1 with *out filled
 * (SC_REJECTED "t" when a required value is missing or unreadable). */
int iv_clean_record(const iv_cleaner *c, apr_pool_t *pool, long src_row,
                    const apr_array_header_t *cells, iv_staged *out);

/* The source key of a record: "access:" and 32 hex digits of the SHA-256 of
 * its squeezed values in field order. */
const char *iv_legacy_key(apr_pool_t *pool, const char *const squeezed[IV_IF_COUNT]);

/* The staged columns two exact duplicates share: every cleaned value but the
 * number, the year and the bookkeeping ones (an unresolved reference counts by
 * its text). steps.c compares the same columns, as iv_exact_columns_sql. */
extern const iv_sc iv_exact_columns[];
extern const int iv_exact_count;
#define IV_EXACT_COLUMNS_SQL "origin_code, origin_raw, received_at, nature_code, nature_raw," \
    " title_code, requester_name, address, commune_code, commune_raw, phone, email," \
    " address_complement, object_code, object_raw, object_complement, team_code, team_raw," \
    " transmitted_at, started_at, ended_at, comment, done_code, done_raw, closed_code," \
    " closed_raw, status"

/* A 64-bit hash of the values (NULL counts as a marker): the key under which
 * stage.c looks for exact duplicates while streaming (SQL then compares the
 * candidates' values themselves, so a collision only adds a candidate). */
uint64_t iv_values_hash(const char *const *values, int n);

#endif
