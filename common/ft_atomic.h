/* Atomic output files: write to a temporary file in the target's directory,
 * then fsync and rename over the target, so a reader (or a crash) never sees a
 * half-written file. The file gets the usual permissions of a new file
 * (0666 less the umask), not mkstemp's 0600. Not for multi-threaded callers
 * (reading the umask sets it briefly).
 *
 * Ownership: ft_atomic is caller-owned storage. After ft_atomic_open()
 * succeeds, exactly one of ft_atomic_commit() or ft_atomic_abort() must be
 * called; both release everything. */
#ifndef FT_ATOMIC_H
#define FT_ATOMIC_H

#include <stdio.h>
#include "ft_error.h"

typedef struct {
    FILE *f;          /* write here */
    char *path;       /* final name (heap) */
    char *tmp;        /* temporary name (heap) */
} ft_atomic;

/* Create the temporary file for path. FT_IO (errno kept) or FT_NOMEM. */
FT_WUR ft_err ft_atomic_open(ft_atomic *a, const char *path);

/* Flush, fsync and rename into place. On failure the temporary file is
 * removed and the target is left as it was. */
FT_WUR ft_err ft_atomic_commit(ft_atomic *a);

/* Close and remove the temporary file; the target is untouched. */
void ft_atomic_abort(ft_atomic *a);

#endif
