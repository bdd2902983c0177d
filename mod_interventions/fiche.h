/*
 * fiche.h — the fiche d'intervention, the work order the secrétariat prints and
 * hands to the field agent, drawn into a PDF document: by itself
 * ({id}/fiche.pdf, h_fiche.c) or one after another in a tour sheet (fiches.pdf,
 * h_tour.c). Data first (iv_fiche, printed text only), then the layout.
 */
#ifndef IV_FICHE_H
#define IV_FICHE_H

#include "iv.h"
#include "pdf.h"
#include "store_interventions.h"

/* What a fiche shows, as printed (labels, French dates; "" when unknown). */
typedef struct {
    const char *number;          /* "2026 / 58" */
    const char *url;             /* the request's page, absolute: the QR code */
    const apr_array_header_t *communes;  /* banner: labels of the authority's communes */
    const char *origin, *received_date, *received_time, *requester, *nature, *phone, *email;
    const char *commune, *address, *address_more, *object, *object_more;
    const char *team, *sent_date, *sent_time;
    const char *start_date, *start_time, *end_date, *end_time, *comment, *done_by, *closed_by;
} iv_fiche;

/* The banner's communes: those of the authority's territory, as the admin lists
 * them (not the legacy ones outside it). The same for every fiche: load it once
 * per document. Returns 0, or non-zero after the database error was logged. */
int iv_fiche_banner(iv_req *rq, apr_array_header_t **communes);

/* Fills *f from req (as read by iv_request_get), with the banner's communes.
 * Strings live in rq's pool. */
void iv_fiche_from_request(iv_req *rq, const iv_request *req,
                           const apr_array_header_t *communes, iv_fiche *f);

/* Adds the fiche's page(s) to pdf after its current pages: one A4 page, more
 * when its free texts are long (then headed "(suite)"); every page footed with
 * the number and "page k / n" counted within this fiche. pool holds the
 * layout's scratch strings; it may be cleared once this returns. */
void iv_fiche_draw(iv_pdf *pdf, const iv_fiche *f, apr_pool_t *pool);

#endif
