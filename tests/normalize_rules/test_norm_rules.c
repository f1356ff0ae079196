/* Unit tests of the text normalisation rules (normalize/norm_rules.c and the
 * shipped normalize/rules.default): every shipped rule with the input that
 * motivated it, a check that removing any rule makes one of its cases fail,
 * furniture and artifact patterns, the rules file format and its errors, and
 * the match limits. Expected outputs are written by hand. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"
#include "norm_rules.h"
#include "norm_rules_default.h"

static char *apply(const norm_rules *rs, const char *in, int *changed,
                   ft_err *err)
{
    ft_buf out;
    ft_buf_init(&out, FT_MAX_LINE_LEN);
    int ch = -1;
    *err = norm_rules_apply(rs, in, strlen(in), &out, &ch);
    if (changed)
        *changed = ch;
    char *s = ft_buf_steal(&out);
    ft_buf_cleanup(&out);
    return s;
}

static norm_rules *load_default(void)
{
    norm_rules *rs = NULL;
    char msg[256];
    ft_err rc = norm_rules_load(NULL, 0, &rs, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "default rules: %s", msg);
    return rs;
}

/* ---- each shipped rule with its motivating input ------------------------- */

typedef struct {
    const char *rule;   /* the rule this case motivates */
    const char *in;
    const char *want;   /* *changed must be 1 exactly when want != in */
} rule_case;

static const rule_case cases[] = {
    /* full-width forms by the explicit map; CJK punctuation stays */
    {"fullwidth", "ＡＢＣ（１２３）：ｘ", "ABC(123):x"},
    {"fullwidth", "１，０６８．００", "1,068.00"},
    {"fullwidth", "合计：１００％", "合计:100%"},
    {NULL, "《规划》、「通知」。", "《规划》、「通知」。"},
    /* HTML */
    {"html-br", "one<br>two", "one two"},
    {"html-br", "广州<BR/>城市", "广州城市"},
    {"html-empty-sup", "<sup>-</sup> 州市国内合作服务中心", "州市国内合作服务中心"},
    {"html-par-end", "<p>one</p><p>two</p>", "one two"},
    {"html-tag", "<p>以评促建，以评助建</p>", "以评促建,以评助建"},
    {"html-tag", "m<sup>2</sup>", "m2"},
    {"html-entities", "A &amp; B &lt;5&gt; &quot;x&quot; &#39;y&#39;",
     "A & B <5> \"x\" 'y'"},
    {"html-entities", "&#8805;90% &#x4E2D;&#22269;", "≥90% 中国"},
    {"html-entities", "a&nbsp;b", "a b"},
    {NULL, "&amp;lt; stays one level", "&lt; stays one level"},
    {NULL, "&bogus; &#0; & alone", "&bogus; &#0; & alone"},
    {NULL, "&lt;p&gt;", "<p>"}, /* entities after tags: text stays */
    /* LaTeX (seed 003) */
    {"latex-geq", "$\\geq 90.00\\%$", "≥90.00%"},
    {"latex-geq", "\\ge 3", "≥3"},
    {"latex-leq", "$\\leq$", "≤"},
    {"latex-leq", "$\\leq 25.00$(万元)", "≤25.00(万元)"},
    {"latex-neq", "$x \\neq 0$", "x≠0"},
    {"latex-times", "$800 \\times 50 = 40000$", "800×50=40000"},
    {"latex-times", "$10.39 \\times 3850 = 40000$", "10.39×3850=40000"},
    {"latex-div", "$100 \\div 4$", "100÷4"},
    {"latex-pm", "$5 \\pm 1$", "5±1"},
    {"latex-approx", "$\\approx 3.14$", "≈3.14"},
    {"latex-cdot", "$2 \\cdot 3$", "2·3"},
    {"latex-text", "$800 \\times 50 = 40000 \\text{元}$", "800×50=40000元"},
    {"latex-group-comma", "$40{,}000 \\times 2$", "40,000×2"},
    {"latex-thin-space", "$40\\,000 \\times 2$", "40000×2"},
    {"latex-escaped", "完成率\\%", "完成率%"},
    {"latex-escaped", "R\\&D", "R&D"},
    {"latex-math", "$800 \\times 50 = 40000$", "800×50=40000"},
    {"latex-math", "$= 100\\%$", "=100%"},
    {NULL, "costs $5 and $10", "costs $5 and $10"},
    {NULL, "$5,$10", "$5,$10"},
    /* white space and CJK wraps (seed 002) */
    {"wrap-cjk", "宣传推介广州\n城市形象", "宣传推介广州城市形象"},
    {"wrap-cjk", "广清挥部公用经费、\n办公", "广清挥部公用经费、办公"},
    {"wrap-cjk", "宣传推介广州城市形象和投资环境,\n增强", "宣传推介广州城市形象和投资环境,增强"},
    {"wrap-cjk", "年度指标值:低于\n10%", "年度指标值:低于10%"},
    {NULL, "Information and\ncommunication", "Information and communication"},
    {"cjk-space", "宣传推介广州 城市形象和投资环境", "宣传推介广州城市形象和投资环境"},
    {"cjk-space", "拓展展会 、协作", "拓展展会、协作"},
    {NULL, "27 万元", "27 万元"},
    {NULL, "2024 年", "2024 年"},
    {NULL, "MSCI 指数 Q3", "MSCI 指数 Q3"},
    {NULL, "한국 어", "한국 어"},
    {NULL, "张三  李四", "张三 李四"}, /* two spaces: deliberate, folded */
    {"fold", "  Information and\ncommunication \t", "Information and communication"},
    /* numbers broken by spaces (seed 002) */
    {"num-amount", "合计 233, 875. 26 元", "合计 233,875.26 元"},
    {"num-amount", "220. 00", "220.00"},
    {"num-amount", "1, 068. 00", "1,068.00"},
    {"num-amount", "0. 36", "0.36"},
    {"num-amount", "165, 200. 00", "165,200.00"},
    {"num-amount", "金额1068. 00万元", "金额1068.00万元"},
    {NULL, "233,875.26", "233,875.26"},
    {NULL, "item 5. 12 members", "item 5. 12 members"},
    {NULL, "10 20", "10 20"},
    {NULL, "4 512,0", "4 512,0"},
    {NULL, "1, 2, 3", "1, 2, 3"},
    {NULL, "2019, 250 people", "2019, 250 people"},
    {NULL, "≥90.00(%)", "≥90.00(%)"},
    {NULL, "1、产出指标:培训人数,年度指标值:≥400人。", "1、产出指标:培训人数,年度指标值:≥400人。"},
    {"num-cell", "1, 000", "1,000"},
    {"num-cell", "-12, 345, 678", "-12,345,678"},
    {"num-cell", "1,000. 5", "1,000.5"},
    {"num-cell", "7. 5", "7.5"},
    {NULL, "5, 250 people", "5, 250 people"},
};

START_TEST(rule_cases)
{
    const rule_case *c = &cases[_i];
    norm_rules *rs = load_default();
    int changed;
    ft_err err;
    char *got = apply(rs, c->in, &changed, &err);
    ck_assert_int_eq(err, FT_OK);
    ck_assert_msg(strcmp(got, c->want) == 0, "case %d (%s): '%s' -> '%s', want '%s'",
                  _i, c->rule ? c->rule : "-", c->in, got, c->want);
    int want_changed = strcmp(c->in, c->want) != 0;
    ck_assert_msg(changed == want_changed, "case %d: changed %d, want %d", _i,
                  changed, want_changed);
    free(got);
    norm_rules_free(rs);
}
END_TEST

/* The default rules text without the [replace] rule named `name`, written to
 * a temporary file; returns the path (static storage). */
static const char *default_without(const char *name)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/formtab-rules-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    size_t nlen = strlen(name);
    int removed = 0;
    for (size_t i = 0; i < norm_rules_default_nlines; i++) {
        const char *l = norm_rules_default_lines[i];
        if (strncmp(l, name, nlen) == 0 && l[nlen] == '\t') {
            removed = 1;
            continue;
        }
        fprintf(f, "%s\n", l);
    }
    fclose(f);
    ck_assert_msg(removed, "rule %s not in the default rules", name);
    return path;
}

/* The names of the [replace] rules of the default set. */
static size_t replace_rule_names(char names[][32], size_t max)
{
    size_t n = 0;
    int in_replace = 0;
    for (size_t i = 0; i < norm_rules_default_nlines; i++) {
        const char *l = norm_rules_default_lines[i];
        if (l[0] == '[') {
            in_replace = strcmp(l, "[replace]") == 0;
            continue;
        }
        if (!in_replace || l[0] == '#' || l[0] == '\0')
            continue;
        const char *tab = strchr(l, '\t');
        ck_assert_ptr_nonnull(tab);
        ck_assert_uint_lt((size_t)(tab - l), 32);
        ck_assert_uint_lt(n, max);
        memcpy(names[n], l, (size_t)(tab - l));
        names[n][tab - l] = '\0';
        n++;
    }
    return n;
}

/* Every shipped rule is needed: without it, one of its cases fails. */
START_TEST(each_rule_is_needed)
{
    char names[64][32];
    size_t n = replace_rule_names(names, 64);
    ck_assert_uint_ge(n, 20);
    for (size_t k = 0; k < n; k++) {
        const char *path = default_without(names[k]);
        norm_rules *rs = NULL;
        char msg[256];
        ft_err rc = norm_rules_load(path, 1, &rs, msg, sizeof msg);
        ck_assert_msg(rc == FT_OK, "%s", msg);
        int ncases = 0, failed = 0;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            if (!cases[i].rule || strcmp(cases[i].rule, names[k]) != 0)
                continue;
            ncases++;
            int changed;
            ft_err err;
            char *got = apply(rs, cases[i].in, &changed, &err);
            if (err || strcmp(got, cases[i].want) != 0)
                failed++;
            free(got);
        }
        ck_assert_msg(ncases > 0, "rule %s has no test case", names[k]);
        ck_assert_msg(failed > 0, "removing rule %s breaks none of its cases",
                      names[k]);
        norm_rules_free(rs);
        remove(path);
    }
}
END_TEST

/* The embedded rules are normalize/rules.default, line for line. */
START_TEST(embedded_matches_file)
{
    FILE *f = fopen(FORMTAB_SOURCE_DIR "/normalize/rules.default", "rb");
    ck_assert_ptr_nonnull(f);
    static char text[256 * 1024];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    size_t pos = 0;
    for (size_t i = 0; i < norm_rules_default_nlines; i++) {
        const char *l = norm_rules_default_lines[i];
        size_t n = strlen(l);
        ck_assert_msg(pos + n < len && memcmp(text + pos, l, n) == 0 &&
                          text[pos + n] == '\n',
                      "line %zu of rules.default differs from "
                      "norm_rules_default.c (run "
                      "tests/normalize_rules/gen-rules-default.py)",
                      i + 1);
        pos += n + 1;
    }
    ck_assert_msg(pos == len, "rules.default has lines norm_rules_default.c lacks");
}
END_TEST

/* ---- furniture and artifact lines ---------------------------------------- */

static const struct {
    const char *text;
    int want;
} furniture_cases[] = {
    {"第 1 页 共 3 页", 1}, {"第1页", 1},          {"第 2 页，共 9 页", 1},
    {"共3页 第2页", 1},     {"- 2 -", 1},          {"— 12 —", 1},
    {"1/3", 1},             {"1 / 3", 1},          {"Page 2 of 9", 1},
    {"page 4", 1},          {"2", 1},              {"  17  ", 1},
    {"iv", 1},              {"合计", 0},           {"2024年", 0},
    {"Page two", 0},        {"12345", 0},          {"第一章", 0},
    {"1/3/2024", 0},        {"- 2 - 3", 0},        {"", 0},
    {"North", 0},           {"≥90.00(%)", 0},
};

START_TEST(furniture_patterns)
{
    norm_rules *rs = load_default();
    const char *t = furniture_cases[_i].text;
    ck_assert_msg(norm_rules_is_furniture(rs, t, strlen(t)) ==
                      furniture_cases[_i].want,
                  "'%s' furniture should be %d", t, furniture_cases[_i].want);
    norm_rules_free(rs);
}
END_TEST

static const struct {
    const char *text;
    int want;
} artifact_cases[] = {
    {"------\t---", 1},
    {"------------------\t---\t-----\t-----", 1}, /* seed 003 line 53 */
    {"--\t-----------\t-------------------\t---------\t----------------", 1},
    {"|---|---|", 1},
    {"-- | ---", 1},
    {"| :--- | ---: |", 1},
    {"+----+-----+", 1},
    {"-\t-\t-", 0},       /* nil markers in a data row */
    {"- 2 -", 0},
    {"a---b", 0},
    {"项目\t---", 0},
    {"", 0},
};

START_TEST(artifact_patterns)
{
    norm_rules *rs = load_default();
    const char *t = artifact_cases[_i].text;
    ck_assert_msg(norm_rules_is_artifact_line(rs, t, strlen(t)) ==
                      artifact_cases[_i].want,
                  "'%s' artifact should be %d", t, artifact_cases[_i].want);
    norm_rules_free(rs);
}
END_TEST

/* ---- the rules file ------------------------------------------------------ */

static const char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/formtab-rules-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

START_TEST(extend_and_replace)
{
    const char *path = write_tmp("# mine\n[replace]\nfoo\tfoo\tbar\n");
    norm_rules *rs = NULL;
    char msg[256];
    ft_err err;
    ck_assert_int_eq(norm_rules_load(path, 0, &rs, msg, sizeof msg), FT_OK);
    char *got = apply(rs, "foo　ＡＢ", NULL, &err);
    ck_assert_str_eq(got, "bar AB"); /* defaults ran, then mine */
    free(got);
    norm_rules_free(rs);
    ck_assert_int_eq(norm_rules_load(path, 1, &rs, msg, sizeof msg), FT_OK);
    got = apply(rs, "foo　ＡＢ", NULL, &err);
    ck_assert_str_eq(got, "bar　ＡＢ"); /* mine alone */
    free(got);
    norm_rules_free(rs);
    remove(path);
}
END_TEST

START_TEST(replacement_syntax)
{
    const char *path = write_tmp(
        "[replace]\n"
        "swap\t(\\d+)-(\\d+)\t${2}-${1}\n"
        "dollar\tUSD\t$$\n"
        "caseless\thello\tHi\ti\n"
        "ucp\t\\d+\tN\tu\n");
    norm_rules *rs = NULL;
    char msg[256];
    ft_err err;
    ck_assert_int_eq(norm_rules_load(path, 1, &rs, msg, sizeof msg), FT_OK);
    char *got = apply(rs, "12-34 USD HELLO ٣", NULL, &err);
    ck_assert_int_eq(err, FT_OK);
    /* swap: 34-12; then ucp turns both numbers and the Arabic-Indic 3 to N */
    ck_assert_str_eq(got, "N-N $ Hi N");
    free(got);
    norm_rules_free(rs);
    remove(path);
}
END_TEST

static const struct {
    const char *text;
    ft_err err;
    const char *msg_has[3];
} bad_files[] = {
    {"[replace]\nok\tx\ty\nbad\t(abc\tz\n", FT_PATTERN,
     {"line 3", "rule 'bad'", "missing closing parenthesis at offset 4"}},
    {"[replace]\nstar\ta*\tz\n", FT_PATTERN, {"line 2", "empty string", NULL}},
    {"[bogus]\n", FT_CONFIG, {"line 1", "unknown section", NULL}},
    {"x\ty\tz\n", FT_CONFIG, {"line 1", "before any", NULL}},
    {"[replace]\nx\ty\tz\tQ\n", FT_CONFIG, {"line 2", "unknown flag", NULL}},
    {"[replace]\nx\t@nfkc\n", FT_CONFIG, {"line 2", "unknown built-in", NULL}},
    {"[replace]\nonlyname\n", FT_CONFIG, {"line 2", "single tabs", NULL}},
    {"[furniture]\np\t\\d+\tx\ty\n", FT_CONFIG, {"line 2", "single tabs", NULL}},
    {"[furniture]\np\t@fold\n", FT_CONFIG, {"line 2", "built-in", NULL}},
    {"[replace]\n\xff\n", FT_CONFIG, {"line 2", "invalid UTF-8", NULL}},
};

START_TEST(bad_rules_file)
{
    const char *path = write_tmp(bad_files[_i].text);
    norm_rules *rs = (norm_rules *)1;
    char msg[256];
    ft_err rc = norm_rules_load(path, 1, &rs, msg, sizeof msg);
    ck_assert_int_eq(rc, bad_files[_i].err);
    ck_assert_ptr_null(rs);
    ck_assert_msg(strstr(msg, path) != NULL, "message '%s' lacks the file", msg);
    for (int k = 0; k < 3 && bad_files[_i].msg_has[k]; k++)
        ck_assert_msg(strstr(msg, bad_files[_i].msg_has[k]) != NULL,
                      "message '%s' lacks '%s'", msg, bad_files[_i].msg_has[k]);
    remove(path);
}
END_TEST

START_TEST(missing_file)
{
    norm_rules *rs = NULL;
    char msg[256];
    ft_err rc = norm_rules_load("/nonexistent/rules", 0, &rs, msg, sizeof msg);
    ck_assert_int_eq(rc, FT_NOENT);
    ck_assert_ptr_null(rs);
    ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/rules"));
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(catastrophic_pattern_hits_limit)
{
    const char *path = write_tmp("[replace]\nboom\t(a+)+$\tx\n");
    norm_rules *rs = NULL;
    char msg[256];
    ck_assert_int_eq(norm_rules_load(path, 1, &rs, msg, sizeof msg), FT_OK);
    const char *in = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
    int changed = -1;
    ft_err err;
    double t0 = now();
    char *got = apply(rs, in, &changed, &err);
    double dt = now() - t0;
    ck_assert_int_eq(err, FT_LIMIT);
    ck_assert_str_eq(got, in); /* unchanged */
    ck_assert_int_eq(changed, 0);
    ck_assert_msg(dt < 1.0, "limit took %.3f s", dt);
    free(got);
    /* The same rules still work on benign text afterwards. */
    got = apply(rs, "baa", &changed, &err);
    ck_assert_int_eq(err, FT_OK);
    ck_assert_str_eq(got, "bx");
    free(got);
    norm_rules_free(rs);
    remove(path);
}
END_TEST

/* A megabyte cell goes through every default rule in bounded time and keeps
 * every character (no quadratic pass, no lost text). */
START_TEST(long_cell_linear)
{
    size_t unit_len = strlen("广州 城市 233, 875. 26 $x$ &amp; ");
    size_t reps = (1024u * 1024u) / unit_len;
    ft_buf in;
    ft_buf_init(&in, FT_MAX_LINE_LEN);
    for (size_t i = 0; i < reps; i++)
        ck_assert_int_eq(ft_buf_puts(&in, "广州 城市 233, 875. 26 $x$ &amp; "), FT_OK);
    norm_rules *rs = load_default();
    int changed;
    ft_err err;
    double t0 = now();
    char *got = apply(rs, ft_buf_str(&in), &changed, &err);
    double dt = now() - t0;
    ck_assert_int_eq(err, FT_OK);
    ck_assert_int_eq(changed, 1);
    /* each unit becomes "广州城市 233,875.26 $x$ & " (the last without the
     * trailing space) */
    size_t want_unit = strlen("广州城市 233,875.26 $x$ & ");
    ck_assert_uint_eq(strlen(got), reps * want_unit - 1);
    ck_assert_msg(dt < 2.0, "1 MiB cell took %.3f s", dt);
    free(got);
    norm_rules_free(rs);
    ft_buf_cleanup(&in);
}
END_TEST

/* The built-in @fold is ft_utf8_fold_space, made faster: the two agree on
 * random mixes of every white space formtab folds and other characters. */
START_TEST(fold_matches_common)
{
    static const char *const alphabet[] = {
        "a", "b", " ", "  ", "\t", "\n", "\r", "\v", "\f", "\xc2\xa0",
        "\xe3\x80\x80", "\xe2\x80\x83", "\xe2\x80\x8b", "\xef\xbb\xbf",
        "\xe4\xb8\xad", "\xc3\xa9", "\xe2\x80\x94", "\xe3\x80\x81"};
    const size_t na = sizeof alphabet / sizeof alphabet[0];
    const char *path = write_tmp("[replace]\nfold\t@fold\n");
    norm_rules *rs = NULL;
    char msg[256];
    ck_assert_int_eq(norm_rules_load(path, 1, &rs, msg, sizeof msg), FT_OK);
    unsigned long seed = 12345;
    ft_buf in, want, got;
    ft_buf_init(&in, 4096);
    ft_buf_init(&want, 4096);
    ft_buf_init(&got, 4096);
    for (int t = 0; t < 2000; t++) {
        ft_buf_reset(&in);
        ft_buf_reset(&want);
        ft_buf_reset(&got);
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        int n = (int)((seed >> 33) % 12);
        for (int k = 0; k < n; k++) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            ck_assert_int_eq(ft_buf_puts(&in, alphabet[(seed >> 33) % na]), FT_OK);
        }
        int changed;
        ck_assert_int_eq(ft_utf8_fold_space(&want, in.data ? in.data : "", in.len),
                         FT_OK);
        ck_assert_int_eq(norm_rules_apply(rs, in.data ? in.data : "", in.len, &got,
                                          &changed),
                         FT_OK);
        ck_assert_str_eq(ft_buf_str(&got), ft_buf_str(&want));
        ck_assert_int_eq(changed, strcmp(ft_buf_str(&in), ft_buf_str(&want)) != 0);
    }
    ft_buf_cleanup(&in);
    ft_buf_cleanup(&want);
    ft_buf_cleanup(&got);
    norm_rules_free(rs);
    remove(path);
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("norm_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, rule_cases, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, each_rule_is_needed);
    tcase_add_test(tc, embedded_matches_file);
    tcase_add_loop_test(tc, furniture_patterns, 0,
                        sizeof furniture_cases / sizeof furniture_cases[0]);
    tcase_add_loop_test(tc, artifact_patterns, 0,
                        sizeof artifact_cases / sizeof artifact_cases[0]);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("file");
    tcase_add_test(tf, extend_and_replace);
    tcase_add_test(tf, replacement_syntax);
    tcase_add_loop_test(tf, bad_rules_file, 0,
                        sizeof bad_files / sizeof bad_files[0]);
    tcase_add_test(tf, missing_file);
    tcase_add_test(tf, fold_matches_common);
    suite_add_tcase(s, tf);
    TCase *tl = tcase_create("limits");
    tcase_set_timeout(tl, 30);
    tcase_add_test(tl, catastrophic_pattern_hits_limit);
    tcase_add_test(tl, long_cell_linear);
    suite_add_tcase(s, tl);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rules_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
