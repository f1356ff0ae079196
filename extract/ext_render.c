/* Page rendering to grey through a cairo image surface (see ext_render.h). */
#include "ext_render.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ext_raster_init(ext_raster *r)
{
    memset(r, 0, sizeof *r);
}

void ext_raster_cleanup(ext_raster *r)
{
    free(r->owned);
    free(r->rgb);
    memset(r, 0, sizeof *r);
}

size_t ext_raster_bytes(const ext_raster *r)
{
    return r->owned_cap + r->rgb_cap;
}

/* Make *buf hold at least n bytes (its contents are not kept). */
static ft_err reserve(unsigned char **buf, size_t *cap, size_t n)
{
    if (*cap >= n)
        return FT_OK;
    free(*buf);
    *buf = malloc(n);
    *cap = *buf ? n : 0;
    return *buf ? FT_OK : FT_NOMEM;
}

static void row_luma(const unsigned char *src, unsigned char *dst, int w)
{
    const uint32_t *row = (const uint32_t *)(const void *)src;
    for (int x = 0; x < w; x++) {
        uint32_t p = row[x]; /* xRGB in native byte order */
        unsigned r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
        /* ITU-R BT.601 luma in fixed point. */
        dst[x] = (unsigned char)((r * 77u + g * 150u + b * 29u) >> 8);
    }
}

ft_err ext_render_gray(PopplerPage *page, double dpi, size_t max_pixels,
                       ext_grey grey, ext_raster *out, double *dpi_used,
                       char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    double wpt = 0, hpt = 0;

    memset(&out->img, 0, sizeof out->img);
    memset(&out->pix, 0, sizeof out->pix);
    poppler_page_get_size(page, &wpt, &hpt);
    if (!(wpt > 0) || !(hpt > 0) || !isfinite(wpt) || !isfinite(hpt)) {
        if (dpi_used)
            *dpi_used = dpi;
        out->img.scale = out->pix.scale = dpi / 72.0;
        goto out; /* zero-size page: an empty image */
    }
    double scale = dpi / 72.0;
    if (wpt * scale * hpt * scale > (double)max_pixels)
        scale = sqrt((double)max_pixels / (wpt * hpt));
    if (wpt * scale > EXT_RENDER_MAX_SIDE)
        scale = EXT_RENDER_MAX_SIDE / wpt;
    if (hpt * scale > EXT_RENDER_MAX_SIDE)
        scale = EXT_RENDER_MAX_SIDE / hpt;
    int w = (int)ceil(wpt * scale), h = (int)ceil(hpt * scale);
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    if (dpi_used)
        *dpi_used = scale * 72.0;

    /* Our own buffer, not cairo_image_surface_create()'s: that one is zeroed
     * (and faulted in) for every page, then painted white anyway. */
    int sstride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
    if (sstride <= 0) {
        snprintf(msg, msg_len, "cannot render page: %d pixels wide", w);
        rc = FT_PAGE;
        goto out;
    }
    if ((rc = reserve(&out->rgb, &out->rgb_cap, (size_t)sstride * (size_t)h)))
        goto out;
    surf = cairo_image_surface_create_for_data(out->rgb, CAIRO_FORMAT_RGB24, w,
                                               h, sstride);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        snprintf(msg, msg_len, "cannot render page: %s",
                 cairo_status_to_string(cairo_surface_status(surf)));
        rc = cairo_surface_status(surf) == CAIRO_STATUS_NO_MEMORY ? FT_NOMEM
                                                                   : FT_PAGE;
        goto out;
    }
    cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(msg, msg_len, "cannot render page: %s",
                 cairo_status_to_string(cairo_status(cr)));
        rc = FT_PAGE;
        goto out;
    }
    cairo_surface_flush(surf);
    out->pix = (ext_pixmap){out->rgb, w, h, sstride, scale, EXT_PIX_XRGB};
    out->img.width = w;
    out->img.height = h;
    out->img.scale = scale;
    if (grey == EXT_GREY_NONE)
        goto out;

    if ((rc = reserve(&out->owned, &out->owned_cap, (size_t)w * (size_t)h)))
        goto out;
    const unsigned char *src = out->rgb;
    for (int y = 0; y < h; y++)
        row_luma(src + (size_t)y * (size_t)sstride,
                 out->owned + (size_t)y * (size_t)w, w);
    out->img.pixels = out->owned;
    out->img.stride = w;
    out->pix = ext_pixmap_of_image(&out->img);
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    return rc;
}
