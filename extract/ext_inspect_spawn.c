/* Starting formtab stages with posix_spawn (ext_inspect_spawn.h). */
#include "ext_inspect_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The process environment, passed on to the stages unchanged (so LC_ALL,
 * TMPDIR and OMP_THREAD_LIMIT reach them). POSIX declares it nowhere. */
extern char **environ;

ft_err ext_spawn_self_dir(char *buf, size_t len)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return FT_IO;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (!slash)
        return FT_IO;
    if (slash == path)
        slash++; /* the root directory */
    *slash = '\0';
    if (strlen(path) + 1 > len)
        return FT_LIMIT;
    memcpy(buf, path, strlen(path) + 1);
    return FT_OK;
}

ft_err ext_spawn_run(const char *dir, const char *tool,
                     const char *const *args, int in_fd, int out_fd,
                     int *status, char *msg, size_t msg_len)
{
    char path[PATH_MAX];
    char *argv[EXT_SPAWN_MAX_ARGS + 2];
    posix_spawn_file_actions_t fa;
    int fa_ready = 0;
    ft_err rc = FT_OK;
    msg[0] = '\0';
    *status = -1;

    if (snprintf(path, sizeof path, "%s/%s", dir, tool) >= (int)sizeof path) {
        snprintf(msg, msg_len, "%s: path too long", tool);
        return FT_LIMIT;
    }
    if (access(path, X_OK) != 0) {
        snprintf(msg, msg_len, "%s: %s (formtab-inspect runs the stages "
                 "installed beside it)", path, strerror(errno));
        return FT_NOENT;
    }
    size_t n = 0;
    argv[n++] = (char *)tool;
    for (; args && args[n - 1]; n++) {
        if (n > EXT_SPAWN_MAX_ARGS) {
            snprintf(msg, msg_len, "%s: too many arguments", tool);
            return FT_LIMIT;
        }
        argv[n] = (char *)args[n - 1];
    }
    argv[n] = NULL;

    int err = posix_spawn_file_actions_init(&fa);
    if (err)
        goto spawn_failed;
    fa_ready = 1;
    if (in_fd >= 0)
        err = posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
    else
        err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
                                               0);
    if (!err)
        err = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    if (err)
        goto spawn_failed;

    pid_t pid;
    err = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    if (err)
        goto spawn_failed;
    int ws;
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR) {
            snprintf(msg, msg_len, "%s: cannot wait: %s", tool,
                     strerror(errno));
            rc = FT_IO;
            goto out;
        }
    }
    if (WIFEXITED(ws))
        *status = WEXITSTATUS(ws);
    else if (WIFSIGNALED(ws))
        *status = 128 + WTERMSIG(ws);
    goto out;

spawn_failed:
    snprintf(msg, msg_len, "%s: cannot start: %s", path, strerror(err));
    rc = FT_IO;
out:
    if (fa_ready)
        posix_spawn_file_actions_destroy(&fa);
    return rc;
}

ft_err ext_spawn_tmpfile(int *fd)
{
    const char *dir = getenv("TMPDIR");
    char path[PATH_MAX];
    if (!dir || !*dir)
        dir = "/tmp";
    if (snprintf(path, sizeof path, "%s/formtab-inspect.XXXXXX", dir) >=
        (int)sizeof path) {
        errno = ENAMETOOLONG;
        return FT_IO;
    }
    *fd = mkstemp(path);
    if (*fd < 0)
        return FT_IO;
    unlink(path);
    /* Not inherited by the stages except where dup2'd onto 0 or 1. */
    fcntl(*fd, F_SETFD, FD_CLOEXEC);
    return FT_OK;
}
