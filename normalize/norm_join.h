/* Tables that run over pages. The document driver holds the last table of a
 * page (only that one, so memory stays one page plus one table) until the
 * next page is read; when that page begins with a table of the same column
 * structure, the two are one table and this module appends the second to the
 * first:
 *   - a first row (or first rows, up to NORM_JOIN_MAX_HEADER_ROWS) that repeats
 *     the table's own first rows is the header the publisher prints again on
 *     each page, and is dropped;
 *   - a cell the page break split is joined to the cell above it: for a ruled
 *     table the continuation's first row has no top rule; for a text dump the
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

/* 1 if cont may continue held: same method and number of columns, and for
 * tables with geometry, column left edges within NORM_JOIN_COL_TOL points
 * of each other wherever both tables have a cell starting in the column. */
int norm_join_compatible(const ft_table *held, const ft_table *cont);

/* Append cont (a later page's first table) to held. top_open: cont's first
 * row has no top rule (lattice), so its cells continue the cells above. On
 * success held->page_last becomes cont->page_last and held->nrows grows.
 * FT_LIMIT, before held is changed, when the joined table would pass
 * FT_MAX_TABLE_SLOTS or its text cap: the caller then writes held and starts
 * anew with cont. FT_NOMEM. */
FT_WUR ft_err norm_join_append(ft_table *held, const ft_table *cont,
                               int top_open);

/* Number of rows at the top of cont that repeat held's first rows (0 if
 * none), at most NORM_JOIN_MAX_HEADER_ROWS. */
unsigned norm_join_repeated_header(const ft_table *held, const ft_table *cont);

#endif
