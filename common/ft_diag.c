/* One-line diagnostics on stderr, naming program, file and page. */
#include "ft_diag.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

void ft_diag_init(ft_diag *d, const char *prog)
{
    d->prog = prog;
    d->out = stderr;
    d->quiet = 0;
    d->verbose = 0;
    d->nwarnings = 0;
    d->nerrors = 0;
}

static void vreport(ft_diag *d, const char *kind, const char *file,
                    unsigned page, const char *fmt, va_list ap)
{
    /* Build the line first, then write it with one call, so lines from
     * parallel workers sharing a stderr do not interleave. */
    char line[2048];
    size_t n = 0;
    int k = snprintf(line, sizeof line, "%s: %s", d->prog, kind);
    if (k > 0)
        n = (size_t)k < sizeof line ? (size_t)k : sizeof line - 1;
    if (file && n < sizeof line) {
        k = snprintf(line + n, sizeof line - n, "%s: ", file);
        if (k > 0)
            n += (size_t)k < sizeof line - n ? (size_t)k : sizeof line - n - 1;
    }
    if (page && n < sizeof line) {
        k = snprintf(line + n, sizeof line - n, "page %u: ", page);
        if (k > 0)
            n += (size_t)k < sizeof line - n ? (size_t)k : sizeof line - n - 1;
    }
    if (n < sizeof line) {
        k = vsnprintf(line + n, sizeof line - n, fmt, ap);
        if (k > 0)
            n += (size_t)k < sizeof line - n ? (size_t)k : sizeof line - n - 1;
    }
    /* One message, one line: control characters from input become '?'. */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)line[i] < 0x20)
            line[i] = '?';
    fprintf(d->out, "%.*s\n", (int)n, line);
    fflush(d->out);
}

void ft_diag_error(ft_diag *d, const char *file, unsigned page,
                   const char *fmt, ...)
{
    va_list ap;
    d->nerrors++;
    va_start(ap, fmt);
    vreport(d, "", file, page, fmt, ap);
    va_end(ap);
}

void ft_diag_warn(ft_diag *d, const char *file, unsigned page,
                  const char *fmt, ...)
{
    va_list ap;
    d->nwarnings++;
    if (d->quiet)
        return;
    va_start(ap, fmt);
    vreport(d, "warning: ", file, page, fmt, ap);
    va_end(ap);
}

void ft_diag_debug(ft_diag *d, const char *fmt, ...)
{
    va_list ap;
    if (!d->verbose)
        return;
    va_start(ap, fmt);
    vreport(d, "debug: ", NULL, 0, fmt, ap);
    va_end(ap);
}

void ft_diag_usage(ft_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "", NULL, 0, fmt, ap);
    va_end(ap);
    fprintf(d->out, "Try '%s --help' for more information.\n", d->prog);
}

ft_err ft_close_stdout(ft_diag *d)
{
    int bad = ferror(stdout);
    if (fclose(stdout) != 0)
        bad = 1;
    if (bad) {
        ft_diag_error(d, NULL, 0, "write error on standard output: %s",
                      strerror(errno));
        return FT_IO;
    }
    return FT_OK;
}
