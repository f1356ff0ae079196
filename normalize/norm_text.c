/* Tables and notes rebuilt from the TAB-separated lines of a plain-text dump
 * (norm_text.h explains the rules and the seeds behind them). */
#include "norm_text.h"

#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"
#include "norm_stream.h"
#include "norm_textcat.h"

/* A space-aligned line has at least this many gaps of NORM_TEXT_GAP_SPACES or
 * more spaces between its words: one gap is ordinary prose with a double
 * space after a full stop; two gaps make three columns, which is what
 * `pdftotext -layout` prints for a table row (see the unit test's
 * pdftotext-style case). */
#define NORM_TEXT_MIN_GAPS 2u
#define NORM_TEXT_GAP_SPACES 2u

/* A space-aligned block needs this many consecutive aligned lines: a single
 * line with wide gaps is a title with a date or a signature line; three rows
 * are the smallest that give the stream finder a column to align. */
#define NORM_TEXT_MIN_ALIGNED_LINES 3u

/* The monospace layout given to the stream finder: each character is
 * NORM_TEXT_MONO_WIDTH points wide, each line NORM_TEXT_MONO_LINE points
 * below the previous, in a NORM_TEXT_MONO_SIZE point font: the proportions of
 * a 10 pt monospace font, so the finder's point-based tolerances behave as on
 * a printed page. Only the proportions matter; the boxes are dropped after. */
#define NORM_TEXT_MONO_WIDTH 6.0
#define NORM_TEXT_MONO_LINE 12.0
#define NORM_TEXT_MONO_SIZE 10.0

typedef struct {
    const char *s;
    size_t len;
} field;

/* Builds one "text" table a row at a time. */
typedef struct {
    norm_page_out *out;
    const ft_page *page;
    ft_table *t;        /* the table being built, NULL before the first row */
    unsigned ncols;
    unsigned maxrows;   /* rows that fit FT_MAX_TABLE_SLOTS */
    size_t *prev_owner; /* cell index owning each slot of the previous row */
    size_t *cur_owner;
    field *fields;      /* ncols fields of the current line */
    ft_buf tmp;
} builder;

static int has_tab(const ft_tline *l)
{
    return memchr(l->text, '\t', l->len) != NULL;
}

static int is_artifact(const norm_rules *rules, const ft_tline *l)
{
    return norm_rules_is_artifact_line(rules, l->text, l->len);
}

/* Number of TAB-separated fields of a line. */
static size_t count_fields(const ft_tline *l)
{
    size_t n = 1;
    for (size_t i = 0; i < l->len; i++)
        n += l->text[i] == '\t';
    return n;
}

/* Split l into at most ncols trimmed fields; fields past the cap are folded
 * into the last one (*folded set). Returns the number of fields. */
static size_t split_fields(const ft_tline *l, field *f, unsigned ncols,
                           int *folded)
{
    size_t n = 0;
    const char *s = l->text, *end = l->text + l->len;
    *folded = 0;
    while (n < ncols) {
        const char *tab = n + 1 < ncols ? memchr(s, '\t', (size_t)(end - s))
                                        : NULL;
        if (n + 1 == ncols && memchr(s, '\t', (size_t)(end - s)))
            *folded = 1;
        size_t len = (size_t)((tab ? tab : end) - s);
        f[n].s = norm_trim(s, &len);
        f[n].len = len;
        n++;
        if (!tab)
            break;
        s = tab + 1;
    }
    return n;
}

static ft_err add_cell(builder *b, unsigned row, unsigned col, unsigned colspan,
                       const char *text, size_t len, size_t *index)
{
    ft_cell c;
    memset(&c, 0, sizeof c);
    c.row = row;
    c.col = col;
    c.rowspan = 1;
    c.colspan = colspan;
    c.page = b->page->number;
    c.conf = -1;
    c.text = (char *)text;
    c.len = len;
    *index = b->t->ncells;
    return ft_table_add_cell(b->t, &c);
}

static ft_err start_table(builder *b, unsigned long lineno)
{
    norm_item *item;
    ft_err rc = norm_page_add_table(b->out, &b->t, &item);
    if (rc)
        return rc;
    strcpy(b->t->method, "text");
    b->t->page_first = b->t->page_last = b->page->number;
    b->t->ncols = b->ncols;
    b->t->nrows = 0;
    item->key_y = (double)lineno;
    return FT_OK;
}

/* The cell of the previous row that a page-break fragment at column j (0-based)
 * continues. A text dump drops empty cells and moves later ones left (seed
 * 002), so the fragment's column is only a lower bound of its true column;
 * the cell a page break splits is the one still being printed, the longest,
 * which in these forms is the right-most text of the row. So: the right-most
 * non-empty cell at column j or after; failing that, the cell above. */
static size_t fragment_target(const builder *b, size_t j)
{
    for (size_t c = b->ncols; c-- > j;) {
        const ft_cell *cell = &b->t->cells[b->prev_owner[c]];
        if (cell->len > 0)
            return b->prev_owner[c];
    }
    return b->prev_owner[j];
}

static ft_err join_fragment(builder *b, size_t target, const field *f)
{
    ft_cell *c = &b->t->cells[target];
    ft_buf_reset(&b->tmp);
    ft_err rc = ft_buf_append(&b->tmp, c->text, c->len);
    if (!rc)
        rc = norm_textcat_line(&b->tmp, f->s, f->len);
    if (rc)
        return rc;
    char *text = ft_arena_strndup(&b->t->arena, b->tmp.data, b->tmp.len);
    if (!text)
        return FT_LIMIT;
    c->text = text;
    c->len = b->tmp.len;
    c->flags |= FT_CELL_CONTINUED;
    return FT_OK;
}

/* Add one row of the block to the table. */
static ft_err add_row(builder *b, const ft_tline *l, int after_gap)
{
    ft_err rc;
    int folded;
    size_t n = split_fields(l, b->fields, b->ncols, &folded);
    if (folded) {
        rc = norm_page_warn(b->out, "line %lu: more than %u cells; the rest "
                            "are kept in the last one", l->number, b->ncols);
        if (rc)
            return rc;
    }
    size_t lead = 0, nonempty = 0, last_nonempty = 0;
    while (lead < n && b->fields[lead].len == 0)
        lead++;
    for (size_t i = 0; i < n; i++)
        if (b->fields[i].len) {
            nonempty++;
            last_nonempty = i;
        }
    int title = n > 1 && b->fields[0].len > 0 && nonempty == 1;

    if (b->t && b->t->nrows >= b->maxrows) {
        rc = norm_page_warn(b->out, "line %lu: table larger than %u slots; "
                            "a new table starts here", l->number,
                            FT_MAX_TABLE_SLOTS);
        if (rc)
            return rc;
        b->t = NULL;
    }
    if (!b->t) {
        if ((rc = start_table(b, l->number)))
            return rc;
        lead = 0; /* nothing above to continue */
        after_gap = 0;
    }
    ft_table *t = b->t;

    if (after_gap && t->nrows > 0 && lead > 0 && nonempty == 1)
        return join_fragment(b, fragment_target(b, last_nonempty),
                             &b->fields[last_nonempty]);

    unsigned row = ++t->nrows;
    size_t idx;
    if (title) {
        if ((rc = add_cell(b, row, 1, b->ncols, b->fields[0].s,
                           b->fields[0].len, &idx)))
            return rc;
        for (unsigned c = 0; c < b->ncols; c++)
            b->cur_owner[c] = idx;
    } else {
        for (unsigned c = 0; c < b->ncols;) {
            if (row > 1 && c < lead) {
                /* Continue the cell above when it lies within the leading
                 * empty columns, else this slot is an empty cell. */
                ft_cell *above = &t->cells[b->prev_owner[c]];
                unsigned a0 = above->col - 1, a1 = a0 + above->colspan;
                if (a0 == c && a1 <= lead) {
                    size_t owner = b->prev_owner[c];
                    above->rowspan++;
                    for (unsigned k = a0; k < a1; k++)
                        b->cur_owner[k] = owner;
                    c = a1;
                    continue;
                }
                if ((rc = add_cell(b, row, c + 1, 1, "", 0, &idx)))
                    return rc;
                b->cur_owner[c] = idx;
                c++;
                continue;
            }
            const char *s = c < n ? b->fields[c].s : "";
            size_t len = c < n ? b->fields[c].len : 0;
            if ((rc = add_cell(b, row, c + 1, 1, s, len, &idx)))
                return rc;
            b->cur_owner[c] = idx;
            c++;
        }
    }
    size_t *tmp = b->prev_owner;
    b->prev_owner = b->cur_owner;
    b->cur_owner = tmp;
    return FT_OK;
}

/* Build the table(s) of the block of lines [start, end). */
static ft_err build_block(const ft_page *p, const norm_rules *rules,
                          size_t start, size_t end, norm_page_out *out)
{
    builder b;
    ft_err rc = FT_OK;
    memset(&b, 0, sizeof b);
    b.out = out;
    b.page = p;
    ft_buf_init(&b.tmp, FT_MAX_CELL_LEN * 2);
    size_t maxf = 0;
    for (size_t i = start; i < end; i++) {
        if (is_artifact(rules, &p->lines[i]))
            continue;
        size_t n = count_fields(&p->lines[i]);
        if (n > maxf)
            maxf = n;
    }
    if (maxf == 0)
        goto out;
    if (maxf > FT_MAX_TABLE_COLS) {
        rc = norm_page_warn(out, "line %lu: table wider than %u columns; "
                            "the rest of each row is kept in the last cell",
                            p->lines[start].number, FT_MAX_TABLE_COLS);
        if (rc)
            goto out;
        maxf = FT_MAX_TABLE_COLS;
    }
    b.ncols = (unsigned)maxf;
    b.maxrows = FT_MAX_TABLE_SLOTS / b.ncols;
    b.prev_owner = calloc(b.ncols, sizeof *b.prev_owner);
    b.cur_owner = calloc(b.ncols, sizeof *b.cur_owner);
    b.fields = calloc(b.ncols, sizeof *b.fields);
    if (!b.prev_owner || !b.cur_owner || !b.fields) {
        rc = FT_NOMEM;
        goto out;
    }
    unsigned long prev = 0;
    for (size_t i = start; i < end; i++) {
        const ft_tline *l = &p->lines[i];
        int gap = i > start && l->number != prev + 1;
        prev = l->number;
        if (is_artifact(rules, l))
            continue;
        if ((rc = add_row(&b, l, gap)))
            goto out;
    }
out:
    free(b.prev_owner);
    free(b.cur_owner);
    free(b.fields);
    ft_buf_cleanup(&b.tmp);
    return rc;
}

/* Interior gaps of NORM_TEXT_GAP_SPACES or more spaces in a line. */
static unsigned count_gaps(const ft_tline *l)
{
    unsigned gaps = 0;
    size_t i = 0, n = l->len;
    const char *s = l->text;
    while (i < n && s[i] == ' ')
        i++;
    while (i < n) {
        if (s[i] != ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] == ' ')
            j++;
        if (j < n && j - i >= NORM_TEXT_GAP_SPACES)
            gaps++;
        i = j;
    }
    return gaps;
}

static int is_aligned(const ft_tline *l)
{
    return !has_tab(l) && count_gaps(l) >= NORM_TEXT_MIN_GAPS;
}

static ft_err add_note_line(norm_page_out *out, const ft_tline *l)
{
    size_t len = l->len;
    const char *s = norm_trim(l->text, &len);
    if (len == 0)
        return FT_OK;
    return norm_page_add_note(out, s, len, NULL, (double)l->number, 0);
}

/* Lay the aligned lines [start, end) out as monospace runs on a synthetic
 * page, let the stream finder find the tables, and turn what it leaves into
 * notes. */
static ft_err stream_block(const ft_page *p, size_t start, size_t end,
                           norm_page_out *out)
{
    ft_page synth;
    norm_tables found;
    unsigned char *used = NULL;
    ft_buf buf;
    ft_err rc = FT_OK;
    ft_page_init(&synth);
    norm_tables_init(&found);
    ft_buf_init(&buf, FT_MAX_LINE_LEN);
    synth.number = p->number;
    synth.has_geometry = 1;
    strcpy(synth.origin, "text");
    size_t widest = 0;
    for (size_t k = start; k < end; k++) {
        const ft_tline *l = &p->lines[k];
        size_t i = 0, col = 0;
        while (i < l->len) {
            /* skip spaces, counting columns */
            while (i < l->len && l->text[i] == ' ') {
                i++;
                col++;
            }
            if (i >= l->len)
                break;
            size_t w0 = i, c0 = col;
            /* a word run ends at NORM_TEXT_GAP_SPACES spaces */
            while (i < l->len) {
                if (l->text[i] == ' ') {
                    size_t j = i;
                    while (j < l->len && l->text[j] == ' ')
                        j++;
                    if (j - i >= NORM_TEXT_GAP_SPACES || j == l->len)
                        break;
                    col += j - i;
                    i = j;
                    continue;
                }
                uint32_t cp;
                size_t k2 = ft_utf8_decode(l->text + i, l->len - i, &cp);
                i += k2 ? k2 : 1;
                col++;
            }
            ft_run run;
            run.box.x0 = (double)c0 * NORM_TEXT_MONO_WIDTH;
            run.box.x1 = (double)col * NORM_TEXT_MONO_WIDTH;
            run.box.y0 = (double)(k - start) * NORM_TEXT_MONO_LINE;
            run.box.y1 = run.box.y0 + NORM_TEXT_MONO_SIZE;
            run.size = NORM_TEXT_MONO_SIZE;
            run.flags = 0;
            run.conf = -1;
            run.text = (char *)l->text + w0;
            run.len = i - w0;
            if ((rc = ft_page_add_run(&synth, &run)))
                goto out;
        }
        if (col > widest)
            widest = col;
    }
    synth.width = (double)widest * NORM_TEXT_MONO_WIDTH;
    synth.height = (double)(end - start) * NORM_TEXT_MONO_LINE;
    used = calloc(synth.nruns ? synth.nruns : 1, 1);
    if (!used) {
        rc = FT_NOMEM;
        goto out;
    }
    if ((rc = norm_stream_find(&synth, used, &found)))
        goto out;
    for (size_t i = 0; i < found.count; i++) {
        ft_table *t = &found.items[i];
        double top = t->has_box ? t->box.y0 : 0;
        size_t k = (size_t)(top / NORM_TEXT_MONO_LINE + 0.5);
        if (k >= end - start)
            k = end - start - 1;
        t->has_box = 0;
        for (size_t c = 0; c < t->ncells; c++)
            t->cells[c].has_box = 0;
        norm_item *item;
        if ((rc = norm_page_adopt_table(out, t, &item)))
            goto out;
        item->key_y = (double)p->lines[start + k].number;
    }
    /* What the finder left: one note per line. */
    size_t r = 0;
    for (size_t k = 0; k < end - start; k++) {
        ft_buf_reset(&buf);
        double y0 = (double)k * NORM_TEXT_MONO_LINE;
        for (; r < synth.nruns && synth.runs[r].box.y0 == y0; r++)
            if (!used[r] &&
                (rc = norm_textcat_word(&buf, synth.runs[r].text,
                                        synth.runs[r].len)))
                goto out;
        if (buf.len && (rc = norm_page_add_note(out, buf.data, buf.len, NULL,
                                                (double)p->lines[start + k].number,
                                                0)))
            goto out;
    }
out:
    free(used);
    ft_buf_cleanup(&buf);
    norm_tables_cleanup(&found);
    ft_page_cleanup(&synth);
    return rc;
}

ft_err norm_text_page(const ft_page *p, const norm_rules *rules,
                      norm_page_out *out)
{
    ft_err rc = FT_OK;
    size_t i = 0;
    while (i < p->nlines) {
        const ft_tline *l = &p->lines[i];
        if (is_artifact(rules, l)) {
            i++;
            continue;
        }
        if (has_tab(l)) {
            size_t j = i + 1;
            unsigned long prev = l->number;
            while (j < p->nlines) {
                const ft_tline *m = &p->lines[j];
                if (!is_artifact(rules, m)) {
                    if (!has_tab(m))
                        break;
                    if (m->number != prev + 1 && m->text[0] != '\t')
                        break;
                }
                prev = m->number;
                j++;
            }
            if ((rc = build_block(p, rules, i, j, out)))
                return rc;
            i = j;
            continue;
        }
        if (is_aligned(l)) {
            size_t j = i + 1;
            while (j < p->nlines && is_aligned(&p->lines[j]))
                j++;
            if (j - i >= NORM_TEXT_MIN_ALIGNED_LINES) {
                if ((rc = stream_block(p, i, j, out)))
                    return rc;
                i = j;
                continue;
            }
        }
        if ((rc = add_note_line(out, l)))
            return rc;
        i++;
    }
    return FT_OK;
}
