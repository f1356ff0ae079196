/* One job of the worker pool: a pipeline of up to three programs run under
 * a supervisor process that leads its own process group, so a timeout or an
 * interrupt kills the whole pipeline with one kill(-pgid). The supervisor
 * relays the streams between the stages through taps (batch_tap.h) to learn
 * the page and table counts, reads the stages' stderr to count warnings and
 * keep the first error line, counts the records of the output, fsyncs it,
 * and sends the parent one fixed-size result over a pipe before it exits.
 * Asked to (tee_fd, for `--review`), it also copies the layout and table
 * streams into files as it relays them, so a review page can show exactly
 * what the run saw without running the stages again.
 * Every process of the job dies with its parent (PR_SET_PDEATHSIG), so a
 * batch run killed with SIGKILL leaves no stage running behind it.
 *
 * Ownership: the spec is borrowed for the duration of batch_job_start()
 * only (the child has its own copy after fork). The result descriptor
 * returned belongs to the caller, who closes it and reaps the pid. */
#ifndef BATCH_JOB_H
#define BATCH_JOB_H

#include <stddef.h>
#include <sys/types.h>
#include "batch.h"
#include "batch_opts.h"
#include "ft_error.h"

#define BATCH_JOB_MAX_STAGES 3

typedef struct {
    /* stage i runs argv[i] (NULL-terminated, argv[i][0] a path); the output
     * of stage 0 is tapped as a layout stream, of stage 1 as a table stream */
    char *const *argv[BATCH_JOB_MAX_STAGES];
    int nstages;
    const char *cwd;     /* working directory of the stages */
    int out_fd;          /* stdout of the last stage (-1: /dev/null) */
    int count_records;   /* count the records written to out_fd */
    batch_format fmt;    /* ... in this format */
    int csv_header;      /* ... a CSV whose first line is a header */
    int sync_output;     /* fsync out_fd before reporting */
    int verbose;         /* copy the stages' stderr lines to our stderr */
    int tee_fd[BATCH_JOB_MAX_STAGES - 1]; /* a copy of the stream out of
                            stage i is written here as it is relayed (for
                            the review page); -1: none. Zeroed specs must
                            set these to -1 */
    const int *close_fds;/* the parent's descriptors the child closes */
    int nclose_fds;
} batch_job_spec;

/* What the supervisor reports. Plain data: it crosses the pipe as bytes. */
typedef struct {
    int complete;        /* 1: the supervisor got to the end */
    int exit_code[BATCH_JOB_MAX_STAGES]; /* exit status, 128+signal when
                                            killed, -1 when not started */
    unsigned long pages, failed_pages, tables, records, warnings;
    int have_layout_end; /* the layout stream ended with its `end` record */
    int tee_failed;      /* a tee_fd copy could not be written whole */
    long max_rss_kb;     /* peak resident memory of the largest stage */
    double cpu_seconds;  /* user + system time of the stages */
    char error[BATCH_MAX_ERROR_LEN + 1]; /* first error line ("" none) */
} batch_job_result;

/* The status of a conversion the supervisor finished (r->complete) and the
 * exit code to report: ok when every stage exited 0; partial when extract
 * exited 1 (some pages failed) after reading at least one page and the
 * other stages exited 0; failed otherwise. The code is the first stage's
 * failure in pipeline order, passing over a SIGPIPE death (141) caused by
 * a later stage that failed first. */
batch_status batch_job_status(const batch_job_result *r, int nstages,
                              int *exit_code);

/* Fork the supervisor for spec. On success *pid is its pid (and process
 * group id) and *result_fd the read end of its result pipe (close-on-exec).
 * FT_IO (errno kept) if a pipe or fork fails. */
FT_WUR ft_err batch_job_start(const batch_job_spec *spec, pid_t *pid,
                              int *result_fd);

/* Read what is available of the result into r (*got bytes so far).
 * Returns 1 at end of file, 0 if more may come, -1 on a read error. */
int batch_job_read(int fd, batch_job_result *r, size_t *got);

#endif
