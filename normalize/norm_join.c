/* Joining a table continued on the next page to the table held from the page
 * before (norm_join.h). */
#include "norm_join.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "norm_textcat.h"

/* Column left edges of a table and its continuation may differ by this many
 * points and still be the same columns. Renderers place a table at the same
 * x on every page; 4 pt absorbs rounding in PDF producers and the snapping of
 * rules in norm_lattice.c (NORM_LAT_SNAP), while real tables with different
 * layouts differ by whole columns (tens of points). Fixture: the two-page
 * ruled table of tests/normalize (join suite). */
#define NORM_JOIN_COL_TOL 4.0

/* Unruled tables have no column rules: their cell boxes are the extents of
 * the text, which varies from page to page. Their continuation must have
 * the same left and right table edges within this many points (two
 * characters of a 10 pt font: a ragged right column shifts the right edge
 * a little; fixtures/pdf/x-en-stats-unruled keeps it within 1 pt), and each
 * column's text must overlap the same column's on the page before. */
#define NORM_JOIN_STREAM_TOL 12.0

/* Most header rows a publisher repeats at the top of each page. Seed 002's
 * wide table repeats one (its `repeat-rows: 2` in fixtures/truth counts the
 * title row above it); three leaves room for two-level headers. */
#define NORM_JOIN_MAX_HEADER_ROWS 3u

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The cell of t whose slot (row, col) is its top-left, or NULL. */
static const ft_cell *cell_at(const ft_table *t, unsigned row, unsigned col)
{
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].row == row && t->cells[i].col == col)
            return &t->cells[i];
    return NULL;
}

/* 1 if rows [r0, r0+k) of t are cut cleanly: no cell crosses the top or
 * the bottom of the band. */
static int clean_band(const ft_table *t, unsigned r0, unsigned k)
{
    unsigned r1 = r0 + k - 1;
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        unsigned last = c->row + c->rowspan - 1;
        if ((c->row < r0 && last >= r0) || (c->row <= r1 && last > r1))
            return 0;
    }
    return 1;
}

/* 1 if rows 1..k of cont equal rows j..j+k-1 of held cell for cell (same
 * spans and texts), both bands cut cleanly. */
static int rows_repeat(const ft_table *held, const ft_table *cont, unsigned j,
                       unsigned k)
{
    if (j + k - 1 > held->nrows || k > cont->nrows ||
        !clean_band(held, j, k) || !clean_band(cont, 1, k))
        return 0;
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < held->ncells; i++) {
        const ft_cell *c = &held->cells[i];
        na += c->row >= j && c->row < j + k;
    }
    for (size_t i = 0; i < cont->ncells; i++) {
        const ft_cell *c = &cont->cells[i];
        if (c->row > k)
            continue;
        const ft_cell *h = cell_at(held, c->row + j - 1, c->col);
        if (!h || h->rowspan != c->rowspan || h->colspan != c->colspan ||
            h->len != c->len || memcmp(h->text, c->text, c->len) != 0)
            return 0;
        nb++;
    }
    return na == nb && nb > 0;
}

unsigned norm_join_repeated_header(const ft_table *held, const ft_table *cont)
{
    /* The header may follow a title row or two that are not repeated (seed
     * 002: the title row, then the column header printed on every page). */
    for (unsigned j = 1; j <= NORM_JOIN_MAX_HEADER_ROWS; j++)
        for (unsigned k = NORM_JOIN_MAX_HEADER_ROWS; k >= 1; k--)
            if (rows_repeat(held, cont, j, k))
                return k;
    return 0;
}

/* 1 if t's first row is one cell across the whole width (a form's title). */
static int title_row(const ft_table *t)
{
    const ft_cell *c = cell_at(t, 1, 1);
    return c && c->colspan == t->ncols && c->rowspan == 1 && c->len > 0;
}

/* The distinct x of the left and right edges of t's cells (within
 * NORM_JOIN_COL_TOL), sorted. Caller frees *out. */
static ft_err bounds(const ft_table *t, double **out, size_t *n)
{
    double *x = malloc((2 * t->ncells + 1) * sizeof *x);
    size_t m = 0;
    *out = NULL;
    *n = 0;
    if (!x)
        return FT_NOMEM;
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].has_box) {
            x[m++] = t->cells[i].box.x0;
            x[m++] = t->cells[i].box.x1;
        }
    qsort(x, m, sizeof *x, cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || x[i] - x[u - 1] > NORM_JOIN_COL_TOL)
            x[u++] = x[i];
    *out = x;
    *n = u;
    return FT_OK;
}

/* 1 if every value of a[0..na) is within NORM_JOIN_COL_TOL of one of b. */
static int subset(const double *a, size_t na, const double *b, size_t nb)
{
    size_t j = 0;
    for (size_t i = 0; i < na; i++) {
        while (j < nb && b[j] < a[i] - NORM_JOIN_COL_TOL)
            j++;
        if (j == nb || fabs(b[j] - a[i]) > NORM_JOIN_COL_TOL)
            return 0;
    }
    return 1;
}

/* Extent [lo[c], hi[c]] of the text of column c (cells of one column). */
static ft_err column_extents(const ft_table *t, double **lo, double **hi)
{
    *lo = malloc(t->ncols * sizeof **lo);
    *hi = malloc(t->ncols * sizeof **hi);
    if (!*lo || !*hi)
        return FT_NOMEM;
    for (unsigned c = 0; c < t->ncols; c++) {
        (*lo)[c] = INFINITY;
        (*hi)[c] = -INFINITY;
    }
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        if (!c->has_box || c->colspan != 1 || c->len == 0 || c->col < 1 ||
            c->col > t->ncols)
            continue;
        (*lo)[c->col - 1] = fmin((*lo)[c->col - 1], c->box.x0);
        (*hi)[c->col - 1] = fmax((*hi)[c->col - 1], c->box.x1);
    }
    return FT_OK;
}

/* norm_join_compatible() for unruled tables. */
static norm_join_fit stream_fit(const ft_table *held, const ft_table *cont)
{
    double *la = NULL, *ha = NULL, *lb = NULL, *hb = NULL;
    norm_join_fit fit = NORM_JOIN_NO;
    if (held->ncols != cont->ncols ||
        fabs(held->box.x0 - cont->box.x0) > NORM_JOIN_STREAM_TOL ||
        fabs(held->box.x1 - cont->box.x1) > NORM_JOIN_STREAM_TOL)
        return NORM_JOIN_NO;
    if (column_extents(held, &la, &ha) || column_extents(cont, &lb, &hb))
        goto out;
    fit = NORM_JOIN_SAME;
    for (unsigned c = 0; c < held->ncols; c++)
        if (la[c] <= ha[c] && lb[c] <= hb[c] && (ha[c] < lb[c] || hb[c] < la[c]))
            fit = NORM_JOIN_NO;
out:
    free(la);
    free(ha);
    free(lb);
    free(hb);
    return fit;
}

norm_join_fit norm_join_compatible(const ft_table *held, const ft_table *cont)
{
    norm_join_fit fit = NORM_JOIN_NO;
    double *a = NULL, *b = NULL;
    size_t na, nb;
    if (strcmp(held->method, cont->method) != 0)
        return NORM_JOIN_NO;
    /* A table that opens with the same title as the held one is the next
     * copy of the same form, not its continuation: publishers repeat column
     * headers over pages, never the form's title (seed 000 prints its two
     * forms one after the other). */
    if (title_row(cont) && title_row(held) && rows_repeat(held, cont, 1, 1))
        return NORM_JOIN_NO;
    if (!held->has_box || !cont->has_box)
        return held->ncols == cont->ncols ? NORM_JOIN_SAME : NORM_JOIN_NO;
    if (strcmp(held->method, "lattice") != 0)
        return stream_fit(held, cont);
    if (bounds(held, &a, &na) || bounds(cont, &b, &nb) || na < 2 || nb < 2)
        goto out;
    if (fabs(a[0] - b[0]) > NORM_JOIN_COL_TOL ||
        fabs(a[na - 1] - b[nb - 1]) > NORM_JOIN_COL_TOL)
        goto out;
    if (na == nb && subset(a, na, b, nb)) {
        fit = held->ncols == cont->ncols ? NORM_JOIN_SAME : NORM_JOIN_NO;
        goto out;
    }
    /* A ruled table whose page lacks a column rule the other page has (seed
     * 001's 自评表: the 偏差原因分析 column is split only on its second page)
     * is still the same table when one set of column edges contains the
     * other. Unruled tables have no column rules to compare. */
    if (!strcmp(held->method, "lattice") &&
        (subset(a, na, b, nb) || subset(b, nb, a, na)))
        fit = NORM_JOIN_REGRID;
out:
    free(a);
    free(b);
    return fit;
}

/* Index of the value of x[0..n) within NORM_JOIN_COL_TOL of v, or n. */
static size_t find_bound(const double *x, size_t n, double v)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i] - v) <= NORM_JOIN_COL_TOL)
            return i;
    return n;
}

/* Renumber the columns of t onto the edges x[0..n) (a superset of its own):
 * cells keep their boxes and get the columns between their edges. */
static ft_err regrid(ft_table *t, const double *x, size_t n)
{
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        if (!c->has_box)
            return FT_INTERNAL;
        size_t i0 = find_bound(x, n, c->box.x0), i1 = find_bound(x, n, c->box.x1);
        if (i0 >= n || i1 >= n || i1 <= i0)
            return FT_INTERNAL;
    }
    for (size_t i = 0; i < t->ncells; i++) {
        ft_cell *c = &t->cells[i];
        size_t i0 = find_bound(x, n, c->box.x0), i1 = find_bound(x, n, c->box.x1);
        c->col = (unsigned)i0 + 1;
        c->colspan = (unsigned)(i1 - i0);
    }
    t->ncols = (unsigned)(n - 1);
    return FT_OK;
}

ft_err norm_join_regrid(ft_table *held, ft_table *cont)
{
    double *a = NULL, *b = NULL;
    size_t na, nb;
    ft_err rc;
    if ((rc = bounds(held, &a, &na)) || (rc = bounds(cont, &b, &nb)))
        goto out;
    const double *x = na >= nb ? a : b;
    size_t n = na >= nb ? na : nb;
    if (n - 1 > FT_MAX_TABLE_COLS) {
        rc = FT_LIMIT;
        goto out;
    }
    if ((rc = regrid(held, x, n)) || (rc = regrid(cont, x, n)))
        goto out;
out:
    free(a);
    free(b);
    return rc;
}

/* owner[c] = index in held of the cell covering slot (held->nrows, c+1). */
static void last_row_owners(const ft_table *held, size_t *owner)
{
    for (size_t i = 0; i < held->ncells; i++) {
        const ft_cell *c = &held->cells[i];
        if (c->row <= held->nrows && c->row + c->rowspan - 1 >= held->nrows)
            for (unsigned k = 0; k < c->colspan && c->col - 1 + k < held->ncols;
                 k++)
                owner[c->col - 1 + k] = i;
    }
}

static ft_err append_text(ft_table *t, size_t idx, const char *s, size_t len)
{
    ft_buf b;
    ft_buf_init(&b, FT_MAX_CELL_LEN * 2);
    ft_cell *c = &t->cells[idx];
    ft_err rc = ft_buf_append(&b, c->text, c->len);
    if (!rc)
        rc = norm_textcat_line(&b, s, len);
    if (!rc) {
        char *text = ft_arena_strndup(&t->arena, b.data ? b.data : "", b.len);
        if (!text) {
            rc = FT_LIMIT;
        } else {
            c = &t->cells[idx];
            c->text = text;
            c->len = b.len;
            c->flags |= FT_CELL_CONTINUED;
        }
    }
    ft_buf_cleanup(&b);
    return rc;
}

/* How cont's first row (row `first`) meets held's last row. */
typedef enum {
    MEET_NEW_ROW,   /* a new row; some of its cells may extend cells above */
    MEET_FUSE       /* the row is the rest of held's last row */
} meet_kind;

/* Plan how cont's row `first` is fused into held's last row: for each cell of
 * that row, skip[i] = 1 when it disappears into the cell above (whose index
 * goes in into[i], text appended, row span grown by its row span - 1).
 * frag: a text fragment cell index (or SIZE_MAX) whose text goes to the
 * right-most non-empty cell at or after its column. Returns 1 if every cell
 * of the row can be absorbed. */
static int plan_fuse(const ft_table *held, const ft_table *cont,
                     unsigned first, const size_t *owner, size_t frag,
                     unsigned char *skip, size_t *into)
{
    for (size_t i = 0; i < cont->ncells; i++) {
        const ft_cell *c = &cont->cells[i];
        if (c->row != first)
            continue;
        size_t o = owner[c->col - 1];
        const ft_cell *h = &held->cells[o];
        if (i == frag) {
            if (c->rowspan != 1 || c->colspan != 1)
                return 0;
            size_t target = o;
            for (unsigned k = held->ncols; k-- > c->col - 1;)
                if (held->cells[owner[k]].len > 0) {
                    target = owner[k];
                    break;
                }
            skip[i] = 1;
            into[i] = target;
            continue;
        }
        if (h->col == c->col && h->colspan == c->colspan) {
            skip[i] = 1;
            into[i] = o;
        } else if (c->rowspan == 1 && c->len == 0) {
            skip[i] = 1; /* an empty slot inside a wider cell above */
            into[i] = SIZE_MAX;
        } else {
            return 0;
        }
    }
    return 1;
}

ft_err norm_join_append(ft_table *held, const ft_table *cont,
                        const unsigned char *top_open)
{
    ft_err rc = FT_OK;
    size_t *owner = NULL, *into = NULL;
    unsigned char *skip = NULL;
    if (held->ncols != cont->ncols || held->ncols == 0)
        return FT_INTERNAL;
    if ((size_t)(held->nrows + cont->nrows) * held->ncols > FT_MAX_TABLE_SLOTS ||
        held->arena.used + 2 * cont->arena.used + FT_MAX_CELL_LEN >
            held->arena.max)
        return FT_LIMIT;
    owner = calloc(held->ncols, sizeof *owner);
    into = calloc(cont->ncells ? cont->ncells : 1, sizeof *into);
    skip = calloc(cont->ncells ? cont->ncells : 1, 1);
    if (!owner || !into || !skip) {
        rc = FT_NOMEM;
        goto out;
    }
    last_row_owners(held, owner);

    unsigned k = norm_join_repeated_header(held, cont);
    for (size_t i = 0; i < cont->ncells; i++)
        if (cont->cells[i].row <= k)
            skip[i] = 1, into[i] = SIZE_MAX;
    unsigned first = k + 1;
    meet_kind meet = MEET_NEW_ROW;
    if (k == 0 && first <= cont->nrows) {
        int is_text = strcmp(cont->method, "text") == 0;
        /* The first row's leading empty cells and its non-empty cells. */
        unsigned lead = 0;
        size_t nonempty = 0, frag = SIZE_MAX;
        int all_open = top_open != NULL;
        for (size_t i = 0; top_open && i < cont->ncells; i++)
            if (cont->cells[i].row == first && !top_open[i])
                all_open = 0;
        for (unsigned c = 1; c <= cont->ncols; c++) {
            const ft_cell *cell = cell_at(cont, first, c);
            if (!cell)
                continue;
            if (cell->len == 0 && lead + 1 == c && cell->colspan == 1)
                lead = c;
            if (cell->len > 0) {
                nonempty++;
                frag = (size_t)(cell - cont->cells);
            }
        }
        if (all_open) {
            if (plan_fuse(held, cont, first, owner, SIZE_MAX, skip, into))
                meet = MEET_FUSE;
        } else if (is_text && lead > 0 && nonempty == 1) {
            if (plan_fuse(held, cont, first, owner, frag, skip, into))
                meet = MEET_FUSE;
        }
        if (meet == MEET_NEW_ROW)
            for (size_t i = 0; i < cont->ncells; i++)
                if (cont->cells[i].row == first)
                    skip[i] = 0;
        if (meet == MEET_NEW_ROW && top_open) {
            /* A first-row cell open along its whole top continues the cell
             * above it when that cell has the same columns. */
            for (size_t i = 0; i < cont->ncells; i++) {
                const ft_cell *cell = &cont->cells[i];
                if (cell->row != first)
                    continue;
                int open = top_open[i] != 0;
                const ft_cell *h = &held->cells[owner[cell->col - 1]];
                if (open && h->col == cell->col && h->colspan == cell->colspan) {
                    skip[i] = 1;
                    into[i] = owner[cell->col - 1];
                }
            }
        } else if (meet == MEET_NEW_ROW && is_text && lead > 0) {
            /* Leading empty fields continue the cells above (as within a
             * page): each held cell of the last row lying wholly in the
             * leading columns grows down over the cells below it, when these
             * all have the same row span. */
            for (unsigned c = 1; c <= lead;) {
                const ft_cell *h = &held->cells[owner[c - 1]];
                unsigned h1 = h->col + h->colspan - 1;
                int ok = h->col == c && h1 <= lead;
                unsigned rs = 0;
                for (unsigned x = c; ok && x <= h1; x++) {
                    const ft_cell *cell = cell_at(cont, first, x);
                    if (!cell || cell->colspan != 1 || (rs && cell->rowspan != rs))
                        ok = 0;
                    else
                        rs = cell->rowspan;
                }
                for (unsigned x = c; ok && x <= h1; x++) {
                    size_t i = (size_t)(cell_at(cont, first, x) - cont->cells);
                    skip[i] = 1;
                    into[i] = owner[c - 1];
                }
                c = ok ? h1 + 1 : c + 1;
            }
        }
    }

    /* Apply. Rows of cont below the dropped header land after held's rows,
     * or one row earlier when the first row is fused into held's last. */
    unsigned base = held->nrows - (meet == MEET_FUSE ? 1u : 0u);
    for (size_t i = 0; i < cont->ncells; i++) {
        const ft_cell *c = &cont->cells[i];
        if (skip[i]) {
            if (into[i] == SIZE_MAX)
                continue;
            ft_cell *h = &held->cells[into[i]];
            if (meet == MEET_NEW_ROW)
                h->rowspan += c->rowspan; /* extended over new rows */
            else if (h->col == c->col && h->colspan == c->colspan)
                h->rowspan += c->rowspan - 1;
            if (c->len && (rc = append_text(held, into[i], c->text, c->len)))
                goto out;
            continue;
        }
        ft_cell n = *c;
        n.row = c->row - k + base;
        if ((rc = ft_table_add_cell(held, &n)))
            goto out;
    }
    held->nrows = base + (cont->nrows - k);
    held->page_last = cont->page_last;
out:
    free(owner);
    free(into);
    free(skip);
    return rc;
}
