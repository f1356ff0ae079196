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
 * fixtures/stream/ or fixtures/pdf/ that set it; the column and row steps
 * keep theirs in norm_stream_cols.c and norm_stream_rows.c. */
#include "norm_stream.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"
#include "norm_stream_int.h"


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


/* A table has at least this many columns, and at least NORM_STREAM_MIN_ROWS
 * multi-segment lines, or two such lines and NORM_STREAM_MIN_COLS_2ROWS
 * columns: two lines of two segments are a signature block or a title with a
 * date as often as a table (unit case "two lines are no table"). */
#define NORM_STREAM_MIN_COLS 2
#define NORM_STREAM_MIN_ROWS 3
#define NORM_STREAM_MIN_COLS_2ROWS 3


/* A one-segment line at the top or bottom of a region further from the table
 * than this factor times the region's usual line gap is a title or a note,
 * not a row (fixture stream/en-notes). */
#define NORM_STREAM_EDGE_GAP 1.6


/* Rounds of norm__aligned_rivers (each splits a column at most once; a
 * form's grid hid at most two columns in one, fixture
 * pdf/seed003-forms-unruled). */
#define NORM_STREAM_SPLIT_ROUNDS 4

/* Recursion depth of splits (side by side, or runs re-cut at rivers). */
#define NORM_STREAM_MAX_DEPTH 4


/* Rounds of dropping columns that own no segment (each round drops all such
 * at once; another is needed only when a merge moves a span). */
#define NORM_STREAM_MERGE_ROUNDS 4


static void workset_free(workset *w)
{
    free(w->order);
    free(w->segs);
    free(w->lines);
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


/* 1 if the text reads as a value rather than words: at least one digit and
 * nothing but digits, separators, signs, currency, percent, comparison and
 * parentheses; or a lone dash (a nil marker). Full-width forms count. */
int norm__text_numeric(const char *s, size_t len)
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
            if (!norm__text_numeric(piece_text(c, pc), pc->len))
                g->numeric = 0;
        }
    }
out:
    free(keys);
    return rc;
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
    if ((rc = norm__find_rivers(w, a, b, sel,
                                (int)(nfull / NORM_STREAM_CROSS_DIV),
                                NORM_STREAM_MIN_RIVER_EM * em, &rv, &nr)))
        goto out;
    if (nr + 1 < NORM_STREAM_MIN_COLS)
        goto out;
    double x0 = INFINITY, x1 = -INFINITY;
    for (size_t i = a; i <= b; i++) {
        x0 = fmin(x0, w->lines[i].box.x0);
        x1 = fmax(x1, w->lines[i].box.x1);
    }
    norm__assign_all(w, a, b, rv, nr, x0, x1);
    /* columns that spans hid: split cells holding two segments a line */
    for (int round = 0; round < NORM_STREAM_SPLIT_ROUNDS; round++) {
        size_t nadd = 0;
        if ((rc = norm__aligned_rivers(w, a, b,
                                       NORM_STREAM_MIN_RIVER_EM * em, &rv,
                                       &nr, &nadd)))
            goto out;
        if (nadd == 0)
            break;
        norm__assign_all(w, a, b, rv, nr, x0, x1);
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
        norm__assign_all(w, a, b, rv, nr, x0, x1);
    }
    if (nr + 1 < NORM_STREAM_MIN_COLS)
        goto out;
    norm__column_types(w, a, b, nr + 1, tally, numeric);
    /* runs that extract joined across a river: cut them and start again */
    if (depth < NORM_STREAM_MAX_DEPTH) {
        size_t np = 0, ncuts = 0;
        if ((rc = norm__cut_crossers(c, w, a, b, rv, nr, numeric, em, &sub,
                                     &np, &ncuts)))
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
                set_apart(&w->lines[b],
                          w->lines[b].top - w->lines[b - 1].bottom,
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
        size_t j =
            norm__side_by_side(w, a + ncap, b, rv, nr, numeric, em, &rc);
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
        g.ruled[i - a] = (unsigned char)norm__rule_between(
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
    rc = norm__emit_table(c, w, &g);
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
                           L->box.x1 - L->box.x0 >=
                               NORM_STREAM_PARA_FRAC * width &&
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
        while (len > off &&
               (r->text[len - 1] == ' ' || r->text[len - 1] == '\t'))
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
