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

/* Append formatted text to line[*n..cap), truncating at the end. */
static void vappend(char *line, size_t cap, size_t *n, const char *fmt,
                    va_list ap) FT_PRINTF(4, 0);
static void vappend(char *line, size_t cap, size_t *n, const char *fmt,
                    va_list ap)
{
    if (*n + 1 >= cap)
        return;
    int k = vsnprintf(line + *n, cap - *n, fmt, ap);
    if (k < 0)
        return;
    *n += (size_t)k < cap - *n ? (size_t)k : cap - *n - 1;
}

static void append(char *line, size_t cap, size_t *n, const char *fmt, ...)
    FT_PRINTF(4, 5);
static void append(char *line, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(line, cap, n, fmt, ap);
    va_end(ap);
}

static void vreport(ft_diag *d, const char *kind, const char *file,
                    unsigned page, const char *fmt, va_list ap)
    FT_PRINTF(5, 0);
static void vreport(ft_diag *d, const char *kind, const char *file,
                    unsigned page, const char *fmt, va_list ap)
{
    /* Build the line first, then write it with one call, so lines from
     * parallel workers sharing a stderr do not interleave. */
    char line[2048];
    size_t n = 0;
    line[0] = '\0';
    append(line, sizeof line, &n, "%s: %s", d->prog, kind);
    if (file)
        append(line, sizeof line, &n, "%s: ", file);
    if (page)
        append(line, sizeof line, &n, "page %u: ", page);
    vappend(line, sizeof line, &n, fmt, ap);
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
