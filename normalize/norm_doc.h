/* The formtab-normalize document driver: reads the layout stream a page at a
 * time, finds each page's tables and notes (text dump, lattice, stream),
 * normalises their texts with the rules, joins tables that run over pages and
 * writes the table stream (docs/streams.md).
 *
 * Memory is bounded by one page plus the one table held back to see whether
 * the next page continues it.
 *
 * Ownership: everything norm_doc_run() allocates is freed before it returns;
 * the rules, streams and diagnostics are borrowed. */
#ifndef NORM_DOC_H
#define NORM_DOC_H

#include <stdio.h>
#include "ft_diag.h"
#include "ft_error.h"
#include "norm_rules.h"

typedef struct {
    int empty_ok; /* zero-byte input: no output, FT_OK (--empty-ok) */
} norm_doc_options;

/* Read the layout stream from in (in_name names it in messages) and write the
 * table stream to out. Errors are reported through d before returning:
 *   FT_OK        every page read (pages that failed in extract are passed on
 *                as `warn` records);
 *   FT_TRUNCATED the input ended without `end`: the tables built so far and
 *                an `end` record were written;
 *   FT_FORMAT, FT_VERSION, FT_UTF8, FT_LIMIT, FT_EMPTY: bad input, naming
 *                the line (after the header, what was built is written and
 *                closed with `end` as for truncation);
 *   FT_NOMEM, FT_IO. */
FT_WUR ft_err norm_doc_run(FILE *in, const char *in_name, FILE *out,
                           const norm_rules *rules,
                           const norm_doc_options *opts, ft_diag *d);

#endif
