/* The two table-shaped record modes of formtab-emit (docs/records.md):
 *   rows  - one record per table row: provenance, then the row's cells. In
 *           CSV a merged cell is filled: its text is repeated in every slot it
 *           covers, so each line has the table's full width. In JSON each
 *           cell is written once, at its top-left slot, with its spans.
 *   cells - one record per cell (long format), with spans, OCR confidence and
 *           flags; covered slots have no record.
 *
 * Ownership: functions borrow everything they are given and allocate only
 * scratch memory they free before returning. */
#ifndef EMIT_ROWS_H
#define EMIT_ROWS_H

#include <stddef.h>
#include "emit_write.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "ft_table.h"

/* Column names of a cells-mode CSV, in order (EMIT_CELLS_NCOLS of them). */
#define EMIT_CELLS_NCOLS 11
extern const char *const emit_cells_columns[EMIT_CELLS_NCOLS];

/* The CSV header of a rows-mode table of ncols columns:
 * source,sha256,page,table,row,c1,...,cN. */
void emit_rows_header(emit_writer *w, unsigned ncols);

/* Write one record per row of t (cells sorted by row and column, as
 * ft_tables_read_next leaves them). with_provenance = 0 drops the five
 * provenance columns (the per-table files of --split). FT_NOMEM, FT_FORMAT
 * (t does not tile its grid; cannot happen for a table the reader accepted). */
FT_WUR ft_err emit_rows_table(emit_writer *w, const ft_doc *doc,
                              const ft_table *t, int with_provenance);

/* Write one record per cell of t. JSON objects carry exactly the keys source,
 * sha256, page, table, row, col, rowspan, colspan, text, conf (the fixtures'
 * scorer reads them); CSV adds flags. */
void emit_cells_table(emit_writer *w, const ft_doc *doc, const ft_table *t);

/* The page a table row is on: that of the first cell starting in the row, or
 * else of the cell covering its first slot. map is the slot map of t. */
unsigned emit_row_page(const ft_table *t, const size_t *map, unsigned row);

/* Format an OCR confidence as a decimal literal into buf (at least 32 bytes);
 * returns buf, or NULL when conf < 0 (not OCR). */
const char *emit_conf_str(double conf, char *buf, size_t len);

#endif
