/* formtab-extract on PDFs drawn here with cairo's C API (CJK text with
 * WenQuanYi Micro Hei at known positions, table rules at known places):
 * the top-left origin pinned, a run per cell, Latin word spaces kept, rules
 * at the drawn positions and none from text, clipped and covered text
 * flagged hidden, a /Rotate 90 page (qpdf),
 * Poppler's one-box-per-character contract, every kind of bad input, a
 * failing page among good ones, options (--pages, --area, --max-pages,
 * --ocr=never), degenerate pages, and standard input. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <check.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext_ocr.h"
#include "ext_testlib.h"

#define FONT "WenQuanYi Micro Hei"
#define A4W 595.28
#define A4H 841.89

static const double XS[] = {56.7, 150, 300, 420, 538.6};
static const double YS[] = {90, 112, 134, 156, 178, 200, 222};
#define NX 5
#define NY 7

static const char *CELLS[3][4] = {
    {"项目名称：", "合作交流工作业务费", "项目类别：", "经常性专项业务费"},
    {"金额", "37,780,000.00", "目标值", "≥90.00(%)"},
    {"Hello world foo", "233, 875. 26", "=100.00(次)", "否"},
};

static void text_at(cairo_t *cr, double x, double y, double size, int bold,
                    const char *s)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

/* The test form: a bold title, a 6-row ruled table (cell text 3 pt right of
 * the left rule, baseline 15 pt below the top rule), an unruled pair of
 * cells, a Latin sentence, and large text made of long strokes. */
static void draw_form(cairo_t *cr)
{
    text_at(cr, 150, 60, 18, 1, "财政项目支出绩效目标表");
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 60, 470);
    cairo_show_text(cr, "Performance targets");
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.75);
    for (int i = 0; i < NY; i++) {
        cairo_move_to(cr, XS[0], YS[i]);
        cairo_line_to(cr, XS[NX - 1], YS[i]);
    }
    for (int i = 0; i < NX; i++) {
        cairo_move_to(cr, XS[i], YS[0]);
        cairo_line_to(cr, XS[i], YS[NY - 1]);
    }
    cairo_stroke(cr);
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 4; k++)
            text_at(cr, XS[k] + 3, YS[r] + 15, 10.5, 0, CELLS[r][k]);
    text_at(cr, 60, 400, 10.5, 0, "左列");
    text_at(cr, 60 + 2 * 10.5 + 40, 400, 10.5, 0, "右列");
    text_at(cr, 60, 430, 10.5, 0, "Budget notes: this line of prose is Latin.");
    text_at(cr, 60, 700, 28, 1, "一二三——————二三");
    text_at(cr, 60, 750, 14, 0, "填报人：________________");
}

typedef void (*draw_fn)(cairo_t *cr, int page);

static char *make_pdf(const char *name, double w, double h, int npages,
                      draw_fn draw)
{
    char *path = t_path(name);
    cairo_surface_t *s = cairo_pdf_surface_create(path, w, h);
    cairo_t *cr = cairo_create(s);
    for (int p = 0; p < npages; p++) {
        draw(cr, p);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return path;
}

static void draw_form_page(cairo_t *cr, int page)
{
    (void)page;
    draw_form(cr);
}

static void draw_numbered(cairo_t *cr, int page)
{
    char buf[64];
    snprintf(buf, sizeof buf, "第%d页 page %d", page + 1, page + 1);
    text_at(cr, 50, 50, 12, 0, buf);
}

static void draw_nothing(cairo_t *cr, int page)
{
    (void)cr;
    (void)page;
}

/* An image-only page: text painted into a bitmap, the bitmap on the page
 * (a scan, as far as the text layer knows). */
static void draw_image_page(cairo_t *cr, int page)
{
    (void)page;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 100);
    cairo_t *ic = cairo_create(img);
    cairo_set_source_rgb(ic, 1, 1, 1);
    cairo_paint(ic);
    cairo_set_source_rgb(ic, 0, 0, 0);
    text_at(ic, 10, 60, 40, 0, "扫描 scan");
    cairo_destroy(ic);
    cairo_set_source_surface(cr, img, 50, 50);
    cairo_paint(cr);
    cairo_surface_destroy(img);
}

/* ---- reading the stream ------------------------------------------------- */

typedef struct {
    double x0, y0, x1, y1, size;
    unsigned flags;
    char text[256];
} trun;

/* Find the text record whose text is exactly s; 1 if found. */
static int find_run(const char *stream, const char *s, trun *out)
{
    const char *p = stream;
    while (p && *p) {
        if (!strncmp(p, "text\t", 5)) {
            trun r;
            const char *t = p + 5;
            int n = 0;
            /* scanf's "\t" would eat the empty conf field too: parse the
             * six numbers, then walk the two tabs by hand. */
            if (sscanf(t, "%lf\t%lf\t%lf\t%lf\t%lf\t%u%n", &r.x0, &r.y0, &r.x1,
                       &r.y1, &r.size, &r.flags, &n) == 6 && t[n] == '\t') {
                t += n + 1;
                t = strchr(t, '\t'); /* skip conf */
                if (t) {
                    t++;
                    const char *e = strchr(t, '\n');
                    size_t len = e ? (size_t)(e - t) : strlen(t);
                    if (len < sizeof r.text) {
                        memcpy(r.text, t, len);
                        r.text[len] = '\0';
                        if (!strcmp(r.text, s)) {
                            if (out)
                                *out = r;
                            return 1;
                        }
                    }
                }
            }
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

typedef struct {
    double x0, y0, x1, y1;
} trule;

static size_t read_rules(const char *stream, trule *out, size_t max)
{
    size_t n = 0;
    for (const char *p = stream; p && *p;) {
        if (!strncmp(p, "rule\t", 5) && n < max &&
            sscanf(p + 5, "%lf\t%lf\t%lf\t%lf", &out[n].x0, &out[n].y0,
                   &out[n].x1, &out[n].y1) == 4)
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}

static int has_hrule(const trule *r, size_t n, double y, double x0, double x1)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].y0 == r[i].y1 && fabs(r[i].y0 - y) <= 1 && fabs(r[i].x0 - x0) <= 1 &&
            fabs(r[i].x1 - x1) <= 1)
            return 1;
    return 0;
}

static int has_vrule(const trule *r, size_t n, double x, double y0, double y1)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].x0 == r[i].x1 && fabs(r[i].x0 - x) <= 1 && fabs(r[i].y0 - y0) <= 1 &&
            fabs(r[i].y1 - y1) <= 1)
            return 1;
    return 0;
}

static char *form_pdf(void)
{
    static char *path;
    if (!path)
        path = make_pdf("form.pdf", A4W, A4H, 1, draw_form_page);
    return path;
}

static void run1(ext_run *r, const char *a0, const char *a1, const char *a2)
{
    const char *argv[4] = {a0, a1, a2, NULL};
    t_extract(r, argv, NULL);
}

/* ---- geometry ----------------------------------------------------------- */

START_TEST(origin_is_top_left)
{
    ext_run r;
    run1(&r, form_pdf(), NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "page\t1\t595.28\t841.89\t0\ttext\n"), "%s", r.out);
    trun t;
    ck_assert(find_run(r.out, "合作交流工作业务费", &t));
    /* drawn with its baseline at y = 90 + 15 from the top, x = 153 */
    ck_assert_double_eq_tol(t.x0, 153, 0.5);
    ck_assert(t.y0 > YS[0] && t.y0 < YS[0] + 15);
    ck_assert(t.y1 > YS[0] + 15 && t.y1 < YS[1]);
    ck_assert_double_eq_tol(t.size, 10.5, 0.01);
    ck_assert_uint_eq(t.flags, 0);
    ck_assert(find_run(r.out, "财政项目支出绩效目标表", &t));
    ck_assert(t.y1 < 70 && t.y0 > 40); /* near the top, not 842 - 60 */
    /* Bold comes from the font name: a real bold face is flagged (cairo's
     * synthetic bold of the CJK title keeps the regular name, and cannot
     * be told from the text layer). */
    ck_assert(find_run(r.out, "Performance targets", &t));
    ck_assert_uint_eq(t.flags & 1, 1);
    ck_assert(find_run(r.out, "Budget notes: this line of prose is Latin.", &t));
    ck_assert_uint_eq(t.flags & 1, 0);
    ext_run_cleanup(&r);
}
END_TEST

START_TEST(a_run_per_cell)
{
    ext_run r;
    run1(&r, form_pdf(), NULL, NULL);
    for (int row = 0; row < 3; row++)
        for (int k = 0; k < 4; k++) {
            trun t;
            ck_assert_msg(find_run(r.out, CELLS[row][k], &t), "cell %d,%d '%s'",
                          row, k, CELLS[row][k]);
            ck_assert(t.x0 > XS[k] && t.x0 < XS[k] + 4);
        }
    /* unruled neighbours 40 pt apart are two runs; a Latin sentence is one */
    ck_assert(find_run(r.out, "左列", NULL));
    ck_assert(find_run(r.out, "右列", NULL));
    ck_assert(find_run(r.out, "Budget notes: this line of prose is Latin.", NULL));
    ext_run_cleanup(&r);
}
END_TEST

START_TEST(rules_at_drawn_positions_none_from_text)
{
    ext_run r;
    trule rules[64];
    run1(&r, form_pdf(), NULL, NULL);
    size_t n = read_rules(r.out, rules, 64);
    ck_assert_uint_eq(n, NX + NY);
    for (int i = 0; i < NY; i++)
        ck_assert_msg(has_hrule(rules, n, YS[i], XS[0], XS[NX - 1]), "row %d", i);
    for (int i = 0; i < NX; i++)
        ck_assert_msg(has_vrule(rules, n, XS[i], YS[0], YS[NY - 1]), "col %d", i);
    /* rules come before the text of the page */
    ck_assert(strstr(r.out, "rule\t") < strstr(r.out, "text\t"));
    ext_run_cleanup(&r);
}
END_TEST

/* A one-page A4 PDF written by hand around the content stream `content`
 * (font /F1 = Helvetica), with a correct cross-reference table: cairo drops
 * text it can tell is clipped away, LibreOffice does not. Path on the heap. */
static char *raw_pdf(const char *name, const char *content)
{
    char buf[8192];
    long off[6];
    int n = 0;
    n += snprintf(buf + n, sizeof buf - (size_t)n, "%%PDF-1.4\n");
    off[1] = n;
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    off[2] = n;
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    off[3] = n;
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                  "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >> "
                  "endobj\n");
    off[4] = n;
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "4 0 obj << /Length %zu >> stream\n%s\nendstream endobj\n",
                  strlen(content) + 1, content);
    off[5] = n;
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                  ">> endobj\n");
    long xref = n;
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i <= 5; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%010ld 00000 n \n",
                      off[i]);
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n",
                  xref);
    ck_assert(n > 0 && (size_t)n < sizeof buf);
    return t_write(name, buf, (size_t)n);
}

/* Text drawn and clipped away (as LibreOffice draws a merged cell split by
 * a page break: fixtures/pdf/lo-seed001), white text and text under a filled
 * box show nothing on the page: flagged hidden (16). Text in view, also
 * half-clipped, pale, crossed by a rule or on a shaded cell, is not. PDF y
 * runs upwards here: the page is 842 pt high. */
static const char clipped_content[] =
    "0 G 0.75 w 100 642 300 100 re S 100 692 m 400 692 l S\n"
    "q 100 642 300 100 re W n\n"
    "BT /F1 10 Tf 110 710 Td (Visible) Tj ET\n"
    "BT /F1 10 Tf 110 560 Td (Clipped) Tj ET\n"
    "BT /F1 10 Tf 110 638 Td (Halfway) Tj ET\n"
    "Q\n"
    "BT /F1 10 Tf 0.8 g 110 660 Td (Pale) Tj ET\n"
    "BT /F1 10 Tf 1 g 110 500 Td (White) Tj ET\n"
    "BT /F1 10 Tf 0 g 110 450 Td (Covered) Tj ET\n"
    "0 g 105 445 80 15 re f\n"
    "0.85 g 100 400 300 30 re f\n"
    "BT /F1 10 Tf 0 g 110 410 Td (Shaded) Tj ET\n"
    "BT /F1 10 Tf 0 g 300 689 Td (Crossed) Tj ET\n";

START_TEST(clipped_text_hidden)
{
    static const struct {
        const char *text;
        unsigned hidden;
    } want[] = {
        {"Visible", 0}, {"Clipped", 16}, {"Halfway", 0}, {"Pale", 0},
        {"White", 16},  {"Covered", 16}, {"Shaded", 0},  {"Crossed", 0},
    };
    char *path = raw_pdf("clipped.pdf", clipped_content);
    ext_run r;
    run1(&r, path, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        trun t;
        ck_assert_msg(find_run(r.out, want[i].text, &t), "%s: %s", want[i].text,
                      r.out);
        ck_assert_msg((t.flags & 16) == want[i].hidden, "%s flags %u",
                      want[i].text, t.flags);
    }
    /* nothing on the test form is hidden */
    ext_run f;
    run1(&f, form_pdf(), NULL, NULL);
    for (int row = 0; row < 3; row++)
        for (int k = 0; k < 4; k++) {
            trun t;
            ck_assert(find_run(f.out, CELLS[row][k], &t));
            ck_assert_uint_eq(t.flags & 16, 0);
        }
    ck_assert_msg(!strstr(r.out, "warn\t"), "%s", r.out); /* a few words */
    ext_run_cleanup(&f);
    ext_run_cleanup(&r);
    free(path);

    /* a page whose text is all invisible says so */
    path = raw_pdf("invisible.pdf",
                   "BT /F1 10 Tf 1 g 100 700 Td (An invisible text layer over a "
                   "blank page) Tj ET\n");
    run1(&r, path, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "warn\t") && strstr(r.out, "not drawn on the page"),
                  "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.err, "warning: "));
    ext_run_cleanup(&r);
    free(path);
}
END_TEST

START_TEST(rotated_page)
{
    char *rot = t_path("form-rot90.pdf");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "qpdf --rotate=+90 '%s' '%s'", form_pdf(), rot);
    ck_assert_int_eq(t_sh(cmd), 0);
    ext_run a, b;
    run1(&a, form_pdf(), NULL, NULL);
    run1(&b, rot, NULL, NULL);
    ck_assert_int_eq(b.status, 0);
    ck_assert_msg(strstr(b.out, "page\t1\t841.89\t595.28\t90\ttext\n"), "%s", b.out);
    /* A point (x, y) of the upright page shows at (H - y, x) once turned a
     * quarter clockwise; the text reads downwards (flag 8). */
    trun t0, t1;
    ck_assert(find_run(a.out, "合作交流工作业务费", &t0));
    ck_assert(find_run(b.out, "合作交流工作业务费", &t1));
    ck_assert_double_eq_tol(t1.x0, A4H - t0.y1, 0.5);
    ck_assert_double_eq_tol(t1.x1, A4H - t0.y0, 0.5);
    ck_assert_double_eq_tol(t1.y0, t0.x0, 0.5);
    ck_assert_double_eq_tol(t1.y1, t0.x1, 0.5);
    ck_assert_uint_eq(t1.flags & 8, 8);
    trule rules[64];
    size_t n = read_rules(b.out, rules, 64);
    ck_assert_uint_eq(n, NX + NY);
    ck_assert(has_vrule(rules, n, A4H - YS[0], XS[0], XS[NX - 1]));
    ck_assert(has_hrule(rules, n, XS[0], A4H - YS[NY - 1], A4H - YS[0]));
    ext_run_cleanup(&a);
    ext_run_cleanup(&b);
    free(rot);
}
END_TEST

/* Poppler's documented contract, which the run builder relies on:
 * poppler_page_get_text_layout() gives one box per UTF-8 character of
 * poppler_page_get_text(), spaces and line ends included. */
START_TEST(one_box_per_character)
{
    char *rot = t_path("form-rot90b.pdf");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "qpdf --rotate=+90 '%s' '%s'", form_pdf(), rot);
    ck_assert_int_eq(t_sh(cmd), 0);
    const char *files[] = {form_pdf(), rot};
    for (int f = 0; f < 2; f++) {
        char *abs = g_canonicalize_filename(files[f], NULL);
        char *uri = g_filename_to_uri(abs, NULL, NULL);
        PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
        ck_assert_ptr_nonnull(doc);
        PopplerPage *page = poppler_document_get_page(doc, 0);
        char *text = poppler_page_get_text(page);
        PopplerRectangle *rects = NULL;
        guint n = 0;
        ck_assert(poppler_page_get_text_layout(page, &rects, &n));
        ck_assert_uint_eq(n, (guint)g_utf8_strlen(text, -1));
        ck_assert(n > 100);
        g_free(rects);
        g_free(text);
        g_object_unref(page);
        g_object_unref(doc);
        g_free(uri);
        g_free(abs);
    }
    free(rot);
}
END_TEST

/* ---- bad input ---------------------------------------------------------- */

/* Deterministic garbage with NUL bytes. */
static char *garbage(size_t n, const char *prefix)
{
    char *b = malloc(n);
    unsigned x = 12345;
    size_t k = strlen(prefix);
    memcpy(b, prefix, k);
    for (size_t i = k; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (char)(x >> 16);
    }
    return b;
}

typedef enum { MISSING, DIRECTORY, EMPTY, FAKE_PDF, GARBAGE, PDF_GARBAGE,
               ENCRYPTED, WRONG_PASSWORD } bad_kind;

static const struct {
    bad_kind kind;
    const char *want;
} bad_cases[] = {
    {MISSING, "No such file or directory"},
    {DIRECTORY, "is a directory"},
    {EMPTY, "empty input"},
    {FAKE_PDF, "not a PDF file"},
    {GARBAGE, "binary data"},
    {PDF_GARBAGE, "damaged or unreadable PDF"},
    {ENCRYPTED, "needs a password"},
    {WRONG_PASSWORD, "wrong password"},
};

START_TEST(bad_input_table)
{
    char *path = NULL;
    const char *pw = NULL;
    char *g = NULL;
    switch (bad_cases[_i].kind) {
    case MISSING:
        path = t_path("no-such-file.pdf");
        break;
    case DIRECTORY:
        path = strdup(t_tmpdir());
        break;
    case EMPTY:
        path = t_write("empty.txt", "", 0);
        break;
    case FAKE_PDF:
        path = t_write("fake.pdf", "hello, not a PDF\n", 17);
        break;
    case GARBAGE:
        g = garbage(5000, "");
        path = t_write("garbage.dat", g, 5000);
        break;
    case PDF_GARBAGE:
        g = garbage(5000, "%PDF-1.5\n");
        path = t_write("garbage.pdf", g, 5000);
        break;
    case ENCRYPTED:
    case WRONG_PASSWORD: {
        path = t_path("enc.pdf");
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "qpdf --encrypt user owner 256 -- '%s' '%s'",
                 form_pdf(), path);
        ck_assert_int_eq(t_sh(cmd), 0);
        if (bad_cases[_i].kind == WRONG_PASSWORD)
            pw = "--password=nope";
        break;
    }
    }
    ext_run r;
    run1(&r, pw ? pw : path, pw ? path : NULL, NULL);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(r.out_len == 0, "stdout not empty: %s", r.out);
    ck_assert_msg(t_count_lines(r.err) == 1, "stderr: %s", r.err);
    ck_assert(!strncmp(r.err, "formtab-extract: ", 17));
    ck_assert_msg(strstr(r.err, path) != NULL, "file not named: %s", r.err);
    ck_assert_msg(strstr(r.err, bad_cases[_i].want) != NULL, "stderr: %s", r.err);
    ext_run_cleanup(&r);
    free(path);
    free(g);
}
END_TEST

START_TEST(encrypted_with_password)
{
    char *path = t_path("enc-ok.pdf");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "qpdf --encrypt user owner 256 -- '%s' '%s'",
             form_pdf(), path);
    ck_assert_int_eq(t_sh(cmd), 0);
    ext_run r;
    run1(&r, "--password=user", path, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(find_run(r.out, "合作交流工作业务费", NULL));
    ext_run_cleanup(&r);
    free(path);
}
END_TEST

/* A truncated PDF: Poppler may rebuild it (then pages come out) or give up
 * (then nothing on stdout); never garbage, never a crash. */
START_TEST(truncated_pdf)
{
    size_t len;
    char *full = t_read(form_pdf(), &len);
    char *path = t_write("trunc.pdf", full, len * 2 / 5);
    ext_run r;
    run1(&r, path, NULL, NULL);
    ck_assert(r.status == 0 || r.status == 1);
    if (r.status == 1 && r.out_len == 0) {
        ck_assert_int_eq(t_count_lines(r.err), 1);
        ck_assert(strstr(r.err, path) != NULL);
    } else {
        ck_assert(strstr(r.out, "\nend\t") != NULL);
    }
    ext_run_cleanup(&r);
    free(path);
    free(full);
}
END_TEST

/* Page 2 of 3 has its page object destroyed: one page fails (Poppler drops
 * the broken object from its page tree, so the failure shows at the end),
 * the others come out, the stream is finished, exit 1. */
START_TEST(failed_page_among_good_ones)
{
    char *path = make_pdf("three.pdf", 300, 300, 3, draw_numbered);
    size_t len;
    char *d = t_read(path, &len);
    char *p2 = t_find(d, len, "<< /Type /Page % 2");
    ck_assert_ptr_nonnull(p2);
    char *end = t_find(p2, len - (size_t)(p2 - d), ">>\nendobj");
    ck_assert_ptr_nonnull(end);
    memset(p2, ' ', (size_t)(end + 2 - p2));
    memcpy(p2, "42", 2);
    free(path);
    path = t_write("three-bad.pdf", d, len);
    ext_run r;
    run1(&r, path, NULL, NULL);
    ck_assert_int_eq(r.status, 1);
    ck_assert(find_run(r.out, "第1页 page 1", NULL));
    ck_assert(find_run(r.out, "第3页 page 3", NULL));
    ck_assert(strstr(r.out, "endpage\t1\tok\n") != NULL);
    ck_assert(strstr(r.out, "\tfailed: page could not be read\n") != NULL);
    ck_assert(strstr(r.out, "end\t3\t1\n") != NULL);
    ck_assert_int_eq(t_count_lines(r.err), 1);
    ck_assert(strstr(r.err, ": page ") != NULL);
    ck_assert(strstr(r.err, path) != NULL);
    ext_run_cleanup(&r);
    free(path);
    free(d);
}
END_TEST

/* ---- options ------------------------------------------------------------ */

START_TEST(help_and_usage_errors)
{
    ext_run r;
    run1(&r, "--help", NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    const char *opts[] = {"--pages", "--area", "--password", "--max-pages",
                          "--encoding", "--ocr=", "--ocr-lang", "--dpi", "--quiet",
                          "--verbose", "--version", "Exit status"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        ck_assert_msg(strstr(r.out, opts[i]) != NULL, "--help lacks %s", opts[i]);
    ck_assert_uint_eq(r.err_len, 0);
    ext_run_cleanup(&r);

    const char *bad[][2] = {{"--frobnicate", NULL}, {"--pages=x", form_pdf()},
                            {"--area=1,2,3", form_pdf()}, {"--dpi=10", form_pdf()},
                            {"--ocr=sometimes", form_pdf()}, {"--max-pages=0", form_pdf()},
                            {form_pdf(), form_pdf()}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run1(&r, bad[i][0], bad[i][1], NULL);
        ck_assert_msg(r.status == 2, "%s: status %d", bad[i][0], r.status);
        ck_assert_uint_eq(r.out_len, 0);
        ck_assert(strstr(r.err, "Try 'formtab-extract --help'") != NULL);
        ext_run_cleanup(&r);
    }
}
END_TEST

START_TEST(pages_selection)
{
    char *path = make_pdf("five.pdf", 300, 300, 5, draw_numbered);
    ext_run r;
    run1(&r, "--pages=2,4-", path, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(!find_run(r.out, "第1页 page 1", NULL));
    ck_assert(find_run(r.out, "第2页 page 2", NULL));
    ck_assert(!find_run(r.out, "第3页 page 3", NULL));
    ck_assert(find_run(r.out, "第5页 page 5", NULL));
    ck_assert(strstr(r.out, "\tpdf\t5\n") != NULL);   /* doc: pages in the file */
    ck_assert(strstr(r.out, "end\t3\t0\n") != NULL);  /* end: pages written */
    ext_run_cleanup(&r);

    run1(&r, "--pages=9", path, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strstr(r.out, "end\t0\t0\n") != NULL);
    ck_assert(strstr(r.err, "warning: ") && strstr(r.err, "page 9"));
    ext_run_cleanup(&r);

    run1(&r, "--max-pages=2", path, NULL);
    ck_assert_int_eq(r.status, 4);
    ck_assert(strstr(r.out, "end\t2\t0\n") != NULL);
    ck_assert(strstr(r.err, "--max-pages") != NULL);
    ext_run_cleanup(&r);
    free(path);
}
END_TEST

START_TEST(area_selection)
{
    /* Only the first table row: top 88, left 50, bottom 112, right 560. */
    ext_run r;
    run1(&r, "--area=88,50,111,560", form_pdf(), NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(find_run(r.out, "合作交流工作业务费", NULL));
    ck_assert(!find_run(r.out, "金额", NULL));
    ck_assert(!find_run(r.out, "财政项目支出绩效目标表", NULL));
    trule rules[64];
    size_t n = read_rules(r.out, rules, 64);
    ck_assert(n > 0);
    for (size_t i = 0; i < n; i++) {
        ck_assert(rules[i].y0 >= 88 - 1e-6 && rules[i].y1 <= 111 + 1e-6);
        ck_assert(rules[i].x0 >= 50 - 1e-6 && rules[i].x1 <= 560 + 1e-6);
    }
    ck_assert(has_hrule(rules, n, YS[0], XS[0], XS[NX - 1]));
    ck_assert(has_vrule(rules, n, XS[1], YS[0], 111));
    ext_run_cleanup(&r);
}
END_TEST

START_TEST(image_only_page)
{
    char *path = make_pdf("scan.pdf", 500, 200, 1, draw_image_page);
    ext_run r;
    run1(&r, "--ocr=never", path, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(t_count_records(r.out, "text"), 0);
    ck_assert(strstr(r.out, "\nwarn\tno usable text layer") != NULL);
    ck_assert(strstr(r.err, "warning: ") != NULL);
    ext_run_cleanup(&r);
    if (!ext_ocr_available()) {
        /* auto: the page needs OCR this build does not have */
        run1(&r, path, NULL, NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert(strstr(r.out, "endpage\t1\tfailed: ") != NULL);
        ck_assert(strstr(r.out, "built without OCR") != NULL);
        ck_assert(strstr(r.out, "end\t1\t1\n") != NULL);
        ext_run_cleanup(&r);
    }
    free(path);
}
END_TEST

START_TEST(blank_page_needs_no_ocr)
{
    char *path = make_pdf("blank.pdf", A4W, A4H, 1, draw_nothing);
    ext_run r;
    run1(&r, path, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strstr(r.out, "endpage\t1\tok\nend\t1\t0\n") != NULL);
    ext_run_cleanup(&r);
    free(path);
}
END_TEST

START_TEST(degenerate_pages_bounded)
{
    /* A page of almost no size, and one 14,400 inches wide with rules across
     * it: both finish, quickly. */
    char *tiny = make_pdf("tiny.pdf", 0.01, 0.01, 1, draw_nothing);
    char *huge = make_pdf("huge.pdf", 14400.0 * 72, 842, 1, draw_form_page);
    ext_run r;
    run1(&r, tiny, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strstr(r.out, "end\t1\t0\n") != NULL);
    ext_run_cleanup(&r);
    run1(&r, huge, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(find_run(r.out, "合作交流工作业务费", NULL));
    ck_assert_msg(r.ms < 10000, "took %.0f ms", r.ms);
    ext_run_cleanup(&r);
    free(tiny);
    free(huge);
}
END_TEST

START_TEST(standard_input)
{
    ext_run a, b;
    run1(&a, form_pdf(), NULL, NULL);
    const char *argv[] = {"-", NULL};
    t_extract(&b, argv, form_pdf());
    ck_assert_msg(b.status == 0, "status %d: %s", b.status, b.err);
    /* same stream apart from the source name */
    const char *ta = strstr(a.out, "\tpdf\t"), *tb = strstr(b.out, "\tpdf\t");
    ck_assert(ta && tb);
    ck_assert_str_eq(ta, tb);
    ck_assert(!strncmp(b.out, "formtab-layout\t1\ndoc\t-\t", 22));
    /* the hash is of the bytes, whichever way they came */
    const char *ha = strchr(strstr(a.out, "\ndoc\t") + 5, '\t');
    const char *hb = strchr(strstr(b.out, "\ndoc\t") + 5, '\t');
    ck_assert(!strncmp(ha, hb, 66));
    ext_run_cleanup(&a);
    ext_run_cleanup(&b);

    const char *form = "项目名称：\t费用\n";
    char *txt = t_write("in.txt", form, strlen(form));
    const char *noargs[] = {NULL};
    t_extract(&b, noargs, txt);
    ck_assert_int_eq(b.status, 0);
    ck_assert(strstr(b.out, "\ttext\t0\n") != NULL);
    ck_assert(strstr(b.out, "line\t1\t项目名称：\\t费用\n") != NULL);
    ext_run_cleanup(&b);
    free(txt);
}
END_TEST

START_TEST(poppler_chatter_is_quiet)
{
    /* Replace page 1's content stream by uncompressed operators the Flate
     * filter cannot decode: Poppler complains, but only to -v. */
    char *path = make_pdf("chatty.pdf", 300, 300, 1, draw_numbered);
    size_t len;
    char *d = t_read(path, &len);
    /* the page's content stream is the one its page object names first */
    char *st = t_find(d, len, "/Filter /FlateDecode");
    ck_assert_ptr_nonnull(st);
    char *s = t_find(st, len - (size_t)(st - d), "stream\n");
    ck_assert_ptr_nonnull(s);
    char *e = t_find(s, len - (size_t)(s - d), "endstream");
    ck_assert(s && e);
    s += 7;
    for (char *p = s; p < e - 1; p++)
        *p = "q Q BT ET "[(p - s) % 10];
    free(path);
    path = t_write("chatty2.pdf", d, len);
    ext_run r;
    run1(&r, path, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(r.err_len == 0, "stderr: %s", r.err);
    ext_run_cleanup(&r);
    free(path);
    free(d);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ext_pdf");
    TCase *tc = tcase_create("pdf");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, origin_is_top_left);
    tcase_add_test(tc, a_run_per_cell);
    tcase_add_test(tc, rules_at_drawn_positions_none_from_text);
    tcase_add_test(tc, clipped_text_hidden);
    tcase_add_test(tc, rotated_page);
    tcase_add_test(tc, one_box_per_character);
    tcase_add_loop_test(tc, bad_input_table, 0, sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, encrypted_with_password);
    tcase_add_test(tc, truncated_pdf);
    tcase_add_test(tc, failed_page_among_good_ones);
    tcase_add_test(tc, help_and_usage_errors);
    tcase_add_test(tc, pages_selection);
    tcase_add_test(tc, area_selection);
    tcase_add_test(tc, image_only_page);
    tcase_add_test(tc, blank_page_needs_no_ocr);
    tcase_add_test(tc, degenerate_pages_bounded);
    tcase_add_test(tc, standard_input);
    tcase_add_test(tc, poppler_chatter_is_quiet);
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
