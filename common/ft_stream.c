/* Bounded line reading, TSV escaping and the record reader shared by the
 * layout and table streams. */
#include "ft_stream.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ft_utf8.h"

#define READ_CHUNK 65536u

ft_err ft_line_reader_init(ft_line_reader *r, FILE *in, size_t max_line)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    r->max_line = max_line;
    r->cap = READ_CHUNK * 2;
    r->buf = malloc(r->cap);
    return r->buf ? FT_OK : FT_NOMEM;
}

void ft_line_reader_cleanup(ft_line_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Read more input after the unread bytes; grows the buffer up to the line
 * cap. Returns 0 when nothing more can be read. */
static size_t fill(ft_line_reader *r)
{
    if (r->eof)
        return 0;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end < READ_CHUNK + 1) {
        size_t ncap = r->cap * 2;
        if (ncap > r->max_line + READ_CHUNK * 2)
            ncap = r->max_line + READ_CHUNK * 2;
        if (ncap > r->cap) {
            char *p = realloc(r->buf, ncap);
            if (!p)
                return 0;
            r->buf = p;
            r->cap = ncap;
        }
    }
    size_t room = r->cap - r->end - 1;
    if (room == 0)
        return 0;
    size_t n = fread(r->buf + r->end, 1, room, r->in);
    if (n == 0) {
        if (ferror(r->in))
            r->read_error = 1;
        r->eof = 1;
    }
    r->end += n;
    return n;
}

ft_err ft_line_reader_next(ft_line_reader *r, char **line, size_t *len)
{
    size_t scanned = 0;
    int skipping = 0;
    for (;;) {
        char *base = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = memchr(base + scanned, '\n', avail - scanned);
        if (nl) {
            size_t n = (size_t)(nl - base);
            r->start += n + 1;
            r->lineno++;
            if (skipping || n > r->max_line)
                return FT_LIMIT;
            *nl = '\0';
            *line = base;
            *len = n;
            return FT_OK;
        }
        scanned = avail;
        if (avail > r->max_line) {
            /* Too long: drop what we have and skip to the next newline. */
            skipping = 1;
            r->start = r->end;
            scanned = 0;
        }
        if (fill(r) == 0) {
            if (r->read_error)
                return FT_IO;
            avail = r->end - r->start;
            if (avail == 0 && !skipping)
                return FT_EOF;
            r->lineno++;
            base = r->buf + r->start;
            r->start = r->end;
            if (skipping)
                return FT_LIMIT;
            base[avail] = '\0';
            *line = base;
            *len = avail;
            return FT_OK;
        }
    }
}

int ft_tsv_put(FILE *f, const char *s, size_t len)
{
    size_t i = 0, run = 0;
    while (i < len) {
        char c = s[i];
        const char *esc = NULL;
        switch (c) {
        case '\\': esc = "\\\\"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        default: break;
        }
        if (esc) {
            if (i > run && fwrite(s + run, 1, i - run, f) != i - run)
                return EOF;
            if (fputs(esc, f) == EOF)
                return EOF;
            run = i + 1;
        }
        i++;
    }
    if (len > run && fwrite(s + run, 1, len - run, f) != len - run)
        return EOF;
    return 0;
}

int ft_tsv_puts(FILE *f, const char *s)
{
    return ft_tsv_put(f, s, strlen(s));
}

ft_err ft_tsv_escape(ft_buf *out, const char *s, size_t len)
{
    ft_err rc = FT_OK;
    for (size_t i = 0; i < len && !rc; i++) {
        switch (s[i]) {
        case '\\': rc = ft_buf_append(out, "\\\\", 2); break;
        case '\t': rc = ft_buf_append(out, "\\t", 2); break;
        case '\n': rc = ft_buf_append(out, "\\n", 2); break;
        case '\r': rc = ft_buf_append(out, "\\r", 2); break;
        default: rc = ft_buf_putc(out, s[i]); break;
        }
    }
    return rc;
}

ft_err ft_tsv_unescape(char *field, size_t *len)
{
    char *src = memchr(field, '\\', *len);
    if (!src)
        return FT_OK;
    char *end = field + *len;
    char *dst = src;
    while (src < end) {
        if (*src != '\\') {
            *dst++ = *src++;
            continue;
        }
        if (src + 1 >= end)
            return FT_FORMAT;
        switch (src[1]) {
        case '\\': *dst++ = '\\'; break;
        case 't': *dst++ = '\t'; break;
        case 'n': *dst++ = '\n'; break;
        case 'r': *dst++ = '\r'; break;
        default: return FT_FORMAT;
        }
        src += 2;
    }
    *dst = '\0';
    *len = (size_t)(dst - field);
    return FT_OK;
}

ft_err ft_record_fail(ft_record_reader *r, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(r->msg, sizeof r->msg, "line %lu: ", r->lr.lineno);
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof r->msg) {
        va_start(ap, fmt);
        vsnprintf(r->msg + n, sizeof r->msg - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return FT_FORMAT;
}

/* Split the current line at tabs and unescape each field. */
static ft_err split(ft_record_reader *r, char *line, size_t len)
{
    size_t bad;
    if (!ft_utf8_valid(line, len, &bad)) {
        ft_record_fail(r, "invalid UTF-8 at byte %zu", bad + 1);
        return FT_UTF8;
    }
    r->nfields = 0;
    char *p = line, *end = line + len;
    for (;;) {
        char *tab = memchr(p, '\t', (size_t)(end - p));
        char *fend = tab ? tab : end;
        if (r->nfields == FT_MAX_FIELDS)
            return ft_record_fail(r, "more than %u fields", FT_MAX_FIELDS);
        size_t flen = (size_t)(fend - p);
        *fend = '\0';
        if (ft_tsv_unescape(p, &flen))
            return ft_record_fail(r, "bad escape in field %zu",
                                  r->nfields + 1);
        r->field[r->nfields] = p;
        r->flen[r->nfields] = flen;
        r->nfields++;
        if (!tab)
            break;
        p = tab + 1;
    }
    return FT_OK;
}

ft_err ft_record_next(ft_record_reader *r)
{
    char *line;
    size_t len;
    ft_err rc = ft_line_reader_next(&r->lr, &line, &len);
    if (rc == FT_EOF)
        return rc;
    if (rc == FT_LIMIT) {
        snprintf(r->msg, sizeof r->msg, "line %lu: longer than %zu bytes",
                 r->lr.lineno, r->lr.max_line);
        return rc;
    }
    if (rc) {
        snprintf(r->msg, sizeof r->msg, "read error after line %lu",
                 r->lr.lineno);
        return rc;
    }
    if (len == 0)
        return ft_record_fail(r, "empty line");
    return split(r, line, len);
}

ft_err ft_record_reader_init(ft_record_reader *r, FILE *in, const char *name,
                             const char *magic, int version)
{
    memset(r->field, 0, sizeof r->field);
    r->nfields = 0;
    r->name = name;
    r->msg[0] = '\0';
    ft_err rc = ft_line_reader_init(&r->lr, in, FT_MAX_LINE_LEN);
    if (rc)
        return rc;
    rc = ft_record_next(r);
    if (rc == FT_EOF) {
        snprintf(r->msg, sizeof r->msg, "no input (expected a %s stream)",
                 magic);
        return FT_EMPTY;
    }
    if (rc == FT_UTF8 || rc == FT_FORMAT || rc == FT_LIMIT) {
        snprintf(r->msg, sizeof r->msg,
                 "line 1: not a %s stream (binary or garbled input)", magic);
        return FT_VERSION;
    }
    if (rc)
        return rc;
    if (strcmp(r->field[0], magic) != 0) {
        snprintf(r->msg, sizeof r->msg, "line 1: not a %s stream", magic);
        return FT_VERSION;
    }
    char want[16];
    snprintf(want, sizeof want, "%d", version);
    if (r->nfields < 2 || strcmp(r->field[1], want) != 0) {
        snprintf(r->msg, sizeof r->msg,
                 "line 1: %s version %s is not supported (this program reads %d)",
                 magic, r->nfields < 2 ? "(none)" : r->field[1], version);
        return FT_VERSION;
    }
    return FT_OK;
}

void ft_record_reader_cleanup(ft_record_reader *r)
{
    ft_line_reader_cleanup(&r->lr);
}

unsigned long ft_record_lineno(const ft_record_reader *r)
{
    return r->lr.lineno;
}

ft_err ft_record_need(ft_record_reader *r, size_t n)
{
    if (r->nfields < n)
        return ft_record_fail(r, "'%s' record needs %zu fields, has %zu",
                              r->field[0], n, r->nfields);
    return FT_OK;
}

ft_err ft_record_double(ft_record_reader *r, size_t i, double *v, int *present)
{
    *v = 0;
    if (present)
        *present = 0;
    if (i >= r->nfields)
        return ft_record_fail(r, "missing field %zu", i + 1);
    if (r->flen[i] == 0)
        return FT_OK;
    char *end;
    errno = 0;
    double d = strtod(r->field[i], &end);
    if (end == r->field[i] || *end != '\0' || errno == ERANGE || !isfinite(d))
        return ft_record_fail(r, "field %zu is not a number: '%.40s'", i + 1,
                              r->field[i]);
    *v = d;
    if (present)
        *present = 1;
    return FT_OK;
}

ft_err ft_record_uint(ft_record_reader *r, size_t i, unsigned *v)
{
    *v = 0;
    if (i >= r->nfields)
        return ft_record_fail(r, "missing field %zu", i + 1);
    const char *s = r->field[i];
    if (*s < '0' || *s > '9')
        return ft_record_fail(r, "field %zu is not a count: '%.40s'", i + 1, s);
    unsigned long long acc = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return ft_record_fail(r, "field %zu is not a count: '%.40s'",
                                  i + 1, r->field[i]);
        acc = acc * 10 + (unsigned)(*s - '0');
        if (acc > 0xFFFFFFFFu)
            return ft_record_fail(r, "field %zu is too large", i + 1);
    }
    *v = (unsigned)acc;
    return FT_OK;
}

void ft_put_num(FILE *f, double v)
{
    /* Fast path for the common case: a finite value in a page-sized range,
     * printed with two decimals without going through printf's locale. */
    if (!isfinite(v))
        return;
    char tmp[48];
    int neg = v < 0;
    double a = neg ? -v : v;
    if (a >= 1e15) {
        snprintf(tmp, sizeof tmp, "%.2f", v);
        fputs(tmp, f);
        return;
    }
    unsigned long long cents = (unsigned long long)(a * 100.0 + 0.5);
    if (cents == 0)
        neg = 0;
    char *p = tmp + sizeof tmp;
    *--p = '\0';
    *--p = (char)('0' + cents % 10);
    cents /= 10;
    *--p = (char)('0' + cents % 10);
    cents /= 10;
    *--p = '.';
    do {
        *--p = (char)('0' + cents % 10);
        cents /= 10;
    } while (cents);
    if (neg)
        *--p = '-';
    fputs(p, f);
}
