/* A growable list of tables found on a page, shared by the table finders
 * (lattice, stream, text) and the page driver.
 *
 * Ownership: norm_tables is caller-owned storage; it owns its ft_table items
 * and frees them (and their arenas) in norm_tables_cleanup(). */
#ifndef NORM_TABLES_H
#define NORM_TABLES_H

#include <stddef.h>
#include "ft_error.h"
#include "ft_table.h"

typedef struct {
    ft_table *items;
    size_t count, cap;
} norm_tables;

void norm_tables_init(norm_tables *l);
void norm_tables_cleanup(norm_tables *l);
/* Empty the list, cleaning up every table. */
void norm_tables_clear(norm_tables *l);
/* Append a fresh, initialised table and return it in *t (owned by the list).
 * FT_NOMEM, FT_LIMIT (more than 10,000 tables on a page). */
FT_WUR ft_err norm_tables_push(norm_tables *l, ft_table **t);

#endif
