/* The batch run: planning against the manifest, the worker pool with its
 * timeouts and signals, and the bookkeeping that keeps the output tree, the
 * manifest and the report in step (see the order in batch_run.h). */
#include "batch_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "batch_int.h"
#include "batch_html.h"
#include "batch_job.h"
#include "batch_log.h"
#include "batch_manifest.h"
#include "batch_report.h"
#include "batch_walk.h"
#include "ext_inspect_html.h"

/* Exit status reported for an input killed at its time limit, as
 * coreutils timeout(1) reports it. */
#define EXIT_TIMED_OUT 124

/* Most extra arguments formtab-batch passes one stage (options + "--" +
 * input + NULL), with room to spare. */
#define STAGE_MAX_ARGS 12

/* How many inputs are hashed between two looks at the signal pipe, so ^C
 * during the hashing of a large tree is felt at once. */
#define HASH_SIGNAL_CHECK_EVERY 16

typedef enum {
    ACT_NEW,     /* no row: never seen */
    ACT_CHANGED, /* content differs from the row's */
    ACT_OPTIONS, /* made with other options or another formtab version */
    ACT_MISSING, /* row ok but the output file is gone */
    ACT_RETRY,   /* failed before, --retry-failed */
    ACT_FORCE,   /* --force */
    ACT_PENDING, /* a killed run left it unfinished */
    ACT_LOAD     /* converted before, not yet loaded */
} action;

static const char *const action_names[] = {
    "new", "changed", "options", "missing-output", "retry", "force",
    "unfinished", "load"};

typedef struct {
    batch_input *in;
    action act;
    int had_row;
    batch_row old;          /* the row before this run */
    char *out_rel;          /* output, relative to OUT_DIR (heap) */
    int need_convert, need_load;
    int converted, load_done;
    int finished;           /* counted and reported */
    batch_status status;
    int interrupted;
    int exit_code;
    double seconds;
    batch_job_result *res;  /* heap, from the end of the conversion to the
                               report entry (NULL: none, or no memory) */
    const char *load;       /* NULL, "ok", "failed", "interrupted" */
    char *load_error;       /* heap, NULL when none */
    char *layout_tee, *tables_tee; /* heap: copies of the streams in tmp/,
                               read by the review job (--review) */
    int need_review, review_done;
    char *review_rel;       /* heap: its review page, relative to OUT_DIR */
    char *review_error;     /* heap: why it has none (--review) */
} task;

typedef enum { JOB_CONVERT, JOB_LOAD, JOB_REVIEW } job_kind;

typedef struct {
    task *t;                /* NULL: the slot is free */
    job_kind kind;
    pid_t pid;
    int fd;                 /* result pipe */
    int tmp_fd;
    char *tmp_path;
    double start, deadline; /* deadline 0: none */
    int killed;             /* 1 time limit, 2 interrupted */
    batch_job_result res;
    size_t got;
} slot;

typedef struct {
    const batch_opts *o;
    batch__state st;
    batch_log log;
    batch_report report;
    int report_open;
    batch_html html[2];     /* the run's page, and report.html */
    int html_open;
    mode_t file_mode;       /* 0666 less the umask: pages others may read */
    char *in_root;
    char *extract, *normalize, *emit, *loader;
    char *inspect;          /* --review: formtab-inspect; NULL: none found */
    char *review_root;      /* OUT_DIR/.formtab/review */
    char *map_abs, *rules_abs;
    char config[1024];
    unsigned jobs;
    batch_inputs inputs;
    task *tasks;
    size_t ntasks, next_convert;
    task **loadq;
    size_t loadq_head, loadq_tail;
    task **reviewq;
    size_t reviewq_head, reviewq_tail;
    slot *slots;
    size_t running;
    int loading;            /* a load job is running */
    size_t tasks_done;
    batch_counts c;
    int sig_rd, sig_wr;
    int stop_signal;
    int io_error;           /* the output tree or the manifest failed */
    char report_path[PATH_MAX];
    char html_path[PATH_MAX];   /* runs/TIME-PID.html */
    char latest_path[PATH_MAX]; /* report.html */
    double t0, convert_t0;
} run;

/* ---- finding programs ------------------------------------------------------ */

/* The directory of the running executable (heap), or NULL. */
static char *exe_dir(void)
{
    char *self = realpath("/proc/self/exe", NULL);
    if (!self)
        return NULL;
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    return self;
}

/* name beside this executable, else in PATH; NULL if nowhere. */
static char *find_program(const char *name)
{
    char *dir = exe_dir();
    if (dir) {
        char *p = batch__join(dir, name);
        free(dir);
        if (p && access(p, X_OK) == 0)
            return p;
        free(p);
    }
    const char *path = getenv("PATH");
    if (!path)
        return NULL;
    char *copy = strdup(path), *save = NULL;
    char *found = NULL;
    for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char *p = batch__join(*d ? d : ".", name);
        if (p && access(p, X_OK) == 0)
            found = p;
        else
            free(p);
    }
    free(copy);
    return found;
}

/* ---- small helpers ------------------------------------------------------------ */

static char *output_rel(const run *r, const char *path)
{
    const char *ext = batch_format_ext(r->o->format);
    size_t n = strlen(path) + strlen(ext) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s.%s", path, ext);
    return s;
}

static const char *kind_name(batch_kind k)
{
    return k == BATCH_KIND_PDF ? "pdf" : k == BATCH_KIND_TEXT ? "text" : "none";
}

static void check_signal(run *r)
{
    int s = batch__signal_pending(r->sig_rd);
    if (s && !r->stop_signal)
        r->stop_signal = s;
}

static int same(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* A manifest write failed: no more work, exit 3 at the end. */
static void manifest_failed(run *r)
{
    if (!r->io_error)
        batch_log_error(&r->log, "%s",
                        batch_manifest_errmsg(r->st.m));
    r->io_error = 1;
}

/* An entry of the JSON report and of both HTML pages. */
static void report_entry(run *r, const batch_report_file *e)
{
    if (r->report_open)
        batch_report_file_entry(&r->report, e);
    for (int i = 0; r->html_open && i < 2; i++)
        batch_html_file(&r->html[i], e);
}

static void report_removed(run *r, const char *path, const char *output,
                           int pruned)
{
    if (r->report_open)
        batch_report_removed(&r->report, path, output, pruned);
    for (int i = 0; r->html_open && i < 2; i++)
        batch_html_removed(&r->html[i], path, output, pruned);
}

/* "--name=value" (heap), or NULL when out of memory. */
static char *opt_arg(const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 4;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "--%s=%s", name, value);
    return s;
}

/* Remove the task's stream copies (--review). */
static void drop_tees(task *t)
{
    char **tees[] = {&t->layout_tee, &t->tables_tee};
    for (size_t i = 0; i < 2; i++) {
        if (*tees[i])
            unlink(*tees[i]);
        free(*tees[i]);
        *tees[i] = NULL;
    }
}

/* ---- planning ------------------------------------------------------------------ */

typedef struct {
    run *r;
    char **paths;       /* rows whose input is gone */
    size_t count, cap;
} removed_list;

static ft_err collect_removed(void *ctx, const batch_row *row)
{
    removed_list *l = ctx;
    run *r = l->r;
    batch_input *in = batch_inputs_find(&r->inputs, row->path);
    int present = in && (in->kind != BATCH_KIND_NONE || in->unreadable);
    if (present && in->sha256[0] && r->o->shard_n > 1 &&
        batch_shard_of(in->sha256, r->o->shard_n) != r->o->shard_k)
        present = 0; /* its content moved to another shard */
    if (present)
        return FT_OK;
    if (row->status == BATCH_REMOVED && !r->o->prune)
        return FT_OK; /* reported when it went; nothing to do */
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **n = realloc(l->paths, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        l->paths = n;
        l->cap = ncap;
    }
    l->paths[l->count] = strdup(row->path);
    if (!l->paths[l->count])
        return FT_NOMEM;
    l->count++;
    return FT_OK;
}

/* Report (and with --prune delete) every input the manifest knows that the
 * tree no longer holds. */
static ft_err handle_removed(run *r)
{
    removed_list l = {r, NULL, 0, 0};
    batch_row row;
    ft_err rc;
    batch_row_init(&row);
    rc = batch_manifest_each(r->st.m, collect_removed, &l);
    if (rc)
        goto out;
    for (size_t i = 0; i < l.count && !rc; i++) {
        int found;
        if ((rc = batch_manifest_get(r->st.m, l.paths[i], &row, &found)) ||
            !found)
            continue;
        int fresh = row.status != BATCH_REMOVED;
        if (r->o->dry_run) {
            printf("removed\t%s\n", row.path);
            r->c.removed += fresh;
            continue;
        }
        if (r->o->prune) {
            if ((row.output && batch__remove_output(r->st.out_root,
                                                    row.output) != 0) ||
                (row.old_output &&
                 batch__remove_output(r->st.out_root, row.old_output) != 0)) {
                batch_log_error(&r->log, "%s: cannot delete its output: %s",
                                row.path, strerror(errno));
                r->io_error = 1;
                continue;
            }
            if (batch__remove_review(r->review_root, row.path) != 0)
                batch_log_info(&r->log, "warning: %s: cannot delete its "
                               "review page: %s", row.path, strerror(errno));
            rc = batch_manifest_delete(r->st.m, row.path);
            r->c.pruned++;
        } else {
            row.status = BATCH_REMOVED;
            rc = batch_manifest_put(r->st.m, &row, 0);
        }
        if (fresh) {
            r->c.removed++;
            batch_log_info(&r->log, "%s: removed from the input tree (output %s)",
                           row.path, r->o->prune ? "deleted" : "kept");
        }
        report_removed(r, row.path, row.output, r->o->prune);
    }
out:
    for (size_t i = 0; i < l.count; i++)
        free(l.paths[i]);
    free(l.paths);
    batch_row_cleanup(&row);
    return rc;
}

/* Decide what to do with one input; appends a task when there is work. */
static ft_err plan_input(run *r, batch_input *in)
{
    const batch_opts *o = r->o;
    batch_row row;
    int found = 0;
    ft_err rc;
    action act = ACT_NEW;
    int need_convert = 1, need_load = 0;

    batch_row_init(&row);
    rc = batch_manifest_get(r->st.m, in->path, &row, &found);
    if (rc)
        goto out;
    int done = found && (row.status == BATCH_OK || row.status == BATCH_PARTIAL);
    int failed = found && (row.status == BATCH_FAILED ||
                           row.status == BATCH_TIMEOUT);
    int same_content = found && !strcmp(row.sha256, in->sha256);
    int same_config = found && same(row.config, r->config);
    if (!found)
        act = ACT_NEW;
    else if (row.status == BATCH_PENDING)
        act = ACT_PENDING;
    else if (!same_content)
        act = ACT_CHANGED;
    else if (!same_config)
        act = ACT_OPTIONS;
    else if (o->force)
        act = ACT_FORCE;
    else if (done && !(row.output && batch__exists(r->st.out_root, row.output)))
        act = ACT_MISSING;
    else if (done) {
        need_convert = 0;
        if (o->load && !row.loaded) {
            act = ACT_LOAD;
        } else {
            r->c.unchanged++;
            goto out;
        }
    } else if (failed && o->retry_failed) {
        act = ACT_RETRY;
    } else if (failed) {
        r->c.known_failed++;
        goto out;
    } else {
        act = ACT_CHANGED; /* "removed" with the input back: redo */
    }
    need_load = o->load != NULL;

    if (o->dry_run) {
        printf("%s\t%s\n", action_names[act], in->path);
        r->ntasks++;
        goto out;
    }
    task *t = &r->tasks[r->ntasks];
    memset(t, 0, sizeof *t);
    t->in = in;
    t->act = act;
    t->had_row = found;
    t->need_convert = need_convert;
    t->need_load = need_load;
    t->exit_code = -1;
    t->out_rel = output_rel(r, in->path);
    if (!t->out_rel) {
        rc = FT_NOMEM;
        goto out;
    }
    batch_row_init(&t->old);
    if (found)
        t->old = row, batch_row_init(&row);
    if (!need_convert) {
        /* Converted by an earlier run; only the load is left. */
        t->status = t->old.status;
        t->converted = 1;
        r->loadq[r->loadq_tail++] = t;
    }
    r->ntasks++;
out:
    batch_row_cleanup(&row);
    return rc;
}

/* ---- the report entry and counts of a finished task ---------------------------- */

static void task_finished(run *r, task *t)
{
    static const batch_job_result none;
    batch_report_file e;
    const batch_job_result *res = t->res ? t->res : &none;
    memset(&e, 0, sizeof e);
    e.path = t->in->path;
    e.sha256 = t->in->sha256;
    e.kind = kind_name(t->in->kind);
    e.action = action_names[t->act];
    e.status = t->interrupted ? "interrupted" : batch_status_name(t->status);
    int has_output = t->status == BATCH_OK || t->status == BATCH_PARTIAL;
    e.output = has_output && !t->interrupted ? t->out_rel : NULL;
    e.error = res->error[0] ? res->error : NULL;
    e.load = t->load;
    e.load_error = t->load_error;
    e.review = t->review_rel;
    e.review_error = t->review_error;
    e.exit_code = t->exit_code;
    e.seconds = t->seconds;
    if (t->need_convert) {
        e.pages = res->pages;
        e.failed_pages = res->failed_pages;
        e.tables = res->tables;
        e.records = res->records;
        e.warnings = res->warnings;
        e.cpu_seconds = res->cpu_seconds;
        e.max_rss_kb = res->max_rss_kb;
    } else {
        e.pages = t->old.pages;
        e.failed_pages = t->old.failed_pages;
        e.tables = t->old.tables;
        e.records = t->old.records;
        e.warnings = t->old.warnings;
        e.exit_code = t->old.exit_code;
    }
    if (t->need_convert && !t->interrupted) {
        r->c.processed++;
        r->c.pages += res->pages;
        r->c.tables += res->tables;
        r->c.records += res->records;
        r->c.warnings += res->warnings;
        if (res->max_rss_kb > r->c.max_rss_kb)
            r->c.max_rss_kb = res->max_rss_kb;
        switch (t->status) {
        case BATCH_OK: r->c.ok++; break;
        case BATCH_PARTIAL: r->c.partial++; break;
        case BATCH_TIMEOUT: r->c.timeout++; break;
        default: r->c.failed++; break;
        }
    }
    if (t->interrupted)
        r->c.interrupted++;
    if (same(t->load, "ok"))
        r->c.loaded++;
    else if (same(t->load, "failed"))
        r->c.load_failed++;
    report_entry(r, &e);
    t->finished = 1;
    r->tasks_done++;
    free(t->res);
    free(t->load_error);
    free(t->review_rel);
    free(t->review_error);
    t->res = NULL;
    t->load_error = NULL;
    t->review_rel = NULL;
    t->review_error = NULL;
}

/* Report the task once everything it waits for is done. */
static void maybe_finished(run *r, task *t)
{
    if (!t->finished && t->converted && (!t->need_load || t->load_done) &&
        (!t->need_review || t->review_done))
        task_finished(r, t);
}

/* ---- launching --------------------------------------------------------------- */

static void free_slot(slot *s)
{
    if (s->fd >= 0)
        close(s->fd);
    if (s->tmp_fd >= 0)
        close(s->tmp_fd);
    if (s->tmp_path) {
        unlink(s->tmp_path); /* a no-op once it was renamed into place */
        free(s->tmp_path);
    }
    memset(s, 0, sizeof *s);
    s->fd = s->tmp_fd = -1;
}

static ft_err mark_pending(run *r, task *t)
{
    batch_row p;
    batch_row_init(&p);
    p.path = t->in->path;
    memcpy(p.sha256, t->in->sha256, sizeof p.sha256);
    p.size = t->in->size;
    p.status = BATCH_PENDING;
    p.config = r->config;
    p.output = t->out_rel;
    /* An older output under another name (another --format) must still be
     * deleted if the run dies now; a third one from an earlier interrupted
     * change of format is deleted at once. */
    const char *older = NULL;
    if (t->old.output && strcmp(t->old.output, t->out_rel))
        older = t->old.output;
    if (t->old.old_output && strcmp(t->old.old_output, t->out_rel)) {
        if (!older)
            older = t->old.old_output;
        else if (strcmp(older, t->old.old_output))
            (void)batch__remove_output(r->st.out_root, t->old.old_output);
    }
    p.old_output = (char *)older;
    return batch_manifest_put(r->st.m, &p, 0);
}

/* A temporary file in tmp/ for the copy of one stream (--review): its
 * descriptor (close-on-exec), its path into *path (heap); -1 on failure. */
static int make_tee(run *r, const char *stem, char **path)
{
    int fd = -1;
    *path = batch__join(r->st.tmp_dir, stem);
    if (*path && (fd = mkstemp(*path)) >= 0) {
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        return fd;
    }
    free(*path);
    *path = NULL;
    return -1;
}

/* Start the job of kind for t in slot s. 0, or -1 when it could not be
 * started (said on stderr; for a review also in t->review_error). */
static int launch(run *r, slot *s, task *t, job_kind kind)
{
    char *ext_argv[STAGE_MAX_ARGS], *norm_argv[STAGE_MAX_ARGS],
        *emit_argv[STAGE_MAX_ARGS], *load_argv[5], *rev_argv[STAGE_MAX_ARGS];
    char a_ocr[64], a_lang[128], a_fmt[32], a_rec[32], a_kind[64];
    char *a_rules = NULL, *a_map = NULL, *out_abs = NULL;
    char *a_layout = NULL, *a_tables = NULL, *a_html = NULL, *rev_dir = NULL;
    char msg[512];
    batch_job_spec spec;
    int close_fds[2] = {r->st.lock.fd, r->sig_wr};
    int tee[2] = {-1, -1};
    int n, rc = -1;

    memset(&spec, 0, sizeof spec);
    memset(s, 0, sizeof *s);
    s->fd = s->tmp_fd = -1;
    spec.cwd = r->in_root;
    spec.verbose = r->o->verbose;
    spec.close_fds = close_fds;
    spec.nclose_fds = 2;
    for (int i = 0; i < BATCH_JOB_MAX_STAGES - 1; i++)
        spec.tee_fd[i] = -1;

    if (kind == JOB_REVIEW) {
        /* formtab-inspect on the streams this run made (so the page shows
         * what the run saw, --rules and OCR included, without extracting
         * again), the input for the page images. */
        rev_dir = batch__join(r->review_root, t->in->path);
        if (!rev_dir) {
            t->review_error = strdup("out of memory");
            goto out;
        }
        if (batch__mkdir_p(rev_dir, msg, sizeof msg)) {
            batch_log_info(&r->log, "warning: %s", msg);
            t->review_error = strdup(msg);
            goto out;
        }
        a_layout = opt_arg("layout", t->layout_tee);
        a_tables = opt_arg("tables", t->tables_tee);
        a_html = opt_arg("html", rev_dir);
        if (!a_layout || !a_tables || !a_html) {
            t->review_error = strdup("out of memory");
            goto out;
        }
        n = 0;
        rev_argv[n++] = r->inspect;
        rev_argv[n++] = "-q";
        rev_argv[n++] = a_layout;
        rev_argv[n++] = a_tables;
        rev_argv[n++] = a_html;
        rev_argv[n++] = "--";
        rev_argv[n++] = t->in->path;
        rev_argv[n] = NULL;
        spec.argv[0] = rev_argv;
        spec.nstages = 1;
        spec.out_fd = -1;
    } else if (kind == JOB_LOAD) {
        out_abs = batch__join(r->st.out_root, t->out_rel);
        if (!out_abs)
            goto out;
        load_argv[0] = r->loader;
        load_argv[1] = "-q";
        load_argv[2] = out_abs;
        load_argv[3] = NULL;
        spec.argv[0] = load_argv;
        spec.nstages = 1;
        spec.out_fd = -1;
        spec.cwd = NULL;
    } else {
        if (mark_pending(r, t)) {
            manifest_failed(r);
            goto out;
        }
        /* A review page of older content is wrong for what comes now. */
        if (batch__remove_review(r->review_root, t->in->path) != 0)
            batch_log_info(&r->log, "warning: %s: cannot delete its old "
                           "review page: %s", t->in->path, strerror(errno));
        if (r->inspect) {
            tee[0] = make_tee(r, "layout.XXXXXX", &t->layout_tee);
            tee[1] = tee[0] < 0 ? -1
                                : make_tee(r, "tables.XXXXXX", &t->tables_tee);
            if (tee[1] < 0) {
                batch_log_info(&r->log, "warning: %s: no review page: cannot "
                               "create a temporary file in %s: %s",
                               t->in->path, r->st.tmp_dir, strerror(errno));
                if (tee[0] >= 0)
                    close(tee[0]);
                tee[0] = -1;
                drop_tees(t);
                t->review_error = strdup("cannot create a temporary file");
            }
            spec.tee_fd[0] = tee[0];
            spec.tee_fd[1] = tee[1];
        }
        s->tmp_path = batch__join(r->st.tmp_dir, "job.XXXXXX");
        if (!s->tmp_path || (s->tmp_fd = mkstemp(s->tmp_path)) < 0) {
            batch_log_error(&r->log, "%s: cannot create a temporary file: %s",
                            r->st.tmp_dir, strerror(errno));
            free(s->tmp_path);
            s->tmp_path = NULL;
            r->io_error = 1;
            goto out;
        }
        fcntl(s->tmp_fd, F_SETFD, FD_CLOEXEC);
        n = 0;
        ext_argv[n++] = r->extract;
        if (r->o->ocr) {
            snprintf(a_ocr, sizeof a_ocr, "--ocr=%s", r->o->ocr);
            ext_argv[n++] = a_ocr;
        }
        if (r->o->ocr_lang) {
            snprintf(a_lang, sizeof a_lang, "--ocr-lang=%s", r->o->ocr_lang);
            ext_argv[n++] = a_lang;
        }
        ext_argv[n++] = "--";
        ext_argv[n++] = t->in->path;
        ext_argv[n] = NULL;
        n = 0;
        norm_argv[n++] = r->normalize;
        norm_argv[n++] = "--empty-ok";
        if (r->rules_abs) {
            a_rules = malloc(strlen(r->rules_abs) + 9);
            if (!a_rules)
                goto out;
            sprintf(a_rules, "--rules=%s", r->rules_abs);
            norm_argv[n++] = a_rules;
        }
        norm_argv[n] = NULL;
        n = 0;
        emit_argv[n++] = r->emit;
        emit_argv[n++] = "--empty-ok";
        snprintf(a_fmt, sizeof a_fmt, "--format=%s",
                 batch_format_name(r->o->format));
        emit_argv[n++] = a_fmt;
        snprintf(a_rec, sizeof a_rec, "--records=%s",
                 batch_records_name(r->o->records));
        emit_argv[n++] = a_rec;
        if (r->o->kind) {
            snprintf(a_kind, sizeof a_kind, "--kind=%s", r->o->kind);
            emit_argv[n++] = a_kind;
        }
        if (r->map_abs) {
            a_map = malloc(strlen(r->map_abs) + 7);
            if (!a_map)
                goto out;
            sprintf(a_map, "--map=%s", r->map_abs);
            emit_argv[n++] = a_map;
        }
        emit_argv[n] = NULL;
        spec.argv[0] = ext_argv;
        spec.argv[1] = norm_argv;
        spec.argv[2] = emit_argv;
        spec.nstages = 3;
        spec.out_fd = s->tmp_fd;
        spec.count_records = 1;
        spec.fmt = r->o->format;
        /* formtab-emit writes a CSV header line in cells and form modes
         * (emit --help); rows mode has none unless --header is given. */
        spec.csv_header = r->o->records != BATCH_REC_ROWS;
        spec.sync_output = 1;
    }
    if (batch_job_start(&spec, &s->pid, &s->fd)) {
        batch_log_error(&r->log, "cannot start a job: %s", strerror(errno));
        r->io_error = 1;
        goto out;
    }
    s->t = t;
    s->kind = kind;
    r->loading += kind == JOB_LOAD;
    s->start = batch_now();
    s->deadline = r->o->timeout > 0 ? s->start + r->o->timeout : 0;
    r->running++;
    rc = 0;
out:
    /* The supervisor has its own copies of the tee descriptors. */
    for (int i = 0; i < 2; i++)
        if (tee[i] >= 0)
            close(tee[i]);
    if (rc && kind == JOB_CONVERT)
        drop_tees(t);
    free(a_rules);
    free(a_map);
    free(out_abs);
    free(a_layout);
    free(a_tables);
    free(a_html);
    free(rev_dir);
    if (rc)
        free_slot(s);
    return rc;
}

/* ---- finishing ------------------------------------------------------------------ */

static void describe_exit(char *out, size_t cap, const char *prog, int code)
{
    if (code > 128 && code < 128 + 65)
        snprintf(out, cap, "formtab-batch: %s killed by signal %d", prog,
                 code - 128);
    else
        snprintf(out, cap, "formtab-batch: %s exited with status %d", prog,
                 code);
}

static void finish_convert(run *r, slot *s)
{
    static const char *const stage[] = {"formtab-extract", "formtab-normalize",
                                        "formtab-emit"};
    task *t = s->t;
    batch_job_result *res = &s->res;
    int load_next = t->need_load;
    t->seconds = batch_now() - s->start;
    t->converted = 1;
    t->need_load = 0; /* set again below once the output is in place */

    if (s->killed == 2 && !res->complete) {
        /* Interrupted: the row stays "pending" for the next run. */
        t->status = BATCH_FAILED;
        t->interrupted = 1;
        return;
    }
    if (!res->complete) {
        /* Killed at the time limit (the supervisor dies with its group),
         * or the supervisor itself died. */
        memset(res, 0, sizeof *res);
        if (s->killed == 1) {
            t->status = BATCH_TIMEOUT;
            t->exit_code = EXIT_TIMED_OUT;
            snprintf(res->error, sizeof res->error,
                     "formtab-batch: timed out after %.1f s (--timeout)",
                     r->o->timeout);
        } else {
            t->status = BATCH_FAILED;
            t->exit_code = FT_EXIT_INTERNAL;
            snprintf(res->error, sizeof res->error,
                     "formtab-batch: the job runner died");
        }
        goto record_failure;
    }
    /* Complete: it finished before any kill could reach it. */
    t->status = batch_job_status(res, 3, &t->exit_code);
    if (t->status != BATCH_OK && !res->error[0])
        for (int i = 0; i < 3; i++)
            if (res->exit_code[i] == t->exit_code) {
                describe_exit(res->error, sizeof res->error, stage[i],
                              res->exit_code[i]);
                break;
            }

    if (t->status == BATCH_OK || t->status == BATCH_PARTIAL) {
        batch_row row;
        batch_row_init(&row);
        close(s->tmp_fd);
        s->tmp_fd = -1;
        if (batch__install(s->tmp_path, r->st.out_root, t->out_rel) != 0) {
            snprintf(res->error, sizeof res->error,
                     "formtab-batch: %s/%s: cannot install the output: %s",
                     r->st.out_root, t->out_rel, strerror(errno));
            batch_log_error(&r->log, "%s", res->error);
            t->status = BATCH_FAILED;
            r->io_error = 1;
            return; /* the row stays "pending" */
        }
        if (t->old.output && strcmp(t->old.output, t->out_rel))
            (void)batch__remove_output(r->st.out_root, t->old.output);
        if (t->old.old_output && strcmp(t->old.old_output, t->out_rel))
            (void)batch__remove_output(r->st.out_root, t->old.old_output);
        row.path = t->in->path;
        memcpy(row.sha256, t->in->sha256, sizeof row.sha256);
        row.size = t->in->size;
        row.status = t->status;
        row.config = r->config;
        row.output = t->out_rel;
        row.pages = res->pages;
        row.failed_pages = res->failed_pages;
        row.tables = res->tables;
        row.records = res->records;
        row.warnings = res->warnings;
        row.seconds = t->seconds;
        row.exit_code = t->exit_code;
        row.error = res->error[0] ? res->error : NULL;
        row.loaded = 0;
        if (batch_manifest_put(r->st.m, &row, 0))
            manifest_failed(r);
        if (t->status == BATCH_PARTIAL)
            batch_log_error(&r->log, "%s: partly read (%lu of %lu pages "
                            "failed): %s", t->in->path, res->failed_pages,
                            res->pages, res->error);
        else
            batch_log_debug(&r->log, "%s: ok: %lu pages, %lu tables, %lu "
                            "records, %.2f s", t->in->path, res->pages,
                            res->tables, res->records, t->seconds);
        if (load_next && !r->io_error) {
            t->need_load = 1;
            r->loadq[r->loadq_tail++] = t;
        }
        return;
    }

record_failure:
    batch_log_error(&r->log, "%s: %s (exit %d, %.1f s): %s", t->in->path,
                    t->status == BATCH_TIMEOUT ? "timed out" : "failed",
                    t->exit_code, t->seconds, res->error);
    {
        int keep_old = t->had_row &&
                       (t->old.status == BATCH_OK ||
                        t->old.status == BATCH_PARTIAL) &&
                       !strcmp(t->old.sha256, t->in->sha256) &&
                       same(t->old.config, r->config) && t->old.output &&
                       batch__exists(r->st.out_root, t->old.output);
        if (keep_old) {
            /* A forced rerun failed where the last run succeeded on the
             * same content and options: keep that output and its row. */
            if (batch_manifest_put(r->st.m, &t->old, 1))
                manifest_failed(r);
            return;
        }
        /* The output of older content is wrong for this content: delete
         * it, so the tree holds only outputs of current inputs. */
        (void)batch__remove_output(r->st.out_root, t->out_rel);
        if (t->old.output)
            (void)batch__remove_output(r->st.out_root, t->old.output);
        if (t->old.old_output)
            (void)batch__remove_output(r->st.out_root, t->old.old_output);
        batch_row row;
        batch_row_init(&row);
        row.path = t->in->path;
        memcpy(row.sha256, t->in->sha256, sizeof row.sha256);
        row.size = t->in->size;
        row.status = t->status;
        row.config = r->config;
        row.pages = res->pages;
        row.failed_pages = res->failed_pages;
        row.tables = res->tables;
        row.records = res->records;
        row.warnings = res->warnings;
        row.seconds = t->seconds;
        row.exit_code = t->exit_code;
        row.error = res->error;
        if (batch_manifest_put(r->st.m, &row, 0))
            manifest_failed(r);
    }
}

static void finish_load(run *r, slot *s)
{
    task *t = s->t;
    batch_job_result *res = &s->res;
    char why[BATCH_MAX_ERROR_LEN + 64];
    t->load_done = 1;
    if (s->killed == 2 && !res->complete) {
        t->load = "interrupted";
        return;
    }
    int code = -1;
    if (res->complete)
        (void)batch_job_status(res, 1, &code);
    if (code != 0) {
        t->load = "failed";
        if (!res->complete && s->killed == 1)
            snprintf(why, sizeof why,
                     "formtab-batch: loader timed out after %.1f s",
                     r->o->timeout);
        else if (res->error[0])
            snprintf(why, sizeof why, "%s", res->error);
        else
            describe_exit(why, sizeof why, "the loader",
                          code);
        batch_log_error(&r->log, "%s: load failed (retried next run): %s",
                        t->in->path, why);
        t->load_error = strdup(why);
        return;
    }
    if (batch_manifest_set_loaded(r->st.m, t->in->path, 1)) {
        manifest_failed(r);
        t->load = "failed";
        t->load_error = strdup(batch_manifest_errmsg(r->st.m));
        return;
    }
    t->load = "ok";
    batch_log_debug(&r->log, "%s: loaded", t->in->path);
}

/* After a conversion: queue its review (--review) when there is something
 * to show, else say why there is none. */
static void plan_review(run *r, slot *s)
{
    task *t = s->t;
    const char *why = NULL;
    struct stat st;
    if (!r->o->review || t->interrupted)
        goto none;
    if (!r->inspect)
        why = "formtab-inspect was not found";
    else if (!t->layout_tee)
        why = t->review_error ? NULL : "no copy of the streams was made";
    else if (t->status == BATCH_TIMEOUT)
        why = "the conversion timed out";
    else if (r->io_error)
        why = "the run stopped on an I/O error";
    else if (s->res.tee_failed)
        why = "the streams could not be copied for it (disk full?)";
    else if (stat(t->layout_tee, &st) != 0 || st.st_size == 0)
        why = "formtab-extract wrote nothing to show";
    if (!why && !t->review_error) {
        t->need_review = 1;
        r->reviewq[r->reviewq_tail++] = t;
        return;
    }
    if (why && !t->review_error)
        t->review_error = strdup(why);
none:
    drop_tees(t);
}

static void finish_review(run *r, slot *s)
{
    task *t = s->t;
    batch_job_result *res = &s->res;
    char why[BATCH_MAX_ERROR_LEN + 64];
    char *dir = batch__join(r->review_root, t->in->path);
    char *index = dir ? batch__join(dir, "index.html") : NULL;
    struct stat st;
    t->review_done = 1;
    drop_tees(t);
    /* The folder was emptied before the conversion, and formtab-inspect
     * writes index.html last and atomically: if it is there, it is whole
     * (formtab-inspect exits 1 when pages failed, and still writes it). */
    if (index && stat(index, &st) == 0 && S_ISREG(st.st_mode)) {
        size_t n = sizeof BATCH_STATE_DIR "/review/" "/index.html" +
                   strlen(t->in->path);
        t->review_rel = malloc(n);
        if (t->review_rel)
            snprintf(t->review_rel, n, "%s/review/%s/index.html",
                     BATCH_STATE_DIR, t->in->path);
        goto out;
    }
    if (s->killed == 1)
        snprintf(why, sizeof why, "formtab-inspect timed out after %.1f s",
                 r->o->timeout);
    else if (s->killed == 2)
        snprintf(why, sizeof why, "the run was interrupted");
    else if (res->complete && res->error[0])
        snprintf(why, sizeof why, "%s", res->error);
    else
        describe_exit(why, sizeof why, "formtab-inspect",
                      res->complete ? res->exit_code[0] : FT_EXIT_INTERNAL);
    batch_log_info(&r->log, "warning: %s: no review page: %s", t->in->path,
                   why);
    t->review_error = strdup(why);
    /* What a killed formtab-inspect left (temporary files) goes. */
    if (dir)
        (void)batch__remove_review(r->review_root, t->in->path);
out:
    free(index);
    free(dir);
}

/* A job's result pipe reached its end: reap it and account for it. */
static void reap(run *r, slot *s)
{
    int st;
    while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (s->got < sizeof s->res)
        s->res.complete = 0;
    task *t = s->t;
    r->loading -= s->kind == JOB_LOAD;
    if (s->kind == JOB_LOAD) {
        finish_load(r, s);
    } else if (s->kind == JOB_REVIEW) {
        finish_review(r, s);
    } else {
        finish_convert(r, s);
        plan_review(r, s);
        /* Kept until the report entry is written (after the load and
         * review, if any); without memory the entry shows zeros. */
        free(t->res);
        t->res = malloc(sizeof *t->res);
        if (t->res)
            *t->res = s->res;
    }
    r->running--;
    free_slot(s);
    maybe_finished(r, t);
}

/* ---- the pool ------------------------------------------------------------------- */

static void progress(run *r, int force)
{
    batch_progress_info p;
    double now = batch_now();
    p.phase = "converting";
    p.done = r->tasks_done;
    p.total = r->ntasks;
    p.failed = r->c.failed + r->c.timeout + r->c.partial + r->c.load_failed;
    p.running = r->running;
    p.pages = r->c.pages;
    p.elapsed = now - r->convert_t0;
    batch_log_progress(&r->log, &p, now, force);
}

static void stop_all(run *r)
{
    for (unsigned i = 0; i < r->jobs; i++) {
        slot *s = &r->slots[i];
        if (s->t && !s->killed) {
            kill(-s->pid, SIGKILL);
            s->killed = 2;
        }
    }
}

static void pool(run *r)
{
    struct pollfd *pf = calloc(r->jobs + 1, sizeof *pf);
    slot **who = calloc(r->jobs + 1, sizeof *who);
    if (!pf || !who) {
        r->io_error = 1;
        goto out;
    }
    for (;;) {
        /* Launch while there is room: loads first (they finish an input). */
        while (!r->stop_signal && !r->io_error && r->running < r->jobs) {
            task *t = NULL;
            job_kind kind = JOB_CONVERT;
            /* One load at a time: each is a short transaction, and the
             * loader's CREATE TABLE IF NOT EXISTS is not safe against a
             * concurrent one on a fresh database (PostgreSQL raises a
             * unique violation in pg_type). */
            if (r->loadq_head < r->loadq_tail && !r->loading) {
                t = r->loadq[r->loadq_head++];
                kind = JOB_LOAD;
            } else if (r->reviewq_head < r->reviewq_tail) {
                /* Before new conversions: it finishes an input. */
                t = r->reviewq[r->reviewq_head++];
                kind = JOB_REVIEW;
            } else if (r->next_convert >= r->ntasks) {
                break; /* only loads left, and one is running */
            } else {
                while (r->next_convert < r->ntasks) {
                    task *c = &r->tasks[r->next_convert++];
                    if (c->need_convert) {
                        t = c;
                        break;
                    }
                }
            }
            if (!t)
                break;
            slot *s = NULL;
            for (unsigned i = 0; i < r->jobs && !s; i++)
                if (!r->slots[i].t)
                    s = &r->slots[i];
            if (launch(r, s, t, kind) != 0) {
                if (kind == JOB_REVIEW && !r->io_error) {
                    /* No review page for this one; the run goes on. */
                    t->review_done = 1;
                    drop_tees(t);
                    maybe_finished(r, t);
                    continue;
                }
                break;
            }
        }
        if (r->running == 0)
            break;

        nfds_t n = 0;
        pf[n] = (struct pollfd){r->sig_rd, POLLIN, 0};
        who[n++] = NULL;
        double now = batch_now(), wait = -1;
        for (unsigned i = 0; i < r->jobs; i++) {
            slot *s = &r->slots[i];
            if (!s->t)
                continue;
            pf[n] = (struct pollfd){s->fd, POLLIN, 0};
            who[n++] = s;
            if (s->deadline > 0 && !s->killed) {
                double left = s->deadline - now;
                if (wait < 0 || left < wait)
                    wait = left < 0 ? 0 : left;
            }
        }
        if (r->log.redraw || r->log.periodic) {
            double tick = r->log.redraw ? BATCH_PROGRESS_REDRAW : 1.0;
            if (wait < 0 || tick < wait)
                wait = tick;
        }
        int ms = wait < 0 ? -1 : (int)(wait * 1000) + 1;
        int k = poll(pf, n, ms);
        if (k < 0 && errno != EINTR) {
            batch_log_error(&r->log, "poll: %s", strerror(errno));
            r->io_error = 1;
            stop_all(r);
        }
        check_signal(r);
        if (r->stop_signal)
            stop_all(r);
        for (nfds_t i = 1; k > 0 && i < n; i++) {
            if (!pf[i].revents)
                continue;
            slot *s = who[i];
            int end = batch_job_read(s->fd, &s->res, &s->got);
            if (end != 0)
                reap(r, s);
        }
        now = batch_now();
        for (unsigned i = 0; i < r->jobs; i++) {
            slot *s = &r->slots[i];
            if (s->t && !s->killed && s->deadline > 0 && now >= s->deadline) {
                kill(-s->pid, SIGKILL);
                s->killed = 1;
            }
        }
        progress(r, 0);
    }
out:
    free(pf);
    free(who);
}

/* Tasks a signal or an I/O error kept from finishing: reported as
 * interrupted (their rows say "pending" or "not loaded": the next run does
 * them). */
static void finish_leftovers(run *r)
{
    for (size_t i = 0; i < r->ntasks && r->tasks; i++) {
        task *t = &r->tasks[i];
        if (t->finished || !t->in)
            continue;
        if (t->converted && !t->interrupted) {
            if (t->need_load && !t->load_done)
                t->load = "interrupted";
            if (t->need_review && !t->review_done && !t->review_error)
                t->review_error = strdup("the run was interrupted");
        } else {
            t->interrupted = 1;
        }
        task_finished(r, t);
    }
}

/* ---- reports ------------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keep the newest `keep` reports named *suffix (their names sort by
 * time). */
static void prune_reports(const char *dir, const char *suffix, unsigned keep)
{
    size_t slen = strlen(suffix);
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t count = 0, cap = 0;
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= slen || strcmp(e->d_name + len - slen, suffix) ||
            e->d_name[0] == '.')
            continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
            cap = ncap;
        }
        if (!(names[count] = strdup(e->d_name)))
            break;
        count++;
    }
    closedir(d);
    if (count > keep) {
        qsort(names, count, sizeof *names, cmp_names);
        for (size_t i = 0; i + keep < count; i++) {
            char *p = batch__join(dir, names[i]);
            if (p)
                unlink(p);
            free(p);
        }
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* ---- the run ------------------------------------------------------------------ */

static int setup(run *r, char *msg, size_t msglen)
{
    const batch_opts *o = r->o;
    ft_err rc;

    r->in_root = realpath(o->in_dir, NULL);
    if (!r->in_root) {
        snprintf(msg, msglen, "%s: %s", o->in_dir, strerror(errno));
        return FT_EXIT_IO;
    }
    struct stat st;
    if (stat(r->in_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(msg, msglen, "%s: not a directory", o->in_dir);
        return FT_EXIT_IO;
    }
    {
        char *out_abs = realpath(o->out_dir, NULL);
        int same_dir = out_abs && !strcmp(out_abs, r->in_root);
        free(out_abs);
        if (same_dir) {
            fprintf(stderr, "formtab-batch: IN_DIR and OUT_DIR are the same "
                    "directory '%s'\nTry 'formtab batch --help' for more "
                    "information.\n", o->in_dir);
            return FT_EXIT_USAGE;
        }
    }
    if (o->map && !(r->map_abs = realpath(o->map, NULL))) {
        snprintf(msg, msglen, "%s: %s", o->map, strerror(errno));
        return FT_EXIT_INPUT;
    }
    if (o->rules && !(r->rules_abs = realpath(o->rules, NULL))) {
        snprintf(msg, msglen, "%s: %s", o->rules, strerror(errno));
        return FT_EXIT_INPUT;
    }
    if ((rc = batch_opts_fingerprint(o, r->config, sizeof r->config))) {
        snprintf(msg, msglen, "cannot read the --map or --rules file: %s",
                 ft_strerror(rc));
        return ft_exit_code(rc);
    }
    static const char *const progs[] = {"formtab-extract", "formtab-normalize",
                                        "formtab-emit"};
    char **dst[] = {&r->extract, &r->normalize, &r->emit};
    for (int i = 0; i < 3; i++) {
        *dst[i] = find_program(progs[i]);
        if (!*dst[i]) {
            snprintf(msg, msglen, "cannot find %s (beside formtab-batch or "
                     "in PATH)", progs[i]);
            return FT_EXIT_IO;
        }
    }
    if (o->load) {
        if (o->loader) {
            r->loader = realpath(o->loader, NULL);
            if (!r->loader || access(r->loader, X_OK) != 0) {
                snprintf(msg, msglen, "%s: not an executable loader",
                         o->loader);
                return FT_EXIT_IO;
            }
        } else if (!(r->loader = find_program("formtab-load-postgres"))) {
            snprintf(msg, msglen, "cannot find formtab-load-postgres (beside "
                     "formtab-batch or in PATH); give --loader");
            return FT_EXIT_IO;
        }
    }
    rc = batch__state_open(&r->st, o->out_dir, msg, msglen);
    if (rc == FT_LIMIT)
        return BATCH_EXIT_LOCKED;
    if (rc)
        return rc == FT_NOMEM ? FT_EXIT_LIMIT : FT_EXIT_IO;
    if (!(r->review_root = batch__join(r->st.state_dir, "review"))) {
        snprintf(msg, msglen, "out of memory");
        return FT_EXIT_LIMIT;
    }
    if (o->review && !o->dry_run &&
        !(r->inspect = find_program("formtab-inspect")))
        batch_log_info(&r->log, "warning: cannot find formtab-inspect "
                       "(beside formtab-batch or in PATH): no review pages");
    return 0;
}

/* Open the run's HTML page and report.html, with the stylesheet beside
 * each. FT_IO (errno kept) or FT_NOMEM. */
static ft_err open_html(run *r, const batch_report_head *h, const char *base)
{
    char json_rel[128], page_rel[128];
    ft_err rc;
    snprintf(json_rel, sizeof json_rel, "%s/runs/%s.json", BATCH_STATE_DIR,
             base);
    snprintf(page_rel, sizeof page_rel, "%s/runs/%s.html", BATCH_STATE_DIR,
             base);
    snprintf(r->html_path, sizeof r->html_path, "%s/%s.html",
             r->st.runs_dir, base);
    snprintf(r->latest_path, sizeof r->latest_path, "%s/report.html",
             r->st.state_dir);
    batch_html_where run_page = {h, 2, json_rel, NULL};
    batch_html_where latest = {h, 1, json_rel, page_rel};
    if ((rc = ext_html_write_css(r->st.runs_dir, r->file_mode)) ||
        (rc = ext_html_write_css(r->st.state_dir, r->file_mode)))
        return rc;
    if ((rc = batch_html_open(&r->html[0], r->html_path, &run_page,
                              r->file_mode)))
        return rc;
    if ((rc = batch_html_open(&r->html[1], r->latest_path, &latest,
                              r->file_mode))) {
        int e = errno;
        batch_html_abort(&r->html[0]);
        errno = e;
        return rc;
    }
    r->html_open = 1;
    return FT_OK;
}

/* Hash every input; unreadable ones are failures of this run. */
static int probe_all(run *r)
{
    batch_progress_info p;
    double t0 = batch_now();
    memset(&p, 0, sizeof p);
    p.phase = "hashing";
    p.total = r->inputs.count;
    for (size_t i = 0; i < r->inputs.count; i++) {
        batch_input *in = &r->inputs.v[i];
        ft_err rc = batch_probe(r->in_root, in);
        if (rc == FT_IO || rc == FT_LIMIT) {
            batch_log_error(&r->log, "%s: cannot read: %s", in->path,
                            strerror(errno));
            r->c.unreadable++;
            in->unreadable = 1; /* its row is not taken for removed */
        }
        if (i % HASH_SIGNAL_CHECK_EVERY == 0) {
            check_signal(r);
            if (r->stop_signal)
                return -1;
            p.done = i;
            p.elapsed = batch_now() - t0;
            if (r->log.redraw)
                batch_log_progress(&r->log, &p, batch_now(), 0);
        }
    }
    batch_log_clear(&r->log);
    return 0;
}

static void cleanup_run(run *r)
{
    for (size_t i = 0; i < r->ntasks && r->tasks; i++) {
        free(r->tasks[i].out_rel);
        free(r->tasks[i].res);
        free(r->tasks[i].load_error);
        free(r->tasks[i].review_rel);
        free(r->tasks[i].review_error);
        drop_tees(&r->tasks[i]);
        batch_row_cleanup(&r->tasks[i].old);
    }
    free(r->tasks);
    free(r->loadq);
    free(r->reviewq);
    free(r->slots);
    batch_inputs_cleanup(&r->inputs);
    if (r->report_open)
        batch_report_abort(&r->report);
    for (int i = 0; r->html_open && i < 2; i++)
        batch_html_abort(&r->html[i]);
    batch__state_close(&r->st);
    free(r->inspect);
    free(r->review_root);
    free(r->in_root);
    free(r->extract);
    free(r->normalize);
    free(r->emit);
    free(r->loader);
    free(r->map_abs);
    free(r->rules_abs);
    if (r->sig_rd >= 0) {
        batch__signals_restore();
        close(r->sig_rd);
    }
}

int batch_run(const batch_opts *o, int *signo)
{
    run r;
    char msg[1024], started[40], stamp[32], base[64];
    int code = 0;
    ft_err rc;

    *signo = 0;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.sig_rd = r.sig_wr = -1;
    r.st.lock.fd = -1;
    r.t0 = batch_now();
    msg[0] = '\0';
    {
        /* Pages are for others to read: what `> file` would give them. */
        mode_t mask = umask(0);
        umask(mask);
        r.file_mode = 0666 & ~mask;
    }
    batch__local_time(started, sizeof started);
    batch_log_init(&r.log, stderr, o->progress, o->quiet, o->verbose);

    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    r.jobs = o->jobs ? o->jobs : ncpu > 0 ? (unsigned)ncpu : 1;
    if (r.jobs > BATCH_MAX_JOBS)
        r.jobs = BATCH_MAX_JOBS;

    if ((code = setup(&r, msg, sizeof msg)) != 0) {
        if (msg[0])
            batch_log_error(&r.log, "%s", msg);
        goto out;
    }
    r.sig_rd = batch__signals_install(&r.sig_wr);
    if (r.sig_rd < 0) {
        batch_log_error(&r.log, "cannot set up signal handling: %s",
                        strerror(errno));
        code = FT_EXIT_INTERNAL;
        goto out;
    }

    /* Walk and hash. */
    {
        struct stat ost;
        dev_t odev = 0;
        ino_t oino = 0;
        if (stat(r.st.out_root, &ost) == 0)
            odev = ost.st_dev, oino = ost.st_ino;
        batch_inputs_init(&r.inputs);
        rc = batch_walk(r.in_root, odev, oino, &r.inputs, msg, sizeof msg);
        if (rc) {
            batch_log_error(&r.log, "%s", msg[0] ? msg : ft_strerror(rc));
            code = rc == FT_LIMIT || rc == FT_NOMEM ? FT_EXIT_LIMIT
                                                    : FT_EXIT_IO;
            goto out;
        }
        r.c.hidden = r.inputs.skipped_hidden;
    }
    if (probe_all(&r) != 0)
        goto interrupted;
    {
        unsigned long nrows = 0, ninputs = 0;
        for (size_t i = 0; i < r.inputs.count; i++)
            ninputs += r.inputs.v[i].kind != BATCH_KIND_NONE ||
                       r.inputs.v[i].unreadable;
        if (batch_manifest_count(r.st.m, &nrows)) {
            manifest_failed(&r);
            code = FT_EXIT_IO;
            goto out;
        }
        if (ninputs == 0 && nrows > 0) {
            /* An empty tree where there were inputs is far likelier an
             * unmounted share than a deliberate deletion of everything;
             * acting on it would mark (or --prune) every output. */
            batch_log_error(&r.log, "%s holds no inputs but the manifest "
                            "lists %lu: not mounted? Nothing done (to start "
                            "over, delete %s)", o->in_dir, nrows,
                            r.st.state_dir);
            code = FT_EXIT_IO;
            goto out;
        }
    }

    /* Plan. */
    r.tasks = calloc(r.inputs.count + 1, sizeof *r.tasks);
    r.loadq = calloc(r.inputs.count + 1, sizeof *r.loadq);
    r.reviewq = calloc(r.inputs.count + 1, sizeof *r.reviewq);
    r.slots = calloc(r.jobs, sizeof *r.slots);
    if (!r.tasks || !r.loadq || !r.reviewq || !r.slots) {
        batch_log_error(&r.log, "out of memory");
        code = FT_EXIT_LIMIT;
        goto out;
    }
    for (unsigned i = 0; i < r.jobs; i++)
        r.slots[i].fd = r.slots[i].tmp_fd = -1;
    {
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        snprintf(base, sizeof base, "%s-%ld", stamp, (long)getpid());
        snprintf(r.report_path, sizeof r.report_path, "%s/%s.json",
                 r.st.runs_dir, base);
    }
    if (!o->dry_run) {
        batch_report_head h = {started, r.in_root, r.st.out_root, o, r.jobs};
        if (batch_report_open(&r.report, r.report_path, &h)) {
            batch_log_error(&r.log, "%s: cannot write the run report: %s",
                            r.report_path, strerror(errno));
            code = FT_EXIT_IO;
            goto out;
        }
        r.report_open = 1;
        if (open_html(&r, &h, base)) {
            batch_log_error(&r.log, "%s: cannot write the run page: %s",
                            r.st.runs_dir, strerror(errno));
            code = FT_EXIT_IO;
            goto out;
        }
    }
    if (!o->dry_run && batch_manifest_begin(r.st.m)) {
        manifest_failed(&r);
        code = FT_EXIT_IO;
        goto out;
    }
    rc = handle_removed(&r);
    for (size_t i = 0; i < r.inputs.count && !rc; i++) {
        batch_input *in = &r.inputs.v[i];
        if (in->kind == BATCH_KIND_NONE && !in->unreadable) {
            r.c.ignored++;
            continue;
        }
        if (in->unreadable) {
            /* Unreadable: logged when hashed; its row is left alone. */
            batch_report_file e;
            memset(&e, 0, sizeof e);
            e.path = in->path;
            e.kind = NULL;
            e.action = "unreadable";
            e.status = "failed";
            e.error = "formtab-batch: cannot read the input";
            e.exit_code = -1;
            report_entry(&r, &e);
            continue;
        }
        if (o->shard_n > 1 &&
            batch_shard_of(in->sha256, o->shard_n) != o->shard_k) {
            r.c.other_shard++;
            continue;
        }
        r.c.inputs++;
        rc = plan_input(&r, in);
    }
    if (rc) {
        batch_log_error(&r.log, "%s", rc == FT_NOMEM ? "out of memory"
                                      : batch_manifest_errmsg(r.st.m));
        code = rc == FT_NOMEM ? FT_EXIT_LIMIT : FT_EXIT_IO;
        goto out;
    }
    r.c.inputs += r.c.unreadable;
    if (!o->dry_run && batch_manifest_commit(r.st.m)) {
        manifest_failed(&r);
        code = FT_EXIT_IO;
        goto out;
    }
    if (o->dry_run) {
        fprintf(stderr, "formtab-batch: dry run: %lu inputs, %zu to process, "
                "%lu unchanged, %lu known failures, %lu removed\n",
                r.c.inputs, r.ntasks, r.c.unchanged, r.c.known_failed,
                r.c.removed);
        code = 0;
        goto out;
    }

    batch_log_info(&r.log, "start: %s -> %s: %lu inputs, %zu to process, "
                   "%lu unchanged, %lu known failures skipped, %lu removed; "
                   "%u job%s", r.in_root, r.st.out_root, r.c.inputs, r.ntasks,
                   r.c.unchanged, r.c.known_failed, r.c.removed, r.jobs,
                   r.jobs == 1 ? "" : "s");
    r.convert_t0 = batch_now();
    r.log.last = 0; /* the first progress line of this phase comes at once */
    pool(&r);
    r.c.convert_seconds = batch_now() - r.convert_t0;
    batch_log_clear(&r.log);
    if (r.stop_signal)
        goto interrupted;
    goto summary;

interrupted:
    *signo = r.stop_signal;
summary:
    finish_leftovers(&r);
    {
        char finished[40], took[32];
        unsigned long bad = r.c.failed + r.c.timeout + r.c.partial +
                            r.c.load_failed + r.c.unreadable;
        const char *status;
        if (*signo) {
            status = "interrupted";
            code = 128 + *signo;
        } else if (r.io_error) {
            status = "io-error";
            code = FT_EXIT_IO;
        } else if (bad) {
            status = "some-failed";
            code = BATCH_EXIT_FAILED;
        } else {
            status = "ok";
            code = 0;
        }
        r.c.seconds = batch_now() - r.t0;
        batch__local_time(finished, sizeof finished);
        if (r.report_open) {
            /* The pages say what the JSON says, even if it then fails. */
            const int reported = code;
            r.report_open = 0;
            if (batch_report_close(&r.report, finished, &r.c, code, status)) {
                batch_log_error(&r.log, "%s: cannot write the run report: %s",
                                r.report_path, strerror(errno));
                if (!*signo)
                    code = FT_EXIT_IO;
            }
            for (int i = 0; r.html_open && i < 2; i++)
                if (batch_html_close(&r.html[i], finished, &r.c, reported,
                                     status)) {
                    batch_log_error(&r.log, "%s: cannot write the run page: "
                                    "%s", i ? r.latest_path : r.html_path,
                                    strerror(errno));
                    if (!*signo)
                        code = FT_EXIT_IO;
                }
            r.html_open = 0;
            prune_reports(r.st.runs_dir, ".json", o->keep_reports);
            prune_reports(r.st.runs_dir, ".html", o->keep_reports);
        }
        batch_log_duration(r.c.seconds, took, sizeof took);
        double cs = r.c.convert_seconds > 0 ? r.c.convert_seconds : 0;
        if (*signo)
            batch_log_error(&r.log, "interrupted by signal %d: %lu inputs "
                            "not finished (done by the next run); report %s",
                            *signo, r.c.interrupted, r.report_path);
        else if (!o->quiet || bad || r.io_error)
            batch_log_error(&r.log, "done in %s: %lu processed (%lu ok, %lu "
                            "partial, %lu failed, %lu timed out), %lu "
                            "unchanged, %lu known failures, %lu removed%s; "
                            "%lu pages, %.1f files/s, %.1f pages/s%s; "
                            "report %s, page %s",
                            took, r.c.processed, r.c.ok, r.c.partial,
                            r.c.failed, r.c.timeout, r.c.unchanged,
                            r.c.known_failed, r.c.removed,
                            o->prune ? " (pruned)" : "", r.c.pages,
                            cs > 0 ? r.c.processed / cs : 0.0,
                            cs > 0 ? r.c.pages / cs : 0.0,
                            o->load ? (r.c.load_failed ? "; some loads failed"
                                                       : "; loaded")
                                    : "",
                            r.report_path, r.latest_path);
    }
out:
    cleanup_run(&r);
    return code;
}
