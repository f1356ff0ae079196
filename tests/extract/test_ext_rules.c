/* The raster ruling-line finder (ext_rules.h) on images drawn here pixel by
 * pixel: a grid found at its positions at two resolutions, light grey rules,
 * dashed rules joined, filled bands, page frames, lone underlines and
 * glyph-like strokes ignored, short cell borders kept only between rules,
 * tables ruled with horizontal lines only, a
 * rule running under masked text joined, a
 * pattern of thousands of lines refused in bounded time, degenerate images;
 * which character boxes show ink (clipped text). */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ext_rules.h"
#include "ft_limits.h"

typedef struct {
    ext_image img;
    unsigned char *px;
} canvas;

static void canvas_init(canvas *c, int w, int h, double scale)
{
    c->px = malloc((size_t)w * (size_t)h + 1);
    memset(c->px, 255, (size_t)w * (size_t)h);
    c->img.pixels = c->px;
    c->img.width = w;
    c->img.height = h;
    c->img.stride = w;
    c->img.scale = scale;
}

static void canvas_free(canvas *c)
{
    free(c->px);
}

/* The canvas as cairo's native-endian xRGB (grey g -> R = G = B = g), in a
 * heap buffer *buf the caller frees; optionally tinted: a pixel of grey g
 * becomes (g, g, 255) when blue is set, so channels differ. */
static ext_pixmap canvas_xrgb(const canvas *c, unsigned char **buf, int blue)
{
    int w = c->img.width, h = c->img.height;
    uint32_t *p = malloc((size_t)w * (size_t)h * 4 + 4);
    for (int i = 0; i < w * h; i++) {
        uint32_t g = c->px[i];
        p[i] = 0xFF000000u | g << 16 | g << 8 | (blue ? 255u : g);
    }
    *buf = (unsigned char *)p;
    ext_pixmap pm = {*buf, w, h, w * 4, c->img.scale, EXT_PIX_XRGB};
    return pm;
}

static void fill(canvas *c, int x0, int y0, int x1, int y1, unsigned char v)
{
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            if (x >= 0 && y >= 0 && x < c->img.width && y < c->img.height)
                c->px[(size_t)y * (size_t)c->img.width + (size_t)x] = v;
}

/* A table grid in points: rows at ys, columns at xs, lines 1 px thick. */
static void grid(canvas *c, const double *xs, int nx, const double *ys, int ny,
                 unsigned char v)
{
    double s = c->img.scale;
    for (int i = 0; i < ny; i++)
        fill(c, (int)(xs[0] * s), (int)(ys[i] * s), (int)(xs[nx - 1] * s),
             (int)(ys[i] * s), v);
    for (int i = 0; i < nx; i++)
        fill(c, (int)(xs[i] * s), (int)(ys[0] * s), (int)(xs[i] * s),
             (int)(ys[ny - 1] * s), v);
}

static size_t count(const ft_box *r, size_t n, int horizontal)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += horizontal ? r[i].y0 == r[i].y1 : r[i].x0 == r[i].x1;
    return k;
}

/* 1 if a rule lies within tol points of the given line. */
static int has_rule(const ft_box *r, size_t n, int horizontal, double pos,
                    double a, double b, double tol)
{
    for (size_t i = 0; i < n; i++) {
        if (horizontal && r[i].y0 == r[i].y1 && fabs(r[i].y0 - pos) <= tol &&
            fabs(r[i].x0 - a) <= tol && fabs(r[i].x1 - b) <= tol)
            return 1;
        if (!horizontal && r[i].x0 == r[i].x1 && fabs(r[i].x0 - pos) <= tol &&
            fabs(r[i].y0 - a) <= tol && fabs(r[i].y1 - b) <= tol)
            return 1;
    }
    return 0;
}

static const double XS[] = {56, 150, 300, 420, 538};
static const double YS[] = {90, 112, 134, 156, 178, 300};

/* The grid comes out line for line within 1 pt, at 72 and at 300 dpi. */
static const double scales[] = {1.0, 300.0 / 72.0};

START_TEST(grid_found)
{
    canvas c;
    double s = scales[_i];
    canvas_init(&c, (int)(595 * s), (int)(842 * s), s);
    grid(&c, XS, 5, YS, 6, 0);
    ft_box *r;
    size_t n;
    ext_rules_report rep;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, &rep), FT_OK);
    ck_assert_uint_eq(count(r, n, 1), 6);
    ck_assert_uint_eq(count(r, n, 0), 5);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(has_rule(r, n, 1, YS[i], XS[0], XS[4], 1.0), "row %d", i);
    for (int i = 0; i < 5; i++)
        ck_assert_msg(has_rule(r, n, 0, XS[i], YS[0], YS[5], 1.0), "col %d", i);
    /* horizontal first, sorted by y */
    ck_assert(r[0].y0 == r[0].y1 && r[0].y0 < r[1].y0);
    free(r);
    canvas_free(&c);
}
END_TEST

START_TEST(light_grey_rules_found)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    grid(&c, XS, 5, YS, 6, 200); /* an anti-aliased hairline at 72 dpi */
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(n, 11);
    free(r);
    canvas_free(&c);
}
END_TEST

START_TEST(dashed_rule_joined)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    grid(&c, XS, 5, YS, 6, 0);
    /* replace the row at 134 by a dashed line: 4 px on, 3 px off */
    fill(&c, 57, 134, 537, 134, 255);
    for (int x = 56; x <= 538; x += 7)
        fill(&c, x, 134, x + 3 < 538 ? x + 3 : 538, 134, 0);
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert(has_rule(r, n, 1, 134, 56, 538, 1.0));
    ck_assert_uint_eq(count(r, n, 1), 6);
    free(r);
    canvas_free(&c);
}
END_TEST

START_TEST(filled_band_frame_and_underline_ignored)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    grid(&c, XS, 5, YS, 6, 0);
    fill(&c, 56, 200, 538, 220, 60);    /* a shaded 20 pt band inside the table */
    fill(&c, 5, 5, 590, 6, 0);          /* frame round the page */
    fill(&c, 5, 835, 590, 836, 0);
    fill(&c, 5, 5, 6, 836, 0);
    fill(&c, 589, 5, 590, 836, 0);
    fill(&c, 100, 400, 250, 400, 0);    /* underline of a form field */
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(count(r, n, 1), 6);
    ck_assert_uint_eq(count(r, n, 0), 5);
    ck_assert(!has_rule(r, n, 1, 400, 100, 250, 2.0));
    free(r);
    canvas_free(&c);
}
END_TEST

START_TEST(glyph_strokes_ignored)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    /* A page of "text": 10 pt CJK-like boxes of strokes, lines 14 pt apart,
     * glyphs 1 pt apart, strokes aligned from glyph to glyph. */
    for (int row = 0; row < 40; row++)
        for (int col = 0; col < 48; col++) {
            int x = 50 + col * 10, y = 60 + row * 14;
            fill(&c, x + 1, y + 1, x + 9, y + 1, 0);  /* 一 */
            fill(&c, x + 1, y + 5, x + 9, y + 5, 0);
            fill(&c, x + 5, y + 1, x + 5, y + 9, 0);  /* 丨 */
            fill(&c, x + 1, y + 9, x + 9, y + 9, 0);
        }
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(n, 0);
    free(r);
    canvas_free(&c);
}
END_TEST

START_TEST(rule_under_masked_text_joined)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    grid(&c, XS, 5, YS, 6, 0);
    /* text overflowing across the column rule at x = 150, rows 112-134:
     * its box is masked, and the glyph ink over the rule cuts the rule. */
    fill(&c, 140, 116, 170, 130, 0);
    ft_box mask = {138, 115, 172, 131};
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, &mask, 1, &r, &n, NULL), FT_OK);
    ck_assert(has_rule(r, n, 0, 150, 90, 300, 1.0));
    ck_assert_uint_eq(count(r, n, 0), 5);
    free(r);
    canvas_free(&c);
}
END_TEST

START_TEST(masked_text_between_rules_is_no_rule)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    grid(&c, XS, 5, YS, 6, 0);
    /* Dense text filling the cell 150-300 of every row with 2 pt padding:
     * rows through it meet ink only at the two borders. */
    ft_box masks[5];
    for (int i = 0; i < 5; i++) {
        fill(&c, 152, (int)YS[i] + 3, 298, (int)YS[i] + 18, 0);
        masks[i] = (ft_box){152, YS[i] + 3, 298, YS[i] + 18};
    }
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, masks, 5, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(count(r, n, 1), 6);
    ck_assert_uint_eq(count(r, n, 0), 5);
    free(r);
    canvas_free(&c);
}
END_TEST

/* A one-line row 18 pt high: its column rules are shorter than
 * EXT_RULE_MIN_LEN_PT but close cells between the rules above and below
 * (fixtures/pdf/seed004-ruled row 3); short strokes ending on one rule or
 * none are not rules. */
START_TEST(short_cell_borders_kept)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    static const double xs[] = {56, 538};
    static const double ys[] = {90, 108, 134, 156};
    grid(&c, xs, 2, ys, 4, 0);
    fill(&c, 200, 90, 200, 108, 0);  /* column rules of the 18 pt row */
    fill(&c, 420, 90, 420, 108, 0);
    fill(&c, 300, 134, 300, 145, 0); /* ends on the rule at 134 only */
    fill(&c, 100, 400, 100, 418, 0); /* free-standing stroke */
    fill(&c, 90, 400, 110, 400, 0);
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert(has_rule(r, n, 0, 200, 90, 108, 1.0));
    ck_assert(has_rule(r, n, 0, 420, 90, 108, 1.0));
    ck_assert_uint_eq(count(r, n, 0), 4);
    ck_assert_uint_eq(count(r, n, 1), 4);
    free(r);
    canvas_free(&c);
}
END_TEST

/* A row between two masked lines of a wrapped cell: the few anti-aliased
 * pixels in the gaps between the masked boxes are a quarter of the unmasked
 * length, but too little ink in absolute terms for a rule (lo-seed002
 * page 2). */
START_TEST(row_between_masked_lines_is_no_rule)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    static const double xs[] = {56, 339, 571};
    static const double ys[] = {90, 170, 210};
    grid(&c, xs, 3, ys, 3, 0);
    ft_box masks[3];
    for (int i = 0; i < 3; i++) {
        int x = 341 + i * 77;
        /* drawn 4 pt wider each side: EXT_RULE_MASK_INSET takes that off */
        masks[i] = (ft_box){x - 4, 176, x + 78, 199};
        if (i < 2)
            fill(&c, x + 75, 187, x + 75, 187, 0); /* a pixel in the gap */
    }
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, masks, 3, &r, &n, NULL), FT_OK);
    ck_assert(!has_rule(r, n, 1, 187, 339, 571, 3.0));
    ck_assert_uint_eq(count(r, n, 1), 3);
    free(r);
    canvas_free(&c);
}
END_TEST

START_TEST(pattern_refused_in_bounded_time)
{
    canvas c;
    /* 900 tiny 3 x 3 grids of 24 pt lines: 5400 rules that all cross, more
     * than FT_MAX_RULES_PER_PAGE. */
    canvas_init(&c, 960, 960, 1.0);
    for (int gy = 0; gy < 30; gy++)
        for (int gx = 0; gx < 30; gx++) {
            int x = gx * 32 + 4, y = gy * 32 + 4;
            for (int k = 0; k < 3; k++) {
                fill(&c, x, y + 12 * k, x + 24, y + 12 * k, 0);
                fill(&c, x + 12 * k, y, x + 12 * k, y + 24, 0);
            }
        }
    ck_assert(5400 > FT_MAX_RULES_PER_PAGE);
    ft_box *r;
    size_t n;
    ext_rules_report rep;
    clock_t t0 = clock();
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, &rep), FT_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(rep.truncated, 1);
    ck_assert_msg(secs < 5.0, "took %.1f s", secs);
    canvas_free(&c);
}
END_TEST

START_TEST(degenerate_images)
{
    canvas c;
    ft_box *r = (ft_box *)1;
    size_t n = 99;
    canvas_init(&c, 0, 0, 1.0);
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(r);
    canvas_free(&c);

    canvas_init(&c, 300, 300, 1.0); /* all white */
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(n, 0);
    memset(c.px, 0, 300 * 300); /* all black */
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(n, 0);
    canvas_free(&c);

    /* masks off the image or inverted do no harm */
    canvas_init(&c, 595, 842, 1.0);
    grid(&c, XS, 5, YS, 6, 0);
    ft_box odd[3] = {{-100, -100, -50, -50}, {900, 900, 1000, 1000},
                     {300, 300, 200, 200}};
    ck_assert_int_eq(ext_rules_from_gray(&c.img, odd, 3, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(n, 11);
    free(r);
    canvas_free(&c);
}
END_TEST

/* A table ruled with horizontal lines only (top, under the header, bottom:
 * fixtures/pdf/seed003-budgets-hrules): the lines are kept on a page with a
 * text mask; a long line whose ends match no other, a short pair, and the
 * same lines on an image without a mask (a scan) are not. */
START_TEST(hrule_only_table)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    fill(&c, 42, 100, 553, 100, 0);
    fill(&c, 42, 120, 553, 120, 0);
    fill(&c, 42, 400, 553, 400, 0);
    fill(&c, 60, 600, 550, 600, 0);   /* alone */
    fill(&c, 60, 650, 160, 650, 0);   /* a short pair (100 pt) */
    fill(&c, 60, 670, 160, 670, 0);
    fill(&c, 42, 700, 300, 700, 0);   /* ends differ from the table's */
    ft_box mask = {60, 104, 200, 116}; /* the header's text */
    ft_box *r;
    size_t n;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, &mask, 1, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(count(r, n, 0), 0);
    ck_assert(has_rule(r, n, 1, 100, 42, 554, 1.0));
    ck_assert(has_rule(r, n, 1, 120, 42, 554, 1.0));
    ck_assert(has_rule(r, n, 1, 400, 42, 554, 1.0));
    ck_assert(!has_rule(r, n, 1, 600, 60, 551, 1.0));
    ck_assert(!has_rule(r, n, 1, 650, 60, 161, 1.0));
    ck_assert_uint_eq(n, 3);
    free(r);
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r, &n, NULL), FT_OK);
    ck_assert_uint_eq(n, 0);
    canvas_free(&c);
}
END_TEST

/* Which character boxes show anything: a glyph, a pale glyph, a glyph on a
 * grey fill do; an empty box, one on a flat grey fill, one crossed only by a
 * ruling line (given) do not; the same line not given is ink; boxes off the
 * image are not drawn, a box lying wholly on a given rule is. */
START_TEST(boxes_drawn)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    fill(&c, 102, 102, 104, 110, 0);         /* a stroke in box 0 */
    fill(&c, 122, 102, 124, 110, 215);       /* a pale stroke in box 1 */
    fill(&c, 140, 100, 152, 112, 200);       /* grey fill under box 2 and 3 */
    fill(&c, 143, 103, 144, 109, 0);         /* a stroke in box 2 only */
    fill(&c, 160, 105, 300, 105, 0);         /* a rule crossing boxes 5, 6 */
    fill(&c, 300, 90, 300, 130, 0);
    ft_box boxes[] = {
        {100, 100, 110, 112}, {120, 100, 130, 112}, {140, 100, 146, 112},
        {146, 100, 152, 112}, {180, 200, 190, 212}, {170, 99, 180, 111},
        {200, 99, 210, 111},  {-50, -50, -40, -40}, {299.5, 104.5, 300.5, 105.5},
    };
    const unsigned char want[] = {1, 1, 1, 0, 0, 0, 1, 0, 1};
    ft_box rules[] = {{160, 105.5, 190, 105.5}, {300.5, 90, 300.5, 130},
                      {295, 105.5, 305, 105.5}};
    unsigned char drawn[9];
    unsigned char *buf = NULL;
    ext_pixmap pm = _i == 0 ? ext_pixmap_of_image(&c.img) : canvas_xrgb(&c, &buf, 0);
    ext_rules_boxes_drawn(&pm, boxes, 9, rules, 3, drawn);
    for (int i = 0; i < 9; i++)
        ck_assert_msg(drawn[i] == want[i], "format %d box %d: %d", _i, i, drawn[i]);
    free(buf);
    canvas_free(&c);
}
END_TEST

/* Hostile text: 20,000 character boxes each as large as the page, on a
 * blank page (the worst case: nothing stops the look early), are judged in
 * bounded time; a huge glyph whose strokes are drawn is seen. */
START_TEST(boxes_drawn_bounded)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    enum { N = 20000 };
    ft_box *boxes = malloc(N * sizeof *boxes);
    unsigned char *drawn = malloc(N);
    for (int i = 0; i < N; i++)
        boxes[i] = (ft_box){0, 0, 595, 842};
    ext_pixmap pm = ext_pixmap_of_image(&c.img);
    clock_t t0 = clock();
    ext_rules_boxes_drawn(&pm, boxes, N, NULL, 0, drawn);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    for (int i = 0; i < N; i++)
        ck_assert_uint_eq(drawn[i], 0);
    ck_assert_msg(secs < 5.0, "took %.1f s", secs);
    fill(&c, 100, 100, 140, 700, 0); /* a 40 pt stroke of a 600 pt glyph */
    ext_rules_boxes_drawn(&pm, boxes, 1, NULL, 0, drawn);
    ck_assert_uint_eq(drawn[0], 1);
    free(boxes);
    free(drawn);
    canvas_free(&c);
}
END_TEST

/* The finder reads cairo's xRGB as it reads grey: the same rules from the
 * same drawing, also tinted blue (R = G = g, B = 255: the grey read from
 * the channels, (R + B) / 2 averaged with G, still dark for black ink). */
START_TEST(xrgb_same_as_grey)
{
    canvas c;
    canvas_init(&c, 595, 842, 1.0);
    grid(&c, XS, 5, YS, 6, 0);
    fill(&c, 300, 300, 300, 420, 0); /* a lone stroke: no rule */
    ft_box *r0, *r1;
    size_t n0, n1;
    ck_assert_int_eq(ext_rules_from_gray(&c.img, NULL, 0, &r0, &n0, NULL), FT_OK);
    for (int blue = 0; blue < 2; blue++) {
        unsigned char *buf;
        ext_pixmap pm = canvas_xrgb(&c, &buf, blue);
        ck_assert_int_eq(ext_rules_find(&pm, NULL, 0, &r1, &n1, NULL), FT_OK);
        ck_assert_uint_eq(n1, n0);
        ck_assert_uint_eq(n1, 11);
        ck_assert(memcmp(r0, r1, n0 * sizeof *r0) == 0);
        ck_assert_int_eq(ext_pixmap_blank(&pm), 0);
        free(r1);
        free(buf);
    }
    free(r0);
    memset(c.px, 255, 595 * 842);
    unsigned char *buf;
    ext_pixmap pm = canvas_xrgb(&c, &buf, 0);
    ck_assert_int_eq(ext_pixmap_blank(&pm), 1);
    free(buf);
    canvas_free(&c);
}
END_TEST

START_TEST(otsu_threshold)
{
    unsigned long h[256];
    memset(h, 0, sizeof h);
    h[20] = 1000;
    h[250] = 100000;
    int t = ext_rules_otsu(h);
    ck_assert(t > 20 && t <= 250);
    memset(h, 0, sizeof h);
    h[255] = 5000; /* blank page: clamped, nothing is ink */
    t = ext_rules_otsu(h);
    ck_assert(t >= EXT_RULE_DARKEST_BG && t <= EXT_RULE_LIGHTEST);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ext_rules");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, grid_found, 0, sizeof scales / sizeof scales[0]);
    tcase_add_test(tc, light_grey_rules_found);
    tcase_add_test(tc, dashed_rule_joined);
    tcase_add_test(tc, filled_band_frame_and_underline_ignored);
    tcase_add_test(tc, glyph_strokes_ignored);
    tcase_add_test(tc, rule_under_masked_text_joined);
    tcase_add_test(tc, masked_text_between_rules_is_no_rule);
    tcase_add_test(tc, short_cell_borders_kept);
    tcase_add_test(tc, row_between_masked_lines_is_no_rule);
    tcase_add_test(tc, pattern_refused_in_bounded_time);
    tcase_add_test(tc, degenerate_images);
    tcase_add_test(tc, hrule_only_table);
    tcase_add_loop_test(tc, boxes_drawn, 0, 2); /* grey, xRGB */
    tcase_add_test(tc, xrgb_same_as_grey);
    tcase_add_test(tc, boxes_drawn_bounded);
    tcase_add_test(tc, otsu_threshold);
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
