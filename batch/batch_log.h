/* What a batch run says on stderr. On a terminal: a progress line redrawn in
 * place (files done/total, files/s, pages/s, ETA, failures) with other
 * messages printed above it. Under cron (stderr not a terminal): every line
 * starts with the local time, progress is a line a minute, and the run ends
 * with one summary line, so a log file reads as a history of the night.
 * Each message is written with one call, whole lines only.
 *
 * Ownership: batch_log is caller-owned storage borrowing its FILE. */
#ifndef BATCH_LOG_H
#define BATCH_LOG_H

#include <stddef.h>
#include <stdio.h>
#include "batch_opts.h"
#include "ft_error.h"

/* Seconds between two redraws of the progress line on a terminal: fast
 * enough to look alive, slow enough not to cost anything. */
#define BATCH_PROGRESS_REDRAW 0.25

/* Seconds between two progress lines in a log (no terminal): a night of
 * thousands of files gets a line a minute, enough to see where it stalled. */
#define BATCH_PROGRESS_LOG_EVERY 60.0

typedef struct {
    FILE *out;
    int redraw;        /* progress redrawn in place (a terminal) */
    int periodic;      /* progress as timestamped lines every minute */
    int timestamps;    /* prefix lines with the local time */
    int quiet, verbose;
    int shown;         /* a progress line is on screen */
    double last;       /* monotonic time of the last progress output */
} batch_log;

typedef struct {
    const char *phase;    /* "hashing" or "converting" */
    unsigned long done, total, failed, running;
    unsigned long pages;  /* pages of the inputs done */
    double elapsed;       /* seconds since the phase began */
} batch_progress_info;

/* mode auto: redraw when out is a terminal, periodic lines otherwise. */
void batch_log_init(batch_log *lg, FILE *out, batch_progress mode, int quiet,
                    int verbose);

/* "formtab-batch: " + message, with the time first under cron. Shown unless
 * quiet. */
void batch_log_info(batch_log *lg, const char *fmt, ...) FT_PRINTF(2, 3);

/* The same, shown only with -v. */
void batch_log_debug(batch_log *lg, const char *fmt, ...) FT_PRINTF(2, 3);

/* The same, always shown (failures, errors). */
void batch_log_error(batch_log *lg, const char *fmt, ...) FT_PRINTF(2, 3);

/* Progress: redrawn at most every BATCH_PROGRESS_REDRAW seconds, or logged
 * every BATCH_PROGRESS_LOG_EVERY; force draws now. now is monotonic time. */
void batch_log_progress(batch_log *lg, const batch_progress_info *p,
                        double now, int force);

/* Remove the progress line (before the summary, or at exit). */
void batch_log_clear(batch_log *lg);

/* Seconds as "1h02m", "9m48s" or "12s" into out. */
void batch_log_duration(double s, char *out, size_t cap);

/* Monotonic seconds. */
double batch_now(void);

#endif
