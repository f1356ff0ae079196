/* formtab-emit as a library: read a table stream (docs/streams.md) one table
 * at a time and write records (docs/records.md) in the chosen mode and format.
 * main.c only parses options and prints the error this returns.
 *
 * Ownership: emit_run borrows its streams, options and diagnostics context;
 * everything it allocates is freed before it returns. */
#ifndef EMIT_H
#define EMIT_H

#include <stddef.h>
#include <stdio.h>
#include "emit_write.h"
#include "ft_diag.h"
#include "ft_error.h"

typedef enum { EMIT_MODE_ROWS, EMIT_MODE_CELLS, EMIT_MODE_FORM } emit_mode;

/* Record kinds of form mode, as bits. */
enum {
    EMIT_KIND_FIELD = 1,
    EMIT_KIND_INDICATOR = 2,
    EMIT_KIND_BUDGET = 4,
    EMIT_KIND_CELL = 8, /* cells of tables whose form could not be read */
    EMIT_KIND_ALL = 15
};

typedef struct {
    emit_format fmt;       /* csv (default), json, jsonl */
    emit_mode mode;        /* rows (default), cells, form */
    int crlf;              /* CSV line ends CRLF */
    int bom;               /* CSV starts with a UTF-8 BOM */
    int header;            /* CSV header line: -1 the mode's default (rows:
                              no, cells and form: yes), 0 no, 1 yes */
    const char *split_dir; /* write one CSV per table (rows, cells) or per
                              record kind (form) into this directory and
                              print their paths; NULL: one stream */
    const char *map_path;  /* form mode mapping file; NULL: built-in */
    unsigned kinds;        /* form mode: EMIT_KIND_* bits to write; a single
                              CSV stream takes exactly one */
    int empty_ok;          /* zero bytes of input is not an error */
} emit_options;

/* Defaults: csv, rows, LF, no BOM, header by mode, all kinds. */
void emit_options_init(emit_options *o);

/* Read the stream from in (named name in messages) and write records to out
 * (or, with split_dir, files whose paths go to out). Warnings go to d as they
 * arise. Records of every complete table are written before an error in a
 * later part of the stream is returned, so a truncated stream loses nothing
 * that was whole. On failure msg (len bytes) holds a one-line reason that
 * starts with the file it is about (the input, the mapping file or an output
 * file) and names the stream line where there is one. Returns FT_OK, or the error: FT_EMPTY,
 * FT_VERSION, FT_FORMAT, FT_TRUNCATED, FT_UTF8, FT_LIMIT (input), FT_CONFIG,
 * FT_PATTERN (mapping file), FT_IO, FT_NOMEM. */
FT_WUR ft_err emit_run(const emit_options *o, FILE *in, const char *name,
                       FILE *out, ft_diag *d, char *msg, size_t len);

#endif
