/* Helpers of the normalize unit suites (norm_testlib.h). */
#include "norm_testlib.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"

void tl_page_pdf(ft_page *p, unsigned number, double w, double h)
{
    ft_page_reset(p);
    p->number = number;
    p->width = w;
    p->height = h;
    p->has_geometry = 1;
    strcpy(p->origin, "text");
}

void tl_page_plain(ft_page *p, unsigned number)
{
    ft_page_reset(p);
    p->number = number;
    p->has_geometry = 0;
    strcpy(p->origin, "plain");
}

void tl_hrule(ft_page *p, double y, double x0, double x1)
{
    ck_assert_int_eq(ft_page_add_rule(p, (ft_box){x0, y, x1, y}), FT_OK);
}

void tl_vrule(ft_page *p, double x, double y0, double y1)
{
    ck_assert_int_eq(ft_page_add_rule(p, (ft_box){x, y0, x, y1}), FT_OK);
}

void tl_grid(ft_page *p, const double *xs, size_t nx, const double *ys,
             size_t ny)
{
    for (size_t j = 0; j < ny; j++)
        tl_hrule(p, ys[j], xs[0], xs[nx - 1]);
    for (size_t i = 0; i < nx; i++)
        tl_vrule(p, xs[i], ys[0], ys[ny - 1]);
}

void tl_run(ft_page *p, double x0, double y0, double x1, double y1,
            const char *text, unsigned flags)
{
    ft_run r;
    r.box = (ft_box){x0, y0, x1, y1};
    r.size = y1 - y0;
    r.flags = flags;
    r.conf = -1;
    r.text = (char *)text;
    r.len = strlen(text);
    ck_assert_int_eq(ft_page_add_run(p, &r), FT_OK);
}

void tl_lines(ft_page *p, const char *const *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *end;
        unsigned long no = strtoul(lines[i], &end, 10);
        ck_assert_msg(*end == ':', "bad test line '%s'", lines[i]);
        end++;
        ck_assert_int_eq(ft_page_add_line(p, no, end, strlen(end)), FT_OK);
    }
}

static int cmp_cell(const void *pa, const void *pb)
{
    const ft_cell *a = *(const ft_cell *const *)pa, *b = *(const ft_cell *const *)pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

static void dump_table(ft_buf *b, const ft_table *t)
{
    const ft_cell **v = malloc((t->ncells + 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < t->ncells; i++)
        v[i] = &t->cells[i];
    qsort(v, t->ncells, sizeof *v, cmp_cell);
    ck_assert_int_eq(ft_buf_printf(b, "%s %ux%u\n", t->method, t->nrows,
                                   t->ncols), FT_OK);
    for (size_t i = 0; i < t->ncells; i++)
        ck_assert_int_eq(ft_buf_printf(b, "%u,%u,%u,%u:%.*s\n", v[i]->row,
                                       v[i]->col, v[i]->rowspan, v[i]->colspan,
                                       (int)v[i]->len, v[i]->text), FT_OK);
    free(v);
}

char *tl_dump_table(const ft_table *t)
{
    ft_buf b;
    ft_buf_init(&b, 1u << 24);
    dump_table(&b, t);
    char *s = ft_buf_steal(&b);
    ck_assert_ptr_nonnull(s);
    return s;
}

char *tl_dump_page(const norm_page_out *o)
{
    ft_buf b;
    ft_buf_init(&b, 1u << 24);
    ck_assert_int_eq(ft_buf_puts(&b, ""), FT_OK);
    for (size_t i = 0; i < o->count; i++) {
        const norm_item *it = &o->items[i];
        if (it->kind == NORM_ITEM_TABLE)
            dump_table(&b, &o->tables.items[it->table]);
        else
            ck_assert_int_eq(ft_buf_printf(&b, "note:%.*s\n", (int)it->len,
                                           it->text), FT_OK);
    }
    char *s = ft_buf_steal(&b);
    ck_assert_ptr_nonnull(s);
    return s;
}
