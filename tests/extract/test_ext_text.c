/* The text-dump path of formtab-extract (ext_text.h): line splitting, every
 * supported encoding with and without BOM, characters cut by the chunk edge,
 * the byte offset of undecodable input, binary data, long lines, form-feed
 * pages and the per-page line cap. Expected streams are written by hand. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext_testlib.h"
#include "ext_text.h"
#include "ft_limits.h"

/* ---- splitter ----------------------------------------------------------- */

typedef struct {
    char log[512];
} events;

static ft_err on_line(void *ctx, unsigned long n, const char *t, size_t len)
{
    events *e = ctx;
    size_t k = strlen(e->log);
    snprintf(e->log + k, sizeof e->log - k, "L%lu:%.*s|", n, (int)len, t);
    return FT_OK;
}

static ft_err on_ff(void *ctx)
{
    events *e = ctx;
    strcat(e->log, "F|");
    return FT_OK;
}

static const struct {
    const char *in;
    size_t len;
    const char *want;
} split_cases[] = {
    {"a\nb\n", 4, "L1:a|L2:b|"},
    {"a\r\nb\r\n", 6, "L1:a|L2:b|"},
    {"a\rb\r", 4, "L1:a|L2:b|"},
    {"a\r\r\nb", 5, "L1:a|L2:|L3:b|"},            /* CR, then CR LF */
    {"a\n\nb", 4, "L1:a|L2:|L3:b|"},              /* last line without LF */
    {"a\t\tb \n", 6, "L1:a\t\tb |"},              /* tabs, trailing space kept */
    {"a\n\fb\n", 5, "L1:a|F|L2:b|"},              /* pdftotext page break */
    {"ab\fcd\n", 6, "L1:ab|F|L1:cd|"},            /* FF inside a line */
    {"\f\f", 2, "F|F|"},
};

START_TEST(splitter_table)
{
    events e = {""};
    ext_splitter s;
    ext_splitter_init(&s, on_line, on_ff, &e);
    /* Feed one byte at a time: every chunk edge is exercised. */
    for (size_t i = 0; i < split_cases[_i].len; i++)
        ck_assert_int_eq(ext_splitter_feed(&s, split_cases[_i].in + i, 1), FT_OK);
    ck_assert_int_eq(ext_splitter_finish(&s), FT_OK);
    ck_assert_str_eq(e.log, split_cases[_i].want);
    ext_splitter_cleanup(&s);
}
END_TEST

START_TEST(splitter_nul_is_binary)
{
    events e = {""};
    ext_splitter s;
    ext_splitter_init(&s, on_line, on_ff, &e);
    ck_assert_int_eq(ext_splitter_feed(&s, "ab\ncd", 5), FT_OK);
    ck_assert_int_eq(ext_splitter_feed(&s, "e\0f", 3), FT_ENCODING);
    ck_assert_uint_eq(s.bad_offset, 6);
    ck_assert_uint_eq(s.lineno, 2);
    ext_splitter_cleanup(&s);
}
END_TEST

START_TEST(blank_lines)
{
    ck_assert(ext_line_is_blank("", 0));
    ck_assert(ext_line_is_blank("   ", 3));
    ck_assert(!ext_line_is_blank("\t\t", 2)); /* a row of empty cells */
    ck_assert(!ext_line_is_blank(" x ", 3));
}
END_TEST

/* ---- whole text path ---------------------------------------------------- */

/* Run ext_text_extract on bytes; returns the stream (heap) and the error. */
static char *extract_bytes(const char *name, const void *bytes, size_t len,
                           const char *enc, const ext_pages *pages, ft_err *rc,
                           char *msg, size_t msg_len)
{
    char *path = t_write(name, bytes, len);
    FILE *in = fopen(path, "rb");
    char *out = NULL;
    size_t out_len = 0;
    FILE *o = open_memstream(&out, &out_len);
    ft_diag d;
    ext_pages all = {NULL, 0};
    ft_diag_init(&d, "test");
    d.quiet = 1;
    *rc = ext_text_extract(in, name, enc, pages ? pages : &all, o, &d, msg,
                           msg_len);
    fclose(o);
    fclose(in);
    free(path);
    return out;
}

/* The body of the stream after the doc record (whose hash varies). */
static const char *body(const char *stream)
{
    const char *p = strstr(stream, "\ndoc\t");
    ck_assert_ptr_nonnull(p);
    p = strchr(p + 1, '\n');
    return p ? p + 1 : "";
}

/* One form as dumped by another tool: CRLF ends, a blank line, a form feed
 * (page 2), cells separated by tabs, a row continuing merged cells. */
static const char *form_utf8 =
    "财政项目支出绩效目标表\t\t\t\r\n"
    "\r\n"
    "项目名称：\t合作交流工作业务费\t项目类别：\t经常性专项业务费\r\n"
    "\f\t部门协助\t协作良好\r\n"
    "金额（万元）\t37,780,000.00\r\n";

static const char *form_want =
    "page\t1\t\t\t\tplain\n"
    "line\t1\t财政项目支出绩效目标表\\t\\t\\t\n"
    "line\t3\t项目名称：\\t合作交流工作业务费\\t项目类别：\\t经常性专项业务费\n"
    "endpage\t1\tok\n"
    "page\t2\t\t\t\tplain\n"
    "line\t4\t\\t部门协助\\t协作良好\n"
    "line\t5\t金额（万元）\\t37,780,000.00\n"
    "endpage\t2\tok\n"
    "end\t2\t0\n";

static const struct {
    const char *label;
    const char *encoding;   /* iconv target for the test bytes */
    const char *bom;        /* prepended bytes */
    size_t bom_len;
    const char *force;      /* --encoding, NULL: detect */
} enc_cases[] = {
    {"utf8", "UTF-8", "", 0, NULL},
    {"utf8-bom", "UTF-8", "\xEF\xBB\xBF", 3, NULL},
    {"gb18030", "GB18030", "", 0, NULL},
    {"gbk-forced", "GBK", "", 0, "GBK"},
    {"utf16le-bom", "UTF-16LE", "\xFF\xFE", 2, NULL},
    {"utf16be-bom", "UTF-16BE", "\xFE\xFF", 2, NULL},
    {"utf16le-nobom-forced", "UTF-16LE", "", 0, "UTF-16LE"},
    {"utf8-bom-forced", "UTF-8", "\xEF\xBB\xBF", 3, "UTF-8"},
};

START_TEST(encodings_table)
{
    size_t len;
    char *enc = t_iconv(form_utf8, enc_cases[_i].encoding, &len);
    size_t blen = enc_cases[_i].bom_len;
    char *bytes = malloc(len + blen);
    memcpy(bytes, enc_cases[_i].bom, blen);
    memcpy(bytes + blen, enc, len);
    ft_err rc;
    char msg[256];
    char *out = extract_bytes(enc_cases[_i].label, bytes, len + blen,
                              enc_cases[_i].force, NULL, &rc, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "%s: %s", enc_cases[_i].label, msg);
    ck_assert_str_eq(body(out), form_want);
    ck_assert(!strncmp(out, "formtab-layout\t1\ndoc\t", 21));
    ck_assert(strstr(out, "\ttext\t0\n"));
    free(out);
    free(bytes);
    free(enc);
}
END_TEST

/* UTF-16 without a BOM is told by its NUL bytes when there is enough ASCII
 * (tabs, digits) in the text. */
START_TEST(utf16_detected_without_bom)
{
    const char *txt = "No.\tName\tAmount\n1\t项目\t100.00\n2\t经费\t233,875.26\n";
    size_t len;
    char *enc = t_iconv(txt, "UTF-16LE", &len);
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("u16", enc, len, NULL, NULL, &rc, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "%s", msg);
    ck_assert_str_eq(body(out), "page\t1\t\t\t\tplain\n"
                                "line\t1\tNo.\\tName\\tAmount\n"
                                "line\t2\t1\\t项目\\t100.00\n"
                                "line\t3\t2\\t经费\\t233,875.26\n"
                                "endpage\t1\tok\n"
                                "end\t1\t0\n");
    free(out);
    free(enc);
}
END_TEST

/* A character cut by the 64 KiB read chunk comes out whole, in every
 * multibyte encoding: the first byte of the tail's first character sits at
 * offset EXT_TEXT_CHUNK - 1 (UTF-16: a surrogate pair across the edge). */
static const struct {
    const char *enc;
    int bom;            /* UTF-16LE BOM first */
    size_t nascii;      /* 'a's before the tail */
    const char *tail;
} chunk_cases[] = {
    {"UTF-8", 0, EXT_TEXT_CHUNK - 1, "项目"},
    {"GB18030", 0, EXT_TEXT_CHUNK - 1, "项目"},
    {"UTF-16LE", 1, (EXT_TEXT_CHUNK - 4) / 2, "\xf0\xa0\x80\x80项"}, /* U+20000 */
};

START_TEST(chunk_edge_inside_character)
{
    char tail[32];
    strcpy(tail, chunk_cases[_i].tail);
    size_t nascii = chunk_cases[_i].nascii;
    char *txt = malloc(nascii + 64);
    memset(txt, 'a', nascii);
    snprintf(txt + nascii, 64, "%s\n", tail);
    size_t len;
    char *enc = t_iconv(txt, chunk_cases[_i].enc, &len);
    char *bytes = malloc(len + 2);
    size_t off = 0;
    if (chunk_cases[_i].bom) {
        memcpy(bytes, "\xFF\xFE", 2);
        off = 2;
    }
    memcpy(bytes + off, enc, len);
    /* the tail really straddles the chunk edge */
    ck_assert_uint_eq(off + nascii * (chunk_cases[_i].bom ? 2 : 1),
                      chunk_cases[_i].bom ? EXT_TEXT_CHUNK - 2 : EXT_TEXT_CHUNK - 1);
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("chunk", bytes, len + off,
                              chunk_cases[_i].bom ? NULL : chunk_cases[_i].enc,
                              NULL, &rc, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "%s: %s", chunk_cases[_i].enc, msg);
    char want[64];
    snprintf(want, sizeof want, "a%s\n", tail);
    ck_assert_msg(strstr(out, want) != NULL, "%s: character split",
                  chunk_cases[_i].enc);
    free(out);
    free(bytes);
    free(enc);
    free(txt);
}
END_TEST

/* Undecodable bytes: the error names the byte offset in the input and what
 * encoding was in use, and nothing is written. */
static const struct {
    const char *bytes;
    size_t len;
    const char *force;
    const char *want; /* substring of the message */
} bad_cases[] = {
    /* valid UTF-8 CJK, then a lone continuation byte at offset 7 */
    {"\xe9\xa1\xb9\xe7\x9b\xae\n\x80x\n", 10, NULL, "at byte offset 7 (detected GB18030"},
    /* 0xFF is never valid in GB18030: offset 4 */
    {"\xcf\xee\xc4\xbf\xff\n", 6, "GB18030", "at byte offset 4 (encoding GB18030"},
    /* forced UTF-8: an invalid byte at 3 */
    {"abc\xfe\n", 5, "UTF-8", "at byte offset 3 (encoding UTF-8"},
};

START_TEST(undecodable_offset)
{
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("bad", bad_cases[_i].bytes, bad_cases[_i].len,
                              bad_cases[_i].force, NULL, &rc, msg, sizeof msg);
    ck_assert_int_eq(rc, FT_ENCODING);
    ck_assert_msg(strstr(msg, bad_cases[_i].want) != NULL, "message: %s", msg);
    ck_assert_uint_eq(strlen(out), 0);
    free(out);
}
END_TEST

/* An ASCII start longer than the detection chunk, then GBK: the file is
 * GB18030 (ASCII means the same there), not an error. */
START_TEST(ascii_start_then_gbk)
{
    size_t n = EXT_TEXT_CHUNK + 100;
    char *bytes = malloc(n + 16);
    for (size_t i = 0; i < n; i++)
        bytes[i] = (i % 80 == 79) ? '\n' : 'x';
    memcpy(bytes + n, "\xcf\xee\xc4\xbf\n", 5); /* 项目 in GBK */
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("late-gbk", bytes, n + 5, NULL, NULL, &rc, msg,
                              sizeof msg);
    ck_assert_msg(rc == FT_OK, "%s", msg);
    ck_assert(strstr(out, "xx项目\n") != NULL); /* the last line ends in it */
    free(out);
    free(bytes);
}
END_TEST

START_TEST(nul_byte_is_binary)
{
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("nul", "abc\ndef\0ghi\n", 12, NULL, NULL, &rc, msg,
                              sizeof msg);
    ck_assert_int_eq(rc, FT_ENCODING);
    ck_assert_msg(strstr(msg, "binary data") && strstr(msg, "offset 7"), "%s", msg);
    ck_assert_uint_eq(strlen(out), 0);
    free(out);
}
END_TEST

START_TEST(line_too_long)
{
    size_t n = FT_MAX_INPUT_LINE_LEN + 10;
    char *bytes = malloc(n + 8);
    memcpy(bytes, "ok\n", 3);
    memset(bytes + 3, 'y', n);
    bytes[n + 3] = '\n';
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("long", bytes, n + 4, NULL, NULL, &rc, msg, sizeof msg);
    ck_assert_int_eq(rc, FT_LIMIT);
    ck_assert_msg(strstr(msg, "line 2 is longer than") != NULL, "%s", msg);
    ck_assert_uint_eq(strlen(out), 0);
    free(out);
    free(bytes);
}
END_TEST

/* Without form feeds a text input is cut into pages of
 * FT_MAX_TEXT_LINES_PER_PAGE lines (blank lines do not count). */
START_TEST(lines_per_page_cap)
{
    size_t nl = FT_MAX_TEXT_LINES_PER_PAGE + 3;
    char *bytes = malloc(nl * 3 + 8);
    size_t k = 0;
    memcpy(bytes, "\n\n", 2); /* two blank lines first */
    k = 2;
    for (size_t i = 0; i < nl; i++) {
        bytes[k++] = 'r';
        bytes[k++] = '\n';
    }
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("many", bytes, k, NULL, NULL, &rc, msg, sizeof msg);
    ck_assert_int_eq(rc, FT_OK);
    ck_assert_int_eq(t_count_records(out, "line"), (int)nl);
    ck_assert_int_eq(t_count_records(out, "page"), 2);
    char want[64];
    snprintf(want, sizeof want, "endpage\t1\tok\npage\t2\t\t\t\tplain\nline\t%lu\tr\n",
             (unsigned long)FT_MAX_TEXT_LINES_PER_PAGE + 3);
    ck_assert_msg(strstr(out, want) != NULL, "page 2 starts at the wrong line");
    ck_assert(strstr(out, "end\t2\t0\n") != NULL);
    free(out);
    free(bytes);
}
END_TEST

START_TEST(pages_select_formfeed_pages)
{
    ext_pages sel = {NULL, 0};
    char msg[256];
    ck_assert_int_eq(ext_pages_parse("2", &sel, msg, sizeof msg), FT_OK);
    ft_err rc;
    char *out = extract_bytes("sel", "one\n\ftwo\n\fthree\n", 16, NULL, &sel,
                              &rc, msg, sizeof msg);
    ck_assert_int_eq(rc, FT_OK);
    ck_assert_str_eq(body(out), "page\t2\t\t\t\tplain\n"
                                "line\t2\ttwo\n"
                                "endpage\t2\tok\n"
                                "end\t1\t0\n");
    free(out);
    ext_pages_cleanup(&sel);
}
END_TEST

START_TEST(only_blank_lines_is_one_empty_page)
{
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("blank", "\n   \n\n", 6, NULL, NULL, &rc, msg,
                              sizeof msg);
    ck_assert_int_eq(rc, FT_OK);
    ck_assert_str_eq(body(out), "page\t1\t\t\t\tplain\nendpage\t1\tok\nend\t1\t0\n");
    free(out);
}
END_TEST

START_TEST(unknown_encoding)
{
    ft_err rc;
    char msg[256];
    char *out = extract_bytes("x", "abc\n", 4, "NO-SUCH-ENCODING", NULL, &rc, msg,
                              sizeof msg);
    ck_assert_int_eq(rc, FT_USAGE);
    ck_assert(strstr(msg, "NO-SUCH-ENCODING") != NULL);
    free(out);
}
END_TEST

/* The seeds decode and every non-blank input line becomes one record. */
static const char *seeds[] = {"000_cfc7140e92b3da42.txt", "001_d28a2acac9b7f701.txt",
                              "002_21e5d7dc76788087.txt", "003_346efb0424c24a72.txt",
                              "004_18894674cb674830.txt"};

START_TEST(seed_line_counts)
{
    char path[512];
    snprintf(path, sizeof path, "/work/shared/seeds/%s", seeds[_i]);
    size_t len;
    char *bytes = t_read(path, &len);
    if (!bytes)
        return; /* seeds not on this machine */
    int nonblank = 0;
    for (char *p = bytes, *e; *p; p = e + 1) {
        e = strchr(p, '\n');
        if (!e)
            e = p + strlen(p) - 1;
        if (e > p)
            nonblank++;
    }
    ft_err rc;
    char msg[256];
    char *out = extract_bytes(seeds[_i], bytes, len, NULL, NULL, &rc, msg, sizeof msg);
    ck_assert_int_eq(rc, FT_OK);
    ck_assert_int_eq(t_count_records(out, "line"), nonblank);
    free(out);
    free(bytes);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ext_text");
    TCase *tc = tcase_create("split");
    tcase_add_loop_test(tc, splitter_table, 0,
                        sizeof split_cases / sizeof split_cases[0]);
    tcase_add_test(tc, splitter_nul_is_binary);
    tcase_add_test(tc, blank_lines);
    suite_add_tcase(s, tc);
    tc = tcase_create("extract");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, encodings_table, 0,
                        sizeof enc_cases / sizeof enc_cases[0]);
    tcase_add_test(tc, utf16_detected_without_bom);
    tcase_add_loop_test(tc, chunk_edge_inside_character, 0,
                        sizeof chunk_cases / sizeof chunk_cases[0]);
    tcase_add_loop_test(tc, undecodable_offset, 0,
                        sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, ascii_start_then_gbk);
    tcase_add_test(tc, nul_byte_is_binary);
    tcase_add_test(tc, line_too_long);
    tcase_add_test(tc, lines_per_page_cap);
    tcase_add_test(tc, pages_select_formfeed_pages);
    tcase_add_test(tc, only_blank_lines_is_one_empty_page);
    tcase_add_test(tc, unknown_encoding);
    tcase_add_loop_test(tc, seed_line_counts, 0, sizeof seeds / sizeof seeds[0]);
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
