/* The output tree's state directory and the file operations that keep the
 * tree a mirror of the inputs: install by rename, remove with the empty
 * directories above, and the signal pipe. */
#include "batch_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *batch__join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

ft_err batch__mkdir_p(const char *path, char *msg, size_t msglen)
{
    ft_err rc = FT_OK;
    char *p = strdup(path);
    if (!p)
        return FT_NOMEM;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char saved = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            snprintf(msg, msglen, "%s: cannot create directory: %s", p,
                     strerror(errno));
            rc = FT_IO;
            break;
        }
        *s = saved;
        if (!saved)
            break;
    }
    if (!rc) {
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(msg, msglen, "%s: not a directory", path);
            rc = FT_IO;
        }
    }
    free(p);
    return rc;
}

/* Remove every entry of dir for which doomed(name) is 1. */
static void clean_dir(const char *dir, int (*doomed)(const char *name))
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (!doomed(e->d_name))
            continue;
        char *p = batch__join(dir, e->d_name);
        if (p)
            unlink(p);
        free(p);
    }
    closedir(d);
}

static int any_name(const char *name)
{
    (void)name;
    return 1;
}

/* ft_atomic's temporary names: "<target>.tmp.XXXXXX". */
static int atomic_tmp_name(const char *name)
{
    return strstr(name, ".tmp.") != NULL;
}

ft_err batch__state_open(batch__state *st, const char *out_dir, char *msg,
                         size_t msglen)
{
    ft_err rc;
    char *lock_path = NULL, *db_path = NULL;

    memset(st, 0, sizeof *st);
    st->lock.fd = -1;
    if ((rc = batch__mkdir_p(out_dir, msg, msglen)))
        goto out;
    st->out_root = realpath(out_dir, NULL);
    if (!st->out_root) {
        snprintf(msg, msglen, "%s: %s", out_dir, strerror(errno));
        rc = FT_IO;
        goto out;
    }
    st->state_dir = batch__join(st->out_root, BATCH_STATE_DIR);
    st->tmp_dir = st->state_dir ? batch__join(st->state_dir, "tmp") : NULL;
    st->runs_dir = st->state_dir ? batch__join(st->state_dir, "runs") : NULL;
    lock_path = st->state_dir ? batch__join(st->state_dir, "lock") : NULL;
    db_path = st->state_dir ? batch__join(st->state_dir, "manifest.sqlite")
                            : NULL;
    if (!st->tmp_dir || !st->runs_dir || !lock_path || !db_path) {
        rc = FT_NOMEM;
        snprintf(msg, msglen, "out of memory");
        goto out;
    }
    if ((rc = batch__mkdir_p(st->tmp_dir, msg, msglen)) ||
        (rc = batch__mkdir_p(st->runs_dir, msg, msglen)))
        goto out;
    if ((rc = batch_lock_acquire(&st->lock, lock_path, msg, msglen)))
        goto out;
    /* Ours alone now: whatever a killed run left half-written goes. */
    clean_dir(st->tmp_dir, any_name);
    clean_dir(st->runs_dir, atomic_tmp_name);
    rc = batch_manifest_open(db_path, &st->m, msg, msglen);
out:
    free(lock_path);
    free(db_path);
    if (rc)
        batch__state_close(st);
    return rc;
}

void batch__state_close(batch__state *st)
{
    batch_manifest_free(st->m);
    batch_lock_release(&st->lock);
    free(st->out_root);
    free(st->state_dir);
    free(st->tmp_dir);
    free(st->runs_dir);
    memset(st, 0, sizeof *st);
    st->lock.fd = -1;
}

int batch__remove_output(const char *root, const char *rel)
{
    char *p = batch__join(root, rel);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    if (unlink(p) != 0 && errno != ENOENT)
        rc = -1;
    /* Empty directories above it go too, so pruning leaves the mirror an
     * uninterrupted run would have made. rmdir fails on a non-empty one. */
    size_t root_len = strlen(root);
    for (;;) {
        char *slash = strrchr(p, '/');
        if (!slash || (size_t)(slash - p) <= root_len)
            break;
        *slash = '\0';
        if (rmdir(p) != 0)
            break;
    }
    free(p);
    return rc;
}

int batch__remove_review(const char *root, const char *rel)
{
    char *dir = batch__join(root, rel);
    int rc = 0;
    if (!dir) {
        errno = ENOMEM;
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        rc = errno == ENOENT || errno == ENOTDIR ? 0 : -1;
        goto out;
    }
    /* Only what formtab-inspect writes there: files, no folders. */
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = batch__join(dir, e->d_name);
        if (p && lstat(p, &st) == 0 && !S_ISDIR(st.st_mode) &&
            unlink(p) != 0 && errno != ENOENT)
            rc = -1;
        free(p);
    }
    closedir(d);
    /* The folder and the directories above it go when they are empty
     * (rmdir fails on a non-empty one), as batch__remove_output does. */
    if (rmdir(dir) == 0) {
        size_t root_len = strlen(root);
        for (;;) {
            char *slash = strrchr(dir, '/');
            if (!slash || (size_t)(slash - dir) <= root_len)
                break;
            *slash = '\0';
            if (rmdir(dir) != 0)
                break;
        }
    }
out:
    free(dir);
    return rc;
}

int batch__install(const char *tmp, const char *root, const char *rel)
{
    char msg[16];
    char *p = batch__join(root, rel);
    int rc = 0;
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    if (rename(tmp, p) != 0) {
        if (errno != ENOENT) {
            rc = -1;
            goto out;
        }
        /* The directory does not exist yet: make it and try again. */
        char *slash = strrchr(p, '/');
        *slash = '\0';
        ft_err e = batch__mkdir_p(p, msg, sizeof msg);
        *slash = '/';
        if (e || rename(tmp, p) != 0) {
            if (e)
                errno = EIO;
            rc = -1;
        }
    }
out:
    free(p);
    return rc;
}

int batch__exists(const char *root, const char *rel)
{
    struct stat st;
    char *p = batch__join(root, rel);
    int yes = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return yes;
}

void batch__local_time(char *out, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    if (!strftime(out, cap, "%Y-%m-%dT%H:%M:%S%z", &tm) && cap)
        out[0] = '\0';
}

/* ---- signals ------------------------------------------------------------ */

/* The write end of the signal pipe: global because a signal handler has no
 * other way to find it. Set once by batch__signals_install(). */
static volatile sig_atomic_t sig_fd = -1;
static struct sigaction old_int, old_term, old_hup;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (sig_fd >= 0) {
        ssize_t n = write(sig_fd, &b, 1);
        (void)n;
    }
    errno = saved;
}

int batch__signals_install(int *write_fd)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(p[i], F_SETFD, FD_CLOEXEC);
        fcntl(p[i], F_SETFL, fcntl(p[i], F_GETFL) | O_NONBLOCK);
    }
    sig_fd = p[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() returns EINTR at once */
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    /* Under nohup SIGHUP arrives ignored: keep it so, or closing the
     * terminal would stop a run its owner meant to survive. */
    sigaction(SIGHUP, NULL, &old_hup);
    if (old_hup.sa_handler != SIG_IGN)
        sigaction(SIGHUP, &sa, NULL);
    *write_fd = p[1];
    return p[0];
}

void batch__signals_restore(void)
{
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (sig_fd >= 0)
        close(sig_fd);
    sig_fd = -1;
}

int batch__signal_pending(int read_fd)
{
    unsigned char b;
    int sig = 0;
    while (read(read_fd, &b, 1) == 1)
        sig = b;
    return sig;
}
