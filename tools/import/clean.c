#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "apr_tables.h"
#include "clean.h"
#include "refcode.h"
#include "textwrap.h"
#include "validate.h"

/* ---------------------------------------------------------------- UTF-8 */

/* The code point at *p, *p moved past it (textwrap.c decodes). The string ends
 * with a NUL, which no sequence takes as a continuation byte: "s + 4" never lets
 * the decoder read past it. */
static unsigned long next_cp(const unsigned char **p)
{
    const char *s = (const char *)*p;
    unsigned long cp = iv_utf8_next(&s, s + 4);
    *p = (const unsigned char *)s;
    return cp;
}

static char *put_cp(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Latin-1 Supplement and Latin Extended-A: what French names use. */
static unsigned long cp_upper(unsigned long c)
{
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c == 0xFF) return 0x178;
    if (c >= 0x100 && c <= 0x137) return c & ~1UL;
    if (c >= 0x139 && c <= 0x148) return (c & 1) ? c : c - 1;
    if (c >= 0x14A && c <= 0x177) return c & ~1UL;
    if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c : c - 1;
    return c;
}

static unsigned long cp_lower(unsigned long c)
{
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if (c >= 0x100 && c <= 0x137) return c | 1;
    if (c >= 0x139 && c <= 0x148) return (c & 1) ? c + 1 : c;
    if (c >= 0x14A && c <= 0x177) return c | 1;
    if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c + 1 : c;
    return c;
}

static int cp_is_letter(unsigned long c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7);
}

static char *recase(apr_pool_t *pool, const char *s, int upper)
{
    /* case pairs of these blocks have the same UTF-8 length, except ÿ/Ÿ (2 → 2) */
    char *out = apr_palloc(pool, strlen(s) * 2 + 1), *o = out;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned long c = next_cp(&p);
        o = put_cp(o, upper ? cp_upper(c) : cp_lower(c));
    }
    *o = '\0';
    return out;
}

char *iv_imp_upper(apr_pool_t *pool, const char *s) { return recase(pool, s, 1); }
char *iv_imp_lower(apr_pool_t *pool, const char *s) { return recase(pool, s, 0); }

/* ---------------------------------------------------------------- white space */

/* Length of a white space character at p (ASCII white space, no-break and other
 * Unicode spaces), or 0. */
static size_t space_at(const unsigned char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
        return 1;
    if (p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF))
        return 3;
    return 0;
}

/* Length of a control character at p that has no place in text, or 0. */
static size_t control_at(const unsigned char *p)
{
    if (*p < 0x20 || *p == 0x7F)
        return 1;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2;
    return 0;
}

/* 1 when s is already squeezed: no white space at either end, none doubled, no
 * other white space than ' ', no control character. Most cells are. */
static int squeezed_already(const unsigned char *p)
{
    if (*p == ' ')
        return 0;
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7F || (*p == ' ' && (p[1] == ' ' || !p[1])))
            return 0;
        if (*p >= 0xC2 && (space_at(p) || control_at(p)))
            return 0;
    }
    return 1;
}

char *iv_imp_squeeze(apr_pool_t *pool, const char *s)
{
    char *out, *o;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int pending = 0;

    if (squeezed_already(p))
        return apr_pstrdup(pool, (const char *)p);

    out = o = apr_palloc(pool, strlen((const char *)p) + 1);
    while (*p) {
        size_t n = space_at(p);
        if (n) {
            pending = o > out;
            p += n;
            continue;
        }
        if ((n = control_at(p))) {
            p += n;
            continue;
        }
        if (pending)
            *o++ = ' ';
        pending = 0;
        *o++ = (char)*p++;
    }
    *o = '\0';
    return out;
}

char *iv_imp_squeeze_lines(apr_pool_t *pool, const char *s)
{
    char *copy = apr_pstrdup(pool, s ? s : ""), *line = copy, *out, *o;
    int blank_run = 0;

    out = o = apr_palloc(pool, strlen(copy) + 1);
    while (line) {
        char *next = strpbrk(line, "\r\n");
        if (next) {
            char *after = next + (next[0] == '\r' && next[1] == '\n' ? 2 : 1);
            *next = '\0';
            next = after;
        }
        const char *text = iv_imp_squeeze(pool, line);
        if (!*text) {
            blank_run = o > out;
        } else {
            if (o > out)
                o = stpcpy(o, blank_run ? "\n\n" : "\n");
            o = stpcpy(o, text);
            blank_run = 0;
        }
        line = next;
    }
    *o = '\0';
    return out;
}

/* ---------------------------------------------------------------- keys */

/* ASCII spelling of U+00C0..U+00FF for keys, as refcode.c spells them. */
static const char *const latin1_ascii[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};

/* The same key as refcode.c's iv_ref_code_from_label (codes and keys compare),
 * written for speed: it runs several times per field of a million rows, and the
 * shared one copies a string per character. test_import.c checks they agree. */
char *iv_imp_key(apr_pool_t *pool, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char *out = apr_palloc(pool, 2 * strlen((const char *)p) + 1), *o = out;
    int pending = 0;

    while (*p) {
        const char *ascii = NULL;
        char one[2] = { 0, 0 };
        if (*p < 0x80) {
            unsigned char ch = *p++;
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
                one[0] = (char)ch;
            else if (ch >= 'A' && ch <= 'Z')
                one[0] = (char)(ch - 'A' + 'a');
            ascii = one[0] ? one : NULL;
        } else {
            unsigned long cp = next_cp(&p);
            if (cp >= 0xC0 && cp <= 0xFF)
                ascii = latin1_ascii[cp - 0xC0];
            else if (cp == 0x152 || cp == 0x153)
                ascii = "oe";
            else if (cp == 0x178)
                ascii = "y";
        }
        if (!ascii) {
            pending = o > out;
            continue;
        }
        if (pending)
            *o++ = '_';
        pending = 0;
        while (*ascii)
            *o++ = *ascii++;
    }
    *o = '\0';
    if (o - out > IV_REF_CODE_MAX) {
        out[IV_REF_CODE_MAX] = '\0';
        for (o = out + IV_REF_CODE_MAX; o > out && o[-1] == '_'; o--)
            o[-1] = '\0';
    }
    return out;
}

/* The words of a key. */
static apr_array_header_t *key_words(apr_pool_t *pool, const char *key)
{
    apr_array_header_t *words = apr_array_make(pool, 8, sizeof(char *));
    char *copy = apr_pstrdup(pool, key), *state = NULL;
    for (char *w = apr_strtok(copy, "_", &state); w; w = apr_strtok(NULL, "_", &state))
        *(char **)apr_array_push(words) = w;
    return words;
}

static char *join_words(apr_pool_t *pool, apr_array_header_t *words)
{
    if (words->nelts == 0)
        return "";
    return apr_array_pstrcat(pool, words, '_');
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

char *iv_imp_commune_key(apr_pool_t *pool, const char *s)
{
    apr_array_header_t *in = key_words(pool, iv_imp_key(pool, s));
    apr_array_header_t *out = apr_array_make(pool, in->nelts, sizeof(char *));
    for (int i = 0; i < in->nelts; i++) {
        const char *w = APR_ARRAY_IDX(in, i, const char *);
        if (all_digits(w) || strcmp(w, "cedex") == 0)
            continue;
        if (strcmp(w, "st") == 0)
            w = "saint";
        else if (strcmp(w, "ste") == 0)
            w = "sainte";
        *(const char **)apr_array_push(out) = w;
    }
    return join_words(pool, out);
}

typedef struct { const char *abbrev, *word; } abbreviation;

/* Street types and the words of street names people shorten (sorted: bsearch). */
static const abbreviation street_words[] = {
    { "all", "allee" }, { "av", "avenue" }, { "ave", "avenue" }, { "aven", "avenue" },
    { "bd", "boulevard" }, { "bld", "boulevard" }, { "blvd", "boulevard" },
    { "boul", "boulevard" }, { "bvd", "boulevard" }, { "ch", "chemin" }, { "chem", "chemin" },
    { "crs", "cours" }, { "fbg", "faubourg" }, { "fg", "faubourg" }, { "gal", "general" },
    { "gen", "general" }, { "imp", "impasse" }, { "mal", "marechal" }, { "pdt", "president" },
    { "pl", "place" }, { "prom", "promenade" }, { "qu", "quai" }, { "r", "rue" },
    { "res", "residence" }, { "rte", "route" }, { "sent", "sentier" }, { "sq", "square" },
    { "st", "saint" }, { "ste", "sainte" },
};

/* Words that do not tell places apart ("rue de la Paix" = "rue Paix"); sorted. */
static const char *const address_noise[] = { "d", "de", "des", "du", "l", "la", "le", "les",
                                             "n", "no", "numero" };

static int in_list(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w, list[i]) == 0)
            return 1;
    return 0;
}

static int compare_abbreviation(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const abbreviation *)elem)->abbrev);
}

static int compare_key(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

/* in_list for a sorted list. */
static int in_sorted(const char *w, const char *const *list, size_t n)
{
    return bsearch(w, list, n, sizeof *list, compare_key) != NULL;
}

char *iv_imp_address_key(apr_pool_t *pool, const char *s)
{
    apr_array_header_t *in = key_words(pool, iv_imp_key(pool, s));
    apr_array_header_t *out = apr_array_make(pool, in->nelts, sizeof(char *));
    static const char *const suffixes[] = { "bis", "ter", "quater", "b", "t" };

    for (int i = 0; i < in->nelts; i++) {
        const char *w = APR_ARRAY_IDX(in, i, const char *);
        if (in_sorted(w, address_noise, sizeof address_noise / sizeof *address_noise))
            continue;
        if (out->nelts && in_list(w, suffixes, sizeof suffixes / sizeof *suffixes)
            && all_digits(APR_ARRAY_IDX(out, out->nelts - 1, const char *))) {
            const char **last = &APR_ARRAY_IDX(out, out->nelts - 1, const char *);
            *last = apr_pstrcat(pool, *last, w, NULL);
            continue;
        }
        const abbreviation *a = bsearch(w, street_words, sizeof street_words / sizeof *street_words,
                                        sizeof *street_words, compare_abbreviation);
        if (a)
            w = a->word;
        *(const char **)apr_array_push(out) = w;
    }
    return join_words(pool, out);
}

static int compare_words(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *iv_imp_name_key(apr_pool_t *pool, const char *s)
{
    apr_array_header_t *words = key_words(pool, iv_imp_key(pool, s));
    qsort(words->elts, (size_t)words->nelts, sizeof(char *), compare_words);
    return join_words(pool, words);
}

/* ---------------------------------------------------------------- titles */

static const char *title_of_key(const char *key)
{
    static const char *const m[] = { "m", "mr", "monsieur", "msr", "mssr", "mons" };
    static const char *const mme[] = { "mme", "madame", "mlle", "mademoiselle", "melle", "mde" };
    if (in_list(key, m, sizeof m / sizeof *m))
        return "m";
    if (in_list(key, mme, sizeof mme / sizeof *mme))
        return "mme";
    if (strcmp(key, "m_et_mme") == 0 || strcmp(key, "mr_et_mme") == 0
        || strcmp(key, "mme_et_m") == 0 || strcmp(key, "m_mme") == 0
        || strcmp(key, "monsieur_et_madame") == 0 || strcmp(key, "mr_mme") == 0)
        return "m_mme";
    return NULL;
}

const char *iv_imp_title(apr_pool_t *pool, const char *s, const char **reason)
{
    const char *key, *code;

    *reason = NULL;
    if (!*s)
        return "";
    if (strcmp(s, "M.") == 0)
        return "m";
    if (strcmp(s, "Mme") == 0)
        return "mme";
    key = iv_imp_key(pool, s);
    code = title_of_key(key);
    if (code && strcmp(code, "m_mme") != 0)
        *reason = strcmp(key, "mlle") == 0 || strcmp(key, "mademoiselle") == 0
                  || strcmp(key, "melle") == 0
                  ? "Mademoiselle remplacé par Mme (usage de l'administration)"
                  : "titre écrit sous sa forme courte";
    return code;
}

const char *iv_imp_title_in_name(const char *name, const char **rest)
{
    static const char *const joiners[] = { "et", "&", "ou", "/" };
    char first[32], second[32], third[32];
    int n1 = 0, n2 = 0, n3 = 0;
    const char *p = name;

    /* up to three leading words: "M.", "M. et Mme", "Monsieur et Madame" */
    if (sscanf(p, "%31s%n", first, &n1) != 1)
        return NULL;
    char key1[32];
    {
        size_t k = 0;
        for (const char *c = first; *c && k < sizeof key1 - 1; c++)
            if (*c != '.')
                key1[k++] = (char)tolower((unsigned char)*c);
        key1[k] = '\0';
    }
    const char *code = title_of_key(key1);
    if (!code || strcmp(code, "m_mme") == 0)
        return NULL;
    p += n1;
    if (sscanf(p, "%31s%n", second, &n2) == 1
        && in_list(second, joiners, sizeof joiners / sizeof *joiners)
        && sscanf(p + n2, "%31s%n", third, &n3) == 1) {
        char key3[32];
        size_t k = 0;
        for (const char *c = third; *c && k < sizeof key3 - 1; c++)
            if (*c != '.')
                key3[k++] = (char)tolower((unsigned char)*c);
        key3[k] = '\0';
        const char *other = title_of_key(key3);
        if (other && strcmp(other, "m_mme") != 0 && strcmp(other, code) != 0) {
            p += n2 + n3;
            code = "m_mme";
        }
    }
    while (*p == ' ')
        p++;
    if (!*p)
        return NULL;            /* "Monsieur" alone is no name */
    *rest = p;
    return code;
}

/* ---------------------------------------------------------------- names */

/* Common first names of France, as keys (sorted for bsearch). Names that are
 * just as often surnames (Martin, Thomas, Richard…) are included: the rules of
 * iv_imp_person_name decide by position when both readings are possible. */
static const char *const first_names[] = {
    "abdel", "adam", "adele", "adrien", "agathe", "agnes", "ahmed", "aicha", "alain",
    "alexandra", "alexandre", "alexis", "alice", "aline", "amandine", "amelie", "amina",
    "anais", "andre", "andree", "ange", "angelique", "anne", "annick", "annie", "antoine",
    "arnaud", "arthur", "audrey", "aurelie", "aurelien", "baptiste", "benjamin", "benoit",
    "bernadette", "bernard", "bertrand", "brigitte", "bruno", "camille", "carole",
    "caroline", "catherine", "cecile", "celine", "chantal", "charles", "charlotte", "chloe",
    "christelle", "christian", "christiane", "christine", "christophe", "claire", "claude",
    "claudine", "clement", "clementine", "colette", "corinne", "cyril", "damien", "daniel",
    "danielle", "david", "delphine", "denis", "denise", "didier", "dominique", "edith",
    "edouard", "elisabeth", "elise", "elodie", "emilie", "emma", "emmanuel", "emmanuelle",
    "eric", "estelle", "etienne", "eugene", "eva", "fabien", "fabienne", "fabrice",
    "fatima", "florence", "florian", "francine", "francis", "franck", "francois",
    "francoise", "frederic", "gabriel", "gael", "gaelle", "genevieve", "georges", "gerard",
    "ghislaine", "gilbert", "gilles", "ginette", "guillaume", "guy", "helene", "henri",
    "herve", "hugo", "hugues", "ines", "irene", "isabelle", "jacqueline", "jacques", "jean",
    "jeanne", "jeannine", "jerome", "jocelyne", "joel", "joseph", "josette", "josiane",
    "jules", "julie", "julien", "juliette", "justine", "karim", "karine", "kevin",
    "laetitia", "laura", "laure", "laurence", "laurent", "lea", "leon", "lina", "lionel",
    "louis", "louise", "luc", "lucas", "lucie", "lucien", "lucienne", "ludovic",
    "madeleine", "manon", "marc", "marcel", "marguerite", "marie", "marine", "marion",
    "martine", "mathieu", "mathilde", "matthieu", "maurice", "maxime", "melanie", "michel",
    "michele", "micheline", "mickael", "mohamed", "monique", "muriel", "myriam", "nadia",
    "nadine", "nathalie", "nicolas", "nicole", "noe", "noel", "octave", "odette", "odile",
    "olivier", "pascal", "pascale", "patricia", "patrick", "paul", "paulette", "philippe",
    "pierre", "quentin", "raphael", "raymond", "regine", "remi", "rene", "renee", "richard",
    "robert", "roger", "romain", "rose", "sabine", "sandrine", "sarah", "sebastien",
    "serge", "simon", "simone", "solange", "sophie", "stephane", "stephanie", "suzanne",
    "sylvain", "sylvie", "theo", "therese", "thierry", "thomas", "valerie", "vanessa",
    "veronique", "victor", "vincent", "virginie", "xavier", "yannick", "yasmine", "yves",
    "yvette", "yvonne", "zoe",
};

static int is_first_name_key(const char *key)
{
    return in_sorted(key, first_names, sizeof first_names / sizeof *first_names);
}

/* Every part of a hyphenated or elided word is a first name ("jean-pierre"). */
static int is_first_name(apr_pool_t *pool, const char *word)
{
    apr_array_header_t *parts = key_words(pool, iv_imp_key(pool, word));
    if (parts->nelts == 0)
        return 0;
    for (int i = 0; i < parts->nelts; i++)
        if (!is_first_name_key(APR_ARRAY_IDX(parts, i, const char *)))
            return 0;
    return 1;
}

static int is_particle(apr_pool_t *pool, const char *word)
{
    static const char *const particles[] = { "al", "ben", "d", "da", "de", "del", "della", "des",
                                             "di", "du", "el", "la", "le", "van", "von" };
    const char *k = iv_imp_key(pool, word);
    return in_sorted(k, particles, sizeof particles / sizeof *particles);
}

/* Letters of word: *upper and *lower count them by case. */
static void count_case(const char *word, int *upper, int *lower)
{
    const unsigned char *p = (const unsigned char *)word;
    *upper = *lower = 0;
    while (*p) {
        unsigned long c = next_cp(&p);
        if (!cp_is_letter(c))
            continue;
        if (cp_lower(c) != c)
            (*upper)++;
        else if (cp_upper(c) != c)
            (*lower)++;
    }
}

/* An initial: one letter and a dot, possibly hyphenated ("J.", "J.-P."). */
static int is_initial(const char *word)
{
    int upper, lower;
    count_case(word, &upper, &lower);
    return upper + lower <= 2 && strchr(word, '.') != NULL;
}

/* "jean-pierre" → "Jean-Pierre": a capital after every non-letter. */
static char *capitalise(apr_pool_t *pool, const char *word)
{
    char *out = apr_palloc(pool, strlen(word) * 2 + 1), *o = out;
    const unsigned char *p = (const unsigned char *)word;
    int start = 1;
    while (*p) {
        unsigned long c = next_cp(&p);
        if (cp_is_letter(c)) {
            o = put_cp(o, start ? cp_upper(c) : cp_lower(c));
            start = 0;
        } else {
            o = put_cp(o, c);
            start = 1;
        }
    }
    *o = '\0';
    return out;
}

typedef enum { W_SURNAME, W_FIRST, W_PARTICLE } word_role;

char *iv_imp_person_name(apr_pool_t *pool, const char *s)
{
    apr_array_header_t *words = apr_array_make(pool, 6, sizeof(char *));
    char *copy = apr_pstrdup(pool, s), *state = NULL;
    int n, any_caps = 0, any_lower = 0, main_words = 0, first_known = 0;

    for (char *w = apr_strtok(copy, " ", &state); w; w = apr_strtok(NULL, " ", &state))
        *(char **)apr_array_push(words) = w;
    n = words->nelts;
    if (n == 0)
        return "";
    word_role *role = apr_pcalloc(pool, sizeof *role * (size_t)n);
    int *caps = apr_pcalloc(pool, sizeof *caps * (size_t)n);

    for (int i = 0; i < n; i++) {
        const char *w = APR_ARRAY_IDX(words, i, const char *);
        int upper, lower;
        count_case(w, &upper, &lower);
        if (is_particle(pool, w)) {
            role[i] = W_PARTICLE;
            continue;
        }
        main_words++;
        caps[i] = upper >= 2 && lower == 0;
        any_caps |= caps[i];
        any_lower |= lower > 0;
        if (is_initial(w) || is_first_name(pool, w)) {
            role[i] = W_FIRST;
            first_known++;
        } else {
            role[i] = W_SURNAME;
        }
    }
    if (any_caps && any_lower) {
        /* the typist marked the surname with capitals */
        for (int i = 0; i < n; i++)
            if (role[i] != W_PARTICLE)
                role[i] = caps[i] ? W_SURNAME : W_FIRST;
    } else if (main_words == 1 || first_known == main_words) {
        /* "martin" alone, or "pierre thomas": the first word is the surname */
        for (int i = 0, seen = 0; i < n; i++)
            if (role[i] != W_PARTICLE)
                role[i] = seen++ == 0 ? W_SURNAME : W_FIRST;
    }
    /* a particle belongs to the surname that follows it ("Jean de la FONTAINE") */
    for (int i = n - 1; i >= 0; i--)
        if (role[i] == W_PARTICLE)
            role[i] = i + 1 < n && role[i + 1] == W_SURNAME ? W_SURNAME : W_FIRST;

    apr_array_header_t *out = apr_array_make(pool, n, sizeof(char *));
    for (int i = 0; i < n; i++) {
        const char *w = APR_ARRAY_IDX(words, i, const char *);
        *(char **)apr_array_push(out) = role[i] == W_SURNAME ? iv_imp_upper(pool, w)
                                                            : capitalise(pool, w);
    }
    return apr_array_pstrcat(pool, out, ' ');
}

int iv_imp_is_organisation(apr_pool_t *pool, const char *s)
{
    static const char *const words[] = {   /* sorted: bsearch */
        "agence", "asl", "asso", "association", "bailleur", "boulangerie", "cabinet",
        "ccas", "centre", "clinique", "college", "commune", "conseil", "copropriete",
        "creche", "departement", "direction", "ecole", "edf", "eglise", "entreprise",
        "etablissement", "etablissements", "ets", "eurl", "foncia", "gendarmerie",
        "grdf", "groupe", "gymnase", "habitat", "hopital", "hotel", "immobiliere",
        "lycee", "mairie", "nexity", "opac", "oph", "paroisse", "pharmacie", "police",
        "prefecture", "ratp", "region", "residence", "restaurant", "sa", "sarl", "sas",
        "sci", "sdis", "service", "services", "sncf", "societe", "syndic", "syndicat",
        "valophis", "ville",
    };
    apr_array_header_t *keys = key_words(pool, iv_imp_key(pool, s));
    for (int i = 0; i < keys->nelts; i++)
        if (in_sorted(APR_ARRAY_IDX(keys, i, const char *), words, sizeof words / sizeof *words))
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- phones */

const char *iv_imp_phone(apr_pool_t *pool, const char *s, const char **moved,
                         const char **reason)
{
    const char *n;
    char *digits, *d;
    int letters = 0;
    size_t len;

    *moved = *reason = NULL;
    if (!*s)
        return "";
    if ((n = iv_phone_normalize(pool, s))) {
        if (strcmp(n, s) != 0 && strcmp(iv_phone_display(pool, n), s) != 0)
            *reason = "téléphone mis au format";
        return n;
    }
    digits = d = apr_palloc(pool, strlen(s) + 2);
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            *d++ = *p;
        else if (*p == '+' && d == digits)
            *d++ = '+';
        else if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
            letters = 1;
    }
    *d = '\0';
    len = strlen(digits);
    if (len == 9 && digits[0] != '0' && (n = iv_phone_normalize(pool, apr_pstrcat(pool, "0", digits, NULL)))) {
        *reason = "zéro initial ajouté (perdu par un tableur)";
    } else if (len == 11 && strncmp(digits, "33", 2) == 0
               && (n = iv_phone_normalize(pool, apr_pstrcat(pool, "+", digits, NULL)))) {
        *reason = "indicatif +33 complété";
    } else if (len == 20 && (n = iv_phone_normalize(pool, apr_pstrndup(pool, digits, 10)))
               && iv_phone_normalize(pool, digits + 10)) {
        *moved = s;
        *reason = "deux numéros : le second est reporté en commentaire";
        return n;
    } else if (letters && (n = iv_phone_normalize(pool, digits))) {
        *reason = NULL;
    } else {
        n = NULL;
    }
    if (!n) {
        *moved = s;
        *reason = "téléphone illisible, reporté en commentaire";
        return "";
    }
    if (letters) {
        *moved = s;
        *reason = "texte autour du numéro reporté en commentaire";
    }
    return n;
}

/* ---------------------------------------------------------------- e-mails */

const char *iv_imp_email(apr_pool_t *pool, const char *s, const char **moved,
                         const char **reason)
{
    char *t, *o, *rest;
    const char *p;

    *moved = *reason = NULL;
    if (!*s)
        return "";
    t = iv_imp_lower(pool, s);
    if (strncmp(t, "mailto:", 7) == 0)
        t += 7;
    /* spaces around '@' and '.' are typing slips; other spaces separate addresses */
    o = rest = apr_palloc(pool, strlen(t) + 1);
    for (p = t; *p; p++) {
        if (*p == ' ' && (p[1] == '@' || p[1] == '.' || (o > rest && (o[-1] == '@' || o[-1] == '.'))))
            continue;
        if (*p == '<' || *p == '>')
            continue;
        *o++ = *p;
    }
    *o = '\0';
    size_t first_len = strcspn(rest, " ;,/");
    char *first = apr_pstrndup(pool, rest, first_len);
    const char *after = rest + first_len + strspn(rest + first_len, " ;,/");
    if (!iv_email_valid(first)) {
        *moved = s;
        *reason = "courriel invalide, reporté en commentaire";
        return "";
    }
    if (*after) {
        *moved = s;
        *reason = "plusieurs courriels : les suivants sont reportés en commentaire";
    } else if (strcmp(first, s) != 0) {
        *reason = strcmp(first, iv_imp_lower(pool, s)) == 0 ? "courriel en minuscules"
                                                           : "courriel nettoyé";
    }
    return first;
}

/* ---------------------------------------------------------------- dates */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int valid_date(int y, int m, int d)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1
        && d <= (m == 2 && leap(y) ? 29 : days[m - 1]);
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Paris time skips 02:00-02:59 on the last Sunday of March (the rule since
 * 1981): PostgreSQL reads such a time an hour later, so it is written so here,
 * and the order of two dates compares the same in C as in the database. */
static int in_spring_gap(int y, int m, int d, int hh)
{
    if (m != 3 || hh != 2 || y < 1981)
        return 0;
    long days = days_from_civil(y, 3, 31);
    int weekday = (int)((days % 7 + 11) % 7);    /* 0 = Sunday; 1970-01-01 was a Thursday */
    return d == 31 - weekday;
}

/* "AAAA-MM-JJ HH:MM" of values already checked (valid_date, read_time). */
static void format_datetime(char out[17], int y, int m, int d, int hh, int mm)
{
    if (in_spring_gap(y, m, d, hh))
        hh = 3;
    const int parts[5] = { y, m, d, hh, mm };
    const int widths[5] = { 4, 2, 2, 2, 2 };
    const char seps[5] = { '-', '-', ' ', ':', '\0' };
    char *o = out;
    for (int i = 0; i < 5; i++) {
        int v = parts[i];
        for (int w = widths[i] - 1; w >= 0; w--, v /= 10)
            o[w] = (char)('0' + v % 10);
        o += widths[i];
        *o++ = seps[i];
    }
}

/* Reads 1 to max digits at *p; returns the count read. */
static int read_digits(const char **p, int max, int *value)
{
    int n = 0;
    *value = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        *value = *value * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

/* "16:17", "16:17:00", "16:17:00.000", "16h17", "16h", "16H17". */
static int read_time(const char *p, int *hh, int *mm)
{
    int n, ss;
    *mm = 0;
    if (!(n = read_digits(&p, 2, hh)))
        return 0;
    if (*p == 'h' || *p == 'H') {
        p++;
        if (*p && read_digits(&p, 2, mm) != 2)
            return 0;
    } else if (*p == ':') {
        p++;
        if (read_digits(&p, 2, mm) != 2)
            return 0;
        if (*p == ':') {
            p++;
            if (read_digits(&p, 2, &ss) != 2 || ss > 59)
                return 0;
            if (*p == '.' || *p == ',')
                for (p++; isdigit((unsigned char)*p); p++)
                    ;
        }
    } else {
        return 0;
    }
    return !*p && *hh <= 23 && *mm <= 59;
}

/* Excel's serial numbers: days since 1899-12-30 (its day 0, once the 1900
 * leap-year bug is accounted for), the fraction being the time of day. Only five
 * whole digits are read as one: 18264 (1950) to 73050 (2099); four digits are a
 * year, not a date. */
static int excel_serial(const char *s, char out[17])
{
    char buf[32];
    size_t whole = strspn(s, "0123456789"), len = strlen(s);
    const char *frac = s + whole;

    if (whole != 5 || len >= sizeof buf)
        return 0;
    if (*frac && ((*frac != '.' && *frac != ',') || !frac[1]
                  || strspn(frac + 1, "0123456789") != strlen(frac + 1)))
        return 0;
    memcpy(buf, s, len + 1);
    if (*frac)
        buf[whole] = '.';
    double v = strtod(buf, NULL);
    long days = (long)v;
    long minutes = (long)((v - (double)days) * 1440.0 + 0.5);
    if (minutes >= 1440) {
        days++;
        minutes -= 1440;
    }
    int y, m, d;
    civil_from_days(days_from_civil(1899, 12, 30) + days, &y, &m, &d);
    if (y < 1950 || !valid_date(y, m, d))
        return 0;
    format_datetime(out, y, m, d, (int)(minutes / 60), (int)(minutes % 60));
    return 1;
}

int iv_imp_date(const char *s, char out[17], const char **guess)
{
    const char *p = s;
    int a, b, c, na, nb, nc, y, m, d, hh = 0, mm = 0;
    char sep;

    *guess = NULL;
    if (!*s)
        return 0;
    if (excel_serial(s, out)) {
        *guess = "numéro de série Excel converti en date";
        return 1;
    }
    na = read_digits(&p, 4, &a);
    sep = *p;
    if (!na || (sep != '/' && sep != '-' && sep != '.'))
        return -1;
    p++;
    nb = read_digits(&p, 2, &b);
    if (!nb || *p != sep)
        return -1;
    p++;
    nc = read_digits(&p, 4, &c);
    if (!nc)
        return -1;
    if (*p == ' ' || *p == 'T') {
        const char *t = p + 1;
        while (*t == ' ')
            t++;
        if (strncmp(t, "à", 2) == 0)         /* "23/06/2025 à 16h17" */
            for (t += 2; *t == ' '; t++)
                ;
        if (!read_time(t, &hh, &mm))
            return -1;
    } else if (*p) {
        return -1;
    }
    if (na == 4) {                      /* AAAA-MM-JJ */
        if (nc > 2)
            return -1;
        y = a; m = b; d = c;
    } else {                            /* JJ/MM/AAAA or JJ/MM/AA */
        if (na > 2 || (nc != 2 && nc != 4))
            return -1;
        d = a; m = b; y = c;
        if (nc == 2) {
            y += y < 50 ? 2000 : 1900;
            *guess = "année écrite sur deux chiffres";
        }
        if (!valid_date(y, m, d) && valid_date(y, d, m)) {
            int t = d; d = m; m = t;
            *guess = "jour et mois inversés";
        }
    }
    if (!valid_date(y, m, d))
        return -1;
    format_datetime(out, y, m, d, hh, mm);
    return 1;
}

/* ---------------------------------------------------------------- numbers */

long iv_imp_number(const char *s, int *year)
{
    long groups[3];
    int lengths[3], count = 0;
    const char *p = s;

    *year = 0;
    while (*p && !isdigit((unsigned char)*p)) {
        /* only a "N°"-like prefix may come before the digits */
        if (!strchr("Nn\xc2\xb0\xbaoO#. :", *p))      /* N° n° No # and spaces */
            return 0;
        p++;
    }
    while (*p) {
        if (count == 3)
            return 0;
        long v = 0;
        int n = 0;
        while (isdigit((unsigned char)*p)) {
            if (n++ < 9)
                v = v * 10 + (*p - '0');
            p++;
        }
        if (!n)
            return 0;
        groups[count] = v;
        lengths[count++] = n;
        while (*p == ' ' || *p == '/' || *p == '-')
            p++;
        if (*p && !isdigit((unsigned char)*p))
            return 0;
    }
    if (count == 1)
        return groups[0] >= 1 && groups[0] <= 9999999 && lengths[0] <= 9 ? groups[0] : 0;
    if (count == 2) {
        int yi = lengths[0] == 4 && groups[0] >= 1950 && groups[0] <= 2100 ? 0
               : lengths[1] == 4 && groups[1] >= 1950 && groups[1] <= 2100 ? 1 : -1;
        if (yi < 0)
            return 0;
        long number = groups[1 - yi];
        if (number < 1 || number > 9999999)
            return 0;
        *year = (int)groups[yi];
        return number;
    }
    return 0;
}

int iv_imp_year(const char *s, int *guessed)
{
    const char *p = s;
    int v, n = read_digits(&p, 4, &v);
    *guessed = 0;
    if (*p || (n != 4 && n != 2))
        return 0;
    if (n == 2) {
        *guessed = 1;
        return v + (v < 50 ? 2000 : 1900);
    }
    return v >= 1950 && v <= 2100 ? v : 0;
}
