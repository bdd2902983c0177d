#include <string.h>
#include "apr_strings.h"
#include "clean.h"
#include "layout.h"

const char *const iv_imp_field_names[IV_IF_COUNT] = {
    "N°", "Année", "Origine", "Date reçue", "Nature demandeur", "Titre", "Nom demandeur",
    "Adresse", "Ville", "Téléphone", "Courriel", "Complément adresse", "Objet",
    "Complément objet", "Transmise à", "Date transmission", "Début intervention",
    "Fin intervention", "Commentaire", "Réalisée par", "Clôturée par",
};

int iv_imp_field_required(iv_imp_field f)
{
    return f == IV_IF_ORIGINE || f == IV_IF_DATE_RECUE || f == IV_IF_NATURE
        || f == IV_IF_ADRESSE || f == IV_IF_VILLE || f == IV_IF_OBJET;
}

/* The field a column name means by default, or -1. "N°" has a key of "n"; the
 * other spellings of a number column are accepted too. */
static int field_of_name(apr_pool_t *pool, const char *name)
{
    static const char *const number_aliases[] = { "n", "no", "num", "numero", "n_demande",
                                                  "numero_demande" };
    const char *key = iv_imp_key(pool, name);
    for (size_t i = 0; i < sizeof number_aliases / sizeof *number_aliases; i++)
        if (strcmp(key, number_aliases[i]) == 0)
            return IV_IF_NUMERO;
    for (int f = 0; f < IV_IF_COUNT; f++)
        if (strcmp(key, iv_imp_key(pool, iv_imp_field_names[f])) == 0)
            return f;
    return -1;
}

const char *iv_mapping_parse(apr_pool_t *pool, const char *text, iv_mapping *out)
{
    char *copy = apr_pstrdup(pool, text), *state = NULL;
    int line_no = 0;

    out->columns = apr_hash_make(pool);
    for (char *line = copy; line; line = state) {
        char *eol = strchr(line, '\n'), *eq;
        state = eol ? eol + 1 : NULL;
        if (eol)
            *eol = '\0';
        line_no++;
        line = iv_imp_squeeze(pool, line);
        if (!*line || *line == '#')
            continue;
        if (!(eq = strrchr(line, '=')))
            return apr_psprintf(pool, "ligne %d : « colonne de la source = champ » attendu", line_no);
        *eq = '\0';
        const char *column = iv_imp_squeeze(pool, line), *target = iv_imp_squeeze(pool, eq + 1);
        int field = -1;
        if (!*column)
            return apr_psprintf(pool, "ligne %d : nom de colonne vide", line_no);
        if (strcmp(target, "-") != 0 && (field = field_of_name(pool, target)) < 0)
            return apr_psprintf(pool, "ligne %d : champ inconnu « %s » (les champs sont les "
                                "colonnes de la table Access, ou - pour ignorer la colonne)",
                                line_no, target);
        int *value = apr_palloc(pool, sizeof *value);
        *value = field;
        apr_hash_set(out->columns, iv_imp_key(pool, column), APR_HASH_KEY_STRING, value);
    }
    return NULL;
}

int iv_layout_from_header(apr_pool_t *pool, const apr_array_header_t *header,
                          const iv_mapping *mapping, iv_layout *out)
{
    out->ncolumns = header->nelts;
    out->unknown = apr_array_make(pool, 2, sizeof(char *));
    out->missing = apr_array_make(pool, 2, sizeof(char *));
    out->twice = apr_array_make(pool, 2, sizeof(char *));
    out->ignored = apr_array_make(pool, 2, sizeof(char *));
    out->blank = apr_array_make(pool, 2, sizeof(int));
    for (int f = 0; f < IV_IF_COUNT; f++)
        out->column_of[f] = -1;

    for (int c = 0; c < header->nelts; c++) {
        const char *name = iv_imp_squeeze(pool, APR_ARRAY_IDX(header, c, const char *));
        const int *mapped = mapping ? apr_hash_get(mapping->columns, iv_imp_key(pool, name),
                                                   APR_HASH_KEY_STRING) : NULL;
        int field = mapped ? *mapped : field_of_name(pool, name);
        if (!*name) {
            *(int *)apr_array_push(out->blank) = c;
            continue;
        }
        if (mapped && field < 0) {
            *(const char **)apr_array_push(out->ignored) = name;
            continue;
        }
        if (field < 0) {
            *(const char **)apr_array_push(out->unknown) = name;
            continue;
        }
        if (out->column_of[field] >= 0) {
            *(const char **)apr_array_push(out->twice) = iv_imp_field_names[field];
            continue;
        }
        out->column_of[field] = c;
    }
    for (int f = 0; f < IV_IF_COUNT; f++)
        if (out->column_of[f] < 0 && iv_imp_field_required(f))
            *(const char **)apr_array_push(out->missing) = iv_imp_field_names[f];
    return out->unknown->nelts || out->missing->nelts || out->twice->nelts ? -1 : 0;
}
