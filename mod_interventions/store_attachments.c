/*
 * store_attachments.c — the rows of the files attached to requests (the files
 * themselves live under InterventionsUploadDir, see upload.c).
 */
#include "httpd.h"
#include "apr_strings.h"
#include "store_attachments.h"

const iv_statement iv_attachment_statements[] = {
    /* numbers per request come from max(n) + 1 under the request's row lock */
    { "iv_att_lock", "SELECT id FROM interventions WHERE id = %s::bigint FOR UPDATE" },
    { "iv_att_insert",
      "INSERT INTO attachments (intervention_id, n, original_name, stored_name, content_type, "
      " size, created_by) "
      "SELECT %s::bigint, coalesce(max(n), 0) + 1, %s, %s, %s, %s::bigint, %s "
      "  FROM attachments WHERE intervention_id = %s::bigint RETURNING n" },
    { "iv_att_list",
      "SELECT n, original_name, content_type, size, to_char(created_at, 'DD/MM/YYYY HH24:MI') "
      "FROM attachments WHERE intervention_id = %s::bigint ORDER BY n" },
    { "iv_att_get",
      "SELECT original_name, stored_name, content_type, size FROM attachments "
      "WHERE intervention_id = %s::bigint AND n = %s::int" },
    { NULL, NULL }
};

int iv_attachments_insert(iv_req *rq, const char *id, const iv_upload *files, int count)
{
    const char **v;
    if (iv_db_select_row(rq, "iv_att_lock", &v, IV_ARGS(id)) != 0)
        return -1;
    for (int i = 0; i < count; i++) {
        const iv_upload *u = &files[i];
        const char *size = apr_off_t_toa(rq->r->pool, u->size);
        if (iv_db_select_row(rq, "iv_att_insert", &v,
                             IV_ARGS(id, u->original_name, u->stored_name, u->content_type, size,
                                     rq->user->login, id)) != 0)
            return -1;
    }
    return 0;
}

int iv_attachments_list(iv_req *rq, const char *id, apr_dbd_results_t **res)
{
    return iv_db_select(rq, "iv_att_list", res, IV_ARGS(id));
}

int iv_attachment_get(iv_req *rq, const char *id, const char *n, const char ***row)
{
    return iv_db_select_row(rq, "iv_att_get", row, IV_ARGS(id, n));
}
