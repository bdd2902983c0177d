/*
 * export_sql.h — the SQL of the exports (export.csv, export.xlsx, export.ods).
 *
 * The same filters and perimeter as the list page (IV_LIST_PARAMS and
 * IV_LIST_FILTER of list_sql.h, the same IV_LIST_NFILTERS arguments), every field
 * of the request, most recent first. Reference codes come as codes: the handler
 * has their labels already (list_filters.c), and a label per row and column by
 * subquery would cost more than the rest of the statement at a million rows.
 *
 * The rows are read through a cursor, FETCH by FETCH, so that neither the
 * database client nor httpd ever holds the whole result (libpq receives a
 * select's result whole). DECLARE and FETCH cannot be prepared by name
 * (PostgreSQL's PREPARE takes only SELECT, INSERT, UPDATE, DELETE and VALUES, and
 * the pgsql driver prepares with PREPARE: one such statement in a store table would
 * break every connection, STACK.md gotcha 3). store_export.c runs them as unnamed
 * statements instead: still parameters bound by the protocol, never user input
 * in the text.
 */
#ifndef IV_EXPORT_SQL_H
#define IV_EXPORT_SQL_H

#include "list_sql.h"

/* Date times in Paris time (the database's time zone), seconds included. */
#define IV_EXPORT_DT(col) "to_char(" col ", 'YYYY-MM-DD HH24:MI:SS')"

#define IV_EXPORT_COLUMNS \
    "i.year, i.number, i.status, i.origin_code, " IV_EXPORT_DT("i.received_at") ", " \
    "i.nature_code, i.title_code, i.requester_name, i.address, i.commune_code, i.phone, " \
    "i.email, i.address_complement, i.object_code, i.object_complement, i.team_code, " \
    IV_EXPORT_DT("i.transmitted_at") ", " IV_EXPORT_DT("i.planned_at") ", " \
    IV_EXPORT_DT("i.started_at") ", " IV_EXPORT_DT("i.ended_at") ", i.comment, " \
    "i.latitude, i.longitude, i.done_by, i.closed_by, i.assigned_agent, i.status_reason, " \
    IV_EXPORT_DT("i.created_at") ", i.created_by, " IV_EXPORT_DT("i.updated_at") ", " \
    "i.updated_by_name"

/* The columns above, in order. */
enum iv_export_sql_column {
    IV_X_YEAR, IV_X_NUMBER, IV_X_STATUS, IV_X_ORIGIN, IV_X_RECEIVED, IV_X_NATURE, IV_X_TITLE,
    IV_X_NAME, IV_X_ADDRESS, IV_X_COMMUNE, IV_X_PHONE, IV_X_EMAIL, IV_X_ADDRESS_MORE,
    IV_X_OBJECT, IV_X_OBJECT_MORE, IV_X_TEAM, IV_X_TRANSMITTED, IV_X_PLANNED, IV_X_STARTED,
    IV_X_ENDED, IV_X_COMMENT, IV_X_LATITUDE, IV_X_LONGITUDE, IV_X_DONE_BY, IV_X_CLOSED_BY,
    IV_X_ASSIGNED, IV_X_REASON, IV_X_CREATED, IV_X_CREATED_BY, IV_X_UPDATED, IV_X_UPDATED_BY,
    IV_X_NCOLUMNS
};

#define IV_EXPORT_CURSOR "iv_export"

/* Unnamed statements (see above). The order is the list's default one, read off
 * the index (received_at DESC, id DESC) or the filter's own index. */
#define IV_EXPORT_DECLARE_SQL \
    "DECLARE " IV_EXPORT_CURSOR " NO SCROLL CURSOR FOR " IV_LIST_PARAMS \
    "SELECT " IV_EXPORT_COLUMNS " FROM p, interventions i WHERE " IV_LIST_FILTER \
    " ORDER BY i.received_at DESC, i.id DESC"

/* Rows per FETCH: a few megabytes of result at most, and the response is flushed
 * to the client after each batch. */
#define IV_EXPORT_BATCH 2000
#define IV_EXPORT_TEXT_(n) #n
#define IV_EXPORT_TEXT(n) IV_EXPORT_TEXT_(n)
#define IV_EXPORT_FETCH_SQL "FETCH " IV_EXPORT_TEXT(IV_EXPORT_BATCH) " FROM " IV_EXPORT_CURSOR

/* Labelled: the natures of requesters, the one reference list the list page does
 * not load. Deactivated values too: old requests name them. */
#define IV_EXPORT_NATURES_SQL "SELECT code, label FROM requester_natures"

#endif
