/* Unit suites of the batch job, one per module: options, walker and probe,
 * stream taps and record counters, manifest, lock, report and log helpers,
 * the HTML run page and the review folders.
 * The job suite checks how a finished pipeline's exit codes become a status.
 * Run one alone with CK_RUN_SUITE=manifest (CK_FORK=no for gdb). */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "batch_html.h"
#include "batch_int.h"
#include "batch_job.h"
#include "batch_lock.h"
#include "batch_log.h"
#include "batch_manifest.h"
#include "batch_opts.h"
#include "batch_report.h"
#include "batch_tap.h"
#include "batch_walk.h"
#include "ext_inspect_html.h"

/* ---- helpers ---------------------------------------------------------------- */

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_batch.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *rel, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void make_dir(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void make_link(const char *target, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    ck_assert_int_eq(symlink(target, path), 0);
}

/* ---- options ------------------------------------------------------------------ */

static const struct {
    const char *args[12];
    int ok;
    const char *msg_part; /* for errors: a piece of the message */
} opt_cases[] = {
    {{"in", "out"}, 1, NULL},
    {{"in", "out", "--format=jsonl", "-j", "3", "--timeout=1.5",
      "--shard=2/4", "--records", "cells"}, 1, NULL},
    {{"--prune", "in", "--retry-failed", "out", "-n"}, 1, NULL},
    {{"in"}, 0, "missing OUT_DIR"},
    {{NULL}, 0, "missing IN_DIR and OUT_DIR"},
    {{"a", "b", "c"}, 0, "extra operand 'c'"},
    {{"a", "b", "--format=xml"}, 0, "invalid argument 'xml'"},
    {{"a", "b", "-j", "0"}, 0, "invalid number of jobs"},
    {{"a", "b", "-j", "2x"}, 0, "invalid number of jobs"},
    {{"a", "b", "--shard=4/4"}, 0, "invalid shard"},
    {{"a", "b", "--shard=1"}, 0, "invalid shard"},
    {{"a", "b", "--shard=/3"}, 0, "invalid shard"},
    {{"a", "b", "--timeout=-1"}, 0, "invalid argument '-1'"},
    {{"a", "b", "--timeout=1e3"}, 0, "invalid argument '1e3'"},
    {{"a", "b", "--bogus"}, 0, "unrecognized option '--bogus'"},
    {{"a", "b", "-x"}, 0, "invalid option -- 'x'"},
    {{"a", "b", "--format"}, 0, "requires an argument"},
    {{"a", "b", "--kind=field"}, 0, "--kind needs --records form"},
    {{"a", "b", "--load=mysql"}, 0, "invalid argument 'mysql'"},
    {{"a", "b", "--load=postgres"}, 0, "--load needs --format=jsonl"},
    {{"a", "b", "--load=postgres", "--format=json"}, 0, "--load needs"},
    {{"a", "b", "--load=postgres", "--format=jsonl"}, 1, NULL},
    {{"a", "b", "--load=postgres", "--records=cells"}, 1, NULL},
    {{"a", "b", "--load=postgres", "--records=form"}, 1, NULL},
    {{"--merge-manifests", "out"}, 0, "--merge-manifests needs"},
    {{"a", "b", "--review"}, 1, NULL},
    {{"--merge-manifests", "--review", "o", "s"}, 0,
     "--review does not apply to --merge-manifests"},
    {{"", "b"}, 0, "empty directory name"},
};

START_TEST(opts_table)
{
    char *argv[16];
    int argc = 0;
    batch_opts o;
    char msg[256];
    argv[argc++] = "formtab-batch";
    for (int i = 0; opt_cases[_i].args[i]; i++)
        argv[argc++] = (char *)opt_cases[_i].args[i];
    argv[argc] = NULL;
    ft_err rc = batch_opts_parse(&o, argc, argv, msg, sizeof msg);
    if (opt_cases[_i].ok) {
        ck_assert_msg(rc == FT_OK, "case %d: %s", _i, msg);
    } else {
        ck_assert_int_eq(rc, FT_USAGE);
        ck_assert_msg(strstr(msg, opt_cases[_i].msg_part) != NULL,
                      "case %d: '%s' lacks '%s'", _i, msg,
                      opt_cases[_i].msg_part);
    }
    batch_opts_cleanup(&o);
}
END_TEST

START_TEST(opts_values)
{
    char *argv[] = {"formtab-batch", "in", "out", "--format=jsonl", "-j", "3",
                    "--timeout=1.5", "--shard=2/4", "--records", "cells",
                    "--load=postgres", "-q", NULL};
    batch_opts o;
    char msg[256];
    ck_assert_int_eq(batch_opts_parse(&o, 12, argv, msg, sizeof msg), FT_OK);
    ck_assert_str_eq(o.in_dir, "in");
    ck_assert_str_eq(o.out_dir, "out");
    ck_assert_int_eq(o.format, BATCH_FMT_JSONL);
    ck_assert_int_eq(o.records, BATCH_REC_CELLS);
    ck_assert_uint_eq(o.jobs, 3);
    ck_assert(o.timeout > 1.49 && o.timeout < 1.51);
    ck_assert_uint_eq(o.shard_k, 2);
    ck_assert_uint_eq(o.shard_n, 4);
    ck_assert_str_eq(o.load, "postgres");
    ck_assert_int_eq(o.quiet, 1);
    ck_assert_str_eq(batch_format_ext(o.format), "jsonl");

    char *def[] = {"formtab-batch", "in", "out", NULL};
    ck_assert_int_eq(batch_opts_parse(&o, 3, def, msg, sizeof msg), FT_OK);
    ck_assert_int_eq(o.format, BATCH_FMT_CSV);
    ck_assert_int_eq(o.records, BATCH_REC_ROWS);
    ck_assert_uint_eq(o.jobs, 0);
    ck_assert(o.timeout == 600.0);
    ck_assert_uint_eq(o.shard_n, 1);
    ck_assert_int_eq(o.prune, 0);
    ck_assert_int_eq(o.review, 0);

    char *help[] = {"formtab-batch", "--help", NULL};
    ck_assert_int_eq(batch_opts_parse(&o, 2, help, msg, sizeof msg), FT_OK);
    ck_assert_int_eq(o.help, 1);

    char *merge[] = {"formtab-batch", "--merge-manifests", "all", "s0", "s1",
                     NULL};
    ck_assert_int_eq(batch_opts_parse(&o, 5, merge, msg, sizeof msg), FT_OK);
    ck_assert_int_eq(o.merge, 1);
    ck_assert_str_eq(o.in_dir, "all");
    ck_assert_int_eq(o.nextra, 2);
    ck_assert_str_eq(o.extra[1], "s1");
}
END_TEST

START_TEST(opts_fingerprint)
{
    batch_opts o;
    char msg[256], a[1024], b[1024];
    char *argv[] = {"formtab-batch", "in", "out", NULL};
    make_tmpdir();
    ck_assert_int_eq(batch_opts_parse(&o, 3, argv, msg, sizeof msg), FT_OK);
    ck_assert_int_eq(batch_opts_fingerprint(&o, a, sizeof a), FT_OK);
    ck_assert_ptr_nonnull(strstr(a, "format=csv records=rows"));
    o.format = BATCH_FMT_JSON;
    ck_assert_int_eq(batch_opts_fingerprint(&o, b, sizeof b), FT_OK);
    ck_assert_str_ne(a, b);

    /* A rules file enters by its content's hash (sha256sum of "x"). */
    char path[300];
    snprintf(path, sizeof path, "%s/rules", tmpdir);
    write_file("rules", "x", 1);
    o.rules = path;
    ck_assert_int_eq(batch_opts_fingerprint(&o, b, sizeof b), FT_OK);
    ck_assert_ptr_nonnull(strstr(b, " rules=2d711642b726b04401627ca9fbac32f5c8"
                                    "530fb1903cc4db02258717921a4881"));
    o.rules = "/nonexistent/rules";
    ck_assert_int_eq(batch_opts_fingerprint(&o, b, sizeof b), FT_NOENT);
    o.rules = NULL;
    ck_assert_int_eq(batch_opts_fingerprint(&o, b, 8), FT_LIMIT);
    rm_tmpdir();
}
END_TEST

static Suite *opts_suite(void)
{
    Suite *s = suite_create("opts");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, opts_table, 0,
                        (int)(sizeof opt_cases / sizeof *opt_cases));
    tcase_add_test(tc, opts_values);
    tcase_add_test(tc, opts_fingerprint);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- walker and probe -------------------------------------------------------- */

static const struct {
    const char *name;
    const char *head;
    size_t len;
    batch_kind kind;
} classify_cases[] = {
    {"a.pdf", "%PDF-1.7\n", 9, BATCH_KIND_PDF},
    {"noext", "%PDF-1.4", 8, BATCH_KIND_PDF},        /* by content */
    {"a.pdf", "PK\3\4", 4, BATCH_KIND_NONE},         /* a zip named .pdf */
    {"a.txt", "hello", 5, BATCH_KIND_TEXT},
    {"A.TXT", "", 0, BATCH_KIND_TEXT},
    {"a.txt.bak", "hello", 5, BATCH_KIND_NONE},
    {"txt", "hello", 5, BATCH_KIND_NONE},
    {".txt", "", 0, BATCH_KIND_TEXT},  /* hidden: the walker never asks */
    {"b.txt", "%PDF-1.5", 8, BATCH_KIND_PDF},        /* content wins */
    {"x", "%PDF", 4, BATCH_KIND_NONE},               /* needs the dash */
};

START_TEST(walk_classify)
{
    ck_assert_int_eq(batch_classify(classify_cases[_i].name,
                                    (const unsigned char *)
                                        classify_cases[_i].head,
                                    classify_cases[_i].len),
                     classify_cases[_i].kind);
}
END_TEST

START_TEST(walk_magic_window)
{
    unsigned char buf[2048];
    memset(buf, ' ', sizeof buf);
    memcpy(buf + 1019, "%PDF-", 5); /* ends at byte 1024: inside */
    ck_assert_int_eq(batch_classify("f", buf, sizeof buf), BATCH_KIND_PDF);
    memset(buf, ' ', sizeof buf);
    memcpy(buf + 1020, "%PDF-", 5); /* crosses byte 1024: outside */
    ck_assert_int_eq(batch_classify("f", buf, sizeof buf), BATCH_KIND_NONE);
}
END_TEST

START_TEST(walk_tree)
{
    static const char *const expect[] = {"a/x.txt", "a/z.TXT", "b.pdf",
                                         "junk.bin", "late.dat", "link.txt",
                                         "prefixed.dat"};
    static const batch_kind kinds[] = {BATCH_KIND_TEXT, BATCH_KIND_TEXT,
                                       BATCH_KIND_PDF, BATCH_KIND_NONE,
                                       BATCH_KIND_NONE, BATCH_KIND_TEXT,
                                       BATCH_KIND_PDF};
    char junk[3000];
    batch_inputs l;
    char msg[512];
    struct stat st;
    char outdir[300];

    make_tmpdir();
    make_dir("a");
    make_dir(".hid");
    make_dir("out");
    write_file("a/x.txt", "cell\tcell\n", 10);
    write_file("a/z.TXT", "", 0);
    write_file("a/.h.txt", "hidden", 6);
    write_file(".hid/y.txt", "hidden", 6);
    write_file("b.pdf", "%PDF-1.4\n%test\n", 15);
    write_file("junk.bin", "\x7f" "ELF", 4);
    memset(junk, 'j', sizeof junk);
    memcpy(junk + 100, "%PDF-", 5);
    write_file("prefixed.dat", junk, 200);
    memset(junk, 'j', sizeof junk);
    memcpy(junk + 2000, "%PDF-", 5);
    write_file("late.dat", junk, sizeof junk);
    write_file("out/o.txt", "output tree", 11);
    make_link("..", "a/loop");          /* back to the root: a loop */
    make_link("a/x.txt", "link.txt");   /* a file link is an input */
    make_link("nowhere", "dead.txt");   /* dangling */
    make_link("a", "alias");            /* a second way into a/ */

    snprintf(outdir, sizeof outdir, "%s/out", tmpdir);
    ck_assert_int_eq(stat(outdir, &st), 0);
    batch_inputs_init(&l);
    ck_assert_int_eq(batch_walk(tmpdir, st.st_dev, st.st_ino, &l, msg,
                                sizeof msg),
                     FT_OK);
    ck_assert_uint_eq(l.count, sizeof expect / sizeof *expect);
    for (size_t i = 0; i < l.count; i++) {
        ck_assert_str_eq(l.v[i].path, expect[i]);
        ck_assert_int_eq(batch_probe(tmpdir, &l.v[i]), FT_OK);
        ck_assert_int_eq(l.v[i].kind, kinds[i]);
        ck_assert_uint_eq(strlen(l.v[i].sha256),
                          l.v[i].kind == BATCH_KIND_NONE ? 0 : 64);
    }
    ck_assert_uint_eq(l.skipped_hidden, 2);
    ck_assert_uint_eq(l.skipped_loops, 2); /* a/loop, and alias or a */
    ck_assert_uint_eq(l.skipped_special, 1);
    /* sha256sum of the same bytes */
    ck_assert_str_eq(l.v[2].sha256, "9d636b97713c8962c840e079a81f4805526bd2e3"
                                    "a1333bde969230f392a410f7");
    ck_assert_ptr_nonnull(batch_inputs_find(&l, "b.pdf"));
    ck_assert_ptr_null(batch_inputs_find(&l, "c.pdf"));
    ck_assert_ptr_null(batch_inputs_find(&l, "out/o.txt"));
    batch_inputs_cleanup(&l);

    /* Not a directory, and a missing one: errors, never an empty tree. */
    batch_inputs_init(&l);
    snprintf(outdir, sizeof outdir, "%s/b.pdf", tmpdir);
    ck_assert_int_eq(batch_walk(outdir, 0, 0, &l, msg, sizeof msg), FT_IO);
    ck_assert_ptr_nonnull(strstr(msg, "not a directory"));
    snprintf(outdir, sizeof outdir, "%s/missing", tmpdir);
    ck_assert_int_eq(batch_walk(outdir, 0, 0, &l, msg, sizeof msg), FT_IO);
    batch_inputs_cleanup(&l);
    rm_tmpdir();
}
END_TEST

START_TEST(walk_unreadable_dir)
{
    batch_inputs l;
    char msg[512], path[300];
    if (geteuid() == 0)
        return; /* root reads everything: nothing to test */
    make_tmpdir();
    make_dir("locked");
    snprintf(path, sizeof path, "%s/locked", tmpdir);
    ck_assert_int_eq(chmod(path, 0), 0);
    batch_inputs_init(&l);
    ck_assert_int_eq(batch_walk(tmpdir, 0, 0, &l, msg, sizeof msg), FT_IO);
    ck_assert_ptr_nonnull(strstr(msg, "cannot open directory"));
    batch_inputs_cleanup(&l);
    chmod(path, 0755);
    rm_tmpdir();
}
END_TEST

static const struct {
    const char *sha;
    unsigned n, shard;
} shard_cases[] = {
    {"00000000ffff", 4, 0},
    {"0000000a0000", 4, 2},
    {"ffffffff0000", 7, 3},  /* 4294967295 mod 7 */
    {"deadbeef1234", 5, 4},  /* 3735928559 mod 5 */
    {"DEADBEEF", 5, 4},
    {"12345678", 1, 0},
};

START_TEST(walk_shard)
{
    ck_assert_uint_eq(batch_shard_of(shard_cases[_i].sha, shard_cases[_i].n),
                      shard_cases[_i].shard);
}
END_TEST

static Suite *walk_suite(void)
{
    Suite *s = suite_create("walk");
    TCase *tc = tcase_create("walk");
    tcase_add_loop_test(tc, walk_classify, 0,
                        (int)(sizeof classify_cases / sizeof *classify_cases));
    tcase_add_test(tc, walk_magic_window);
    tcase_add_test(tc, walk_tree);
    tcase_add_test(tc, walk_unreadable_dir);
    tcase_add_loop_test(tc, walk_shard, 0,
                        (int)(sizeof shard_cases / sizeof *shard_cases));
    suite_add_tcase(s, tc);
    return s;
}

/* ---- taps and counters -------------------------------------------------------- */

/* A layout stream: three pages, the second failed; a text run whose text
 * holds "end" and "page" after a tab (not at a line start); a line longer
 * than the tap's prefix. */
static const char layout_stream[] =
    "formtab-layout\t1\n"
    "doc\t2020/a.pdf\t3f0c\tpdf\t3\n"
    "page\t1\t595.28\t841.89\t0\ttext\n"
    "text\t1\t2\t3\t4\t10\t0\t\tend\t7\t7 page\t9\n"
    "text\t1\t2\t3\t4\t10\t0\t\t"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    "warn\tno ToUnicode\n"
    "endpage\t1\tok\n"
    "page\t2\t595.28\t841.89\t0\ttext\n"
    "endpage\t2\tfailed: damaged content stream\n"
    "page\t3\t595.28\t841.89\t0\ttext\n"
    "endpage\t3\tok\n"
    "end\t3\t1\n";

static const char table_stream[] =
    "formtab-tables\t1\n"
    "doc\t2020/a.pdf\t3f0c\tpdf\t3\n"
    "note\t1\t200.00\t40.00\t395.00\t56.00\ttable\tin a note\n"
    "table\t1\t1\t2\tlattice\t30\t4\t1\t2\t3\t4\n"
    "cell\t1\t1\t1\t1\t1\t1\t2\t3\t4\t\t\t项目名称：\n"
    "endtable\t1\n"
    "table\t2\t3\t3\tstream\t2\t2\t\t\t\t\n"
    "endtable\t2\n"
    "end\t2\t1";            /* no final newline */

static const size_t chunk_sizes[] = {1, 2, 3, 7, 47, 48, 49, 64, 4096};

static void feed_tap(batch_tap *t, const char *s, size_t chunk)
{
    size_t len = strlen(s);
    batch_tap_init(t);
    for (size_t i = 0; i < len; i += chunk)
        batch_tap_feed(t, s + i, len - i < chunk ? len - i : chunk);
    batch_tap_finish(t);
}

START_TEST(tap_layout_chunks)
{
    batch_tap t;
    feed_tap(&t, layout_stream, chunk_sizes[_i]);
    ck_assert_uint_eq(t.pages, 3);
    ck_assert_uint_eq(t.failed_pages, 1);
    ck_assert_uint_eq(t.warns, 1);
    ck_assert_int_eq(t.have_end, 1);
    ck_assert_uint_eq(t.end_a, 3);
    ck_assert_uint_eq(t.end_b, 1);
    ck_assert_uint_eq(t.tables, 0);
}
END_TEST

START_TEST(tap_tables_chunks)
{
    batch_tap t;
    feed_tap(&t, table_stream, chunk_sizes[_i]);
    ck_assert_uint_eq(t.tables, 2);
    ck_assert_int_eq(t.have_end, 1);
    ck_assert_uint_eq(t.end_a, 2);
    ck_assert_uint_eq(t.end_b, 1);
}
END_TEST

START_TEST(tap_cut_short)
{
    /* A stream cut before `end`: the counts of what passed remain. */
    batch_tap t;
    feed_tap(&t, "formtab-layout\t1\npage\t1\t\t\t\tplain\nline\t1\tx\n"
                 "endpage\t1\tok\npage\t2\t\t\t\tplain\n", 5);
    ck_assert_int_eq(t.have_end, 0);
    ck_assert_uint_eq(t.pages, 2);
}
END_TEST

static const struct {
    batch_format fmt;
    int header;
    const char *text;
    unsigned long records;
} count_cases[] = {
    {BATCH_FMT_CSV, 0, "", 0},
    {BATCH_FMT_CSV, 0, "a,b\nc,d\n", 2},
    {BATCH_FMT_CSV, 0, "a,b\r\nc,d\r\n", 2},
    {BATCH_FMT_CSV, 0, "a,b\nc,d", 2},                    /* no final LF */
    {BATCH_FMT_CSV, 0, "a,\"line\nbreak\"\nc,\"\"\"q\"\"\"\n", 2},
    {BATCH_FMT_CSV, 0, "\"\"\n", 1},                      /* one empty field */
    {BATCH_FMT_CSV, 1, "source,page\nx,1\ny,2\n", 2},     /* header skipped */
    {BATCH_FMT_CSV, 1, "", 0},
    {BATCH_FMT_CSV, 0, "\xef\xbb\xbf" "a\n", 1},          /* BOM */
    {BATCH_FMT_JSON, 0, "[]\n", 0},
    {BATCH_FMT_JSON, 0, "[\n{\"a\":1},\n{\"b\":[{\"c\":2}],\"d\":{}}\n]\n", 2},
    {BATCH_FMT_JSON, 0, "[{\"t\":\"{[\\\"}\"},{\"t\":\"\\\\\"}]", 2},
    {BATCH_FMT_JSONL, 0, "{\"a\":1}\n{\"a\":\"x\\ny\"}\n", 2},
    {BATCH_FMT_JSONL, 0, "{\"a\":1}\n\n{\"a\":2}", 2},
    {BATCH_FMT_JSONL, 0, "", 0},
};

START_TEST(count_records)
{
    for (size_t k = 0; k < sizeof chunk_sizes / sizeof *chunk_sizes; k++) {
        batch_counter c;
        const char *s = count_cases[_i].text;
        size_t len = strlen(s), chunk = chunk_sizes[k];
        batch_counter_init(&c, count_cases[_i].fmt, count_cases[_i].header);
        for (size_t i = 0; i < len; i += chunk)
            batch_counter_feed(&c, s + i, len - i < chunk ? len - i : chunk);
        ck_assert_msg(batch_counter_finish(&c) == count_cases[_i].records,
                      "case %d chunk %zu", _i, chunk);
    }
}
END_TEST

/* ---- the status of a finished pipeline ----------------------------------------- */

static const struct {
    int codes[3];
    unsigned long pages, failed;
    batch_status status;
    int exit_code;
} status_cases[] = {
    {{0, 0, 0}, 4, 0, BATCH_OK, 0},
    {{1, 0, 0}, 4, 1, BATCH_PARTIAL, 1},   /* page 2 of 4 failed */
    {{1, 0, 0}, 2, 2, BATCH_FAILED, 1},    /* every page failed */
    {{1, 0, 0}, 0, 0, BATCH_FAILED, 1},    /* not a PDF: no page at all */
    {{1, 1, 0}, 4, 1, BATCH_FAILED, 1},    /* normalize rejected the rest */
    {{0, 4, 0}, 4, 0, BATCH_FAILED, 4},
    {{141, 1, 0}, 4, 0, BATCH_FAILED, 1},  /* extract died of normalize's end */
    {{141, 0, 0}, 4, 0, BATCH_FAILED, 141},/* only SIGPIPE: report it */
    {{0, 0, 137}, 1, 0, BATCH_FAILED, 137},/* emit killed */
    {{127, 0, 0}, 0, 0, BATCH_FAILED, 127},/* extract not found */
    {{4, 0, 0}, 3, 0, BATCH_FAILED, 4},    /* --max-pages hit */
};

START_TEST(job_status_table)
{
    batch_job_result r;
    int code = -5;
    memset(&r, 0, sizeof r);
    r.complete = 1;
    memcpy(r.exit_code, status_cases[_i].codes, sizeof r.exit_code);
    r.pages = status_cases[_i].pages;
    r.failed_pages = status_cases[_i].failed;
    ck_assert_int_eq(batch_job_status(&r, 3, &code), status_cases[_i].status);
    ck_assert_int_eq(code, status_cases[_i].exit_code);
}
END_TEST

START_TEST(job_status_loader)
{
    /* One stage (the loader): 0 is ok, anything else failed, never partial. */
    batch_job_result r;
    int code;
    memset(&r, 0, sizeof r);
    r.exit_code[1] = r.exit_code[2] = -1;
    ck_assert_int_eq(batch_job_status(&r, 1, &code), BATCH_OK);
    r.exit_code[0] = 1;
    r.pages = 3;
    ck_assert_int_eq(batch_job_status(&r, 1, &code), BATCH_FAILED);
    ck_assert_int_eq(code, 1);
}
END_TEST

static Suite *tap_suite(void)
{
    Suite *s = suite_create("tap");
    TCase *tc = tcase_create("tap");
    int nchunks = (int)(sizeof chunk_sizes / sizeof *chunk_sizes);
    tcase_add_loop_test(tc, tap_layout_chunks, 0, nchunks);
    tcase_add_loop_test(tc, tap_tables_chunks, 0, nchunks);
    tcase_add_test(tc, tap_cut_short);
    tcase_add_loop_test(tc, count_records, 0,
                        (int)(sizeof count_cases / sizeof *count_cases));
    suite_add_tcase(s, tc);
    return s;
}

static Suite *job_suite(void)
{
    Suite *s = suite_create("job");
    TCase *tc = tcase_create("status");
    tcase_add_loop_test(tc, job_status_table, 0,
                        (int)(sizeof status_cases / sizeof *status_cases));
    tcase_add_test(tc, job_status_loader);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- manifest ------------------------------------------------------------------ */

static void fill_row(batch_row *r, const char *path, const char *sha,
                     batch_status st)
{
    batch_row_init(r);
    r->path = (char *)path;
    snprintf(r->sha256, sizeof r->sha256, "%s", sha);
    r->size = 1234;
    r->status = st;
    r->config = "formtab 0 format=csv";
    r->output = st == BATCH_OK ? "2020/a.pdf.csv" : NULL;
    r->pages = 3;
    r->tables = 2;
    r->records = 40;
    r->seconds = 0.5;
    r->error = st == BATCH_FAILED ? "formtab-extract: a.pdf: bad" : NULL;
}

static ft_err collect_paths(void *ctx, const batch_row *r)
{
    char *out = ctx;
    strcat(out, r->path);
    strcat(out, ";");
    return FT_OK;
}

START_TEST(manifest_roundtrip)
{
    batch_manifest *m = NULL;
    char msg[512], db[300], paths[256] = "";
    batch_row w, r;
    int found;
    unsigned long n;

    make_tmpdir();
    snprintf(db, sizeof db, "%s/m.sqlite", tmpdir);
    ck_assert_int_eq(batch_manifest_open(db, &m, msg, sizeof msg), FT_OK);
    batch_row_init(&r);
    ck_assert_int_eq(batch_manifest_get(m, "2020/a.pdf", &r, &found), FT_OK);
    ck_assert_int_eq(found, 0);

    fill_row(&w, "2020/a.pdf", "aa", BATCH_OK);
    ck_assert_int_eq(batch_manifest_put(m, &w, 0), FT_OK);
    fill_row(&w, "2019/b.pdf", "bb", BATCH_FAILED);
    ck_assert_int_eq(batch_manifest_put(m, &w, 0), FT_OK);

    ck_assert_int_eq(batch_manifest_get(m, "2020/a.pdf", &r, &found), FT_OK);
    ck_assert_int_eq(found, 1);
    ck_assert_str_eq(r.sha256, "aa");
    ck_assert_int_eq(r.status, BATCH_OK);
    ck_assert_str_eq(r.output, "2020/a.pdf.csv");
    ck_assert_ptr_null(r.error);
    ck_assert_ptr_null(r.old_output);
    ck_assert_uint_eq(r.records, 40);
    ck_assert_int_eq(r.loaded, 0);
    ck_assert_uint_eq(strlen(r.updated), 27); /* 2026-11-23T18:22:51.123456Z */
    ck_assert_int_eq(r.updated[26], 'Z');

    ck_assert_int_eq(batch_manifest_set_loaded(m, "2020/a.pdf", 1), FT_OK);
    ck_assert_int_eq(batch_manifest_get(m, "2019/b.pdf", &r, &found), FT_OK);
    ck_assert_int_eq(r.status, BATCH_FAILED);
    ck_assert_str_eq(r.error, "formtab-extract: a.pdf: bad");
    ck_assert_ptr_null(r.output);

    ck_assert_int_eq(batch_manifest_each(m, collect_paths, paths), FT_OK);
    ck_assert_str_eq(paths, "2019/b.pdf;2020/a.pdf;");
    ck_assert_int_eq(batch_manifest_count(m, &n), FT_OK);
    ck_assert_uint_eq(n, 2);
    batch_manifest_free(m);

    /* Reopened: still there, loaded flag kept; delete works. */
    ck_assert_int_eq(batch_manifest_open(db, &m, msg, sizeof msg), FT_OK);
    ck_assert_int_eq(batch_manifest_get(m, "2020/a.pdf", &r, &found), FT_OK);
    ck_assert_int_eq(found, 1);
    ck_assert_int_eq(r.loaded, 1);
    ck_assert_int_eq(batch_manifest_delete(m, "2020/a.pdf"), FT_OK);
    ck_assert_int_eq(batch_manifest_delete(m, "never/there"), FT_OK);
    ck_assert_int_eq(batch_manifest_count(m, &n), FT_OK);
    ck_assert_uint_eq(n, 1);

    /* keep_time keeps the given time (merging). */
    fill_row(&w, "x.txt", "cc", BATCH_OK);
    snprintf(w.updated, sizeof w.updated, "2001-01-01T00:00:00.000000Z");
    ck_assert_int_eq(batch_manifest_put(m, &w, 1), FT_OK);
    ck_assert_int_eq(batch_manifest_get(m, "x.txt", &r, &found), FT_OK);
    ck_assert_str_eq(r.updated, "2001-01-01T00:00:00.000000Z");
    batch_manifest_free(m);
    batch_row_cleanup(&r);

    /* The journal is WAL. */
    sqlite3 *db3;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(db, &db3), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db3, "PRAGMA journal_mode", -1, &st,
                                        NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* A newer schema is refused, not misread. */
    ck_assert_int_eq(sqlite3_exec(db3, "PRAGMA user_version=99", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(db3);
    ck_assert_int_eq(batch_manifest_open(db, &m, msg, sizeof msg),
                     FT_VERSION);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(msg, "newer"));
    rm_tmpdir();
}
END_TEST

START_TEST(manifest_copy_row)
{
    batch_row a, b;
    fill_row(&a, "p", "aa", BATCH_FAILED);
    batch_row_init(&b);
    ck_assert_int_eq(batch_row_copy(&b, &a), FT_OK);
    ck_assert_ptr_ne(b.path, a.path);
    ck_assert_str_eq(b.path, "p");
    ck_assert_str_eq(b.error, a.error);
    ck_assert_ptr_null(b.output);
    batch_row_cleanup(&b);
}
END_TEST

static const struct {
    batch_status a_status, b_status;
    const char *a_time, *b_time;
    const char *a_sha, *b_sha;
    int b_wins;
} newer_cases[] = {
    {BATCH_OK, BATCH_OK, "2026-01-01", "2026-01-02", "a", "a", 1},
    {BATCH_OK, BATCH_OK, "2026-01-02", "2026-01-01", "a", "a", 0},
    {BATCH_REMOVED, BATCH_OK, "2026-01-02", "2026-01-01", "a", "b", 1},
    {BATCH_OK, BATCH_REMOVED, "2026-01-01", "2026-01-02", "a", "b", 0},
    {BATCH_OK, BATCH_OK, "2026-01-01", "2026-01-01", "a", "b", 1},
    {BATCH_OK, BATCH_OK, "2026-01-01", "2026-01-01", "b", "a", 0},
    {BATCH_OK, BATCH_OK, "2026-01-01", "2026-01-01", "a", "a", 0},
};

START_TEST(manifest_newer)
{
    batch_row a, b;
    batch_row_init(&a);
    batch_row_init(&b);
    a.status = newer_cases[_i].a_status;
    b.status = newer_cases[_i].b_status;
    snprintf(a.updated, sizeof a.updated, "%s", newer_cases[_i].a_time);
    snprintf(b.updated, sizeof b.updated, "%s", newer_cases[_i].b_time);
    snprintf(a.sha256, sizeof a.sha256, "%s", newer_cases[_i].a_sha);
    snprintf(b.sha256, sizeof b.sha256, "%s", newer_cases[_i].b_sha);
    ck_assert_int_eq(batch_row_newer(&a, &b), newer_cases[_i].b_wins);
    /* Never both ways: merge order cannot change the result. */
    if (batch_row_newer(&a, &b))
        ck_assert_int_eq(batch_row_newer(&b, &a), 0);
}
END_TEST

START_TEST(manifest_status_names)
{
    batch_status s;
    for (int i = BATCH_PENDING; i <= BATCH_REMOVED; i++) {
        ck_assert_int_eq(batch_status_parse(batch_status_name(i), &s), FT_OK);
        ck_assert_int_eq(s, i);
    }
    ck_assert_int_eq(batch_status_parse("done", &s), FT_FORMAT);
}
END_TEST

static Suite *manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc = tcase_create("manifest");
    tcase_add_test(tc, manifest_roundtrip);
    tcase_add_test(tc, manifest_copy_row);
    tcase_add_loop_test(tc, manifest_newer, 0,
                        (int)(sizeof newer_cases / sizeof *newer_cases));
    tcase_add_test(tc, manifest_status_names);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- lock ---------------------------------------------------------------------- */

START_TEST(lock_exclusive)
{
    batch_lock a, b;
    char msg[512], path[300], want[64];
    make_tmpdir();
    snprintf(path, sizeof path, "%s/lock", tmpdir);
    ck_assert_int_eq(batch_lock_acquire(&a, path, msg, sizeof msg), FT_OK);
    /* flock locks belong to open file descriptions: a second open in the
     * same process conflicts like another process would. */
    ck_assert_int_eq(batch_lock_acquire(&b, path, msg, sizeof msg), FT_LIMIT);
    ck_assert_int_eq(b.fd, -1);
    snprintf(want, sizeof want, "pid %ld since", (long)getpid());
    ck_assert_msg(strstr(msg, want) != NULL, "message: %s", msg);
    /* Close-on-exec, so the stages never hold it. */
    ck_assert_int_ne(fcntl(a.fd, F_GETFD) & FD_CLOEXEC, 0);
    batch_lock_release(&a);
    batch_lock_release(&a); /* twice is harmless */
    ck_assert_int_eq(batch_lock_acquire(&b, path, msg, sizeof msg), FT_OK);
    batch_lock_release(&b);
    snprintf(path, sizeof path, "%s/no/such/dir/lock", tmpdir);
    ck_assert_int_eq(batch_lock_acquire(&b, path, msg, sizeof msg), FT_IO);
    rm_tmpdir();
}
END_TEST

static Suite *lock_suite(void)
{
    Suite *s = suite_create("lock");
    TCase *tc = tcase_create("lock");
    tcase_add_test(tc, lock_exclusive);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- report and log helpers -------------------------------------------------- */

static const struct {
    const char *in;
    const char *out;
} json_cases[] = {
    {"plain", "\"plain\""},
    {"a\"b\\c", "\"a\\\"b\\\\c\""},
    {"tab\there\n", "\"tab\\u0009here\\u000a\""},
    {"\xe9\xa1\xb9\xe7\x9b\xae", "\"\xe9\xa1\xb9\xe7\x9b\xae\""}, /* 项目 raw */
    {"bad\xff" "byte", "\"bad\xef\xbf\xbd" "byte\""},        /* U+FFFD */
    {"cut\xe9\xa1", "\"cut\xef\xbf\xbd\xef\xbf\xbd\""},      /* per byte */
    {NULL, "null"},
};

START_TEST(report_json_string)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    batch_json_string(f, json_cases[_i].in);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_str_eq(buf, json_cases[_i].out);
    free(buf);
}
END_TEST

static const struct {
    double s;
    const char *out;
} duration_cases[] = {
    {0, "0s"}, {12.4, "12s"}, {59.6, "1m00s"}, {588, "9m48s"},
    {3720, "1h02m"}, {-3, "0s"},
};

START_TEST(log_duration)
{
    char out[32];
    batch_log_duration(duration_cases[_i].s, out, sizeof out);
    ck_assert_str_eq(out, duration_cases[_i].out);
}
END_TEST

START_TEST(report_file_is_atomic)
{
    batch_report r;
    batch_opts o;
    batch_counts c;
    char path[300], msg[128];
    char *argv[] = {"formtab-batch", "in", "out", NULL};
    struct stat st;
    make_tmpdir();
    ck_assert_int_eq(batch_opts_parse(&o, 3, argv, msg, sizeof msg), FT_OK);
    snprintf(path, sizeof path, "%s/r.json", tmpdir);
    batch_report_head h = {"2026-01-01T00:00:00+0000", "/in", "/out", &o, 2};
    ck_assert_int_eq(batch_report_open(&r, path, &h), FT_OK);
    batch_report_removed(&r, "gone.pdf", "gone.pdf.csv", 0);
    batch_report_file e;
    memset(&e, 0, sizeof e);
    e.path = "a.pdf";
    e.status = "ok";
    e.exit_code = 0;
    batch_report_file_entry(&r, &e);
    /* Nothing at the final name until the report is closed. */
    ck_assert_int_ne(stat(path, &st), 0);
    memset(&c, 0, sizeof c);
    c.processed = 1;
    ck_assert_int_eq(batch_report_close(&r, "2026-01-01T00:00:01+0000", &c, 0,
                                        "ok"),
                     FT_OK);
    ck_assert_int_eq(stat(path, &st), 0);
    FILE *f = fopen(path, "r");
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    ck_assert_ptr_nonnull(strstr(text, "\"removed\":[\n{\"path\":\"gone.pdf\""));
    ck_assert_ptr_nonnull(strstr(text, "\"files\":[\n{\"path\":\"a.pdf\""));
    ck_assert_ptr_nonnull(strstr(text, "\"processed\":1,"));
    ck_assert_ptr_nonnull(strstr(text, "\"exit_code\":0,\"status\":\"ok\"}\n"));
    rm_tmpdir();
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_loop_test(tc, report_json_string, 0,
                        (int)(sizeof json_cases / sizeof *json_cases));
    tcase_add_loop_test(tc, log_duration, 0,
                        (int)(sizeof duration_cases / sizeof *duration_cases));
    tcase_add_test(tc, report_file_is_atomic);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- the HTML run page ---------------------------------------------------- */

static const struct {
    unsigned depth;
    const char *rel, *url;
} url_cases[] = {
    {0, "a/b.pdf.csv", "a/b.pdf.csv"},
    {2, "2020/x_y-z~.txt", "../../2020/x_y-z~.txt"},
    {1, "a#b?c%.txt", "../a%23b%3Fc%25.txt"},
    {0, "<script>alert(1)</script>.txt",
     "%3Cscript%3Ealert%281%29%3C/script%3E.txt"},
    {0, "sp ace\"q'&.pdf", "sp%20ace%22q%27%26.pdf"},
    {0, "\xe9\xa1\xb9\xe7\x9b\xae.pdf", "%E9%A1%B9%E7%9B%AE.pdf"}, /* 项目 */
    {0, "javascript:alert(1)", "javascript%3Aalert%281%29"},
    {0, "bad\xff\x01", "bad%FF%01"},
};

START_TEST(html_url)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(batch_html_put_url(f, url_cases[_i].depth,
                                        url_cases[_i].rel), 0);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_str_eq(buf, url_cases[_i].url);
    free(buf);
}
END_TEST

/* Entries of the directory tmpdir/rel, "" if none; names joined by ' '. */
static void dir_names(const char *rel, char *out, size_t cap)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    out[0] = '\0';
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", n ? " " : "", e->d_name);
    }
    closedir(d);
}

static char *read_whole(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

START_TEST(html_page)
{
    batch_html h;
    batch_opts o;
    batch_counts c;
    char path[300], msg[128], names[512];
    char *argv[] = {"formtab-batch", "in", "out", "--review", NULL};
    struct stat st;
    make_tmpdir();
    make_dir("runs");
    ck_assert_int_eq(batch_opts_parse(&o, 4, argv, msg, sizeof msg), FT_OK);
    snprintf(path, sizeof path, "%s/runs/p.html", tmpdir);
    /* A directory name that is markup too: the head escapes it. */
    batch_report_head hd = {"2026-01-01T00:00:00+0000", "/in/<b>x</b>",
                            "/out", &o, 2};
    batch_html_where w = {&hd, 2, ".formtab/runs/p.json", NULL};
    ck_assert_int_eq(batch_html_open(&h, path, &w, 0644), FT_OK);

    batch_report_file e;
    memset(&e, 0, sizeof e);
    e.path = "<script>alert(1)</script>.txt";
    e.kind = "text";
    e.action = "new";
    e.status = "ok";
    e.output = "<script>alert(1)</script>.txt.csv";
    e.review = ".formtab/review/<script>alert(1)</script>.txt/index.html";
    e.pages = 1;
    e.tables = 2;
    e.records = 44;
    batch_html_file(&h, &e);
    memset(&e, 0, sizeof e);
    e.path = "sub/broken.pdf";
    e.kind = "pdf";
    e.action = "new";
    e.status = "failed";
    e.error = "formtab-extract: sub/broken.pdf: damaged <b>\"x\"</b> & 'y'";
    e.review_error = "formtab-extract wrote nothing to show";
    e.exit_code = 1;
    batch_html_file(&h, &e);
    memset(&e, 0, sizeof e);
    e.path = "p.pdf";
    e.status = "partial";
    e.output = "p.pdf.csv";
    e.pages = 2;
    e.failed_pages = 1;
    e.records = 11;
    e.seconds = 0.25;
    batch_html_file(&h, &e);
    /* A status formtab does not write never reaches a class attribute. */
    memset(&e, 0, sizeof e);
    e.path = "odd.pdf";
    e.status = "x\" onmouseover=\"y";
    batch_html_file(&h, &e);
    batch_html_removed(&h, "gone.pdf", "gone.pdf.csv", 0);

    /* Nothing at the final name until the page is closed. */
    ck_assert_int_ne(stat(path, &st), 0);
    memset(&c, 0, sizeof c);
    c.inputs = c.processed = 4;
    c.ok = 1;
    c.failed = 1;
    c.partial = 1;
    c.records = 55;
    ck_assert_int_eq(batch_html_close(&h, "2026-01-01T00:00:01+0000", &c, 6,
                                      "some-failed"),
                     FT_OK);
    /* The page alone: the row files were unlinked, the temporary renamed. */
    dir_names("runs", names, sizeof names);
    ck_assert_str_eq(names, "p.html");
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644);

    const char *t = read_whole(path);
    ck_assert_ptr_nonnull(strstr(t, "<meta http-equiv=\"Content-Security-"
                                    "Policy\" content=\"" EXT_HTML_CSP "\">"));
    ck_assert_ptr_nonnull(strstr(t, "<link rel=\"stylesheet\" href=\""
                                    EXT_HTML_CSS_NAME "\">"));
    /* Markup from outside is text, never a tag. */
    ck_assert_ptr_null(strstr(t, "<script"));
    ck_assert_ptr_null(strstr(t, "<b>"));
    ck_assert_ptr_null(strstr(t, "onmouseover=\""));
    ck_assert_ptr_nonnull(strstr(t, "<code>/in/&lt;b&gt;x&lt;/b&gt;</code>"));
    ck_assert_ptr_nonnull(strstr(
        t, "<a href=\"../../.formtab/review/%3Cscript%3Ealert%281%29%3C/"
           "script%3E.txt/index.html\">&lt;script&gt;alert(1)&lt;/script"
           "&gt;.txt</a>"));
    ck_assert_ptr_nonnull(strstr(
        t, "<a href=\"../../%3Cscript%3Ealert%281%29%3C/script%3E.txt.csv"
           "\">&lt;script&gt;alert(1)&lt;/script&gt;.txt.csv</a>"));
    ck_assert_ptr_nonnull(strstr(t, "damaged &lt;b&gt;&quot;x&quot;&lt;/b&gt;"
                                    " &amp; &#39;y&#39;<br>no review page: "
                                    "formtab-extract wrote nothing to show"));
    /* The failed input is not linked; the partial one links its output. */
    ck_assert_ptr_nonnull(strstr(t, "<td class=\"path\">sub/broken.pdf</td>"));
    ck_assert_ptr_nonnull(strstr(t, "<a href=\"../../p.pdf.csv\">p.pdf</a>"));
    /* Counts in the row: pages, failed pages, tables, records. */
    ck_assert_ptr_nonnull(strstr(
        t, "<td class=\"st partial\">partial</td><td class=\"num\">2</td>"
           "<td class=\"num\">1</td><td class=\"num\">0</td>"
           "<td class=\"num\">11</td><td class=\"num\">0</td>"
           "<td class=\"num\">0.25</td>"));
    ck_assert_ptr_nonnull(strstr(t, "<tr class=\"r-other\" id=\"f4\">"));
    ck_assert_ptr_nonnull(strstr(t, "<h2>Needs attention (3)</h2>"));
    ck_assert_ptr_nonnull(strstr(t, "<h2>Files (4)</h2>"));
    ck_assert_ptr_nonnull(strstr(t, "<h2>Removed from the input tree (1)"));
    ck_assert_ptr_nonnull(strstr(t, "<a href=\"../../gone.pdf.csv\">"));
    ck_assert_ptr_nonnull(strstr(t, "id=\"sum-records\">55<"));
    ck_assert_ptr_nonnull(strstr(t, "id=\"run-status\">some-failed</span> "
                                    "(exit 6)"));
    ck_assert_ptr_nonnull(strstr(t, "href=\"../../.formtab/runs/p.json\""));
    /* The sections come in order: summary, attention, files, removed. */
    const char *sum = strstr(t, "id=\"summary\""), *att = strstr(t, "id=\"attention\""),
               *fil = strstr(t, "id=\"files\""), *rem = strstr(t, "id=\"removed\"");
    ck_assert(sum && att && fil && rem && sum < att && att < fil && fil < rem);
    ck_assert_ptr_nonnull(strstr(t, "</body>\n</html>\n"));

    /* An aborted page leaves nothing. */
    snprintf(path, sizeof path, "%s/runs/q.html", tmpdir);
    ck_assert_int_eq(batch_html_open(&h, path, &w, 0644), FT_OK);
    batch_html_file(&h, &e);
    batch_html_abort(&h);
    ck_assert_int_ne(stat(path, &st), 0);
    dir_names("runs", names, sizeof names);
    ck_assert_str_eq(names, "p.html");
    rm_tmpdir();
}
END_TEST

START_TEST(html_empty_run)
{
    batch_html h;
    batch_opts o;
    batch_counts c;
    char path[300], msg[128];
    char *argv[] = {"formtab-batch", "in", "out", "--load=postgres",
                    "--format=jsonl", NULL};
    make_tmpdir();
    ck_assert_int_eq(batch_opts_parse(&o, 5, argv, msg, sizeof msg), FT_OK);
    snprintf(path, sizeof path, "%s/report.html", tmpdir);
    batch_report_head hd = {"2026-01-01T00:00:00+0000", "/in", "/out", &o, 1};
    batch_html_where w = {&hd, 1, ".formtab/runs/r.json",
                          ".formtab/runs/r.html"};
    ck_assert_int_eq(batch_html_open(&h, path, &w, 0644), FT_OK);
    memset(&c, 0, sizeof c);
    c.unchanged = 7;
    ck_assert_int_eq(batch_html_close(&h, "2026-01-01T00:00:01+0000", &c, 0,
                                      "ok"),
                     FT_OK);
    const char *t = read_whole(path);
    ck_assert_ptr_nonnull(strstr(t, "<h2>Needs attention (0)</h2>\n<p>"));
    ck_assert_ptr_nonnull(strstr(t, "<h2>Files (0)</h2>\n<p>"));
    ck_assert_ptr_null(strstr(t, "<table class=\"runs\" id=\"file-list\""));
    ck_assert_ptr_nonnull(strstr(t, "id=\"sum-unchanged\">7<"));
    ck_assert_ptr_nonnull(strstr(t, "<a href=\"../.formtab/runs/r.html\">"));
    ck_assert_ptr_nonnull(strstr(t, ", load postgres"));
    ck_assert_ptr_nonnull(strstr(t, "class=\"st ok\" id=\"run-status\""));
    rm_tmpdir();
}
END_TEST

/* batch__remove_review: the folder's files and the folder go, then empty
 * directories above it, never a sibling's. */
START_TEST(html_remove_review)
{
    char root[300], p[400];
    struct stat st;
    make_tmpdir();
    make_dir("review");
    make_dir("review/2020");
    make_dir("review/2020/a.pdf");
    make_dir("review/2020/b.pdf");
    make_dir("review/2021");
    make_dir("review/2021/c.txt");
    write_file("review/2020/a.pdf/index.html", "x", 1);
    write_file("review/2020/a.pdf/page-0001.png", "x", 1);
    write_file("review/2020/a.pdf/index.html.tmp.Ab12Cd", "x", 1);
    write_file("review/2020/b.pdf/index.html", "x", 1);
    write_file("review/2021/c.txt/index.html", "x", 1);
    snprintf(root, sizeof root, "%s/review", tmpdir);
    ck_assert_int_eq(batch__remove_review(root, "2020/a.pdf"), 0);
    snprintf(p, sizeof p, "%s/2020/a.pdf", root);
    ck_assert_int_ne(stat(p, &st), 0);
    snprintf(p, sizeof p, "%s/2020/b.pdf/index.html", root);
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert_int_eq(batch__remove_review(root, "2021/c.txt"), 0);
    snprintf(p, sizeof p, "%s/2021", root);
    ck_assert_int_ne(stat(p, &st), 0); /* left empty: gone */
    ck_assert_int_eq(stat(root, &st), 0); /* the root stays */
    /* None there: nothing to do, no error. */
    ck_assert_int_eq(batch__remove_review(root, "2022/none.pdf"), 0);
    rm_tmpdir();
}
END_TEST

static Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("html");
    tcase_add_loop_test(tc, html_url, 0,
                        (int)(sizeof url_cases / sizeof *url_cases));
    tcase_add_test(tc, html_page);
    tcase_add_test(tc, html_empty_run);
    tcase_add_test(tc, html_remove_review);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(opts_suite());
    srunner_add_suite(sr, walk_suite());
    srunner_add_suite(sr, tap_suite());
    srunner_add_suite(sr, job_suite());
    srunner_add_suite(sr, manifest_suite());
    srunner_add_suite(sr, lock_suite());
    srunner_add_suite(sr, report_suite());
    srunner_add_suite(sr, html_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
