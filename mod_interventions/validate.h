/*
 * validate.h — checking and normalising what agents type in the request form.
 * Pure C (APR pools only): unit-tested without a server.
 */
#ifndef IV_VALIDATE_H
#define IV_VALIDATE_H

#include "apr_pools.h"

/* Normalises a phone number typed in any usual French way ("01 23 45 67 89",
 * "01.23.45.67.89", "0123456789", "+33 1 23 45 67 89", "+33 (0)1 23…", "0033 1…")
 * to its stored form: ten digits starting with 0 for French numbers, "+" and 6 to 15
 * digits for others. Returns NULL when it is not a phone number. */
const char *iv_phone_normalize(apr_pool_t *pool, const char *typed);

/* The stored form for display: "01 23 45 67 89" (others unchanged). */
const char *iv_phone_display(apr_pool_t *pool, const char *stored);

/* 1 for a plausible e-mail address: one @, a non-empty local part without
 * spaces, a domain with a dot and no empty label, at most 254 characters. */
int iv_email_valid(const char *s);

/* Parses a date and time typed as "JJ/MM/AAAA HH:MM", "JJ/MM/AAAA" (00:00),
 * "AAAA-MM-JJTHH:MM" or "AAAA-MM-JJ HH:MM" (the HTML datetime-local input) into
 * the canonical "AAAA-MM-JJ HH:MM" (local time; canonical strings compare in
 * time order). Returns NULL when the text is not a valid calendar date/time. */
const char *iv_datetime_parse(apr_pool_t *pool, const char *typed);

/* Same for a date alone: "JJ/MM/AAAA" or "AAAA-MM-JJ" → "AAAA-MM-JJ". */
const char *iv_date_parse(apr_pool_t *pool, const char *typed);

/* The canonical "AAAA-MM-JJ HH:MM" as the datetime-local input wants it. */
const char *iv_datetime_input(apr_pool_t *pool, const char *canonical);

#endif
