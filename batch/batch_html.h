/* The HTML run page of `formtab batch`: what the JSON run report
 * (batch_report.h) says, for a person with a browser. A head (trees,
 * options, links to the JSON and to this run's page), the run's status and
 * totals, the inputs that need attention (failed, timed out, partly read,
 * interrupted, not loaded) with their error lines, then every input the run
 * acted on: status, pages, failed pages, tables, records, warnings, seconds,
 * and links to its output and its review page (formtab inspect --html), and
 * the inputs found removed.
 *
 * Built with the review page library (ext_inspect_html.h): every string from
 * outside (file names, error lines, directories) is escaped, the page
 * carries the same Content-Security-Policy (no script, no network) and uses
 * the shared stylesheet (EXT_HTML_CSS_NAME, which the caller writes beside
 * the page). Links are relative, so the output tree can be moved or served
 * as it is; a link's target is percent-encoded, so a file named
 * `a#b?.pdf` or `<script>.txt` still links to itself.
 *
 * Streamed like the JSON: rows go into unlinked temporary files beside the
 * page as inputs finish (memory does not grow with the tree), and
 * batch_html_close() writes the totals, copies the rows after them and
 * renames the page into place (ft_atomic): a page is always whole.
 *
 * Ownership: batch_html is caller-owned storage; after a successful
 * batch_html_open(), exactly one of _close() or _abort() releases it. All
 * strings passed in are borrowed for the call. */
#ifndef BATCH_HTML_H
#define BATCH_HTML_H

#include <stdio.h>
#include <sys/types.h>
#include "batch_report.h"
#include "ft_atomic.h"
#include "ft_error.h"

typedef struct {
    ft_atomic a;            /* the page */
    FILE *attention;        /* rows of the inputs that need attention */
    FILE *files;            /* rows of every input acted on */
    FILE *removed;          /* rows of the inputs found removed */
    unsigned depth;         /* directories between OUT_DIR and the page */
    int with_load;          /* a load column (--load) */
    unsigned long nattention, nfiles, nremoved;
} batch_html;

/* Where a page stands and what it links to. Paths are relative to OUT_DIR. */
typedef struct {
    const batch_report_head *head;
    unsigned depth;         /* directories between OUT_DIR and the page:
                               2 for OUT_DIR/.formtab/runs/X.html, 1 for
                               OUT_DIR/.formtab/report.html */
    const char *json_rel;   /* the run's JSON report, or NULL */
    const char *page_rel;   /* the run's own page, linked from a copy such
                               as report.html; NULL on the run page itself */
} batch_html_where;

/* Start the page at path (atomically, permission bits mode) and write its
 * head. The temporary row files are made in path's directory. FT_IO (errno
 * kept), FT_NOMEM. */
FT_WUR ft_err batch_html_open(batch_html *h, const char *path,
                              const batch_html_where *w, mode_t mode);

/* Add an input found removed. */
void batch_html_removed(batch_html *h, const char *path, const char *output,
                        int pruned);

/* Add an input acted on. The path is linked to e->review when there is
 * one, else to e->output; both get a column of their own. */
void batch_html_file(batch_html *h, const batch_report_file *e);

/* Write the run's end and totals, the rows, and rename the page into
 * place. FT_IO (errno kept) when anything could not be written; the page is
 * then dropped. */
FT_WUR ft_err batch_html_close(batch_html *h, const char *finished,
                               const batch_counts *c, int exit_code,
                               const char *status);

/* Drop the page (dry runs, early errors). */
void batch_html_abort(batch_html *h);

/* Write rel (a path relative to OUT_DIR) as a relative URL from a page
 * depth directories below OUT_DIR: "../" depth times, then rel with every
 * byte but ASCII letters, digits, '-', '.', '_', '~' and '/' percent-encoded
 * (so the result needs no HTML escaping and no byte of a name can end the
 * path: '#', '?', '%', ':', quotes, '<', spaces, non-ASCII). Returns 0, or
 * EOF on a write error. */
int batch_html_put_url(FILE *f, unsigned depth, const char *rel);

#endif
