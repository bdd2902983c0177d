#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "apr_strings.h"
#include "apr_tables.h"
#include "clean.h"
#include "source.h"

extern char **environ;

static const char *hex_sha256(apr_pool_t *pool, const char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char *out = apr_palloc(pool, 65);
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    for (unsigned int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    return out;
}

static const char *read_file(apr_pool_t *pool, const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f)
        return apr_psprintf(pool, "%s : %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return apr_psprintf(pool, "%s n'est pas un fichier", path);
    }
    *data = apr_palloc(pool, (apr_size_t)st.st_size + 1);
    *len = fread(*data, 1, (size_t)st.st_size, f);
    (*data)[*len] = '\0';
    int bad = ferror(f) || *len != (size_t)st.st_size;
    fclose(f);
    return bad ? apr_psprintf(pool, "%s : lecture incomplète", path) : NULL;
}

/* Jet (Access 97-2003) and ACE (2007+) files: "Standard Jet DB" or "Standard
 * ACE DB" at offset 4. */
static int is_access(const char *data, size_t len)
{
    return len > 20 && (memcmp(data + 4, "Standard Jet DB", 15) == 0
                        || memcmp(data + 4, "Standard ACE DB", 15) == 0);
}

/* Runs argv, returns its standard output (NUL-terminated, *len) or NULL with
 * *error. */
static char *run(apr_pool_t *pool, char *const argv[], size_t *len, const char **error)
{
    int fds[2], status;
    pid_t pid;
    posix_spawn_file_actions_t actions;
    size_t cap = 1 << 16, n = 0;
    char *out;

    if (pipe(fds) != 0) {
        *error = strerror(errno);
        return NULL;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    int rc = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        *error = apr_psprintf(pool, "%s : %s (paquet mdbtools)", argv[0], strerror(rc));
        return NULL;
    }
    out = malloc(cap);
    for (;;) {
        if (!out) {
            close(fds[0]);
            *error = "mémoire insuffisante";
            return NULL;
        }
        if (n + 1 >= cap) {
            char *bigger = realloc(out, cap *= 2);
            if (!bigger) {
                free(out);
                out = NULL;
                continue;
            }
            out = bigger;
        }
        ssize_t got = read(fds[0], out + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(out);
        *error = apr_psprintf(pool, "%s a échoué (code %d)", argv[0],
                              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return NULL;
    }
    char *copy = apr_palloc(pool, n + 1);
    memcpy(copy, out, n);
    copy[n] = '\0';
    free(out);
    *len = n;
    return copy;
}

static const char *program(const char *env, const char *dflt)
{
    const char *p = getenv(env);
    return p && *p ? p : dflt;
}

/* The table to read: the one asked for, the only one, or the one whose name says
 * it holds the requests. */
static const char *pick_table(apr_pool_t *pool, const char *path, const char *asked,
                              const char **error)
{
    char *argv[] = { (char *)program("IV_MDB_TABLES", "mdb-tables"), "-1", (char *)path, NULL };
    size_t len;
    char *list = run(pool, argv, &len, error), *state = NULL;
    apr_array_header_t *tables = apr_array_make(pool, 8, sizeof(char *));

    if (!list)
        return NULL;
    for (char *t = apr_strtok(list, "\r\n", &state); t; t = apr_strtok(NULL, "\r\n", &state))
        if (*t)
            *(char **)apr_array_push(tables) = t;
    for (int i = 0; asked && i < tables->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(tables, i, char *), asked) == 0)
            return asked;
    if (!asked && tables->nelts == 1)
        return APR_ARRAY_IDX(tables, 0, char *);
    for (int i = 0; !asked && i < tables->nelts; i++) {
        const char *key = iv_imp_key(pool, APR_ARRAY_IDX(tables, i, char *));
        if (strstr(key, "demande") || strstr(key, "intervention"))
            return APR_ARRAY_IDX(tables, i, char *);
    }
    *error = apr_psprintf(pool, "%s « %s » ; tables du fichier : %s (choisir avec --table)",
                          asked ? "table introuvable :" : "table à lire ambiguë", asked ? asked : "",
                          apr_array_pstrcat(pool, tables, ','));
    return NULL;
}

const char *iv_source_read(apr_pool_t *pool, const char *path, const char *table,
                           iv_source *out)
{
    const char *error = NULL, *slash = strrchr(path, '/');
    char *bytes = NULL;
    size_t len = 0;

    memset(out, 0, sizeof *out);
    out->name = slash ? slash + 1 : path;
    if ((error = read_file(pool, path, &bytes, &len)))
        return error;
    out->sha256 = hex_sha256(pool, bytes, len);
    if (!is_access(bytes, len)) {
        out->format = "csv";
        out->data = bytes;
        out->len = len;
        return NULL;
    }
    out->format = "mdb";
    if (!(out->table = pick_table(pool, path, table, &error)))
        return error;
    char *argv[] = { (char *)program("IV_MDB_EXPORT", "mdb-export"), "-d", ";", "-q", "\"",
                     "-D", "%Y-%m-%d", "-T", "%Y-%m-%d %H:%M:%S", (char *)path,
                     (char *)out->table, NULL };
    if (!(out->data = run(pool, argv, &out->len, &error)))
        return error;
    return NULL;
}
