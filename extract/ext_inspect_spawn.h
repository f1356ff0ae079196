/* Running the other formtab stages from formtab-inspect: each is found
 * beside formtab-inspect's own executable (the directory of
 * /proc/self/exe), so an inspect from one build or install never mixes in
 * stages from another. A stage reads from one file descriptor and writes to
 * another; formtab-inspect hands it anonymous temporary files (unlinked at
 * creation, so nothing is left behind however the run ends).
 *
 * Ownership: arguments are borrowed; descriptors handed out by
 * ext_spawn_tmpfile() belong to the caller (close()). */
#ifndef EXT_INSPECT_SPAWN_H
#define EXT_INSPECT_SPAWN_H

#include <stddef.h>
#include "ft_error.h"

/* Most arguments passed to one stage. */
#define EXT_SPAWN_MAX_ARGS 32u

/* Write the directory holding the running executable into buf (len bytes).
 * FT_IO if /proc/self/exe cannot be read, FT_LIMIT if it does not fit. */
FT_WUR ft_err ext_spawn_self_dir(char *buf, size_t len);

/* Run dir/tool with args (a NULL-terminated list, not counting argv[0]),
 * standard input from in_fd (-1: /dev/null) and standard output to out_fd;
 * standard error is shared with the caller, so the stage's messages reach
 * the user as they are. Waits for it. *status is its exit code, or 128 +
 * the signal that ended it. FT_NOENT (tool missing: msg names the path),
 * FT_IO (could not start or wait: msg says why), FT_LIMIT (too many args). */
FT_WUR ft_err ext_spawn_run(const char *dir, const char *tool,
                            const char *const *args, int in_fd, int out_fd,
                            int *status, char *msg, size_t msg_len);

/* An anonymous read-write temporary file in $TMPDIR (default /tmp), already
 * unlinked. FT_IO (errno kept). */
FT_WUR ft_err ext_spawn_tmpfile(int *fd);

#endif
