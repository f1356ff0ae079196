/* Containment of untrusted PDFs (docs/security.md). Three layers:
 *
 *   ext_sandbox_limits()  caps the address space (RLIMIT_AS) and CPU time
 *                         (RLIMIT_CPU) of the calling process, and turns off
 *                         core dumps.
 *   ext_sandbox_lock()    installs a seccomp filter: no sockets, no exec, no
 *                         file opened for writing, created, renamed or
 *                         removed; those calls fail with EPERM.
 *   ext_sandbox_run()     runs the PDF work in a child process (the worker)
 *                         and supervises it page by page: a page that takes
 *                         longer than --page-timeout, runs out of memory or
 *                         crashes Poppler becomes `endpage N failed: reason`
 *                         and a new worker goes on with page N+1. The
 *                         document is never lost to one bad page.
 *
 * The worker writes its layout stream into a pipe; the supervisor (this
 * process, which never touches Poppler) forwards complete lines to stdout,
 * drops the repeated header of a restarted worker and writes the one `end`
 * record. Two extension records carry the protocol and never reach stdout:
 *     x-sandbox-page <TAB> N             the worker starts page N
 *     x-sandbox-recycle <TAB> N          the worker stops before page N
 *                                        (it has read its share of pages)
 *     x-sandbox-result <TAB> RC <TAB> MSG  the worker's result, last line
 * The worker's stderr goes through the supervisor as well: lines in formtab's
 * format pass, anything a library prints on its own becomes a -v debug line.
 *
 * Ownership: ext_sandbox is caller-owned storage (ext_sandbox_init; nothing
 * to clean up). All pointers passed in are borrowed.
 *
 * Global state: none, except what the kernel keeps per process (rlimits,
 * the seccomp filter), which is the point. */
#ifndef EXT_SANDBOX_H
#define EXT_SANDBOX_H

#include <stddef.h>
#include <stdio.h>
#include "ft_diag.h"
#include "ft_error.h"

/* Default --max-memory: address space of one worker. Poppler plus
 * Tesseract with chi_sim+eng and a 300 dpi A4 page peak near 400 MiB of
 * address space (measured: docs/security.md); a page needing 2 GiB is an
 * attack or a pathological file, not a form. */
#define EXT_SB_DEFAULT_MAX_MEMORY_MB 2048u

/* Default --max-cpu: CPU seconds for one document, all workers together.
 * A 1,000-page text-layer document takes well under a minute; a 300-page
 * scan OCRed at 300 dpi about an hour on one core. Two hours bounds a
 * nightly run without cutting a real archive document short. */
#define EXT_SB_DEFAULT_MAX_CPU 7200u

/* Default --page-timeout: wall-clock seconds for one page. A text page takes
 * milliseconds; an OCR page of fixtures/pdf/scan200-lo-seed000 took 8-43 s
 * on the 2-core build machine under a load average of 15. Five minutes cuts
 * only a pathological page even on a busy night. */
#define EXT_SB_DEFAULT_PAGE_TIMEOUT 300u

/* Pages one worker reads before a fresh one takes over. Poppler keeps about
 * 1-4 KiB for every page it has loaded until the document is closed
 * (pdftotext too: 10 MiB -> 19 MiB over fixtures' 10,000-page case), so a
 * worker per 1,000 pages keeps memory flat whatever the document's length,
 * for the price of opening the document again (milliseconds). */
#define EXT_SB_RECYCLE_PAGES 1000u

/* Workers that may die one after the other without finishing a page before
 * the rest of the document is given up (a file whose every page kills
 * Poppler would otherwise cost a page timeout per page). */
#define EXT_SB_MAX_CONSECUTIVE_DEATHS 5u

typedef struct {
    unsigned max_memory_mb; /* RLIMIT_AS of the worker; 0: no cap */
    unsigned max_cpu;       /* CPU seconds for the document; 0: no cap */
    unsigned page_timeout;  /* wall seconds per page; 0: none */
    int no_seccomp;         /* 1: ext_sandbox_lock() does nothing */
    int no_fork;            /* 1: run the work in this process, unsupervised
                               (debugging with gdb; limits still apply) */
    unsigned recycle_pages; /* pages per worker; 0: one worker for all */
} ext_sandbox_opts;

typedef struct {
    ext_sandbox_opts opt;
    int in_worker;          /* 1 inside a supervised worker */
    FILE *pipe;             /* worker: where x-sandbox-page goes */
    unsigned first_page;    /* worker: skip pages before this one (1-based) */
    unsigned pages_done;    /* worker: pages written by earlier workers */
    unsigned worker_pages;  /* worker: pages begun by this worker */
} ext_sandbox;

/* Set the defaults above (seccomp on, supervised). */
void ext_sandbox_opts_init(ext_sandbox_opts *o);

/* Apply o->max_memory_mb (RLIMIT_AS) and cpu_seconds (RLIMIT_CPU: SIGXCPU at
 * the limit, SIGKILL a second later) to the calling process and disable core
 * files. 0 leaves a limit as it is. RLIMIT_AS is skipped in AddressSanitizer
 * builds (ASan reserves terabytes of address space). FT_LIMIT with msg if the
 * kernel refuses (a hard limit lower than asked is not an error: the lower
 * one stays). */
FT_WUR ft_err ext_sandbox_limits(unsigned max_memory_mb, unsigned cpu_seconds,
                                 char *msg, size_t msg_len);

/* Install the seccomp filter in the calling process (and its future
 * threads); irreversible. Call once the input is open and before parsing
 * content. Refused with EPERM from then on: socket, socketpair, connect,
 * bind, listen, accept, accept4; execve, execveat; open/openat with
 * O_WRONLY, O_RDWR, O_CREAT or O_TRUNC, creat, openat2; unlink, rename,
 * mkdir, rmdir, link, symlink, mknod, chmod, chown, truncate (all variants);
 * ptrace (not in ASan builds: LeakSanitizer needs it), process_vm_writev;
 * io_uring_* (it bypasses seccomp). Files stay
 * readable (Poppler and fontconfig open fonts lazily), already open
 * descriptors (stdout, the pipe) stay writable. sb may be NULL (lock
 * anyway); if sb->opt.no_seccomp, nothing is done. FT_INTERNAL with msg if
 * the kernel has no seccomp. */
FT_WUR ft_err ext_sandbox_lock(const ext_sandbox *sb, char *msg,
                               size_t msg_len);

/* The work a worker does: write a layout stream to out. Returns the result
 * and a message as ext_pdf_extract() does. It calls ext_sandbox_page_begin()
 * before each page and stops (finishing its stream as usual) when that
 * returns 1, skips pages before ext_sandbox_first_page() and counts
 * ext_sandbox_pages_done() towards --max-pages. */
typedef ft_err (*ext_sandbox_work_fn)(void *ctx, ext_sandbox *sb, FILE *out,
                                      char *msg, size_t msg_len);

void ext_sandbox_init(ext_sandbox *sb, const ext_sandbox_opts *o);

/* Run work(ctx, ...) under supervision as described at the top, writing the
 * merged layout stream to out and messages through diag (name is the input
 * as given, for messages). Returns the worker's result, adjusted: FT_PAGE if
 * any page failed for another reason than a limit, else FT_LIMIT if a page
 * hit a limit, else what the worker returned; msg as the worker's, or ours.
 * If the first worker dies before writing the stream header, nothing is
 * written and FT_PDF (crash) or FT_LIMIT (a limit) is returned. With
 * opt.no_fork (or if fork fails) work runs here directly with out. */
FT_WUR ft_err ext_sandbox_run(ext_sandbox *sb, ext_sandbox_work_fn work,
                              void *ctx, FILE *out, const char *name,
                              ft_diag *diag, char *msg, size_t msg_len);

/* In a worker: tell the supervisor page number (1-based) starts now; its
 * timeout runs from here. Returns 1 when this worker has read its share
 * (recycle_pages) and must stop before this page: a fresh worker goes on
 * from it. Returns 0 (and does nothing) when sb is NULL or not in a worker. */
FT_WUR int ext_sandbox_page_begin(ext_sandbox *sb, unsigned page);

/* First page this worker should read (1 unless restarted; 1 for NULL). */
unsigned ext_sandbox_first_page(const ext_sandbox *sb);

/* Pages already written by earlier workers of this document (0 for NULL). */
unsigned ext_sandbox_pages_done(const ext_sandbox *sb);

#endif
