/* Raster ruling-line finder (see ext_rules.h): threshold, long dark runs in
 * both directions, merge into lines, filter, snap ends together. */
#include "ext_rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"

/* Most dark segments collected in one direction before the page is declared
 * a pattern (hatching, halftone noise) rather than a table: far above what
 * FT_MAX_RULES_PER_PAGE rules can produce at EXT_RULE_MAX_THICK_PT. */
#define MAX_SEGMENTS (64u * FT_MAX_RULES_PER_PAGE)

/* A run of dark pixels: row (or column) pos, from a to b inclusive. */
typedef struct {
    int pos, a, b;
} seg;

/* Adjacent segments merged into one line: positions p0..p1, extent a..b. */
typedef struct {
    int p0, p1, a, b;
} band;

typedef struct {
    void *v;
    size_t n, cap, elem, max;
} vec;

static ft_err vec_push(vec *x, const void *e)
{
    if (x->n == x->cap) {
        if (x->n >= x->max)
            return FT_LIMIT;
        size_t ncap = x->cap ? x->cap * 2 : 256;
        void *nv = realloc(x->v, ncap * x->elem);
        if (!nv)
            return FT_NOMEM;
        x->v = nv;
        x->cap = ncap;
    }
    memcpy((char *)x->v + x->n * x->elem, e, x->elem);
    x->n++;
    return FT_OK;
}

int ext_rules_otsu(const unsigned long hist[256])
{
    double total = 0, sum = 0;
    for (int i = 0; i < 256; i++) {
        total += (double)hist[i];
        sum += (double)i * (double)hist[i];
    }
    double wb = 0, sumb = 0, best = -1;
    int t = 0;
    for (int i = 0; i < 256 && total > 0; i++) {
        wb += (double)hist[i];
        if (wb == 0)
            continue;
        double wf = total - wb;
        if (wf == 0)
            break;
        sumb += (double)i * (double)hist[i];
        double mb = sumb / wb, mf = (sum - sumb) / wf;
        double between = wb * wf * (mb - mf) * (mb - mf);
        if (between > best) {
            best = between;
            t = i + 1; /* dark: v < t */
        }
    }
    if (t < EXT_RULE_DARKEST_BG)
        t = EXT_RULE_DARKEST_BG;
    if (t > EXT_RULE_LIGHTEST)
        t = EXT_RULE_LIGHTEST;
    return t;
}

/* Record a segment [a, b] at pos if it is long enough. */
static ft_err add_seg(vec *segs, int pos, int a, int b, int min_len)
{
    if (b - a + 1 < min_len)
        return FT_OK;
    seg s = {pos, a, b};
    return vec_push(segs, &s);
}

/* Dark runs along rows (horizontal rules), joining gaps up to max_gap. */
static ft_err row_segments(const unsigned char *dark, int w, int h, int min_len,
                           int max_gap, vec *segs)
{
    ft_err rc = FT_OK;
    for (int y = 0; y < h && !rc; y++) {
        const unsigned char *row = dark + (size_t)y * (size_t)w;
        int start = -1, last = -1;
        for (int x = 0; x < w && !rc; x++) {
            if (!row[x])
                continue;
            if (start >= 0 && x - last - 1 > max_gap) {
                rc = add_seg(segs, y, start, last, min_len);
                start = -1;
            }
            if (start < 0)
                start = x;
            last = x;
        }
        if (!rc && start >= 0)
            rc = add_seg(segs, y, start, last, min_len);
    }
    return rc;
}

/* Dark runs along columns (vertical rules), one pass over the rows with a
 * state per column so memory is read in order. */
static ft_err col_segments(const unsigned char *dark, int w, int h, int min_len,
                           int max_gap, vec *segs)
{
    ft_err rc = FT_OK;
    int *start = malloc((size_t)w * sizeof *start);
    int *last = malloc((size_t)w * sizeof *last);
    if (!start || !last) {
        rc = FT_NOMEM;
        goto out;
    }
    for (int x = 0; x < w; x++)
        start[x] = last[x] = -1;
    for (int y = 0; y < h && !rc; y++) {
        const unsigned char *row = dark + (size_t)y * (size_t)w;
        for (int x = 0; x < w && !rc; x++) {
            if (!row[x])
                continue;
            if (start[x] >= 0 && y - last[x] - 1 > max_gap) {
                rc = add_seg(segs, x, start[x], last[x], min_len);
                start[x] = -1;
            }
            if (start[x] < 0)
                start[x] = y;
            last[x] = y;
        }
    }
    for (int x = 0; x < w && !rc; x++)
        if (start[x] >= 0)
            rc = add_seg(segs, x, start[x], last[x], min_len);
out:
    free(start);
    free(last);
    return rc;
}

static int cmp_seg(const void *pa, const void *pb)
{
    const seg *a = pa, *b = pb;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->a < b->a ? -1 : a->a > b->a;
}

/* Merge segments of neighbouring rows (or columns) that overlap along their
 * length into bands. */
static ft_err merge_segments(vec *segs, vec *bands)
{
    ft_err rc = FT_OK;
    seg *s = segs->v;
    size_t prev_lo = 0, prev_hi = 0; /* bands touched at the previous pos */
    size_t cur_lo = 0;
    int cur_pos = -2;
    qsort(s, segs->n, sizeof *s, cmp_seg);
    for (size_t i = 0; i < segs->n; i++) {
        if (s[i].pos != cur_pos) {
            if (s[i].pos == cur_pos + 1) {
                prev_lo = cur_lo;
                prev_hi = bands->n;
            } else {
                prev_lo = prev_hi = bands->n;
            }
            cur_lo = bands->n;
            cur_pos = s[i].pos;
        }
        band *bs = bands->v;
        int joined = 0;
        for (size_t k = prev_lo; k < prev_hi; k++) {
            band *b = &bs[k];
            if (b->p1 != cur_pos - 1)
                continue;
            int ov = (s[i].b < b->b ? s[i].b : b->b) -
                     (s[i].a > b->a ? s[i].a : b->a) + 1;
            int len_s = s[i].b - s[i].a + 1, len_b = b->b - b->a + 1;
            int shorter = len_s < len_b ? len_s : len_b;
            if (ov * 2 < shorter)
                continue;
            /* Continue this band in the current position: it moves to the
             * current window by being re-added there. */
            band nb = {b->p0, cur_pos, s[i].a < b->a ? s[i].a : b->a,
                       s[i].b > b->b ? s[i].b : b->b};
            b->p1 = -1; /* retired: replaced by nb */
            if ((rc = vec_push(bands, &nb)))
                return rc;
            joined = 1;
            break;
        }
        if (!joined) {
            band nb = {cur_pos, cur_pos, s[i].a, s[i].b};
            if ((rc = vec_push(bands, &nb)))
                return rc;
        }
    }
    /* Drop the retired copies. */
    band *bs = bands->v;
    size_t k = 0;
    for (size_t i = 0; i < bands->n; i++)
        if (bs[i].p1 >= 0)
            bs[k++] = bs[i];
    bands->n = k;
    return FT_OK;
}

/* A line in points: pos is y (horizontal) or x (vertical), from a to b. */
typedef struct {
    double pos, a, b;
    int alive;
    int touches;
} line;

static ft_err bands_to_lines(const vec *bands, double scale, int max_thick,
                             double page_across, double page_along,
                             vec *lines)
{
    const band *b = bands->v;
    for (size_t i = 0; i < bands->n; i++) {
        if (b[i].p1 - b[i].p0 + 1 > max_thick)
            continue; /* a filled area */
        line l;
        l.pos = (b[i].p0 + b[i].p1 + 1) / 2.0 / scale;
        l.a = b[i].a / scale;
        l.b = (b[i].b + 1) / scale;
        l.alive = 1;
        l.touches = 0;
        /* A frame round the page. */
        if ((l.pos < EXT_RULE_FRAME_MARGIN * page_across ||
             l.pos > (1 - EXT_RULE_FRAME_MARGIN) * page_across) &&
            l.b - l.a >= EXT_RULE_FRAME_SPAN * page_along)
            continue;
        ft_err rc = vec_push(lines, &l);
        if (rc)
            return rc;
    }
    return FT_OK;
}

static int meets(const line *h, const line *v, double tol)
{
    return v->pos >= h->a - tol && v->pos <= h->b + tol && h->pos >= v->a - tol &&
           h->pos <= v->b + tol;
}

/* Keep lines that meet at least EXT_RULE_MIN_CROSSINGS of the other
 * direction; repeat while that removes lines (at most a few rounds). */
static void filter_crossings(line *hs, size_t nh, line *vs, size_t nv)
{
    for (int round = 0; round < 4; round++) {
        int changed = 0;
        for (size_t i = 0; i < nh; i++)
            hs[i].touches = 0;
        for (size_t j = 0; j < nv; j++)
            vs[j].touches = 0;
        for (size_t i = 0; i < nh; i++) {
            if (!hs[i].alive)
                continue;
            for (size_t j = 0; j < nv; j++)
                if (vs[j].alive && meets(&hs[i], &vs[j], EXT_RULE_TOUCH_PT)) {
                    hs[i].touches++;
                    vs[j].touches++;
                }
        }
        for (size_t i = 0; i < nh; i++)
            if (hs[i].alive && hs[i].touches < EXT_RULE_MIN_CROSSINGS) {
                hs[i].alive = 0;
                changed = 1;
            }
        for (size_t j = 0; j < nv; j++)
            if (vs[j].alive && vs[j].touches < EXT_RULE_MIN_CROSSINGS) {
                vs[j].alive = 0;
                changed = 1;
            }
        if (!changed)
            break;
    }
}

/* Move line ends that stop just short of (or just past) a crossing line onto
 * it, so the grid normalize builds closes. */
static void snap_ends(line *hs, size_t nh, line *vs, size_t nv)
{
    for (size_t i = 0; i < nh; i++) {
        if (!hs[i].alive)
            continue;
        for (size_t j = 0; j < nv; j++) {
            if (!vs[j].alive || !meets(&hs[i], &vs[j], EXT_RULE_TOUCH_PT))
                continue;
            if (fabs(vs[j].pos - hs[i].a) <= EXT_RULE_TOUCH_PT)
                hs[i].a = vs[j].pos;
            if (fabs(vs[j].pos - hs[i].b) <= EXT_RULE_TOUCH_PT)
                hs[i].b = vs[j].pos;
            if (fabs(hs[i].pos - vs[j].a) <= EXT_RULE_TOUCH_PT)
                vs[j].a = hs[i].pos;
            if (fabs(hs[i].pos - vs[j].b) <= EXT_RULE_TOUCH_PT)
                vs[j].b = hs[i].pos;
        }
    }
}

static int cmp_line(const void *pa, const void *pb)
{
    const line *a = pa, *b = pb;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->a < b->a ? -1 : a->a > b->a;
}

ft_err ext_rules_from_gray(const ext_image *img, const ft_box *mask,
                           size_t nmask, ft_box **rules, size_t *nrules,
                           int *truncated)
{
    ft_err rc = FT_OK;
    unsigned char *dark = NULL;
    vec segs = {NULL, 0, 0, sizeof(seg), MAX_SEGMENTS};
    vec bands = {NULL, 0, 0, sizeof(band), MAX_SEGMENTS};
    vec hl = {NULL, 0, 0, sizeof(line), MAX_SEGMENTS};
    vec vl = {NULL, 0, 0, sizeof(line), MAX_SEGMENTS};
    ft_box *out = NULL;
    size_t nout = 0;
    unsigned long hist[256];
    int w = img->width, h = img->height;
    double scale = img->scale;

    *rules = NULL;
    *nrules = 0;
    *truncated = 0;
    if (w <= 0 || h <= 0 || !(scale > 0))
        goto out;
    if ((size_t)w * (size_t)h > EXT_RULES_MAX_PIXELS) {
        rc = FT_LIMIT;
        goto out;
    }
    dark = calloc((size_t)w * (size_t)h, 1);
    if (!dark) {
        rc = FT_NOMEM;
        goto out;
    }
    /* Mark masked pixels (2), then histogram the rest. */
    for (size_t i = 0; i < nmask; i++) {
        const ft_box *m = &mask[i];
        double iw = (m->x1 - m->x0) * EXT_RULE_MASK_INSET;
        double ih = (m->y1 - m->y0) * EXT_RULE_MASK_INSET;
        double fx0 = (m->x0 + iw) * scale, fx1 = (m->x1 - iw) * scale;
        double fy0 = (m->y0 + ih) * scale, fy1 = (m->y1 - ih) * scale;
        if (!(fx1 > 0 && fy1 > 0 && fx0 < w && fy0 < h))
            continue; /* off the image (also NaN) */
        int x0 = fx0 < 0 ? 0 : (int)fx0, y0 = fy0 < 0 ? 0 : (int)fy0;
        int x1 = fx1 >= w ? w - 1 : (int)fx1, y1 = fy1 >= h ? h - 1 : (int)fy1;
        for (int y = y0; y <= y1; y++)
            memset(dark + (size_t)y * (size_t)w + (size_t)x0, 2,
                   (size_t)(x1 - x0 + 1));
    }
    memset(hist, 0, sizeof hist);
    for (int y = 0; y < h; y++) {
        const unsigned char *src = img->pixels + (size_t)y * (size_t)img->stride;
        const unsigned char *d = dark + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++)
            if (!d[x])
                hist[src[x]]++;
    }
    int t = ext_rules_otsu(hist);
    for (int y = 0; y < h; y++) {
        const unsigned char *src = img->pixels + (size_t)y * (size_t)img->stride;
        unsigned char *d = dark + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++)
            d[x] = d[x] == 0 && src[x] < t;
    }

    int min_len = (int)ceil(EXT_RULE_MIN_LEN_PT * scale);
    int max_gap = (int)floor(EXT_RULE_JOIN_GAP_PT * scale);
    int max_thick = (int)ceil(EXT_RULE_MAX_THICK_PT * scale);
    if (min_len < 2)
        min_len = 2;
    if (max_thick < 1)
        max_thick = 1;
    double pw = w / scale, ph = h / scale;

    /* Horizontal lines. */
    rc = row_segments(dark, w, h, min_len, max_gap, &segs);
    if (!rc)
        rc = merge_segments(&segs, &bands);
    if (!rc)
        rc = bands_to_lines(&bands, scale, max_thick, ph, pw, &hl);
    segs.n = bands.n = 0;
    /* Vertical lines. */
    if (!rc)
        rc = col_segments(dark, w, h, min_len, max_gap, &segs);
    if (!rc)
        rc = merge_segments(&segs, &bands);
    if (!rc)
        rc = bands_to_lines(&bands, scale, max_thick, pw, ph, &vl);
    if (rc == FT_LIMIT) {
        *truncated = 1;
        rc = FT_OK;
        goto out;
    }
    if (rc)
        goto out;
    if (hl.n + vl.n > 4u * FT_MAX_RULES_PER_PAGE) {
        /* Filtering would be quadratic in a pattern of thousands of lines. */
        *truncated = 1;
        goto out;
    }

    line *hs = hl.v, *vs = vl.v;
    filter_crossings(hs, hl.n, vs, vl.n);
    snap_ends(hs, hl.n, vs, vl.n);
    qsort(hs, hl.n, sizeof *hs, cmp_line);
    qsort(vs, vl.n, sizeof *vs, cmp_line);
    size_t alive = 0;
    for (size_t i = 0; i < hl.n; i++)
        alive += hs[i].alive != 0;
    for (size_t i = 0; i < vl.n; i++)
        alive += vs[i].alive != 0;
    if (alive > FT_MAX_RULES_PER_PAGE) {
        *truncated = 1;
        goto out;
    }
    if (alive == 0)
        goto out;
    out = malloc(alive * sizeof *out);
    if (!out) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < hl.n; i++)
        if (hs[i].alive)
            out[nout++] = (ft_box){hs[i].a, hs[i].pos, hs[i].b, hs[i].pos};
    for (size_t i = 0; i < vl.n; i++)
        if (vs[i].alive)
            out[nout++] = (ft_box){vs[i].pos, vs[i].a, vs[i].pos, vs[i].b};
    *rules = out;
    *nrules = nout;
    out = NULL;
out:
    free(dark);
    free(segs.v);
    free(bands.v);
    free(hl.v);
    free(vl.v);
    free(out);
    return rc;
}
