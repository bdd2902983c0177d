/* The pure parts of the legacy import (tools/import/): CSV, encodings, the
 * cleaning rules, the layout, the reference resolver and the row cleaner. */
#include <string.h>
#include "unit.h"
#include "apr_strings.h"
#include "clean.h"
#include "csv.h"
#include "encoding.h"
#include "layout.h"
#include "resolve.h"
#include "rowclean.h"
#include "refcode.h"
#include "validate.h"

/* ---------------------------------------------------------------- CSV */

static apr_array_header_t *parse_all(apr_pool_t *pool, const char *text, char sep)
{
    apr_array_header_t *records = apr_array_make(pool, 4, sizeof(apr_array_header_t *));
    char *buf = apr_pstrdup(pool, text);
    iv_csv c;
    iv_csv_init(&c, buf, strlen(buf), sep);
    for (;;) {
        apr_array_header_t *fields = apr_array_make(pool, 8, sizeof(char *));
        if (!iv_csv_next(&c, fields))
            break;
        *(apr_array_header_t **)apr_array_push(records) = fields;
    }
    return records;
}

#define FIELD(records, r, f) \
    APR_ARRAY_IDX(APR_ARRAY_IDX(records, r, apr_array_header_t *), f, const char *)
#define NFIELDS(records, r) (APR_ARRAY_IDX(records, r, apr_array_header_t *)->nelts)

static void test_csv_quotes_separators_newlines(void **state)
{
    apr_array_header_t *r = parse_all(*state,
        "a;b;c\r\n"
        "\"12; rue X\";\"il a dit \"\"non\"\"\";\"ligne 1\nligne 2\"\r\n"
        "x;;\r\n"
        "last;\"\";end", ';');
    assert_int_equal(r->nelts, 4);
    assert_string_equal(FIELD(r, 1, 0), "12; rue X");
    assert_string_equal(FIELD(r, 1, 1), "il a dit \"non\"");
    assert_string_equal(FIELD(r, 1, 2), "ligne 1\nligne 2");
    assert_int_equal(NFIELDS(r, 2), 3);
    assert_string_equal(FIELD(r, 2, 1), "");
    assert_string_equal(FIELD(r, 2, 2), "");
    assert_string_equal(FIELD(r, 3, 1), "");
    assert_string_equal(FIELD(r, 3, 2), "end");
}

static void test_csv_stray_quotes_and_line_ends(void **state)
{
    /* a quote inside an unquoted field, text after a closing quote, CR-only ends */
    apr_array_header_t *r = parse_all(*state, "12\" rue;\"M. \"Jo\" Durand\";z\rnext;1\n", ';');
    assert_int_equal(r->nelts, 2);
    assert_string_equal(FIELD(r, 0, 0), "12\" rue");
    assert_string_equal(FIELD(r, 0, 1), "M. \"Jo\" Durand");
    assert_string_equal(FIELD(r, 0, 2), "z");
    assert_string_equal(FIELD(r, 1, 0), "next");
}

static void test_csv_unterminated_quote(void **state)
{
    char *buf = apr_pstrdup(*state, "a;\"open\nnever closed");
    apr_array_header_t *f = apr_array_make(*state, 4, sizeof(char *));
    iv_csv c;
    iv_csv_init(&c, buf, strlen(buf), ';');
    assert_true(iv_csv_next(&c, f));
    assert_true(c.unterminated);
    assert_string_equal(APR_ARRAY_IDX(f, 1, const char *), "open\nnever closed");
    assert_false(iv_csv_next(&c, f));
}

static void test_csv_separator_detection(void **state)
{
    (void)state;
    assert_int_equal(iv_csv_detect_separator("N°;Année;Objet\n1,2;3", 20), ';');
    assert_int_equal(iv_csv_detect_separator("N°,Année,\"a;b\",Objet\n", 23), ',');
    assert_int_equal(iv_csv_detect_separator("a\tb\tc\n", 6), '\t');
    assert_int_equal(iv_csv_detect_separator("seul\n", 5), ';');
}

/* ---------------------------------------------------------------- encodings */

static void test_encoding_detection(void **state)
{
    (void)state;
    assert_int_equal(iv_enc_detect("Ville;Créteil", 14), IV_ENC_UTF8);
    assert_int_equal(iv_enc_detect("abc", 3), IV_ENC_UTF8);
    assert_int_equal(iv_enc_detect("\xEF\xBB\xBF" "abc", 6), IV_ENC_UTF8_BOM);
    assert_int_equal(iv_enc_detect("Cr\xE9teil \x80", 9), IV_ENC_CP1252);
    assert_int_equal(iv_enc_detect("\xFF\xFE" "a\0b\0", 6), IV_ENC_UTF16LE);
    assert_int_equal(iv_enc_detect("N\0\xB0\0;\0A\0n\0n\0", 12), IV_ENC_UTF16LE);
    assert_int_equal(iv_enc_detect("Créteil et Cr\xE9teil", 19), IV_ENC_MIXED);
}

static void test_encoding_conversion(void **state)
{
    size_t n;
    /* é, €, œ, ’ and a hole of Windows-1252 (0x81) made visible */
    const char cp[] = "Cr\xE9teil \x80 \x9C \x92 \x81";
    assert_string_equal(iv_enc_to_utf8(*state, IV_ENC_CP1252, cp, sizeof cp - 1, &n),
                        "Créteil € œ ’ \xEF\xBF\xBD");
    assert_string_equal(iv_enc_to_utf8(*state, IV_ENC_UTF8_BOM, "\xEF\xBB\xBFok", 5, &n), "ok");
    assert_string_equal(iv_enc_to_utf8(*state, IV_ENC_UTF16LE, "\xFF\xFE\xE9\0t\0\xAC\x20", 8, &n),
                        "ét€");
    assert_string_equal(iv_enc_to_utf8(*state, IV_ENC_MIXED, "Créteil et Cr\xE9teil", 19, &n),
                        "Créteil et Créteil");
    assert_string_equal(iv_enc_name(IV_ENC_CP1252), "Windows-1252");
}

/* ---------------------------------------------------------------- dates */

static const char *date_of(const char *s, const char **guess)
{
    static char out[17];
    return iv_imp_date(s, out, guess) == 1 ? out : NULL;
}

static void test_dates_formats(void **state)
{
    const char *guess;
    (void)state;
    assert_string_equal(date_of("23/06/2025 16:17", &guess), "2025-06-23 16:17");
    assert_null(guess);
    assert_string_equal(date_of("23/06/2025", &guess), "2025-06-23 00:00");
    assert_string_equal(date_of("2025-06-23", &guess), "2025-06-23 00:00");
    assert_string_equal(date_of("2025-06-23 16:17:00", &guess), "2025-06-23 16:17");
    assert_string_equal(date_of("2025-06-23T16:17", &guess), "2025-06-23 16:17");
    assert_string_equal(date_of("23.06.2025 16h17", &guess), "2025-06-23 16:17");
    assert_string_equal(date_of("23/06/2025 à 9h", &guess), "2025-06-23 09:00");
    assert_string_equal(date_of("3/6/2025", &guess), "2025-06-03 00:00");
    assert_null(guess);
    assert_string_equal(date_of("23-06-25", &guess), "2025-06-23 00:00");
    assert_string_equal(guess, "année écrite sur deux chiffres");
    assert_string_equal(date_of("23/06/98", &guess), "1998-06-23 00:00");
    /* 02:47 did not exist in Paris on 25/03/2007: read as PostgreSQL reads it */
    assert_string_equal(date_of("25/03/2007 02:47", &guess), "2007-03-25 03:47");
    assert_string_equal(date_of("18/03/2007 02:47", &guess), "2007-03-18 02:47");
}

static void test_dates_excel_and_guesses(void **state)
{
    const char *guess;
    (void)state;
    assert_string_equal(date_of("45831", &guess), "2025-06-23 00:00");
    assert_string_equal(guess, "numéro de série Excel converti en date");
    assert_string_equal(date_of("45831,6770833", &guess), "2025-06-23 16:15");
    assert_string_equal(date_of("45831.5", &guess), "2025-06-23 12:00");
    assert_string_equal(date_of("36526", &guess), "2000-01-01 00:00");
    /* month 13 cannot be: the typist wrote MM/JJ */
    assert_string_equal(date_of("06/23/2025", &guess), "2025-06-23 00:00");
    assert_string_equal(guess, "jour et mois inversés");
    const char *bad[] = { "31/02/2025", "hier", "??", "2025", "2025-13-01", "23/06/2025 25:00",
                          "23/06/2025 16:17:61", "23/06", "99999", "1234,5", NULL };
    for (int i = 0; bad[i]; i++)
        assert_null(date_of(bad[i], &guess));
    char out[17];
    assert_int_equal(iv_imp_date("", out, &guess), 0);
}

/* ---------------------------------------------------------------- names, titles */

static void test_person_names(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(iv_imp_person_name(p, "dupont jean"), "DUPONT Jean");
    assert_string_equal(iv_imp_person_name(p, "DUPONT JEAN-PIERRE"), "DUPONT Jean-Pierre");
    assert_string_equal(iv_imp_person_name(p, "Jean DUPONT"), "Jean DUPONT");
    assert_string_equal(iv_imp_person_name(p, "jean dupont"), "Jean DUPONT");
    assert_string_equal(iv_imp_person_name(p, "dupont"), "DUPONT");
    assert_string_equal(iv_imp_person_name(p, "martin thomas"), "MARTIN Thomas");
    assert_string_equal(iv_imp_person_name(p, "lefèvre hélène"), "LEFÈVRE Hélène");
    assert_string_equal(iv_imp_person_name(p, "ÉLODIE DURAND"), "Élodie DURAND");
    assert_string_equal(iv_imp_person_name(p, "le gall jean"), "LE GALL Jean");
    assert_string_equal(iv_imp_person_name(p, "jean de la fontaine"), "Jean DE LA FONTAINE");
    assert_string_equal(iv_imp_person_name(p, "n'diaye karim"), "N'DIAYE Karim");
    assert_string_equal(iv_imp_person_name(p, "DUPONT J."), "DUPONT J.");
    assert_string_equal(iv_imp_person_name(p, "DUPONT Jean"), "DUPONT Jean");
    assert_true(iv_imp_is_organisation(p, "Mairie de Vincennes"));
    assert_true(iv_imp_is_organisation(p, "SCI Les Tilleuls"));
    assert_false(iv_imp_is_organisation(p, "DUPONT Jean"));
}

static void test_titles(void **state)
{
    apr_pool_t *p = *state;
    const char *reason, *rest;
    assert_string_equal(iv_imp_title(p, "M.", &reason), "m");
    assert_null(reason);
    assert_string_equal(iv_imp_title(p, "Mme", &reason), "mme");
    const char *m[] = { "M", "Mr", "MR.", "Monsieur", "monsieur", NULL };
    for (int i = 0; m[i]; i++) {
        assert_string_equal(iv_imp_title(p, m[i], &reason), "m");
        assert_non_null(reason);
    }
    const char *mme[] = { "Madame", "MME", "Mlle", "Mademoiselle", NULL };
    for (int i = 0; mme[i]; i++)
        assert_string_equal(iv_imp_title(p, mme[i], &reason), "mme");
    assert_string_equal(reason, "Mademoiselle remplacé par Mme (usage de l'administration)");
    assert_string_equal(iv_imp_title(p, "", &reason), "");
    assert_string_equal(iv_imp_title(p, "M. et Mme", &reason), "m_mme");
    assert_null(iv_imp_title(p, "Dr", &reason));
    assert_string_equal(iv_imp_title_in_name("M. DUPONT Jean", &rest), "m");
    assert_string_equal(rest, "DUPONT Jean");
    assert_string_equal(iv_imp_title_in_name("Madame Martin", &rest), "mme");
    assert_string_equal(iv_imp_title_in_name("Mr et Mme Durand", &rest), "m_mme");
    assert_string_equal(rest, "Durand");
    assert_null(iv_imp_title_in_name("Monsieur", &rest));
    assert_null(iv_imp_title_in_name("MARTIN Marc", &rest));
}

/* ---------------------------------------------------------------- phones, e-mails */

static void test_phones_same_as_module(void **state)
{
    apr_pool_t *p = *state;
    const char *moved, *reason;
    /* whatever the form validate.c accepts, the import stores the same value */
    const char *typed[] = { "01 23 45 67 89", "01.23.45.67.89", "0123456789", "+33 1 23 45 67 89",
                            "+33 (0)1 23 45 67 89", "0033 1 23 45 67 89", "+32 2 123 45 67", NULL };
    for (int i = 0; typed[i]; i++)
        assert_string_equal(iv_imp_phone(p, typed[i], &moved, &reason),
                            iv_phone_normalize(p, typed[i]));
    iv_imp_phone(p, "01 23 45 67 89", &moved, &reason);
    assert_null(reason);                /* the form the application shows */
    iv_imp_phone(p, "01.23.45.67.89", &moved, &reason);
    assert_string_equal(reason, "téléphone mis au format");
}

static void test_phones_repaired_or_moved(void **state)
{
    apr_pool_t *p = *state;
    const char *moved, *reason;
    assert_string_equal(iv_imp_phone(p, "612345678", &moved, &reason), "0612345678");
    assert_null(moved);
    assert_string_equal(reason, "zéro initial ajouté (perdu par un tableur)");
    assert_string_equal(iv_imp_phone(p, "33612345678", &moved, &reason), "0612345678");
    assert_string_equal(iv_imp_phone(p, "01 23 45 67 89 / 06 12 34 56 78", &moved, &reason),
                        "0123456789");
    assert_string_equal(moved, "01 23 45 67 89 / 06 12 34 56 78");
    assert_string_equal(iv_imp_phone(p, "01 23 45 67 89 (bureau)", &moved, &reason), "0123456789");
    assert_string_equal(moved, "01 23 45 67 89 (bureau)");
    assert_string_equal(iv_imp_phone(p, "01 23 45", &moved, &reason), "");
    assert_string_equal(moved, "01 23 45");
    assert_string_equal(reason, "téléphone illisible, reporté en commentaire");
    assert_string_equal(iv_imp_phone(p, "", &moved, &reason), "");
    assert_null(moved);
}

static void test_emails(void **state)
{
    apr_pool_t *p = *state;
    const char *moved, *reason;
    assert_string_equal(iv_imp_email(p, "Jean.Dupont@Orange.FR", &moved, &reason),
                        "jean.dupont@orange.fr");
    assert_string_equal(reason, "courriel en minuscules");
    assert_string_equal(iv_imp_email(p, "mailto:<jean@free.fr>", &moved, &reason), "jean@free.fr");
    assert_string_equal(iv_imp_email(p, "jean @ free.fr", &moved, &reason), "jean@free.fr");
    assert_string_equal(iv_imp_email(p, "a@b.fr; c@d.fr", &moved, &reason), "a@b.fr");
    assert_string_equal(moved, "a@b.fr; c@d.fr");
    assert_string_equal(iv_imp_email(p, "jean chez free.fr", &moved, &reason), "");
    assert_string_equal(moved, "jean chez free.fr");
    assert_string_equal(iv_imp_email(p, "jean@free.fr", &moved, &reason), "jean@free.fr");
    assert_null(reason);
}

/* ---------------------------------------------------------------- text, keys, numbers */

static void test_squeeze_and_keys(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(iv_imp_squeeze(p, "  DUPONT \t  Jean\xC2\xA0 "), "DUPONT Jean");
    assert_string_equal(iv_imp_squeeze(p, "a\x01" "b"), "ab");
    assert_string_equal(iv_imp_squeeze_lines(p, "\n  un  \r\n\r\n\r\n deux \n\n"), "un\n\ndeux");
    assert_string_equal(iv_imp_upper(p, "élodie œuvre ÿ"), "ÉLODIE ŒUVRE Ÿ");
    assert_string_equal(iv_imp_commune_key(p, "94100 ST MAUR CEDEX"), "saint_maur");
    assert_string_equal(iv_imp_commune_key(p, "Saint Maur des Fossés"), "saint_maur_des_fosses");
    assert_string_equal(iv_imp_address_key(p, "12 bis, Bd de la République"),
                        "12bis_boulevard_republique");
    assert_string_equal(iv_imp_address_key(p, "N° 12bis boulevard République"),
                        "12bis_boulevard_republique");
    assert_string_equal(iv_imp_name_key(p, "Jean DUPONT"), iv_imp_name_key(p, "dupont jean"));
}

static void test_keys_match_refcode(void **state)
{
    /* the import's fast key and the admin pages' codes must agree */
    const char *labels[] = { "Saint-Maur-des-Fossés", "  L'Haÿ-les-Roses ", "Œuvre × ÷ Ÿ ß Æ þ",
                             "Débordement EP", "", "___", "12, rue \"du\" Puits (bis)",
                             "Пример", "ÀÉÎÕÜ àéîõü çÇñÑ", "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz "
                             "abcdefghijklmnopqrstuvwxyz", NULL };
    for (int i = 0; labels[i]; i++)
        assert_string_equal(iv_imp_key(*state, labels[i]), iv_ref_code_from_label(*state, labels[i]));
}

static void test_numbers_and_years(void **state)
{
    int year, guessed;
    (void)state;
    assert_int_equal(iv_imp_number("57", &year), 57);
    assert_int_equal(year, 0);
    assert_int_equal(iv_imp_number("0057", &year), 57);
    assert_int_equal(iv_imp_number("2025/57", &year), 57);
    assert_int_equal(year, 2025);
    assert_int_equal(iv_imp_number("57 / 2025", &year), 57);
    assert_int_equal(iv_imp_number("N° 57", &year), 57);
    assert_int_equal(iv_imp_number("12b?", &year), 0);
    assert_int_equal(iv_imp_number("", &year), 0);
    assert_int_equal(iv_imp_number("0", &year), 0);
    assert_int_equal(iv_imp_year("2025", &guessed), 2025);
    assert_int_equal(iv_imp_year("25", &guessed), 2025);
    assert_true(guessed);
    assert_int_equal(iv_imp_year("deux mille", &guessed), 0);
}

/* ---------------------------------------------------------------- layout */

static apr_array_header_t *cells(apr_pool_t *p, const char *line)
{
    return APR_ARRAY_IDX(parse_all(p, line, ';'), 0, apr_array_header_t *);
}

#define DEFAULT_HEADER "N°;Année;Origine;Date reçue;Nature demandeur;Titre;Nom demandeur;" \
    "Adresse;Ville;Téléphone;Courriel;Complément adresse;Objet;Complément objet;Transmise à;" \
    "Date transmission;Début intervention;Fin intervention;Commentaire;Réalisée par;Clôturée par"

static void test_layout_default_and_mapping(void **state)
{
    apr_pool_t *p = *state;
    iv_layout layout;
    iv_mapping mapping;

    assert_int_equal(iv_layout_from_header(p, cells(p, DEFAULT_HEADER), NULL, &layout), 0);
    assert_int_equal(layout.column_of[IV_IF_NUMERO], 0);
    assert_int_equal(layout.column_of[IV_IF_CLOTUREE_PAR], 20);
    /* other spellings of the same names */
    assert_int_equal(iv_layout_from_header(p, cells(p, "NUMERO;date recue;OBJET;adresse;ville;"
                                                       "origine;nature demandeur"), NULL, &layout), 0);
    assert_int_equal(layout.column_of[IV_IF_DATE_RECUE], 1);
    /* an unknown column stops everything; a mapping names or drops it */
    assert_int_equal(iv_layout_from_header(p, cells(p, DEFAULT_HEADER ";Observations;Quartier"),
                                           NULL, &layout), -1);
    assert_int_equal(layout.unknown->nelts, 2);
    assert_null(iv_mapping_parse(p, "# autre table\nObservations = Commentaire\nQuartier = -\n",
                                 &mapping));
    assert_int_equal(iv_layout_from_header(p, cells(p, "N°;Origine;Date reçue;Nature demandeur;"
                                                       "Adresse;Ville;Objet;Observations;Quartier"),
                                           &mapping, &layout), 0);
    assert_int_equal(layout.column_of[IV_IF_COMMENTAIRE], 7);
    assert_int_equal(layout.ignored->nelts, 1);
    assert_non_null(iv_mapping_parse(p, "Observations = Champ inconnu\n", &mapping));
    assert_non_null(iv_mapping_parse(p, "pas de signe égal\n", &mapping));
    /* a required field without a column */
    assert_int_equal(iv_layout_from_header(p, cells(p, "N°;Adresse"), NULL, &layout), -1);
    assert_true(layout.missing->nelts >= 5);
}

/* ---------------------------------------------------------------- resolver */

static iv_resolver *demo_refs(apr_pool_t *p)
{
    iv_resolver *r = iv_resolver_make(p);
    iv_resolver_add(r, IV_LIST_COMMUNES, "94068", "Saint-Maur-des-Fossés", 1, 0);
    iv_resolver_add(r, IV_LIST_COMMUNES, "94069", "Saint-Maurice", 1, 0);
    iv_resolver_add(r, IV_LIST_COMMUNES, "94080", "Vincennes", 1, 0);
    iv_resolver_add(r, IV_LIST_COMMUNES, "94028", "Créteil", 0, 1);
    iv_resolver_add(r, IV_LIST_ORIGINES, "telephone", "Téléphone", 0, 0);
    iv_resolver_add(r, IV_LIST_NATURES, "particulier", "Particulier", 0, 0);
    iv_resolver_add(r, IV_LIST_NATURES, "commune", "Commune", 1, 0);
    iv_resolver_add(r, IV_LIST_OBJETS, "odeurs", "Odeurs", 0, 0);
    iv_resolver_add(r, IV_LIST_EQUIPES, "exploitation", "Pôle exploitation", 0, 0);
    iv_resolver_add(r, IV_LIST_AGENTS, "intervenant", "Jérôme Petit", 0, 0);
    assert_int_equal(iv_resolver_map(r, IV_LIST_ORIGINES, "Tél", "telephone"), 0);
    assert_int_equal(iv_resolver_map(r, IV_LIST_OBJETS, "Mauvaises odeurs", "nope"), -1);
    return r;
}

static void test_resolver(void **state)
{
    iv_resolver *r = demo_refs(*state);
    iv_match how;
    const iv_ref *ref;

    ref = iv_resolve(r, IV_LIST_COMMUNES, "ST MAUR", &how);
    assert_string_equal(ref->code, "94068");          /* not Saint-Maurice */
    assert_int_equal(how, IV_MATCH_PREFIX);
    ref = iv_resolve(r, IV_LIST_COMMUNES, "Saint Maur des Fosses", &how);
    assert_string_equal(ref->code, "94068");
    assert_int_equal(how, IV_MATCH_KEY);
    assert_string_equal(iv_resolve(r, IV_LIST_COMMUNES, "ST MAURICE", &how)->code, "94069");
    assert_string_equal(iv_resolve(r, IV_LIST_COMMUNES, "94300 VINCENNES", &how)->code, "94080");
    assert_int_equal(iv_resolve(r, IV_LIST_COMMUNES, "Vincennes", &how)->flag, 1);
    assert_int_equal(how, IV_MATCH_SAME);
    assert_int_equal(iv_resolve(r, IV_LIST_COMMUNES, "Créteil", &how)->outside, 1);
    assert_null(iv_resolve(r, IV_LIST_COMMUNES, "Saint", &how));          /* ambiguous */
    assert_null(iv_resolve(r, IV_LIST_COMMUNES, "Vincenes", &how));       /* left to SQL */
    ref = iv_resolve(r, IV_LIST_ORIGINES, "TEL.", &how);
    assert_string_equal(ref->code, "telephone");
    assert_int_equal(how, IV_MATCH_MAPPING);
    assert_string_equal(iv_resolve(r, IV_LIST_ORIGINES, "telephone", &how)->code, "telephone");
    assert_int_equal(how, IV_MATCH_KEY);
    assert_string_equal(iv_resolve(r, IV_LIST_AGENTS, "PETIT Jérôme", &how)->code, "intervenant");
    assert_null(iv_resolve(r, IV_LIST_OBJETS, "Mauvaises odeurs", &how));
}

/* ---------------------------------------------------------------- row cleaner */

typedef struct {
    apr_pool_t *pool;
    apr_array_header_t *notes;      /* "field|action|reason" */
    int unknown;
} sink;

static void on_note(void *ctx, long row, const char *field, const char *original,
                    const char *value, const char *action, const char *reason)
{
    sink *s = ctx;
    (void)row, (void)original, (void)value;
    *(char **)apr_array_push(s->notes) = apr_pstrcat(s->pool, field, "|", action, "|", reason, NULL);
}

static void on_unknown(void *ctx, iv_list list, const char *value)
{
    (void)list, (void)value;
    ((sink *)ctx)->unknown++;
}

static int has_note(const sink *s, const char *text)
{
    for (int i = 0; i < s->notes->nelts; i++)
        if (strstr(APR_ARRAY_IDX(s->notes, i, const char *), text))
            return 1;
    return 0;
}

static void clean_line(apr_pool_t *p, const char *line, sink *s, iv_staged *out)
{
    static iv_layout layout;
    iv_layout_from_header(p, cells(p, DEFAULT_HEADER), NULL, &layout);
    iv_cleaner c = { &layout, demo_refs(p), "2026-01-01", on_note, s, on_unknown, s, 0,
                     apr_hash_make(p), p };
    s->pool = p;
    s->notes = apr_array_make(p, 8, sizeof(char *));
    s->unknown = 0;
    assert_int_equal(iv_clean_record(&c, p, 7, cells(p, line), out), 1);
}

static void test_row_clean_and_dirty(void **state)
{
    apr_pool_t *p = *state;
    sink s;
    iv_staged st;

    /* a row written as the application would: nothing to report */
    clean_line(p, "57;2025;Téléphone;23/06/2025 16:17;Particulier;M.;DUPONT Jean;12 rue de Paris;"
                  "Vincennes;01 23 45 67 89;jean@free.fr;;Odeurs;;Pôle exploitation;"
                  "23/06/2025 16:22;;;;;", &s, &st);
    assert_int_equal(s.notes->nelts, 0);
    assert_string_equal(st.v[SC_REJECTED], "f");
    assert_string_equal(st.v[SC_NUMERO], "57");
    assert_string_equal(st.v[SC_RECEIVED_AT], "2025-06-23 16:17");
    assert_string_equal(st.v[SC_COMMUNE_CODE], "94080");
    assert_string_equal(st.v[SC_STATUS], "transmise");
    assert_int_equal(strncmp(st.v[SC_LEGACY_KEY], "access:", 7), 0);
    assert_int_equal(strlen(st.v[SC_LEGACY_KEY]), 39);

    /* the same request typed by hand */
    clean_line(p, ";25;TEL.;23-06-25;particulier;Monsieur;dupont jean;12 rue de Paris;ST MAUR;"
                  "1 23 45 67 89;JEAN@FREE.FR;;Odeurs;;Equipe nuit;22/06/2025 10:00;;;;;Dédé", &s, &st);
    assert_string_equal(st.v[SC_REJECTED], "f");
    assert_null(st.v[SC_NUMERO]);
    assert_string_equal(st.v[SC_YEAR], "2025");
    assert_string_equal(st.v[SC_REQUESTER_NAME], "DUPONT Jean");
    assert_string_equal(st.v[SC_TITLE_CODE], "m");
    assert_string_equal(st.v[SC_COMMUNE_CODE], "94068");
    assert_string_equal(st.v[SC_PHONE], "0123456789");
    assert_string_equal(st.v[SC_EMAIL], "jean@free.fr");
    assert_null(st.v[SC_TEAM_CODE]);
    assert_string_equal(st.v[SC_TEAM_RAW], "Equipe nuit");
    assert_null(st.v[SC_TRANSMITTED_AT]);              /* before the reception: to the comment */
    assert_true(strstr(st.v[SC_COMMENT], "[Reprise Access] Date transmission : 22/06/2025 10:00"));
    assert_string_equal(st.v[SC_STATUS], "cloturee");
    assert_int_equal(s.unknown, 2);                    /* the team and the agent */
    assert_true(has_note(&s, "Nom demandeur|correction|nom de famille en capitales"));
    assert_true(has_note(&s, "Titre|correction|titre écrit sous sa forme courte"));
    assert_true(has_note(&s, "Origine|correction|valeur reconnue par la table de correspondance"));
    assert_true(has_note(&s, "Date reçue|correction|année écrite sur deux chiffres"));
    assert_true(has_note(&s, "Ville|correction|nom de commune complété"));
    assert_true(has_note(&s, "Téléphone|correction|zéro initial ajouté"));
    assert_true(has_note(&s, "Courriel|correction|courriel en minuscules"));
}

static void test_row_rejections(void **state)
{
    apr_pool_t *p = *state;
    sink s;
    iv_staged st;

    clean_line(p, "1;2025;Téléphone;;Particulier;M.;DUPONT Jean;;Vincennes;;;;;;;;;;;;", &s, &st);
    assert_string_equal(st.v[SC_REJECTED], "t");
    assert_true(has_note(&s, "Date reçue|rejet|champ obligatoire vide"));
    assert_true(has_note(&s, "Adresse|rejet|champ obligatoire vide"));
    assert_true(has_note(&s, "Objet|rejet|champ obligatoire vide"));

    clean_line(p, "1;2025;Téléphone;31/02/2025;Particulier;M.;X;1 rue A;Vincennes;;;;Odeurs;;;;;;;;",
               &s, &st);
    assert_true(has_note(&s, "Date reçue|rejet|date illisible"));
    clean_line(p, "1;2025;Téléphone;01/01/2091;Particulier;M.;X;1 rue A;Vincennes;;;;Odeurs;;;;;;;;",
               &s, &st);
    assert_true(has_note(&s, "Date reçue|rejet|date invraisemblable"));
    /* a separator typed in the address shifted the row */
    clean_line(p, "1;2025;Téléphone;01/01/2025;Particulier;M.;X;1; rue A;Vincennes;;;;Odeurs;;;;;;;;z",
               &s, &st);
    assert_string_equal(st.v[SC_REJECTED], "t");
    assert_true(has_note(&s, "ligne|rejet|22 colonnes au lieu de 21"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_csv_quotes_separators_newlines),
        POOL_TEST(test_csv_stray_quotes_and_line_ends),
        POOL_TEST(test_csv_unterminated_quote),
        POOL_TEST(test_csv_separator_detection),
        POOL_TEST(test_encoding_detection),
        POOL_TEST(test_encoding_conversion),
        POOL_TEST(test_dates_formats),
        POOL_TEST(test_dates_excel_and_guesses),
        POOL_TEST(test_person_names),
        POOL_TEST(test_titles),
        POOL_TEST(test_phones_same_as_module),
        POOL_TEST(test_phones_repaired_or_moved),
        POOL_TEST(test_emails),
        POOL_TEST(test_squeeze_and_keys),
        POOL_TEST(test_keys_match_refcode),
        POOL_TEST(test_numbers_and_years),
        POOL_TEST(test_layout_default_and_mapping),
        POOL_TEST(test_resolver),
        POOL_TEST(test_row_clean_and_dirty),
        POOL_TEST(test_row_rejections),
    };
    apr_initialize();
    return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
