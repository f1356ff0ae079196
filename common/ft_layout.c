/* Layout stream: page model, writer and page-at-a-time reader. */
#include "ft_layout.h"

#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"

void ft_doc_init(ft_doc *d)
{
    memset(d, 0, sizeof *d);
}

void ft_doc_cleanup(ft_doc *d)
{
    free(d->source);
    d->source = NULL;
}

void ft_page_init(ft_page *p)
{
    memset(p, 0, sizeof *p);
    ft_arena_init(&p->arena, FT_MAX_PAGE_TEXT_LEN);
}

void ft_page_cleanup(ft_page *p)
{
    free(p->runs);
    free(p->rules);
    free(p->lines);
    free(p->warnings);
    ft_arena_cleanup(&p->arena);
    memset(p, 0, sizeof *p);
}

void ft_page_reset(ft_page *p)
{
    p->number = 0;
    p->width = p->height = 0;
    p->has_geometry = 0;
    p->rotation = 0;
    p->origin[0] = '\0';
    p->failed = 0;
    p->fail_reason = NULL;
    p->nruns = p->nrules = p->nlines = p->nwarnings = 0;
    ft_arena_reset(&p->arena);
}

/* Grow an array of elements of size elem to hold one more; cap at max. */
static ft_err grow(void **arr, size_t *cap, size_t count, size_t elem,
                   size_t max)
{
    if (count < *cap)
        return FT_OK;
    if (count >= max)
        return FT_LIMIT;
    size_t ncap = *cap ? *cap * 2 : 64;
    if (ncap > max)
        ncap = max;
    void *n = realloc(*arr, ncap * elem);
    if (!n)
        return FT_NOMEM;
    *arr = n;
    *cap = ncap;
    return FT_OK;
}

ft_err ft_page_add_run(ft_page *p, const ft_run *run)
{
    ft_err rc = grow((void **)&p->runs, &p->cap_runs, p->nruns,
                     sizeof *p->runs, FT_MAX_RUNS_PER_PAGE);
    if (rc)
        return rc;
    char *t = ft_arena_strndup(&p->arena, run->text, run->len);
    if (!t)
        return FT_LIMIT;
    ft_run *r = &p->runs[p->nruns++];
    *r = *run;
    r->text = t;
    return FT_OK;
}

ft_err ft_page_add_rule(ft_page *p, ft_box rule)
{
    ft_err rc = grow((void **)&p->rules, &p->cap_rules, p->nrules,
                     sizeof *p->rules, FT_MAX_RULES_PER_PAGE);
    if (rc)
        return rc;
    p->rules[p->nrules++] = rule;
    return FT_OK;
}

ft_err ft_page_add_line(ft_page *p, unsigned long number, const char *text,
                        size_t len)
{
    ft_err rc = grow((void **)&p->lines, &p->cap_lines, p->nlines,
                     sizeof *p->lines, FT_MAX_TEXT_LINES_PER_PAGE);
    if (rc)
        return rc;
    char *t = ft_arena_strndup(&p->arena, text, len);
    if (!t)
        return FT_LIMIT;
    p->lines[p->nlines].number = number;
    p->lines[p->nlines].text = t;
    p->lines[p->nlines].len = len;
    p->nlines++;
    return FT_OK;
}

ft_err ft_page_add_warning(ft_page *p, const char *msg)
{
    ft_err rc = grow((void **)&p->warnings, &p->cap_warnings, p->nwarnings,
                     sizeof *p->warnings, 1000);
    if (rc)
        return rc == FT_LIMIT ? FT_OK : rc; /* past 1000, drop quietly */
    char *t = ft_arena_strndup(&p->arena, msg, strlen(msg));
    if (!t)
        return FT_LIMIT;
    p->warnings[p->nwarnings++] = t;
    return FT_OK;
}

/* ---- writer ---- */

void ft_layout_write_header(FILE *f, const ft_doc *d)
{
    fputs(FT_LAYOUT_MAGIC "\t1\ndoc\t", f);
    ft_tsv_puts(f, d->source ? d->source : "-");
    /* The hash field is escaped like any other: a reader keeps whatever a
     * stream carried there (fuzz/regress/normalize/sha256-escape). */
    fputc('\t', f);
    ft_tsv_puts(f, d->sha256);
    fprintf(f, "\t%s\t%u\n", d->kind, d->npages);
}

void ft_layout_write_page(FILE *f, unsigned number, int has_geometry,
                          double width, double height, int rotation,
                          const char *origin)
{
    fprintf(f, "page\t%u\t", number);
    if (has_geometry) {
        ft_put_num(f, width);
        fputc('\t', f);
        ft_put_num(f, height);
        fprintf(f, "\t%d\t%s\n", rotation, origin);
    } else {
        fprintf(f, "\t\t\t%s\n", origin);
    }
}

static void put_box(FILE *f, ft_box b)
{
    ft_put_num(f, b.x0);
    fputc('\t', f);
    ft_put_num(f, b.y0);
    fputc('\t', f);
    ft_put_num(f, b.x1);
    fputc('\t', f);
    ft_put_num(f, b.y1);
}

void ft_layout_write_run(FILE *f, const ft_run *run)
{
    fputs("text\t", f);
    put_box(f, run->box);
    fputc('\t', f);
    ft_put_num(f, run->size);
    fprintf(f, "\t%u\t", run->flags);
    if (run->conf >= 0)
        ft_put_num(f, run->conf);
    fputc('\t', f);
    ft_tsv_put(f, run->text, run->len);
    fputc('\n', f);
}

void ft_layout_write_rule(FILE *f, ft_box rule)
{
    fputs("rule\t", f);
    put_box(f, rule);
    fputc('\n', f);
}

void ft_layout_write_line(FILE *f, unsigned long number, const char *text,
                          size_t len)
{
    fprintf(f, "line\t%lu\t", number);
    ft_tsv_put(f, text, len);
    fputc('\n', f);
}

void ft_layout_write_warn(FILE *f, const char *msg)
{
    fputs("warn\t", f);
    ft_tsv_puts(f, msg);
    fputc('\n', f);
}

void ft_layout_write_endpage(FILE *f, unsigned number, const char *reason)
{
    fprintf(f, "endpage\t%u\t", number);
    if (reason) {
        fputs("failed: ", f);
        ft_tsv_puts(f, reason);
    } else {
        fputs("ok", f);
    }
    fputc('\n', f);
}

void ft_layout_write_end(FILE *f, unsigned npages, unsigned nfailed)
{
    fprintf(f, "end\t%u\t%u\n", npages, nfailed);
}

void ft_layout_write_full_page(FILE *f, const ft_page *p)
{
    ft_layout_write_page(f, p->number, p->has_geometry, p->width, p->height,
                         p->rotation, p->origin[0] ? p->origin : "text");
    for (size_t i = 0; i < p->nwarnings; i++)
        ft_layout_write_warn(f, p->warnings[i]);
    for (size_t i = 0; i < p->nrules; i++)
        ft_layout_write_rule(f, p->rules[i]);
    for (size_t i = 0; i < p->nruns; i++)
        ft_layout_write_run(f, &p->runs[i]);
    for (size_t i = 0; i < p->nlines; i++)
        ft_layout_write_line(f, p->lines[i].number, p->lines[i].text,
                             p->lines[i].len);
    ft_layout_write_endpage(f, p->number,
                            p->failed ? (p->fail_reason ? p->fail_reason
                                                        : "unknown")
                                      : NULL);
}

/* ---- reader ---- */

static ft_err read_box(ft_record_reader *rr, size_t i, ft_box *b)
{
    int pres[4];
    ft_err rc;
    if ((rc = ft_record_double(rr, i, &b->x0, &pres[0])) ||
        (rc = ft_record_double(rr, i + 1, &b->y0, &pres[1])) ||
        (rc = ft_record_double(rr, i + 2, &b->x1, &pres[2])) ||
        (rc = ft_record_double(rr, i + 3, &b->y1, &pres[3])))
        return rc;
    if (!pres[0] || !pres[1] || !pres[2] || !pres[3])
        return ft_record_fail(rr, "box needs four numbers");
    if (b->x0 > b->x1 || b->y0 > b->y1)
        return ft_record_fail(rr, "box has x0 > x1 or y0 > y1");
    return FT_OK;
}

ft_err ft_layout_reader_init(ft_layout_reader *r, FILE *in, const char *name)
{
    memset(r, 0, sizeof *r);
    ft_doc_init(&r->doc);
    ft_err rc = ft_record_reader_init(&r->rr, in, name, FT_LAYOUT_MAGIC,
                                      FT_LAYOUT_VERSION);
    if (rc)
        return rc;
    rc = ft_record_next(&r->rr);
    if (rc == FT_EOF) {
        snprintf(r->rr.msg, sizeof r->rr.msg, "line 2: missing 'doc' record");
        return FT_TRUNCATED;
    }
    if (rc)
        return rc;
    ft_record_reader *rr = &r->rr;
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

void ft_layout_reader_cleanup(ft_layout_reader *r)
{
    ft_record_reader_cleanup(&r->rr);
    ft_doc_cleanup(&r->doc);
}

/* Map page-building errors to a message on the reader. */
static ft_err page_err(ft_record_reader *rr, ft_err rc)
{
    if (rc == FT_LIMIT)
        snprintf(rr->msg, sizeof rr->msg, "line %lu: page exceeds a limit",
                 ft_record_lineno(rr));
    return rc;
}

ft_err ft_layout_read_page(ft_layout_reader *r, ft_page *p)
{
    ft_record_reader *rr = &r->rr;
    ft_err rc;
    int in_page = 0;
    ft_page_reset(p);
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
        if (!in_page) {
            if (!strcmp(type, "end")) {
                if ((rc = ft_record_need(rr, 3)) ||
                    (rc = ft_record_uint(rr, 1, &r->end_npages)) ||
                    (rc = ft_record_uint(rr, 2, &r->end_failed)))
                    return rc;
                r->ended = 1;
                return FT_EOF;
            }
            if (!strcmp(type, "page")) {
                if ((rc = ft_record_need(rr, 6)) ||
                    (rc = ft_record_uint(rr, 1, &p->number)))
                    return rc;
                int pw, ph;
                if ((rc = ft_record_double(rr, 2, &p->width, &pw)) ||
                    (rc = ft_record_double(rr, 3, &p->height, &ph)))
                    return rc;
                p->has_geometry = pw && ph;
                p->rotation = atoi(rr->field[4]);
                if (strcmp(rr->field[5], "text") && strcmp(rr->field[5], "ocr") &&
                    strcmp(rr->field[5], "plain"))
                    return ft_record_fail(rr, "unknown page origin '%.20s'",
                                          rr->field[5]);
                strcpy(p->origin, rr->field[5]);
                in_page = 1;
                continue;
            }
            if (!strncmp(type, "x-", 2))
                continue;
            return ft_record_fail(rr, "expected 'page' or 'end', found '%.20s'",
                                  type);
        }
        if (!strcmp(type, "text")) {
            ft_run run;
            int pres;
            if ((rc = ft_record_need(rr, 9)) || (rc = read_box(rr, 1, &run.box)) ||
                (rc = ft_record_double(rr, 5, &run.size, NULL)) ||
                (rc = ft_record_uint(rr, 6, &run.flags)) ||
                (rc = ft_record_double(rr, 7, &run.conf, &pres)))
                return rc;
            if (!pres)
                run.conf = -1;
            run.text = rr->field[8];
            run.len = rr->flen[8];
            if ((rc = ft_page_add_run(p, &run)))
                return page_err(rr, rc);
        } else if (!strcmp(type, "rule")) {
            ft_box b;
            if ((rc = ft_record_need(rr, 5)) || (rc = read_box(rr, 1, &b)))
                return rc;
            if ((rc = ft_page_add_rule(p, b)))
                return page_err(rr, rc);
        } else if (!strcmp(type, "line")) {
            unsigned n;
            if ((rc = ft_record_need(rr, 3)) || (rc = ft_record_uint(rr, 1, &n)))
                return rc;
            if ((rc = ft_page_add_line(p, n, rr->field[2], rr->flen[2])))
                return page_err(rr, rc);
        } else if (!strcmp(type, "warn")) {
            if ((rc = ft_record_need(rr, 2)) ||
                (rc = ft_page_add_warning(p, rr->field[1])))
                return page_err(rr, rc);
        } else if (!strcmp(type, "endpage")) {
            unsigned n;
            if ((rc = ft_record_need(rr, 3)) || (rc = ft_record_uint(rr, 1, &n)))
                return rc;
            if (n != p->number)
                return ft_record_fail(rr, "endpage %u closes page %u", n,
                                      p->number);
            if (strcmp(rr->field[2], "ok") != 0) {
                if (strncmp(rr->field[2], "failed", 6) != 0)
                    return ft_record_fail(rr, "bad page status '%.20s'",
                                          rr->field[2]);
                const char *why = rr->field[2] + 6;
                while (*why == ':' || *why == ' ')
                    why++;
                p->failed = 1;
                p->fail_reason = ft_arena_strndup(&p->arena, why, strlen(why));
                if (!p->fail_reason)
                    return FT_NOMEM;
            }
            return FT_OK;
        } else if (!strncmp(type, "x-", 2)) {
            continue;
        } else {
            return ft_record_fail(rr, "unknown record type '%.20s'", type);
        }
    }
}
