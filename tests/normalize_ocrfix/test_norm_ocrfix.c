/* Unit tests of the post-OCR repairs (normalize/norm_ocrfix.c): one case per
 * repair that fails if the repair is removed, and cases that must come out
 * unchanged (a real O in a Latin word, a real digit 2, text not from OCR). The
 * expected texts are written by hand from the printed forms (seeds). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "norm_ocrfix.h"

enum { TXT = 0, NUM = 1 };
enum { NOREL = 0, REL = 1 };

static const struct {
    const char *in;
    double conf;
    int numeric, relops;
    const char *want;
    unsigned fixes;
} cases[] = {
    /* digits: look-alikes inside numbers, numeric context only */
    {"334,68O", 80, NUM, NOREL, "334,680", NORM_OCRFIX_DIGITS},
    {"5OO,OOO", 80, NUM, NOREL, "500,000", NORM_OCRFIX_DIGITS},
    {"l2,345.00", 80, NUM, NOREL, "12,345.00", NORM_OCRFIX_DIGITS},
    {"378，240.36", 80, NUM, NOREL, "378,240.36", NORM_OCRFIX_DIGITS},
    {"378,240。36", 80, NUM, NOREL, "378,240.36", NORM_OCRFIX_DIGITS},
    {"1|0", 80, NUM, NOREL, "110", NORM_OCRFIX_DIGITS},
    {"800x50=40000", 80, NUM, NOREL, "800×50=40000", NORM_OCRFIX_DIGITS},
    /* separators: periods read for thousands commas */
    {"37.780.000.00", 80, NUM, NOREL, "37,780,000.00", NORM_OCRFIX_SEPARATOR},
    {"1.234.567", 80, NUM, NOREL, "1,234,567", NORM_OCRFIX_SEPARATOR},
    /* relation signs at the start of a target */
    {">300.00(天)", 80, NUM, REL, "≥300.00(天)", NORM_OCRFIX_RELATION},
    {"<14.00(万元)", 80, NUM, REL, "≤14.00(万元)", NORM_OCRFIX_RELATION},
    {"之90.00(%)", 80, NUM, REL, "≥90.00(%)", NORM_OCRFIX_RELATION},
    {"过28.88(万元)", 80, NUM, REL, "≤28.88(万元)", NORM_OCRFIX_RELATION},
    {"和10(次)", 80, NUM, REL, "≥10(次)", NORM_OCRFIX_RELATION},
    {"290.00(%)", 80, NUM, REL, "≥90.00(%)", NORM_OCRFIX_RELATION},
    {"≤s14.00(万元)", 80, NUM, REL, "≤14.00(万元)", NORM_OCRFIX_RELATION},
    {"≤S38.10(万元)", 80, NUM, REL, "≤38.10(万元)", NORM_OCRFIX_RELATION},
    {"≥z300(天)", 80, NUM, REL, "≥300(天)", NORM_OCRFIX_RELATION},
    {"s28.88(万元)", 80, NUM, REL, "≤28.88(万元)", NORM_OCRFIX_RELATION},
    {"5s14.00(万元)", 80, NUM, REL, "≤14.00(万元)", NORM_OCRFIX_RELATION},
    /* a decimal point read as a comma (two digits after it) */
    {"93,15", 80, NUM, NOREL, "93.15", NORM_OCRFIX_DIGITS},
    {"≥93,5(%)", 80, NUM, REL, "≥93.5(%)", NORM_OCRFIX_DIGITS},
    /* labels within a small edit distance */
    {"计划完成日其", 80, TXT, NOREL, "计划完成日期", NORM_OCRFIX_LABEL},
    {"项目名林：", 95, TXT, NOREL, "项目名称：", NORM_OCRFIX_LABEL},
    {"立项依据;", 95, TXT, NOREL, "立项依据：", NORM_OCRFIX_LABEL},
    {"计划完成日期，", 95, TXT, NOREL, "计划完成日期：", NORM_OCRFIX_LABEL},
    {"服务对象满意变指杯", 70, TXT, NOREL, "服务对象满意度指标", NORM_OCRFIX_LABEL},
    {"Bp:当年财政拨款", 60, TXT, NOREL, "其中:当年财政拨款", NORM_OCRFIX_LABEL},
    {"AP:当年财政拨款", 91, TXT, NOREL, "其中:当年财政拨款", NORM_OCRFIX_LABEL},
    {"项目总预算(元) :", 96, TXT, NOREL, "项目总预算(元)：", NORM_OCRFIX_LABEL},
    {"”单价", 40, TXT, NOREL, "单价", NORM_OCRFIX_LABEL},
    {"\"资金需求", 80, TXT, NOREL, "资金需求", NORM_OCRFIX_LABEL},
    /* labels the forms print only with a colon get back a lost colon */
    {"是否含有政府购买服务", 96, TXT, NOREL, "是否含有政府购买服务：", NORM_OCRFIX_LABEL},
    {"总目标及阶段性目村", 80, TXT, NOREL, "总目标及阶段性目标：", NORM_OCRFIX_LABEL},
    {"项目当年预算（元）", 96, TXT, NOREL, "项目当年预算(元)：", NORM_OCRFIX_LABEL},

    /* must NOT change */
    {"COVID-19", 80, NUM, NOREL, "COVID-19", 0},           /* O in a word */
    {"项目名称", 96, TXT, NOREL, "项目名称", 0},
    {"“满意”", 80, TXT, NOREL, "“满意”", 0},               /* not a label */
    {"数据指标值", 95, TXT, NOREL, "数据指标值", 0},       /* sure, 2 edits */           /* printed both ways */
    {"立项依据：", 96, TXT, NOREL, "立项依据：", 0},       /* colon already */
    {"s3 规格", 80, TXT, REL, "s3 规格", 0},               /* not numeric */
    {"≥Sa", 80, NUM, REL, "≥Sa", 0},                       /* no digit after */
    {"1,234", 80, NUM, NOREL, "1,234", 0},                 /* thousands comma */
    {"1,234,56", 80, NUM, NOREL, "1,234,56", 0},           /* two commas */
    {"12,345.6", 80, NUM, NOREL, "12,345.6", 0},           /* has a period */
    {"A1,25", 80, NUM, NOREL, "A1,25", 0},                 /* glued to a word */
    {"52(次)", 80, NUM, REL, "52(次)", 0},                 /* a real 5 */
    {"Ol 2024", 80, NUM, NOREL, "Ol 2024", 0},             /* no digit glued */
    {"334,68O", 80, TXT, NOREL, "334,68O", 0},             /* not numeric */
    {"2020-01-01", 80, NUM, REL, "2020-01-01", 0},         /* a real 2 */
    {"200(次)", 80, NUM, REL, "200(次)", 0},               /* a real 2 */
    {"290.00(%)", 80, NUM, NOREL, "290.00(%)", 0},         /* no ≥ in form */
    {"> 95%", 80, NUM, NOREL, "> 95%", 0},                 /* a real > */
    {"≥=5", 80, NUM, NOREL, "≥=5", 0},                     /* no ≥ in form */
    {"37.780", 80, NUM, NOREL, "37.780", 0},               /* one period */
    {"0x1F", 80, TXT, NOREL, "0x1F", 0},                   /* not numeric */
    {"12 x 3", 80, NUM, NOREL, "12 x 3", 0},               /* not between digits */
    {"100。", 80, NUM, NOREL, "100。", 0},                 /* sentence end */
    {"分值", 50, TXT, NOREL, "分值", 0},                   /* exact label */
    {"分数", 50, TXT, NOREL, "分数", 0},                   /* 2 chars: exact only */
    {"经济成本指标", 50, TXT, NOREL, "经济成本指标", 0},   /* already right */
    {"社会效果目标", 97, TXT, NOREL, "社会效果目标", 0},   /* 2 edits, OCR sure */
    {"产出目标", 80, TXT, NOREL, "产出目标", 0},           /* a label of 000 */
    {"生态效益指标", 50, TXT, NOREL, "生态效益指标", 0},   /* a label itself */
    {"项目名林", -1, TXT, NOREL, "项目名林", 0},           /* not OCR */
    {"", 50, NUM, REL, "", 0},
};

START_TEST(repair_table)
{
    ft_buf out;
    unsigned fixes = 99;
    norm_ocrfix_ctx ctx = { cases[_i].numeric, cases[_i].relops };
    ft_buf_init(&out, 4096);
    ck_assert_int_eq(norm_ocrfix_cell(cases[_i].in, strlen(cases[_i].in),
                                      cases[_i].conf, &ctx, &out, &fixes),
                     FT_OK);
    ck_assert_str_eq(ft_buf_str(&out), cases[_i].want);
    ck_assert_uint_eq(fixes, cases[_i].fixes);
    ft_buf_cleanup(&out);
}
END_TEST

START_TEST(repair_rejects_bad_utf8)
{
    ft_buf out;
    unsigned fixes = 0;
    norm_ocrfix_ctx ctx = { 1, 1 };
    ft_buf_init(&out, 64);
    ck_assert_int_eq(norm_ocrfix_cell("\xe9\xa1", 2, 50, &ctx, &out, &fixes),
                     FT_UTF8);
    ck_assert_uint_eq(out.len, 0);
    ft_buf_cleanup(&out);
}
END_TEST

static const struct {
    const char *text;
    int numeric;
} numeric_cases[] = {
    {"37,780,000.00", 1}, {"≥90.00(%)", 1}, {"233, 875. 26", 1},
    {"5OO,OOO", 1}, {"项目名称", 0}, {"在2020年1月1日至2020年12月31日期间", 0}, {"≤25.00(万元)", 1},
    {"", 0},
};

START_TEST(looks_numeric_table)
{
    const char *t = numeric_cases[_i].text;
    ck_assert_int_eq(norm_ocrfix_looks_numeric(t, strlen(t)),
                     numeric_cases[_i].numeric);
}
END_TEST

/* ---- tables ---- */

static void add(ft_table *t, unsigned r, unsigned c, unsigned cs,
                const char *text)
{
    ft_cell cell;
    memset(&cell, 0, sizeof cell);
    cell.row = r;
    cell.col = c;
    cell.rowspan = 1;
    cell.colspan = cs;
    cell.page = 1;
    cell.conf = 90;
    cell.text = (char *)text;
    cell.len = strlen(text);
    ck_assert_int_eq(ft_table_add_cell(t, &cell), FT_OK);
}

typedef struct {
    unsigned n;
    unsigned row, col;
    char msg[256];
} warns;

static void on_warn(void *ud, unsigned row, unsigned col, const char *msg)
{
    warns *w = ud;
    w->n++;
    w->row = row;
    w->col = col;
    strncpy(w->msg, msg, sizeof w->msg - 1);
}

/* A budget table as in seed 003 (年度预算安排): name, count, price, amount;
 * total is the fourth column. */
static void budget(ft_table *t, const char *total)
{
    ft_table_init(t);
    t->nrows = 4;
    t->ncols = 4;
    add(t, 1, 1, 1, "项目");
    add(t, 1, 2, 1, "数量");
    add(t, 1, 3, 1, "单价");
    add(t, 1, 4, 1, "资金需求");
    add(t, 2, 1, 1, "党政团出访云南慰问费");
    add(t, 2, 2, 1, "21");
    add(t, 2, 3, 1, "0.5");
    add(t, 2, 4, 1, "10.5");
    add(t, 3, 1, 1, "慰问团出访六安慰问费");
    add(t, 3, 2, 1, "3");
    add(t, 3, 3, 1, "0.5");
    add(t, 3, 4, 1, "1.5");
    add(t, 4, 1, 3, "合计");
    add(t, 4, 4, 1, total);
}

START_TEST(sums_agree)
{
    ft_table t;
    warns w = { 0 };
    unsigned checked = 0;
    budget(&t, "12");
    ck_assert_int_eq(norm_ocrfix_check_sums(&t, on_warn, &w, &checked), FT_OK);
    ck_assert_uint_eq(checked, 1);
    ck_assert_uint_eq(w.n, 0);
    ft_table_cleanup(&t);
}
END_TEST

START_TEST(sums_disagree)
{
    ft_table t;
    warns w = { 0 };
    unsigned checked = 0;
    budget(&t, "13.00");
    ck_assert_int_eq(norm_ocrfix_check_sums(&t, on_warn, &w, &checked), FT_OK);
    ck_assert_uint_eq(checked, 1);
    ck_assert_uint_eq(w.n, 1);
    ck_assert_uint_eq(w.row, 4);
    ck_assert_uint_eq(w.col, 4);
    ck_assert_str_eq(w.msg, "row 4 (合计) column 4: 13 but the rows above "
                            "add up to 12");
    ft_table_cleanup(&t);
}
END_TEST

START_TEST(sums_commas_and_units)
{
    ft_table t;
    warns w = { 0 };
    unsigned checked = 0;
    ft_table_init(&t);
    t.nrows = 4;
    t.ncols = 2;
    add(&t, 1, 1, 1, "a");
    add(&t, 1, 2, 1, "37,780,000.00");
    add(&t, 2, 1, 1, "b");
    add(&t, 2, 2, 1, "233, 875. 26");
    add(&t, 3, 1, 1, "c");
    add(&t, 3, 2, 1, "说明");
    add(&t, 4, 1, 1, "总计");
    add(&t, 4, 2, 1, "38,013,875.26");
    ck_assert_int_eq(norm_ocrfix_check_sums(&t, on_warn, &w, &checked), FT_OK);
    ck_assert_uint_eq(checked, 1);
    ck_assert_uint_eq(w.n, 0);
    ft_table_cleanup(&t);
}
END_TEST

START_TEST(table_relops)
{
    ft_table t;
    ft_table_init(&t);
    t.nrows = 1;
    t.ncols = 2;
    add(&t, 1, 1, 1, "安全出车率");
    add(&t, 1, 2, 1, " ≥90.00(%)");
    ck_assert_int_eq(norm_ocrfix_table_relops(&t), 1);
    ft_table_reset(&t);
    t.nrows = 1;
    t.ncols = 2;
    add(&t, 1, 1, 1, "预算执行率");
    add(&t, 1, 2, 1, "> 95%");
    ck_assert_int_eq(norm_ocrfix_table_relops(&t), 0);
    ft_table_cleanup(&t);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("norm_ocrfix");
    TCase *tc = tcase_create("repairs");
    tcase_add_loop_test(tc, repair_table, 0,
                        (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, repair_rejects_bad_utf8);
    tcase_add_loop_test(tc, looks_numeric_table, 0,
                        (int)(sizeof numeric_cases / sizeof numeric_cases[0]));
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("tables");
    tcase_add_test(tt, sums_agree);
    tcase_add_test(tt, sums_disagree);
    tcase_add_test(tt, sums_commas_and_units);
    tcase_add_test(tt, table_relops);
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
