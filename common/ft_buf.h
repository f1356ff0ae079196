/* A growable byte buffer with a hard cap (as curl's dynbuf): appending past
 * the cap fails with FT_LIMIT instead of growing without bound. The contents
 * are always NUL-terminated so they can be used as a C string.
 *
 * Ownership: the ft_buf struct is caller-owned storage; ft_buf_init() sets it
 * up, ft_buf_cleanup() frees what it holds. ft_buf_steal() hands the bytes to
 * the caller, who frees them with free(). */
#ifndef FT_BUF_H
#define FT_BUF_H

#include <stddef.h>
#include "ft_error.h"

typedef struct {
    char *data;   /* NUL-terminated contents, NULL until the first append */
    size_t len;   /* bytes used, not counting the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* most bytes it may ever hold */
} ft_buf;

/* Set up an empty buffer that may hold at most max bytes. */
void ft_buf_init(ft_buf *b, size_t max);

/* Free the contents; the buffer is empty afterwards and may be reused. */
void ft_buf_cleanup(ft_buf *b);

/* Empty the buffer, keeping its allocation. */
void ft_buf_reset(ft_buf *b);

/* Append len bytes. FT_LIMIT past max, FT_NOMEM if allocation fails; on
 * failure the buffer is unchanged. */
FT_WUR ft_err ft_buf_append(ft_buf *b, const void *p, size_t len);
FT_WUR ft_err ft_buf_putc(ft_buf *b, char c);
FT_WUR ft_err ft_buf_puts(ft_buf *b, const char *s);
FT_WUR ft_err ft_buf_printf(ft_buf *b, const char *fmt, ...) FT_PRINTF(2, 3);

/* Make sure len more bytes fit without reallocating. */
FT_WUR ft_err ft_buf_reserve(ft_buf *b, size_t len);

/* The contents as a C string ("" when empty); owned by the buffer. */
const char *ft_buf_str(const ft_buf *b);

/* Take the contents (caller frees with free(); "" becomes a fresh empty
 * string); the buffer is empty afterwards. Returns NULL only on FT_NOMEM. */
char *ft_buf_steal(ft_buf *b);

#endif
