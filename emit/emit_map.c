/* Mapping-file reader and pattern matching (see emit_map.h; format in
 * docs/records.md). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "emit_map.h"

#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_utf8.h"

/* The built-in map, generated from emit/formtab.map at build time. */
extern const unsigned char emit_builtin_map[];
extern const size_t emit_builtin_map_len;

struct emit_pattern {
    pcre2_code *code;
    pcre2_match_data *md;
    uint32_t vgroup; /* number of the value group, 0 if none */
};

struct emit_map_pcre {
    pcre2_match_context *mctx;
};

const char *emit_vtype_name(emit_vtype t)
{
    switch (t) {
    case EMIT_VT_TEXT: return "text";
    case EMIT_VT_AMOUNT: return "amount";
    case EMIT_VT_NUMBER: return "number";
    case EMIT_VT_PERCENT: return "percent";
    case EMIT_VT_QUANTITY: return "quantity";
    case EMIT_VT_DATE: return "date";
    case EMIT_VT_TARGET: return "target";
    case EMIT_VT_LIST: return "list";
    }
    return "text";
}

static int vtype_parse(const char *s, emit_vtype *t)
{
    static const emit_vtype all[] = {EMIT_VT_TEXT,     EMIT_VT_AMOUNT,
                                     EMIT_VT_NUMBER,   EMIT_VT_PERCENT,
                                     EMIT_VT_QUANTITY, EMIT_VT_DATE,
                                     EMIT_VT_TARGET,   EMIT_VT_LIST};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(s, emit_vtype_name(all[i]))) {
            *t = all[i];
            return 1;
        }
    return 0;
}

static void pattern_free(emit_pattern *p)
{
    if (!p)
        return;
    pcre2_match_data_free(p->md);
    pcre2_code_free(p->code);
    free(p);
}

void emit_map_free(emit_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nfields; i++) {
        free(m->fields[i].name);
        free(m->fields[i].in_group);
        pattern_free(m->fields[i].label);
        pattern_free(m->fields[i].inline_);
    }
    free(m->fields);
    for (size_t i = 0; i < m->nsections; i++) {
        emit_section_rule *s = &m->sections[i];
        free(s->name);
        for (size_t k = 0; k < s->ncols; k++) {
            free(s->cols[k].role);
            pattern_free(s->cols[k].pat);
        }
        free(s->cols);
        for (size_t k = 0; k < s->nrows; k++) {
            free(s->rows[k].name);
            pattern_free(s->rows[k].pat);
        }
        free(s->rows);
        free(s->total_name);
        pattern_free(s->total);
    }
    free(m->sections);
    if (m->pcre) {
        pcre2_match_context_free(m->pcre->mctx);
        free(m->pcre);
    }
    free(m);
}

/* Parsing state: where we are, for messages. */
typedef struct {
    const char *name;
    unsigned line;
    char *msg;
    size_t len;
} parse_ctx;

static ft_err fail(parse_ctx *c, ft_err rc, const char *fmt, ...)
    FT_PRINTF(3, 4);

static ft_err fail(parse_ctx *c, ft_err rc, const char *fmt, ...)
{
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    snprintf(c->msg, c->len, "%s: line %u: %s", c->name, c->line, detail);
    return rc;
}

/* Compile "(?:user)" + suffix, anchored at both ends. value_group names the
 * group whose range emit_pattern_match reports (NULL: none). */
static ft_err compile(parse_ctx *c, const char *user, const char *suffix,
                      const char *value_group, emit_pattern **out)
{
    ft_err rc = FT_OK;
    emit_pattern *p = NULL;
    size_t n = strlen(user) + strlen(suffix) + 8;
    char *src = malloc(n);
    *out = NULL;
    if (!src)
        return FT_NOMEM;
    snprintf(src, n, "(?:%s)%s", user, suffix);
    p = calloc(1, sizeof *p);
    if (!p) {
        rc = FT_NOMEM;
        goto out;
    }
    int err;
    PCRE2_SIZE off;
    p->code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                            PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED |
                                PCRE2_DOTALL,
                            &err, &off, NULL);
    if (!p->code) {
        PCRE2_UCHAR m[256];
        pcre2_get_error_message(err, m, sizeof m);
        size_t at = off >= 3 ? off - 3 : 0; /* offset in the user's text */
        if (at > strlen(user))
            at = strlen(user);
        rc = fail(c, FT_PATTERN, "bad pattern at byte %zu: %s", at,
                  (const char *)m);
        goto out;
    }
    /* JIT is an optimisation: where it is missing the interpreter runs. */
    (void)pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
    p->md = pcre2_match_data_create_from_pattern(p->code, NULL);
    if (!p->md) {
        rc = FT_NOMEM;
        goto out;
    }
    if (value_group) {
        int g = pcre2_substring_number_from_name(p->code,
                                                 (PCRE2_SPTR)value_group);
        p->vgroup = g > 0 ? (uint32_t)g : 0;
    }
    *out = p;
    p = NULL;
out:
    pattern_free(p);
    free(src);
    return rc;
}

/* 1 if the user pattern defines a group named "value". */
static int has_value_group(const char *pat)
{
    return strstr(pat, "(?<value>") || strstr(pat, "(?P<value>") ||
           strstr(pat, "(?'value'");
}

static int is_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

/* Split off the next white-space-separated token of *p (modified in place). */
static char *token(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s) {
        *p = s;
        return NULL;
    }
    char *t = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return t;
}

/* The rest of the line, trimmed: the pattern. */
static char *rest(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    *p = s + n;
    return n ? s : NULL;
}

static ft_err grow(void **arr, size_t n, size_t size)
{
    /* Arrays grow by one element per rule; rules are few (EMIT_MAX_RULES). */
    void *a = realloc(*arr, (n + 1) * size);
    if (!a)
        return FT_NOMEM;
    *arr = a;
    memset((char *)a + n * size, 0, size);
    return FT_OK;
}

static ft_err dupstr(const char *s, char **out)
{
    *out = strdup(s);
    return *out ? FT_OK : FT_NOMEM;
}

static ft_err parse_field(parse_ctx *c, emit_map *m, char *p)
{
    ft_err rc;
    char *name = token(&p), *type = token(&p);
    if (!name || !type)
        return fail(c, FT_CONFIG, "'field' needs NAME TYPE PATTERN");
    if (!is_name(name))
        return fail(c, FT_CONFIG, "field name '%s' is not snake_case", name);
    emit_vtype vt;
    if (!vtype_parse(type, &vt) || vt == EMIT_VT_LIST)
        return fail(c, FT_CONFIG, "unknown field type '%s'", type);
    if (m->nfields >= EMIT_MAX_RULES)
        return fail(c, FT_CONFIG, "more than %u field rules", EMIT_MAX_RULES);
    if ((rc = grow((void **)&m->fields, m->nfields, sizeof *m->fields)))
        return rc;
    emit_field_rule *f = &m->fields[m->nfields++];
    f->type = vt;
    f->line = c->line;
    if ((rc = dupstr(name, &f->name)))
        return rc;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '@')
            break;
        char *opt = token(&p);
        if (!strcmp(opt, "@below")) {
            f->below = 1;
        } else if (!strncmp(opt, "@in=", 4) && is_name(opt + 4)) {
            free(f->in_group);
            if ((rc = dupstr(opt + 4, &f->in_group)))
                return rc;
        } else {
            return fail(c, FT_CONFIG, "unknown option '%s' (@below, @in=GROUP)",
                        opt);
        }
    }
    char *pat = rest(&p);
    if (!pat)
        return fail(c, FT_CONFIG, "field '%s' has no pattern", name);
    f->self = has_value_group(pat);
    if (f->self && f->below)
        return fail(c, FT_CONFIG, "a pattern with a value group takes no @below");
    if ((rc = compile(c, pat, ":?", f->self ? "value" : NULL, &f->label)))
        return rc;
    if (!f->self && !f->below &&
        (rc = compile(c, pat, ":(?<formtab_value>.+)", "formtab_value",
                      &f->inline_)))
        return rc;
    return FT_OK;
}

static ft_err parse_section(parse_ctx *c, emit_map *m, char *p)
{
    ft_err rc;
    char *name = token(&p), *kind = token(&p);
    if (!name || !kind || rest(&p))
        return fail(c, FT_CONFIG, "'section' needs NAME KIND");
    if (!is_name(name))
        return fail(c, FT_CONFIG, "section name '%s' is not snake_case", name);
    emit_sec_kind k;
    if (!strcmp(kind, "indicator"))
        k = EMIT_SEC_INDICATOR;
    else if (!strcmp(kind, "funds"))
        k = EMIT_SEC_FUNDS;
    else if (!strcmp(kind, "budget"))
        k = EMIT_SEC_BUDGET;
    else if (!strcmp(kind, "rows"))
        k = EMIT_SEC_ROWS;
    else
        return fail(c, FT_CONFIG,
                    "unknown section kind '%s' (indicator, funds, budget, rows)",
                    kind);
    if (m->nsections >= EMIT_MAX_RULES)
        return fail(c, FT_CONFIG, "too many sections");
    if ((rc = grow((void **)&m->sections, m->nsections, sizeof *m->sections)))
        return rc;
    emit_section_rule *s = &m->sections[m->nsections++];
    s->kind = k;
    s->line = c->line;
    return dupstr(name, &s->name);
}

/* Roles a section kind knows; funds and rows sections take any name. */
static int role_ok(emit_sec_kind k, const char *role)
{
    static const char *const ind[] = {"level1", "level2", "level3", "target",
                                      "actual", "weight", "score", "deviation"};
    static const char *const bud[] = {"item", "quantity", "unit_price", "amount",
                                      "total"};
    const char *const *list = k == EMIT_SEC_INDICATOR ? ind : bud;
    size_t n = k == EMIT_SEC_INDICATOR ? sizeof ind / sizeof ind[0]
                                       : sizeof bud / sizeof bud[0];
    if (k == EMIT_SEC_FUNDS || k == EMIT_SEC_ROWS)
        return is_name(role);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], role))
            return 1;
    return 0;
}

static ft_err parse_column(parse_ctx *c, emit_map *m, char *p)
{
    ft_err rc;
    if (!m->nsections)
        return fail(c, FT_CONFIG, "'column' before any 'section'");
    emit_section_rule *s = &m->sections[m->nsections - 1];
    char *role = token(&p), *type = token(&p), *pat = rest(&p);
    if (!role || !type || !pat)
        return fail(c, FT_CONFIG, "'column' needs ROLE TYPE PATTERN");
    if (!role_ok(s->kind, role))
        return fail(c, FT_CONFIG, "role '%s' is not known in a %s section",
                    role,
                    s->kind == EMIT_SEC_INDICATOR ? "indicator" : "budget");
    emit_vtype vt;
    if (!vtype_parse(type, &vt))
        return fail(c, FT_CONFIG, "unknown column type '%s'", type);
    if (vt == EMIT_VT_LIST && s->kind != EMIT_SEC_ROWS)
        return fail(c, FT_CONFIG, "type 'list' only in a rows section");
    for (size_t i = 0; i < s->ncols; i++)
        if (!strcmp(s->cols[i].role, role))
            return fail(c, FT_CONFIG, "role '%s' given twice", role);
    if (s->ncols >= EMIT_MAX_RULES)
        return fail(c, FT_CONFIG, "too many columns");
    if ((rc = grow((void **)&s->cols, s->ncols, sizeof *s->cols)))
        return rc;
    emit_column_rule *col = &s->cols[s->ncols++];
    col->type = vt;
    col->line = c->line;
    if ((rc = dupstr(role, &col->role)))
        return rc;
    return compile(c, pat, ":?", NULL, &col->pat);
}

static ft_err parse_row(parse_ctx *c, emit_map *m, char *p)
{
    ft_err rc;
    if (!m->nsections || m->sections[m->nsections - 1].kind != EMIT_SEC_FUNDS)
        return fail(c, FT_CONFIG, "'row' belongs in a funds section");
    emit_section_rule *s = &m->sections[m->nsections - 1];
    char *name = token(&p), *pat = rest(&p);
    if (!name || !pat)
        return fail(c, FT_CONFIG, "'row' needs NAME PATTERN");
    if (!is_name(name))
        return fail(c, FT_CONFIG, "row name '%s' is not snake_case", name);
    if (s->nrows >= EMIT_MAX_RULES)
        return fail(c, FT_CONFIG, "too many rows");
    if ((rc = grow((void **)&s->rows, s->nrows, sizeof *s->rows)))
        return rc;
    emit_row_rule *r = &s->rows[s->nrows++];
    if ((rc = dupstr(name, &r->name)))
        return rc;
    return compile(c, pat, ":?", NULL, &r->pat);
}

static ft_err parse_total(parse_ctx *c, emit_map *m, char *p)
{
    ft_err rc;
    if (!m->nsections)
        return fail(c, FT_CONFIG, "'total' before any 'section'");
    emit_section_rule *s = &m->sections[m->nsections - 1];
    char *name = token(&p), *pat = rest(&p);
    if (!name || !pat)
        return fail(c, FT_CONFIG, "'total' needs NAME PATTERN");
    if (!is_name(name))
        return fail(c, FT_CONFIG, "total name '%s' is not snake_case", name);
    if (s->total)
        return fail(c, FT_CONFIG, "section '%s' has a total already", s->name);
    if ((rc = dupstr(name, &s->total_name)))
        return rc;
    return compile(c, pat, ":?", NULL, &s->total);
}

ft_err emit_map_parse(const char *text, size_t tlen, const char *name,
                      emit_map **out, char *msg, size_t len)
{
    ft_err rc = FT_OK;
    parse_ctx c = {name, 0, msg, len};
    char *line = NULL;
    emit_map *m = calloc(1, sizeof *m);
    *out = NULL;
    msg[0] = '\0';
    if (!m)
        return FT_NOMEM;
    if (!(m->pcre = calloc(1, sizeof *m->pcre)) ||
        !(m->pcre->mctx = pcre2_match_context_create(NULL))) {
        rc = FT_NOMEM;
        goto out;
    }
    pcre2_set_match_limit(m->pcre->mctx, EMIT_MATCH_LIMIT);
    pcre2_set_depth_limit(m->pcre->mctx, EMIT_DEPTH_LIMIT);
    pcre2_set_heap_limit(m->pcre->mctx, EMIT_HEAP_LIMIT_KB);
    if (tlen > EMIT_MAX_MAP_LEN) {
        rc = fail(&c, FT_CONFIG, "mapping file larger than %u bytes",
                  EMIT_MAX_MAP_LEN);
        goto out;
    }
    size_t bad;
    if (!ft_utf8_valid(text, tlen, &bad)) {
        c.line = 1;
        for (size_t i = 0; i < bad; i++)
            c.line += text[i] == '\n';
        rc = fail(&c, FT_CONFIG, "invalid UTF-8");
        goto out;
    }
    int seen_magic = 0;
    size_t pos = 0;
    while (pos < tlen) {
        const char *nl = memchr(text + pos, '\n', tlen - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : tlen - pos;
        c.line++;
        free(line);
        if (!(line = malloc(n + 1))) {
            rc = FT_NOMEM;
            goto out;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + (nl != NULL);
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        if (memchr(line, '\0', n)) {
            rc = fail(&c, FT_CONFIG, "NUL byte");
            goto out;
        }
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *word = token(&p);
        if (!seen_magic) {
            char *ver = token(&p);
            if (strcmp(word, "formtab-map") || !ver || strcmp(ver, "1") ||
                rest(&p)) {
                rc = fail(&c, FT_CONFIG,
                          "not a formtab mapping file (first line must be "
                          "'formtab-map 1')");
                goto out;
            }
            seen_magic = 1;
            continue;
        }
        if (!strcmp(word, "field"))
            rc = parse_field(&c, m, p);
        else if (!strcmp(word, "section"))
            rc = parse_section(&c, m, p);
        else if (!strcmp(word, "column"))
            rc = parse_column(&c, m, p);
        else if (!strcmp(word, "row"))
            rc = parse_row(&c, m, p);
        else if (!strcmp(word, "total"))
            rc = parse_total(&c, m, p);
        else
            rc = fail(&c, FT_CONFIG,
                      "unknown word '%.40s' (field, section, column, row, "
                      "total)",
                      word);
        if (rc)
            goto out;
    }
    if (!seen_magic) {
        c.line = 1;
        rc = fail(&c, FT_CONFIG, "empty mapping file");
        goto out;
    }
    for (size_t i = 0; i < m->nsections; i++)
        if (m->sections[i].ncols < 2) {
            c.line = m->sections[i].line;
            rc = fail(&c, FT_CONFIG,
                      "section '%s' needs at least two columns (a header row "
                      "is two or more of them)",
                      m->sections[i].name);
            goto out;
        }
    *out = m;
    m = NULL;
out:
    if (rc == FT_NOMEM && !msg[0])
        snprintf(msg, len, "%s: out of memory", name);
    free(line);
    emit_map_free(m);
    return rc;
}

ft_err emit_map_load(const char *path, emit_map **out, char *msg, size_t len)
{
    ft_err rc = FT_OK;
    char *text = NULL;
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = errno == ENOENT ? FT_NOENT : FT_IO;
        snprintf(msg, len, "%s: cannot open: %s", path, strerror(errno));
        return rc;
    }
    if (!(text = malloc(EMIT_MAX_MAP_LEN + 1))) {
        rc = FT_NOMEM;
        goto out;
    }
    size_t n = fread(text, 1, EMIT_MAX_MAP_LEN + 1, f);
    if (ferror(f)) {
        rc = FT_IO;
        snprintf(msg, len, "%s: read error: %s", path, strerror(errno));
        goto out;
    }
    rc = emit_map_parse(text, n, path, out, msg, len);
out:
    free(text);
    fclose(f);
    return rc;
}

ft_err emit_map_builtin(emit_map **out, char *msg, size_t len)
{
    return emit_map_parse((const char *)emit_builtin_map, emit_builtin_map_len,
                          "(built-in map)", out, msg, len);
}

int emit_pattern_match(const emit_map *m, const emit_pattern *p,
                       const char *key, size_t len, size_t *vs, size_t *ve)
{
    if (vs)
        *vs = *ve = 0;
    int rc = pcre2_match(p->code, (PCRE2_SPTR)key, len, 0, 0, p->md,
                         m->pcre->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return -1;
    if (p->vgroup && vs && (uint32_t)rc > p->vgroup) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
        if (ov[2 * p->vgroup] != PCRE2_UNSET) {
            *vs = ov[2 * p->vgroup];
            *ve = ov[2 * p->vgroup + 1];
        }
    }
    return 1;
}

ft_err emit_key(const char *s, size_t len, ft_buf *out, uint32_t *offs,
                size_t offs_cap)
{
    size_t i = 0, n = 0;
    ft_err rc;
    while (i < len) {
        uint32_t cp;
        size_t k = ft_utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            k = 1; /* cannot happen for checked input; skip the byte */
            i += k;
            continue;
        }
        if (!ft_is_space(cp)) {
            uint32_t a = ft_fullwidth_to_ascii(cp);
            char enc[4];
            size_t m = ft_utf8_encode(a ? a : cp, enc);
            if (offs && n + m > offs_cap)
                return FT_LIMIT;
            if ((rc = ft_buf_append(out, enc, m)))
                return rc;
            for (size_t j = 0; offs && j < m; j++)
                offs[n + j] = (uint32_t)i;
            n += m;
        }
        i += k;
    }
    return FT_OK;
}
