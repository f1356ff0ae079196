/* Helpers shared by the normalize unit suites: pages built by hand in C (rules
 * and runs, or the lines of a text dump), and a compact text form of what the
 * finders produce, so each case states its expected tables in one string.
 *
 * Ownership: strings returned by tl_dump_* are malloc'd; the caller frees. */
#ifndef NORM_TESTLIB_H
#define NORM_TESTLIB_H

#include "ft_layout.h"
#include "ft_table.h"
#include "norm_page.h"

/* Start page p (initialised by the caller) as a PDF page of w x h points. */
void tl_page_pdf(ft_page *p, unsigned number, double w, double h);
/* Start page p as a plain-text page. */
void tl_page_plain(ft_page *p, unsigned number);

/* A horizontal rule at y from x0 to x1, a vertical one at x from y0 to y1. */
void tl_hrule(ft_page *p, double y, double x0, double x1);
void tl_vrule(ft_page *p, double x, double y0, double y1);
/* A full grid: rules at every xs[i] (nx of them) and ys[j] (ny). */
void tl_grid(ft_page *p, const double *xs, size_t nx, const double *ys,
             size_t ny);
/* A text run with its box; flags FT_RUN_*. */
void tl_run(ft_page *p, double x0, double y0, double x1, double y1,
            const char *text, unsigned flags);
/* The lines of a text dump: "N:text" each, N the line number, "\t" kept. */
void tl_lines(ft_page *p, const char *const *lines, size_t n);

/* One table as text: "METHOD RxC\n" then one "r,c,rs,cs:text\n" per cell in
 * (row, col) order. Cell flags are not shown. */
char *tl_dump_table(const ft_table *t);
/* A page's items in their current order: tables as tl_dump_table, notes as
 * "note:text\n". */
char *tl_dump_page(const norm_page_out *o);

#endif
