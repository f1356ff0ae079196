/* Helpers shared by the formtab-inspect suites: draw a ruled table with
 * known geometry into a PDF with cairo (the truth of the tests is this
 * drawing, chosen by hand), run a program with a time limit, read files and
 * look at PNG pixels.
 *
 * Ownership: strings returned by tl_read_file() and tl_tmpdir() are heap
 * memory the caller frees with free(). */
#ifndef INSPECT_TESTLIB_H
#define INSPECT_TESTLIB_H

#include <stddef.h>

/* A cell of a drawn grid, at its top-left slot, 1-based. */
typedef struct {
    unsigned row, col, rowspan, colspan;
    const char *text;
} tl_cell;

/* A ruled table on one page: columns and rows of the given sizes in points
 * from (x0, y0), origin top-left. Every cell's border is drawn, so a merged
 * cell has no line inside it. Text is drawn 4 pt from the cell's left edge,
 * at font size font_pt. */
typedef struct {
    double page_w, page_h;
    double x0, y0;
    const double *colw;
    unsigned ncols;
    const double *rowh;
    unsigned nrows;
    const tl_cell *cells;
    size_t ncells;
    double font_pt;
} tl_grid;

/* Write g as a one-page PDF. 0 on success. */
int tl_make_pdf(const char *path, const tl_grid *g);

/* The box of cell c in points: x0 y0 x1 y1. */
void tl_cell_box(const tl_grid *g, const tl_cell *c, double box[4]);

/* A new empty directory under $TMPDIR or /tmp; NULL on failure. */
char *tl_tmpdir(void);

/* Remove dir and the files directly in it (not recursive). */
void tl_rmdir(const char *dir);

/* Run argv[0] (a path, or a name looked up in PATH) with argv, stdout to
 * out_path (NULL: /dev/null), stderr to err_path (NULL: inherited), at most
 * timeout_s seconds (then it is killed). Returns its exit status, 128 + the
 * signal that ended it, or -1 if it could not be run. */
int tl_run(char *const argv[], const char *out_path, const char *err_path,
           unsigned timeout_s);

/* The whole file as a NUL-terminated string (len may be NULL); NULL on
 * failure. */
char *tl_read_file(const char *path, size_t *len);

/* A stream: the header line of magic (version 1), a doc record naming pdf
 * with sha256 (kind pdf, one page), then body. Caller frees. */
char *tl_stream(const char *magic, const char *pdf, const char *sha256,
                const char *body);

/* Write s to path. 0 on success. */
int tl_write_file(const char *path, const char *s);

/* A loaded PNG: RGB of pixel (x, y). */
typedef struct tl_png tl_png;
tl_png *tl_png_load(const char *path);
void tl_png_free(tl_png *p);
int tl_png_width(const tl_png *p);
int tl_png_height(const tl_png *p);
/* 0 and rgb filled if (x, y) is inside the image. */
int tl_png_rgb(const tl_png *p, int x, int y, int rgb[3]);

/* The full path of a program found in PATH, or NULL (caller frees). */
char *tl_which(const char *name);

#endif
