#include <libxml/xmlmemory.h>
#include <libxml/xmlerror.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml_arena.h"

/* libxml2's own default for xmlMemStrdup (xmlStrdup takes an xmlChar *) */
static char *strdup_as_libxml(const char *text)
{
    return (char *)xmlStrdup((const xmlChar *)text);
}

/*
 * Blocks of a window are carved from 64 KB chunks of its pool and recycled within
 * the window through free lists per size class (a page frees most of what its
 * XPath evaluations allocate: without reuse a list page took 2.5 MB of pool, more
 * than an httpd allocator keeps, and the pages went to the kernel and back).
 *
 * Every pool block has a 16-byte header whose last word, just before the block,
 * holds BLOCK_TAG. Just before a malloc'd block glibc keeps the chunk's size,
 * which can never be that value, so one read tells the two kinds apart and
 * blocks from plain malloc need no header at all. A block on a free list is
 * tagged FREED_TAG: freeing it again aborts, as glibc does, instead of handing
 * the same memory out twice.
 */
#define BLOCK_TAG UINT64_C(0xF1A7ED0C5A11E7A5)
#define FREED_TAG UINT64_C(0xF1A7ED0C5A11E7A6)     /* on a free list */
#define CHUNK_SIZE ((size_t)64 << 10)
#define SMALL_STEP 16               /* classes 16, 32 … 256 bytes */
#define SMALL_MAX 256
#define LARGE_CLASSES 5             /* then 512, 1 K, 2 K, 4 K, 8 K */
#define LARGEST_CLASS ((size_t)SMALL_MAX << LARGE_CLASSES)
#define CLASSES (SMALL_MAX / SMALL_STEP + LARGE_CLASSES)

typedef struct {
    uint32_t window_id;         /* the window whose free lists may take it back */
    uint32_t capacity;          /* usable bytes */
    uint64_t tag;
} block_header;

typedef struct free_block {
    struct free_block *next;
} free_block;

typedef struct {
    apr_pool_t *pool;
    uint32_t id;
    size_t used;                /* bytes taken from the pool */
    char *chunk_next, *chunk_end;
    free_block *free_lists[CLASSES];
} window;

/* initial-exec: one load per access instead of a __tls_get_addr() call (2.5 % of
 * a list page's CPU); the module's 8 bytes fit in glibc's static TLS surplus */
#if defined(__GNUC__)
__attribute__((tls_model("initial-exec")))
#endif
static _Thread_local window *current;
static uint32_t last_window_id;

/* Reads the word before a block of either kind: outside a malloc'd block's
 * bounds, hence hidden from AddressSanitizer (it is the allocator's header). */
#if defined(__GNUC__)
__attribute__((no_sanitize_address))
#endif
static int from_pool(const void *block)
{
    const volatile uint64_t *tag = (const volatile uint64_t *)((const char *)block - sizeof(uint64_t));
    if (*tag == FREED_TAG)
        abort();                /* double free, or a freed block reallocated */
    return *tag == BLOCK_TAG;
}

static unsigned class_of(size_t size, size_t *capacity)
{
    unsigned cls;

    if (size <= SMALL_MAX) {
        cls = size == 0 ? 0 : (unsigned)((size - 1) / SMALL_STEP);
        *capacity = (size_t)(cls + 1) * SMALL_STEP;
        return cls;
    }
    cls = SMALL_MAX / SMALL_STEP;
    for (*capacity = SMALL_MAX * 2; *capacity < size; *capacity *= 2)
        cls++;
    return cls;
}

/* size bytes from the pool, 16-byte aligned (apr_palloc aligns on 8) */
static char *take_from_pool(window *w, size_t size)
{
    uintptr_t raw = (uintptr_t)apr_palloc(w->pool, size + 15);

    if (!raw)
        return NULL;
    w->used += size + 15;
    return (char *)((raw + 15) & ~(uintptr_t)15);
}

static void *carve(window *w, size_t capacity)
{
    size_t need = sizeof(block_header) + capacity;
    block_header *h;

    if (capacity > LARGEST_CLASS) {
        h = (block_header *)take_from_pool(w, need);
    }
    else {
        if ((size_t)(w->chunk_end - w->chunk_next) < need) {
            if (!(w->chunk_next = take_from_pool(w, CHUNK_SIZE)))
                return NULL;
            w->chunk_end = w->chunk_next + CHUNK_SIZE;
        }
        h = (block_header *)w->chunk_next;
        w->chunk_next += need;
    }
    if (!h)
        return NULL;
    h->window_id = w->id;
    h->capacity = (uint32_t)capacity;
    h->tag = BLOCK_TAG;
    return h + 1;
}

static void *arena_malloc(size_t size)
{
    window *w = current;
    size_t capacity = size;
    unsigned cls = 0;
    free_block *reused;

    if (!w || size > UINT32_MAX)
        return malloc(size);
    if (size <= LARGEST_CLASS) {
        cls = class_of(size, &capacity);
        if ((reused = w->free_lists[cls])) {
            w->free_lists[cls] = reused->next;
            ((block_header *)reused - 1)->tag = BLOCK_TAG;
            return reused;
        }
    }
    else {
        capacity = (size + SMALL_STEP - 1) & ~(size_t)(SMALL_STEP - 1);
    }
    if (w->used + capacity + CHUNK_SIZE > IV_XML_ARENA_MAX)
        return malloc(size);
    return carve(w, capacity);
}

static void arena_free(void *block)
{
    block_header *h;
    window *w = current;
    size_t capacity;

    if (!block)
        return;
    if (!from_pool(block)) {
        free(block);
        return;
    }
    h = (block_header *)block - 1;
    /* a block of another window (or none open) stays where it is until its pool goes */
    if (w && h->window_id == w->id && h->capacity <= LARGEST_CLASS) {
        free_block *f = block;
        h->tag = FREED_TAG;
        unsigned cls = class_of(h->capacity, &capacity);
        f->next = w->free_lists[cls];
        w->free_lists[cls] = f;
    }
}

static void *arena_realloc(void *block, size_t size)
{
    const block_header *h;
    void *moved;

    if (!block)
        return arena_malloc(size);
    if (!from_pool(block))
        return realloc(block, size);
    h = (const block_header *)block - 1;
    if (size <= h->capacity)
        return block;
    if ((moved = arena_malloc(size))) {
        memcpy(moved, block, h->capacity);
        arena_free(block);
    }
    return moved;
}

static char *arena_strdup(const char *text)
{
    size_t size = strlen(text) + 1;
    char *copy = arena_malloc(size);

    if (copy)
        memcpy(copy, text, size);
    return copy;
}

int iv_xml_arena_install(void)
{
    xmlFreeFunc f;
    xmlMallocFunc m;
    xmlReallocFunc r;
    xmlStrdupFunc s;

    if (xmlMemGet(&f, &m, &r, &s) != 0)
        return 0;
    if (m == arena_malloc)
        return 1;
    /* somebody else's allocator: blocks it made could not be told apart */
    if (m != (xmlMallocFunc)malloc || f != (xmlFreeFunc)free || r != (xmlReallocFunc)realloc)
        return 0;
    return xmlMemSetup(arena_free, arena_malloc, arena_realloc, arena_strdup) == 0;
}

void iv_xml_arena_uninstall(void)
{
    xmlFreeFunc f;
    xmlMallocFunc m;
    xmlReallocFunc r;
    xmlStrdupFunc s;

    if (xmlMemGet(&f, &m, &r, &s) == 0 && m == arena_malloc)
        xmlMemSetup(free, malloc, realloc, strdup_as_libxml);
}

void *iv_xml_arena_enter(apr_pool_t *pool)
{
    window *previous = current;
    window *w = apr_pcalloc(pool, sizeof *w);

    w->pool = pool;
    w->id = __atomic_add_fetch(&last_window_id, 1, __ATOMIC_RELAXED);
    current = w;
    return previous;
}

void iv_xml_arena_leave(void *previous)
{
    /* the thread's last-error record may hold strings of this pool */
    xmlResetLastError();
    current = previous;
}

size_t iv_xml_arena_used(void)
{
    return current ? current->used : 0;
}
