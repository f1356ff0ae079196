/* Rendering one PDF page to an 8-bit grey image with Poppler and cairo, for
 * the ruling-line finder (low resolution) and for OCR (--dpi). The image is
 * in displayed orientation (Poppler applies /Rotate), white where nothing is
 * drawn (cairo leaves an unpainted surface transparent, so it is painted
 * white first), and never larger than the caller's pixel cap: a huge page is
 * rendered at a lower resolution instead.
 *
 * Ownership: ext_raster owns its pixels; release with ext_raster_cleanup().
 * The PopplerPage is borrowed and never leaves extract/. */
#ifndef EXT_RENDER_H
#define EXT_RENDER_H

#include <poppler.h>
#include <stddef.h>
#include "ext_ocr.h"
#include "ft_error.h"

/* cairo image surfaces are at most 32767 pixels on a side. */
#define EXT_RENDER_MAX_SIDE 32767

/* Pixels of one OCR page image at most: A4 at 600 dpi is 35 Mpixel; a page
 * larger than this is rendered at a reduced resolution with a warning. */
#define EXT_RENDER_MAX_PIXELS (40u * 1024u * 1024u)

typedef struct {
    ext_image img;          /* borrowed view handed to ext_rules / ext_ocr */
    unsigned char *owned;   /* the pixels (img.pixels points here) */
} ext_raster;

void ext_raster_init(ext_raster *r);
void ext_raster_cleanup(ext_raster *r);

/* Render page at dpi (pixels per inch) into out (cleaned up first). If the
 * image would exceed max_pixels or EXT_RENDER_MAX_SIDE on a side, the
 * resolution is lowered to fit; *dpi_used (may be NULL) says what was used.
 * A page of zero size gives a 0x0 image. FT_NOMEM; FT_PAGE if cairo fails
 * (msg says why). */
FT_WUR ft_err ext_render_gray(PopplerPage *page, double dpi, size_t max_pixels,
                              ext_raster *out, double *dpi_used, char *msg,
                              size_t msg_len);

#endif
