/* Drawing the inspect overlay of one page with cairo (ext_inspect_draw.h).
 * Everything over the page render is drawn in device pixels, converted from
 * points once, so line widths stay crisp whatever the resolution. */
#include "ext_inspect_draw.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext_inspect_html.h"
#include "ft_atomic.h"

/* Label text size in pixels at 100 dpi: table labels, row numbers and the
 * legend stay readable next to 9 pt form text. */
#define LABEL_PX 11.0

/* The device-space view of a page: points to pixels. */
typedef struct {
    cairo_t *cr;
    double s;   /* pixels per point */
    double k;   /* pixels per "pixel at 100 dpi" (dpi / 100) */
    double w, h; /* page size in pixels */
} view;

void ext_overlay_conf_rgb(double conf, double rgb[3])
{
    if (!(conf >= 0)) /* NaN too */
        conf = 0;
    if (conf > 100)
        conf = 100;
    /* red (0.86,0,0) -> amber (0.9,0.78,0) -> green (0,0.67,0) */
    if (conf <= 50) {
        double t = conf / 50;
        rgb[0] = 0.86 + 0.04 * t;
        rgb[1] = 0.78 * t;
    } else {
        double t = (conf - 50) / 50;
        rgb[0] = 0.9 * (1 - t);
        rgb[1] = 0.78 - 0.11 * t;
    }
    rgb[2] = 0;
}

static double px(const view *v, double width_at_100dpi)
{
    double w = width_at_100dpi * v->k;
    return w < 1 ? 1 : w;
}

/* A box in device pixels; 0 if it is not finite or empty in both ways. */
static int box_px(const view *v, const ft_box *b, double r[4])
{
    r[0] = b->x0 * v->s;
    r[1] = b->y0 * v->s;
    r[2] = b->x1 * v->s;
    r[3] = b->y1 * v->s;
    for (int i = 0; i < 4; i++)
        if (!isfinite(r[i]))
            return 0;
    return r[2] >= r[0] && r[3] >= r[1];
}

/* Stroke a rectangle so that a line of width lw lies inside r's edges
 * rounded to pixels: adjacent cells then share one crisp line. */
static void stroke_rect(cairo_t *cr, const double r[4], double lw)
{
    double x0 = floor(r[0]) + lw / 2, y0 = floor(r[1]) + lw / 2;
    double x1 = floor(r[2]) + lw / 2, y1 = floor(r[3]) + lw / 2;
    cairo_set_line_width(cr, lw);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_stroke(cr);
}

static void set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Width in pixels of text in the current font. */
static double text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, text, &e);
    return e.x_advance;
}

/* Draw text with its top-left corner at (x, y) on a white plate, so it reads
 * over whatever is printed under it. */
static void plate_text(cairo_t *cr, double x, double y, const char *text,
                       double size, double r, double g, double b)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double w = text_width(cr, text);
    double pad = size * 0.15;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, x - pad, y, w + 2 * pad, fe.ascent + fe.descent);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_move_to(cr, x, y + fe.ascent);
    cairo_show_text(cr, text);
}

static void draw_ocr_runs(const view *v, const ft_page *p)
{
    for (size_t i = 0; i < p->nruns; i++) {
        const ft_run *run = &p->runs[i];
        double r[4], rgb[3];
        if (!(run->flags & FT_RUN_OCR) || !box_px(v, &run->box, r))
            continue;
        ext_overlay_conf_rgb(run->conf < 0 ? 0 : run->conf, rgb);
        cairo_set_source_rgba(v->cr, rgb[0], rgb[1], rgb[2],
                              EXT_OVERLAY_OCR_ALPHA);
        cairo_rectangle(v->cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
        cairo_fill(v->cr);
    }
}

static void draw_rules(const view *v, const ft_page *p)
{
    double lw = px(v, EXT_OVERLAY_RULE_PX);
    cairo_set_source_rgb(v->cr, EXT_OVERLAY_RULE_RGB);
    cairo_set_line_width(v->cr, lw);
    cairo_set_line_cap(v->cr, CAIRO_LINE_CAP_SQUARE);
    for (size_t i = 0; i < p->nrules; i++) {
        double r[4];
        if (!box_px(v, &p->rules[i], r))
            continue;
        cairo_move_to(v->cr, r[0], r[1]);
        cairo_line_to(v->cr, r[2], r[3]);
    }
    cairo_stroke(v->cr);
    cairo_set_line_cap(v->cr, CAIRO_LINE_CAP_BUTT);
}

static int on_page(const ft_cell *c, unsigned page)
{
    return c->has_box && c->page == page;
}

/* Tint the merged cells of t on this page. */
static void draw_merged(const view *v, const ft_table *t, unsigned page)
{
    cairo_t *cr = v->cr;
    cairo_set_source_rgba(cr, EXT_OVERLAY_MERGED_RGB, EXT_OVERLAY_MERGED_ALPHA);
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        double r[4];
        if ((c->rowspan > 1 || c->colspan > 1) && on_page(c, page) &&
            box_px(v, &c->box, r))
            cairo_rectangle(cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
    }
    cairo_fill(cr);
}

/* Box the cells of t on this page and mark the ones OCR is unsure of. */
static void draw_cells(const view *v, const ft_table *t, unsigned page)
{
    cairo_t *cr = v->cr;
    cairo_set_source_rgb(cr, EXT_OVERLAY_CELL_RGB);
    double in = px(v, EXT_OVERLAY_CELL_INSET_PX);
    for (size_t i = 0; i < t->ncells; i++) {
        double r[4];
        if (!on_page(&t->cells[i], page) || !box_px(v, &t->cells[i].box, r))
            continue;
        /* inset, so two neighbours show as two boxes either side of the
         * rule between them; a sliver of a cell keeps its own edges */
        if (r[2] - r[0] > 4 * in && r[3] - r[1] > 4 * in)
            r[0] += in, r[1] += in, r[2] -= in, r[3] -= in;
        stroke_rect(cr, r, px(v, EXT_OVERLAY_CELL_PX));
    }
    double dash = px(v, 4);
    double lw = px(v, 2);
    in += px(v, EXT_OVERLAY_CELL_PX);
    cairo_set_dash(cr, &dash, 1, 0);
    cairo_set_source_rgb(cr, EXT_OVERLAY_LOWCONF_RGB);
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        double r[4];
        if (!(c->flags & FT_CELL_LOWCONF) || !on_page(c, page) ||
            !box_px(v, &c->box, r))
            continue;
        /* inside the green box */
        r[0] += in, r[1] += in, r[2] -= in + lw, r[3] -= in + lw;
        if (r[2] > r[0] && r[3] > r[1])
            stroke_rect(cr, r, lw);
    }
    cairo_set_dash(cr, NULL, 0, 0);
}

/* The table's region on this page: its box on its first page, else the
 * union of its cells there. 0 if it has nothing here. */
static int table_region(const ft_table *t, unsigned page, ft_box *out)
{
    if (t->page_first == page && t->has_box) {
        *out = t->box;
        return 1;
    }
    int any = 0;
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        if (!on_page(c, page))
            continue;
        if (!any) {
            *out = c->box;
            any = 1;
            continue;
        }
        if (c->box.x0 < out->x0) out->x0 = c->box.x0;
        if (c->box.y0 < out->y0) out->y0 = c->box.y0;
        if (c->box.x1 > out->x1) out->x1 = c->box.x1;
        if (c->box.y1 > out->y1) out->y1 = c->box.y1;
    }
    return any;
}

/* Outline, label ("T2 lattice", "T2 stream (cont.)") and row numbers. */
static ft_err draw_table_frame(const view *v, const ft_table *t,
                               unsigned page)
{
    cairo_t *cr = v->cr;
    ft_box region;
    double r[4];
    double *row_top = NULL;
    ft_err rc = FT_OK;
    if (!table_region(t, page, &region) || !box_px(v, &region, r))
        goto out;

    cairo_set_source_rgb(cr, EXT_OVERLAY_TABLE_RGB);
    stroke_rect(cr, r, px(v, EXT_OVERLAY_TABLE_PX));

    double size = LABEL_PX * v->k;
    char label[64];
    snprintf(label, sizeof label, "T%u %s%s", t->id, t->method,
             t->page_first < page ? " (cont.)" : "");
    set_font(cr, size, 1);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double lh = fe.ascent + fe.descent;
    double ly = r[1] - lh - px(v, 1);
    if (ly < 0)
        ly = r[1] + px(v, 3); /* no room above: inside the top edge */
    plate_text(cr, r[0] + px(v, 2), ly, label, size, EXT_OVERLAY_TABLE_RGB);

    /* Row numbers: the top of each row is the highest top of a cell that
     * starts in it on this page. */
    if (t->nrows == 0)
        goto out;
    row_top = malloc(sizeof *row_top * t->nrows);
    if (!row_top) {
        rc = FT_NOMEM;
        goto out;
    }
    for (unsigned i = 0; i < t->nrows; i++)
        row_top[i] = INFINITY;
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        if (on_page(c, page) && c->row >= 1 && c->row <= t->nrows &&
            c->box.y0 < row_top[c->row - 1])
            row_top[c->row - 1] = c->box.y0;
    }
    size = LABEL_PX * 0.9 * v->k;
    set_font(cr, size, 0);
    cairo_font_extents(cr, &fe);
    lh = fe.ascent + fe.descent;
    double last_bottom = -INFINITY;
    for (unsigned i = 0; i < t->nrows; i++) {
        if (!isfinite(row_top[i]))
            continue;
        double y = row_top[i] * v->s + px(v, 1);
        if (y < last_bottom) /* rows thinner than the digits: skip one */
            continue;
        char num[16];
        snprintf(num, sizeof num, "%u", i + 1);
        double w = text_width(cr, num);
        double x = r[0] - w - px(v, 4);
        if (x < 1)
            x = r[0] + px(v, 3); /* no margin on the left: inside */
        plate_text(cr, x, y, num, size, EXT_OVERLAY_TABLE_RGB);
        last_bottom = y + lh;
    }
out:
    free(row_top);
    return rc;
}

/* ---- legend -------------------------------------------------------------- */

typedef enum { SW_RULE, SW_TABLE, SW_CELL, SW_MERGED, SW_LOW, SW_OCR } swatch;

static const struct {
    swatch sw;
    const char *text;
} LEGEND[] = {
    {SW_RULE, "ruling line"},
    {SW_TABLE, "table (T<id> method), row numbers = reading order"},
    {SW_CELL, "cell"},
    {SW_MERGED, "merged cell"},
    {SW_LOW, "low-confidence OCR cell"},
    {SW_OCR, "OCR text, confidence 0 .. 100"},
};
#define NLEGEND (sizeof LEGEND / sizeof LEGEND[0])

/* Lay the legend out in rows no wider than width; returns its height and,
 * when draw is set, draws it with its top at y0. */
static double legend(cairo_t *cr, double k, double width, double y0,
                     unsigned page, double dpi, int draw)
{
    double size = LABEL_PX * k, sw_w = 3.2 * size, gap = size;
    double pad = 0.6 * size, x = pad, y = y0 + pad;
    set_font(cr, size, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double lh = fe.ascent + fe.descent + 0.35 * size;
    char head[64];
    snprintf(head, sizeof head, "formtab inspect: page %u, %.0f dpi", page,
             dpi);
    for (size_t i = 0; i <= NLEGEND; i++) {
        const char *text = i < NLEGEND ? LEGEND[i].text : head;
        double w = (i < NLEGEND ? sw_w + 0.4 * size : 0) + text_width(cr, text);
        if (x > pad && x + w > width - pad) {
            x = pad;
            y += lh;
        }
        if (draw) {
            double sy = y + 0.15 * size, sh = fe.ascent;
            if (i < NLEGEND) {
                double r[4] = {x, sy, x + sw_w, sy + sh};
                switch (LEGEND[i].sw) {
                case SW_RULE:
                    cairo_set_source_rgb(cr, EXT_OVERLAY_RULE_RGB);
                    cairo_set_line_width(cr, 2 * k < 1 ? 1 : 2 * k);
                    cairo_move_to(cr, r[0], (r[1] + r[3]) / 2);
                    cairo_line_to(cr, r[2], (r[1] + r[3]) / 2);
                    cairo_stroke(cr);
                    break;
                case SW_TABLE:
                    cairo_set_source_rgb(cr, EXT_OVERLAY_TABLE_RGB);
                    stroke_rect(cr, r, 2.5 * k < 1 ? 1 : 2.5 * k);
                    break;
                case SW_MERGED: /* a merged cell is a tinted cell */
                    cairo_set_source_rgba(cr, EXT_OVERLAY_MERGED_RGB,
                                          EXT_OVERLAY_MERGED_ALPHA);
                    cairo_rectangle(cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
                    cairo_fill(cr);
                    cairo_set_source_rgb(cr, EXT_OVERLAY_CELL_RGB);
                    stroke_rect(cr, r, k < 1 ? 1 : k);
                    break;
                case SW_CELL:
                    cairo_set_source_rgb(cr, EXT_OVERLAY_CELL_RGB);
                    stroke_rect(cr, r, k < 1 ? 1 : k);
                    break;
                case SW_LOW: {
                    double dash = 4 * k < 1 ? 1 : 4 * k;
                    cairo_set_dash(cr, &dash, 1, 0);
                    cairo_set_source_rgb(cr, EXT_OVERLAY_LOWCONF_RGB);
                    stroke_rect(cr, r, 2 * k < 1 ? 1 : 2 * k);
                    cairo_set_dash(cr, NULL, 0, 0);
                    break;
                }
                case SW_OCR: {
                    cairo_pattern_t *g =
                        cairo_pattern_create_linear(r[0], 0, r[2], 0);
                    for (int c = 0; c <= 4; c++) {
                        double rgb[3];
                        ext_overlay_conf_rgb(c * 25.0, rgb);
                        cairo_pattern_add_color_stop_rgba(
                            g, c / 4.0, rgb[0], rgb[1], rgb[2],
                            EXT_OVERLAY_OCR_ALPHA * 2);
                    }
                    cairo_set_source(cr, g);
                    cairo_rectangle(cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
                    cairo_fill(cr);
                    cairo_pattern_destroy(g);
                    break;
                }
                }
            }
            cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
            cairo_move_to(cr, x + (i < NLEGEND ? sw_w + 0.4 * size : 0),
                          y + fe.ascent);
            cairo_show_text(cr, text);
        }
        x += w + gap;
    }
    return y + lh + pad - y0;
}

/* Measure the legend on a scratch surface. */
static double legend_height(double k, double width, unsigned page,
                            double dpi)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(s);
    double h = legend(cr, k, width, 0, page, dpi, 0);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return ceil(h);
}

/* ---- the page ------------------------------------------------------------ */

ft_err ext_overlay_draw(PopplerPage *page, const ext_overlay_page *pg,
                        double dpi, cairo_surface_t **out, double *dpi_used,
                        char *msg, size_t msg_len)
{
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    ft_err rc = FT_OK;
    *out = NULL;
    msg[0] = '\0';

    double w = pg->width > 0 ? pg->width : 0, h = pg->height > 0 ? pg->height : 0;
    if (!isfinite(w) || !isfinite(h) || w > 1e6 || h > 1e6) {
        snprintf(msg, msg_len, "page size %gx%g points is not drawable", w, h);
        rc = FT_PAGE;
        goto out;
    }
    /* Lower the resolution until the image fits the caps (legend included:
     * it is never taller than the page at a sane width). */
    double s = dpi / 72.0;
    double pixels = ceil(w * s) * ceil(h * s) * 1.25;
    if (pixels > EXT_OVERLAY_MAX_PIXELS)
        s *= sqrt(EXT_OVERLAY_MAX_PIXELS / pixels);
    double side = (w > h ? w : h) * s * 1.25;
    if (side > 32000)
        s *= 32000 / side;
    dpi = s * 72.0;
    if (dpi_used)
        *dpi_used = dpi;

    view v = {NULL, s, dpi / 100.0, ceil(w * s), ceil(h * s)};
    if (v.w < 1)
        v.w = 1;
    if (v.h < 1)
        v.h = 1;
    double lh = pg->legend ? legend_height(v.k, v.w, pg->number, dpi) : 0;

    surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)v.w,
                                      (int)(v.h + lh));
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        snprintf(msg, msg_len, "cannot create a %.0fx%.0f image: %s", v.w,
                 v.h + lh, cairo_status_to_string(cairo_surface_status(surf)));
        rc = cairo_surface_status(surf) == CAIRO_STATUS_NO_MEMORY ? FT_NOMEM
                                                                 : FT_PAGE;
        goto out;
    }
    cr = cairo_create(surf);
    /* cairo leaves a new surface blank and Poppler paints only what the
     * page draws: start from white paper. */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    if (page) {
        cairo_save(cr);
        cairo_rectangle(cr, 0, 0, v.w, v.h);
        cairo_clip(cr);
        cairo_scale(cr, s, s);
        poppler_page_render(page, cr);
        cairo_restore(cr);
    }

    v.cr = cr;
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, v.w, v.h);
    cairo_clip(cr);
    /* Rules go under the cell boxes and are wider: an edge backed by a
     * rule shows green on red, a cell edge with no rule (a stream table, a
     * merge across a printed line) green alone, a rule no cell uses red
     * alone. */
    if (pg->layout)
        draw_ocr_runs(&v, pg->layout);
    for (size_t i = 0; i < pg->ntables; i++)
        draw_merged(&v, pg->tables[i], pg->number);
    if (pg->layout)
        draw_rules(&v, pg->layout);
    for (size_t i = 0; i < pg->ntables; i++)
        draw_cells(&v, pg->tables[i], pg->number);
    for (size_t i = 0; i < pg->ntables && !rc; i++)
        rc = draw_table_frame(&v, pg->tables[i], pg->number);
    if (pg->failed) {
        char banner[512];
        snprintf(banner, sizeof banner, "page %u failed: %s", pg->number,
                 pg->failed);
        set_font(cr, LABEL_PX * 1.3 * v.k, 1);
        plate_text(cr, px(&v, 8), px(&v, 8), banner, LABEL_PX * 1.3 * v.k,
                   EXT_OVERLAY_RULE_RGB);
    }
    cairo_restore(cr);
    if (rc)
        goto out;

    if (pg->legend) {
        cairo_set_source_rgb(cr, 0.92, 0.92, 0.94); /* grey: not paper */
        cairo_rectangle(cr, 0, v.h, v.w, lh);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.65);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, 0, v.h + 0.5);
        cairo_line_to(cr, v.w, v.h + 0.5);
        cairo_stroke(cr);
        legend(cr, v.k, v.w, v.h, pg->number, dpi, 1);
    }
    cairo_surface_flush(surf);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(msg, msg_len, "drawing failed: %s",
                 cairo_status_to_string(cairo_status(cr)));
        rc = cairo_status(cr) == CAIRO_STATUS_NO_MEMORY ? FT_NOMEM : FT_PAGE;
        goto out;
    }
    *out = surf;
    surf = NULL;
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    return rc;
}

static cairo_status_t write_file(void *closure, const unsigned char *data,
                                 unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len
               ? CAIRO_STATUS_SUCCESS
               : CAIRO_STATUS_WRITE_ERROR;
}

ft_err ext_overlay_write_png(cairo_surface_t *s, const char *path,
                             mode_t mode, char *msg, size_t msg_len)
{
    ft_atomic a;
    msg[0] = '\0';
    ft_err rc = ext_html_atomic_open(&a, path, mode);
    if (rc) {
        snprintf(msg, msg_len, "cannot create: %s",
                 rc == FT_IO ? strerror(errno) : ft_strerror(rc));
        return rc;
    }
    cairo_status_t st = cairo_surface_write_to_png_stream(s, write_file, a.f);
    if (st != CAIRO_STATUS_SUCCESS) {
        int saved = errno;
        ft_atomic_abort(&a);
        snprintf(msg, msg_len, "cannot write PNG: %s",
                 st == CAIRO_STATUS_WRITE_ERROR ? strerror(saved)
                                                : cairo_status_to_string(st));
        return st == CAIRO_STATUS_NO_MEMORY ? FT_NOMEM : FT_IO;
    }
    rc = ft_atomic_commit(&a);
    if (rc)
        snprintf(msg, msg_len, "cannot write: %s", strerror(errno));
    return rc;
}
