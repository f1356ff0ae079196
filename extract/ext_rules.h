/* Ruling lines from a page image: the raster route Camelot's lattice mode
 * takes with OpenCV, in plain C. The image is thresholded (Otsu), long dark
 * runs are found along rows and columns, neighbouring pixel rows/columns are
 * merged into one line, dashed segments are joined, thick bands (filled
 * areas) and a frame round the whole page are dropped, and so is every line
 * that meets fewer than two lines of the other direction (bold glyph strokes,
 * underlines); a line shorter than EXT_RULE_MIN_LEN_PT is kept only when it
 * closes a cell between two kept lines; long horizontal lines meeting no
 * vertical line are kept in parallel pairs (tables ruled with horizontal
 * lines only). Pure: works on any ext_image, a
 * rendered PDF page or a scan.
 *
 * Ownership: ext_rules_from_gray() returns a heap array the caller frees with
 * free(). The image and mask are borrowed. */
#ifndef EXT_RULES_H
#define EXT_RULES_H

#include <stddef.h>
#include "ext_ocr.h"
#include "ft_error.h"
#include "ft_layout.h"

/* Shortest rule kept, in points (0.8 cm). The narrowest column of the seed
 * forms (分值, 得分 in 001) is about 1.2 cm wide; CJK glyph strokes at 10.5 pt
 * are at most 0.4 cm. */
#define EXT_RULE_MIN_LEN_PT 22.7

/* Shorter lines, down to this many points, are kept only as cell borders:
 * when both their ends lie on lines kept by the rules above (after the
 * crossing filter). A one-line row of 9 pt text is 18 pt high, so its
 * column rules fall under EXT_RULE_MIN_LEN_PT (fixtures/pdf/seed004-ruled
 * row 3, the seed 002 header, lo-seed003-forms); glyph strokes in a scan
 * are as short but end on other strokes, never on two table rules. The
 * lowest row drawn in the fixtures (7.5 pt text) is 11 pt high. */
#define EXT_RULE_MIN_SHORT_PT 5.0

/* Gaps up to this many points inside a line are joined: dashed and dotted
 * rules, and lines broken by anti-aliasing at low resolution. Table cell
 * padding is wider, so two collinear rules of neighbouring tables stay
 * apart. */
#define EXT_RULE_JOIN_GAP_PT 4.0

/* Dark bands thicker than this are filled areas (shaded header cells, black
 * scan borders), not rules. The heaviest table frames seen are 2.25 pt. */
#define EXT_RULE_MAX_THICK_PT 4.0

/* A rule must meet at least this many rules of the other direction; lines
 * meet when they come within EXT_RULE_TOUCH_PT of each other (corners of a
 * table touch rather than cross). */
#define EXT_RULE_MIN_CROSSINGS 2
#define EXT_RULE_TOUCH_PT 3.0

/* Horizontal lines that meet no vertical line are kept when they are at
 * least this fraction of the page width long and another such line starts
 * and ends at the same x (within EXT_RULE_TOUCH_PT): the top, header and
 * bottom rules of a table ruled with horizontal lines only
 * (fixtures/pdf/seed003-budgets-hrules: three a table at 86 % of the page
 * width; seed000-hrules). Normalize's unruled finder takes them as row
 * and table separators; with no vertical line they never form a lattice
 * table. Form-field underlines are far shorter, and a lone separator under a
 * heading has no partner. Only on images with a mask (a text layer): on a
 * scan the aligned strokes of a line of glyphs can pass for such a pair. */
#define EXT_RULE_HRULE_MIN_FRAC 0.4

/* A line within this fraction of the page size from an edge and spanning at
 * least EXT_RULE_FRAME_SPAN of the page is a frame round the page, ignored. */
#define EXT_RULE_FRAME_MARGIN 0.03
#define EXT_RULE_FRAME_SPAN 0.9

/* Pixels darker than this are never background even if Otsu's threshold
 * says so, and pixels lighter than EXT_RULE_LIGHTEST are never ink: on a
 * page that is all white or all grey Otsu's split is noise. */
#define EXT_RULE_DARKEST_BG 64
#define EXT_RULE_LIGHTEST 230

/* Character boxes given as a mask are shrunk by this fraction of their
 * height (top and bottom) and width (left and right) before they are blanked.
 * Masked pixels are neutral: they neither extend nor break a line, so a rule
 * that passes under a box (text overflowing its cell, a tight row) is joined
 * across it as long as it is inked on both sides. */
#define EXT_RULE_MASK_INSET 0.05

/* A line must be inked over at least this fraction of its unmasked length
 * (dotted rules are about a third ink; a row through masked text between two
 * cell borders is almost none). */
#define EXT_RULE_MIN_INK 0.25

/* The image the finder reads: 8-bit grey (an ext_image: OCR renders, tests),
 * or the 32-bit pixels cairo renders (CAIRO_FORMAT_RGB24: native-endian
 * xRGB), read as grey on the fly, (R + B) / 2 averaged with G, so a page
 * rendered for its rules is never converted (ext_render.h: EXT_GREY_NONE).
 * A view: the pixels are borrowed. */
typedef enum {
    EXT_PIX_GREY,
    EXT_PIX_XRGB
} ext_pix_format;

typedef struct {
    const unsigned char *pixels;
    int width, height;     /* pixels */
    int stride;            /* bytes per row */
    double scale;          /* pixels per point */
    ext_pix_format format;
} ext_pixmap;

/* img as a pixmap. */
ext_pixmap ext_pixmap_of_image(const ext_image *img);

/* 1 if no pixel of pm is darker than EXT_RULE_LIGHTEST: a blank page. */
int ext_pixmap_blank(const ext_pixmap *pm);

/* Otsu's threshold for a 256-bin grey histogram, clamped to
 * [EXT_RULE_DARKEST_BG, EXT_RULE_LIGHTEST]: pixels below it are ink. */
int ext_rules_otsu(const unsigned long hist[256]);

/* What ext_rules_from_gray() noticed besides the rules. */
typedef struct {
    int truncated;     /* more than FT_MAX_RULES_PER_PAGE lines: none returned */
    int threshold;     /* grey level below which a pixel counted as ink */
} ext_rules_report;

/* Find the ruling lines of img (grey, 0 black .. 255 white; img->scale pixels
 * per point). The image must be upright: a scan tilted by a degree breaks
 * each line into a staircase of short runs, and those come out as fragments
 * or not at all, so deskew first (the OCR engine does, and finds its own
 * rules in its deskewed frame).
 * mask: boxes in points (e.g. the page's character boxes) whose pixels are
 * neutral; may be NULL. On success *rules holds *nrules boxes in points,
 * origin top-left of the image (horizontal: y0 == y1, vertical: x0 == x1),
 * horizontal ones first, each sorted by position; *rules is NULL when there
 * are none. rep (may be NULL) says whether a pattern of too many
 * lines was refused. Cost at 72 dpi on an A4 page of text: about 0.25 ms,
 * half of it the one read of the image (bench/ruled-bench).
 * FT_NOMEM; FT_LIMIT for an image larger than EXT_RULES_MAX_PIXELS. Caller
 * frees *rules with free(). */
#define EXT_RULES_MAX_PIXELS (64u * 1024u * 1024u)
FT_WUR ft_err ext_rules_from_gray(const ext_image *img, const ft_box *mask,
                                  size_t nmask, ft_box **rules, size_t *nrules,
                                  ext_rules_report *rep);

/* The same on any pixmap (the xRGB render of a page). */
FT_WUR ft_err ext_rules_find(const ext_pixmap *pm, const ft_box *mask,
                             size_t nmask, ft_box **rules, size_t *nrules,
                             ext_rules_report *rep);

/* Grey levels within this many steps of each other are one flat colour: a
 * character box whose pixels (ruling lines aside) span no more than this
 * shows nothing. An anti-aliased 9 pt glyph at 72 dpi spans over 100 steps
 * even in a pale colour; JPEG noise and shading gradients stay under 8. */
#define EXT_DRAWN_FLAT 8

/* Which of the character boxes boxes[0..n) (points) show anything on pm,
 * the page as rendered: drawn[i] = 0 when the box's pixels, shrunk by one
 * pixel each side and without the pixels of the ruling lines rules[0..nrules)
 * that cross it, are one flat colour (EXT_DRAWN_FLAT), 1 otherwise. So text
 * a producer draws and clips away (LibreOffice draws the text of a merged
 * cell a page break splits, at the cell's centre, outside the part of the
 * table on the page: fixtures/pdf/lo-seed001), white text, or text covered
 * by a filled shape reads as not drawn. Boxes off the image are not drawn;
 * a box lying wholly on ruling lines (nothing left to look at) is, and so
 * is every box when memory for a sorted copy of the rules runs out (text is
 * never dropped for want of memory). Cost: for a drawn box usually its
 * middle row of pixels; 0.04 ms an A4 page at 72 dpi. */
void ext_rules_boxes_drawn(const ext_pixmap *pm, const ft_box *boxes,
                           size_t n, const ft_box *rules, size_t nrules,
                           unsigned char *drawn);

#endif
