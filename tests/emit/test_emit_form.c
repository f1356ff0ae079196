/* Unit tests of emit_form with the built-in map: small tables built in
 * memory (shapes taken from the seeds) and the records they must give,
 * written by hand as JSON fragments each output must contain, plus the number
 * of records of each kind. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_form.h"

typedef struct {
    unsigned r, c, rs, cs;
    const char *text;
} tcell;

#define MAXC 40
#define MAXW 12
static const struct {
    const char *what;
    unsigned nrows, ncols;
    tcell cells[MAXC];
    unsigned nfield, nindicator, nbudget, ncell;
    const char *want[MAXW];
} cases[] = {
    {"seed 003 funds block: two 其他资金 told apart by the label above them; "
     "unit from the block label",
     3, 5,
     {{1, 1, 3, 1, "项目资金（元）"}, {1, 2, 1, 1, "项目资金总额"},
      {1, 3, 1, 1, "100.00"}, {1, 4, 1, 1, "年度资金申请总额"},
      {1, 5, 1, 1, "90.00"}, {2, 2, 1, 1, "其中：财政资金"},
      {2, 3, 1, 1, "100.00"}, {2, 4, 1, 1, "其中：当年财政拨款"},
      {2, 5, 1, 1, "90.00"}, {3, 2, 1, 1, "其他资金"}, {3, 3, 1, 1, "0"},
      {3, 4, 1, 1, "其他资金"}, {3, 5, 1, 1, "1.5"}},
     6, 0, 0, 0,
     {"\"name\":\"total_funds\",\"label\":\"项目资金总额\",\"value_text\":\"100.00\","
      "\"value_type\":\"amount\",\"value_number\":100.00,\"value_unit\":\"元\"",
      "\"name\":\"fiscal_funds\"",
      "\"name\":\"annual_appropriation\",\"label\":\"其中：当年财政拨款\"",
      "\"row\":3,\"col\":2,\"subject\":null,\"name\":\"other_funds\",\"label\":"
      "\"其他资金\",\"value_text\":\"0\",\"value_type\":\"amount\","
      "\"value_number\":0,\"value_unit\":\"元\"",
      "\"row\":3,\"col\":4,\"subject\":null,\"name\":\"annual_other_funds\","
      "\"label\":\"其他资金\",\"value_text\":\"1.5\",\"value_type\":\"amount\","
      "\"value_number\":1.5,\"value_unit\":\"元\""}},
    {"goals: the value is the cell below the label (@below)",
     2, 3,
     {{1, 1, 2, 1, "项目 绩效 目标"}, {1, 2, 1, 1, "项目总目标"},
      {1, 3, 1, 1, "年度总体目标"}, {2, 2, 1, 1, "总目标文字"},
      {2, 3, 1, 1, "年度目标文字"}},
     2, 0, 0, 0,
     {"\"name\":\"project_goal\",\"label\":\"项目总目标\",\"value_text\":\"总目标文字\"",
      "\"name\":\"annual_goal\",\"label\":\"年度总体目标\",\"value_text\":"
      "\"年度目标文字\""}},
    {"seed 004: a label followed by a label has an empty value",
     1, 3,
     {{1, 1, 1, 1, "项目资金总额:"}, {1, 2, 1, 1, "年度资金申请总额:"},
      {1, 3, 1, 1, "140,000.00"}},
     2, 0, 0, 0,
     {"\"name\":\"total_funds\",\"label\":\"项目资金总额:\",\"value_text\":\"\","
      "\"value_type\":\"amount\",\"value_number\":null",
      "\"name\":\"annual_request\",\"label\":\"年度资金申请总额:\","
      "\"value_text\":\"140,000.00\",\"value_type\":\"amount\","
      "\"value_number\":140000.00,\"value_unit\":null"}},
    {"label and value in one cell, full-width colon; a year in brackets",
     2, 1,
     {{1, 1, 1, 1, "申报单位名称：上海市人民政府驻广州办事处"},
      {2, 1, 1, 1, "（2020 年度）"}},
     2, 0, 0, 0,
     {"\"name\":\"applicant\",\"label\":\"申报单位名称：\",\"value_text\":"
      "\"上海市人民政府驻广州办事处\"",
      "\"name\":\"year\",\"label\":\"（2020 年度）\",\"value_text\":\"2020\","
      "\"value_type\":\"number\",\"value_number\":2020"}},
    {"seed 001 self-evaluation: actual, weight, score, deviation; 总分 in "
     "column 1 followed by empty cells",
     4, 8,
     {{1, 1, 1, 1, "一级指标"}, {1, 2, 1, 1, "二级指标"}, {1, 3, 1, 1, "三级指标"},
      {1, 4, 1, 1, "年度指标值"}, {1, 5, 1, 1, "实际完成值"}, {1, 6, 1, 1, "分值"},
      {1, 7, 1, 1, "得分"}, {1, 8, 1, 1, "偏差原因分析及改进措施"},
      {2, 1, 2, 1, "产出指标"}, {2, 2, 1, 1, "数量指标"},
      {2, 3, 1, 1, "接待团组数量"}, {2, 4, 1, 1, ">=60 个"},
      {2, 5, 1, 1, "98 个"}, {2, 6, 1, 1, "20"}, {2, 7, 1, 1, "20"},
      {2, 8, 1, 1, ""}, {3, 2, 1, 1, "质量指标"}, {3, 3, 1, 1, "公务用车保障率"},
      {3, 4, 1, 1, ">=90%"}, {3, 5, 1, 1, "100%"}, {3, 6, 1, 1, "—"},
      {3, 7, 1, 1, "13.5"}, {3, 8, 1, 1, "原因：疫情"}, {4, 1, 1, 1, "总分"},
      {4, 2, 1, 1, ""}, {4, 3, 1, 1, ""}, {4, 4, 1, 1, ""}, {4, 5, 1, 1, ""},
      {4, 6, 1, 1, "100"}, {4, 7, 1, 1, "93.15"}, {4, 8, 1, 1, ""}},
     2, 2, 0, 0,
     {"\"seq\":1,\"subject\":null,\"level1\":\"产出指标\",\"level2\":\"数量指标\","
      "\"level3\":\"接待团组数量\",\"target_text\":\">=60 个\",\"target_op\":\">=\","
      "\"target_value\":60,\"target_unit\":\"个\",\"actual_text\":\"98 个\","
      "\"actual_op\":null,\"actual_value\":98,\"actual_unit\":\"个\","
      "\"weight_text\":\"20\",\"weight\":20,\"score_text\":\"20\",\"score\":20,"
      "\"deviation\":\"\"",
      "\"seq\":2,\"subject\":null,\"level1\":\"产出指标\",\"level2\":\"质量指标\"",
      "\"weight_text\":\"—\",\"weight\":null,\"score_text\":\"13.5\","
      "\"score\":13.5,\"deviation\":\"原因：疫情\"",
      "\"name\":\"total_weight\",\"label\":\"总分\",\"value_text\":\"100\"",
      "\"name\":\"total_score\",\"label\":\"总分\",\"value_text\":\"93.15\","
      "\"value_type\":\"number\",\"value_number\":93.15"}},
    {"levels left empty under an indicator continue the indicator above "
     "(a merged label an unruled finder split); the second level only while "
     "the first stays (fixtures seed000-hrules, seed003-forms-unruled)",
     5, 4,
     {{1, 1, 1, 1, "一级目标"}, {1, 2, 1, 1, "二级目标"}, {1, 3, 1, 1, "三级目标"},
      {1, 4, 1, 1, "指标目标值"},
      {2, 1, 1, 1, "投入与管理"}, {2, 2, 1, 1, "投入管理"},
      {2, 3, 1, 1, "预算执行率"}, {2, 4, 1, 1, "> 95%"},
      {3, 1, 1, 1, ""}, {3, 2, 1, 1, ""}, {3, 3, 1, 1, "预算资金到位率"},
      {3, 4, 1, 1, "=100%"},
      {4, 1, 1, 1, "产出目标"}, {4, 2, 1, 1, ""}, {4, 3, 1, 1, "项目质量可控性"},
      {4, 4, 1, 1, "可控"},
      {5, 1, 1, 1, ""}, {5, 2, 1, 1, "时效"}, {5, 3, 1, 1, "长效机制"},
      {5, 4, 1, 1, "健全"}},
     0, 4, 0, 0,
     {"\"seq\":2,\"subject\":null,\"level1\":\"投入与管理\",\"level2\":\"投入管理\","
      "\"level3\":\"预算资金到位率\"",
      "\"seq\":3,\"subject\":null,\"level1\":\"产出目标\",\"level2\":\"\","
      "\"level3\":\"项目质量可控性\"",
      "\"seq\":4,\"subject\":null,\"level1\":\"产出目标\",\"level2\":\"时效\","
      "\"level3\":\"长效机制\""}},
    {"seed 001 funds block: row label x column role, unit from 项目资金 (万元)",
     2, 5,
     {{1, 1, 2, 1, "项目资金 (万元)"}, {1, 2, 1, 1, ""}, {1, 3, 1, 1, "全年执行数"},
      {1, 4, 1, 1, "执行率"}, {1, 5, 1, 1, "得分"}, {2, 2, 1, 1, "年度资金总额"},
      {2, 3, 1, 1, "378,240.36"}, {2, 4, 1, 1, "94.57%"}, {2, 5, 1, 1, "9.46"}},
     3, 0, 0, 0,
     {"\"name\":\"funds_total_executed\",\"label\":\"年度资金总额\","
      "\"value_text\":\"378,240.36\",\"value_type\":\"amount\","
      "\"value_number\":378240.36,\"value_unit\":\"万元\"",
      "\"name\":\"funds_total_execution_rate\",\"label\":\"年度资金总额\","
      "\"value_text\":\"94.57%\",\"value_type\":\"percent\","
      "\"value_number\":94.57,\"value_unit\":\"%\"",
      "\"name\":\"funds_total_score\""}},
    {"seed 003 budget: a merged 合计 counts once; header unit (元)",
     4, 3,
     {{1, 1, 1, 1, "内容"}, {1, 2, 1, 1, "讲课费（元）"}, {1, 3, 1, 1, "合计"},
      {2, 1, 1, 1, "政务公开"}, {2, 2, 1, 1, "15000"}, {2, 3, 3, 1, "50000"},
      {3, 1, 1, 1, "建议提案"}, {3, 2, 1, 1, "15000"},
      {4, 1, 1, 1, "规范性文件、重大行政决策"}, {4, 2, 1, 1, "20000"}},
     0, 0, 3, 0,
     {"\"item_group\":\"内容\",\"item\":\"政务公开\",\"quantity_text\":null,"
      "\"quantity_value\":null,\"quantity_unit\":null,\"unit_price_text\":null,"
      "\"unit_price_value\":null,\"unit_price_unit\":null,\"amount_text\":"
      "\"15000\",\"amount_value\":15000,\"amount_unit\":\"元\",\"total_text\":"
      "\"50000\",\"total_value\":50000,\"total_unit\":null,\"is_total\":false",
      "\"item\":\"建议提案\",\"quantity_text\":null,\"quantity_value\":null,"
      "\"quantity_unit\":null,\"unit_price_text\":null,\"unit_price_value\":"
      "null,\"unit_price_unit\":null,\"amount_text\":\"15000\",\"amount_value\":"
      "15000,\"amount_unit\":\"元\",\"total_text\":null"}},
    {"seed 002 summary: subject per row, amounts as fields, the 绩效指标 list "
     "as indicators",
     2, 3,
     {{1, 1, 1, 1, "项目名称(资金使用单位)"}, {1, 2, 1, 1, "总计"},
      {1, 3, 1, 1, "绩效指标"}, {2, 1, 1, 1, "会议培训费"},
      {2, 2, 1, 1, "200. 00"},
      {2, 3, 1, 1, "1、产出指标:培训人数,年度指标值:≥400人。2、满意度指标:参加培训"
                   "学员满意度,年度指标 值:≥90%。"}},
     1, 2, 0, 0,
     {"\"col\":2,\"subject\":\"会议培训费\",\"name\":\"total_funds\",\"label\":"
      "\"总计\",\"value_text\":\"200. 00\",\"value_type\":\"amount\","
      "\"value_number\":200.00",
      "\"seq\":1,\"subject\":\"会议培训费\",\"level1\":\"产出指标\",\"level2\":"
      "null,\"level3\":\"培训人数\",\"target_text\":\"≥400人\",\"target_op\":"
      "\">=\",\"target_value\":400,\"target_unit\":\"人\"",
      "\"seq\":2,\"subject\":\"会议培训费\",\"level1\":\"满意度指标\",\"level2\":"
      "null,\"level3\":\"参加培训学员满意度\",\"target_text\":\"≥90%\""}},
    {"nothing readable: the cells, and a warning",
     1, 2,
     {{1, 1, 1, 1, "Name"}, {1, 2, 1, 1, "Value"}},
     0, 0, 0, 2,
     {"\"kind\":\"cell\"", "\"text\":\"Value\""}},
};

static char out[65536], err[4096];

START_TEST(form_table)
{
    ft_table t;
    ft_table_init(&t);
    t.id = 1;
    t.page_first = t.page_last = 1;
    t.nrows = cases[_i].nrows;
    t.ncols = cases[_i].ncols;
    for (int k = 0; k < MAXC && cases[_i].cells[k].r; k++) {
        const tcell *c = &cases[_i].cells[k];
        ft_cell cell;
        memset(&cell, 0, sizeof cell);
        cell.row = c->r;
        cell.col = c->c;
        cell.rowspan = c->rs;
        cell.colspan = c->cs;
        cell.page = 1;
        cell.conf = -1;
        cell.text = (char *)c->text;
        cell.len = strlen(c->text);
        ck_assert(ft_table_add_cell(&t, &cell) == FT_OK);
    }
    ft_table_sort(&t);
    ft_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.source = "t.pdf";
    strcpy(doc.sha256, "abc");
    emit_map *m = NULL;
    char msg[256];
    ck_assert(emit_map_builtin(&m, msg, sizeof msg) == FT_OK);

    memset(out, 0, sizeof out);
    memset(err, 0, sizeof err);
    FILE *f = fmemopen(out, sizeof out - 1, "w");
    FILE *e = fmemopen(err, sizeof err - 1, "w");
    emit_writer w;
    emit_writer_init(&w, f, EMIT_JSONL, 0, 0);
    emit_form_out o = {&w, &w, &w, &w};
    ft_diag d;
    ft_diag_init(&d, "test");
    d.out = e;
    emit_form_counts n = {0, 0, 0, 0};
    ck_assert(emit_form_table(m, &doc, &t, NULL, 0, NULL, &o, &d, &n) == FT_OK);
    fclose(f);
    fclose(e);

    ck_assert_msg(n.nfield == cases[_i].nfield, "%s: %lu fields\n%s",
                  cases[_i].what, n.nfield, out);
    ck_assert_msg(n.nindicator == cases[_i].nindicator, "%s: %lu indicators\n%s",
                  cases[_i].what, n.nindicator, out);
    ck_assert_msg(n.nbudget == cases[_i].nbudget, "%s: %lu budget items\n%s",
                  cases[_i].what, n.nbudget, out);
    ck_assert_msg(n.ncell == cases[_i].ncell, "%s: %lu cells", cases[_i].what,
                  n.ncell);
    for (int k = 0; k < MAXW && cases[_i].want[k]; k++)
        ck_assert_msg(strstr(out, cases[_i].want[k]) != NULL,
                      "%s: missing %s\nin\n%s", cases[_i].what,
                      cases[_i].want[k], out);
    /* a warning only for the fallback to cells */
    ck_assert_int_eq(err[0] != '\0', cases[_i].ncell > 0);
    if (cases[_i].ncell)
        ck_assert_str_eq(err, "test: warning: t.pdf: page 1: table 1: no form "
                              "fields, indicators or budget items found; its "
                              "cells are written as 'cell' records\n");
    emit_map_free(m);
    ft_table_cleanup(&t);
}
END_TEST

START_TEST(record_id_rule)
{
    /* printf 'field\nabc\n1\n2\n3\nname@4' | sha256sum */
    char hex[65];
    emit_record_id("field", "abc", 1, 2, 3, "name@4", hex);
    ck_assert_str_eq(hex, "da73f8fb4cd3069fb4608046a9eac45a3753e08258520e55b51d17854237c231");
}
END_TEST

static Suite *form_suite(void)
{
    Suite *s = suite_create("emit_form");
    TCase *tc = tcase_create("form");
    tcase_add_loop_test(tc, form_table, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, record_id_rule);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(form_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
