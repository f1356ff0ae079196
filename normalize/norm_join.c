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

/* Most header rows a publisher repeats at the top of each page. Seed 002's
 * wide table repeats one (its `repeat-rows: 2` in fixtures/truth counts the
 * title row above it); three leaves room for two-level headers. */
#define NORM_JOIN_MAX_HEADER_ROWS 3u

/* Left edge of each column: the smallest x0 of a cell starting there, NAN
 * where no cell with a box starts in the column. Caller frees. */
static double *column_lefts(const ft_table *t)
{
    double *x = malloc((t->ncols ? t->ncols : 1) * sizeof *x);
    if (!x)
        return NULL;
    for (unsigned c = 0; c < t->ncols; c++)
        x[c] = NAN;
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *cell = &t->cells[i];
        if (!cell->has_box || cell->col < 1 || cell->col > t->ncols)
            continue;
        double *v = &x[cell->col - 1];
        if (isnan(*v) || cell->box.x0 < *v)
            *v = cell->box.x0;
    }
    return x;
}

int norm_join_compatible(const ft_table *held, const ft_table *cont)
{
    if (strcmp(held->method, cont->method) != 0 || held->ncols != cont->ncols)
        return 0;
    if (!held->has_box || !cont->has_box)
        return 1;
    double *a = column_lefts(held), *b = column_lefts(cont);
    int ok = a && b;
    for (unsigned c = 0; ok && c < held->ncols; c++)
        if (!isnan(a[c]) && !isnan(b[c]) && fabs(a[c] - b[c]) > NORM_JOIN_COL_TOL)
            ok = 0;
    free(a);
    free(b);
    return ok;
}

/* The cell of t whose slot (row, col) is its top-left, or NULL. */
static const ft_cell *cell_at(const ft_table *t, unsigned row, unsigned col)
{
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].row == row && t->cells[i].col == col)
            return &t->cells[i];
    return NULL;
}

/* 1 if rows 1..k of cont are cut cleanly (no cell crosses below row k) and
 * equal rows 1..k of held cell for cell. */
static int rows_repeat(const ft_table *held, const ft_table *cont, unsigned k)
{
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < held->ncells; i++) {
        const ft_cell *c = &held->cells[i];
        if (c->row <= k) {
            if (c->row + c->rowspan - 1 > k)
                return 0;
            na++;
        }
    }
    for (size_t i = 0; i < cont->ncells; i++) {
        const ft_cell *c = &cont->cells[i];
        if (c->row > k)
            continue;
        if (c->row + c->rowspan - 1 > k)
            return 0;
        const ft_cell *h = cell_at(held, c->row, c->col);
        if (!h || h->rowspan != c->rowspan || h->colspan != c->colspan ||
            h->len != c->len || memcmp(h->text, c->text, c->len) != 0)
            return 0;
        nb++;
    }
    return na == nb && nb > 0;
}

unsigned norm_join_repeated_header(const ft_table *held, const ft_table *cont)
{
    unsigned max = NORM_JOIN_MAX_HEADER_ROWS;
    if (max > held->nrows)
        max = held->nrows;
    if (max > cont->nrows)
        max = cont->nrows;
    for (unsigned k = max; k >= 1; k--)
        if (rows_repeat(held, cont, k))
            return k;
    return 0;
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
    MEET_NEW_ROW,   /* an ordinary new row */
    MEET_FUSE,      /* the row is the rest of held's last row */
    MEET_LEADING    /* text: leading empty cells continue the cells above */
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

ft_err norm_join_append(ft_table *held, const ft_table *cont, int top_open)
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
        if (top_open) {
            if (plan_fuse(held, cont, first, owner, SIZE_MAX, skip, into))
                meet = MEET_FUSE;
        } else if (is_text && lead > 0 && nonempty == 1) {
            if (plan_fuse(held, cont, first, owner, frag, skip, into))
                meet = MEET_FUSE;
        } else if (is_text && lead > 0) {
            meet = MEET_LEADING;
        }
        if (meet == MEET_NEW_ROW)
            for (size_t i = 0; i < cont->ncells; i++)
                if (cont->cells[i].row == first)
                    skip[i] = 0;
        if (meet == MEET_LEADING) {
            /* Each held cell of the last row lying wholly in the leading
             * columns grows down over the leading cells below it, when these
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
            if (meet == MEET_LEADING)
                h->rowspan += c->rowspan;
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
