/* The list of tables a page's finders produce (norm_tables.h): a growable
 * array of ft_table, each with its own arena. */
#include "norm_tables.h"

#include <stdlib.h>

/* Most tables one page may hold. A real page has a handful; ten thousand
 * means the finders are being fed noise, and the page is refused with
 * FT_LIMIT rather than growing without bound. */
#define NORM_MAX_TABLES_PER_PAGE 10000u

void norm_tables_init(norm_tables *l)
{
    l->items = NULL;
    l->count = 0;
    l->cap = 0;
}

void norm_tables_clear(norm_tables *l)
{
    for (size_t i = 0; i < l->count; i++)
        ft_table_cleanup(&l->items[i]);
    l->count = 0;
}

void norm_tables_cleanup(norm_tables *l)
{
    norm_tables_clear(l);
    free(l->items);
    l->items = NULL;
    l->cap = 0;
}

ft_err norm_tables_push(norm_tables *l, ft_table **t)
{
    *t = NULL;
    if (l->count >= NORM_MAX_TABLES_PER_PAGE)
        return FT_LIMIT;
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        if (ncap > NORM_MAX_TABLES_PER_PAGE)
            ncap = NORM_MAX_TABLES_PER_PAGE;
        ft_table *n = realloc(l->items, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        l->items = n;
        l->cap = ncap;
    }
    *t = &l->items[l->count++];
    ft_table_init(*t);
    return FT_OK;
}
