/* Containment of untrusted PDFs: resource limits, a seccomp filter, and a
 * supervisor that runs the work in a child process and turns a hung,
 * exhausted or crashed page into a failed page (see ext_sandbox.h). */
#include "ext_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ft_limits.h"
#include "ft_stream.h"

/* AddressSanitizer maps terabytes of shadow memory, so an address-space cap
 * would stop the sanitizer build from starting at all. */
#if defined(__SANITIZE_ADDRESS__)
#define SB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_ASAN 1
#endif
#endif
#ifndef SB_ASAN
#define SB_ASAN 0
#endif

/* Bytes read from a worker pipe per call. */
#define SB_READ_CHUNK 65536u

/* Longest worker stderr line kept whole; longer ones are cut (they are
 * library chatter, shown only with -v). */
#define SB_MAX_ERR_LINE 4096u

/* Seconds of grace between RLIMIT_CPU's soft limit (SIGXCPU) and its hard
 * limit (SIGKILL), for a worker that ignores SIGXCPU. */
#define SB_CPU_GRACE 1u

void ext_sandbox_opts_init(ext_sandbox_opts *o)
{
    o->max_memory_mb = EXT_SB_DEFAULT_MAX_MEMORY_MB;
    o->max_cpu = EXT_SB_DEFAULT_MAX_CPU;
    o->page_timeout = EXT_SB_DEFAULT_PAGE_TIMEOUT;
    o->no_seccomp = 0;
    o->no_fork = 0;
    o->recycle_pages = EXT_SB_RECYCLE_PAGES;
}

void ext_sandbox_init(ext_sandbox *sb, const ext_sandbox_opts *o)
{
    memset(sb, 0, sizeof *sb);
    sb->opt = *o;
    sb->first_page = 1;
}

/* ---- limits -------------------------------------------------------------- */

/* Lower one limit to want (never raise it). */
static int lower_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit cur;
    if (getrlimit(resource, &cur) != 0)
        return -1;
    if (cur.rlim_max != RLIM_INFINITY && hard > cur.rlim_max)
        hard = cur.rlim_max;
    if (soft > hard)
        soft = hard;
    if (cur.rlim_cur != RLIM_INFINITY && soft > cur.rlim_cur)
        soft = cur.rlim_cur;
    struct rlimit l = { soft, hard };
    return setrlimit(resource, &l);
}

ft_err ext_sandbox_limits(unsigned max_memory_mb, unsigned cpu_seconds,
                          char *msg, size_t msg_len)
{
    /* A core file of a multi-GiB worker in a cron directory helps nobody. */
    if (lower_limit(RLIMIT_CORE, 0, 0) != 0) {
        snprintf(msg, msg_len, "cannot disable core files: %s", strerror(errno));
        return FT_LIMIT;
    }
    if (max_memory_mb && !SB_ASAN) {
        rlim_t bytes = (rlim_t)max_memory_mb * 1024u * 1024u;
        if (lower_limit(RLIMIT_AS, bytes, bytes) != 0) {
            snprintf(msg, msg_len, "cannot cap memory at %u MB: %s",
                     max_memory_mb, strerror(errno));
            return FT_LIMIT;
        }
    }
    if (cpu_seconds) {
        if (lower_limit(RLIMIT_CPU, cpu_seconds,
                        (rlim_t)cpu_seconds + SB_CPU_GRACE) != 0) {
            snprintf(msg, msg_len, "cannot cap CPU time at %u s: %s",
                     cpu_seconds, strerror(errno));
            return FT_LIMIT;
        }
    }
    return FT_OK;
}

/* ---- seccomp ------------------------------------------------------------- */

/* System calls refused outright with EPERM. */
static const char *const denied[] = {
    /* network */
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    /* running other programs */
    "execve", "execveat",
    /* changing the file system */
    "creat", "unlink", "unlinkat", "rename", "renameat", "renameat2",
    "mkdir", "mkdirat", "rmdir", "link", "linkat", "symlink", "symlinkat",
    "mknod", "mknodat", "chmod", "fchmodat", "chown", "fchownat", "lchown",
    "truncate",
    /* reaching into other processes (LeakSanitizer stops the world with
     * ptrace at exit, so the sanitizer build leaves ptrace alone) */
#if !SB_ASAN
    "ptrace",
#endif
    "process_vm_writev",
};

/* Calls refused with ENOSYS: callers treat them as "not supported here" and
 * fall back. openat2 hides its flags in a struct the filter cannot read;
 * io_uring runs file operations without passing through seccomp. */
static const char *const unsupported[] = {
    "openat2", "io_uring_setup", "io_uring_enter", "io_uring_register",
};

/* Open flags that mean writing. */
static const unsigned write_flags[] = { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC };

static int add_rule(scmp_filter_ctx f, uint32_t action, const char *name,
                    unsigned nargs, const struct scmp_arg_cmp *arg)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return 0; /* not on this architecture: nothing to refuse */
    return nargs ? seccomp_rule_add_exact_array(f, action, nr, nargs, arg)
                 : seccomp_rule_add_exact(f, action, nr, 0);
}

ft_err ext_sandbox_lock(const ext_sandbox *sb, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    scmp_filter_ctx f = NULL;
    int e = 0;
    const char *what = "";

    if (sb && sb->opt.no_seccomp)
        return FT_OK;
    f = seccomp_init(SCMP_ACT_ALLOW);
    if (!f) {
        snprintf(msg, msg_len, "seccomp is not available");
        return FT_INTERNAL;
    }
    for (size_t i = 0; !e && i < sizeof denied / sizeof denied[0]; i++) {
        what = denied[i];
        e = add_rule(f, SCMP_ACT_ERRNO(EPERM), denied[i], 0, NULL);
    }
    for (size_t i = 0; !e && i < sizeof unsupported / sizeof unsupported[0];
         i++) {
        what = unsupported[i];
        e = add_rule(f, SCMP_ACT_ERRNO(ENOSYS), unsupported[i], 0, NULL);
    }
    /* open(path, flags) has its flags in argument 1, openat(dir, path,
     * flags) in argument 2; one rule per flag (a rule is a conjunction). */
    for (size_t i = 0; !e && i < sizeof write_flags / sizeof write_flags[0];
         i++) {
        unsigned fl = write_flags[i];
        struct scmp_arg_cmp a1 = SCMP_A1(SCMP_CMP_MASKED_EQ, fl, fl);
        struct scmp_arg_cmp a2 = SCMP_A2(SCMP_CMP_MASKED_EQ, fl, fl);
        what = "open";
        e = add_rule(f, SCMP_ACT_ERRNO(EPERM), "open", 1, &a1);
        if (!e) {
            what = "openat";
            e = add_rule(f, SCMP_ACT_ERRNO(EPERM), "openat", 1, &a2);
        }
    }
    if (e) {
        snprintf(msg, msg_len, "seccomp rule for %s: %s", what, strerror(-e));
        rc = FT_INTERNAL;
        goto out;
    }
    /* seccomp_load sets no_new_privs first (SCMP_FLTATR_CTL_NNP). */
    e = seccomp_load(f);
    if (e) {
        snprintf(msg, msg_len, "cannot install the seccomp filter: %s",
                 strerror(-e));
        rc = FT_INTERNAL;
    }
out:
    seccomp_release(f);
    return rc;
}

/* ---- worker side --------------------------------------------------------- */

int ext_sandbox_page_begin(ext_sandbox *sb, unsigned page)
{
    if (!sb || !sb->in_worker || !sb->pipe)
        return 0;
    if (sb->opt.recycle_pages && sb->worker_pages >= sb->opt.recycle_pages) {
        fprintf(sb->pipe, "x-sandbox-recycle\t%u\n", page);
        fflush(sb->pipe);
        return 1;
    }
    sb->worker_pages++;
    /* The flush also hands the previous page to the supervisor. */
    fprintf(sb->pipe, "x-sandbox-page\t%u\n", page);
    fflush(sb->pipe);
    return 0;
}

unsigned ext_sandbox_first_page(const ext_sandbox *sb)
{
    return sb && sb->first_page ? sb->first_page : 1;
}

unsigned ext_sandbox_pages_done(const ext_sandbox *sb)
{
    return sb ? sb->pages_done : 0;
}

/* The worker: limits, the work, the result record. Never returns. */
static void worker_main(ext_sandbox *sb, ext_sandbox_work_fn work, void *ctx,
                        int out_fd, unsigned cpu_left, pid_t parent)
{
    char msg[1024] = "";
    /* Die with the supervisor (a killed cron job must not leave a worker
     * chewing on a page). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(FT_EXIT_INTERNAL);
    FILE *out = fdopen(out_fd, "w");
    if (!out)
        _exit(FT_EXIT_INTERNAL);
    sb->in_worker = 1;
    sb->pipe = out;
    ft_err rc = ext_sandbox_limits(sb->opt.max_memory_mb, cpu_left, msg,
                                   sizeof msg);
    if (!rc)
        rc = work(ctx, sb, out, msg, sizeof msg);
    fprintf(out, "x-sandbox-result\t%d\t", (int)rc);
    ft_tsv_puts(out, msg);
    fputc('\n', out);
    /* exit(), not _exit(): stdio was flushed before fork, and exit lets the
     * leak checkers of the sanitizer and valgrind runs see the worker. */
    exit(fclose(out) == 0 ? 0 : FT_EXIT_IO);
}

/* ---- supervisor ---------------------------------------------------------- */

/* Lines arriving on one pipe, in a bounded buffer. */
typedef struct {
    int fd;          /* -1 once closed */
    char *buf;
    size_t len, cap;
    size_t max;      /* longest line kept whole */
    int cut;         /* dropping or passing the tail of an over-long line */
} sb_lines;

typedef struct {
    ext_sandbox *sb;
    FILE *out;
    const char *name;
    ft_diag *diag;
    int header_written;   /* formtab-layout + doc forwarded */
    int header_seen;      /* this worker's header lines */
    unsigned cur_page;    /* page the worker announced and has not closed */
    unsigned in_page;     /* page whose `page` record was forwarded */
    double deadline;      /* when cur_page times out (ms, monotonic) */
    unsigned written;     /* pages closed, all workers */
    unsigned worker_failed; /* endpage failed written by workers */
    unsigned recycle_at;  /* the worker stopped before this page, 0: no */
    unsigned nlimit;      /* pages we failed for a limit */
    unsigned ncrash;      /* pages we failed for a crash */
    int got_result;
    ft_err worker_rc;
    char worker_msg[1024];
    int oom_hint;         /* the worker said "out of memory" on stderr */
    int write_error;
} sup;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void put_line(sup *s, const char *line, size_t len)
{
    if (fwrite(line, 1, len, s->out) != len || fputc('\n', s->out) == EOF)
        s->write_error = 1;
}

static int starts(const char *line, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && !memcmp(line, word, n);
}

static unsigned field_uint(const char *p, const char *end)
{
    unsigned long v = 0;
    while (p < end && *p >= '0' && *p <= '9' && v < 0xFFFFFFFFul)
        v = v * 10 + (unsigned long)(*p++ - '0');
    return v > 0xFFFFFFFFul ? 0xFFFFFFFFu : (unsigned)v;
}

/* One complete line of the worker's layout stream. */
static void on_stream_line(sup *s, char *line, size_t len)
{
    const char *end = line + len;
    if (starts(line, len, "formtab-layout\t") || starts(line, len, "doc\t")) {
        s->header_seen++;
        if (!s->header_written) {
            put_line(s, line, len);
            if (starts(line, len, "doc\t"))
                s->header_written = 1;
        }
        return;
    }
    if (starts(line, len, "x-sandbox-page\t")) {
        s->cur_page = field_uint(line + 15, end);
        s->deadline = now_ms() + 1000.0 * s->sb->opt.page_timeout;
        return;
    }
    if (starts(line, len, "x-sandbox-recycle\t")) {
        s->recycle_at = field_uint(line + 18, end);
        s->cur_page = 0;
        return;
    }
    if (starts(line, len, "x-sandbox-result\t")) {
        char *p = line + 17;
        char *tab = memchr(p, '\t', (size_t)(end - p));
        s->worker_rc = (ft_err)field_uint(p, tab ? tab : end);
        if (s->worker_rc >= FT__ERR_COUNT)
            s->worker_rc = FT_INTERNAL;
        s->worker_msg[0] = '\0';
        if (tab) {
            size_t n = (size_t)(end - tab - 1);
            if (n >= sizeof s->worker_msg)
                n = sizeof s->worker_msg - 1;
            memcpy(s->worker_msg, tab + 1, n);
            s->worker_msg[n] = '\0';
            if (ft_tsv_unescape(s->worker_msg, &n))
                s->worker_msg[0] = '\0';
        }
        s->got_result = 1;
        return;
    }
    if (starts(line, len, "end\t"))
        return; /* the supervisor writes the one `end` */
    if (starts(line, len, "page\t"))
        s->in_page = field_uint(line + 5, end);
    if (starts(line, len, "endpage\t")) {
        const char *st = memchr(line + 8, '\t', (size_t)(end - line - 8));
        if (!st || !starts(st + 1, (size_t)(end - st - 1), "ok"))
            s->worker_failed++;
        s->written++;
        s->in_page = 0;
        s->cur_page = 0;
    }
    put_line(s, line, len);
}

/* One complete line of the worker's stderr. */
static void on_err_line(sup *s, char *line, size_t len)
{
    size_t plen = strlen(s->diag->prog);
    if (SB_ASAN || (len > plen + 1 && !memcmp(line, s->diag->prog, plen) &&
                    line[plen] == ':')) {
        fprintf(s->diag->out, "%.*s\n", (int)len, line);
        fflush(s->diag->out);
        return;
    }
    /* Library chatter ("Syntax Error: ...", "Out of memory"): debug only,
     * but remember an allocation failure to name the cause of a death. */
    if (strstr(line, "Out of memory") || strstr(line, "out of memory") ||
        strstr(line, "bad_alloc") || strstr(line, "Cannot allocate"))
        s->oom_hint = 1;
    ft_diag_debug(s->diag, "worker: %.*s", (int)len, line);
}

/* Called with each complete line, NUL-terminated at len. */
typedef void (*line_fn)(sup *s, char *line, size_t len);

/* Read what is available on l and hand complete lines to fn. A line longer
 * than l->max is cut: stream lines are passed on in pieces (the reader
 * downstream rejects them by its own cap), stderr lines truncated. */
static void pump(sup *s, sb_lines *l, line_fn fn, int is_stream)
{
    if (l->cap - l->len < SB_READ_CHUNK) {
        size_t ncap = l->cap ? l->cap * 2 : SB_READ_CHUNK * 2;
        if (ncap > l->max + SB_READ_CHUNK * 2)
            ncap = l->max + SB_READ_CHUNK * 2;
        if (ncap > l->cap) {
            char *nb = realloc(l->buf, ncap);
            if (nb) {
                l->buf = nb;
                l->cap = ncap;
            }
        }
    }
    /* One byte is kept free so every line handed out is NUL-terminated. */
    ssize_t n = l->cap > l->len + 1
                    ? read(l->fd, l->buf + l->len, l->cap - l->len - 1)
                    : -1;
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        /* End of input: a last line without newline still counts. */
        if (l->buf)
            l->buf[l->len] = '\0';
        if (l->len && !l->cut)
            fn(s, l->buf, l->len);
        else if (l->len && is_stream)
            put_line(s, l->buf, l->len);
        l->len = 0;
        close(l->fd);
        l->fd = -1;
        return;
    }
    l->len += (size_t)n;
    size_t start = 0;
    for (;;) {
        char *nl = memchr(l->buf + start, '\n', l->len - start);
        if (!nl)
            break;
        size_t ll = (size_t)(nl - (l->buf + start));
        *nl = '\0';
        if (l->cut) {
            if (is_stream)
                put_line(s, l->buf + start, ll);
            l->cut = 0;
        } else {
            fn(s, l->buf + start, ll);
        }
        start += ll + 1;
    }
    memmove(l->buf, l->buf + start, l->len - start);
    l->len -= start;
    if (l->len > l->max) {
        if (is_stream && fwrite(l->buf, 1, l->len, s->out) != l->len)
            s->write_error = 1;
        if (!is_stream && !l->cut) {
            l->buf[l->max] = '\0';
            fn(s, l->buf, l->max);
        }
        l->len = 0;
        l->cut = 1;
    }
}

static double cpu_seconds(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

typedef enum { DEATH_CRASH, DEATH_LIMIT, DEATH_CPU } death_kind;

/* Why a worker ended without its result record. */
static death_kind death_reason(const sup *s, int status, int timed_out,
                               double cpu_used, char *why, size_t why_len)
{
    const ext_sandbox_opts *o = &s->sb->opt;
    if (timed_out) {
        snprintf(why, why_len, "took longer than %u s (--page-timeout)",
                 o->page_timeout);
        return DEATH_LIMIT;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGXCPU ||
            (sig == SIGKILL && o->max_cpu && cpu_used >= o->max_cpu)) {
            snprintf(why, why_len, "CPU time limit of %u s reached (--max-cpu)",
                     o->max_cpu);
            return DEATH_CPU;
        }
        if (s->oom_hint || (sig == SIGKILL && o->max_memory_mb)) {
            snprintf(why, why_len, "out of memory (--max-memory=%u MB)",
                     o->max_memory_mb);
            return DEATH_LIMIT;
        }
        snprintf(why, why_len, "crashed (signal %d: %s)", sig,
                 strsignal(sig));
        return DEATH_CRASH;
    }
    if (s->oom_hint) {
        snprintf(why, why_len, "out of memory (--max-memory=%u MB)",
                 o->max_memory_mb);
        return DEATH_LIMIT;
    }
    snprintf(why, why_len, "extraction stopped (exit status %d)",
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return DEATH_CRASH;
}

/* Start a worker; returns its pid or -1 (errno set). */
static pid_t spawn(sup *s, ext_sandbox_work_fn work, void *ctx,
                   unsigned cpu_left, sb_lines *so, sb_lines *se)
{
    int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
    pid_t parent = getpid();
    if (pipe(po) != 0)
        return -1;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    fflush(s->out);
    fflush(s->diag->out);
    pid_t pid = fork();
    if (pid == 0) {
        close(po[0]);
        close(pe[0]);
        if (dup2(pe[1], STDERR_FILENO) < 0)
            _exit(FT_EXIT_INTERNAL);
        close(pe[1]);
        worker_main(s->sb, work, ctx, po[1], cpu_left, parent);
    }
    close(po[1]);
    close(pe[1]);
    if (pid < 0) {
        int e = errno;
        close(po[0]);
        close(pe[0]);
        errno = e;
        return -1;
    }
    so->fd = po[0];
    se->fd = pe[0];
    return pid;
}

/* Supervise one worker until both its pipes close; reap it. */
static void watch(sup *s, pid_t pid, sb_lines *so, sb_lines *se, int *status,
                  int *timed_out, double *cpu_used)
{
    struct rusage ru;
    *timed_out = 0;
    while (so->fd >= 0 || se->fd >= 0) {
        int timeout = -1;
        if (s->cur_page && s->sb->opt.page_timeout && !*timed_out) {
            double left = s->deadline - now_ms();
            if (left <= 0) {
                kill(pid, SIGKILL);
                *timed_out = 1;
                continue;
            }
            timeout = left > 1e9 ? 1000000000 : (int)left + 1;
        }
        struct pollfd p[2] = { { so->fd, POLLIN, 0 }, { se->fd, POLLIN, 0 } };
        int n = poll(p, 2, timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            kill(pid, SIGKILL);
            break;
        }
        if (p[0].revents)
            pump(s, so, on_stream_line, 1);
        if (p[1].revents)
            pump(s, se, on_err_line, 0);
    }
    if (so->fd >= 0)
        close(so->fd);
    if (se->fd >= 0)
        close(se->fd);
    so->fd = se->fd = -1;
    so->len = se->len = 0;
    so->cut = se->cut = 0;
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    /* CPU of every worker reaped so far (this process has no other
     * children). */
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        *cpu_used = cpu_seconds(&ru);
}

ft_err ext_sandbox_run(ext_sandbox *sb, ext_sandbox_work_fn work, void *ctx,
                       FILE *out, const char *name, ft_diag *diag, char *msg,
                       size_t msg_len)
{
    ft_err rc = FT_OK;
    sup s;
    sb_lines so = { -1, NULL, 0, 0, FT_MAX_LINE_LEN + 64, 0 };
    sb_lines se = { -1, NULL, 0, 0, SB_MAX_ERR_LINE, 0 };
    double cpu_used = 0;
    unsigned deaths = 0;
    int gave_up = 0;

    msg[0] = '\0';
    /* An inherited SIGCHLD=SIG_IGN would make waitpid() fail. */
    signal(SIGCHLD, SIG_DFL);
    if (sb->opt.no_fork) {
        rc = ext_sandbox_limits(sb->opt.max_memory_mb, sb->opt.max_cpu, msg,
                                msg_len);
        return rc ? rc : work(ctx, sb, out, msg, msg_len);
    }
    memset(&s, 0, sizeof s);
    s.sb = sb;
    s.out = out;
    s.name = name;
    s.diag = diag;
    sb->first_page = 1;
    sb->pages_done = 0;

    for (;;) {
        unsigned cpu_left = 0;
        if (sb->opt.max_cpu) {
            double left = sb->opt.max_cpu - cpu_used;
            cpu_left = left < 1 ? 1 : (unsigned)left;
        }
        s.header_seen = 0;
        s.cur_page = s.in_page = 0;
        s.oom_hint = 0;
        s.got_result = 0;
        s.recycle_at = 0;
        sb->worker_pages = 0;
        unsigned written_before = s.written;
        pid_t pid = spawn(&s, work, ctx, cpu_left, &so, &se);
        if (pid < 0) {
            if (s.header_written) {
                snprintf(msg, msg_len, "cannot start a worker for page %u: %s",
                         sb->first_page, strerror(errno));
                rc = FT_INTERNAL;
                gave_up = 1;
                break;
            }
            /* No process to spare: run unsupervised rather than not at all. */
            ft_diag_warn(diag, name, 0, "cannot fork (%s): running without "
                         "page supervision", strerror(errno));
            free(so.buf);
            free(se.buf);
            rc = ext_sandbox_limits(sb->opt.max_memory_mb, sb->opt.max_cpu,
                                    msg, msg_len);
            return rc ? rc : work(ctx, sb, out, msg, msg_len);
        }
        int status = 0, timed_out = 0;
        watch(&s, pid, &so, &se, &status, &timed_out, &cpu_used);
        if (s.got_result && s.recycle_at && s.worker_rc == FT_OK &&
            !s.write_error) {
            /* A planned hand-over: a fresh worker from that page on. */
            sb->first_page = s.recycle_at;
            sb->pages_done = s.written;
            deaths = 0;
            continue;
        }
        if (s.got_result) {
            rc = s.worker_rc;
            snprintf(msg, msg_len, "%s", s.worker_msg);
            break;
        }
        char why[256];
        death_kind kind = death_reason(&s, status, timed_out, cpu_used, why,
                                       sizeof why);
        if (!s.header_written) {
            /* Died opening the document: nothing was written. */
            snprintf(msg, msg_len, "cannot read the PDF: %s", why);
            rc = kind == DEATH_CRASH ? FT_PDF : FT_LIMIT;
            goto out;
        }
        if (!s.cur_page) {
            snprintf(msg, msg_len, "extraction stopped after %u pages: %s",
                     s.written, why);
            rc = kind == DEATH_CRASH ? FT_PDF : FT_LIMIT;
            gave_up = 1;
            break;
        }
        /* The page in progress failed; the document goes on after it. */
        unsigned n = s.cur_page;
        char line[512];
        int k;
        if (s.in_page != n) {
            k = snprintf(line, sizeof line, "page\t%u\t\t\t0\ttext", n);
            put_line(&s, line, (size_t)k);
        }
        k = snprintf(line, sizeof line, "endpage\t%u\tfailed: ", n);
        if (fwrite(line, 1, (size_t)k, out) != (size_t)k ||
            ft_tsv_puts(out, why) == EOF || fputc('\n', out) == EOF)
            s.write_error = 1;
        s.written++;
        if (kind == DEATH_CRASH) {
            s.ncrash++;
            ft_diag_error(diag, name, n, "%s; page skipped", why);
        } else {
            s.nlimit++;
            ft_diag_warn(diag, name, n, "%s; page skipped", why);
        }
        if (kind == DEATH_CPU) {
            snprintf(msg, msg_len, "CPU time limit of %u s reached (--max-cpu): "
                     "pages after %u not read", sb->opt.max_cpu, n);
            rc = FT_LIMIT;
            gave_up = 1;
            break;
        }
        if (s.written - 1 > written_before)
            deaths = 0; /* this worker closed a page: it made progress */
        if (++deaths >= EXT_SB_MAX_CONSECUTIVE_DEATHS) {
            snprintf(msg, msg_len, "%u pages in a row failed; pages after %u "
                     "not read", deaths, n);
            rc = FT_PAGE;
            gave_up = 1;
            break;
        }
        if (s.write_error)
            break;
        sb->first_page = n + 1;
        sb->pages_done = s.written;
    }
    if (s.header_written) {
        /* The one `end` of the stream (a worker that failed to open the
         * document wrote nothing, and nothing is added to it). */
        unsigned failed = s.worker_failed + s.nlimit + s.ncrash;
        if (fprintf(out, "end\t%u\t%u\n", s.written, failed) < 0)
            s.write_error = 1;
    }
    if (s.write_error || ferror(out)) {
        snprintf(msg, msg_len, "write error on standard output");
        rc = FT_IO;
    } else if (!gave_up && rc != FT_OK && rc != FT_PAGE && rc != FT_LIMIT) {
        /* the worker's own error (FT_IO ...) stands */
    } else if (!gave_up && (s.ncrash || s.worker_failed || rc == FT_PAGE)) {
        if (rc != FT_PAGE)
            msg[0] = '\0'; /* each failed page was reported already */
        rc = FT_PAGE;
    } else if (!gave_up && (s.nlimit || rc == FT_LIMIT)) {
        if (rc != FT_LIMIT)
            snprintf(msg, msg_len, "%u page%s skipped at a resource limit",
                     s.nlimit, s.nlimit == 1 ? "" : "s");
        rc = FT_LIMIT;
    }
out:
    free(so.buf);
    free(se.buf);
    return rc;
}
