/* Unruled ("stream") tables (norm_stream.h). Runs become lines by vertical
 * overlap; lines become table regions (consecutive lines of two or more
 * segments, cut at paragraph lines, headings and wide vertical gaps); columns
 * come from whitespace "rivers" (x ranges empty in nearly all full lines of
 * the region); a river empty in every line that separates two groups of
 * columns splits tables printed side by side; and lines become rows, a line
 * joining the row above when it reads as the wrapped continuation of that
 * row's cells. Every step sorts and sweeps, so the time is O(n log n) in the
 * runs of the page.
 *
 * The constants below are the heuristics; each names the fixture under
 * fixtures/stream/ or fixtures/pdf/ that set it. */
#include "norm_stream.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"

/* Two runs share a line when their vertical extents overlap by at least this
 * fraction of the smaller height. A superscript lies inside the band of its
 * line (fixture stream/en-notes: footnote marks); the next line of a table
 * set at 1.2x leading overlaps by nothing. Same value as extract's
 * EXT_LINE_OVERLAP and norm_geom's note lines. */
#define NORM_STREAM_LINE_OVERLAP 0.5

/* Runs of one line closer than this many ems form one segment (one cell's
 * text). extract cuts runs only at gaps over 0.9 em (EXT_RUN_GAP_EM), so this
 * only rejoins what another producer split at word spaces (0.25-0.35 em; the
 * monospace layout of norm_text.c cuts at two spaces = 1.2 em, which stays
 * cut). */
#define NORM_STREAM_SEG_GAP_EM 0.5

/* Inside a segment, a gap wider than this many ems is written as a space
 * (a narrower one is kerning, and CJK text has none). */
#define NORM_STREAM_SPACE_GAP_EM 0.15

/* A river (column gap) is at least this many ems wide. Below extract's run
 * gap, so every gap between two runs can be one; wider than a word space. */
#define NORM_STREAM_MIN_RIVER_EM 0.6

/* A vertical gap between two lines wider than this many line heights ends a
 * block: text that far apart is not one table. */
#define NORM_STREAM_BLOCK_GAP 2.5

/* A one-segment line at least this fraction as wide as the block's table
 * lines, starting within NORM_STREAM_PARA_INDENT_EM of their left edge, is a
 * paragraph line and ends a table (fixture stream/en-report: a paragraph
 * between two tables). A spanning section label is far narrower; the wrapped
 * lines of a wide cell start at its column, not at the table's edge
 * (fixture pdf/seed000-hrules: 项目概况 text from the second column). */
#define NORM_STREAM_PARA_FRAC 0.6
#define NORM_STREAM_PARA_INDENT_EM 1.0

/* A one-segment line whose font is this much larger than the block's usual
 * size is a heading and ends a table (fixture pdf/seed003-budgets-unruled:
 * 11 pt `六、年度预算安排` between 9.5 pt tables). */
#define NORM_STREAM_HEADING_RATIO 1.12

/* Full lines: the columns are read from the lines having at least k
 * segments, k the largest count that at least this fraction of the
 * multi-segment lines reach. Header lines with spans and rows with empty
 * cells have fewer segments and are assigned to the columns afterwards
 * (fixtures pdf/x-en-pricelist-unruled, stream/ja-spanhead). */
#define NORM_STREAM_FULL_FRAC 0.3

/* A river may be crossed by one full line in this many (a long value running
 * into the next column's empty space); with fewer full lines, by none. */
#define NORM_STREAM_CROSS_DIV 10

/* A segment spans column c when it overlaps c's slot by at least this
 * fraction of the smaller of the two widths: a header centred over two
 * columns overlaps each by half its width (fixture stream/ja-spanhead
 * 予算額); a right-aligned header reaching a little over the river does not. */
#define NORM_STREAM_SPAN_FRAC 0.25

/* A table has at least this many columns, and at least NORM_STREAM_MIN_ROWS
 * multi-segment lines, or two such lines and NORM_STREAM_MIN_COLS_2ROWS
 * columns: two lines of two segments are a signature block or a title with a
 * date as often as a table (unit case "two lines are no table"). */
#define NORM_STREAM_MIN_COLS 2
#define NORM_STREAM_MIN_ROWS 3
#define NORM_STREAM_MIN_COLS_2ROWS 3

/* A continuation line starts at most this many line heights below the row
 * above (wrapped lines are set at the body leading). */
#define NORM_STREAM_WRAP_GAP 1.0

/* Line pitches (baseline to baseline) within this factor of the smallest
 * pitch in a region are "tight"; the region has two pitches (wrapped lines
 * closer than rows) when some pitch exceeds the smallest by
 * NORM_STREAM_PITCH_SPLIT (fixture pdf/seed003-budgets-unruled: lines of a
 * wrapped cell 12.8 pt apart, rows 44.5 pt). */
#define NORM_STREAM_TIGHT_RATIO 1.12
#define NORM_STREAM_PITCH_SPLIT 1.25

/* Wrap evidence: a line continues the cell above when its first word would
 * not have fitted after the text above within the column (how word wrapping
 * decides), with this many ems of tolerance for the cell's padding. */
#define NORM_STREAM_WRAP_SLACK_EM 0.5

/* A one-segment line at the top or bottom of a region further from the table
 * than this factor times the region's usual line gap is a title or a note,
 * not a row (fixture stream/en-notes). */
#define NORM_STREAM_EDGE_GAP 1.6

/* Side by side: a river empty in every line of the region and at least this
 * many ems wide, with two columns or more on each side, splits the region
 * into two tables when the two column groups repeat one pattern (same number
 * of columns, same text/number types, text and numbers: fixtures
 * pdf/x-en-side-by-side, where the gutter is narrower than the gap inside
 * each table, and stream/en-side-by-side), or when it is this many times as
 * wide as every other river and each group has a text and a number column.
 * A label column followed by a wide gap and columns of numbers is one table
 * (fixture stream/ja-spanhead), and so is a table of words only (fixtures
 * stream/en-voting, stream/en-hrules). */
#define NORM_STREAM_GUTTER_MIN_EM 2.5
#define NORM_STREAM_GUTTER_RATIO 2.0

/* Rows delimited by horizontal rules: when a region has at least this many
 * rules across it and on average at most NORM_STREAM_RULED_ROW_LINES lines
 * between two rules, each band between rules is one row (unit case
 * "rules make rows"). Fewer rules (top, header, bottom) only stop
 * continuations from crossing them. A rule counts when it covers this
 * fraction of the region's width. */
#define NORM_STREAM_RULED_MIN 4
#define NORM_STREAM_RULED_ROW_LINES 3
#define NORM_STREAM_RULE_COVER 0.5

/* Columns hidden by spans (a form's grid, where long values run over the
 * gaps between columns; fixture pdf/seed003-forms-unruled). Inside a column,
 * at least NORM_STREAM_ALIGN_SUPPORT segments starting at one x (within
 * NORM_STREAM_ALIGN_TOL points) right of the column's left edge start a
 * column of their own when one of them follows another segment of the same
 * cell on its line (项目性质 | 其他经常性项目 | 项目类别 on one line: a column
 * of a statistics table never holds two segments a line), or when the
 * column is neither right- nor centre-aligned (at most
 * NORM_STREAM_ALIGNED_FRAC of its segments share an edge or a centre) and
 * nothing of it ends within a river's width before that x. One split per
 * column and round, NORM_STREAM_SPLIT_ROUNDS rounds. */
#define NORM_STREAM_ALIGN_SUPPORT 3
#define NORM_STREAM_ALIGN_TOL 1.0
#define NORM_STREAM_ALIGNED_FRAC 0.5
#define NORM_STREAM_SPLIT_ROUNDS 4

/* Section spans: when at least this many consecutive rows have a left-
 * aligned text in column c and nothing of their own in column c+1, the text
 * cells of c span c+1 (a form whose grid has a column its section never
 * uses: fixture pdf/seed003-forms-unruled, the 三级指标 and 指标值 columns of
 * the indicator block). Two rows are not enough: a price list leaves a
 * code empty on two rows running (fixture pdf/x-en-pricelist-unruled). */
#define NORM_STREAM_SECTION_ROWS 3

/* Recursion depth of splits (side by side, or runs re-cut at rivers). */
#define NORM_STREAM_MAX_DEPTH 4

/* Rounds of dropping columns that own no segment (each round drops all such
 * at once; another is needed only when a merge moves a span). */
#define NORM_STREAM_MERGE_ROUNDS 4

/* A run that crosses a river is cut at a space when the estimated position
 * of the space (by character count) lies within this many ems of the river
 * and the parts read like their columns (fixture pdf/x-en-stats-unruled:
 * extract joined `Information and communication 493.9`, 4 pt apart). */
#define NORM_STREAM_CUT_TOL_EM 1.0

/* ---- data ---------------------------------------------------------------- */

/* A piece of a run: the whole run, or a part cut at a river. */
typedef struct {
    size_t run;
    size_t off, len;       /* bytes of the run's text */
    ft_box box;
} piece;

typedef struct {
    size_t first, count;   /* pieces: w->order[first .. first+count) */
    ft_box box;
    double size;
    int numeric;
    int c0, c1;            /* columns (0-based), -1 unassigned */
    int cc;                /* column of its centre */
    size_t li;             /* its line */
} seg;

typedef struct {
    size_t sfirst, nsegs;  /* segments of the line, by x */
    ft_box box;            /* union of its runs */
    double top, bottom;    /* band of its tallest run */
    double size;           /* largest font size */
    int bold;              /* every run bold */
} line;

typedef struct {
    double l, r;           /* empty x range between two columns */
} river;

typedef struct {
    const ft_page *p;
    unsigned char *used;
    norm_tables *out;
    ft_box *hrules;        /* horizontal rules of the page, by y */
    size_t nhrules;
    ft_err limit;          /* first FT_LIMIT met; the page goes on */
} ctx;

/* Lines and segments over a set of pieces. */
typedef struct {
    piece *order;          /* pieces grouped by line, by x in a line */
    size_t norder;
    seg *segs;
    size_t nsegs;
    line *lines;
    size_t nlines;
} workset;

static void workset_free(workset *w)
{
    free(w->order);
    free(w->segs);
    free(w->lines);
}

static double box_h(const ft_box *b)
{
    return b->y1 - b->y0;
}

static void box_union(ft_box *a, const ft_box *b)
{
    a->x0 = fmin(a->x0, b->x0);
    a->y0 = fmin(a->y0, b->y0);
    a->x1 = fmax(a->x1, b->x1);
    a->y1 = fmax(a->y1, b->y1);
}

static int cmp_size_desc(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a < b) - (a > b);
}

static int cmp_box_y(const void *pa, const void *pb)
{
    const ft_box *a = pa, *b = pb;
    return (a->y0 > b->y0) - (a->y0 < b->y0);
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static const char *piece_text(const ctx *c, const piece *pc)
{
    return c->p->runs[pc->run].text + pc->off;
}

static double piece_size(const ctx *c, const piece *pc)
{
    const ft_run *r = &c->p->runs[pc->run];
    double s = r->size > 0 ? r->size : box_h(&r->box);
    return s > 0 ? s : 1.0;
}

/* ---- numbers --------------------------------------------------------------- */

/* 1 if the text reads as a value rather than words: at least one digit and
 * nothing but digits, separators, signs, currency, percent, comparison and
 * parentheses; or a lone dash (a nil marker). Full-width forms count. */
static int text_numeric(const char *s, size_t len)
{
    size_t i = 0;
    int digits = 0, other = 0, dashes = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = ft_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
        uint32_t a = ft_fullwidth_to_ascii(cp);
        if (a)
            cp = a;
        if (cp >= '0' && cp <= '9')
            digits++;
        else if (cp == '-' || cp == 0x2212 || cp == 0x2013 || cp == 0x2014)
            dashes++;
        else if (cp < 0x80 && strchr(" .,+%()$/:'*<>=", (int)cp))
            other++;
        else if (cp == 0x20AC || cp == 0xA3 || cp == 0xA5 || cp == 0x2265 ||
                 cp == 0x2264 || cp == 0x2267 || cp == 0x2266 ||
                 ft_is_space(cp))
            other++;
        else
            return 0;
    }
    if (digits)
        return 1;
    return dashes > 0 && other == 0 && dashes <= 2;
}

/* ---- lines and segments ---------------------------------------------------- */

typedef struct {
    double key, x0;
    size_t i;              /* index into the input pieces */
} pkey;

static int cmp_pkey(const void *pa, const void *pb)
{
    const pkey *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static int cmp_pkey_x(const void *pa, const void *pb)
{
    const pkey *a = pa, *b = pb;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Build lines and segments from the pieces in[0..n). */
static ft_err build_lines(const ctx *c, const piece *in, size_t n, workset *w)
{
    ft_err rc = FT_OK;
    pkey *keys = NULL;
    memset(w, 0, sizeof *w);
    if (n == 0)
        return FT_OK;
    keys = malloc(n * sizeof *keys);
    w->order = malloc(n * sizeof *w->order);
    w->segs = malloc(n * sizeof *w->segs);
    w->lines = malloc(n * sizeof *w->lines);
    if (!keys || !w->order || !w->segs || !w->lines) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        keys[i] = (pkey){(in[i].box.y0 + in[i].box.y1) / 2, in[i].box.x0, i};
    qsort(keys, n, sizeof *keys, cmp_pkey);
    size_t i = 0;
    while (i < n) {
        /* The band is that of the tallest piece so far, so a superscript
         * neither starts a line of its own nor stretches the band. */
        double top = in[keys[i].i].box.y0, bot = in[keys[i].i].box.y1;
        size_t j = i + 1;
        while (j < n) {
            const ft_box *b = &in[keys[j].i].box;
            double lo = fmax(b->y0, top), hi = fmin(b->y1, bot);
            double hmin = fmin(box_h(b), bot - top);
            if (hmin <= 0 ? !(b->y0 >= top && b->y1 <= bot)
                          : hi - lo < NORM_STREAM_LINE_OVERLAP * hmin)
                break;
            if (box_h(b) > bot - top) {
                top = b->y0;
                bot = b->y1;
            }
            j++;
        }
        qsort(keys + i, j - i, sizeof *keys, cmp_pkey_x);
        line *L = &w->lines[w->nlines++];
        L->sfirst = w->nsegs;
        L->nsegs = 0;
        L->top = top;
        L->bottom = bot;
        L->box = in[keys[i].i].box;
        L->size = 0;
        L->bold = 1;
        for (size_t k = i; k < j; k++) {
            const piece *pc = &in[keys[k].i];
            double sz = piece_size(c, pc);
            box_union(&L->box, &pc->box);
            L->size = fmax(L->size, sz);
            if (!(c->p->runs[pc->run].flags & FT_RUN_BOLD))
                L->bold = 0;
            seg *prev = L->nsegs ? &w->segs[w->nsegs - 1] : NULL;
            if (prev && pc->box.x0 - prev->box.x1 <
                            NORM_STREAM_SEG_GAP_EM * fmax(sz, prev->size)) {
                prev->count++;
                box_union(&prev->box, &pc->box);
                prev->size = fmax(prev->size, sz);
            } else {
                seg *s = &w->segs[w->nsegs++];
                s->first = w->norder;
                s->count = 1;
                s->box = pc->box;
                s->size = sz;
                s->c0 = s->c1 = s->cc = -1;
                s->li = w->nlines - 1;
                L->nsegs++;
            }
            w->order[w->norder++] = *pc;
        }
        i = j;
    }
    for (size_t s = 0; s < w->nsegs; s++) {
        /* numeric when every piece of the segment is */
        seg *g = &w->segs[s];
        g->numeric = 1;
        for (size_t k = 0; k < g->count; k++) {
            const piece *pc = &w->order[g->first + k];
            if (!text_numeric(piece_text(c, pc), pc->len))
                g->numeric = 0;
        }
    }
out:
    free(keys);
    return rc;
}

static double line_h(const line *L)
{
    double h = L->bottom - L->top;
    return h > 0 ? h : L->size;
}

static double median_size(const workset *w, size_t a, size_t b)
{
    size_t n = b - a + 1;
    double *v = malloc(n * sizeof *v);
    if (!v)
        return w->lines[a].size;
    for (size_t i = 0; i < n; i++)
        v[i] = w->lines[a + i].size;
    qsort(v, n, sizeof *v, cmp_double);
    double m = v[n / 2];
    free(v);
    return m > 0 ? m : 1.0;
}

/* ---- columns ------------------------------------------------------------------ */

typedef struct {
    double x;
    int d;
} event;

static int cmp_event(const void *pa, const void *pb)
{
    const event *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->d - b->d; /* closings first: touching boxes leave no gap */
}

/* Rivers over the segments of the lines in [a, b] selected by sel (NULL:
 * all): x ranges where at most `allowed` of those lines have text, at least
 * min_w wide and strictly inside their extent. *out is malloc'd. */
static ft_err find_rivers(const workset *w, size_t a, size_t b,
                          const unsigned char *sel, int allowed, double min_w,
                          river **out, size_t *nout)
{
    size_t nev = 0;
    *out = NULL;
    *nout = 0;
    for (size_t i = a; i <= b; i++)
        if (!sel || sel[i - a])
            nev += 2 * w->lines[i].nsegs;
    if (nev == 0)
        return FT_OK;
    event *ev = malloc(nev * sizeof *ev);
    river *rv = malloc((nev / 2 + 1) * sizeof *rv);
    if (!ev || !rv) {
        free(ev);
        free(rv);
        return FT_NOMEM;
    }
    nev = 0;
    for (size_t i = a; i <= b; i++) {
        if (sel && !sel[i - a])
            continue;
        const line *L = &w->lines[i];
        for (size_t k = 0; k < L->nsegs; k++) {
            const seg *s = &w->segs[L->sfirst + k];
            ev[nev++] = (event){s->box.x0, +1};
            ev[nev++] = (event){s->box.x1, -1};
        }
    }
    qsort(ev, nev, sizeof *ev, cmp_event);
    int cov = 0, in_low = 0;
    size_t nr = 0;
    double start = 0;
    for (size_t k = 0; k < nev; k++) {
        int was = cov;
        cov += ev[k].d;
        if (was > allowed && cov <= allowed) {
            start = ev[k].x;
            in_low = 1;
        } else if (was <= allowed && cov > allowed && in_low) {
            if (ev[k].x - start >= min_w)
                rv[nr++] = (river){start, ev[k].x};
            in_low = 0;
        }
    }
    free(ev);
    *out = rv;
    *nout = nr;
    return FT_OK;
}

/* Left bound of column k's slot: the region's left edge, then the middle of
 * each river, then the right edge. */
static double col_bound(const river *rv, size_t nr, size_t k, double x0,
                        double x1)
{
    if (k == 0)
        return x0;
    if (k > nr)
        return x1;
    return (rv[k - 1].l + rv[k - 1].r) / 2;
}

/* Assign columns c0..c1 to segment s: the contiguous columns whose slot the
 * segment overlaps by at least NORM_STREAM_SPAN_FRAC of the smaller width,
 * always including the column of its centre. */
static void assign_seg(seg *s, const river *rv, size_t nr, double x0,
                       double x1)
{
    double cx = (s->box.x0 + s->box.x1) / 2;
    /* c: the number of river middles left of cx (binary search: a wide
     * table has many rivers) */
    size_t c = 0, hi_c = nr;
    while (c < hi_c) {
        size_t mid = c + (hi_c - c) / 2;
        if ((rv[mid].l + rv[mid].r) / 2 < cx)
            c = mid + 1;
        else
            hi_c = mid;
    }
    size_t lo = c, hi = c;
    double sw = s->box.x1 - s->box.x0;
    while (lo > 0) {
        double bl = col_bound(rv, nr, lo - 1, x0, x1);
        double br = col_bound(rv, nr, lo, x0, x1);
        double ov = fmin(br, s->box.x1) - fmax(bl, s->box.x0);
        if (ov <= 0 || ov < NORM_STREAM_SPAN_FRAC * fmin(sw, br - bl))
            break;
        lo--;
    }
    while (hi < nr) {
        double bl = col_bound(rv, nr, hi + 1, x0, x1);
        double br = col_bound(rv, nr, hi + 2, x0, x1);
        double ov = fmin(br, s->box.x1) - fmax(bl, s->box.x0);
        if (ov <= 0 || ov < NORM_STREAM_SPAN_FRAC * fmin(sw, br - bl))
            break;
        hi++;
    }
    /* a segment centred in a river is centred over the columns on both of
     * its sides (a header over a group: fixture stream/ja-spanhead 予算額);
     * text of a full line never lies there */
    if (c < nr && rv[c].l < cx && cx < rv[c].r) {
        if (hi < c + 1)
            hi = c + 1;
    } else if (c > 0 && rv[c - 1].l < cx && cx < rv[c - 1].r) {
        if (lo > c - 1)
            lo = c - 1;
    }
    s->c0 = (int)lo;
    s->c1 = (int)hi;
    s->cc = (int)c;
}

/* Make the segments of one line claim disjoint columns: each keeps its
 * centre column; where two claim the same column the boundary moves to just
 * before the right one's centre column. Two segments with the same centre
 * column share one cell. */
static void resolve_line(workset *w, const line *L)
{
    for (size_t k = 1; k < L->nsegs; k++) {
        seg *p = &w->segs[L->sfirst + k - 1];
        seg *s = &w->segs[L->sfirst + k];
        if (s->c0 > p->c1)
            continue;
        if (s->cc <= p->cc) {
            int lo = p->c0 < s->c0 ? p->c0 : s->c0;
            int hi = p->c1 > s->c1 ? p->c1 : s->c1;
            p->c0 = s->c0 = lo;
            p->c1 = s->c1 = hi;
            continue;
        }
        if (p->c1 >= s->cc)
            p->c1 = s->cc - 1;
        if (p->c1 < p->cc)
            p->c1 = p->cc;
        s->c0 = p->c1 + 1;
    }
}

static void assign_all(workset *w, size_t a, size_t b, const river *rv,
                       size_t nr, double x0, double x1)
{
    for (size_t i = a; i <= b; i++) {
        const line *L = &w->lines[i];
        for (size_t k = 0; k < L->nsegs; k++)
            assign_seg(&w->segs[L->sfirst + k], rv, nr, x0, x1);
        resolve_line(w, L);
    }
}

static int seg_single(const seg *s)
{
    return s->c0 == s->c1;
}

static int cmp_river(const void *pa, const void *pb)
{
    const river *a = pa, *b = pb;
    return (a->l > b->l) - (a->l < b->l);
}

static int cmp_double_asc(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The largest number of values of v[0..n) (sorted) within tol of one
 * another, and where that cluster starts (*at: its first value). */
static size_t best_cluster(const double *v, size_t n, double tol, double *at)
{
    size_t best = 0;
    for (size_t i = 0, j = 0; i < n; i++) {
        while (v[i] - v[j] > tol)
            j++;
        if (i - j + 1 > best) {
            best = i - j + 1;
            *at = v[j];
        }
    }
    return best;
}

/* Rivers from left-edge alignment inside columns (NORM_STREAM_ALIGN_SUPPORT).
 * At most one per column and call; *nadd says how many were added to *rv
 * (reallocated). */
static ft_err aligned_rivers(const workset *w, size_t a, size_t b,
                             double min_w, river **rv, size_t *nr,
                             size_t *nadd)
{
    ft_err rc = FT_OK;
    size_t ncols = *nr + 1, nseg = 0;
    *nadd = 0;
    for (size_t i = a; i <= b; i++)
        nseg += w->lines[i].nsegs;
    double *x0s = malloc((nseg + 1) * sizeof *x0s);
    unsigned char *follows = calloc(w->nsegs + 1, 1);
    double *x1s = malloc((nseg + 1) * sizeof *x1s);
    double *cxs = malloc((nseg + 1) * sizeof *cxs);
    size_t *first = calloc(ncols + 1, sizeof *first);
    river *add = malloc(ncols * sizeof *add);
    if (!x0s || !x1s || !cxs || !first || !add || !follows) {
        rc = FT_NOMEM;
        goto out;
    }
    /* segments that follow another of the same cell on their line */
    for (size_t i = a; i <= b; i++)
        for (size_t k = 1; k < w->lines[i].nsegs; k++) {
            const seg *p = &w->segs[w->lines[i].sfirst + k - 1];
            const seg *s = &w->segs[w->lines[i].sfirst + k];
            if (seg_single(p) && seg_single(s) && p->c0 == s->c0 &&
                s->box.x0 - p->box.x1 >= min_w)
                follows[w->lines[i].sfirst + k] = 1;
        }
    /* bucket the single-column segments by column: first[c]..first[c+1] */
    for (size_t i = a; i <= b; i++)
        for (size_t k = 0; k < w->lines[i].nsegs; k++) {
            const seg *s = &w->segs[w->lines[i].sfirst + k];
            if (seg_single(s))
                first[s->c0 + 1]++;
        }
    for (size_t c = 0; c < ncols; c++)
        first[c + 1] += first[c];
    size_t *fill = malloc((ncols + 1) * sizeof *fill);
    const seg **cs = malloc((nseg + 1) * sizeof *cs);
    if (!fill || !cs) {
        free(fill);
        free(cs);
        rc = FT_NOMEM;
        goto out;
    }
    memcpy(fill, first, (ncols + 1) * sizeof *fill);
    for (size_t i = a; i <= b; i++)
        for (size_t k = 0; k < w->lines[i].nsegs; k++) {
            const seg *s = &w->segs[w->lines[i].sfirst + k];
            if (seg_single(s))
                cs[fill[s->c0]++] = s;
        }
    free(fill);
    for (size_t c = 0; c < ncols; c++) {
        size_t n = first[c + 1] - first[c];
        if (n < NORM_STREAM_ALIGN_SUPPORT + 1)
            continue;
        for (size_t q = 0; q < n; q++) {
            const seg *s = cs[first[c] + q];
            x0s[q] = s->box.x0;
            x1s[q] = s->box.x1;
            cxs[q] = (s->box.x0 + s->box.x1) / 2;
        }
        qsort(x0s, n, sizeof *x0s, cmp_double_asc);
        qsort(x1s, n, sizeof *x1s, cmp_double_asc);
        qsort(cxs, n, sizeof *cxs, cmp_double_asc);
        double at = 0;
        int aligned = best_cluster(x1s, n, NORM_STREAM_ALIGN_TOL, &at) >
                          NORM_STREAM_ALIGNED_FRAC * (double)n ||
                      best_cluster(cxs, n, NORM_STREAM_ALIGN_TOL, &at) >
                          NORM_STREAM_ALIGNED_FRAC * (double)n;
        /* the best left-edge cluster right of the column's left edge */
        double left = x0s[0], bx = 0;
        size_t bn = 0;
        for (size_t i = 0, j = 0; i < n; i++) {
            while (x0s[i] - x0s[j] > NORM_STREAM_ALIGN_TOL)
                j++;
            if (x0s[j] > left + min_w && i - j + 1 > bn) {
                bn = i - j + 1;
                bx = x0s[j];
            }
        }
        if (bn < NORM_STREAM_ALIGN_SUPPORT)
            continue;
        /* evidence: a segment of the cluster follows another in its cell;
         * and the column's text ending before it */
        int shared = 0;
        double gl = -INFINITY;
        for (size_t q = 0; q < n; q++) {
            const seg *s = cs[first[c] + q];
            if (s->box.x0 >= bx - NORM_STREAM_ALIGN_TOL &&
                s->box.x0 <= bx + NORM_STREAM_ALIGN_TOL &&
                follows[s - w->segs])
                shared = 1;
            if (s->box.x0 < bx - NORM_STREAM_ALIGN_TOL && s->box.x1 <= bx)
                gl = fmax(gl, s->box.x1);
        }
        if (shared)
            add[(*nadd)++] = (river){isfinite(gl) ? fmax(gl, bx - min_w)
                                                  : bx - min_w, bx};
        else if (!aligned && isfinite(gl) && bx - gl >= min_w)
            add[(*nadd)++] = (river){gl, bx};
    }
    free(cs);
    if (*nadd) {
        river *grown = realloc(*rv, (*nr + *nadd) * sizeof *grown);
        if (!grown) {
            rc = FT_NOMEM;
            goto out;
        }
        memcpy(grown + *nr, add, *nadd * sizeof *add);
        *rv = grown;
        *nr += *nadd;
        qsort(*rv, *nr, sizeof **rv, cmp_river);
    }
out:
    free(x0s);
    free(follows);
    free(x1s);
    free(cxs);
    free(first);
    free(add);
    return rc;
}

/* Column types: 1 where most of the single-column segments are values. */
static void column_types(const workset *w, size_t a, size_t b, size_t ncols,
                         size_t *tally, unsigned char *numeric)
{
    memset(tally, 0, 2 * ncols * sizeof *tally);
    for (size_t i = a; i <= b; i++) {
        const line *L = &w->lines[i];
        for (size_t k = 0; k < L->nsegs; k++) {
            const seg *s = &w->segs[L->sfirst + k];
            if (seg_single(s))
                tally[2 * (size_t)s->c0 + (s->numeric ? 1 : 0)]++;
        }
    }
    for (size_t k = 0; k < ncols; k++)
        numeric[k] = tally[2 * k + 1] > tally[2 * k];
}

/* ---- cutting runs at rivers ------------------------------------------------ */

/* Find where to cut piece pc (one segment crossing river rv) at a space:
 * the byte offset of the space, or 0. The left part must read like column
 * left_num, the right part like right_num, and one of them be a value. */
static size_t cut_at(const ctx *c, const piece *pc, const river *rv, double em,
                     int left_num, int right_num, double *xl, double *xr)
{
    const char *s = piece_text(c, pc);
    size_t nch = ft_utf8_nchars(s, pc->len);
    if (nch < 3)
        return 0;
    double cw = (pc->box.x1 - pc->box.x0) / (double)nch;
    double mid = (rv->l + rv->r) / 2, best_d = INFINITY;
    size_t best = 0, i = 0, ch = 0;
    while (i < pc->len) {
        uint32_t cp;
        size_t n = ft_utf8_decode(s + i, pc->len - i, &cp);
        if (n == 0)
            break;
        if (cp == ' ' && i > 0) {
            double l = pc->box.x0 + cw * (double)ch;
            double r = pc->box.x0 + cw * (double)(ch + 1);
            if (l <= rv->r + NORM_STREAM_CUT_TOL_EM * em &&
                r >= rv->l - NORM_STREAM_CUT_TOL_EM * em &&
                fabs((l + r) / 2 - mid) < best_d) {
                int ln = text_numeric(s, i);
                int rn = text_numeric(s + i + 1, pc->len - i - 1);
                if (ln == left_num && rn == right_num && (ln || rn)) {
                    best_d = fabs((l + r) / 2 - mid);
                    best = i;
                    *xl = l;
                    *xr = r;
                }
            }
        }
        i += n;
        ch++;
    }
    return best;
}

/* Cut the single-piece segments of lines [a, b] that cross a river where
 * cut_at finds a place. Returns the number of cuts; *out (malloc'd, *nout
 * pieces) holds every piece of the lines with the cuts made. */
static ft_err cut_crossers(const ctx *c, const workset *w, size_t a, size_t b,
                           const river *rv, size_t nr,
                           const unsigned char *numeric, double em,
                           piece **out, size_t *nout, size_t *ncuts)
{
    size_t total = 0, extra = 0;
    *out = NULL;
    *nout = 0;
    *ncuts = 0;
    for (size_t i = a; i <= b; i++)
        for (size_t k = 0; k < w->lines[i].nsegs; k++) {
            const seg *s = &w->segs[w->lines[i].sfirst + k];
            total += s->count;
            if (s->count == 1 && s->c1 > s->c0)
                extra += (size_t)(s->c1 - s->c0);
        }
    if (extra == 0)
        return FT_OK;
    piece *pcs = malloc((total + extra) * sizeof *pcs);
    if (!pcs)
        return FT_NOMEM;
    size_t n = 0;
    for (size_t i = a; i <= b; i++)
        for (size_t k = 0; k < w->lines[i].nsegs; k++) {
            const seg *s = &w->segs[w->lines[i].sfirst + k];
            if (s->count != 1 || s->c1 == s->c0) {
                for (size_t q = 0; q < s->count; q++)
                    pcs[n++] = w->order[s->first + q];
                continue;
            }
            piece cur = w->order[s->first];
            for (size_t r = (size_t)s->c0; r < (size_t)s->c1 && r < nr; r++) {
                if (!(cur.box.x0 < rv[r].l && cur.box.x1 > rv[r].r))
                    continue;
                double xl = 0, xr = 0;
                size_t at = cut_at(c, &cur, &rv[r], em, numeric[r],
                                   numeric[r + 1], &xl, &xr);
                if (at == 0)
                    continue;
                piece left = cur, right = cur;
                left.len = at;
                left.box.x1 = xl;
                right.off = cur.off + at + 1;
                right.len = cur.len - at - 1;
                right.box.x0 = xr;
                pcs[n++] = left;
                cur = right;
                (*ncuts)++;
            }
            pcs[n++] = cur;
        }
    *out = pcs;
    *nout = n;
    return FT_OK;
}

/* ---- rows ------------------------------------------------------------------- */

typedef struct {
    size_t la, lb;         /* lines of the row */
} row;

typedef struct {
    size_t a, b;              /* lines of the region */
    river *rv;
    size_t nr;
    double x0, x1;            /* extent */
    double tight;             /* smallest pitch when two_pitches */
    int two_pitches;
    unsigned char *ruled;     /* ruled[i]: rule between line a+i and a+i+1 */
    int rows_by_rules;
    double *colright;         /* right edge of the owned text per column */
    double *colleft;          /* left edge of the owned text per column */
    double em;                /* usual font size */
} region;

/* What the row being built holds, kept up to date line by line so that a
 * continuation test costs the segments of one line. */
typedef struct {
    unsigned char *filled;    /* per column: some text in the row */
    size_t nfilled;
    double *right;            /* per column: right edge of the row's text on
                               * its last line there */
    size_t *stamp;            /* per column: the row that set the above */
    size_t rowno;
} rowstate;

static void rowstate_start(rowstate *st)
{
    st->rowno++;
    st->nfilled = 0;
}

static void rowstate_add(rowstate *st, const workset *w, const line *L)
{
    for (size_t k = 0; k < L->nsegs; k++) {
        const seg *s = &w->segs[L->sfirst + k];
        for (int col = s->c0; col <= s->c1; col++) {
            if (st->stamp[col] != st->rowno) {
                st->stamp[col] = st->rowno;
                st->filled[col] = 0;
            }
            if (!st->filled[col]) {
                st->filled[col] = 1;
                st->nfilled++;
            }
            st->right[col] = s->box.x1;
        }
    }
}

static int row_has(const rowstate *st, int col)
{
    return st->stamp[col] == st->rowno && st->filled[col];
}

/* Width of the first word of segment s (to the first space; one character
 * for CJK text), estimated from its average character width. */
static double first_word_width(const ctx *c, const workset *w, const seg *s)
{
    const piece *pc = &w->order[s->first];
    const char *t = piece_text(c, pc);
    size_t nch = ft_utf8_nchars(t, pc->len);
    if (nch == 0)
        return 0;
    double cw = (pc->box.x1 - pc->box.x0) / (double)nch;
    size_t i = 0, word = 0;
    while (i < pc->len) {
        uint32_t cp;
        size_t n = ft_utf8_decode(t + i, pc->len - i, &cp);
        if (n == 0 || ft_is_space(cp))
            break;
        word++;
        i += n;
        if (ft_is_cjk(cp))
            break;
    }
    return (double)word * cw;
}

/* Does line li continue the row held in st (whose last line is li-1)? */
static int is_continuation(const ctx *c, const workset *w, const region *g,
                           const rowstate *st, size_t li)
{
    const line *L = &w->lines[li];
    const line *P = &w->lines[li - 1];
    if (L->nsegs == 0 || g->ruled[li - 1 - g->a])
        return 0;
    if (L->top - P->bottom > NORM_STREAM_WRAP_GAP * line_h(P))
        return 0;
    int col0 = 0, all_wrap = 1;
    for (size_t k = 0; k < L->nsegs; k++) {
        const seg *s = &w->segs[L->sfirst + k];
        if (s->numeric)
            return 0;
        for (int col = s->c0; col <= s->c1; col++)
            if (!row_has(st, col))
                return 0;
        if (s->c0 == 0)
            col0 = 1;
        /* would its first word have fitted after the text above? */
        double need = st->right[s->c1] + first_word_width(c, w, s) +
                      NORM_STREAM_WRAP_SLACK_EM * s->size;
        if (!(need > g->colright[s->c1]))
            all_wrap = 0;
    }
    int tight = 0;
    if (g->two_pitches) {
        tight = L->bottom - P->bottom <= g->tight * NORM_STREAM_TIGHT_RATIO;
        if (!tight)
            return 0;
    }
    /* a line as full as its row, or one with a new key in the first
     * column, needs the pitch to say it belongs */
    if (col0 || L->nsegs >= st->nfilled)
        return tight;
    return tight || all_wrap;
}

/* Is there a horizontal rule across [x0, x1] between y_top and y_bot? The
 * rules are sorted by y: a binary search finds the first below y_top. */
static int rule_between(const ctx *c, double x0, double x1, double y_top,
                        double y_bot)
{
    size_t lo = 0, hi = c->nhrules;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->hrules[mid].y0 <= y_top)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < c->nhrules && c->hrules[i].y0 < y_bot; i++) {
        const ft_box *r = &c->hrules[i];
        double ov = fmin(r->x1, x1) - fmax(r->x0, x0);
        if (ov >= NORM_STREAM_RULE_COVER * (x1 - x0))
            return 1;
    }
    return 0;
}

/* ---- building a table ------------------------------------------------------ */

/* Append s[0..len) to out; past out's cap, the longest prefix that ends on
 * a character boundary, and FT_LIMIT. */
static ft_err append_capped(ft_buf *out, const char *s, size_t len)
{
    ft_err rc = ft_buf_append(out, s, len);
    if (rc != FT_LIMIT)
        return rc;
    size_t room = out->max > out->len ? out->max - out->len : 0;
    size_t cut = ft_utf8_boundary(s, room < len ? room : len);
    if (cut && ft_buf_append(out, s, cut) == FT_NOMEM)
        return FT_NOMEM;
    return FT_LIMIT;
}

/* Text of segment s appended to out: its pieces joined with a space where
 * the gap is wider than NORM_STREAM_SPACE_GAP_EM. */
static ft_err seg_text(const ctx *c, const workset *w, const seg *s,
                       ft_buf *out)
{
    ft_err rc;
    for (size_t k = 0; k < s->count; k++) {
        const piece *pc = &w->order[s->first + k];
        if (k > 0 && pc->box.x0 - w->order[s->first + k - 1].box.x1 >
                         NORM_STREAM_SPACE_GAP_EM * s->size &&
            (rc = ft_buf_putc(out, ' ')))
            return rc;
        if ((rc = append_capped(out, piece_text(c, pc), pc->len)))
            return rc;
    }
    return FT_OK;
}

static void mark(ctx *c, const workset *w, size_t a, size_t b,
                 unsigned char v)
{
    for (size_t i = a; i <= b; i++)
        for (size_t k = 0; k < w->lines[i].nsegs; k++) {
            const seg *s = &w->segs[w->lines[i].sfirst + k];
            for (size_t m = 0; m < s->count; m++)
                c->used[w->order[s->first + m].run] = v;
        }
}

static ft_err emit_table(ctx *c, workset *w, region *g)
{
    ft_err rc = FT_OK;
    size_t ncols = g->nr + 1;
    size_t nlines = g->b - g->a + 1;
    row *rows = malloc(nlines * sizeof *rows);
    rowstate st = {0};
    int *E = NULL;
    unsigned char *F = NULL;
    size_t *owner = malloc(ncols * sizeof *owner);
    size_t *bucket = malloc((ncols + 1) * sizeof *bucket);
    size_t *segorder = NULL;
    ft_buf text;
    ft_buf_init(&text, FT_MAX_CELL_LEN);
    ft_table *t = NULL;
    st.filled = calloc(ncols, 1);
    st.right = calloc(ncols, sizeof *st.right);
    st.stamp = calloc(ncols, sizeof *st.stamp);
    if (!rows || !owner || !bucket || !st.filled || !st.right ||
        !st.stamp) {
        rc = FT_NOMEM;
        goto out;
    }
    /* rows */
    size_t nrows = 0;
    if (g->rows_by_rules) {
        size_t start = g->a;
        for (size_t i = g->a; i <= g->b; i++) {
            if (i == g->b || g->ruled[i - g->a]) {
                rows[nrows++] = (row){start, i};
                start = i + 1;
            }
        }
    } else {
        for (size_t i = g->a; i <= g->b; i++) {
            const line *L = &w->lines[i];
            if (nrows > 0 && is_continuation(c, w, g, &st, i)) {
                rows[nrows - 1].lb = i;
            } else {
                rows[nrows++] = (row){i, i};
                rowstate_start(&st);
            }
            rowstate_add(&st, w, L);
        }
    }
    if (ncols > FT_MAX_TABLE_COLS || nrows > FT_MAX_TABLE_SLOTS / ncols) {
        rc = FT_LIMIT;
        goto out;
    }
    /* header rows: the top rows without a value while the table has one; a
     * second header row only under a spanning one */
    size_t nheader = 0;
    {
        int any_numeric = 0;
        for (size_t i = g->a; i <= g->b && !any_numeric; i++)
            for (size_t k = 0; k < w->lines[i].nsegs; k++)
                if (w->segs[w->lines[i].sfirst + k].numeric)
                    any_numeric = 1;
        while (any_numeric && nheader + 1 < nrows) {
            int num = 0, span = 0;
            for (size_t i = rows[nheader].la; i <= rows[nheader].lb; i++)
                for (size_t k = 0; k < w->lines[i].nsegs; k++) {
                    const seg *s = &w->segs[w->lines[i].sfirst + k];
                    num |= s->numeric;
                    span |= s->c1 > s->c0;
                }
            if (num)
                break;
            nheader++;
            if (!span)
                break;
        }
    }
    if ((rc = norm_tables_push(c->out, &t)))
        goto out;
    strcpy(t->method, "stream");
    t->page_first = t->page_last = c->p->number;
    t->nrows = (unsigned)nrows;
    t->ncols = (unsigned)ncols;
    t->has_box = 1;
    t->box = w->lines[g->a].box;
    for (size_t i = g->a; i <= g->b; i++)
        box_union(&t->box, &w->lines[i].box);
    /* the cells of every row: E[r*ncols+k] is the last column of the cell
     * starting at k, or -2 where k is covered by a cell to its left; F holds
     * 1 where the cell has text, 2 where that text is left-aligned words */
    E = malloc(nrows * ncols * sizeof *E);
    F = calloc(nrows * ncols, 1);
    if (!E || !F) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t r = 0; r < nrows; r++) {
        int *endcol = E + r * ncols;
        unsigned char *fl = F + r * ncols;
        for (size_t k = 0; k < ncols; k++)
            endcol[k] = -1;
        for (size_t i = rows[r].la; i <= rows[r].lb; i++) {
            const line *L = &w->lines[i];
            for (size_t k = 0; k < L->nsegs; k++) {
                const seg *s = &w->segs[L->sfirst + k];
                if (s->c1 > endcol[s->c0])
                    endcol[s->c0] = s->c1;
            }
        }
        /* spans from several lines of a row kept disjoint */
        int reach = -1;
        for (size_t k = 0; k < ncols; k++) {
            if ((int)k <= reach) {
                endcol[k] = -2;
                continue;
            }
            if (endcol[k] >= (int)k)
                fl[k] = 1;
            else
                endcol[k] = (int)k;
            reach = endcol[k];
        }
        for (size_t i = rows[r].la; i <= rows[r].lb; i++) {
            const line *L = &w->lines[i];
            for (size_t k = 0; k < L->nsegs; k++) {
                const seg *s = &w->segs[L->sfirst + k];
                if (endcol[s->c0] >= 0 && !s->numeric &&
                    s->box.x0 <= g->colleft[s->c0] + g->em)
                    fl[s->c0] |= 2;
            }
        }
    }
    /* a row whose only text is in the first column is a section heading
     * spanning the table (fixture pdf/seed000-hrules: 2020年绩效目标 between
     * two blocks of the form) */
    for (size_t r = 0; r < nrows && ncols > 1; r++) {
        int *ec = E + r * ncols;
        const unsigned char *fl = F + r * ncols;
        size_t ntext = 0;
        for (size_t k = 0; k < ncols; k++)
            ntext += ec[k] != -2 && (fl[k] & 1);
        if (ntext == 1 && (fl[0] & 3) == 3) {
            ec[0] = (int)ncols - 1;
            for (size_t k = 1; k < ncols; k++)
                ec[k] = -2;
        }
    }
    /* section spans (NORM_STREAM_SECTION_ROWS) */
    for (size_t k = 0; k + 1 < ncols; k++) {
        size_t r = 0;
        while (r < nrows) {
            size_t e = r;
            while (e < nrows) {
                const int *ec = E + e * ncols;
                const unsigned char *fl = F + e * ncols;
                int starts = ec[k] >= (int)k && (fl[k] & 3) == 3;
                int free_next = ec[k] >= (int)k + 1 ||
                                (ec[k + 1] == (int)k + 1 && !(fl[k + 1] & 1));
                if (!starts || !free_next)
                    break;
                e++;
            }
            if (e - r >= NORM_STREAM_SECTION_ROWS)
                for (size_t q = r; q < e; q++) {
                    int *ec = E + q * ncols;
                    if (ec[k] == (int)k) {
                        ec[k] = (int)k + 1;
                        ec[k + 1] = -2;
                    }
                }
            r = e > r ? e : r + 1;
        }
    }
    for (size_t r = 0; r < nrows; r++) {
        int *endcol = E + r * ncols;
        double ry0 = INFINITY, ry1 = -INFINITY;
        size_t nseg = 0;
        for (size_t i = rows[r].la; i <= rows[r].lb; i++) {
            const line *L = &w->lines[i];
            ry0 = fmin(ry0, L->box.y0);
            ry1 = fmax(ry1, L->box.y1);
            nseg += L->nsegs;
        }
        /* owner[k] is the first column of the cell covering column k */
        size_t cur = 0;
        for (size_t k = 0; k < ncols; k++) {
            if (endcol[k] != -2)
                cur = k;
            owner[k] = cur;
        }
        /* bucket the row's segments by cell, keeping (line, x) order */
        free(segorder);
        segorder = malloc((nseg ? nseg : 1) * sizeof *segorder);
        if (!segorder) {
            rc = FT_NOMEM;
            goto out;
        }
        memset(bucket, 0, (ncols + 1) * sizeof *bucket);
        for (size_t i = rows[r].la; i <= rows[r].lb; i++)
            for (size_t k = 0; k < w->lines[i].nsegs; k++)
                bucket[owner[w->segs[w->lines[i].sfirst + k].c0] + 1]++;
        for (size_t k = 0; k < ncols; k++)
            bucket[k + 1] += bucket[k];
        for (size_t i = rows[r].la; i <= rows[r].lb; i++)
            for (size_t k = 0; k < w->lines[i].nsegs; k++) {
                size_t si = w->lines[i].sfirst + k;
                segorder[bucket[owner[w->segs[si].c0]]++] = si;
            }
        /* bucket[k] is now the end of cell k's list, the start of k+1's */
        size_t pos = 0;
        for (size_t k = 0; k < ncols; k++) {
            size_t end = bucket[k];
            if (endcol[k] == -2) {
                pos = end;
                continue;
            }
            ft_buf_reset(&text);
            ft_box cb = {INFINITY, INFINITY, -INFINITY, -INFINITY};
            double conf = -1;
            size_t last_li = (size_t)-1;
            for (size_t q = pos; q < end && !rc; q++) {
                const seg *s = &w->segs[segorder[q]];
                if (text.len > 0)
                    /* segments of one cell on one line: a space; a new line
                     * of the cell: a line break (the rules join it) */
                    rc = ft_buf_putc(&text, s->li != last_li ? '\n' : ' ');
                if (!rc)
                    rc = seg_text(c, w, s, &text);
                if (rc)
                    break;
                last_li = s->li;
                box_union(&cb, &s->box);
                for (size_t m = 0; m < s->count; m++) {
                    const ft_run *run = &c->p->runs[w->order[s->first + m].run];
                    if (run->conf >= 0 && (conf < 0 || run->conf < conf))
                        conf = run->conf;
                }
            }
            if (rc == FT_LIMIT) {
                /* a cell beyond FT_MAX_CELL_LEN keeps what fitted */
                c->limit = FT_LIMIT;
                rc = FT_OK;
            }
            if (rc)
                goto out;
            if (pos == end) {
                cb.x0 = col_bound(g->rv, g->nr, k, g->x0, g->x1);
                cb.x1 = col_bound(g->rv, g->nr, (size_t)endcol[k] + 1, g->x0,
                                  g->x1);
                cb.y0 = ry0;
                cb.y1 = ry1;
            }
            pos = end;
            ft_cell cell;
            memset(&cell, 0, sizeof cell);
            cell.row = (unsigned)r + 1;
            cell.col = (unsigned)k + 1;
            cell.rowspan = 1;
            cell.colspan = (unsigned)(endcol[k] - (int)k + 1);
            cell.page = c->p->number;
            cell.box = cb;
            cell.has_box = 1;
            cell.conf = conf;
            cell.flags = r < nheader ? FT_CELL_HEADER : 0;
            cell.text = text.data ? text.data : (char *)"";
            cell.len = text.len;
            if ((rc = ft_table_add_cell(t, &cell)))
                goto out;
        }
    }
    mark(c, w, g->a, g->b, 2);
out:
    if (rc && t) {
        /* drop the half-built table; its runs stay for the notes */
        ft_table_cleanup(t);
        c->out->count--;
    }
    free(rows);
    free(E);
    free(F);
    free(owner);
    free(bucket);
    free(segorder);
    free(st.filled);
    free(st.right);
    free(st.stamp);
    ft_buf_cleanup(&text);
    return rc;
}

/* ---- one region ------------------------------------------------------------ */

static ft_err find_in(ctx *c, const piece *in, size_t n, int depth);

/* Does line L have a segment crossing a river (a title or a note)? */
static int crosses(const workset *w, const line *L)
{
    for (size_t k = 0; k < L->nsegs; k++)
        if (w->segs[L->sfirst + k].c1 > w->segs[L->sfirst + k].c0)
            return 1;
    return 0;
}

/* Is the one-segment line L, at an end of a region, set apart from the
 * table: further than far, in another size, or bold over a regular body? */
static int set_apart(const line *L, double gap, double far, double em,
                     int body_bold)
{
    return gap > far || L->size > NORM_STREAM_HEADING_RATIO * em ||
           L->size * NORM_STREAM_HEADING_RATIO < em || (L->bold && !body_bold);
}

/* Pieces of the segments of lines [a, b] on one side of x = gx. */
static size_t side_pieces(const workset *w, size_t a, size_t b, double gx,
                          int right, piece *out)
{
    size_t n = 0;
    for (size_t i = a; i <= b; i++)
        for (size_t q = 0; q < w->lines[i].nsegs; q++) {
            const seg *s = &w->segs[w->lines[i].sfirst + q];
            if (((s->box.x0 + s->box.x1) / 2 > gx) != right)
                continue;
            for (size_t r = 0; r < s->count; r++)
                out[n++] = w->order[s->first + r];
        }
    return n;
}

/* The column river to split the region at for two tables side by side, or
 * (size_t)-1. */
static size_t side_by_side(const workset *w, size_t a, size_t b,
                           const river *rv, size_t nr,
                           const unsigned char *numeric, double em,
                           ft_err *rc)
{
    river *all = NULL;
    size_t nall = 0, pick = (size_t)-1;
    *rc = find_rivers(w, a, b, NULL, 0, NORM_STREAM_GUTTER_MIN_EM * em, &all,
                      &nall);
    if (*rc || nall == 0)
        goto out;
    int pick_pattern = 0;
    double pick_w = 0;
    /* the two widest rivers (the widest other than j is one of them), and
     * text columns counted from the left: all linear in the columns */
    size_t w1 = 0, w2 = (size_t)-1;
    for (size_t q = 1; q < nr; q++) {
        double wq = rv[q].r - rv[q].l;
        if (wq > rv[w1].r - rv[w1].l) {
            w2 = w1;
            w1 = q;
        } else if (w2 == (size_t)-1 || wq > rv[w2].r - rv[w2].l) {
            w2 = q;
        }
    }
    size_t *textleft = malloc((nr + 2) * sizeof *textleft);
    if (!textleft) {
        *rc = FT_NOMEM;
        goto out;
    }
    textleft[0] = 0;
    for (size_t q = 0; q <= nr; q++)
        textleft[q + 1] = textleft[q] + !numeric[q];
    size_t qa = 0; /* rivers and gutters are both sorted by x */
    for (size_t j = 0; j < nr; j++) {
        double cx = (rv[j].l + rv[j].r) / 2, gw = 0;
        while (qa < nall && all[qa].r < cx)
            qa++;
        if (qa < nall && cx >= all[qa].l && cx <= all[qa].r)
            gw = all[qa].r - all[qa].l;
        size_t left = j + 1, right = nr - j;
        if (gw == 0 || left < 2 || right < 2)
            continue;
        size_t ow = j == w1 ? w2 : w1;
        double other = ow == (size_t)-1 ? 0 : rv[ow].r - rv[ow].l;
        size_t ltext = textleft[left], rtext = textleft[nr + 1] - textleft[left];
        int pattern = left == right && ltext > 0 && ltext < left &&
                      memcmp(numeric, numeric + left, left) == 0;
        int wide = gw >= NORM_STREAM_GUTTER_RATIO * other && ltext > 0 &&
                   ltext < left && rtext > 0 && rtext < right;
        if (!pattern && !wide)
            continue;
        if (pick == (size_t)-1 || (pattern && !pick_pattern) ||
            (pattern == pick_pattern && gw > pick_w)) {
            pick = j;
            pick_pattern = pattern;
            pick_w = gw;
        }
    }
    free(textleft);
out:
    free(all);
    return pick;
}

static ft_err do_region(ctx *c, workset *w, size_t a, size_t b, int depth)
{
    ft_err rc = FT_OK;
    unsigned char *sel = NULL, *owned = NULL, *numeric = NULL;
    river *rv = NULL;
    size_t nr = 0;
    size_t *counts = NULL, *tally = NULL, ncap = 0;
    piece *sub = NULL;
    region g;
    memset(&g, 0, sizeof g);
    size_t nl = b - a + 1, nmulti = 0;
    for (size_t i = a; i <= b; i++)
        nmulti += w->lines[i].nsegs >= 2;
    if (nmulti < 2)
        goto out;
    /* the full lines: those with at least k segments, k the need-th largest
     * count among the multi-segment lines */
    counts = malloc(nl * sizeof *counts);
    sel = calloc(nl, 1);
    if (!counts || !sel) {
        rc = FT_NOMEM;
        goto out;
    }
    size_t m = 0;
    for (size_t i = a; i <= b; i++)
        if (w->lines[i].nsegs >= 2)
            counts[m++] = w->lines[i].nsegs;
    size_t need = (size_t)ceil(NORM_STREAM_FULL_FRAC * (double)nmulti);
    if (need < 2)
        need = 2;
    qsort(counts, m, sizeof *counts, cmp_size_desc);
    size_t k = counts[need - 1], nfull = 0;
    for (size_t i = a; i <= b; i++)
        if (w->lines[i].nsegs >= k) {
            sel[i - a] = 1;
            nfull++;
        }
    double em = median_size(w, a, b);
    if ((rc = find_rivers(w, a, b, sel, (int)(nfull / NORM_STREAM_CROSS_DIV),
                          NORM_STREAM_MIN_RIVER_EM * em, &rv, &nr)))
        goto out;
    if (nr + 1 < NORM_STREAM_MIN_COLS)
        goto out;
    double x0 = INFINITY, x1 = -INFINITY;
    for (size_t i = a; i <= b; i++) {
        x0 = fmin(x0, w->lines[i].box.x0);
        x1 = fmax(x1, w->lines[i].box.x1);
    }
    assign_all(w, a, b, rv, nr, x0, x1);
    /* columns that spans hid: split cells holding two segments a line */
    for (int round = 0; round < NORM_STREAM_SPLIT_ROUNDS; round++) {
        size_t nadd = 0;
        if ((rc = aligned_rivers(w, a, b, NORM_STREAM_MIN_RIVER_EM * em, &rv,
                                 &nr, &nadd)))
            goto out;
        if (nadd == 0)
            break;
        assign_all(w, a, b, rv, nr, x0, x1);
    }
    /* a column that owns no segment of its own (only spans reach it) is not
     * a column: drop the river on its left (the right one for the first
     * column) and assign again */
    owned = malloc(nr + 1);
    numeric = malloc(nr + 1);
    tally = malloc(2 * (nr + 1) * sizeof *tally);
    if (!owned || !numeric || !tally) {
        rc = FT_NOMEM;
        goto out;
    }
    for (int round = 0; round < NORM_STREAM_MERGE_ROUNDS && nr > 0; round++) {
        memset(owned, 0, nr + 1);
        for (size_t i = a; i <= b; i++)
            for (size_t q = 0; q < w->lines[i].nsegs; q++) {
                const seg *s = &w->segs[w->lines[i].sfirst + q];
                if (seg_single(s))
                    owned[s->c0] = 1;
            }
        size_t keep = 0;
        for (size_t r = 0; r < nr; r++)
            if (owned[r + 1] && (r > 0 || owned[0]))
                rv[keep++] = rv[r];
        if (keep == nr)
            break;
        nr = keep;
        assign_all(w, a, b, rv, nr, x0, x1);
    }
    if (nr + 1 < NORM_STREAM_MIN_COLS)
        goto out;
    column_types(w, a, b, nr + 1, tally, numeric);
    /* runs that extract joined across a river: cut them and start again */
    if (depth < NORM_STREAM_MAX_DEPTH) {
        size_t np = 0, ncuts = 0;
        if ((rc = cut_crossers(c, w, a, b, rv, nr, numeric, em, &sub, &np,
                               &ncuts)))
            goto out;
        if (ncuts > 0) {
            rc = find_in(c, sub, np, depth + 1);
            goto out;
        }
        free(sub);
        sub = NULL;
    }
    /* titles and notes: one-segment lines at either end that cross a river,
     * stand apart, or are set in another size or in bold */
    {
        double *gaps = malloc(nl * sizeof *gaps);
        if (!gaps) {
            rc = FT_NOMEM;
            goto out;
        }
        size_t ng = 0, nbold = 0;
        for (size_t i = a; i < b; i++)
            gaps[ng++] = w->lines[i + 1].top - w->lines[i].bottom;
        for (size_t i = a; i <= b; i++)
            nbold += w->lines[i].bold;
        double usual = 0;
        if (ng) {
            qsort(gaps, ng, sizeof *gaps, cmp_double);
            usual = gaps[ng / 2];
        }
        free(gaps);
        double far = NORM_STREAM_EDGE_GAP * fmax(usual, 0.2 * em);
        int body_bold = 2 * nbold > nl;
        /* top: lines set apart are titles (notes); then one-segment lines
         * close above in the body's look that start in the first column or
         * cross a river are caption rows spanning the table (a form's title
         * inside its frame: fixture pdf/seed003-forms-unruled) */
        while (a < b && w->lines[a].nsegs == 1 &&
               set_apart(&w->lines[a], w->lines[a + 1].top - w->lines[a].bottom,
                         far, em, body_bold))
            a++;
        while (a + ncap < b && w->lines[a + ncap].nsegs == 1) {
            const line *L = &w->lines[a + ncap];
            const seg *s = &w->segs[L->sfirst];
            if (set_apart(L, w->lines[a + ncap + 1].top - L->bottom, far, em,
                          body_bold) ||
                !(s->c0 == 0 || s->c1 > s->c0))
                break;
            ncap++;
        }
        /* bottom: a one-segment line crossing a river or set apart is a
         * note */
        while (b > a + ncap && w->lines[b].nsegs == 1 &&
               (crosses(w, &w->lines[b]) ||
                set_apart(&w->lines[b], w->lines[b].top - w->lines[b - 1].bottom,
                          far, em, body_bold)))
            b--;
    }
    nl = b - a + 1;
    nmulti = 0;
    for (size_t i = a; i <= b; i++)
        nmulti += w->lines[i].nsegs >= 2;
    if (nmulti < 2 ||
        (nmulti < NORM_STREAM_MIN_ROWS && nr + 1 < NORM_STREAM_MIN_COLS_2ROWS))
        goto out;
    /* two tables side by side */
    if (depth < NORM_STREAM_MAX_DEPTH && nr >= 3) {
        size_t j = side_by_side(w, a + ncap, b, rv, nr, numeric, em, &rc);
        if (rc)
            goto out;
        if (j != (size_t)-1) {
            double gx = (rv[j].l + rv[j].r) / 2;
            size_t cnt = 0;
            for (size_t i = a; i <= b; i++)
                for (size_t q = 0; q < w->lines[i].nsegs; q++)
                    cnt += w->segs[w->lines[i].sfirst + q].count;
            sub = malloc((cnt ? cnt : 1) * sizeof *sub);
            if (!sub) {
                rc = FT_NOMEM;
                goto out;
            }
            for (int side = 0; side < 2 && !rc; side++) {
                size_t ns = side_pieces(w, a, b, gx, side, sub);
                rc = find_in(c, sub, ns, depth + 1);
            }
            goto out;
        }
    }
    for (size_t i = a; i < a + ncap; i++) {
        seg *s = &w->segs[w->lines[i].sfirst];
        s->c0 = 0;
        s->c1 = (int)nr;
    }
    /* pitches and rules */
    g.a = a;
    g.b = b;
    g.rv = rv;
    g.nr = nr;
    g.x0 = x0;
    g.x1 = x1;
    g.ruled = calloc(nl, 1);
    g.colright = malloc((nr + 1) * sizeof *g.colright);
    g.colleft = malloc((nr + 1) * sizeof *g.colleft);
    g.em = em;
    if (!g.ruled || !g.colright || !g.colleft) {
        rc = FT_NOMEM;
        goto out;
    }
    double tight = INFINITY, loose = 0;
    for (size_t i = a; i < b; i++) {
        double pitch = w->lines[i + 1].bottom - w->lines[i].bottom;
        if (pitch < 0.5 * line_h(&w->lines[i]))
            continue;
        tight = fmin(tight, pitch);
        loose = fmax(loose, pitch);
    }
    if (isfinite(tight) && loose > NORM_STREAM_PITCH_SPLIT * tight) {
        g.two_pitches = 1;
        g.tight = tight;
    }
    size_t nruled = 0;
    for (size_t i = a; i < b; i++) {
        g.ruled[i - a] = (unsigned char)rule_between(
            c, x0, x1, w->lines[i].box.y1 - 0.5, w->lines[i + 1].box.y0 + 0.5);
        nruled += g.ruled[i - a];
    }
    if (nruled + 1 >= NORM_STREAM_RULED_MIN &&
        (double)nl / (double)(nruled + 1) <= NORM_STREAM_RULED_ROW_LINES)
        g.rows_by_rules = 1;
    for (size_t col = 0; col <= nr; col++) {
        g.colright[col] = -INFINITY;
        g.colleft[col] = INFINITY;
    }
    for (size_t i = a; i <= b; i++)
        for (size_t q = 0; q < w->lines[i].nsegs; q++) {
            const seg *s = &w->segs[w->lines[i].sfirst + q];
            if (seg_single(s)) {
                g.colright[s->c0] = fmax(g.colright[s->c0], s->box.x1);
                g.colleft[s->c0] = fmin(g.colleft[s->c0], s->box.x0);
            }
        }
    rc = emit_table(c, w, &g);
    if (rc == FT_LIMIT) {
        c->limit = FT_LIMIT;
        rc = FT_OK;
    }
out:
    free(counts);
    free(sel);
    free(owned);
    free(numeric);
    free(tally);
    free(rv);
    free(sub);
    free(g.ruled);
    free(g.colright);
    free(g.colleft);
    return rc;
}

/* Find tables among the pieces in[0..n): lines, blocks, regions. */
static ft_err find_in(ctx *c, const piece *in, size_t n, int depth)
{
    ft_err rc = FT_OK;
    workset w;
    if ((rc = build_lines(c, in, n, &w)))
        goto out;
    size_t i = 0;
    while (i < w.nlines) {
        /* a block: lines not further apart than NORM_STREAM_BLOCK_GAP */
        size_t j = i;
        while (j + 1 < w.nlines) {
            const line *P = &w.lines[j], *L = &w.lines[j + 1];
            if (L->top - P->bottom >
                NORM_STREAM_BLOCK_GAP * fmax(line_h(P), line_h(L)))
                break;
            j++;
        }
        /* regions: the block cut at paragraph lines and headings */
        double bx0 = INFINITY, bx1 = -INFINITY;
        for (size_t k = i; k <= j; k++)
            if (w.lines[k].nsegs >= 2) {
                bx0 = fmin(bx0, w.lines[k].box.x0);
                bx1 = fmax(bx1, w.lines[k].box.x1);
            }
        double width = bx1 > bx0 ? bx1 - bx0 : 0;
        double em = median_size(&w, i, j);
        size_t start = i;
        for (size_t k = i; k <= j + 1; k++) {
            int cut = k == j + 1;
            if (!cut) {
                const line *L = &w.lines[k];
                int para = width > 0 &&
                           L->box.x1 - L->box.x0 >= NORM_STREAM_PARA_FRAC * width &&
                           L->box.x0 <= bx0 + NORM_STREAM_PARA_INDENT_EM * em;
                cut = L->nsegs == 1 &&
                      (para || L->size > NORM_STREAM_HEADING_RATIO * em);
            }
            if (cut) {
                if (k > start && (rc = do_region(c, &w, start, k - 1, depth)))
                    goto out;
                start = k + 1;
            }
        }
        i = j + 1;
    }
out:
    workset_free(&w);
    return rc;
}

ft_err norm_stream_find(const ft_page *p, unsigned char *used, norm_tables *out)
{
    ft_err rc = FT_OK;
    piece *in = NULL;
    ctx c = {p, used, out, NULL, 0, FT_OK};
    size_t n = 0;
    if (p->nruns == 0)
        return FT_OK;
    in = malloc(p->nruns * sizeof *in);
    if (!in) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < p->nruns; i++) {
        const ft_run *r = &p->runs[i];
        const ft_box *b = &r->box;
        if (used[i] || (r->flags & (FT_RUN_HIDDEN | FT_RUN_ROTATED)))
            continue;
        if (!isfinite(b->x0) || !isfinite(b->y0) || !isfinite(b->x1) ||
            !isfinite(b->y1) || b->x1 < b->x0 || b->y1 < b->y0)
            continue;
        /* white space around the text is not placed; nothing left, no run */
        size_t off = 0, len = r->len;
        while (off < len && (r->text[off] == ' ' || r->text[off] == '\t'))
            off++;
        while (len > off && (r->text[len - 1] == ' ' || r->text[len - 1] == '\t'))
            len--;
        if (off == len)
            continue;
        in[n++] = (piece){i, off, len - off, *b};
    }
    size_t nh = 0;
    for (size_t i = 0; i < p->nrules; i++)
        nh += fabs(p->rules[i].y1 - p->rules[i].y0) < 1.0 &&
              p->rules[i].x1 > p->rules[i].x0;
    if (nh) {
        c.hrules = malloc(nh * sizeof *c.hrules);
        if (!c.hrules) {
            rc = FT_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < p->nrules; i++)
            if (fabs(p->rules[i].y1 - p->rules[i].y0) < 1.0 &&
                p->rules[i].x1 > p->rules[i].x0)
                c.hrules[c.nhrules++] = p->rules[i];
        qsort(c.hrules, c.nhrules, sizeof *c.hrules, cmp_box_y);
    }
    rc = find_in(&c, in, n, 0);
    if (!rc)
        rc = c.limit;
out:
    free(in);
    free(c.hrules);
    return rc;
}
