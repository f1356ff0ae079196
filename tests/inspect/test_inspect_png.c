/* The PNG overlay of formtab-inspect, looked at pixel by pixel: a ruled
 * table with one merged cell is drawn into a PDF with cairo (geometry chosen
 * by hand below), formtab-inspect draws its overlay at 100 dpi, and the
 * pixels where a rule is, inside the merged cell, on a cell box, on the
 * table frame and where nothing is must have the overlay's colours. Run
 * twice: from hand-written streams (the drawing alone) and through the real
 * formtab-extract | formtab-normalize (the whole chain). Also the command
 * line's help, usage errors and exit codes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_sha256.h"
#include "inspect_testlib.h"

#define INSPECT FORMTAB_BINARY_DIR "/formtab-inspect"

/* Letter page; a 3 x 3 table at (72, 108) pt, columns 144 pt, rows 36 pt;
 * row 1's first two cells are merged (no line at x = 216 in row 1). */
static const double COLW[] = {144, 144, 144};
static const double ROWH[] = {36, 36, 36};
static const tl_cell CELLS[] = {
    {1, 1, 1, 2, "Merged"}, {1, 3, 1, 1, "C1"},
    {2, 1, 1, 1, "A2"},     {2, 2, 1, 1, "B2"}, {2, 3, 1, 1, "C2"},
    {3, 1, 1, 1, "A3"},     {3, 2, 1, 1, "B3"}, {3, 3, 1, 1, "C3"},
};
static const tl_grid GRID = {612, 792, 72, 108, COLW, 3, ROWH, 3,
                             CELLS, sizeof CELLS / sizeof CELLS[0], 10};

/* The same page as formtab's streams, written by hand from the geometry
 * above; tl_stream() puts the header and doc record before them. */
static const char LAYOUT[] =
    "page\t1\t612.00\t792.00\t0\ttext\n"
    "rule\t72.00\t108.00\t504.00\t108.00\n"
    "rule\t72.00\t144.00\t504.00\t144.00\n"
    "rule\t72.00\t180.00\t504.00\t180.00\n"
    "rule\t72.00\t216.00\t504.00\t216.00\n"
    "rule\t72.00\t108.00\t72.00\t216.00\n"
    "rule\t216.00\t144.00\t216.00\t216.00\n"
    "rule\t360.00\t108.00\t360.00\t216.00\n"
    "rule\t504.00\t108.00\t504.00\t216.00\n"
    "text\t76.00\t121.00\t112.00\t131.00\t10.00\t0\t\tMerged\n"
    "text\t364.00\t121.00\t377.00\t131.00\t10.00\t0\t\tC1\n"
    "endpage\t1\tok\n"
    "end\t1\t0\n";

static const char TABLES[] =
    "table\t1\t1\t1\tlattice\t3\t3\t72.00\t108.00\t504.00\t216.00\n"
    "cell\t1\t1\t1\t2\t1\t72.00\t108.00\t360.00\t144.00\t\t0\tMerged\n"
    "cell\t1\t3\t1\t1\t1\t360.00\t108.00\t504.00\t144.00\t\t0\tC1\n"
    "cell\t2\t1\t1\t1\t1\t72.00\t144.00\t216.00\t180.00\t\t0\tA2\n"
    "cell\t2\t2\t1\t1\t1\t216.00\t144.00\t360.00\t180.00\t\t0\tB2\n"
    "cell\t2\t3\t1\t1\t1\t360.00\t144.00\t504.00\t180.00\t\t0\tC2\n"
    "cell\t3\t1\t1\t1\t1\t72.00\t180.00\t216.00\t216.00\t\t0\tA3\n"
    "cell\t3\t2\t1\t1\t1\t216.00\t180.00\t360.00\t216.00\t\t0\tB3\n"
    "cell\t3\t3\t1\t1\t1\t360.00\t180.00\t504.00\t216.00\t\t0\tC3\n"
    "endtable\t1\n"
    "end\t1\t0\n";

/* Points to pixels at the overlay's 100 dpi. */
static int px(double pt)
{
    return (int)(pt * 100.0 / 72.0 + 0.5);
}

typedef enum { RED, TINT, GREEN, BLUE, WHITE } colour;

static int is(colour c, const int p[3])
{
    switch (c) {
    case RED: /* the rule colour (219, 0, 0) */
        return p[0] >= 170 && p[1] <= 60 && p[2] <= 60;
    case TINT: /* amber at 35 % over white paper: (255, 226, 166) */
        return p[0] >= 235 && p[1] >= 205 && p[1] <= 245 && p[2] >= 130 &&
               p[2] <= 200;
    case GREEN: /* cell box (0, 161, 0) */
        return p[1] >= 120 && p[0] <= 80 && p[2] <= 80;
    case BLUE: /* table frame (0, 48, 255) */
        return p[2] >= 180 && p[0] <= 60 && p[1] <= 110;
    case WHITE:
        return p[0] >= 245 && p[1] >= 245 && p[2] >= 245;
    }
    return 0;
}

/* A probe: some pixel within `slack` pixels of (x, y) along the axis
 * across the line (dx, dy) has colour c; slack 0 for a single pixel. */
typedef struct {
    const char *what;
    double x, y;  /* points */
    int dx, dy;   /* direction searched, for lines */
    int slack;
    colour c;
} probe;

static const probe PROBES[] = {
    /* the horizontal rule under row 2, in the middle of column 2 */
    {"rule y=180", 288, 180, 0, 1, 3, RED},
    /* the vertical rule between columns 2 and 3, in row 3 */
    {"rule x=360", 360, 198, 1, 0, 3, RED},
    /* inside the merged cell, where the line between columns 1 and 2 would
     * be if the cells were not merged: tint, not rule, not cell box */
    {"merged cell over x=216", 216, 126, 0, 0, 0, TINT},
    {"merged cell, right part", 324, 136, 0, 0, 0, TINT},
    /* just inside the left edge of cell (2,2): its green box */
    {"cell box of (2,2)", 218.5, 162, 1, 0, 5, GREEN},
    /* the table's left edge */
    {"table frame", 72, 198, 1, 0, 3, BLUE},
    /* an empty part of a cell that is not merged: not tinted */
    {"inside cell (3,3)", 480, 198, 0, 0, 0, WHITE},
    /* nothing there at all */
    {"below the table", 300, 400, 0, 0, 0, WHITE},
    {"right margin", 570, 150, 0, 0, 0, WHITE},
};

static int probe_ok(const tl_png *png, const probe *p, int found[3])
{
    int x = px(p->x), y = px(p->y);
    for (int d = -p->slack; d <= p->slack; d++) {
        int rgb[3];
        if (tl_png_rgb(png, x + d * p->dx, y + d * p->dy, rgb))
            continue;
        memcpy(found, rgb, sizeof rgb);
        if (is(p->c, rgb))
            return 1;
    }
    return 0;
}

/* _i: 0 hand-written streams, 1 the real extract | normalize. */
START_TEST(overlay_pixels)
{
    char *dir = tl_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char pdf[4200], png_path[4200], lpath[4200], tpath[4200], err[4200];
    snprintf(pdf, sizeof pdf, "%s/ruled.pdf", dir);
    snprintf(png_path, sizeof png_path, "%s/page.png", dir);
    snprintf(lpath, sizeof lpath, "%s/page.layout", dir);
    snprintf(tpath, sizeof tpath, "%s/page.tables", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    ck_assert_int_eq(tl_make_pdf(pdf, &GRID), 0);

    int st;
    if (_i == 0) {
        char sha[65];
        ck_assert_int_eq(ft_sha256_file(pdf, sha), 0);
        char *l = tl_stream("formtab-layout", pdf, sha, LAYOUT), *t = tl_stream("formtab-tables", pdf, sha, TABLES);
        ck_assert_int_eq(tl_write_file(lpath, l), 0);
        ck_assert_int_eq(tl_write_file(tpath, t), 0);
        free(l);
        free(t);
        char *argv[] = {INSPECT, "--layout", lpath, "--tables", tpath,
                        pdf, "-o", png_path, NULL};
        st = tl_run(argv, NULL, err, 60);
    } else {
        char *argv[] = {INSPECT, pdf, "-o", png_path, NULL};
        st = tl_run(argv, NULL, err, 120);
    }
    char *errs = tl_read_file(err, NULL);
    ck_assert_msg(st == 0, "formtab-inspect exit %d: %s", st,
                  errs ? errs : "");
    /* from the hand-written streams nothing is worth a warning */
    if (_i == 0)
        ck_assert_str_eq(errs, "");
    free(errs);

    tl_png *png = tl_png_load(png_path);
    ck_assert_ptr_nonnull(png);
    /* 612 x 792 pt at 100 dpi, plus the legend strip below the page */
    ck_assert_int_eq(tl_png_width(png), 850);
    ck_assert_int_gt(tl_png_height(png), 1100);
    for (size_t k = 0; k < sizeof PROBES / sizeof PROBES[0]; k++) {
        int rgb[3] = {-1, -1, -1};
        ck_assert_msg(probe_ok(png, &PROBES[k], rgb),
                      "%s: (%d,%d) is rgb(%d,%d,%d)", PROBES[k].what,
                      px(PROBES[k].x), px(PROBES[k].y), rgb[0], rgb[1],
                      rgb[2]);
    }
    /* the legend strip is not white paper */
    int rgb[3];
    ck_assert_int_eq(tl_png_rgb(png, 2, tl_png_height(png) - 2, rgb), 0);
    ck_assert(!is(WHITE, rgb));
    tl_png_free(png);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

/* ---- the command line ---- */

static const struct {
    const char *args[6];
    int status;
    const char *out_prefix;  /* stdout starts with this, or NULL: empty */
    const char *err_has;     /* stderr contains this, or NULL: empty */
} CLI[] = {
    {{"--help"}, 0, "Usage: formtab-inspect", NULL},
    {{"--version"}, 0, "formtab-inspect ", NULL},
    {{NULL}, 2, NULL, "formtab-inspect: missing FILE\n"
                      "Try 'formtab-inspect --help' for more information.\n"},
    {{"x.pdf"}, 2, NULL, "give one of -o PNG or --html DIR"},
    {{"x.pdf", "-o", "a.png", "--html", "d"}, 2, NULL, "give one of"},
    {{"x.pdf", "-o", "a.png", "--dpi", "5"}, 2, NULL, "invalid --dpi '5'"},
    {{"x.pdf", "-o", "a.png", "--pages", "1-2"}, 2, NULL, "--page N"},
    {{"x.pdf", "--html", "d", "--pages", "3-1"}, 2, NULL, "invalid --pages"},
    {{"x.pdf", "--bogus"}, 2, NULL, "unrecognized option '--bogus'"},
    {{"-", "-o", "a.png"}, 2, NULL, "FILE must be a file"},
    {{"/nonexistent/x.pdf", "-o", "/nonexistent/a.png"}, 1, NULL,
     "formtab-inspect: /nonexistent/x.pdf: formtab-extract failed"},
};

START_TEST(cli)
{
    char *dir = tl_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char out[4200], err[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    char *argv[8] = {INSPECT};
    size_t n = 1;
    for (size_t k = 0; k < 6 && CLI[_i].args[k]; k++)
        argv[n++] = (char *)CLI[_i].args[k];
    argv[n] = NULL;
    int st = tl_run(argv, out, err, 60);
    char *o = tl_read_file(out, NULL), *e = tl_read_file(err, NULL);
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_nonnull(e);
    ck_assert_msg(st == CLI[_i].status, "case %d: exit %d, stderr: %s", _i,
                  st, e);
    if (CLI[_i].out_prefix)
        ck_assert_msg(!strncmp(o, CLI[_i].out_prefix,
                               strlen(CLI[_i].out_prefix)),
                      "stdout: %s", o);
    else
        ck_assert_str_eq(o, "");
    if (CLI[_i].err_has) {
        ck_assert_msg(strstr(e, CLI[_i].err_has) != NULL, "stderr: %s", e);
        /* one message from formtab-inspect: a usage error is its line
         * plus the hint; an input error may follow the stage's own line */
        size_t lines = 0;
        for (const char *p = e; *p; p++)
            lines += *p == '\n';
        ck_assert_uint_le(lines, 2);
        ck_assert_msg(!strncmp(e, "formtab-inspect: ", 17) ||
                          strstr(e, "\nformtab-inspect: ") != NULL,
                      "stderr: %s", e);
    } else {
        ck_assert_str_eq(e, "");
    }
    free(o);
    free(e);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

/* A page past the end is a usage error naming the page count. */
START_TEST(page_out_of_range)
{
    char *dir = tl_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char pdf[4200], png[4200], lpath[4200], err[4200], sha[65];
    snprintf(pdf, sizeof pdf, "%s/ruled.pdf", dir);
    snprintf(png, sizeof png, "%s/p.png", dir);
    snprintf(lpath, sizeof lpath, "%s/l", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    ck_assert_int_eq(tl_make_pdf(pdf, &GRID), 0);
    ck_assert_int_eq(ft_sha256_file(pdf, sha), 0);
    char *l = tl_stream("formtab-layout", pdf, sha, LAYOUT);
    ck_assert_int_eq(tl_write_file(lpath, l), 0);
    free(l);
    char *argv[] = {INSPECT, "--layout", lpath, "--tables", lpath, pdf,
                    "--page", "2", "-o", png, NULL};
    /* --tables given a layout stream: a warning, the rules still drawn */
    int st = tl_run(argv, NULL, err, 60);
    char *e = tl_read_file(err, NULL);
    ck_assert_int_eq(st, 2);
    ck_assert_msg(strstr(e, "page 2 is not in the layout stream (the "
                            "document has 1 page)") != NULL, "%s", e);
    ck_assert_msg(strstr(e, "warning:") != NULL, "%s", e);
    ck_assert_int_ne(access(png, F_OK), 0);
    free(e);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

static Suite *png_suite(void)
{
    Suite *s = suite_create("inspect_png");
    TCase *tc = tcase_create("overlay");
    tcase_set_timeout(tc, 240);
    tcase_add_loop_test(tc, overlay_pixels, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, cli, 0, (int)(sizeof CLI / sizeof CLI[0]));
    tcase_add_test(tc, page_out_of_range);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(png_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
