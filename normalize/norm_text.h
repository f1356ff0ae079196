/* Tables rebuilt from a plain-text dump (page origin `plain`, `line` records),
 * as another tool extracted the seed forms (/work/shared/seeds/): cells
 * separated by TABs, merged cells continued by rows that begin with TABs.
 *
 * The rules, each pinned by a seed:
 *   - a table is a block of consecutive lines that contain a TAB; a line
 *     without TAB is a note (titles, prose, `七、绩效目标`); markdown rule lines
 *     (`------<TAB>---`, norm_rules_is_artifact_line) are dropped;
 *   - ncols is the largest number of fields of a row in the block; trailing
 *     empty fields count (`财政项目支出绩效目标表<TAB><TAB><TAB>` has 4);
 *   - a row whose only non-empty field is its first, with more than one
 *     field, is a title or section row spanning the full width;
 *   - a row that BEGINS with empty fields continues the cells above: each
 *     leading empty field extends the row span of the cell above it (when that
 *     cell lies wholly in the leading columns; else the slot is an empty cell);
 *   - other empty fields are empty cells. A text dump cannot tell an empty
 *     value cell from a cell spanning into its neighbour: `项目概况：<TAB>text
 *     <TAB><TAB>` gives two empty cells where the printed form has one wide
 *     cell. This is a known limit of the text path;
 *   - a blank line (a gap in the line numbers) followed by a line that begins
 *     with a TAB continues the table over the page break (seeds 001, 003); a
 *     blank line followed by any other line ends the table. After such a page
 *     break, a row that begins with empty fields and has exactly one non-empty
 *     field is the rest of a cell the break split (seed 002 line 23,
 *     `、效益指标:宣传报道的次数...`): it is joined to the cell above it rather
 *     than becoming a row (see NORM_TEXT_* in norm_text.c for which cell);
 *   - lines without TABs that are aligned with runs of spaces (`pdftotext
 *     -layout` output: several consecutive lines with two or more gaps of two
 *     or more spaces) are laid out as monospace runs and given to the stream
 *     finder (norm_stream_find), so they go through the same column
 *     heuristics as unruled PDF tables.
 * Cell texts are raw here; the driver applies the normalisation rules.
 *
 * Ownership: tables and notes are appended to a caller-owned norm_page_out. */
#ifndef NORM_TEXT_H
#define NORM_TEXT_H

#include "ft_error.h"
#include "ft_layout.h"
#include "norm_page.h"
#include "norm_rules.h"

/* Rebuild the tables and notes of plain-text page p into out (which the
 * caller has reset). Tables get method "text" (or "stream" for space-aligned
 * blocks), no boxes, page_first = page_last = p->number; items are keyed by
 * line number. Warnings about the page go to out. FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_text_page(const ft_page *p, const norm_rules *rules,
                             norm_page_out *out);

#endif
