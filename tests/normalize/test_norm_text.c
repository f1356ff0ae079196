/* Tables rebuilt from text dumps (norm_text.c): each case is the lines of a
 * page as the seeds print them (TAB = cell separator) and, written by hand,
 * the tables and notes they must give. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "norm_page.h"
#include "norm_rules.h"
#include "norm_testlib.h"
#include "norm_text.h"

#define MAXL 16

static const struct {
    const char *name;
    const char *lines[MAXL];
    const char *expect;
} cases[] = {
    {"leading tabs continue the cells above (seed 000 lines 21-26)",
     {"21:一级目标\t二级目标\t三级目标\t指标目标值",
      "22:投入与管理\t投入管理\t预算执行率\t> 95%",
      "23:\t财务管理\t预算资金到位率\t=100%",
      "24:\t\t资金使用规范性\t规范",
      "25:\t实施管理\t项目管理制度健全性\t健全"},
     "text 5x4\n"
     "1,1,1,1:一级目标\n1,2,1,1:二级目标\n1,3,1,1:三级目标\n1,4,1,1:指标目标值\n"
     "2,1,4,1:投入与管理\n2,2,1,1:投入管理\n2,3,1,1:预算执行率\n2,4,1,1:> 95%\n"
     "3,2,2,1:财务管理\n3,3,1,1:预算资金到位率\n3,4,1,1:=100%\n"
     "4,3,1,1:资金使用规范性\n4,4,1,1:规范\n"
     "5,2,1,1:实施管理\n5,3,1,1:项目管理制度健全性\n5,4,1,1:健全\n"},
    {"title rows span the width; trailing empty fields count; prose is a note",
     {"1:七、绩效目标",
      "3:财政项目支出绩效目标表\t\t\t",
      "4:(2020年度)\t\t\t",
      "5:项目名称：\t合作交流工作业务费\t项目类别：\t经常性专项业务费",
      "6:项目概况：\t该项目用于课题研究。\t\t"},
     "note:七、绩效目标\n"
     "text 4x4\n"
     "1,1,1,4:财政项目支出绩效目标表\n2,1,1,4:(2020年度)\n"
     "3,1,1,1:项目名称：\n3,2,1,1:合作交流工作业务费\n3,3,1,1:项目类别：\n"
     "3,4,1,1:经常性专项业务费\n"
     "4,1,1,1:项目概况：\n4,2,1,1:该项目用于课题研究。\n4,3,1,1:\n4,4,1,1:\n"},
    {"a blank line then a TAB line continues over the page break (seed 001)",
     {"17:\t\t时效指标\t项目启动及时性",
      "18:效益指标\t经济效益指标\t课题转化成果率\t100%",
      "20:\t社会效益指标\t合作交流工作支撑作用\t支撑作用明显"},
     "text 3x4\n"
     "1,1,1,1:\n1,2,1,1:\n1,3,1,1:时效指标\n1,4,1,1:项目启动及时性\n"
     "2,1,2,1:效益指标\n2,2,1,1:经济效益指标\n2,3,1,1:课题转化成果率\n2,4,1,1:100%\n"
     "3,2,1,1:社会效益指标\n3,3,1,1:合作交流工作支撑作用\n3,4,1,1:支撑作用明显\n"},
    {"a blank line then a line without leading TAB starts a new table",
     {"50:党政团出访六安慰问费（教师医生）\t2\t0.3\t0.6",
      "52:慰问团出访六安慰问费（教师医生）\t2\t0.2\t0.4"},
     "text 1x4\n1,1,1,1:党政团出访六安慰问费（教师医生）\n1,2,1,1:2\n1,3,1,1:0.3\n"
     "1,4,1,1:0.6\n"
     "text 1x4\n1,1,1,1:慰问团出访六安慰问费（教师医生）\n1,2,1,1:2\n1,3,1,1:0.2\n"
     "1,4,1,1:0.4\n"},
    {"a one-piece fragment after a page break joins the cell it continues "
     "(seed 002 line 23)",
     {"21:梅州指挥部\t320. 80\t通过安排经费。\t1、产出指标:完成率。7",
      "23:\t\t\t、效益指标:宣传报道的次数",
      "24:清远指挥部\t215. 64\t维持运行。\t1、产出指标"},
     "text 2x4\n"
     "1,1,1,1:梅州指挥部\n1,2,1,1:320. 80\n1,3,1,1:通过安排经费。\n"
     "1,4,1,1:1、产出指标:完成率。7、效益指标:宣传报道的次数\n"
     "2,1,1,1:清远指挥部\n2,2,1,1:215. 64\n2,3,1,1:维持运行。\n2,4,1,1:1、产出指标\n"},
    {"markdown rule rows are dropped",
     {"108:单次审核费用（元）\t规范性文件数量（件）\t总计审核费用（元）",
      "109:800\t50\t40000",
      "110:------\t---\t-----"},
     "text 2x3\n1,1,1,1:单次审核费用（元）\n1,2,1,1:规范性文件数量（件）\n"
     "1,3,1,1:总计审核费用（元）\n2,1,1,1:800\n2,2,1,1:50\n2,3,1,1:40000\n"},
    {"a leading empty field under a wide cell is an empty cell",
     {"1:本项目上年度市级财政资金使用情况\t\t\t",
      "2:\t\t334,680\t541,200"},
     "text 2x4\n1,1,1,4:本项目上年度市级财政资金使用情况\n"
     "2,1,1,1:\n2,2,1,1:\n2,3,1,1:334,680\n2,4,1,1:541,200\n"},
    {"leading empties that cover a whole wide cell extend it",
     {"1:项目资金 (元)\t\t年初预算数\t全年预算数",
      "2:\t\t500,000\t400,000"},
     "text 2x4\n1,1,2,1:项目资金 (元)\n1,2,2,1:\n1,3,1,1:年初预算数\n"
     "1,4,1,1:全年预算数\n2,3,1,1:500,000\n2,4,1,1:400,000\n"},
};

START_TEST(text_cases)
{
    ft_page p;
    norm_page_out o;
    norm_rules *rules = NULL;
    char msg[256];
    ft_page_init(&p);
    norm_page_out_init(&o);
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
    tl_page_plain(&p, 1);
    size_t n = 0;
    while (n < MAXL && cases[_i].lines[n])
        n++;
    tl_lines(&p, cases[_i].lines, n);
    norm_page_out_reset(&o, 1);
    ck_assert_int_eq(norm_text_page(&p, rules, &o), FT_OK);
    norm_page_sort(&o);
    char *got = tl_dump_page(&o);
    ck_assert_msg(strcmp(got, cases[_i].expect) == 0, "%s:\n--- got\n%s--- want\n%s",
                  cases[_i].name, got, cases[_i].expect);
    free(got);
    norm_rules_free(rules);
    norm_page_out_cleanup(&o);
    ft_page_cleanup(&p);
}
END_TEST

/* Every table the text path builds tiles its grid exactly (the table
 * stream's invariant), whatever the mix of leading, trailing and missing
 * fields. */
START_TEST(text_tables_tile_their_grid)
{
    static const char *const lines[] = {
        "1:a\t\t\t", "2:\tb", "3:\t\tc\td\te", "4:\t\t\t\t", "5:f\t\tg",
        "7:\t\t\th", "8:\ti\tj", "9:k\t", "10:\t\t\t\t\t\t\t\t"};
    ft_page p;
    norm_page_out o;
    norm_rules *rules = NULL;
    char msg[256];
    ft_page_init(&p);
    norm_page_out_init(&o);
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
    tl_page_plain(&p, 1);
    tl_lines(&p, lines, sizeof lines / sizeof *lines);
    norm_page_out_reset(&o, 1);
    ck_assert_int_eq(norm_text_page(&p, rules, &o), FT_OK);
    ck_assert_uint_ge(o.tables.count, 1);
    for (size_t i = 0; i < o.tables.count; i++) {
        size_t *map = NULL;
        ck_assert_int_eq(ft_table_slot_map(&o.tables.items[i], &map, msg,
                                           sizeof msg), FT_OK);
        free(map);
    }
    norm_rules_free(rules);
    norm_page_out_cleanup(&o);
    ft_page_cleanup(&p);
}
END_TEST

/* Space-aligned lines (pdftotext -layout) go to the unruled finder; the
 * rows around them stay notes. */
START_TEST(text_space_aligned_block)
{
    static const char *const lines[] = {
        "1:Regional output",
        "3:Region    Industry        2019     2020",
        "4:North     Chemicals      761.4    800.7",
        "5:South     Retail         123.9    120.3",
        "6:East      Mining          55.0     60.2",
        "8:Source: statistics office"};
    ft_page p;
    norm_page_out o;
    norm_rules *rules = NULL;
    char msg[256];
    ft_page_init(&p);
    norm_page_out_init(&o);
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
    tl_page_plain(&p, 1);
    tl_lines(&p, lines, sizeof lines / sizeof *lines);
    norm_page_out_reset(&o, 1);
    ck_assert_int_eq(norm_text_page(&p, rules, &o), FT_OK);
    norm_page_sort(&o);
    ck_assert_uint_ge(o.count, 2);
    ck_assert_int_eq(o.items[0].kind, NORM_ITEM_NOTE);
    ck_assert_int_eq(o.items[o.count - 1].kind, NORM_ITEM_NOTE);
    /* The block's text is all there, as a stream table or as notes. */
    char *got = tl_dump_page(&o);
    ck_assert_ptr_nonnull(strstr(got, "Chemicals"));
    ck_assert_ptr_nonnull(strstr(got, "60.2"));
    for (size_t i = 0; i < o.tables.count; i++) {
        const ft_table *t = &o.tables.items[i];
        ck_assert_str_eq(t->method, "stream");
        ck_assert_int_eq(t->has_box, 0); /* monospace boxes are not real */
    }
    free(got);
    norm_rules_free(rules);
    norm_page_out_cleanup(&o);
    ft_page_cleanup(&p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("norm_text");
    TCase *tc = tcase_create("text");
    tcase_add_loop_test(tc, text_cases, 0, sizeof cases / sizeof *cases);
    tcase_add_test(tc, text_tables_tile_their_grid);
    tcase_add_test(tc, text_space_aligned_block);
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
