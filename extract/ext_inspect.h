/* formtab-inspect as a library: get the layout and table streams of an
 * input (by running formtab-extract and formtab-normalize found beside the
 * executable, or from files made beforehand), then draw one page as a PNG
 * overlay (ext_inspect_draw.h) or write the review folder of the whole
 * document (ext_inspect_review.h). inspect_main.c only parses options.
 *
 * Ownership: ext_inspect_run borrows its options and diagnostics context;
 * everything it allocates, GLib objects included, is released before it
 * returns. */
#ifndef EXT_INSPECT_H
#define EXT_INSPECT_H

#include <stddef.h>
#include <sys/types.h>
#include "ext_opts.h"
#include "ft_diag.h"
#include "ft_error.h"

typedef struct {
    const char *input;        /* FILE: the PDF (or text dump) to inspect */
    const char *layout_path;  /* --layout: use this layout stream */
    const char *tables_path;  /* --tables: use this table stream */
    const char *records_path; /* --records: emit's form records (JSON Lines) */
    const char *png_path;     /* -o: write page `page` here */
    const char *html_dir;     /* --html: write the review folder here */
    unsigned page;            /* the page of -o (1-based) */
    const char *pages;        /* --pages as given (passed to extract), or NULL */
    ext_pages sel;            /* --pages parsed (no ranges: every page) */
    double dpi;               /* resolution of the images */
    const char *password;     /* --password, passed on; NULL: none */
    const char *ocr;          /* --ocr, passed on; NULL: extract's default */
    const char *version;      /* formtab version, for the review page */
    mode_t file_mode;         /* permission bits of the files written */
} ext_inspect_options;

/* Defaults: page 1, every page, EXT_OVERLAY_DPI_DEFAULT, files 0644. */
void ext_inspect_options_init(ext_inspect_options *o);

/* Do what o says. Warnings go to d as they arise (the stages print their
 * own). Returns FT_OK; FT_PAGE when a stage rejected part of the input (its
 * exit status 1: what could be read is still shown); or an error with msg
 * (msg_len bytes) saying why: FT_NOENT (input or a stage missing), FT_PDF,
 * FT_ENCRYPTED, FT_FORMAT / FT_VERSION / FT_TRUNCATED (a stream; the review
 * page is still written with what was read), FT_USAGE (the page of -o does
 * not exist, a text dump has no page image), FT_IO, FT_LIMIT, FT_NOMEM,
 * FT_INTERNAL (a stage crashed). */
FT_WUR ft_err ext_inspect_run(const ext_inspect_options *o, ft_diag *d,
                              char *msg, size_t msg_len);

#endif
