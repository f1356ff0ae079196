/* Unit suites of formtab-inspect's modules: HTML escaping (every byte a PDF
 * can put in a cell), the JSON record reader, the "not understood" marker
 * of form records, the record stream grouped by table, and the view that
 * reads the layout and table streams in step a page at a time. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext_inspect_html.h"
#include "ext_inspect_json.h"
#include "ext_inspect_review.h"
#include "ext_inspect_view.h"
#include "ft_arena.h"
#include "ft_buf.h"
#include "ft_utf8.h"

/* ---- HTML escaping ---- */

static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    unsigned flags;
    const char *out;
} ESC[] = {
    {"plain", 0, 0, "plain"},
    {"a&b", 0, 0, "a&amp;b"},
    {"<script>alert(1)</script>", 0, 0,
     "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"\"'", 0, 0, "&quot;&#39;"},
    {"\" onmouseover=\"x", 0, 0, "&quot; onmouseover=&quot;x"},
    {"&amp;", 0, 0, "&amp;amp;"},
    {"项目名称：", 0, 0, "项目名称："},
    {"≥90.00(%)", 0, 0, "≥90.00(%)"},
    {"233, 875. 26", 0, 0, "233, 875. 26"},
    {"line1\nline2", 0, 0, "line1\nline2"},
    {"line1\nline2", 0, EXT_HTML_BR, "line1<br>line2"},
    {"a\tb", 0, 0, "a\tb"},
    {"a\r\nb", 0, 0, "a \nb"},
    {"nul\0x", 5, 0, "nul\xEF\xBF\xBDx"},
    {"\x01\x1f\x7f", 0, 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"\xC2\x85", 0, 0, "\xEF\xBF\xBD"},             /* C1 control NEL */
    {"\xff<", 0, 0, "\xEF\xBF\xBD&lt;"},            /* not UTF-8 */
    {"\xE9\xA1", 0, 0, "\xEF\xBF\xBD\xEF\xBF\xBD"}, /* cut short */
    {"\xED\xA0\x80", 0, 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"\xF0\x9F\x98\x80", 0, 0, "\xF0\x9F\x98\x80"}, /* U+1F600 stays */
    {"", 0, 0, ""},
};

START_TEST(escape_table)
{
    size_t len = ESC[_i].len ? ESC[_i].len : strlen(ESC[_i].in);
    ft_buf b;
    ft_buf_init(&b, 1024);
    ck_assert_int_eq(ext_html_escape(&b, ESC[_i].in, len, ESC[_i].flags), 0);
    ck_assert_str_eq(ft_buf_str(&b), ESC[_i].out);
    ft_buf_cleanup(&b);

    /* the FILE variant writes the same bytes */
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(ext_html_put(f, ESC[_i].in, len, ESC[_i].flags), 0);
    fclose(f);
    ck_assert_str_eq(mem, ESC[_i].out);
    free(mem);
}
END_TEST

/* Whatever the bytes, the output has no raw markup character left. */
START_TEST(escape_never_leaves_markup)
{
    char in[256];
    for (int i = 0; i < 256; i++)
        in[i] = (char)i;
    ft_buf b;
    ft_buf_init(&b, 1 << 16);
    ck_assert_int_eq(ext_html_escape(&b, in, sizeof in, EXT_HTML_BR), 0);
    const char *s = ft_buf_str(&b);
    const char *br = "<br>";
    for (const char *p = s; *p; p++) {
        if (*p == '<') {
            ck_assert_int_eq(strncmp(p, br, 4), 0);
            p += 3;
            continue;
        }
        ck_assert(*p != '>' && *p != '"' && *p != '\'');
    }
    ck_assert(ft_utf8_valid(s, b.len, NULL));
    ft_buf_cleanup(&b);
}
END_TEST

START_TEST(skeleton_has_csp)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    ext_html_begin(f, "<title> & \"x\"", "a\"b.css");
    ext_html_end(f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(mem, "<meta charset=\"utf-8\">"));
    ck_assert_ptr_nonnull(strstr(mem, "script-src 'none'"));
    ck_assert_ptr_nonnull(strstr(mem, "default-src 'none'"));
    ck_assert_ptr_nonnull(
        strstr(mem, "<title>&lt;title&gt; &amp; &quot;x&quot;</title>"));
    ck_assert_ptr_nonnull(strstr(mem, "href=\"a&quot;b.css\""));
    ck_assert_ptr_null(strstr(mem, "<script"));
    ck_assert_ptr_nonnull(strstr(mem, "</html>\n"));
    free(mem);
}
END_TEST

START_TEST(path_join)
{
    ft_buf b;
    ft_buf_init(&b, 64);
    ck_assert_int_eq(ext_html_path(&b, "dir", "x.png"), 0);
    ck_assert_str_eq(ft_buf_str(&b), "dir/x.png");
    ft_buf_reset(&b);
    ck_assert_int_eq(ext_html_path(&b, "dir/", "x.png"), 0);
    ck_assert_str_eq(ft_buf_str(&b), "dir/x.png");
    ft_buf_cleanup(&b);
}
END_TEST

/* ---- JSON records ---- */

static const struct {
    const char *in;
    int ok;
    size_t n;
    const char *key, *text; /* one member to check */
    ext_json_type type;
} JSON[] = {
    {"{\"a\":\"x\"}", 1, 1, "a", "x", EXT_JSON_STRING},
    {" { \"a\" : 12.50 , \"b\":null } ", 1, 2, "a", "12.50", EXT_JSON_NUMBER},
    {"{\"b\":null}", 1, 1, "b", "null", EXT_JSON_NULL},
    {"{\"t\":true,\"f\":false}", 1, 2, "f", "false", EXT_JSON_BOOL},
    {"{\"s\":\"\\u4e2d\\\"\\\\\\n\"}", 1, 1, "s", "中\"\\\n", EXT_JSON_STRING},
    {"{\"e\":\"\\ud83d\\ude00\"}", 1, 1, "e", "\xF0\x9F\x98\x80",
     EXT_JSON_STRING},
    {"{\"lone\":\"\\ud800x\"}", 1, 1, "lone", "\xEF\xBF\xBDx",
     EXT_JSON_STRING},
    {"{\"c\":[{\"col\":1,\"text\":\"]}\"}],\"d\":1}", 1, 2, "c",
     "[{\"col\":1,\"text\":\"]}\"}]", EXT_JSON_NESTED},
    {"{\"v\":\"≥90.00(%)\"}", 1, 1, "v", "≥90.00(%)", EXT_JSON_STRING},
    {"{}", 1, 0, NULL, NULL, EXT_JSON_NULL},
    {"", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"[1]", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{\"a\":}", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{\"a\":1", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{\"a\":1}x", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{\"a\":\"x}", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{\"a\":\"\\q\"}", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{\"a\":\"\x01\"}", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{\"a\":[1,2}", 0, 0, NULL, NULL, EXT_JSON_NULL},
    {"{a:1}", 0, 0, NULL, NULL, EXT_JSON_NULL},
};

START_TEST(json_table)
{
    ft_arena a;
    ext_record r;
    char msg[160];
    ft_arena_init(&a, 1 << 20);
    ft_err rc = ext_json_parse_object(JSON[_i].in, strlen(JSON[_i].in), &a,
                                      &r, msg, sizeof msg);
    if (!JSON[_i].ok) {
        ck_assert_int_ne(rc, 0);
        ck_assert(msg[0] != '\0');
    } else {
        ck_assert_msg(rc == 0, "%s", msg);
        ck_assert_uint_eq(r.n, JSON[_i].n);
        if (JSON[_i].key) {
            const ext_json_member *m = ext_record_get(&r, JSON[_i].key);
            ck_assert_ptr_nonnull(m);
            ck_assert_int_eq(m->type, JSON[_i].type);
            ck_assert_str_eq(m->text, JSON[_i].text);
            ck_assert_uint_eq(m->len, strlen(JSON[_i].text));
        }
    }
    ft_arena_cleanup(&a);
}
END_TEST

START_TEST(json_deep_nesting_is_refused)
{
    char in[400];
    size_t n = 0;
    n += (size_t)sprintf(in, "{\"a\":");
    for (int i = 0; i < 100; i++)
        in[n++] = '[';
    for (int i = 0; i < 100; i++)
        in[n++] = ']';
    in[n++] = '}';
    in[n] = '\0';
    ft_arena a;
    ext_record r;
    char msg[160];
    ft_arena_init(&a, 1 << 20);
    ck_assert_int_eq(ext_json_parse_object(in, n, &a, &r, msg, sizeof msg),
                     FT_LIMIT);
    ft_arena_cleanup(&a);
}
END_TEST

/* ---- values emit did not understand ---- */

static const struct {
    const char *rec;
    const char *key;
    int unparsed;
} UNPARSED[] = {
    /* an amount field that did not parse */
    {"{\"value_text\":\"1,00\",\"value_type\":\"amount\",\"value_number\":null,"
     "\"value_date\":null}", "value_text", 1},
    {"{\"value_text\":\"37,780,000.00\",\"value_type\":\"amount\","
     "\"value_number\":37780000.00,\"value_date\":null}", "value_text", 0},
    /* a text field is meant to stay text, digits or not */
    {"{\"value_text\":\"2020年1月\",\"value_type\":\"text\","
     "\"value_number\":null,\"value_date\":null}", "value_text", 0},
    {"{\"value_text\":\"2020-13-45\",\"value_type\":\"date\","
     "\"value_number\":null,\"value_date\":null}", "value_text", 1},
    /* a word target is text by design */
    {"{\"target_text\":\"合理\",\"target_value\":null}", "target_text", 0},
    {"{\"target_text\":\"≥90.00(%)\",\"target_value\":90.00}", "target_text",
     0},
    {"{\"target_text\":\"≥9O%\",\"target_value\":null}", "target_text", 1},
    {"{\"target_text\":\"≥９０%\",\"target_value\":null}", "target_text", 1},
    {"{\"weight_text\":\"10分\",\"weight\":null}", "weight_text", 1},
    {"{\"weight_text\":\"10\",\"weight\":10}", "weight_text", 0},
    /* no typed sibling: nothing to compare with */
    {"{\"label_text\":\"12\"}", "label_text", 0},
    /* not a _text member */
    {"{\"value_number\":null}", "value_number", 0},
};

START_TEST(unparsed_table)
{
    ft_arena a;
    ext_record r;
    char msg[160];
    ft_arena_init(&a, 1 << 20);
    ck_assert_int_eq(ext_json_parse_object(UNPARSED[_i].rec,
                                           strlen(UNPARSED[_i].rec), &a, &r,
                                           msg, sizeof msg),
                     0);
    const ext_json_member *m = ext_record_get(&r, UNPARSED[_i].key);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(ext_review_unparsed(&r, m), UNPARSED[_i].unparsed);
    ft_arena_cleanup(&a);
}
END_TEST

/* ---- records grouped by table ---- */

START_TEST(records_by_table)
{
    static const char lines[] =
        "{\"kind\":\"field\",\"table\":1,\"row\":1}\n"
        "{\"kind\":\"field\",\"table\":1,\"row\":2}\n"
        "not json\n"
        "\n"
        "{\"kind\":\"field\",\"table\":2,\"row\":1}\n"
        "{\"kind\":\"field\",\"row\":1}\n"
        "{\"kind\":\"field\",\"table\":4,\"row\":9}\n"
        "{\"kind\":\"field\",\"table\":3,\"row\":1}\n";
    FILE *f = fmemopen((void *)lines, sizeof lines - 1, "r");
    ck_assert_ptr_nonnull(f);
    ext_records r;
    const ext_record *recs;
    size_t n;
    unsigned row;
    ck_assert_int_eq(ext_records_init(&r, f), 0);
    ck_assert_int_eq(ext_records_for_table(&r, 1, &recs, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert(ext_record_uint(&recs[1], "row", &row));
    ck_assert_uint_eq(row, 2);
    ck_assert_int_eq(ext_records_for_table(&r, 2, &recs, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(ext_records_for_table(&r, 3, &recs, &n), 0);
    ck_assert_uint_eq(n, 0); /* its record comes after table 4's */
    ck_assert_int_eq(ext_records_for_table(&r, 4, &recs, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert(ext_record_uint(&recs[0], "row", &row));
    ck_assert_uint_eq(row, 9);
    ck_assert_int_eq(ext_records_for_table(&r, 5, &recs, &n), 0);
    ck_assert_uint_eq(n, 0);
    /* not json, no table, out of order */
    ck_assert_uint_eq(r.skipped, 3);
    ext_records_cleanup(&r);
    fclose(f);

    /* no input: no records, no error */
    ck_assert_int_eq(ext_records_init(&r, NULL), 0);
    ck_assert_int_eq(ext_records_for_table(&r, 1, &recs, &n), 0);
    ck_assert_uint_eq(n, 0);
    ext_records_cleanup(&r);
}
END_TEST

/* ---- the view: layout and table streams in step ---- */

static const char VIEW_LAYOUT[] =
    "formtab-layout\t1\n"
    "doc\tx.pdf\t\tpdf\t4\n"
    "page\t1\t595.00\t842.00\t0\ttext\n"
    "rule\t10.00\t10.00\t100.00\t10.00\n"
    "endpage\t1\tok\n"
    "page\t2\t595.00\t842.00\t0\ttext\n"
    "warn\tfont without ToUnicode\n"
    "endpage\t2\tok\n"
    "page\t3\t595.00\t842.00\t0\tocr\n"
    "endpage\t3\tok\n"
    "page\t4\t595.00\t842.00\t0\ttext\n"
    "endpage\t4\tfailed: damaged content stream\n"
    "end\t4\t1\n";

/* Table 1 runs over pages 1-2; a note and a warning on page 2; a warning
 * about the whole document; table 2 and a note on page 3. */
static const char VIEW_TABLES[] =
    "formtab-tables\t1\n"
    "doc\tx.pdf\t\tpdf\t4\n"
    "note\t1\t10.00\t1.00\t100.00\t9.00\tTitle <1>\n"
    "table\t1\t1\t2\tlattice\t2\t1\t10.00\t10.00\t100.00\t800.00\n"
    "cell\t2\t1\t1\t1\t2\t10.00\t20.00\t100.00\t40.00\t\t2\ton two\n"
    "cell\t1\t1\t1\t1\t1\t10.00\t10.00\t100.00\t800.00\t\t0\ton one\n"
    "endtable\t1\n"
    "note\t2\t10.00\t50.00\t100.00\t60.00\tbetween\n"
    "warn\t2\ttotals do not add up\n"
    "warn\t\tdocument-wide\n"
    "table\t2\t3\t3\tstream\t1\t2\t10.00\t10.00\t100.00\t30.00\n"
    "cell\t1\t1\t1\t1\t3\t10.00\t10.00\t50.00\t30.00\t40\t8\tA\n"
    "cell\t1\t2\t1\t1\t3\t50.00\t10.00\t100.00\t30.00\t90\t0\tB\n"
    "endtable\t2\n"
    "end\t2\t1\n";

typedef struct {
    int n;
    char last[64];
} doc_warns;

static void on_doc_warn(void *ctx, const char *text, size_t len)
{
    doc_warns *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%.*s", (int)len, text);
}

START_TEST(view_in_step)
{
    FILE *lf = fmemopen((void *)VIEW_LAYOUT, sizeof VIEW_LAYOUT - 1, "r");
    FILE *tf = fmemopen((void *)VIEW_TABLES, sizeof VIEW_TABLES - 1, "r");
    ft_layout_reader lr;
    ft_tables_reader tr;
    ext_view v;
    doc_warns w = {0, ""};
    ck_assert_int_eq(ft_layout_reader_init(&lr, lf, "layout"), 0);
    ck_assert_int_eq(ft_tables_reader_init(&tr, tf, "tables"), 0);
    ext_view_init(&v, &lr, &tr);

    /* page 1: note, then table 1 (cells sorted), both as items */
    ck_assert_int_eq(ext_view_next_page(&v, on_doc_warn, &w), 0);
    ck_assert_uint_eq(v.page.number, 1);
    ck_assert_uint_eq(v.page.nrules, 1);
    ck_assert_uint_eq(v.ntables, 1);
    ck_assert_uint_eq(v.nitems, 2);
    ck_assert_int_eq(v.items[0].kind, FT_ITEM_NOTE);
    ck_assert_str_eq(v.items[0].text, "Title <1>");
    ck_assert_uint_eq(v.items[0].index, 1);
    ck_assert_int_eq(v.items[1].kind, FT_ITEM_TABLE);
    ck_assert_uint_eq(v.items[1].table->id, 1);
    ck_assert_uint_eq(v.items[1].table->cells[0].row, 1);
    ck_assert_str_eq(v.items[1].table->cells[0].text, "on one");
    ck_assert(ext_view_table_on_page(v.tables[0], 1));

    /* page 2: table 1 still held (its row 2 is here), not an item */
    ck_assert_int_eq(ext_view_next_page(&v, on_doc_warn, &w), 0);
    ck_assert_uint_eq(v.page.number, 2);
    ck_assert_uint_eq(v.page.nwarnings, 1);
    ck_assert_uint_eq(v.ntables, 1);
    ck_assert_uint_eq(v.tables[0]->id, 1);
    ck_assert(ext_view_table_on_page(v.tables[0], 2));
    ck_assert_uint_eq(v.nitems, 2);
    ck_assert_int_eq(v.items[0].kind, FT_ITEM_NOTE);
    ck_assert_str_eq(v.items[0].text, "between");
    ck_assert_int_eq(v.items[1].kind, FT_ITEM_WARN);
    ck_assert_str_eq(v.items[1].text, "totals do not add up");

    /* page 3: table 1 let go, table 2 here; the document warning was
     * passed on (while page 2 looked for its items) and is no item */
    ck_assert_int_eq(ext_view_next_page(&v, on_doc_warn, &w), 0);
    ck_assert_uint_eq(v.page.number, 3);
    ck_assert_uint_eq(v.ntables, 1);
    ck_assert_uint_eq(v.tables[0]->id, 2);
    ck_assert_uint_eq(v.nitems, 1);
    ck_assert_int_eq(w.n, 1);
    ck_assert_str_eq(w.last, "document-wide");
    ck_assert(v.tables[0]->cells[0].flags & FT_CELL_LOWCONF);

    /* page 4 failed: no tables */
    ck_assert_int_eq(ext_view_next_page(&v, on_doc_warn, &w), 0);
    ck_assert_uint_eq(v.page.number, 4);
    ck_assert(v.page.failed);
    ck_assert_uint_eq(v.ntables, 0);
    ck_assert_uint_eq(v.nitems, 0);

    ck_assert_int_eq(ext_view_next_page(&v, on_doc_warn, &w), FT_EOF);
    ck_assert_int_eq(v.tables_err, FT_EOF);
    ext_view_cleanup(&v);
    ft_tables_reader_cleanup(&tr);
    ft_layout_reader_cleanup(&lr);
    fclose(lf);
    fclose(tf);
}
END_TEST

/* A broken table stream stops the tables, not the pages. */
START_TEST(view_survives_bad_tables)
{
    static const char tables[] =
        "formtab-tables\t1\n"
        "doc\tx.pdf\t\tpdf\t4\n"
        "table\t1\t1\t1\tlattice\t1\t1\t10.00\t10.00\t100.00\t80.00\n"
        "cell\t1\t1\t1\t1\t1\t10.00\t10.00\t100.00\t80.00\t\t0\tok\n"
        "endtable\t1\n"
        "bogus\trecord\n";
    FILE *lf = fmemopen((void *)VIEW_LAYOUT, sizeof VIEW_LAYOUT - 1, "r");
    FILE *tf = fmemopen((void *)tables, sizeof tables - 1, "r");
    ft_layout_reader lr;
    ft_tables_reader tr;
    ext_view v;
    ck_assert_int_eq(ft_layout_reader_init(&lr, lf, "layout"), 0);
    ck_assert_int_eq(ft_tables_reader_init(&tr, tf, "tables"), 0);
    ext_view_init(&v, &lr, &tr);
    int pages = 0;
    ft_err rc;
    while ((rc = ext_view_next_page(&v, NULL, NULL)) == FT_OK) {
        if (v.page.number == 1)
            ck_assert_uint_eq(v.ntables, 1);
        pages++;
    }
    ck_assert_int_eq(rc, FT_EOF);
    ck_assert_int_eq(pages, 4);
    ck_assert_int_eq(v.tables_err, FT_FORMAT);
    ck_assert_ptr_nonnull(strstr(v.tables_msg, "line 6"));
    ext_view_cleanup(&v);
    ft_tables_reader_cleanup(&tr);
    ft_layout_reader_cleanup(&lr);
    fclose(lf);
    fclose(tf);
}
END_TEST

static Suite *units_suite(void)
{
    Suite *s = suite_create("inspect_units");
    TCase *tc = tcase_create("html");
    tcase_add_loop_test(tc, escape_table, 0, (int)(sizeof ESC / sizeof ESC[0]));
    tcase_add_test(tc, escape_never_leaves_markup);
    tcase_add_test(tc, skeleton_has_csp);
    tcase_add_test(tc, path_join);
    suite_add_tcase(s, tc);
    tc = tcase_create("json");
    tcase_add_loop_test(tc, json_table, 0, (int)(sizeof JSON / sizeof JSON[0]));
    tcase_add_test(tc, json_deep_nesting_is_refused);
    tcase_add_loop_test(tc, unparsed_table, 0,
                        (int)(sizeof UNPARSED / sizeof UNPARSED[0]));
    tcase_add_test(tc, records_by_table);
    suite_add_tcase(s, tc);
    tc = tcase_create("view");
    tcase_add_test(tc, view_in_step);
    tcase_add_test(tc, view_survives_bad_tables);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(units_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
