/* h_export.c — placeholder until the exports land (issue 6). */
#include "httpd.h"
#include "routes.h"

int iv_h_export_csv(iv_req *rq) { (void)rq; return HTTP_NOT_FOUND; }
int iv_h_export_xlsx(iv_req *rq) { (void)rq; return HTTP_NOT_FOUND; }
int iv_h_export_ods(iv_req *rq) { (void)rq; return HTTP_NOT_FOUND; }
