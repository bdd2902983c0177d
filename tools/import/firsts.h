/*
 * firsts.h — which row first had a given key: a table of 64-bit keys to row
 * numbers, open addressing, no per-entry allocation (a million rows take 32 MB).
 * The import finds its candidate duplicates and number conflicts with it while
 * streaming, so that SQL compares only the few rows that share a key instead of
 * grouping the million. A key may stand for several values (a hash): SQL checks
 * the candidates exactly, so a collision only adds a candidate. Pure C.
 */
#ifndef IV_IMP_FIRSTS_H
#define IV_IMP_FIRSTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t key;               /* 0: free */
    long row;
} iv_first;

typedef struct {
    iv_first *slots;            /* key and row side by side: one cache miss a lookup */
    size_t cap, count;
} iv_firsts;

void iv_firsts_init(iv_firsts *t);
void iv_firsts_free(iv_firsts *t);

/* The row that first had key, or 0 after recording row as the first (rows are
 * numbered from 1). Exits on memory exhaustion. */
long iv_firsts_seen(iv_firsts *t, uint64_t key, long row);

/* FNV-1a of the strings (NULL counts as a marker), to make keys of several values. */
uint64_t iv_firsts_hash(const char *const *values, int n);

#endif
