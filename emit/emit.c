/* The emit loop: one table in memory at a time, records out as each table
 * completes (see emit.h). */
#include "emit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit_form.h"
#include "emit_map.h"
#include "emit_rows.h"
#include "ft_atomic.h"
#include "ft_buf.h"
#include "ft_table.h"

void emit_options_init(emit_options *o)
{
    memset(o, 0, sizeof *o);
    o->fmt = EMIT_CSV;
    o->mode = EMIT_MODE_ROWS;
    o->header = -1;
    o->kinds = EMIT_KIND_ALL;
}

/* Longest name of a --split output file we build (a path component). */
#define EMIT_MAX_SPLIT_NAME 240u

/* The file name stem for --split: the source's base name without its last
 * extension, "stdin" for '-' or an empty name. */
static void split_stem(const char *source, char *stem, size_t len)
{
    const char *b = source ? strrchr(source, '/') : NULL;
    b = b ? b + 1 : (source ? source : "");
    size_t n = strlen(b);
    const char *dot = strrchr(b, '.');
    if (dot && dot != b)
        n = (size_t)(dot - b);
    if (n == 0 || !strcmp(b, "-")) {
        snprintf(stem, len, "stdin");
        return;
    }
    if (n >= len)
        n = len - 1; /* a long name keeps its start, cut at a character */
    while (n > 0 && ((unsigned char)b[n] & 0xC0) == 0x80)
        n--;
    memcpy(stem, b, n);
    stem[n] = '\0';
}

/* Write one table of rows or cells mode to its own CSV file in o->split_dir,
 * atomically, and print the path to out. */
static ft_err split_table(const emit_options *o, const ft_doc *doc,
                          const ft_table *t, FILE *out, char *msg, size_t len)
{
    char stem[EMIT_MAX_SPLIT_NAME];
    ft_buf path;
    ft_atomic a;
    int opened = 0;
    ft_err rc;
    ft_buf_init(&path, 4096);
    split_stem(doc->source, stem, sizeof stem);
    if ((rc = ft_buf_printf(&path, "%s/%s-p%u-t%u.csv", o->split_dir, stem,
                            t->page_first, t->id)))
        goto out;
    if ((rc = ft_atomic_open(&a, ft_buf_str(&path)))) {
        snprintf(msg, len, "%s: cannot create: %s", ft_buf_str(&path),
                 strerror(errno));
        goto out;
    }
    opened = 1;
    emit_writer w;
    emit_writer_init(&w, a.f, EMIT_CSV, o->crlf, o->bom);
    if (o->mode == EMIT_MODE_CELLS) {
        if (o->header != 0)
            emit_writer_header(&w, emit_cells_columns, EMIT_CELLS_NCOLS);
        emit_cells_table(&w, doc, t);
    } else {
        /* Data only: the per-table file is the table itself, filled. */
        if ((rc = emit_rows_table(&w, doc, t, 0)))
            goto out;
    }
    emit_writer_finish(&w);
    opened = 0;
    if ((rc = ft_atomic_commit(&a))) {
        snprintf(msg, len, "%s: cannot write: %s", ft_buf_str(&path),
                 strerror(errno));
        goto out;
    }
    fprintf(out, "%s\n", ft_buf_str(&path));
out:
    if (opened)
        ft_atomic_abort(&a);
    ft_buf_cleanup(&path);
    return rc;
}

/* The kinds of form mode, with their CSV columns and --split file names. */
static const struct {
    unsigned bit;
    const char *name;
    const char *const *cols;
    size_t ncols;
} form_kinds[] = {
    {EMIT_KIND_FIELD, "field", emit_field_columns, EMIT_FIELD_NCOLS},
    {EMIT_KIND_INDICATOR, "indicator", emit_indicator_columns,
     EMIT_INDICATOR_NCOLS},
    {EMIT_KIND_BUDGET, "budget_item", emit_budget_columns, EMIT_BUDGET_NCOLS},
    {EMIT_KIND_CELL, "cell", emit_formcell_columns, EMIT_FORMCELL_NCOLS},
};
#define NKINDS (sizeof form_kinds / sizeof form_kinds[0])

/* Output of form mode: one writer for a single stream, or one atomic file
 * per kind with --split. */
typedef struct {
    emit_writer w[NKINDS];
    ft_atomic a[NKINDS];
    int open[NKINDS];
    char *path[NKINDS];
    emit_form_out out;
} form_outputs;

static ft_err form_outputs_open(form_outputs *fo, const emit_options *o,
                                const char *source, FILE *out, emit_writer *w,
                                char *msg, size_t len)
{
    memset(fo, 0, sizeof *fo);
    emit_writer **slot[NKINDS] = {&fo->out.field, &fo->out.indicator,
                                  &fo->out.budget, &fo->out.cell};
    if (!o->split_dir) {
        /* One stream: CSV holds the one kind chosen; JSON holds all asked. */
        (void)out;
        for (size_t i = 0; i < NKINDS; i++)
            if (o->kinds & form_kinds[i].bit) {
                *slot[i] = w;
                if (o->fmt == EMIT_CSV && o->header != 0)
                    emit_writer_header(w, form_kinds[i].cols,
                                       form_kinds[i].ncols);
            }
        return FT_OK;
    }
    char stem[EMIT_MAX_SPLIT_NAME];
    split_stem(source, stem, sizeof stem);
    for (size_t i = 0; i < NKINDS; i++) {
        ft_buf p;
        ft_err rc;
        ft_buf_init(&p, 4096);
        if ((rc = ft_buf_printf(&p, "%s/%s-%s.csv", o->split_dir, stem,
                                form_kinds[i].name))) {
            ft_buf_cleanup(&p);
            return rc;
        }
        fo->path[i] = ft_buf_steal(&p);
        if (!fo->path[i])
            return FT_NOMEM;
        if ((rc = ft_atomic_open(&fo->a[i], fo->path[i]))) {
            snprintf(msg, len, "%s: cannot create: %s", fo->path[i],
                     strerror(errno));
            return rc;
        }
        fo->open[i] = 1;
        emit_writer_init(&fo->w[i], fo->a[i].f, EMIT_CSV, o->crlf, o->bom);
        if (o->header != 0)
            emit_writer_header(&fo->w[i], form_kinds[i].cols,
                               form_kinds[i].ncols);
        *slot[i] = &fo->w[i];
    }
    return FT_OK;
}

/* Commit the --split files (keep: 1) or remove them, print their paths. */
static ft_err form_outputs_close(form_outputs *fo, int keep, FILE *out,
                                 char *msg, size_t len)
{
    ft_err rc = FT_OK;
    for (size_t i = 0; i < NKINDS; i++) {
        if (fo->open[i]) {
            if (!keep || rc) {
                ft_atomic_abort(&fo->a[i]);
            } else {
                emit_writer_finish(&fo->w[i]);
                ft_err c = ft_atomic_commit(&fo->a[i]);
                if (c) {
                    snprintf(msg, len, "%s: cannot write: %s", fo->path[i],
                             strerror(errno));
                    rc = c;
                } else {
                    fprintf(out, "%s\n", fo->path[i]);
                }
            }
        }
        free(fo->path[i]);
    }
    memset(fo, 0, sizeof *fo);
    return rc;
}

/* 1 if the stream has no byte at all (upstream failed and said so). */
static int input_is_empty(FILE *in)
{
    int c = getc(in);
    if (c == EOF)
        return !ferror(in);
    ungetc(c, in);
    return 0;
}

ft_err emit_run(const emit_options *o, FILE *in, const char *name, FILE *out,
                ft_diag *d, char *msg, size_t len)
{
    ft_tables_reader r;
    ft_table t;
    emit_writer w;
    emit_map *map = NULL;
    emit_form_carry *carry = NULL;
    form_outputs fo;
    int fo_open = 0;
    int reader_open = 0;
    ft_err rc = FT_OK;
    unsigned header_ncols = 0; /* rows mode: width the header line named */
    msg[0] = '\0';
    memset(&fo, 0, sizeof fo);
    ft_table_init(&t);
    emit_writer_init(&w, out, o->fmt, o->crlf, o->bom);
    if (o->mode == EMIT_MODE_FORM) {
        /* The map is read before the input: a bad map is reported even when
         * the input is empty. */
        rc = o->map_path ? emit_map_load(o->map_path, &map, msg, len)
                         : emit_map_builtin(&map, msg, len);
        if (rc)
            goto out_nowrite;
        if ((rc = emit_form_carry_new(&carry))) {
            snprintf(msg, len, "out of memory");
            goto out_nowrite;
        }
    }

    if (input_is_empty(in)) {
        if (o->empty_ok)
            goto out_nowrite;
        snprintf(msg, len, "%s: no input (expected a formtab-tables stream)",
                 name);
        rc = FT_EMPTY;
        goto out_nowrite;
    }
    reader_open = 1;
    rc = ft_tables_reader_init(&r, in, name);
    if (rc) {
        snprintf(msg, len, "%s: %s", name,
                 r.rr.msg[0] ? r.rr.msg : ft_strerror(rc));
        goto out_nowrite;
    }
    const ft_doc *doc = &r.doc;
    const char *src = doc->source ? doc->source : name;

    if (!o->split_dir) {
        emit_writer_begin(&w);
        if (o->mode == EMIT_MODE_CELLS && o->header != 0)
            emit_writer_header(&w, emit_cells_columns, EMIT_CELLS_NCOLS);
    }
    if (o->mode == EMIT_MODE_FORM) {
        fo_open = 1;
        if ((rc = form_outputs_open(&fo, o, doc->source, out, &w, msg, len)))
            goto out;
    }
    emit_form_counts counts = {0, 0, 0, 0};
    /* Notes since the previous table, for form mode (copies, bounded). */
    emit_note notes[EMIT_MAX_NOTES];
    char *note_text[EMIT_MAX_NOTES] = {NULL};
    size_t nnotes = 0;
    for (;;) {
        ft_tables_item item;
        rc = ft_tables_read_next(&r, &item, &t);
        if (rc == FT_EOF) {
            rc = FT_OK;
            break;
        }
        if (rc) {
            snprintf(msg, len, "%s: %s", name,
                     r.rr.msg[0] ? r.rr.msg : ft_strerror(rc));
            break;
        }
        if (item.kind == FT_ITEM_WARN) {
            ft_diag_warn(d, src, item.page, "%.*s", (int)item.len, item.text);
            continue;
        }
        if (item.kind == FT_ITEM_NOTE) {
            if (o->mode != EMIT_MODE_FORM || item.len > EMIT_MAX_NOTE_LEN)
                continue;
            if (nnotes == EMIT_MAX_NOTES) { /* keep the most recent */
                free(note_text[0]);
                memmove(note_text, note_text + 1,
                        (EMIT_MAX_NOTES - 1) * sizeof note_text[0]);
                memmove(notes, notes + 1, (EMIT_MAX_NOTES - 1) * sizeof notes[0]);
                nnotes--;
            }
            char *copy = malloc(item.len + 1);
            if (!copy) {
                rc = FT_NOMEM;
                snprintf(msg, len, "%s: out of memory", name);
                break;
            }
            memcpy(copy, item.text, item.len);
            copy[item.len] = '\0';
            note_text[nnotes] = copy;
            notes[nnotes].page = item.page;
            notes[nnotes].text = copy;
            notes[nnotes].len = item.len;
            nnotes++;
            continue;
        }
        if (item.kind != FT_ITEM_TABLE)
            continue;
        ft_diag_debug(d, "table %u: %ux%u, %zu cells, pages %u-%u", t.id,
                      t.nrows, t.ncols, t.ncells, t.page_first, t.page_last);
        if (o->mode == EMIT_MODE_FORM) {
            rc = emit_form_table(map, doc, &t, notes, nnotes, carry, &fo.out,
                                 d, &counts);
            for (size_t i = 0; i < nnotes; i++) {
                free(note_text[i]);
                note_text[i] = NULL;
            }
            nnotes = 0;
            if (rc) {
                snprintf(msg, len, "%s: table %u: %s", name, t.id,
                         ft_strerror(rc));
                break;
            }
            continue;
        }
        if (o->split_dir) {
            if ((rc = split_table(o, doc, &t, out, msg, len)))
                break;
            continue;
        }
        if (o->mode == EMIT_MODE_CELLS) {
            emit_cells_table(&w, doc, &t);
        } else {
            if (o->fmt == EMIT_CSV && o->header == 1) {
                if (header_ncols == 0) {
                    emit_rows_header(&w, t.ncols);
                    header_ncols = t.ncols;
                } else if (t.ncols != header_ncols) {
                    ft_diag_warn(d, src, t.page_first,
                                 "table %u has %u columns, the header line "
                                 "names %u (--split writes one file per table)",
                                 t.id, t.ncols, header_ncols);
                }
            }
            if ((rc = emit_rows_table(&w, doc, &t, 1))) {
                snprintf(msg, len, "%s: table %u: %s", name, t.id,
                         ft_strerror(rc));
                break;
            }
        }
        if (ferror(out))
            break;
    }
    for (size_t i = 0; i < nnotes; i++)
        free(note_text[i]);
    if (o->mode == EMIT_MODE_FORM)
        ft_diag_debug(d, "%lu field, %lu indicator, %lu budget_item, %lu cell "
                      "records", counts.nfield, counts.nindicator,
                      counts.nbudget, counts.ncell);
    if (!o->split_dir)
        emit_writer_finish(&w);
    goto out;

out_nowrite:
    /* Nothing was read, so nothing is written: not even "[]", so that a
     * failed upstream stage leaves an empty output file. */
out:
    if (fo_open) {
        /* --split files keep what was read, unless writing failed. */
        char cmsg[256];
        ft_err c = form_outputs_close(&fo, rc != FT_IO && rc != FT_NOMEM, out,
                                      cmsg, sizeof cmsg);
        if (c && !rc) {
            rc = c;
            snprintf(msg, len, "%s", cmsg);
        }
    }
    emit_map_free(map);
    emit_form_carry_free(carry);
    if (reader_open)
        ft_tables_reader_cleanup(&r);
    ft_table_cleanup(&t);
    if (!rc && ferror(out)) {
        snprintf(msg, len, "standard output: write error: %s",
                 strerror(errno));
        rc = FT_IO;
    }
    return rc;
}
