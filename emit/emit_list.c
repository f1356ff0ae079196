/* Splitting numbered indicator lists (see emit_list.h). */
#include "emit_list.h"

#include <stdint.h>
#include <string.h>

#include "ft_utf8.h"

#define DUN "\xe3\x80\x81"        /* 、 */
#define ZHIBIAO "\xe6\x8c\x87\xe6\xa0\x87" /* 指标 */
#define ZHIBIAOZHI "\xe6\x8c\x87\xe6\xa0\x87\xe5\x80\xbc" /* 指标值 */

/* Character at s[i]; its length in *k (1 for a bad byte). */
static uint32_t char_at(const char *s, size_t len, size_t i, size_t *k)
{
    uint32_t cp;
    *k = ft_utf8_decode(s + i, len - i, &cp);
    if (*k == 0)
        *k = 1;
    return cp;
}

static int is_colon(uint32_t cp)
{
    return cp == ':' || cp == 0xFF1A;
}

static int is_comma(uint32_t cp)
{
    return cp == ',' || cp == 0xFF0C;
}

/* Stops that end a type word: punctuation that cannot be inside it. */
static int is_stop(uint32_t cp)
{
    return is_colon(cp) || is_comma(cp) || cp == 0x3002 /* 。 */ ||
           cp == 0x3001 /* 、 */ || cp == ';' || cp == 0xFF1B;
}

static ft_err normalise(const char *s, size_t len, ft_buf *out)
{
    ft_err rc;
    size_t i = 0;
    uint32_t prev = 0; /* last character written, 0 at the start */
    int pending = 0;   /* white space seen since it */
    while (i < len) {
        size_t k;
        uint32_t cp = char_at(s, len, i, &k);
        if (ft_is_space(cp)) {
            pending = 1;
            i += k;
            continue;
        }
        if (pending && prev && !ft_is_cjk(prev) && !ft_is_cjk(cp) &&
            (rc = ft_buf_putc(out, ' ')))
            return rc;
        pending = 0;
        if ((rc = ft_buf_append(out, s + i, k)))
            return rc;
        prev = cp;
        i += k;
    }
    return FT_OK;
}

/* If an item starts at i ("N、<type>指标:"), return the offset of its type
 * word; else (size_t)-1. */
static size_t item_start(const char *s, size_t len, size_t i)
{
    if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
        return (size_t)-1;
    size_t j = i, nd = 0;
    while (j < len && s[j] >= '0' && s[j] <= '9' && nd < 3) {
        j++;
        nd++;
    }
    if (nd == 0 || nd > 2 || len - j < 3 || memcmp(s + j, DUN, 3))
        return (size_t)-1;
    size_t type = j + 3, p = type, nchars = 0;
    while (p < len && nchars <= EMIT_MAX_TYPE_NCHARS) {
        size_t k;
        uint32_t cp = char_at(s, len, p, &k);
        if (is_stop(cp)) {
            if (!is_colon(cp) || p - type < 6 || memcmp(s + p - 6, ZHIBIAO, 6))
                return (size_t)-1;
            return type;
        }
        p += k;
        nchars++;
    }
    return (size_t)-1;
}

/* Trim white space and closing punctuation (。 . ; ；) from both ends of
 * s[*off..*off+*len). */
static void trim(const char *s, size_t *off, size_t *len)
{
    size_t a = *off, b = *off + *len;
    for (;;) {
        if (a < b && s[a] == ' ') {
            a++;
            continue;
        }
        if (b > a && (s[b - 1] == ' ' || s[b - 1] == '.' || s[b - 1] == ';')) {
            b--;
            continue;
        }
        if (b - a >= 3 && (!memcmp(s + b - 3, "\xe3\x80\x82", 3) ||
                           !memcmp(s + b - 3, "\xef\xbc\x9b", 3))) {
            b -= 3;
            continue;
        }
        break;
    }
    *off = a;
    *len = b - a;
}

/* If s[i..end) starts with a comma, at most EMIT_MAX_TARGET_PREFIX_NCHARS
 * characters, 指标值 and a colon, return the offset after the colon; else
 * (size_t)-1. */
static size_t target_marker(const char *s, size_t end, size_t i)
{
    size_t k;
    if (i >= end || !is_comma(char_at(s, end, i, &k)))
        return (size_t)-1;
    size_t p = i + k;
    for (unsigned n = 0; n <= EMIT_MAX_TARGET_PREFIX_NCHARS && p < end; n++) {
        if (end - p >= 9 && !memcmp(s + p, ZHIBIAOZHI, 9)) {
            size_t q = p + 9;
            if (q < end && is_colon(char_at(s, end, q, &k)))
                return q + k;
            return (size_t)-1;
        }
        uint32_t cp = char_at(s, end, p, &k);
        if (is_stop(cp))
            return (size_t)-1;
        p += k;
    }
    return (size_t)-1;
}

/* 1 if the item's target is its own name, a comma and the start of the
 * 年度指标值 marker and nothing more: a repetition the cell's end cut
 * (seed 002 广州市驻镇帮镇扶村资金, item 8). */
static int cut_repetition(const char *s, const emit_list_item *it)
{
    static const char marker[] = "\xe5\xb9\xb4\xe5\xba\xa6" ZHIBIAOZHI; /* 年度指标值 */
    size_t nl = it->name_len, t = it->target_off, tl = it->target_len, k;
    if (nl == 0 || tl <= nl || memcmp(s + t, s + it->name_off, nl))
        return 0;
    size_t p = t + nl;
    if (!is_comma(char_at(s, t + tl, p, &k)))
        return 0;
    p += k;
    size_t rest = t + tl - p;
    return rest < sizeof marker - 1 && memcmp(s + p, marker, rest) == 0;
}

/* Fill one item from its body s[b..e) (after "N、"). */
static void parse_item(const char *s, size_t b, size_t e, emit_list_item *it)
{
    size_t k, p = b;
    while (p < e && !is_colon(char_at(s, e, p, &k)))
        p += k;
    it->type_off = b;
    it->type_len = p - b;
    size_t r = p < e ? p + k : e; /* after the colon */
    size_t mark = (size_t)-1, comma = e;
    for (size_t q = r; q < e; q += k) {
        char_at(s, e, q, &k);
        if ((mark = target_marker(s, e, q)) != (size_t)-1) {
            comma = q;
            break;
        }
    }
    it->name_off = r;
    it->name_len = comma - r;
    trim(s, &it->name_off, &it->name_len);
    if (mark == (size_t)-1) {
        it->target_off = e;
        it->target_len = 0;
        return;
    }
    it->target_off = mark;
    it->target_len = e - mark;
    trim(s, &it->target_off, &it->target_len);
    /* Publisher repetition: "<name>,年度指标值:" again at the start. */
    for (;;) {
        size_t t = it->target_off, nl = it->name_len;
        if (nl == 0 || it->target_len <= nl ||
            memcmp(s + t, s + it->name_off, nl))
            break;
        size_t after = target_marker(s, t + it->target_len, t + nl);
        if (after == (size_t)-1)
            break;
        it->target_len -= after - t;
        it->target_off = after;
        trim(s, &it->target_off, &it->target_len);
    }
    /* A repetition cut off by the end of the cell ("<name>,年度指标"): the
     * target itself was never printed. */
    if (cut_repetition(s, it))
        it->target_len = 0;
}

static int same(const char *s, size_t ao, size_t al, size_t bo, size_t bl)
{
    return al == bl && !memcmp(s + ao, s + bo, al);
}

size_t emit_list_split(const char *s, size_t len, ft_buf *norm,
                       emit_list_item *items, size_t max, ft_err *err)
{
    *err = FT_OK;
    ft_buf_reset(norm);
    if ((*err = normalise(s, len, norm)))
        return 0;
    const char *t = ft_buf_str(norm);
    size_t n = norm->len, count = 0;
    size_t body = (size_t)-1; /* type offset of the item being read */
    emit_list_item prev = {0, 0, 0, 0, 0, 0};
    int have_prev = 0;
    for (size_t i = 0; i <= n;) {
        size_t start = i < n ? item_start(t, n, i) : (size_t)-1;
        if (start == (size_t)-1 && i < n) {
            size_t k;
            char_at(t, n, i, &k);
            i += k;
            continue;
        }
        if (body != (size_t)-1) {
            emit_list_item it;
            parse_item(t, body, i, &it);
            if (!(have_prev &&
                  same(t, it.type_off, it.type_len, prev.type_off,
                       prev.type_len) &&
                  same(t, it.name_off, it.name_len, prev.name_off,
                       prev.name_len) &&
                  same(t, it.target_off, it.target_len, prev.target_off,
                       prev.target_len))) {
                if (count < max)
                    items[count] = it;
                count++;
            }
            prev = it;
            have_prev = 1;
        }
        if (i == n)
            break;
        if (body == (size_t)-1 && i != 0) {
            /* Text before the first item: not a list we understand. */
            return 0;
        }
        body = start;
        i = start;
    }
    return count;
}
