#include <string.h>
#include "unit.h"
#include "textwrap.h"

/* A fixed-width font: every code point is 1 wide, "W" is 2 wide. */
static double measure(void *ctx, const char *s, size_t len)
{
    const char *end = s + len;
    double w = 0;
    (void)ctx;
    while (s < end)
        w += iv_utf8_next(&s, end) == 'W' ? 2 : 1;
    return w;
}

static void assert_lines(apr_array_header_t *lines, const char *const *expected, int n)
{
    assert_int_equal(lines->nelts, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(APR_ARRAY_IDX(lines, i, const char *), expected[i]);
}

#define WRAP(text, width) iv_text_wrap(*state, text, width, measure, NULL)
#define EXPECT(lines, ...) do { \
        static const char *const e[] = { __VA_ARGS__ }; \
        assert_lines(lines, e, (int)(sizeof e / sizeof *e)); } while (0)

static void test_words(void **state)
{
    EXPECT(WRAP("Curage du branchement", 11), "Curage du", "branchement");
    EXPECT(WRAP("Curage du branchement", 100), "Curage du branchement");
    /* exactly the width fits */
    EXPECT(WRAP("aaaa bbbbb", 10), "aaaa bbbbb");
    EXPECT(WRAP("aaaa bbbbbb", 10), "aaaa", "bbbbbb");
    /* runs of spaces and tabs collapse; no space at the start or end of a line */
    EXPECT(WRAP("  un   deux\tet\t trois  ", 8), "un deux", "et trois");
}

static void test_accents_count_as_one(void **state)
{
    /* "éééé" is 8 bytes but 4 wide */
    EXPECT(WRAP("éééé ààà ç", 8), "éééé ààà", "ç");
    EXPECT(WRAP("Œuvre « test » €", 9), "Œuvre «", "test » €");
}

static void test_paragraphs(void **state)
{
    EXPECT(WRAP("un\ndeux\r\ntrois\rquatre", 20), "un", "deux", "trois", "quatre");
    EXPECT(WRAP("un\n\ndeux", 20), "un", "", "deux");
    EXPECT(WRAP("un\n  \ndeux\n\n\n", 20), "un", "", "deux");
    assert_int_equal(WRAP("", 20)->nelts, 0);
    assert_int_equal(WRAP(NULL, 20)->nelts, 0);
    assert_int_equal(WRAP("\n\n", 20)->nelts, 0);
}

static void test_long_word_is_cut(void **state)
{
    EXPECT(WRAP("abcdefghijklmnop", 5), "abcde", "fghij", "klmno", "p");
    /* the last piece starts a line the next words may join */
    EXPECT(WRAP("x abcdefgh ij", 5), "x", "abcde", "fgh", "ij");
    EXPECT(WRAP("abcdefg h", 5), "abcde", "fg h");
    /* cut between code points, never inside one */
    EXPECT(WRAP("éééééééé", 3), "ééé", "ééé", "éé");
    /* a 2-wide character that alone exceeds the width still makes progress */
    EXPECT(WRAP("WWW", 1), "W", "W", "W");
    EXPECT(WRAP("aW", 2), "a", "W");
}

static void test_no_break_space_holds(void **state)
{
    /* U+00A0 between "N°" and the number: not a break point */
    EXPECT(WRAP("voir N°\xc2\xa0" "12 demain", 6), "voir", "N°\xc2\xa0" "12", "demain");
}

static void test_every_line_fits(void **state)
{
    char text[6001];
    for (int i = 0; i < 6000; i++)
        text[i] = (i % 13 == 12) ? ' ' : (i % 97 == 0 ? '\n' : (char)('a' + i % 26));
    text[6000] = '\0';
    memset(text + 3000, 'z', 400);                       /* a 400-letter word */
    apr_array_header_t *lines = WRAP(text, 37);
    size_t letters = 0, expected = 0;
    for (int i = 0; i < lines->nelts; i++) {
        const char *line = APR_ARRAY_IDX(lines, i, const char *);
        assert_true(measure(NULL, line, strlen(line)) <= 37);
        for (const char *c = line; *c; c++)
            letters += *c != ' ';
    }
    for (int i = 0; i < 6000; i++)
        expected += text[i] != ' ' && text[i] != '\n';
    assert_int_equal(letters, expected);                 /* nothing lost */
}

static void test_utf8_decoding(void **state)
{
    static const struct { const char *in; size_t len; unsigned cp; size_t used; } cases[] = {
        { "A", 1, 'A', 1 },
        { "é", 2, 0xE9, 2 },
        { "€", 3, 0x20AC, 3 },
        { "\xf0\x9f\x98\x80", 4, 0x1F600, 4 },
        { "\xc3", 1, IV_REPLACEMENT_CHAR, 1 },            /* truncated */
        { "\xc0\xaf", 2, IV_REPLACEMENT_CHAR, 1 },        /* overlong */
        { "\xed\xa0\x80", 3, IV_REPLACEMENT_CHAR, 1 },    /* surrogate */
        { "\xf4\x90\x80\x80", 4, IV_REPLACEMENT_CHAR, 1 },/* > U+10FFFF */
        { "\xe9t\xe9", 3, IV_REPLACEMENT_CHAR, 1 },       /* Latin-1, not UTF-8 */
        { "\x80", 1, IV_REPLACEMENT_CHAR, 1 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *s = cases[i].in;
        assert_int_equal(iv_utf8_next(&s, cases[i].in + cases[i].len), cases[i].cp);
        assert_int_equal((size_t)(s - cases[i].in), cases[i].used);
    }
    /* bad bytes inside text are measured as one character each, and kept */
    EXPECT(WRAP("a\xff\xfe b", 3), "a\xff\xfe", "b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_words),
        POOL_TEST(test_accents_count_as_one),
        POOL_TEST(test_paragraphs),
        POOL_TEST(test_long_word_is_cut),
        POOL_TEST(test_no_break_space_holds),
        POOL_TEST(test_every_line_fits),
        POOL_TEST(test_utf8_decoding),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("textwrap", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
