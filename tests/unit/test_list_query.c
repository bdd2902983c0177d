#include <string.h>
#include "unit.h"
#include "apr_strings.h"
#include "list_query.h"
#include "list_sql.h"

static const char *value_of(apr_array_header_t *pairs, const char *name)
{
    const iv_query_pair *p = iv_query_get(pairs, name);
    return p ? p->value : NULL;
}

static void test_query_parse(void **state)
{
    apr_array_header_t *pairs = iv_query_parse(*state,
        "q=%C3%A9glise+Saint&statut=nouvelle&statut=transmise&du=25%2F12%2F2025&vide=&seul"
        "&bad=%zz&ctl=a%01b%09c;x=1");
    assert_int_equal(pairs->nelts, 9);
    assert_string_equal(value_of(pairs, "q"), "église Saint");
    assert_string_equal(APR_ARRAY_IDX(pairs, 1, iv_query_pair).value, "nouvelle");
    assert_string_equal(APR_ARRAY_IDX(pairs, 2, iv_query_pair).value, "transmise");
    assert_string_equal(value_of(pairs, "du"), "25/12/2025");
    assert_string_equal(value_of(pairs, "vide"), "");
    assert_string_equal(value_of(pairs, "seul"), "");
    assert_string_equal(value_of(pairs, "bad"), "%zz");
    assert_string_equal(value_of(pairs, "ctl"), "ab\tc");
    assert_string_equal(value_of(pairs, "x"), "1");
    assert_null(value_of(pairs, "absent"));
    assert_int_equal(iv_query_parse(*state, NULL)->nelts, 0);
    assert_int_equal(iv_query_parse(*state, "&&")->nelts, 0);
}

static void test_query_parse_invalid_utf8(void **state)
{
    apr_array_header_t *pairs = iv_query_parse(*state, "q=%C3&commune=94080");
    const iv_query_pair *q = iv_query_get(pairs, "q");
    assert_false(q->ok);
    assert_string_equal(q->value, "");
    assert_true(iv_query_get(pairs, "commune")->ok);
}

static void test_query_append(void **state)
{
    char *qs = "";
    iv_query_append(*state, &qs, "q", "église & co/2026 100%");
    iv_query_append(*state, &qs, "statut", "en_cours");
    assert_string_equal(qs, "q=%C3%A9glise+%26+co%2F2026+100%25&statut=en_cours&");
    /* what is written reads back the same */
    apr_array_header_t *pairs = iv_query_parse(*state, qs);
    assert_string_equal(value_of(pairs, "q"), "église & co/2026 100%");
}

static void test_dates(void **state)
{
    char iso[11];
    (void)state;
    assert_true(iv_list_parse_date("25/12/2025", iso));
    assert_string_equal(iso, "2025-12-25");
    assert_true(iv_list_parse_date(" 5/1/2026 ", iso));
    assert_string_equal(iso, "2026-01-05");
    assert_true(iv_list_parse_date("2026-01-05", iso));
    assert_string_equal(iso, "2026-01-05");
    assert_true(iv_list_parse_date("29.02.2024", iso));
    assert_string_equal(iso, "2024-02-29");
    assert_true(iv_list_parse_date("01-03-2026", iso));
    assert_string_equal(iso, "2026-03-01");

    assert_false(iv_list_parse_date("", iso));
    assert_false(iv_list_parse_date("29/02/2025", iso));   /* not a leap year */
    assert_false(iv_list_parse_date("31/04/2026", iso));
    assert_false(iv_list_parse_date("32/01/2026", iso));
    assert_false(iv_list_parse_date("12/13/2026", iso));
    assert_false(iv_list_parse_date("00/01/2026", iso));
    assert_false(iv_list_parse_date("25/12/26", iso));     /* two-digit year */
    assert_false(iv_list_parse_date("25/12-2025", iso));   /* mixed separators */
    assert_false(iv_list_parse_date("2026/01/05", iso));
    assert_false(iv_list_parse_date("25/12/2025x", iso));
    assert_false(iv_list_parse_date("25/12/1850", iso));
    assert_false(iv_list_parse_date("hier", iso));
    assert_false(iv_list_parse_date("2026-1-5x", iso));
}

static void test_numbers(void **state)
{
    int year = -1;
    long number = -1;
    (void)state;
    assert_int_equal(iv_list_parse_number("2026/58", &year, &number), IV_LIST_NUMBER_YEAR);
    assert_int_equal(year, 2026);
    assert_int_equal(number, 58);
    assert_int_equal(iv_list_parse_number(" 2026 / 58 ", &year, &number), IV_LIST_NUMBER_YEAR);
    assert_int_equal(number, 58);
    assert_int_equal(iv_list_parse_number("N° 2025 / 7", &year, &number), IV_LIST_NUMBER_YEAR);
    assert_int_equal(year, 2025);
    assert_int_equal(number, 7);
    assert_int_equal(iv_list_parse_number("58", &year, &number), IV_LIST_NUMBER_ANY_YEAR);
    assert_int_equal(number, 58);
    assert_int_equal(iv_list_parse_number("n°58", &year, &number), IV_LIST_NUMBER_ANY_YEAR);
    assert_int_equal(iv_list_parse_number("no 58", &year, &number), IV_LIST_NUMBER_ANY_YEAR);

    assert_int_equal(iv_list_parse_number("58 rue de Paris", &year, &number), IV_LIST_NUMBER_NONE);
    assert_int_equal(iv_list_parse_number("26/58", &year, &number), IV_LIST_NUMBER_NONE);
    assert_int_equal(iv_list_parse_number("2026/", &year, &number), IV_LIST_NUMBER_NONE);
    assert_int_equal(iv_list_parse_number("2026/58/1", &year, &number), IV_LIST_NUMBER_NONE);
    assert_int_equal(iv_list_parse_number("1234567890", &year, &number), IV_LIST_NUMBER_NONE);
    assert_int_equal(iv_list_parse_number("", &year, &number), IV_LIST_NUMBER_NONE);
    assert_int_equal(iv_list_parse_number("nouvelle", &year, &number), IV_LIST_NUMBER_NONE);
}

static void test_positive_and_per_page(void **state)
{
    long n;
    (void)state;
    assert_true(iv_list_parse_positive("3", &n));
    assert_int_equal(n, 3);
    assert_true(iv_list_parse_positive(" 400 ", &n));
    assert_false(iv_list_parse_positive("0", &n));
    assert_false(iv_list_parse_positive("-1", &n));
    assert_false(iv_list_parse_positive("2x", &n));
    assert_false(iv_list_parse_positive("", &n));
    assert_false(iv_list_parse_positive("9999999999", &n));
    assert_true(iv_list_per_page_allowed(25));
    assert_true(iv_list_per_page_allowed(50));
    assert_true(iv_list_per_page_allowed(100));
    assert_false(iv_list_per_page_allowed(30));
    assert_false(iv_list_per_page_allowed(1000));
}

static void test_pages(void **state)
{
    (void)state;
    assert_int_equal(iv_list_pages(0, 1000, 25), 1);
    assert_int_equal(iv_list_pages(25, 1000, 25), 1);
    assert_int_equal(iv_list_pages(26, 1000, 25), 2);
    assert_int_equal(iv_list_pages(1000, 1000, 25), 40);
    assert_int_equal(iv_list_pages(1001, 1000, 25), 40);      /* capped */
    assert_int_equal(iv_list_pages(1001, 1000, 100), 10);
    assert_int_equal(iv_list_pages(1001, 1000, 50), 20);
}

static void assert_window(long current, long pages, const long *expected, int count)
{
    long out[16];
    int n = iv_list_page_window(current, pages, out, 16);
    assert_int_equal(n, count);
    for (int i = 0; i < n; i++)
        assert_int_equal(out[i], expected[i]);
}

static void test_page_window(void **state)
{
    (void)state;
    assert_window(1, 1, (long[]){ 1 }, 1);
    assert_window(1, 3, (long[]){ 1, 2, 3 }, 3);
    assert_window(1, 50, (long[]){ 1, 2, 3, 0, 50 }, 5);
    assert_window(4, 50, (long[]){ 1, 2, 3, 4, 5, 6, 0, 50 }, 8);
    assert_window(10, 50, (long[]){ 1, 0, 8, 9, 10, 11, 12, 0, 50 }, 9);
    assert_window(50, 50, (long[]){ 1, 0, 48, 49, 50 }, 5);
    assert_window(47, 50, (long[]){ 1, 0, 45, 46, 47, 48, 49, 50 }, 8);
}

static void test_sorts(void **state)
{
    (void)state;
    assert_int_equal(iv_list_sorts_count, 8);
    assert_string_equal(iv_list_sorts[IV_LIST_DEFAULT_SORT].key, "date");
    assert_true(iv_list_sorts[IV_LIST_DEFAULT_SORT].first_desc);
    assert_ptr_equal(iv_list_sort_find("ville"), &iv_list_sorts[4]);
    assert_null(iv_list_sort_find("id; DROP TABLE"));
    assert_null(iv_list_sort_find(NULL));
}

/* The statement table and the sort table must agree: statement 2i is sort i
 * ascending, 2i + 1 descending, and every statement takes the filter values and
 * its (limit, offset) pairs, in that order. */
struct statement { const char *label, *sql; int pairs; };
#define ENTRY(label, sql, pairs) { label, sql, pairs },
static const struct statement rows[] = { IV_LIST_ROW_STATEMENTS(ENTRY) };

static int placeholders(const char *sql, int *ints)
{
    int n = 0;
    *ints = 0;
    for (const char *s = sql; *s; s++) {
        if (*s != '%')
            continue;
        if (s[1] == '%') {
            s++;
            continue;
        }
        n++;
        *ints += s[1] == 'd';
        s++;
    }
    return n;
}

static void test_statement_table(void **state)
{
    int ints;
    assert_int_equal(sizeof rows / sizeof *rows, 2 * (size_t)iv_list_sorts_count);
    for (int i = 0; i < iv_list_sorts_count; i++) {
        for (int desc = 0; desc <= 1; desc++) {
            const struct statement *st = &rows[2 * i + desc];
            assert_string_equal(st->label, apr_psprintf(*state, "iv_list_%s_%s",
                                iv_list_sorts[i].statement, desc ? "desc" : "asc"));
            assert_int_equal(placeholders(st->sql, &ints), IV_LIST_NFILTERS + 2 * st->pairs);
            assert_int_equal(ints, 2 * st->pairs);
            /* the limit/offset placeholders come last */
            assert_int_equal(placeholders(strstr(st->sql, "%d"), &ints), 2 * st->pairs);
        }
    }
    assert_int_equal(placeholders(IV_LIST_COUNT_SQL, &ints), IV_LIST_NFILTERS + 1);
    assert_int_equal(placeholders(IV_LIST_REFS_SQL, &ints), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_query_parse),
        POOL_TEST(test_query_parse_invalid_utf8),
        POOL_TEST(test_query_append),
        POOL_TEST(test_dates),
        POOL_TEST(test_numbers),
        POOL_TEST(test_positive_and_per_page),
        POOL_TEST(test_pages),
        POOL_TEST(test_page_window),
        POOL_TEST(test_sorts),
        POOL_TEST(test_statement_table),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("list_query", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
