/*
 * fiche.c — the fiche d'intervention drawn into a PDF document (fiche.h). One
 * A4 page laid out as the department's paper form: the communes' banner with a
 * QR code back to the request's page, the number and title, the request, then
 * the framed part the agent fills in by hand (printed filled in when already
 * known). A text too long for one page continues on the next, under the number
 * repeated.
 */
#include "httpd.h"
#include <string.h>
#include "apr_strings.h"
#include "http_core.h"

#include "fiche.h"
#include "request_view.h"
#include "stores.h"
#include "validate.h"

/* ---------------------------------------------------------------- the words */

/* The fiche's French text, all here. The PDF is a view like the pages, but the
 * XSLT catalogue does not reach it. The wording is the department's form:
 * change it with them. */
enum {
    T_TITLE, T_NUMBER, T_CONTINUED, T_PAGE, T_ORIGIN, T_RECEIVED, T_AT, T_ON, T_REQUESTER, T_NATURE,
    T_PHONE, T_EMAIL, T_COMMUNE, T_ADDRESS, T_ADDRESS_MORE, T_OBJECT, T_OBJECT_MORE,
    T_SENT_TO, T_WORKER_PART, T_START, T_END, T_COMMENTS, T_DONE_BY, T_CLOSED_BY, T_COUNT
};

static const char *const words[T_COUNT] = {
    [T_TITLE]        = "DEMANDE D'INTERVENTION",
    [T_NUMBER]       = "N°",
    [T_CONTINUED]    = "(suite)",
    [T_PAGE]         = "page",
    [T_ORIGIN]       = "Origine de la demande :",
    [T_RECEIVED]     = "reçue le",
    [T_AT]           = "à",
    [T_ON]           = "le",
    [T_REQUESTER]    = "Demandeur :",
    [T_NATURE]       = "Nature :",
    [T_PHONE]        = "Téléphone :",
    [T_EMAIL]        = "Courriel :",
    [T_COMMUNE]      = "Ville :",
    [T_ADDRESS]      = "Adresse intervention :",
    [T_ADDRESS_MORE] = "Adresse et informations complémentaire(s) :",
    [T_OBJECT]       = "Objet de la demande :",
    [T_OBJECT_MORE]  = "Commentaire(s) complémentaire(s) :",
    [T_SENT_TO]      = "Transmise à :",
    [T_WORKER_PART]  = "Partie à remplir par l'intervenant avant de rendre l'imprimé "
                       "au secrétariat",
    [T_START]        = "Début de l'intervention le",
    [T_END]          = "Fin de l'intervention le",
    [T_COMMENTS]     = "Commentaire(s) :",
    [T_DONE_BY]      = "Fait par",
    [T_CLOSED_BY]    = ", clôturée par",
};

/* ---------------------------------------------------------------- the page */

#define MARGIN      42.5f                       /* 15 mm left and right */
#define RIGHT       (IV_PDF_A4_WIDTH - MARGIN)
#define WIDTH       (RIGHT - MARGIN)
#define TOP         (IV_PDF_A4_HEIGHT - 34.0f)  /* 12 mm */
#define BOTTOM      56.0f                       /* the body stops above the footer */
#define FOOTER_Y    34.0f                       /* 12 mm */

#define QR_SIZE     68.0f                       /* 24 mm: one scan from a phone */
#define LOGO_W      110.0f
#define BANNER_SIZE 8.5f
#define BANNER_LEAD 11.5f

#define LABEL_SIZE  9.0f
#define VALUE_SIZE  10.0f
#define LEAD        13.5f                       /* baseline to baseline */
#define TEXT_SIZE   9.5f                        /* the free texts, which may be long */
#define TEXT_LEAD   12.5f
#define BASELINE    10.0f                       /* from a line's top to its baseline */
#define LABEL_W     158.0f
#define VALUE_X     (MARGIN + LABEL_W + 8.0f)
#define ROW_GAP     4.0f

#define PAD         10.0f                       /* inside the framed part */
#define BAND_H      20.0f
#define FIELD_ROW   24.0f
#define RULE_H      19.0f                       /* ruled lines to write on */
#define MIN_RULES   7                           /* with the known comment's lines */
#define MIN_BLANK   3                           /* after a known comment */

/* Where the layout stands: y is the top of the free space on the page. */
typedef struct {
    iv_pdf *pdf;
    apr_pool_t *pool;
    const iv_fiche *f;
    int first_page;              /* index of the fiche's first page in the document */
    float y;
    float frame_top;             /* top of the framed part on this page; 0: none open */
} layout;

/* ---------------------------------------------------------------- data */

static void split_datetime(apr_pool_t *p, const char *canonical, const char **date,
                           const char **time)
{
    const char *french = iv_datetime_french(p, canonical);   /* "23/06/2025 16:17" */
    const char *space = strchr(french, ' ');
    *date = space ? apr_pstrmemdup(p, french, (apr_size_t)(space - french)) : french;
    *time = space ? space + 1 : "";
}

static const char *value_of(const iv_request *req, const char *name)
{
    const char *v = apr_table_get(req->values, name);
    return v ? v : "";
}

static const char *label_of(const iv_request *req, const char *name)
{
    const char *v = apr_table_get(req->labels, name);
    return v ? v : "";
}

int iv_fiche_banner(iv_req *rq, apr_array_header_t **names)
{
    apr_array_header_t *values;
    int rv = iv_refs_active(rq, "communes", "", &values);

    *names = apr_array_make(rq->r->pool, 16, sizeof(const char *));
    for (int i = 0; rv == 0 && i < values->nelts; i++) {
        const iv_ref_value *v = APR_ARRAY_IDX(values, i, const iv_ref_value *);
        if (v->active && v->extra && v->extra[0] == 't')
            APR_ARRAY_PUSH(*names, const char *) = v->label;
    }
    return rv;
}

void iv_fiche_from_request(iv_req *rq, const iv_request *req,
                           const apr_array_header_t *communes, iv_fiche *f)
{
    apr_pool_t *p = rq->r->pool;
    const char *title = label_of(req, "titre"), *name = value_of(req, "nom");

    memset(f, 0, sizeof *f);
    f->number = apr_pstrcat(p, req->year, " / ", req->number, NULL);
    f->url = ap_construct_url(p, apr_pstrcat(p, rq->base, "/", req->id, NULL), rq->r);
    f->origin = label_of(req, "origine");
    split_datetime(p, value_of(req, "date_recue"), &f->received_date, &f->received_time);
    f->requester = apr_pstrcat(p, title, *title && *name ? " " : "", name, NULL);
    f->nature = label_of(req, "nature");
    f->phone = iv_phone_display(p, value_of(req, "telephone"));
    f->email = value_of(req, "courriel");
    f->commune = label_of(req, "ville");
    f->address = value_of(req, "adresse");
    f->address_more = value_of(req, "complement_adresse");
    f->object = label_of(req, "objet");
    f->object_more = value_of(req, "complement_objet");
    f->team = label_of(req, "equipe");
    split_datetime(p, value_of(req, "date_transmission"), &f->sent_date, &f->sent_time);
    split_datetime(p, value_of(req, "debut"), &f->start_date, &f->start_time);
    split_datetime(p, value_of(req, "fin"), &f->end_date, &f->end_time);
    f->comment = value_of(req, "commentaire");
    f->done_by = label_of(req, "realisee_par");
    f->closed_by = label_of(req, "cloturee_par");
    f->communes = communes;
}

/* ---------------------------------------------------------------- pages */

/* "N° 2026 / 58" */
static const char *number_line(layout *L)
{
    return apr_pstrcat(L->pool, words[T_NUMBER], " ", L->f->number, NULL);
}

/* Pages after the first start with the title and number, marked "(suite)". */
static void continuation_header(layout *L)
{
    const char *head = apr_pstrcat(L->pool, words[T_TITLE], " — ", number_line(L), " ",
                                   words[T_CONTINUED], NULL);
    iv_pdf_text(L->pdf, IV_PDF_BOLD, 10, MARGIN, TOP - 10, head);
    iv_pdf_line(L->pdf, MARGIN, TOP - 16, RIGHT, TOP - 16, 0.8f, 0, 0);
    L->y = TOP - 26;
}

/* Closes the framed part on this page at y. */
static void close_frame(layout *L, float y)
{
    iv_pdf_box(L->pdf, MARGIN, y, WIDTH, L->frame_top - y, 1.0f, -1);
}

static void new_page(layout *L)
{
    int framed = L->frame_top > 0;
    if (framed)
        close_frame(L, L->y);
    iv_pdf_add_page(L->pdf);
    continuation_header(L);
    if (framed) {
        L->frame_top = L->y;
        L->y -= PAD;
    }
}

/* Makes room for height points, on a new page if this one is full. */
static void need(layout *L, float height)
{
    if (L->y - height < BOTTOM)
        new_page(L);
}

/* The number and page on every page of the fiche, once its page count is
 * known (counted within the fiche: in a tour sheet each is handed out alone). */
static void footers(layout *L)
{
    int pages = iv_pdf_page_count(L->pdf) - L->first_page;
    for (int i = 0; i < pages; i++) {
        const char *text = apr_psprintf(L->pool, "%s — %s %d / %d", number_line(L),
                                        words[T_PAGE], i + 1, pages);
        float w = iv_pdf_width(L->pdf, IV_PDF_REGULAR, 8, text);
        iv_pdf_use_page(L->pdf, L->first_page + i);
        iv_pdf_gray(L->pdf, 0.35f);
        iv_pdf_text(L->pdf, IV_PDF_REGULAR, 8, RIGHT - w, FOOTER_Y, text);
        iv_pdf_gray(L->pdf, 0);
    }
}

/* ---------------------------------------------------------------- banner */

/* The communes' names in centred lines, whole names only, " · " between them. */
static int communes_lines(layout *L, float width, apr_array_header_t **lines)
{
    const apr_array_header_t *names = L->f->communes;
    const char *line = NULL;

    *lines = apr_array_make(L->pool, 4, sizeof(const char *));
    for (int i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        const char *longer = line ? apr_pstrcat(L->pool, line, " · ", name, NULL) : name;
        if (line && iv_pdf_width(L->pdf, IV_PDF_REGULAR, BANNER_SIZE, longer) > width) {
            APR_ARRAY_PUSH(*lines, const char *) = line;
            longer = name;
        }
        line = longer;
    }
    if (line)
        APR_ARRAY_PUSH(*lines, const char *) = line;
    return (*lines)->nelts;
}

static void draw_banner(layout *L)
{
    float logo = iv_pdf_logo(L->pdf, MARGIN, TOP, LOGO_W, QR_SIZE);
    float left = MARGIN + (logo > 0 ? logo + 14 : 0), right = RIGHT - QR_SIZE - 14;
    apr_array_header_t *lines;
    int n = communes_lines(L, right - left, &lines);
    float height = QR_SIZE > n * BANNER_LEAD ? QR_SIZE : n * BANNER_LEAD;
    float y = TOP - (height - n * BANNER_LEAD) / 2 - 8.5f;

    iv_pdf_gray(L->pdf, 0.2f);
    for (int i = 0; i < n; i++, y -= BANNER_LEAD) {
        const char *line = APR_ARRAY_IDX(lines, i, const char *);
        float w = iv_pdf_width(L->pdf, IV_PDF_REGULAR, BANNER_SIZE, line);
        iv_pdf_text(L->pdf, IV_PDF_REGULAR, BANNER_SIZE, left + (right - left - w) / 2, y, line);
    }
    iv_pdf_gray(L->pdf, 0);
    iv_pdf_qr(L->pdf, L->f->url, RIGHT - QR_SIZE, TOP - QR_SIZE, QR_SIZE);
    L->y = TOP - height - 12;
    iv_pdf_line(L->pdf, MARGIN, L->y, RIGHT, L->y, 1.2f, 0, 0);
}

/* "N° 2026 / 58" at the right, the title centred on the same line. */
static void draw_heading(layout *L)
{
    const char *number = number_line(L);
    float base = L->y - 30;
    iv_pdf_text(L->pdf, IV_PDF_BOLD, 12, RIGHT - iv_pdf_width(L->pdf, IV_PDF_BOLD, 12, number),
                base + 1, number);
    iv_pdf_text(L->pdf, IV_PDF_BOLD, 17,
                MARGIN + (WIDTH - iv_pdf_width(L->pdf, IV_PDF_BOLD, 17, words[T_TITLE])) / 2,
                base, words[T_TITLE]);
    L->y = base - 20;
}

/* ---------------------------------------------------------------- request */

static void separator(layout *L)
{
    iv_pdf_line(L->pdf, MARGIN, L->y + ROW_GAP / 2, RIGHT, L->y + ROW_GAP / 2, 0.4f, 0.75f, 0);
}

/* Lines of text from x, a new page whenever one is full. */
static void value_lines(layout *L, const apr_array_header_t *lines, float x,
                        float size, float lead)
{
    for (int i = 0; i < lines->nelts; i++) {
        const char *line = APR_ARRAY_IDX(lines, i, const char *);
        need(L, lead);
        iv_pdf_text(L->pdf, IV_PDF_REGULAR, size, x, L->y - BASELINE, line);
        L->y -= lead;
    }
}

/* A label in the left column, its value at its right (wrapped there). The
 * label's lines and the value's first lines stay on one page. */
static void field_row(layout *L, int label, const char *value)
{
    apr_array_header_t *labels = iv_pdf_wrap(L->pdf, IV_PDF_BOLD, LABEL_SIZE, words[label],
                                             LABEL_W);
    apr_array_header_t *values = iv_pdf_wrap(L->pdf, IV_PDF_REGULAR, VALUE_SIZE, value,
                                             RIGHT - VALUE_X);
    int page;
    float top;

    need(L, LEAD * (float)labels->nelts);
    page = iv_pdf_page_count(L->pdf);
    top = L->y;
    for (int i = 0; i < labels->nelts; i++)
        iv_pdf_text(L->pdf, IV_PDF_BOLD, LABEL_SIZE, MARGIN, top - BASELINE - (float)i * LEAD,
                    APR_ARRAY_IDX(labels, i, const char *));
    value_lines(L, values, VALUE_X, VALUE_SIZE, LEAD);
    if (page == iv_pdf_page_count(L->pdf) && L->y > top - LEAD * (float)labels->nelts)
        L->y = top - LEAD * (float)labels->nelts;
    L->y -= ROW_GAP;
    separator(L);
}

/* A label over the whole width, its text below it: the free texts. */
static void text_row(layout *L, int label, const char *value)
{
    apr_array_header_t *values = iv_pdf_wrap(L->pdf, IV_PDF_REGULAR, TEXT_SIZE, value,
                                             WIDTH - 12);
    need(L, LEAD + (values->nelts ? TEXT_LEAD : 0));
    iv_pdf_text(L->pdf, IV_PDF_BOLD, LABEL_SIZE, MARGIN, L->y - BASELINE, words[label]);
    L->y -= LEAD;
    value_lines(L, values, MARGIN + 12, TEXT_SIZE, TEXT_LEAD);
    L->y -= ROW_GAP;
    separator(L);
}

/* "Téléphone reçue le 23/06/2025 à 16:17", "Pôle petits travaux le 23/06/2025 à 16:22" */
static const char *when(apr_pool_t *p, const char *what, const char *on, const char *date,
                        const char *time)
{
    if (!*date)
        return what;
    return apr_pstrcat(p, what, *what ? " " : "", on, " ", date, *time ? " " : "",
                       *time ? words[T_AT] : "", *time ? " " : "", time, NULL);
}

static void draw_request(layout *L)
{
    const iv_fiche *f = L->f;
    L->y -= ROW_GAP;
    field_row(L, T_ORIGIN,
              when(L->pool, f->origin, words[T_RECEIVED], f->received_date, f->received_time));
    field_row(L, T_REQUESTER, f->requester);
    field_row(L, T_NATURE, f->nature);
    field_row(L, T_PHONE, f->phone);
    field_row(L, T_EMAIL, f->email);
    field_row(L, T_COMMUNE, f->commune);
    field_row(L, T_ADDRESS, f->address);
    text_row(L, T_ADDRESS_MORE, f->address_more);
    field_row(L, T_OBJECT, f->object);
    text_row(L, T_OBJECT_MORE, f->object_more);
    field_row(L, T_SENT_TO, when(L->pool, f->team, words[T_ON], f->sent_date, f->sent_time));
}

/* ---------------------------------------------------------------- the agent's part */

/* A dotted blank of width w at baseline y to write on, with the value printed
 * on it when known (smaller if it would not fit). Returns the x after it. */
static float blank(layout *L, float x, float y, float w, const char *value)
{
    float size = VALUE_SIZE, vw;
    iv_pdf_line(L->pdf, x, y - 2.5f, x + w, y - 2.5f, 0.8f, 0.3f, 1);
    if (!*value)
        return x + w;
    vw = iv_pdf_width(L->pdf, IV_PDF_REGULAR, size, value);
    if (vw > w - 4)
        size = size * (w - 4) / vw;
    iv_pdf_text(L->pdf, IV_PDF_REGULAR, size, x + 2, y, value);
    return x + w;
}

/* "Début de l'intervention le ____ à ____", the blanks of both rows aligned. */
static void time_row(layout *L, int label, const char *date, const char *time)
{
    float y, x, start = iv_pdf_width(L->pdf, IV_PDF_BOLD, LABEL_SIZE, words[T_START]);
    float end = iv_pdf_width(L->pdf, IV_PDF_BOLD, LABEL_SIZE, words[T_END]);

    need(L, FIELD_ROW);
    y = L->y - FIELD_ROW + 8;
    iv_pdf_text(L->pdf, IV_PDF_BOLD, LABEL_SIZE, MARGIN + PAD, y, words[label]);
    x = MARGIN + PAD + (start > end ? start : end);
    x = blank(L, x + 6, y, 90, date);
    x += 6 + iv_pdf_text(L->pdf, IV_PDF_BOLD, LABEL_SIZE, x + 6, y, words[T_AT]);
    blank(L, x + 6, y, 50, time);
    L->y -= FIELD_ROW;
}

/* "Commentaire(s) :", the known comment, then ruled lines to write on. */
static void comment_lines(layout *L, const apr_array_header_t *lines, int rules)
{
    need(L, LEAD + (lines->nelts ? TEXT_LEAD : RULE_H));
    iv_pdf_text(L->pdf, IV_PDF_BOLD, LABEL_SIZE, MARGIN + PAD, L->y - BASELINE - 4,
                words[T_COMMENTS]);
    L->y -= LEAD + 4;
    value_lines(L, lines, MARGIN + PAD + 2, TEXT_SIZE, TEXT_LEAD);
    for (int i = 0; i < rules; i++) {
        need(L, RULE_H);
        iv_pdf_line(L->pdf, MARGIN + PAD, L->y - RULE_H + 2, RIGHT - PAD, L->y - RULE_H + 2,
                    0.5f, 0.55f, 0);
        L->y -= RULE_H;
    }
}

/* "Fait par ____ , clôturée par ____" */
static void agents_row(layout *L)
{
    float y, x, room, field;
    need(L, FIELD_ROW + 6);
    y = L->y - FIELD_ROW + 2;
    room = WIDTH - 2 * PAD - 12
           - iv_pdf_width(L->pdf, IV_PDF_BOLD, LABEL_SIZE, words[T_DONE_BY])
           - iv_pdf_width(L->pdf, IV_PDF_BOLD, LABEL_SIZE, words[T_CLOSED_BY]);
    field = room / 2;
    x = MARGIN + PAD + iv_pdf_text(L->pdf, IV_PDF_BOLD, LABEL_SIZE, MARGIN + PAD, y,
                                   words[T_DONE_BY]);
    x = blank(L, x + 6, y, field, L->f->done_by);
    x += iv_pdf_text(L->pdf, IV_PDF_BOLD, LABEL_SIZE, x, y, words[T_CLOSED_BY]);
    blank(L, x + 6, y, field, L->f->closed_by);
    L->y -= FIELD_ROW + 6;
}

/* The title band of the framed part. */
static void worker_band(layout *L)
{
    apr_array_header_t *lines = iv_pdf_wrap(L->pdf, IV_PDF_BOLD, 10, words[T_WORKER_PART],
                                            WIDTH - 2 * PAD);
    float h = BAND_H + (float)(lines->nelts - 1) * 12;
    iv_pdf_box(L->pdf, MARGIN, L->y - h, WIDTH, h, 0, 0.87f);
    for (int i = 0; i < lines->nelts; i++) {
        const char *line = APR_ARRAY_IDX(lines, i, const char *);
        float w = iv_pdf_width(L->pdf, IV_PDF_BOLD, 10, line);
        iv_pdf_text(L->pdf, IV_PDF_BOLD, 10, MARGIN + (WIDTH - w) / 2,
                    L->y - 13.5f - (float)i * 12, line);
    }
    L->y -= h + 4;
}

/* Height of the framed part (a one-line band) with a comment of lines lines and
 * rules ruled lines. */
static float worker_height(int lines, int rules)
{
    return BAND_H + 4 + 2 * FIELD_ROW + LEAD + 4 + (float)lines * TEXT_LEAD
           + (float)rules * RULE_H + FIELD_ROW + 6 + PAD;
}

/* The framed part: on one page when a page can hold it, its ruled lines then
 * filling what the page has left (the agent writes more than the minimum). */
static void draw_worker_part(layout *L)
{
    apr_array_header_t *lines = iv_pdf_wrap(L->pdf, IV_PDF_REGULAR, TEXT_SIZE, L->f->comment,
                                            WIDTH - 2 * PAD - 4);
    int rules = MIN_RULES - lines->nelts > MIN_BLANK ? MIN_RULES - lines->nelts : MIN_BLANK;
    float height = worker_height(lines->nelts, rules);

    L->y -= 10;
    need(L, height <= TOP - 26 - BOTTOM ? height : BAND_H + 2 * FIELD_ROW);
    if (L->y - height >= BOTTOM)
        rules += (int)((L->y - BOTTOM - height) / RULE_H);
    L->frame_top = L->y;
    worker_band(L);
    time_row(L, T_START, L->f->start_date, L->f->start_time);
    time_row(L, T_END, L->f->end_date, L->f->end_time);
    comment_lines(L, lines, rules);
    agents_row(L);
    L->y -= PAD;
    close_frame(L, L->y);
    L->frame_top = 0;
}

void iv_fiche_draw(iv_pdf *pdf, const iv_fiche *f, apr_pool_t *pool)
{
    layout L = { pdf, pool, f, iv_pdf_page_count(pdf), TOP, 0 };
    iv_pdf_add_page(pdf);
    draw_banner(&L);
    draw_heading(&L);
    draw_request(&L);
    draw_worker_part(&L);
    footers(&L);
}
