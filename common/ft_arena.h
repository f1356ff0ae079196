/* A region allocator for the strings of one page or one table: everything is
 * freed at once when the page is done, which keeps per-run mallocs out of the
 * hot path. Bounded: allocating past max bytes fails with NULL.
 *
 * Ownership: the arena is caller-owned storage; memory it hands out belongs to
 * it and is released by ft_arena_reset() or ft_arena_cleanup(). */
#ifndef FT_ARENA_H
#define FT_ARENA_H

#include <stddef.h>

typedef struct ft_arena_block ft_arena_block;

typedef struct {
    ft_arena_block *head;  /* newest block first */
    size_t used;           /* bytes handed out since the last reset */
    size_t max;            /* cap on used */
} ft_arena;

void ft_arena_init(ft_arena *a, size_t max);
void ft_arena_cleanup(ft_arena *a);
/* Free everything handed out; keeps one block for reuse. */
void ft_arena_reset(ft_arena *a);
/* len bytes aligned for any type; NULL past the cap or out of memory. */
void *ft_arena_alloc(ft_arena *a, size_t len);
/* A NUL-terminated copy of s[0..len); NULL past the cap or out of memory. */
char *ft_arena_strndup(ft_arena *a, const char *s, size_t len);

#endif
