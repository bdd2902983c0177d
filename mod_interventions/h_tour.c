/*
 * h_tour.c — the tour sheet (fiches.pdf under the mount point): one PDF for a
 * day's round. First a summary table of the requests the list's filters select
 * (N°, address, commune, object, team, status), ordered by commune, street and
 * house number, on as many pages as it needs; then the fiche of each request
 * (fiche.c), in the same order. At most IV_TOUR_MAX requests.
 *
 * The story: read the list's filters (list_filters.c: the same values and the
 * same perimeter as the page) → a bad filter, too many or no requests: a French
 * page saying so, with a link back to the list → the ids in the round's order
 * (store_tour.c) → each request as the fiche reads it → the summary, the fiches
 * → one history row per request and the audit row, in one transaction → send.
 */
#include "httpd.h"
#include <stdlib.h>
#include <string.h>
#include "apr_strings.h"
#include "http_log.h"
#include "http_protocol.h"

#include "routes.h"
#include "fiche.h"
#include "headers.h"
#include "http_util.h"
#include "list_filters.h"
#include "request_view.h"
#include "store_interventions.h"
#include "store_tour.h"
#include "stores.h"
#include "view.h"

/* ---------------------------------------------------------------- the words */

/* The summary's French text. The PDF is a view like the pages, but the XSLT
 * catalogue does not reach it (the fiche's own words are in fiche.c). */
enum {
    T_TITLE, T_CONTINUED, T_SUMMARY_PAGE, T_PRINTED, T_FILTERS, T_NO_FILTER,
    T_SEARCH, T_STATUS, T_STATUSES, T_COMMUNE, T_OBJECT, T_TEAM, T_AGENT, T_ORIGIN,
    T_RECEIVED_FROM_TO, T_RECEIVED_FROM, T_RECEIVED_TO, T_ONE, T_MANY, T_ORDER,
    T_COL_NUMBER, T_COL_ADDRESS, T_COL_COMMUNE, T_COL_OBJECT, T_COL_TEAM, T_COL_STATUS,
    T_NONE, T_COUNT
};

static const char *const words[T_COUNT] = {
    [T_TITLE]            = "Tournée du %s",
    [T_CONTINUED]        = "récapitulatif (suite)",
    [T_SUMMARY_PAGE]     = "récapitulatif, page %d / %d",
    [T_PRINTED]          = "Imprimée le %s à %s par %s",
    [T_FILTERS]          = "Filtres\xC2\xA0:",
    [T_NO_FILTER]        = "aucun (toutes les demandes que vous pouvez voir)",
    [T_SEARCH]           = "Recherche",
    [T_STATUS]           = "Statut",
    [T_STATUSES]         = "Statuts",
    [T_COMMUNE]          = "Ville",
    [T_OBJECT]           = "Objet",
    [T_TEAM]             = "Équipe",
    [T_AGENT]            = "Agent",
    [T_ORIGIN]           = "Origine",
    [T_RECEIVED_FROM_TO] = "Reçues du %s au %s",
    [T_RECEIVED_FROM]    = "Reçues à partir du %s",
    [T_RECEIVED_TO]      = "Reçues jusqu'au %s",
    [T_ONE]              = "1 demande",
    [T_MANY]             = "%d demandes",
    [T_ORDER]            = ", classées par ville, rue et numéro ; leurs fiches suivent, "
                           "dans le même ordre.",
    [T_COL_NUMBER]       = "N°",
    [T_COL_ADDRESS]      = "Adresse",
    [T_COL_COMMUNE]      = "Ville",
    [T_COL_OBJECT]       = "Objet",
    [T_COL_TEAM]         = "Équipe",
    [T_COL_STATUS]       = "Statut",
    [T_NONE]             = "—",
};

/* ---------------------------------------------------------------- the sheet */

/* One request of the round: what its row and its fiche print. */
typedef struct {
    const char *id;
    const char *number;          /* "2026 / 58" with no-break spaces: never wrapped */
    iv_fiche fiche;
    const char *status;          /* label */
} stop;

typedef struct {
    iv_list_filters f;
    apr_array_header_t *ids;     /* const char *, the round's order */
    apr_array_header_t *stops;   /* stop, same order (requests gone meanwhile left out) */
    const char *date, *time;     /* now, Paris: "25/11/2026", "14:32" */
    const char *iso_date;        /* "2026-11-25", for the file name */
} tour;

/* ---------------------------------------------------------------- refusals */

/* Filters the sheet does not use (paging, sort): their errors do not stop it. */
static int is_page_param(const char *name)
{
    return strcmp(name, IV_P_PER_PAGE) == 0 || strcmp(name, IV_P_PAGE) == 0
        || strcmp(name, IV_P_SORT) == 0 || strcmp(name, IV_P_DIR) == 0;
}

/* The filters alone, as the list's link gave them (no page, size or sort). */
static const char *filters_query(apr_pool_t *p, const iv_list_filters *lf)
{
    static const char *const skip[] = { IV_P_PAGE, IV_P_PER_PAGE, IV_P_SORT, IV_P_DIR, NULL };
    const char *qs = iv_list_filters_query(p, lf, skip);
    size_t n = strlen(qs);
    return n && qs[n - 1] == '&' ? apr_pstrndup(p, qs, n - 1) : qs;
}

/* Why there is no sheet, with the way back to the list and its filters. */
static int refusal(iv_req *rq, tour *t, int status, const char *reason)
{
    apr_pool_t *p = rq->r->pool;
    const char *qs = filters_query(p, &t->f);
    xmlNodePtr page = iv_page_new(rq, "tour"), node = iv_node(page, "tour");

    iv_attr(node, "reason", reason);
    iv_attr(node, "max", apr_itoa(p, IV_TOUR_MAX));
    iv_attr(node, "back", apr_pstrcat(p, rq->base, "/", *qs ? "?" : "", qs, NULL));
    for (int i = 0; i + 1 < t->f.errors->nelts; i += 2) {
        const char *field = APR_ARRAY_IDX(t->f.errors, i, const char *);
        if (is_page_param(field))
            continue;
        xmlNodePtr e = iv_node(node, "error");
        iv_attr(e, "field", field);
        iv_attr(e, "key", APR_ARRAY_IDX(t->f.errors, i + 1, const char *));
    }
    return iv_page_send(rq, page, status);
}

static int filter_errors(const iv_list_filters *lf)
{
    int n = 0;
    for (int i = 0; i + 1 < lf->errors->nelts; i += 2)
        n += !is_page_param(APR_ARRAY_IDX(lf->errors, i, const char *));
    return n;
}

/* ---------------------------------------------------------------- data */

static int db_failure(iv_req *rq)
{
    return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
}

/* "2026-11-25 14:32" (the database's clock, Paris time) → date, time, ISO date. */
static int read_clock(iv_req *rq, tour *t)
{
    const char *now;
    int in_future;

    if (iv_clock(rq, "", &now, &in_future) != 0 || strlen(now) < 16)
        return -1;
    t->iso_date = apr_pstrndup(rq->r->pool, now, 10);
    t->date = apr_psprintf(rq->r->pool, "%.2s/%.2s/%.4s", now + 8, now + 5, now);
    t->time = now + 11;
    return 0;
}

/* Each request as its fiche prints it, all in one select, kept in the round's order.
 * A request gone since the ids were read, or moved out of the user's perimeter
 * (the same check as a single fiche's), is left out of the summary and fiches. */
static int load_stops(iv_req *rq, tour *t)
{
    apr_array_header_t *communes;
    const char *team = "";
    apr_hash_t *by_id;

    if (iv_fiche_banner(rq, &communes) != 0
        || ((rq->user->roles & IV_ROLE_INTERVENANT)
            && iv_agent_team(rq, rq->user->login, &team) != 0)
        || iv_request_get_many(rq, apr_array_pstrcat(rq->r->pool, t->ids, ','), &by_id) != 0)
        return -1;
    t->stops = apr_array_make(rq->r->pool, t->ids->nelts, sizeof(stop));
    for (int i = 0; i < t->ids->nelts; i++) {
        iv_request *req = apr_hash_get(by_id, APR_ARRAY_IDX(t->ids, i, const char *),
                                       APR_HASH_KEY_STRING);
        if (!req || !iv_request_visible(rq, req, team))
            continue;
        stop *s = apr_array_push(t->stops);
        s->id = req->id;
        s->number = apr_pstrcat(rq->r->pool, req->year, "\xC2\xA0/\xC2\xA0", req->number, NULL);
        iv_fiche_from_request(rq, req, communes, &s->fiche);
        s->status = req->status_label ? req->status_label : req->status;
    }
    return 0;
}

/* ---------------------------------------------------------------- the filters in words */

static void add_words(apr_pool_t *p, apr_array_header_t *parts, int label, const char *value)
{
    /* a no-break space before the colon, as French typography wants */
    APR_ARRAY_PUSH(parts, const char *) = apr_pstrcat(p, words[label], "\xC2\xA0: ", value,
                                                      NULL);
}

/* "Ville : Vincennes" when the filter on list is set to code. */
static void add_code(apr_pool_t *p, apr_array_header_t *parts, int label,
                     const apr_array_header_t *list, const char *code)
{
    if (*code)
        add_words(p, parts, label, iv_list_label(list, code));
}

static const char *french_date(apr_pool_t *p, const char *iso)
{
    return apr_psprintf(p, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* "Statut : Transmise, Planifiée" from "transmise,planifiee". */
static void add_statuses(apr_pool_t *p, apr_array_header_t *parts, const iv_list_filters *lf)
{
    char *codes = apr_pstrdup(p, lf->param[IV_LIST_STATUSES]), *state = NULL;
    const char *labels = "";
    int n = 0;

    for (char *c = apr_strtok(codes, ",", &state); c; c = apr_strtok(NULL, ",", &state), n++)
        labels = apr_pstrcat(p, labels, n ? ", " : "", iv_list_label(lf->refs.statuses, c), NULL);
    if (n)
        add_words(p, parts, n > 1 ? T_STATUSES : T_STATUS, labels);
}

/* "Reçues du 01/10/2026 au 31/10/2026", or from or until one day only. */
static const char *received_in_words(apr_pool_t *p, const char *from, const char *to)
{
    if (*from && *to)
        return apr_psprintf(p, words[T_RECEIVED_FROM_TO], french_date(p, from),
                            french_date(p, to));
    return apr_psprintf(p, words[*from ? T_RECEIVED_FROM : T_RECEIVED_TO],
                        french_date(p, *from ? from : to));
}

/* "Ville : Vincennes ; Statut : Transmise", or that there is none. */
static const char *filters_in_words(apr_pool_t *p, const iv_list_filters *lf)
{
    apr_array_header_t *parts = apr_array_make(p, 8, sizeof(const char *));
    const iv_query_pair *q = iv_query_get(lf->args, IV_P_TEXT);
    const char *from = lf->param[IV_LIST_FROM], *to = lf->param[IV_LIST_TO], *text;

    if (q && q->ok && *q->value)
        add_words(p, parts, T_SEARCH, apr_pstrcat(p, "« ", q->value, " »", NULL));
    add_statuses(p, parts, lf);
    add_code(p, parts, T_COMMUNE, lf->refs.communes, lf->param[IV_LIST_COMMUNE]);
    add_code(p, parts, T_OBJECT, lf->refs.objects, lf->param[IV_LIST_OBJECT]);
    add_code(p, parts, T_TEAM, lf->refs.teams, lf->param[IV_LIST_TEAM]);
    add_code(p, parts, T_AGENT, lf->refs.agents, lf->param[IV_LIST_AGENT]);
    add_code(p, parts, T_ORIGIN, lf->refs.origins, lf->param[IV_LIST_ORIGIN]);
    if (*from || *to)
        APR_ARRAY_PUSH(parts, const char *) = received_in_words(p, from, to);
    if (!parts->nelts)
        return words[T_NO_FILTER];
    text = APR_ARRAY_IDX(parts, 0, const char *);
    for (int i = 1; i < parts->nelts; i++)
        text = apr_pstrcat(p, text, " ; ", APR_ARRAY_IDX(parts, i, const char *), NULL);
    return text;
}

/* ---------------------------------------------------------------- the summary's page */

#define MARGIN      42.5f                       /* 15 mm, as the fiche */
#define RIGHT       (IV_PDF_A4_WIDTH - MARGIN)
#define WIDTH       (RIGHT - MARGIN)
#define TOP         (IV_PDF_A4_HEIGHT - 34.0f)
#define BOTTOM      56.0f
#define FOOTER_Y    34.0f

#define TITLE_SIZE  16.0f
#define INFO_SIZE   9.5f
#define INFO_LEAD   12.5f
#define CELL_SIZE   8.0f
#define CELL_LEAD   10.0f
#define CELL_PAD_X  3.5f
#define CELL_PAD_Y  4.0f
#define HEAD_H      18.0f
#define MAX_LINES   6                           /* per cell; more ends with "…" */

enum { C_NUMBER, C_ADDRESS, C_COMMUNE, C_OBJECT, C_TEAM, C_STATUS, C_COUNT };

/* A column: its heading, the most it takes (its widest value on one line, up to
 * this), and whether it keeps that width when the page is too narrow for all. */
static const struct {
    int heading;
    float max;
    int fixed;
} columns[C_COUNT] = {
    [C_NUMBER]  = { T_COL_NUMBER, 90, 1 },
    [C_ADDRESS] = { T_COL_ADDRESS, 240, 0 },
    [C_COMMUNE] = { T_COL_COMMUNE, 110, 1 },
    [C_OBJECT]  = { T_COL_OBJECT, 150, 0 },
    [C_TEAM]    = { T_COL_TEAM, 120, 0 },
    [C_STATUS]  = { T_COL_STATUS, 62, 1 },
};

typedef struct {
    iv_pdf *pdf;
    apr_pool_t *pool;
    const tour *t;
    float x[C_COUNT + 1];       /* left edge of each column, then the right edge */
    float y;
} sheet;

static const char *cell_text(const stop *s, int column)
{
    const iv_fiche *f = &s->fiche;
    const char *v;
    switch (column) {
    case C_NUMBER:  v = s->number; break;
    case C_ADDRESS: v = f->address; break;
    case C_COMMUNE: v = f->commune; break;
    case C_OBJECT:  v = f->object; break;
    case C_TEAM:    v = f->team; break;
    default:        v = s->status; break;
    }
    return v && *v ? v : words[T_NONE];
}

static int by_width(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The width column c takes to hold its values on one line, up to its max: all
 * of them for a fixed column; nine in ten for the others, so that one long
 * address does not squeeze every other column (it wraps instead). */
static float natural_width(sheet *S, int c)
{
    iv_pdf_face face = c == C_NUMBER ? IV_PDF_BOLD : IV_PDF_REGULAR;
    int n = S->t->stops->nelts;
    float *widths = apr_palloc(S->pool, (apr_size_t)n * sizeof *widths), width;

    for (int i = 0; i < n; i++)
        widths[i] = iv_pdf_width(S->pdf, face, CELL_SIZE,
                                 cell_text(&APR_ARRAY_IDX(S->t->stops, i, stop), c));
    qsort(widths, (size_t)n, sizeof *widths, by_width);
    width = n ? widths[columns[c].fixed ? n - 1 : (n - 1) * 9 / 10] : 0;
    if (width < iv_pdf_width(S->pdf, IV_PDF_BOLD, CELL_SIZE, words[columns[c].heading]))
        width = iv_pdf_width(S->pdf, IV_PDF_BOLD, CELL_SIZE, words[columns[c].heading]);
    width += 2 * CELL_PAD_X + 1;
    return width < columns[c].max ? width : columns[c].max;
}

/* Every column as wide as its values need, when the page allows: what is left
 * widens the address. Else the fixed columns (number, commune, status: short
 * values, better not broken) keep their width, and the others are cut down to
 * one common width, the widest first, so that as few cells as possible wrap. */
static void column_edges(sheet *S)
{
    float width[C_COUNT], total = 0, room = WIDTH, cap = WIDTH;
    int kept[C_COUNT], shared = 0, narrowed = 1;

    for (int c = 0; c < C_COUNT; c++) {
        width[c] = natural_width(S, c);
        total += width[c];
        kept[c] = columns[c].fixed;
        if (kept[c])
            room -= width[c];
        else
            shared++;
    }
    if (total <= WIDTH) {
        width[C_ADDRESS] += WIDTH - total;
    }
    else {
        /* the common width: the room left by the columns narrower than it, shared */
        while (narrowed && shared > 0) {
            cap = room / (float)shared;
            narrowed = 0;
            for (int c = 0; c < C_COUNT; c++)
                if (!kept[c] && width[c] <= cap) {
                    kept[c] = narrowed = 1;
                    room -= width[c];
                    shared--;
                }
        }
        for (int c = 0; c < C_COUNT; c++)
            if (!kept[c])
                width[c] = cap;
    }
    S->x[0] = MARGIN;
    for (int c = 0; c < C_COUNT; c++)
        S->x[c + 1] = S->x[c] + width[c];
}

/* The lines of a cell, at most MAX_LINES, the last one ending with "…" when
 * more were cut. */
static apr_array_header_t *cell_lines(sheet *S, int column, const char *text)
{
    iv_pdf_face face = column == C_NUMBER ? IV_PDF_BOLD : IV_PDF_REGULAR;
    float w = S->x[column + 1] - S->x[column] - 2 * CELL_PAD_X;
    apr_array_header_t *lines = iv_pdf_wrap(S->pdf, face, CELL_SIZE, text, w);
    float ellipsis = iv_pdf_width(S->pdf, face, CELL_SIZE, "…");
    char *last;
    size_t n;

    if (lines->nelts <= MAX_LINES)
        return lines;
    lines->nelts = MAX_LINES;
    last = apr_pstrdup(S->pool, APR_ARRAY_IDX(lines, MAX_LINES - 1, const char *));
    n = strlen(last);
    /* drop whole UTF-8 characters until the ellipsis fits (widths add up: no kerning) */
    while (n && iv_pdf_width(S->pdf, face, CELL_SIZE, last) + ellipsis > w) {
        do
            n--;
        while (n && ((unsigned char)last[n] & 0xC0) == 0x80);
        last[n] = '\0';
    }
    APR_ARRAY_IDX(lines, MAX_LINES - 1, const char *) = apr_pstrcat(S->pool, last, "…", NULL);
    return lines;
}

/* The grey band of the column headings, on every summary page. */
static void table_head(sheet *S)
{
    iv_pdf_box(S->pdf, MARGIN, S->y - HEAD_H, WIDTH, HEAD_H, 0, 0.87f);
    iv_pdf_gray(S->pdf, 0);
    for (int c = 0; c < C_COUNT; c++)
        iv_pdf_text(S->pdf, IV_PDF_BOLD, CELL_SIZE, S->x[c] + CELL_PAD_X, S->y - 12.5f,
                    words[columns[c].heading]);
    S->y -= HEAD_H;
}

/* A new summary page after the first: a reminder of the title, the headings. */
static void next_page(sheet *S)
{
    const char *head = apr_pstrcat(S->pool, apr_psprintf(S->pool, words[T_TITLE], S->t->date),
                                   " — ", words[T_CONTINUED], NULL);
    iv_pdf_add_page(S->pdf);
    iv_pdf_text(S->pdf, IV_PDF_BOLD, 10, MARGIN, TOP - 10, head);
    iv_pdf_line(S->pdf, MARGIN, TOP - 16, RIGHT, TOP - 16, 0.8f, 0, 0);
    S->y = TOP - 26;
    table_head(S);
}

static void table_row(sheet *S, const stop *s)
{
    apr_array_header_t *lines[C_COUNT];
    int most = 1;
    float h;

    for (int c = 0; c < C_COUNT; c++) {
        lines[c] = cell_lines(S, c, cell_text(s, c));
        if (lines[c]->nelts > most)
            most = lines[c]->nelts;
    }
    h = (float)most * CELL_LEAD + 2 * CELL_PAD_Y;
    if (S->y - h < BOTTOM)
        next_page(S);
    for (int c = 0; c < C_COUNT; c++)
        for (int i = 0; i < lines[c]->nelts; i++)
            iv_pdf_text(S->pdf, c == C_NUMBER ? IV_PDF_BOLD : IV_PDF_REGULAR, CELL_SIZE,
                        S->x[c] + CELL_PAD_X, S->y - CELL_PAD_Y - 8 - (float)i * CELL_LEAD,
                        APR_ARRAY_IDX(lines[c], i, const char *));
    S->y -= h;
    iv_pdf_line(S->pdf, MARGIN, S->y, RIGHT, S->y, 0.4f, 0.7f, 0);
}

/* Lines of text at size over the whole width, from S->y down. */
/* Lines of text over the whole width, from S->y down; after label (bold, may
 * be NULL) on the first line, the lines aligned after it. */
static void paragraph(sheet *S, const char *label, const char *text)
{
    float x = MARGIN + (label ? iv_pdf_width(S->pdf, IV_PDF_BOLD, INFO_SIZE, label) + 4 : 0);
    apr_array_header_t *lines = iv_pdf_wrap(S->pdf, IV_PDF_REGULAR, INFO_SIZE, text,
                                            RIGHT - x);
    if (label)
        iv_pdf_text(S->pdf, IV_PDF_BOLD, INFO_SIZE, MARGIN, S->y - 9.5f, label);
    for (int i = 0; i < lines->nelts; i++) {
        iv_pdf_text(S->pdf, IV_PDF_REGULAR, INFO_SIZE, x, S->y - 9.5f,
                    APR_ARRAY_IDX(lines, i, const char *));
        S->y -= INFO_LEAD;
    }
}

/* Title, who printed it and when, the filters in words, the count. */
static void summary_head(iv_req *rq, sheet *S)
{
    const tour *t = S->t;
    int n = t->stops->nelts;
    const char *printed = apr_psprintf(S->pool, words[T_PRINTED], t->date, t->time,
                                       rq->user->display_name);
    float w = iv_pdf_width(S->pdf, IV_PDF_REGULAR, 8.5f, printed);

    iv_pdf_add_page(S->pdf);
    iv_pdf_text(S->pdf, IV_PDF_BOLD, TITLE_SIZE, MARGIN, TOP - 14,
                apr_psprintf(S->pool, words[T_TITLE], t->date));
    iv_pdf_gray(S->pdf, 0.35f);
    iv_pdf_text(S->pdf, IV_PDF_REGULAR, 8.5f, RIGHT - w, TOP - 12, printed);
    iv_pdf_gray(S->pdf, 0);
    iv_pdf_line(S->pdf, MARGIN, TOP - 22, RIGHT, TOP - 22, 1.2f, 0, 0);
    S->y = TOP - 30;
    paragraph(S, words[T_FILTERS], filters_in_words(S->pool, &t->f));
    paragraph(S, NULL, apr_pstrcat(S->pool, n == 1 ? words[T_ONE]
                                   : apr_psprintf(S->pool, words[T_MANY], n),
                                   words[T_ORDER], NULL));
    S->y -= 8;
}

/* "Tournée du 25/11/2026 — récapitulatif, page 1 / 2" on each summary page. */
static void summary_footers(sheet *S, int pages)
{
    for (int i = 0; i < pages; i++) {
        const char *text = apr_pstrcat(S->pool, apr_psprintf(S->pool, words[T_TITLE],
                                                             S->t->date), " — ",
                                       apr_psprintf(S->pool, words[T_SUMMARY_PAGE], i + 1,
                                                    pages), NULL);
        float w = iv_pdf_width(S->pdf, IV_PDF_REGULAR, 8, text);
        iv_pdf_use_page(S->pdf, i);
        iv_pdf_gray(S->pdf, 0.35f);
        iv_pdf_text(S->pdf, IV_PDF_REGULAR, 8, RIGHT - w, FOOTER_Y, text);
        iv_pdf_gray(S->pdf, 0);
    }
}

static void draw_summary(iv_req *rq, iv_pdf *pdf, const tour *t)
{
    sheet S = { pdf, rq->r->pool, t, { 0 }, TOP };

    column_edges(&S);
    summary_head(rq, &S);
    table_head(&S);
    for (int i = 0; i < t->stops->nelts; i++)
        table_row(&S, &APR_ARRAY_IDX(t->stops, i, stop));
    summary_footers(&S, iv_pdf_page_count(pdf));
}

/* The summary, then every fiche; the fiches' scratch strings go with a pool
 * cleared after each, so a 500-fiche sheet does not keep them all. */
static const char *make_pdf(iv_req *rq, const tour *t, apr_size_t *len)
{
    iv_pdf *pdf = iv_pdf_new(rq->r, rq->conf->pdf_assets);
    apr_pool_t *scratch;

    if (!pdf)
        return NULL;
    apr_pool_create(&scratch, rq->r->pool);
    draw_summary(rq, pdf, t);
    for (int i = 0; i < t->stops->nelts; i++) {
        iv_fiche_draw(pdf, &APR_ARRAY_IDX(t->stops, i, stop).fiche, scratch);
        apr_pool_clear(scratch);
    }
    apr_pool_destroy(scratch);
    return iv_pdf_finish(pdf, len);
}

/* ---------------------------------------------------------------- the handler */

/* Every request printed goes into its history, and the sheet into the audit
 * trail, all or nothing. */
static int record(iv_req *rq, const tour *t)
{
    apr_array_header_t *ids = apr_array_make(rq->r->pool, t->stops->nelts, sizeof(const char *));
    const char *detail;

    for (int i = 0; i < t->stops->nelts; i++)
        APR_ARRAY_PUSH(ids, const char *) = APR_ARRAY_IDX(t->stops, i, stop).id;
    detail = apr_psprintf(rq->r->pool, "fiches=%d filtres=%s", ids->nelts,
                          filters_query(rq->r->pool, &t->f));
    if (iv_db_begin(rq) != 0)
        return -1;
    if (iv_tour_printed(rq, ids) != 0 || iv_audit(rq, rq->user->login, "tournee", detail) != 0) {
        iv_db_rollback(rq);
        return -1;
    }
    return iv_db_commit(rq);
}

static int send_pdf(iv_req *rq, const tour *t, const char *bytes, apr_size_t len)
{
    request_rec *r = rq->r;
    ap_set_content_type(r, "application/pdf");
    apr_table_setn(r->headers_out, "Content-Disposition",
                   iv_content_disposition(r->pool, "inline", apr_pstrcat(r->pool, "tournee-",
                                          t->iso_date, ".pdf", NULL)));
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only)
        ap_rwrite(bytes, (int)len, r);
    return OK;
}

int iv_h_tour(iv_req *rq)
{
    tour t = { 0 };
    const char *bytes;
    apr_size_t len;

    if (iv_list_filters_read(rq, &t.f) != 0)
        return db_failure(rq);
    /* a filter that cannot apply would print another round than the one asked */
    if (filter_errors(&t.f))
        return refusal(rq, &t, HTTP_UNPROCESSABLE_ENTITY, "errors");
    if (iv_tour_ids(rq, t.f.param, &t.ids) != 0)
        return db_failure(rq);
    if (t.ids->nelts > IV_TOUR_MAX)
        return refusal(rq, &t, HTTP_UNPROCESSABLE_ENTITY, "too_many");
    if (read_clock(rq, &t) != 0 || load_stops(rq, &t) != 0)
        return db_failure(rq);
    if (t.stops->nelts == 0)
        return refusal(rq, &t, HTTP_NOT_FOUND, "empty");
    if (!(bytes = make_pdf(rq, &t, &len)))
        return HTTP_INTERNAL_SERVER_ERROR;
    /* as for a single fiche: a HEAD prints nothing, a range is never a printing */
    if (!rq->r->header_only && record(rq, &t) != 0)
        return db_failure(rq);
    apr_table_unset(rq->r->headers_in, "Range");
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, "IV01601: tour sheet of %d requests, "
                  "%" APR_SIZE_T_FMT " bytes", t.stops->nelts, len);
    return send_pdf(rq, &t, bytes, len);
}
