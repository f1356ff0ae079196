/* The run lock: an exclusive flock(2) on OUT_DIR/.formtab/lock, taken
 * without waiting, so a second run (cron starting early, a person by hand)
 * sees at once that another is active and leaves. The lock dies with its
 * process, even under SIGKILL: there is never a stale lock to clean up. The
 * file holds the owner's pid and start time, for the message the second run
 * prints; the lock itself is the flock, not the file's existence.
 *
 * Ownership: batch_lock is caller-owned storage; batch_lock_release() closes
 * it (and is a no-op on an unlocked one). */
#ifndef BATCH_LOCK_H
#define BATCH_LOCK_H

#include <stddef.h>
#include "ft_error.h"

typedef struct {
    int fd; /* -1 when not held; close-on-exec */
} batch_lock;

/* Take the lock at path. FT_OK when held; FT_LIMIT when another process
 * holds it (msg says who, from the file's contents); FT_IO with msg when the
 * file cannot be opened. The descriptor is close-on-exec, so the stage
 * programs never inherit it (a forked helper must close lk->fd itself). */
FT_WUR ft_err batch_lock_acquire(batch_lock *lk, const char *path, char *msg,
                                 size_t msglen);

void batch_lock_release(batch_lock *lk);

#endif
