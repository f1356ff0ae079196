/* Rows of an unruled table (norm_stream_int.h): lines joined into rows
 * where a line continues the cells above (wrap and pitch evidence, rules),
 * header rows, section rows and spans, and the ft_table with its cells. */
#include "norm_stream_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"
#include "ft_utf8.h"

/* Inside a segment, a gap wider than this many ems is written as a space
 * (a narrower one is kerning, and CJK text has none). */
#define NORM_STREAM_SPACE_GAP_EM 0.15

/* A continuation line starts at most this many line heights below the row
 * above (wrapped lines are set at the body leading). */
#define NORM_STREAM_WRAP_GAP 1.0

/* Wrap evidence: a line continues the cell above when its first word would
 * not have fitted after the text above within the column (how word wrapping
 * decides), with this many ems of tolerance for the cell's padding. */
#define NORM_STREAM_WRAP_SLACK_EM 0.5

/* Section spans: when at least this many consecutive rows have a left-
 * aligned text in column c and nothing of their own in column c+1, the text
 * cells of c span c+1 (a form whose grid has a column its section never
 * uses: fixture pdf/seed003-forms-unruled, the 三级指标 and 指标值 columns of
 * the indicator block). Two rows are not enough: a price list leaves a
 * code empty on two rows running (fixture pdf/x-en-pricelist-unruled). */
#define NORM_STREAM_SECTION_ROWS 3

typedef struct {
    size_t la, lb;         /* lines of the row */
} row;

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
int norm__rule_between(const ctx *c, double x0, double x1, double y_top,
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

ft_err norm__emit_table(ctx *c, workset *w, region *g)
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
                cb.x0 = norm__col_bound(g->rv, g->nr, k, g->x0, g->x1);
                cb.x1 = norm__col_bound(g->rv, g->nr, (size_t)endcol[k] + 1,
                                        g->x0, g->x1);
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
