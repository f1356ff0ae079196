/* Unit tests of emit_rows: merged cells are filled down and right in CSV and
 * written once with their spans in JSON; the page of a row; cells mode keys.
 * Tables are built in memory; expected output is written by hand. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_rows.h"

typedef struct {
    unsigned r, c, rs, cs, page;
    const char *text;
} tcell;

#define MAXC 12
static const struct {
    unsigned nrows, ncols;
    tcell cells[MAXC];
    const char *csv;  /* rows mode, no provenance */
    const char *json; /* rows mode JSON Lines, no provenance */
} cases[] = {
    /* a 2x2 block in the middle of a 3x3 table */
    {3, 3,
     {{1, 1, 1, 1, 1, "a"}, {1, 2, 2, 2, 1, "B"}, {2, 1, 1, 1, 1, "c"},
      {3, 1, 1, 1, 1, "d"}, {3, 2, 1, 1, 1, "e"}, {3, 3, 1, 1, 1, "f"}},
     "a,B,B\nc,B,B\nd,e,f\n",
     "{\"cells\":[{\"col\":1,\"text\":\"a\",\"rowspan\":1,\"colspan\":1},"
     "{\"col\":2,\"text\":\"B\",\"rowspan\":2,\"colspan\":2}]}\n"
     "{\"cells\":[{\"col\":1,\"text\":\"c\",\"rowspan\":1,\"colspan\":1}]}\n"
     "{\"cells\":[{\"col\":1,\"text\":\"d\",\"rowspan\":1,\"colspan\":1},"
     "{\"col\":2,\"text\":\"e\",\"rowspan\":1,\"colspan\":1},"
     "{\"col\":3,\"text\":\"f\",\"rowspan\":1,\"colspan\":1}]}\n"},
    /* a label merged down three rows (seed 000's 一级目标) */
    {3, 2,
     {{1, 1, 3, 1, 1, "投入与管理"}, {1, 2, 1, 1, 1, "> 95%"},
      {2, 2, 1, 1, 1, "=100%"}, {3, 2, 1, 1, 1, "规范"}},
     "投入与管理,> 95%\n投入与管理,=100%\n投入与管理,规范\n",
     "{\"cells\":[{\"col\":1,\"text\":\"投入与管理\",\"rowspan\":3,\"colspan\":1},"
     "{\"col\":2,\"text\":\"> 95%\",\"rowspan\":1,\"colspan\":1}]}\n"
     "{\"cells\":[{\"col\":2,\"text\":\"=100%\",\"rowspan\":1,\"colspan\":1}]}\n"
     "{\"cells\":[{\"col\":2,\"text\":\"规范\",\"rowspan\":1,\"colspan\":1}]}\n"},
    /* a whole row covered from above: JSON has an empty cells array */
    {2, 2,
     {{1, 1, 2, 2, 1, "全表, 合并"}},
     "\"全表, 合并\",\"全表, 合并\"\n\"全表, 合并\",\"全表, 合并\"\n",
     "{\"cells\":[{\"col\":1,\"text\":\"全表, 合并\",\"rowspan\":2,\"colspan\":2}]}\n"
     "{\"cells\":[]}\n"},
    /* a title across the width, empty cells */
    {2, 3,
     {{1, 1, 1, 3, 1, "财政项目支出绩效目标表"}, {2, 1, 1, 1, 1, ""},
      {2, 2, 1, 1, 1, "x"}, {2, 3, 1, 1, 1, ""}},
     "财政项目支出绩效目标表,财政项目支出绩效目标表,财政项目支出绩效目标表\n,x,\n",
     "{\"cells\":[{\"col\":1,\"text\":\"财政项目支出绩效目标表\",\"rowspan\":1,"
     "\"colspan\":3}]}\n"
     "{\"cells\":[{\"col\":1,\"text\":\"\",\"rowspan\":1,\"colspan\":1},"
     "{\"col\":2,\"text\":\"x\",\"rowspan\":1,\"colspan\":1},"
     "{\"col\":3,\"text\":\"\",\"rowspan\":1,\"colspan\":1}]}\n"},
};

static char buf[8192];

static void build(ft_table *t, int i)
{
    ft_table_init(t);
    t->id = 1;
    t->nrows = cases[i].nrows;
    t->ncols = cases[i].ncols;
    for (int k = 0; k < MAXC && cases[i].cells[k].r; k++) {
        const tcell *c = &cases[i].cells[k];
        ft_cell cell;
        memset(&cell, 0, sizeof cell);
        cell.row = c->r;
        cell.col = c->c;
        cell.rowspan = c->rs;
        cell.colspan = c->cs;
        cell.page = c->page;
        cell.conf = -1;
        cell.text = (char *)c->text;
        cell.len = strlen(c->text);
        ck_assert(ft_table_add_cell(t, &cell) == FT_OK);
    }
    ft_table_sort(t);
}

static const char *run(const ft_table *t, emit_format fmt)
{
    ft_doc doc;
    memset(&doc, 0, sizeof doc);
    memset(buf, 0, sizeof buf);
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    emit_writer w;
    emit_writer_init(&w, f, fmt, 0, 0);
    ck_assert(emit_rows_table(&w, &doc, t, 0) == FT_OK);
    emit_writer_finish(&w);
    fclose(f);
    return buf;
}

START_TEST(csv_fills_spans)
{
    ft_table t;
    build(&t, _i);
    ck_assert_str_eq(run(&t, EMIT_CSV), cases[_i].csv);
    ft_table_cleanup(&t);
}
END_TEST

START_TEST(json_keeps_spans)
{
    ft_table t;
    build(&t, _i);
    ck_assert_str_eq(run(&t, EMIT_JSONL), cases[_i].json);
    ft_table_cleanup(&t);
}
END_TEST

START_TEST(row_page_rules)
{
    /* row 2 starts with a cell merged from page 1; its own cells are on
     * page 2: the row is on page 2. Row 3 is wholly covered from above. */
    ft_table t;
    ft_table_init(&t);
    t.id = 1;
    t.nrows = 3;
    t.ncols = 2;
    tcell cs[] = {{1, 1, 3, 1, 1, "a"}, {1, 2, 1, 1, 1, "b"},
                  {2, 2, 2, 1, 2, "c"}};
    for (size_t k = 0; k < 3; k++) {
        ft_cell c;
        memset(&c, 0, sizeof c);
        c.row = cs[k].r;
        c.col = cs[k].c;
        c.rowspan = cs[k].rs;
        c.colspan = cs[k].cs;
        c.page = cs[k].page;
        c.conf = -1;
        c.text = (char *)cs[k].text;
        c.len = 1;
        ck_assert(ft_table_add_cell(&t, &c) == FT_OK);
    }
    size_t *map = NULL;
    char msg[100];
    ck_assert(ft_table_slot_map(&t, &map, msg, sizeof msg) == FT_OK);
    ck_assert_uint_eq(emit_row_page(&t, map, 1), 1);
    ck_assert_uint_eq(emit_row_page(&t, map, 2), 2);
    ck_assert_uint_eq(emit_row_page(&t, map, 3), 1); /* covered: col 1's page */
    free(map);
    char c[32];
    ck_assert_ptr_null(emit_conf_str(-1, c, sizeof c));
    ck_assert_str_eq(emit_conf_str(87.5, c, sizeof c), "87.50");
    ft_table_cleanup(&t);
}
END_TEST

static Suite *rows_suite(void)
{
    Suite *s = suite_create("emit_rows");
    TCase *tc = tcase_create("rows");
    tcase_add_loop_test(tc, csv_fills_spans, 0, sizeof cases / sizeof cases[0]);
    tcase_add_loop_test(tc, json_keeps_spans, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, row_page_rules);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rows_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
