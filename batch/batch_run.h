/* A batch run from start to end: lock, walk, hash, plan against the
 * manifest, run the worker pool, report. And the merge of shard trees.
 *
 * The order of every step that touches the output tree is what makes a
 * killed run safe (docs/batch.md, "Why a kill loses nothing"):
 *   1. the manifest row of an input to process is set to "pending", naming
 *      the output it will have and any older output still to delete;
 *   2. the pipeline writes into OUT_DIR/.formtab/tmp/, then fsyncs;
 *   3. the file is renamed into place, older outputs are deleted;
 *   4. the row becomes "ok" (then, with --load, the loader runs and the row
 *      is marked loaded).
 * A kill between any two steps leaves a "pending" row (redone next run), an
 * "ok" row with its output in place, or an unloaded row (loaded next run).
 *
 * Ownership: both functions borrow the options; they own and free all else. */
#ifndef BATCH_RUN_H
#define BATCH_RUN_H

#include <stddef.h>
#include "batch_opts.h"

/* Run the batch o describes. Returns the exit code (0, 2, 3, 4, 5, 6 or 7;
 * see batch.h). When a signal stopped the run, *signo is set to it after
 * the workers are stopped, the temporary files removed and the report
 * written; main() should re-raise it once it has freed what it holds. */
int batch_run(const batch_opts *o, int *signo);

/* --merge-manifests: fold the shard trees o->extra[] (each the OUT_DIR of a
 * `--shard K/N` run) into o->in_dir: for each input the newest row wins
 * (batch_row_newer), its output is copied in, the row written. Idempotent
 * and safe to kill like a run. Returns the exit code. */
int batch_merge(const batch_opts *o);

#endif
