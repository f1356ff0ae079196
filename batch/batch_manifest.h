/* The manifest: one SQLite database per output tree
 * (OUT_DIR/.formtab/manifest.sqlite, WAL journal) with a row per input path:
 * the SHA-256 of the content its output was made from, how it went, and
 * where the output is. A row says "ok" only after the output file is in
 * place, so a run killed at any moment leaves rows that are true or that say
 * "pending", and the next run redoes exactly those.
 *
 * Ownership: batch_manifest is an opaque heap object (_open/_free). A
 * batch_row is caller-owned storage: batch_row_init() empties it,
 * batch_manifest_get() fills its heap strings, batch_row_cleanup() frees
 * them. batch_manifest_put() only reads the row. */
#ifndef BATCH_MANIFEST_H
#define BATCH_MANIFEST_H

#include <stddef.h>
#include "batch.h"
#include "ft_error.h"

typedef struct batch_manifest batch_manifest;

typedef struct {
    char *path;           /* input, relative to IN_DIR: the key */
    char sha256[65];      /* content the row describes */
    long long size;       /* bytes of that content */
    batch_status status;
    char *config;         /* batch_opts_fingerprint() of the run */
    char *output;         /* output, relative to OUT_DIR (NULL: none) */
    char *old_output;     /* an earlier output still to delete (another
                             format), NULL when none */
    unsigned long pages, failed_pages, tables, records, warnings;
    double seconds;       /* wall time of the pipeline */
    int exit_code;        /* pipeline exit code (first failing stage) */
    char *error;          /* first error line, NULL when none */
    int loaded;           /* 1: output loaded into the warehouse */
    char updated[40];     /* UTC time of the last change, ISO 8601 */
} batch_row;

void batch_row_init(batch_row *r);
void batch_row_cleanup(batch_row *r);

/* Copy src into dst (dst must be initialised; its old strings are freed).
 * FT_NOMEM. */
FT_WUR ft_err batch_row_copy(batch_row *dst, const batch_row *src);

/* Open (creating if needed) the manifest at path: WAL journal,
 * synchronous=NORMAL (a power loss may forget the last rows, never corrupt
 * the file; forgotten rows are redone), a busy timeout so a reader such as
 * the sqlite3 shell does not fail a run. FT_IO with msg on failure,
 * FT_VERSION if the file holds a newer schema. Caller frees with
 * batch_manifest_free(). */
FT_WUR ft_err batch_manifest_open(const char *path, batch_manifest **out,
                                  char *msg, size_t msglen);

/* Close; NULL is a no-op. */
void batch_manifest_free(batch_manifest *m);

/* The message of the last failed call (static inside m; never NULL). */
const char *batch_manifest_errmsg(const batch_manifest *m);

/* Read the row of path into r. *found = 0 (and r untouched) when there is
 * none. FT_IO on a database error. */
FT_WUR ft_err batch_manifest_get(batch_manifest *m, const char *path,
                                 batch_row *r, int *found);

/* Insert or replace the row r->path. r->updated is ignored: the time of the
 * call is stored, unless keep_time is set (merging keeps the source's). */
FT_WUR ft_err batch_manifest_put(batch_manifest *m, const batch_row *r,
                                 int keep_time);

/* Set the loaded flag of path. */
FT_WUR ft_err batch_manifest_set_loaded(batch_manifest *m, const char *path,
                                        int loaded);

/* Delete the row of path (no row is fine). */
FT_WUR ft_err batch_manifest_delete(batch_manifest *m, const char *path);

/* Call fn for every row in path order; fn returns non-zero to stop (that
 * value is returned as the error). The row is valid during the call only.
 * fn must not change the manifest (collect paths, change afterwards). */
typedef ft_err (*batch_row_fn)(void *ctx, const batch_row *r);
FT_WUR ft_err batch_manifest_each(batch_manifest *m, batch_row_fn fn,
                                  void *ctx);

/* Number of rows. */
FT_WUR ft_err batch_manifest_count(batch_manifest *m, unsigned long *n);

/* Group changes into one transaction (a planning pass touching many rows). */
FT_WUR ft_err batch_manifest_begin(batch_manifest *m);
FT_WUR ft_err batch_manifest_commit(batch_manifest *m);

/* Which of two rows for one path a merge keeps: a present input over a
 * removed one, then the later `updated`, then a by-value order so the result
 * does not depend on the merge order. Returns 1 if b wins over a. */
int batch_row_newer(const batch_row *a, const batch_row *b);

#endif
