/* Ruled ("lattice") tables: tables drawn with ruling lines, as the budget
 * forms are. From a page's `rule` records:
 *   1. rules are classified (horizontal, vertical, or a rectangle's four
 *      edges), and collinear pieces are snapped to one line position and
 *      joined (NORM_LAT_SNAP, NORM_LAT_JOIN_GAP);
 *   2. table regions are the connected components of crossing rules, so a
 *      page may hold several tables, and a table beside free text;
 *   3. each region's distinct horizontal and vertical line positions are its
 *      row and column separators; an open side (rules that run past the last
 *      crossing line) adds the rules' end as a border;
 *   4. an edge between two neighbouring slots is a border only if a rule
 *      covers most of it (NORM_LAT_EDGE_COVER); slots not separated by a
 *      border are one cell (union-find over slots). A merged region that is
 *      not a rectangle is split into rectangles, row by row, with a warning;
 *   5. text runs go to the cell containing the centre of their box; the runs
 *      of a cell are grouped into lines (top to bottom) and each line read left
 *      to right; lines are joined without a space between CJK characters and
 *      with one between Latin words (norm_textcat.h).
 * Bounded: rules with a non-finite or huge coordinate are ignored, tiny ones
 * (hatching) are dropped, and a region with more than FT_MAX_TABLE_SLOTS
 * slots is refused with a warning (its text goes to the unruled finder).
 *
 * Ownership: tables are appended to a caller-owned norm_page_out. */
#ifndef NORM_LATTICE_H
#define NORM_LATTICE_H

#include "ft_diag.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "norm_page.h"

/* Find the ruled tables of page p among the runs with used[i] == 0 and
 * append them to out as "lattice" tables with boxes, keyed by their top-left
 * corner for reading order; item->top_open marks the first-row cells with no
 * rule along their top (cells continued from the previous page). Runs placed in
 * a table get used[i] = 1. d (may be NULL) receives debug lines (-v) such as
 * a run that crosses a cell border; file names the document for them.
 * Warnings about the page go to out. Returns the number of tables found in
 * *ntables. FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_lattice_find(const ft_page *p, unsigned char *used,
                                norm_page_out *out, ft_diag *d,
                                const char *file, size_t *ntables);

#endif
