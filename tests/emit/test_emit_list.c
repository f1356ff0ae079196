/* Unit tests of emit_list: seed 002's numbered 绩效指标 cells split into
 * (type, name, target), with the publisher's repetitions kept once. The
 * inputs are cells of fixtures/truth/002-1-summary-wide.grid; the expected
 * items are written by hand. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "emit_list.h"

typedef struct {
    const char *type, *name, *target; /* target NULL: none */
} item;

#define MAXI 10
static const struct {
    const char *text;
    size_t n;
    item items[MAXI];
} cases[] = {
    /* 会议培训费 */
    {"1、产出指标:培训人数,年度指标值:≥400人。2、产出指标:支持西部地区人才培训班期数,"
     "年度指标值:不少于6次。3、产出指标:培训计划完成率,年度指标值:≥90%。",
     3,
     {{"产出指标", "培训人数", "≥400人"},
      {"产出指标", "支持西部地区人才培训班期数", "不少于6次"},
      {"产出指标", "培训计划完成率", "≥90%"}}},
    /* 会展业务费: line-wrap spaces inside words, the OCR-damaged 程指标值 */
    {"1、满意度指标:参展商投诉率,年度指标 值:低于10%。2、产出指标:展览面积,年 "
     "度指标值:5万平方。6、效益指标:广州博览会的知 名度和影响力,年度指标值:"
     "广州博览会的知 名度和影响力,程指标值:广州博览会的知 知名度和影响力提高。",
     3,
     {{"满意度指标", "参展商投诉率", "低于10%"},
      {"产出指标", "展览面积", "5万平方"},
      {"效益指标", "广州博览会的知名度和影响力", "广州博览会的知知名度和影响力提高"}}},
    /* 机构运行辅助经费: two items numbered 1 are both kept */
    {"1、产出指标:资金支出合法合规性,年度指标值:合法合规。1、产出指标:支出相关性,"
     "年度指标值:相符。",
     2,
     {{"产出指标", "资金支出合法合规性", "合法合规"},
      {"产出指标", "支出相关性", "相符"}}},
    /* 广东粤黔工作队: a colon inside the name; the name,年度指标值: repeated */
    {"1、效益指标:制度执行的规范性:(计算方法:定性指标)合法合规,年度指标值:合法合规。"
     "4、效益指标:广州市对口帮扶工作的社会影响力,年度指标值:广州市对口帮扶工作的社会"
     "影响力,年度指标值:广州市对口帮扶工作的社会影响力较好。",
     2,
     {{"效益指标", "制度执行的规范性:(计算方法:定性指标)合法合规", "合法合规"},
      {"效益指标", "广州市对口帮扶工作的社会影响力",
       "广州市对口帮扶工作的社会影响力较好"}}},
    /* 对口帮扶清远资金: two different item 8s stay (the targets differ) */
    {"7、效益指标:财政资金投入乘数,年度指标值:≥1。8、产出指标:资金到位率,年度指标值:"
     "≥1。8、产出指标:资金到位率,年度指标值:100%。",
     3,
     {{"效益指标", "财政资金投入乘数", "≥1"},
      {"产出指标", "资金到位率", "≥1"},
      {"产出指标", "资金到位率", "100%"}}},
    /* an item printed twice in a row is kept once */
    {"1、产出指标:资金到位率,年度指标值:100%。1、产出指标:资金到位率,年度指标值:100%。",
     1,
     {{"产出指标", "资金到位率", "100%"}}},
    /* 广州市驻镇帮镇扶村资金: the cell is cut inside the fourth repetition,
     * so the target itself is never printed */
    {"8、效益指标:广州市对口帮扶工作的社会影响力,年度指标值:广州市对口帮扶工作的社会"
     "影响力,年度指标值:广州市对口帮扶工作的社会影响力,年度指标",
     1,
     {{"效益指标", "广州市对口帮扶工作的社会影响力", NULL}}},
    /* a target that merely starts with the name stays whole */
    {"3、效益指标:广州市对口帮扶工作的社会影响力,年度指标值:广州市对口帮扶工作的社会"
     "影响力较好。",
     1,
     {{"效益指标", "广州市对口帮扶工作的社会影响力", "广州市对口帮扶工作的社会影响力较好"}}},
    /* space after the colon; full-width punctuation */
    {"1、效益指标：项目惠及群众人数，年度指标值： ≥500人。", 1,
     {{"效益指标", "项目惠及群众人数", "≥500人"}}},
    /* double full stop */
    {"1、效益指标:加强两市间的经济文化合作交流,年度指标值:起促进作用。。2、产出指标:"
     "两市之间交流考察对接次数,年度指标值:4次。",
     2,
     {{"效益指标", "加强两市间的经济文化合作交流", "起促进作用"},
      {"产出指标", "两市之间交流考察对接次数", "4次"}}},
    /* an item without 年度指标值 keeps its name, target none */
    {"1、产出指标:资金到位率", 1, {{"产出指标", "资金到位率", NULL}}},
    /* not lists */
    {"通过举办广州博览会,宣传推介广州城市形象和投资环境。", 0, {{0}}},
    {"运行辅助工作满意程度90%", 0, {{0}}},
    {"", 0, {{0}}},
    {"绩效指标:1、产出指标:培训人数,年度指标值:≥400人。", 0, {{0}}},
    {"12、数量:5", 0, {{0}}}, /* the type must end in 指标 */
};

START_TEST(list_table)
{
    ft_buf norm;
    emit_list_item it[MAXI];
    ft_err err;
    ft_buf_init(&norm, 1 << 20);
    const char *t = cases[_i].text;
    size_t n = emit_list_split(t, strlen(t), &norm, it, MAXI, &err);
    ck_assert_int_eq(err, FT_OK);
    ck_assert_msg(n == cases[_i].n, "case %d: %zu items, want %zu", _i, n,
                  cases[_i].n);
    const char *s = ft_buf_str(&norm);
    for (size_t i = 0; i < n; i++) {
        const item *w = &cases[_i].items[i];
        ck_assert_uint_eq(it[i].type_len, strlen(w->type));
        ck_assert(!memcmp(s + it[i].type_off, w->type, it[i].type_len));
        ck_assert_msg(it[i].name_len == strlen(w->name) &&
                          !memcmp(s + it[i].name_off, w->name, it[i].name_len),
                      "case %d item %zu: name '%.*s'", _i, i,
                      (int)it[i].name_len, s + it[i].name_off);
        const char *tg = w->target ? w->target : "";
        ck_assert_msg(it[i].target_len == strlen(tg) &&
                          !memcmp(s + it[i].target_off, tg, it[i].target_len),
                      "case %d item %zu: target '%.*s'", _i, i,
                      (int)it[i].target_len, s + it[i].target_off);
    }
    ft_buf_cleanup(&norm);
}
END_TEST

START_TEST(list_capacity)
{
    /* More items than room: the count says so, only max are stored. */
    ft_buf norm;
    emit_list_item it[2];
    ft_err err;
    ft_buf_init(&norm, 1 << 20);
    const char *t = "1、产出指标:a,年度指标值:1。2、产出指标:b,年度指标值:2。"
                    "3、产出指标:c,年度指标值:3。";
    ck_assert_uint_eq(emit_list_split(t, strlen(t), &norm, it, 2, &err), 3);
    /* a too small buffer is an error, not a crash */
    ft_buf small;
    ft_buf_init(&small, 8);
    ck_assert_uint_eq(emit_list_split(t, strlen(t), &small, it, 2, &err), 0);
    ck_assert_int_eq(err, FT_LIMIT);
    ft_buf_cleanup(&small);
    ft_buf_cleanup(&norm);
}
END_TEST

static Suite *list_suite(void)
{
    Suite *s = suite_create("emit_list");
    TCase *tc = tcase_create("split");
    tcase_add_loop_test(tc, list_table, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, list_capacity);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(list_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
