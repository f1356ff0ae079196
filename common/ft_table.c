/* Table stream: table model, slot map validation, writer and reader. */
#include "ft_table.h"

#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"

void ft_table_init(ft_table *t)
{
    memset(t, 0, sizeof *t);
    ft_arena_init(&t->arena, FT_MAX_PAGE_TEXT_LEN);
}

void ft_table_cleanup(ft_table *t)
{
    free(t->cells);
    ft_arena_cleanup(&t->arena);
    memset(t, 0, sizeof *t);
}

void ft_table_reset(ft_table *t)
{
    t->id = t->page_first = t->page_last = 0;
    t->method[0] = '\0';
    t->nrows = t->ncols = 0;
    t->has_box = 0;
    t->ncells = 0;
    ft_arena_reset(&t->arena);
}

ft_err ft_table_add_cell(ft_table *t, const ft_cell *c)
{
    if (t->ncells == t->cap_cells) {
        if (t->ncells >= FT_MAX_TABLE_SLOTS)
            return FT_LIMIT;
        size_t ncap = t->cap_cells ? t->cap_cells * 2 : 64;
        ft_cell *n = realloc(t->cells, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        t->cells = n;
        t->cap_cells = ncap;
    }
    char *text = ft_arena_strndup(&t->arena, c->text ? c->text : "", c->len);
    if (!text)
        return FT_LIMIT;
    ft_cell *d = &t->cells[t->ncells++];
    *d = *c;
    d->text = text;
    return FT_OK;
}

ft_err ft_table_slot_map(const ft_table *t, size_t **map, char *msg,
                         size_t msg_len)
{
    *map = NULL;
    if (t->nrows == 0 || t->ncols == 0 || t->ncols > FT_MAX_TABLE_COLS ||
        (size_t)t->nrows * t->ncols > FT_MAX_TABLE_SLOTS) {
        snprintf(msg, msg_len, "table %u: bad size %ux%u", t->id, t->nrows,
                 t->ncols);
        return FT_FORMAT;
    }
    size_t n = (size_t)t->nrows * t->ncols;
    size_t *m = malloc(n * sizeof *m);
    if (!m)
        return FT_NOMEM;
    for (size_t i = 0; i < n; i++)
        m[i] = (size_t)-1;
    for (size_t k = 0; k < t->ncells; k++) {
        const ft_cell *c = &t->cells[k];
        if (c->row < 1 || c->col < 1 || c->rowspan < 1 || c->colspan < 1 ||
            c->row - 1 + c->rowspan > t->nrows ||
            c->col - 1 + c->colspan > t->ncols) {
            snprintf(msg, msg_len,
                     "table %u: cell at row %u col %u span %ux%u lies outside "
                     "the %ux%u grid",
                     t->id, c->row, c->col, c->rowspan, c->colspan, t->nrows,
                     t->ncols);
            free(m);
            return FT_FORMAT;
        }
        for (unsigned r = c->row; r < c->row + c->rowspan; r++)
            for (unsigned q = c->col; q < c->col + c->colspan; q++) {
                size_t s = (size_t)(r - 1) * t->ncols + (q - 1);
                if (m[s] != (size_t)-1) {
                    snprintf(msg, msg_len,
                             "table %u: slot row %u col %u covered twice", t->id,
                             r, q);
                    free(m);
                    return FT_FORMAT;
                }
                m[s] = k;
            }
    }
    for (size_t s = 0; s < n; s++)
        if (m[s] == (size_t)-1) {
            snprintf(msg, msg_len, "table %u: slot row %zu col %zu not covered",
                     t->id, s / t->ncols + 1, s % t->ncols + 1);
            free(m);
            return FT_FORMAT;
        }
    *map = m;
    return FT_OK;
}

static int cmp_cell(const void *a, const void *b)
{
    const ft_cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return 0;
}

void ft_table_sort(ft_table *t)
{
    if (t->ncells > 1)
        qsort(t->cells, t->ncells, sizeof *t->cells, cmp_cell);
}

/* ---- writer ---- */

void ft_tables_write_header(FILE *f, const ft_doc *d)
{
    fputs(FT_TABLES_MAGIC "\t1\ndoc\t", f);
    ft_tsv_puts(f, d->source ? d->source : "-");
    /* The hash field is escaped like any other: a reader keeps whatever a
     * stream carried there (fuzz/regress/normalize/sha256-escape). */
    fputc('\t', f);
    ft_tsv_puts(f, d->sha256);
    fprintf(f, "\t%s\t%u\n", d->kind, d->npages);
}

static void put_opt_box(FILE *f, const ft_box *b, int has)
{
    if (!has) {
        fputs("\t\t\t", f);
        return;
    }
    ft_put_num(f, b->x0);
    fputc('\t', f);
    ft_put_num(f, b->y0);
    fputc('\t', f);
    ft_put_num(f, b->x1);
    fputc('\t', f);
    ft_put_num(f, b->y1);
}

void ft_tables_write_table(FILE *f, const ft_table *t)
{
    fprintf(f, "table\t%u\t%u\t%u\t%s\t%u\t%u\t", t->id, t->page_first,
            t->page_last, t->method, t->nrows, t->ncols);
    put_opt_box(f, &t->box, t->has_box);
    fputc('\n', f);
    for (size_t i = 0; i < t->ncells; i++) {
        const ft_cell *c = &t->cells[i];
        fprintf(f, "cell\t%u\t%u\t%u\t%u\t%u\t", c->row, c->col, c->rowspan,
                c->colspan, c->page);
        put_opt_box(f, &c->box, c->has_box);
        fputc('\t', f);
        if (c->conf >= 0)
            ft_put_num(f, c->conf);
        fprintf(f, "\t%u\t", c->flags);
        ft_tsv_put(f, c->text, c->len);
        fputc('\n', f);
    }
    fprintf(f, "endtable\t%u\n", t->id);
}

void ft_tables_write_note(FILE *f, unsigned page, const ft_box *box,
                          const char *text, size_t len)
{
    fprintf(f, "note\t%u\t", page);
    put_opt_box(f, box, box != NULL);
    fputc('\t', f);
    ft_tsv_put(f, text, len);
    fputc('\n', f);
}

void ft_tables_write_warn(FILE *f, unsigned page, const char *msg)
{
    fputs("warn\t", f);
    if (page)
        fprintf(f, "%u", page);
    fputc('\t', f);
    ft_tsv_puts(f, msg);
    fputc('\n', f);
}

void ft_tables_write_end(FILE *f, unsigned ntables, unsigned failed_pages)
{
    fprintf(f, "end\t%u\t%u\n", ntables, failed_pages);
}

/* ---- reader ---- */

ft_err ft_tables_reader_init(ft_tables_reader *r, FILE *in, const char *name)
{
    memset(r, 0, sizeof *r);
    ft_doc_init(&r->doc);
    ft_err rc = ft_record_reader_init(&r->rr, in, name, FT_TABLES_MAGIC,
                                      FT_TABLES_VERSION);
    if (rc)
        return rc;
    ft_record_reader *rr = &r->rr;
    rc = ft_record_next(rr);
    if (rc == FT_EOF) {
        snprintf(rr->msg, sizeof rr->msg, "line 2: missing 'doc' record");
        return FT_TRUNCATED;
    }
    if (rc)
        return rc;
    if (strcmp(rr->field[0], "doc") != 0)
        return ft_record_fail(rr, "expected 'doc', found '%.20s'",
                              rr->field[0]);
    if ((rc = ft_record_need(rr, 5)))
        return rc;
    r->doc.source = strdup(rr->field[1]);
    if (!r->doc.source)
        return FT_NOMEM;
    if (rr->flen[2] > 64)
        return ft_record_fail(rr, "sha256 too long");
    memcpy(r->doc.sha256, rr->field[2], rr->flen[2] + 1);
    if (strcmp(rr->field[3], "pdf") && strcmp(rr->field[3], "text"))
        return ft_record_fail(rr, "unknown document kind '%.20s'",
                              rr->field[3]);
    strcpy(r->doc.kind, rr->field[3]);
    return ft_record_uint(rr, 4, &r->doc.npages);
}

void ft_tables_reader_cleanup(ft_tables_reader *r)
{
    ft_record_reader_cleanup(&r->rr);
    ft_doc_cleanup(&r->doc);
}

static ft_err read_opt_box(ft_record_reader *rr, size_t i, ft_box *b, int *has)
{
    int p[4];
    ft_err rc;
    if ((rc = ft_record_double(rr, i, &b->x0, &p[0])) ||
        (rc = ft_record_double(rr, i + 1, &b->y0, &p[1])) ||
        (rc = ft_record_double(rr, i + 2, &b->x1, &p[2])) ||
        (rc = ft_record_double(rr, i + 3, &b->y1, &p[3])))
        return rc;
    int n = p[0] + p[1] + p[2] + p[3];
    if (n != 0 && n != 4)
        return ft_record_fail(rr, "box needs four numbers or none");
    *has = n == 4;
    return FT_OK;
}

static ft_err read_table(ft_tables_reader *r, ft_table *t)
{
    ft_record_reader *rr = &r->rr;
    ft_err rc;
    ft_table_reset(t);
    if ((rc = ft_record_need(rr, 11)) || (rc = ft_record_uint(rr, 1, &t->id)) ||
        (rc = ft_record_uint(rr, 2, &t->page_first)) ||
        (rc = ft_record_uint(rr, 3, &t->page_last)) ||
        (rc = ft_record_uint(rr, 5, &t->nrows)) ||
        (rc = ft_record_uint(rr, 6, &t->ncols)) ||
        (rc = read_opt_box(rr, 7, &t->box, &t->has_box)))
        return rc;
    if (rr->flen[4] >= sizeof t->method)
        return ft_record_fail(rr, "method name too long");
    memcpy(t->method, rr->field[4], rr->flen[4] + 1);
    if (t->nrows == 0 || t->ncols == 0 || t->ncols > FT_MAX_TABLE_COLS ||
        (size_t)t->nrows * t->ncols > FT_MAX_TABLE_SLOTS)
        return ft_record_fail(rr, "table size %ux%u out of range", t->nrows,
                              t->ncols);
    for (;;) {
        rc = ft_record_next(rr);
        if (rc == FT_EOF) {
            snprintf(rr->msg, sizeof rr->msg,
                     "stream ended inside table %u (after line %lu)", t->id,
                     ft_record_lineno(rr));
            return FT_TRUNCATED;
        }
        if (rc)
            return rc;
        const char *type = rr->field[0];
        if (!strcmp(type, "cell")) {
            ft_cell c;
            if ((rc = ft_record_need(rr, 13)) ||
                (rc = ft_record_uint(rr, 1, &c.row)) ||
                (rc = ft_record_uint(rr, 2, &c.col)) ||
                (rc = ft_record_uint(rr, 3, &c.rowspan)) ||
                (rc = ft_record_uint(rr, 4, &c.colspan)) ||
                (rc = ft_record_uint(rr, 5, &c.page)) ||
                (rc = read_opt_box(rr, 6, &c.box, &c.has_box)))
                return rc;
            int pres;
            if ((rc = ft_record_double(rr, 10, &c.conf, &pres)) ||
                (rc = ft_record_uint(rr, 11, &c.flags)))
                return rc;
            if (!pres)
                c.conf = -1;
            c.text = rr->field[12];
            c.len = rr->flen[12];
            if ((rc = ft_table_add_cell(t, &c))) {
                if (rc == FT_LIMIT)
                    snprintf(rr->msg, sizeof rr->msg,
                             "line %lu: table %u exceeds a limit",
                             ft_record_lineno(rr), t->id);
                return rc;
            }
        } else if (!strcmp(type, "endtable")) {
            unsigned id;
            if ((rc = ft_record_need(rr, 2)) || (rc = ft_record_uint(rr, 1, &id)))
                return rc;
            if (id != t->id)
                return ft_record_fail(rr, "endtable %u closes table %u", id,
                                      t->id);
            size_t *map = NULL;
            char msg[200];
            rc = ft_table_slot_map(t, &map, msg, sizeof msg);
            free(map);
            if (rc == FT_FORMAT)
                return ft_record_fail(rr, "%s", msg);
            if (rc)
                return rc;
            ft_table_sort(t);
            return FT_OK;
        } else if (!strncmp(type, "x-", 2)) {
            continue;
        } else {
            return ft_record_fail(rr, "unexpected '%.20s' inside table %u",
                                  type, t->id);
        }
    }
}

ft_err ft_tables_read_next(ft_tables_reader *r, ft_tables_item *item,
                           ft_table *t)
{
    ft_record_reader *rr = &r->rr;
    ft_err rc;
    memset(item, 0, sizeof *item);
    if (r->ended)
        return FT_EOF;
    for (;;) {
        rc = ft_record_next(rr);
        if (rc == FT_EOF) {
            snprintf(rr->msg, sizeof rr->msg,
                     "stream ended after line %lu without 'end' record",
                     ft_record_lineno(rr));
            return FT_TRUNCATED;
        }
        if (rc)
            return rc;
        const char *type = rr->field[0];
        if (!strcmp(type, "table")) {
            item->kind = FT_ITEM_TABLE;
            return read_table(r, t);
        }
        if (!strcmp(type, "note")) {
            if ((rc = ft_record_need(rr, 7)) ||
                (rc = ft_record_uint(rr, 1, &item->page)) ||
                (rc = read_opt_box(rr, 2, &item->box, &item->has_box)))
                return rc;
            item->kind = FT_ITEM_NOTE;
            item->text = rr->field[6];
            item->len = rr->flen[6];
            return FT_OK;
        }
        if (!strcmp(type, "warn")) {
            if ((rc = ft_record_need(rr, 3)))
                return rc;
            if (rr->flen[1] && (rc = ft_record_uint(rr, 1, &item->page)))
                return rc;
            item->kind = FT_ITEM_WARN;
            item->text = rr->field[2];
            item->len = rr->flen[2];
            return FT_OK;
        }
        if (!strcmp(type, "end")) {
            if ((rc = ft_record_need(rr, 3)) ||
                (rc = ft_record_uint(rr, 1, &r->end_ntables)) ||
                (rc = ft_record_uint(rr, 2, &r->end_failed)))
                return rc;
            r->ended = 1;
            return FT_EOF;
        }
        if (!strncmp(type, "x-", 2))
            continue;
        return ft_record_fail(rr, "unknown record type '%.20s'", type);
    }
}
