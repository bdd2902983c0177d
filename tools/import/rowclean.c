#include <string.h>
#include <openssl/evp.h>
#include "apr_strings.h"
#include "clean.h"
#include "rowclean.h"

const char *const iv_sc_columns[SC_COUNT] = {
    "src_row integer", "legacy_key text", "numero integer", "numero_raw text", "year integer",
    "origin_code text", "origin_raw text", "received_at timestamptz", "nature_code text",
    "nature_raw text", "title_code text", "requester_name text", "name_key text",
    "address text", "addr_key text", "commune_code text", "commune_raw text", "phone text",
    "email text", "address_complement text", "object_code text", "object_raw text",
    "object_complement text", "team_code text", "team_raw text", "transmitted_at timestamptz",
    "started_at timestamptz", "ended_at timestamptz", "comment text", "done_code text",
    "done_raw text", "closed_code text", "closed_raw text", "status text", "rejected boolean",
};

#define COMMENT_PREFIX "[Reprise Access] "

/* The row being cleaned. */
typedef struct {
    const iv_cleaner *c;
    apr_pool_t *pool;
    long row;
    const char *sq[IV_IF_COUNT];        /* squeezed source values */
    iv_staged *out;
    apr_array_header_t *moved;          /* comment lines for what has no field */
    int rejected;
} row_state;

static void note(row_state *st, iv_imp_field f, const char *value, const char *action,
                 const char *reason)
{
    st->c->note(st->c->note_ctx, st->row, iv_imp_field_names[f], st->sq[f], value, action,
                reason);
}

static void reject(row_state *st, iv_imp_field f, const char *reason)
{
    note(st, f, "", IV_ACT_REJECT, reason);
    st->rejected = 1;
}

/* Keeps text for the comment, under the name of the field it came from. */
static void move_to_comment(row_state *st, iv_imp_field f, const char *text, const char *reason)
{
    *(const char **)apr_array_push(st->moved) =
        apr_pstrcat(st->pool, COMMENT_PREFIX, iv_imp_field_names[f], " : ", text, NULL);
    note(st, f, "", IV_ACT_COMMENT, reason);
}

static void set(row_state *st, iv_sc col, const char *value)
{
    st->out->v[col] = value;
}

/* prefix and 32 hex digits of the SHA-256 of the values, each followed by 0x1F
 * (NULL counts as "\x1e"). The values are joined first: one digest call per row
 * costs far less than one update per value (measured: the EVP calls, not the
 * hashing, took a quarter of the cleaning time). */
static const char *digest(apr_pool_t *pool, const char *prefix, const char *const *values, int n)
{
    static const char hex[] = "0123456789abcdef";
    static EVP_MD *sha256;      /* fetched once: the tool is single-threaded */
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    size_t plen = strlen(prefix), total = 0;
    char *joined, *o, *out = apr_palloc(pool, plen + 32 + 1);

    if (!sha256)
        sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    for (int i = 0; i < n; i++)
        total += (values[i] ? strlen(values[i]) : 1) + 1;
    joined = o = apr_palloc(pool, total + 1);
    for (int i = 0; i < n; i++) {
        o = stpcpy(o, values[i] ? values[i] : "\x1e");
        *o++ = '\x1f';
    }
    EVP_Digest(joined, total, md, &md_len, sha256, NULL);
    memcpy(out, prefix, plen);
    for (int i = 0; i < 16; i++) {
        out[plen + 2 * i] = hex[md[i] >> 4];
        out[plen + 2 * i + 1] = hex[md[i] & 15];
    }
    out[plen + 32] = '\0';
    return out;
}

const char *iv_legacy_key(apr_pool_t *pool, const char *const squeezed[IV_IF_COUNT])
{
    return digest(pool, "access:", squeezed, IV_IF_COUNT);
}

const iv_sc iv_exact_columns[] = {
    SC_ORIGIN_CODE, SC_ORIGIN_RAW, SC_RECEIVED_AT, SC_NATURE_CODE, SC_NATURE_RAW, SC_TITLE_CODE,
    SC_REQUESTER_NAME, SC_ADDRESS, SC_COMMUNE_CODE, SC_COMMUNE_RAW, SC_PHONE, SC_EMAIL,
    SC_ADDRESS_COMPLEMENT, SC_OBJECT_CODE, SC_OBJECT_RAW, SC_OBJECT_COMPLEMENT, SC_TEAM_CODE,
    SC_TEAM_RAW, SC_TRANSMITTED_AT, SC_STARTED_AT, SC_ENDED_AT, SC_COMMENT, SC_DONE_CODE,
    SC_DONE_RAW, SC_CLOSED_CODE, SC_CLOSED_RAW, SC_STATUS,
};
const int iv_exact_count = (int)(sizeof iv_exact_columns / sizeof *iv_exact_columns);

/* Eight bytes at a time, multiply and mix (the SHA-256 it replaces took a
 * seventh of the cleaning time). */
uint64_t iv_values_hash(const char *const *values, int n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < n; i++) {
        const char *v = values[i] ? values[i] : "\x1e";
        size_t len = strlen(v), k = 0;
        for (; k + 8 <= len; k += 8) {
            uint64_t w;
            memcpy(&w, v + k, 8);
            h = (h ^ w) * 0xff51afd7ed558ccdULL;
            h ^= h >> 32;
        }
        uint64_t tail = 0;
        memcpy(&tail, v + k, len - k);
        h = (h ^ tail ^ ((uint64_t)len << 56)) * 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
    }
    return h;
}

/* ---------------------------------------------------------------- references */

static const char *match_reason(iv_match how)
{
    switch (how) {
    case IV_MATCH_KEY:     return "écriture de la liste de référence";
    case IV_MATCH_MAPPING: return "valeur reconnue par la table de correspondance";
    case IV_MATCH_PREFIX:  return "nom de commune complété";
    case IV_MATCH_FUZZY:   return "commune rapprochée par similarité";
    default:               return NULL;
    }
}

/* Resolves field f in list: sets code_col, or raw_col (and tells the unknown
 * callback) when no rule knows the value. Returns the reference or NULL. */
static const iv_ref *resolve_field(row_state *st, iv_imp_field f, iv_list list, iv_sc code_col,
                                   iv_sc raw_col)
{
    iv_match how;
    const iv_ref *ref;

    if (!*st->sq[f])
        return NULL;
    ref = iv_resolve(st->c->refs, list, st->sq[f], &how);
    if (!ref) {
        set(st, raw_col, st->sq[f]);
        st->c->unknown(st->c->unknown_ctx, list, st->sq[f]);
        return NULL;
    }
    set(st, code_col, ref->code);
    if (how != IV_MATCH_SAME)
        note(st, f, ref->label, IV_ACT_CORRECTION, match_reason(how));
    return ref;
}

static void required_ref(row_state *st, iv_imp_field f, iv_list list, iv_sc code_col,
                         iv_sc raw_col)
{
    if (!*st->sq[f])
        reject(st, f, "champ obligatoire vide");
    else
        resolve_field(st, f, list, code_col, raw_col);
}

/* ---------------------------------------------------------------- fields */

static void number_and_year(row_state *st, int *year)
{
    int number_year = 0, guessed = 0;
    long number = iv_imp_number(st->sq[IV_IF_NUMERO], &number_year);

    if (number > 0)
        set(st, SC_NUMERO, apr_ltoa(st->pool, number));
    else if (*st->sq[IV_IF_NUMERO])
        set(st, SC_NUMERO_RAW, st->sq[IV_IF_NUMERO]);
    *year = iv_imp_year(st->sq[IV_IF_ANNEE], &guessed);
    if (*year && guessed)
        note(st, IV_IF_ANNEE, apr_itoa(st->pool, *year), IV_ACT_CORRECTION,
             "année écrite sur deux chiffres");
    else if (!*year && *st->sq[IV_IF_ANNEE])
        note(st, IV_IF_ANNEE, "", IV_ACT_CORRECTION,
             "année illisible : celle du numéro ou de la date reçue est prise");
    if (!*year)
        *year = number_year;
}

/* Parses a date field into col; optional dates that cannot be read go to the
 * comment. Returns 1 when a date was stored. */
static int date_field(row_state *st, iv_imp_field f, iv_sc col, char out[17])
{
    const char *guess;
    int rc = iv_imp_date(st->sq[f], out, &guess);
    if (rc < 0) {
        if (f == IV_IF_DATE_RECUE)
            reject(st, f, "date illisible");
        else
            move_to_comment(st, f, st->sq[f], "date illisible, reportée en commentaire");
        return 0;
    }
    if (rc == 0)
        return 0;
    if (guess)
        note(st, f, out, IV_ACT_CORRECTION, guess);
    set(st, col, apr_pstrdup(st->pool, out));
    return 1;
}

static void received(row_state *st, int *year)
{
    char d[17];
    if (!*st->sq[IV_IF_DATE_RECUE]) {
        reject(st, IV_IF_DATE_RECUE, "champ obligatoire vide");
        return;
    }
    if (!date_field(st, IV_IF_DATE_RECUE, SC_RECEIVED_AT, d))
        return;
    if (strncmp(d, "1980", 4) < 0 || strncmp(d, st->c->today, 10) > 0) {
        set(st, SC_RECEIVED_AT, NULL);
        reject(st, IV_IF_DATE_RECUE, "date invraisemblable (avant 1980 ou après aujourd'hui)");
        return;
    }
    if (!*year)
        *year = (int)apr_atoi64(apr_pstrndup(st->pool, d, 4));
}

/* Transmission before reception, end before start: the same day, a time typed
 * roughly (aligned on the earlier one); otherwise the later date is wrong and
 * goes to the comment (the database refuses such a pair). */
static void date_order(row_state *st, iv_imp_field f, iv_sc col, iv_sc before_col)
{
    const char *v = st->out->v[col], *before = st->out->v[before_col];
    if (!v || !before || strcmp(v, before) >= 0)
        return;
    if (strncmp(v, before, 10) == 0) {
        set(st, col, before);
        note(st, f, before, IV_ACT_CORRECTION,
             f == IV_IF_FIN ? "heure de fin antérieure au début le même jour : alignée sur le début"
                            : "heure antérieure à la réception le même jour : alignée sur la réception");
        return;
    }
    set(st, col, NULL);
    move_to_comment(st, f, st->sq[f],
                    f == IV_IF_FIN ? "date de fin antérieure au début, reportée en commentaire"
                                   : "date antérieure à la date reçue, reportée en commentaire");
}

static void dates(row_state *st)
{
    char d[17];
    date_field(st, IV_IF_DATE_TRANSMISSION, SC_TRANSMITTED_AT, d);
    date_field(st, IV_IF_DEBUT, SC_STARTED_AT, d);
    date_field(st, IV_IF_FIN, SC_ENDED_AT, d);
    date_order(st, IV_IF_DATE_TRANSMISSION, SC_TRANSMITTED_AT, SC_RECEIVED_AT);
    date_order(st, IV_IF_FIN, SC_ENDED_AT, SC_STARTED_AT);
}

typedef struct {
    const char *cased;          /* the name as stored (without the couple's prefix) */
    const char *key;            /* iv_imp_name_key of it */
    int organisation;
} name_memo;

/* The name after its title, cased unless it is an organisation's. */
static const name_memo *cased_name(row_state *st, const char *name, int institution)
{
    const iv_cleaner *c = st->c;
    const char *k = NULL;
    name_memo *m;
    apr_pool_t *pool = c->names ? c->memo_pool : st->pool;

    if (c->names) {
        k = apr_pstrcat(st->pool, institution ? "1" : "0", name, NULL);
        if ((m = apr_hash_get(c->names, k, APR_HASH_KEY_STRING)))
            return m;
    }
    m = apr_palloc(pool, sizeof *m);
    m->organisation = institution || iv_imp_is_organisation(st->pool, name);
    m->cased = apr_pstrdup(pool, m->organisation ? name : iv_imp_person_name(st->pool, name));
    m->key = apr_pstrdup(pool, iv_imp_name_key(st->pool, m->cased));
    if (c->names)
        apr_hash_set(c->names, apr_pstrdup(pool, k), APR_HASH_KEY_STRING, m);
    return m;
}

static void title_and_name(row_state *st, const iv_ref *nature)
{
    const char *reason, *title = iv_imp_title(st->pool, st->sq[IV_IF_TITRE], &reason);
    const char *name = st->sq[IV_IF_NOM], *rest, *prefix = "";
    const char *in_name = iv_imp_title_in_name(name, &rest);

    if (!title) {
        move_to_comment(st, IV_IF_TITRE, st->sq[IV_IF_TITRE], "titre inconnu, reporté en commentaire");
        title = "";
    } else if (reason) {
        note(st, IV_IF_TITRE, strcmp(title, "m") == 0 ? "M." : "Mme", IV_ACT_CORRECTION, reason);
    }
    int title_removed = 0;
    if (in_name && (!*title || strcmp(title, in_name) == 0)) {
        if (!*title && strcmp(in_name, "m_mme") != 0)
            note(st, IV_IF_TITRE, strcmp(in_name, "m") == 0 ? "M." : "Mme", IV_ACT_CORRECTION,
                 "titre trouvé au début du nom");
        title = in_name;
        name = rest;
        title_removed = 1;
    }
    if (strcmp(title, "m_mme") == 0) {
        /* no title of the list says "both": the couple stays in the name */
        prefix = "M. et Mme ";
        title = "";
    }
    const name_memo *m = cased_name(st, name, nature && (nature->flag
                                                         || strcmp(nature->code, "entreprise") == 0
                                                         || strcmp(nature->code, "bailleur") == 0));
    const char *cased = m->cased;
    int recased = strcmp(cased, name) != 0;
    name = *prefix ? apr_pstrcat(st->pool, prefix, cased, NULL) : cased;
    if (strcmp(name, st->sq[IV_IF_NOM]) != 0)
        note(st, IV_IF_NOM, name, IV_ACT_CORRECTION,
             title_removed && recased ? "titre retiré du nom ; nom de famille en capitales, "
                                        "prénom en minuscules"
             : title_removed ? "titre retiré du nom"
             : "nom de famille en capitales, prénom en minuscules");
    set(st, SC_TITLE_CODE, *title ? title : NULL);
    set(st, SC_REQUESTER_NAME, name);
    set(st, SC_NAME_KEY, *prefix ? iv_imp_name_key(st->pool, name) : m->key);
}

static void contact(row_state *st)
{
    const char *moved, *reason, *v;

    v = iv_imp_phone(st->pool, st->sq[IV_IF_TELEPHONE], &moved, &reason);
    set(st, SC_PHONE, v);
    if (moved)
        move_to_comment(st, IV_IF_TELEPHONE, moved, reason);
    else if (reason)
        note(st, IV_IF_TELEPHONE, v, IV_ACT_CORRECTION, reason);

    v = iv_imp_email(st->pool, st->sq[IV_IF_COURRIEL], &moved, &reason);
    set(st, SC_EMAIL, v);
    if (moved)
        move_to_comment(st, IV_IF_COURRIEL, moved, reason);
    else if (reason)
        note(st, IV_IF_COURRIEL, v, IV_ACT_CORRECTION, reason);
}

static void commune(row_state *st)
{
    const iv_ref *ref;
    if (!*st->sq[IV_IF_VILLE]) {
        reject(st, IV_IF_VILLE, "champ obligatoire vide");
        return;
    }
    ref = resolve_field(st, IV_IF_VILLE, IV_LIST_COMMUNES, SC_COMMUNE_CODE, SC_COMMUNE_RAW);
    if (ref && (ref->outside || !ref->flag))
        note(st, IV_IF_VILLE, ref->label, IV_ACT_FLAG, "commune hors territoire");
}

/* Closed when Clôturée par is filled, réalisée when Fin intervention or
 * Réalisée par is, en cours when Début intervention is, transmise when Transmise
 * à or Date transmission is, else nouvelle. */
static const char *status(row_state *st)
{
    const char *const *v = st->out->v;
    if (*st->sq[IV_IF_CLOTUREE_PAR])
        return "cloturee";
    if (v[SC_ENDED_AT] || *st->sq[IV_IF_REALISEE_PAR])
        return "realisee";
    if (v[SC_STARTED_AT])
        return "en_cours";
    if (v[SC_TRANSMITTED_AT] || *st->sq[IV_IF_TRANSMISE_A])
        return "transmise";
    return "nouvelle";
}

/* More cells than the header: a separator typed inside a field shifted the
 * row, and nothing of it can be trusted (unless these are the empty cells of a
 * trailing separator, see iv_cleaner). Returns 0 when the row is rejected. */
static int check_shape(row_state *st, const apr_array_header_t *cells)
{
    const iv_layout *layout = st->c->layout;
    int extra_data = 0;
    if (cells->nelts <= layout->ncolumns)
        return 1;
    for (int i = layout->ncolumns; i < cells->nelts; i++)
        extra_data |= *iv_imp_squeeze(st->pool, APR_ARRAY_IDX(cells, i, const char *)) != '\0';
    if (!extra_data && st->c->trailing_empty_ok)
        return 1;
    const char *all = apr_array_pstrcat(st->pool, cells, '|');
    st->c->note(st->c->note_ctx, st->row, IV_FIELD_ROW, iv_imp_squeeze(st->pool, all), "",
                IV_ACT_REJECT,
                apr_psprintf(st->pool, "%d colonnes au lieu de %d (séparateur dans un champ ?)",
                             cells->nelts, layout->ncolumns));
    st->rejected = 1;
    return 0;
}

static int unnamed_data(row_state *st, const apr_array_header_t *cells)
{
    const apr_array_header_t *blank = st->c->layout->blank;
    int found = 0;
    for (int i = 0; i < blank->nelts; i++) {
        int col = APR_ARRAY_IDX(blank, i, int);
        if (col >= cells->nelts)
            break;
        const char *v = iv_imp_squeeze(st->pool, APR_ARRAY_IDX(cells, col, const char *));
        if (!*v)
            continue;
        found = 1;
        *(const char **)apr_array_push(st->moved) =
            apr_psprintf(st->pool, COMMENT_PREFIX "colonne %d : %s", col + 1, v);
    }
    return found;
}

int iv_clean_record(const iv_cleaner *c, apr_pool_t *pool, long src_row,
                    const apr_array_header_t *cells, iv_staged *out)
{
    row_state st = { c, pool, src_row, { 0 }, out, NULL, 0 };
    int any = 0, year = 0;

    memset(out, 0, sizeof *out);
    for (int f = 0; f < IV_IF_COUNT; f++) {
        int col = c->layout->column_of[f];
        const char *raw = col >= 0 && col < cells->nelts ? APR_ARRAY_IDX(cells, col, const char *) : "";
        st.sq[f] = f == IV_IF_COMMENTAIRE ? iv_imp_squeeze_lines(pool, raw) : iv_imp_squeeze(pool, raw);
        any |= *st.sq[f] != '\0';
    }
    st.moved = apr_array_make(pool, 2, sizeof(char *));
    int unnamed = unnamed_data(&st, cells);
    if (!any && !unnamed && cells->nelts <= c->layout->ncolumns)
        return 0;
    set(&st, SC_SRC_ROW, apr_ltoa(pool, src_row));
    set(&st, SC_LEGACY_KEY, iv_legacy_key(pool, st.sq));
    if (unnamed)
        c->note(c->note_ctx, src_row, IV_FIELD_ROW, "", "", IV_ACT_COMMENT,
                "données sous une colonne sans nom, reportées en commentaire");
    if (check_shape(&st, cells)) {
        number_and_year(&st, &year);
        required_ref(&st, IV_IF_ORIGINE, IV_LIST_ORIGINES, SC_ORIGIN_CODE, SC_ORIGIN_RAW);
        received(&st, &year);
        const iv_ref *nature = NULL;
        if (!*st.sq[IV_IF_NATURE])
            reject(&st, IV_IF_NATURE, "champ obligatoire vide");
        else
            nature = resolve_field(&st, IV_IF_NATURE, IV_LIST_NATURES, SC_NATURE_CODE, SC_NATURE_RAW);
        title_and_name(&st, nature);
        /* the application asks a name of every requester but an institution; an
         * unresolved nature is checked by SQL once resolved */
        if (nature && !nature->flag && !*st.out->v[SC_REQUESTER_NAME] && *st.sq[IV_IF_NATURE])
            reject(&st, IV_IF_NOM, "champ obligatoire vide (le demandeur n'est pas une institution)");
        if (!*st.sq[IV_IF_ADRESSE])
            reject(&st, IV_IF_ADRESSE, "champ obligatoire vide");
        set(&st, SC_ADDRESS, st.sq[IV_IF_ADRESSE]);
        set(&st, SC_ADDR_KEY, iv_imp_address_key(pool, st.sq[IV_IF_ADRESSE]));
        commune(&st);
        contact(&st);
        set(&st, SC_ADDRESS_COMPLEMENT, st.sq[IV_IF_COMPL_ADRESSE]);
        required_ref(&st, IV_IF_OBJET, IV_LIST_OBJETS, SC_OBJECT_CODE, SC_OBJECT_RAW);
        set(&st, SC_OBJECT_COMPLEMENT, st.sq[IV_IF_COMPL_OBJET]);
        resolve_field(&st, IV_IF_TRANSMISE_A, IV_LIST_EQUIPES, SC_TEAM_CODE, SC_TEAM_RAW);
        dates(&st);
        resolve_field(&st, IV_IF_REALISEE_PAR, IV_LIST_AGENTS, SC_DONE_CODE, SC_DONE_RAW);
        resolve_field(&st, IV_IF_CLOTUREE_PAR, IV_LIST_AGENTS, SC_CLOSED_CODE, SC_CLOSED_RAW);
        if (year)
            set(&st, SC_YEAR, apr_itoa(pool, year));
        set(&st, SC_STATUS, status(&st));
    }
    const char *comment = st.sq[IV_IF_COMMENTAIRE];
    if (st.moved->nelts) {
        const char *extra = apr_array_pstrcat(pool, st.moved, '\n');
        comment = *comment ? apr_pstrcat(pool, comment, "\n\n", extra, NULL) : extra;
    }
    set(&st, SC_COMMENT, comment);
    set(&st, SC_REJECTED, st.rejected ? "t" : "f");
    return 1;
}
