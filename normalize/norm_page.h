/* What one page turns into: its tables and notes in reading order, and the
 * warnings about it. Every finder (text dump, lattice, stream) fills one
 * norm_page_out; the document driver then normalises the texts, joins tables
 * over page breaks and writes the table stream.
 *
 * Ownership: norm_page_out is caller-owned storage (init/cleanup). It owns its
 * tables (norm_tables), and the texts of notes and warnings live in its arena;
 * norm_page_out_reset() frees them all for the next page. */
#ifndef NORM_PAGE_H
#define NORM_PAGE_H

#include <stddef.h>
#include "ft_arena.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "norm_tables.h"

typedef enum { NORM_ITEM_TABLE, NORM_ITEM_NOTE } norm_item_kind;

typedef struct {
    norm_item_kind kind;
    size_t table;       /* TABLE: index into norm_page_out.tables */
    ft_box box;         /* NOTE: the note's box (has_box 0 for text pages) */
    int has_box;
    char *text;         /* NOTE: UTF-8 in the arena */
    size_t len;
    double key_y, key_x; /* reading order: top, then left (text: line no.) */
    unsigned long seq;   /* tie-break: order of creation */
    unsigned char *top_open; /* TABLE (lattice): per cell of the table (by
                              * index), 1 for a first-row cell with no rule
                              * along its top: it continues a cell of the
                              * previous page. In the arena; NULL: unknown. */
} norm_item;

typedef struct {
    unsigned page;       /* page number */
    norm_tables tables;
    norm_item *items;
    size_t count, cap;
    char **warnings;     /* messages (arena) to pass on as `warn` records */
    size_t nwarnings, cap_warnings;
    ft_arena arena;
} norm_page_out;

void norm_page_out_init(norm_page_out *o);
void norm_page_out_cleanup(norm_page_out *o);
void norm_page_out_reset(norm_page_out *o, unsigned page);

/* Append a new table and its item; *t receives the table (owned by o). The
 * item's key is set by the caller through *item. FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_page_add_table(norm_page_out *o, ft_table **t,
                                  norm_item **item);

/* Move table *src (filled by a finder into its own list) into o as a new
 * table item; *src is left freshly initialised. FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_page_adopt_table(norm_page_out *o, ft_table *src,
                                    norm_item **item);

/* Append a note (text copied into the arena). box NULL: no geometry.
 * FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_page_add_note(norm_page_out *o, const char *text,
                                 size_t len, const ft_box *box, double key_y,
                                 double key_x);

/* Record a warning about the page (formatted, copied into the arena). */
FT_WUR ft_err norm_page_warn(norm_page_out *o, const char *fmt, ...)
    FT_PRINTF(2, 3);

/* Sort the items into reading order (key_y, key_x, seq). */
void norm_page_sort(norm_page_out *o);

#endif
