/* Unit tests of the OCR grid builder (extract/ext_ocr_grid.c) and of the line
 * clean-up (ext_ocr_text.c): cells from ruling segments, merged cells where a
 * separator is missing, open space between tables, and the spaces Tesseract
 * puts between CJK characters. No image and no Tesseract involved. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ext_ocr_grid.h"
#include "ext_ocr_int.h"

#define TOL 3.0
#define MINLEN 50.0

static ext_ocr_seg hs(double x0, double x1, double y)
{
    ext_ocr_seg s = { x0, x1, y };
    return s;
}

/* find the cell whose top-left slot is (row, col) */
static const ext_ocr_cell *cell_at(const ext_ocr_cell *c, size_t n,
                                   unsigned row, unsigned col)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].row == row && c[i].col == col)
            return &c[i];
    return NULL;
}

START_TEST(grid_plain_3x2)
{
    /* 3 rows x 2 columns, 100 px cells, lines slightly off their position */
    ext_ocr_seg h[] = { hs(0, 200, 0), hs(0, 200, 101), hs(0, 200, 199),
                        hs(0, 200, 300.5) };
    ext_ocr_seg v[] = { hs(0, 300, 0), hs(0, 300, 100), hs(0, 300, 201) };
    ext_ocr_cell *cells = NULL;
    size_t n = 0;
    ck_assert_int_eq(ext_ocr_grid_build(h, 4, v, 3, MINLEN, TOL, &cells, &n),
                     FT_OK);
    ck_assert_uint_eq(n, 6);
    const ext_ocr_cell *c = cell_at(cells, n, 2, 1);
    ck_assert_ptr_nonnull(c);
    ck_assert_double_eq_tol(c->x0, 100, 0.01);
    ck_assert_double_eq_tol(c->x1, 201, 0.01);
    ck_assert_double_eq_tol(c->y0, 199, 0.01);
    ck_assert_double_eq_tol(c->y1, 300.5, 0.01);
    ck_assert_uint_eq(c->rowspan, 1);
    ck_assert_uint_eq(c->colspan, 1);
    free(cells);
}
END_TEST

START_TEST(grid_merged_cells)
{
    /* 3x3 grid; column 0 is one cell over all rows (its row separators are
     * missing), and row 2 spans columns 1-2 (separator x=200 stops at 200) */
    ext_ocr_seg h[] = { hs(0, 300, 0), hs(100, 300, 100), hs(100, 300, 200),
                        hs(0, 300, 300) };
    ext_ocr_seg v[] = { hs(0, 300, 0), hs(0, 300, 100), hs(0, 200, 200),
                        hs(0, 300, 300) };
    ext_ocr_cell *cells = NULL;
    size_t n = 0;
    ck_assert_int_eq(ext_ocr_grid_build(h, 4, v, 4, MINLEN, TOL, &cells, &n),
                     FT_OK);
    ck_assert_uint_eq(n, 6); /* 1 tall + 4 small + 1 wide */
    const ext_ocr_cell *tall = cell_at(cells, n, 0, 0);
    ck_assert_ptr_nonnull(tall);
    ck_assert_uint_eq(tall->rowspan, 3);
    ck_assert_uint_eq(tall->colspan, 1);
    const ext_ocr_cell *wide = cell_at(cells, n, 2, 1);
    ck_assert_ptr_nonnull(wide);
    ck_assert_uint_eq(wide->colspan, 2);
    ck_assert_uint_eq(wide->rowspan, 1);
    ck_assert_double_eq_tol(wide->x1, 300, 0.01);
    free(cells);
}
END_TEST

START_TEST(grid_broken_line_still_separates)
{
    /* the middle horizontal line is broken into pieces covering 70% of the
     * width (JPEG noise, a stamp): still two cells, not one */
    ext_ocr_seg h[] = { hs(0, 200, 0), hs(0, 60, 100), hs(90, 150, 100),
                        hs(170, 200, 100), hs(0, 200, 200) };
    ext_ocr_seg v[] = { hs(0, 200, 0), hs(0, 200, 200) };
    ext_ocr_cell *cells = NULL;
    size_t n = 0;
    ck_assert_int_eq(ext_ocr_grid_build(h, 5, v, 2, MINLEN, TOL, &cells, &n),
                     FT_OK);
    ck_assert_uint_eq(n, 2);
    free(cells);
}
END_TEST

START_TEST(grid_short_strokes_do_not_separate)
{
    /* a text stroke of 20% of the width lying on a would-be line position is
     * not a separator (the edge is below EXT_OCR_EDGE_MIN_COVER) */
    ext_ocr_seg h[] = { hs(0, 200, 0), hs(0, 200, 200), hs(10, 50, 100),
                        hs(0, 10, 100) };
    ext_ocr_seg v[] = { hs(0, 200, 0), hs(0, 200, 200) };
    /* the stroke is shorter than MINLEN, so no line exists at y=100 anyway;
     * add a long piece elsewhere on the page at y=100 to create the line */
    ext_ocr_seg h2[5];
    memcpy(h2, h, sizeof h);
    h2[4] = hs(500, 700, 100);
    ext_ocr_cell *cells = NULL;
    size_t n = 0;
    ck_assert_int_eq(ext_ocr_grid_build(h2, 5, v, 2, MINLEN, TOL, &cells, &n),
                     FT_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(cells[0].rowspan, 2);
    free(cells);
}
END_TEST

START_TEST(grid_open_space_between_tables)
{
    /* two 1x1 tables stacked with a gap between them: the gap is open on
     * both sides and is no cell */
    ext_ocr_seg h[] = { hs(0, 200, 0), hs(0, 200, 100), hs(0, 200, 150),
                        hs(0, 200, 250) };
    ext_ocr_seg v[] = { hs(0, 100, 0), hs(0, 100, 200), hs(150, 250, 0),
                        hs(150, 250, 200) };
    ext_ocr_cell *cells = NULL;
    size_t n = 0;
    ck_assert_int_eq(ext_ocr_grid_build(h, 4, v, 4, MINLEN, TOL, &cells, &n),
                     FT_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_double_eq_tol(cells[0].y1, 100, 0.01);
    ck_assert_double_eq_tol(cells[1].y0, 150, 0.01);
    free(cells);
}
END_TEST

START_TEST(grid_short_separator_bridging_rules)
{
    /* one short row (30 px, below MINLEN) with a separator at x=120 that
     * runs from the row's top rule to its bottom rule: two cells, not one;
     * a 30-px stroke in the row below that touches neither rule is no line */
    ext_ocr_seg h[] = { hs(0, 200, 0), hs(0, 200, 30), hs(0, 200, 100) };
    ext_ocr_seg v[] = { hs(0, 100, 0), hs(0, 100, 200), hs(1, 29, 120),
                        hs(50, 80, 60) };
    ext_ocr_cell *cells = NULL;
    size_t n = 0;
    ck_assert_int_eq(ext_ocr_grid_build(h, 3, v, 4, MINLEN, TOL, &cells, &n),
                     FT_OK);
    ck_assert_uint_eq(n, 3);
    const ext_ocr_cell *left = cell_at(cells, n, 0, 0);
    ck_assert_ptr_nonnull(left);
    ck_assert_double_eq_tol(left->x1, 120, 0.01);
    const ext_ocr_cell *below = cell_at(cells, n, 1, 0);
    ck_assert_ptr_nonnull(below);
    ck_assert_uint_eq(below->colspan, 2);
    free(cells);
}
END_TEST

START_TEST(grid_none)
{
    ext_ocr_seg h[] = { hs(0, 200, 0) };
    ext_ocr_cell *cells = NULL;
    size_t n = 7;
    ck_assert_int_eq(ext_ocr_grid_build(h, 1, NULL, 0, MINLEN, TOL, &cells, &n),
                     FT_OK);
    ck_assert_uint_eq(n, 0);
    free(cells);
}
END_TEST

/* ---- line clean-up ---- */

static const struct {
    const char *in, *out;
} clean_cases[] = {
    {"合 作 交 流 工 作\n", "合作交流工作"},
    {"  2020 年 度 ", "2020年度"},
    {"10\xc2\xa0次", "10 次"},                 /* a wide gap: printed */
    {"合\xc2\xa0作", "合作"},                  /* never between CJK */
    {"(2020\xc2\xa0年 度)", "(2020 年度)"},
    {"概况\xc2\xa0:", "概况:"},                /* not next to punctuation */
    {"Total  1,234.00", "Total 1,234.00"},
    {"项目名称 : 上海", "项目名称:上海"},
    {"a\tb\x01" "c", "a bc"},
    {"\xff" "x", "\xef\xbf\xbd" "x"},
    {"", ""},
};

START_TEST(clean_line_table)
{
    ft_buf b;
    ft_buf_init(&b, 1024);
    const char *in = clean_cases[_i].in;
    ck_assert_int_eq(ext_ocr__clean_line(in, strlen(in), &b), FT_OK);
    ck_assert_str_eq(ft_buf_str(&b), clean_cases[_i].out);
    ft_buf_cleanup(&b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ocr_grid");
    TCase *tc = tcase_create("grid");
    tcase_add_test(tc, grid_plain_3x2);
    tcase_add_test(tc, grid_merged_cells);
    tcase_add_test(tc, grid_broken_line_still_separates);
    tcase_add_test(tc, grid_short_strokes_do_not_separate);
    tcase_add_test(tc, grid_open_space_between_tables);
    tcase_add_test(tc, grid_short_separator_bridging_rules);
    tcase_add_test(tc, grid_none);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("text");
    tcase_add_loop_test(tt, clean_line_table, 0,
                        (int)(sizeof clean_cases / sizeof clean_cases[0]));
    suite_add_tcase(s, tt);
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
