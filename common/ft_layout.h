/* The layout stream (extract -> normalize, docs/streams.md): the document
 * header, and a page at a time of text runs, ruling lines and plain-text lines.
 * Writers stream records straight to a FILE; the reader fills one ft_page.
 *
 * Ownership: ft_doc and ft_page are caller-owned storage (init/cleanup). All
 * strings inside a page live in the page's arena and die with the next
 * ft_page_reset() or ft_layout_read_page(). */
#ifndef FT_LAYOUT_H
#define FT_LAYOUT_H

#include <stddef.h>
#include <stdio.h>
#include "ft_arena.h"
#include "ft_error.h"
#include "ft_stream.h"

#define FT_LAYOUT_MAGIC "formtab-layout"
#define FT_LAYOUT_VERSION 1

/* A box in PDF points, origin top-left of the displayed page. */
typedef struct {
    double x0, y0, x1, y1;
} ft_box;

/* Flags of a text run. */
enum {
    FT_RUN_BOLD = 1,
    FT_RUN_ITALIC = 2,
    FT_RUN_OCR = 4,
    FT_RUN_ROTATED = 8,
    FT_RUN_HIDDEN = 16
};

typedef struct {
    ft_box box;
    double size;      /* font size in points, 0 if unknown */
    unsigned flags;   /* FT_RUN_* */
    double conf;      /* OCR confidence 0..100, or -1 when not OCR */
    char *text;       /* UTF-8, in the page arena */
    size_t len;
} ft_run;

typedef struct {
    unsigned long number; /* line number in the input file */
    char *text;           /* tabs kept, in the page arena */
    size_t len;
} ft_tline;

typedef struct {
    char *source;     /* heap; freed by ft_doc_cleanup */
    char sha256[65];
    char kind[8];     /* "pdf" or "text" */
    unsigned npages;
} ft_doc;

typedef struct {
    unsigned number;
    double width, height;  /* 0 when unknown */
    int has_geometry;      /* 0 for plain-text pages */
    int rotation;
    char origin[8];        /* "text", "ocr", "plain" */
    int failed;            /* endpage said failed */
    char *fail_reason;     /* in the arena, NULL when ok */
    ft_run *runs; size_t nruns, cap_runs;
    ft_box *rules; size_t nrules, cap_rules;
    ft_tline *lines; size_t nlines, cap_lines;
    char **warnings; size_t nwarnings, cap_warnings;
    ft_arena arena;
} ft_page;

void ft_doc_init(ft_doc *d);
void ft_doc_cleanup(ft_doc *d);

void ft_page_init(ft_page *p);
void ft_page_cleanup(ft_page *p);
/* Empty the page for reuse, keeping allocations. */
void ft_page_reset(ft_page *p);

/* Add to a page (copies text into the arena). FT_LIMIT past the caps of
 * ft_limits.h, FT_NOMEM. */
FT_WUR ft_err ft_page_add_run(ft_page *p, const ft_run *run);
FT_WUR ft_err ft_page_add_rule(ft_page *p, ft_box rule);
FT_WUR ft_err ft_page_add_line(ft_page *p, unsigned long number,
                               const char *text, size_t len);
FT_WUR ft_err ft_page_add_warning(ft_page *p, const char *msg);

/* ---- writer: each call writes complete lines ----------------------------- */

void ft_layout_write_header(FILE *f, const ft_doc *d);
/* origin: "text", "ocr" or "plain"; width/height ignored when !has_geometry */
void ft_layout_write_page(FILE *f, unsigned number, int has_geometry,
                          double width, double height, int rotation,
                          const char *origin);
void ft_layout_write_run(FILE *f, const ft_run *run);
void ft_layout_write_rule(FILE *f, ft_box rule);
void ft_layout_write_line(FILE *f, unsigned long number, const char *text,
                          size_t len);
void ft_layout_write_warn(FILE *f, const char *msg);
/* reason NULL: ok; else the page failed for that reason */
void ft_layout_write_endpage(FILE *f, unsigned number, const char *reason);
void ft_layout_write_end(FILE *f, unsigned npages, unsigned nfailed);
/* Write a whole page held in memory (header record through endpage). */
void ft_layout_write_full_page(FILE *f, const ft_page *p);

/* ---- reader -------------------------------------------------------------- */

typedef struct {
    ft_record_reader rr;
    ft_doc doc;
    int ended;               /* `end` seen */
    unsigned end_npages, end_failed;
} ft_layout_reader;

/* Read the header and the doc record. Errors as ft_record_reader_init, plus
 * FT_FORMAT when the doc record is missing; r->rr.msg says why. Cleanup is
 * needed even on failure. */
FT_WUR ft_err ft_layout_reader_init(ft_layout_reader *r, FILE *in,
                                    const char *name);
void ft_layout_reader_cleanup(ft_layout_reader *r);

/* Read the next page into p (reset first). FT_OK: a page; FT_EOF: the `end`
 * record was read (r->ended); FT_TRUNCATED: input ended without `end`;
 * FT_FORMAT / FT_LIMIT / FT_UTF8 with r->rr.msg naming the line. */
FT_WUR ft_err ft_layout_read_page(ft_layout_reader *r, ft_page *p);

#endif
