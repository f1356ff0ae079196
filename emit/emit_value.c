/* Typed values: compaction, numbers with units, targets, dates, label units
 * (see emit_value.h). Everything works on the compacted text with plain byte
 * comparisons; the only multibyte characters looked at are the comparison
 * signs and the Chinese words listed in the tables below. */
#include "emit_value.h"

#include <string.h>

#include "ft_utf8.h"

size_t emit_compact(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    size_t i = 0;
    if (cap == 0)
        return (size_t)-1;
    while (i < len) {
        uint32_t cp;
        size_t k = ft_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            return (size_t)-1;
        i += k;
        if (ft_is_space(cp))
            continue;
        uint32_t a = ft_fullwidth_to_ascii(cp);
        char enc[4];
        size_t m = ft_utf8_encode(a ? a : cp, enc);
        if (n + m >= cap)
            return (size_t)-1;
        memcpy(out + n, enc, m);
        n += m;
    }
    out[n] = '\0';

    /* LaTeX left by converters (seed 003): "$\geq 90.00\%$" is "≥90.00%",
     * "$800 \times 50 = 40000$" is "800×50=40000". A text wrapped in $...$
     * loses the dollars; the commands below become their symbols. Every
     * replacement is no longer than what it replaces, so this works in
     * place. */
    static const struct {
        const char *tex, *sym;
    } tex[] = {{"\\geq", "\xe2\x89\xa5"}, {"\\leq", "\xe2\x89\xa4"},
               {"\\ge", "\xe2\x89\xa5"},  {"\\le", "\xe2\x89\xa4"},
               {"\\times", "\xc3\x97"},   {"\\%", "%"}};
    if (n >= 2 && out[0] == '$' && out[n - 1] == '$') {
        memmove(out, out + 1, n - 2);
        n -= 2;
        out[n] = '\0';
    }
    if (memchr(out, '\\', n)) {
        size_t r = 0, w = 0;
        while (r < n) {
            size_t t;
            for (t = 0; t < sizeof tex / sizeof tex[0]; t++) {
                size_t tl = strlen(tex[t].tex);
                if (r + tl <= n && !memcmp(out + r, tex[t].tex, tl)) {
                    size_t sl = strlen(tex[t].sym);
                    memmove(out + w, tex[t].sym, sl); /* sl <= tl */
                    w += sl;
                    r += tl;
                    break;
                }
            }
            if (t == sizeof tex / sizeof tex[0])
                out[w++] = out[r++];
        }
        n = w;
        out[n] = '\0';
    }
    return n;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Read a number at s: [-]digits with optional ',' thousands grouping (then
 * every group after the first has exactly three digits), optional '.' and
 * digits. Writes the literal without commas to num. Returns the bytes read,
 * 0 if there is no well-formed number. */
static size_t read_number(const char *s, size_t len, char *num, size_t cap)
{
    size_t i = 0, n = 0;
    if (i < len && s[i] == '-' && i + 1 < len && is_digit(s[i + 1]))
        num[n++] = s[i++];
    if (i >= len || !is_digit(s[i]))
        return 0;
    size_t group = 0;   /* digits in the current group */
    int grouped = 0;    /* a ',' was seen */
    while (i < len) {
        if (is_digit(s[i])) {
            if (n + 1 >= cap)
                return 0;
            num[n++] = s[i++];
            group++;
        } else if (s[i] == ',' && i + 1 < len && is_digit(s[i + 1])) {
            if ((grouped && group != 3) || (!grouped && group > 3))
                return 0;
            grouped = 1;
            group = 0;
            i++;
        } else {
            break;
        }
    }
    if (grouped && group != 3)
        return 0;
    if (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
        num[n++] = s[i++];
        while (i < len && is_digit(s[i])) {
            if (n + 1 >= cap)
                return 0;
            num[n++] = s[i++];
        }
    }
    num[n] = '\0';
    /* A literal keeps its digits, not a zero padding: JSON and most loaders
     * reject "099.00" (a target read from "=099.00(%)"; found by
     * fuzz/fuzz_emit, input in fuzz/regress/emit). */
    size_t d = num[0] == '-' ? 1 : 0, z = d;
    while (num[z] == '0' && is_digit(num[z + 1]))
        z++;
    if (z > d)
        memmove(num + d, num + z, n - z + 1);
    return i;
}

/* Characters that never occur in a unit: they mean the text goes on as a
 * sentence or a list ("采购率大于80%即达标", "3-5名"). */
static int unit_ok(const char *u, size_t len)
{
    static const char *const bad[] = {",", ";", ":", "=", "<", ">",
                                      "\xe3\x80\x82" /* 。 */,
                                      "\xe3\x80\x81" /* 、 */,
                                      "\xe2\x89\xa5", "\xe2\x89\xa4",
                                      "\xe2\x89\xa7", "\xe2\x89\xa6"};
    for (size_t i = 0; i < len; i++)
        if (is_digit(u[i]) || u[i] == '-' || u[i] == '+' || u[i] == '.')
            return 0;
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        size_t bl = strlen(bad[b]);
        for (size_t i = 0; i + bl <= len; i++)
            if (!memcmp(u + i, bad[b], bl))
                return 0;
    }
    return ft_utf8_nchars(u, len) <= EMIT_MAX_UNIT_NCHARS;
}

static int ends_with(const char *s, size_t len, const char *suf)
{
    size_t k = strlen(suf);
    return len >= k && !memcmp(s + len - k, suf, k);
}

/* Number and unit of compacted c[0..len). */
static int parse_compact_quantity(const char *c, size_t len, emit_quantity *q)
{
    size_t i = read_number(c, len, q->number, sizeof q->number);
    if (i == 0)
        return 0;
    const char *u = c + i;
    size_t ul = len - i;
    /* A sentence-final full stop is punctuation, not part of the unit. */
    while (ul && (ends_with(u, ul, "\xe3\x80\x82") || u[ul - 1] == '.'))
        ul -= u[ul - 1] == '.' ? 1 : 3;
    if (ul >= 2 && u[0] == '(' && u[ul - 1] == ')' &&
        !memchr(u + 1, ')', ul - 2) && !memchr(u + 1, '(', ul - 2)) {
        u++;
        ul -= 2;
    }
    if (ul > EMIT_MAX_UNIT_LEN || !unit_ok(u, ul))
        return 0;
    memcpy(q->unit, u, ul);
    q->unit[ul] = '\0';
    return 1;
}

/* 1 if c[0..len) is a calculation: digits, points, commas, brackets and
 * + - * / × x only. */
static int is_formula(const char *c, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = c[i];
        if (is_digit(ch) || strchr(".,()+-*/xX", ch))
            continue;
        if (i + 1 < len && (unsigned char)ch == 0xc3 &&
            (unsigned char)c[i + 1] == 0x97) { /* × */
            i++;
            continue;
        }
        return 0;
    }
    return len > 0;
}

static void quantity_clear(emit_quantity *q)
{
    q->op = NULL;
    q->number[0] = '\0';
    q->unit[0] = '\0';
}

/* Compaction buffer: a value cell longer than this is prose, not a number. */
#define EMIT_MAX_VALUE_LEN 256u

int emit_parse_quantity(const char *s, size_t len, emit_quantity *q)
{
    char c[EMIT_MAX_VALUE_LEN];
    quantity_clear(q);
    size_t n = emit_compact(s, len, c, sizeof c);
    if (n == (size_t)-1 || n == 0)
        return 0;
    const char *eq = NULL;
    for (size_t i = n; i > 0; i--)
        if (c[i - 1] == '=') {
            eq = c + i - 1;
            break;
        }
    const char *p = c;
    if (eq && eq > c && is_formula(c, (size_t)(eq - c)))
        p = eq + 1;
    if (!parse_compact_quantity(p, n - (size_t)(p - c), q)) {
        quantity_clear(q);
        return 0;
    }
    return 1;
}

/* Comparison words, longest first so "大于等于" wins over "大于". */
static const struct {
    const char *word, *op;
} prefix_ops[] = {
    {"\xe5\xa4\xa7\xe4\xba\x8e\xe6\x88\x96\xe7\xad\x89\xe4\xba\x8e", ">="}, /* 大于或等于 */
    {"\xe5\xb0\x8f\xe4\xba\x8e\xe6\x88\x96\xe7\xad\x89\xe4\xba\x8e", "<="}, /* 小于或等于 */
    {"\xe5\xa4\xa7\xe4\xba\x8e\xe7\xad\x89\xe4\xba\x8e", ">="}, /* 大于等于 */
    {"\xe5\xb0\x8f\xe4\xba\x8e\xe7\xad\x89\xe4\xba\x8e", "<="}, /* 小于等于 */
    {"\xe4\xb8\x8d\xe5\xb0\x91\xe4\xba\x8e", ">="}, /* 不少于 */
    {"\xe4\xb8\x8d\xe4\xbd\x8e\xe4\xba\x8e", ">="}, /* 不低于 */
    {"\xe4\xb8\x8d\xe5\xb0\x8f\xe4\xba\x8e", ">="}, /* 不小于 */
    {"\xe4\xb8\x8d\xe8\xb6\x85\xe8\xbf\x87", "<="}, /* 不超过 */
    {"\xe4\xb8\x8d\xe9\xab\x98\xe4\xba\x8e", "<="}, /* 不高于 */
    {"\xe4\xb8\x8d\xe5\xa4\xa7\xe4\xba\x8e", "<="}, /* 不大于 */
    {"\xe4\xb8\x8d\xe5\xa4\x9a\xe4\xba\x8e", "<="}, /* 不多于 */
    {"\xe5\xa4\xa7\xe4\xba\x8e", ">"},              /* 大于 */
    {"\xe9\xab\x98\xe4\xba\x8e", ">"},              /* 高于 */
    {"\xe8\xb6\x85\xe8\xbf\x87", ">"},              /* 超过 */
    {"\xe5\xa4\x9a\xe4\xba\x8e", ">"},              /* 多于 */
    {"\xe5\xb0\x8f\xe4\xba\x8e", "<"},              /* 小于 */
    {"\xe4\xbd\x8e\xe4\xba\x8e", "<"},              /* 低于 */
    {"\xe5\xb0\x91\xe4\xba\x8e", "<"},              /* 少于 */
    {"\xe7\xad\x89\xe4\xba\x8e", "="},              /* 等于 */
    {">=", ">="},
    {"<=", "<="},
    {"=>", ">="},
    {"=<", "<="},
    {"\xe2\x89\xa5", ">="}, /* ≥ */
    {"\xe2\x89\xa7", ">="}, /* ≧ */
    {"\xe2\x89\xa4", "<="}, /* ≤ */
    {"\xe2\x89\xa6", "<="}, /* ≦ */
    {">", ">"},
    {"<", "<"},
    {"=", "="},
};

/* Trailing comparison words: "5次(篇)以上", "50人次以上". */
static const struct {
    const char *word, *op;
} suffix_ops[] = {
    {"\xe5\x8f\x8a\xe4\xbb\xa5\xe4\xb8\x8a", ">="}, /* 及以上 */
    {"\xe5\x8f\x8a\xe4\xbb\xa5\xe4\xb8\x8b", "<="}, /* 及以下 */
    {"\xe4\xbb\xa5\xe4\xb8\x8a", ">="},             /* 以上 */
    {"\xe4\xbb\xa5\xe4\xb8\x8b", "<="},             /* 以下 */
    {"\xe4\xbb\xa5\xe5\x86\x85", "<="},             /* 以内 */
};

int emit_parse_target(const char *s, size_t len, emit_quantity *q)
{
    char c[EMIT_MAX_VALUE_LEN];
    quantity_clear(q);
    size_t n = emit_compact(s, len, c, sizeof c);
    if (n == (size_t)-1 || n == 0)
        return 0;
    const char *p = c;
    const char *op = NULL;
    for (size_t k = 0; k < sizeof prefix_ops / sizeof prefix_ops[0]; k++) {
        size_t wl = strlen(prefix_ops[k].word);
        if (n >= wl && !memcmp(c, prefix_ops[k].word, wl)) {
            op = prefix_ops[k].op;
            p += wl;
            break;
        }
    }
    size_t pl = n - (size_t)(p - c);
    /* Strip a final full stop before looking for a trailing word. */
    while (pl && (ends_with(p, pl, "\xe3\x80\x82") || p[pl - 1] == '.'))
        pl -= p[pl - 1] == '.' ? 1 : 3;
    for (size_t k = 0; k < sizeof suffix_ops / sizeof suffix_ops[0]; k++) {
        if (ends_with(p, pl, suffix_ops[k].word)) {
            if (op)
                return 0; /* "≥5个以上": two comparisons, do not choose */
            op = suffix_ops[k].op;
            pl -= strlen(suffix_ops[k].word);
            break;
        }
    }
    if (!parse_compact_quantity(p, pl, q)) {
        quantity_clear(q);
        return 0;
    }
    q->op = op;
    return 1;
}

/* Read 1..maxd digits at s as an int; returns digits read or 0. */
static size_t read_int(const char *s, size_t len, size_t maxd, int *v)
{
    size_t i = 0;
    *v = 0;
    while (i < len && i < maxd && is_digit(s[i]))
        *v = *v * 10 + (s[i++] - '0');
    if (i < len && i == maxd && is_digit(s[i]))
        return 0; /* too many digits */
    return i;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int emit_parse_date(const char *s, size_t len, char iso[11])
{
    char c[64];
    size_t n = emit_compact(s, len, c, sizeof c);
    if (n == (size_t)-1 || n < 6)
        return 0;
    int y, m, d = 0;
    size_t i = read_int(c, n, 4, &y);
    if (i != 4)
        return 0;
    static const char nian[] = "\xe5\xb9\xb4", yue[] = "\xe6\x9c\x88",
                      ri[] = "\xe6\x97\xa5"; /* 年 月 日 */
    int cjk = 0;
    char sep = 0;
    if (n - i >= 3 && !memcmp(c + i, nian, 3)) {
        cjk = 1;
        i += 3;
    } else if (c[i] == '-' || c[i] == '/' || c[i] == '.') {
        sep = c[i++];
    } else {
        return 0;
    }
    size_t k = read_int(c + i, n - i, 2, &m);
    if (!k)
        return 0;
    i += k;
    int has_day = 0;
    if (cjk) {
        if (n - i < 3 || memcmp(c + i, yue, 3))
            return 0;
        i += 3;
        if (i < n) {
            if (!(k = read_int(c + i, n - i, 2, &d)))
                return 0;
            i += k;
            if (n - i != 3 || memcmp(c + i, ri, 3))
                return 0;
            i += 3;
            has_day = 1;
        }
    } else if (i < n) {
        if (c[i] != sep)
            return 0;
        i++;
        if (!(k = read_int(c + i, n - i, 2, &d)))
            return 0;
        i += k;
        has_day = 1;
    } else if (sep == '.') {
        return 0; /* "2024.1" is a decimal number, not a month */
    }
    if (i != n || m < 1 || m > 12)
        return 0;
    if (has_day && (d < 1 || d > days_in_month(y, m)))
        return 0;
    /* y has exactly four digits, m and d at most two: write them out. */
    iso[0] = (char)('0' + y / 1000);
    iso[1] = (char)('0' + y / 100 % 10);
    iso[2] = (char)('0' + y / 10 % 10);
    iso[3] = (char)('0' + y % 10);
    iso[4] = '-';
    iso[5] = (char)('0' + m / 10);
    iso[6] = (char)('0' + m % 10);
    iso[7] = '\0';
    if (has_day) {
        iso[7] = '-';
        iso[8] = (char)('0' + d / 10);
        iso[9] = (char)('0' + d % 10);
        iso[10] = '\0';
    }
    return 1;
}

static const char *const currency_units[] = {
    "\xe5\x85\x83",             /* 元 */
    "\xe4\xb8\x87\xe5\x85\x83", /* 万元 */
    "\xe4\xba\xbf\xe5\x85\x83", /* 亿元 */
    "\xe5\x8d\x83\xe5\x85\x83", /* 千元 */
};

int emit_unit_is_currency(const char *unit)
{
    for (size_t i = 0; i < sizeof currency_units / sizeof currency_units[0];
         i++)
        if (!strcmp(unit, currency_units[i]))
            return 1;
    return 0;
}

int emit_label_unit(const char *s, size_t len, char unit[16])
{
    char c[EMIT_MAX_VALUE_LEN];
    size_t n = emit_compact(s, len, c, sizeof c);
    if (n == (size_t)-1)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i] != '(')
            continue;
        const char *close = memchr(c + i + 1, ')', n - i - 1);
        if (!close)
            return 0;
        size_t ul = (size_t)(close - (c + i + 1));
        if (ul < 16) {
            char u[16];
            memcpy(u, c + i + 1, ul);
            u[ul] = '\0';
            if (emit_unit_is_currency(u)) {
                memcpy(unit, u, ul + 1);
                return 1;
            }
        }
    }
    return 0;
}
