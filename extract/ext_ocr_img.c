/* Page preparation for OCR on Leptonica images: copy the page image in (scaled
 * down to the pixel cap), remove the skew, binarise adaptively, find the
 * ruling-line segments by morphology and mask the lines out of the text
 * image. See ext_ocr_int.h. */
#include "ext_ocr_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <leptonica/allheaders.h>

/* Leptonica's own thresholds in pixDeskewGeneral(): it rotates only when the
 * skew is at least this large and found with at least this confidence; the
 * same values decide whether we report a skew. */
#define LEPT_MIN_DESKEW_DEG 0.1
#define LEPT_MIN_SKEW_CONF 3.0
/* Sauvola works tile by tile over tiles of about this many pixels a side, so
 * its mean and variance images stay small for big pages. */
#define SAUVOLA_TILE_PX 1500

void ext_ocr__prep_init(ext_ocr_prep *p)
{
    p->grey = p->bin = p->lines = p->text = NULL;
    p->scale = 1;
    p->skew_deg = 0;
    p->capped = 0;
    p->hseg = p->vseg = NULL;
    p->nh = p->nv = 0;
}

void ext_ocr__prep_cleanup(ext_ocr_prep *p)
{
    pixDestroy(&p->grey);
    pixDestroy(&p->bin);
    pixDestroy(&p->lines);
    pixDestroy(&p->text);
    free(p->hseg);
    free(p->vseg);
    ext_ocr__prep_init(p);
}

int ext_ocr__px(const ext_ocr_prep *p, double inches)
{
    double px = inches * p->scale * 72.0;
    return px < 1 ? 1 : (int)lround(px);
}

/* Copy the caller's image, averaging k x k blocks when k > 1. */
static PIX *copy_image(const ext_image *img, int k)
{
    int w = img->width / k, h = img->height / k;
    PIX *pix = pixCreate(w, h, 8);
    if (!pix)
        return NULL;
    l_uint32 *data = pixGetData(pix);
    l_int32 wpl = pixGetWpl(pix);
    for (int y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        if (k == 1) {
            const unsigned char *src = img->pixels + (size_t)y * img->stride;
            for (int x = 0; x < w; x++)
                SET_DATA_BYTE(line, x, src[x]);
            continue;
        }
        for (int x = 0; x < w; x++) {
            unsigned long sum = 0;
            for (int dy = 0; dy < k; dy++) {
                const unsigned char *src =
                    img->pixels + (size_t)(y * k + dy) * img->stride +
                    (size_t)x * k;
                for (int dx = 0; dx < k; dx++)
                    sum += src[dx];
            }
            SET_DATA_BYTE(line, x, (l_uint32)(sum / ((unsigned long)k * k)));
        }
    }
    return pix;
}

/* Segments of the connected components of a line mask. horiz: the mask
 * holds horizontal lines. */
static ft_err mask_segments(PIX *mask, int horiz, int max_thick,
                            ext_ocr_seg **out, size_t *nout)
{
    ft_err rc = FT_OK;
    BOXA *boxa = pixConnCompBB(mask, 8);
    ext_ocr_seg *seg = NULL;
    size_t n = 0;

    *out = NULL;
    *nout = 0;
    if (!boxa) {
        rc = FT_NOMEM;
        goto out;
    }
    l_int32 count = boxaGetCount(boxa);
    seg = malloc((count > 0 ? (size_t)count : 1) * sizeof *seg);
    if (!seg) {
        rc = FT_NOMEM;
        goto out;
    }
    for (l_int32 i = 0; i < count; i++) {
        l_int32 x, y, w, h;
        if (boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h))
            continue;
        int len = horiz ? w : h, thick = horiz ? h : w;
        /* a long line may carry a stroke that touches it; a short thick
         * blob is a filled area, not a rule */
        if (thick > max_thick && len < 20 * thick)
            continue;
        seg[n].a0 = horiz ? x : y;
        seg[n].a1 = horiz ? x + w : y + h;
        seg[n].pos = horiz ? y + h / 2.0 : x + w / 2.0;
        n++;
    }
    *out = seg;
    *nout = n;
    seg = NULL;
out:
    boxaDestroy(&boxa);
    free(seg);
    return rc;
}

ft_err ext_ocr__prep_page(const ext_image *img, int dpi, ext_ocr_prep *p,
                          char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    PIX *raw = NULL, *hmask = NULL, *vmask = NULL, *tmp = NULL;
    PIX *hstrong = NULL, *vstrong = NULL;

    ext_ocr__prep_cleanup(p);
    if (!img->pixels || img->width <= 0 || img->height <= 0 ||
        img->stride < img->width) {
        snprintf(msg, msg_len, "empty or malformed page image");
        rc = FT_OCR;
        goto out;
    }
    p->scale = img->scale > 0 ? img->scale : (dpi > 0 ? dpi / 72.0 : 300 / 72.0);

    /* cap: average k x k blocks so neither the pixel count nor a side
     * exceeds the limits */
    double npx = (double)img->width * img->height;
    int k = 1;
    while (npx / ((double)k * k) > EXT_OCR_MAX_PIXELS ||
           img->width / k > EXT_OCR_MAX_SIDE ||
           img->height / k > EXT_OCR_MAX_SIDE)
        k++;
    if (img->width / k < 1 || img->height / k < 1) {
        snprintf(msg, msg_len, "page image of %d x %d pixels cannot be scaled "
                 "to the OCR cap", img->width, img->height);
        rc = FT_OCR;
        goto out;
    }
    p->capped = k > 1;
    p->scale /= k;
    raw = copy_image(img, k);
    if (!raw) {
        rc = FT_NOMEM;
        goto out;
    }

    l_float32 angle = 0, conf = 0;
    p->grey = pixDeskewGeneral(raw, 0, EXT_OCR_SKEW_RANGE_DEG, 0.0f, 0, 0,
                               &angle, &conf);
    if (!p->grey) {
        rc = FT_NOMEM;
        goto out;
    }
    if (conf >= LEPT_MIN_SKEW_CONF && fabs(angle) >= LEPT_MIN_DESKEW_DEG)
        p->skew_deg = angle;
    pixDestroy(&raw);

    int w = pixGetWidth(p->grey), h = pixGetHeight(p->grey);
    int half = ext_ocr__px(p, EXT_OCR_SAUVOLA_HALF_IN);
    if (half < 2)
        half = 2;
    int nx = 1 + w / SAUVOLA_TILE_PX, ny = 1 + h / SAUVOLA_TILE_PX;
    /* each tile must be larger than the window */
    while (nx > 1 && w / nx < 2 * half + 3)
        nx--;
    while (ny > 1 && h / ny < 2 * half + 3)
        ny--;
    if (w < 2 * half + 3 || h < 2 * half + 3) {
        /* too small for a window: a fixed threshold does */
        p->bin = pixThresholdToBinary(p->grey, 128);
    } else if (pixSauvolaBinarizeTiled(p->grey, half, EXT_OCR_SAUVOLA_K, nx,
                                       ny, NULL, &p->bin)) {
        p->bin = NULL;
    }
    if (!p->bin) {
        snprintf(msg, msg_len, "binarisation of the page image failed");
        rc = FT_OCR;
        goto out;
    }

    /* ruling lines: ink runs at least RULE_MIN long along an axis, with
     * small gaps bridged */
    int lmin = ext_ocr__px(p, EXT_OCR_RULE_MIN_IN);
    int lstrong = ext_ocr__px(p, EXT_OCR_RULE_STRONG_IN);
    int gap = ext_ocr__px(p, EXT_OCR_RULE_GAP_IN);
    int thick = ext_ocr__px(p, EXT_OCR_RULE_MAX_THICK_IN);
    tmp = pixOpenBrick(NULL, p->bin, lmin, 1);
    hmask = tmp ? pixCloseBrick(NULL, tmp, gap, 1) : NULL;
    pixDestroy(&tmp);
    tmp = pixOpenBrick(NULL, p->bin, 1, lmin);
    vmask = tmp ? pixCloseBrick(NULL, tmp, 1, gap) : NULL;
    pixDestroy(&tmp);
    if (!hmask || !vmask) {
        rc = FT_NOMEM;
        goto out;
    }
    rc = mask_segments(hmask, 1, thick, &p->hseg, &p->nh);
    if (rc)
        goto out;
    rc = mask_segments(vmask, 0, thick, &p->vseg, &p->nv);
    if (rc)
        goto out;

    /* mask only the long lines out of the text: short runs may be strokes */
    hstrong = pixSelectBySize(hmask, lstrong, 0, 8, L_SELECT_WIDTH,
                              L_SELECT_IF_GTE, NULL);
    vstrong = pixSelectBySize(vmask, 0, lstrong, 8, L_SELECT_HEIGHT,
                              L_SELECT_IF_GTE, NULL);
    if (!hstrong || !vstrong) {
        rc = FT_NOMEM;
        goto out;
    }
    tmp = pixOr(NULL, hstrong, vstrong);
    p->lines = tmp ? pixDilateBrick(NULL, tmp, 3, 3) : NULL;
    pixDestroy(&tmp);
    p->text = p->lines ? pixSubtract(NULL, p->bin, p->lines) : NULL;
    if (!p->lines || !p->text) {
        rc = FT_NOMEM;
        goto out;
    }
out:
    pixDestroy(&raw);
    pixDestroy(&hmask);
    pixDestroy(&vmask);
    pixDestroy(&hstrong);
    pixDestroy(&vstrong);
    pixDestroy(&tmp);
    if (rc)
        ext_ocr__prep_cleanup(p);
    return rc;
}

/* Components of pix larger than a speck, as boxes; NULL on failure. */
static BOXA *components(PIX *pix, int min_side)
{
    BOXA *all = pixConnCompBB(pix, 8);
    if (!all)
        return NULL;
    BOXA *big = boxaSelectBySize(all, min_side, min_side, L_SELECT_IF_EITHER,
                                 L_SELECT_IF_GTE, NULL);
    boxaDestroy(&all);
    return big;
}

/* Bands of a relation sign's rows (fractions of its height) and what they
 * must show: the top band an arm's end narrower than REL_TOP_SPAN of the
 * width on one side (mean within REL_SIDE of that edge), the middle band the
 * tip on the other side, the bottom band a bar spanning REL_BAR_SPAN of the
 * width. Drawn from the ≥ of scan200-lo-seed004 (a chevron over a bar, joined
 * by blur) against the "2" of 2020-01-01 in the same forms. */
#define REL_TOP_BAND 0.15
#define REL_MID_LO 0.3
#define REL_MID_HI 0.5
#define REL_BOTTOM_BAND 0.2
#define REL_BAR_SPAN 0.7
#define REL_TOP_SPAN 0.65
#define REL_SIDE 0.45

int ext_ocr__relation_shape(PIX *img, int l, int t, int r, int b)
{
    int result = 0;
    int h = b - t, w = r - l;
    BOX *region = NULL;
    PIX *crop = NULL;
    BOXA *comps = NULL;

    if (h <= 2 || w <= 2)
        goto out;
    /* look below the symbol too: Tesseract's box may hold the chevron only */
    int rx = l - h / 4, ry = t - h / 4;
    region = boxCreate(rx > 0 ? rx : 0, ry > 0 ? ry : 0, w + h / 2,
                       h + h / 4 + (h * 3) / 5);
    if (!region)
        goto out;
    BOX *clipped = NULL;
    crop = pixClipRectangle(img, region, &clipped);
    if (!crop)
        goto out;
    l_int32 ox = 0, oy = 0;
    if (clipped) {
        boxGetGeometry(clipped, &ox, &oy, NULL, NULL);
        boxDestroy(&clipped);
    }
    comps = components(crop, 2);
    if (!comps)
        goto out;
    /* the union of the components centred over the symbol's columns: blur
     * often joins the bar to the chevron, so the shape is read from bands of
     * rows rather than from separate components */
    int X0 = 0, Y0 = 0, X1 = -1, Y1 = -1, n = 0;
    l_int32 cnt = boxaGetCount(comps);
    for (l_int32 i = 0; i < cnt; i++) {
        l_int32 x, y, bw, bh;
        boxaGetBoxGeometry(comps, i, &x, &y, &bw, &bh);
        int cx = ox + x + bw / 2;
        if (cx < l || cx > r)
            continue;
        if (n == 0 || x < X0) X0 = x;
        if (n == 0 || y < Y0) Y0 = y;
        if (n == 0 || x + bw - 1 > X1) X1 = x + bw - 1;
        if (n == 0 || y + bh - 1 > Y1) Y1 = y + bh - 1;
        n++;
    }
    int W = X1 - X0 + 1, H = Y1 - Y0 + 1;
    if (n == 0 || n > 3 || W < 4 || H < 6 || H > 3 * W)
        goto out;
    /* per band: leftmost and rightmost ink and the mean x */
    struct { int lo, hi; double sum; int count; } band[3] = {
        { X1, X0, 0, 0 }, { X1, X0, 0, 0 }, { X1, X0, 0, 0 } };
    for (int y = Y0; y <= Y1; y++) {
        double f = (double)(y - Y0) / H;
        int k = f < REL_TOP_BAND ? 0
              : (f >= REL_MID_LO && f < REL_MID_HI) ? 1
              : f >= 1.0 - REL_BOTTOM_BAND ? 2 : -1;
        if (k < 0)
            continue;
        for (int x = X0; x <= X1; x++) {
            l_uint32 v = 0;
            pixGetPixel(crop, x, y, &v);
            if (!v)
                continue;
            if (x < band[k].lo) band[k].lo = x;
            if (x > band[k].hi) band[k].hi = x;
            band[k].sum += x;
            band[k].count++;
        }
    }
    if (!band[0].count || !band[1].count || !band[2].count)
        goto out;
    /* a bar at the bottom spanning the glyph */
    if (band[2].hi - band[2].lo + 1 < REL_BAR_SPAN * W)
        goto out;
    /* the top is an arm's end at one side, not the arc of a "2" */
    if (band[0].hi - band[0].lo + 1 > REL_TOP_SPAN * W)
        goto out;
    double top = (band[0].sum / band[0].count - X0) / W;
    double mid = (band[1].sum / band[1].count - X0) / W;
    if (top < REL_SIDE && mid > 1.0 - REL_SIDE)
        result = 1;   /* top arm at the left, tip at the right: >= */
    else if (top > 1.0 - REL_SIDE && mid < REL_SIDE)
        result = -1;  /* <= */
out:
    boxDestroy(&region);
    pixDestroy(&crop);
    boxaDestroy(&comps);
    return result;
}

const char *ext_ocr__dash_shape(PIX *crop, const ext_ocr_prep *p)
{
    const char *dash = NULL;
    BOXA *comps = components(crop, ext_ocr__px(p, EXT_OCR_SPECK_IN));

    if (!comps || boxaGetCount(comps) != 1)
        goto out;
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(comps, 0, &x, &y, &w, &h);
    /* a hyphen of a 9 pt CJK font is only about twice as wide as thick */
    if (w * 5 < h * 9 || h > ext_ocr__px(p, EXT_OCR_RULE_MAX_THICK_IN))
        goto out;
    dash = w >= ext_ocr__px(p, EXT_OCR_EMDASH_MIN_IN) ? "\xe2\x80\x94" : "-";
out:
    boxaDestroy(&comps);
    return dash;
}
