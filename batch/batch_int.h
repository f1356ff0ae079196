/* Internals shared by batch_run.c and batch_merge.c: the output tree's state
 * directory (lock, manifest, temporary files, run reports) and file helpers.
 *
 * Ownership: batch__state is caller-owned storage; batch__state_open() fills
 * it and batch__state_close() releases everything it holds. Functions
 * returning char * return heap strings the caller frees with free(). */
#ifndef BATCH_INT_H
#define BATCH_INT_H

#include <stddef.h>
#include "batch_lock.h"
#include "batch_manifest.h"
#include "ft_error.h"

/* Name of the state directory inside OUT_DIR. Hidden, so the walker never
 * mistakes it for inputs when OUT_DIR lies inside IN_DIR. */
#define BATCH_STATE_DIR ".formtab"

typedef struct {
    char *out_root;   /* OUT_DIR, absolute */
    char *state_dir;  /* OUT_DIR/.formtab */
    char *tmp_dir;    /* OUT_DIR/.formtab/tmp: temporary outputs */
    char *runs_dir;   /* OUT_DIR/.formtab/runs: JSON run reports */
    batch_lock lock;
    batch_manifest *m;
} batch__state;

/* Create OUT_DIR (and parents) and its state directory, take the lock,
 * remove what a killed run left in tmp/ and runs/, open the manifest.
 * FT_LIMIT when another run holds the lock; FT_IO/FT_VERSION/FT_NOMEM with
 * msg. On failure everything taken is released. */
FT_WUR ft_err batch__state_open(batch__state *st, const char *out_dir,
                                char *msg, size_t msglen);

void batch__state_close(batch__state *st);

/* a "/" b, or NULL when out of memory. */
char *batch__join(const char *a, const char *b);

/* mkdir -p. FT_IO with msg. */
FT_WUR ft_err batch__mkdir_p(const char *path, char *msg, size_t msglen);

/* Delete root/rel if it exists, then the directories above it (up to root)
 * that this leaves empty. 0, or -1 with errno on a real failure. */
int batch__remove_output(const char *root, const char *rel);

/* Delete the review folder root/rel (the regular files directly in it,
 * then the folder), then the directories above it (up to root) that this
 * leaves empty. 0 (also when there is none), or -1 with errno. */
int batch__remove_review(const char *root, const char *rel);

/* Move tmp to root/rel, creating rel's directories. 0 or -1 with errno. */
int batch__install(const char *tmp, const char *root, const char *rel);

/* 1 if root/rel is an existing regular file. */
int batch__exists(const char *root, const char *rel);

/* Local time as 2026-11-23T18:22:51+0800. */
void batch__local_time(char *out, size_t cap);

/* The signal handler's pipe, for SIGINT, SIGTERM and SIGHUP: the handler
 * writes the signal number into it (the one piece of global state formtab
 * has: a handler cannot be given a context). Returns the read end, -1 on
 * failure; batch__signals_restore() puts the old handlers back and closes
 * the write end (the caller closes the read end). */
int batch__signals_install(int *write_fd);
void batch__signals_restore(void);

/* The signal number waiting in the pipe, 0 if none (never blocks). */
int batch__signal_pending(int read_fd);

#endif
