/* Cells of a ruled table from ruling-line segments: cluster the positions,
 * test every slot edge for ink, join slots across missing edges (merged
 * cells) and keep the rectangles closed on every side. See ext_ocr_grid.h. */
#include "ext_ocr_grid.h"

#include <stdlib.h>
#include <string.h>
#include "ft_limits.h"

/* A clustered line position and the segments lying on it, sorted by a0. */
typedef struct {
    double pos;
    double weight;     /* summed length of the defining segments */
    size_t first, count; /* range in the sorted member array */
} line;

typedef struct {
    double pos;
    double a0, a1;
} member;

static int cmp_seg_pos(const void *a, const void *b)
{
    const ext_ocr_seg *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static int cmp_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    /* group by line first (pos holds the line index), then by start */
    if (x->pos != y->pos)
        return (x->pos > y->pos) - (x->pos < y->pos);
    return (x->a0 > y->a0) - (x->a0 < y->a0);
}

/* Cluster the positions of the segments with keep[i] set (or, keep NULL,
 * at least min_len long). *lines is heap. */
static ft_err cluster(const ext_ocr_seg *s, size_t n, const unsigned char *keep,
                      double min_len, double tol, line **lines, size_t *nlines)
{
    ft_err rc = FT_OK;
    ext_ocr_seg *strong = NULL;
    line *out = NULL;
    size_t nstrong = 0, nout = 0;

    *lines = NULL;
    *nlines = 0;
    if (n == 0)
        goto out;
    strong = malloc(n * sizeof *strong);
    if (!strong) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (keep ? keep[i] : s[i].a1 - s[i].a0 >= min_len)
            strong[nstrong++] = s[i];
    if (nstrong == 0)
        goto out;
    qsort(strong, nstrong, sizeof *strong, cmp_seg_pos);
    out = calloc(nstrong, sizeof *out);
    if (!out) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nstrong; i++) {
        double len = strong[i].a1 - strong[i].a0;
        line *l = nout ? &out[nout - 1] : NULL;
        /* compare with the running centre so a slow drift (residual skew)
         * never chains distinct lines together */
        if (l && strong[i].pos - l->pos / l->weight <= tol) {
            l->pos += strong[i].pos * len;
            l->weight += len;
        } else {
            if (nout == EXT_OCR_MAX_GRID_LINES) {
                rc = FT_LIMIT;
                goto out;
            }
            out[nout].pos = strong[i].pos * len;
            out[nout].weight = len;
            nout++;
        }
    }
    for (size_t i = 0; i < nout; i++)
        out[i].pos /= out[i].weight;
    *lines = out;
    *nlines = nout;
    out = NULL;
out:
    free(strong);
    free(out);
    return rc;
}

/* Attach every segment within tol of a line to the nearest line; fills
 * first/count of each line and returns the member array (heap). */
static ft_err attach(const ext_ocr_seg *s, size_t n, line *lines,
                     size_t nlines, double tol, member **members)
{
    ft_err rc = FT_OK;
    member *m = NULL;
    size_t nm = 0;

    *members = NULL;
    m = malloc((n ? n : 1) * sizeof *m);
    if (!m) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        /* binary search for the nearest line position */
        size_t lo = 0, hi = nlines;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (lines[mid].pos < s[i].pos)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t best = nlines;
        double bestd = tol;
        for (size_t k = lo > 0 ? lo - 1 : 0; k < nlines && k <= lo; k++) {
            double d = lines[k].pos - s[i].pos;
            if (d < 0)
                d = -d;
            if (d <= bestd) {
                bestd = d;
                best = k;
            }
        }
        if (best == nlines)
            continue;
        m[nm].pos = (double)best;
        m[nm].a0 = s[i].a0;
        m[nm].a1 = s[i].a1;
        nm++;
    }
    qsort(m, nm, sizeof *m, cmp_member);
    for (size_t k = 0; k < nlines; k++)
        lines[k].count = 0;
    for (size_t i = 0; i < nm; i++) {
        size_t k = (size_t)m[i].pos;
        if (lines[k].count == 0)
            lines[k].first = i;
        lines[k].count++;
    }
    *members = m;
    m = NULL;
out:
    free(m);
    return rc;
}

/* Fraction of [a, b] covered by the members of line l (sorted by a0). */
static double coverage(const line *l, const member *m, double a, double b)
{
    double covered = 0, reach = a;

    if (b <= a)
        return 0;
    for (size_t i = l->first; i < l->first + l->count; i++) {
        double s0 = m[i].a0, s1 = m[i].a1;
        if (s0 >= b)
            break;
        if (s1 <= reach)
            continue;
        if (s0 < reach)
            s0 = reach;
        if (s1 > b)
            s1 = b;
        if (s1 > s0)
            covered += s1 - s0;
        reach = s1;
    }
    return covered / (b - a);
}

/* 1 if pos lies within tol of one of the lines (sorted by pos); the index
 * goes to *at. */
static int near_line(const line *l, size_t n, double pos, double tol,
                     size_t *at)
{
    for (size_t k = 0; k < n; k++) {
        double d = l[k].pos - pos;
        if (d <= tol && d >= -tol) {
            *at = k;
            return 1;
        }
    }
    return 0;
}

/* Mark the segments that define line positions: the long ones, and short
 * ones that run from one line of the other axis to another (the separator
 * of a single short row, such as 项目类别 | 其他运转类 in the header of
 * scan200-seed004-ruled, is shorter than EXT_OCR_RULE_STRONG_IN; no text
 * stroke reaches from one rule to the next). Heap array in *keep. */
static ft_err mark_defining(const ext_ocr_seg *s, size_t n, double min_len,
                            const line *other, size_t nother, double tol,
                            unsigned char **keep)
{
    unsigned char *k = malloc(n ? n : 1);
    if (!k)
        return FT_NOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t a = 0, b = 0;
        k[i] = s[i].a1 - s[i].a0 >= min_len ||
               (near_line(other, nother, s[i].a0, EXT_OCR_BRIDGE_TOL * tol, &a) &&
                near_line(other, nother, s[i].a1, EXT_OCR_BRIDGE_TOL * tol, &b) &&
                a != b);
    }
    *keep = k;
    return FT_OK;
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a != b)
        parent[a > b ? a : b] = a < b ? a : b;
}

typedef struct {
    unsigned r0, c0, r1, c1;  /* inclusive slot range */
    size_t count;
} comp;

ft_err ext_ocr_grid_build(const ext_ocr_seg *h, size_t nh,
                          const ext_ocr_seg *v, size_t nv, double min_len,
                          double tol, ext_ocr_cell **cells, size_t *ncells)
{
    ft_err rc = FT_OK;
    line *rows = NULL, *cols = NULL;
    member *hm = NULL, *vm = NULL;
    size_t nrows = 0, ncols = 0;
    unsigned char *hpres = NULL, *vpres = NULL;
    size_t *parent = NULL;
    comp *comps = NULL;
    ext_ocr_cell *out = NULL;
    size_t nout = 0;
    unsigned char *hkeep = NULL, *vkeep = NULL;

    *cells = NULL;
    *ncells = 0;
    rc = cluster(h, nh, NULL, min_len, tol, &rows, &nrows);
    if (rc)
        goto out;
    rc = cluster(v, nv, NULL, min_len, tol, &cols, &ncols);
    if (rc)
        goto out;
    /* second pass: short segments bridging two lines of the other axis */
    rc = mark_defining(h, nh, min_len, cols, ncols, tol, &hkeep);
    if (!rc)
        rc = mark_defining(v, nv, min_len, rows, nrows, tol, &vkeep);
    if (rc)
        goto out;
    free(rows);
    free(cols);
    rows = cols = NULL;
    rc = cluster(h, nh, hkeep, min_len, tol, &rows, &nrows);
    if (rc)
        goto out;
    rc = cluster(v, nv, vkeep, min_len, tol, &cols, &ncols);
    if (rc)
        goto out;
    if (nrows < 2 || ncols < 2)
        goto out;
    size_t sr = nrows - 1, sc = ncols - 1; /* slots */
    if (sr * sc > FT_MAX_TABLE_SLOTS) {
        rc = FT_LIMIT;
        goto out;
    }
    rc = attach(h, nh, rows, nrows, tol, &hm);
    if (rc)
        goto out;
    rc = attach(v, nv, cols, ncols, tol, &vm);
    if (rc)
        goto out;

    /* hpres[i*sc + j]: horizontal edge on row line i over slot column j;
     * vpres[i*ncols + j]: vertical edge on column line j over slot row i */
    hpres = malloc(nrows * sc);
    vpres = malloc(sr * ncols);
    parent = malloc(sr * sc * sizeof *parent);
    if (!hpres || !vpres || !parent) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nrows; i++)
        for (size_t j = 0; j < sc; j++)
            hpres[i * sc + j] = coverage(&rows[i], hm, cols[j].pos,
                                         cols[j + 1].pos) >=
                                EXT_OCR_EDGE_MIN_COVER;
    for (size_t i = 0; i < sr; i++)
        for (size_t j = 0; j < ncols; j++)
            vpres[i * ncols + j] = coverage(&cols[j], vm, rows[i].pos,
                                            rows[i + 1].pos) >=
                                   EXT_OCR_EDGE_MIN_COVER;

    for (size_t k = 0; k < sr * sc; k++)
        parent[k] = k;
    for (size_t i = 0; i < sr; i++)
        for (size_t j = 0; j < sc; j++) {
            if (j + 1 < sc && !vpres[i * ncols + j + 1])
                uf_union(parent, i * sc + j, i * sc + j + 1);
            if (i + 1 < sr && !hpres[(i + 1) * sc + j])
                uf_union(parent, i * sc + j, (i + 1) * sc + j);
        }

    /* a component is indexed by its root, the smallest slot index in it,
     * which is its top-left slot when it is a rectangle */
    comps = calloc(sr * sc, sizeof *comps);
    out = malloc(sr * sc * sizeof *out);
    if (!comps || !out) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < sr; i++)
        for (size_t j = 0; j < sc; j++) {
            comp *c = &comps[uf_find(parent, i * sc + j)];
            if (c->count == 0) {
                c->r0 = c->r1 = (unsigned)i;
                c->c0 = c->c1 = (unsigned)j;
            }
            if (i < c->r0) c->r0 = (unsigned)i;
            if (i > c->r1) c->r1 = (unsigned)i;
            if (j < c->c0) c->c0 = (unsigned)j;
            if (j > c->c1) c->c1 = (unsigned)j;
            c->count++;
        }
    for (size_t k = 0; k < sr * sc; k++) {
        const comp *c = &comps[k];
        if (c->count == 0)
            continue;
        size_t area = (size_t)(c->r1 - c->r0 + 1) * (c->c1 - c->c0 + 1);
        if (area != c->count)
            continue; /* not a rectangle: open space between tables */
        /* inner edges of a component are absent by construction and edges
         * towards other slots present; only the grid border can be open */
        int closed = 1;
        for (unsigned j = c->c0; j <= c->c1 && closed; j++)
            closed = hpres[c->r0 * sc + j] && hpres[(c->r1 + 1) * sc + j];
        for (unsigned i = c->r0; i <= c->r1 && closed; i++)
            closed = vpres[i * ncols + c->c0] && vpres[i * ncols + c->c1 + 1];
        if (!closed)
            continue;
        ext_ocr_cell *cell = &out[nout++];
        cell->x0 = cols[c->c0].pos;
        cell->x1 = cols[c->c1 + 1].pos;
        cell->y0 = rows[c->r0].pos;
        cell->y1 = rows[c->r1 + 1].pos;
        cell->row = c->r0;
        cell->col = c->c0;
        cell->rowspan = c->r1 - c->r0 + 1;
        cell->colspan = c->c1 - c->c0 + 1;
    }
    *cells = out;
    *ncells = nout;
    out = NULL;
out:
    free(hkeep);
    free(vkeep);
    free(rows);
    free(cols);
    free(hm);
    free(vm);
    free(hpres);
    free(vpres);
    free(parent);
    free(comps);
    free(out);
    return rc;
}
