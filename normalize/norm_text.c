/* Tables and notes rebuilt from the TAB-separated lines of a plain-text dump
 * (norm_text.h explains the rules and the seeds behind them). */
#include "norm_text.h"

#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_limits.h"
#include "ft_utf8.h"
#include "norm_stream.h"
#include "norm_textalign.h"
#include "norm_textcat.h"
#include "norm_textgrid.h"

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

/* The first field of a line, trimmed. */
static const char *first_field(const ft_tline *l, size_t *len)
{
    const char *tab = memchr(l->text, '\t', l->len);
    *len = (size_t)((tab ? tab : l->text + l->len) - l->text);
    return norm_trim(l->text, len);
}

/* Write the rows of g as one "text" table starting at line `first`. */
static ft_err emit_grid(norm_tgrid *g, norm_tvocab *vocab, const ft_page *p,
                        unsigned long first, norm_page_out *out)
{
    ft_table *t;
    norm_item *item;
    ft_err rc;
    if (g->nrows == 0)
        return FT_OK;
    norm_tgrid_finish(g);
    if ((rc = norm_textalign_rows(g, vocab)))
        return rc;
    if ((rc = norm_page_add_table(out, &t, &item)))
        return rc;
    strcpy(t->method, "text");
    t->page_first = t->page_last = p->number;
    item->key_y = (double)first;
    return norm_tgrid_build(g, p->number, t);
}

/* Build the table(s) of the block of lines [start, end). */
static ft_err build_block(const ft_page *p, const norm_rules *rules,
                          size_t start, size_t end, norm_tvocab *vocab,
                          norm_page_out *out)
{
    norm_tgrid g;
    ft_err rc = FT_OK;
    size_t maxf = 0;
    for (size_t i = start; i < end; i++) {
        if (is_artifact(rules, &p->lines[i]))
            continue;
        size_t n = count_fields(&p->lines[i]);
        if (n > maxf)
            maxf = n;
    }
    if (maxf == 0)
        return FT_OK;
    if (maxf > FT_MAX_TABLE_COLS) {
        rc = norm_page_warn(out, "line %lu: table wider than %u columns; "
                            "the rest of each row is kept in the last cell",
                            p->lines[start].number, FT_MAX_TABLE_COLS);
        if (rc)
            return rc;
        maxf = FT_MAX_TABLE_COLS;
    }
    norm_tgrid_init(&g, (unsigned)maxf);
    size_t maxrows = FT_MAX_TABLE_SLOTS / maxf;
    unsigned long prev = 0, first = p->lines[start].number;
    for (size_t i = start; i < end; i++) {
        const ft_tline *l = &p->lines[i];
        int gap = i > start && l->number != prev + 1;
        prev = l->number;
        if (is_artifact(rules, l))
            continue;
        if (g.nrows >= maxrows) {
            rc = norm_page_warn(out, "line %lu: table larger than %u slots; "
                                "a new table starts here", l->number,
                                FT_MAX_TABLE_SLOTS);
            if (!rc)
                rc = emit_grid(&g, vocab, p, first, out);
            if (rc)
                goto out;
            norm_tgrid_reset(&g);
            first = l->number;
            gap = 0;
        }
        int folded;
        if ((rc = norm_tgrid_add_line(&g, l->text, l->len, l->number,
                                      gap && g.nrows > 0, &folded)))
            goto out;
        if (folded && (rc = norm_page_warn(out, "line %lu: more than %zu "
                                           "cells; the rest are kept in the "
                                           "last one", l->number, maxf)))
            goto out;
    }
    rc = emit_grid(&g, vocab, p, first, out);
out:
    norm_tgrid_cleanup(&g);
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

/* After a blank line (a page break or a gap between sections of one form),
 * a line that begins with text still continues the table when it has no
 * more fields than the table so far (seed 000's 本项目上年度... and 2020年
 * 绩效目标 sections, seed 002's project rows after each page break, seed 003
 * line 52) and its first field does not repeat the table's first (the next
 * copy of the form: seed 000 line 44, 财政项目支出绩效目标表). */
static int continues_after_gap(const ft_tline *m, size_t nf, const char *first,
                               size_t flen)
{
    if (count_fields(m) > nf)
        return 0;
    size_t len;
    const char *s = first_field(m, &len);
    return !(len > 0 && len == flen && memcmp(s, first, len) == 0);
}

ft_err norm_text_page(const ft_page *p, const norm_rules *rules,
                      norm_page_out *out)
{
    ft_err rc = FT_OK;
    size_t i = 0;
    norm_tvocab vocab;
    norm_tvocab_init(&vocab);
    while (i < p->nlines) {
        const ft_tline *l = &p->lines[i];
        if (is_artifact(rules, l)) {
            i++;
            continue;
        }
        if (has_tab(l)) {
            size_t j = i + 1, nf = count_fields(l), flen;
            const char *first = first_field(l, &flen);
            unsigned long prev = l->number;
            while (j < p->nlines) {
                const ft_tline *m = &p->lines[j];
                if (!is_artifact(rules, m)) {
                    if (!has_tab(m))
                        break;
                    if (m->number != prev + 1 && m->text[0] != '\t' &&
                        !continues_after_gap(m, nf, first, flen))
                        break;
                    if (count_fields(m) > nf)
                        nf = count_fields(m);
                }
                prev = m->number;
                j++;
            }
            if ((rc = build_block(p, rules, i, j, &vocab, out)))
                goto out;
            i = j;
            continue;
        }
        if (is_aligned(l)) {
            size_t j = i + 1;
            while (j < p->nlines && is_aligned(&p->lines[j]))
                j++;
            if (j - i >= NORM_TEXT_MIN_ALIGNED_LINES) {
                if ((rc = stream_block(p, i, j, out)))
                    goto out;
                i = j;
                continue;
            }
        }
        if ((rc = add_note_line(out, l)))
            goto out;
        i++;
    }
out:
    norm_tvocab_cleanup(&vocab);
    return rc;
}
