/* Block-chained region allocator for per-page and per-table strings. */
#include "ft_arena.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 65536u

struct ft_arena_block {
    ft_arena_block *next;
    size_t size, used;
    max_align_t data[];
};

void ft_arena_init(ft_arena *a, size_t max)
{
    a->head = NULL;
    a->used = 0;
    a->max = max;
}

void ft_arena_cleanup(ft_arena *a)
{
    ft_arena_block *b = a->head;
    while (b) {
        ft_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

void ft_arena_reset(ft_arena *a)
{
    if (!a->head)
        return;
    /* Keep the newest block only if it is a standard one. */
    ft_arena_block *keep = a->head;
    ft_arena_block *b = keep->next;
    while (b) {
        ft_arena_block *next = b->next;
        free(b);
        b = next;
    }
    if (keep->size > BLOCK_SIZE) {
        free(keep);
        a->head = NULL;
    } else {
        keep->next = NULL;
        keep->used = 0;
    }
    a->used = 0;
}

void *ft_arena_alloc(ft_arena *a, size_t len)
{
    size_t align = sizeof(max_align_t);
    size_t need = (len + align - 1) / align * align;
    if (need < len || need > a->max || a->used > a->max - need)
        return NULL;
    ft_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += need;
    a->used += need;
    return p;
}

char *ft_arena_strndup(ft_arena *a, const char *s, size_t len)
{
    char *p = ft_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
