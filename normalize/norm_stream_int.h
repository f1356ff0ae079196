/* Internals of the unruled-table finder (norm_stream.h), shared by its
 * three files: norm_stream.c (lines, regions, the entry point),
 * norm_stream_cols.c (rivers, columns, spans, side by side) and
 * norm_stream_rows.c (rows, continuations, building the table).
 *
 * Ownership: every array here is owned by the caller that built it; nothing
 * is allocated behind the caller's back. */
#ifndef NORM_STREAM_INT_H
#define NORM_STREAM_INT_H

#include <math.h>
#include <stddef.h>

#include "ft_buf.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "norm_tables.h"

/* Line pitches (baseline to baseline) within this factor of the smallest
 * pitch in a region are "tight"; the region has two pitches (wrapped lines
 * closer than rows) when some pitch exceeds the smallest by
 * NORM_STREAM_PITCH_SPLIT (fixture pdf/seed003-budgets-unruled: lines of a
 * wrapped cell 12.8 pt apart, rows 44.5 pt). */
#define NORM_STREAM_TIGHT_RATIO 1.12
#define NORM_STREAM_PITCH_SPLIT 1.25

/* Rows delimited by horizontal rules: when a region has at least this many
 * rules across it and on average at most NORM_STREAM_RULED_ROW_LINES lines
 * between two rules, each band between rules is one row (unit case
 * "rules make rows"). Fewer rules (top, header, bottom) only stop
 * continuations from crossing them. A rule counts when it covers this
 * fraction of the region's width. */
#define NORM_STREAM_RULED_MIN 4
#define NORM_STREAM_RULED_ROW_LINES 3
#define NORM_STREAM_RULE_COVER 0.5

/* ---- data ---------------------------------------------------------------- */

/* A piece of a run: the whole run, or a part cut at a river. */
typedef struct {
    size_t run;
    size_t off, len;       /* bytes of the run's text */
    ft_box box;
} piece;

typedef struct {
    size_t first, count;   /* pieces: w->order[first .. first+count) */
    ft_box box;
    double size;
    int numeric;
    int c0, c1;            /* columns (0-based), -1 unassigned */
    int cc;                /* column of its centre */
    size_t li;             /* its line */
} seg;

typedef struct {
    size_t sfirst, nsegs;  /* segments of the line, by x */
    ft_box box;            /* union of its runs */
    double top, bottom;    /* band of its tallest run */
    double size;           /* largest font size */
    int bold;              /* every run bold */
} line;

typedef struct {
    double l, r;           /* empty x range between two columns */
} river;

typedef struct {
    const ft_page *p;
    unsigned char *used;
    norm_tables *out;
    ft_box *hrules;        /* horizontal rules of the page, by y */
    size_t nhrules;
    ft_err limit;          /* first FT_LIMIT met; the page goes on */
} ctx;

/* Lines and segments over a set of pieces. */
typedef struct {
    piece *order;          /* pieces grouped by line, by x in a line */
    size_t norder;
    seg *segs;
    size_t nsegs;
    line *lines;
    size_t nlines;
} workset;

typedef struct {
    size_t a, b;              /* lines of the region */
    river *rv;
    size_t nr;
    double x0, x1;            /* extent */
    double tight;             /* smallest pitch when two_pitches */
    int two_pitches;
    unsigned char *ruled;     /* ruled[i]: rule between line a+i and a+i+1 */
    int rows_by_rules;
    double *colright;         /* right edge of the owned text per column */
    double *colleft;          /* left edge of the owned text per column */
    double em;                /* usual font size */
} region;

/* ---- small helpers ------------------------------------------------------ */

static inline double box_h(const ft_box *b)
{
    return b->y1 - b->y0;
}

static inline void box_union(ft_box *a, const ft_box *b)
{
    a->x0 = fmin(a->x0, b->x0);
    a->y0 = fmin(a->y0, b->y0);
    a->x1 = fmax(a->x1, b->x1);
    a->y1 = fmax(a->y1, b->y1);
}

static inline const char *piece_text(const ctx *c, const piece *pc)
{
    return c->p->runs[pc->run].text + pc->off;
}

static inline double piece_size(const ctx *c, const piece *pc)
{
    const ft_run *r = &c->p->runs[pc->run];
    double s = r->size > 0 ? r->size : box_h(&r->box);
    return s > 0 ? s : 1.0;
}

static inline double line_h(const line *L)
{
    double h = L->bottom - L->top;
    return h > 0 ? h : L->size;
}

static inline int seg_single(const seg *s)
{
    return s->c0 == s->c1;
}

/* ---- across the files (norm__: internal to the stream finder) --------- */

/* 1 if the text reads as a value (norm_stream.c). */
int norm__text_numeric(const char *s, size_t len);

/* Rivers over the segments of lines [a, b] selected by sel (NULL: all)
 * where at most `allowed` lines have text, at least min_w wide, strictly
 * inside their extent. *out is malloc'd, caller frees. FT_NOMEM. */
FT_WUR ft_err norm__find_rivers(const workset *w, size_t a, size_t b,
                                const unsigned char *sel, int allowed,
                                double min_w, river **out, size_t *nout);

/* Left bound of column k's slot between the region edges x0, x1. */
double norm__col_bound(const river *rv, size_t nr, size_t k, double x0,
                       double x1);

/* Assign every segment of lines [a, b] to columns (c0, c1, cc). */
void norm__assign_all(workset *w, size_t a, size_t b, const river *rv,
                      size_t nr, double x0, double x1);

/* Add rivers for columns hidden by spans (left-edge alignment); *rv is
 * reallocated, *nadd says how many were added. FT_NOMEM. */
FT_WUR ft_err norm__aligned_rivers(const workset *w, size_t a, size_t b,
                                   double min_w, river **rv, size_t *nr,
                                   size_t *nadd);

/* numeric[k] = 1 where column k holds values; tally has 2 * ncols room. */
void norm__column_types(const workset *w, size_t a, size_t b, size_t ncols,
                        size_t *tally, unsigned char *numeric);

/* The pieces of lines [a, b] with runs that cross a river cut where they
 * can be (*out malloc'd, caller frees; *ncuts cuts). FT_NOMEM. */
FT_WUR ft_err norm__cut_crossers(const ctx *c, const workset *w, size_t a,
                                 size_t b, const river *rv, size_t nr,
                                 const unsigned char *numeric, double em,
                                 piece **out, size_t *nout, size_t *ncuts);

/* The river to split two tables side by side at, or (size_t)-1. */
size_t norm__side_by_side(const workset *w, size_t a, size_t b,
                          const river *rv, size_t nr,
                          const unsigned char *numeric, double em,
                          ft_err *rc);

/* 1 if a horizontal rule crosses [x0, x1] between y_top and y_bot. */
int norm__rule_between(const ctx *c, double x0, double x1, double y_top,
                       double y_bot);

/* Rows, cells and spans of region g appended to c->out as one table; its
 * runs marked 2 in c->used. FT_NOMEM, FT_LIMIT (nothing appended). */
FT_WUR ft_err norm__emit_table(ctx *c, workset *w, region *g);

#endif

