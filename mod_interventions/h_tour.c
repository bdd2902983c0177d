/* h_tour.c — placeholder until the tour sheet lands (issue 6). */
#include "httpd.h"
#include "routes.h"

int iv_h_tour(iv_req *rq) { (void)rq; return HTTP_NOT_FOUND; }
