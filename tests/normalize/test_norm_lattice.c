/* Ruled grids (norm_lattice.c) and the geometric page path (norm_geom.c)
 * from pages drawn by hand in C: rules and runs with their boxes. Expected
 * grids are written by hand from the drawing. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft_limits.h"
#include "norm_geom.h"
#include "norm_lattice.h"
#include "norm_page.h"
#include "norm_rules.h"
#include "norm_testlib.h"

typedef struct {
    ft_page p;
    norm_page_out o;
    norm_rules *rules;
    unsigned char *used;
} fixture;

static void setup(fixture *f)
{
    char msg[256];
    ft_page_init(&f->p);
    norm_page_out_init(&f->o);
    norm_page_out_reset(&f->o, 1);
    ck_assert_int_eq(norm_rules_load(NULL, 0, &f->rules, msg, sizeof msg), FT_OK);
    tl_page_pdf(&f->p, 1, 595, 842);
    f->used = NULL;
}

static void teardown(fixture *f)
{
    free(f->used);
    norm_rules_free(f->rules);
    norm_page_out_cleanup(&f->o);
    ft_page_cleanup(&f->p);
}

/* Run the lattice finder alone; returns the number of tables. */
static size_t lattice(fixture *f)
{
    size_t n = 0;
    free(f->used);
    f->used = calloc(f->p.nruns + 1, 1);
    ck_assert_ptr_nonnull(f->used);
    ck_assert_int_eq(norm_lattice_find(&f->p, f->used, &f->o, NULL, "t", &n),
                     FT_OK);
    norm_page_sort(&f->o);
    return n;
}

static void expect_page(fixture *f, const char *want)
{
    char *got = tl_dump_page(&f->o);
    ck_assert_msg(strcmp(got, want) == 0, "--- got\n%s--- want\n%s", got, want);
    free(got);
}

/* Every table tiles its grid (the table stream's invariant). */
static void expect_tiled(fixture *f)
{
    char msg[128];
    for (size_t i = 0; i < f->o.tables.count; i++) {
        size_t *map = NULL;
        ck_assert_int_eq(ft_table_slot_map(&f->o.tables.items[i], &map, msg,
                                           sizeof msg), FT_OK);
        free(map);
    }
}

static const double X3[] = {100, 200, 300}, Y3[] = {100, 120, 140};

/* A 2x2 grid, one run per cell. */
START_TEST(grid_simple)
{
    fixture f;
    setup(&f);
    tl_grid(&f.p, X3, 3, Y3, 3);
    tl_run(&f.p, 105, 104, 140, 116, "项目名称", 0);
    tl_run(&f.p, 205, 104, 260, 116, "合作交流", 0);
    tl_run(&f.p, 105, 124, 130, 136, "Total", 0);
    tl_run(&f.p, 205, 124, 230, 136, "1,000.00", 0);
    ck_assert_uint_eq(lattice(&f), 1);
    expect_page(&f, "lattice 2x2\n1,1,1,1:项目名称\n1,2,1,1:合作交流\n"
                    "2,1,1,1:Total\n2,2,1,1:1,000.00\n");
    const ft_table *t = &f.o.tables.items[0];
    ck_assert(t->has_box && t->box.x0 == 100 && t->box.y1 == 140);
    for (size_t i = 0; i < f.p.nruns; i++)
        ck_assert_uint_eq(f.used[i], 1);
    teardown(&f);
}
END_TEST

/* Lines of a cell: a number broken by a full line of a narrow amount
 * column goes on without a space (seed 002 `233,875.2` / `6`, 46 pt cell);
 * a line with room left, or tokens that make no amount together, keep the
 * space. */
static const struct {
    const char *l1;
    double x1;  /* right end of line 1 (cell 155.5 .. 201.5) */
    const char *l2, *want;
} wrap_cases[] = {
    {"233,875.2", 198.75, "6", "233,875.26"},
    {"合计233,875.", 198.75, "26", "合计233,875.26"},
    {"165,200.0", 198.75, "0 元", "165,200.00 元"},
    {"2020", 198.75, "2021", "2020 2021"},
    {"12.5", 172.0, "3", "12.5 3"},
    {"1,000", 198.75, "2,000", "1,000 2,000"},
    {"abc12.5", 198.75, "3", "abc12.5 3"},
};

START_TEST(cell_number_wrapped)
{
    fixture f;
    setup(&f);
    static const double xs[] = {155.5, 201.5}, ys[] = {75, 110};
    tl_grid(&f.p, xs, 2, ys, 2);
    tl_hrule(&f.p, 75, 100, 155.5); /* a second column, for two slots */
    tl_hrule(&f.p, 110, 100, 155.5);
    tl_vrule(&f.p, 100, 75, 110);
    tl_run(&f.p, 163.8, 79, wrap_cases[_i].x1, 88.4, wrap_cases[_i].l1, 0);
    tl_run(&f.p, 163.8, 89.9, 170, 99.3, wrap_cases[_i].l2, 0);
    ck_assert_uint_eq(lattice(&f), 1);
    const ft_table *t = &f.o.tables.items[0];
    ck_assert_uint_eq(t->ncells, 2);
    ck_assert_str_eq(t->cells[1].text, wrap_cases[_i].want);
    teardown(&f);
}
END_TEST

/* Merges in both directions, and a segment drawn only part of the way:
 *   +-----+-----+-----+      row 1: A spans columns 1-2 (no rule at x=200)
 *   |  A        |  B  |      rows 2-3: C spans 2 rows (no rule at y=140 in
 *   +-----+-----+-----+              column 1); D E / F G single cells
 *   |  C  |  D  |  E  |      x=300 between rows 1 and 2 is drawn for only a
 *   +     +-----+-----+              third of row 1's height: still merged? no:
 *   |     |  F  |  G  |              B stays apart since that edge is covered
 *   +-----+-----+-----+              60 % (see below). */
START_TEST(grid_merges_both_directions)
{
    fixture f;
    setup(&f);
    tl_hrule(&f.p, 100, 100, 400);
    tl_hrule(&f.p, 120, 100, 400);
    tl_hrule(&f.p, 140, 200, 400); /* column 1 open: C spans down */
    tl_hrule(&f.p, 160, 100, 400);
    tl_vrule(&f.p, 100, 100, 160);
    tl_vrule(&f.p, 200, 120, 160); /* row 1 open: A spans right */
    tl_vrule(&f.p, 300, 100, 112); /* 60 % of row 1: a border */
    tl_vrule(&f.p, 300, 120, 160);
    tl_vrule(&f.p, 400, 100, 160);
    tl_run(&f.p, 110, 104, 250, 116, "A", 0);
    tl_run(&f.p, 310, 104, 330, 116, "B", 0);
    tl_run(&f.p, 110, 134, 130, 146, "C", 0);
    tl_run(&f.p, 210, 124, 230, 136, "D", 0);
    tl_run(&f.p, 310, 124, 330, 136, "E", 0);
    tl_run(&f.p, 210, 144, 230, 156, "F", 0);
    tl_run(&f.p, 310, 144, 330, 156, "G", 0);
    ck_assert_uint_eq(lattice(&f), 1);
    expect_page(&f, "lattice 3x3\n1,1,1,2:A\n1,3,1,1:B\n2,1,2,1:C\n2,2,1,1:D\n"
                    "2,3,1,1:E\n3,2,1,1:F\n3,3,1,1:G\n");
    expect_tiled(&f);
    teardown(&f);
}
END_TEST

/* A border covered for less than half its length is a merge: the short
 * stub at x=200 (4 of 20 pt) does not split the cell. */
START_TEST(grid_missing_segment)
{
    fixture f;
    setup(&f);
    tl_hrule(&f.p, 100, 100, 300);
    tl_hrule(&f.p, 120, 100, 300);
    tl_hrule(&f.p, 140, 100, 300);
    tl_vrule(&f.p, 100, 100, 140);
    tl_vrule(&f.p, 300, 100, 140);
    tl_vrule(&f.p, 200, 100, 104);  /* stub in row 1 */
    tl_vrule(&f.p, 200, 120, 140);  /* full in row 2 */
    tl_run(&f.p, 110, 104, 280, 116, "wide", 0);
    tl_run(&f.p, 110, 124, 130, 136, "l", 0);
    tl_run(&f.p, 210, 124, 230, 136, "r", 0);
    ck_assert_uint_eq(lattice(&f), 1);
    expect_page(&f, "lattice 2x2\n1,1,1,2:wide\n2,1,1,1:l\n2,2,1,1:r\n");
    teardown(&f);
}
END_TEST

/* An L-shaped merged region is not a rectangle: split row by row, with a
 * warning. Slots (1,1) (1,2) (2,1) merged, (2,2) apart. */
START_TEST(grid_non_rectangular_merge)
{
    fixture f;
    setup(&f);
    tl_hrule(&f.p, 100, 100, 300);
    tl_hrule(&f.p, 120, 200, 300); /* only above (2,2) */
    tl_hrule(&f.p, 140, 100, 300);
    tl_vrule(&f.p, 100, 100, 140);
    tl_vrule(&f.p, 300, 100, 140);
    tl_vrule(&f.p, 200, 120, 140); /* only left of (2,2) */
    tl_run(&f.p, 110, 104, 130, 116, "L", 0);
    tl_run(&f.p, 210, 124, 230, 136, "x", 0);
    ck_assert_uint_eq(lattice(&f), 1);
    expect_page(&f, "lattice 2x2\n1,1,1,2:L\n2,1,1,1:\n2,2,1,1:x\n");
    expect_tiled(&f);
    ck_assert_uint_eq(f.o.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(f.o.warnings[0], "rectangle"));
    teardown(&f);
}
END_TEST

/* Multi-line cells: runs read top to bottom, left to right; CJK lines join
 * without a space, Latin lines with one; two runs on one line join with a
 * space unless both sides are CJK. */
START_TEST(grid_multiline_cells)
{
    fixture f;
    setup(&f);
    static const double xs[] = {100, 300, 500}, ys[] = {100, 160};
    tl_grid(&f.p, xs, 3, ys, 2);
    /* given out of order on purpose */
    tl_run(&f.p, 105, 118, 160, 130, "总额（元）", 0);
    tl_run(&f.p, 105, 104, 160, 116, "项目资金", 0);
    tl_run(&f.p, 305, 118, 350, 130, "amount", 0);
    tl_run(&f.p, 305, 104, 340, 116, "Total", 0);
    tl_run(&f.p, 345, 104, 380, 116, "budget", 0);
    tl_run(&f.p, 105, 132, 150, 144, "第二", 0);
    tl_run(&f.p, 155, 132, 200, 144, "部分", 0);
    ck_assert_uint_eq(lattice(&f), 1);
    expect_page(&f, "lattice 1x2\n1,1,1,1:项目资金总额（元）第二部分\n"
                    "1,2,1,1:Total budget amount\n");
    teardown(&f);
}
END_TEST

/* Two tables side by side and one below, with text between them: three
 * regions, each its own table, in reading order; the free text becomes
 * notes; hidden runs (off the page, or clipped away) are dropped outside
 * the grids and inside. */
START_TEST(geom_several_tables_and_notes)
{
    fixture f;
    setup(&f);
    static const double xa[] = {50, 150, 250}, xb[] = {300, 400, 500},
                        yt[] = {100, 120, 140}, yb[] = {300, 320, 340};
    tl_grid(&f.p, xa, 3, yt, 3);
    tl_grid(&f.p, xb, 3, yt, 3);
    tl_grid(&f.p, xa, 3, yb, 3);
    tl_run(&f.p, 60, 60, 200, 72, "财政项目支出绩效目标表", 0);
    tl_run(&f.p, 60, 104, 90, 116, "a1", 0);
    tl_run(&f.p, 310, 104, 340, 116, "b1", 0);
    tl_run(&f.p, 410, 124, 440, 136, "b4", FT_RUN_HIDDEN);
    tl_run(&f.p, 60, 200, 140, 212, "七、绩效目标", 0);
    tl_run(&f.p, 150, 200, 260, 212, "详见附表", 0);
    tl_run(&f.p, 60, 230, 140, 242, "secret", FT_RUN_HIDDEN);
    tl_run(&f.p, 160, 324, 190, 336, "c4", 0);
    norm_page_out_reset(&f.o, 1);
    ck_assert_int_eq(norm_geom_page(&f.p, f.rules, NULL, &f.o, NULL, "t"), FT_OK);
    norm_page_sort(&f.o);
    expect_page(&f, "note:财政项目支出绩效目标表\n"
                    "lattice 2x2\n1,1,1,1:a1\n1,2,1,1:\n2,1,1,1:\n2,2,1,1:\n"
                    "lattice 2x2\n1,1,1,1:b1\n1,2,1,1:\n2,1,1,1:\n2,2,1,1:\n"
                    "note:七、绩效目标详见附表\n"
                    "lattice 2x2\n1,1,1,1:\n1,2,1,1:\n2,1,1,1:\n2,2,1,1:c4\n");
    teardown(&f);
}
END_TEST

/* The held unruled table of the page before: 4 columns (text extents
 * 48-181, 364-370, 436-463, 515-547), as seed003-budgets-hrules page 1. */
static void held_stream(ft_table *t)
{
    static const double x0[] = {48, 364, 436, 515}, x1[] = {181, 370, 463, 547};
    static const char *txt[] = {"联合检查团赴六安市项目检查", "2", "3 万元",
                                "6 万元"};
    ft_table_init(t);
    strcpy(t->method, "stream");
    t->page_first = t->page_last = 1;
    t->nrows = 1;
    t->ncols = 4;
    t->box = (ft_box){48, 780, 547, 793};
    t->has_box = 1;
    for (unsigned k = 0; k < 4; k++) {
        ft_cell c;
        memset(&c, 0, sizeof c);
        c.row = 1;
        c.col = k + 1;
        c.rowspan = c.colspan = 1;
        c.page = 1;
        c.box = (ft_box){x0[k], 780, x1[k], 793};
        c.has_box = 1;
        c.conf = -1;
        c.text = (char *)txt[k];
        c.len = strlen(txt[k]);
        ck_assert_int_eq(ft_table_add_cell(t, &c), FT_OK);
    }
}

/* Lines at the top of a page that fit the held unruled table's columns are
 * the rest of it (one row is no table for the unruled finder); a title, a
 * line with a run across two columns, or a held ruled table are not. */
static const struct {
    const char *method;   /* of the held table */
    int title_first;      /* a title above the row */
    int wide_run;         /* a run across columns 2-3 */
    const char *want;
} cont_cases[] = {
    {"stream", 0, 0,
     "stream 1x4\n1,1,1,1:其他\n1,2,1,1:1\n1,3,1,1:5 万元\n1,4,1,1:5 万元\n"
     "note:六、年度预算安排\n"},
    {"stream", 1, 0,
     "note:标题\nnote:其他 1 5 万元 5 万元\nnote:六、年度预算安排\n"},
    {"stream", 0, 1,
     "note:其他 1 跨两列的文字 5 万元 5 万元\nnote:六、年度预算安排\n"},
    {"lattice", 0, 0,
     "note:其他 1 5 万元 5 万元\nnote:六、年度预算安排\n"},
};

START_TEST(geom_continuation_rows)
{
    fixture f;
    ft_table held;
    setup(&f);
    held_stream(&held);
    strcpy(held.method, cont_cases[_i].method);
    tl_page_pdf(&f.p, 2, 595, 842);
    if (cont_cases[_i].title_first)
        tl_run(&f.p, 48, 20, 100, 31, "标题", 0);
    tl_run(&f.p, 48, 45, 100, 56, "其他", 0);
    tl_run(&f.p, 364, 45, 369.5, 56, "1", 0);
    tl_run(&f.p, 436, 45, 463, 56, "5 万元", 0);
    tl_run(&f.p, 520, 45, 547, 56, "5 万元", 0);
    if (cont_cases[_i].wide_run)
        tl_run(&f.p, 365, 45.5, 440, 56, "跨两列的文字", 0);
    tl_run(&f.p, 42, 71, 130, 84, "六、年度预算安排", 0);
    norm_page_out_reset(&f.o, 2);
    ck_assert_int_eq(norm_geom_page(&f.p, f.rules, &held, &f.o, NULL, "t"), FT_OK);
    norm_page_sort(&f.o);
    expect_page(&f, cont_cases[_i].want);
    expect_tiled(&f);
    ft_table_cleanup(&held);
    teardown(&f);
}
END_TEST

/* A small table drawn inside a cell of a big one (not touching its rules) is
 * its own table and keeps its own text. */
START_TEST(grid_nested)
{
    fixture f;
    setup(&f);
    static const double xo[] = {50, 300, 550}, yo[] = {100, 300, 320},
                        xi[] = {320, 420, 520}, yi[] = {150, 170, 190};
    tl_grid(&f.p, xo, 3, yo, 3);
    tl_grid(&f.p, xi, 3, yi, 3);
    tl_run(&f.p, 60, 104, 100, 116, "outer", 0);
    tl_run(&f.p, 330, 154, 360, 166, "in1", 0);
    tl_run(&f.p, 430, 174, 460, 186, "in4", 0);
    ck_assert_uint_eq(lattice(&f), 2);
    expect_page(&f, "lattice 2x2\n1,1,1,1:outer\n1,2,1,1:\n2,1,1,1:\n2,2,1,1:\n"
                    "lattice 2x2\n1,1,1,1:in1\n1,2,1,1:\n2,1,1,1:\n2,2,1,1:in4\n");
    teardown(&f);
}
END_TEST

/* Bold leading rows are header rows (flag 1); the first row with text that
 * is not bold ends the header. */
START_TEST(grid_header_rows)
{
    fixture f;
    setup(&f);
    static const double ys[] = {100, 120, 140, 160};
    tl_grid(&f.p, X3, 3, ys, 4);
    tl_run(&f.p, 105, 104, 140, 116, "一级指标", FT_RUN_BOLD);
    tl_run(&f.p, 205, 104, 240, 116, "指标值", FT_RUN_BOLD);
    tl_run(&f.p, 105, 124, 140, 136, "产出指标", FT_RUN_BOLD);
    tl_run(&f.p, 205, 124, 240, 136, "≥2.00", 0);
    tl_run(&f.p, 105, 144, 140, 156, "效益指标", FT_RUN_BOLD);
    ck_assert_uint_eq(lattice(&f), 1);
    const ft_table *t = &f.o.tables.items[0];
    for (size_t i = 0; i < t->ncells; i++)
        ck_assert_uint_eq(t->cells[i].flags & FT_CELL_HEADER,
                          t->cells[i].row == 1 ? FT_CELL_HEADER : 0);
    teardown(&f);
}
END_TEST

/* A run that crosses a column rule goes to the cell holding its centre. */
START_TEST(grid_run_crossing_border)
{
    fixture f;
    setup(&f);
    tl_grid(&f.p, X3, 3, Y3, 3);
    tl_run(&f.p, 150, 104, 230, 116, "spill", 0); /* centre x=190: col 1 */
    ck_assert_uint_eq(lattice(&f), 1);
    expect_page(&f, "lattice 2x2\n1,1,1,1:spill\n1,2,1,1:\n2,1,1,1:\n2,2,1,1:\n");
    teardown(&f);
}
END_TEST

/* The top edge of a table continued from the previous page: the first-row
 * cells without a rule above them are marked open. */
START_TEST(grid_open_top)
{
    fixture f;
    setup(&f);
    tl_hrule(&f.p, 100, 200, 300); /* no top rule over column 1 */
    tl_hrule(&f.p, 120, 100, 300);
    tl_hrule(&f.p, 140, 100, 300);
    tl_vrule(&f.p, 100, 100, 140);
    tl_vrule(&f.p, 200, 100, 140);
    tl_vrule(&f.p, 300, 100, 140);
    ck_assert_uint_eq(lattice(&f), 1);
    const norm_item *it = &f.o.items[0];
    const ft_table *t = &f.o.tables.items[it->table];
    ck_assert_ptr_nonnull(it->top_open);
    for (size_t i = 0; i < t->ncells; i++) {
        int want = t->cells[i].row == 1 && t->cells[i].col == 1;
        ck_assert_int_eq(it->top_open[i], want);
    }
    teardown(&f);
}
END_TEST

/* Rules that form no grid: no lattice table, the page goes on. */
static const struct {
    const char *name;
    ft_box rules[4];
    size_t n;
} nogrid[] = {
    {"one underline", {{100, 200, 300, 200}}, 1},
    {"two parallel rules", {{100, 200, 300, 200}, {100, 220, 300, 220}}, 2},
    {"a single frame (1 slot)",
     {{100, 100, 300, 100}, {100, 200, 300, 200}, {100, 100, 100, 200},
      {300, 100, 300, 200}},
     4},
    {"zero-length and NaN rules",
     {{100, 100, 100, 100}, {NAN, 1, 2, 3}, {INFINITY, 0, 0, 0}, {1e300, 5, -1e300, 5}},
     4},
};

START_TEST(grid_none)
{
    fixture f;
    setup(&f);
    for (size_t i = 0; i < nogrid[_i].n; i++)
        ck_assert_int_eq(ft_page_add_rule(&f.p, nogrid[_i].rules[i]), FT_OK);
    tl_run(&f.p, 110, 150, 200, 162, "text", 0);
    ck_assert_msg(lattice(&f) == 0, "%s", nogrid[_i].name);
    ck_assert_uint_eq(f.used[0], 0);
    teardown(&f);
}
END_TEST

/* Degenerate geometry stays bounded: a zero-size page, the full cap of tiny
 * hatching rules, a huge dense grid past the slot cap. */
START_TEST(grid_degenerate_bounded)
{
    fixture f;
    setup(&f);
    tl_page_pdf(&f.p, 1, 0, 0);
    clock_t t0 = clock();
    /* hatching: the cap of 1-pt dashes, all shorter than a rule */
    for (unsigned i = 0; i < FT_MAX_RULES_PER_PAGE; i++) {
        double x = (double)(i % 100) * 5, y = (double)(i / 100) * 5;
        ck_assert_int_eq(ft_page_add_rule(&f.p, (ft_box){x, y, x + 1, y}), FT_OK);
    }
    ck_assert_uint_eq(lattice(&f), 0);
    /* a dense grid of 2500 x 2500 lines: 6M slots, past FT_MAX_TABLE_SLOTS */
    tl_page_pdf(&f.p, 2, 0, 0);
    norm_page_out_reset(&f.o, 2);
    for (unsigned i = 0; i < FT_MAX_RULES_PER_PAGE / 2; i++) {
        double v = (double)i * 4;
        tl_hrule(&f.p, v, 0, 9996);
        tl_vrule(&f.p, v, 0, 9996);
    }
    ck_assert_uint_eq(lattice(&f), 0);
    ck_assert_uint_eq(f.o.nwarnings, 1);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(secs < 20, "took %.1f s", secs);
    teardown(&f);
}
END_TEST

/* A rotated page: extract gives displayed coordinates, so a table on a page
 * with /Rotate 90 is found like any other (landscape width/height). */
START_TEST(grid_rotated_page)
{
    fixture f;
    setup(&f);
    tl_page_pdf(&f.p, 1, 842, 595);
    f.p.rotation = 90;
    static const double xs[] = {40, 400, 800}, ys[] = {40, 60, 80};
    tl_grid(&f.p, xs, 3, ys, 3);
    tl_run(&f.p, 45, 44, 120, 56, "项目名称", 0);
    tl_run(&f.p, 405, 64, 480, 76, "合作交流", 0);
    ck_assert_uint_eq(lattice(&f), 1);
    expect_page(&f, "lattice 2x2\n1,1,1,1:项目名称\n1,2,1,1:\n2,1,1,1:\n"
                    "2,2,1,1:合作交流\n");
    teardown(&f);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("norm_lattice");
    TCase *tc = tcase_create("lattice");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, grid_simple);
    tcase_add_loop_test(tc, cell_number_wrapped, 0,
                        sizeof wrap_cases / sizeof wrap_cases[0]);
    tcase_add_loop_test(tc, geom_continuation_rows, 0,
                        sizeof cont_cases / sizeof cont_cases[0]);
    tcase_add_test(tc, grid_merges_both_directions);
    tcase_add_test(tc, grid_missing_segment);
    tcase_add_test(tc, grid_non_rectangular_merge);
    tcase_add_test(tc, grid_multiline_cells);
    tcase_add_test(tc, geom_several_tables_and_notes);
    tcase_add_test(tc, grid_nested);
    tcase_add_test(tc, grid_header_rows);
    tcase_add_test(tc, grid_run_crossing_border);
    tcase_add_test(tc, grid_open_top);
    tcase_add_loop_test(tc, grid_none, 0, sizeof nogrid / sizeof *nogrid);
    tcase_add_test(tc, grid_degenerate_bounded);
    tcase_add_test(tc, grid_rotated_page);
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
