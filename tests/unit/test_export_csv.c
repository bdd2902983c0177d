/* The exports' pure parts: CSV writing (RFC 4180 with ';', BOM, CRLF, formula
 * neutralising) and the turning of a database row into typed cells. */
#include <string.h>
#include "unit.h"
#include "apr_strings.h"
#include "export_cells.h"
#include "export_csv.h"
#include "export_sql.h"

typedef struct {
    apr_pool_t *pool;
    char *out;
    int fail_after;             /* writes accepted before failing; -1: never fail */
    int writes;
} sink;

static int collect(void *ctx, const char *data, size_t len)
{
    sink *s = ctx;
    if (s->fail_after >= 0 && s->writes >= s->fail_after)
        return -1;
    s->writes++;
    s->out = apr_pstrcat(s->pool, s->out, apr_pstrmemdup(s->pool, data, len), NULL);
    return 0;
}

static sink *new_sink(apr_pool_t *pool)
{
    sink *s = apr_pcalloc(pool, sizeof *s);
    s->pool = pool;
    s->out = "";
    s->fail_after = -1;
    return s;
}

/* The CSV of one record of texts, without the BOM. */
static const char *record_of(apr_pool_t *pool, const char *const *fields)
{
    sink *s = new_sink(pool);
    iv_csv csv;
    iv_csv_begin(&csv, collect, s);
    for (; *fields; fields++)
        iv_csv_text(&csv, *fields);
    iv_csv_end_record(&csv);
    assert_memory_equal(s->out, "\xEF\xBB\xBF", 3);
    return s->out + 3;
}

static void test_bom_separator_crlf(void **state)
{
    assert_string_equal(record_of(*state, (const char *[]){ "a", "b", "", "c", NULL }),
                        "a;b;;c\r\n");
    assert_string_equal(record_of(*state, (const char *[]){ "Lefèvre", "Œuvre « test »", NULL }),
                        "Lefèvre;Œuvre « test »\r\n");
}

static void test_quoting_rfc4180(void **state)
{
    /* separator, quote, LF, CR: quoted, quotes doubled */
    assert_string_equal(record_of(*state, (const char *[]){ "a;b", NULL }), "\"a;b\"\r\n");
    assert_string_equal(record_of(*state, (const char *[]){ "dit \"non\"", NULL }),
                        "\"dit \"\"non\"\"\"\r\n");
    assert_string_equal(record_of(*state, (const char *[]){ "l1\nl2", "x", NULL }),
                        "\"l1\nl2\";x\r\n");
    assert_string_equal(record_of(*state, (const char *[]){ "\"", NULL }), "\"\"\"\"\r\n");
    /* a comma is nothing special with ';' between fields */
    assert_string_equal(record_of(*state, (const char *[]){ "1,5", NULL }), "1,5\r\n");
}

static void test_formula_injection(void **state)
{
    assert_true(iv_csv_formula_like("=1+1"));
    assert_true(iv_csv_formula_like("+33 1 23"));
    assert_true(iv_csv_formula_like("-2"));
    assert_true(iv_csv_formula_like("@SUM(A1)"));
    assert_true(iv_csv_formula_like("\tx"));
    assert_true(iv_csv_formula_like("\rx"));
    assert_false(iv_csv_formula_like(""));
    assert_false(iv_csv_formula_like("a=b"));
    assert_false(iv_csv_formula_like(" =1"));
    assert_string_equal(record_of(*state, (const char *[]){ "=HYPERLINK(\"http://x\";\"y\")", NULL }),
                        "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"\r\n");
    assert_string_equal(record_of(*state, (const char *[]){ "+33 1 23 45 67 89", "-", "@a", NULL }),
                        "'+33 1 23 45 67 89;'-;'@a\r\n");
}

static void test_cells_of_each_kind(void **state)
{
    sink *s = new_sink(*state);
    iv_csv csv;
    iv_cell cells[] = {
        { .kind = IV_CELL_NUMBER, .text = "-1.25", .number = -1.25 },
        { .kind = IV_CELL_DATETIME, .text = "2025-06-23 16:17:45",
          .dt = { 2025, 6, 23, 16, 17, 45 } },
        { .kind = IV_CELL_EMPTY },
        { .kind = IV_CELL_TEXT, .text = "-pas un nombre" },
        { .kind = IV_CELL_EMPTY },
    };
    iv_csv_begin(&csv, collect, s);
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++)
        iv_csv_cell(&csv, &cells[i]);
    iv_csv_end_record(&csv);
    /* our own numbers are not neutralised: a negative number stays a number */
    assert_string_equal(s->out + 3, "-1,25;23/06/2025 16:17;;'-pas un nombre;\r\n");
}

static void test_write_failure_stops(void **state)
{
    sink *s = new_sink(*state);
    iv_csv csv;
    s->fail_after = 2;
    iv_csv_begin(&csv, collect, s);             /* write 1: BOM */
    iv_csv_text(&csv, "a");                     /* write 2 */
    iv_csv_text(&csv, "b");                     /* the separator fails */
    assert_int_not_equal(iv_csv_end_record(&csv), 0);
    assert_string_equal(s->out, "\xEF\xBB\xBF" "a");
}

static void test_clean_text(void **state)
{
    const char *clean = "rien à changer\tni\nici";
    assert_ptr_equal(iv_export_clean_text(*state, clean), clean);
    assert_string_equal(iv_export_clean_text(*state, "a\r\nb\rc\x01" "d\x7f" "e\x1f"),
                        "a\nb\nc d e ");
}

static void test_datetime_parse(void **state)
{
    iv_datetime dt;
    (void)state;
    assert_true(iv_export_datetime_parse("2025-06-23 16:17:09", &dt));
    assert_int_equal(dt.year, 2025);
    assert_int_equal(dt.month, 6);
    assert_int_equal(dt.day, 23);
    assert_int_equal(dt.hour, 16);
    assert_int_equal(dt.min, 17);
    assert_int_equal(dt.sec, 9);
    assert_true(iv_export_datetime_parse("2025-06-23 16:17", &dt));
    assert_int_equal(dt.sec, 0);
    assert_false(iv_export_datetime_parse(NULL, &dt));
    assert_false(iv_export_datetime_parse("", &dt));
    assert_false(iv_export_datetime_parse("23/06/2025 16:17", &dt));
    assert_false(iv_export_datetime_parse("2025-13-23 16:17:00", &dt));
    assert_false(iv_export_datetime_parse("2025-06-23 16:17:00+02", &dt));
}

static void test_cells_of_a_row(void **state)
{
    apr_pool_t *p = *state;
    const char *v[IV_X_NCOLUMNS] = { 0 };
    iv_cell cells[64];
    iv_export_labels L = { 0 };
    int ncols = iv_export_ncolumns;

    assert_true(ncols <= 64);
    L.communes = apr_hash_make(p);
    apr_hash_set(L.communes, "94080", APR_HASH_KEY_STRING, "Vincennes");
    L.agents = apr_hash_make(p);
    apr_hash_set(L.agents, "dupont", APR_HASH_KEY_STRING, "Jean Dupont");
    v[IV_X_YEAR] = "2026";
    v[IV_X_NUMBER] = "58";
    v[IV_X_RECEIVED] = "2026-01-05 08:30:00";
    v[IV_X_COMMUNE] = "94080";
    v[IV_X_OBJECT] = "inconnu";                 /* no label: the code */
    v[IV_X_PHONE] = "0123456789";
    v[IV_X_NAME] = "";
    v[IV_X_COMMENT] = "ligne 1\r\nligne 2";
    v[IV_X_LATITUDE] = "48.8474";
    v[IV_X_LONGITUDE] = "nan";
    v[IV_X_DONE_BY] = "dupont";
    /* a sentinel after the last column: the conversion must stop before it */
    cells[ncols].kind = (iv_cell_kind)99;
    iv_export_cells(p, &L, v, cells);
    assert_int_equal(cells[ncols].kind, 99);

    for (int c = 0; c < ncols; c++) {
        const char *key = iv_export_columns[c].key;
        const iv_cell *cell = &cells[c];
        if (strcmp(key, "export.col.number") == 0) {
            assert_string_equal(cell->text, "2026 / 58");
        }
        else if (strcmp(key, "export.col.year") == 0) {
            assert_int_equal(cell->kind, IV_CELL_NUMBER);
            assert_true(cell->number == 2026);
        }
        else if (strcmp(key, "field.date_recue") == 0) {
            assert_int_equal(cell->kind, IV_CELL_DATETIME);
            assert_int_equal(cell->dt.hour, 8);
        }
        else if (strcmp(key, "field.ville") == 0) {
            assert_string_equal(cell->text, "Vincennes");
        }
        else if (strcmp(key, "field.objet") == 0) {
            assert_string_equal(cell->text, "inconnu");
        }
        else if (strcmp(key, "field.telephone") == 0) {
            assert_string_equal(cell->text, "01 23 45 67 89");
        }
        else if (strcmp(key, "field.commentaire") == 0) {
            assert_string_equal(cell->text, "ligne 1\nligne 2");
        }
        else if (strcmp(key, "field.latitude") == 0) {
            assert_int_equal(cell->kind, IV_CELL_NUMBER);
            assert_string_equal(cell->text, "48.8474");
        }
        else if (strcmp(key, "field.realisee_par") == 0) {
            assert_string_equal(cell->text, "Jean Dupont");
        }
        else {
            /* NULL, "" and what is not a number are empty cells */
            assert_int_equal(cell->kind, IV_CELL_EMPTY);
        }
        /* a column holds what its kind says, or nothing */
        assert_true(cell->kind == IV_CELL_EMPTY || cell->kind == iv_export_columns[c].kind);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        POOL_TEST(test_bom_separator_crlf),
        POOL_TEST(test_quoting_rfc4180),
        POOL_TEST(test_formula_injection),
        POOL_TEST(test_cells_of_each_kind),
        POOL_TEST(test_write_failure_stops),
        POOL_TEST(test_clean_text),
        POOL_TEST(test_datetime_parse),
        POOL_TEST(test_cells_of_a_row),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("export_csv", tests, NULL, NULL);
    apr_terminate();
    return failed;
}
