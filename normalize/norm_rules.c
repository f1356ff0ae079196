/* Text normalisation rules (docs/rules.md): parses the rules format, compiles
 * every pattern once with PCRE2 (UTF, JIT) and applies the [replace] rules to
 * cell text in order, with one match context whose match, depth and heap
 * limits bound the time any pattern may take. Also answers the [furniture]
 * and [artifact] pattern questions for the table finders. */
#include "norm_rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"
#include "ft_utf8.h"
#include "norm_rules_default.h"

/* Largest rules file read. The shipped file is about 5 KB; a megabyte of
 * rules is a mistake (a data file passed by accident), not a rule set. */
#define NORM_RULES_MAX_FILE_LEN (1024u * 1024u)

/* Most rules in one section. Each [replace] rule is one pass over every cell,
 * so a few hundred would already dominate normalize's time. */
#define NORM_RULES_MAX_RULES 1000u

/* PCRE2 match limit (calls of its internal match function; the JIT counts
 * similarly). Every shipped rule needs well under 1,000 per match; a
 * catastrophic pattern such as `(a+)+$` on 30 `a`s needs billions. One
 * million bounds a single match to a few milliseconds (tests/normalize_rules
 * "limit" case). */
#define NORM_RULES_MATCH_LIMIT 1000000u

/* PCRE2 backtracking depth limit (interpreter only; the JIT's own stack is
 * bounded by NORM_RULES_JIT_STACK_MAX). Nested groups in the shipped rules
 * are at most three deep. */
#define NORM_RULES_DEPTH_LIMIT 10000u

/* PCRE2 heap limit in KiB for the interpreter's backtracking frames. */
#define NORM_RULES_HEAP_LIMIT_KIB (16u * 1024u)

/* JIT stack: start small, may grow to 1 MiB, then the match fails with a
 * limit error (PCRE2's default of 32 KiB is too small for lookbehinds over
 * long cells, measured with a 1 MiB cell). */
#define NORM_RULES_JIT_STACK_MIN (32u * 1024u)
#define NORM_RULES_JIT_STACK_MAX (1024u * 1024u)

/* Longest text the furniture patterns look at: a page number or running
 * header is short; a longer run is text, and skipping it keeps the check
 * cheap on pages of long runs. */
#define NORM_FURNITURE_TEXT_MAX 200u

/* Rules flags (the fourth field). */
enum {
    RULE_CASELESS = 1,   /* i */
    RULE_EXTENDED = 2,   /* x */
    RULE_UCP = 4,        /* u */
    RULE_DELSPACE = 8    /* w: delete white space from each replacement */
};

typedef enum {
    STEP_PATTERN,
    STEP_FULLWIDTH,
    STEP_ENTITIES,
    STEP_FOLD
} step_kind;

typedef enum {
    SEC_NONE,
    SEC_REPLACE,
    SEC_FURNITURE,
    SEC_ARTIFACT
} section;

/* A set of byte values, one bit each (four words: tested with four ANDs). */
typedef struct {
    uint64_t w[4];
} byteset;

static void byteset_add(byteset *b, unsigned char c)
{
    b->w[c >> 6] |= (uint64_t)1 << (c & 63);
}

static int byteset_has(const byteset *b, unsigned char c)
{
    return (int)((b->w[c >> 6] >> (c & 63)) & 1);
}

static int byteset_meets(const byteset *a, const byteset *b)
{
    return ((a->w[0] & b->w[0]) | (a->w[1] & b->w[1]) | (a->w[2] & b->w[2]) |
            (a->w[3] & b->w[3])) != 0;
}

typedef struct {
    step_kind kind;
    char *name;            /* heap */
    pcre2_code *code;      /* STEP_PATTERN */
    char *repl;            /* heap, NUL-terminated */
    size_t repl_len;
    unsigned flags;
    int keep_match;        /* replacement is the match itself ($0, ${0}) */
    /* Prefilter (from PCRE2's own analysis of the pattern): a match must
     * start with a byte of `first` (when has_first) and contain every byte
     * of `need` (a required code unit, both cases when caseless). A text
     * without them is skipped without calling pcre2_match: most cells hold
     * no `<`, `&`, `\`, `$` or line break, so most rules cost one bitmap
     * test (bench/rules-bench.sh). */
    int has_first;
    byteset first;
    int nneed;
    unsigned char need[2];
} rule;

typedef struct {
    rule *items;
    size_t count, cap;
} rule_list;

/* The prefilter of a [replace] rule, packed apart from the rule so the loop
 * that skips most rules for most texts stays in a few cache lines. */
typedef struct {
    byteset first;
    unsigned char has_first, nneed, need[2], fold;
    /* the rule can only delete white space from its match (replacement
     * `${0}` with flag w): a text without white space is skipped */
    unsigned char ws_only;
    size_t group_end;      /* last rule with the same first bytes: when a
                            * text has none of them, skip to past it (the
                            * LaTeX rules all start with `\\`) */
} gate;

struct norm_rules {
    rule_list replace, furniture, artifact;
    gate *gates;           /* one per replace rule */
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    /* Scratch reused by every call, so applying rules allocates nothing in
     * the steady state. This makes a norm_rules object single-threaded:
     * norm_rules_apply() takes it const because the rule set does not change,
     * but it writes these buffers (the object is heap-allocated, so the cast
     * in scratch() is defined behaviour). */
    pcre2_match_data *md;
    ft_buf a, b, repl;
};

/* ---- helpers ------------------------------------------------------------- */

static void set_msg(char *msg, size_t msg_len, const char *fmt, ...)
    FT_PRINTF(3, 4);

static void set_msg(char *msg, size_t msg_len, const char *fmt, ...)
{
    if (!msg || msg_len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_len, fmt, ap);
    va_end(ap);
}

static char *dup_str(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

static void rule_cleanup(rule *r)
{
    free(r->name);
    free(r->repl);
    pcre2_code_free(r->code);
}

static void list_cleanup(rule_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        rule_cleanup(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

static ft_err list_push(rule_list *l, const rule *r)
{
    if (l->count >= NORM_RULES_MAX_RULES)
        return FT_LIMIT;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        rule *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return FT_NOMEM;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->count++] = *r;
    return FT_OK;
}

/* ---- parsing ------------------------------------------------------------- */

static int parse_flags(const char *s, size_t len, unsigned *flags)
{
    *flags = 0;
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case 'i': *flags |= RULE_CASELESS; break;
        case 'x': *flags |= RULE_EXTENDED; break;
        case 'u': *flags |= RULE_UCP; break;
        case 'w': *flags |= RULE_DELSPACE; break;
        default: return 0;
        }
    }
    return 1;
}

/* Split line[0..len) at tabs into at most max fields; returns the count, or
 * max + 1 when there are more. */
static size_t split_tabs(const char *line, size_t len, const char **f,
                         size_t *flen, size_t max)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            if (n == max)
                return max + 1;
            f[n] = line + start;
            flen[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    return n;
}

static void add_both_cases(byteset *b, unsigned char c, int caseless)
{
    byteset_add(b, c);
    if (caseless && c >= 'a' && c <= 'z')
        byteset_add(b, (unsigned char)(c - 'a' + 'A'));
    if (caseless && c >= 'A' && c <= 'Z')
        byteset_add(b, (unsigned char)(c - 'A' + 'a'));
}

/* The prefilter of r from pcre2_pattern_info (see the rule struct). */
static void prefilter(rule *r)
{
    uint32_t type = 0, unit = 0;
    int caseless = (r->flags & RULE_CASELESS) != 0;
    const uint8_t *bitmap = NULL;
    r->has_first = 0;
    r->nneed = 0;
    memset(&r->first, 0, sizeof r->first);
    if (pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 &&
        type == 1 &&
        pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
        unit < 256) {
        add_both_cases(&r->first, (unsigned char)unit, caseless);
        r->has_first = 1;
    } else if (pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTBITMAP, &bitmap) ==
                   0 &&
               bitmap) {
        /* PCRE2's bitmap: bit (c & 7) of byte c >> 3 */
        for (int c = 0; c < 256; c++)
            if ((bitmap[c >> 3] >> (c & 7)) & 1)
                byteset_add(&r->first, (unsigned char)c);
        r->has_first = 1;
    }
    if (pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODETYPE, &type) == 0 &&
        type == 1 &&
        pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODEUNIT, &unit) == 0 &&
        unit < 128) {
        /* ASCII only: a multibyte character's last byte says little */
        r->need[r->nneed++] = (unsigned char)unit;
        if (caseless && ((unit >= 'a' && unit <= 'z') || (unit >= 'A' && unit <= 'Z')))
            r->need[r->nneed++] = (unsigned char)(unit ^ 0x20);
    }
}

/* Byte classes for the white-space scans: 1 ASCII TAB..CR, 2 the space,
 * 4 the lead byte of a multibyte white space (U+00A0 C2 A0, U+2000..U+200B
 * E2 80 80..8B, U+3000 E3 80 80, U+FEFF EF BB BF). */
static const unsigned char ws_class[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 2,
    [0xC2] = 4, [0xE2] = 4, [0xE3] = 4, [0xEF] = 4,
};

/* Is the multibyte character at s[0..len) (lead byte of class 4) white
 * space? */
static int multibyte_space(const unsigned char *s, size_t len)
{
    unsigned char c1 = len > 1 ? s[1] : 0, c2 = len > 2 ? s[2] : 0;
    switch (s[0]) {
    case 0xC2: return c1 == 0xA0;
    case 0xE2: return c1 == 0x80 && c2 >= 0x80 && c2 <= 0x8B;
    case 0xE3: return c1 == 0x80 && c2 == 0x80;
    default: return c1 == 0xBB && c2 == 0xBF;
    }
}

/* 1 if ft_utf8_fold_space would change s: white space other than single
 * ASCII spaces between other characters. */
static int needs_fold(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    if (s[0] == ' ' || s[len - 1] == ' ')
        return 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char k = ws_class[s[i]];
        if (k == 0)
            continue;
        if (k == 1 || (k == 2 && s[i + 1] == ' ') ||
            (k == 4 && multibyte_space(s + i, len - i)))
            return 1;
    }
    return 0;
}

/* One pass over a text: the bytes it holds, and needs_fold(). */
static void scan_text(const char *str, size_t len, byteset *b, int *fold)
{
    const unsigned char *s = (const unsigned char *)str;
    uint64_t w[4] = {0, 0, 0, 0};
    int f = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        w[c >> 6] |= (uint64_t)1 << (c & 63);
        unsigned char k = ws_class[c];
        if (k && !f)
            f = k == 1 || (k == 2 && i + 1 < len && s[i + 1] == ' ') ||
                (k == 4 && multibyte_space(s + i, len - i));
    }
    memcpy(b->w, w, sizeof w);
    *fold = f;
}

/* ft_utf8_fold_space, faster on text that is mostly not white space: runs
 * of other bytes are copied whole. */
static ft_err fold_space(ft_buf *out, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    int pending = 0;
    ft_err rc;
    while (i < len) {
        /* a run of bytes that are not white space */
        size_t j = i;
        while (j < len) {
            unsigned char k = ws_class[s[j]];
            if (k == 1 || k == 2 || (k == 4 && multibyte_space(s + j, len - j)))
                break;
            j++;
        }
        if (j > i) {
            if (pending && out->len > 0 && (rc = ft_buf_putc(out, ' ')))
                return rc;
            if ((rc = ft_buf_append(out, str + i, j - i)))
                return rc;
            pending = 0;
        }
        /* the white space after it */
        while (j < len) {
            unsigned char k = ws_class[s[j]];
            if (k == 1 || k == 2)
                j++;
            else if (k == 4 && multibyte_space(s + j, len - j))
                j += s[j] == 0xC2 ? 2 : 3;
            else
                break;
            pending = 1;
        }
        i = j;
    }
    return FT_OK;
}

/* Options of every substitution (load-time check and apply alike). An unset
 * group (the other side of an alternation) is the empty string, as in sed
 * and Perl, not an error. */
#define RULE_SUBSTITUTE_OPTS                                                 \
    (PCRE2_SUBSTITUTE_REPLACEMENT_ONLY | PCRE2_SUBSTITUTE_EXTENDED |         \
     PCRE2_SUBSTITUTE_OVERFLOW_LENGTH | PCRE2_SUBSTITUTE_UNSET_EMPTY)

/* A replacement that names a group the pattern lacks ("${2}" with one
 * group) or is malformed would fail on the first cell it meets, deep in a
 * night run: check it now with PCRE2's own parser, substituting once on a
 * pattern with the same groups (numbers and names) that matches the empty
 * string. Found by fuzz/fuzz_norm_rules (input in fuzz/regress/norm_rules). */
static ft_err check_replacement(const rule *r, const char *file,
                                unsigned long lineno, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    uint32_t ncap = 0, nnames = 0, esize = 0;
    PCRE2_SPTR table = NULL;
    char *pat = NULL;
    pcre2_code *dummy = NULL;
    pcre2_match_data *md = NULL;
    if (r->repl_len == 0)
        return FT_OK;
    pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &ncap);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &nnames);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
    /* Each group is "()" or "(?<name>)"; a name is at most 32 bytes. */
    size_t cap = (size_t)ncap * 40 + 1, n = 0;
    pat = malloc(cap);
    if (!pat)
        return FT_NOMEM;
    for (uint32_t g = 1; g <= ncap; g++) {
        const char *name = NULL;
        for (uint32_t k = 0; k < nnames && !name; k++) {
            PCRE2_SPTR e = table + (size_t)k * esize;
            if ((uint32_t)(e[0] << 8 | e[1]) == g)
                name = (const char *)e + 2;
        }
        int w = name ? snprintf(pat + n, cap - n, "(?<%s>)", name)
                     : snprintf(pat + n, cap - n, "()");
        if (w < 0 || (size_t)w >= cap - n) {
            rc = FT_NOMEM;
            goto out;
        }
        n += (size_t)w;
    }
    int errcode;
    PCRE2_SIZE erroff;
    dummy = pcre2_compile((PCRE2_SPTR)pat, n, PCRE2_UTF, &errcode, &erroff,
                          NULL);
    md = dummy ? pcre2_match_data_create_from_pattern(dummy, NULL) : NULL;
    if (!md) {
        rc = FT_NOMEM;
        goto out;
    }
    PCRE2_UCHAR outbuf[64];
    PCRE2_SIZE olen = sizeof outbuf;
    int sr = pcre2_substitute(dummy, (PCRE2_SPTR) "", 0, 0, RULE_SUBSTITUTE_OPTS,
                              md, NULL, (PCRE2_SPTR)r->repl, r->repl_len,
                              outbuf, &olen);
    if (sr < 0 && sr != PCRE2_ERROR_NOMEMORY) {
        PCRE2_UCHAR buf[160];
        pcre2_get_error_message(sr, buf, sizeof buf);
        set_msg(msg, msg_len, "%s: line %lu: rule '%s': replacement: %s", file,
                lineno, r->name, (const char *)buf);
        rc = FT_PATTERN;
    }
out:
    pcre2_match_data_free(md);
    pcre2_code_free(dummy);
    free(pat);
    return rc;
}

static ft_err compile_rule(rule *r, const char *pat, size_t pat_len,
                           const char *file, unsigned long lineno, char *msg,
                           size_t msg_len)
{
    uint32_t opts = PCRE2_UTF | PCRE2_NO_UTF_CHECK;
    if (r->flags & RULE_CASELESS)
        opts |= PCRE2_CASELESS;
    if (r->flags & RULE_EXTENDED)
        opts |= PCRE2_EXTENDED;
    if (r->flags & RULE_UCP)
        opts |= PCRE2_UCP;
    int errcode;
    PCRE2_SIZE erroff;
    r->code = pcre2_compile((PCRE2_SPTR)pat, pat_len, opts, &errcode, &erroff,
                            NULL);
    if (!r->code) {
        PCRE2_UCHAR buf[160];
        pcre2_get_error_message(errcode, buf, sizeof buf);
        set_msg(msg, msg_len, "%s: line %lu: rule '%s': %s at offset %zu",
                file, lineno, r->name, (const char *)buf, (size_t)erroff);
        return FT_PATTERN;
    }
    uint32_t minlen = 0;
    if (pcre2_pattern_info(r->code, PCRE2_INFO_MINLENGTH, &minlen) == 0 &&
        minlen == 0) {
        set_msg(msg, msg_len,
                "%s: line %lu: rule '%s': pattern may match the empty string",
                file, lineno, r->name);
        return FT_PATTERN;
    }
    ft_err rc = check_replacement(r, file, lineno, msg, msg_len);
    if (rc)
        return rc;
    /* The JIT may be unavailable (some architectures, SELinux); the
     * interpreter then runs with the same limits. */
    (void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
    prefilter(r);
    return FT_OK;
}

static ft_err parse_line(norm_rules *rs, section *sec, const char *line,
                         size_t len, const char *file, unsigned long lineno,
                         char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    rule r = {0};
    while (len > 0 && (line[len - 1] == '\r'))
        len--;
    size_t lead = 0;
    while (lead < len && line[lead] == ' ')
        lead++;
    if (lead == len || line[lead] == '#')
        return FT_OK;
    if (line[0] == '[') {
        if (len == 9 && memcmp(line, "[replace]", 9) == 0)
            *sec = SEC_REPLACE;
        else if (len == 11 && memcmp(line, "[furniture]", 11) == 0)
            *sec = SEC_FURNITURE;
        else if (len == 10 && memcmp(line, "[artifact]", 10) == 0)
            *sec = SEC_ARTIFACT;
        else {
            set_msg(msg, msg_len, "%s: line %lu: unknown section '%.*s'",
                    file, lineno, (int)(len > 40 ? 40 : len), line);
            return FT_CONFIG;
        }
        return FT_OK;
    }
    if (*sec == SEC_NONE) {
        set_msg(msg, msg_len,
                "%s: line %lu: rule before any [replace], [furniture] or "
                "[artifact] section", file, lineno);
        return FT_CONFIG;
    }
    const char *f[4];
    size_t fl[4];
    size_t n = split_tabs(line, len, f, fl, 4);
    size_t want_max = *sec == SEC_REPLACE ? 4 : 3;
    if (n < 2 || n > want_max || fl[0] == 0 || fl[1] == 0) {
        set_msg(msg, msg_len,
                "%s: line %lu: expected %s separated by single tabs", file,
                lineno,
                *sec == SEC_REPLACE ? "name, pattern, replacement [, flags]"
                                    : "name, pattern [, flags]");
        return FT_CONFIG;
    }
    const char *flags_f = NULL;
    size_t flags_len = 0;
    if (*sec == SEC_REPLACE && n == 4) {
        flags_f = f[3];
        flags_len = fl[3];
    } else if (*sec != SEC_REPLACE && n == 3) {
        flags_f = f[2];
        flags_len = fl[2];
    }
    if (flags_f && !parse_flags(flags_f, flags_len, &r.flags)) {
        set_msg(msg, msg_len, "%s: line %lu: unknown flag in '%.*s' (use i x u w)",
                file, lineno, (int)(flags_len > 20 ? 20 : flags_len), flags_f);
        return FT_CONFIG;
    }
    r.name = dup_str(f[0], fl[0]);
    const char *repl = (*sec == SEC_REPLACE && n >= 3) ? f[2] : "";
    size_t repl_len = (*sec == SEC_REPLACE && n >= 3) ? fl[2] : 0;
    r.repl = dup_str(repl, repl_len);
    r.repl_len = repl_len;
    r.keep_match = (repl_len == 2 && memcmp(repl, "$0", 2) == 0) ||
                   (repl_len == 4 && memcmp(repl, "${0}", 4) == 0);
    if (!r.name || !r.repl) {
        rc = FT_NOMEM;
        goto out;
    }
    if (f[1][0] == '@') {
        if (*sec != SEC_REPLACE) {
            set_msg(msg, msg_len, "%s: line %lu: built-in steps belong in [replace]",
                    file, lineno);
            rc = FT_CONFIG;
            goto out;
        }
        if (fl[1] == 10 && memcmp(f[1], "@fullwidth", 10) == 0) {
            r.kind = STEP_FULLWIDTH;
            /* U+3000 is E3 80 80, U+FF01..FF5E start with EF */
            r.has_first = 1;
            byteset_add(&r.first, 0xE3);
            byteset_add(&r.first, 0xEF);
        } else if (fl[1] == 9 && memcmp(f[1], "@entities", 9) == 0) {
            r.kind = STEP_ENTITIES;
            r.has_first = 1;
            byteset_add(&r.first, '&');
        }
        else if (fl[1] == 5 && memcmp(f[1], "@fold", 5) == 0)
            r.kind = STEP_FOLD;
        else {
            set_msg(msg, msg_len,
                    "%s: line %lu: unknown built-in step '%.*s' (use "
                    "@fullwidth, @entities, @fold)",
                    file, lineno, (int)(fl[1] > 30 ? 30 : fl[1]), f[1]);
            rc = FT_CONFIG;
            goto out;
        }
    } else {
        r.kind = STEP_PATTERN;
        if ((rc = compile_rule(&r, f[1], fl[1], file, lineno, msg, msg_len)))
            goto out;
    }
    rule_list *l = *sec == SEC_REPLACE     ? &rs->replace
                   : *sec == SEC_FURNITURE ? &rs->furniture
                                           : &rs->artifact;
    if ((rc = list_push(l, &r))) {
        if (rc == FT_LIMIT)
            set_msg(msg, msg_len, "%s: line %lu: more than %u rules in a section",
                    file, lineno, NORM_RULES_MAX_RULES);
        goto out;
    }
    return FT_OK;
out:
    rule_cleanup(&r);
    return rc;
}

static ft_err parse_text(norm_rules *rs, const char *text, size_t len,
                         const char *file, char *msg, size_t msg_len)
{
    size_t bad;
    if (!ft_utf8_valid(text, len, &bad)) {
        unsigned long ln = 1;
        for (size_t i = 0; i < bad; i++)
            ln += text[i] == '\n';
        set_msg(msg, msg_len, "%s: line %lu: invalid UTF-8", file, ln);
        return FT_CONFIG;
    }
    section sec = SEC_NONE;
    unsigned long lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        lineno++;
        ft_err rc = parse_line(rs, &sec, text + pos, end - pos, file, lineno,
                               msg, msg_len);
        if (rc)
            return rc;
        pos = end + 1;
    }
    return FT_OK;
}

static ft_err read_file(const char *path, char **text, size_t *len, char *msg,
                        size_t msg_len)
{
    ft_err rc = FT_OK;
    ft_buf b;
    ft_buf_init(&b, NORM_RULES_MAX_FILE_LEN);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        set_msg(msg, msg_len, "%s: %s", path, strerror(e));
        rc = e == ENOENT ? FT_NOENT : FT_IO;
        goto out;
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if ((rc = ft_buf_append(&b, chunk, n))) {
            if (rc == FT_LIMIT) {
                set_msg(msg, msg_len, "%s: rules file larger than %u bytes",
                        path, NORM_RULES_MAX_FILE_LEN);
                rc = FT_CONFIG;
            }
            goto out;
        }
    }
    if (ferror(f)) {
        set_msg(msg, msg_len, "%s: read error", path);
        rc = FT_IO;
        goto out;
    }
    *len = b.len;
    *text = ft_buf_steal(&b);
    if (!*text)
        rc = FT_NOMEM;
out:
    if (f)
        fclose(f);
    ft_buf_cleanup(&b);
    return rc;
}

ft_err norm_rules_load(const char *path, int replace, norm_rules **out,
                       char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    char *text = NULL;
    size_t text_len = 0;
    norm_rules *rs = calloc(1, sizeof *rs);
    *out = NULL;
    set_msg(msg, msg_len, "%s", "");
    if (!rs) {
        rc = FT_NOMEM;
        goto out;
    }
    ft_buf_init(&rs->a, FT_MAX_LINE_LEN);
    ft_buf_init(&rs->b, FT_MAX_LINE_LEN);
    ft_buf_init(&rs->repl, FT_MAX_LINE_LEN);
    rs->mctx = pcre2_match_context_create(NULL);
    rs->jit_stack = pcre2_jit_stack_create(NORM_RULES_JIT_STACK_MIN,
                                           NORM_RULES_JIT_STACK_MAX, NULL);
    rs->md = pcre2_match_data_create(32, NULL);
    if (!rs->mctx || !rs->md) {
        rc = FT_NOMEM;
        goto out;
    }
    pcre2_set_match_limit(rs->mctx, NORM_RULES_MATCH_LIMIT);
    pcre2_set_depth_limit(rs->mctx, NORM_RULES_DEPTH_LIMIT);
    pcre2_set_heap_limit(rs->mctx, NORM_RULES_HEAP_LIMIT_KIB);
    if (rs->jit_stack) /* NULL when the JIT is not available */
        pcre2_jit_stack_assign(rs->mctx, NULL, rs->jit_stack);
    if (!path || !replace) {
        section sec = SEC_NONE;
        for (size_t i = 0; i < norm_rules_default_nlines; i++) {
            const char *line = norm_rules_default_lines[i];
            if ((rc = parse_line(rs, &sec, line, strlen(line),
                                 "(built-in rules)", i + 1, msg, msg_len)))
                goto out;
        }
    }
    if (path) {
        if ((rc = read_file(path, &text, &text_len, msg, msg_len)))
            goto out;
        if ((rc = parse_text(rs, text, text_len, path, msg, msg_len)))
            goto out;
    }
    rs->gates = malloc((rs->replace.count + 1) * sizeof *rs->gates);
    if (!rs->gates) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < rs->replace.count; i++) {
        const rule *r = &rs->replace.items[i];
        gate *g = &rs->gates[i];
        g->first = r->first;
        g->has_first = (unsigned char)r->has_first;
        g->nneed = (unsigned char)r->nneed;
        g->need[0] = r->need[0];
        g->need[1] = r->need[1];
        g->fold = r->kind == STEP_FOLD;
        g->ws_only = r->kind == STEP_PATTERN && r->keep_match &&
                     (r->flags & RULE_DELSPACE);
    }
    for (size_t i = rs->replace.count; i-- > 0;) {
        gate *g = &rs->gates[i];
        g->group_end = i;
        if (g->has_first && i + 1 < rs->replace.count &&
            rs->gates[i + 1].has_first &&
            memcmp(&rs->gates[i + 1].first, &g->first, sizeof g->first) == 0)
            g->group_end = rs->gates[i + 1].group_end;
    }
    *out = rs;
    rs = NULL;
out:
    free(text);
    norm_rules_free(rs);
    return rc;
}

void norm_rules_free(norm_rules *rules)
{
    if (!rules)
        return;
    list_cleanup(&rules->replace);
    free(rules->gates);
    list_cleanup(&rules->furniture);
    list_cleanup(&rules->artifact);
    pcre2_match_data_free(rules->md);
    pcre2_jit_stack_free(rules->jit_stack);
    pcre2_match_context_free(rules->mctx);
    ft_buf_cleanup(&rules->a);
    ft_buf_cleanup(&rules->b);
    ft_buf_cleanup(&rules->repl);
    free(rules);
}

/* ---- built-in steps ------------------------------------------------------ */

static ft_err step_fullwidth(const char *s, size_t len, ft_buf *out,
                             byteset *added)
{
    size_t i = 0, copied = 0;
    ft_err rc;
    while (i < len) {
        /* U+3000 is E3 80 80, U+FF01..FF5E are EF BC 81..EF BD 9E */
        const char *p = memchr(s + i, 0xEF, len - i);
        const char *q = memchr(s + i, 0xE3, len - i);
        if (!p || (q && q < p))
            p = q;
        if (!p)
            break;
        i = (size_t)(p - s);
        uint32_t cp;
        size_t n = ft_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        uint32_t a = ft_fullwidth_to_ascii(cp);
        if (a) {
            char ch = (char)a;
            byteset_add(added, (unsigned char)a);
            if ((rc = ft_buf_append(out, s + copied, i - copied)) ||
                (rc = ft_buf_append(out, &ch, 1)))
                return rc;
            copied = i + n;
        }
        i += n;
    }
    return ft_buf_append(out, s + copied, len - copied);
}

typedef struct {
    const char *name;
    uint32_t cp;
} entity;

/* Named entities decoded. The XML five, the spaces converters emit, and the
 * symbols that occur in the forms' targets and amounts. Anything else stays
 * as written (it may be text that merely looks like an entity). */
static const entity entities[] = {
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},
    {"quot", '"'},     {"apos", '\''},     {"nbsp", 0xA0},
    {"ensp", 0x2002},  {"emsp", 0x2003},   {"thinsp", 0x2009},
    {"ge", 0x2265},    {"le", 0x2264},     {"ne", 0x2260},
    {"times", 0xD7},   {"divide", 0xF7},   {"plusmn", 0xB1},
    {"middot", 0xB7},  {"yen", 0xA5},      {"euro", 0x20AC},
    {"pound", 0xA3},   {"deg", 0xB0},      {"ndash", 0x2013},
    {"mdash", 0x2014}, {"hellip", 0x2026}, {"permil", 0x2030},
    {"ldquo", 0x201C}, {"rdquo", 0x201D},  {"lsquo", 0x2018},
    {"rsquo", 0x2019},
};

/* Decode the entity at s[0..len) (s[0] == '&'). Returns its length including
 * ';' and the code point in *cp, or 0 when it is not one we decode. */
static size_t parse_entity(const char *s, size_t len, uint32_t *cp)
{
    size_t i = 1;
    if (i < len && s[i] == '#') {
        i++;
        int hex = 0;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        uint32_t v = 0;
        size_t digits = 0;
        for (; i < len && digits < 7; i++, digits++) {
            char c = s[i];
            int d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                break;
            v = v * (hex ? 16u : 10u) + (uint32_t)d;
        }
        if (digits == 0 || i >= len || s[i] != ';')
            return 0;
        /* No NUL or other controls (a cell must stay printable text), no
         * surrogates, nothing past U+10FFFF; tab and line feed are kept. */
        if ((v < 0x20 && v != '\t' && v != '\n') || (v >= 0x7F && v < 0xA0) ||
            (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
            return 0;
        *cp = v;
        return i + 1;
    }
    size_t start = i;
    while (i < len && i - start < 8 &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    if (i >= len || s[i] != ';' || i == start)
        return 0;
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        if (strlen(entities[k].name) == i - start &&
            memcmp(entities[k].name, s + start, i - start) == 0) {
            *cp = entities[k].cp;
            return i + 1;
        }
    }
    return 0;
}

static ft_err step_entities(const char *s, size_t len, ft_buf *out,
                            byteset *added)
{
    size_t i = 0, copied = 0;
    ft_err rc;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        if (!amp)
            break;
        i = (size_t)(amp - s);
        uint32_t cp;
        size_t n = parse_entity(s + i, len - i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        char enc[4];
        size_t elen = ft_utf8_encode(cp, enc);
        for (size_t k = 0; k < elen; k++)
            byteset_add(added, (unsigned char)enc[k]);
        if ((rc = ft_buf_append(out, s + copied, i - copied)) ||
            (rc = ft_buf_append(out, enc, elen)))
            return rc;
        i += n;
        copied = i;
    }
    return ft_buf_append(out, s + copied, len - copied);
}

/* ---- pattern rules ------------------------------------------------------- */

static ft_err map_pcre_error(int e)
{
    switch (e) {
    case PCRE2_ERROR_MATCHLIMIT:
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
        return FT_LIMIT;
    case PCRE2_ERROR_NOMEMORY:
        return FT_NOMEM;
    default:
        return FT_INTERNAL;
    }
}

/* Append repl with its white space deleted. */
static ft_err append_nospace(ft_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = ft_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            n = 1;
        else if (ft_is_space(cp)) {
            i += n;
            continue;
        }
        ft_err rc = ft_buf_append(out, s + i, n);
        if (rc)
            return rc;
        i += n;
    }
    return FT_OK;
}

/* 1 if s[0..len) holds white space (ft_is_space). */
static int has_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = ft_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return 0;
        if (ft_is_space(cp))
            return 1;
        i += n;
    }
    return 0;
}

/* Apply one pattern rule globally: s -> out. *hit is set when a match was
 * replaced by different text. */
static ft_err step_pattern(norm_rules *rs, const rule *r, const char *s,
                           size_t len, ft_buf *out, int *hit, byteset *added)
{
    ft_err rc = FT_OK;
    size_t pos = 0, copied = 0;
    *hit = 0;
    while (pos <= len) {
        int m = pcre2_match(r->code, (PCRE2_SPTR)s, len, pos,
                            PCRE2_NO_UTF_CHECK, rs->md, rs->mctx);
        if (m == PCRE2_ERROR_NOMATCH)
            break;
        if (m < 0)
            return map_pcre_error(m);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->md);
        size_t ms = ov[0], me = ov[1];
        if (me <= ms) {
            /* Empty matches are refused at load time (minimum length), but a
             * \K can still produce one; step over a character. */
            uint32_t cp;
            size_t n = pos < len ? ft_utf8_decode(s + pos, len - pos, &cp) : 1;
            pos += n ? n : 1;
            continue;
        }
        if (r->keep_match && (r->flags & RULE_DELSPACE) &&
            !has_space(s + ms, me - ms)) {
            /* `${0}` with w and no white space in the match: unchanged */
            pos = me;
            continue;
        }
        ft_buf_reset(&rs->repl);
        if ((rc = ft_buf_reserve(&rs->repl, r->repl_len + (me - ms) + 64)))
            return rc;
        /* an empty replacement deletes the match: nothing to substitute */
        for (; r->repl_len > 0;) {
            PCRE2_SIZE olen = rs->repl.cap;
            int sr = pcre2_substitute(
                r->code, (PCRE2_SPTR)s, len, pos,
                PCRE2_NO_UTF_CHECK | PCRE2_SUBSTITUTE_MATCHED |
                    RULE_SUBSTITUTE_OPTS,
                rs->md, rs->mctx, (PCRE2_SPTR)r->repl, r->repl_len,
                (PCRE2_UCHAR *)rs->repl.data, &olen);
            if (sr == PCRE2_ERROR_NOMEMORY) {
                if ((rc = ft_buf_reserve(&rs->repl, olen)))
                    return rc;
                continue;
            }
            if (sr < 0)
                return map_pcre_error(sr);
            rs->repl.len = olen;
            break;
        }
        if ((rc = ft_buf_append(out, s + copied, ms - copied)))
            return rc;
        size_t mark = out->len;
        rc = (r->flags & RULE_DELSPACE)
                 ? append_nospace(out, rs->repl.data, rs->repl.len)
                 : ft_buf_append(out, rs->repl.data, rs->repl.len);
        if (rc)
            return rc;
        if (out->len - mark != me - ms ||
            memcmp(out->data + mark, s + ms, me - ms) != 0)
            *hit = 1;
        for (size_t k = mark; k < out->len; k++)
            byteset_add(added, (unsigned char)out->data[k]);
        copied = pos = me;
    }
    return ft_buf_append(out, s + copied, len - copied);
}

ft_err norm_rules_apply(const norm_rules *rules, const char *s, size_t len,
                        ft_buf *out, int *changed)
{
    norm_rules *rs = (norm_rules *)rules; /* scratch only; see struct */
    ft_err rc = FT_OK;
    const char *cur = s;
    size_t cur_len = len;
    ft_buf *bufs[2] = {&rs->a, &rs->b};
    int which = 0;
    /* present: a superset of the bytes of the current text (bytes a step
     * removes stay in it, bytes it inserts are added), so a rule is skipped
     * only when it surely cannot match. fold: the text surely needs no
     * folding, known from the first scan until a rule changes the text. */
    byteset present;
    int fold, fold_known = 1;
    /* bytes that start white space: ASCII TAB..CR and space, and the lead
     * bytes of U+00A0, U+2000..U+200B, U+3000 and U+FEFF */
    static const byteset ws_bytes = {{0x100003E00u, 0, 0,
                                      (1ull << (0xC2 - 192)) |
                                          (1ull << (0xE2 - 192)) |
                                          (1ull << (0xE3 - 192)) |
                                          (1ull << (0xEF - 192))}};
    *changed = 0;
    if (len == 0)
        return FT_OK;
    if (rs->replace.count == 0)
        return ft_buf_append(out, s, len);
    scan_text(s, len, &present, &fold);
    for (size_t i = 0; i < rs->replace.count; i++) {
        const gate *g = &rs->gates[i];
        if (g->has_first && !byteset_meets(&g->first, &present)) {
            i = g->group_end;
            continue;
        }
        if (g->nneed && !byteset_has(&present, g->need[0]) &&
            (g->nneed < 2 || !byteset_has(&present, g->need[1])))
            continue;
        if (g->ws_only &&
            (fold_known && !fold ? !byteset_has(&present, ' ')
                                 : !byteset_meets(&ws_bytes, &present)))
            continue;
        const rule *r = &rs->replace.items[i];
        if (g->fold) {
            if (!fold_known) {
                fold = needs_fold(cur, cur_len);
                fold_known = 1;
            }
            if (!fold)
                continue;
        }
        ft_buf *dst = bufs[which];
        byteset added = {{0, 0, 0, 0}};
        int hit = 0;
        ft_buf_reset(dst);
        switch (r->kind) {
        case STEP_FULLWIDTH:
            rc = step_fullwidth(cur, cur_len, dst, &added);
            break;
        case STEP_ENTITIES:
            rc = step_entities(cur, cur_len, dst, &added);
            break;
        case STEP_FOLD:
            rc = fold_space(dst, cur, cur_len);
            byteset_add(&added, ' ');
            break;
        case STEP_PATTERN:
            rc = step_pattern(rs, r, cur, cur_len, dst, &hit, &added);
            break;
        }
        if (rc)
            goto out;
        if (r->kind != STEP_PATTERN)
            hit = dst->len != cur_len || memcmp(dst->data ? dst->data : "",
                                                cur, cur_len) != 0;
        if (!hit) {
            if (g->fold)
                fold_known = 1, fold = 0;
            continue;
        }
        *changed = 1;
        cur = dst->data ? dst->data : "";
        cur_len = dst->len;
        which ^= 1;
        for (int k = 0; k < 4; k++)
            present.w[k] |= added.w[k];
        fold_known = r->kind == STEP_FOLD; /* folded text needs no more */
        fold = 0;
    }
out:
    if (rc == FT_LIMIT) {
        /* A rule hit a match limit: the text goes out unchanged, the caller
         * warns. FT_LIMIT from a full output buffer ends the same way. */
        *changed = 0;
        ft_err rc2 = ft_buf_append(out, s, len);
        return rc2 ? rc2 : FT_LIMIT;
    }
    if (rc)
        return rc;
    return ft_buf_append(out, cur, cur_len);
}

/* ---- pattern questions --------------------------------------------------- */

static int any_match(norm_rules *rs, const rule_list *l, const char *s,
                     size_t len)
{
    for (size_t i = 0; i < l->count; i++) {
        int m = pcre2_match(l->items[i].code, (PCRE2_SPTR)s, len, 0,
                            PCRE2_NO_UTF_CHECK, rs->md, rs->mctx);
        if (m >= 0)
            return 1;
    }
    return 0;
}

/* Trim ASCII and Unicode white space from both ends. */
static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    while (n > 0) {
        uint32_t cp;
        size_t k = ft_utf8_decode(p, n, &cp);
        if (k == 0 || !ft_is_space(cp))
            break;
        p += k;
        n -= k;
    }
    while (n > 0) {
        size_t k = 1;
        while (k < n && k < 4 && ((unsigned char)p[n - k] & 0xC0) == 0x80)
            k++;
        uint32_t cp;
        if (ft_utf8_decode(p + n - k, k, &cp) != k || !ft_is_space(cp))
            break;
        n -= k;
    }
    *s = p;
    *len = n;
}

int norm_rules_is_furniture(const norm_rules *rules, const char *s, size_t len)
{
    trim(&s, &len);
    if (len == 0 || len > NORM_FURNITURE_TEXT_MAX)
        return 0;
    return any_match((norm_rules *)rules, &rules->furniture, s, len);
}

int norm_rules_is_artifact_line(const norm_rules *rules, const char *s,
                                size_t len)
{
    trim(&s, &len);
    if (len == 0)
        return 0;
    return any_match((norm_rules *)rules, &rules->artifact, s, len);
}
