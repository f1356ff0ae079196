/* Tables that run over pages. The document driver holds the last table of a
 * page (only that one, so memory stays one page plus one table) until the
 * next page is read; when that page begins with a table of the same column
 * structure, the two are one table and this module appends the second to the
 * first:
 *   - a first row (or first rows, up to NORM_JOIN_MAX_HEADER_ROWS) that repeats
 *     the table's own first rows is the header the publisher prints again on
 *     each page, and is dropped;
 *   - a cell the page break split is joined to the cell above it: for a ruled
 *     table the cell has no top rule; for a text dump the
 *     first row begins with empty fields and carries one piece of text (seed
 *     002 `、效益指标:宣传报道的次数...`); cells the leading empty fields of a
 *     text row continue are extended down, as within a page.
 *
 * Ownership: functions work on caller-owned ft_tables; texts appended to the
 * held table are copied into its arena. */
#ifndef NORM_JOIN_H
#define NORM_JOIN_H

#include "ft_error.h"
#include "ft_table.h"

typedef enum {
    NORM_JOIN_NO,     /* cont is another table */
    NORM_JOIN_SAME,   /* same columns: append as is */
    NORM_JOIN_REGRID  /* ruled, one page's column edges a superset of the
                       * other's: norm_join_regrid() first */
} norm_join_fit;

/* Whether cont may continue held: same method; for text tables the same
 * number of columns; for tables with geometry the same outer edges and
 * column edges within NORM_JOIN_COL_TOL points (ruled tables: or one set of
 * column edges containing the other, when a page lacks a column rule). A cont
 * whose first row is held's own title row is the next copy of the form, not
 * a continuation. */
norm_join_fit norm_join_compatible(const ft_table *held, const ft_table *cont);

/* Put held and cont on the same columns (the finer of the two sets of column
 * edges) after norm_join_compatible() said NORM_JOIN_REGRID. FT_INTERNAL when
 * a cell's edges are not on the grid: do not join the tables then (each is
 * left whole and valid, renumbered onto the finer grid or untouched).
 * FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_join_regrid(ft_table *held, ft_table *cont);

/* Append cont (a later page's first table) to held. top_open (NULL when
 * unknown) marks, per cell of cont (by index), the first-row cells with no
 * rule along their top (lattice): such a cell continues the cell above it
 * (text appended, row span grown); when the whole first row is open, it is
 * the rest of held's last row and the two rows become one. On
 * success held->page_last becomes cont->page_last and held->nrows grows.
 * FT_LIMIT, before held is changed, when the joined table would pass
 * FT_MAX_TABLE_SLOTS or its text cap: the caller then writes held and starts
 * anew with cont. FT_NOMEM. */
FT_WUR ft_err norm_join_append(ft_table *held, const ft_table *cont,
                               const unsigned char *top_open);

/* Number of rows at the top of cont that repeat rows of held starting at
 * one of its first NORM_JOIN_MAX_HEADER_ROWS rows (0 if none), at most
 * NORM_JOIN_MAX_HEADER_ROWS. */
unsigned norm_join_repeated_header(const ft_table *held, const ft_table *cont);

#endif
