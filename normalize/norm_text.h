/* Tables rebuilt from a plain-text dump (page origin `plain`, `line` records),
 * as another tool extracted the seed forms (/work/shared/seeds/): cells
 * separated by TABs, merged cells continued by rows that begin with TABs.
 *
 * The rules, each pinned by a seed:
 *   - a table is a block of consecutive lines that contain a TAB; a line
 *     without TAB is a note (titles, prose, `七、绩效目标`); markdown rule lines
 *     (`------<TAB>---`, norm_rules_is_artifact_line) are dropped;
 *   - a blank line (a gap in the line numbers) followed by a line that begins
 *     with a TAB continues the table over the page break (seeds 001, 003); a
 *     line that begins with text continues it too when it has no more fields
 *     than the table so far and does not repeat the table's first field (the
 *     next copy of the form, seed 000 line 44): seed 000's sections, seed
 *     002's project rows and seed 003 line 52 are rows of one table;
 *   - after such a break, a row that begins with empty fields and has exactly
 *     one non-empty field is the rest of a cell the break split (seed 002 line
 *     23, `、效益指标:宣传报道的次数...`): it is joined to the right-most text of
 *     the row above at or after its column rather than becoming a row;
 *   - ncols is the largest number of fields of a row, less the trailing
 *     columns empty in every row (seed 002's two empty fields after 绩效指标);
 *     a row whose only non-empty field is its first is a title or section
 *     row spanning the full width;
 *   - rows the extractor shifted are put back under their columns by column
 *     typing (norm_textalign.h): seed 000 `信息公开实现率`, the rows after the
 *     page breaks of seeds 001 and 003, seed 004's drifting levels; the
 *     level labels of a page's earlier forms help place a later form's rows;
 *   - a row that BEGINS with empty fields continues the cells above; a value
 *     followed by empty fields spans them up to the next column its group or
 *     its section's header uses (norm_textgrid.h: `项目概况：<TAB>text<TAB>
 *     <TAB>` is one wide cell, `项目资金总额:<TAB><TAB>年度资金申请总额:` keeps
 *     its empty value cell);
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
