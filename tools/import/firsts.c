#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "firsts.h"

/* 0 marks a free slot: keys are mixed so that a real key of 0 moves to 1. */
static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k ? k : 1;
}

static void alloc(iv_firsts *t, size_t cap)
{
    t->keys = calloc(cap, sizeof *t->keys);
    t->rows = calloc(cap, sizeof *t->rows);
    if (!t->keys || !t->rows) {
        fputs("interventions-import : mémoire insuffisante\n", stderr);
        exit(1);
    }
    t->cap = cap;
}

void iv_firsts_init(iv_firsts *t)
{
    t->count = 0;
    alloc(t, 1 << 16);
}

void iv_firsts_free(iv_firsts *t)
{
    free(t->keys);
    free(t->rows);
    t->keys = NULL;
    t->rows = NULL;
}

static size_t slot(const iv_firsts *t, uint64_t k)
{
    size_t i = (size_t)k & (t->cap - 1);
    while (t->keys[i] && t->keys[i] != k)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static void grow(iv_firsts *t)
{
    iv_firsts old = *t;
    alloc(t, old.cap * 2);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot(t, old.keys[i]);
            t->keys[j] = old.keys[i];
            t->rows[j] = old.rows[i];
        }
    iv_firsts_free(&old);
}

long iv_firsts_seen(iv_firsts *t, uint64_t key, long row)
{
    uint64_t k = mix(key);
    size_t i = slot(t, k);
    if (t->keys[i])
        return t->rows[i];
    t->keys[i] = k;
    t->rows[i] = row;
    if (++t->count * 2 > t->cap)
        grow(t);
    return 0;
}

uint64_t iv_firsts_hash(const char *const *values, int n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)(values[i] ? values[i] : "\x1e");
        for (; *p; p++)
            h = (h ^ *p) * 0x100000001b3ULL;
        h = (h ^ 0x1f) * 0x100000001b3ULL;
    }
    return h;
}
