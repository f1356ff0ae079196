/* Finding the inputs: walk IN_DIR (following symbolic links, never twice
 * into one directory, so link loops end), skip hidden names, and list every
 * regular file in byte order of its path; then probe each one: PDF by
 * content, text dump by name, and its SHA-256.
 *
 * Ownership: batch_inputs is caller-owned storage set up by
 * batch_inputs_init() and released by batch_inputs_cleanup(), which frees
 * every path it holds. */
#ifndef BATCH_WALK_H
#define BATCH_WALK_H

#include <stddef.h>
#include <sys/types.h>
#include "batch.h"
#include "ft_error.h"

typedef struct {
    char *path;         /* relative to IN_DIR, '/'-separated (heap) */
    batch_kind kind;    /* set by batch_probe() */
    long long size;     /* bytes, from the walk */
    char sha256[65];    /* set by batch_probe(); "" before */
    int unreadable;     /* batch_probe() could not read it: a failure of
                           this run, not a removed input */
} batch_input;

typedef struct {
    batch_input *v;
    size_t count, cap;
    unsigned long skipped_hidden;  /* hidden files and directories */
    unsigned long skipped_loops;   /* directories reached a second time */
    unsigned long skipped_special; /* sockets, fifos, devices, dangling links */
} batch_inputs;

void batch_inputs_init(batch_inputs *l);
void batch_inputs_cleanup(batch_inputs *l);

/* Walk root and append every regular, non-hidden file (after following
 * links) to l, sorted by path (strcmp order). Directories whose device and
 * inode equal skip_dev/skip_ino (the output tree, when it lies inside the
 * input tree) are not entered; pass skip_ino 0 to skip nothing. A directory
 * that cannot be read is an error: FT_IO with msg naming it (a tree read in
 * part would make removed inputs out of unreadable ones). FT_LIMIT past
 * BATCH_MAX_INPUTS or BATCH_MAX_DEPTH, FT_NOMEM. */
FT_WUR ft_err batch_walk(const char *root, dev_t skip_dev, ino_t skip_ino,
                         batch_inputs *l, char *msg, size_t msglen);

/* Decide the kind of root/in->path and, for an input, hash it. A file that
 * is neither PDF nor text gets BATCH_KIND_NONE and no hash (its first
 * bytes are all that is read). FT_NOENT if it vanished since the walk,
 * FT_IO if it cannot be read. */
FT_WUR ft_err batch_probe(const char *root, batch_input *in);

/* The classification rule alone, for tests: kind of a file named name whose
 * first len bytes are head. */
batch_kind batch_classify(const char *name, const unsigned char *head,
                          size_t len);

/* Binary search of a sorted list; NULL when path is not in it. */
batch_input *batch_inputs_find(const batch_inputs *l, const char *path);

/* The shard of a content hash: its first 8 hex digits as an unsigned number,
 * mod n. A shell computes the same with $(( 0x${sha:0:8} % n )). */
unsigned batch_shard_of(const char *sha256, unsigned n);

#endif
