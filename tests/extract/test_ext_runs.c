/* Run building from positioned characters (ext_runs.h): one run per cell,
 * not per row; Latin word spaces inside one run; spaces next to CJK from
 * geometry; cuts at vertical rules and
 * font-size jumps; Poppler's out-of-order lines put back by geometry;
 * rotated text; fake-bold duplicates; hidden and --area filtering;
 * undrawn characters. The
 * characters are laid out here the way Poppler reports them (advance-width
 * boxes spanning ascent to descent). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ext_runs.h"
#include "ft_utf8.h"

#define MAXC 512

typedef struct {
    ext_char c[MAXC];
    size_t n;
    unsigned line;
} layout;

/* Lay out UTF-8 text from x on the line whose box top is top: CJK advances
 * 1 em, other characters 0.5 em, a space 0.28 em (not stored: it marks the
 * next character). Starts a new Poppler line. Returns the x after it. */
static double put(layout *L, const char *s, double x, double top, double size,
                  unsigned flags)
{
    int space = 0;
    size_t len = strlen(s);
    L->line++;
    while (len) {
        uint32_t cp;
        size_t k = ft_utf8_decode(s, len, &cp);
        s += k;
        len -= k;
        if (cp == ' ') {
            x += 0.28 * size;
            space = 1;
            continue;
        }
        double adv = (ft_is_cjk(cp) ? 1.0 : 0.5) * size;
        ext_char *c = &L->c[L->n++];
        c->box = (ft_box){x, top, x + adv, top + 1.17 * size};
        c->cp = cp;
        c->size = size;
        c->flags = flags;
        c->line = L->line;
        c->space_before = (unsigned)space;
        space = 0;
        x += adv;
    }
    return x;
}

static void build(layout *L, const ft_box *rules, size_t nrules,
                  const ft_box *area, ft_page *pg)
{
    ft_page_init(pg);
    ck_assert_int_eq(ext_runs_build(L->c, L->n, rules, nrules, 595, 842, area, pg),
                     FT_OK);
}

START_TEST(cells_on_one_baseline_are_two_runs)
{
    /* 项目名称： at 10.5 pt, then the value 18 pt further (cell padding and a
     * column), as Poppler joins them into one line with a space. */
    layout L = {.n = 0};
    ft_page pg;
    double x = put(&L, "项目名称：", 60, 100, 10.5, 0);
    L.line--; /* Poppler put both on one of its lines */
    put(&L, " 合作交流工作业务费", x + 18, 100, 10.5, 0);
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 2);
    ck_assert_str_eq(pg.runs[0].text, "项目名称：");
    ck_assert_str_eq(pg.runs[1].text, "合作交流工作业务费");
    ck_assert_double_eq_tol(pg.runs[0].box.x0, 60, 1e-9);
    ck_assert_double_eq_tol(pg.runs[0].box.y0, 100, 1e-9);
    ck_assert_double_eq_tol(pg.runs[0].size, 10.5, 1e-9);
    ck_assert_double_eq_tol(pg.runs[0].conf, -1, 1e-9);
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(latin_word_spaces_stay_in_one_run)
{
    layout L = {.n = 0};
    ft_page pg;
    /* Justified line: word spaces stretched to 0.6 em. */
    double x = 50;
    const char *words[] = {"Budget", "notes:", "this", "is", "justified."};
    for (int i = 0; i < 5; i++) {
        x = put(&L, words[i], x, 200, 10, 0);
        if (i > 0)
            L.c[L.n - strlen(words[i])].space_before = 1;
        L.line--;
        x += 6; /* 0.6 em */
    }
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 1);
    ck_assert_str_eq(pg.runs[0].text, "Budget notes: this is justified.");
    ft_page_cleanup(&pg);
}
END_TEST

/* Spaces from geometry next to CJK: a gap of a space's width between a
 * digit and a CJK character is a space even when Poppler's text has none
 * (fixtures/pdf/seed003-ruled-doc `5 人`); no gap is no space; two CJK
 * characters are never spaced by a gap, only by Poppler's own mark. */
static const struct {
    const char *a, *b;
    double gap;   /* points between the two, at 9 pt */
    int mark;     /* Poppler put white space before b */
    const char *want;
} space_cases[] = {
    {"5", "人", 2.33, 0, "5 人"},
    {"10", "个", 0.0, 0, "10个"},
    {"金", "额", 2.5, 0, "金额"},
    {"项目", "绩效", 2.5, 1, "项目 绩效"},
    {"2000", "元/人", 0.5, 0, "2000元/人"},
};

START_TEST(spaces_next_to_cjk)
{
    layout L = {.n = 0};
    ft_page pg;
    double x = put(&L, space_cases[_i].a, 100, 300, 9, 0);
    L.line--; /* one Poppler line */
    size_t first_b = L.n;
    put(&L, space_cases[_i].b, x + space_cases[_i].gap, 300, 9, 0);
    L.c[first_b].space_before = (unsigned)space_cases[_i].mark;
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 1);
    ck_assert_str_eq(pg.runs[0].text, space_cases[_i].want);
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(vertical_rule_cuts_touching_cells)
{
    /* Two cells whose texts nearly touch (1 pt apart), a rule between. */
    layout L = {.n = 0};
    ft_page pg;
    double x = put(&L, "37,780,000.00", 100, 300, 9, 0);
    L.line--;
    put(&L, "≥90.00(%)", x + 1, 300, 9, 0);
    ft_box rule = {x + 0.5, 290, x + 0.5, 320};
    build(&L, &rule, 1, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 2);
    ck_assert_str_eq(pg.runs[0].text, "37,780,000.00");
    ck_assert_str_eq(pg.runs[1].text, "≥90.00(%)");
    ft_page_cleanup(&pg);

    /* The same rule elsewhere on the page (not spanning this line) does not
     * cut. */
    ft_box far = {x + 0.5, 400, x + 0.5, 500};
    build(&L, &far, 1, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 1);
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(font_size_jump_cuts)
{
    layout L = {.n = 0};
    ft_page pg;
    double x = put(&L, "绩效目标表", 100, 40, 16, FT_RUN_BOLD);
    L.line--;
    put(&L, "(2020年度)", x + 2, 44, 10, 0);
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 2);
    ck_assert_str_eq(pg.runs[0].text, "绩效目标表");
    ck_assert_uint_eq(pg.runs[0].flags & FT_RUN_BOLD, FT_RUN_BOLD);
    ck_assert_uint_eq(pg.runs[1].flags & FT_RUN_BOLD, 0);
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(reading_order_from_geometry)
{
    /* Poppler emitted the right cell of row 1 after row 2, and row 2 before
     * row 1: output must be top to bottom, left to right. */
    layout L = {.n = 0};
    ft_page pg;
    put(&L, "第二行", 60, 130, 10, 0);
    put(&L, "右", 300, 100, 10, 0);
    put(&L, "左", 60, 100, 10, 0);
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 3);
    ck_assert_str_eq(pg.runs[0].text, "左");
    ck_assert_str_eq(pg.runs[1].text, "右");
    ck_assert_str_eq(pg.runs[2].text, "第二行");
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(baseline_jitter_same_line)
{
    /* CJK and Latin fonts give different boxes on one baseline: still one
     * line, and a run per cell. */
    layout L = {.n = 0};
    ft_page pg;
    double x = put(&L, "金额", 60, 100, 10, 0);
    L.line--;
    put(&L, "100", x, 101.5, 10, 0);
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 1);
    ck_assert_str_eq(pg.runs[0].text, "金额100");
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(rotated_text)
{
    /* Characters advancing downwards (a /Rotate 90 page's text, a vertical
     * column label). */
    layout L = {.n = 0};
    ft_page pg;
    const char *s[] = {"项", "目", "名", "称"};
    L.line = 7;
    for (int i = 0; i < 4; i++) {
        ext_char *c = &L.c[L.n++];
        c->box = (ft_box){200, 50 + 10.0 * i, 211.7, 60 + 10.0 * i};
        ft_utf8_decode(s[i], strlen(s[i]), &c->cp);
        c->size = 10;
        c->flags = 0;
        c->line = 7;
        c->space_before = 0;
    }
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 1);
    ck_assert_str_eq(pg.runs[0].text, "项目名称");
    ck_assert_uint_eq(pg.runs[0].flags & FT_RUN_ROTATED, FT_RUN_ROTATED);
    ck_assert_double_eq_tol(pg.runs[0].box.y0, 50, 1e-9);
    ck_assert_double_eq_tol(pg.runs[0].box.y1, 90, 1e-9);
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(fake_bold_duplicates_dropped)
{
    layout L = {.n = 0};
    ft_page pg;
    put(&L, "合计", 60, 100, 10, 0);
    put(&L, "合计", 60.3, 100, 10, 0); /* drawn again 0.3 pt right */
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 1);
    ck_assert_str_eq(pg.runs[0].text, "合计");
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(hidden_and_area)
{
    layout L = {.n = 0};
    ft_page pg;
    put(&L, "off page", 700, 100, 10, 0);
    put(&L, "inside", 100, 100, 10, 0);
    put(&L, "outside", 100, 400, 10, 0);
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 3);
    ck_assert_str_eq(pg.runs[1].text, "off page");
    ck_assert_uint_eq(pg.runs[1].flags & FT_RUN_HIDDEN, FT_RUN_HIDDEN);
    ck_assert_uint_eq(pg.runs[0].flags & FT_RUN_HIDDEN, 0);
    ft_page_cleanup(&pg);

    layout M = {.n = 0};
    put(&M, "inside", 100, 100, 10, 0);
    put(&M, "outside", 100, 400, 10, 0);
    ft_box area = {50, 50, 300, 200};
    build(&M, NULL, 0, &area, &pg);
    ck_assert_uint_eq(pg.nruns, 1);
    ck_assert_str_eq(pg.runs[0].text, "inside");
    ft_page_cleanup(&pg);
}
END_TEST

/* Characters flagged hidden (not drawn on the page): a run all of them is
 * hidden; a run with some in view is not, and is not cut. */
START_TEST(undrawn_characters)
{
    layout L = {.n = 0};
    ft_page pg;
    put(&L, "可持续影响指标", 100, 573, 9, FT_RUN_HIDDEN);
    put(&L, "Halfway", 100, 200, 10, 0);
    L.c[L.n - 2].flags |= FT_RUN_HIDDEN;
    L.c[L.n - 5].flags |= FT_RUN_HIDDEN;
    build(&L, NULL, 0, NULL, &pg);
    ck_assert_uint_eq(pg.nruns, 2);
    ck_assert_str_eq(pg.runs[0].text, "Halfway");
    ck_assert_uint_eq(pg.runs[0].flags & FT_RUN_HIDDEN, 0);
    ck_assert_str_eq(pg.runs[1].text, "可持续影响指标");
    ck_assert_uint_eq(pg.runs[1].flags, FT_RUN_HIDDEN);
    ft_page_cleanup(&pg);
}
END_TEST

START_TEST(empty_input)
{
    ft_page pg;
    ft_page_init(&pg);
    ck_assert_int_eq(ext_runs_build(NULL, 0, NULL, 0, 0, 0, NULL, &pg), FT_OK);
    ck_assert_uint_eq(pg.nruns, 0);
    ft_page_cleanup(&pg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ext_runs");
    TCase *tc = tcase_create("runs");
    tcase_add_test(tc, cells_on_one_baseline_are_two_runs);
    tcase_add_test(tc, latin_word_spaces_stay_in_one_run);
    tcase_add_loop_test(tc, spaces_next_to_cjk, 0,
                        sizeof space_cases / sizeof space_cases[0]);
    tcase_add_test(tc, vertical_rule_cuts_touching_cells);
    tcase_add_test(tc, font_size_jump_cuts);
    tcase_add_test(tc, reading_order_from_geometry);
    tcase_add_test(tc, baseline_jitter_same_line);
    tcase_add_test(tc, rotated_text);
    tcase_add_test(tc, fake_bold_duplicates_dropped);
    tcase_add_test(tc, hidden_and_area);
    tcase_add_test(tc, undrawn_characters);
    tcase_add_test(tc, empty_input);
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
