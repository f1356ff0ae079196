/* Helpers shared by the libFuzzer targets (see fuzz_util.h). */
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

#include "ft_layout.h"
#include "ft_table.h"
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

FILE *fz_devnull(void)
{
    static FILE *f;
    if (!f) {
        f = fopen("/dev/null", "w");
        if (!f)
            fz_fail(__FILE__, __LINE__, "open /dev/null");
    }
    return f;
}

/* ---- a strict JSON checker ------------------------------------------------ */

typedef struct {
    const char *p, *end;
    int depth;
} json_cur;

#define JSON_MAX_DEPTH 256

static void json_ws(json_cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' ||
                             *c->p == '\r'))
        c->p++;
}

static int json_lit(json_cur *c, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return 0;
    c->p += n;
    return 1;
}

static int is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
           (ch >= 'A' && ch <= 'F');
}

static int json_string(json_cur *c)
{
    if (c->p >= c->end || *c->p != '"')
        return 0;
    c->p++;
    while (c->p < c->end) {
        unsigned char ch = (unsigned char)*c->p++;
        if (ch == '"')
            return 1;
        if (ch < 0x20)
            return 0;
        if (ch != '\\')
            continue;
        if (c->p >= c->end)
            return 0;
        ch = (unsigned char)*c->p++;
        if (ch == 'u') {
            for (int i = 0; i < 4; i++)
                if (c->p >= c->end || !is_hex(*c->p++))
                    return 0;
        } else if (!strchr("\"\\/bfnrt", ch) || ch == 0) {
            return 0;
        }
    }
    return 0;
}

static int json_number(json_cur *c)
{
    const char *s = c->p;
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p >= c->end)
        return 0;
    if (*c->p == '0') {
        c->p++;
    } else if (*c->p >= '1' && *c->p <= '9') {
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    } else {
        return 0;
    }
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (c->p >= c->end || *c->p < '0' || *c->p > '9')
            return 0;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (c->p >= c->end || *c->p < '0' || *c->p > '9')
            return 0;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    return c->p > s;
}

static int json_value(json_cur *c);

static int json_container(json_cur *c, char open, char close, int members)
{
    if (++c->depth > JSON_MAX_DEPTH)
        return 0;
    c->p++; /* open */
    (void)open;
    json_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        c->depth--;
        return 1;
    }
    for (;;) {
        json_ws(c);
        if (members) {
            if (!json_string(c))
                return 0;
            json_ws(c);
            if (c->p >= c->end || *c->p++ != ':')
                return 0;
            json_ws(c);
        }
        if (!json_value(c))
            return 0;
        json_ws(c);
        if (c->p >= c->end)
            return 0;
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        if (*c->p == close) {
            c->p++;
            c->depth--;
            return 1;
        }
        return 0;
    }
}

static int json_value(json_cur *c)
{
    json_ws(c);
    if (c->p >= c->end)
        return 0;
    switch (*c->p) {
    case '{': return json_container(c, '{', '}', 1);
    case '[': return json_container(c, '[', ']', 0);
    case '"': return json_string(c);
    case 't': return json_lit(c, "true");
    case 'f': return json_lit(c, "false");
    case 'n': return json_lit(c, "null");
    default: return json_number(c);
    }
}

int fz_json_valid(const char *s, size_t len)
{
    json_cur c = { s, s + len, 0 };
    if (!json_value(&c))
        return 0;
    json_ws(&c);
    return c.p == c.end;
}

/* ---- stream checks --------------------------------------------------------- */

int fz_layout_ok(const char *s, size_t len, char *msg, size_t msg_len)
{
    FILE *f = fz_memfile((const uint8_t *)s, len);
    ft_layout_reader r;
    ft_page p;
    ft_err rc;
    if (!f)
        return 1; /* out of memory: not the code under test */
    ft_page_init(&p);
    rc = ft_layout_reader_init(&r, f, "out");
    while (!rc && (rc = ft_layout_read_page(&r, &p)) == FT_OK)
        ;
    snprintf(msg, msg_len, "%s: %s", ft_strerror(rc), r.rr.msg);
    ft_layout_reader_cleanup(&r);
    ft_page_cleanup(&p);
    fclose(f);
    return rc == FT_EOF;
}

int fz_tables_ok(const char *s, size_t len, char *msg, size_t msg_len)
{
    FILE *f = fz_memfile((const uint8_t *)s, len);
    ft_tables_reader r;
    ft_tables_item it;
    ft_table t;
    ft_err rc;
    if (!f)
        return 1;
    ft_table_init(&t);
    rc = ft_tables_reader_init(&r, f, "out");
    while (!rc && (rc = ft_tables_read_next(&r, &it, &t)) == FT_OK)
        ;
    snprintf(msg, msg_len, "%s: %s", ft_strerror(rc), r.rr.msg);
    ft_tables_reader_cleanup(&r);
    ft_table_cleanup(&t);
    fclose(f);
    return rc == FT_EOF;
}
