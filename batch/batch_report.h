/* The JSON run report, OUT_DIR/.formtab/runs/TIME-PID.json: what the run was
 * asked, each input it acted on (status, pages, tables, records, warnings,
 * seconds, exit code, first error line), the inputs found removed, and the
 * totals. It is streamed into a temporary file as inputs finish (memory does
 * not grow with the tree) and renamed into place when the run ends, so a
 * report file is always complete JSON; a killed run leaves none.
 *
 * Schema (docs/batch.md): {"report": "formtab-batch", "version": 1,
 *   "started", "finished", "in_dir", "out_dir", "options": {...},
 *   "removed": [{"path", "output", "pruned"}...],
 *   "files": [{"path", "sha256", "kind", "action", "status", ...,
 *              "review", "review_error"}...],
 *   "summary": {...}, "exit_code", "status"}
 *
 * Ownership: batch_report is caller-owned storage; after a successful
 * batch_report_open(), exactly one of _close() or _abort() releases it. All
 * strings passed in are borrowed for the call. */
#ifndef BATCH_REPORT_H
#define BATCH_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "batch_opts.h"
#include "ft_atomic.h"
#include "ft_error.h"

typedef struct {
    ft_atomic a;
    int section;          /* 0 header, 1 in "removed", 2 in "files" */
    unsigned long nitems; /* items in the open array */
} batch_report;

/* One input acted on. NULL strings are written as null; exit_code < 0 as
 * null. */
typedef struct {
    const char *path, *sha256, *kind, *action, *status;
    const char *output;    /* relative to OUT_DIR */
    const char *error;
    const char *load;      /* NULL (no --load), "ok", "failed", "skipped" */
    const char *load_error;
    const char *review;    /* its review page, relative to OUT_DIR */
    const char *review_error; /* why there is none (--review), or NULL */
    unsigned long pages, failed_pages, tables, records, warnings;
    double seconds, cpu_seconds;
    long max_rss_kb;
    int exit_code;
} batch_report_file;

/* The run's totals. */
typedef struct {
    unsigned long inputs;       /* inputs in the tree (this shard) */
    unsigned long other_shard;  /* inputs left to other shards */
    unsigned long ignored;      /* files that are not inputs */
    unsigned long hidden;       /* hidden names skipped */
    unsigned long unchanged;    /* done before with the same content */
    unsigned long known_failed; /* failed before with the same content */
    unsigned long processed;    /* pipelines run */
    unsigned long ok, partial, failed, timeout, interrupted;
    unsigned long unreadable;   /* inputs that could not be read to hash */
    unsigned long loaded, load_failed;
    unsigned long removed, pruned;
    unsigned long pages, tables, records, warnings;
    long max_rss_kb;            /* largest peak of any stage */
    double seconds;             /* wall time of the run */
    double convert_seconds;     /* wall time of the pipelines phase */
} batch_counts;

typedef struct {
    const char *started;  /* local time, ISO 8601 */
    const char *in_dir, *out_dir;
    const batch_opts *opts;
    unsigned jobs;        /* the effective -j */
} batch_report_head;

/* Create the temporary report beside path and write the header.
 * FT_IO/FT_NOMEM. */
FT_WUR ft_err batch_report_open(batch_report *r, const char *path,
                                const batch_report_head *h);

/* Add a removed input (before any file). */
void batch_report_removed(batch_report *r, const char *path,
                          const char *output, int pruned);

/* Add an input acted on. */
void batch_report_file_entry(batch_report *r, const batch_report_file *f);

/* Write the totals and rename the report into place. FT_IO. */
FT_WUR ft_err batch_report_close(batch_report *r, const char *finished,
                                 const batch_counts *c, int exit_code,
                                 const char *status);

/* Drop the temporary report (dry runs, early errors). */
void batch_report_abort(batch_report *r);

/* Write s as a JSON string with its quotes: '"', '\' and control bytes
 * escaped, valid UTF-8 raw, each byte of an invalid sequence as U+FFFD (a
 * file name is bytes, a report must stay valid JSON). NULL writes null. */
void batch_json_string(FILE *f, const char *s);

#endif
