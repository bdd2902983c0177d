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
    t->slots = calloc(cap, sizeof *t->slots);
    if (!t->slots) {
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
    free(t->slots);
    t->slots = NULL;
}

static size_t slot(const iv_firsts *t, uint64_t k)
{
    size_t i = (size_t)k & (t->cap - 1);
    while (t->slots[i].key && t->slots[i].key != k)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static void grow(iv_firsts *t)
{
    iv_firsts old = *t;
    alloc(t, old.cap * 2);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            t->slots[slot(t, old.slots[i].key)] = old.slots[i];
    iv_firsts_free(&old);
}

long iv_firsts_seen(iv_firsts *t, uint64_t key, long row)
{
    uint64_t k = mix(key);
    size_t i = slot(t, k);
    if (t->slots[i].key)
        return t->slots[i].row;
    t->slots[i].key = k;
    t->slots[i].row = row;
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
