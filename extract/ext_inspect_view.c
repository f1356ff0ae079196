/* Reading the layout and table streams in step, a page at a time
 * (ext_inspect_view.h). */
#include "ext_inspect_view.h"

#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"

void ext_view_init(ext_view *v, ft_layout_reader *lr, ft_tables_reader *tr)
{
    memset(v, 0, sizeof *v);
    v->lr = lr;
    v->tr = tr;
    v->tables_done = tr == NULL;
    v->tables_err = FT_EOF;
    ft_page_init(&v->page);
    ft_buf_init(&v->ahead_text, FT_MAX_LINE_LEN);
    ft_arena_init(&v->arena, EXT_VIEW_MAX_TEXT);
}

void ext_view_cleanup(ext_view *v)
{
    for (size_t i = 0; i < v->npool; i++) {
        ft_table_cleanup(v->pool[i]);
        free(v->pool[i]);
    }
    free(v->pool);
    free(v->tables);
    free(v->items);
    ft_buf_cleanup(&v->ahead_text);
    ft_arena_cleanup(&v->arena);
    ft_page_cleanup(&v->page);
    memset(v, 0, sizeof *v);
}

int ext_view_table_on_page(const ft_table *t, unsigned page)
{
    if (page < t->page_first || page > t->page_last)
        return 0;
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].page == page)
            return 1;
    return 0;
}

static int is_held(const ext_view *v, const ft_table *t)
{
    for (size_t i = 0; i < v->ntables; i++)
        if (v->tables[i] == t)
            return 1;
    return 0;
}

/* A table to read into: a pooled one neither held nor read ahead, or a new
 * one. NULL past EXT_VIEW_MAX_TABLES or out of memory (err says which). */
static ft_table *free_table(ext_view *v, ft_err *err)
{
    for (size_t i = 0; i < v->npool; i++)
        if (v->pool[i] != v->ahead_table && !is_held(v, v->pool[i]))
            return v->pool[i];
    if (v->npool >= EXT_VIEW_MAX_TABLES) {
        *err = FT_LIMIT;
        return NULL;
    }
    if (!v->pool) {
        v->pool = calloc(EXT_VIEW_MAX_TABLES, sizeof *v->pool);
        v->tables = calloc(EXT_VIEW_MAX_TABLES, sizeof *v->tables);
        if (!v->pool || !v->tables) {
            *err = FT_NOMEM;
            return NULL;
        }
    }
    ft_table *t = malloc(sizeof *t);
    if (!t) {
        *err = FT_NOMEM;
        return NULL;
    }
    ft_table_init(t);
    v->pool[v->npool++] = t;
    return t;
}

static void stop_tables(ext_view *v, ft_err err, const char *msg)
{
    v->tables_done = 1;
    v->tables_err = err;
    snprintf(v->tables_msg, sizeof v->tables_msg, "%s",
             msg && msg[0] ? msg : ft_strerror(err));
}

/* Read one item ahead. 0 when the table stream is exhausted. */
static int read_ahead(ext_view *v)
{
    if (v->have_ahead)
        return 1;
    if (v->tables_done)
        return 0;
    ft_err err = FT_OK;
    ft_table *t = free_table(v, &err);
    if (!t) {
        stop_tables(v, err,
                    err == FT_LIMIT ? "more tables on one page than "
                                      "formtab inspect holds"
                                    : NULL);
        return 0;
    }
    ft_err rc = ft_tables_read_next(v->tr, &v->ahead, t);
    if (rc) {
        stop_tables(v, rc, rc == FT_EOF ? "" : v->tr->rr.msg);
        return 0;
    }
    v->have_ahead = 1;
    if (v->ahead.kind == FT_ITEM_TABLE) {
        ft_table_sort(t); /* rows in order for the HTML table */
        v->ahead_table = t;
        return 1;
    }
    v->ahead_table = NULL;
    ft_buf_reset(&v->ahead_text);
    if (ft_buf_append(&v->ahead_text, v->ahead.text, v->ahead.len)) {
        stop_tables(v, FT_NOMEM, NULL);
        v->have_ahead = 0;
        return 0;
    }
    return 1;
}

static ft_err add_item(ext_view *v, const ext_view_item *it)
{
    if (v->nitems >= EXT_VIEW_MAX_ITEMS) {
        v->dropped++;
        return FT_OK;
    }
    if (v->nitems == v->cap_items) {
        size_t cap = v->cap_items ? v->cap_items * 2 : 64;
        if (cap > EXT_VIEW_MAX_ITEMS)
            cap = EXT_VIEW_MAX_ITEMS;
        ext_view_item *p = realloc(v->items, cap * sizeof *p);
        if (!p)
            return FT_NOMEM;
        v->items = p;
        v->cap_items = cap;
    }
    v->items[v->nitems++] = *it;
    return FT_OK;
}

ft_err ext_view_next_page(ext_view *v,
                          void (*on_doc_warning)(void *ctx, const char *text,
                                                 size_t len),
                          void *ctx)
{
    ft_err rc = ft_layout_read_page(v->lr, &v->page);
    if (rc)
        return rc;
    unsigned n = v->page.number;
    ft_arena_reset(&v->arena);
    v->nitems = 0;
    v->dropped = 0;

    /* Let go of the tables that ended before this page. */
    size_t keep = 0;
    for (size_t i = 0; i < v->ntables; i++)
        if (v->tables[i]->page_last >= n)
            v->tables[keep++] = v->tables[i];
    v->ntables = keep;

    unsigned nnotes = 0;
    while (read_ahead(v)) {
        const ft_tables_item *a = &v->ahead;
        ft_table *t = v->ahead_table;
        if (a->kind == FT_ITEM_WARN && a->page == 0) {
            v->doc_warnings++;
            if (on_doc_warning)
                on_doc_warning(ctx, ft_buf_str(&v->ahead_text),
                               v->ahead_text.len);
            v->have_ahead = 0;
            continue;
        }
        unsigned p = a->kind == FT_ITEM_TABLE ? t->page_first : a->page;
        if (p > n)
            break; /* a later page's: keep it read ahead */
        v->have_ahead = 0;
        v->ahead_table = NULL;
        if (a->kind == FT_ITEM_TABLE) {
            /* A table from a page not shown that reaches this one is held
             * for its cells here, without an item of its own. */
            if (t->page_last < n)
                continue;
            v->tables[v->ntables++] = t;
            if (p < n)
                continue;
            ext_view_item it = {FT_ITEM_TABLE, {0, 0, 0, 0}, 0, NULL, 0, t, 0};
            rc = add_item(v, &it);
        } else {
            if (p < n)
                continue; /* a page the layout stream did not have */
            ext_view_item it = {a->kind, a->box, a->has_box, NULL, 0, NULL,
                                a->kind == FT_ITEM_NOTE ? ++nnotes : 0};
            it.len = v->ahead_text.len;
            it.text = ft_arena_strndup(&v->arena, ft_buf_str(&v->ahead_text),
                                       it.len);
            if (!it.text) {
                v->dropped++; /* past EXT_VIEW_MAX_TEXT: counted */
                continue;
            }
            rc = add_item(v, &it);
        }
        if (rc)
            return rc;
    }
    return FT_OK;
}
