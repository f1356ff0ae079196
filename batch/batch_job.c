/* The job supervisor: fork, spawn the stages, relay and tap their streams,
 * collect their stderr, report one result to the parent. Everything after
 * fork() in the child ends in _exit(): the child never returns into the
 * parent's code, never touches its SQLite handle and never flushes its
 * stdio buffers. */
#include "batch_job.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "batch_tap.h"

/* Bytes moved per read while relaying a stream: one pipe buffer's worth
 * (Linux pipes hold 64 KiB), so a read rarely leaves data behind. */
#define RELAY_CHUNK 65536u

/* Status reported for a stage that was never started or could not be
 * executed (the shell's convention for "command not found"). */
#define EXIT_NOT_RUN 127

/* ---- small helpers ---------------------------------------------------------- */

static void set_flag(int fd, int cmd_get, int cmd_set, int flag)
{
    int f = fcntl(fd, cmd_get);
    if (f >= 0)
        (void)fcntl(fd, cmd_set, f | flag);
}

static int make_pipe(int p[2])
{
    if (pipe(p) != 0)
        return -1;
    set_flag(p[0], F_GETFD, F_SETFD, FD_CLOEXEC);
    set_flag(p[1], F_GETFD, F_SETFD, FD_CLOEXEC);
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len) {
        ssize_t n = write(fd, c, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        c += n;
        len -= (size_t)n;
    }
}

/* Die when our parent dies, even by SIGKILL; and if it is already gone
 * (the race between fork and prctl), die now. */
static void die_with_parent(pid_t parent)
{
#ifdef __linux__
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(EXIT_NOT_RUN);
}

/* ---- stderr collection ------------------------------------------------------ */

typedef struct {
    char line[BATCH_MAX_ERROR_LEN + 2];
    size_t len;
    int overflow; /* the current line was cut at the cap */
    int verbose;
    batch_job_result *res;
} err_collector;

static void err_line(err_collector *e)
{
    char *l = e->line;
    size_t n = e->len;
    if (n == 0)
        return;
    if (e->verbose) {
        l[n] = '\n';
        write_all(STDERR_FILENO, l, n + 1);
    }
    l[n] = '\0';
    if (strstr(l, ": warning: ")) {
        e->res->warnings++;
    } else if (!strstr(l, ": debug: ") && !e->res->error[0]) {
        /* One line in the report: control bytes become '?'. */
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)l[i] < 0x20)
                l[i] = '?';
        memcpy(e->res->error, l, n); /* n <= BATCH_MAX_ERROR_LEN */
        e->res->error[n] = '\0';
    }
}

static void err_feed(err_collector *e, const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\n') {
            err_line(e);
            e->len = 0;
            e->overflow = 0;
        } else if (e->len < BATCH_MAX_ERROR_LEN) {
            e->line[e->len++] = p[i];
        } else {
            e->overflow = 1;
        }
    }
}

/* ---- the relay ------------------------------------------------------------ */

typedef struct {
    int in, out;         /* from stage i, to stage i+1; -1 once closed */
    int tee;             /* a copy of the stream goes here; -1: none */
    int tee_failed;
    char *buf;
    size_t off, len;     /* pending bytes buf[off..len) */
    batch_tap tap;
} relay;

/* Copy what was read to the tee file (a regular file: the write blocks
 * only as long as the disk takes). On a failure the copy stops, cut short;
 * the stream itself goes on. */
static void relay_tee(relay *r, const char *p, size_t len)
{
    while (r->tee >= 0 && len) {
        ssize_t n = write(r->tee, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r->tee_failed = 1;
            close_fd(&r->tee);
            return;
        }
        p += n;
        len -= (size_t)n;
    }
}

static void relay_read(relay *r)
{
    ssize_t n;
    do
        n = read(r->in, r->buf, RELAY_CHUNK);
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
        /* End of stream (or a broken one: the stage's exit status says
         * which). Pass the end on once the buffer is empty. */
        close_fd(&r->in);
        batch_tap_finish(&r->tap);
        if (r->len == r->off)
            close_fd(&r->out);
        return;
    }
    batch_tap_feed(&r->tap, r->buf, (size_t)n);
    relay_tee(r, r->buf, (size_t)n);
    r->off = 0;
    r->len = (size_t)n;
}

static void relay_write(relay *r)
{
    ssize_t n = write(r->out, r->buf + r->off, r->len - r->off);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return;
        /* EPIPE: the next stage is gone. Stop reading too, so the stage
         * before gets SIGPIPE as it would in a shell pipeline. */
        close_fd(&r->out);
        close_fd(&r->in);
        r->off = r->len = 0;
        return;
    }
    r->off += (size_t)n;
    if (r->off == r->len) {
        r->off = r->len = 0;
        if (r->in < 0)
            close_fd(&r->out);
    }
}

/* ---- the supervisor (child side) ----------------------------------------- */

static pid_t spawn_stage(const batch_job_spec *s, int i, int in, int out,
                         int err, pid_t self)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    die_with_parent(self);
    signal(SIGPIPE, SIG_DFL); /* an ignored signal stays ignored over exec */
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
        dup2(err, STDERR_FILENO) < 0)
        _exit(EXIT_NOT_RUN);
    if (s->cwd && chdir(s->cwd) != 0) {
        dprintf(STDERR_FILENO, "formtab-batch: %s: %s\n", s->cwd,
                strerror(errno));
        _exit(EXIT_NOT_RUN);
    }
    execv(s->argv[i][0], s->argv[i]);
    dprintf(STDERR_FILENO, "formtab-batch: cannot run %s: %s\n",
            s->argv[i][0], strerror(errno));
    _exit(EXIT_NOT_RUN);
}

static int status_code(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return EXIT_NOT_RUN;
}

static void count_output(const batch_job_spec *s, batch_job_result *res,
                         char *buf)
{
    batch_counter c;
    batch_counter_init(&c, s->fmt, s->csv_header);
    if (lseek(s->out_fd, 0, SEEK_SET) != 0)
        return;
    for (;;) {
        ssize_t n = read(s->out_fd, buf, RELAY_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        batch_counter_feed(&c, buf, (size_t)n);
    }
    res->records = batch_counter_finish(&c);
}

static void supervise(const batch_job_spec *s, int result_fd, pid_t parent)
{
    static batch_job_result res; /* static: the child's own copy */
    static char bufs[BATCH_JOB_MAX_STAGES][RELAY_CHUNK];
    relay rl[BATCH_JOB_MAX_STAGES - 1];
    err_collector ec;
    pid_t pids[BATCH_JOB_MAX_STAGES];
    int nrelay = s->nstages - 1;
    int errp[2] = {-1, -1};
    int devnull = -1, out = s->out_fd;
    pid_t self = getpid();

    die_with_parent(parent);
    for (int i = 0; i < s->nclose_fds; i++)
        close(s->close_fds[i]);
    signal(SIGPIPE, SIG_IGN); /* relay writes see EPIPE instead */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    memset(&res, 0, sizeof res);
    memset(&ec, 0, sizeof ec);
    ec.res = &res;
    ec.verbose = s->verbose;
    for (int i = 0; i < BATCH_JOB_MAX_STAGES; i++) {
        res.exit_code[i] = -1;
        pids[i] = -1;
    }
    for (int i = 0; i < nrelay; i++) {
        rl[i].in = rl[i].out = -1;
        rl[i].tee = s->tee_fd[i];
        rl[i].tee_failed = 0;
        rl[i].buf = bufs[i];
        rl[i].off = rl[i].len = 0;
        batch_tap_init(&rl[i].tap);
    }

    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0 || make_pipe(errp) != 0) {
        snprintf(res.error, sizeof res.error,
                 "formtab-batch: cannot set up the pipeline: %s",
                 strerror(errno));
        goto report;
    }
    if (out < 0)
        out = devnull;

    /* Stage i reads `in` and writes to a pipe whose read end becomes
     * relay i's input; relay i's output pipe feeds stage i+1. */
    int in = devnull;
    for (int i = 0; i < s->nstages; i++) {
        int to_relay[2] = {-1, -1}, from_relay[2] = {-1, -1};
        int stage_out = out;
        if (i < nrelay) {
            if (make_pipe(to_relay) != 0) {
                snprintf(res.error, sizeof res.error,
                         "formtab-batch: pipe: %s", strerror(errno));
                break;
            }
            stage_out = to_relay[1];
        }
        pids[i] = spawn_stage(s, i, in, stage_out, errp[1], self);
        if (in != devnull)
            close(in);
        in = -1;
        if (i < nrelay)
            close(to_relay[1]);
        if (pids[i] < 0) {
            snprintf(res.error, sizeof res.error, "formtab-batch: fork: %s",
                     strerror(errno));
            if (i < nrelay)
                close(to_relay[0]);
            break;
        }
        if (i < nrelay) {
            if (make_pipe(from_relay) != 0) {
                snprintf(res.error, sizeof res.error,
                         "formtab-batch: pipe: %s", strerror(errno));
                close(to_relay[0]);
                break;
            }
            rl[i].in = to_relay[0];
            rl[i].out = from_relay[1];
            set_flag(rl[i].out, F_GETFL, F_SETFL, O_NONBLOCK);
            in = from_relay[0];
        }
    }
    if (in >= 0 && in != devnull)
        close(in); /* a later stage failed to start: nobody reads this */
    close_fd(&errp[1]);

    /* Relay until every stream and the stderr pipe are closed. */
    for (;;) {
        struct pollfd pf[2 * (BATCH_JOB_MAX_STAGES - 1) + 1];
        relay *who[2 * (BATCH_JOB_MAX_STAGES - 1) + 1];
        int nfd = 0;
        for (int i = 0; i < nrelay; i++) {
            if (rl[i].len > rl[i].off && rl[i].out >= 0) {
                pf[nfd] = (struct pollfd){rl[i].out, POLLOUT, 0};
                who[nfd++] = &rl[i];
            } else if (rl[i].in >= 0) {
                pf[nfd] = (struct pollfd){rl[i].in, POLLIN, 0};
                who[nfd++] = &rl[i];
            }
        }
        if (errp[0] >= 0) {
            pf[nfd] = (struct pollfd){errp[0], POLLIN, 0};
            who[nfd++] = NULL;
        }
        if (nfd == 0)
            break;
        if (poll(pf, (nfds_t)nfd, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 0; k < nfd; k++) {
            if (!pf[k].revents)
                continue;
            relay *r = who[k];
            if (!r) {
                char eb[4096];
                ssize_t n = read(errp[0], eb, sizeof eb);
                if (n > 0)
                    err_feed(&ec, eb, (size_t)n);
                else if (n == 0 || errno != EINTR)
                    close_fd(&errp[0]);
            } else if (pf[k].fd == r->out) {
                relay_write(r);
            } else {
                relay_read(r);
            }
        }
    }
    if (ec.len)
        err_line(&ec);
    for (int i = 0; i < nrelay; i++)
        res.tee_failed |= rl[i].tee_failed;

    for (int i = 0; i < s->nstages; i++) {
        int st;
        if (pids[i] <= 0)
            continue;
        while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
            ;
        res.exit_code[i] = status_code(st);
    }
    if (nrelay >= 1) {
        batch_tap *t = &rl[0].tap;
        res.have_layout_end = t->have_end;
        res.pages = t->have_end ? t->end_a : t->pages;
        res.failed_pages = t->have_end ? t->end_b : t->failed_pages;
    }
    if (nrelay >= 2) {
        batch_tap *t = &rl[1].tap;
        res.tables = t->have_end ? t->end_a : t->tables;
    }
    {
        struct rusage ru;
        if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
            res.max_rss_kb = ru.ru_maxrss; /* KiB on Linux */
            res.cpu_seconds = (double)ru.ru_utime.tv_sec +
                              ru.ru_utime.tv_usec / 1e6 +
                              (double)ru.ru_stime.tv_sec +
                              ru.ru_stime.tv_usec / 1e6;
        }
    }
    if (s->count_records && s->out_fd >= 0)
        count_output(s, &res, bufs[BATCH_JOB_MAX_STAGES - 1]);
    if (s->sync_output && s->out_fd >= 0 && fsync(s->out_fd) != 0 &&
        !res.error[0])
        snprintf(res.error, sizeof res.error,
                 "formtab-batch: cannot write the output: %s",
                 strerror(errno));
    res.complete = 1;
report:
    write_all(result_fd, &res, sizeof res);
    _exit(0);
}

batch_status batch_job_status(const batch_job_result *r, int nstages,
                              int *exit_code)
{
    /* 128 + SIGPIPE: a stage whose reader died before it. */
    const int sigpipe_death = 128 + SIGPIPE;
    int code = 0;
    for (int i = 0; i < nstages && !code; i++)
        if (r->exit_code[i] != 0 && r->exit_code[i] != sigpipe_death)
            code = r->exit_code[i];
    for (int i = 0; i < nstages && !code; i++)
        if (r->exit_code[i] != 0)
            code = r->exit_code[i];
    *exit_code = code;
    if (code == 0)
        return BATCH_OK;
    if (nstages == BATCH_JOB_MAX_STAGES && r->exit_code[0] == 1 &&
        r->exit_code[1] == 0 && r->exit_code[2] == 0 &&
        r->pages > r->failed_pages)
        return BATCH_PARTIAL;
    return BATCH_FAILED;
}

/* ---- parent side ------------------------------------------------------------ */

ft_err batch_job_start(const batch_job_spec *spec, pid_t *pid, int *result_fd)
{
    int p[2];
    *pid = -1;
    *result_fd = -1;
    if (spec->nstages < 1 || spec->nstages > BATCH_JOB_MAX_STAGES)
        return FT_INTERNAL;
    if (make_pipe(p) != 0)
        return FT_IO;
    pid_t parent = getpid();
    fflush(stdout);
    fflush(stderr);
    pid_t c = fork();
    if (c < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        errno = e;
        return FT_IO;
    }
    if (c == 0) {
        close(p[0]);
        /* Our own process group, so one kill(-pgid) ends the pipeline and
         * a terminal's ^C reaches only the batch process, which decides. */
        setpgid(0, 0);
        supervise(spec, p[1], parent);
        _exit(EXIT_NOT_RUN);
    }
    setpgid(c, c); /* both sides, so the group exists before either acts */
    close(p[1]);
    *pid = c;
    *result_fd = p[0];
    return FT_OK;
}

int batch_job_read(int fd, batch_job_result *r, size_t *got)
{
    for (;;) {
        if (*got >= sizeof *r) {
            /* Anything past the result is junk; drain to see the end. */
            char junk[256];
            ssize_t n = read(fd, junk, sizeof junk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return errno == EAGAIN ? 0 : -1;
            return n == 0 ? 1 : 0;
        }
        ssize_t n = read(fd, (char *)r + *got, sizeof *r - *got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN ? 0 : -1;
        if (n == 0)
            return 1;
        *got += (size_t)n;
        return 0;
    }
}
