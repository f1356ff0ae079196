/* Form records (--records=form): read one table through a mapping file
 * (emit_map.h) and write typed records of four kinds (docs/records.md):
 *   field       a labelled value of the form (项目名称 -> project_name), or a
 *               value of a funds block or of a per-row summary table
 *   indicator   one performance indicator: its levels (merged labels filled
 *               in), target, actual value, weight, score
 *   budget_item one line of a budget breakdown (项目组成 数量 单价 资金需求)
 *   cell        the cells of a table in which nothing could be read, so no
 *               data is lost (with a warning)
 * Every record carries a deterministic record_id (emit_record_id) so that a
 * reload of the same file upserts instead of duplicating.
 *
 * Ownership: emit_form_table borrows everything; its scratch memory is
 * bounded by the table and freed before it returns. */
#ifndef EMIT_FORM_H
#define EMIT_FORM_H

#include <stddef.h>
#include "emit_map.h"
#include "emit_write.h"
#include "ft_diag.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "ft_table.h"

/* CSV columns of each kind, in order. JSON objects have the same keys,
 * preceded by "kind". */
#define EMIT_FIELD_NCOLS 16
#define EMIT_INDICATOR_NCOLS 25
#define EMIT_BUDGET_NCOLS 22
#define EMIT_FORMCELL_NCOLS 13
extern const char *const emit_field_columns[EMIT_FIELD_NCOLS];
extern const char *const emit_indicator_columns[EMIT_INDICATOR_NCOLS];
extern const char *const emit_budget_columns[EMIT_BUDGET_NCOLS];
extern const char *const emit_formcell_columns[EMIT_FORMCELL_NCOLS];

/* Where each kind goes; NULL: that kind is not written. The writers may be
 * the same (JSON and JSON Lines carry all kinds, told apart by "kind"). */
typedef struct {
    emit_writer *field, *indicator, *budget, *cell;
} emit_form_out;

typedef struct {
    unsigned long nfield, nindicator, nbudget, ncell;
} emit_form_counts;

/* A line of text outside the tables (a `note` of the stream) that came
 * after the previous table: titles and `部门名称:...` lines printed above a
 * form become fields of the form that follows them. Borrowed. */
typedef struct {
    unsigned page;
    const char *text;
    size_t len;
} emit_note;

/* Notes kept for the next table: the most recent ones, each no longer than
 * EMIT_MAX_NOTE_LEN bytes (a longer note is prose, never a label). Seed 003
 * prints up to five lines between a form and the table before it. */
#define EMIT_MAX_NOTES 16u
#define EMIT_MAX_NOTE_LEN 4096u

/* Most indicators read from one list cell (seed 002's longest has 8). */
#define EMIT_MAX_LIST_ITEMS 200u

/* A section still open at the end of one table, handed to the next: a table
 * split at a page break (or at a blank line of a text dump) loses its header
 * row, and its rows still belong to the section above. The next table takes
 * the section over when it has the same number of columns, no note was
 * printed between, and its first row is neither a header nor a field label;
 * its records then keep the form_id (and indicator numbering) of the table
 * the section started in. Caller-owned: emit_form_carry_new() /
 * emit_form_carry_free() (NULL is a no-op). */
typedef struct emit_form_carry emit_form_carry;
FT_WUR ft_err emit_form_carry_new(emit_form_carry **carry);
void emit_form_carry_free(emit_form_carry *carry);

/* Write the records of table t, and first the fields found in notes[0..n)
 * (the notes printed since the previous table; row 0, col 0 in the records).
 * carry (may be NULL: every table stands alone) is read and updated.
 * Warnings (a table with no form content, a list too long, a pattern hitting
 * its match limit) go to d, naming the source and page. counts (may be NULL)
 * is incremented. FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err emit_form_table(const emit_map *m, const ft_doc *doc,
                              const ft_table *t, const emit_note *notes,
                              size_t nnotes, emit_form_carry *carry,
                              const emit_form_out *o, ft_diag *d,
                              emit_form_counts *counts);

/* The record id: lower-case hex SHA-256 of
 *   kind LF sha256 LF page LF table LF row LF key
 * where key is the column (cells, budget items: "0"), the field name
 * followed by "@" and the label's column (a note's field: "@note" and the
 * note's 1-based order before the table), or the indicator's sequence
 * number in its form. */
void emit_record_id(const char *kind, const char *sha256, unsigned page,
                    unsigned table, unsigned row, const char *key,
                    char hex[65]);

#endif
