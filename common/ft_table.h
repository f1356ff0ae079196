/* The table stream (normalize -> emit, docs/streams.md): tables with cells and
 * spans, the notes between them and warnings, one item at a time.
 *
 * Ownership: ft_table is caller-owned storage (init/cleanup); the texts of its
 * cells live in its arena and die with ft_table_reset(). ft_tables_item
 * borrows the reader's buffers until the next read. */
#ifndef FT_TABLE_H
#define FT_TABLE_H

#include <stddef.h>
#include <stdio.h>
#include "ft_arena.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "ft_stream.h"

#define FT_TABLES_MAGIC "formtab-tables"
#define FT_TABLES_VERSION 1

/* Cell flags. */
enum {
    FT_CELL_HEADER = 1,     /* part of a header row */
    FT_CELL_CONTINUED = 2,  /* text continued from the previous page */
    FT_CELL_REPAIRED = 4,   /* a normalisation rule changed the text */
    FT_CELL_LOWCONF = 8     /* OCR is unsure of this cell */
};

typedef struct {
    unsigned row, col;          /* 1-based top-left slot */
    unsigned rowspan, colspan;  /* >= 1 */
    unsigned page;              /* page the cell (its top) is on */
    ft_box box;
    int has_box;
    double conf;                /* lowest OCR confidence, -1: not OCR */
    unsigned flags;             /* FT_CELL_* */
    char *text;                 /* UTF-8, in the table arena */
    size_t len;
} ft_cell;

typedef struct {
    unsigned id;                /* 1-based in the document */
    unsigned page_first, page_last;
    char method[12];            /* "lattice", "stream", "text" */
    unsigned nrows, ncols;
    ft_box box;
    int has_box;
    ft_cell *cells;
    size_t ncells, cap_cells;
    ft_arena arena;
} ft_table;

void ft_table_init(ft_table *t);
void ft_table_cleanup(ft_table *t);
void ft_table_reset(ft_table *t);

/* Append a cell (text copied into the arena). FT_LIMIT, FT_NOMEM. */
FT_WUR ft_err ft_table_add_cell(ft_table *t, const ft_cell *c);

/* Build the slot map: *map receives nrows*ncols indexes into t->cells (slot
 * (r,c) 1-based is map[(r-1)*ncols + (c-1)]). Checks that cells lie inside the
 * grid and cover every slot exactly once; else FT_FORMAT with a message in
 * msg (msg_len bytes). Caller frees *map with free(). */
FT_WUR ft_err ft_table_slot_map(const ft_table *t, size_t **map, char *msg,
                                size_t msg_len);

/* Sort cells by (row, col). */
void ft_table_sort(ft_table *t);

/* ---- writer ---- */

void ft_tables_write_header(FILE *f, const ft_doc *d);
void ft_tables_write_table(FILE *f, const ft_table *t);
void ft_tables_write_note(FILE *f, unsigned page, const ft_box *box,
                          const char *text, size_t len);
void ft_tables_write_warn(FILE *f, unsigned page, const char *msg);
void ft_tables_write_end(FILE *f, unsigned ntables, unsigned failed_pages);

/* ---- reader ---- */

typedef enum {
    FT_ITEM_TABLE,
    FT_ITEM_NOTE,
    FT_ITEM_WARN
} ft_item_kind;

typedef struct {
    ft_item_kind kind;
    unsigned page;          /* note, warn (0: whole document) */
    ft_box box;             /* note */
    int has_box;
    const char *text;       /* note text or warning message (borrowed) */
    size_t len;
} ft_tables_item;

typedef struct {
    ft_record_reader rr;
    ft_doc doc;
    int ended;
    unsigned end_ntables, end_failed;
} ft_tables_reader;

FT_WUR ft_err ft_tables_reader_init(ft_tables_reader *r, FILE *in,
                                    const char *name);
void ft_tables_reader_cleanup(ft_tables_reader *r);

/* Read the next item. For FT_ITEM_TABLE the table is read whole into t (reset
 * first) and validated with ft_table_slot_map. FT_EOF after `end`,
 * FT_TRUNCATED without it; FT_FORMAT etc. with r->rr.msg naming the line. */
FT_WUR ft_err ft_tables_read_next(ft_tables_reader *r, ft_tables_item *item,
                                  ft_table *t);

#endif
