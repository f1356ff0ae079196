/* stderr of a batch run: timestamped lines, the redrawn progress line. */
#include "batch_log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One message: long paths and an error line fit; longer is cut. */
#define LOG_LINE_MAX 2048

double batch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void batch_log_init(batch_log *lg, FILE *out, batch_progress mode, int quiet,
                    int verbose)
{
    memset(lg, 0, sizeof *lg);
    lg->out = out;
    lg->quiet = quiet;
    lg->verbose = verbose;
    int tty = isatty(fileno(out));
    lg->timestamps = !tty;
    if (quiet || mode == BATCH_PROGRESS_NEVER)
        return;
    if (mode == BATCH_PROGRESS_ALWAYS || tty)
        lg->redraw = 1;
    else
        lg->periodic = 1;
}

void batch_log_clear(batch_log *lg)
{
    if (lg->shown) {
        fputs("\r\033[K", lg->out);
        fflush(lg->out);
        lg->shown = 0;
    }
}

static void vput(batch_log *lg, const char *fmt, va_list ap)
    FT_PRINTF(2, 0);
static void vput(batch_log *lg, const char *fmt, va_list ap)
{
    char line[LOG_LINE_MAX];
    size_t n = 0;
    if (lg->timestamps) {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S%z ", &tm);
    }
    n += (size_t)snprintf(line + n, sizeof line - n, "formtab-batch: ");
    int k = vsnprintf(line + n, sizeof line - n, fmt, ap);
    if (k > 0)
        n += (size_t)k < sizeof line - n ? (size_t)k : sizeof line - n - 1;
    /* One message, one line. */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)line[i] < 0x20)
            line[i] = '?';
    if (n >= sizeof line - 1)
        n = sizeof line - 2;
    line[n++] = '\n';
    batch_log_clear(lg);
    fwrite(line, 1, n, lg->out);
    fflush(lg->out);
}

void batch_log_info(batch_log *lg, const char *fmt, ...)
{
    va_list ap;
    if (lg->quiet)
        return;
    va_start(ap, fmt);
    vput(lg, fmt, ap);
    va_end(ap);
}

void batch_log_debug(batch_log *lg, const char *fmt, ...)
{
    va_list ap;
    if (!lg->verbose)
        return;
    va_start(ap, fmt);
    vput(lg, fmt, ap);
    va_end(ap);
}

void batch_log_error(batch_log *lg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput(lg, fmt, ap);
    va_end(ap);
}

void batch_log_duration(double s, char *out, size_t cap)
{
    if (s < 0)
        s = 0;
    unsigned long t = (unsigned long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, cap, "%luh%02lum", t / 3600, t % 3600 / 60);
    else if (t >= 60)
        snprintf(out, cap, "%lum%02lus", t / 60, t % 60);
    else
        snprintf(out, cap, "%lus", t);
}

void batch_log_progress(batch_log *lg, const batch_progress_info *p,
                        double now, int force)
{
    char line[256], eta[32];
    double every = lg->redraw ? BATCH_PROGRESS_REDRAW : BATCH_PROGRESS_LOG_EVERY;
    if (!lg->redraw && !lg->periodic)
        return;
    if (!force && lg->last > 0 && now - lg->last < every)
        return;
    if (!lg->redraw && lg->last == 0 && !force) {
        /* The first log line comes after a full interval, not at once. */
        lg->last = now;
        return;
    }
    lg->last = now;
    double el = p->elapsed > 0 ? p->elapsed : 0;
    double fps = el > 0 ? p->done / el : 0;
    double pps = el > 0 ? p->pages / el : 0;
    if (p->done > 0 && p->total >= p->done)
        batch_log_duration(el / p->done * (p->total - p->done), eta,
                           sizeof eta);
    else
        snprintf(eta, sizeof eta, "?");
    /* %.1f prints '.' whatever the environment: formtab never calls
     * setlocale(), so numbers stay in the C locale. */
    if (p->pages == 0 && !strcmp(p->phase, "hashing"))
        snprintf(line, sizeof line, "hashing %lu/%lu files", p->done,
                 p->total);
    else
        snprintf(line, sizeof line,
             "%s %lu/%lu files, %.1f files/s, %.1f pages/s, ETA %s, "
             "%lu failed",
             p->phase, p->done, p->total, fps, pps, eta, p->failed);
    if (lg->redraw) {
        fprintf(lg->out, "\r\033[Kformtab-batch: %s", line);
        fflush(lg->out);
        lg->shown = 1;
    } else {
        batch_log_info(lg, "%s", line);
    }
}
