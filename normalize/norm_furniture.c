/* Page furniture (norm_furniture.h): page numbers and running headers and
 * footers, found by position (a band at the top and the bottom of the page)
 * and pattern (the [furniture] rules: `第 1 页 共 3 页`, `- 2 -`, `Page 2 of
 * 9`). A run in a band is furniture when its own text matches, or when the
 * text of its whole line in the band does (`第 1 页` and `共 3 页` printed as
 * two runs). Only band runs are looked at, sorted once: O(n log n). */
#include "norm_furniture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"

/* Height of the top and bottom bands as a fraction of the page height. Page
 * numbers and running heads sit in the margins: 36-72 pt of an 842 pt A4
 * page (4-9%); 8% keeps a table that starts 70 pt from the top edge out
 * (fixture stream/en-furniture: footer at 800 pt, last row at 760 pt). */
#define NORM_FURNITURE_BAND 0.08

/* Two band runs are on one line when their vertical extents overlap by this
 * fraction of the smaller height (as the stream finder's lines). */
#define NORM_FURNITURE_LINE_OVERLAP 0.5

/* A run matching a furniture pattern on its own (a bare `2`) is furniture
 * only on a band line of at most this many runs: a page number stands alone
 * or beside a running head, while a table's header row in the band has a
 * run per column (fixture pdf/x-en-stats-unruled: `2019` ... `2023` in a
 * header row 45 pt from the top of pages 2 and 3). */
#define NORM_FURNITURE_LINE_RUNS 2

/* The joined text of a band line longer than this is not a page number or a
 * running head worth testing (the patterns are anchored and short). */
#define NORM_FURNITURE_LINE_MAX 200u

typedef struct {
    size_t run;
    double cy, x0;
} bkey;

static int cmp_bkey(const void *pa, const void *pb)
{
    const bkey *a = pa, *b = pb;
    if (a->cy != b->cy)
        return a->cy < b->cy ? -1 : 1;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return (a->run > b->run) - (a->run < b->run);
}

static int cmp_bkey_x(const void *pa, const void *pb)
{
    const bkey *a = pa, *b = pb;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return (a->run > b->run) - (a->run < b->run);
}

size_t norm_furniture_mark(const ft_page *p, const norm_rules *rules,
                           unsigned char *used)
{
    size_t marked = 0, n = 0;
    bkey *keys = NULL;
    ft_buf line;
    ft_buf_init(&line, NORM_FURNITURE_LINE_MAX);
    if (!p->has_geometry || !(p->height > 0) || p->nruns == 0 || !rules)
        goto out;
    double top = NORM_FURNITURE_BAND * p->height;
    double bottom = (1.0 - NORM_FURNITURE_BAND) * p->height;
    for (size_t i = 0; i < p->nruns; i++)
        n += !used[i] && (p->runs[i].box.y1 <= top || p->runs[i].box.y0 >= bottom);
    if (n == 0)
        goto out;
    keys = malloc(n * sizeof *keys);
    if (!keys)
        goto out; /* out of memory: no furniture is a safe answer */
    n = 0;
    for (size_t i = 0; i < p->nruns; i++) {
        const ft_box *b = &p->runs[i].box;
        if (!used[i] && (b->y1 <= top || b->y0 >= bottom))
            keys[n++] = (bkey){i, (b->y0 + b->y1) / 2, b->x0};
    }
    qsort(keys, n, sizeof *keys, cmp_bkey);
    for (size_t i = 0; i < n;) {
        const ft_box *b0 = &p->runs[keys[i].run].box;
        double y0 = b0->y0, y1 = b0->y1;
        size_t j = i + 1;
        while (j < n) {
            const ft_box *b = &p->runs[keys[j].run].box;
            double ov = fmin(b->y1, y1) - fmax(b->y0, y0);
            double hmin = fmin(b->y1 - b->y0, y1 - y0);
            if (!(ov >= NORM_FURNITURE_LINE_OVERLAP * hmin))
                break;
            y0 = fmin(y0, b->y0);
            y1 = fmax(y1, b->y1);
            j++;
        }
        qsort(keys + i, j - i, sizeof *keys, cmp_bkey_x);
        /* the whole line first */
        ft_buf_reset(&line);
        int fits = 1;
        for (size_t k = i; k < j && fits; k++) {
            const ft_run *r = &p->runs[keys[k].run];
            if ((k > i && ft_buf_putc(&line, ' ')) ||
                ft_buf_append(&line, r->text, r->len))
                fits = 0;
        }
        int whole = fits && line.len > 0 &&
                    norm_rules_is_furniture(rules, line.data, line.len);
        for (size_t k = i; k < j; k++) {
            const ft_run *r = &p->runs[keys[k].run];
            if (whole || (j - i <= NORM_FURNITURE_LINE_RUNS &&
                          norm_rules_is_furniture(rules, r->text, r->len))) {
                used[keys[k].run] = 1;
                marked++;
            }
        }
        i = j;
    }
out:
    free(keys);
    ft_buf_cleanup(&line);
    return marked;
}
