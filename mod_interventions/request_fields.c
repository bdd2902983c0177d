#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "request_fields.h"
#include "text.h"
#include "validate.h"

#define TEXT_MAX 200
#define LONG_TEXT_MAX 4000

static const iv_field fields[] = {
    { "origine",            IV_F_SELECT,   IV_G_DEMANDE,      "origine", 1, 0 },
    { "date_recue",         IV_F_DATETIME, IV_G_DEMANDE,      NULL,      1, 0 },
    { "nature",             IV_F_SELECT,   IV_G_DEMANDE,      "nature",  1, 0 },
    { "titre",              IV_F_SELECT,   IV_G_DEMANDE,      "titre",   0, 0 },
    { "nom",                IV_F_TEXT,     IV_G_DEMANDE,      NULL,      0, TEXT_MAX },
    { "adresse",            IV_F_TEXT,     IV_G_DEMANDE,      NULL,      1, TEXT_MAX },
    { "ville",              IV_F_SELECT,   IV_G_DEMANDE,      "ville",   1, 0 },
    { "telephone",          IV_F_PHONE,    IV_G_DEMANDE,      NULL,      0, 40 },
    { "courriel",           IV_F_EMAIL,    IV_G_DEMANDE,      NULL,      0, 254 },
    { "complement_adresse", IV_F_TEXT,     IV_G_DEMANDE,      NULL,      0, TEXT_MAX },
    { "objet",              IV_F_SELECT,   IV_G_DEMANDE,      "objet",   1, 0 },
    { "complement_objet",   IV_F_TEXTAREA, IV_G_DEMANDE,      NULL,      0, LONG_TEXT_MAX },
    { "equipe",             IV_F_SELECT,   IV_G_INTERVENTION, "equipe",  0, 0 },
    { "date_transmission",  IV_F_DATETIME, IV_G_INTERVENTION, NULL,      0, 0 },
    { "debut",              IV_F_DATETIME, IV_G_INTERVENTION, NULL,      0, 0 },
    { "fin",                IV_F_DATETIME, IV_G_INTERVENTION, NULL,      0, 0 },
    { "commentaire",        IV_F_TEXTAREA, IV_G_INTERVENTION, NULL,      0, LONG_TEXT_MAX },
    { "latitude",           IV_F_NUMBER,   IV_G_INTERVENTION, NULL,      0, 20 },
    { "longitude",          IV_F_NUMBER,   IV_G_INTERVENTION, NULL,      0, 20 },
    { "realisee_par",       IV_F_SELECT,   IV_G_REALISEE,     "agent",   0, 0 },
    { "cloturee_par",       IV_F_SELECT,   IV_G_REALISEE,     "agent",   0, 0 },
};

const iv_field *iv_request_fields(size_t *n)
{
    *n = sizeof fields / sizeof *fields;
    return fields;
}

const iv_field *iv_request_field(const char *name)
{
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

static const char *lower_ascii(apr_pool_t *pool, const char *s)
{
    char *copy = apr_pstrdup(pool, s);
    for (char *p = copy; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return copy;
}

/* A decimal coordinate within [-limit, limit], or NULL. */
static const char *coordinate(apr_pool_t *pool, const char *typed, double limit)
{
    char *end, *copy = apr_pstrdup(pool, typed);
    for (char *p = copy; *p; p++)
        if (*p == ',')
            *p = '.';               /* French decimal comma */
    double v = strtod(copy, &end);
    if (end == copy || *end || v < -limit || v > limit)
        return NULL;
    return copy;
}

/* The stored value of one field, or NULL with *error set. */
static const char *check_value(apr_pool_t *pool, const iv_field *f, const char *v,
                               const char **error,
                               int (*known_code)(void *, const char *, const char *), void *ctx)
{
    const char *out = v;

    if (f->max_length && strlen(v) > f->max_length) {
        *error = "error.field.too_long";
        return NULL;
    }
    switch (f->kind) {
    case IV_F_SELECT:
        if (!known_code(ctx, f->list, v))
            *error = "error.field.unknown_choice";
        break;
    case IV_F_DATETIME:
        if (!(out = iv_datetime_parse(pool, v)))
            *error = "error.field.datetime";
        break;
    case IV_F_PHONE:
        if (!(out = iv_phone_normalize(pool, v)))
            *error = "error.field.phone";
        break;
    case IV_F_EMAIL:
        out = lower_ascii(pool, v);
        if (!iv_email_valid(out))
            *error = "error.field.email";
        break;
    case IV_F_NUMBER:
        if (!(out = coordinate(pool, v, strcmp(f->name, "latitude") == 0 ? 90 : 180)))
            *error = "error.field.coordinate";
        break;
    default:
        break;
    }
    return *error ? NULL : out;
}

/* Rules between fields: name unless institution, end after start, transmission
 * after reception, both coordinates or none. */
static void cross_checks(apr_table_t *clean, apr_table_t *errors,
                         int (*is_institution)(void *, const char *), void *ctx)
{
    const char *nature = apr_table_get(clean, "nature");
    const char *received = apr_table_get(clean, "date_recue");
    const char *sent = apr_table_get(clean, "date_transmission");
    const char *start = apr_table_get(clean, "debut"), *end = apr_table_get(clean, "fin");
    const char *lat = apr_table_get(clean, "latitude"), *lon = apr_table_get(clean, "longitude");

    if (nature && *nature && !*apr_table_get(clean, "nom") && !is_institution(ctx, nature)
        && !apr_table_get(errors, "nom"))
        apr_table_setn(errors, "nom", "error.field.name_required");
    if (start && end && *start && *end && strcmp(end, start) < 0)
        apr_table_setn(errors, "fin", "error.field.end_before_start");
    if (received && sent && *received && *sent && strcmp(sent, received) < 0)
        apr_table_setn(errors, "date_transmission", "error.field.sent_before_received");
    if (lat && lon && (*lat == '\0') != (*lon == '\0'))
        apr_table_setn(errors, *lat ? "longitude" : "latitude", "error.field.coordinate_pair");
}

int iv_request_validate(apr_pool_t *pool, apr_table_t *input, apr_table_t *clean,
                        apr_table_t *errors,
                        int (*is_institution)(void *ctx, const char *nature),
                        int (*known_code)(void *ctx, const char *list, const char *code),
                        void *ctx)
{
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const iv_field *f = &fields[i];
        const char *typed = apr_table_get(input, f->name), *error = NULL, *value;
        typed = iv_trim(pool, typed ? typed : "");
        if (!*typed) {
            if (f->required)
                apr_table_setn(errors, f->name, "error.field.required");
            apr_table_setn(clean, f->name, "");
            continue;
        }
        value = check_value(pool, f, typed, &error, known_code, ctx);
        if (error)
            apr_table_setn(errors, f->name, error);
        apr_table_setn(clean, f->name, value ? value : "");
    }
    cross_checks(clean, errors, is_institution, ctx);
    return apr_table_elts(errors)->nelts;
}
