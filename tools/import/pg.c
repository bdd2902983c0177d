#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg.h"

static void report_error(const char *what, const char *message)
{
    fprintf(stderr, "interventions-import : %s : %s", what, message);
    if (!*message || message[strlen(message) - 1] != '\n')
        fputc('\n', stderr);
}

int iv_pg_exec(PGconn *conn, const char *what, const char *sql)
{
    /* the simple protocol: sql may hold several statements */
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        report_error(what, PQresultErrorMessage(res));
        rc = -1;
    }
    PQclear(res);
    return rc;
}

int iv_pg_execp(PGconn *conn, const char *what, const char *sql, int nparams,
                const char *const *params, long *affected)
{
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        report_error(what, PQresultErrorMessage(res));
        rc = -1;
    } else if (affected) {
        *affected = atol(PQcmdTuples(res));
    }
    PQclear(res);
    return rc;
}

PGresult *iv_pg_query(PGconn *conn, const char *what, const char *sql, int nparams,
                      const char *const *params)
{
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        report_error(what, PQresultErrorMessage(res));
        PQclear(res);
        return NULL;
    }
    return res;
}

int iv_copy_begin(iv_copy *cp, PGconn *conn, const char *what, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    memset(cp, 0, sizeof *cp);
    cp->conn = conn;
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        report_error(what, PQresultErrorMessage(res));
        PQclear(res);
        cp->failed = 1;
        return -1;
    }
    PQclear(res);
    /* NB: sent by chunks smaller than the socket's buffer, the data leaves
     * without blocking while the server parses the previous chunk; 1 MB chunks
     * made client and server take turns (11 s instead of 7 for a million rows) */
    cp->cap = 1 << 16;
    cp->buf = malloc(cp->cap);
    if (!cp->buf) {
        cp->failed = 1;
        return -1;
    }
    return 0;
}

static void flush(iv_copy *cp)
{
    if (cp->len && !cp->failed && PQputCopyData(cp->conn, cp->buf, (int)cp->len) != 1)
        cp->failed = 1;
    cp->len = 0;
}

/* Room for n more bytes: flushes when the buffer is full, grows it for a value
 * longer than the buffer. */
static void reserve(iv_copy *cp, size_t n)
{
    if (cp->len + n <= cp->cap)
        return;
    flush(cp);
    if (n > cp->cap) {
        char *bigger = realloc(cp->buf, n);
        if (!bigger) {
            fprintf(stderr, "interventions-import : mémoire insuffisante\n");
            exit(1);
        }
        cp->buf = bigger;
        cp->cap = n;
    }
}

/* One value in COPY's text format at o (room for 2 × strlen + 2 bytes): \N for
 * NULL, backslash and the three separators escaped, then the column's end (tab, or
 * newline after the row's last). Returns the end of what was written. */
static char *copy_text(char *o, const char *value, int last)
{
    if (!value) {
        *o++ = '\\';
        *o++ = 'N';
    } else {
        /* most values have nothing to escape: one copy */
        size_t plain = strcspn(value, "\\\t\n\r");
        memcpy(o, value, plain);
        o += plain;
        for (const char *p = value + plain; *p; p++) {
            switch (*p) {
            case '\\': *o++ = '\\'; *o++ = '\\'; break;
            case '\t': *o++ = '\\'; *o++ = 't'; break;
            case '\n': *o++ = '\\'; *o++ = 'n'; break;
            case '\r': *o++ = '\\'; *o++ = 'r'; break;
            default:   *o++ = *p;
            }
        }
    }
    *o++ = last ? '\n' : '\t';
    return o;
}

void iv_copy_value(iv_copy *cp, const char *value, int last)
{
    reserve(cp, value ? 2 * strlen(value) + 2 : 3);
    cp->len = (size_t)(copy_text(cp->buf + cp->len, value, last) - cp->buf);
}

/* The results that end a COPY: 0 when every one succeeded, else -1 (reported). */
static int copy_outcome(PGconn *conn, const char *what)
{
    PGresult *res;
    int rc = 0;
    while ((res = PQgetResult(conn))) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            report_error(what, PQresultErrorMessage(res));
            rc = -1;
        }
        PQclear(res);
    }
    return rc;
}

int iv_copy_end(iv_copy *cp, const char *what)
{
    int rc;

    flush(cp);
    free(cp->buf);
    cp->buf = NULL;
    if (PQputCopyEnd(cp->conn, cp->failed ? "échec côté client" : NULL) != 1)
        cp->failed = 1;
    rc = copy_outcome(cp->conn, what);
    return cp->failed ? -1 : rc;
}

int iv_copy_out(PGconn *conn, const char *what, const char *sql,
                void (*sink)(void *ctx, const char *data, size_t len), void *ctx)
{
    PGresult *res = PQexec(conn, sql);
    char *chunk;
    int n, rc = 0;

    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        report_error(what, PQresultErrorMessage(res));
        PQclear(res);
        return -1;
    }
    PQclear(res);
    while ((n = PQgetCopyData(conn, &chunk, 0)) > 0) {
        sink(ctx, chunk, (size_t)n);
        PQfreemem(chunk);
    }
    if (n == -2)
        rc = -1;
    if (copy_outcome(conn, what) != 0)
        rc = -1;
    return rc;
}

void iv_copybuf_value(iv_copybuf *b, const char *value, int last)
{
    size_t n = value ? 2 * strlen(value) + 2 : 3;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + n)
            cap *= 2;
        char *bigger = realloc(b->buf, cap);
        if (!bigger) {
            fputs("interventions-import : mémoire insuffisante\n", stderr);
            exit(1);
        }
        b->buf = bigger;
        b->cap = cap;
    }
    b->len = (size_t)(copy_text(b->buf + b->len, value, last) - b->buf);
    b->rows += last;
}

int iv_copybuf_send(PGconn *conn, const char *what, const char *sql, iv_copybuf *b)
{
    PGresult *res = PQexec(conn, sql);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        report_error(what, PQresultErrorMessage(res));
        PQclear(res);
        free(b->buf);
        memset(b, 0, sizeof *b);
        return -1;
    }
    PQclear(res);
    for (size_t off = 0; off < b->len && rc == 0; off += 1 << 20) {
        size_t n = b->len - off < (1 << 20) ? b->len - off : 1 << 20;
        rc = PQputCopyData(conn, b->buf + off, (int)n) == 1 ? 0 : -1;
    }
    free(b->buf);
    memset(b, 0, sizeof *b);
    if (PQputCopyEnd(conn, rc ? "échec côté client" : NULL) != 1)
        rc = -1;
    if (copy_outcome(conn, what) != 0)
        rc = -1;
    return rc;
}
