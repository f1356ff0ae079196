/* Unruled ("stream") tables: rows from baselines, columns from the alignment
 * of text runs over the whole table (left, right, centre; numbers right-
 * aligned), wrapped cells joined, table regions separated from titles, notes
 * and page furniture. Also used for tables with horizontal rules only and for
 * space-aligned plain text (laid out as monospace runs by the caller).
 *
 * Ownership: tables are appended to a caller-owned norm_tables. */
#ifndef NORM_STREAM_H
#define NORM_STREAM_H

#include "ft_error.h"
#include "ft_layout.h"
#include "norm_rules.h"
#include "norm_tables.h"

/* Find unruled tables on page p among the runs with used[i] == 0 (runs taken
 * by lattice tables or furniture are non-zero). Runs placed in a table get
 * used[i] set to 2 so the caller can turn the rest into notes. The rules on
 * the page (p->rules) that are horizontal may delimit rows. Each table found
 * is appended to out with method "stream", page_first = page_last =
 * p->number, boxes on cells, 1-based rows/cols, every slot covered (spans
 * where a cell's text clearly spans several columns). Cell text is raw (the
 * caller applies norm_rules). FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_stream_find(const ft_page *p, unsigned char *used,
                               norm_tables *out);

#endif
