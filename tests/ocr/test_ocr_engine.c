/* The OCR engine end to end with the real Tesseract: a ruled table with
 * known CJK text is drawn with cairo at 300 dpi (straight and skewed by 1.5
 * degrees), recognised, and the runs falling in each cell compared with the
 * text drawn there; a page without a table still gives its lines; a missing
 * language names the Debian package; an oversized image is capped with a
 * warning. The truth is the text the test draws. */
#include <cairo.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext_ocr.h"
#include "ext_ocr_int.h"
#include "ft_layout.h"

#define DPI 300
#define PX(pt) ((pt) * DPI / 72.0)
#define FONT "WenQuanYi Micro Hei"

/* A 4 x 3 form in the style of the seeds; boxes in points. */
#define ROWS 4
#define COLS 3
static const double col_x[COLS + 1] = { 40, 150, 330, 460 };
static const double row_y[ROWS + 1] = { 40, 70, 100, 130, 160 };
static const char *const table_text[ROWS][COLS] = {
    { "一级指标", "三级指标", "指标值" },
    { "产出指标", "服务保障天数", "≥300.00(天)" },
    { "成本指标", "项目资金总额", "37,780,000.00" },
    { "满意度指标", "服务对象满意度", "≥90.00(%)" },
};

typedef struct {
    unsigned char *grey;
    int w, h;
} image;

static void image_free(image *im)
{
    free(im->grey);
    im->grey = NULL;
}

/* Render with cairo: draw(cr) in points on a white page of w x h points,
 * rotated by deg around the centre, then keep the green channel as grey. */
static image render(double wpt, double hpt, double deg,
                    void (*draw)(cairo_t *cr))
{
    image im = { NULL, (int)PX(wpt), (int)PX(hpt) };
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, im.w,
                                                    im.h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_translate(cr, im.w / 2.0, im.h / 2.0);
    cairo_rotate(cr, deg * 3.14159265358979323846 / 180.0);
    cairo_translate(cr, -im.w / 2.0, -im.h / 2.0);
    cairo_scale(cr, DPI / 72.0, DPI / 72.0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    draw(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    im.grey = malloc((size_t)im.w * im.h);
    ck_assert_ptr_nonnull(im.grey);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < im.h; y++)
        for (int x = 0; x < im.w; x++) {
            uint32_t px = *(const uint32_t *)(data + (size_t)y * stride + 4 * x);
            im.grey[(size_t)y * im.w + x] = (unsigned char)((px >> 8) & 0xff);
        }
    cairo_surface_destroy(s);
    return im;
}

static void draw_table(cairo_t *cr)
{
    cairo_set_line_width(cr, 0.75);
    for (int r = 0; r <= ROWS; r++) {
        cairo_move_to(cr, col_x[0], row_y[r]);
        cairo_line_to(cr, col_x[COLS], row_y[r]);
    }
    for (int c = 0; c <= COLS; c++) {
        cairo_move_to(cr, col_x[c], row_y[0]);
        cairo_line_to(cr, col_x[c], row_y[ROWS]);
    }
    cairo_stroke(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10.5);
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++) {
            cairo_move_to(cr, col_x[c] + 4, row_y[r + 1] - 10);
            cairo_show_text(cr, table_text[r][c]);
        }
}

static void draw_prose(cairo_t *cr)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 40, 60);
    cairo_show_text(cr, "财政项目支出绩效目标表");
    cairo_move_to(cr, 40, 90);
    cairo_show_text(cr, "上海市人民政府合作交流办公室");
}

static ext_ocr *engine(void)
{
    ext_ocr_options opt = { "chi_sim+eng", DPI, 0 };
    ext_ocr *ocr = NULL;
    char msg[256] = "";
    ft_err rc = ext_ocr_new(&opt, &ocr, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "ext_ocr_new: %s", msg);
    return ocr;
}

static void recognise(ext_ocr *ocr, const image *im, ft_page *page)
{
    ext_image img = { im->grey, im->w, im->h, im->w, DPI / 72.0 };
    char msg[256] = "";
    ft_err rc = ext_ocr_page(ocr, &img, NULL, 0, page, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "ext_ocr_page: %s", msg);
}

/* Every run is from OCR with a confidence. */
static void check_runs(const ft_page *page)
{
    for (size_t i = 0; i < page->nruns; i++) {
        const ft_run *r = &page->runs[i];
        ck_assert_uint_eq(r->flags & FT_RUN_OCR, FT_RUN_OCR);
        ck_assert(r->conf >= 0 && r->conf <= 100);
        ck_assert(r->box.x0 <= r->box.x1 && r->box.y0 <= r->box.y1);
        ck_assert(r->len > 0);
    }
}

/* The text of the runs whose centre lies in the box, in reading order. */
static void cell_text(const ft_page *page, double x0, double y0, double x1,
                      double y1, char *out, size_t cap)
{
    out[0] = '\0';
    size_t used[64], nused = 0;
    for (;;) {
        size_t best = page->nruns;
        for (size_t i = 0; i < page->nruns; i++) {
            const ft_run *r = &page->runs[i];
            double cx = (r->box.x0 + r->box.x1) / 2;
            double cy = (r->box.y0 + r->box.y1) / 2;
            int taken = 0;
            for (size_t k = 0; k < nused; k++)
                taken |= used[k] == i;
            if (taken || cx < x0 || cx > x1 || cy < y0 || cy > y1)
                continue;
            if (best == page->nruns || r->box.y0 < page->runs[best].box.y0 - 3 ||
                (fabs(r->box.y0 - page->runs[best].box.y0) <= 3 &&
                 r->box.x0 < page->runs[best].box.x0))
                best = i;
        }
        if (best == page->nruns || nused == 64)
            break;
        used[nused++] = best;
        strncat(out, page->runs[best].text, cap - strlen(out) - 1);
    }
}

static unsigned exact_cells(const ft_page *page, int verbose)
{
    unsigned exact = 0;
    char got[512];
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++) {
            cell_text(page, col_x[c], row_y[r], col_x[c + 1], row_y[r + 1],
                      got, sizeof got);
            if (strcmp(got, table_text[r][c]) == 0)
                exact++;
            else if (verbose)
                fprintf(stderr, "cell %d,%d: want '%s' got '%s'\n", r + 1,
                        c + 1, table_text[r][c], got);
        }
    return exact;
}

/* At least this many of the 12 cells must be read exactly: the brief's
 * per-cell measurements give 74-81% on scans; a clean render does better. */
#define MIN_EXACT_CELLS 10

START_TEST(table_straight)
{
    ext_ocr *ocr = engine();
    ft_page page;
    ft_page_init(&page);
    image im = render(500, 200, 0, draw_table);
    recognise(ocr, &im, &page);
    check_runs(&page);
    unsigned exact = exact_cells(&page, 1);
    ck_assert_msg(exact >= MIN_EXACT_CELLS, "%u of 12 cells exact", exact);
    /* the grid was found: the engine replaced the rules by its own */
    ck_assert_uint_ge(page.nrules, ROWS + 1 + COLS + 1);
    size_t ncells = 0;
    ext_ocr__last_cells(ocr, &ncells);
    ck_assert_uint_eq(ncells, ROWS * COLS);
    image_free(&im);
    ft_page_cleanup(&page);
    ext_ocr_free(ocr);
}
END_TEST

START_TEST(table_skewed)
{
    ext_ocr *ocr = engine();
    ft_page page;
    ft_page_init(&page);
    image im = render(500, 200, 1.5, draw_table);
    recognise(ocr, &im, &page);
    check_runs(&page);
    size_t ncells = 0;
    ext_ocr__last_cells(ocr, &ncells);
    ck_assert_uint_eq(ncells, ROWS * COLS);
    unsigned exact = exact_cells(&page, 1);
    ck_assert_msg(exact >= MIN_EXACT_CELLS, "%u of 12 cells exact", exact);
    image_free(&im);
    ft_page_cleanup(&page);
    ext_ocr_free(ocr);
}
END_TEST

START_TEST(page_without_table)
{
    ext_ocr *ocr = engine();
    ft_page page;
    ft_page_init(&page);
    image im = render(400, 120, 0, draw_prose);
    recognise(ocr, &im, &page);
    check_runs(&page);
    size_t ncells = 9;
    ext_ocr__last_cells(ocr, &ncells);
    ck_assert_uint_eq(ncells, 0);
    char got[512];
    cell_text(&page, 30, 40, 400, 70, got, sizeof got);
    ck_assert_str_eq(got, "财政项目支出绩效目标表");
    cell_text(&page, 30, 72, 400, 110, got, sizeof got);
    ck_assert_str_eq(got, "上海市人民政府合作交流办公室");
    image_free(&im);
    ft_page_cleanup(&page);
    ext_ocr_free(ocr);
}
END_TEST

START_TEST(missing_language)
{
    ext_ocr_options opt = { "chi_sim+xyz_abc", DPI, 0 };
    ext_ocr *ocr = NULL;
    char msg[256] = "";
    ck_assert_int_eq(ext_ocr_new(&opt, &ocr, msg, sizeof msg), FT_OCR);
    ck_assert_ptr_null(ocr);
    ck_assert_msg(strstr(msg, "'xyz_abc'") != NULL, "%s", msg);
    ck_assert_msg(strstr(msg, "tesseract-ocr-xyz-abc") != NULL, "%s", msg);
    opt.lang = "chi_sim;rm -rf";
    ck_assert_int_eq(ext_ocr_new(&opt, &ocr, msg, sizeof msg), FT_OCR);
}
END_TEST

START_TEST(blank_and_bad_images)
{
    ext_ocr *ocr = engine();
    ft_page page;
    ft_page_init(&page);
    char msg[256];
    /* a blank page: no runs, no error */
    unsigned char *white = malloc(600 * 400);
    ck_assert_ptr_nonnull(white);
    memset(white, 255, 600 * 400);
    ext_image img = { white, 600, 400, 600, DPI / 72.0 };
    ck_assert_int_eq(ext_ocr_page(ocr, &img, NULL, 0, &page, msg, sizeof msg),
                     FT_OK);
    ck_assert_uint_eq(page.nruns, 0);
    /* a malformed image is FT_OCR for this page only */
    ext_image bad = { white, 600, 400, 10, DPI / 72.0 };
    ck_assert_int_eq(ext_ocr_page(ocr, &bad, NULL, 0, &page, msg, sizeof msg),
                     FT_OCR);
    /* and the engine goes on with the next page */
    ck_assert_int_eq(ext_ocr_page(ocr, &img, NULL, 0, &page, msg, sizeof msg),
                     FT_OK);
    free(white);
    ft_page_cleanup(&page);
    ext_ocr_free(ocr);
}
END_TEST

START_TEST(oversized_image_is_capped)
{
    /* just over the pixel cap: scaled down with a warning, not refused */
    int w = 8000, h = (int)(EXT_OCR_MAX_PIXELS / 8000) + 100;
    unsigned char *white = malloc((size_t)w * h);
    ck_assert_ptr_nonnull(white);
    memset(white, 255, (size_t)w * h);
    ext_ocr *ocr = engine();
    ft_page page;
    ft_page_init(&page);
    char msg[256];
    ext_image img = { white, w, h, w, DPI / 72.0 };
    ck_assert_int_eq(ext_ocr_page(ocr, &img, NULL, 0, &page, msg, sizeof msg),
                     FT_OK);
    ck_assert_uint_eq(page.nwarnings, 1);
    ck_assert_msg(strstr(page.warnings[0], "over the cap") != NULL, "%s",
                  page.warnings[0]);
    free(white);
    ft_page_cleanup(&page);
    ext_ocr_free(ocr);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ocr_engine");
    TCase *tc = tcase_create("engine");
    /* Tesseract on a few small pages; generous for a loaded CI machine */
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, table_straight);
    tcase_add_test(tc, table_skewed);
    tcase_add_test(tc, page_without_table);
    tcase_add_test(tc, missing_language);
    tcase_add_test(tc, blank_and_bad_images);
    tcase_add_test(tc, oversized_image_is_capped);
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
