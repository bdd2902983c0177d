#include "httpd.h"
#include "apr_strings.h"
#include "apr_buckets.h"
#include "http_protocol.h"

#include "form.h"
#include "text.h"

int iv_form_read(iv_req *rq)
{
    apr_array_header_t *pairs = NULL;
    int rv;

    rq->form = apr_table_make(rq->r->pool, 16);
    rv = ap_parse_form_data(rq->r, NULL, &pairs, IV_FORM_MAX_FIELDS, IV_FORM_MAX_BYTES);
    if (rv != OK)
        return rv;
    for (int i = 0; pairs && i < pairs->nelts; i++) {
        ap_form_pair_t *pair = &APR_ARRAY_IDX(pairs, i, ap_form_pair_t);
        char *value = NULL;
        apr_size_t len = 0;

        if (apr_brigade_pflatten(pair->value, &value, &len, rq->r->pool) != APR_SUCCESS)
            return HTTP_BAD_REQUEST;
        value = apr_pstrmemdup(rq->r->pool, value ? value : "", len);
        if (!iv_utf8_valid(pair->name, strlen(pair->name)) || !iv_utf8_valid(value, len))
            return HTTP_BAD_REQUEST;
        if (!apr_table_get(rq->form, pair->name))
            apr_table_setn(rq->form, pair->name, iv_strip_controls(rq->r->pool, value));
    }
    return OK;
}

const char *iv_form_get(iv_req *rq, const char *name)
{
    const char *v = rq->form ? apr_table_get(rq->form, name) : NULL;
    return v ? v : "";
}
