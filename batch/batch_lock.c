/* flock-based run lock with the owner's pid written inside for messages. */
#include "batch_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

ft_err batch_lock_acquire(batch_lock *lk, const char *path, char *msg,
                          size_t msglen)
{
    ft_err rc = FT_OK;
    lk->fd = -1;
    msg[0] = '\0';
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(msg, msglen, "%s: cannot open lock file: %s", path,
                 strerror(errno));
        return FT_IO;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            char owner[128];
            ssize_t n = pread(fd, owner, sizeof owner - 1, 0);
            owner[n > 0 ? n : 0] = '\0';
            owner[strcspn(owner, "\n")] = '\0';
            snprintf(msg, msglen, "another run is active (%s holds %s)",
                     owner[0] ? owner : "a process", path);
            rc = FT_LIMIT;
        } else {
            snprintf(msg, msglen, "%s: cannot lock: %s", path,
                     strerror(errno));
            rc = FT_IO;
        }
        close(fd);
        return rc;
    }
    /* Ours: say who we are. Failing to write this only spoils a message. */
    char who[128];
    char when[40];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
    int len = snprintf(who, sizeof who, "pid %ld since %s\n", (long)getpid(),
                       when);
    if (ftruncate(fd, 0) == 0 && len > 0) {
        ssize_t w = pwrite(fd, who, (size_t)len, 0);
        (void)w;
    }
    lk->fd = fd;
    return FT_OK;
}

void batch_lock_release(batch_lock *lk)
{
    if (lk->fd >= 0)
        close(lk->fd);
    lk->fd = -1;
}
