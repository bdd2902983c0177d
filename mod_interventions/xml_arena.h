/*
 * libxml2 and libxslt memory of a request taken from the request's pool.
 *
 * A list page builds a tree of a few thousand nodes, transforms it into another
 * and serialises that: tens of thousands of small mallocs and frees, with glibc
 * consolidating its free lists in between. Measured under load, malloc and free
 * took about a third of httpd's CPU on that page (bench/README.md). Inside a
 * window opened by iv_xml_arena_enter(), xmlMalloc() carves from the pool instead,
 * xmlFree() puts the block on the window's free list for its size, and the pool
 * releases everything at once when the request ends.
 *
 * Outside a window (start-up, other threads) the allocator is plain malloc, and
 * a block keeps the allocator it was born with: a malloc'd block freed or
 * reallocated inside a window still goes to free/realloc. Past IV_XML_ARENA_MAX
 * bytes in one window (a long streamed export), allocations go back to malloc so
 * memory stays bounded.
 *
 * The rule that makes it safe: nothing allocated by libxml2 inside a window may
 * outlive the pool. libxml2's per-thread state is malloc'd directly (not through
 * xmlMalloc); the stylesheets, the message catalogue and libxml2's own tables are
 * built at start-up, before any window; the thread's last-error record is reset
 * when the window closes.
 *
 * The module leaves it out of its AddressSanitizer build (make test runs the
 * integration tests against both builds): there every libxml2 block is malloc'd
 * and checked; tests/unit/test_xml_arena.c checks the allocator itself under it.
 */
#ifndef IV_XML_ARENA_H
#define IV_XML_ARENA_H

#include <stddef.h>
#include "apr_pools.h"

/* bytes one window may take from its pool before falling back to malloc */
#define IV_XML_ARENA_MAX ((size_t)16 << 20)

/* Routes xmlMalloc/xmlRealloc/xmlFree/xmlMemStrdup through this allocator.
 * Call once per process, before libxml2 allocates anything (register_hooks).
 * Returns 0 when libxml2 already had a custom allocator (then nothing changes). */
int iv_xml_arena_install(void);

/* Gives libxml2 back malloc and free: for when the module is unloaded (a restart
 * of httpd) while libxml2 might stay, so that it never calls into unmapped code.
 * Only where no window is open: every block made outside one is a malloc block. */
void iv_xml_arena_uninstall(void);

/* Opens a window on pool for the calling thread; returns the window it
 * replaces, to give back to iv_xml_arena_leave (nested handlers). */
void *iv_xml_arena_enter(apr_pool_t *pool);
void iv_xml_arena_leave(void *previous);

/* Bytes the calling thread's current window took from its pool (0 outside). */
size_t iv_xml_arena_used(void);

#endif
