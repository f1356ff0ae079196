/* Raster ruling-line finder (see ext_rules.h): threshold, long dark runs in
 * both directions, merge into lines, filter, snap ends together. */
#include "ext_rules.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"

/* Most dark segments collected in one direction before the page is declared
 * a pattern (hatching, halftone noise) rather than a table: far above what
 * FT_MAX_RULES_PER_PAGE rules can produce at EXT_RULE_MAX_THICK_PT. */
#define MAX_SEGMENTS (64u * FT_MAX_RULES_PER_PAGE)

/* The histogram for Otsu's threshold samples every HIST_COL_STEP-th pixel
 * of every HIST_ROW_STEP-th row: 15,000 samples of an A4 page at 72 dpi give
 * the threshold of all 500,000 (the same rules on every fixture). Rows are
 * skipped more than columns: a row read is a row of cache lines. */
#define HIST_ROW_STEP 8
#define HIST_COL_STEP 4

ext_pixmap ext_pixmap_of_image(const ext_image *img)
{
    ext_pixmap pm = {img->pixels, img->width, img->height, img->stride,
                     img->scale, EXT_PIX_GREY};
    return pm;
}

/* Byte offset of green in a cairo xRGB pixel: 1 little-endian, 2 big-endian;
 * red and blue sit one byte either side. */
static int green_offset(void)
{
    const uint32_t one = 1;
    return *(const unsigned char *)&one == 1 ? 1 : 2;
}

/* Grey level of pixel x of a row of pm (goff: green_offset()). */
static inline unsigned px_grey(const ext_pixmap *pm, const unsigned char *row,
                               int x, int goff)
{
    if (pm->format == EXT_PIX_GREY)
        return row[x];
    const unsigned char *p = row + 4 * (size_t)x;
    unsigned rb = ((unsigned)p[goff - 1] + p[goff + 1] + 1) >> 1;
    return (rb + p[goff] + 1) >> 1;
}

/* Threshold one row of pixels into the map row: a pixel darker than t
 * becomes 1 where the map holds 0; 2 (masked) stays. Branch-free copies per
 * format, so each vectorises. */
static void dark_row(const ext_pixmap *pm, const unsigned char *src,
                     unsigned char *row, int w, unsigned t, int goff)
{
    if (pm->format == EXT_PIX_GREY) {
        for (int x = 0; x < w; x++)
            row[x] = (unsigned char)(row[x] | ((src[x] < t) & (row[x] == 0)));
    } else {
        /* Byte-wide intermediates: GCC then uses byte averages and
         * compares (2.7 times faster than with int ones). */
        const unsigned char tt = (unsigned char)(t > 255 ? 255 : t);
        const unsigned char *p = src + goff - 1; /* red or blue, G, the other */
        for (int x = 0; x < w; x++) {
            unsigned char rb = (unsigned char)(((unsigned)p[4 * x] + p[4 * x + 2] + 1) >> 1);
            unsigned char g = (unsigned char)(((unsigned)rb + p[4 * x + 1] + 1) >> 1);
            unsigned char d = (unsigned char)(g < tt);
            unsigned char z = (unsigned char)(row[x] == 0);
            row[x] = (unsigned char)(row[x] | (d & z));
        }
    }
}

int ext_pixmap_blank(const ext_pixmap *pm)
{
    int goff = green_offset();
    for (int y = 0; y < pm->height; y++) {
        const unsigned char *row = pm->pixels + (size_t)y * (size_t)pm->stride;
        for (int x = 0; x < pm->width; x++)
            if (px_grey(pm, row, x, goff) < EXT_RULE_LIGHTEST)
                return 0;
    }
    return 1;
}

/* Index of the first non-zero byte of p[i..n), or n. The dark map is almost
 * all zeros; skipping them eight at a time is most of the scanning speed. */
static int next_dark(const unsigned char *p, int i, int n)
{
    while (i < n && ((uintptr_t)(p + i) & 7u))
        if (p[i])
            return i;
        else
            i++;
    while (i + 8 <= n) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        if (v)
            break;
        i += 8;
    }
    while (i < n && !p[i])
        i++;
    return i;
}

/* A run of dark pixels: row (or column) pos, from a to b inclusive. */
typedef struct {
    int pos, a, b;
} seg;

/* A segment being collected along one row or column: first and last ink
 * pixel, ink pixels in it, masked pixels inside it, masked pixels seen
 * since the last ink pixel (they bridge, but only count once ink follows). */
typedef struct {
    int start, last, ink, masked, masked_tail;
} open_seg;

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

/* Lengths in pixels for the scan: shortest segment recorded
 * (EXT_RULE_MIN_SHORT_PT), the length from which a line stands on its own
 * (EXT_RULE_MIN_LEN_PT), and the longest gap joined. */
typedef struct {
    int min_len, long_len, max_gap;
} scan_par;

/* Record the segment o at pos if it is long enough and inked enough: at
 * least EXT_RULE_MIN_INK of its unmasked length, and a quarter of its length
 * (of EXT_RULE_MIN_LEN_PT for longer ones) in absolute terms. Without the
 * ink test a row through a line of (masked) text between two vertical rules
 * would read as a rule: the few anti-aliased pixels between the masked
 * boxes are ink (fixtures/pdf/lo-seed002 page 2, a row between two lines of
 * a wrapped cell). */
static ft_err add_seg(vec *segs, int pos, const open_seg *o, const scan_par *sp)
{
    int len = o->last - o->start + 1;
    int open = len - o->masked;
    if (len < sp->min_len || o->ink * 4 < (len < sp->long_len ? len : sp->long_len) ||
        (double)o->ink < EXT_RULE_MIN_INK * open)
        return FT_OK;
    seg s = {pos, o->start, o->last};
    return vec_push(segs, &s);
}

/* Ink pixels [i, e) along a row: masked pixels since the last ink
 * (o->masked_tail, counted by the caller) neither extend nor break the
 * segment, so a rule that passes under a character box is joined across
 * it; white ones break it beyond sp->max_gap. */
static ft_err hstep(vec *segs, int pos, open_seg *o, int i, int e,
                    const scan_par *sp)
{
    ft_err rc = FT_OK;
    if (o->start >= 0 && i - o->last - 1 - o->masked_tail > sp->max_gap) {
        rc = add_seg(segs, pos, o, sp);
        o->start = -1;
    }
    if (o->start < 0) {
        o->start = i;
        o->ink = 0;
        o->masked = 0;
    } else {
        o->masked += o->masked_tail;
    }
    o->masked_tail = 0;
    o->ink += e - i;
    o->last = e - 1;
    return rc;
}

/* The per-column state of scan_image(), column by column in arrays so that
 * a run of masked pixels updates it in one vectorised loop. */
typedef struct {
    int *start, *last, *ink, *masked, *tail; /* as in open_seg */
    unsigned char *open;                      /* start >= 0 */
} col_state;

/* The ink pixel at row y of column x (vertical segments; as hstep). */
static ft_err vstep(vec *segs, col_state *c, int x, int y, const scan_par *sp)
{
    ft_err rc = FT_OK;
    if (c->open[x] && y - c->last[x] - 1 - c->tail[x] > sp->max_gap) {
        open_seg o = {c->start[x], c->last[x], c->ink[x], c->masked[x], 0};
        rc = add_seg(segs, x, &o, sp);
        c->open[x] = 0;
    }
    if (!c->open[x]) {
        c->open[x] = 1;
        c->start[x] = y;
        c->ink[x] = 0;
        c->masked[x] = 0;
    } else {
        c->masked[x] += c->tail[x];
    }
    c->tail[x] = 0;
    c->ink[x]++;
    c->last[x] = y;
    return rc;
}

/* The mask as pixel rectangles, and a sweep that writes it into one row at
 * a time (rows in increasing order): no map of the whole page is kept. */
typedef struct {
    int x0, y0, x1, y1; /* inclusive */
} prect;

typedef struct {
    const prect *r;   /* sorted by y0 */
    size_t n, next;   /* next: first rectangle not yet active */
    size_t *active;   /* indexes of rectangles that may cover the row */
    size_t nactive;
} mask_sweep;

/* Pixel rectangles of the mask boxes, shrunk by EXT_RULE_MASK_INSET and
 * clipped to the image, sorted by top row; *out is NULL when none. Caller
 * frees *out. */
static ft_err mask_rects(const ft_box *mask, size_t nmask, double scale, int w,
                         int h, prect **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (nmask == 0)
        return FT_OK;
    prect *r = malloc(nmask * sizeof *r);
    if (!r)
        return FT_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < nmask; i++) {
        const ft_box *m = &mask[i];
        double iw = (m->x1 - m->x0) * EXT_RULE_MASK_INSET;
        double ih = (m->y1 - m->y0) * EXT_RULE_MASK_INSET;
        double fx0 = (m->x0 + iw) * scale, fx1 = (m->x1 - iw) * scale;
        double fy0 = (m->y0 + ih) * scale, fy1 = (m->y1 - ih) * scale;
        if (!(fx1 > 0 && fy1 > 0 && fx0 < w && fy0 < h))
            continue; /* off the image (also NaN) */
        r[k].x0 = fx0 < 0 ? 0 : (int)fx0;
        r[k].y0 = fy0 < 0 ? 0 : (int)fy0;
        r[k].x1 = fx1 >= w ? w - 1 : (int)fx1;
        r[k].y1 = fy1 >= h ? h - 1 : (int)fy1;
        if (r[k].x0 <= r[k].x1 && r[k].y0 <= r[k].y1)
            k++;
    }
    /* Sorted by top row with a counting sort over the rows: a qsort of a
     * page's 1,500 characters cost more than the sweep it serves. */
    prect *sorted = k ? malloc(k * sizeof *sorted) : NULL;
    size_t *start = k ? calloc((size_t)h + 1, sizeof *start) : NULL;
    if (k && (!sorted || !start)) {
        free(sorted);
        free(start);
        free(r);
        return FT_NOMEM;
    }
    if (k) {
        for (size_t i = 0; i < k; i++)
            start[r[i].y0 + 1]++;
        for (int y = 0; y < h; y++)
            start[y + 1] += start[y];
        for (size_t i = 0; i < k; i++)
            sorted[start[r[i].y0]++] = r[i];
    }
    free(start);
    free(r);
    *out = sorted;
    *n = k;
    return FT_OK;
}

static ft_err sweep_init(mask_sweep *m, const prect *r, size_t n)
{
    m->r = r;
    m->n = n;
    m->next = 0;
    m->nactive = 0;
    m->active = n ? malloc(n * sizeof *m->active) : NULL;
    return n && !m->active ? FT_NOMEM : FT_OK;
}

/* Write row y of the mask into row[0..w): 2 where masked, 0 elsewhere. */
static void sweep_row(mask_sweep *m, int y, unsigned char *row, int w)
{
    memset(row, 0, (size_t)w);
    while (m->next < m->n && m->r[m->next].y0 <= y)
        m->active[m->nactive++] = m->next++;
    size_t k = 0;
    for (size_t i = 0; i < m->nactive; i++) {
        const prect *r = &m->r[m->active[i]];
        if (r->y1 < y)
            continue; /* done with it */
        m->active[k++] = m->active[i];
        memset(row + r->x0, 2, (size_t)(r->x1 - r->x0 + 1));
    }
    m->nactive = k;
}

/* Threshold every row of the image into a row map (0 background, 1 ink, 2
 * masked: the mask rectangles mr[0..nmr)) and collect, in the same pass, the
 * dark runs along each row (horizontal rules) and, with a state per column,
 * along each column (vertical rules): one pass over the image, and no map
 * of the whole page. */
static ft_err scan_image(const ext_pixmap *img, const prect *mr, size_t nmr,
                         int t, const scan_par *sp, vec *hsegs, vec *vsegs)
{
    ft_err rc = FT_OK;
    int w = img->width, h = img->height, goff = green_offset();
    col_state c;
    mask_sweep ms = {NULL, 0, 0, NULL, 0};
    int *mem = calloc((size_t)w * 5, sizeof *mem);
    c.open = calloc((size_t)w, 1);
    unsigned char *row = malloc((size_t)w + 8);
    if (!mem || !c.open || !row || sweep_init(&ms, mr, nmr)) {
        rc = FT_NOMEM;
        goto out;
    }
    c.start = mem;
    c.last = mem + w;
    c.ink = mem + 2 * (size_t)w;
    c.masked = mem + 3 * (size_t)w;
    c.tail = mem + 4 * (size_t)w;
    for (int y = 0; y < h && !rc; y++) {
        const unsigned char *src = img->pixels + (size_t)y * (size_t)img->stride;
        sweep_row(&ms, y, row, w);
        dark_row(img, src, row, w, (unsigned)t, goff);
        open_seg o = {-1, -1, 0, 0, 0};
        for (int x = next_dark(row, 0, w); x < w && !rc;) {
            unsigned char v = row[x];
            int e = x + 1;
            while (e < w && row[e] == v)
                e++;
            if (v == 2) {
                /* a character box: bridges along the row and down the
                 * columns where a segment is open */
                if (o.start >= 0)
                    o.masked_tail += e - x;
                for (int k = x; k < e; k++)
                    c.tail[k] += c.open[k];
            } else {
                rc = hstep(hsegs, y, &o, x, e, sp);
                if (e - x >= sp->long_len) {
                    /* A horizontal line: neutral down the columns, like a
                     * masked pixel. A vertical rule that crosses it is
                     * joined across; one that ends on it stops a pixel
                     * short and is snapped onto it (snap_ends). Saves the
                     * per-pixel column work for most ink on a ruled page. */
                    for (int k = x; k < e; k++)
                        c.tail[k] += c.open[k];
                } else {
                    for (int k = x; k < e && !rc; k++)
                        rc = vstep(vsegs, &c, k, y, sp);
                }
            }
            x = next_dark(row, e, w);
        }
        if (!rc && o.start >= 0)
            rc = add_seg(hsegs, y, &o, sp);
    }
    for (int x = 0; x < w && !rc; x++)
        if (c.open[x]) {
            open_seg o = {c.start[x], c.last[x], c.ink[x], c.masked[x], 0};
            rc = add_seg(vsegs, x, &o, sp);
        }
out:
    free(mem);
    free(c.open);
    free(row);
    free(ms.active);
    return rc;
}

static int cmp_seg(const void *pa, const void *pb)
{
    const seg *a = pa, *b = pb;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->a < b->a ? -1 : a->a > b->a;
}

/* Merge segments of neighbouring rows (or columns) that overlap along most
 * of their length into bands. */
static ft_err merge_segments(vec *segs, vec *bands)
{
    ft_err rc = FT_OK;
    seg *s = segs->v;
    size_t prev_lo = 0, prev_hi = 0; /* bands touched at the previous pos */
    size_t cur_lo = 0;
    int cur_pos = -2;
    if (segs->n)
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
            /* Half the longer of the two: a rule crossing a filled area
             * (a shaded cell 20 pt high) is not absorbed by the short runs
             * of the area's rows beside it, which would make it a thick
             * band and drop it. */
            int longer = len_s > len_b ? len_s : len_b;
            if (ov * 2 < longer)
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
    int is_short; /* under EXT_RULE_MIN_LEN_PT: a cell border at most */
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
        l.is_short = l.b - l.a < EXT_RULE_MIN_LEN_PT;
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
 * direction; repeat while that removes lines (at most a few rounds). Short
 * lines take no part: they are decided afterwards (accept_short). */
static void filter_crossings(line *hs, size_t nh, line *vs, size_t nv)
{
    for (size_t i = 0; i < nh; i++)
        hs[i].alive = !hs[i].is_short;
    for (size_t j = 0; j < nv; j++)
        vs[j].alive = !vs[j].is_short;
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

/* 1 if the end of l at `end` (its position along) lies on an alive line of
 * others[0..n) (the other direction): within EXT_RULE_TOUCH_PT across and
 * along. */
static int end_on_line(const line *l, double end, const line *others,
                       size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (others[k].alive &&
            fabs(others[k].pos - end) <= EXT_RULE_TOUCH_PT &&
            l->pos >= others[k].a - EXT_RULE_TOUCH_PT &&
            l->pos <= others[k].b + EXT_RULE_TOUCH_PT)
            return 1;
    return 0;
}

/* Short lines are kept when both their ends lie on kept lines of the other
 * direction: the column rule of a one-line row between the rules above and
 * below it. Repeated while that adds lines (a short border may end on
 * another short one: a small cell in a corner). Glyph strokes of a scan end
 * on strokes that are never kept, so they never start such a chain. */
static void accept_short(line *hs, size_t nh, line *vs, size_t nv)
{
    for (int round = 0; round < 4; round++) {
        int changed = 0;
        for (int dir = 0; dir < 2; dir++) {
            line *ls = dir ? vs : hs, *os = dir ? hs : vs;
            size_t n = dir ? nv : nh, no = dir ? nh : nv;
            for (size_t i = 0; i < n; i++) {
                line *l = &ls[i];
                if (!l->is_short || l->alive)
                    continue;
                if (end_on_line(l, l->a, os, no) && end_on_line(l, l->b, os, no)) {
                    l->alive = 1;
                    changed = 1;
                }
            }
        }
        if (!changed)
            break;
    }
}

/* Tables ruled with horizontal lines only: a long horizontal line that
 * meets no kept vertical line is kept when another one starts and ends where
 * it does, within EXT_RULE_TOUCH_PT (EXT_RULE_HRULE_MIN_FRAC). */
static void keep_hrule_tables(line *hs, size_t nh, const line *vs, size_t nv,
                              double page_w)
{
    double min_len = EXT_RULE_HRULE_MIN_FRAC * page_w;
    for (size_t i = 0; i < nh; i++) {
        hs[i].touches = 0; /* here: 1 = a candidate */
        if (hs[i].alive || hs[i].b - hs[i].a < min_len)
            continue;
        int free_line = 1;
        for (size_t j = 0; j < nv && free_line; j++)
            if (vs[j].alive && meets(&hs[i], &vs[j], EXT_RULE_TOUCH_PT))
                free_line = 0;
        hs[i].touches = free_line;
    }
    for (size_t i = 0; i < nh; i++) {
        if (hs[i].touches != 1)
            continue;
        for (size_t k = 0; k < nh; k++) {
            if (k == i || !hs[k].touches ||
                fabs(hs[k].pos - hs[i].pos) <= EXT_RULE_TOUCH_PT)
                continue;
            if (fabs(hs[k].a - hs[i].a) <= EXT_RULE_TOUCH_PT &&
                fabs(hs[k].b - hs[i].b) <= EXT_RULE_TOUCH_PT) {
                hs[i].alive = 1;
                break;
            }
        }
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
                           ext_rules_report *rep)
{
    ext_pixmap pm = ext_pixmap_of_image(img);
    return ext_rules_find(&pm, mask, nmask, rules, nrules, rep);
}

ft_err ext_rules_find(const ext_pixmap *img, const ft_box *mask, size_t nmask,
                      ft_box **rules, size_t *nrules, ext_rules_report *rep)
{
    ext_rules_report dummy;
    int *truncated;
    ft_err rc = FT_OK;
    unsigned char *dark = NULL; /* one row of the mask, for the histogram */
    prect *mr = NULL;
    size_t nmr = 0;
    vec segs = {NULL, 0, 0, sizeof(seg), MAX_SEGMENTS};
    vec vsegs = {NULL, 0, 0, sizeof(seg), MAX_SEGMENTS};
    vec bands = {NULL, 0, 0, sizeof(band), MAX_SEGMENTS};
    vec hl = {NULL, 0, 0, sizeof(line), MAX_SEGMENTS};
    vec vl = {NULL, 0, 0, sizeof(line), MAX_SEGMENTS};
    ft_box *out = NULL;
    size_t nout = 0;
    unsigned long hist[256];
    int w = img->width, h = img->height;
    double scale = img->scale;

    if (!rep)
        rep = &dummy;
    memset(rep, 0, sizeof *rep);
    truncated = &rep->truncated;
    *rules = NULL;
    *nrules = 0;
    if (w <= 0 || h <= 0 || !(scale > 0))
        goto out;
    if ((size_t)w * (size_t)h > EXT_RULES_MAX_PIXELS) {
        rc = FT_LIMIT;
        goto out;
    }
    if ((rc = mask_rects(mask, nmask, scale, w, h, &mr, &nmr)))
        goto out;
    /* Otsu needs the shape of the histogram, not every pixel
     * (HIST_ROW_STEP, HIST_COL_STEP); masked pixels are left out. */
    memset(hist, 0, sizeof hist);
    unsigned long white = 0; /* most pixels: counted apart, so the loop does
                                not wait on one histogram bin */
    int goff = green_offset();
    mask_sweep ms;
    dark = malloc((size_t)w + 8);
    if (!dark || sweep_init(&ms, mr, nmr)) {
        rc = FT_NOMEM;
        goto out;
    }
    for (int y = HIST_ROW_STEP / 2; y < h; y += HIST_ROW_STEP) {
        const unsigned char *src = img->pixels + (size_t)y * (size_t)img->stride;
        sweep_row(&ms, y, dark, w);
        for (int x = HIST_COL_STEP / 2; x < w; x += HIST_COL_STEP) {
            if (dark[x])
                continue;
            unsigned v = px_grey(img, src, x, goff);
            if (v == 255)
                white++;
            else
                hist[v]++;
        }
    }
    free(ms.active);
    hist[255] += white;
    int t = ext_rules_otsu(hist);
    rep->threshold = t;

    scan_par sp;
    sp.min_len = (int)ceil(EXT_RULE_MIN_SHORT_PT * scale);
    sp.long_len = (int)ceil(EXT_RULE_MIN_LEN_PT * scale);
    sp.max_gap = (int)floor(EXT_RULE_JOIN_GAP_PT * scale);
    int max_thick = (int)ceil(EXT_RULE_MAX_THICK_PT * scale);
    if (sp.min_len < 2)
        sp.min_len = 2;
    if (max_thick < 1)
        max_thick = 1;
    double pw = w / scale, ph = h / scale;

    rc = scan_image(img, mr, nmr, t, &sp, &segs, &vsegs);
    /* Horizontal lines, then vertical ones. */
    if (!rc)
        rc = merge_segments(&segs, &bands);
    if (!rc)
        rc = bands_to_lines(&bands, scale, max_thick, ph, pw, &hl);
    bands.n = 0;
    if (!rc)
        rc = merge_segments(&vsegs, &bands);
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
    accept_short(hs, hl.n, vs, vl.n);
    /* Only where the text is masked out: on a scan (no mask) the aligned
     * horizontal strokes of a line of glyphs can pass for such a pair. */
    if (nmask)
        keep_hrule_tables(hs, hl.n, vs, vl.n, pw);
    snap_ends(hs, hl.n, vs, vl.n);
    if (hl.n)
        qsort(hs, hl.n, sizeof *hs, cmp_line);
    if (vl.n)
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
    free(mr);
    free(segs.v);
    free(vsegs.v);
    free(bands.v);
    free(hl.v);
    free(vl.v);
    free(out);
    return rc;
}

/* Most ruling lines crossing one character box that ext_rules_boxes_drawn()
 * sets aside; a box crossed by more is taken as drawn (a grid of hatching,
 * not a clipped word). */
#define DRAWN_MAX_CROSS 8

/* ext_rules_boxes_drawn() looks at no more than this many rows and columns
 * of one box: a 48 pt glyph at 72 dpi whole, larger ones on a grid. */
#define DRAWN_MAX_SIDE 48

/* The rules of one direction, sorted by position (y of horizontal ones, x
 * of vertical ones), for crossing(). */
typedef struct {
    ft_box *r;
    size_t n;
    int horizontal;
} rule_set;

static int cmp_hpos(const void *pa, const void *pb)
{
    const ft_box *a = pa, *b = pb;
    return (a->y0 > b->y0) - (a->y0 < b->y0);
}

static int cmp_vpos(const void *pa, const void *pb)
{
    const ft_box *a = pa, *b = pb;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

/* The pixel intervals [lo[k], hi[k]] across the rules of rs that cross box
 * b: rows of horizontal rules, columns of vertical ones. Returns their
 * number, or -1 past DRAWN_MAX_CROSS. */
static int crossing(const rule_set *rs, const ft_box *b, double s, int *lo,
                    int *hi)
{
    int h = rs->horizontal;
    double half = EXT_RULE_MAX_THICK_PT / 2 * s + 0.5;
    double a = h ? b->x0 : b->y0, bb = h ? b->x1 : b->y1;
    double p0 = (h ? b->y0 : b->x0) - EXT_RULE_MAX_THICK_PT;
    double p1 = (h ? b->y1 : b->x1) + EXT_RULE_MAX_THICK_PT;
    size_t i = 0, j = rs->n; /* first rule at p0 or after */
    while (i < j) {
        size_t mid = i + (j - i) / 2;
        if ((h ? rs->r[mid].y0 : rs->r[mid].x0) < p0)
            i = mid + 1;
        else
            j = mid;
    }
    int m = 0;
    for (; i < rs->n; i++) {
        const ft_box *r = &rs->r[i];
        double rp = h ? r->y0 : r->x0;
        double ra = h ? r->x0 : r->y0, rb = h ? r->x1 : r->y1;
        if (rp > p1)
            break;
        if (rb <= a || ra >= bb)
            continue;
        if (m == DRAWN_MAX_CROSS)
            return -1;
        lo[m] = (int)floor(rp * s - half);
        hi[m] = (int)ceil(rp * s + half);
        m++;
    }
    return m;
}

static int in_any(int v, const int *lo, const int *hi, int m)
{
    for (int k = 0; k < m; k++)
        if (v >= lo[k] && v <= hi[k])
            return 1;
    return 0;
}

void ext_rules_boxes_drawn(const ext_pixmap *img, const ft_box *boxes,
                           size_t n, const ft_box *rules, size_t nrules,
                           unsigned char *drawn)
{
    double s = img->scale;
    int goff = green_offset();
    int hlo[DRAWN_MAX_CROSS], hhi[DRAWN_MAX_CROSS];
    int vlo[DRAWN_MAX_CROSS], vhi[DRAWN_MAX_CROSS];
    ft_box *sorted = nrules ? malloc(nrules * sizeof *sorted) : NULL;
    rule_set hs = {sorted, 0, 1}, vs = {NULL, 0, 0};
    if (nrules && !sorted) {
        /* no memory for the sorted copy: every box counts as drawn */
        memset(drawn, 1, n);
        return;
    }
    for (size_t k = 0; k < nrules; k++)
        if (rules[k].y0 == rules[k].y1)
            sorted[hs.n++] = rules[k];
    vs.r = sorted ? sorted + hs.n : NULL; /* NULL + 0 is undefined */
    for (size_t k = 0; k < nrules; k++)
        if (rules[k].y0 != rules[k].y1 && rules[k].x0 == rules[k].x1)
            vs.r[vs.n++] = rules[k];
    if (hs.n)
        qsort(hs.r, hs.n, sizeof *hs.r, cmp_hpos);
    if (vs.n)
        qsort(vs.r, vs.n, sizeof *vs.r, cmp_vpos);
    for (size_t i = 0; i < n; i++) {
        const ft_box *b = &boxes[i];
        drawn[i] = 0;
        if (!(s > 0) || !isfinite(b->x0) || !isfinite(b->y0) ||
            !isfinite(b->x1) || !isfinite(b->y1))
            continue;
        /* Pixels wholly inside the box, one pixel in from each side (the
         * neighbour's anti-aliasing); a box too small for that keeps its
         * middle pixel. */
        double fx0 = b->x0 * s + 1, fx1 = b->x1 * s - 1;
        double fy0 = b->y0 * s + 1, fy1 = b->y1 * s - 1;
        if (fx1 < fx0)
            fx0 = fx1 = (b->x0 + b->x1) / 2 * s;
        if (fy1 < fy0)
            fy0 = fy1 = (b->y0 + b->y1) / 2 * s;
        if (fx1 < 0 || fy1 < 0 || fx0 >= img->width || fy0 >= img->height)
            continue;
        int nh = crossing(&hs, b, s, hlo, hhi);
        int nv = crossing(&vs, b, s, vlo, vhi);
        if (nh < 0 || nv < 0) {
            drawn[i] = 1;
            continue;
        }
        int x0 = fx0 < 0 ? 0 : (int)fx0, y0 = fy0 < 0 ? 0 : (int)fy0;
        int x1 = fx1 >= img->width ? img->width - 1 : (int)fx1;
        int y1 = fy1 >= img->height ? img->height - 1 : (int)fy1;
        int lo = 256, hi = -1;
        size_t seen = 0;
        /* Rows from the middle outwards: a glyph's ink is nearly always on
         * its middle row, so a drawn box is known after one row. A box
         * larger than DRAWN_MAX_SIDE pixels is sampled on a grid of that
         * many rows and columns (its strokes are as large): a page of huge
         * boxes costs no more than a page of text. */
        int mid = (y0 + y1) / 2, nrows = y1 - y0 + 1, ncols = x1 - x0 + 1;
        int rstep = nrows > DRAWN_MAX_SIDE ? nrows / DRAWN_MAX_SIDE : 1;
        int cstep = ncols > DRAWN_MAX_SIDE ? ncols / DRAWN_MAX_SIDE : 1;
        for (int k = 0; k <= 2 * (nrows / rstep + 1) && hi - lo <= EXT_DRAWN_FLAT;
             k++) {
            int off = (k + 1) / 2 * rstep;
            int y = k % 2 ? mid - off : mid + off;
            if (y < y0 || y > y1 || in_any(y, hlo, hhi, nh))
                continue;
            const unsigned char *row = img->pixels + (size_t)y * (size_t)img->stride;
            for (int x = x0; x <= x1; x += cstep) {
                if (nv && in_any(x, vlo, vhi, nv))
                    continue;
                int v = (int)px_grey(img, row, x, goff);
                seen++;
                if (v < lo)
                    lo = v;
                if (v > hi)
                    hi = v;
            }
        }
        /* A box lying wholly on ruling lines is taken as drawn. */
        drawn[i] = seen == 0 || hi - lo > EXT_DRAWN_FLAT;
    }
    free(sorted);
}
