/* Tables joined over page breaks (norm_join.c): tables written by hand as
 * "r,c,rs,cs:text" lines, the joined table compared with the hand-made
 * expectation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"
#include "ft_table.h"
#include "norm_join.h"
#include "norm_testlib.h"

/* Fill t: method, size, page, and cells from "r,c,rs,cs:text\n..." lines.
 * xs (ncols + 1 edges, or NULL) gives the cells boxes. */
static void mk(ft_table *t, const char *method, unsigned nrows, unsigned ncols,
               unsigned page, const double *xs, const char *cells)
{
    ft_table_init(t);
    strcpy(t->method, method);
    t->nrows = nrows;
    t->ncols = ncols;
    t->page_first = t->page_last = page;
    if (xs) {
        t->has_box = 1;
        t->box = (ft_box){xs[0], 40, xs[ncols], 800};
    }
    const char *s = cells;
    while (*s) {
        ft_cell c;
        memset(&c, 0, sizeof c);
        int n = 0;
        ck_assert_int_eq(sscanf(s, "%u,%u,%u,%u:%n", &c.row, &c.col, &c.rowspan,
                                &c.colspan, &n), 4);
        s += n;
        const char *end = strchr(s, '\n');
        ck_assert_ptr_nonnull(end);
        c.text = (char *)s;
        c.len = (size_t)(end - s);
        c.page = page;
        c.conf = -1;
        if (xs) {
            c.has_box = 1;
            c.box = (ft_box){xs[c.col - 1], 40, xs[c.col - 1 + c.colspan], 60};
        }
        ck_assert_int_eq(ft_table_add_cell(t, &c), FT_OK);
        s = end + 1;
    }
}

static void expect(const ft_table *t, const char *want)
{
    char *got = tl_dump_table(t);
    ck_assert_msg(strcmp(got, want) == 0, "--- got\n%s--- want\n%s", got, want);
    free(got);
    char msg[128];
    size_t *map = NULL;
    ck_assert_int_eq(ft_table_slot_map(t, &map, msg, sizeof msg), FT_OK);
    free(map);
}

static const double X3[] = {50, 150, 300, 500};

/* The header repeated at the top of the next page is dropped. */
START_TEST(join_repeated_header)
{
    ft_table a, b;
    mk(&a, "lattice", 2, 3, 1, X3, "1,1,1,1:项目\n1,2,1,1:数量\n1,3,1,1:金额\n"
                                   "2,1,1,1:餐费\n2,2,1,1:2000\n2,3,1,1:30\n");
    mk(&b, "lattice", 2, 3, 2, X3, "1,1,1,1:项目\n1,2,1,1:数量\n1,3,1,1:金额\n"
                                   "2,1,1,1:租车费\n2,2,1,1:5000\n2,3,1,1:5\n");
    ck_assert_int_eq(norm_join_compatible(&a, &b), NORM_JOIN_SAME);
    ck_assert_uint_eq(norm_join_repeated_header(&a, &b), 1);
    ck_assert_int_eq(norm_join_append(&a, &b, NULL), FT_OK);
    expect(&a, "lattice 3x3\n1,1,1,1:项目\n1,2,1,1:数量\n1,3,1,1:金额\n"
               "2,1,1,1:餐费\n2,2,1,1:2000\n2,3,1,1:30\n"
               "3,1,1,1:租车费\n3,2,1,1:5000\n3,3,1,1:5\n");
    ck_assert_uint_eq(a.page_first, 1);
    ck_assert_uint_eq(a.page_last, 2);
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
}
END_TEST

/* The column header after an unrepeated title row (seed 002). */
START_TEST(join_header_after_title)
{
    ft_table a, b;
    mk(&a, "lattice", 3, 3, 1, X3, "1,1,1,3:项目名称:广州市协作办公室\n"
                                   "2,1,1,1:项目\n2,2,1,1:总计\n2,3,1,1:绩效目标\n"
                                   "3,1,1,1:会展业务费\n3,2,1,1:220.00\n3,3,1,1:通过\n");
    mk(&b, "lattice", 2, 3, 2, X3, "1,1,1,1:项目\n1,2,1,1:总计\n1,3,1,1:绩效目标\n"
                                   "2,1,1,1:会议培训费\n2,2,1,1:200.00\n2,3,1,1:开展\n");
    ck_assert_int_eq(norm_join_append(&a, &b, NULL), FT_OK);
    expect(&a, "lattice 4x3\n1,1,1,3:项目名称:广州市协作办公室\n"
               "2,1,1,1:项目\n2,2,1,1:总计\n2,3,1,1:绩效目标\n"
               "3,1,1,1:会展业务费\n3,2,1,1:220.00\n3,3,1,1:通过\n"
               "4,1,1,1:会议培训费\n4,2,1,1:200.00\n4,3,1,1:开展\n");
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
}
END_TEST

/* A first row without any top rule is the rest of the last row: cell texts
 * are joined (CJK without a space) and the two rows become one. */
START_TEST(join_split_row_fused)
{
    ft_table a, b;
    static const unsigned char open[] = {1, 1, 1, 0, 0, 0};
    mk(&a, "lattice", 1, 3, 1, X3, "1,1,1,1:办公用房\n1,2,1,1:25.65\n"
                                   "1,3,1,1:采购遵循合理,合规原则,在以节约\n");
    mk(&b, "lattice", 2, 3, 2, X3, "1,1,1,1:\n1,2,1,1:\n1,3,1,1:节能为优先前提\n"
                                   "2,1,1,1:车辆\n2,2,1,1:0.36\n2,3,1,1:\n");
    ck_assert_int_eq(norm_join_append(&a, &b, open), FT_OK);
    expect(&a, "lattice 2x3\n1,1,1,1:办公用房\n1,2,1,1:25.65\n"
               "1,3,1,1:采购遵循合理,合规原则,在以节约节能为优先前提\n"
               "2,1,1,1:车辆\n2,2,1,1:0.36\n2,3,1,1:\n");
    ck_assert(a.cells[2].flags & FT_CELL_CONTINUED);
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
}
END_TEST

/* Only column 1 is open at the top: the merged label of the previous page
 * grows over the new rows (LibreOffice's split 产出目标, lo-seed000). */
START_TEST(join_split_merged_label)
{
    ft_table a, b;
    static const unsigned char open[] = {1, 0, 0, 0, 0, 0};
    mk(&a, "lattice", 2, 3, 3, X3, "1,1,2,1:产出目标\n1,2,1,1:数量\n1,3,1,1:=100%\n"
                                   "2,2,1,1:质量\n2,3,1,1:可控\n");
    mk(&b, "lattice", 2, 3, 4, X3, "1,1,1,1:\n1,2,1,1:时效\n1,3,1,1:健全\n"
                                   "2,1,1,1:效果目标\n2,2,1,1:经济效益\n2,3,1,1:满意\n");
    ck_assert_int_eq(norm_join_append(&a, &b, open), FT_OK);
    expect(&a, "lattice 4x3\n1,1,3,1:产出目标\n1,2,1,1:数量\n1,3,1,1:=100%\n"
               "2,2,1,1:质量\n2,3,1,1:可控\n3,2,1,1:时效\n3,3,1,1:健全\n"
               "4,1,1,1:效果目标\n4,2,1,1:经济效益\n4,3,1,1:满意\n");
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
}
END_TEST

/* Text dumps: a fragment row continues the cell the page split; leading
 * empty fields of an ordinary row extend the cells above. */
START_TEST(join_text_fragment_and_leading)
{
    ft_table a, b, c;
    mk(&a, "text", 2, 3, 1, NULL, "1,1,2,1:效益指标\n1,2,1,1:经济\n1,3,1,1:1、产出。7\n"
                                  "2,2,1,1:社会\n2,3,1,1:提高\n");
    mk(&b, "text", 1, 3, 2, NULL, "1,1,1,1:\n1,2,1,1:\n1,3,1,1:、效益指标:宣传\n");
    ck_assert_int_eq(norm_join_compatible(&a, &b), NORM_JOIN_SAME);
    ck_assert_int_eq(norm_join_append(&a, &b, NULL), FT_OK);
    expect(&a, "text 2x3\n1,1,2,1:效益指标\n1,2,1,1:经济\n1,3,1,1:1、产出。7\n"
               "2,2,1,1:社会\n2,3,1,1:提高、效益指标:宣传\n");
    mk(&c, "text", 1, 3, 3, NULL, "1,1,1,1:\n1,2,1,1:可持续\n1,3,1,1:健全\n");
    ck_assert_int_eq(norm_join_append(&a, &c, NULL), FT_OK);
    expect(&a, "text 3x3\n1,1,3,1:效益指标\n1,2,1,1:经济\n1,3,1,1:1、产出。7\n"
               "2,2,1,1:社会\n2,3,1,1:提高、效益指标:宣传\n"
               "3,2,1,1:可持续\n3,3,1,1:健全\n");
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
    ft_table_cleanup(&c);
}
END_TEST

/* Different columns, different method, or the same form's title again: not
 * a continuation. */
START_TEST(join_refused)
{
    static const double Xo[] = {50, 180, 300, 500};
    ft_table a, b, c, d, e;
    mk(&a, "lattice", 1, 3, 1, X3, "1,1,1,1:a\n1,2,1,1:b\n1,3,1,1:c\n");
    mk(&b, "lattice", 1, 3, 2, Xo, "1,1,1,1:d\n1,2,1,1:e\n1,3,1,1:f\n");
    mk(&c, "stream", 1, 3, 2, X3, "1,1,1,1:d\n1,2,1,1:e\n1,3,1,1:f\n");
    ck_assert_int_eq(norm_join_compatible(&a, &b), NORM_JOIN_NO);
    ck_assert_int_eq(norm_join_compatible(&a, &c), NORM_JOIN_NO);
    mk(&d, "text", 2, 3, 1, NULL, "1,1,1,3:财政项目支出绩效目标表\n"
                                  "2,1,1,1:x\n2,2,1,1:y\n2,3,1,1:z\n");
    mk(&e, "text", 2, 3, 2, NULL, "1,1,1,3:财政项目支出绩效目标表\n"
                                  "2,1,1,1:u\n2,2,1,1:v\n2,3,1,1:w\n");
    ck_assert_int_eq(norm_join_compatible(&d, &e), NORM_JOIN_NO);
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
    ft_table_cleanup(&c);
    ft_table_cleanup(&d);
    ft_table_cleanup(&e);
}
END_TEST

/* A page without one column rule (seed 001: 偏差原因分析 split only on the
 * second page): both tables go onto the finer grid and join. */
START_TEST(join_regrid)
{
    static const double X2[] = {50, 150, 500}, X3b[] = {50, 150, 300, 500};
    ft_table a, b;
    mk(&a, "lattice", 1, 2, 1, X2, "1,1,1,1:总分\n1,2,1,1:95.46\n");
    mk(&b, "lattice", 1, 3, 2, X3b, "1,1,1,1:满意度\n1,2,1,1:100%\n1,3,1,1:10\n");
    ck_assert_int_eq(norm_join_compatible(&a, &b), NORM_JOIN_REGRID);
    ck_assert_int_eq(norm_join_regrid(&a, &b), FT_OK);
    ck_assert_int_eq(norm_join_append(&a, &b, NULL), FT_OK);
    expect(&a, "lattice 2x3\n1,1,1,1:总分\n1,2,1,2:95.46\n"
               "2,1,1,1:满意度\n2,2,1,1:100%\n2,3,1,1:10\n");
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
}
END_TEST

/* Past FT_MAX_TABLE_SLOTS the join is refused before anything changes. */
START_TEST(join_cap)
{
    ft_table a, b;
    mk(&a, "text", FT_MAX_TABLE_SLOTS - 1, 1, 1, NULL, "");
    ft_cell big = {1, 1, FT_MAX_TABLE_SLOTS - 1, 1, 1, {0, 0, 0, 0}, 0, -1, 0,
                   (char *)"x", 1};
    ck_assert_int_eq(ft_table_add_cell(&a, &big), FT_OK);
    mk(&b, "text", 2, 1, 2, NULL, "1,1,1,1:y\n2,1,1,1:z\n");
    ck_assert_int_eq(norm_join_append(&a, &b, NULL), FT_LIMIT);
    ck_assert_uint_eq(a.nrows, FT_MAX_TABLE_SLOTS - 1);
    ck_assert_uint_eq(a.ncells, 1);
    ft_table_cleanup(&a);
    ft_table_cleanup(&b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("norm_join");
    TCase *tc = tcase_create("join");
    tcase_add_test(tc, join_repeated_header);
    tcase_add_test(tc, join_header_after_title);
    tcase_add_test(tc, join_split_row_fused);
    tcase_add_test(tc, join_split_merged_label);
    tcase_add_test(tc, join_text_fragment_and_leading);
    tcase_add_test(tc, join_refused);
    tcase_add_test(tc, join_regrid);
    tcase_add_test(tc, join_cap);
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
