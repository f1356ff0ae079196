/* Ruled tables from a page's ruling lines: line positions, table regions,
 * merged cells and the text of each cell (norm_lattice.h). */
#include "norm_lattice.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"
#include "norm_textcat.h"

/* A rule no thicker than this is a line; a thicker box is a rectangle whose
 * four edges are rules (forms drawn as one rectangle per cell). Table rules
 * are 0.5-1.5 pt; 3 pt leaves room for a double rule drawn as a filled bar. */
#define NORM_LAT_THICK 3.0

/* Rules shorter than this are dropped: dots, hatching and the corner ticks
 * some producers draw. The shortest real cell edge of the seed forms rendered
 * in fixtures/pdf is a row of 9 pt text, far above. */
#define NORM_LAT_MIN_LEN 3.0

/* Line positions within this many points are one line: producers draw a
 * border of two adjoining cells twice, a fraction of a point apart, and
 * double rules sit 1-2 pt apart. Smaller than any real row (a 6 pt font row
 * with padding is 8 pt or more). */
#define NORM_LAT_SNAP 2.0

/* Collinear pieces of a rule with a gap up to this many points are one rule:
 * producers stroke a border cell by cell, leaving hairline gaps at crossings
 * where the line caps do not meet. */
#define NORM_LAT_JOIN_GAP 2.0

/* A horizontal and a vertical rule cross (are one table) when they meet
 * within this many points: rules often stop half a line width short of the
 * rule they end on. */
#define NORM_LAT_TOUCH 3.0

/* An edge between two slots is a border when rules cover at least this
 * fraction of it. Drawn borders cover all of it but the crossings' caps
 * (over 90 %); a merged cell's missing border covers none of it. Half is
 * the midpoint, robust to either error. Unit test: missing segments. */
#define NORM_LAT_EDGE_COVER 0.5

/* A region needs at least this many slots to be a table: a single ruled
 * rectangle is a frame around a paragraph or a signature box, not a table. */
#define NORM_LAT_MIN_SLOTS 2u

/* Coordinates beyond this many points (about 35 m) are garbage: PDF limits a
 * page to 14,400 pt. Such rules are ignored. */
#define NORM_LAT_MAX_COORD 100000.0

/* Two runs of a cell are on one line when their vertical extents overlap by
 * at least this fraction of the smaller height; sub- and superscripts and
 * mixed font sizes on one baseline still overlap by more. */
#define NORM_LAT_LINE_OVERLAP 0.5

/* A run reaching this far past its cell's border crosses it (debug line with
 * -v): extract splits runs at vertical rules, so a crossing run means a
 * mis-split or text overflowing its cell. */
#define NORM_LAT_CROSS_TOL 2.0

/* Header rows: the first rows of a table whose text is all bold are marked
 * FT_CELL_HEADER, at most this many (a two-level header plus a title row). A
 * key/value form has bold labels in every row, but a row whose values are
 * not bold ends the header. */
#define NORM_LAT_MAX_HEADER_ROWS 3u

/* A line of a cell is full when its width plus this many ems of its font
 * reaches the cell's width less NORM_LAT_PAD_PT on each side: no other
 * character would have fitted, so the break was forced by the width. Cell
 * padding is 3 pt in the cairo fixtures and 2.8 pt (0.1 cm) in LibreOffice;
 * one em covers the widest character. Seed 002's amount column breaks
 * `233,875.26` after `233,875.2` (34.9 pt of text in a 46 pt cell). */
#define NORM_LAT_FULL_EM 1.0
#define NORM_LAT_PAD_PT 4.0

/* OCR confidence below this marks the cell FT_CELL_LOWCONF: Tesseract's word
 * confidence under 60 is wrong more often than not on the seed scans. */
#define NORM_LAT_LOWCONF 60.0

typedef struct {
    double pos;  /* y of a horizontal rule, x of a vertical one */
    double a, b; /* extent along the rule, a <= b */
} seg;

typedef struct {
    seg *v;
    size_t n, cap;
} segs;

static ft_err segs_push(segs *s, double pos, double a, double b)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        seg *n = realloc(s->v, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        s->v = n;
        s->cap = ncap;
    }
    s->v[s->n++] = (seg){pos, a, b};
    return FT_OK;
}

static int cmp_seg(const void *pa, const void *pb)
{
    const seg *a = pa, *b = pb;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* Snap positions within NORM_LAT_SNAP of a group's first to the group's mean
 * and join overlapping or nearly touching pieces. In place. */
static void merge_segs(segs *s)
{
    if (s->n == 0)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_seg);
    /* snap */
    for (size_t i = 0; i < s->n;) {
        size_t j = i + 1;
        double sum = s->v[i].pos;
        while (j < s->n && s->v[j].pos - s->v[i].pos <= NORM_LAT_SNAP)
            sum += s->v[j++].pos;
        double mean = sum / (double)(j - i);
        for (size_t k = i; k < j; k++)
            s->v[k].pos = mean;
        i = j;
    }
    qsort(s->v, s->n, sizeof *s->v, cmp_seg);
    size_t out = 0;
    for (size_t i = 0; i < s->n; i++) {
        seg *last = out ? &s->v[out - 1] : NULL;
        if (last && last->pos == s->v[i].pos &&
            s->v[i].a <= last->b + NORM_LAT_JOIN_GAP) {
            if (s->v[i].b > last->b)
                last->b = s->v[i].b;
        } else {
            s->v[out++] = s->v[i];
        }
    }
    s->n = out;
}

static int finite_box(const ft_box *b)
{
    return isfinite(b->x0) && isfinite(b->y0) && isfinite(b->x1) &&
           isfinite(b->y1) && fabs(b->x0) <= NORM_LAT_MAX_COORD &&
           fabs(b->x1) <= NORM_LAT_MAX_COORD &&
           fabs(b->y0) <= NORM_LAT_MAX_COORD && fabs(b->y1) <= NORM_LAT_MAX_COORD;
}

/* Classify the page's rules into horizontal and vertical segments. */
static ft_err collect(const ft_page *p, segs *h, segs *v)
{
    ft_err rc = FT_OK;
    for (size_t i = 0; i < p->nrules && !rc; i++) {
        ft_box b = p->rules[i];
        if (!finite_box(&b))
            continue;
        if (b.x1 < b.x0) {
            double t = b.x0;
            b.x0 = b.x1;
            b.x1 = t;
        }
        if (b.y1 < b.y0) {
            double t = b.y0;
            b.y0 = b.y1;
            b.y1 = t;
        }
        double w = b.x1 - b.x0, ht = b.y1 - b.y0;
        if (ht <= NORM_LAT_THICK && w >= NORM_LAT_MIN_LEN && w > ht) {
            rc = segs_push(h, (b.y0 + b.y1) / 2, b.x0, b.x1);
        } else if (w <= NORM_LAT_THICK && ht >= NORM_LAT_MIN_LEN && ht > w) {
            rc = segs_push(v, (b.x0 + b.x1) / 2, b.y0, b.y1);
        } else if (w > NORM_LAT_THICK && ht > NORM_LAT_THICK) {
            if ((rc = segs_push(h, b.y0, b.x0, b.x1)) ||
                (rc = segs_push(h, b.y1, b.x0, b.x1)) ||
                (rc = segs_push(v, b.x0, b.y0, b.y1)))
                break;
            rc = segs_push(v, b.x1, b.y0, b.y1);
        }
    }
    return rc;
}

/* ---- union-find ---------------------------------------------------------- */

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a != b)
        parent[a < b ? b : a] = a < b ? a : b;
}

/* ---- one region ---------------------------------------------------------- */

typedef struct {
    double *v;
    size_t n, cap;
} dvec;

static ft_err dvec_push(dvec *d, double x)
{
    if (d->n == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        double *n = realloc(d->v, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        d->v = n;
        d->cap = ncap;
    }
    d->v[d->n++] = x;
    return FT_OK;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Sort and collapse values within NORM_LAT_SNAP into their first. */
static void unique_lines(dvec *d)
{
    if (d->n == 0)
        return;
    qsort(d->v, d->n, sizeof *d->v, cmp_double);
    size_t out = 1;
    for (size_t i = 1; i < d->n; i++)
        if (d->v[i] - d->v[out - 1] > NORM_LAT_SNAP)
            d->v[out++] = d->v[i];
    d->n = out;
}

static int cmp_interval(const void *pa, const void *pb)
{
    const seg *a = pa, *b = pb;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* For the line at pos and the edges [cuts[i], cuts[i+1]] (cuts sorted,
 * ncuts >= 2), set border[i] = 1 when the segments list[idx[0..n)] lying on
 * the line (within NORM_LAT_SNAP) cover at least NORM_LAT_EDGE_COVER of the
 * edge. idx is in list order, which is sorted by position, so the segments
 * on the line are found by binary search; their union is swept once along
 * the edges: linear in edges plus segments. tmp has room for n segments. */
static void line_borders(const segs *list, const size_t *idx, size_t n,
                         double pos, const double *cuts, size_t ncuts,
                         unsigned char *border, seg *tmp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list->v[idx[mid]].pos < pos - NORM_LAT_SNAP)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t m = 0;
    for (size_t k = lo; k < n && list->v[idx[k]].pos <= pos + NORM_LAT_SNAP; k++)
        tmp[m++] = list->v[idx[k]];
    qsort(tmp, m, sizeof *tmp, cmp_interval);
    /* union of the intervals, in place */
    size_t u = 0;
    for (size_t k = 0; k < m; k++) {
        if (u && tmp[k].a <= tmp[u - 1].b) {
            if (tmp[k].b > tmp[u - 1].b)
                tmp[u - 1].b = tmp[k].b;
        } else {
            tmp[u++] = tmp[k];
        }
    }
    size_t j = 0;
    for (size_t i = 0; i + 1 < ncuts; i++) {
        double a = cuts[i], b = cuts[i + 1], sum = 0;
        while (j < u && tmp[j].b <= a)
            j++;
        for (size_t k = j; k < u && tmp[k].a < b; k++) {
            double l2 = tmp[k].a > a ? tmp[k].a : a;
            double h2 = tmp[k].b < b ? tmp[k].b : b;
            if (h2 > l2)
                sum += h2 - l2;
        }
        border[i] = sum >= NORM_LAT_EDGE_COVER * (b - a);
    }
}

/* Index of the interval of lines[0..n) (sorted) holding v: i with
 * lines[i] <= v < lines[i+1], clamped to 0..n-2. */
static size_t locate(const double *lines, size_t n, double v)
{
    size_t lo = 0, hi = n - 1; /* answer in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (lines[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

typedef struct {
    const ft_page *p;
    unsigned char *used;
    norm_page_out *out;
    ft_diag *d;
    const char *file;
    const segs *h, *v;
    ft_buf text, line;
} ctx;

/* Runs of a table sorted by cell, then centre y (for lines), then x. */
typedef struct {
    size_t cell, run;
    double y, x;
} sortkey;

static int cmp_key_y(const void *pa, const void *pb)
{
    const sortkey *a = pa, *b = pb;
    if (a->cell != b->cell)
        return a->cell < b->cell ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->run > b->run) - (a->run < b->run);
}

static int cmp_key_x(const void *pa, const void *pb)
{
    const sortkey *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return (a->run > b->run) - (a->run < b->run);
}

static int num_char(char ch)
{
    return (ch >= '0' && ch <= '9') || ch == ',' || ch == '.';
}

static int ascii_alnum(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
           (ch >= 'A' && ch <= 'Z');
}

/* 1 if s[0..n) is an amount with a separator: 1,234,567(.89) or 12.5. */
static int amount_like(const char *s, size_t n)
{
    size_t i = 0, d = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, d++;
    if (d == 0)
        return 0;
    int groups = 0;
    while (i < n && s[i] == ',') {
        size_t k = 0;
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, k++;
        if (k != 3 || d > 3)
            return 0;
        groups++;
    }
    int frac = 0;
    if (i < n && s[i] == '.') {
        size_t k = 0;
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, k++;
        if (k == 0)
            return 0;
        frac = 1;
    }
    return i == n && (groups || frac);
}

/* 1 if the text so far (a) ends with a number that the next line (b) goes
 * on with: the last token of a and the first of b, digits and separators
 * only, make an amount together (`233,875.2` + `6`). */
static int number_goes_on(const char *a, size_t alen, const char *b,
                          size_t blen)
{
    size_t i = alen, j = 0;
    while (i > 0 && num_char(a[i - 1]))
        i--;
    while (j < blen && num_char(b[j]))
        j++;
    if (i == alen || j == 0 || (i > 0 && ascii_alnum(a[i - 1])) ||
        (j < blen && ascii_alnum(b[j])) || alen - i + j > 64)
        return 0;
    char tok[64];
    memcpy(tok, a + i, alen - i);
    memcpy(tok + (alen - i), b, j);
    return amount_like(tok, alen - i + j);
}

/* Build the text of one cell from its runs keys[0..n) (sorted by centre y):
 * group into lines by vertical overlap, read each line left to right. A
 * number that a full line breaks (a narrow amount column: seed 002
 * `233,875.2` / `6`) joins the next line without a space. */
static ft_err cell_text(ctx *c, sortkey *keys, size_t n, ft_cell *cell,
                        int *cut)
{
    ft_err rc = FT_OK;
    double prev_w = 0, prev_em = 0; /* the line before: width, font size */
    ft_buf_reset(&c->text);
    cell->conf = -1;
    for (size_t i = 0; i < n;) {
        const ft_box *b0 = &c->p->runs[keys[i].run].box;
        double top = b0->y0, bot = b0->y1;
        size_t j = i + 1;
        while (j < n) {
            const ft_box *b = &c->p->runs[keys[j].run].box;
            double lo = b->y0 > top ? b->y0 : top;
            double hi = b->y1 < bot ? b->y1 : bot;
            double hmin = (b->y1 - b->y0) < (bot - top) ? (b->y1 - b->y0)
                                                        : (bot - top);
            if (hmin <= 0 ? fabs((b->y0 + b->y1) / 2 - (top + bot) / 2) > 0.5
                          : hi - lo < NORM_LAT_LINE_OVERLAP * hmin)
                break;
            if (b->y0 < top)
                top = b->y0;
            if (b->y1 > bot)
                bot = b->y1;
            j++;
        }
        qsort(keys + i, j - i, sizeof *keys, cmp_key_x);
        ft_buf_reset(&c->line);
        double lx0 = INFINITY, lx1 = -INFINITY, em = 0;
        for (size_t k = i; k < j && !rc; k++) {
            const ft_run *r = &c->p->runs[keys[k].run];
            rc = norm_textcat_word(&c->line, r->text, r->len);
            if (r->conf >= 0 && (cell->conf < 0 || r->conf < cell->conf))
                cell->conf = r->conf;
            lx0 = fmin(lx0, r->box.x0);
            lx1 = fmax(lx1, r->box.x1);
            em = fmax(em, r->size > 0 ? r->size : r->box.y1 - r->box.y0);
        }
        const char *ls = c->line.data ? c->line.data : "";
        size_t ll = c->line.len;
        ls = norm_trim(ls, &ll);
        /* The line before was full: the cell had no room for another
         * character (NORM_LAT_PAD_PT each side, NORM_LAT_FULL_EM). */
        int full = c->text.len > 0 &&
                   prev_w + NORM_LAT_FULL_EM * prev_em >=
                       (cell->box.x1 - cell->box.x0) - 2 * NORM_LAT_PAD_PT;
        if (!rc && full && number_goes_on(c->text.data, c->text.len, ls, ll))
            rc = ft_buf_append(&c->text, ls, ll);
        else if (!rc)
            rc = norm_textcat_line(&c->text, ls, ll);
        prev_w = lx1 - lx0;
        prev_em = em;
        if (rc == FT_LIMIT) {
            *cut = 1;
            rc = FT_OK;
            break;
        }
        if (rc)
            return rc;
        i = j;
    }
    if (cell->conf >= 0 && cell->conf < NORM_LAT_LOWCONF)
        cell->flags |= FT_CELL_LOWCONF;
    return rc;
}

/* Build the table of the region whose segments are hidx[0..nh) and
 * vidx[0..nv). *found = 1 if it is a table. */
static ft_err region(ctx *c, const size_t *hidx, size_t nh, const size_t *vidx,
                     size_t nv, int *found)
{
    ft_err rc = FT_OK;
    dvec xs = {0}, ys = {0};
    size_t *parent = NULL, *cellof = NULL, *compsize = NULL;
    unsigned char *vborder = NULL, *hborder = NULL;
    sortkey *keys = NULL;
    seg *tmp = NULL;
    unsigned char *flags = NULL;
    size_t nkeys = 0;
    *found = 0;

    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t k = 0; k < nh; k++) {
        const seg *s = &c->h->v[hidx[k]];
        if ((rc = dvec_push(&ys, s->pos)))
            goto out;
        xmin = fmin(xmin, s->a);
        xmax = fmax(xmax, s->b);
    }
    for (size_t k = 0; k < nv; k++) {
        const seg *s = &c->v->v[vidx[k]];
        if ((rc = dvec_push(&xs, s->pos)))
            goto out;
        ymin = fmin(ymin, s->a);
        ymax = fmax(ymax, s->b);
    }
    unique_lines(&xs);
    unique_lines(&ys);
    /* Open sides: rules running past the outermost crossing line end at the
     * table's edge. */
    if (xs.n && xmin < xs.v[0] - NORM_LAT_SNAP && (rc = dvec_push(&xs, xmin)))
        goto out;
    if (xs.n && xmax > xs.v[xs.n - 1] + NORM_LAT_SNAP &&
        (rc = dvec_push(&xs, xmax)))
        goto out;
    if (ys.n && ymin < ys.v[0] - NORM_LAT_SNAP && (rc = dvec_push(&ys, ymin)))
        goto out;
    if (ys.n && ymax > ys.v[ys.n - 1] + NORM_LAT_SNAP &&
        (rc = dvec_push(&ys, ymax)))
        goto out;
    unique_lines(&xs);
    unique_lines(&ys);
    if (xs.n < 2 || ys.n < 2)
        goto out;
    tmp = malloc(((nh > nv ? nh : nv) + 1) * sizeof *tmp);
    flags = malloc(xs.n > ys.n ? xs.n : ys.n);
    if (!tmp || !flags) {
        rc = FT_NOMEM;
        goto out;
    }
    /* A line that borders no slot edge anywhere (a short tick, a rule of a
     * neighbouring drawing that touches the table) would add a column or row
     * that every cell spans: drop it. Columns, then rows on the remaining
     * columns, then columns again on the remaining rows. */
    for (int pass = 0; pass < 3; pass++) {
        int cols = pass != 1;
        dvec *lines = cols ? &xs : &ys;
        const dvec *cuts = cols ? &ys : &xs;
        size_t out_n = 1;
        for (size_t j = 1; j + 1 < lines->n; j++) {
            line_borders(cols ? c->v : c->h, cols ? vidx : hidx,
                         cols ? nv : nh, lines->v[j], cuts->v, cuts->n, flags,
                         tmp);
            int any = 0;
            for (size_t k = 0; k + 1 < cuts->n && !any; k++)
                any = flags[k];
            if (any)
                lines->v[out_n++] = lines->v[j];
        }
        lines->v[out_n++] = lines->v[lines->n - 1];
        lines->n = out_n;
    }
    size_t ncols = xs.n - 1, nrows = ys.n - 1;
    if (nrows * ncols < NORM_LAT_MIN_SLOTS)
        goto out;
    if (ncols > FT_MAX_TABLE_COLS || nrows > FT_MAX_TABLE_SLOTS / ncols) {
        rc = norm_page_warn(c->out, "ruled region of %zux%zu slots is past the "
                            "limit of %u; read as unruled text", nrows, ncols,
                            FT_MAX_TABLE_SLOTS);
        goto out;
    }
    size_t nslots = nrows * ncols;
    parent = malloc(nslots * sizeof *parent);
    cellof = malloc(nslots * sizeof *cellof);
    compsize = calloc(nslots, sizeof *compsize);
    vborder = malloc(nslots); /* border at the right of slot (r,c) */
    hborder = malloc(nslots); /* border below slot (r,c) */
    if (!parent || !cellof || !compsize || !vborder || !hborder) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nslots; i++) {
        parent[i] = i;
        cellof[i] = SIZE_MAX;
    }
    for (size_t col = 0; col + 1 < ncols; col++) {
        line_borders(c->v, vidx, nv, xs.v[col + 1], ys.v, ys.n, flags, tmp);
        for (size_t r = 0; r < nrows; r++)
            vborder[r * ncols + col] = flags[r];
    }
    for (size_t r = 0; r + 1 < nrows; r++) {
        line_borders(c->h, hidx, nh, ys.v[r + 1], xs.v, xs.n, flags, tmp);
        for (size_t col = 0; col < ncols; col++)
            hborder[r * ncols + col] = flags[col];
    }
    for (size_t r = 0; r < nrows; r++)
        for (size_t col = 0; col < ncols; col++) {
            size_t s = r * ncols + col;
            if (col + 1 < ncols && !vborder[s])
                uf_union(parent, s, s + 1);
            if (r + 1 < nrows && !hborder[s])
                uf_union(parent, s, s + ncols);
        }
    for (size_t s = 0; s < nslots; s++)
        compsize[uf_find(parent, s)]++;

    norm_item *item;
    ft_table *t;
    if ((rc = norm_page_add_table(c->out, &t, &item)))
        goto out;
    strcpy(t->method, "lattice");
    t->page_first = t->page_last = c->p->number;
    t->nrows = (unsigned)nrows;
    t->ncols = (unsigned)ncols;
    t->box = (ft_box){xs.v[0], ys.v[0], xs.v[ncols], ys.v[nrows]};
    t->has_box = 1;
    item->key_y = ys.v[0];
    item->key_x = xs.v[0];
    /* Which columns of the top edge have no rule (for top_open, below). */
    line_borders(c->h, hidx, nh, ys.v[0], xs.v, xs.n, flags, tmp);
    /* Cells: greedy rectangles over the slot components, row-major. */
    int nonrect = 0;
    for (size_t r = 0; r < nrows; r++)
        for (size_t col = 0; col < ncols; col++) {
            size_t s = r * ncols + col;
            if (cellof[s] != SIZE_MAX)
                continue;
            size_t root = uf_find(parent, s);
            size_t w = 1, hgt = 1;
            while (col + w < ncols && cellof[s + w] == SIZE_MAX &&
                   uf_find(parent, s + w) == root)
                w++;
            for (;;) {
                size_t r2 = r + hgt;
                if (r2 >= nrows)
                    break;
                int ok = 1;
                for (size_t k = 0; k < w && ok; k++) {
                    size_t s2 = r2 * ncols + col + k;
                    ok = cellof[s2] == SIZE_MAX && uf_find(parent, s2) == root;
                }
                if (!ok)
                    break;
                hgt++;
            }
            if (w * hgt != compsize[root])
                nonrect = 1;
            ft_cell cell;
            memset(&cell, 0, sizeof cell);
            cell.row = (unsigned)r + 1;
            cell.col = (unsigned)col + 1;
            cell.rowspan = (unsigned)hgt;
            cell.colspan = (unsigned)w;
            cell.page = c->p->number;
            cell.box = (ft_box){xs.v[col], ys.v[r], xs.v[col + w], ys.v[r + hgt]};
            cell.has_box = 1;
            cell.conf = -1;
            cell.text = "";
            size_t idx = t->ncells;
            if ((rc = ft_table_add_cell(t, &cell)))
                goto out;
            for (size_t a = 0; a < hgt; a++)
                for (size_t b = 0; b < w; b++)
                    cellof[(r + a) * ncols + col + b] = idx;
        }
    /* A first-row cell is open at the top when no column along it has a
     * rule there. */
    item->top_open = ft_arena_alloc(&c->out->arena, t->ncells);
    if (!item->top_open) {
        rc = FT_LIMIT;
        goto out;
    }
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *cell = &t->cells[i];
        int open = cell->row == 1;
        for (unsigned k = 0; open && k < cell->colspan; k++)
            open = !flags[cell->col - 1 + k];
        item->top_open[i] = (unsigned char)open;
    }
    if (nonrect && (rc = norm_page_warn(c->out, "table at (%.0f, %.0f): merged "
                                        "cells do not form rectangles; split "
                                        "into rectangles", xs.v[0], ys.v[0])))
        goto out;

    /* Runs by the centre of their box. */
    size_t capk = 0;
    for (size_t i = 0; i < c->p->nruns; i++) {
        if (c->used[i])
            continue;
        const ft_box *b = &c->p->runs[i].box;
        double cx = (b->x0 + b->x1) / 2, cy = (b->y0 + b->y1) / 2;
        if (!(cx >= xs.v[0] && cx <= xs.v[ncols] && cy >= ys.v[0] &&
              cy <= ys.v[nrows]))
            continue;
        size_t col = locate(xs.v, xs.n, cx), r = locate(ys.v, ys.n, cy);
        size_t idx = cellof[r * ncols + col];
        const ft_cell *cell = &t->cells[idx];
        if (c->d && c->d->verbose &&
            (b->x0 < cell->box.x0 - NORM_LAT_CROSS_TOL ||
             b->x1 > cell->box.x1 + NORM_LAT_CROSS_TOL))
            ft_diag_debug(c->d, "%s: page %u: run '%.*s' crosses a cell "
                          "border; placed by its centre in row %u column %u",
                          c->file, c->p->number,
                          (int)ft_utf8_boundary(c->p->runs[i].text, c->p->runs[i].len < 60 ? c->p->runs[i].len : 60),
                          c->p->runs[i].text, cell->row,
                          cell->col);
        if (nkeys == capk) {
            size_t ncap = capk ? capk * 2 : 256;
            sortkey *n = realloc(keys, ncap * sizeof *n);
            if (!n) {
                rc = FT_NOMEM;
                goto out;
            }
            keys = n;
            capk = ncap;
        }
        keys[nkeys++] = (sortkey){idx, i, cy, b->x0};
        c->used[i] = 1;
    }
    if (nkeys)
        qsort(keys, nkeys, sizeof *keys, cmp_key_y);
    for (size_t i = 0; i < nkeys;) {
        size_t j = i + 1;
        while (j < nkeys && keys[j].cell == keys[i].cell)
            j++;
        ft_cell *cell = &t->cells[keys[i].cell];
        int cut = 0;
        if ((rc = cell_text(c, keys + i, j - i, cell, &cut)))
            goto out;
        if (cut && (rc = norm_page_warn(c->out, "cell text longer than %u "
                                        "bytes; cut", FT_MAX_CELL_LEN)))
            goto out;
        char *s = ft_arena_strndup(&t->arena, c->text.data ? c->text.data : "",
                                   c->text.len);
        if (!s) {
            rc = FT_LIMIT;
            goto out;
        }
        cell = &t->cells[keys[i].cell];
        cell->text = s;
        cell->len = c->text.len;
        i = j;
    }
    /* Header rows: leading rows whose cells with text are all bold. */
    for (unsigned r = 1; r <= NORM_LAT_MAX_HEADER_ROWS && r <= t->nrows; r++) {
        int any = 0, all = 1;
        for (size_t i = 0; i < nkeys && all; i++) {
            const ft_cell *cell = &t->cells[keys[i].cell];
            if (cell->row != r)
                continue;
            any = 1;
            all = (c->p->runs[keys[i].run].flags & FT_RUN_BOLD) != 0;
        }
        if (!any || !all)
            break;
        for (size_t i = 0; i < t->ncells; i++)
            if (t->cells[i].row == r)
                t->cells[i].flags |= FT_CELL_HEADER;
    }
    *found = 1;
out:
    free(xs.v);
    free(ys.v);
    free(parent);
    free(cellof);
    free(compsize);
    free(vborder);
    free(hborder);
    free(keys);
    free(tmp);
    free(flags);
    return rc;
}

/* A region: its root in the union-find and its area, for sorting regions
 * small first, so that a table drawn inside another's cell takes its own
 * runs. */
typedef struct {
    size_t root;
    double area;
    double x0, y0, x1, y1;
    int hash, hasv;
} region_ref;

static int cmp_region(const void *pa, const void *pb)
{
    const region_ref *a = pa, *b = pb;
    if (a->area != b->area)
        return a->area < b->area ? -1 : 1;
    return (a->root > b->root) - (a->root < b->root);
}

/* Segment indexes ordered by the region they belong to. */
typedef struct {
    size_t root, seg;
} member;

static int cmp_member(const void *pa, const void *pb)
{
    const member *a = pa, *b = pb;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return (a->seg > b->seg) - (a->seg < b->seg);
}

ft_err norm_lattice_find(const ft_page *p, unsigned char *used,
                         norm_page_out *out, ft_diag *d, const char *file,
                         size_t *ntables)
{
    segs h = {0}, v = {0};
    size_t *parent = NULL, *hidx = NULL, *vidx = NULL, *slot = NULL;
    region_ref *regs = NULL;
    member *mem = NULL;
    ctx c;
    ft_err rc;
    *ntables = 0;
    memset(&c, 0, sizeof c);
    ft_buf_init(&c.text, FT_MAX_CELL_LEN);
    ft_buf_init(&c.line, FT_MAX_CELL_LEN);
    if ((rc = collect(p, &h, &v)))
        goto out;
    merge_segs(&h);
    merge_segs(&v);
    if (h.n < 1 || v.n < 1)
        goto out;
    size_t n = h.n + v.n;
    parent = malloc(n * sizeof *parent);
    hidx = malloc(h.n * sizeof *hidx);
    vidx = malloc(v.n * sizeof *vidx);
    regs = malloc(n * sizeof *regs);
    slot = malloc(n * sizeof *slot);
    mem = malloc(n * sizeof *mem);
    if (!parent || !hidx || !vidx || !regs || !slot || !mem) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    /* Vertical segments are sorted by x (merge_segs): for each horizontal,
     * visit only the verticals within its x extent. */
    for (size_t i = 0; i < h.n; i++) {
        const seg *hs = &h.v[i];
        size_t lo = 0, hi = v.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (v.v[mid].pos < hs->a - NORM_LAT_TOUCH)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t j = lo; j < v.n && v.v[j].pos <= hs->b + NORM_LAT_TOUCH; j++)
            if (hs->pos >= v.v[j].a - NORM_LAT_TOUCH &&
                hs->pos <= v.v[j].b + NORM_LAT_TOUCH)
                uf_union(parent, i, h.n + j);
    }
    /* One region per root; its extent and whether it has rules of both
     * directions. */
    size_t nregs = 0;
    for (size_t i = 0; i < n; i++)
        if (uf_find(parent, i) == i) {
            slot[i] = nregs;
            regs[nregs++] = (region_ref){i, 0, INFINITY, INFINITY, -INFINITY,
                                         -INFINITY, 0, 0};
        }
    for (size_t k = 0; k < n; k++) {
        size_t root = uf_find(parent, k);
        region_ref *g = &regs[slot[root]];
        mem[k] = (member){root, k};
        if (k < h.n) {
            const seg *s = &h.v[k];
            g->hash = 1;
            g->x0 = fmin(g->x0, s->a), g->x1 = fmax(g->x1, s->b);
            g->y0 = fmin(g->y0, s->pos), g->y1 = fmax(g->y1, s->pos);
        } else {
            const seg *s = &v.v[k - h.n];
            g->hasv = 1;
            g->y0 = fmin(g->y0, s->a), g->y1 = fmax(g->y1, s->b);
            g->x0 = fmin(g->x0, s->pos), g->x1 = fmax(g->x1, s->pos);
        }
    }
    size_t keep = 0;
    for (size_t r = 0; r < nregs; r++)
        if (regs[r].hash && regs[r].hasv) {
            regs[keep] = regs[r];
            regs[keep].area = (regs[r].x1 - regs[r].x0) * (regs[r].y1 - regs[r].y0);
            keep++;
        }
    nregs = keep;
    qsort(regs, nregs, sizeof *regs, cmp_region);
    qsort(mem, n, sizeof *mem, cmp_member);
    c.p = p;
    c.used = used;
    c.out = out;
    c.d = d;
    c.file = file;
    c.h = &h;
    c.v = &v;
    for (size_t r = 0; r < nregs; r++) {
        /* the region's members: a binary search for its root in mem */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (mem[mid].root < regs[r].root)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t nh = 0, nv = 0;
        for (size_t k = lo; k < n && mem[k].root == regs[r].root; k++) {
            if (mem[k].seg < h.n)
                hidx[nh++] = mem[k].seg;
            else
                vidx[nv++] = mem[k].seg - h.n;
        }
        int found;
        if ((rc = region(&c, hidx, nh, vidx, nv, &found)))
            goto out;
        *ntables += (size_t)found;
    }
out:
    free(h.v);
    free(v.v);
    free(parent);
    free(hidx);
    free(vidx);
    free(regs);
    free(slot);
    free(mem);
    ft_buf_cleanup(&c.text);
    ft_buf_cleanup(&c.line);
    return rc;
}
