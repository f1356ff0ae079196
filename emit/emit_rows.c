/* rows and cells record modes (see emit_rows.h). */
#include "emit_rows.h"

#include <stdlib.h>
#include <string.h>

const char *const emit_cells_columns[EMIT_CELLS_NCOLS] = {
    "source", "sha256", "page", "table", "row", "col",
    "rowspan", "colspan", "text", "conf", "flags"};

void emit_rows_header(emit_writer *w, unsigned ncols)
{
    static const char *const prov[] = {"source", "sha256", "page", "table",
                                       "row"};
    if (w->fmt != EMIT_CSV)
        return;
    emit_writer_begin(w);
    for (size_t i = 0; i < 5; i++) {
        if (i)
            putc(',', w->out);
        fputs(prov[i], w->out);
    }
    for (unsigned c = 1; c <= ncols; c++)
        fprintf(w->out, ",c%u", c);
    if (w->crlf)
        putc('\r', w->out);
    putc('\n', w->out);
}

const char *emit_conf_str(double conf, char *buf, size_t len)
{
    if (conf < 0)
        return NULL;
    /* The stream carries at most two decimals; %.2f gives them back. The C
     * locale is never changed, so the point is always '.'. */
    snprintf(buf, len, "%.2f", conf);
    return buf;
}

unsigned emit_row_page(const ft_table *t, const size_t *map, unsigned row)
{
    const ft_cell *first = &t->cells[map[(size_t)(row - 1) * t->ncols]];
    for (unsigned c = 1; c <= t->ncols; c++) {
        const ft_cell *x = &t->cells[map[(size_t)(row - 1) * t->ncols + c - 1]];
        if (x->row == row)
            return x->page;
    }
    return first->page;
}

static void provenance(emit_writer *w, const ft_doc *doc, unsigned page,
                       unsigned table, unsigned row)
{
    emit_rec_cstr(w, "source", doc->source ? doc->source : "-");
    emit_rec_cstr(w, "sha256", doc->sha256);
    emit_rec_uint(w, "page", page);
    emit_rec_uint(w, "table", table);
    emit_rec_uint(w, "row", row);
}

ft_err emit_rows_table(emit_writer *w, const ft_doc *doc, const ft_table *t,
                       int with_provenance)
{
    size_t *map = NULL;
    char msg[200];
    ft_err rc = ft_table_slot_map(t, &map, msg, sizeof msg);
    if (rc)
        goto out;
    size_t k = 0; /* next cell in (row, col) order */
    for (unsigned r = 1; r <= t->nrows; r++) {
        emit_rec_begin(w);
        if (with_provenance)
            provenance(w, doc, emit_row_page(t, map, r), t->id, r);
        if (w->fmt == EMIT_CSV) {
            /* Filled: every slot gets the text of the cell covering it. */
            for (unsigned c = 1; c <= t->ncols; c++) {
                const ft_cell *x =
                    &t->cells[map[(size_t)(r - 1) * t->ncols + c - 1]];
                emit_rec_str(w, NULL, x->text, x->len);
            }
        } else {
            emit_rec_key(w, "cells");
            putc('[', w->out);
            int first = 1;
            for (; k < t->ncells && t->cells[k].row == r; k++) {
                const ft_cell *x = &t->cells[k];
                fprintf(w->out, "%s{\"col\":%u,\"text\":", first ? "" : ",",
                        x->col);
                emit_json_string(w->out, x->text, x->len);
                fprintf(w->out, ",\"rowspan\":%u,\"colspan\":%u}", x->rowspan,
                        x->colspan);
                first = 0;
            }
            putc(']', w->out);
        }
        emit_rec_end(w);
    }
out:
    free(map);
    return rc;
}

void emit_cells_table(emit_writer *w, const ft_doc *doc, const ft_table *t)
{
    char conf[32];
    for (size_t k = 0; k < t->ncells; k++) {
        const ft_cell *x = &t->cells[k];
        emit_rec_begin(w);
        provenance(w, doc, x->page, t->id, x->row);
        emit_rec_uint(w, "col", x->col);
        emit_rec_uint(w, "rowspan", x->rowspan);
        emit_rec_uint(w, "colspan", x->colspan);
        emit_rec_str(w, "text", x->text, x->len);
        emit_rec_num(w, "conf", emit_conf_str(x->conf, conf, sizeof conf));
        if (w->fmt == EMIT_CSV)
            emit_rec_uint(w, "flags", x->flags);
        emit_rec_end(w);
    }
}
