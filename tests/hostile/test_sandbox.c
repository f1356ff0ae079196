/* extract/ext_sandbox: the seccomp filter refuses what it promises and no
 * more, the resource limits bite, and the supervisor turns a hung, crashed
 * or memory-exhausted page into a failed page while the document goes on.
 * Each Check test runs in its own process (fork mode), so a filter or a
 * limit installed by one test never leaks into another. The work functions
 * below are real code run in real worker processes, not mocks. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ext_sandbox.h"

#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif
#ifndef ASAN
#define ASAN 0
#endif

/* Under valgrind (scripts/valgrind-tests) execve is emulated: refused by
 * the filter it fails, but not always with EPERM. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

/* A scratch directory for files the tests try to create. */
static char scratch[] = "/tmp/ft-sandbox-XXXXXX";

static void path_in(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", scratch, name);
}

/* ---- the seccomp filter -------------------------------------------------- */

typedef enum { CALL_SOCKET_INET, CALL_SOCKET_UNIX, CALL_EXECVE, CALL_OPEN_WR,
               CALL_OPEN_CREAT, CALL_OPEN_RDWR, CALL_FOPEN_W, CALL_UNLINK,
               CALL_RENAME, CALL_MKDIR, NCALLS } call_id;

static const char *const call_names[] = {
    "socket(AF_INET)", "socket(AF_UNIX)", "execve", "open(O_WRONLY)",
    "open(O_CREAT)", "openat(O_RDWR)", "fopen(w)", "unlink", "rename",
    "mkdir",
};

/* Make the call; return 0 on success, else errno. */
static int try_call(call_id id)
{
    char p[256], q[256];
    int fd, rc = 0;
    errno = 0;
    switch (id) {
    case CALL_SOCKET_INET:
        fd = socket(AF_INET, SOCK_STREAM, 0);
        break;
    case CALL_SOCKET_UNIX:
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        break;
    case CALL_EXECVE: {
        /* A successful execve would replace this test: run it in a child
         * and report how that child fared. */
        pid_t pid = fork();
        if (pid == 0) {
            char *argv[] = { (char *)"/bin/true", NULL };
            char *envp[] = { NULL };
            execve("/bin/true", argv, envp);
            _exit(errno == EPERM ? 100 : 101);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 100)
            return EPERM;
        return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : EIO;
    }
    case CALL_OPEN_WR:
        path_in(p, sizeof p, "existing");
        fd = open(p, O_WRONLY);
        break;
    case CALL_OPEN_CREAT:
        path_in(p, sizeof p, "new-file");
        fd = open(p, O_RDONLY | O_CREAT, 0600);
        break;
    case CALL_OPEN_RDWR:
        path_in(p, sizeof p, "existing");
        fd = openat(AT_FDCWD, p, O_RDWR);
        break;
    case CALL_FOPEN_W: {
        path_in(p, sizeof p, "fopen-file");
        FILE *f = fopen(p, "w");
        if (!f)
            return errno;
        fclose(f);
        return 0;
    }
    case CALL_UNLINK:
        path_in(p, sizeof p, "victim");
        return unlink(p) == 0 ? 0 : errno;
    case CALL_RENAME:
        path_in(p, sizeof p, "existing");
        path_in(q, sizeof q, "renamed");
        rc = rename(p, q);
        if (rc == 0)
            rename(q, p);
        return rc == 0 ? 0 : errno;
    case CALL_MKDIR:
        path_in(p, sizeof p, "dir");
        rc = mkdir(p, 0700);
        if (rc == 0)
            rmdir(p);
        return rc == 0 ? 0 : errno;
    default:
        return EINVAL;
    }
    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

static void make_files(void)
{
    char p[256];
    const char *names[] = { "existing", "victim" };
    for (size_t i = 0; i < 2; i++) {
        path_in(p, sizeof p, names[i]);
        FILE *f = fopen(p, "w");
        ck_assert_ptr_nonnull(f);
        fputs("x\n", f);
        fclose(f);
    }
}

/* Control: without the filter every call succeeds, so the next test's
 * EPERM comes from the filter and not from the environment. */
START_TEST(test_calls_allowed_without_filter)
{
    make_files();
    ck_assert_msg(try_call((call_id)_i) == 0, "%s failed without the filter",
                  call_names[_i]);
}
END_TEST

START_TEST(test_calls_refused_with_filter)
{
    char msg[256] = "";
    make_files();
    ck_assert_msg(ext_sandbox_lock(NULL, msg, sizeof msg) == FT_OK, "%s", msg);
    int e = try_call((call_id)_i);
    if (_i == CALL_EXECVE && UNDER_VALGRIND())
        ck_assert_msg(e != 0, "execve succeeded under the filter");
    else
        ck_assert_msg(e == EPERM, "%s: expected EPERM, got %s", call_names[_i],
                      e ? strerror(e) : "success");
}
END_TEST

/* What the filter must leave alone: reading files (fonts), writing to
 * descriptors opened before (stdout, the pipe), memory, threads' clone. */
START_TEST(test_filter_keeps_reading_and_stdout)
{
    char msg[256] = "", p[256];
    make_files();
    int pre = open("/dev/null", O_WRONLY);
    ck_assert_int_ge(pre, 0);
    ck_assert_msg(ext_sandbox_lock(NULL, msg, sizeof msg) == FT_OK, "%s", msg);
    path_in(p, sizeof p, "existing");
    FILE *f = fopen(p, "r");
    ck_assert_ptr_nonnull(f);
    char buf[8] = "";
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    ck_assert_str_eq(buf, "x\n");
    fclose(f);
    int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(write(pre, "ok", 2), 2);
    close(pre);
    void *m = malloc(16u << 20);
    ck_assert_ptr_nonnull(m);
    memset(m, 1, 16u << 20);
    free(m);
    pid_t pid = fork(); /* clone stays allowed (OpenMP threads need it) */
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
}
END_TEST

START_TEST(test_no_seccomp_option)
{
    char msg[256] = "";
    ext_sandbox_opts o;
    ext_sandbox sb;
    ext_sandbox_opts_init(&o);
    o.no_seccomp = 1;
    ext_sandbox_init(&sb, &o);
    make_files();
    ck_assert_int_eq(ext_sandbox_lock(&sb, msg, sizeof msg), FT_OK);
    ck_assert_int_eq(try_call(CALL_SOCKET_UNIX), 0);
}
END_TEST

/* ---- resource limits ----------------------------------------------------- */

START_TEST(test_memory_limit)
{
    char msg[256] = "";
    if (ASAN)
        return; /* RLIMIT_AS is skipped in ASan builds, by design */
    ck_assert_int_eq(ext_sandbox_limits(256, 0, msg, sizeof msg), FT_OK);
    struct rlimit l;
    ck_assert_int_eq(getrlimit(RLIMIT_AS, &l), 0);
    ck_assert_uint_eq(l.rlim_cur, 256ull << 20);
    /* 1 GiB cannot be had under a 256 MiB address space. */
    void *big = malloc(1u << 30);
    ck_assert_ptr_null(big);
    ck_assert_int_eq(getrlimit(RLIMIT_CORE, &l), 0);
    ck_assert_uint_eq(l.rlim_cur, 0);
}
END_TEST

/* The CPU limit ends a spinning process with SIGXCPU (the test passes only
 * when that signal arrives). */
START_TEST(test_cpu_limit)
{
    char msg[256] = "";
    ck_assert_int_eq(ext_sandbox_limits(0, 1, msg, sizeof msg), FT_OK);
    volatile unsigned long x = 0;
    for (;;)
        x++;
}
END_TEST

/* A limit is never raised: asking for more than the current hard limit
 * keeps the lower one. */
START_TEST(test_limits_never_raise)
{
    char msg[256] = "";
    struct rlimit l = { 100, 100 };
    ck_assert_int_eq(setrlimit(RLIMIT_CPU, &l), 0);
    ck_assert_int_eq(ext_sandbox_limits(0, 5000, msg, sizeof msg), FT_OK);
    ck_assert_int_eq(getrlimit(RLIMIT_CPU, &l), 0);
    ck_assert_uint_eq(l.rlim_cur, 100);
    ck_assert_uint_eq(l.rlim_max, 100);
}
END_TEST

/* ---- the supervisor ------------------------------------------------------ */

/* What each page of the fake document does. */
typedef enum { PAGE_OK, PAGE_HANG, PAGE_CRASH, PAGE_EAT_MEMORY, PAGE_SPIN,
               PAGE_NOISE } page_kind;

typedef struct {
    const page_kind *pages;
    unsigned npages;
    int die_before_header;
    ft_err result;           /* returned after the last page */
    unsigned max_pages;      /* stop after this many pages (0: all) */
    int with_pid;            /* runs say which process wrote them */
} fake_doc;

static const char *pid_text(void)
{
    static char buf[32];
    snprintf(buf, sizeof buf, " by %ld", (long)getpid());
    return buf;
}

/* A work function shaped like ext_pdf_extract: header, pages, end. */
static ft_err fake_work(void *ctx, ext_sandbox *sb, FILE *out, char *msg,
                        size_t msg_len)
{
    const fake_doc *d = ctx;
    unsigned written = ext_sandbox_pages_done(sb);
    if (d->die_before_header)
        raise(SIGSEGV);
    fprintf(out, "formtab-layout\t1\ndoc\tfake.pdf\tabc\tpdf\t%u\n", d->npages);
    for (unsigned i = 0; i < d->npages; i++) {
        unsigned n = i + 1;
        if (n < ext_sandbox_first_page(sb))
            continue;
        if (d->max_pages && written >= d->max_pages) {
            snprintf(msg, msg_len, "stopped after %u pages", written);
            fprintf(out, "end\t%u\t0\n", written);
            return FT_LIMIT;
        }
        if (ext_sandbox_page_begin(sb, n))
            break; /* a fresh worker goes on from page n */
        switch (d->pages[i]) {
        case PAGE_HANG:
            for (;;)
                pause();
        case PAGE_CRASH:
            raise(SIGSEGV);
            break;
        case PAGE_EAT_MEMORY:
            /* As Poppler's gmalloc does when malloc fails. */
            for (;;) {
                char *p = malloc(64u << 20);
                if (!p) {
                    fputs("Out of memory\n", stderr);
                    abort();
                }
                memset(p, 1, 64u << 20);
            }
        case PAGE_SPIN: {
            volatile unsigned long x = 0;
            for (;;)
                x++;
        }
        case PAGE_NOISE:
            fputs("Syntax Error (123): library chatter\n", stderr);
            break;
        case PAGE_OK:
            break;
        }
        fprintf(out, "page\t%u\t595.00\t842.00\t0\ttext\n", n);
        fprintf(out, "text\t1.00\t2.00\t3.00\t4.00\t10.00\t0\t\tpage %u%s\n", n,
                d->with_pid ? pid_text() : "");
        fprintf(out, "endpage\t%u\tok\n", n);
        written++;
    }
    fprintf(out, "end\t%u\t0\n", written);
    if (d->result && msg_len)
        snprintf(msg, msg_len, "worker says %s", ft_strerror(d->result));
    return d->result;
}

typedef struct {
    ft_err rc;
    char msg[1024];
    char *out;   /* the merged stream */
    char *err;   /* what went to stderr */
} run_result;

static run_result run_fake_recycle(const fake_doc *d, unsigned timeout,
                                   unsigned max_memory_mb, unsigned max_cpu,
                                   unsigned recycle);

static run_result run_fake(const fake_doc *d, unsigned timeout,
                           unsigned max_memory_mb, unsigned max_cpu)
{
    return run_fake_recycle(d, timeout, max_memory_mb, max_cpu,
                            EXT_SB_RECYCLE_PAGES);
}

static run_result run_fake_recycle(const fake_doc *d, unsigned timeout,
                                   unsigned max_memory_mb, unsigned max_cpu,
                                   unsigned recycle)
{
    run_result r;
    memset(&r, 0, sizeof r);
    ext_sandbox_opts o;
    ext_sandbox sb;
    ft_diag diag;
    ext_sandbox_opts_init(&o);
    o.page_timeout = timeout;
    o.max_memory_mb = max_memory_mb;
    o.max_cpu = max_cpu;
    o.no_seccomp = 1;
    o.recycle_pages = recycle;
    ext_sandbox_init(&sb, &o);
    ft_diag_init(&diag, "formtab-extract");
    FILE *out = tmpfile(), *err = tmpfile();
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(err);
    diag.out = err;
    r.rc = ext_sandbox_run(&sb, fake_work, (void *)d, out, "fake.pdf", &diag,
                           r.msg, sizeof r.msg);
    FILE *fs[2] = { out, err };
    char **dst[2] = { &r.out, &r.err };
    for (int k = 0; k < 2; k++) {
        fflush(fs[k]);
        long n = ftell(fs[k]);
        rewind(fs[k]);
        *dst[k] = calloc((size_t)n + 1, 1);
        ck_assert_ptr_nonnull(*dst[k]);
        ck_assert_uint_eq(fread(*dst[k], 1, (size_t)n, fs[k]), (size_t)n);
        fclose(fs[k]);
    }
    return r;
}

static void free_result(run_result *r)
{
    free(r->out);
    free(r->err);
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

START_TEST(test_run_clean_document)
{
    static const page_kind pages[] = { PAGE_OK, PAGE_OK, PAGE_NOISE };
    fake_doc d = { pages, 3, 0, FT_OK, 0, 0 };
    run_result r = run_fake(&d, 10, 0, 0);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_str_eq(r.out,
        "formtab-layout\t1\ndoc\tfake.pdf\tabc\tpdf\t3\n"
        "page\t1\t595.00\t842.00\t0\ttext\n"
        "text\t1.00\t2.00\t3.00\t4.00\t10.00\t0\t\tpage 1\nendpage\t1\tok\n"
        "page\t2\t595.00\t842.00\t0\ttext\n"
        "text\t1.00\t2.00\t3.00\t4.00\t10.00\t0\t\tpage 2\nendpage\t2\tok\n"
        "page\t3\t595.00\t842.00\t0\ttext\n"
        "text\t1.00\t2.00\t3.00\t4.00\t10.00\t0\t\tpage 3\nendpage\t3\tok\n"
        "end\t3\t0\n");
    /* Library chatter is not formtab's message format: kept off stderr. */
    ck_assert_msg(ASAN || strstr(r.err, "Syntax Error") == NULL, "%s", r.err);
    free_result(&r);
}
END_TEST

START_TEST(test_run_hung_page)
{
    static const page_kind pages[] = { PAGE_OK, PAGE_HANG, PAGE_OK };
    fake_doc d = { pages, 3, 0, FT_OK, 0, 0 };
    run_result r = run_fake(&d, 1, 0, 0);
    ck_assert_int_eq(r.rc, FT_LIMIT);
    ck_assert_uint_eq(count(r.out, "formtab-layout\t1\n"), 1);
    ck_assert_uint_eq(count(r.out, "\ndoc\t"), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "endpage\t1\tok\n"));
    ck_assert_ptr_nonnull(strstr(r.out,
        "page\t2\t\t\t0\ttext\nendpage\t2\tfailed: took longer than 1 s "
        "(--page-timeout)\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "endpage\t3\tok\nend\t3\t1\n"));
    ck_assert_uint_eq(count(r.out, "\nend\t"), 1);
    ck_assert_ptr_nonnull(strstr(r.err,
        "formtab-extract: warning: fake.pdf: page 2: took longer than 1 s"));
    ck_assert_ptr_nonnull(strstr(r.msg, "1 page skipped"));
    free_result(&r);
}
END_TEST

START_TEST(test_run_crashing_page)
{
    static const page_kind pages[] = { PAGE_CRASH, PAGE_OK, PAGE_CRASH };
    fake_doc d = { pages, 3, 0, FT_OK, 0, 0 };
    run_result r = run_fake(&d, 10, 0, 0);
    ck_assert_int_eq(r.rc, FT_PAGE);
    /* ASan catches the SIGSEGV itself and exits with status 1. */
    const char *why = ASAN ? "failed: extraction stopped (exit status 1)"
                           : "failed: crashed (signal 11: Segmentation fault)";
    char want[256];
    snprintf(want, sizeof want, "endpage\t1\t%s\n", why);
    ck_assert_msg(strstr(r.out, want) != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "endpage\t2\tok\n"));
    snprintf(want, sizeof want, "endpage\t3\t%s\n", why);
    ck_assert_msg(strstr(r.out, want) != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "end\t3\t2\n"));
    ck_assert_uint_eq(count(r.err, "formtab-extract: fake.pdf: page "), 2);
    free_result(&r);
}
END_TEST

START_TEST(test_run_memory_hog)
{
    static const page_kind pages[] = { PAGE_OK, PAGE_EAT_MEMORY, PAGE_OK };
    fake_doc d = { pages, 3, 0, FT_OK, 0, 0 };
    if (ASAN)
        return; /* no RLIMIT_AS under ASan: the page would eat the machine */
    run_result r = run_fake(&d, 30, 256, 0);
    ck_assert_int_eq(r.rc, FT_LIMIT);
    ck_assert_ptr_nonnull(strstr(r.out,
        "endpage\t2\tfailed: out of memory (--max-memory=256 MB)\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "endpage\t3\tok\nend\t3\t1\n"));
    free_result(&r);
}
END_TEST

/* The CPU budget is for the whole document: once spent, the rest of the
 * document is not read (a new worker would only spend more). */
START_TEST(test_run_cpu_budget)
{
    static const page_kind pages[] = { PAGE_OK, PAGE_SPIN, PAGE_OK };
    fake_doc d = { pages, 3, 0, FT_OK, 0, 0 };
    run_result r = run_fake(&d, 30, 0, 1);
    ck_assert_int_eq(r.rc, FT_LIMIT);
    ck_assert_ptr_nonnull(strstr(r.out,
        "endpage\t2\tfailed: CPU time limit of 1 s reached (--max-cpu)\n"
        "end\t2\t1\n"));
    ck_assert_ptr_nonnull(strstr(r.msg, "pages after 2 not read"));
    free_result(&r);
}
END_TEST

START_TEST(test_run_dies_before_header)
{
    static const page_kind pages[] = { PAGE_OK };
    fake_doc d = { pages, 1, 1, FT_OK, 0, 0 };
    run_result r = run_fake(&d, 10, 0, 0);
    ck_assert_int_eq(r.rc, FT_PDF);
    ck_assert_str_eq(r.out, "");
    ck_assert_msg(strstr(r.msg, ASAN ? "cannot read the PDF: extraction stopped"
                                     : "cannot read the PDF: crashed (signal 11")
                  != NULL, "%s", r.msg);
    free_result(&r);
}
END_TEST

START_TEST(test_run_gives_up_after_consecutive_deaths)
{
    static const page_kind pages[] = { PAGE_CRASH, PAGE_CRASH, PAGE_CRASH,
                                       PAGE_CRASH, PAGE_CRASH, PAGE_CRASH,
                                       PAGE_OK };
    fake_doc d = { pages, 7, 0, FT_OK, 0, 0 };
    run_result r = run_fake(&d, 10, 0, 0);
    ck_assert_int_eq(r.rc, FT_PAGE);
    ck_assert_uint_eq(count(r.out, "\tfailed: "), EXT_SB_MAX_CONSECUTIVE_DEATHS);
    ck_assert_ptr_null(strstr(r.out, "endpage\t7"));
    ck_assert_ptr_nonnull(strstr(r.msg, "in a row failed"));
    free_result(&r);
}
END_TEST

/* A worker that cannot open the document returns its error and writes
 * nothing; the supervisor adds nothing either (no lone `end`). */
static ft_err refuse_work(void *ctx, ext_sandbox *sb, FILE *out, char *msg,
                          size_t msg_len)
{
    (void)ctx;
    (void)sb;
    (void)out;
    snprintf(msg, msg_len, "encrypted PDF needs a password (--password)");
    return FT_ENCRYPTED;
}

START_TEST(test_run_refused_document)
{
    ext_sandbox_opts o;
    ext_sandbox sb;
    ft_diag diag;
    char msg[256];
    ext_sandbox_opts_init(&o);
    o.no_seccomp = 1;
    ext_sandbox_init(&sb, &o);
    ft_diag_init(&diag, "formtab-extract");
    FILE *out = tmpfile();
    ck_assert_ptr_nonnull(out);
    ft_err rc = ext_sandbox_run(&sb, refuse_work, NULL, out, "x.pdf", &diag,
                                msg, sizeof msg);
    ck_assert_int_eq(rc, FT_ENCRYPTED);
    ck_assert_str_eq(msg, "encrypted PDF needs a password (--password)");
    ck_assert_int_eq(ftell(out), 0);
    fclose(out);
}
END_TEST

/* The worker's own result passes through: an I/O error, a --max-pages stop
 * counted over restarted workers. */
START_TEST(test_run_worker_result)
{
    static const page_kind pages[] = { PAGE_OK, PAGE_OK };
    fake_doc d = { pages, 2, 0, FT_IO, 0, 0 };
    run_result r = run_fake(&d, 10, 0, 0);
    ck_assert_int_eq(r.rc, FT_IO);
    ck_assert_str_eq(r.msg, "worker says input/output error");
    free_result(&r);
}
END_TEST

START_TEST(test_run_max_pages_across_restart)
{
    static const page_kind pages[] = { PAGE_OK, PAGE_CRASH, PAGE_OK, PAGE_OK };
    fake_doc d = { pages, 4, 0, FT_OK, 3, 0 };
    run_result r = run_fake(&d, 10, 0, 0);
    /* page 1 ok, page 2 crashed (counts), page 3 ok, then the cap of 3. */
    ck_assert_ptr_nonnull(strstr(r.out, "endpage\t3\tok\nend\t3\t1\n"));
    ck_assert_ptr_null(strstr(r.out, "endpage\t4"));
    ck_assert_int_eq(r.rc, FT_PAGE);
    free_result(&r);
}
END_TEST

/* Every 2 pages a fresh worker: pages 1-5 come out once each, in order,
 * from three processes, with one header and one `end`. */
START_TEST(test_run_recycles_workers)
{
    static const page_kind pages[] = { PAGE_OK, PAGE_OK, PAGE_OK, PAGE_OK,
                                       PAGE_OK };
    fake_doc d = { pages, 5, 0, FT_OK, 0, 1 };
    run_result r = run_fake_recycle(&d, 10, 0, 0, 2);
    ck_assert_int_eq(r.rc, FT_OK);
    ck_assert_uint_eq(count(r.out, "formtab-layout\t1\n"), 1);
    ck_assert_uint_eq(count(r.out, "\nend\t"), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "endpage\t5\tok\nend\t5\t0\n"));
    char pids[5][32];
    unsigned npids = 0;
    for (unsigned n = 1; n <= 5; n++) {
        char want[64];
        snprintf(want, sizeof want, "\tpage %u by ", n);
        const char *p = strstr(r.out, want);
        ck_assert_msg(p != NULL, "page %u missing", n);
        ck_assert_uint_eq(count(r.out, want), 1);
        p += strlen(want);
        char pid[32];
        size_t k = strcspn(p, "\n");
        ck_assert_uint_lt(k, sizeof pid);
        memcpy(pid, p, k);
        pid[k] = '\0';
        unsigned j;
        for (j = 0; j < npids && strcmp(pids[j], pid); j++)
            ;
        if (j == npids)
            strcpy(pids[npids++], pid);
    }
    ck_assert_uint_eq(npids, 3);
    free_result(&r);
}
END_TEST

static Suite *sandbox_suite(void)
{
    Suite *s = suite_create("sandbox");
    /* Generous timeouts: under ASan on a loaded 2-core machine one second
     * of CPU (test_cpu_limit) can take many seconds of wall time. */
    TCase *tc = tcase_create("seccomp");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_calls_allowed_without_filter, 0, NCALLS);
    tcase_add_loop_test(tc, test_calls_refused_with_filter, 0, NCALLS);
    tcase_add_test(tc, test_filter_keeps_reading_and_stdout);
    tcase_add_test(tc, test_no_seccomp_option);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_memory_limit);
    tcase_add_test_raise_signal(tc, test_cpu_limit, SIGXCPU);
    tcase_add_test(tc, test_limits_never_raise);
    suite_add_tcase(s, tc);

    tc = tcase_create("supervisor");
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, test_run_clean_document);
    tcase_add_test(tc, test_run_hung_page);
    tcase_add_test(tc, test_run_crashing_page);
    tcase_add_test(tc, test_run_memory_hog);
    tcase_add_test(tc, test_run_cpu_budget);
    tcase_add_test(tc, test_run_dies_before_header);
    tcase_add_test(tc, test_run_gives_up_after_consecutive_deaths);
    tcase_add_test(tc, test_run_worker_result);
    tcase_add_test(tc, test_run_refused_document);
    tcase_add_test(tc, test_run_max_pages_across_restart);
    tcase_add_test(tc, test_run_recycles_workers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (!mkdtemp(scratch)) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    SRunner *sr = srunner_create(sandbox_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", scratch);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
