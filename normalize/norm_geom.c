/* Tables and notes of a page with geometry: lattice, furniture, stream, then
 * notes from the runs left over (norm_geom.h). */
#include "norm_geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "norm_furniture.h"
#include "norm_lattice.h"
#include "norm_stream.h"
#include "norm_textcat.h"

/* Marks in used[]: 1 lattice (norm_lattice.h) or furniture
 * (norm_furniture.h), 2 stream (norm_stream.h), and this one for hidden runs,
 * which are dropped. */
#define NORM_USED_DROPPED 3

/* Two leftover runs are on one line of a note when their vertical extents
 * overlap by at least this fraction of the smaller height (as cell lines in
 * norm_lattice.c). */
#define NORM_GEOM_LINE_OVERLAP 0.5

/* A line at the top of a page continues the unruled table held from the
 * page before when its runs fill at least this many of that table's
 * columns: a title or a heading is one run (continuation_rows()). */
#define NORM_GEOM_CONT_MIN_COLS 2u

typedef struct {
    size_t run;
    double y0, y1, x0;
} lkey;

static int cmp_lkey_y(const void *pa, const void *pb)
{
    const lkey *a = pa, *b = pb;
    double ca = (a->y0 + a->y1) / 2, cb = (b->y0 + b->y1) / 2;
    if (ca != cb)
        return ca < cb ? -1 : 1;
    return (a->run > b->run) - (a->run < b->run);
}

static int cmp_lkey_x(const void *pa, const void *pb)
{
    const lkey *a = pa, *b = pb;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return (a->run > b->run) - (a->run < b->run);
}

/* Group the runs with used[i] == 0 into lines and add each as a note. */
static ft_err notes_from_runs(const ft_page *p, const unsigned char *used,
                              norm_page_out *out)
{
    ft_err rc = FT_OK;
    lkey *keys = NULL;
    size_t n = 0;
    ft_buf line;
    ft_buf_init(&line, FT_MAX_CELL_LEN);
    for (size_t i = 0; i < p->nruns; i++)
        n += !used[i];
    if (n == 0)
        goto out;
    keys = malloc(n * sizeof *keys);
    if (!keys) {
        rc = FT_NOMEM;
        goto out;
    }
    n = 0;
    for (size_t i = 0; i < p->nruns; i++)
        if (!used[i])
            keys[n++] = (lkey){i, p->runs[i].box.y0, p->runs[i].box.y1,
                               p->runs[i].box.x0};
    qsort(keys, n, sizeof *keys, cmp_lkey_y);
    for (size_t i = 0; i < n;) {
        double top = keys[i].y0, bot = keys[i].y1;
        size_t j = i + 1;
        while (j < n) {
            double lo = fmax(keys[j].y0, top), hi = fmin(keys[j].y1, bot);
            double hmin = fmin(keys[j].y1 - keys[j].y0, bot - top);
            if (hmin <= 0 || hi - lo < NORM_GEOM_LINE_OVERLAP * hmin)
                break;
            top = fmin(top, keys[j].y0);
            bot = fmax(bot, keys[j].y1);
            j++;
        }
        qsort(keys + i, j - i, sizeof *keys, cmp_lkey_x);
        ft_buf_reset(&line);
        ft_box box = p->runs[keys[i].run].box;
        for (size_t k = i; k < j; k++) {
            const ft_run *r = &p->runs[keys[k].run];
            rc = norm_textcat_word(&line, r->text, r->len);
            if (rc == FT_LIMIT) {
                rc = norm_page_warn(out, "a line of text longer than %u bytes; "
                                    "cut", FT_MAX_CELL_LEN);
                break;
            }
            if (rc)
                goto out;
            box.x0 = fmin(box.x0, r->box.x0);
            box.y0 = fmin(box.y0, r->box.y0);
            box.x1 = fmax(box.x1, r->box.x1);
            box.y1 = fmax(box.y1, r->box.y1);
        }
        if (rc)
            goto out;
        if (line.len &&
            (rc = norm_page_add_note(out, line.data, line.len, &box, box.y0,
                                     box.x0)))
            goto out;
        i = j;
    }
out:
    free(keys);
    ft_buf_cleanup(&line);
    return rc;
}

/* Where a run lies among the held table's columns: the one column whose
 * text extent [lo, hi] its box overlaps, or -1 (none, or several). */
static int held_column(const ft_box *b, const double *lo, const double *hi,
                       unsigned ncols)
{
    int col = -1;
    for (unsigned k = 0; k < ncols; k++) {
        if (!(lo[k] <= hi[k]) || b->x1 < lo[k] || b->x0 > hi[k])
            continue;
        if (col >= 0)
            return -1;
        col = (int)k;
    }
    return col;
}

/* Rows of an unruled table that a page break left alone at the top of this
 * page: one row is no table for the unruled finder, so the rest of the
 * held table would become a note and the join would stop
 * (fixtures/pdf/seed003-budgets-hrules page 2, `其他 (考核台账、数字化档案
 * 等)  1  5 万元  5 万元`). The leftover lines above everything else on the
 * page whose runs each fall in one column of the held table, in at least
 * NORM_GEOM_CONT_MIN_COLS columns, become a table of the held table's
 * columns; norm_join then appends it. A title (one run) stops the search. */
static ft_err continuation_rows(const ft_page *p, unsigned char *used,
                                const ft_table *held, norm_page_out *out,
                                ft_diag *d, const char *file)
{
    ft_err rc = FT_OK;
    lkey *keys = NULL;
    double *lo = NULL, *hi = NULL;
    unsigned char *row_used = NULL;
    ft_buf text;
    ft_buf_init(&text, FT_MAX_CELL_LEN);
    if (!held || strcmp(held->method, "stream") != 0 || !held->has_box ||
        held->ncols < NORM_GEOM_CONT_MIN_COLS)
        goto out;
    /* The held table's columns: text extents of its one-column cells. */
    lo = malloc(held->ncols * sizeof *lo);
    hi = malloc(held->ncols * sizeof *hi);
    if (!lo || !hi) {
        rc = FT_NOMEM;
        goto out;
    }
    for (unsigned k = 0; k < held->ncols; k++) {
        lo[k] = INFINITY;
        hi[k] = -INFINITY;
    }
    for (size_t i = 0; i < held->ncells; i++) {
        const ft_cell *c = &held->cells[i];
        if (!c->has_box || c->colspan != 1 || c->len == 0 || c->col < 1 ||
            c->col > held->ncols)
            continue;
        lo[c->col - 1] = fmin(lo[c->col - 1], c->box.x0);
        hi[c->col - 1] = fmax(hi[c->col - 1], c->box.x1);
    }
    /* Everything found on the page so far starts below this. */
    double top_item = INFINITY;
    for (size_t i = 0; i < out->count; i++)
        top_item = fmin(top_item, out->items[i].key_y);
    size_t n = 0;
    for (size_t i = 0; i < p->nruns; i++)
        n += !used[i];
    if (n == 0)
        goto out;
    keys = malloc(n * sizeof *keys);
    row_used = calloc(p->nruns, 1);
    if (!keys || !row_used) {
        rc = FT_NOMEM;
        goto out;
    }
    n = 0;
    for (size_t i = 0; i < p->nruns; i++)
        if (!used[i])
            keys[n++] = (lkey){i, p->runs[i].box.y0, p->runs[i].box.y1,
                               p->runs[i].box.x0};
    qsort(keys, n, sizeof *keys, cmp_lkey_y);
    /* Lines from the top, while they fit. */
    size_t nrows = 0, end = 0;
    double y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < n;) {
        double top = keys[i].y0, bot = keys[i].y1;
        size_t j = i + 1;
        while (j < n) {
            double l = fmax(keys[j].y0, top), h = fmin(keys[j].y1, bot);
            double hmin = fmin(keys[j].y1 - keys[j].y0, bot - top);
            if (hmin <= 0 || h - l < NORM_GEOM_LINE_OVERLAP * hmin)
                break;
            top = fmin(top, keys[j].y0);
            bot = fmax(bot, keys[j].y1);
            j++;
        }
        if (bot > top_item)
            break;
        unsigned filled = 0;
        int ok = 1;
        for (unsigned k = 0; k < held->ncols && ok; k++) {
            int any = 0;
            for (size_t q = i; q < j && ok; q++) {
                int col = held_column(&p->runs[keys[q].run].box, lo, hi,
                                      held->ncols);
                if (col < 0)
                    ok = 0;
                else if ((unsigned)col == k)
                    any = 1;
            }
            filled += (unsigned)any;
        }
        if (!ok || filled < NORM_GEOM_CONT_MIN_COLS)
            break;
        for (size_t q = i; q < j; q++)
            row_used[keys[q].run] = (unsigned char)(nrows + 1);
        nrows++;
        y0 = fmin(y0, top);
        y1 = fmax(y1, bot);
        end = j;
        i = j;
    }
    if (nrows == 0)
        goto out;
    ft_table *t;
    norm_item *item;
    if ((rc = norm_page_add_table(out, &t, &item)))
        goto out;
    strcpy(t->method, "stream");
    t->page_first = t->page_last = p->number;
    t->nrows = (unsigned)nrows;
    t->ncols = held->ncols;
    t->box = (ft_box){held->box.x0, y0, held->box.x1, y1};
    t->has_box = 1;
    item->key_y = y0;
    item->key_x = held->box.x0;
    qsort(keys, end, sizeof *keys, cmp_lkey_x);
    for (unsigned r = 1; r <= nrows && !rc; r++)
        for (unsigned k = 0; k < held->ncols && !rc; k++) {
            ft_cell cell;
            int any = 0;
            memset(&cell, 0, sizeof cell);
            ft_buf_reset(&text);
            for (size_t q = 0; q < end && !rc; q++) {
                const ft_run *run = &p->runs[keys[q].run];
                if (row_used[keys[q].run] != r ||
                    held_column(&run->box, lo, hi, held->ncols) != (int)k)
                    continue;
                rc = norm_textcat_word(&text, run->text, run->len);
                cell.box = any ? (ft_box){fmin(cell.box.x0, run->box.x0),
                                          fmin(cell.box.y0, run->box.y0),
                                          fmax(cell.box.x1, run->box.x1),
                                          fmax(cell.box.y1, run->box.y1)}
                               : run->box;
                any = 1;
                used[keys[q].run] = 2;
            }
            if (rc == FT_LIMIT)
                rc = FT_OK; /* the text was cut at the cell cap */
            if (rc)
                break;
            cell.row = r;
            cell.col = k + 1;
            cell.rowspan = cell.colspan = 1;
            cell.page = p->number;
            cell.has_box = any;
            cell.conf = -1;
            cell.text = ft_arena_strndup(&t->arena, text.data ? text.data : "",
                                         text.len);
            cell.len = text.len;
            if (!cell.text)
                rc = FT_LIMIT;
            else
                rc = ft_table_add_cell(t, &cell);
        }
    if (!rc && d)
        ft_diag_debug(d, "%s: page %u: %zu line(s) at the top go on with the "
                      "unruled table held from page %u", file, p->number,
                      nrows, held->page_last);
out:
    free(keys);
    free(lo);
    free(hi);
    free(row_used);
    ft_buf_cleanup(&text);
    return rc;
}

ft_err norm_geom_page(const ft_page *p, const norm_rules *rules,
                      const ft_table *held, norm_page_out *out, ft_diag *d,
                      const char *file)
{
    ft_err rc = FT_OK;
    unsigned char *used = calloc(p->nruns ? p->nruns : 1, 1);
    norm_tables stream;
    norm_tables_init(&stream);
    if (!used) {
        rc = FT_NOMEM;
        goto out;
    }
    /* Hidden runs (off the page, or drawn and clipped away: extract flags
     * text whose box shows nothing on the rendered page) are not read,
     * inside a table or out. */
    for (size_t i = 0; i < p->nruns; i++)
        if (p->runs[i].flags & FT_RUN_HIDDEN)
            used[i] = NORM_USED_DROPPED;
    size_t nlattice = 0;
    if ((rc = norm_lattice_find(p, used, out, d, file, &nlattice)))
        goto out;
    if (nlattice == 0 && p->nrules > 0 && d)
        ft_diag_debug(d, "%s: page %u: %zu rules form no grid; unruled tables "
                      "only", file, p->number, p->nrules);
    norm_furniture_mark(p, rules, used);
    if ((rc = norm_stream_find(p, used, &stream)))
        goto out;
    for (size_t i = 0; i < stream.count; i++) {
        ft_table *t = &stream.items[i];
        norm_item *item;
        double y = t->has_box ? t->box.y0 : 0, x = t->has_box ? t->box.x0 : 0;
        if ((rc = norm_page_adopt_table(out, t, &item)))
            goto out;
        item->key_y = y;
        item->key_x = x;
    }
    if ((rc = continuation_rows(p, used, held, out, d, file)))
        goto out;
    rc = notes_from_runs(p, used, out);
out:
    free(used);
    norm_tables_cleanup(&stream);
    return rc;
}
