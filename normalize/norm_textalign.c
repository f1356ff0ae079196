/* Column typing, row realignment and header-label hoisting for text-dump
 * tables (norm_textalign.h explains the model and the seeds behind it). */
#include "norm_textalign.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_utf8.h"

/* A text longer than this many code points is free text, not a label: the
 * longest level and indicator names of the seeds are under 20 (`上海企业及公
 * 益组织参与援疆公益资金数`, 18), their goal and overview texts run to
 * hundreds; targets in between (`项目单位有人员分工机制，人员配置能有效完成
 * 项目`, 23) stay short. */
#define NORM_TEXTALIGN_SHORT_NCHARS 24u

/* A number may carry a unit or a bracketed unit of at most this many code
 * points after its digits: `≥300.00(天)`, `≤48.00(小时)`, `10 元/公里`,
 * `1260万元`, `94.57%` (the units of docs/records.md are at most four code
 * points). `2020年绩效目标` is a heading, not a number. */
#define NORM_TEXTALIGN_UNIT_NCHARS 4u

/* A header row names at least this many columns: the seeds' column headers
 * have 4 to 9 (`一级目标 | 二级目标 | 三级目标 | 指标目标值`, seed 000). Key/value
 * rows have fewer labels and are excluded by the rules below. */
#define NORM_TEXTALIGN_HEADER_MIN_CELLS 4u

/* Column headers are short: at most this many code points (`项目名称(资金使
 * 用单位)`, 12, seed 002; `偏差原因分析及改进措施`, 11, seed 001). Rows of key
 * labels and values (`主管部门 | 上海市人民政府合作交流办公室`) are longer. */
#define NORM_TEXTALIGN_HEADER_MAX_NCHARS 12u

/* A header row is followed within this many rows by a row holding a number
 * or long text and a row that begins with an empty field (the indicator rows
 * below `绩效指标 | 一级指标 ...`, whose first values may all be words:
 * `成本合理性 | 合理`, seed 003). */
#define NORM_TEXTALIGN_HEADER_LOOKAHEAD 2u

/* Laplace smoothing of the column profiles: a type never seen in a column
 * keeps a small probability (seed 003's sections have three well-formed rows;
 * 0.8 or more lets the damaged rows' own types outvote them). */
#define NORM_TEXTALIGN_ALPHA 0.5

/* A row moves only when its best placement is at least this much more likely
 * (natural log: a factor of 4) than where the dump put it. Half of it moved
 * correct rows of seed 003; twice it left seed 003's 效益指标 rows shifted. */
#define NORM_TEXTALIGN_MARGIN 1.3862943611198906 /* log(4) */

/* Text placed in a column the section's header leaves empty (the second slot
 * of a merged `三级指标`, the empty tail of a row) costs this much more: the
 * header names the columns that hold values (seeds 003, 004). */
#define NORM_TEXTALIGN_HEADER_GAP 2.0

/* Among placements that score the same, the one that moves the texts least
 * wins: each column a text moves costs this little. */
#define NORM_TEXTALIGN_MOVE_COST 0.01

/* A label placed under the header it was seen under in an earlier section of
 * the page scores this much more (log 4, the margin: one known label alone
 * can decide between two placements types leave tied, seed 004 form 4). */
#define NORM_TEXTALIGN_VOCAB_BONUS 1.3862943611198906

/* Labels and distinct header texts remembered per page: a page of forms has a
 * few dozen level labels and under ten column headers. */
#define NORM_TEXTALIGN_VOCAB_MAX 1024u
#define NORM_TEXTALIGN_VOCAB_HEADERS 32u

/* Tables wider than this are not realigned: the placement search costs
 * (texts x columns) per row, and forms are narrow (seed 001 has 9 columns). */
#define NORM_TEXTALIGN_MAX_COLS 64u

/* ---- typing ---- */

static uint32_t cp_at(const char *s, size_t len, size_t *i)
{
    uint32_t cp;
    size_t k = ft_utf8_decode(s + *i, len - *i, &cp);
    *i += k ? k : 1;
    uint32_t a = ft_fullwidth_to_ascii(cp);
    return a ? a : cp;
}

static int is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static int is_dash(uint32_t cp)
{
    return cp == '-' || cp == 0x2013 || cp == 0x2014;
}

/* A number, amount or target: an optional comparison (`>=`, `≥`, `≧`, `$\geq`
 * ...), digits with `,` `.` and spaces (and a date's `-`), then a unit of at most
 * NORM_TEXTALIGN_UNIT_NCHARS code points. A nil marker (`-`, `—`) counts. */
static int is_number(const char *s, size_t len)
{
    size_t i = 0;
    uint32_t cp = 0;
    int dashes = 1;
    for (size_t j = 0; j < len;)
        if (!is_dash(cp_at(s, len, &j)))
            dashes = 0;
    if (dashes)
        return 1;
    if (len >= 5 && (memcmp(s, "$\\geq", 5) == 0 || memcmp(s, "$\\leq", 5) == 0))
        i = 5;
    while (i < len) {
        size_t j = i;
        cp = cp_at(s, len, &j);
        if (cp == '>' || cp == '<' || cp == '=' || cp == ' ' || cp == 0x2265 ||
            cp == 0x2264 || cp == 0x2267 || cp == 0x2266)
            i = j;
        else
            break;
    }
    if (i >= len)
        return 0;
    size_t j = i;
    if (!is_digit(cp_at(s, len, &j)))
        return 0;
    while (i < len) {
        j = i;
        cp = cp_at(s, len, &j);
        if (!is_digit(cp) && cp != ',' && cp != '.' && cp != ' ') {
            /* a date's `-` or `/` between digits: 2020-01-01 */
            size_t k = j;
            if ((cp == '-' || cp == '/') && k < len && is_digit(cp_at(s, len, &k)))
                j = k;
            else
                break;
        }
        i = j;
    }
    return ft_utf8_nchars(s + i, len - i) <= NORM_TEXTALIGN_UNIT_NCHARS;
}

/* `1、...` or `1．...`: an item of a numbered list. */
static int is_list_item(const char *s, size_t len)
{
    size_t i = 0, ndig = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && ndig < 4) {
        i++;
        ndig++;
    }
    if (ndig == 0 || ndig > 3 || i >= len)
        return 0;
    uint32_t cp;
    if (!ft_utf8_decode(s + i, len - i, &cp))
        return 0;
    return cp == 0x3001 || cp == 0xFF0E;
}

static uint32_t last_cp(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && len - i < 4) {
        i--;
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            break;
    }
    uint32_t cp = 0;
    if (len == 0 || !ft_utf8_decode(s + i, len - i, &cp))
        return 0;
    return cp;
}

norm_ttype norm_textalign_type(const char *s, size_t len)
{
    if (len == 0)
        return NORM_TT_EMPTY;
    if (is_number(s, len))
        return NORM_TT_NUMBER;
    if (is_list_item(s, len))
        return NORM_TT_LIST;
    uint32_t end = last_cp(s, len);
    if (ft_utf8_nchars(s, len) > NORM_TEXTALIGN_SHORT_NCHARS || end == 0x3002 ||
        end == 0xFF1B || end == 0xFF01 || end == '!')
        return NORM_TT_LONG;
    return NORM_TT_SHORT;
}

static norm_ttype ftype(const norm_tfield *f)
{
    return norm_textalign_type(f->s, f->len);
}

static int ends_with_colon(const norm_tfield *f)
{
    uint32_t cp = last_cp(f->s, f->len);
    return cp == ':' || cp == 0xFF1A;
}

static unsigned count_text(const norm_tgrid *g, size_t r)
{
    unsigned n = 0;
    for (unsigned c = 0; c < g->ncols; c++)
        n += g->rows[r].f[c].len > 0;
    return n;
}

static int has_type(const norm_tgrid *g, size_t r, norm_ttype a, norm_ttype b)
{
    for (unsigned c = 0; c < g->ncols; c++) {
        norm_ttype t = ftype(&g->rows[r].f[c]);
        if (t == a || t == b)
            return 1;
    }
    return 0;
}

/* At least min cells, all short labels, none ending with a colon. */
static int label_row(const norm_tgrid *g, size_t r, unsigned min)
{
    unsigned n = 0;
    for (unsigned c = 0; c < g->ncols; c++) {
        const norm_tfield *f = &g->rows[r].f[c];
        if (!f->len)
            continue;
        if (ftype(f) != NORM_TT_SHORT ||
            ft_utf8_nchars(f->s, f->len) > NORM_TEXTALIGN_HEADER_MAX_NCHARS ||
            ends_with_colon(f))
            return 0;
        n++;
    }
    return n >= min;
}

int norm_textalign_is_header(const norm_tgrid *g, size_t r)
{
    if (g->rows[r].title || !label_row(g, r, NORM_TEXTALIGN_HEADER_MIN_CELLS))
        return 0;
    if (r > 0 && !g->rows[r - 1].title &&
        !has_type(g, r - 1, NORM_TT_LONG, NORM_TT_LONG))
        return 0;
    int data = 0, lead = 0;
    for (size_t k = 0; k < NORM_TEXTALIGN_HEADER_LOOKAHEAD; k++) {
        size_t j = r + 1 + k;
        if (j >= g->nrows || g->rows[j].title)
            break;
        if (has_type(g, j, NORM_TT_NUMBER, NORM_TT_LONG)) {
            if (k == 0)
                return 1;
            data = 1;
        }
        if (!g->rows[j].f[0].len)
            lead = 1;
    }
    return data && lead;
}

/* ---- the page's level labels ---- */

void norm_tvocab_init(norm_tvocab *v)
{
    memset(v, 0, sizeof *v);
    ft_arena_init(&v->arena, (size_t)(NORM_TEXTALIGN_VOCAB_MAX +
                                      NORM_TEXTALIGN_VOCAB_HEADERS) *
                                 (FT_MAX_CELL_LEN / 64));
}

void norm_tvocab_cleanup(norm_tvocab *v)
{
    free(v->label);
    free(v->headers);
    free(v->header);
    ft_arena_cleanup(&v->arena);
    memset(v, 0, sizeof *v);
}

/* The compact form of a label: full-width forms as ASCII, no white space
 * (`年度（/项目）指标值` and `年度(/项目)指标值` are one header). NULL past
 * the arena's cap. */
static char *compact(ft_arena *a, const char *s, size_t len)
{
    char *out = ft_arena_alloc(a, len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = ft_utf8_decode(s + i, len - i, &cp);
        if (!k) {
            out[n++] = s[i++];
            continue;
        }
        uint32_t asc = ft_fullwidth_to_ascii(cp);
        if (asc) {
            if (asc != ' ')
                out[n++] = (char)asc;
        } else if (!ft_is_space(cp)) {
            memcpy(out + n, s + i, k);
            n += k;
        }
        i += k;
    }
    out[n] = '\0';
    return out;
}

/* Compact text into a caller buffer of at least len + 1 bytes. */
static const char *compact_tmp(char *buf, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = ft_utf8_decode(s + i, len - i, &cp);
        if (!k) {
            buf[n++] = s[i++];
            continue;
        }
        uint32_t asc = ft_fullwidth_to_ascii(cp);
        if (asc) {
            if (asc != ' ')
                buf[n++] = (char)asc;
        } else if (!ft_is_space(cp)) {
            memcpy(buf + n, s + i, k);
            n += k;
        }
        i += k;
    }
    buf[n] = '\0';
    return buf;
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Slot of label key in the table (free or equal); cap is a power of two. */
static size_t slot(const norm_tvocab *v, const char *key)
{
    size_t i = hash(key) & (v->cap - 1);
    while (v->label[i] && strcmp(v->label[i], key) != 0)
        i = (i + 1) & (v->cap - 1);
    return i;
}

/* Header id of compact text h, adding it; -1 when the table is full. */
static int header_id(norm_tvocab *v, const char *h, int add)
{
    for (unsigned i = 0; i < v->nheaders; i++)
        if (strcmp(v->header[i], h) == 0)
            return (int)i;
    if (!add || v->nheaders >= NORM_TEXTALIGN_VOCAB_HEADERS)
        return -1;
    if (!v->header) {
        v->header = calloc(NORM_TEXTALIGN_VOCAB_HEADERS, sizeof *v->header);
        if (!v->header)
            return -1;
    }
    char *c = ft_arena_strndup(&v->arena, h, strlen(h));
    if (!c)
        return -1;
    v->header[v->nheaders] = c;
    return (int)v->nheaders++;
}

/* The headers label (compact) was seen under, as a bit set; 0: unknown. */
static uint32_t vocab_headers(const norm_tvocab *v, const char *label)
{
    if (!v || !v->cap)
        return 0;
    size_t i = slot(v, label);
    return v->label[i] ? v->headers[i] : 0;
}

static ft_err vocab_add(norm_tvocab *v, const char *label, size_t len, int hid)
{
    if (!v->cap) {
        /* twice the cap keeps the open-addressing table at most half full */
        v->cap = 2 * NORM_TEXTALIGN_VOCAB_MAX;
        v->label = calloc(v->cap, sizeof *v->label);
        v->headers = calloc(v->cap, sizeof *v->headers);
        if (!v->label || !v->headers)
            return FT_NOMEM;
    }
    char *key = compact(&v->arena, label, len);
    if (!key)
        return FT_OK; /* the page's labels fill the arena: learn no more */
    size_t i = slot(v, key);
    if (!v->label[i]) {
        if (v->nlabels >= NORM_TEXTALIGN_VOCAB_MAX)
            return FT_OK;
        v->label[i] = key;
        v->nlabels++;
    }
    v->headers[i] |= (uint32_t)1 << hid;
    return FT_OK;
}

/* Learn the short texts of the rows in section h (rows [h, e)) with the
 * header of their column. */
static ft_err vocab_learn(norm_tvocab *v, const norm_tgrid *g, size_t h,
                          size_t e)
{
    char *buf = NULL;
    ft_err rc = FT_OK;
    for (unsigned c = 0; c < g->ncols && !rc; c++) {
        const norm_tfield *hf = &g->rows[h].f[c];
        if (!hf->len || hf->len > FT_MAX_CELL_LEN)
            continue;
        char *tmp = realloc(buf, hf->len + 1);
        if (!tmp) {
            rc = FT_NOMEM;
            break;
        }
        buf = tmp;
        int hid = header_id(v, compact_tmp(buf, hf->s, hf->len), 1);
        if (hid < 0)
            continue;
        for (size_t r = h + 1; r < e && !rc; r++) {
            const norm_tfield *f = &g->rows[r].f[c];
            if (f->len && ftype(f) == NORM_TT_SHORT)
                rc = vocab_add(v, f->s, f->len, hid);
        }
    }
    free(buf);
    return rc;
}

/* ---- profiles and placements ---- */

typedef struct {
    norm_tgrid *g;
    unsigned n;            /* columns */
    double *cnt;           /* n x NORM_TT_COUNT type counts of the context */
    double *dp;            /* (nvals+1) x (n+1) */
    unsigned char *bk;     /* back pointers: 1 = text placed */
    unsigned *orig;        /* per row: column of each text before realigning */
    unsigned *orig_start;  /* offset of each row's entries in orig */
    unsigned *vcol;        /* placement being built */
    norm_ttype *vtype;
    const norm_tfield **vals;
    uint32_t *vmask;       /* per text: headers the page saw it under */
    int *hid;              /* per column: the section header's id, -1 none;
                            * NULL: no vocabulary for this segment */
    int *hid_store;
    norm_tvocab *vocab;    /* may be NULL */
    char *tmp;             /* compact texts */
    size_t tmp_len;
    unsigned modal;        /* the table's full field count */
} aligner;

/* Types of row r's slots: leading empty fields are continuations. */
static norm_ttype slot_type(const norm_trow *r, unsigned c, unsigned lead)
{
    if (c < lead)
        return NORM_TT_CONT;
    return ftype(&r->f[c]);
}

static unsigned lead_of(const norm_trow *r, unsigned n)
{
    unsigned lead = 0;
    while (lead < n && !r->f[lead].len)
        lead++;
    return lead;
}

static void count_row(aligner *a, size_t r, double w)
{
    const norm_trow *row = &a->g->rows[r];
    unsigned lead = lead_of(row, a->n);
    for (unsigned c = 0; c < a->n; c++)
        a->cnt[c * NORM_TT_COUNT + slot_type(row, c, lead)] += w;
}

/* log P(type | column) under the context profile. A continuation counts as
 * a filled slot: the cell above fills it. */
static double logp(const aligner *a, unsigned c, norm_ttype t)
{
    const double *k = &a->cnt[c * NORM_TT_COUNT];
    double tot = 0;
    for (int i = 0; i < NORM_TT_COUNT; i++)
        tot += k[i];
    tot += NORM_TT_COUNT * NORM_TEXTALIGN_ALPHA;
    if (t == NORM_TT_CONT)
        return log(1.0 - (k[NORM_TT_EMPTY] + NORM_TEXTALIGN_ALPHA) / tot);
    return log((k[t] + NORM_TEXTALIGN_ALPHA) / tot);
}

static double gap_cost(const norm_trow *hdr, unsigned c)
{
    return hdr && c > 0 && !hdr->f[c].len ? NORM_TEXTALIGN_HEADER_GAP : 0.0;
}

static double bonus(const aligner *a, unsigned i, unsigned col)
{
    int h = a->hid ? a->hid[col] : -1;
    return h >= 0 && (a->vmask[i] >> h & 1u) ? NORM_TEXTALIGN_VOCAB_BONUS : 0.0;
}

/* Score of row r as it stands over columns [off, n); its nv texts were
 * gathered (a->vals, a->vmask) with their columns in cols. */
static double place_score(const aligner *a, const norm_trow *r, unsigned off,
                          const norm_trow *hdr, unsigned nv,
                          const unsigned *cols)
{
    unsigned lead = off;
    while (lead < a->n && !r->f[lead].len)
        lead++;
    double s = 0;
    for (unsigned c = off; c < a->n; c++) {
        norm_ttype t = slot_type(r, c, lead);
        s += logp(a, c, t);
        if (t != NORM_TT_EMPTY && t != NORM_TT_CONT)
            s -= gap_cost(hdr, c);
    }
    for (unsigned i = 0; i < nv; i++)
        s += bonus(a, i, cols[i]);
    return s;
}

/* The best monotone placement of the nv texts in a->vtype over columns
 * [off, n): a->vcol receives the columns. pin: the first text stays at off.
 * Returns the score. */
static double best_place(aligner *a, unsigned nv, const unsigned *orig,
                         unsigned off, int pin, const norm_trow *hdr)
{
    unsigned w = a->n - off + 1;
    double *dp = a->dp;
    const double neg = -1e300;
    for (size_t i = 0; i < (size_t)(nv + 1) * w; i++)
        dp[i] = neg;
    dp[0] = 0;
    for (unsigned c = 0; c + 1 < w; c++) {
        unsigned col = off + c;
        for (unsigned i = 0; i <= nv; i++) {
            double cur = dp[(size_t)i * w + c];
            if (cur <= neg)
                continue;
            double s = cur + logp(a, col, i == 0 ? NORM_TT_CONT : NORM_TT_EMPTY);
            if (s > dp[(size_t)i * w + c + 1]) {
                dp[(size_t)i * w + c + 1] = s;
                a->bk[(size_t)i * w + c + 1] = 0;
            }
            if (i < nv && !(pin && i == 0 && c != 0)) {
                double move = orig[i] > col ? orig[i] - col : col - orig[i];
                s = cur + logp(a, col, a->vtype[i]) - gap_cost(hdr, col) -
                    NORM_TEXTALIGN_MOVE_COST * move + bonus(a, i, col);
                if (s > dp[(size_t)(i + 1) * w + c + 1]) {
                    dp[(size_t)(i + 1) * w + c + 1] = s;
                    a->bk[(size_t)(i + 1) * w + c + 1] = 1;
                }
            }
        }
    }
    unsigned i = nv;
    for (unsigned c = w - 1; c > 0; c--)
        if (a->bk[(size_t)i * w + c]) {
            a->vcol[--i] = off + c - 1;
        }
    return dp[(size_t)nv * w + (w - 1)];
}

/* Collect the texts of row r from column off on. */
static unsigned gather(aligner *a, size_t r, unsigned off, unsigned *orig)
{
    const norm_trow *row = &a->g->rows[r];
    unsigned nv = 0;
    for (unsigned c = off; c < a->n; c++)
        if (row->f[c].len) {
            a->vals[nv] = &row->f[c];
            a->vtype[nv] = ftype(&row->f[c]);
            a->vmask[nv] = 0;
            if (a->hid && a->vtype[nv] == NORM_TT_SHORT &&
                row->f[c].len < a->tmp_len)
                a->vmask[nv] = vocab_headers(
                    a->vocab, compact_tmp(a->tmp, row->f[c].s, row->f[c].len));
            orig[nv] = c;
            nv++;
        }
    return nv;
}

/* Put the gathered texts at a->vcol (columns from off on). */
static void apply(aligner *a, size_t r, unsigned off, unsigned nv)
{
    norm_trow *row = &a->g->rows[r];
    norm_tfield tmp[NORM_TEXTALIGN_MAX_COLS];
    for (unsigned i = 0; i < nv; i++)
        tmp[i] = *a->vals[i];
    for (unsigned c = off; c < a->n; c++) {
        row->f[c].s = "";
        row->f[c].len = 0;
    }
    for (unsigned i = 0; i < nv; i++)
        row->f[a->vcol[i]] = tmp[i];
}

/* The fewest texts a continuation row (one that begins with an empty field)
 * of a segment holds, and the second fewest, so that a row can leave itself
 * out: a row that starts in the first column joins the group above only if
 * it has at least that many (UINT32_MAX: no such row). Taken once, before
 * the segment is realigned. */
typedef struct {
    unsigned min1, min2;
    size_t row1;
} cont_min;

static void cont_texts(const aligner *a, const size_t *seg, size_t n,
                       cont_min *m)
{
    m->min1 = m->min2 = UINT32_MAX;
    m->row1 = NORM_TGRID_NONE;
    for (size_t k = 0; k < n; k++) {
        size_t j = seg[k];
        if (a->g->rows[j].f[0].len)
            continue;
        unsigned t = count_text(a->g, j);
        if (!t)
            continue;
        if (t < m->min1) {
            m->min2 = m->min1;
            m->min1 = t;
            m->row1 = j;
        } else if (t < m->min2)
            m->min2 = t;
    }
}

static unsigned cont_min_without(const cont_min *m, size_t self)
{
    return self == m->row1 ? m->min2 : m->min1;
}

/* Realign the rows of one segment (seg[0..n)); hdr: its header row or NULL
 * (a row group). */
static void realign_segment(aligner *a, const size_t *seg, size_t n,
                            const norm_trow *hdr, int group)
{
    norm_tgrid *g = a->g;
    memset(a->cnt, 0, (size_t)a->n * NORM_TT_COUNT * sizeof *a->cnt);
    int *hid = NULL;
    if (hdr && a->vocab && a->vocab->nheaders) {
        hid = a->hid_store;
        for (unsigned c = 0; c < a->n; c++) {
            hid[c] = -1;
            if (hdr->f[c].len && hdr->f[c].len < a->tmp_len)
                hid[c] = header_id(a->vocab,
                                   compact_tmp(a->tmp, hdr->f[c].s, hdr->f[c].len),
                                   0);
        }
    }
    a->hid = hid;
    size_t nctx = 0;
    cont_min cm;
    cont_texts(a, seg, n, &cm);
    for (size_t k = 0; k < n; k++)
        if (g->rows[seg[k]].nraw == a->modal) {
            count_row(a, seg[k], 1.0);
            nctx++;
        }
    for (size_t k = 0; k < n; k++) {
        size_t r = seg[k];
        if (hdr && k == 0)
            continue;   /* the header itself */
        if (group && label_row(g, r, NORM_TEXTALIGN_HEADER_MIN_CELLS))
            continue;   /* a row of column labels heads its group */
        int in_ctx = g->rows[r].nraw == a->modal;
        if (nctx - (size_t)in_ctx < 2)
            continue;
        if (in_ctx)
            count_row(a, r, -1.0);
        const unsigned *orig = a->orig + a->orig_start[r];
        unsigned tmp_orig[NORM_TEXTALIGN_MAX_COLS];
        unsigned nv = gather(a, r, 0, tmp_orig);
        const norm_trow *row = &g->rows[r];
        unsigned mincont = cont_min_without(&cm, r);
        unsigned span = 1;
        while (span < a->n && !row->f[span].len)
            span++;
        if (nv >= 2 && !group && hdr && row->f[0].len &&
            span - 1 >= NORM_TGRID_TOTAL_SPAN && mincont != UINT32_MAX &&
            nv < mincont) {
            /* A label row of its own (`总分`, seed 001): the label stays and
             * spans; its values are placed in the columns after it. */
            unsigned nv2 = gather(a, r, 1, tmp_orig);
            unsigned o2[NORM_TEXTALIGN_MAX_COLS];
            for (unsigned i = 0; i < nv2; i++)
                o2[i] = orig[i + 1];
            double s0 = place_score(a, row, 1, NULL, nv2, o2);
            double s1 = best_place(a, nv2, o2, 1, 0, NULL);
            if (s1 - s0 > NORM_TEXTALIGN_MARGIN)
                apply(a, r, 1, nv2);
        } else if (nv > 0) {
            double s0 = place_score(a, row, 0, hdr, nv, orig);
            double s1 = best_place(a, nv, orig, 0, 0, hdr);
            if (orig[0] == 0 && a->vcol[0] > 0 &&
                ((group && k == 0) || nv < mincont || mincont == UINT32_MAX))
                s1 = best_place(a, nv, orig, 0, 1, hdr);
            if (s1 - s0 > NORM_TEXTALIGN_MARGIN)
                apply(a, r, 0, nv);
        }
        if (in_ctx)
            count_row(a, r, 1.0);
    }
}

/* Row groups of the first column (norm_textgrid.h). */
static size_t group_end(const norm_tgrid *g, size_t i)
{
    size_t j = i + 1;
    if (g->rows[i].title)
        return j;
    while (j < g->nrows && !g->rows[j].title && !g->rows[j].f[0].len)
        j++;
    return j;
}

/* Columns holding text in rows [a, b). */
static void starts(const norm_tgrid *g, size_t a, size_t b, unsigned char *s)
{
    memset(s, 0, g->ncols);
    for (size_t r = a; r < b; r++)
        for (unsigned c = 0; c < g->ncols; c++)
            if (g->rows[r].f[c].len)
                s[c] = 1;
}

static double jaccard(const unsigned char *x, const unsigned char *y,
                      unsigned n)
{
    unsigned in = 0, un = 0;
    for (unsigned c = 0; c < n; c++) {
        in += x[c] && y[c];
        un += x[c] || y[c];
    }
    return un ? (double)in / un : 0.0;
}

/* A header row printed one line above its group's label (seeds 003, 004:
 * `<TAB>一级指标<TAB>...` then `绩效指标<TAB>成本指标...`) belongs to the group
 * below when its columns match that group's better than the group above's:
 * the label moves up to it. */
static ft_err hoist(norm_tgrid *g)
{
    ft_err rc = FT_OK;
    unsigned char *sr = calloc(g->ncols, 1), *up = calloc(g->ncols, 1),
                  *dn = calloc(g->ncols, 1);
    if (!sr || !up || !dn) {
        rc = FT_NOMEM;
        goto out;
    }
    size_t a = 0;
    while (a < g->nrows) {
        size_t b = group_end(g, a);
        if (b >= g->nrows)
            break;
        size_t last = b - 1, c = group_end(g, b);
        if (!g->rows[a].title && !g->rows[b].title && last > a &&
            !g->rows[last].f[0].len && norm_textalign_is_header(g, last) &&
            ftype(&g->rows[b].f[0]) == NORM_TT_SHORT) {
            starts(g, last, last + 1, sr);
            starts(g, a, last, up);
            starts(g, b, c, dn);
            if (jaccard(sr, dn, g->ncols) > jaccard(sr, up, g->ncols)) {
                g->rows[last].f[0] = g->rows[b].f[0];
                g->rows[b].f[0].s = "";
                g->rows[b].f[0].len = 0;
                /* the old group now ends before `last` */
                b = last;
            }
        }
        a = b;
    }
out:
    free(sr);
    free(up);
    free(dn);
    return rc;
}

/* Bytes of the buffer for compact labels: short texts are at most
 * NORM_TEXTALIGN_SHORT_NCHARS code points, 4 bytes each, and headers less. */
#define NORM_TEXTALIGN_TMP_LEN (4u * NORM_TEXTALIGN_SHORT_NCHARS + 4u)

ft_err norm_textalign_rows(norm_tgrid *g, norm_tvocab *vocab)
{
    aligner a;
    ft_err rc = FT_OK;
    size_t *seg = NULL;
    memset(&a, 0, sizeof a);
    a.g = g;
    a.n = g->ncols;
    a.vocab = vocab;
    if (g->nrows == 0)
        return FT_OK;
    if (a.n > NORM_TEXTALIGN_MAX_COLS || a.n < 2)
        goto sections;
    a.cnt = calloc((size_t)a.n * NORM_TT_COUNT, sizeof *a.cnt);
    a.dp = malloc((size_t)(a.n + 1) * (a.n + 1) * sizeof *a.dp);
    a.bk = calloc((size_t)(a.n + 1) * (a.n + 1), 1);
    a.orig = malloc(g->nrows * (size_t)a.n * sizeof *a.orig);
    a.orig_start = malloc(g->nrows * sizeof *a.orig_start);
    a.vcol = malloc(a.n * sizeof *a.vcol);
    a.vtype = malloc(a.n * sizeof *a.vtype);
    a.vals = malloc(a.n * sizeof *a.vals);
    a.vmask = calloc(a.n, sizeof *a.vmask);
    a.hid_store = malloc(a.n * sizeof *a.hid_store);
    a.tmp_len = NORM_TEXTALIGN_TMP_LEN;
    a.tmp = malloc(a.tmp_len);
    seg = malloc(g->nrows * sizeof *seg);
    if (!a.cnt || !a.dp || !a.bk || !a.orig || !a.orig_start || !a.vcol ||
        !a.vtype || !a.vals || !a.vmask || !a.hid_store || !a.tmp || !seg) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t r = 0; r < g->nrows; r++) {
        a.orig_start[r] = (unsigned)(r * a.n);
        unsigned k = 0;
        for (unsigned c = 0; c < a.n; c++)
            if (g->rows[r].f[c].len)
                a.orig[r * a.n + k++] = c;
        if (!g->rows[r].title && g->rows[r].nraw > a.modal)
            a.modal = g->rows[r].nraw;
    }
sections:
    /* Sections: from a header row to the next title or header. */
    {
        size_t r = 0;
        while (r < g->nrows) {
            if (g->rows[r].title || !norm_textalign_is_header(g, r)) {
                r++;
                continue;
            }
            size_t e = r + 1;
            while (e < g->nrows && !g->rows[e].title &&
                   !norm_textalign_is_header(g, e))
                e++;
            for (size_t k = r; k < e; k++)
                g->rows[k].section = r;
            if (seg && e - r >= 3) {
                for (size_t k = r; k < e; k++)
                    seg[k - r] = k;
                realign_segment(&a, seg, e - r, &g->rows[r], 0);
            }
            r = e;
        }
    }
    /* Groups of three or more rows outside the sections. */
    if (seg) {
        size_t r = 0;
        while (r < g->nrows) {
            size_t e = group_end(g, r);
            int free_rows = 1;
            for (size_t k = r; k < e; k++)
                if (g->rows[k].section != NORM_TGRID_NONE || g->rows[k].title)
                    free_rows = 0;
            if (free_rows && e - r >= 3) {
                for (size_t k = r; k < e; k++)
                    seg[k - r] = k;
                realign_segment(&a, seg, e - r, NULL, 1);
            }
            r = e;
        }
    }
    if ((rc = hoist(g)))
        goto out;
    /* Learn the labels of this table's sections for the next ones. */
    for (size_t r = 0; vocab && r < g->nrows && !rc;) {
        size_t h = g->rows[r].section;
        if (h != r) {
            r++;
            continue;
        }
        size_t e = r + 1;
        while (e < g->nrows && g->rows[e].section == h)
            e++;
        rc = vocab_learn(vocab, g, h, e);
        r = e;
    }
out:
    free(a.cnt);
    free(a.dp);
    free(a.bk);
    free(a.orig);
    free(a.orig_start);
    free(a.vcol);
    free(a.vtype);
    free(a.vals);
    free(a.vmask);
    free(a.hid_store);
    free(a.tmp);
    free(seg);
    return rc;
}
