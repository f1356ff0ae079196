/* Post-OCR repair of cell texts and the cross-check of totals. Works on code
 * points so a multibyte character is never split. See norm_ocrfix.h. */
#include "norm_ocrfix.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ft_utf8.h"

#define CP_GE 0x2265u       /* ≥ */
#define CP_LE 0x2264u       /* ≤ */
#define CP_ZHI 0x4E4Bu      /* 之 */
#define CP_GUO 0x8FC7u      /* 过 */
#define CP_HE 0x548Cu       /* 和 */
#define CP_FW_COMMA 0xFF0Cu /* ， */
#define CP_IDEO_STOP 0x3002u /* 。 */
#define CP_FW_COLON 0xFF1Au /* ： */
#define CP_FW_SEMI 0xFF1Bu  /* ； */
#define CP_WAN 0x4E07u      /* 万 */
#define CP_YUAN 0x5143u     /* 元 */
#define CP_TIMES 0x00D7u    /* × */

/* Longest label key compared, in code points: the longest label is 13. */
#define MAX_LABEL_NCHARS 24
/* Label length bands for the edit distance allowed (code points): labels up
 * to SHORT long must match exactly (分值/得分/数量 are one edit from other
 * words), up to MEDIUM within 1, longer within 2 (when OCR is unsure). */
#define LABEL_SHORT 2
#define LABEL_MEDIUM 5

/* The labels of the forms, as printed in the seeds (/work/shared/seeds):
 * field names of the header block, the indicator levels, the funds block.
 * Values that recur (健全, 合理, 满意) are not labels: they are answers and
 * too short to snap safely. */
static const char *const labels[] = {
    "项目名称", "主管部门", "实施单位", "项目性质", "项目类别", "申报单位名称",
    "计划开始日期", "计划完成日期", "项目负责人", "联系电话",
    "一级指标", "二级指标", "三级指标", "指标值", "年度指标值",
    "年度(/项目)指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
    "产出指标", "效益指标", "满意度指标", "数量指标", "质量指标", "时效指标",
    "成本指标", "经济成本指标", "社会效益指标", "经济效益指标",
    "生态效益指标", "可持续影响指标", "服务对象满意度指标", "绩效指标",
    "项目资金", "项目资金(元)", "项目资金(万元)", "项目资金总额",
    "年度资金总额", "年度资金申请总额", "财政拨款", "其他资金",
    "上年结转资金", "其中:当年财政拨款", "其中:财政资金", "年初预算数",
    "全年预算数", "全年执行数", "执行率", "年度总体目标", "项目总目标",
    "项目绩效目标", "总目标及阶段性目标", "一级目标", "二级目标", "三级目标",
    "指标目标值", "产出目标", "效果目标", "影响力目标", "项目概况", "立项依据", "项目设立的必要性",
    "保证项目实施的制度、措施", "项目实施计划", "绩效类型",
    "是否含有政府购买服务", "项目总预算(元)", "项目当年预算(元)",
    "同名项目上年预算额(元)", "同名项目上年预算执行数(元)",
    "资金需求", "单价", "数量", "合计", "总计",
};

/* Labels the seeds print only with a trailing colon (the field names of the
 * declaration form, seed 000: 是否含有政府购买服务：, 总目标及阶段性目标：):
 * a reading of one without its colon (Tesseract drops a full-width colon
 * at a cell's right edge, scan300-seed000-ruled) gets it back. Labels the
 * seeds print both ways (项目名称) are not here. */
static const char *const colon_labels[] = {
    "总目标及阶段性目标", "项目概况", "立项依据", "项目设立的必要性",
    "保证项目实施的制度、措施", "项目实施计划", "绩效类型",
    "是否含有政府购买服务", "项目总预算(元)", "项目当年预算(元)",
    "同名项目上年预算额(元)", "同名项目上年预算执行数(元)",
};

static int is_colon_label(const char *l)
{
    for (size_t i = 0; i < sizeof colon_labels / sizeof colon_labels[0]; i++)
        if (strcmp(colon_labels[i], l) == 0)
            return 1;
    return 0;
}

typedef struct {
    uint32_t *cp;
    size_t n, cap;
} cps;

static ft_err cps_push(cps *a, uint32_t c)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        uint32_t *p = realloc(a->cp, cap * sizeof *p);
        if (!p)
            return FT_NOMEM;
        a->cp = p;
        a->cap = cap;
    }
    a->cp[a->n++] = c;
    return FT_OK;
}

static ft_err decode(const char *s, size_t len, cps *out)
{
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t n = ft_utf8_decode(s + i, len - i, &c);
        if (n == 0)
            return FT_UTF8;
        ft_err rc = cps_push(out, c);
        if (rc)
            return rc;
        i += n;
    }
    return FT_OK;
}

static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static int is_latin_letter(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The digit an OCR look-alike stands for, or 0. */
static uint32_t digit_lookalike(uint32_t c)
{
    switch (c) {
    case 'O': case 'o':
        return '0';
    case 'l': case 'I': case '|':
        return '1';
    default:
        return 0;
    }
}

static int in_number_token(uint32_t c)
{
    return is_digit(c) || digit_lookalike(c) || c == ',' || c == '.' ||
           c == CP_FW_COMMA || c == CP_IDEO_STOP;
}

/* Digits: look-alike letters and CJK punctuation inside number tokens. */
static unsigned fix_digits(cps *a)
{
    unsigned fixes = 0;
    size_t i = 0;
    while (i < a->n) {
        if (!in_number_token(a->cp[i])) {
            i++;
            continue;
        }
        size_t j = i;
        int digits = 0;
        while (j < a->n && in_number_token(a->cp[j])) {
            digits += is_digit(a->cp[j]);
            j++;
        }
        /* a token glued to a Latin word is part of that word (COVID, Ol) */
        int glued = (i > 0 && is_latin_letter(a->cp[i - 1])) ||
                    (j < a->n && is_latin_letter(a->cp[j]));
        if (digits > 0 && !glued) {
            for (size_t k = i; k < j; k++) {
                uint32_t c = a->cp[k], d = digit_lookalike(c);
                int between = k > i && k + 1 < j && is_digit(a->cp[k - 1]) &&
                              (is_digit(a->cp[k + 1]) ||
                               digit_lookalike(a->cp[k + 1]));
                if (d) {
                    a->cp[k] = d;
                    fixes |= NORM_OCRFIX_DIGITS;
                } else if (c == CP_FW_COMMA && between) {
                    a->cp[k] = ',';
                    fixes |= NORM_OCRFIX_DIGITS;
                } else if (c == CP_IDEO_STOP && between) {
                    a->cp[k] = '.';
                    fixes |= NORM_OCRFIX_DIGITS;
                }
            }
        }
        i = j;
    }
    return fixes;
}

/* Multiplication: the forms' formulas (800×50=40000 in seed 003) come back
 * with an x; between two digits in a numeric cell it is the sign. */
static unsigned fix_times(cps *a)
{
    unsigned fixes = 0;
    for (size_t i = 1; i + 1 < a->n; i++)
        if ((a->cp[i] == 'x' || a->cp[i] == 'X') && is_digit(a->cp[i - 1]) &&
            is_digit(a->cp[i + 1])) {
            a->cp[i] = CP_TIMES;
            fixes |= NORM_OCRFIX_DIGITS;
        }
    return fixes;
}

/* Separators: 1.234.567 or 37.780.000.00 -> commas for thousands. A token
 * with a single period is left alone (37.780 may be a decimal). */
static unsigned fix_separators(cps *a)
{
    unsigned fixes = 0;
    size_t i = 0;
    while (i < a->n) {
        if (!is_digit(a->cp[i]) || (i > 0 && (is_digit(a->cp[i - 1]) ||
                                              a->cp[i - 1] == '.'))) {
            i++;
            continue;
        }
        /* groups of digits separated by single periods */
        size_t j = i, groups = 0, lens[64];
        int ok = 1;
        while (j < a->n && ok) {
            size_t g = 0;
            while (j < a->n && is_digit(a->cp[j])) {
                g++;
                j++;
            }
            if (groups < 64)
                lens[groups] = g;
            groups++;
            if (j + 1 < a->n && a->cp[j] == '.' && is_digit(a->cp[j + 1]))
                j++;
            else
                break;
        }
        if (groups >= 3 && groups <= 64 && lens[0] >= 1 && lens[0] <= 3) {
            size_t last = lens[groups - 1];
            size_t inner_end = (last == 1 || last == 2) ? groups - 1 : groups;
            for (size_t g = 1; g < inner_end && ok; g++)
                ok = lens[g] == 3;
            if (ok && inner_end >= 2 && (last == 3 || last <= 2)) {
                /* periods after groups 0 .. inner_end-2 become commas */
                size_t k = i, g = 0;
                while (k < j && g + 1 < inner_end) {
                    if (a->cp[k] == '.') {
                        a->cp[k] = ',';
                        g++;
                        fixes |= NORM_OCRFIX_SEPARATOR;
                    }
                    k++;
                }
            }
        }
        i = j > i ? j : i + 1;
    }
    return fixes;
}

/* Decimal comma: a number whose only separator is one comma followed by one
 * or two digits (93,15 for 93.15 at 200 dpi, scan200-seed001-rotate90) had
 * its decimal point read as a comma: a thousands comma is followed by three
 * digits. 1,234 and 37,780,000.00 are left alone. */
static unsigned fix_decimal_comma(cps *a)
{
    unsigned fixes = 0;
    size_t i = 0;
    while (i < a->n) {
        if (!is_digit(a->cp[i])) {
            i++;
            continue;
        }
        size_t j = i, commas = 0, periods = 0, comma_at = 0;
        while (j < a->n) {
            if (is_digit(a->cp[j])) {
                j++;
            } else if ((a->cp[j] == ',' || a->cp[j] == '.') && j + 1 < a->n &&
                       is_digit(a->cp[j + 1])) {
                if (a->cp[j] == ',') {
                    commas++;
                    comma_at = j;
                } else {
                    periods++;
                }
                j++;
            } else {
                break;
            }
        }
        /* the token must not be glued to a Latin word or another number */
        int glued = (i > 0 && (is_latin_letter(a->cp[i - 1]) ||
                               a->cp[i - 1] == ',' || a->cp[i - 1] == '.')) ||
                    (j < a->n && (is_latin_letter(a->cp[j]) ||
                                  a->cp[j] == ',' || a->cp[j] == '.'));
        if (commas == 1 && periods == 0 && !glued) {
            size_t after = j - comma_at - 1;
            if (after == 1 || after == 2) {
                a->cp[comma_at] = '.';
                fixes |= NORM_OCRFIX_DIGITS;
            }
        }
        i = j;
    }
    return fixes;
}

/* Value of the number starting at a->cp[i] (digits, commas, one period);
 * sets *end. Returns -1 if there is no digit. */
static double number_at(const cps *a, size_t i, size_t *end)
{
    double v = 0, scale = 0;
    int any = 0;
    while (i < a->n) {
        uint32_t c = a->cp[i];
        if (is_digit(c)) {
            any = 1;
            if (scale > 0) {
                v += (c - '0') / scale;
                scale *= 10;
            } else {
                v = v * 10 + (c - '0');
            }
        } else if (c == '.' && scale == 0) {
            scale = 10;
        } else if (c != ',') {
            break;
        }
        i++;
    }
    *end = i;
    return any ? v : -1;
}

static int has_cp(const cps *a, size_t from, uint32_t c)
{
    for (size_t i = from; i < a->n; i++)
        if (a->cp[i] == c)
            return 1;
    return 0;
}

/* A glyph Tesseract makes of the bar of a ≥/≤ it already read, right after
 * the sign: s/S (≤s14.00, ≤S38.10 in scan200-lo-seed004), z (≥z300 in
 * scan200-seed004-ruled at 200 dpi), = and _. None can start a number. */
static int is_stray_bar(uint32_t c)
{
    return c == 's' || c == 'S' || c == 'z' || c == 'Z' || c == '=' ||
           c == '_';
}

/* Relation: a misread leading ≥/≤ before a number. */
static unsigned fix_relation(cps *a, int numeric)
{
    size_t i = 0;
    while (i < a->n && ft_is_space(a->cp[i]))
        i++;
    if (i + 1 >= a->n)
        return 0;
    uint32_t c = a->cp[i];
    if ((c == CP_GE || c == CP_LE) && i + 2 < a->n &&
        is_stray_bar(a->cp[i + 1]) &&
        is_digit(a->cp[i + 2])) {
        /* the bar of the sign read a second time (≤s14.00 in
         * scan200-lo-seed004) */
        memmove(&a->cp[i + 1], &a->cp[i + 2], (a->n - i - 2) * sizeof *a->cp);
        a->n--;
        return NORM_OCRFIX_RELATION;
    }
    /* ≤ read as s/S (s28.88(万元)), or as 5s (5s14.00(万元)): the chevron
     * of ≤ over its bar; in a number cell nothing else starts with s */
    if (numeric && (c == 's' || c == 'S') && is_digit(a->cp[i + 1])) {
        a->cp[i] = CP_LE;
        return NORM_OCRFIX_RELATION;
    }
    if (numeric && c == '5' && i + 2 < a->n && (a->cp[i + 1] == 's' || a->cp[i + 1] == 'S') &&
        is_digit(a->cp[i + 2])) {
        a->cp[i] = CP_LE;
        memmove(&a->cp[i + 1], &a->cp[i + 2], (a->n - i - 2) * sizeof *a->cp);
        a->n--;
        return NORM_OCRFIX_RELATION;
    }
    if (c == '>' || c == '<') {
        if (!is_digit(a->cp[i + 1]))
            return 0;
        a->cp[i] = c == '>' ? CP_GE : CP_LE;
        return NORM_OCRFIX_RELATION;
    }
    if (c == CP_ZHI || c == CP_GUO || c == CP_HE) {
        if (!is_digit(a->cp[i + 1]))
            return 0;
        /* cost caps are written ≤ ... (万元), everything else ≥ (the targets
         * of seed 004: ≤14.00(万元) against ≥300.00(天), ≥90.00(%)) */
        a->cp[i] = has_cp(a, i + 1, CP_WAN) || has_cp(a, i + 1, CP_YUAN)
                       ? CP_LE : CP_GE;
        return NORM_OCRFIX_RELATION;
    }
    if (c == '2' && is_digit(a->cp[i + 1])) {
        /* "290.00(%)": a percentage over 100 that is 90 without the 2 */
        size_t end;
        double with = number_at(a, i, &end);
        double without = number_at(a, i + 1, &end);
        if (!has_cp(a, end, '%') || with <= 100 || without < 0 ||
            without > 100)
            return 0;
        a->cp[i] = CP_GE;
        return NORM_OCRFIX_RELATION;
    }
    return 0;
}

static int is_stray_quote(uint32_t c)
{
    return c == '"' || c == '\'' || c == '`' || c == 0x201C || c == 0x201D ||
           c == 0x2018 || c == 0x2019;
}

/* The comparison key of a label or cell: white space dropped, full-width
 * forms folded, a trailing colon cut. Returns the key length. */
static size_t label_key(const uint32_t *cp, size_t n, uint32_t *key,
                        size_t cap, int *had_colon)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        if (ft_is_space(c))
            continue;
        uint32_t f = ft_fullwidth_to_ascii(c);
        if (f)
            c = f;
        if (k == cap)
            return cap + 1; /* too long to be a label */
        key[k++] = c;
    }
    *had_colon = 0;
    /* a quote mark at either end is a speck read as one (”单价 in
     * scan200-seed003-budgets-unruled at 200 dpi): no label has one */
    while (k > 0 && is_stray_quote(key[k - 1]))
        k--;
    size_t lead = 0;
    while (lead < k && is_stray_quote(key[lead]))
        lead++;
    if (lead) {
        memmove(key, key + lead, (k - lead) * sizeof *key);
        k -= lead;
    }
    /* a colon may come back as ; or , (both folded from full width) */
    while (k > 0 && (key[k - 1] == ':' || key[k - 1] == ';' ||
                     key[k - 1] == ',')) {
        k--;
        *had_colon = 1;
    }
    return k;
}

static size_t edit_distance(const uint32_t *a, size_t na, const uint32_t *b,
                            size_t nb)
{
    size_t prev[MAX_LABEL_NCHARS + 2], cur[MAX_LABEL_NCHARS + 2];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (nb + 1) * sizeof *prev);
    }
    return prev[nb];
}

/* Label: snap a near miss to the unique nearest label. Rewrites a. */
static ft_err fix_label(cps *a, double conf, unsigned *fixes)
{
    uint32_t key[MAX_LABEL_NCHARS], lkey[MAX_LABEL_NCHARS];
    int colon = 0, lcolon = 0;
    size_t nk = label_key(a->cp, a->n, key, MAX_LABEL_NCHARS, &colon);
    size_t best = (size_t)-1, best_d = (size_t)-1;
    int tie = 0;

    if (nk == 0 || nk > MAX_LABEL_NCHARS)
        return FT_OK;
    /* Latin letters in a CJK cell: no label of these forms has any, so a
     * sure-looking reading with them is still a misreading (AP:当年财政拨款
     * at 90.6 for 其中：当年财政拨款, scan200-lo-seed004) */
    int latin = 0, cjk = 0;
    for (size_t i = 0; i < nk; i++) {
        latin |= is_latin_letter(key[i]);
        cjk |= key[i] >= 0x3400 && key[i] <= 0x9FFF;
    }
    latin = latin && cjk;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        uint32_t lcp[MAX_LABEL_NCHARS];
        size_t ln = 0, off = 0, len = strlen(labels[i]);
        while (off < len && ln < MAX_LABEL_NCHARS) {
            size_t n = ft_utf8_decode(labels[i] + off, len - off, &lcp[ln]);
            if (n == 0)
                break;
            off += n;
            ln++;
        }
        size_t nl = label_key(lcp, ln, lkey, MAX_LABEL_NCHARS, &lcolon);
        size_t maxd = nl <= LABEL_SHORT ? 0 : nl <= LABEL_MEDIUM ? 1 : 2;
        if (maxd == 2 && conf >= NORM_OCRFIX_SURE_CONF && !latin)
            maxd = 1;
        size_t diff = nk > nl ? nk - nl : nl - nk;
        if (diff > maxd)
            continue;
        size_t d = edit_distance(key, nk, lkey, nl);
        if (d > maxd)
            continue;
        if (d < best_d) {
            best_d = d;
            best = i;
            tie = 0;
        } else if (d == best_d) {
            tie = 1;
        }
    }
    if (best == (size_t)-1 || tie)
        return FT_OK;
    /* rebuild: the label as printed, the colon as the forms print it */
    int semi = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->cp[i] == ';' || a->cp[i] == CP_FW_SEMI || a->cp[i] == ',' ||
            a->cp[i] == CP_FW_COMMA || ft_is_space(a->cp[i]) ||
            is_stray_quote(a->cp[i]))
            semi = 1; /* or a space the label does not have (项目总预算(元) :
                       * in scan300-seed000-ruled): normalize keeps a space
                       * next to Latin, so it would stay */
    if (!colon && is_colon_label(labels[best]))
        colon = 1; /* the form prints it with a colon the OCR lost */
    else if (best_d == 0 && !semi)
        return FT_OK; /* already right (spacing and width are normalize's) */
    a->n = 0;
    const char *l = labels[best];
    size_t len = strlen(l), off = 0;
    while (off < len) {
        uint32_t c;
        size_t n = ft_utf8_decode(l + off, len - off, &c);
        if (n == 0)
            break;
        off += n;
        ft_err rc = cps_push(a, c);
        if (rc)
            return rc;
    }
    if (colon) {
        ft_err rc = cps_push(a, CP_FW_COLON);
        if (rc)
            return rc;
    }
    *fixes |= NORM_OCRFIX_LABEL;
    return FT_OK;
}

ft_err norm_ocrfix_cell(const char *text, size_t len, double conf,
                        const norm_ocrfix_ctx *ctx, ft_buf *out,
                        unsigned *fixes)
{
    ft_err rc = FT_OK;
    cps a = { NULL, 0, 0 };
    unsigned f = 0;

    *fixes = 0;
    if (!ft_utf8_valid(text, len, NULL)) {
        rc = FT_UTF8;
        goto out;
    }
    if (conf < 0 || len == 0) {
        rc = ft_buf_append(out, text, len);
        goto out;
    }
    rc = decode(text, len, &a);
    if (rc)
        goto out;
    if (ctx && ctx->relops)
        f |= fix_relation(&a, ctx->numeric);
    if (ctx && ctx->numeric) {
        f |= fix_digits(&a);
        f |= fix_times(&a);
        f |= fix_separators(&a);
        f |= fix_decimal_comma(&a);
    } else {
        rc = fix_label(&a, conf, &f);
        if (rc)
            goto out;
    }
    if (!f) {
        rc = ft_buf_append(out, text, len);
        goto out;
    }
    size_t mark = out->len;
    for (size_t i = 0; i < a.n; i++) {
        char enc[4];
        size_t n = ft_utf8_encode(a.cp[i], enc);
        rc = ft_buf_append(out, enc, n);
        if (rc) {
            out->len = mark;
            if (out->data)
                out->data[mark] = '\0';
            goto out;
        }
    }
    *fixes = f;
out:
    free(a.cp);
    return rc;
}

int norm_ocrfix_looks_numeric(const char *text, size_t len)
{
    size_t i = 0, total = 0, numeric = 0, digits = 0;
    while (i < len) {
        uint32_t c;
        size_t n = ft_utf8_decode(text + i, len - i, &c);
        if (n == 0)
            return 0;
        i += n;
        uint32_t f = ft_fullwidth_to_ascii(c);
        if (f)
            c = f;
        if (ft_is_space(c))
            continue;
        total++;
        if (is_digit(c))
            digits++;
        if (is_digit(c) || digit_lookalike(c) || strchr(",.%<>=()-+", (int)(c < 128 ? c : 1)) ||
            c == CP_GE || c == CP_LE || c == CP_FW_COMMA || c == CP_IDEO_STOP)
            numeric++;
    }
    return digits > 0 && numeric * 3 >= total * 2;
}

int norm_ocrfix_table_relops(const ft_table *t)
{
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        size_t k = 0;
        while (k < c->len && c->text[k] == ' ')
            k++;
        /* ≥ is E2 89 A5, ≤ is E2 89 A4 */
        if (c->len - k >= 3 && (unsigned char)c->text[k] == 0xE2 &&
            (unsigned char)c->text[k + 1] == 0x89 &&
            ((unsigned char)c->text[k + 2] == 0xA5 ||
             (unsigned char)c->text[k + 2] == 0xA4))
            return 1;
    }
    return 0;
}

/* ---- totals -------------------------------------------------------------- */

/* Amounts are compared in units of 1/AMOUNT_SCALE: four decimals covers the
 * forms' two and stays exact in 64 bits up to 9e14. */
#define AMOUNT_SCALE 10000

/* Parse an amount: an optional sign, digits with thousands commas (spaces
 * inside are OCR's: "233, 875. 26"), an optional fraction, then an optional
 * unit suffix (元, 万元, %) returned in unit. Returns 1 on success. */
static int parse_amount(const char *s, size_t len, long long *v, char *unit,
                        size_t unit_cap)
{
    size_t i = 0;
    long long val = 0;
    int neg = 0, digits = 0, frac = -1;
    while (i < len && s[i] == ' ')
        i++;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (frac >= 0) {
                if (frac >= 4)
                    return 0;
                frac++;
            }
            if (val > (long long)9e14)
                return 0;
            val = val * 10 + (c - '0');
            digits++;
        } else if (c == ',' || c == ' ') {
            if (frac >= 0 && c == ',')
                return 0;
        } else if (c == '.' && frac < 0) {
            frac = 0;
        } else {
            break;
        }
    }
    if (!digits)
        return 0;
    for (int k = frac < 0 ? 0 : frac; k < 4; k++)
        val *= 10;
    /* the rest must be a short unit without digits */
    size_t ulen = 0;
    for (; i < len; i++) {
        if (s[i] == ' ')
            continue;
        if ((s[i] >= '0' && s[i] <= '9') || ulen + 1 >= unit_cap)
            return 0;
        unit[ulen++] = s[i];
    }
    unit[ulen] = '\0';
    *v = neg ? -val : val;
    return 1;
}

static int is_total_label(const char *s, size_t len)
{
    static const char *const words[] = { "合计", "总计" };
    for (size_t w = 0; w < 2; w++) {
        size_t wl = strlen(words[w]);
        for (size_t i = 0; i + wl <= len; i++)
            if (memcmp(s + i, words[w], wl) == 0)
                return 1;
    }
    return 0;
}

static void format_amount(long long v, char *buf, size_t cap)
{
    long long a = v < 0 ? -v : v;
    long long whole = a / AMOUNT_SCALE, frac = a % AMOUNT_SCALE;
    if (frac == 0)
        snprintf(buf, cap, "%s%lld", v < 0 ? "-" : "", whole);
    else if (frac % 100 == 0)
        snprintf(buf, cap, "%s%lld.%02lld", v < 0 ? "-" : "", whole, frac / 100);
    else
        snprintf(buf, cap, "%s%lld.%04lld", v < 0 ? "-" : "", whole, frac);
}

ft_err norm_ocrfix_check_sums(const ft_table *t, norm_ocrfix_warn_fn warn,
                              void *ud, unsigned *nchecked)
{
    ft_err rc = FT_OK;
    size_t *map = NULL;
    char msg[256];
    unsigned checked = 0;

    if (nchecked)
        *nchecked = 0;
    if (t->nrows == 0 || t->ncols == 0)
        goto out;
    rc = ft_table_slot_map(t, &map, msg, sizeof msg);
    if (rc)
        goto out;
    unsigned start = 1; /* first row after the previous total */
    for (unsigned r = 1; r <= t->nrows; r++) {
        /* the row's first non-empty cell starting on this row */
        const ft_cell *first = NULL;
        for (unsigned c = 1; c <= t->ncols && !first; c++) {
            const ft_cell *cell = &t->cells[map[(size_t)(r - 1) * t->ncols + c - 1]];
            if (cell->row == r && cell->len > 0)
                first = cell;
        }
        if (!first || !is_total_label(first->text, first->len))
            continue;
        for (unsigned c = 1; c <= t->ncols; c++) {
            const ft_cell *tot = &t->cells[map[(size_t)(r - 1) * t->ncols + c - 1]];
            long long want, sum = 0, v;
            char unit[32], u2[32];
            if (tot->row != r || tot->col != c || tot == first ||
                !parse_amount(tot->text, tot->len, &want, unit, sizeof unit))
                continue;
            unsigned n = 0;
            int mixed = 0;
            for (unsigned k = start; k < r; k++) {
                const ft_cell *cell = &t->cells[map[(size_t)(k - 1) * t->ncols + c - 1]];
                if (cell->row != k || cell->col != c)
                    continue; /* a span from above or the left */
                if (!parse_amount(cell->text, cell->len, &v, u2, sizeof u2))
                    continue;
                if (strcmp(unit, u2) != 0)
                    mixed = 1;
                sum += v;
                n++;
            }
            if (n < 2 || mixed)
                continue;
            checked++;
            if (sum != want && warn) {
                char a[48], b[48];
                format_amount(want, a, sizeof a);
                format_amount(sum, b, sizeof b);
                /* the label, cut on a character boundary */
                size_t ll = ft_utf8_boundary(first->text,
                                             first->len < 24 ? first->len : 24);
                snprintf(msg, sizeof msg, "row %u (%.*s) column %u: %s but "
                         "the rows above add up to %s", r, (int)ll,
                         first->text, c, a, b);
                warn(ud, r, c, msg);
            }
        }
        start = r + 1;
    }
    if (nchecked)
        *nchecked = checked;
out:
    free(map);
    return rc;
}
