/*
 * pg.h — the little the tool needs of libpq: statements that stop the import on
 * error (the transaction is then rolled back as a whole), and COPY in both
 * directions with a write buffer.
 */
#ifndef IV_IMP_PG_H
#define IV_IMP_PG_H

#include <stddef.h>
#include <libpq-fe.h>

/* Runs sql (no result rows expected); returns 0, or -1 after printing the
 * server's message prefixed by what (a French description of the step). */
int iv_pg_exec(PGconn *conn, const char *what, const char *sql);

/* Same with text parameters ($1…); *affected (may be NULL) gets the row count. */
int iv_pg_execp(PGconn *conn, const char *what, const char *sql, int nparams,
                const char *const *params, long *affected);

/* Runs a query and returns its result (PQclear it), or NULL after printing. */
PGresult *iv_pg_query(PGconn *conn, const char *what, const char *sql, int nparams,
                      const char *const *params);

/* A COPY … FROM STDIN in progress, fed through a buffer. */
typedef struct {
    PGconn *conn;
    char *buf;
    size_t len, cap;
    int failed;
} iv_copy;

int iv_copy_begin(iv_copy *cp, PGconn *conn, const char *what, const char *sql);

/* Appends one value in COPY text format (NULL → \N), then a TAB or, with last,
 * a line end. */
void iv_copy_value(iv_copy *cp, const char *value, int last);

/* Ends the COPY; returns 0 or -1 after printing the server's message. */
int iv_copy_end(iv_copy *cp, const char *what);

/* COPY text held in memory until its table can take it (one COPY at a time runs
 * on a connection: notes and side tables wait for the rows' COPY to end). */
typedef struct {
    char *buf;
    size_t len, cap;
    long rows;
} iv_copybuf;

/* Appends one value in COPY text format (NULL → \N) then a TAB, or with last a
 * line end. Exits on memory exhaustion. */
void iv_copybuf_value(iv_copybuf *b, const char *value, int last);

/* Sends the buffer with sql (a COPY … FROM STDIN) and frees it. */
int iv_copybuf_send(PGconn *conn, const char *what, const char *sql, iv_copybuf *b);

/* Runs a COPY … TO STDOUT and hands every chunk to sink; returns 0 or -1. */
int iv_copy_out(PGconn *conn, const char *what, const char *sql,
                void (*sink)(void *ctx, const char *data, size_t len), void *ctx);

#endif
