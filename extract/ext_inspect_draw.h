/* The page overlay of `formtab inspect`: one PDF page rendered with Poppler
 * and cairo, with what formtab saw drawn over it: ruling lines (red), table
 * regions (blue, labelled with the table id and its method), cell boxes
 * (thin green, just inside the cell), merged cells as one tinted box (amber), row numbers at the
 * left edge of each table row (the reading order), OCR text runs tinted by
 * confidence (red 0 .. green 100), low-confidence OCR cells (dashed magenta),
 * and optionally a legend strip below the page.
 *
 * Coordinates come from the streams: PDF points, origin top-left of the page
 * as displayed (docs/streams.md); a point is dpi/72 pixels. The legend strip
 * is added below the page, so page pixels are never covered by it.
 *
 * Ownership: arguments are borrowed. The surface handed out by
 * ext_overlay_draw() belongs to the caller (cairo_surface_destroy()). The
 * PopplerPage never leaves extract/. */
#ifndef EXT_INSPECT_DRAW_H
#define EXT_INSPECT_DRAW_H

#include <cairo.h>
#include <poppler.h>
#include <stddef.h>
#include <sys/types.h>
#include "ft_error.h"
#include "ft_layout.h"
#include "ft_table.h"

/* Default and accepted resolution of the overlay. 100 dpi makes an A4 page
 * 827 x 1170 pixels: a whole page on a laptop screen, 9 pt CJK still
 * legible. Below 20 dpi nothing can be read; above 600 an A4 page is 35
 * Mpixel, as far as OCR ever renders. */
#define EXT_OVERLAY_DPI_DEFAULT 100
#define EXT_OVERLAY_DPI_MIN 20
#define EXT_OVERLAY_DPI_MAX 600

/* Most pixels of one overlay (same cap as extract's OCR page image): a
 * larger page is drawn at a lower resolution and the caller is told. */
#define EXT_OVERLAY_MAX_PIXELS (40u * 1024u * 1024u)

/* The colours, as 0..1 RGB, shared with the test that looks for them. */
#define EXT_OVERLAY_RULE_RGB 0.86, 0.0, 0.0    /* ruling line, opaque */
#define EXT_OVERLAY_TABLE_RGB 0.0, 0.19, 1.0   /* table outline + label */
#define EXT_OVERLAY_CELL_RGB 0.0, 0.63, 0.0    /* cell box */
#define EXT_OVERLAY_MERGED_RGB 1.0, 0.67, 0.0  /* merged-cell tint */
#define EXT_OVERLAY_LOWCONF_RGB 0.82, 0.0, 0.82 /* low-confidence cell */

/* Opacity of the merged-cell tint: on white it gives (255, 226, 166), far
 * from white in blue yet light enough to read black text through. */
#define EXT_OVERLAY_MERGED_ALPHA 0.35

/* Opacity of the OCR confidence tint over a recognised run. */
#define EXT_OVERLAY_OCR_ALPHA 0.30

/* Line widths in pixels at 100 dpi (scaled with the resolution, never
 * below one pixel): a rule must be seen over the printed line it was found
 * on and around the cell box drawn on top of it; a cell box must not hide
 * the text next to it. */
#define EXT_OVERLAY_RULE_PX 3.0
#define EXT_OVERLAY_TABLE_PX 2.5
#define EXT_OVERLAY_CELL_PX 1.0

/* Cell boxes are drawn this far inside the cell (pixels at 100 dpi): clear
 * of a 3-pixel rule on the cell's edge, so green beside red says "a cell
 * edge on a rule" and green alone "a cell edge with no rule". */
#define EXT_OVERLAY_CELL_INSET_PX 2.5

/* What to draw on one page. */
typedef struct {
    unsigned number;             /* 1-based page number */
    double width, height;        /* page size in points as displayed */
    const ft_page *layout;       /* rules and runs; NULL: none */
    const ft_table *const *tables; /* tables with cells on this page */
    size_t ntables;
    int legend;                  /* 1: add the legend strip below */
    const char *failed;          /* reason the page failed, or NULL */
} ext_overlay_page;

/* Render page (may be NULL: a blank white page of pg's size) at dpi and draw
 * pg over it into a new ARGB32 surface (*out). If the image would pass
 * EXT_OVERLAY_MAX_PIXELS or cairo's 32767-pixel side, a lower resolution is
 * used; *dpi_used (may be NULL) says which. FT_PAGE (cairo failed, msg says
 * why), FT_NOMEM. */
FT_WUR ft_err ext_overlay_draw(PopplerPage *page, const ext_overlay_page *pg,
                               double dpi, cairo_surface_t **out,
                               double *dpi_used, char *msg, size_t msg_len);

/* Write surface s as a PNG to path atomically (ft_atomic), with permission
 * bits mode: the file appears complete or not at all. FT_IO (msg says why),
 * FT_NOMEM. */
FT_WUR ft_err ext_overlay_write_png(cairo_surface_t *s, const char *path,
                                    mode_t mode, char *msg, size_t msg_len);

/* The tint of an OCR confidence 0..100 (clamped): red at 0, amber at 50,
 * green at 100, as 0..1 RGB. Used by the overlay and the HTML legend. */
void ext_overlay_conf_rgb(double conf, double rgb[3]);

#endif
