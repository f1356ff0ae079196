/* A page's tables, notes and warnings (norm_page.h). */
#include "norm_page.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ft_limits.h"
#include "ft_utf8.h"

/* Most notes and tables on one page: one per text line at most, so the cap on
 * text lines per page bounds it too. */
#define NORM_MAX_ITEMS_PER_PAGE (FT_MAX_RUNS_PER_PAGE + 1u)

/* Most warnings kept for one page; later ones are counted on stderr only. */
#define NORM_MAX_WARNINGS_PER_PAGE 100u

void norm_page_out_init(norm_page_out *o)
{
    o->page = 0;
    norm_tables_init(&o->tables);
    o->items = NULL;
    o->count = o->cap = 0;
    o->warnings = NULL;
    o->nwarnings = o->cap_warnings = 0;
    ft_arena_init(&o->arena, FT_MAX_PAGE_TEXT_LEN);
}

void norm_page_out_cleanup(norm_page_out *o)
{
    norm_tables_cleanup(&o->tables);
    free(o->items);
    free(o->warnings);
    ft_arena_cleanup(&o->arena);
    o->items = NULL;
    o->warnings = NULL;
    o->count = o->cap = o->nwarnings = o->cap_warnings = 0;
}

void norm_page_out_reset(norm_page_out *o, unsigned page)
{
    o->page = page;
    norm_tables_clear(&o->tables);
    o->count = 0;
    o->nwarnings = 0;
    ft_arena_reset(&o->arena);
}

static ft_err new_item(norm_page_out *o, norm_item **item)
{
    *item = NULL;
    if (o->count >= NORM_MAX_ITEMS_PER_PAGE)
        return FT_LIMIT;
    if (o->count == o->cap) {
        size_t ncap = o->cap ? o->cap * 2 : 32;
        norm_item *n = realloc(o->items, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        o->items = n;
        o->cap = ncap;
    }
    norm_item *it = &o->items[o->count];
    it->kind = NORM_ITEM_NOTE;
    it->table = 0;
    it->box = (ft_box){0, 0, 0, 0};
    it->has_box = 0;
    it->text = NULL;
    it->len = 0;
    it->key_y = it->key_x = 0;
    it->seq = o->count;
    it->top_open = NULL;
    o->count++;
    *item = it;
    return FT_OK;
}

ft_err norm_page_add_table(norm_page_out *o, ft_table **t, norm_item **item)
{
    *t = NULL;
    *item = NULL;
    norm_item *it;
    ft_err rc = new_item(o, &it);
    if (rc)
        return rc;
    rc = norm_tables_push(&o->tables, t);
    if (rc) {
        o->count--;
        return rc;
    }
    it->kind = NORM_ITEM_TABLE;
    it->table = o->tables.count - 1;
    *item = it;
    return FT_OK;
}

ft_err norm_page_adopt_table(norm_page_out *o, ft_table *src,
                             norm_item **item)
{
    ft_table *t;
    ft_err rc = norm_page_add_table(o, &t, item);
    if (rc)
        return rc;
    ft_table_cleanup(t);
    *t = *src;
    ft_table_init(src);
    return FT_OK;
}

ft_err norm_page_add_note(norm_page_out *o, const char *text, size_t len,
                          const ft_box *box, double key_y, double key_x)
{
    char *copy = ft_arena_strndup(&o->arena, text, len);
    if (!copy)
        return FT_LIMIT;
    norm_item *it;
    ft_err rc = new_item(o, &it);
    if (rc)
        return rc;
    it->text = copy;
    it->len = len;
    if (box) {
        it->box = *box;
        it->has_box = 1;
    }
    it->key_y = key_y;
    it->key_x = key_x;
    return FT_OK;
}

ft_err norm_page_warn(norm_page_out *o, const char *fmt, ...)
{
    if (o->nwarnings >= NORM_MAX_WARNINGS_PER_PAGE)
        return FT_OK;
    if (o->nwarnings == o->cap_warnings) {
        size_t ncap = o->cap_warnings ? o->cap_warnings * 2 : 8;
        char **n = realloc(o->warnings, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        o->warnings = n;
        o->cap_warnings = ncap;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (k < 0)
        return FT_INTERNAL;
    size_t n = (size_t)k < sizeof buf ? (size_t)k : sizeof buf - 1;
    n = ft_utf8_boundary(buf, n); /* a cut message never ends mid-character */
    char *copy = ft_arena_strndup(&o->arena, buf, n);
    if (!copy)
        return FT_LIMIT;
    o->warnings[o->nwarnings++] = copy;
    return FT_OK;
}

static int cmp_item(const void *pa, const void *pb)
{
    const norm_item *a = pa, *b = pb;
    if (a->key_y != b->key_y)
        return a->key_y < b->key_y ? -1 : 1;
    if (a->key_x != b->key_x)
        return a->key_x < b->key_x ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

void norm_page_sort(norm_page_out *o)
{
    if (o->count > 1)
        qsort(o->items, o->count, sizeof *o->items, cmp_item);
}
