/*
 * layout.h — the columns of the legacy table and how a source's header maps to
 * them. The default layout is the Access table's (its header row); a mapping
 * file adapts any other: one line per source column, "Source column = Field"
 * where Field is one of the Access column names below, or "-" to leave the
 * column out on purpose. A column that is neither known nor mapped stops the
 * import before anything is read: its data would otherwise be lost unseen.
 * Names compare without case, accents or punctuation ("Date recue" = "Date
 * reçue"). Pure C (APR pools only).
 */
#ifndef IV_IMP_LAYOUT_H
#define IV_IMP_LAYOUT_H

#include "apr_pools.h"
#include "apr_tables.h"
#include "apr_hash.h"

typedef enum {
    IV_IF_NUMERO, IV_IF_ANNEE, IV_IF_ORIGINE, IV_IF_DATE_RECUE, IV_IF_NATURE, IV_IF_TITRE,
    IV_IF_NOM, IV_IF_ADRESSE, IV_IF_VILLE, IV_IF_TELEPHONE, IV_IF_COURRIEL,
    IV_IF_COMPL_ADRESSE, IV_IF_OBJET, IV_IF_COMPL_OBJET, IV_IF_TRANSMISE_A,
    IV_IF_DATE_TRANSMISSION, IV_IF_DEBUT, IV_IF_FIN, IV_IF_COMMENTAIRE, IV_IF_REALISEE_PAR,
    IV_IF_CLOTUREE_PAR,
    IV_IF_COUNT
} iv_imp_field;

/* The Access table's column names, in its order ("N°", "Année", … "Clôturée par"). */
extern const char *const iv_imp_field_names[IV_IF_COUNT];

/* Fields every source must have a column for: without them no row could be
 * imported (they are required in the application). */
int iv_imp_field_required(iv_imp_field f);

/* A mapping file: source column key → field number, or -1 for "left out". */
typedef struct {
    apr_hash_t *columns;
} iv_mapping;

/* Parses a mapping file's text. Returns NULL, or a French sentence naming the
 * line at fault. */
const char *iv_mapping_parse(apr_pool_t *pool, const char *text, iv_mapping *out);

typedef struct {
    int column_of[IV_IF_COUNT];    /* source column of each field, -1 when absent */
    int ncolumns;                  /* columns of the header */
    apr_array_header_t *unknown;   /* names (char *) of columns neither known nor mapped */
    apr_array_header_t *missing;   /* names of required fields without a column */
    apr_array_header_t *twice;     /* names of fields two columns claim */
    apr_array_header_t *ignored;   /* names of columns left out by the mapping */
    apr_array_header_t *blank;     /* numbers (int) of columns without a name */
} iv_layout;

/* Matches a header row (char * cells) against the default names and the
 * mapping (may be NULL). Returns 0 when the layout is usable (no unknown,
 * missing or doubled column), else -1 with the lists filled. Empty header cells
 * are allowed (a trailing separator): the row cleaner reports data found in them. */
int iv_layout_from_header(apr_pool_t *pool, const apr_array_header_t *header,
                          const iv_mapping *mapping, iv_layout *out);

#endif
