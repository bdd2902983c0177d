/*
 * list_filters.h — the list's filters read from the URL, shared by every view of a
 * filtered list: the page (h_list.c), the exports (h_export.c) and the tour sheet
 * (h_tour.c). One reading, so an export holds exactly what the page showed.
 *
 * A bad value is ignored and noted in errors (field, message key, …) for the page
 * to show next to its field; the perimeter comes only from the session.
 */
#ifndef IV_LIST_FILTERS_H
#define IV_LIST_FILTERS_H

#include "list_query.h"
#include "store_list.h"

/* URL parameters (French, they show in the address bar and in bookmarks). */
#define IV_P_TEXT     "q"
#define IV_P_STATUS   "statut"
#define IV_P_COMMUNE  "commune"
#define IV_P_OBJECT   "objet"
#define IV_P_TEAM     "equipe"
#define IV_P_AGENT    "agent"
#define IV_P_ORIGIN   "origine"
#define IV_P_FROM     "du"
#define IV_P_TO       "au"
#define IV_P_PER_PAGE "par_page"
#define IV_P_PAGE     "page"
#define IV_P_SORT     "tri"
#define IV_P_DIR      "ordre"

typedef struct {
    apr_array_header_t *args;         /* iv_query_pair, as received */
    const char *param[IV_LIST_NFILTERS];  /* the statements' filter arguments */
    apr_array_header_t *errors;       /* const char *: field, key, field, key… */
    iv_list_refs refs;
    const iv_list_sort *sort;
    int desc;
    long per_page, page;
} iv_list_filters;

/* Loads the reference lists, checks every filter of r->args and sets the user's
 * perimeter. Returns 0, or non-zero when the database failed. */
int iv_list_filters_read(iv_req *rq, iv_list_filters *lf);

/* 1 when name is one of the list's URL parameters. */
int iv_list_filters_known(const char *name);

/* The query string of the current view (values as typed, empty and unknown ones left
 * out) without the names in skip (NULL-terminated). Ends with '&' when not empty. */
const char *iv_list_filters_query(apr_pool_t *p, const iv_list_filters *lf,
                                  const char *const *skip);

/* The label of code in list, or code itself when unknown (NULL stays NULL). */
const char *iv_list_label(const apr_array_header_t *list, const char *code);

/* The statement index of the current sort (store_list.h, iv_list_rows). */
int iv_list_filters_statement(const iv_list_filters *lf);

#endif
