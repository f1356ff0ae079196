/* Post-OCR repair of cell texts: the confusions Tesseract makes on these
 * forms, undone where the context makes the intended text certain.
 *
 *   digits     in a numeric cell only: O/o -> 0 and l/I/| -> 1 inside a
 *              number, ，-> , and 。-> . between digits, x -> × between
 *              digits (800x50=40000), and periods read for thousands commas
 *              (37.780.000.00 -> 37,780,000.00)
 *   relation   when the table's targets start with ≥/≤: a leading >, <, 之,
 *              过, 和 (or a 2 that makes a percentage impossible) before a
 *              number is the relation sign
 *   label      a cell within a small edit distance of one of the forms' own
 *              labels (项目名称, 三级指标, 服务对象满意度指标, ...) is that label
 *
 * Each repair is pure: text in, text out, and a bit set saying which repairs
 * changed it, so the driver can flag the cell (FT_CELL_REPAIRED). Text that
 * is not from OCR (conf < 0) is never changed. A Latin word keeps its O and l
 * (the digit repairs need a real digit in the same token), a real digit 2 is
 * kept (it is a relation sign only where the number then cannot be).
 *
 * Beside the repairs, norm_ocrfix_check_sums() cross-checks a table's totals
 * (合计/总计 rows against the rows above) and reports mismatches.
 *
 * Ownership: output goes to a caller-owned ft_buf; the table is borrowed;
 * nothing else is allocated beyond the call. */
#ifndef NORM_OCRFIX_H
#define NORM_OCRFIX_H

#include <stddef.h>
#include "ft_buf.h"
#include "ft_error.h"
#include "ft_table.h"

/* What a repair changed (bits of *fixes). */
enum {
    NORM_OCRFIX_DIGITS = 1,     /* letters/CJK punctuation inside a number, x for × */
    NORM_OCRFIX_SEPARATOR = 2,  /* periods read for thousands commas */
    NORM_OCRFIX_RELATION = 4,   /* a leading ≥/≤ restored */
    NORM_OCRFIX_LABEL = 8       /* snapped to a known label */
};

/* What the driver knows about the cell. */
typedef struct {
    int numeric;  /* the cell holds an amount or a target (its column does,
                   * or norm_ocrfix_looks_numeric() says so) */
    int relops;   /* the table's targets start with ≥/≤
                   * (norm_ocrfix_table_relops()) */
} norm_ocrfix_ctx;

/* A cell whose OCR confidence is at least this is trusted for the riskier
 * label snaps (distance 2): Tesseract's mean word confidence on the correctly
 * read labels of the scanned fixtures is mostly above 90, on the misread ones
 * below. Distance-1 snaps apply whatever the confidence. */
#define NORM_OCRFIX_SURE_CONF 90.0

/* Repair one OCR cell. text[0..len) is its UTF-8 text, conf its OCR
 * confidence (0..100; < 0: not OCR, copied unchanged). The result is
 * appended to out; *fixes receives the NORM_OCRFIX_* bits of what changed
 * (0: the text was copied as is). FT_LIMIT/FT_NOMEM from out; FT_UTF8 if
 * text is not valid UTF-8 (out unchanged). */
FT_WUR ft_err norm_ocrfix_cell(const char *text, size_t len, double conf,
                               const norm_ocrfix_ctx *ctx, ft_buf *out,
                               unsigned *fixes);

/* 1 if text reads as an amount or a target: it has a digit, and digits and
 * the characters that go with numbers (, . % ≥ ≤ < > = ( ) - + space and the
 * letters OCR confuses with digits) make up at least two thirds of it. */
int norm_ocrfix_looks_numeric(const char *text, size_t len);

/* 1 if some cell of t starts with ≥ or ≤ (the form writes its targets so). */
int norm_ocrfix_table_relops(const ft_table *t);

/* Cross-check totals: for every row whose first non-empty cell contains 合计
 * or 总计, each column holding an amount in that row must equal the sum of
 * the amounts in that column in the rows above (back to the previous total
 * row or the top; cells in a column with a different unit suffix, or fewer
 * than two amounts, are not checked). Each mismatch calls warn(ud, row, col,
 * message) with a one-line message ("row 9 (合计) column 4: 10.5 but the rows
 * above add up to 11.5"); the message is valid during the call. *nchecked
 * (may be NULL) receives how many totals were compared. FT_NOMEM, and the
 * errors of ft_table_slot_map (the table is malformed). */
typedef void (*norm_ocrfix_warn_fn)(void *ud, unsigned row, unsigned col,
                                    const char *msg);
FT_WUR ft_err norm_ocrfix_check_sums(const ft_table *t,
                                     norm_ocrfix_warn_fn warn, void *ud,
                                     unsigned *nchecked);

#endif
