/* Unit tests of emit_write: CSV fields (RFC 4180: quote only where needed,
 * quotes doubled, CR/LF and control bytes kept inside quotes, CJK as is,
 * leading/trailing spaces protected), JSON strings (escapes, raw UTF-8), and
 * the record writer's framing of CSV, JSON arrays and JSON Lines. Expected
 * bytes are written by hand. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_write.h"

/* Run fn on a memory stream and return what it wrote (static buffer). */
static char outbuf[4096];
static size_t outlen;

static FILE *mem_open(void)
{
    memset(outbuf, 0, sizeof outbuf);
    FILE *f = fmemopen(outbuf, sizeof outbuf - 1, "w");
    ck_assert_ptr_nonnull(f);
    return f;
}

static void mem_close(FILE *f)
{
    fflush(f);
    outlen = (size_t)ftell(f);
    fclose(f);
    outbuf[outlen] = '\0';
}

static const struct {
    const char *in;
    size_t len;        /* 0: strlen */
    const char *csv;   /* expected CSV field */
    const char *json;  /* expected JSON string */
} field_cases[] = {
    {"plain", 0, "plain", "\"plain\""},
    {"", 0, "", "\"\""},
    {"a,b", 0, "\"a,b\"", "\"a,b\""},
    {"say \"hi\"", 0, "\"say \"\"hi\"\"\"", "\"say \\\"hi\\\"\""},
    {"\"", 0, "\"\"\"\"", "\"\\\"\""},
    {"line1\nline2", 0, "\"line1\nline2\"", "\"line1\\u000aline2\""},
    {"cr\rhere", 0, "\"cr\rhere\"", "\"cr\\u000dhere\""},
    {"crlf\r\n", 0, "\"crlf\r\n\"", "\"crlf\\u000d\\u000a\""},
    {" lead", 0, "\" lead\"", "\" lead\""},
    {"trail ", 0, "\"trail \"", "\"trail \""},
    {"in side", 0, "in side", "\"in side\""},
    {"tab\tinside", 0, "tab\tinside", "\"tab\\u0009inside\""},
    {"\tlead tab", 0, "\"\tlead tab\"", "\"\\u0009lead tab\""},
    {"ctl\x01x", 0, "\"ctl\x01x\"", "\"ctl\\u0001x\""},
    {"del\x7f", 0, "\"del\x7f\"", "\"del\x7f\""},
    {"esc\x1b[0m", 0, "\"esc\x1b[0m\"", "\"esc\\u001b[0m\""},
    {"back\\slash", 0, "back\\slash", "\"back\\\\slash\""},
    {"项目名称：合作交流", 0, "项目名称：合作交流", "\"项目名称：合作交流\""},
    {"合作交流，经费", 0, "合作交流，经费", "\"合作交流，经费\""}, /* full-width comma: no quoting */
    {"≥90.00(%)", 0, "≥90.00(%)", "\"≥90.00(%)\""},
    {"　全角空格", 0, "　全角空格", "\"　全角空格\""}, /* U+3000 is not ASCII space */
    {"233, 875. 26", 0, "\"233, 875. 26\"", "\"233, 875. 26\""},
    {"😀", 0, "😀", "\"😀\""},
    {"=1+1", 0, "=1+1", "\"=1+1\""}, /* data is never rewritten */
    {"a\0b", 3, "\"a\0b\"", "\"a\\u0000b\""}, /* NUL cannot come from the
                                                   stream; still well-formed */
};

START_TEST(csv_field_table)
{
    size_t len = field_cases[_i].len ? field_cases[_i].len
                                     : strlen(field_cases[_i].in);
    FILE *f = mem_open();
    emit_csv_field(f, field_cases[_i].in, len);
    mem_close(f);
    size_t want = strlen(field_cases[_i].csv);
    if (field_cases[_i].len == 3)
        want = 5; /* "a\0b" quoted */
    ck_assert_uint_eq(outlen, want);
    ck_assert_msg(!memcmp(outbuf, field_cases[_i].csv, want),
                  "case %d: got [%s]", _i, outbuf);
}
END_TEST

START_TEST(json_string_table)
{
    size_t len = field_cases[_i].len ? field_cases[_i].len
                                     : strlen(field_cases[_i].in);
    FILE *f = mem_open();
    emit_json_string(f, field_cases[_i].in, len);
    mem_close(f);
    ck_assert_str_eq(outbuf, field_cases[_i].json);
}
END_TEST

/* A record of every value kind, through each format. */
static void one_record(emit_writer *w)
{
    emit_rec_begin(w);
    emit_rec_cstr(w, "s", "a,b");
    emit_rec_cstr(w, "n", NULL);
    emit_rec_num(w, "v", "37780000.00");
    emit_rec_num(w, "z", NULL);
    emit_rec_uint(w, "u", 7);
    emit_rec_bool(w, "b", 1);
    emit_rec_end(w);
}

static const char *const names[] = {"s", "n", "v", "z", "u", "b"};

static const struct {
    emit_format fmt;
    int crlf, bom, header;
    int nrec;
    const char *want;
} frame_cases[] = {
    {EMIT_CSV, 0, 0, 1, 2,
     "s,n,v,z,u,b\n\"a,b\",,37780000.00,,7,true\n\"a,b\",,37780000.00,,7,true\n"},
    {EMIT_CSV, 1, 0, 1, 1, "s,n,v,z,u,b\r\n\"a,b\",,37780000.00,,7,true\r\n"},
    {EMIT_CSV, 0, 1, 0, 1, "\xEF\xBB\xBF\"a,b\",,37780000.00,,7,true\n"},
    {EMIT_CSV, 0, 1, 0, 0, "\xEF\xBB\xBF"},
    {EMIT_CSV, 0, 0, 0, 0, ""},
    {EMIT_JSON, 1, 1, 1, 0, "[]\n"}, /* crlf, bom, header: CSV only */
    {EMIT_JSON, 0, 0, 0, 1,
     "[\n{\"s\":\"a,b\",\"n\":null,\"v\":37780000.00,\"z\":null,\"u\":7,"
     "\"b\":true}\n]\n"},
    {EMIT_JSON, 0, 0, 0, 2,
     "[\n{\"s\":\"a,b\",\"n\":null,\"v\":37780000.00,\"z\":null,\"u\":7,"
     "\"b\":true},\n{\"s\":\"a,b\",\"n\":null,\"v\":37780000.00,\"z\":null,"
     "\"u\":7,\"b\":true}\n]\n"},
    {EMIT_JSONL, 0, 0, 1, 2,
     "{\"s\":\"a,b\",\"n\":null,\"v\":37780000.00,\"z\":null,\"u\":7,"
     "\"b\":true}\n{\"s\":\"a,b\",\"n\":null,\"v\":37780000.00,\"z\":null,"
     "\"u\":7,\"b\":true}\n"},
    {EMIT_JSONL, 0, 0, 0, 0, ""},
};

START_TEST(framing_table)
{
    emit_writer w;
    FILE *f = mem_open();
    emit_writer_init(&w, f, frame_cases[_i].fmt, frame_cases[_i].crlf,
                     frame_cases[_i].bom);
    emit_writer_begin(&w);
    if (frame_cases[_i].header)
        emit_writer_header(&w, names, 6);
    for (int i = 0; i < frame_cases[_i].nrec; i++)
        one_record(&w);
    emit_writer_finish(&w);
    mem_close(f);
    ck_assert_str_eq(outbuf, frame_cases[_i].want);
    ck_assert_uint_eq(w.nrecords, (unsigned long)frame_cases[_i].nrec);
}
END_TEST

START_TEST(needs_quotes_rules)
{
    ck_assert(!emit_csv_needs_quotes("", 0));
    ck_assert(!emit_csv_needs_quotes("abc", 3));
    ck_assert(emit_csv_needs_quotes("a\"", 2));
    ck_assert(emit_csv_needs_quotes(" a", 2));
    ck_assert(emit_csv_needs_quotes("a ", 2));
    ck_assert(!emit_csv_needs_quotes("a b", 3));
    ck_assert(emit_csv_needs_quotes("\n", 1));
    /* begin() is idempotent: one BOM, one '[' */
    emit_writer w;
    FILE *f = mem_open();
    emit_writer_init(&w, f, EMIT_JSON, 0, 0);
    emit_writer_begin(&w);
    emit_writer_begin(&w);
    emit_writer_finish(&w);
    mem_close(f);
    ck_assert_str_eq(outbuf, "[]\n");
}
END_TEST

static Suite *write_suite(void)
{
    Suite *s = suite_create("emit_write");
    TCase *tc = tcase_create("encode");
    tcase_add_loop_test(tc, csv_field_table, 0,
                        sizeof field_cases / sizeof field_cases[0]);
    tcase_add_loop_test(tc, json_string_table, 0,
                        sizeof field_cases / sizeof field_cases[0]);
    tcase_add_loop_test(tc, framing_table, 0,
                        sizeof frame_cases / sizeof frame_cases[0]);
    tcase_add_test(tc, needs_quotes_rules);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(write_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
