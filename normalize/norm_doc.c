/* Page loop of formtab-normalize: find, normalise, join, write (norm_doc.h). */
#include "norm_doc.h"

#include <string.h>

#include "ft_buf.h"
#include "ft_layout.h"
#include "ft_limits.h"
#include "ft_table.h"
#include "ft_utf8.h"
#include "norm_geom.h"
#include "norm_join.h"
#include "norm_ocrfix.h"
#include "norm_page.h"
#include "norm_text.h"

typedef struct {
    FILE *out;
    const norm_rules *rules;
    ft_diag *d;
    const char *source;    /* the document's name, for messages */
    ft_table held;         /* last table of the previous page */
    int has_held;
    unsigned ntables;      /* tables written */
    unsigned nfailed;      /* pages that failed */
    norm_page_out po;
    ft_buf buf;
} doc;

static void write_table(doc *c, ft_table *t)
{
    t->id = ++c->ntables;
    ft_table_sort(t);
    ft_tables_write_table(c->out, t);
}

static void flush_held(doc *c)
{
    if (!c->has_held)
        return;
    write_table(c, &c->held);
    ft_table_cleanup(&c->held);
    c->has_held = 0;
}

/* A page-level warning: to stderr and as a `warn` record. */
static void page_warning(doc *c, unsigned page, const char *msg)
{
    ft_diag_warn(c->d, c->source, page, "%s", msg);
    ft_tables_write_warn(c->out, page, msg);
}

/* Normalise one text with the rules: text and len are replaced by a copy in
 * arena when a rule changed the text, and FT_CELL_REPAIRED is set in flags. */
static ft_err normalise(doc *c, ft_arena *arena, char **text, size_t *len,
                        unsigned *flags, unsigned page)
{
    int changed = 0;
    ft_buf_reset(&c->buf);
    ft_err rc = norm_rules_apply(c->rules, *text, *len, &c->buf, &changed);
    (void)page;
    if (rc == FT_LIMIT)
        return norm_page_warn(&c->po, "a normalisation rule hit its match "
                              "limit; text left unchanged: '%.*s'",
                              (int)ft_utf8_boundary(*text, *len < 60 ? *len : 60),
                              *text);
    if (rc)
        return rc;
    if (!changed)
        return FT_OK;
    char *s = ft_arena_strndup(arena, c->buf.data ? c->buf.data : "",
                               c->buf.len);
    if (!s)
        return FT_LIMIT;
    *text = s;
    *len = c->buf.len;
    if (flags)
        *flags |= FT_CELL_REPAIRED;
    return FT_OK;
}

/* Undo the OCR confusions of one recognised cell (norm_ocrfix.h) before the
 * rules see it. */
static ft_err ocrfix(doc *c, ft_table *t, ft_cell *cell, int relops)
{
    norm_ocrfix_ctx ctx = {norm_ocrfix_looks_numeric(cell->text, cell->len),
                           relops};
    unsigned fixes = 0;
    ft_buf_reset(&c->buf);
    ft_err rc = norm_ocrfix_cell(cell->text, cell->len, cell->conf, &ctx,
                                 &c->buf, &fixes);
    if (rc == FT_UTF8 || rc == FT_LIMIT)
        return FT_OK; /* left as read */
    if (rc || !fixes)
        return rc;
    char *s = ft_arena_strndup(&t->arena, c->buf.data ? c->buf.data : "",
                               c->buf.len);
    if (!s)
        return FT_LIMIT;
    cell->text = s;
    cell->len = c->buf.len;
    cell->flags |= FT_CELL_REPAIRED;
    return FT_OK;
}

static ft_err normalise_page(doc *c)
{
    ft_err rc;
    norm_page_out *po = &c->po;
    for (size_t i = 0; i < po->tables.count; i++) {
        ft_table *t = &po->tables.items[i];
        int relops = norm_ocrfix_table_relops(t);
        for (size_t k = 0; k < t->ncells; k++) {
            ft_cell *cell = &t->cells[k];
            if (cell->len == 0)
                continue;
            if (cell->conf >= 0 && (rc = ocrfix(c, t, cell, relops)))
                return rc;
            if ((rc = normalise(c, &t->arena, &cell->text, &cell->len,
                                &cell->flags, po->page)))
                return rc;
        }
        /* norm_ocrfix_check_sums() is not called: it adds up percentage
         * columns too (fixtures/pdf/scan300-x-ja-ruled: 執行率 96.8% "should
         * be" 472.1), a false warning on every table with a rate column. */
    }
    for (size_t i = 0; i < po->count; i++) {
        norm_item *it = &po->items[i];
        if (it->kind == NORM_ITEM_NOTE &&
            (rc = normalise(c, &po->arena, &it->text, &it->len, NULL,
                            po->page)))
            return rc;
    }
    return FT_OK;
}

/* 1 if note (at the top of a page, above the first table) repeats the text
 * of a cell in the held table's last row, in the same column: producers
 * (LibreOffice, fixtures/pdf/lo-seed000 page 4) draw the text of a merged
 * cell that a page break splits on both pages, the second time above the
 * continued table. Such a note is part of the split cell, not a title
 * between two tables. */
static int repeats_split_cell(const ft_table *held, const norm_item *note)
{
    if (!note->has_box || !held->has_box)
        return 0;
    double cx = (note->box.x0 + note->box.x1) / 2;
    for (size_t i = 0; i < held->ncells; i++) {
        const ft_cell *c = &held->cells[i];
        if (c->row + c->rowspan - 1 != held->nrows || !c->has_box)
            continue;
        if (cx >= c->box.x0 && cx <= c->box.x1 && c->len == note->len &&
            memcmp(c->text, note->text, c->len) == 0)
            return 1;
    }
    return 0;
}

/* Write the page's items, joining its first table to the held one when it
 * continues it, and holding its last table back when the page ends with one. */
static ft_err write_page(doc *c, const ft_page *p)
{
    norm_page_out *po = &c->po;
    size_t start = 0;
    ft_err rc;
    if (c->has_held) {
        size_t lead = 0;
        while (lead < po->count && po->items[lead].kind == NORM_ITEM_NOTE &&
               repeats_split_cell(&c->held, &po->items[lead]))
            lead++;
        norm_item *first = lead < po->count ? &po->items[lead] : NULL;
        ft_table *t = first && first->kind == NORM_ITEM_TABLE
                          ? &po->tables.items[first->table]
                          : NULL;
        norm_join_fit fit = t ? norm_join_compatible(&c->held, t) : NORM_JOIN_NO;
        if (t && fit == NORM_JOIN_NO)
            ft_diag_debug(c->d, "%s: page %u: first table does not continue "
                          "the one held from page %u (%s, %u vs %u columns)",
                          c->source, p->number, c->held.page_last, t->method,
                          t->ncols, c->held.ncols);
        if (fit == NORM_JOIN_REGRID) {
            rc = norm_join_regrid(&c->held, t);
            if (rc == FT_NOMEM)
                return rc;
            if (rc)
                ft_diag_debug(c->d, "%s: page %u: columns of the table held "
                              "from page %u do not fit a common grid",
                              c->source, p->number, c->held.page_last);
            fit = rc ? NORM_JOIN_NO : NORM_JOIN_SAME;
        }
        if (fit == NORM_JOIN_SAME) {
            rc = norm_join_append(&c->held, t, first->top_open);
            if (rc == FT_OK) {
                ft_diag_debug(c->d, "%s: page %u: table continues from page %u",
                              c->source, p->number, c->held.page_first);
                start = lead + 1;
            } else if (rc == FT_LIMIT) {
                page_warning(c, p->number, "table too large to join to the "
                             "previous page's; a new table starts here");
            } else {
                return rc;
            }
        }
        if (start == 0 || po->count > start)
            flush_held(c);
    }
    for (size_t i = 0; i < p->nwarnings; i++)
        ft_tables_write_warn(c->out, p->number, p->warnings[i]);
    for (size_t i = 0; i < po->nwarnings; i++)
        page_warning(c, p->number, po->warnings[i]);
    for (size_t i = start; i < po->count; i++) {
        norm_item *it = &po->items[i];
        if (it->kind == NORM_ITEM_NOTE) {
            ft_tables_write_note(c->out, p->number, it->has_box ? &it->box : NULL,
                                 it->text, it->len);
            continue;
        }
        ft_table *t = &po->tables.items[it->table];
        if (i + 1 == po->count) {
            /* The page ends with this table: hold it for the next page. */
            c->held = *t;
            ft_table_init(t);
            c->has_held = 1;
        } else {
            write_table(c, t);
        }
    }
    return FT_OK;
}

static ft_err do_page(doc *c, const ft_page *p)
{
    ft_err rc;
    norm_page_out_reset(&c->po, p->number);
    if (p->failed) {
        char msg[300];
        flush_held(c);
        c->nfailed++;
        for (size_t i = 0; i < p->nwarnings; i++)
            ft_tables_write_warn(c->out, p->number, p->warnings[i]);
        snprintf(msg, sizeof msg, "page failed: %s",
                 p->fail_reason && *p->fail_reason ? p->fail_reason
                                                   : "no reason given");
        ft_tables_write_warn(c->out, p->number, msg);
        return FT_OK;
    }
    if (!strcmp(p->origin, "plain"))
        rc = norm_text_page(p, c->rules, &c->po);
    else
        rc = norm_geom_page(p, c->rules, c->has_held ? &c->held : NULL,
                            &c->po, c->d, c->source);
    if (!rc)
        rc = normalise_page(c);
    if (rc == FT_LIMIT) {
        /* One page past a cap does not stop the document. */
        flush_held(c);
        c->nfailed++;
        page_warning(c, p->number, "page skipped: it exceeds a resource limit");
        return FT_OK;
    }
    if (rc)
        return rc;
    norm_page_sort(&c->po);
    return write_page(c, p);
}

ft_err norm_doc_run(FILE *in, const char *in_name, FILE *out,
                    const norm_rules *rules, const norm_doc_options *opts,
                    ft_diag *d)
{
    ft_layout_reader r;
    ft_page page;
    doc c;
    int header = 0;
    memset(&c, 0, sizeof c);
    c.out = out;
    c.rules = rules;
    c.d = d;
    norm_page_out_init(&c.po);
    ft_buf_init(&c.buf, FT_MAX_CELL_LEN * 2);
    ft_page_init(&page);
    ft_err rc = ft_layout_reader_init(&r, in, in_name);
    if (rc == FT_EMPTY && opts->empty_ok) {
        rc = FT_OK;
        goto out;
    }
    if (rc) {
        ft_diag_error(d, in_name, 0, "%s",
                      r.rr.msg[0] ? r.rr.msg : ft_strerror(rc));
        goto out;
    }
    c.source = r.doc.source ? r.doc.source : in_name;
    ft_tables_write_header(out, &r.doc);
    header = 1;
    for (;;) {
        rc = ft_layout_read_page(&r, &page);
        if (rc == FT_EOF) {
            rc = FT_OK;
            break;
        }
        if (rc) {
            ft_diag_error(d, in_name, 0, "%s",
                          r.rr.msg[0] ? r.rr.msg : ft_strerror(rc));
            break;
        }
        if ((rc = do_page(&c, &page))) {
            ft_diag_error(d, c.source, page.number, "%s", ft_strerror(rc));
            break;
        }
        if (ferror(out)) {
            rc = FT_IO;
            break;
        }
    }
out:
    if (header) {
        flush_held(&c);
        ft_tables_write_end(out, c.ntables, c.nfailed);
    }
    if (c.has_held)
        ft_table_cleanup(&c.held);
    ft_page_cleanup(&page);
    ft_buf_cleanup(&c.buf);
    norm_page_out_cleanup(&c.po);
    ft_layout_reader_cleanup(&r);
    return rc;
}
