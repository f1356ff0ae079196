/* The rows of a text-dump table and how they become cells (norm_textgrid.h
 * states the rules and the seeds behind them). */
#include "norm_textgrid.h"

#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"
#include "norm_textalign.h"
#include "norm_textcat.h"

/* Bytes the grid's arena may hold: the fields of the largest table the
 * stream allows plus the text joined from page-break fragments, which comes
 * from one page. */
#define NORM_TGRID_ARENA_MAX \
    ((size_t)FT_MAX_TABLE_SLOTS * sizeof(norm_tfield) + FT_MAX_PAGE_TEXT_LEN)

void norm_tgrid_init(norm_tgrid *g, unsigned cap_cols)
{
    memset(g, 0, sizeof *g);
    g->cap_cols = cap_cols ? cap_cols : 1;
    ft_arena_init(&g->arena, NORM_TGRID_ARENA_MAX);
}

void norm_tgrid_cleanup(norm_tgrid *g)
{
    free(g->rows);
    ft_arena_cleanup(&g->arena);
    memset(g, 0, sizeof *g);
}

void norm_tgrid_reset(norm_tgrid *g)
{
    g->nrows = 0;
    g->ncols = 0;
    ft_arena_reset(&g->arena);
}

int norm_tgrid_has(const norm_tgrid *g, size_t r, unsigned c)
{
    return c < g->ncols && g->rows[r].f[c].len > 0;
}

/* Split text into at most cap fields (the rest folds into the last). */
static unsigned split(const char *text, size_t len, norm_tfield *f,
                      unsigned cap, int *folded)
{
    unsigned n = 0;
    const char *s = text, *end = text + len;
    *folded = 0;
    while (n < cap) {
        const char *tab = memchr(s, '\t', (size_t)(end - s));
        if (tab && n + 1 == cap) {
            *folded = 1;
            tab = NULL;
        }
        size_t flen = (size_t)((tab ? tab : end) - s);
        f[n].s = norm_trim(s, &flen);
        f[n].len = flen;
        n++;
        if (!tab)
            break;
        s = tab + 1;
    }
    return n;
}

static ft_err join_fragment(norm_tgrid *g, norm_trow *prev, unsigned at,
                            const norm_tfield *frag)
{
    unsigned target = prev->nraw;
    for (unsigned c = prev->nraw; c-- > at;)
        if (prev->f[c].len) {
            target = c;
            break;
        }
    if (target == prev->nraw)
        for (unsigned c = prev->nraw; c-- > 0;)
            if (prev->f[c].len) {
                target = c;
                break;
            }
    if (target == prev->nraw)
        target = at < prev->nraw ? at : prev->nraw - 1;
    ft_buf b;
    ft_err rc;
    ft_buf_init(&b, FT_MAX_CELL_LEN * 2);
    rc = ft_buf_append(&b, prev->f[target].s, prev->f[target].len);
    if (!rc)
        rc = norm_textcat_line(&b, frag->s, frag->len);
    if (!rc) {
        char *s = ft_arena_strndup(&g->arena, b.data ? b.data : "", b.len);
        if (!s)
            rc = FT_LIMIT;
        else {
            prev->f[target].s = s;
            prev->f[target].len = b.len;
        }
    }
    ft_buf_cleanup(&b);
    return rc;
}

ft_err norm_tgrid_add_line(norm_tgrid *g, const char *text, size_t len,
                           unsigned long line, int after_gap, int *folded)
{
    ft_err rc = FT_OK;
    norm_tfield *f = ft_arena_alloc(&g->arena, g->cap_cols * sizeof *f);
    if (!f)
        return FT_LIMIT;
    unsigned n = split(text, len, f, g->cap_cols, folded);
    unsigned lead = 0, nonempty = 0, last = 0;
    while (lead < n && f[lead].len == 0)
        lead++;
    for (unsigned c = 0; c < n; c++)
        if (f[c].len) {
            nonempty++;
            last = c;
        }
    if (after_gap && g->nrows > 0 && lead > 0 && nonempty == 1)
        return join_fragment(g, &g->rows[g->nrows - 1], lead, &f[last]);
    if (g->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        norm_trow *rows = realloc(g->rows, cap * sizeof *rows);
        if (!rows)
            return FT_NOMEM;
        g->rows = rows;
        g->cap = cap;
    }
    norm_trow *r = &g->rows[g->nrows++];
    r->f = f;
    r->nraw = n;
    r->line = line;
    r->title = 0;
    r->section = NORM_TGRID_NONE;
    if (n > g->ncols)
        g->ncols = n;
    return rc;
}

void norm_tgrid_finish(norm_tgrid *g)
{
    for (size_t i = 0; i < g->nrows; i++)
        for (unsigned c = g->rows[i].nraw; c < g->ncols; c++) {
            g->rows[i].f[c].s = "";
            g->rows[i].f[c].len = 0;
        }
    /* Columns empty in every row are not columns of the printed form. */
    while (g->ncols > 1) {
        unsigned c = g->ncols - 1;
        size_t i = 0;
        while (i < g->nrows && g->rows[i].f[c].len == 0)
            i++;
        if (i < g->nrows)
            break;
        g->ncols--;
    }
    for (size_t i = 0; i < g->nrows; i++) {
        norm_trow *r = &g->rows[i];
        unsigned nonempty = 0;
        for (unsigned c = 0; c < g->ncols; c++)
            nonempty += r->f[c].len > 0;
        r->title = g->ncols > 1 && r->f[0].len > 0 && nonempty == 1;
    }
}

/* ---- building the cells ---- */

typedef struct {
    const norm_tgrid *g;
    ft_table *t;
    unsigned page;
    size_t *prev;        /* cell index owning each slot of the previous row */
    size_t *cur;
    unsigned char *bound;/* boundary columns of the current row */
    unsigned char *gbound;/* boundary columns of the current group */
    size_t *group;       /* first row of each row's group */
} builder;

static ft_err add_cell(builder *b, unsigned row, unsigned col,
                       unsigned colspan, const norm_tfield *f, size_t *index)
{
    ft_cell c;
    memset(&c, 0, sizeof c);
    c.row = row;
    c.col = col;
    c.rowspan = 1;
    c.colspan = colspan;
    c.page = b->page;
    c.conf = -1;
    c.text = f ? (char *)f->s : (char *)"";
    c.len = f ? f->len : 0;
    *index = b->t->ncells;
    return ft_table_add_cell(b->t, &c);
}

static int ends_with_colon(const norm_tfield *f)
{
    if (f->len == 0)
        return 0;
    if (f->s[f->len - 1] == ':')
        return 1;
    /* U+FF1A FULLWIDTH COLON */
    return f->len >= 3 && memcmp(f->s + f->len - 3, "\xef\xbc\x9a", 3) == 0;
}

/* Row groups: a row with text in its first column (or a title) starts one. */
static void find_groups(const norm_tgrid *g, size_t *group)
{
    for (size_t i = 0; i < g->nrows; i++) {
        int start = i == 0 || g->rows[i].title || g->rows[i].f[0].len > 0 ||
                    g->rows[group[i - 1]].title;
        group[i] = start ? i : group[i - 1];
    }
}

/* The boundary columns of the group that starts at row first: text in a row
 * of the group, the empty value of a `label:` followed by another label. */
static void group_boundaries(const builder *b, size_t first,
                             unsigned char *bound)
{
    const norm_tgrid *g = b->g;
    memset(bound, 0, g->ncols);
    bound[0] = 1;
    for (size_t k = first; k < g->nrows && b->group[k] == first; k++) {
        const norm_trow *r = &g->rows[k];
        for (unsigned c = 0; c < g->ncols; c++) {
            if (!r->f[c].len)
                continue;
            bound[c] = 1;
            if (c + 1 < g->ncols && !r->f[c + 1].len && ends_with_colon(&r->f[c])) {
                unsigned n = c + 1;
                while (n < g->ncols && !r->f[n].len)
                    n++;
                if (n == g->ncols ||
                    norm_textalign_type(r->f[n].s, r->f[n].len) == NORM_TT_SHORT)
                    bound[c + 1] = 1;
            }
        }
    }
}

/* Row i's boundaries: its group's, and the columns its section's header
 * names. */
static void boundaries(const builder *b, size_t i, unsigned char *bound)
{
    const norm_tgrid *g = b->g;
    memcpy(bound, b->gbound, g->ncols);
    size_t h = g->rows[i].section;
    if (h != NORM_TGRID_NONE)
        for (unsigned c = 0; c < g->ncols; c++)
            if (g->rows[h].f[c].len)
                bound[c] = 1;
}

/* Row i holds values under the headings of row i-1: row i-1 (not a title, in
 * the same group) has at least two cells past the first column, all short;
 * row i has long text only, each under one of those cells, and nothing in
 * its first column (seed 004 `项目总目标 | 年度总体目标` over the goal). */
static int heading_value(const norm_tgrid *g, size_t i)
{
    if (i == 0 || g->rows[i - 1].title || g->rows[i].f[0].len)
        return 0;
    const norm_trow *p = &g->rows[i - 1], *r = &g->rows[i];
    unsigned nhead = 0, nval = 0;
    for (unsigned c = 1; c < g->ncols; c++)
        if (p->f[c].len) {
            if (norm_textalign_type(p->f[c].s, p->f[c].len) != NORM_TT_SHORT)
                return 0;
            nhead++;
        }
    if (nhead < 2)
        return 0;
    for (unsigned c = 0; c < g->ncols; c++)
        if (r->f[c].len) {
            if (!p->f[c].len ||
                norm_textalign_type(r->f[c].s, r->f[c].len) != NORM_TT_LONG)
                return 0;
            nval++;
        }
    return nval > 0;
}

static ft_err build_row(builder *b, size_t i)
{
    const norm_tgrid *g = b->g;
    const norm_trow *r = &g->rows[i];
    ft_table *t = b->t;
    unsigned row = (unsigned)i + 1, n = g->ncols;
    size_t idx;
    ft_err rc;
    if (r->title) {
        if ((rc = add_cell(b, row, 1, n, &r->f[0], &idx)))
            return rc;
        for (unsigned c = 0; c < n; c++)
            b->cur[c] = idx;
        return FT_OK;
    }
    unsigned lead = 0;
    while (lead < n && !r->f[lead].len)
        lead++;
    boundaries(b, i, b->bound);
    int hv = heading_value(g, i);
    unsigned c = 0;
    while (c < n) {
        if (i > 0 && c < lead) {
            ft_cell *above = &t->cells[b->prev[c]];
            unsigned a0 = above->col - 1, a1 = a0 + above->colspan;
            if (a0 == c && a1 <= lead) {
                if (!hv || c == 0) {
                    size_t owner = b->prev[c];
                    above->rowspan++;
                    for (unsigned k = a0; k < a1; k++)
                        b->cur[k] = owner;
                } else {
                    /* an empty value under a heading of the row above */
                    if ((rc = add_cell(b, row, c + 1, a1 - a0, NULL, &idx)))
                        return rc;
                    for (unsigned k = a0; k < a1; k++)
                        b->cur[k] = idx;
                }
                c = a1;
                continue;
            }
            if ((rc = add_cell(b, row, c + 1, 1, NULL, &idx)))
                return rc;
            b->cur[c] = idx;
            c++;
            continue;
        }
        unsigned e = c + 1;
        while (e < n && !r->f[e].len && !b->bound[e])
            e++;
        if (c == 0 && r->f[0].len && r->section != NORM_TGRID_NONE) {
            unsigned k = 1;
            while (k < n && !r->f[k].len)
                k++;
            if (k - 1 >= NORM_TGRID_TOTAL_SPAN && k < n)
                e = k;
        }
        if ((rc = add_cell(b, row, c + 1, e - c, &r->f[c], &idx)))
            return rc;
        for (unsigned k = c; k < e; k++)
            b->cur[k] = idx;
        c = e;
    }
    return FT_OK;
}

ft_err norm_tgrid_build(const norm_tgrid *g, unsigned page, ft_table *t)
{
    builder b;
    ft_err rc = FT_OK;
    memset(&b, 0, sizeof b);
    b.g = g;
    b.t = t;
    b.page = page;
    t->nrows = (unsigned)g->nrows;
    t->ncols = g->ncols;
    if (g->nrows == 0 || g->ncols == 0)
        return FT_OK;
    b.prev = calloc(g->ncols, sizeof *b.prev);
    b.cur = calloc(g->ncols, sizeof *b.cur);
    b.bound = calloc(g->ncols, 1);
    b.gbound = calloc(g->ncols, 1);
    b.group = calloc(g->nrows, sizeof *b.group);
    if (!b.prev || !b.cur || !b.bound || !b.gbound || !b.group) {
        rc = FT_NOMEM;
        goto out;
    }
    find_groups(g, b.group);
    for (size_t i = 0; i < g->nrows; i++) {
        if (b.group[i] == i)
            group_boundaries(&b, i, b.gbound);
        if ((rc = build_row(&b, i)))
            goto out;
        size_t *tmp = b.prev;
        b.prev = b.cur;
        b.cur = tmp;
    }
out:
    free(b.prev);
    free(b.cur);
    free(b.bound);
    free(b.gbound);
    free(b.group);
    return rc;
}
