/* Diagnostics: the one place that formats messages for stderr. Every message
 * names the program, the input file and, where known, the page:
 *     formtab-extract: report.pdf: page 3: damaged content stream
 *     formtab-normalize: warning: report.pdf: page 3: rules do not form a grid
 * There is no global state: each tool owns one ft_diag and passes it down.
 *
 * Ownership: ft_diag holds borrowed pointers (prog, the FILE); it owns nothing. */
#ifndef FT_DIAG_H
#define FT_DIAG_H

#include <stdio.h>
#include "ft_error.h"

typedef struct {
    const char *prog; /* program name printed first, e.g. "formtab-extract" */
    FILE *out;        /* where messages go: stderr */
    int quiet;        /* 1: suppress warnings (-q) */
    int verbose;      /* 1: print debug lines (-v) */
    unsigned long nwarnings; /* warnings reported so far (counted even when quiet) */
    unsigned long nerrors;   /* errors reported so far */
} ft_diag;

/* Set up a diagnostics context writing to stderr. */
void ft_diag_init(ft_diag *d, const char *prog);

/* Report an error about file (may be NULL) and page (0: no page). One line. */
void ft_diag_error(ft_diag *d, const char *file, unsigned page,
                   const char *fmt, ...) FT_PRINTF(4, 5);

/* Report a warning; printed unless quiet, always counted. */
void ft_diag_warn(ft_diag *d, const char *file, unsigned page,
                  const char *fmt, ...) FT_PRINTF(4, 5);

/* A debug line, printed only when verbose. */
void ft_diag_debug(ft_diag *d, const char *fmt, ...) FT_PRINTF(2, 3);

/* Print a usage error and the "Try 'PROG --help'" hint (coreutils style). */
void ft_diag_usage(ft_diag *d, const char *fmt, ...) FT_PRINTF(2, 3);

/* Flush and close stdout, reporting a write error (full disk, closed pipe is
 * not an error because SIGPIPE keeps its default). Returns FT_OK or FT_IO. */
FT_WUR ft_err ft_close_stdout(ft_diag *d);

#endif
