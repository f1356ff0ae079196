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

ft_err norm_geom_page(const ft_page *p, const norm_rules *rules,
                      norm_page_out *out, ft_diag *d, const char *file)
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
    rc = notes_from_runs(p, used, out);
out:
    free(used);
    norm_tables_cleanup(&stream);
    return rc;
}
