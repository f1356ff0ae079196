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
#include "ext_rules.h"
#include "ft_error.h"

/* cairo image surfaces are at most 32767 pixels on a side. */
#define EXT_RENDER_MAX_SIDE 32767

/* Pixels of one OCR page image at most: A4 at 600 dpi is 35 Mpixel; a page
 * larger than this is rendered at a reduced resolution with a warning. */
#define EXT_RENDER_MAX_PIXELS (40u * 1024u * 1024u)

typedef struct {
    ext_image img;          /* grey view handed to ext_ocr (pixels NULL with
                             * EXT_GREY_NONE) */
    ext_pixmap pix;         /* the page as rendered, for ext_rules: the cairo
                             * pixels (EXT_GREY_NONE) or the grey image */
    unsigned char *owned;   /* grey pixels (img.pixels points here) */
    size_t owned_cap;
    unsigned char *rgb;     /* cairo's pixels, 4 bytes each */
    size_t rgb_cap;
} ext_raster;

/* A raster keeps its buffers from one render to the next (no allocation,
 * zeroing or page faults for each page of a document); ext_raster_cleanup()
 * frees them. ext_raster_bytes() is what it holds. */
void ext_raster_init(ext_raster *r);
void ext_raster_cleanup(ext_raster *r);
size_t ext_raster_bytes(const ext_raster *r);

/* How colour becomes grey. */
typedef enum {
    /* No grey image: ext_raster.pix is cairo's xRGB, which ext_rules reads
     * as grey on the fly, (R + B) / 2 averaged with G (a conversion pass
     * costs 0.25 ms an A4 page at 72 dpi). For the ruling-line finder. */
    EXT_GREY_NONE,
    /* ITU-R BT.601 luma, (77 R + 150 G + 29 B) / 256: for OCR. */
    EXT_GREY_LUMA
} ext_grey;

/* Render page at dpi (pixels per inch) into out (its buffers reused), colour
 * to grey as grey says. If the image would exceed max_pixels or
 * EXT_RENDER_MAX_SIDE on a side, the resolution is lowered to fit; *dpi_used
 * (may be NULL) says what was used. A page of zero size gives a 0x0 image.
 * FT_NOMEM; FT_PAGE if cairo fails (msg says why). */
FT_WUR ft_err ext_render_gray(PopplerPage *page, double dpi, size_t max_pixels,
                              ext_grey grey, ext_raster *out, double *dpi_used,
                              char *msg, size_t msg_len);

#endif
