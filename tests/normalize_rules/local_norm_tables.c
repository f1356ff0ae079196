/* A minimal norm_tables for the unit suites while the normalize stage's own
 * norm_tables.c is not built (see CMakeLists.txt here). Same contract as
 * normalize/norm_tables.h. */
#include <stdlib.h>
#include "norm_tables.h"

#define LOCAL_MAX_TABLES 10000u

void norm_tables_init(norm_tables *l)
{
    l->items = NULL;
    l->count = l->cap = 0;
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
    norm_tables_init(l);
}

ft_err norm_tables_push(norm_tables *l, ft_table **t)
{
    if (l->count >= LOCAL_MAX_TABLES)
        return FT_LIMIT;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        ft_table *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return FT_NOMEM;
        l->items = p;
        l->cap = cap;
    }
    *t = &l->items[l->count++];
    ft_table_init(*t);
    return FT_OK;
}
