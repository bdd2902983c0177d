/*
 * list_query.h — the list page's URL, without httpd: reading the query string,
 * checking each filter value, the sort table, paging arithmetic, and writing the
 * query string of links back. Unit-tested alone (tests/unit/test_list_query.c).
 */
#ifndef IV_LIST_QUERY_H
#define IV_LIST_QUERY_H

#include "apr_pools.h"
#include "apr_tables.h"

/* One name=value of a query string, decoded. ok is 0 when the value was not valid
 * UTF-8 (it is then ""): the page shows a message rather than failing. */
typedef struct {
    const char *name;
    const char *value;
    int ok;
} iv_query_pair;

/* Splits args (r->args: "a=1&b=x+y%C3%A9", NULL allowed) into an array of
 * iv_query_pair, in order, repeated names kept ("statut" may come several times).
 * '+' is a space; a malformed %-escape is kept as typed; C0 controls other than TAB
 * are dropped. Never fails. */
apr_array_header_t *iv_query_parse(apr_pool_t *pool, const char *args);

/* First value of name, or NULL. */
const iv_query_pair *iv_query_get(const apr_array_header_t *pairs, const char *name);

/* Appends "name=value&" to *qs, URL-encoded (application/x-www-form-urlencoded). */
void iv_query_append(apr_pool_t *pool, char **qs, const char *name, const char *value);

/* A date typed as JJ/MM/AAAA (also J/M/AAAA, with '-' or '.' between) or as the HTML
 * date input sends it, AAAA-MM-JJ. Writes the ISO form to iso[11] and returns 1 for
 * a real calendar date of years 1900-2199, else 0. Spaces around are ignored. */
int iv_list_parse_date(const char *s, char iso[11]);

/* What a search for s means as a request number:
 *   IV_LIST_NUMBER_NONE       plain text;
 *   IV_LIST_NUMBER_ANY_YEAR   digits only ("58"): number 58 of any year, and text;
 *   IV_LIST_NUMBER_YEAR       "2026/58", "2026 / 58", "N° 2026 / 58": only that one.
 * *year and *number are set for the last two (number of 1 to 9 digits). */
typedef enum {
    IV_LIST_NUMBER_NONE,
    IV_LIST_NUMBER_ANY_YEAR,
    IV_LIST_NUMBER_YEAR
} iv_list_number_kind;
iv_list_number_kind iv_list_parse_number(const char *s, int *year, long *number);

/* A positive decimal integer of at most 9 digits (spaces around allowed). */
int iv_list_parse_positive(const char *s, long *out);

/* 1 when per is one of the page sizes offered (25, 50, 100). */
int iv_list_per_page_allowed(long per);

/* Sort columns, in the order of IV_LIST_ROW_STATEMENTS (list_sql.h): sort i
 * ascending is statement 2i, descending 2i + 1. */
typedef struct {
    const char *key;             /* value of "tri" in the URL */
    const char *statement;       /* statement name: iv_list_<statement>_asc|desc */
    int first_desc;              /* a first click sorts descending (dates, numbers) */
} iv_list_sort;

extern const iv_list_sort iv_list_sorts[];
extern const int iv_list_sorts_count;
#define IV_LIST_DEFAULT_SORT 0   /* date received, most recent first */

/* The sort whose key is key, or NULL. */
const iv_list_sort *iv_list_sort_find(const char *key);

/* The count is exact up to this many requests; beyond, the page says "more than"
 * and offers only the pages within it (40 of 25): a narrower filter shows the rest.
 * Counting costs one index entry, or one heap row for free text, per request counted:
 * measured at a million rows, a cap of 10,000 made the count most of a page's SQL
 * (0.7 ms index-only, 15 ms for a common word), a cap of 1,000 a tenth of that. */
#define IV_LIST_COUNT_CAP 1000

/* Beyond this many estimated requests, the count is not run: the page says "more
 * than" the cap at once. The planner's estimates of the list's filters (one column
 * each, or a word of the text index) are within a factor of a few; ten times the cap
 * leaves that margin, and a wrong guess only offers pages that turn out empty (the
 * page beyond the end is then counted exactly, list.error.page_beyond). */
#define IV_LIST_ESTIMATE_TRUSTED (10.0 * IV_LIST_COUNT_CAP)

/* Paging: the number of pages for total rows (at least 1), given the count cap: a
 * capped count (total > cap) offers only the pages within the cap. */
long iv_list_pages(long total, long cap, long per_page);

/* Page numbers to show around current among pages: writes up to max entries to out
 * (0 stands for a gap "…"), always with the first and the last page. Returns the
 * number written. */
int iv_list_page_window(long current, long pages, long *out, int max);

#endif
