/*
 * clean.h — the cleaning rules of the legacy import, one function per kind of
 * value, as pure C over APR pools (unit-tested in tests/unit/test_import.c).
 *
 * Each function takes a value already squeezed (iv_imp_squeeze) unless said
 * otherwise, and returns the value to store; when the stored value says
 * something else than the source (white space aside), *reason gets the French
 * sentence the report prints, else NULL. What cannot be stored in its field is
 * handed back in *moved for the request's comment, so that nothing is lost.
 */
#ifndef IV_IMP_CLEAN_H
#define IV_IMP_CLEAN_H

#include "apr_pools.h"

/* Trimmed, every run of white space (tabs, line breaks, no-break spaces) one
 * space, control characters removed. Never NULL (NULL gives ""). */
char *iv_imp_squeeze(apr_pool_t *pool, const char *s);

/* The same for several lines of text (comments): line breaks kept as "\n", each
 * line squeezed, blank lines at both ends removed, blank runs made one. */
char *iv_imp_squeeze_lines(apr_pool_t *pool, const char *s);

/* Upper or lower case of UTF-8 text, for the Latin letters French uses. */
char *iv_imp_upper(apr_pool_t *pool, const char *s);
char *iv_imp_lower(apr_pool_t *pool, const char *s);

/* A matching key: lower case, no accents, every run of other characters one
 * "_" ("Saint Maur-des-Fossés" → "saint_maur_des_fosses"). Same as the codes
 * derived by the admin pages (refcode.c), so keys and codes compare. */
char *iv_imp_key(apr_pool_t *pool, const char *s);

/* A commune's key: iv_imp_key with "st"/"ste" spelled out and postal codes and
 * "cedex" removed ("94100 ST MAUR CEDEX" → "saint_maur"). */
char *iv_imp_commune_key(apr_pool_t *pool, const char *s);

/* An address's key for finding the same place typed twice: abbreviations of
 * street types spelled out ("bd" → "boulevard", "av." → "avenue"…), "n°"
 * dropped, "12 bis" and "12bis" alike. */
char *iv_imp_address_key(apr_pool_t *pool, const char *s);

/* A person's key: the words of the name in alphabetical order, so that
 * "Jean DUPONT" and "dupont jean" are the same requester. */
char *iv_imp_name_key(apr_pool_t *pool, const char *s);

/* Title → "m", "mme", "" for empty, "m_mme" for a couple ("M. et Mme"), or
 * NULL when it is none of these (kept for the comment by the caller). M, Mr,
 * M., Monsieur → m; Mme, Madame, Mlle, Mademoiselle → mme. *reason is set when
 * the source was not written "M." or "Mme". */
const char *iv_imp_title(apr_pool_t *pool, const char *s, const char **reason);

/* The title written at the start of a name ("M. DUPONT", "Madame Martin",
 * "M. et Mme Durand"): returns its code as iv_imp_title does and sets *rest to
 * the name after it; NULL when the name starts with no title. */
const char *iv_imp_title_in_name(const char *name, const char **rest);

/* A person's name as the application writes it: NOM in capitals, Prénom with
 * capital initials ("dupont jean-pierre" → "DUPONT Jean-Pierre"). Words typed
 * in capitals among others are the surname; else the words that are known
 * first names are the first names and the others the surname; when every word
 * is a first name, the first one is the surname (French lists put NOM first).
 * The order of the words is kept. */
char *iv_imp_person_name(apr_pool_t *pool, const char *s);

/* 1 when a requester's name is an organisation's (a town hall, a company, a
 * landlord: "Mairie de Vincennes", "SCI Les Tilleuls"), whose case is kept. */
int iv_imp_is_organisation(apr_pool_t *pool, const char *s);

/* Phone → the stored form of validate.c's iv_phone_normalize, "" when none can
 * be read. Also reads a number whose leading 0 a spreadsheet dropped
 * ("612345678"), "33 1 23…" without its "+", and two numbers in one field (the
 * second goes to *moved); text around a number goes to *moved whole. */
const char *iv_imp_phone(apr_pool_t *pool, const char *s, const char **moved,
                         const char **reason);

/* E-mail → lower case, "mailto:" and <> removed, checked by iv_email_valid; ""
 * and the text in *moved when it is not an address; a second address goes to
 * *moved. */
const char *iv_imp_email(apr_pool_t *pool, const char *s, const char **moved,
                         const char **reason);

/* A date, with or without a time, in the forms the legacy file holds:
 * 23/06/2025 16:17, 23/06/2025, 23/6/25, 23-06-25, 23.06.2025, 2025-06-23,
 * 2025-06-23 16:17:00, 2025-06-23T16:17, 16h17 for the time, and Excel's serial
 * numbers (45831 or 45831,6770833). Two-digit years are 20yy below 50, else
 * 19yy. Day and month are French (JJ/MM) unless only the other order makes a
 * date. out receives "AAAA-MM-JJ HH:MM" (00:00 without a time). Returns 0 for an
 * empty value, 1 for a date, -1 when it cannot be read; *guess (may stay NULL)
 * tells why the reading is a guess: two-digit year, serial number, day and
 * month swapped. */
int iv_imp_date(const char *s, char out[17], const char **guess);

/* The legacy number: "57", "0057", "2025/57", "57/2025", "N° 57". Returns the
 * number (1 to 9 999 999) or 0; *year gets a year written with it, or 0. */
long iv_imp_number(const char *s, int *year);

/* The year column: "2025", or "25" (guessed as for dates). 0 when unreadable. */
int iv_imp_year(const char *s, int *guessed);

#endif
