/*
 * import.h — one run of the legacy import: options, state, and the steps that
 * main.c runs in order inside a single transaction (so that a failure at any
 * point leaves the database as it was):
 *
 *   refs.c    reference lists and correspondence table → resolver
 *   stage.c   temporary tables; COPY of the cleaned rows, notes, unknown values
 *   steps.c   unknown values, rejections, already imported, duplicates, numbers
 *   merge.c   interventions, history, communes, yearly counters
 *   check.c   counts per year and per commune, source against database
 *   report.c  the report CSV, the summary, the imports row
 */
#ifndef IV_IMP_IMPORT_H
#define IV_IMP_IMPORT_H

#include <libpq-fe.h>
#include "apr_pools.h"
#include "apr_hash.h"
#include "apr_tables.h"
#include "csv.h"
#include "encoding.h"
#include "firsts.h"
#include "layout.h"
#include "resolve.h"
#include "pg.h"
#include "source.h"

typedef struct {
    apr_pool_t *pool;
    PGconn *conn;
    PGconn *lookup;             /* second connection, opened for fuzzy lookups during COPY */

    /* options */
    const char *source_path;
    const char *report_dir;
    const char *conninfo;
    const char *mapping_path;
    const char *table;
    const char *login;
    const char *display_name;
    const char *index_mode;     /* auto, keep or rebuild */
    int dry_run;
    int create_missing;

    /* the source */
    iv_source src;
    iv_encoding encoding;
    char separator;
    char *text;                 /* UTF-8 */
    size_t text_len;
    iv_csv csv;                 /* positioned after the header row */
    iv_layout layout;
    iv_resolver *refs;
    const char *today;

    /* the run */
    const char *import_id;
    long records;               /* source records staged */
    long blank_records;         /* records without any data, skipped */
    long notes_count;
    apr_hash_t *unknown;        /* "list\x1fvalue" → unknown value */
    iv_copybuf notes;           /* for imp_notes */
    iv_copybuf raw;             /* for imp_raw */
    iv_copybuf cand;            /* for imp_cand */
    iv_firsts by_sig, by_place, by_number;

    /* outcome */
    long n_read, n_imported, n_corrected, n_duplicate, n_rejected, n_already;
    int bulk;                   /* indexes rebuilt instead of maintained */
    const char *written[2];     /* report files written (removed if the run fails) */
    apr_array_header_t *timings;    /* "step 1,2 s" strings */
} iv_import;

/* Each step returns 0, or -1 after printing why (the caller rolls back). */
int iv_refs_load(iv_import *im);
int iv_stage_create(iv_import *im);
int iv_stage_load(iv_import *im);
int iv_steps_resolve(iv_import *im);
int iv_steps_dedup(iv_import *im);
int iv_steps_number(iv_import *im);
int iv_merge(iv_import *im);
int iv_check(iv_import *im, apr_array_header_t *lines);
/* Fills summary with intro, the counts and reasons, checks and the report's
 * path; writes the report and the summary to report_dir and the imports row. */
int iv_report(iv_import *im, const apr_array_header_t *intro, const apr_array_header_t *checks,
              apr_array_header_t *summary);

/* Seconds on a monotonic clock; iv_timing records "step 1,2 s" since start. */
double iv_clock(void);
void iv_timing(iv_import *im, const char *step, double start);

/* The strings of arr joined by sep. */
const char *iv_join(apr_pool_t *pool, const apr_array_header_t *arr, const char *sep);

/* s cut or padded with spaces to width characters (UTF-8 code points). */
const char *iv_pad(apr_pool_t *pool, const char *s, int width);

/* Prints a French error about the run (prefix "interventions-import : "). */
void iv_import_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
