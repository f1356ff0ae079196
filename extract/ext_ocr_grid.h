/* The table grid of a scanned page, built from the ruling-line segments found
 * on its image: line positions are clustered into rows and columns, every
 * elementary slot between them is joined to its neighbour where the separator
 * between them is missing (a merged cell), and the rectangles closed on all
 * four sides become the cells the OCR engine reads one by one. Pure C, no
 * image library: the segments come from ext_ocr_img.c or from the rules the
 * caller found, so the geometry is unit-testable on its own.
 *
 * Ownership: ext_ocr_grid_build() returns a heap array the caller frees with
 * free(). Segments are borrowed for the call. All coordinates are pixels of
 * one page image (or any one unit, as long as tol uses the same). */
#ifndef EXT_OCR_GRID_H
#define EXT_OCR_GRID_H

#include <stddef.h>
#include "ft_error.h"

/* One straight piece of a ruling line: it runs from a0 to a1 along its axis
 * (x for a horizontal line, y for a vertical one) at position pos across it. */
typedef struct {
    double a0, a1;
    double pos;
} ext_ocr_seg;

/* A cell: the box between the centres of the ruling lines that close it, and
 * the slots it covers in the page-wide grid (0-based, spans >= 1). */
typedef struct {
    double x0, y0, x1, y1;
    unsigned row, col, rowspan, colspan;
} ext_ocr_cell;

/* Fraction of a slot edge that must be covered by segments for the edge to
 * count as drawn. Half: a separator broken by JPEG noise or crossed by a stamp
 * still counts, while the missing separator inside a merged cell is covered
 * only where a stray text stroke happens to lie on it (the merged label
 * cells of scan300-seed000-ruled, e.g. 投入与管理 over 11 rows). */
#define EXT_OCR_EDGE_MIN_COVER 0.5

/* A segment shorter than min_len still defines a line position when both its
 * ends lie within this many tol of lines of the other axis: it is a
 * separator from one rule to the next (2: the ends of a drawn line stop at
 * the near side of the crossing rule, up to a line width plus blur away). */
#define EXT_OCR_BRIDGE_TOL 2.0

/* Most line positions per axis. A dense 500-row table has 501; beyond this
 * the page is treated as having no grid (hatching, not a table). */
#define EXT_OCR_MAX_GRID_LINES 4000u

/* Build the cells. h: horizontal segments (a along x, pos = y); v: vertical
 * ones (a along y, pos = x). Segments at least min_len long define the line
 * positions, and so does a shorter one that runs from one line of the other
 * axis to another; all of them count for edge coverage. tol: how far apart
 * two segments may be and still be the same line. On success *cells holds
 * *ncells cells in row-major order of their top-left slot (zero cells when
 * there is no grid: fewer than two lines on an axis). FT_NOMEM; FT_LIMIT past
 * EXT_OCR_MAX_GRID_LINES. */
FT_WUR ft_err ext_ocr_grid_build(const ext_ocr_seg *h, size_t nh,
                                 const ext_ocr_seg *v, size_t nv,
                                 double min_len, double tol,
                                 ext_ocr_cell **cells, size_t *ncells);

#endif
