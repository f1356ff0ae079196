/* The rows of one table of a text dump, between reading its TAB-separated
 * lines and writing it as cells (norm_text.c drives it):
 *
 *   norm_tgrid_add_line   split a line into trimmed fields; a page-break
 *                         fragment joins the cell it continues;
 *   norm_tgrid_finish     pad the rows, drop the trailing columns that hold
 *                         nothing, mark the title rows;
 *   norm_textalign_rows   (norm_textalign.h) put shifted rows back under
 *                         their columns;
 *   norm_tgrid_build      decide the spans and write the cells.
 *
 * How spans are decided (norm_tgrid_build), each rule pinned by a seed:
 *   - a title row (only its first field has text) spans the width;
 *   - a row that begins with empty fields continues the cells above it (the
 *     seeds' convention for merged cells), as long as the cell above lies
 *     wholly within those leading fields;
 *   - rows are grouped by their first column: a row with text there starts a
 *     group, rows that begin with an empty field belong to the group above
 *     (`项目资金 (元)` and its four fund rows, `绩效指标` and its indicators).
 *     A column is a *boundary* of a group when a row of the group has text in
 *     it, or when it holds the empty value of a `label:` whose next text is
 *     another label (`项目资金总额:<TAB><TAB>年度资金申请总额:`, seed 004), or
 *     when the header row of the row's section names it;
 *   - a cell followed by empty fields spans them up to the next boundary:
 *     `项目概况：<TAB>text<TAB><TAB>` is one wide cell (seed 000), the 得分 of
 *     seed 001's funds block covers the column only the indicator rows use,
 *     while an empty field at a boundary is an empty cell;
 *   - a row of short headings over a row of long text (`项目总目标 |
 *     年度总体目标` over the goal, seed 004) makes the empty fields under the
 *     other headings empty value cells, not continuations of the headings;
 *   - in a header section, a first-column label followed by at least
 *     NORM_TGRID_TOTAL_SPAN empty fields spans them (`总分`, seed 001).
 *
 * Memory is one table: the fields point into the page's lines (which must
 * outlive the grid) or into the grid's arena (joined fragments).
 *
 * Ownership: norm_tgrid is caller-owned storage (init/cleanup); everything it
 * points to is in its arena or borrowed from the page. */
#ifndef NORM_TEXTGRID_H
#define NORM_TEXTGRID_H

#include <stddef.h>
#include "ft_arena.h"
#include "ft_error.h"
#include "ft_table.h"

/* One field: trimmed UTF-8 text, borrowed from the page or in the arena. */
typedef struct {
    const char *s;
    size_t len;
} norm_tfield;

typedef struct {
    norm_tfield *f;       /* cap_cols fields; ncols of them in use */
    unsigned nraw;        /* fields the line had as printed */
    unsigned long line;   /* input line number */
    int title;            /* set by norm_tgrid_finish */
    size_t section;       /* set by norm_textalign_rows: index of the header
                           * row of the row's section, NORM_TGRID_NONE if the
                           * row is not in one */
} norm_trow;

#define NORM_TGRID_NONE ((size_t)-1)

/* A first-column label followed by at least this many empty fields, in a
 * header section, spans them: it is a row of its own (seed 001's `总分` over
 * the three level columns, the target and the actual value), and its numbers
 * are realigned after it (norm_textalign.h). One empty field is too common
 * after a label to mean a span (`信息公开实现率<TAB><TAB>=100%` is a shifted
 * row, seed 000). */
#define NORM_TGRID_TOTAL_SPAN 2u

typedef struct {
    norm_trow *rows;
    size_t nrows, cap;
    unsigned ncols;       /* widest row; after finish, without empty tail */
    unsigned cap_cols;    /* fields allocated per row */
    ft_arena arena;
} norm_tgrid;

/* cap_cols: most fields a row keeps (the rest fold into the last one). */
void norm_tgrid_init(norm_tgrid *g, unsigned cap_cols);
void norm_tgrid_cleanup(norm_tgrid *g);
/* Empty the grid for the next table, keeping cap_cols. */
void norm_tgrid_reset(norm_tgrid *g);

/* Add one line (text[0..len), TABs between fields) as a row. after_gap: a
 * blank line came before it (a page break). A line after a gap that begins
 * with empty fields and has exactly one field with text is the rest of a cell
 * the break split: it is joined (norm_textcat_line) to the right-most text of
 * the previous row at or after its column (seed 002 line 23) and no row is
 * added. *folded is set when the line had more than cap_cols fields.
 * FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_tgrid_add_line(norm_tgrid *g, const char *text, size_t len,
                                  unsigned long line, int after_gap,
                                  int *folded);

/* Pad every row to ncols, drop trailing columns empty in every row (seed
 * 002's two empty fields after 绩效指标) and mark title rows. */
void norm_tgrid_finish(norm_tgrid *g);

/* 1 if field c of row r has text. */
int norm_tgrid_has(const norm_tgrid *g, size_t r, unsigned c);

/* Write the grid as the cells of t (whose nrows/ncols it sets; t's method,
 * pages and id are the caller's), deciding continuations and spans as the
 * header comment says. FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_tgrid_build(const norm_tgrid *g, unsigned page,
                               ft_table *t);

#endif
