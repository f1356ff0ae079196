/* formtab-extract's option parsers (ext_opts.h): page lists, areas, the OCR
 * mode and positive numbers, good and bad. */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ext_opts.h"

static const struct {
    const char *spec;
    int ok;
    unsigned in[4];   /* pages that must be selected (0 ends) */
    unsigned out[4];  /* pages that must not be (0 ends) */
    unsigned last;
} page_cases[] = {
    {"1", 1, {1}, {2}, 1},
    {"1,3-5", 1, {1, 3, 4, 5}, {2, 6}, 5},
    {"7-", 1, {7, 100000}, {6}, UINT_MAX},
    {"2,2,1", 1, {1, 2}, {3}, 2},
    {"", 0, {0}, {0}, 0},
    {"0", 0, {0}, {0}, 0},
    {"5-3", 0, {0}, {0}, 0},
    {"1,,2", 0, {0}, {0}, 0},
    {"a", 0, {0}, {0}, 0},
    {"1-2-3", 0, {0}, {0}, 0},
    {"-3", 0, {0}, {0}, 0},
    {"1, 2", 0, {0}, {0}, 0},
};

START_TEST(pages_table)
{
    ext_pages p = {NULL, 0};
    char msg[256] = "";
    ft_err rc = ext_pages_parse(page_cases[_i].spec, &p, msg, sizeof msg);
    if (!page_cases[_i].ok) {
        ck_assert_int_eq(rc, FT_USAGE);
        ck_assert_msg(msg[0] != '\0', "no message for '%s'", page_cases[_i].spec);
        return;
    }
    ck_assert_int_eq(rc, FT_OK);
    for (int k = 0; k < 4 && page_cases[_i].in[k]; k++)
        ck_assert(ext_pages_contains(&p, page_cases[_i].in[k]));
    for (int k = 0; k < 4 && page_cases[_i].out[k]; k++)
        ck_assert(!ext_pages_contains(&p, page_cases[_i].out[k]));
    ck_assert_uint_eq(ext_pages_last(&p), page_cases[_i].last);
    ext_pages_cleanup(&p);
}
END_TEST

START_TEST(pages_empty_selects_all)
{
    ext_pages p = {NULL, 0};
    ck_assert(ext_pages_contains(&p, 1));
    ck_assert(ext_pages_contains(&p, 99999));
    ck_assert_uint_eq(ext_pages_last(&p), UINT_MAX);
}
END_TEST

static const struct {
    const char *spec;
    int ok;
    ft_box want; /* x0 y0 x1 y1 */
} area_cases[] = {
    {"72,36,720.5,560", 1, {36, 72, 560, 720.5}},
    {" 0 , 0 , 10 , 20 ", 1, {0, 0, 20, 10}},
    {"-5,-5,5,5", 1, {-5, -5, 5, 5}},
    {"10,0,5,20", 0, {0, 0, 0, 0}},       /* top below bottom */
    {"0,10,5,10", 0, {0, 0, 0, 0}},       /* empty width */
    {"1,2,3", 0, {0, 0, 0, 0}},
    {"1,2,3,4,5", 0, {0, 0, 0, 0}},
    {"1,2,3,x", 0, {0, 0, 0, 0}},
    {"1;2;3;4", 0, {0, 0, 0, 0}},
    {"1,2,3,4e3", 0, {0, 0, 0, 0}},
};

START_TEST(area_table)
{
    ft_box b;
    char msg[256] = "";
    ft_err rc = ext_area_parse(area_cases[_i].spec, &b, msg, sizeof msg);
    if (!area_cases[_i].ok) {
        ck_assert_int_eq(rc, FT_USAGE);
        ck_assert(msg[0] != '\0');
        return;
    }
    ck_assert_int_eq(rc, FT_OK);
    ck_assert_double_eq_tol(b.x0, area_cases[_i].want.x0, 1e-9);
    ck_assert_double_eq_tol(b.y0, area_cases[_i].want.y0, 1e-9);
    ck_assert_double_eq_tol(b.x1, area_cases[_i].want.x1, 1e-9);
    ck_assert_double_eq_tol(b.y1, area_cases[_i].want.y1, 1e-9);
}
END_TEST

START_TEST(ocr_mode_and_numbers)
{
    ext_ocr_mode m;
    unsigned v;
    ck_assert_int_eq(ext_ocr_mode_parse("auto", &m), FT_OK);
    ck_assert_int_eq(m, EXT_OCR_AUTO);
    ck_assert_int_eq(ext_ocr_mode_parse("always", &m), FT_OK);
    ck_assert_int_eq(m, EXT_OCR_ALWAYS);
    ck_assert_int_eq(ext_ocr_mode_parse("never", &m), FT_OK);
    ck_assert_int_eq(m, EXT_OCR_NEVER);
    ck_assert_int_eq(ext_ocr_mode_parse("Auto", &m), FT_USAGE);
    ck_assert_int_eq(ext_parse_uint("300", 1200, &v), FT_OK);
    ck_assert_uint_eq(v, 300);
    ck_assert_int_eq(ext_parse_uint("0", 1200, &v), FT_USAGE);
    ck_assert_int_eq(ext_parse_uint("1201", 1200, &v), FT_USAGE);
    ck_assert_int_eq(ext_parse_uint("12a", 1200, &v), FT_USAGE);
    ck_assert_int_eq(ext_parse_uint("", 1200, &v), FT_USAGE);
    ck_assert_int_eq(ext_parse_uint("99999999999999999999", 0xFFFFFFFEu, &v),
                     FT_USAGE);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ext_opts");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, pages_table, 0, sizeof page_cases / sizeof page_cases[0]);
    tcase_add_test(tc, pages_empty_selects_all);
    tcase_add_loop_test(tc, area_table, 0, sizeof area_cases / sizeof area_cases[0]);
    tcase_add_test(tc, ocr_mode_and_numbers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
