/* Unit tests of the shared library: UTF-8, the encoding edge, SHA-256,
 * bounded buffers, and the reader/writer of both stream formats including
 * every kind of bad stream input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_decode.h"
#include "ft_layout.h"
#include "ft_sha256.h"
#include "ft_stream.h"
#include "ft_table.h"
#include "ft_utf8.h"

/* ---- UTF-8 ---- */

static const struct {
    const char *bytes;
    size_t len;
    int valid;
    size_t bad_off;
} utf8_cases[] = {
    {"abc", 3, 1, 0},
    {"\xe9\xa1\xb9\xe7\x9b\xae", 6, 1, 0},          /* 项目 */
    {"\xf0\x9f\x98\x80", 4, 1, 0},                  /* U+1F600 */
    {"a\xc0\xaf", 3, 0, 1},                         /* overlong '/' */
    {"ab\xed\xa0\x80", 5, 0, 2},                    /* surrogate */
    {"\xf4\x90\x80\x80", 4, 0, 0},                  /* > U+10FFFF */
    {"\xe9\xa1", 2, 0, 0},                          /* truncated */
    {"x\x80", 2, 0, 1},                             /* lone continuation */
    {"\xff", 1, 0, 0},
};

START_TEST(utf8_valid_table)
{
    size_t off = 99;
    int v = ft_utf8_valid(utf8_cases[_i].bytes, utf8_cases[_i].len, &off);
    ck_assert_int_eq(v, utf8_cases[_i].valid);
    if (!v)
        ck_assert_uint_eq(off, utf8_cases[_i].bad_off);
}
END_TEST

START_TEST(utf8_boundary_never_splits)
{
    const char *s = "a\xe9\xa1\xb9\xe7\x9b\xae"; /* a项目 */
    ck_assert_uint_eq(ft_utf8_boundary(s, 7), 7);
    ck_assert_uint_eq(ft_utf8_boundary(s, 6), 4); /* cut inside 目 */
    ck_assert_uint_eq(ft_utf8_boundary(s, 5), 4);
    ck_assert_uint_eq(ft_utf8_boundary(s, 3), 1); /* cut inside 项 */
    ck_assert_uint_eq(ft_utf8_boundary(s, 1), 1);
}
END_TEST

START_TEST(utf8_roundtrip_and_fullwidth)
{
    char out[4];
    uint32_t cp;
    size_t n = ft_utf8_encode(0xFF1A, out); /* ： */
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(ft_utf8_decode(out, n, &cp), 3);
    ck_assert_uint_eq(cp, 0xFF1A);
    ck_assert_uint_eq(ft_fullwidth_to_ascii(0xFF1A), ':');
    ck_assert_uint_eq(ft_fullwidth_to_ascii(0xFF10), '0');
    ck_assert_uint_eq(ft_fullwidth_to_ascii(0x3000), ' ');
    ck_assert_uint_eq(ft_fullwidth_to_ascii(0x3001), 0); /* 、 stays */
    ck_assert_uint_eq(ft_fullwidth_to_ascii(0x300A), 0); /* 《 stays */
    ck_assert_uint_eq(ft_utf8_encode(0xD800, out), 0);
    ck_assert(ft_is_cjk(0x9879));
    ck_assert(!ft_is_cjk('a'));
}
END_TEST

START_TEST(utf8_fold_space)
{
    ft_buf b;
    ft_buf_init(&b, 100);
    /* ideographic space, tabs, NBSP and newlines fold to one space */
    const char *s = "  \xe9\xa1\xb9\xe3\x80\x80\t\xc2\xa0\xe7\x9b\xae \n a  ";
    ck_assert_int_eq(ft_utf8_fold_space(&b, s, strlen(s)), FT_OK);
    ck_assert_str_eq(ft_buf_str(&b), "\xe9\xa1\xb9 \xe7\x9b\xae a");
    ft_buf_cleanup(&b);
}
END_TEST

/* ---- the encoding edge ---- */

static const struct {
    const char *name;
    const char *bytes;
    size_t len;
    const char *forced;      /* --encoding, or NULL to detect */
    const char *detected;
} decode_cases[] = {
    /* 项目名称：≥90% in each encoding */
    {"utf8", "\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0\xef\xbc\x9a\xe2\x89\xa5" "90%", 21, NULL, "UTF-8"},
    {"utf8 bom", "\xef\xbb\xbf\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0\xef\xbc\x9a\xe2\x89\xa5" "90%", 24, NULL, "UTF-8"},
    {"gb18030", "\xcf\xee\xc4\xbf\xc3\xfb\xb3\xc6\xa3\xba\xa1\xdd" "90%", 15, NULL, "GB18030"},
    {"gbk forced", "\xcf\xee\xc4\xbf\xc3\xfb\xb3\xc6\xa3\xba\xa1\xdd" "90%", 15, "GBK", "GBK"},
    {"utf16le bom", "\xff\xfe\x79\x98\xee\x76\x0d\x54\xf0\x79\x1a\xff\x65\x22\x39\x00\x30\x00\x25\x00", 20, NULL, "UTF-16LE"},
    {"utf16be bom", "\xfe\xff\x98\x79\x76\xee\x54\x0d\x79\xf0\xff\x1a\x22\x65\x00\x39\x00\x30\x00\x25", 20, NULL, "UTF-16BE"},
    {"utf16le nobom", "\x79\x98\xee\x76\x0d\x54\xf0\x79\x1a\xff\x65\x22\x39\x00\x30\x00\x25\x00", 18, NULL, "UTF-16LE"},
    {"utf16be nobom", "\x98\x79\x76\xee\x54\x0d\x79\xf0\xff\x1a\x22\x65\x00\x39\x00\x30\x00\x25", 18, NULL, "UTF-16BE"},
};
static const char decode_expect[] =
    "\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0\xef\xbc\x9a\xe2\x89\xa5" "90%";

/* Decode in chunks of `step` bytes (every cut point is exercised with 1). */
static ft_err decode_chunked(const char *forced, const char *in, size_t len,
                             size_t step, ft_buf *out,
                             unsigned long long *bad, char *enc, size_t enc_len)
{
    ft_decoder *d = NULL;
    ft_err rc = ft_decoder_new(forced, &d);
    if (rc)
        return rc;
    for (size_t i = 0; i < len && !rc; i += step) {
        size_t n = len - i < step ? len - i : step;
        rc = ft_decoder_feed(d, in + i, n, 0, out, bad);
    }
    if (!rc)
        rc = ft_decoder_feed(d, "", 0, 1, out, bad);
    if (enc && ft_decoder_encoding(d))
        snprintf(enc, enc_len, "%s", ft_decoder_encoding(d));
    ft_decoder_free(d);
    return rc;
}

START_TEST(decode_table)
{
    for (size_t step = 1; step <= 64; step = step * 2 + 1) {
        ft_buf out;
        char enc[64] = "";
        unsigned long long bad = 0;
        ft_buf_init(&out, 1 << 20);
        /* detection looks at the first chunk: detect on the whole input */
        size_t first = decode_cases[_i].forced ? step : decode_cases[_i].len;
        (void)first;
        ft_err rc = decode_chunked(decode_cases[_i].forced,
                                   decode_cases[_i].bytes, decode_cases[_i].len,
                                   decode_cases[_i].forced ? step
                                                           : decode_cases[_i].len,
                                   &out, &bad, enc, sizeof enc);
        ck_assert_msg(rc == FT_OK, "%s: %s", decode_cases[_i].name,
                      ft_strerror(rc));
        ck_assert_str_eq(ft_buf_str(&out), decode_expect);
        ck_assert_str_eq(enc, decode_cases[_i].detected);
        ft_buf_cleanup(&out);
    }
}
END_TEST

START_TEST(decode_chunk_edges_utf8_and_gb)
{
    /* Once detected, feeding one byte at a time must give the same text:
     * characters cut between chunks are carried over, never split. */
    const char *forced[] = {"UTF-8", "GB18030", "UTF-16LE"};
    const size_t idx[] = {0, 2, 6};
    for (int k = 0; k < 3; k++) {
        ft_buf out;
        unsigned long long bad = 0;
        ft_buf_init(&out, 1 << 20);
        ck_assert_int_eq(decode_chunked(forced[k], decode_cases[idx[k]].bytes,
                                        decode_cases[idx[k]].len, 1, &out, &bad,
                                        NULL, 0),
                         FT_OK);
        ck_assert_str_eq(ft_buf_str(&out), decode_expect);
        ft_buf_cleanup(&out);
    }
}
END_TEST

START_TEST(decode_errors_name_offset)
{
    ft_buf out;
    unsigned long long bad = 0;
    ft_buf_init(&out, 1 << 20);
    /* valid UTF-8 first chunk, then a stray byte at offset 10 */
    const char *s = "abc\xe9\xa1\xb9xyz\xff" "def";
    ft_decoder *d = NULL;
    ck_assert_int_eq(ft_decoder_new(NULL, &d), FT_OK);
    ck_assert_int_eq(ft_decoder_feed(d, s, 9, 0, &out, &bad), FT_OK);
    ck_assert_int_eq(ft_decoder_feed(d, s + 9, strlen(s) - 9, 1, &out, &bad),
                     FT_ENCODING);
    ck_assert_uint_eq(bad, 9);
    ft_decoder_free(d);

    /* an incomplete character at the very end */
    ft_buf_reset(&out);
    ck_assert_int_eq(decode_chunked("UTF-8", "ab\xe9\xa1", 4, 4, &out, &bad,
                                    NULL, 0),
                     FT_ENCODING);
    ck_assert_uint_eq(bad, 2);

    /* GB18030: a lead byte followed by an invalid trail byte */
    ft_buf_reset(&out);
    ck_assert_int_eq(decode_chunked("GB18030", "ok\x81\x20zz", 6, 6, &out,
                                    &bad, NULL, 0),
                     FT_ENCODING);
    ck_assert_uint_eq(bad, 2);

    /* an encoding iconv does not know is a usage error */
    d = NULL;
    ck_assert_int_eq(ft_decoder_new("NO-SUCH-ENCODING-42", &d), FT_USAGE);
    ck_assert_ptr_null(d);
    ft_buf_cleanup(&out);
}
END_TEST

/* ---- SHA-256 and buffers ---- */

START_TEST(sha256_vectors)
{
    char hex[65];
    ft_sha256 c;
    ft_sha256_init(&c);
    ft_sha256_update(&c, "abc", 3);
    ft_sha256_hex(&c, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ft_sha256_init(&c);
    ft_sha256_hex(&c, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ft_sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        ft_sha256_update(&c, "a", 1);
    ft_sha256_hex(&c, hex);
    ck_assert_str_eq(hex, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    ck_assert_int_eq(ft_sha256_file("/nonexistent/formtab", hex), FT_NOENT);
    ck_assert_int_eq(ft_sha256_file("/", hex), FT_ISDIR);
}
END_TEST

START_TEST(buf_cap)
{
    ft_buf b;
    ft_buf_init(&b, 5);
    ck_assert_int_eq(ft_buf_puts(&b, "abcd"), FT_OK);
    ck_assert_int_eq(ft_buf_puts(&b, "ef"), FT_LIMIT);
    ck_assert_str_eq(ft_buf_str(&b), "abcd"); /* unchanged on failure */
    ck_assert_int_eq(ft_buf_putc(&b, 'e'), FT_OK);
    ck_assert_int_eq(ft_buf_putc(&b, 'f'), FT_LIMIT);
    ft_buf_cleanup(&b);
}
END_TEST

/* ---- streams ---- */

START_TEST(tsv_escape_roundtrip)
{
    const char *s = "a\tb\\c\nd\re\xe9\xa1\xb9";
    ft_buf b;
    ft_buf_init(&b, 100);
    ck_assert_int_eq(ft_tsv_escape(&b, s, strlen(s)), FT_OK);
    ck_assert_str_eq(ft_buf_str(&b), "a\\tb\\\\c\\nd\\re\xe9\xa1\xb9");
    size_t len = b.len;
    ck_assert_int_eq(ft_tsv_unescape(b.data, &len), FT_OK);
    ck_assert_uint_eq(len, strlen(s));
    ck_assert_mem_eq(b.data, s, len);
    char bad1[] = "a\\x";
    len = 3;
    ck_assert_int_eq(ft_tsv_unescape(bad1, &len), FT_FORMAT);
    char bad2[] = "a\\";
    len = 2;
    ck_assert_int_eq(ft_tsv_unescape(bad2, &len), FT_FORMAT);
    ft_buf_cleanup(&b);
}
END_TEST

START_TEST(line_reader_limits)
{
    char text[] = "short\nthis line is far too long\nok\nlast";
    FILE *f = fmemopen(text, strlen(text), "r");
    ft_line_reader r;
    char *line;
    size_t len;
    ck_assert_int_eq(ft_line_reader_init(&r, f, 10), FT_OK);
    ck_assert_int_eq(ft_line_reader_next(&r, &line, &len), FT_OK);
    ck_assert_str_eq(line, "short");
    ck_assert_int_eq(ft_line_reader_next(&r, &line, &len), FT_LIMIT);
    ck_assert_uint_eq(r.lineno, 2);
    ck_assert_int_eq(ft_line_reader_next(&r, &line, &len), FT_OK);
    ck_assert_str_eq(line, "ok");
    ck_assert_int_eq(ft_line_reader_next(&r, &line, &len), FT_OK);
    ck_assert_str_eq(line, "last"); /* no final newline */
    ck_assert_int_eq(ft_line_reader_next(&r, &line, &len), FT_EOF);
    ft_line_reader_cleanup(&r);
    fclose(f);
}
END_TEST

/* A layout stream written by the writer reads back the same page. */
START_TEST(layout_roundtrip)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *w = open_memstream(&mem, &size);
    ft_doc doc;
    ft_doc_init(&doc);
    doc.source = strdup("forms/a b.pdf");
    strcpy(doc.sha256, "ab12");
    strcpy(doc.kind, "pdf");
    doc.npages = 2;
    ft_layout_write_header(w, &doc);
    ft_layout_write_page(w, 1, 1, 595.28, 841.89, 90, "text");
    ft_layout_write_rule(w, (ft_box){56.7, 72, 538.6, 72});
    ft_run run = {{60.12, 75.3, 108.8, 86.1}, 10.0, 1, -1, "\xe9\xa1\xb9\t1\\", 7};
    ft_layout_write_run(w, &run);
    ft_layout_write_warn(w, "font has no ToUnicode map");
    ft_layout_write_endpage(w, 1, NULL);
    ft_layout_write_page(w, 2, 1, 595.28, 841.89, 0, "ocr");
    ft_layout_write_endpage(w, 2, "render failed");
    ft_layout_write_end(w, 2, 1);
    fclose(w);
    ft_doc_cleanup(&doc);

    FILE *f = fmemopen(mem, size, "r");
    ft_layout_reader r;
    ft_page p;
    ft_page_init(&p);
    ck_assert_int_eq(ft_layout_reader_init(&r, f, "-"), FT_OK);
    ck_assert_str_eq(r.doc.source, "forms/a b.pdf");
    ck_assert_uint_eq(r.doc.npages, 2);
    ck_assert_int_eq(ft_layout_read_page(&r, &p), FT_OK);
    ck_assert_uint_eq(p.number, 1);
    ck_assert_int_eq(p.rotation, 90);
    ck_assert(p.has_geometry);
    ck_assert_double_eq_tol(p.width, 595.28, 0.001);
    ck_assert_uint_eq(p.nrules, 1);
    ck_assert_double_eq_tol(p.rules[0].x1, 538.6, 0.001);
    ck_assert_uint_eq(p.nruns, 1);
    ck_assert_str_eq(p.runs[0].text, "\xe9\xa1\xb9\t1\\");
    ck_assert_double_eq_tol(p.runs[0].conf, -1, 0.001);
    ck_assert_uint_eq(p.runs[0].flags, 1);
    ck_assert_uint_eq(p.nwarnings, 1);
    ck_assert_int_eq(ft_layout_read_page(&r, &p), FT_OK);
    ck_assert(p.failed);
    ck_assert_str_eq(p.fail_reason, "render failed");
    ck_assert_int_eq(ft_layout_read_page(&r, &p), FT_EOF);
    ck_assert(r.ended);
    ck_assert_uint_eq(r.end_failed, 1);
    ft_layout_reader_cleanup(&r);
    ft_page_cleanup(&p);
    fclose(f);
    free(mem);
}
END_TEST

/* Bad layout streams: each must fail with the right code and a message
 * naming the line. */
static const struct {
    const char *name;
    const char *text;
    int fails_at_init;
    ft_err rc;
    const char *msg_part;
} bad_layout[] = {
    {"empty", "", 1, FT_EMPTY, "no input"},
    {"garbage", "\x89PNG\r\n\x1a\n\x00\x01" "binary", 1, FT_VERSION, "line 1"},
    {"other magic", "formtab-tables\t1\n", 1, FT_VERSION, "not a formtab-layout"},
    {"future version", "formtab-layout\t2\n", 1, FT_VERSION, "version 2"},
    {"no doc", "formtab-layout\t1\n", 1, FT_TRUNCATED, "doc"},
    {"bad kind", "formtab-layout\t1\ndoc\tx\tab\tdocx\t1\n", 1, FT_FORMAT, "line 2"},
    {"truncated", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t10\t10\t0\ttext\n", 0, FT_TRUNCATED, "without 'end'"},
    {"bad number", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t10\t10\t0\ttext\ntext\t1\tx\t2\t2\t9\t0\t\tA\n", 0, FT_FORMAT, "line 4"},
    {"inverted box", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t10\t10\t0\ttext\nrule\t5\t1\t2\t1\n", 0, FT_FORMAT, "x0 > x1"},
    {"bad escape", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t10\t10\t0\ttext\nline\t1\ta\\qb\n", 0, FT_FORMAT, "line 4"},
    {"bad utf8", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t\t\t\tplain\nline\t1\t\xff\n", 0, FT_UTF8, "line 4"},
    {"unknown type", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t\t\t\tplain\nblob\t1\n", 0, FT_FORMAT, "unknown record"},
    {"wrong endpage", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t\t\t\tplain\nendpage\t2\tok\n", 0, FT_FORMAT, "closes page 1"},
    {"missing fields", "formtab-layout\t1\ndoc\tx\tab\tpdf\t1\npage\t1\t\t\t\tplain\ntext\t1\t2\n", 0, FT_FORMAT, "needs 9 fields"},
};

START_TEST(layout_bad_input)
{
    const char *t = bad_layout[_i].text;
    size_t len = strlen(t);
    if (!strcmp(bad_layout[_i].name, "garbage"))
        len = 16; /* the literal holds a NUL: strlen would stop there */
    char *copy = malloc(len + 1);
    memcpy(copy, t, len + 1);
    FILE *f = len ? fmemopen(copy, len, "r") : fopen("/dev/null", "r");
    ft_layout_reader r;
    ft_page p;
    ft_page_init(&p);
    ft_err rc = ft_layout_reader_init(&r, f, "-");
    if (!bad_layout[_i].fails_at_init) {
        ck_assert_int_eq(rc, FT_OK);
        rc = ft_layout_read_page(&r, &p);
    }
    ck_assert_msg(rc == bad_layout[_i].rc, "%s: got %s", bad_layout[_i].name,
                  ft_strerror(rc));
    ck_assert_msg(strstr(r.rr.msg, bad_layout[_i].msg_part) != NULL,
                  "%s: message '%s' lacks '%s'", bad_layout[_i].name, r.rr.msg,
                  bad_layout[_i].msg_part);
    ft_layout_reader_cleanup(&r);
    ft_page_cleanup(&p);
    fclose(f);
    free(copy);
}
END_TEST

START_TEST(layout_extensions_and_long_lines)
{
    /* x- records are skipped; a line over the cap is FT_LIMIT. */
    char *text = NULL;
    size_t size = 0;
    FILE *w = open_memstream(&text, &size);
    fputs("formtab-layout\t1\ndoc\tx\tab\ttext\t0\npage\t1\t\t\t\tplain\n"
          "x-debug\tanything\nline\t3\tok\n", w);
    fputs("line\t4\t", w);
    for (size_t i = 0; i < FT_MAX_LINE_LEN + 10; i++)
        fputc('a', w);
    fputs("\nendpage\t1\tok\nend\t1\t0\n", w);
    fclose(w);
    FILE *f = fmemopen(text, size, "r");
    ft_layout_reader r;
    ft_page p;
    ft_page_init(&p);
    ck_assert_int_eq(ft_layout_reader_init(&r, f, "-"), FT_OK);
    ck_assert_int_eq(ft_layout_read_page(&r, &p), FT_LIMIT);
    ck_assert_ptr_nonnull(strstr(r.rr.msg, "line 6"));
    ck_assert_uint_eq(p.nlines, 1);
    ft_layout_reader_cleanup(&r);
    ft_page_cleanup(&p);
    fclose(f);
    free(text);
}
END_TEST

static void write_table(FILE *w, unsigned id)
{
    ft_table t;
    ft_table_init(&t);
    t.id = id;
    t.page_first = 1;
    t.page_last = 2;
    strcpy(t.method, "lattice");
    t.nrows = 2;
    t.ncols = 3;
    t.has_box = 1;
    t.box = (ft_box){10, 20, 300, 400};
    ft_cell c = {1, 1, 2, 1, 1, {10, 20, 50, 400}, 1, -1, 1, "\xe4\xb8\x80\xe7\xba\xa7\n\xe6\x8c\x87\xe6\xa0\x87", 13};
    ck_assert_int_eq(ft_table_add_cell(&t, &c), FT_OK);
    ft_cell c2 = {1, 2, 1, 2, 1, {50, 20, 300, 60}, 1, 87.5, 8, "a,b \"q\"", 7};
    ck_assert_int_eq(ft_table_add_cell(&t, &c2), FT_OK);
    ft_cell c3 = {2, 2, 1, 1, 2, {0, 0, 0, 0}, 0, -1, 0, "", 0};
    ck_assert_int_eq(ft_table_add_cell(&t, &c3), FT_OK);
    ft_cell c4 = {2, 3, 1, 1, 2, {0, 0, 0, 0}, 0, -1, 0, "x", 1};
    ck_assert_int_eq(ft_table_add_cell(&t, &c4), FT_OK);
    ft_tables_write_table(w, &t);
    ft_table_cleanup(&t);
}

START_TEST(tables_roundtrip)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *w = open_memstream(&mem, &size);
    ft_doc doc;
    ft_doc_init(&doc);
    doc.source = strdup("a.pdf");
    strcpy(doc.sha256, "ff");
    strcpy(doc.kind, "pdf");
    doc.npages = 2;
    ft_tables_write_header(w, &doc);
    ft_box nb = {1, 2, 3, 4};
    ft_tables_write_note(w, 1, &nb, "\xe6\xa0\x87\xe9\xa2\x98", 6);
    write_table(w, 1);
    ft_tables_write_warn(w, 2, "rules do not form a grid");
    ft_tables_write_end(w, 1, 0);
    fclose(w);
    ft_doc_cleanup(&doc);

    FILE *f = fmemopen(mem, size, "r");
    ft_tables_reader r;
    ft_tables_item it;
    ft_table t;
    ft_table_init(&t);
    ck_assert_int_eq(ft_tables_reader_init(&r, f, "-"), FT_OK);
    ck_assert_int_eq(ft_tables_read_next(&r, &it, &t), FT_OK);
    ck_assert_int_eq(it.kind, FT_ITEM_NOTE);
    ck_assert_str_eq(it.text, "\xe6\xa0\x87\xe9\xa2\x98");
    ck_assert(it.has_box);
    ck_assert_int_eq(ft_tables_read_next(&r, &it, &t), FT_OK);
    ck_assert_int_eq(it.kind, FT_ITEM_TABLE);
    ck_assert_uint_eq(t.ncells, 4);
    ck_assert_uint_eq(t.cells[0].rowspan, 2);
    ck_assert_str_eq(t.cells[0].text, "\xe4\xb8\x80\xe7\xba\xa7\n\xe6\x8c\x87\xe6\xa0\x87");
    ck_assert_double_eq_tol(t.cells[1].conf, 87.5, 0.001);
    ck_assert_str_eq(t.cells[1].text, "a,b \"q\"");
    ck_assert(!t.cells[2].has_box);
    ck_assert_uint_eq(t.page_last, 2);
    ck_assert_int_eq(ft_tables_read_next(&r, &it, &t), FT_OK);
    ck_assert_int_eq(it.kind, FT_ITEM_WARN);
    ck_assert_uint_eq(it.page, 2);
    ck_assert_int_eq(ft_tables_read_next(&r, &it, &t), FT_EOF);
    ft_tables_reader_cleanup(&r);
    ft_table_cleanup(&t);
    fclose(f);
    free(mem);
}
END_TEST

static const struct {
    const char *name;
    const char *body;
    ft_err rc;
    const char *msg_part;
} bad_tables[] = {
    {"overlap", "table\t1\t1\t1\ttext\t1\t2\t\t\t\t\ncell\t1\t1\t1\t2\t1\t\t\t\t\t\t0\ta\ncell\t1\t2\t1\t1\t1\t\t\t\t\t\t0\tb\nendtable\t1\n", FT_FORMAT, "covered twice"},
    {"gap", "table\t1\t1\t1\ttext\t1\t2\t\t\t\t\ncell\t1\t1\t1\t1\t1\t\t\t\t\t\t0\ta\nendtable\t1\n", FT_FORMAT, "not covered"},
    {"outside", "table\t1\t1\t1\ttext\t1\t1\t\t\t\t\ncell\t1\t1\t2\t1\t1\t\t\t\t\t\t0\ta\nendtable\t1\n", FT_FORMAT, "outside"},
    {"zero size", "table\t1\t1\t1\ttext\t0\t1\t\t\t\t\n", FT_FORMAT, "out of range"},
    {"cut table", "table\t1\t1\t1\ttext\t1\t1\t\t\t\t\ncell\t1\t1\t1\t1\t1\t\t\t\t\t\t0\ta\n", FT_TRUNCATED, "inside table 1"},
    {"stray", "endtable\t1\n", FT_FORMAT, "unknown record"},
    {"half box", "note\t1\t1\t2\t\t\tx\n", FT_FORMAT, "four numbers"},
    {"no end", "note\t1\t\t\t\t\tx\n", FT_TRUNCATED, "without 'end'"},
};

START_TEST(tables_bad_input)
{
    char text[2048];
    snprintf(text, sizeof text, "formtab-tables\t1\ndoc\ta\tff\tpdf\t1\n%s",
             bad_tables[_i].body);
    FILE *f = fmemopen(text, strlen(text), "r");
    ft_tables_reader r;
    ft_tables_item it;
    ft_table t;
    ft_table_init(&t);
    ck_assert_int_eq(ft_tables_reader_init(&r, f, "-"), FT_OK);
    ft_err rc;
    do
        rc = ft_tables_read_next(&r, &it, &t);
    while (rc == FT_OK);
    ck_assert_msg(rc == bad_tables[_i].rc, "%s: got %s", bad_tables[_i].name,
                  ft_strerror(rc));
    ck_assert_msg(strstr(r.rr.msg, bad_tables[_i].msg_part) != NULL,
                  "%s: message '%s' lacks '%s'", bad_tables[_i].name, r.rr.msg,
                  bad_tables[_i].msg_part);
    ft_tables_reader_cleanup(&r);
    ft_table_cleanup(&t);
    fclose(f);
}
END_TEST

START_TEST(put_num_is_locale_free)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *w = open_memstream(&mem, &size);
    const double v[] = {0, 1.006, -2.5, 595.275, 1e20, -0.001};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        ft_put_num(w, v[i]);
        fputc(' ', w);
    }
    fclose(w);
    ck_assert_str_eq(mem, "0.00 1.01 -2.50 595.28 100000000000000000000.00 0.00 ");
    free(mem);
}
END_TEST

static Suite *common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("utf8");
    tcase_add_loop_test(tc, utf8_valid_table, 0,
                        sizeof utf8_cases / sizeof utf8_cases[0]);
    tcase_add_test(tc, utf8_boundary_never_splits);
    tcase_add_test(tc, utf8_roundtrip_and_fullwidth);
    tcase_add_test(tc, utf8_fold_space);
    suite_add_tcase(s, tc);

    tc = tcase_create("decode");
    tcase_add_loop_test(tc, decode_table, 0,
                        sizeof decode_cases / sizeof decode_cases[0]);
    tcase_add_test(tc, decode_chunk_edges_utf8_and_gb);
    tcase_add_test(tc, decode_errors_name_offset);
    suite_add_tcase(s, tc);

    tc = tcase_create("basics");
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, buf_cap);
    tcase_add_test(tc, put_num_is_locale_free);
    suite_add_tcase(s, tc);

    tc = tcase_create("streams");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, tsv_escape_roundtrip);
    tcase_add_test(tc, line_reader_limits);
    tcase_add_test(tc, layout_roundtrip);
    tcase_add_loop_test(tc, layout_bad_input, 0,
                        sizeof bad_layout / sizeof bad_layout[0]);
    tcase_add_test(tc, layout_extensions_and_long_lines);
    tcase_add_test(tc, tables_roundtrip);
    tcase_add_loop_test(tc, tables_bad_input, 0,
                        sizeof bad_tables / sizeof bad_tables[0]);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(common_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
