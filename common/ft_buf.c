/* Bounded growable byte buffer. */
#include "ft_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ft_buf_init(ft_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void ft_buf_cleanup(ft_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void ft_buf_reset(ft_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

ft_err ft_buf_reserve(ft_buf *b, size_t len)
{
    if (len > b->max || b->len > b->max - len)
        return FT_LIMIT;
    size_t need = b->len + len + 1;
    if (need <= b->cap)
        return FT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->data, cap);
    if (!p)
        return FT_NOMEM;
    b->data = p;
    b->cap = cap;
    return FT_OK;
}

ft_err ft_buf_append(ft_buf *b, const void *p, size_t len)
{
    ft_err rc = ft_buf_reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
    return FT_OK;
}

ft_err ft_buf_putc(ft_buf *b, char c)
{
    return ft_buf_append(b, &c, 1);
}

ft_err ft_buf_puts(ft_buf *b, const char *s)
{
    return ft_buf_append(b, s, strlen(s));
}

ft_err ft_buf_printf(ft_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return FT_INTERNAL;
    if ((size_t)n < sizeof small)
        return ft_buf_append(b, small, (size_t)n);
    ft_err rc = ft_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return FT_OK;
}

const char *ft_buf_str(const ft_buf *b)
{
    return b->data ? b->data : "";
}

char *ft_buf_steal(ft_buf *b)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
