/* Reading emit's JSON Lines form records back (ext_inspect_json.h). */
#include "ext_inspect_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"
#include "ft_utf8.h"

typedef struct {
    const char *p, *end, *start;
    ft_arena *a;
    char *msg;
    size_t msg_len;
} parser;

static ft_err fail(parser *ps, const char *what)
{
    snprintf(ps->msg, ps->msg_len, "%s at byte %zu", what,
             (size_t)(ps->p - ps->start) + 1);
    return FT_FORMAT;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' ||
            *ps->p == '\n'))
        ps->p++;
}

static int hex4(const char *s, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return 0;
        *v = *v * 16 + d;
    }
    return 1;
}

/* A string at ps->p (on the opening quote), decoded into the arena. The
 * decoded form is never longer than the escaped one. */
static ft_err parse_string(parser *ps, const char **out, size_t *out_len)
{
    const char *q = ps->p + 1;
    size_t raw = 0;
    while (q + raw < ps->end && q[raw] != '"') {
        if (q[raw] == '\\')
            raw++;
        raw++;
    }
    if (q + raw >= ps->end)
        return fail(ps, "unterminated string");
    char *d = ft_arena_alloc(ps->a, raw + 1);
    if (!d)
        return FT_LIMIT;
    size_t n = 0;
    const char *s = q, *e = q + raw;
    while (s < e) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20) {
            ps->p = s;
            return fail(ps, "control character in string");
        }
        if (c != '\\') {
            d[n++] = (char)c;
            s++;
            continue;
        }
        s++;
        switch (*s) {
        case '"': d[n++] = '"'; s++; break;
        case '\\': d[n++] = '\\'; s++; break;
        case '/': d[n++] = '/'; s++; break;
        case 'b': d[n++] = '\b'; s++; break;
        case 'f': d[n++] = '\f'; s++; break;
        case 'n': d[n++] = '\n'; s++; break;
        case 'r': d[n++] = '\r'; s++; break;
        case 't': d[n++] = '\t'; s++; break;
        case 'u': {
            uint32_t cp, lo;
            if (e - s < 5 || !hex4(s + 1, &cp)) {
                ps->p = s;
                return fail(ps, "bad \\u escape");
            }
            s += 5;
            if (cp >= 0xD800 && cp <= 0xDBFF && e - s >= 6 && s[0] == '\\' &&
                s[1] == 'u' && hex4(s + 2, &lo) && lo >= 0xDC00 &&
                lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                s += 6;
            }
            /* A lone surrogate cannot be UTF-8: U+FFFD stands in. Every
             * encoding is at most as long as the 6-byte escape it replaces. */
            size_t k = ft_utf8_encode(cp, d + n);
            if (k == 0)
                k = ft_utf8_encode(0xFFFD, d + n);
            n += k;
            break;
        }
        default:
            ps->p = s;
            return fail(ps, "bad escape");
        }
    }
    d[n] = '\0';
    *out = d;
    *out_len = n;
    ps->p = q + raw + 1;
    return FT_OK;
}

/* Skip a nested array or object at ps->p, strings included. */
static ft_err skip_nested(parser *ps)
{
    unsigned depth = 0;
    while (ps->p < ps->end) {
        char c = *ps->p;
        if (c == '"') {
            ps->p++;
            while (ps->p < ps->end && *ps->p != '"')
                ps->p += *ps->p == '\\' ? 2 : 1;
            if (ps->p >= ps->end)
                return fail(ps, "unterminated string");
        } else if (c == '[' || c == '{') {
            if (++depth > EXT_JSON_MAX_DEPTH)
                return FT_LIMIT;
        } else if (c == ']' || c == '}') {
            if (depth == 0)
                return fail(ps, "unbalanced bracket");
            if (--depth == 0) {
                ps->p++;
                return FT_OK;
            }
        }
        ps->p++;
    }
    return fail(ps, "unterminated array or object");
}

static ft_err parse_value(parser *ps, ext_json_member *m)
{
    const char *v = ps->p;
    if (v >= ps->end)
        return fail(ps, "missing value");
    if (*v == '"') {
        m->type = EXT_JSON_STRING;
        return parse_string(ps, &m->text, &m->len);
    }
    ft_err rc = FT_OK;
    if (*v == '[' || *v == '{') {
        m->type = EXT_JSON_NESTED;
        rc = skip_nested(ps);
    } else if ((size_t)(ps->end - v) >= 4 && !memcmp(v, "true", 4)) {
        m->type = EXT_JSON_BOOL;
        ps->p += 4;
    } else if ((size_t)(ps->end - v) >= 5 && !memcmp(v, "false", 5)) {
        m->type = EXT_JSON_BOOL;
        ps->p += 5;
    } else if ((size_t)(ps->end - v) >= 4 && !memcmp(v, "null", 4)) {
        m->type = EXT_JSON_NULL;
        ps->p += 4;
    } else if (*v == '-' || (*v >= '0' && *v <= '9')) {
        m->type = EXT_JSON_NUMBER;
        while (ps->p < ps->end && strchr("+-0123456789.eE", *ps->p))
            ps->p++;
    } else {
        return fail(ps, "unexpected character");
    }
    if (rc)
        return rc;
    m->len = (size_t)(ps->p - v);
    char *t = ft_arena_strndup(ps->a, v, m->len);
    if (!t)
        return FT_LIMIT;
    m->text = t;
    return FT_OK;
}

ft_err ext_json_parse_object(const char *s, size_t len, ft_arena *a,
                             ext_record *out, char *msg, size_t msg_len)
{
    parser ps = {s, s + len, s, a, msg, msg_len};
    ext_json_member tmp[EXT_JSON_MAX_MEMBERS];
    size_t n = 0;
    ft_err rc = FT_OK;
    msg[0] = '\0';
    out->m = NULL;
    out->n = 0;

    skip_ws(&ps);
    if (ps.p >= ps.end || *ps.p != '{') {
        rc = fail(&ps, "not a JSON object");
        goto out;
    }
    ps.p++;
    skip_ws(&ps);
    if (ps.p < ps.end && *ps.p == '}') {
        ps.p++;
    } else {
        for (;;) {
            if (n == EXT_JSON_MAX_MEMBERS) {
                rc = FT_LIMIT;
                snprintf(msg, msg_len, "more than %u members",
                         EXT_JSON_MAX_MEMBERS);
                goto out;
            }
            ext_json_member *m = &tmp[n];
            size_t klen;
            skip_ws(&ps);
            if (ps.p >= ps.end || *ps.p != '"') {
                rc = fail(&ps, "expected a key");
                goto out;
            }
            if ((rc = parse_string(&ps, &m->key, &klen)))
                goto out;
            skip_ws(&ps);
            if (ps.p >= ps.end || *ps.p != ':') {
                rc = fail(&ps, "expected ':'");
                goto out;
            }
            ps.p++;
            skip_ws(&ps);
            if ((rc = parse_value(&ps, m)))
                goto out;
            n++;
            skip_ws(&ps);
            if (ps.p < ps.end && *ps.p == ',') {
                ps.p++;
                continue;
            }
            if (ps.p < ps.end && *ps.p == '}') {
                ps.p++;
                break;
            }
            rc = fail(&ps, "expected ',' or '}'");
            goto out;
        }
    }
    skip_ws(&ps);
    if (ps.p != ps.end) {
        rc = fail(&ps, "text after the object");
        goto out;
    }
    out->m = ft_arena_alloc(a, (n ? n : 1) * sizeof *out->m);
    if (!out->m) {
        rc = FT_LIMIT;
        goto out;
    }
    memcpy(out->m, tmp, n * sizeof *out->m);
    out->n = n;
out:
    if (rc == FT_LIMIT && !msg[0])
        snprintf(msg, msg_len, "record too large or too deeply nested");
    return rc;
}

const ext_json_member *ext_record_get(const ext_record *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->m[i].key, key))
            return &r->m[i];
    return NULL;
}

int ext_record_uint(const ext_record *r, const char *key, unsigned *out)
{
    const ext_json_member *m = ext_record_get(r, key);
    if (!m || m->type != EXT_JSON_NUMBER || m->len == 0 || m->len > 9)
        return 0;
    unsigned v = 0;
    for (size_t i = 0; i < m->len; i++) {
        if (m->text[i] < '0' || m->text[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(m->text[i] - '0');
    }
    *out = v;
    return 1;
}

/* ---- the record stream --------------------------------------------------- */

ft_err ext_records_init(ext_records *r, FILE *in)
{
    memset(r, 0, sizeof *r);
    ft_arena_init(&r->arena, EXT_RECORDS_MAX_TEXT);
    ft_buf_init(&r->ahead, FT_MAX_LINE_LEN);
    if (!in)
        return FT_OK;
    ft_err rc = ft_line_reader_init(&r->lr, in, FT_MAX_LINE_LEN);
    if (!rc)
        r->active = 1;
    return rc;
}

void ext_records_cleanup(ext_records *r)
{
    if (r->active)
        ft_line_reader_cleanup(&r->lr);
    ft_arena_cleanup(&r->arena);
    ft_buf_cleanup(&r->ahead);
    free(r->recs);
    memset(r, 0, sizeof *r);
}

static void skip(ext_records *r, const char *why)
{
    if (r->skipped++ == 0)
        snprintf(r->msg, sizeof r->msg, "line %lu: %s", r->lr.lineno, why);
}

/* Parse line into a record; 0 (and counted as skipped) if it is not one. */
static int parse_line(ext_records *r, const char *line, size_t len,
                      ext_record *rec, unsigned *table)
{
    char msg[160];
    if (ext_json_parse_object(line, len, &r->arena, rec, msg, sizeof msg)) {
        skip(r, msg);
        return 0;
    }
    if (!ext_record_uint(rec, "table", table)) {
        skip(r, "record without a table number");
        return 0;
    }
    return 1;
}

static ft_err keep(ext_records *r, const ext_record *rec)
{
    if (r->nrecs >= EXT_RECORDS_MAX_PER_TABLE) {
        skip(r, "too many records for one table");
        return FT_OK;
    }
    if (r->nrecs == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        ext_record *p = realloc(r->recs, cap * sizeof *p);
        if (!p)
            return FT_NOMEM;
        r->recs = p;
        r->cap = cap;
    }
    r->recs[r->nrecs++] = *rec;
    return FT_OK;
}

ft_err ext_records_for_table(ext_records *r, unsigned table,
                             const ext_record **out, size_t *n)
{
    ft_err rc = FT_OK;
    ft_arena_reset(&r->arena);
    r->nrecs = 0;
    *out = NULL;
    *n = 0;
    for (;;) {
        ext_record rec;
        unsigned t;
        if (r->have_ahead) {
            if (r->ahead_table > table)
                break;
            r->have_ahead = 0;
            if (!parse_line(r, ft_buf_str(&r->ahead), r->ahead.len, &rec, &t))
                continue;
        } else {
            char *line;
            size_t len;
            if (!r->active)
                break;
            rc = ft_line_reader_next(&r->lr, &line, &len);
            if (rc == FT_EOF) {
                rc = FT_OK;
                r->active = 0;
                ft_line_reader_cleanup(&r->lr);
                break;
            }
            if (rc == FT_LIMIT) {
                skip(r, "line too long");
                rc = FT_OK;
                continue;
            }
            if (rc)
                break;
            if (len == 0 || !parse_line(r, line, len, &rec, &t))
                continue;
            if (t > table) {
                /* A later table's: keep the line as text (what was parsed
                 * into the arena goes with this table's reset). */
                ft_buf_reset(&r->ahead);
                if ((rc = ft_buf_append(&r->ahead, line, len)))
                    break;
                r->ahead_table = t;
                r->have_ahead = 1;
                break;
            }
        }
        if (t < table) {
            skip(r, "record out of table order");
            continue;
        }
        if ((rc = keep(r, &rec)))
            break;
    }
    *out = r->recs;
    *n = r->nrecs;
    return rc;
}
