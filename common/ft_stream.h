/* The shared syntax of formtab's two pipe formats (docs/streams.md): a
 * bounded line reader, TSV field escaping, and a record reader that checks the
 * header and splits each line into unescaped fields.
 *
 * Ownership: readers are caller-owned storage set up by *_init and released by
 * *_cleanup. Field pointers handed out point into the reader's line buffer and
 * stay valid until the next call that reads a line. */
#ifndef FT_STREAM_H
#define FT_STREAM_H

#include <stddef.h>
#include <stdio.h>
#include "ft_buf.h"
#include "ft_error.h"
#include "ft_limits.h"

/* ---- bounded line reader ------------------------------------------------ */

typedef struct {
    FILE *in;
    char *buf;              /* read buffer */
    size_t cap;             /* its size */
    size_t start, end;      /* unread bytes are buf[start..end) */
    size_t max_line;        /* longest line accepted */
    unsigned long lineno;   /* number of the line last returned (1-based) */
    int eof;
    int read_error;
} ft_line_reader;

FT_WUR ft_err ft_line_reader_init(ft_line_reader *r, FILE *in, size_t max_line);
void ft_line_reader_cleanup(ft_line_reader *r);

/* Return the next line without its '\n' (a final line without '\n' counts).
 * The line is NUL-terminated, writable, and valid until the next call.
 * FT_EOF at the end, FT_LIMIT for a line longer than max_line (the reader
 * then skips to the next line, so the caller may go on), FT_IO on read error. */
FT_WUR ft_err ft_line_reader_next(ft_line_reader *r, char **line, size_t *len);

/* ---- TSV escaping -------------------------------------------------------- */

/* Write s[0..len) to f as one escaped field (no separator). Returns 0 or EOF
 * on write error, like fputs. */
int ft_tsv_put(FILE *f, const char *s, size_t len);

/* Write a NUL-terminated string as one escaped field. */
int ft_tsv_puts(FILE *f, const char *s);

/* Append s[0..len) escaped to out. */
FT_WUR ft_err ft_tsv_escape(ft_buf *out, const char *s, size_t len);

/* Unescape field[0..*len) in place; *len is updated. FT_FORMAT if a backslash
 * is followed by anything but \\ t n r, or the field ends in a lone \. */
FT_WUR ft_err ft_tsv_unescape(char *field, size_t *len);

/* ---- record reader ------------------------------------------------------- */

typedef struct {
    ft_line_reader lr;
    const char *name;           /* input name for messages (borrowed) */
    char *field[FT_MAX_FIELDS]; /* fields of the current record, unescaped */
    size_t flen[FT_MAX_FIELDS];
    size_t nfields;
    char msg[256];              /* detail of the last error, with line number */
} ft_record_reader;

/* Start reading a stream whose header must be `magic<TAB>version`. Reads and
 * checks the header. FT_VERSION (wrong magic or version), FT_EMPTY (no
 * header at all), FT_FORMAT; r->msg says why. */
FT_WUR ft_err ft_record_reader_init(ft_record_reader *r, FILE *in,
                                    const char *name, const char *magic,
                                    int version);
void ft_record_reader_cleanup(ft_record_reader *r);

/* Read the next record into r->field / r->nfields. FT_EOF at the end of
 * input; FT_FORMAT, FT_LIMIT, FT_UTF8 with r->msg naming the line. */
FT_WUR ft_err ft_record_next(ft_record_reader *r);

/* Line number of the current record. */
unsigned long ft_record_lineno(const ft_record_reader *r);

/* Field i as a number. An empty field gives *present = 0 and *v = 0.
 * FT_FORMAT (with r->msg) if the field is missing or not a number. */
FT_WUR ft_err ft_record_double(ft_record_reader *r, size_t i, double *v,
                               int *present);
FT_WUR ft_err ft_record_uint(ft_record_reader *r, size_t i, unsigned *v);

/* Fail with FT_FORMAT and a message unless the record has at least n fields. */
FT_WUR ft_err ft_record_need(ft_record_reader *r, size_t n);

/* Record a formatted message in r->msg prefixed with the line number and
 * return FT_FORMAT. */
ft_err ft_record_fail(ft_record_reader *r, const char *fmt, ...) FT_PRINTF(2, 3);

/* ---- writing numbers ----------------------------------------------------- */

/* Write a coordinate as %.2f into f (nothing for NaN or infinity). Locale
 * independent (formtab never calls setlocale for LC_NUMERIC). */
void ft_put_num(FILE *f, double v);

#endif
