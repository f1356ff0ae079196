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
    memset(r, 0, sizeof *r);
}

ft_err ext_render_gray(PopplerPage *page, double dpi, size_t max_pixels,
                       ext_raster *out, double *dpi_used, char *msg,
                       size_t msg_len)
{
    ft_err rc = FT_OK;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    double wpt = 0, hpt = 0;

    ext_raster_cleanup(out);
    poppler_page_get_size(page, &wpt, &hpt);
    if (!(wpt > 0) || !(hpt > 0) || !isfinite(wpt) || !isfinite(hpt)) {
        if (dpi_used)
            *dpi_used = dpi;
        out->img.scale = dpi / 72.0;
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

    surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
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

    out->owned = malloc((size_t)w * (size_t)h);
    if (!out->owned) {
        rc = FT_NOMEM;
        goto out;
    }
    const unsigned char *src = cairo_image_surface_get_data(surf);
    int sstride = cairo_image_surface_get_stride(surf);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)sstride);
        unsigned char *dst = out->owned + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x]; /* xRGB in native byte order */
            unsigned r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
            /* ITU-R BT.601 luma in fixed point. */
            dst[x] = (unsigned char)((r * 77u + g * 150u + b * 29u) >> 8);
        }
    }
    out->img.pixels = out->owned;
    out->img.width = w;
    out->img.height = h;
    out->img.stride = w;
    out->img.scale = scale;
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    return rc;
}
