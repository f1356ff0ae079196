/* Geometric grouping of text-layer characters into runs (see ext_runs.h). */
#include "ext_runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"

/* A character with its place in Poppler's order and its orientation. */
typedef struct {
    ext_char c;
    size_t seq;   /* index in Poppler's order */
    int rotated;  /* its line advances vertically */
    double yc;    /* vertical centre */
} item;

static double centre_x(const ft_box *b) { return (b->x0 + b->x1) / 2; }
static double centre_y(const ft_box *b) { return (b->y0 + b->y1) / 2; }

static int cmp_rotated_then_y(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->rotated != b->rotated)
        return a->rotated - b->rotated;
    if (a->rotated) {
        /* Rotated text keeps Poppler's order within its line. */
        if (a->c.line != b->c.line)
            return a->c.line < b->c.line ? -1 : 1;
        return a->seq < b->seq ? -1 : a->seq > b->seq;
    }
    if (a->yc != b->yc)
        return a->yc < b->yc ? -1 : 1;
    if (a->c.box.x0 != b->c.box.x0)
        return a->c.box.x0 < b->c.box.x0 ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_x(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->c.box.x0 != b->c.box.x0)
        return a->c.box.x0 < b->c.box.x0 ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_rule_x(const void *pa, const void *pb)
{
    const ft_box *a = pa, *b = pb;
    return a->x0 < b->x0 ? -1 : a->x0 > b->x0;
}

static double font_size(const item *it)
{
    /* Unknown size: the box height is about 1.2 em for common fonts. */
    if (it->c.size > 0)
        return it->c.size;
    double h = it->c.box.y1 - it->c.box.y0;
    return h > 0 ? h / 1.2 : 1;
}

/* Mark the characters of every Poppler line whose characters advance more
 * downwards (or upwards) than sideways: text rotated on the page. */
static void classify_rotation(item *it, size_t n)
{
    size_t s = 0;
    while (s < n) {
        size_t e = s + 1;
        double dx = 0, dy = 0;
        while (e < n && it[e].c.line == it[s].c.line) {
            dx += fabs(centre_x(&it[e].c.box) - centre_x(&it[e - 1].c.box));
            dy += fabs(centre_y(&it[e].c.box) - centre_y(&it[e - 1].c.box));
            e++;
        }
        int rot = e - s >= 2 && dy > dx;
        for (size_t i = s; i < e; i++)
            it[i].rotated = rot;
        s = e;
    }
}

/* 1 if a vertical rule passes between x = xa and x = xb (xa < xb) at height
 * y. rules is sorted by x. */
static int rule_between(const ft_box *rules, size_t n, double xa, double xb,
                        double y)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rules[mid].x0 <= xa)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n && rules[i].x0 < xb; i++)
        if (rules[i].y0 <= y && y <= rules[i].y1)
            return 1;
    return 0;
}

typedef struct {
    ft_page *page;
    ft_buf text;
    ft_box box;
    double size;
    size_t nchars, nbold, nitalic, nhidden;
    unsigned extra_flags;
    double width, height;
    const ft_box *area;
} run_builder;

static ft_err run_add(run_builder *rb, const item *it, int space)
{
    char enc[4];
    size_t k = ft_utf8_encode(it->c.cp, enc);
    ft_err rc = FT_OK;
    if (k == 0)
        return FT_OK; /* not a scalar value: drop the character */
    if (space && rb->nchars && (rc = ft_buf_putc(&rb->text, ' ')))
        return rc;
    if ((rc = ft_buf_append(&rb->text, enc, k)))
        return rc;
    if (rb->nchars == 0) {
        rb->box = it->c.box;
        rb->size = 0;
    } else {
        rb->box.x0 = fmin(rb->box.x0, it->c.box.x0);
        rb->box.y0 = fmin(rb->box.y0, it->c.box.y0);
        rb->box.x1 = fmax(rb->box.x1, it->c.box.x1);
        rb->box.y1 = fmax(rb->box.y1, it->c.box.y1);
    }
    if (it->c.size > rb->size)
        rb->size = it->c.size;
    rb->nchars++;
    rb->nbold += (it->c.flags & FT_RUN_BOLD) != 0;
    rb->nitalic += (it->c.flags & FT_RUN_ITALIC) != 0;
    rb->nhidden += (it->c.flags & FT_RUN_HIDDEN) != 0;
    return FT_OK;
}

/* Append the run collected so far to the page and start a new one. */
static ft_err run_flush(run_builder *rb)
{
    ft_err rc = FT_OK;
    if (rb->nchars == 0)
        return FT_OK;
    ft_run run;
    double cx = centre_x(&rb->box), cy = centre_y(&rb->box);
    memset(&run, 0, sizeof run);
    run.box = rb->box;
    run.size = rb->size;
    run.conf = -1;
    run.flags = rb->extra_flags;
    if (rb->nbold * 2 > rb->nchars)
        run.flags |= FT_RUN_BOLD;
    if (rb->nitalic * 2 > rb->nchars)
        run.flags |= FT_RUN_ITALIC;
    if ((rb->width > 0 && rb->height > 0 &&
         (cx < 0 || cx > rb->width || cy < 0 || cy > rb->height)) ||
        rb->nhidden == rb->nchars)
        run.flags |= FT_RUN_HIDDEN;
    run.text = rb->text.data;
    run.len = rb->text.len;
    if (!rb->area || (cx >= rb->area->x0 && cx <= rb->area->x1 &&
                      cy >= rb->area->y0 && cy <= rb->area->y1))
        rc = ft_page_add_run(rb->page, &run);
    ft_buf_reset(&rb->text);
    rb->nchars = rb->nbold = rb->nitalic = rb->nhidden = 0;
    return rc;
}

/* One visual line of horizontal text, it[0..n) sorted by x. */
static ft_err build_line(run_builder *rb, const item *it, size_t n,
                         const ft_box *rules, size_t nrules)
{
    ft_err rc = FT_OK;
    const item *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const item *cur = &it[i];
        int space = 0;
        if (prev) {
            double sz = fmax(font_size(prev), font_size(cur));
            double small = fmin(font_size(prev), font_size(cur));
            double gap = cur->c.box.x0 - prev->c.box.x1;
            if (cur->c.cp == prev->c.cp &&
                fabs(cur->c.box.x0 - prev->c.box.x0) < EXT_DUP_EM * sz &&
                fabs(cur->c.box.y0 - prev->c.box.y0) < EXT_DUP_EM * sz)
                continue; /* drawn twice: fake bold */
            int cut = gap > EXT_RUN_GAP_EM * sz ||
                      sz > EXT_RUN_SIZE_RATIO * small ||
                      rule_between(rules, nrules, centre_x(&prev->c.box),
                                   centre_x(&cur->c.box),
                                   (prev->yc + cur->yc) / 2);
            if (cut) {
                if ((rc = run_flush(rb)))
                    return rc;
            } else {
                /* A gap of a space's width is a space unless both sides are
                 * CJK (never spaced; their boxes are the full advance).
                 * Poppler drops some spaces between a digit and a CJK
                 * character drawn with a space glyph between them
                 * (fixtures/pdf/seed003-ruled-doc `5 人`, while `2000 人`
                 * on another page keeps its space), so its mark alone is
                 * not enough. */
                int wide = gap > EXT_WORD_GAP_EM * sz &&
                           !(ft_is_cjk(prev->c.cp) && ft_is_cjk(cur->c.cp));
                space = wide || (cur->c.line == prev->c.line &&
                                 cur->seq > prev->seq && cur->c.space_before);
            }
        }
        if ((rc = run_add(rb, cur, space)))
            return rc;
        prev = cur;
    }
    return run_flush(rb);
}

/* One Poppler line of rotated text, in Poppler's order: cut at wide gaps
 * along the direction it advances. */
static ft_err build_rotated(run_builder *rb, const item *it, size_t n)
{
    ft_err rc = FT_OK;
    for (size_t i = 0; i < n; i++) {
        int space = 0;
        if (i > 0) {
            const ft_box *a = &it[i - 1].c.box, *b = &it[i].c.box;
            double sz = fmax(font_size(&it[i - 1]), font_size(&it[i]));
            double gap = fabs(centre_y(b) - centre_y(a)) -
                         ((a->y1 - a->y0) + (b->y1 - b->y0)) / 2;
            if (gap > EXT_RUN_GAP_EM * sz) {
                if ((rc = run_flush(rb)))
                    return rc;
            } else {
                space = it[i].c.space_before != 0;
            }
        }
        if ((rc = run_add(rb, &it[i], space)))
            return rc;
    }
    return run_flush(rb);
}

ft_err ext_runs_build(ext_char *chars, size_t n, const ft_box *vrules,
                      size_t nvrules, double width, double height,
                      const ft_box *area, ft_page *page)
{
    ft_err rc = FT_OK;
    item *it = NULL;
    ft_box *rules = NULL;
    run_builder rb;

    memset(&rb, 0, sizeof rb);
    ft_buf_init(&rb.text, FT_MAX_LINE_LEN / 2);
    rb.page = page;
    rb.width = width;
    rb.height = height;
    rb.area = area;
    if (n == 0)
        goto out;
    it = malloc(n * sizeof *it);
    if (!it || (nvrules && !(rules = malloc(nvrules * sizeof *rules)))) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        it[i].c = chars[i];
        it[i].seq = i;
        it[i].yc = centre_y(&chars[i].box);
    }
    if (nvrules) {
        memcpy(rules, vrules, nvrules * sizeof *rules);
        qsort(rules, nvrules, sizeof *rules, cmp_rule_x);
    }
    classify_rotation(it, n);
    qsort(it, n, sizeof *it, cmp_rotated_then_y);

    /* Horizontal text: greedy lines over characters sorted by centre. */
    size_t s = 0;
    while (s < n && !it[s].rotated) {
        ft_box band = it[s].c.box;
        size_t e = s + 1;
        while (e < n && !it[e].rotated) {
            const ft_box *b = &it[e].c.box;
            double ov = fmin(band.y1, b->y1) - fmax(band.y0, b->y0);
            double hmin = fmin(band.y1 - band.y0, b->y1 - b->y0);
            if (it[e].yc > band.y1 || ov < EXT_LINE_OVERLAP * hmin)
                break;
            e++;
        }
        qsort(it + s, e - s, sizeof *it, cmp_x);
        if ((rc = build_line(&rb, it + s, e - s, rules, nvrules)))
            goto out;
        s = e;
    }
    /* Rotated text: one Poppler line at a time. */
    rb.extra_flags = FT_RUN_ROTATED;
    while (s < n) {
        size_t e = s + 1;
        while (e < n && it[e].c.line == it[s].c.line)
            e++;
        if ((rc = build_rotated(&rb, it + s, e - s)))
            goto out;
        s = e;
    }
out:
    ft_buf_cleanup(&rb.text);
    free(it);
    free(rules);
    return rc;
}
