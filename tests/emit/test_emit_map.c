/* Unit tests of emit_map: the mapping-file reader accepts the built-in map
 * and well-formed files, and rejects every kind of bad line with a message
 * naming the line; patterns match whole cell keys (full-width forms and white
 * space folded); keys map back to text offsets. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "emit_map.h"

static const struct {
    const char *text;
    ft_err rc;
    const char *msg; /* expected substring of the message */
} bad_maps[] = {
    {"", FT_CONFIG, "line 1: empty mapping file"},
    {"# only a comment\n", FT_CONFIG, "line 1: empty mapping file"},
    {"formtab-map 2\n", FT_CONFIG, "line 1: not a formtab mapping file"},
    {"field a text x\n", FT_CONFIG, "line 1: not a formtab mapping file"},
    {"formtab-map 1\nfield project_name text 项目(名称\n", FT_PATTERN,
     "line 2: bad pattern at byte"},
    {"formtab-map 1\n\n# c\nfield x text [\n", FT_PATTERN, "line 4: bad pattern"},
    {"formtab-map 1\nfield BadName text x\n", FT_CONFIG,
     "line 2: field name 'BadName' is not snake_case"},
    {"formtab-map 1\nfield a money x\n", FT_CONFIG,
     "line 2: unknown field type 'money'"},
    {"formtab-map 1\nfield a list x\n", FT_CONFIG,
     "line 2: unknown field type 'list'"},
    {"formtab-map 1\nfield a text\n", FT_CONFIG, "line 2: field 'a' has no pattern"},
    {"formtab-map 1\nfield a\n", FT_CONFIG, "line 2: 'field' needs NAME TYPE"},
    {"formtab-map 1\nfield a text @above x\n", FT_CONFIG,
     "line 2: unknown option '@above'"},
    {"formtab-map 1\nfield a text @below (?<value>x)\n", FT_CONFIG,
     "line 2: a pattern with a value group takes no @below"},
    {"formtab-map 1\ncolumn level1 text x\n", FT_CONFIG,
     "line 2: 'column' before any 'section'"},
    {"formtab-map 1\nsection s tables\n", FT_CONFIG,
     "line 2: unknown section kind 'tables'"},
    {"formtab-map 1\nsection s\n", FT_CONFIG, "line 2: 'section' needs NAME KIND"},
    {"formtab-map 1\nsection s indicator\ncolumn level9 text x\n", FT_CONFIG,
     "line 3: role 'level9' is not known"},
    {"formtab-map 1\nsection s indicator\ncolumn level1 text x\ncolumn level1 "
     "text y\n",
     FT_CONFIG, "line 4: role 'level1' given twice"},
    {"formtab-map 1\nsection s indicator\ncolumn level1 list x\n", FT_CONFIG,
     "line 3: type 'list' only in a rows section"},
    {"formtab-map 1\nsection s indicator\ncolumn level1 text x\n", FT_CONFIG,
     "line 2: section 's' needs at least two columns"},
    {"formtab-map 1\nsection s budget\nrow a x\n", FT_CONFIG,
     "line 3: 'row' belongs in a funds section"},
    {"formtab-map 1\nsection s funds\ncolumn a text x\ncolumn b text y\ntotal "
     "t x\ntotal u y\n",
     FT_CONFIG, "line 6: section 's' has a total already"},
    {"formtab-map 1\nsection s funds\ncolumn a text (x\n", FT_PATTERN,
     "line 3: bad pattern"},
    {"formtab-map 1\nfrobnicate x\n", FT_CONFIG, "line 2: unknown word 'frobnicate'"},
    {"formtab-map 1\r\nfield a text \xff\r\n", FT_CONFIG, "line 2: invalid UTF-8"},
};

START_TEST(bad_map_table)
{
    emit_map *m = NULL;
    char msg[512];
    const char *t = bad_maps[_i].text;
    ft_err rc = emit_map_parse(t, strlen(t), "test.map", &m, msg, sizeof msg);
    ck_assert_ptr_null(m);
    ck_assert_msg(rc == bad_maps[_i].rc, "case %d: rc %d, message %s", _i,
                  (int)rc, msg);
    ck_assert_msg(strstr(msg, bad_maps[_i].msg) != NULL,
                  "case %d: message '%s' lacks '%s'", _i, msg,
                  bad_maps[_i].msg);
    ck_assert_msg(!strncmp(msg, "test.map: line ", 15), "message '%s'", msg);
    ck_assert_ptr_null(strchr(msg, '\n'));
}
END_TEST

START_TEST(builtin_map_loads)
{
    emit_map *m = NULL;
    char msg[512] = "";
    ft_err rc = emit_map_builtin(&m, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "%s", msg);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_ge(m->nfields, 30);
    ck_assert_uint_eq(m->nsections, 4);
    ck_assert_str_eq(m->sections[0].name, "indicators");
    ck_assert_int_eq(m->sections[0].kind, EMIT_SEC_INDICATOR);
    ck_assert_str_eq(m->sections[0].total_name, "total");
    ck_assert_int_eq(m->sections[1].kind, EMIT_SEC_FUNDS);
    ck_assert_uint_eq(m->sections[1].nrows, 4);
    ck_assert_int_eq(m->sections[2].kind, EMIT_SEC_BUDGET);
    ck_assert_int_eq(m->sections[3].kind, EMIT_SEC_ROWS);
    emit_map_free(m);
    emit_map_free(NULL);
}
END_TEST

/* Find a field rule by name. */
static const emit_field_rule *rule(const emit_map *m, const char *name,
                                   const char *group)
{
    for (size_t i = 0; i < m->nfields; i++)
        if (!strcmp(m->fields[i].name, name) &&
            (!group || (m->fields[i].in_group &&
                        !strcmp(m->fields[i].in_group, group))))
            return &m->fields[i];
    return NULL;
}

static int label_matches(const emit_map *m, const emit_field_rule *f,
                         const char *text)
{
    ft_buf key;
    ft_buf_init(&key, 4096);
    ck_assert(emit_key(text, strlen(text), &key, NULL, 0) == FT_OK);
    int r = emit_pattern_match(m, f->label, ft_buf_str(&key), key.len, NULL,
                               NULL);
    ft_buf_cleanup(&key);
    return r;
}

/* Label spellings seen in the five seeds, and near misses. */
static const struct {
    const char *field, *group, *text;
    int match;
} label_cases[] = {
    {"project_name", NULL, "项目名称", 1},
    {"project_name", NULL, "项目名称：", 1},
    {"project_name", NULL, "项目名称:", 1},
    {"project_name", NULL, "项目 名称", 1},
    {"project_name", NULL, "项目名称(资金使用单位)", 0},
    {"project_name", NULL, "项目名称：合作交流", 0}, /* that is inline */
    {"total_budget", NULL, "项目总预算（元）：", 1},
    {"total_budget", NULL, "项目总预算(万元)", 1},
    {"total_budget", NULL, "项目总预算（美元）", 0},
    {"fiscal_funds", "total_funds", "其中：财政资金", 1},
    {"fiscal_funds", "total_funds", "其中: 财政资金", 1},
    {"fiscal_funds", "total_funds", "其中:财政资金", 1},
    {"total_funds", NULL, "项目资金总额:", 1},
    {"total_funds", NULL, "项目资金 (元)", 0},
    {"start_date", NULL, "计划开始日期：", 1},
    {"safeguards", NULL, "保证项目实施的制度、措施：", 1},
    {"department", NULL, "部门名称", 1},
    {"year", NULL, "(2020 年度)", 1},
    {"year", NULL, "（2024 年度）", 1},
    {"year", NULL, "2020年绩效目标", 0},
    {"form_title", NULL, "财政项目支出绩效目标申报表", 1},
    {"form_title", NULL, "财政项目支出绩效自评表", 1},
    {"form_title", NULL, "项目支出绩效目标表(含转移支付项目)", 1},
    {"form_title", NULL, "财政项目支出绩效目标表", 1},
    {"form_title", NULL, "上海市人民政府驻新疆办事处 2026 年度项目绩效目标汇总表",
     0},
};

START_TEST(label_table)
{
    emit_map *m = NULL;
    char msg[512];
    ck_assert(emit_map_builtin(&m, msg, sizeof msg) == FT_OK);
    const emit_field_rule *f =
        rule(m, label_cases[_i].field, label_cases[_i].group);
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(label_matches(m, f, label_cases[_i].text) ==
                      label_cases[_i].match,
                  "%s vs '%s'", label_cases[_i].field, label_cases[_i].text);
    emit_map_free(m);
}
END_TEST

START_TEST(inline_and_value_groups)
{
    emit_map *m = NULL;
    char msg[512];
    ck_assert(emit_map_builtin(&m, msg, sizeof msg) == FT_OK);
    const emit_field_rule *f = rule(m, "applicant", NULL);
    const char *text = "申报单位名称：上海市 人民政府";
    ft_buf key;
    uint32_t offs[256];
    ft_buf_init(&key, 4096);
    ck_assert(emit_key(text, strlen(text), &key, offs, 256) == FT_OK);
    /* the key: full-width colon folded, white space gone */
    ck_assert_str_eq(ft_buf_str(&key), "申报单位名称:上海市人民政府");
    size_t vs, ve;
    ck_assert_int_eq(emit_pattern_match(m, f->inline_, ft_buf_str(&key),
                                        key.len, &vs, &ve),
                     1);
    /* the value starts at 上 in the original text */
    ck_assert_uint_eq(offs[vs], strlen("申报单位名称："));
    ck_assert_uint_eq(ve, key.len);
    /* the year's value group */
    const emit_field_rule *y = rule(m, "year", NULL);
    ck_assert(y->self);
    ft_buf_reset(&key);
    ck_assert(emit_key("(2020 年度)", strlen("(2020 年度)"), &key, offs, 256) ==
              FT_OK);
    ck_assert_int_eq(emit_pattern_match(m, y->label, ft_buf_str(&key), key.len,
                                        &vs, &ve),
                     1);
    ck_assert_uint_eq(vs, 1);
    ck_assert_uint_eq(ve, 5);
    /* offsets must fit */
    ft_buf_reset(&key);
    ck_assert(emit_key("abcdef", 6, &key, offs, 3) == FT_LIMIT);
    ft_buf_cleanup(&key);
    emit_map_free(m);
}
END_TEST

START_TEST(match_limit_is_no_match)
{
    /* A catastrophic pattern: the match limit stops it, reported as -1. */
    const char *text = "formtab-map 1\nfield x text (a+)+b\n";
    emit_map *m = NULL;
    char msg[512];
    ck_assert(emit_map_parse(text, strlen(text), "t", &m, msg, sizeof msg) ==
              FT_OK);
    char key[4096];
    memset(key, 'a', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    int r = emit_pattern_match(m, m->fields[0].label, key, strlen(key), NULL,
                               NULL);
    /* JIT may fail fast on its own; either way it is not a match */
    ck_assert_int_le(r, 0);
    emit_map_free(m);
}
END_TEST

START_TEST(load_errors_name_the_file)
{
    emit_map *m = NULL;
    char msg[512];
    ck_assert(emit_map_load("/nonexistent/x.map", &m, msg, sizeof msg) ==
              FT_NOENT);
    ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/x.map: cannot open"));
    ck_assert(emit_map_load(FORMTAB_SOURCE_DIR "/emit/formtab.map", &m, msg,
                            sizeof msg) == FT_OK);
    emit_map_free(m);
}
END_TEST

static Suite *map_suite(void)
{
    Suite *s = suite_create("emit_map");
    TCase *tc = tcase_create("map");
    tcase_add_loop_test(tc, bad_map_table, 0,
                        sizeof bad_maps / sizeof bad_maps[0]);
    tcase_add_test(tc, builtin_map_loads);
    tcase_add_loop_test(tc, label_table, 0,
                        sizeof label_cases / sizeof label_cases[0]);
    tcase_add_test(tc, inline_and_value_groups);
    tcase_add_test(tc, match_limit_is_no_match);
    tcase_add_test(tc, load_errors_name_the_file);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(map_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
