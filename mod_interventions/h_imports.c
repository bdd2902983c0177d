/*
 * h_imports.c — admin/imports: the runs of the legacy import with their
 * summaries, and each run's report CSV to download. The import itself is a
 * command-line tool (tools/interventions-import): these pages only read what it
 * recorded in the imports table.
 */
#include <string.h>
#include "httpd.h"
#include "apr_strings.h"
#include "http_protocol.h"

#include "routes.h"
#include "http_util.h"
#include "stores.h"
#include "view.h"

/* Excel on Windows reads a UTF-8 CSV correctly only with a BOM. */
#define UTF8_BOM "\xEF\xBB\xBF"

static int db_failure(iv_req *rq)
{
    return iv_db(rq) ? HTTP_INTERNAL_SERVER_ERROR : HTTP_SERVICE_UNAVAILABLE;
}

static void add_run(xmlNodePtr parent, const iv_import_run *run)
{
    xmlNodePtr n = iv_node(parent, "import");
    const char *const attrs[][2] = {
        { "id", run->id }, { "date", run->date }, { "time", run->time }, { "login", run->login },
        { "source", run->source }, { "format", run->format }, { "encoding", run->encoding },
        { "dry-run", run->dry_run }, { "create-missing", run->create_missing },
        { "read", run->read }, { "imported", run->imported }, { "corrected", run->corrected },
        { "duplicates", run->duplicates }, { "rejected", run->rejected },
        { "already", run->already }, { "report-lines", run->report_lines },
    };
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
        iv_attr(n, attrs[i][0], attrs[i][1]);
    for (int i = 0; i < run->reasons->nelts; i++) {
        const iv_import_reason *r = &APR_ARRAY_IDX(run->reasons, i, iv_import_reason);
        xmlNodePtr reason = iv_node(n, "reason");
        iv_attr(reason, "outcome", r->outcome);
        iv_attr(reason, "text", r->text);
        iv_attr(reason, "rows", r->rows);
    }
}

int iv_h_imports_list(iv_req *rq)
{
    apr_array_header_t *runs;
    xmlNodePtr page, imports;

    if (iv_imports_list(rq, &runs) != 0)
        return db_failure(rq);
    page = iv_page_new(rq, "admin_imports");
    imports = iv_node(page, "imports");
    for (int i = 0; i < runs->nelts; i++)
        add_run(imports, APR_ARRAY_IDX(runs, i, const iv_import_run *));
    return iv_page_send(rq, page, HTTP_OK);
}

int iv_h_imports_report(iv_req *rq)
{
    const char *id = iv_route_param(&rq->params, "id"), *csv;

    /* {id} is digits only; more than a bigint holds is no import */
    if (strlen(id) > 18)
        return HTTP_NOT_FOUND;
    if (iv_imports_report(rq, id, &csv) != 0)
        return db_failure(rq);
    if (!csv)
        return HTTP_NOT_FOUND;
    /* the report quotes requesters' names and phones: reading it is recorded */
    if (iv_audit(rq, rq->user->login, "export", apr_psprintf(rq->r->pool,
                 "rapport de l'import n° %s", id)) != 0)
        return db_failure(rq);
    ap_set_content_type(rq->r, "text/csv; charset=utf-8");
    apr_table_setn(rq->r->headers_out, "Content-Disposition",
                   apr_psprintf(rq->r->pool, "attachment; filename=\"import-%s-rapport.csv\"", id));
    ap_set_content_length(rq->r, (apr_off_t)(strlen(UTF8_BOM) + strlen(csv)));
    if (!rq->r->header_only) {
        ap_rputs(UTF8_BOM, rq->r);
        ap_rwrite(csv, (int)strlen(csv), rq->r);
    }
    return OK;
}
