/* Shared set-up for the cmocka unit tests: an APR pool per test. */
#ifndef IV_UNIT_H
#define IV_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "apr_general.h"
#include "apr_pools.h"

static inline int pool_setup(void **state)
{
    apr_pool_t *pool;
    if (apr_pool_create(&pool, NULL) != APR_SUCCESS)
        return -1;
    *state = pool;
    return 0;
}

static inline int pool_teardown(void **state)
{
    apr_pool_destroy(*state);
    return 0;
}

#define POOL_TEST(f) cmocka_unit_test_setup_teardown(f, pool_setup, pool_teardown)

#endif
