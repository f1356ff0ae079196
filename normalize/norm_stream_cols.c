/* Columns of an unruled table (norm_stream_int.h): whitespace rivers, the
 * column of every segment and its spans, columns hidden by spans, runs cut
 * where extract joined two cells, and tables side by side. */
#include "norm_stream_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_utf8.h"

/* A segment spans column c when it overlaps c's slot by at least this
 * fraction of the smaller of the two widths: a header centred over two
 * columns overlaps each by half its width (fixture stream/ja-spanhead
 * 予算額); a right-aligned header reaching a little over the river does not. */
#define NORM_STREAM_SPAN_FRAC 0.25

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
 * column and call (norm_stream.c calls it NORM_STREAM_SPLIT_ROUNDS times). */
#define NORM_STREAM_ALIGN_SUPPORT 3
#define NORM_STREAM_ALIGN_TOL 1.0
#define NORM_STREAM_ALIGNED_FRAC 0.5

/* A run that crosses a river is cut at a space when the estimated position
 * of the space (by character count) lies within this many ems of the river
 * and the parts read like their columns (fixture pdf/x-en-stats-unruled:
 * extract joined `Information and communication 493.9`, 4 pt apart). */
#define NORM_STREAM_CUT_TOL_EM 1.0

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
ft_err norm__find_rivers(const workset *w, size_t a, size_t b,
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
double norm__col_bound(const river *rv, size_t nr, size_t k, double x0,
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
        double bl = norm__col_bound(rv, nr, lo - 1, x0, x1);
        double br = norm__col_bound(rv, nr, lo, x0, x1);
        double ov = fmin(br, s->box.x1) - fmax(bl, s->box.x0);
        if (ov <= 0 || ov < NORM_STREAM_SPAN_FRAC * fmin(sw, br - bl))
            break;
        lo--;
    }
    while (hi < nr) {
        double bl = norm__col_bound(rv, nr, hi + 1, x0, x1);
        double br = norm__col_bound(rv, nr, hi + 2, x0, x1);
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

void norm__assign_all(workset *w, size_t a, size_t b, const river *rv,
                      size_t nr, double x0, double x1)
{
    for (size_t i = a; i <= b; i++) {
        const line *L = &w->lines[i];
        for (size_t k = 0; k < L->nsegs; k++)
            assign_seg(&w->segs[L->sfirst + k], rv, nr, x0, x1);
        resolve_line(w, L);
    }
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
ft_err norm__aligned_rivers(const workset *w, size_t a, size_t b,
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
void norm__column_types(const workset *w, size_t a, size_t b, size_t ncols,
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
                int ln = norm__text_numeric(s, i);
                int rn = norm__text_numeric(s + i + 1, pc->len - i - 1);
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
ft_err norm__cut_crossers(const ctx *c, const workset *w, size_t a, size_t b,
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

/* The column river to split the region at for two tables side by side, or
 * (size_t)-1. */
size_t norm__side_by_side(const workset *w, size_t a, size_t b,
                          const river *rv, size_t nr,
                          const unsigned char *numeric, double em,
                          ft_err *rc)
{
    river *all = NULL;
    size_t nall = 0, pick = (size_t)-1;
    *rc = norm__find_rivers(w, a, b, NULL, 0,
                            NORM_STREAM_GUTTER_MIN_EM * em, &all, &nall);
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
        size_t ltext = textleft[left];
        size_t rtext = textleft[nr + 1] - textleft[left];
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
