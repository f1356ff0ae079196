/* Helpers shared by the libFuzzer targets (see fuzz_util.h). */
#include "fuzz_util.h"

#include <stdlib.h>

#include "ft_utf8.h"

void fz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
    abort();
}

uint8_t fz_u8(fz_consumer *c)
{
    if (c->len == 0)
        return 0;
    c->len--;
    return *c->p++;
}

unsigned fz_pick(fz_consumer *c, unsigned n)
{
    return n ? fz_u8(c) % n : 0;
}

const uint8_t *fz_take(fz_consumer *c, size_t len, size_t *got)
{
    const uint8_t *p = c->p;
    if (len > c->len)
        len = c->len;
    c->p += len;
    c->len -= len;
    *got = len;
    return p;
}

FILE *fz_memfile(const uint8_t *data, size_t len)
{
    static const char empty[1] = { 0 };
    /* fmemopen(buf, 0, ...) fails with EINVAL; "r" mode reads exactly
     * size bytes, so an empty input becomes a one-byte buffer read as
     * zero bytes by opening it and seeking to its end. */
    if (len == 0) {
        FILE *f = fmemopen((void *)empty, 1, "r");
        if (f)
            fseek(f, 0, SEEK_END);
        return f;
    }
    return fmemopen((void *)data, len, "r");
}

int fz_utf8_ok(const char *s, size_t len)
{
    return ft_utf8_valid(s, len, NULL);
}
