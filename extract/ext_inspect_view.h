/* One page as `formtab inspect` shows it: the layout page (rules, runs,
 * warnings) read in step with the table stream, so that for page N the view
 * holds every table with cells on N (those that start there and those that
 * continue from an earlier page) and, in stream order, the tables, notes and
 * warnings that belong to N. Both streams are read forward once; memory is
 * one layout page plus the tables that touch it (docs/streams.md guarantees
 * tables and notes come in page order).
 *
 * Each table's cells are sorted by (row, col) when it is read.
 *
 * Ownership: ext_view is caller-owned storage (ext_view_init/cleanup). The
 * streams are borrowed. Everything a page exposes (items, tables, texts)
 * belongs to the view and dies with the next ext_view_next_page(). */
#ifndef EXT_INSPECT_VIEW_H
#define EXT_INSPECT_VIEW_H

#include <stddef.h>
#include <stdio.h>
#include "ft_arena.h"
#include "ft_buf.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "ft_table.h"

/* Most tables one page may touch. seed003-ruled-doc puts three on a page;
 * this is far beyond any form and keeps a hostile stream from holding
 * unbounded tables at once. */
#define EXT_VIEW_MAX_TABLES 1000u

/* Most notes and warnings kept for one page, and for the whole document
 * (page-less warnings). Past this they are counted, not kept. */
#define EXT_VIEW_MAX_ITEMS 20000u

/* Bytes of note and warning text kept for one page. */
#define EXT_VIEW_MAX_TEXT (8u * 1024u * 1024u)

/* An item of a page in table-stream order. */
typedef struct {
    ft_item_kind kind;   /* FT_ITEM_TABLE, FT_ITEM_NOTE, FT_ITEM_WARN */
    ft_box box;          /* note */
    int has_box;
    const char *text;    /* note or warning (view's arena) */
    size_t len;
    const ft_table *table; /* FT_ITEM_TABLE: a table starting on this page */
    unsigned index;      /* note: 1-based number among this page's notes */
} ext_view_item;

typedef struct {
    /* borrowed streams */
    ft_layout_reader *lr;
    ft_tables_reader *tr;       /* NULL: no table stream */

    ft_page page;               /* the current layout page */
    ext_view_item *items;       /* this page's tables, notes, warnings */
    size_t nitems, cap_items;
    unsigned long dropped;      /* items past EXT_VIEW_MAX_ITEMS */

    ft_table **tables;          /* tables with cells on this page */
    size_t ntables;
    ft_table **pool;            /* EXT_VIEW_MAX_TABLES slots: held + free */
    size_t npool;

    /* One item read ahead from the table stream (it belongs to a later
     * page); its text is copied into ahead_text, a table into ahead_table. */
    int have_ahead;
    ft_tables_item ahead;
    ft_table *ahead_table;
    ft_buf ahead_text;

    ft_arena arena;             /* texts of this page's items */
    int tables_done;            /* table stream fully read */
    ft_err tables_err;          /* why it stopped, FT_EOF when at `end` */
    char tables_msg[256];
    unsigned long doc_warnings; /* page-less warnings seen (page 0) */
} ext_view;

void ext_view_init(ext_view *v, ft_layout_reader *lr, ft_tables_reader *tr);
void ext_view_cleanup(ext_view *v);

/* Read the next layout page and gather its tables and items. FT_OK: a page
 * is ready (v->page). FT_EOF: the layout stream ended with `end`. Layout
 * errors (FT_TRUNCATED, FT_FORMAT, ...) are returned with lr->rr.msg set.
 * An error in the table stream is not returned: the view stops reading
 * tables, keeps what it has, and records the error in tables_err /
 * tables_msg for the caller to report. Page-less warnings (page 0) are
 * handed to on_doc_warning (may be NULL) as they are read. */
FT_WUR ft_err ext_view_next_page(ext_view *v,
                                 void (*on_doc_warning)(void *ctx,
                                                        const char *text,
                                                        size_t len),
                                 void *ctx);

/* 1 if table t has at least one cell on page with a box, or is a text
 * table (no geometry) starting there. */
int ext_view_table_on_page(const ft_table *t, unsigned page);

#endif
