/*
 * tour_sql.h — the SQL of the tour sheet (fiches.pdf): the requests the list's
 * filters select (list_sql.h, the very same clause and perimeter), in the order
 * of a round: commune, then street, then house number.
 *
 * The filters may select a million requests; the sheet prints 500 at most. So
 * the matching ids are read first without any order and cut at IV_TOUR_MAX + 1
 * (the scan stops there, whatever the table's size), and only those are sorted:
 * IV_TOUR_MAX + 1 rows back mean "too many", and the handler prints nothing.
 *
 * Placeholders: the IV_LIST_NFILTERS filter values, then the limit.
 */
#ifndef IV_TOUR_SQL_H
#define IV_TOUR_SQL_H

#include "list_sql.h"

#define IV_TOUR_MAX 500

/* The street: the address without its leading house number, a range ("12-14"),
 * a suffix ("bis", "ter", "quater", "B") or a comma. "12 Terrasse…" keeps its
 * "Terrasse": a suffix must end a word (\M). */
#define IV_TOUR_STREET \
    "regexp_replace(i.address, '^\\s*\\d+(\\s*[-/]\\s*\\d+)?\\s*" \
    "((bis|ter|quater|[a-z])\\M)?[\\s,]*', '', 'i')"
/* The house number as a number (2 before 10); at most 9 digits, so that a
 * mistyped "123456789012 rue…" cannot overflow the cast and fail the sheet. */
#define IV_TOUR_HOUSE "substring(i.address from '^\\s*(\\d{1,9})')::int"

#define IV_TOUR_IDS_SQL \
    IV_LIST_PARAMS \
    "SELECT s.id FROM (SELECT i.id FROM p, interventions i WHERE " IV_LIST_FILTER \
    " LIMIT %d) s JOIN interventions i ON i.id = s.id" \
    " JOIN communes c ON c.code = i.commune_code" \
    " ORDER BY c.label COLLATE iv_fr, " IV_TOUR_STREET " COLLATE iv_fr, " \
    IV_TOUR_HOUSE " NULLS FIRST, i.address COLLATE iv_fr, i.id"

/* Every request printed gets its history row, in one statement: the ids as one
 * comma-separated argument (placeholders: ids, login, display name). Read through
 * the table, so that a request deleted meanwhile is skipped, not a failed sheet. */
#define IV_TOUR_PRINTED_SQL \
    "INSERT INTO intervention_history (intervention_id, login, display_name, kind, new_value)" \
    " SELECT i.id, %s, %s, 'impression', 'tournee' FROM interventions i" \
    " WHERE i.id = ANY (string_to_array(%s, ',')::bigint[])"

#endif
