/* The document driver (norm_doc.c): whole layout streams in, table streams
 * out, through memory streams. Expected records are written by hand. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_diag.h"
#include "norm_doc.h"
#include "norm_rules.h"

typedef struct {
    char *out;
    size_t outlen;
    char *err;
    size_t errlen;
    ft_err rc;
} result;

static result run(const char *input, int empty_ok)
{
    result r = {0};
    norm_rules *rules = NULL;
    char msg[256];
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
    FILE *in = fmemopen((void *)input, strlen(input) ? strlen(input) : 1, "r");
    ck_assert_ptr_nonnull(in);
    if (!*input)
        fgetc(in); /* fmemopen cannot open 0 bytes: consume the one */
    FILE *out = open_memstream(&r.out, &r.outlen);
    FILE *err = open_memstream(&r.err, &r.errlen);
    ck_assert(out && err);
    ft_diag d;
    ft_diag_init(&d, "formtab-normalize");
    d.out = err;
    norm_doc_options o = {empty_ok};
    r.rc = norm_doc_run(in, "standard input", out, rules, &o, &d);
    fclose(in);
    fclose(out);
    fclose(err);
    norm_rules_free(rules);
    return r;
}

static void done(result *r)
{
    free(r->out);
    free(r->err);
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

#define HDR "formtab-layout\t1\ndoc\tforms/a.pdf\tab12\tpdf\t2\n"

/* A ruled table over two pages with its header repeated: one table. */
static const char two_pages[] =
    HDR
    "page\t1\t595.28\t841.89\t0\ttext\n"
    "text\t60.00\t40.00\t200.00\t52.00\t10.00\t0\t\t年度预算安排\n"
    "rule\t50.00\t700.00\t450.00\t700.00\n"
    "rule\t50.00\t720.00\t450.00\t720.00\n"
    "rule\t50.00\t740.00\t450.00\t740.00\n"
    "rule\t50.00\t700.00\t50.00\t740.00\n"
    "rule\t250.00\t700.00\t250.00\t740.00\n"
    "rule\t450.00\t700.00\t450.00\t740.00\n"
    "text\t60.00\t704.00\t120.00\t716.00\t10.00\t1\t\t项目\n"
    "text\t260.00\t704.00\t320.00\t716.00\t10.00\t1\t\t资金需求\n"
    "text\t60.00\t724.00\t120.00\t736.00\t10.00\t0\t\t餐费（市外）\n"
    "text\t260.00\t724.00\t320.00\t736.00\t10.00\t0\t\t30 万元\n"
    "endpage\t1\tok\n"
    "page\t2\t595.28\t841.89\t0\ttext\n"
    "rule\t50.00\t50.00\t450.00\t50.00\n"
    "rule\t50.00\t70.00\t450.00\t70.00\n"
    "rule\t50.00\t90.00\t450.00\t90.00\n"
    "rule\t50.00\t50.00\t50.00\t90.00\n"
    "rule\t250.00\t50.00\t250.00\t90.00\n"
    "rule\t450.00\t50.00\t450.00\t90.00\n"
    "text\t60.00\t54.00\t120.00\t66.00\t10.00\t1\t\t项目\n"
    "text\t260.00\t54.00\t320.00\t66.00\t10.00\t1\t\t资金需求\n"
    "text\t60.00\t74.00\t120.00\t86.00\t10.00\t0\t\t租车费\n"
    "text\t260.00\t74.00\t320.00\t86.00\t10.00\t0\t\t5 万元\n"
    "text\t60.00\t120.00\t300.00\t132.00\t10.00\t0\t\t七、绩效目标\n"
    "endpage\t2\tok\n"
    "end\t2\t0\n";

START_TEST(doc_table_over_two_pages)
{
    result r = run(two_pages, 0);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_msg(strstr(r.out, "formtab-tables\t1\ndoc\tforms/a.pdf\tab12\tpdf\t2\n"
                                "note\t1\t60.00\t40.00\t200.00\t52.00\t年度预算安排\n"
                                "table\t1\t1\t2\tlattice\t3\t2\t50.00\t700.00\t450.00\t740.00\n")
                  == r.out, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "\t4\t餐费(市外)\n")); /* repaired by a rule */
    ck_assert_ptr_nonnull(strstr(r.out, "cell\t3\t1\t1\t1\t2\t"));
    ck_assert_ptr_nonnull(strstr(r.out, "\t租车费\n"));
    ck_assert_int_eq(count(r.out, "\t项目\n"), 1); /* header kept once */
    const char *tail = "endtable\t1\nnote\t2\t60.00\t120.00\t300.00\t132.00\t"
                       "七、绩效目标\nend\t1\t0\n";
    ck_assert_str_eq(r.out + r.outlen - strlen(tail), tail);
    done(&r);
}
END_TEST

/* Text drawn and clipped away (flag 16): LibreOffice draws a merged cell a
 * page break splits at the cell's centre, below the table on page 1 and
 * above it on page 2 (fixtures/pdf/lo-seed001). Neither becomes a note, the
 * one above page 2's table no longer stops the join, and a hidden run inside
 * a cell is not its text. */
static const char clipped[] =
    HDR
    "page\t1\t595.28\t841.89\t0\ttext\n"
    "rule\t50.00\t700.00\t450.00\t700.00\n"
    "rule\t50.00\t720.00\t450.00\t720.00\n"
    "rule\t50.00\t740.00\t250.00\t740.00\n"
    "rule\t50.00\t700.00\t50.00\t740.00\n"
    "rule\t250.00\t700.00\t250.00\t740.00\n"
    "rule\t450.00\t700.00\t450.00\t740.00\n"
    "text\t60.00\t704.00\t120.00\t716.00\t10.00\t0\t\t指标\n"
    "text\t260.00\t704.00\t320.00\t716.00\t10.00\t0\t\t分值\n"
    "text\t60.00\t724.00\t120.00\t736.00\t10.00\t0\t\t数量\n"
    "text\t260.00\t724.00\t320.00\t736.00\t10.00\t16\t\t白字\n"
    "text\t260.00\t760.00\t320.00\t772.00\t10.00\t16\t\t效益指标\n"
    "endpage\t1\tok\n"
    "page\t2\t595.28\t841.89\t0\ttext\n"
    "rule\t50.00\t50.00\t250.00\t50.00\n"
    "rule\t50.00\t70.00\t450.00\t70.00\n"
    "rule\t50.00\t50.00\t50.00\t70.00\n"
    "rule\t250.00\t50.00\t250.00\t70.00\n"
    "rule\t450.00\t50.00\t450.00\t70.00\n"
    "text\t260.00\t40.00\t320.00\t52.00\t10.00\t16\t\t效益指标\n"
    "text\t60.00\t54.00\t120.00\t66.00\t10.00\t0\t\t质量\n"
    "text\t260.00\t54.00\t320.00\t66.00\t10.00\t0\t\t效益指标\n"
    "endpage\t2\tok\n"
    "end\t2\t0\n";

START_TEST(doc_clipped_text_dropped)
{
    result r = run(clipped, 0);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_msg(strstr(r.out, "table\t1\t1\t2\tlattice\t3\t2\t") != NULL, "%s",
                  r.out);
    ck_assert_int_eq(count(r.out, "\ntable\t"), 1);
    ck_assert_int_eq(count(r.out, "note\t"), 0);
    ck_assert_int_eq(count(r.out, "白字"), 0);
    /* the cell open at the bottom of page 1 goes on over page 2's row */
    ck_assert_msg(strstr(r.out, "cell\t2\t2\t2\t1\t1\t250.00\t720.00\t450.00\t"
                                "740.00\t\t2\t效益指标\n") != NULL, "%s", r.out);
    done(&r);
}
END_TEST

/* A stream cut short: what was read is written, then `end`; FT_TRUNCATED
 * and one error line naming the input. */
START_TEST(doc_truncated)
{
    char cut[sizeof two_pages];
    strcpy(cut, two_pages);
    *strstr(cut, "page\t2\t") = '\0';
    result r = run(cut, 0);
    ck_assert_int_eq(r.rc, FT_TRUNCATED);
    ck_assert_ptr_nonnull(strstr(r.out, "table\t1\t1\t1\tlattice\t2\t2\t"));
    ck_assert_str_eq(r.out + r.outlen - strlen("endtable\t1\nend\t1\t0\n"),
                     "endtable\t1\nend\t1\t0\n");
    ck_assert_str_eq(r.err, "formtab-normalize: standard input: stream ended "
                            "after line 15 without 'end' record\n");
    done(&r);
}
END_TEST

/* A page that failed in extract becomes a warn record; the others go on,
 * and the held table is not joined across the failed page. */
START_TEST(doc_failed_page)
{
    static const char in[] =
        "formtab-layout\t1\ndoc\tx.pdf\tab\tpdf\t3\n"
        "page\t1\t595.28\t841.89\t0\ttext\n"
        "text\t60.00\t40.00\t200.00\t52.00\t10.00\t0\t\t标题\n"
        "endpage\t1\tok\n"
        "page\t2\t595.28\t841.89\t0\ttext\n"
        "warn\tfont without ToUnicode\n"
        "endpage\t2\tfailed: damaged content stream\n"
        "page\t3\t595.28\t841.89\t0\ttext\n"
        "endpage\t3\tok\n"
        "end\t3\t1\n";
    result r = run(in, 0);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_ptr_nonnull(strstr(r.out, "note\t1\t60.00\t40.00\t200.00\t52.00\t标题\n"
                                        "warn\t2\tfont without ToUnicode\n"
                                        "warn\t2\tpage failed: damaged content stream\n"
                                        "end\t0\t1\n"));
    done(&r);
}
END_TEST

/* A text dump over two pages (form feed): the second page's first row
 * begins with a TAB and continues the merged label; notes stay in order. */
START_TEST(doc_text_pages)
{
    static const char in[] =
        "formtab-layout\t1\ndoc\tseed.txt\tab\ttext\t0\n"
        "page\t1\t\t\t\tplain\n"
        "line\t1\t2020年绩效目标\n"
        "line\t2\t一级目标\\t二级目标\\t指标值\n"
        "line\t3\t投入与管理\\t投入管理\\t> 95%\n"
        "endpage\t1\tok\n"
        "page\t2\t\t\t\tplain\n"
        "line\t5\t\\t财务管理\\t=100%\n"
        "line\t6\t产出目标\\t数量\\t=100%\n"
        "line\t8\t说明\n"
        "endpage\t2\tok\n"
        "end\t2\t0\n";
    result r = run(in, 0);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_str_eq(r.out,
                     "formtab-tables\t1\ndoc\tseed.txt\tab\ttext\t0\n"
                     "note\t1\t\t\t\t\t2020年绩效目标\n"
                     "table\t1\t1\t2\ttext\t4\t3\t\t\t\t\n"
                     "cell\t1\t1\t1\t1\t1\t\t\t\t\t\t0\t一级目标\n"
                     "cell\t1\t2\t1\t1\t1\t\t\t\t\t\t0\t二级目标\n"
                     "cell\t1\t3\t1\t1\t1\t\t\t\t\t\t0\t指标值\n"
                     "cell\t2\t1\t2\t1\t1\t\t\t\t\t\t0\t投入与管理\n"
                     "cell\t2\t2\t1\t1\t1\t\t\t\t\t\t0\t投入管理\n"
                     "cell\t2\t3\t1\t1\t1\t\t\t\t\t\t0\t> 95%\n"
                     "cell\t3\t2\t1\t1\t2\t\t\t\t\t\t0\t财务管理\n"
                     "cell\t3\t3\t1\t1\t2\t\t\t\t\t\t0\t=100%\n"
                     "cell\t4\t1\t1\t1\t2\t\t\t\t\t\t0\t产出目标\n"
                     "cell\t4\t2\t1\t1\t2\t\t\t\t\t\t0\t数量\n"
                     "cell\t4\t3\t1\t1\t2\t\t\t\t\t\t0\t=100%\n"
                     "endtable\t1\n"
                     "note\t2\t\t\t\t\t说明\n"
                     "end\t1\t0\n");
    done(&r);
}
END_TEST

/* OCR cells go through the post-OCR repairs before the rules: periods read
 * for thousands commas are undone and the cell is flagged repaired; a cell
 * under the confidence threshold is flagged low-confidence. */
START_TEST(doc_ocr_repairs)
{
    static const char in[] =
        "formtab-layout\t1\ndoc\tscan.pdf\tab\tpdf\t1\n"
        "page\t1\t595.28\t841.89\t0\tocr\n"
        "rule\t50.00\t100.00\t450.00\t100.00\n"
        "rule\t50.00\t120.00\t450.00\t120.00\n"
        "rule\t50.00\t100.00\t50.00\t120.00\n"
        "rule\t250.00\t100.00\t250.00\t120.00\n"
        "rule\t450.00\t100.00\t450.00\t120.00\n"
        "text\t60.00\t104.00\t120.00\t116.00\t10.00\t4\t41\t项目资金\n"
        "text\t260.00\t104.00\t340.00\t116.00\t10.00\t4\t88\t37.780.000.00\n"
        "endpage\t1\tok\n"
        "end\t1\t0\n";
    result r = run(in, 0);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_msg(strstr(r.out, "cell\t1\t1\t1\t1\t1\t50.00\t100.00\t250.00\t120.00"
                                "\t41.00\t8\t项目资金\n") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "cell\t1\t2\t1\t1\t1\t250.00\t100.00\t450.00\t120.00"
                                "\t88.00\t4\t37,780,000.00\n") != NULL, "%s", r.out);
    done(&r);
}
END_TEST

/* Bad input: garbage, a bad line after the header, and empty input. */
START_TEST(doc_bad_input)
{
    result r = run("\x89PNG\r\n\x1a\n\x00garbage", 0);
    ck_assert_int_eq(r.rc, FT_VERSION);
    ck_assert_uint_eq(r.outlen, 0);
    ck_assert_ptr_nonnull(strstr(r.err, "not a formtab-layout stream"));
    done(&r);

    r = run(HDR "page\t1\t1\t1\t0\ttext\nbogus\t1\n", 0);
    ck_assert_int_eq(r.rc, FT_FORMAT);
    ck_assert_str_eq(r.err, "formtab-normalize: standard input: line 4: "
                            "unknown record type 'bogus'\n");
    ck_assert_str_eq(r.out + r.outlen - 8, "end\t0\t0\n");
    done(&r);

    r = run("", 0);
    ck_assert_int_eq(r.rc, FT_EMPTY);
    done(&r);
    r = run("", 1);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_uint_eq(r.outlen, 0);
    ck_assert_uint_eq(r.errlen, 0);
    done(&r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("norm_doc");
    TCase *tc = tcase_create("doc");
    tcase_add_test(tc, doc_table_over_two_pages);
    tcase_add_test(tc, doc_clipped_text_dropped);
    tcase_add_test(tc, doc_truncated);
    tcase_add_test(tc, doc_failed_page);
    tcase_add_test(tc, doc_text_pages);
    tcase_add_test(tc, doc_ocr_repairs);
    tcase_add_test(tc, doc_bad_input);
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
