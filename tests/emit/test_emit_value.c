/* Unit tests of emit_value: every distinct amount, count, percentage, date
 * and target string of the five seed documents (/work/shared/seeds, grepped
 * out by hand: the cells holding a digit, and the 年度指标值 of seed 002's
 * indicator lists), each with the parse written by hand. A row whose
 * expected number is NULL must be unparsed. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "emit_value.h"

typedef struct {
    const char *text;
    const char *op;     /* expected comparison or NULL */
    const char *number; /* expected literal, NULL: must not parse */
    const char *unit;
} vcase;

/* emit_parse_quantity: amounts and counts of the seeds' cells. */
static const vcase quantity_cases[] = {
    /* seed 003 budget tables: LaTeX calculations give their result */
    {"$10.39 \\times 3850 = 40000$", NULL, "40000", ""},
    {"$40000 \\times 5 = 200000$", NULL, "200000", ""},
    {"$800 \\times 15 = 12000$", NULL, "12000", ""},
    {"$800 \\times 47 = 38000$", NULL, "38000", ""},
    {"$800 \\times 50 = 40000$", NULL, "40000", ""},
    {"800×50=40000", NULL, "40000", ""},
    /* seed 002: OCR spaces after ',' and '.' */
    {"0. 36", NULL, "0.36", ""},
    {"1, 000. 00", NULL, "1000.00", ""},
    {"1, 068. 00", NULL, "1068.00", ""},
    {"1, 312. 23", NULL, "1312.23", ""},
    {"1, 423. 20", NULL, "1423.20", ""},
    {"12. 97", NULL, "12.97", ""},
    {"165, 200. 00", NULL, "165200.00", ""},
    {"165. 60", NULL, "165.60", ""},
    {"20, 000. 00", NULL, "20000.00", ""},
    {"200. 00", NULL, "200.00", ""},
    {"21, 172. 00", NULL, "21172.00", ""},
    {"21. 99", NULL, "21.99", ""},
    {"215. 64", NULL, "215.64", ""},
    {"216. 50", NULL, "216.50", ""},
    {"220. 00", NULL, "220.00", ""},
    {"220.00", NULL, "220.00", ""},
    {"232, 452. 06", NULL, "232452.06", ""},
    {"233, 875. 26", NULL, "233875.26", ""},
    {"25. 65", NULL, "25.65", ""},
    {"30. 00", NULL, "30.00", ""},
    {"320. 80", NULL, "320.80", ""},
    {"400.00", NULL, "400.00", ""},
    {"50. 00", NULL, "50.00", ""},
    {"50. 52", NULL, "50.52", ""},
    {"56. 00", NULL, "56.00", ""},
    {"575. 00", NULL, "575.00", ""},
    {"7. 00", NULL, "7.00", ""},
    {"80. 00", NULL, "80.00", ""},
    {"900. 00", NULL, "900.00", ""},
    {"900.00", NULL, "900.00", ""},
    /* thousands grouping (seeds 000, 001, 003, 004) */
    {"100,000.00", NULL, "100000.00", ""},
    {"130,000", NULL, "130000", ""},
    {"140,000.00", NULL, "140000.00", ""},
    {"2,000,000.00", NULL, "2000000.00", ""},
    {"2,825,000.00", NULL, "2825000.00", ""},
    {"272,694", NULL, "272694", ""},
    {"288,820.00", NULL, "288820.00", ""},
    {"300,000.00", NULL, "300000.00", ""},
    {"334,680", NULL, "334680", ""},
    {"37,780,000.00", NULL, "37780000.00", ""},
    {"378,240.36", NULL, "378240.36", ""},
    {"381,000.00", NULL, "381000.00", ""},
    {"40,000.00", NULL, "40000.00", ""},
    {"400,000", NULL, "400000", ""},
    {"440,000.00", NULL, "440000.00", ""},
    {"5,800,000.00", NULL, "5800000.00", ""},
    {"50,000.00", NULL, "50000.00", ""},
    {"500,000", NULL, "500000", ""},
    {"530,000", NULL, "530000", ""},
    {"541,200", NULL, "541200", ""},
    {"630,000", NULL, "630000", ""},
    {"75,000.00", NULL, "75000.00", ""},
    /* plain numbers */
    {"0.00", NULL, "0.00", ""},
    {"0.2", NULL, "0.2", ""},
    {"0.3", NULL, "0.3", ""},
    {"0.4", NULL, "0.4", ""},
    {"0.5", NULL, "0.5", ""},
    {"0.6", NULL, "0.6", ""},
    {"1", NULL, "1", ""},
    {"1.5", NULL, "1.5", ""},
    {"10", NULL, "10", ""},
    {"10.39", NULL, "10.39", ""},
    {"10.5", NULL, "10.5", ""},
    {"100", NULL, "100", ""},
    {"10000", NULL, "10000", ""},
    {"11", NULL, "11", ""},
    {"13", NULL, "13", ""},
    {"13.8", NULL, "13.8", ""},
    {"15", NULL, "15", ""},
    {"15000", NULL, "15000", ""},
    {"17", NULL, "17", ""},
    {"18000", NULL, "18000", ""},
    {"19000", NULL, "19000", ""},
    {"190000", NULL, "190000", ""},
    {"2", NULL, "2", ""},
    {"20", NULL, "20", ""},
    {"20000", NULL, "20000", ""},
    {"21", NULL, "21", ""},
    {"25", NULL, "25", ""},
    {"275", NULL, "275", ""},
    {"29000", NULL, "29000", ""},
    {"3", NULL, "3", ""},
    {"3000", NULL, "3000", ""},
    {"315", NULL, "315", ""},
    {"38000", NULL, "38000", ""},
    {"3850", NULL, "3850", ""},
    {"4", NULL, "4", ""},
    {"46", NULL, "46", ""},
    {"47", NULL, "47", ""},
    {"5.15", NULL, "5.15", ""},
    {"50", NULL, "50", ""},
    {"50000", NULL, "50000", ""},
    {"58000", NULL, "58000", ""},
    {"6", NULL, "6", ""},
    {"6000", NULL, "6000", ""},
    {"8.5", NULL, "8.5", ""},
    {"800", NULL, "800", ""},
    {"9.2", NULL, "9.2", ""},
    {"9.46", NULL, "9.46", ""},
    {"9000", NULL, "9000", ""},
    {"93.15", NULL, "93.15", ""},
    {"95.46", NULL, "95.46", ""},
    /* with units */
    {"0.5 万元", NULL, "0.5", "万元"},
    {"1 万元", NULL, "1", "万元"},
    {"10 元/公里", NULL, "10", "元/公里"},
    {"10 次", NULL, "10", "次"},
    {"100%", NULL, "100", "%"},
    {"1000 人", NULL, "1000", "人"},
    {"114 人", NULL, "114", "人"},
    {"1260万元", NULL, "1260", "万元"},
    {"150 元/人", NULL, "150", "元/人"},
    {"1600万元", NULL, "1600", "万元"},
    {"200 人", NULL, "200", "人"},
    {"2000 人", NULL, "2000", "人"},
    {"2000 元/人", NULL, "2000", "元/人"},
    {"250 人", NULL, "250", "人"},
    {"250万元", NULL, "250", "万元"},
    {"27 万元", NULL, "27", "万元"},
    {"28 万元", NULL, "28", "万元"},
    {"3 万元", NULL, "3", "万元"},
    {"30 万元", NULL, "30", "万元"},
    {"300 元/人", NULL, "300", "元/人"},
    {"5 万元", NULL, "5", "万元"},
    {"5 人", NULL, "5", "人"},
    {"50 元/人", NULL, "50", "元/人"},
    {"500 公里", NULL, "500", "公里"},
    {"5000 公里", NULL, "5000", "公里"},
    {"50000 元/人", NULL, "50000", "元/人"},
    {"51.46%", NULL, "51.46", "%"},
    {"570 万元", NULL, "570", "万元"},
    {"6 万元", NULL, "6", "万元"},
    {"7 万元", NULL, "7", "万元"},
    {"7.5 万元", NULL, "7.5", "万元"},
    {"9 万元", NULL, "9", "万元"},
    {"94.57%", NULL, "94.57", "%"},
    {"98 个", NULL, "98", "个"},
    {"-12.5", NULL, "-12.5", ""},
    /* not amounts */
    {"10、电脑耗材", NULL, NULL, NULL},
    {"1、数据采集与数据分析", NULL, NULL, NULL},
    {"2、图书资料", NULL, NULL, NULL},
    {"3、指标设计与论证", NULL, NULL, NULL},
    {"5、专家咨询", NULL, NULL, NULL},
    {"6、劳务费", NULL, NULL, NULL},
    {"7、邮寄费", NULL, NULL, NULL},
    {"8、交通费", NULL, NULL, NULL},
    {"2020年绩效目标", NULL, NULL, NULL},
    {"2020-01-01", NULL, NULL, NULL},
    {"(2020 年度)", NULL, NULL, NULL},
    {"（2024 年度）", NULL, NULL, NULL},
    {"各3-5名", NULL, NULL, NULL},
    {"-", NULL, NULL, NULL},
    {"—", NULL, NULL, NULL},
    {"", NULL, NULL, NULL},
    {"1,00", NULL, NULL, NULL},      /* bad grouping */
    {"1,0000", NULL, NULL, NULL},
    {"1234,567", NULL, NULL, NULL},
    {"12,345,67", NULL, NULL, NULL},
    {".5", NULL, NULL, NULL},
    {"合理", NULL, NULL, NULL},
    {"项目由援版纳小组年底统筹上报", NULL, NULL, NULL},
};

/* emit_parse_target: every target of the seeds. */
static const vcase target_cases[] = {
    /* seeds 000, 001, 003, 004 indicator cells */
    {"=0(%)", "=", "0", "%"},
    {"=0.00(次)", "=", "0.00", "次"},
    {"=100%", "=", "100", "%"},
    {"=100(%)", "=", "100", "%"},
    {"=100.00(%)", "=", "100.00", "%"},
    {"=100.00(次)", "=", "100.00", "次"},
    {"> 95%", ">", "95", "%"},
    {">50.00(万元)", ">", "50.00", "万元"},
    {">90%", ">", "90", "%"},
    {">=60 个", ">=", "60", "个"},
    {">=8 次", ">=", "8", "次"},
    {">=90%", ">=", "90", "%"},
    {"≤14.00(万元)", "<=", "14.00", "万元"},
    {"≤15.00(万元)", "<=", "15.00", "万元"},
    {"≤23.55(万元)", "<=", "23.55", "万元"},
    {"≤25.00(万元)", "<=", "25.00", "万元"},
    {"≤28.88(万元)", "<=", "28.88", "万元"},
    {"≤30.00(万元)", "<=", "30.00", "万元"},
    {"≤38.10(万元)", "<=", "38.10", "万元"},
    {"≤48.00(小时)", "<=", "48.00", "小时"},
    {"≤5.00(%)", "<=", "5.00", "%"},
    {"≥1(篇)", ">=", "1", "篇"},
    {"≥10.00(次)", ">=", "10.00", "次"},
    {"≥100.00(人)", ">=", "100.00", "人"},
    {"≥180.00(批)", ">=", "180.00", "批"},
    {"≥2.00(人)", ">=", "2.00", "人"},
    {"≥2.00(家)", ">=", "2.00", "家"},
    {"≥20(次)", ">=", "20", "次"},
    {"≥3.00(次)", ">=", "3.00", "次"},
    {"≥300(天)", ">=", "300", "天"},
    {"≥300.00(天)", ">=", "300.00", "天"},
    {"≥4.00(次)", ">=", "4.00", "次"},
    {"≥50.00(次)", ">=", "50.00", "次"},
    {"≥5000.00(人)", ">=", "5000.00", "人"},
    {"≥60(批)", ">=", "60", "批"},
    {"≥80.00(%)", ">=", "80.00", "%"},
    {"≥90(%)", ">=", "90", "%"},
    {"≥90.00 (%)", ">=", "90.00", "%"},
    {"≥90.00(%)", ">=", "90.00", "%"},
    {"≥95.00(%)", ">=", "95.00", "%"},
    {"≥90.00%", ">=", "90.00", "%"},
    {"$\\geq 90.00\\%$", ">=", "90.00", "%"},
    {"10 次", NULL, "10", "次"},
    {"98 个", NULL, "98", "个"},
    {"100%", NULL, "100", "%"},
    /* seed 002: the 年度指标值 of the indicator lists */
    {" 100%", NULL, "100", "%"},
    {" ≥500人", ">=", "500", "人"},
    {" 不少于3个", ">=", "3", "个"},
    {"0起", NULL, "0", "起"},
    {"1 万人次", NULL, "1", "万人次"},
    {"10万平米", NULL, "10", "万平米"},
    {"10个", NULL, "10", "个"},
    {"10家", NULL, "10", "家"},
    {"10次", NULL, "10", "次"},
    {"15次以上", ">=", "15", "次"},
    {"1年", NULL, "1", "年"},
    {"2500万元", NULL, "2500", "万元"},
    {"2亿元", NULL, "2", "亿元"},
    {"2次", NULL, "2", "次"},
    {"300家", NULL, "300", "家"},
    {"30个", NULL, "30", "个"},
    {"3次", NULL, "3", "次"},
    {"4次", NULL, "4", "次"},
    {"50人次以上", ">=", "50", "人次"},
    {"50家次", NULL, "50", "家次"},
    {"5万人次", NULL, "5", "万人次"},
    {"5个", NULL, "5", "个"},
    {"5次", NULL, "5", "次"},
    {"5次(篇)以上", ">=", "5", "次(篇)"},
    {"78个", NULL, "78", "个"},
    {"≤30天", "<=", "30", "天"},
    {"≥1", ">=", "1", ""},
    {"≥1.4万人", ">=", "1.4", "万人"},
    {"≥1000人", ">=", "1000", "人"},
    {"≥10万人", ">=", "10", "万人"},
    {"≥150篇", ">=", "150", "篇"},
    {"≥200万人", ">=", "200", "万人"},
    {"≥2万人", ">=", "2", "万人"},
    {"≥3个", ">=", "3", "个"},
    {"≥3次", ">=", "3", "次"},
    {"≥400人", ">=", "400", "人"},
    {"≥40户", ">=", "40", "户"},
    {"≥6个", ">=", "6", "个"},
    {"≥80%", ">=", "80", "%"},
    {"≥90%", ">=", "90", "%"},
    {"≦3%", "<=", "3", "%"},
    {"≧15%", ">=", "15", "%"},
    {"≧4%", ">=", "4", "%"},
    {"≧6%", ">=", "6", "%"},
    {"≧90%", ">=", "90", "%"},
    {"不少于10个", ">=", "10", "个"},
    {"不少于1人", ">=", "1", "人"},
    {"不少于6次", ">=", "6", "次"},
    {"低于10%", "<", "10", "%"},
    {"大于6次", ">", "6", "次"},
    {"高于95%", ">", "95", "%"},
    {"≥90%。", ">=", "90", "%"},
    /* words and sentences stay text */
    {"\"较好\"以上", NULL, NULL, NULL},
    {"与齐齐哈尔对口合作以来累计金额30亿", NULL, NULL, NULL},
    {"保障驻镇帮镇扶村帮扶地工作和生活条件的干部人数不低于85个", NULL, NULL,
     NULL},
    {"合法合规", NULL, NULL, NULL},
    {"合规", NULL, NULL, NULL},
    {"相符", NULL, NULL, NULL},
    {"较好", NULL, NULL, NULL},
    {"提升", NULL, NULL, NULL},
    {"有所提升", NULL, NULL, NULL},
    {"起促进作用", NULL, NULL, NULL},
    {"考核结果为较好以上", NULL, NULL, NULL},
    {"满意度指标低于90%不得分,大于等 于90%得满分", NULL, NULL, NULL},
    {"运行辅助工作满意程度90%", NULL, NULL, NULL},
    {"采购率大于50%即达标", NULL, NULL, NULL},
    {"采购率大于80%即达标", NULL, NULL, NULL},
    {"本年累计组团参加博览会展览面积300平方米", NULL, NULL, NULL},
    {"各3-5名", NULL, NULL, NULL},
    {"合理", NULL, NULL, NULL},
    {"规范", NULL, NULL, NULL},
    {"健全", NULL, NULL, NULL},
    {"满意", NULL, NULL, NULL},
    {"支撑作用明显", NULL, NULL, NULL},
    {"保障支持作用强", NULL, NULL, NULL},
    {"", NULL, NULL, NULL},
    {"≥", NULL, NULL, NULL},
    {"≥5个以上", NULL, NULL, NULL}, /* two comparisons: not chosen */
    {"≥90%以上即达标", NULL, NULL, NULL},
};

static void check_case(const vcase *c, int target)
{
    emit_quantity q;
    int ok = target ? emit_parse_target(c->text, strlen(c->text), &q)
                    : emit_parse_quantity(c->text, strlen(c->text), &q);
    if (!c->number) {
        ck_assert_msg(!ok, "'%s' should not parse, got '%s' '%s'", c->text,
                      q.number, q.unit);
        ck_assert_str_eq(q.number, "");
        ck_assert_ptr_null(q.op);
        return;
    }
    ck_assert_msg(ok, "'%s' should parse", c->text);
    ck_assert_str_eq(q.number, c->number);
    ck_assert_str_eq(q.unit, c->unit);
    if (c->op)
        ck_assert_msg(q.op && !strcmp(q.op, c->op), "'%s': op %s, want %s",
                      c->text, q.op ? q.op : "(null)", c->op);
    else
        ck_assert_msg(!q.op, "'%s': op %s, want none", c->text, q.op);
}

START_TEST(quantity_table)
{
    check_case(&quantity_cases[_i], 0);
}
END_TEST

START_TEST(target_table)
{
    check_case(&target_cases[_i], 1);
}
END_TEST

static const struct {
    const char *text;
    const char *iso; /* NULL: not a date */
} date_cases[] = {
    {"2020-01-01", "2020-01-01"}, {"2020-12-31", "2020-12-31"},
    {"2024-01-01", "2024-01-01"}, {"2024-12-31", "2024-12-31"},
    {"2026-01-01", "2026-01-01"}, {"2026-12-31", "2026-12-31"},
    {"2024年1月", "2024-01"},     {"2024年12月", "2024-12"},
    {"2024 年 1 月", "2024-01"},  {"2020年1月1日", "2020-01-01"},
    {"2020年12月31日", "2020-12-31"}, {"2024/1/1", "2024-01-01"},
    {"2024.01.01", "2024-01-01"}, {"2024-01", "2024-01"},
    {"2024-02-29", "2024-02-29"}, {"2023-02-29", NULL},
    {"2024-02-30", NULL},         {"2024-13-01", NULL},
    {"2024年13月", NULL},         {"2024.1", NULL},
    {"2024", NULL},               {"2024-01-01x", NULL},
    {"20240101", NULL},           {"2024年1月1", NULL},
    {"合作交流工作业务费", NULL}, {"2024-001-01", NULL},
};

START_TEST(date_table)
{
    char iso[11] = "";
    const char *t = date_cases[_i].text;
    int ok = emit_parse_date(t, strlen(t), iso);
    if (!date_cases[_i].iso) {
        ck_assert_msg(!ok, "'%s' should not be a date, got %s", t, iso);
        return;
    }
    ck_assert_msg(ok, "'%s' should be a date", t);
    ck_assert_str_eq(iso, date_cases[_i].iso);
}
END_TEST

static const struct {
    const char *label;
    const char *unit; /* NULL: none */
} unit_cases[] = {
    {"项目资金 (万元)", "万元"},
    {"项目资金 (元)", "元"},
    {"项目资金（元）", "元"},
    {"项目资金(元)", "元"},
    {"项目总预算（元）：", "元"},
    {"同名项目上年预算执行数（元）：", "元"},
    {"单次审核费用（元）", "元"},
    {"讲课费（元）", "元"},
    {"制作费用（元）/本", "元"},
    {"规范性文件数量（件）", NULL},
    {"数量（本）/期", NULL},
    {"项目名称", NULL},
    {"项目资金总额", NULL},
    {"(亿元)", "亿元"},
};

START_TEST(label_unit_table)
{
    char unit[16] = "";
    const char *l = unit_cases[_i].label;
    int ok = emit_label_unit(l, strlen(l), unit);
    if (!unit_cases[_i].unit) {
        ck_assert_msg(!ok, "'%s' has no currency unit, got %s", l, unit);
        return;
    }
    ck_assert_msg(ok, "'%s' should give a unit", l);
    ck_assert_str_eq(unit, unit_cases[_i].unit);
}
END_TEST

START_TEST(compact_rules)
{
    char out[64];
    /* full-width forms to ASCII, every kind of space removed, CJK kept */
    size_t n = emit_compact("（２０２４　年度）", strlen("（２０２４　年度）"),
                            out, sizeof out);
    ck_assert_str_eq(out, "(2024年度)");
    ck_assert_uint_eq(n, strlen("(2024年度)"));
    n = emit_compact("$\\leq 5\\%$", 10, out, sizeof out);
    ck_assert_str_eq(out, "≤5%");
    /* too small a buffer is an error, not a cut */
    ck_assert_uint_eq(emit_compact("abcdef", 6, out, 4), (size_t)-1);
    /* invalid UTF-8 is an error */
    ck_assert_uint_eq(emit_compact("a\xff", 2, out, sizeof out), (size_t)-1);
}
END_TEST

static Suite *value_suite(void)
{
    Suite *s = suite_create("emit_value");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, quantity_table, 0,
                        sizeof quantity_cases / sizeof quantity_cases[0]);
    tcase_add_loop_test(tc, target_table, 0,
                        sizeof target_cases / sizeof target_cases[0]);
    tcase_add_loop_test(tc, date_table, 0,
                        sizeof date_cases / sizeof date_cases[0]);
    tcase_add_loop_test(tc, label_unit_table, 0,
                        sizeof unit_cases / sizeof unit_cases[0]);
    tcase_add_test(tc, compact_rules);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(value_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
