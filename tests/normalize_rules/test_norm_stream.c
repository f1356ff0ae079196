/* Unit tests of the unruled-table finder (normalize/norm_stream.c) and the
 * page furniture (normalize/norm_furniture.c): the fixtures of
 * fixtures/stream/ (layout streams of PDFs rendered from hand-written grids,
 * compared cell by cell with those grids), hand-built pages for single
 * behaviours, and bad input (huge runs, many runs) in bounded time. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft_buf.h"
#include "ft_layout.h"
#include "ft_limits.h"
#include "ft_table.h"
#include "norm_furniture.h"
#include "norm_rules.h"
#include "norm_stream.h"
#include "norm_tables.h"

#define STREAM_DIR FORMTAB_SOURCE_DIR "/fixtures/stream/"

/* The cell F1 each fixture must reach (the accuracy target of the issue). */
#define MIN_F1 0.98

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- expected grids (format: fixtures/truth/README.md) -------------------- */

typedef struct {
    unsigned row, col, rowspan, colspan;
    char *text;
} xcell;

typedef struct {
    xcell *cells;
    size_t ncells;
    unsigned nrows, ncols;
} xtable;

static void xtable_free(xtable *t)
{
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i].text);
    free(t->cells);
}

/* Read a .grid into t. Slots: text, `<` left cover, `^` up cover. */
static int read_grid(const char *path, xtable *t)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    memset(t, 0, sizeof *t);
    char line[8192];
    /* slot owners of the previous row, to extend rowspans */
    long owner_prev[64], owner_cur[64];
    for (int i = 0; i < 64; i++)
        owner_prev[i] = -1;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        t->nrows++;
        unsigned col = 0;
        char *p = line;
        for (;;) {
            char *tab = strchr(p, '\t');
            if (tab)
                *tab = '\0';
            ck_assert_uint_lt(col, 64);
            owner_cur[col] = -1;
            if (strcmp(p, "<") == 0) {
                ck_assert_uint_gt(col, 0);
                owner_cur[col] = owner_cur[col - 1];
                xcell *c = &t->cells[owner_cur[col]];
                if (c->row == t->nrows)
                    c->colspan = col - c->col + 2;
            } else if (strcmp(p, "^") == 0) {
                owner_cur[col] = owner_prev[col];
                xcell *c = &t->cells[owner_cur[col]];
                c->rowspan = t->nrows - c->row + 1;
            } else {
                t->cells = realloc(t->cells, (t->ncells + 1) * sizeof *t->cells);
                xcell *c = &t->cells[t->ncells];
                c->row = t->nrows;
                c->col = col + 1;
                c->rowspan = c->colspan = 1;
                c->text = malloc(strlen(p) + 1);
                char *o = c->text;
                for (const char *q = p; *q; q++) {
                    if (*q == '\\' && q[1]) {
                        q++;
                        *o++ = *q == 't' ? '\t' : *q == 'n' ? '\n' : *q;
                    } else {
                        *o++ = *q;
                    }
                }
                *o = '\0';
                owner_cur[col] = (long)t->ncells++;
            }
            col++;
            if (!tab)
                break;
            p = tab + 1;
        }
        t->ncols = col;
        memcpy(owner_prev, owner_cur, sizeof owner_prev);
    }
    fclose(f);
    return 1;
}

/* ---- comparing -------------------------------------------------------------- */

/* Cell text as the rules leave it (both sides alike), in a static buffer. */
static const char *norm_text(const norm_rules *rs, const char *s, size_t len,
                             ft_buf *b)
{
    int changed;
    ft_buf_reset(b);
    ck_assert_int_eq(norm_rules_apply(rs, s, len, b, &changed), FT_OK);
    return ft_buf_str(b);
}

/* Matching non-empty cells of a found table and an expected one: same slot,
 * spans and normalised text. Reports mismatches to stderr. */
static void compare(const norm_rules *rs, const ft_table *got,
                    const xtable *want, size_t *tp, size_t *npred,
                    size_t *ntruth, const char *name)
{
    ft_buf a, b;
    ft_buf_init(&a, FT_MAX_CELL_LEN);
    ft_buf_init(&b, FT_MAX_CELL_LEN);
    unsigned char *hit = calloc(want->ncells + 1, 1);
    for (size_t i = 0; i < want->ncells; i++)
        if (*norm_text(rs, want->cells[i].text, strlen(want->cells[i].text), &b))
            (*ntruth)++;
    for (size_t i = 0; i < got->ncells; i++) {
        const ft_cell *c = &got->cells[i];
        const char *gt = norm_text(rs, c->text, c->len, &a);
        if (!*gt)
            continue;
        (*npred)++;
        int found = 0;
        for (size_t k = 0; k < want->ncells && !found; k++) {
            const xcell *x = &want->cells[k];
            if (hit[k] || x->row != c->row || x->col != c->col ||
                x->rowspan != c->rowspan || x->colspan != c->colspan)
                continue;
            if (strcmp(norm_text(rs, x->text, strlen(x->text), &b), gt) == 0) {
                hit[k] = 1;
                found = 1;
            }
        }
        if (found)
            (*tp)++;
        else
            fprintf(stderr, "%s: unexpected cell r%u c%u span %ux%u '%s'\n", name,
                    c->row, c->col, c->rowspan, c->colspan, gt);
    }
    for (size_t k = 0; k < want->ncells; k++)
        if (!hit[k] && *norm_text(rs, want->cells[k].text,
                                  strlen(want->cells[k].text), &b))
            fprintf(stderr, "%s: missing cell r%u c%u span %ux%u '%s'\n", name,
                    want->cells[k].row, want->cells[k].col,
                    want->cells[k].rowspan, want->cells[k].colspan,
                    ft_buf_str(&b));
    free(hit);
    ft_buf_cleanup(&a);
    ft_buf_cleanup(&b);
}

/* Every slot of a table covered exactly once (the stream contract). */
static void check_slots(const ft_table *t)
{
    size_t *map = NULL;
    char msg[256];
    ft_err rc = ft_table_slot_map(t, &map, msg, sizeof msg);
    ck_assert_msg(rc == FT_OK, "slot map: %s", msg);
    free(map);
    ck_assert_str_eq(t->method, "stream");
}

/* ---- fixtures ---------------------------------------------------------------- */

static const char *const fixtures[] = {
    "en-stats-notes", "en-pricelist-wrap", "en-voting", "zh-budget",
    "ja-spanhead",    "en-side-by-side",   "en-report", "en-hrules",
};

START_TEST(fixture_cells)
{
    const char *name = fixtures[_i];
    char path[512];
    norm_rules *rs = NULL;
    char msg[256];
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rs, msg, sizeof msg), FT_OK);
    /* the expected tables */
    xtable want[8];
    size_t nwant = 0;
    for (int k = 1; k <= 8; k++) {
        snprintf(path, sizeof path, STREAM_DIR "%s/expected-%d.grid", name, k);
        if (!read_grid(path, &want[nwant]))
            break;
        nwant++;
    }
    ck_assert_uint_gt(nwant, 0);
    /* the tables found, page by page */
    snprintf(path, sizeof path, STREAM_DIR "%s/input.layout", name);
    FILE *in = fopen(path, "r");
    ck_assert_msg(in != NULL, "%s missing (run fixtures/stream/gen.py)", path);
    ft_layout_reader r;
    ck_assert_int_eq(ft_layout_reader_init(&r, in, path), FT_OK);
    ft_page p;
    ft_page_init(&p);
    norm_tables all;
    norm_tables_init(&all);
    size_t tp = 0, npred = 0, ntruth = 0, nfound = 0;
    ft_err rc;
    while ((rc = ft_layout_read_page(&r, &p)) == FT_OK) {
        unsigned char *used = calloc(p.nruns + 1, 1);
        norm_furniture_mark(&p, rs, used);
        ck_assert_int_eq(norm_stream_find(&p, used, &all), FT_OK);
        for (size_t i = nfound; i < all.count; i++) {
            const ft_table *t = &all.items[i];
            check_slots(t);
            ck_assert_uint_eq(t->page_first, p.number);
            if (i < nwant)
                compare(rs, t, &want[i], &tp, &npred, &ntruth, name);
        }
        /* runs in a table are marked 2, and every cell text is theirs */
        for (size_t i = 0; i < p.nruns; i++)
            ck_assert_uint_le(used[i], 2);
        nfound = all.count;
        free(used);
    }
    ck_assert_int_eq(rc, FT_EOF);
    ck_assert_msg(all.count == nwant, "%s: %zu tables found, %zu expected", name,
                  all.count, nwant);
    for (size_t i = nwant; i < all.count; i++)
        npred += all.items[i].ncells;
    double f1 = npred + ntruth ? 2.0 * (double)tp / (double)(npred + ntruth) : 1.0;
    fprintf(stderr, "%s: cell F1 %.3f (%zu of %zu found, %zu expected)\n", name,
            f1, tp, npred, ntruth);
    ck_assert_msg(f1 >= MIN_F1, "%s: cell F1 %.3f under %.2f", name, f1, MIN_F1);
    norm_tables_cleanup(&all);
    ft_page_cleanup(&p);
    ft_layout_reader_cleanup(&r);
    fclose(in);
    for (size_t k = 0; k < nwant; k++)
        xtable_free(&want[k]);
    norm_rules_free(rs);
}
END_TEST

/* ---- hand-built pages --------------------------------------------------------- */

static void add(ft_page *p, double x0, double y0, double x1, double y1,
                double size, const char *text)
{
    ft_run r;
    memset(&r, 0, sizeof r);
    r.box = (ft_box){x0, y0, x1, y1};
    r.size = size;
    r.conf = -1;
    r.text = (char *)text;
    r.len = strlen(text);
    ck_assert_int_eq(ft_page_add_run(p, &r), FT_OK);
}

static void new_page(ft_page *p)
{
    ft_page_init(p);
    p->number = 1;
    p->width = 595.28;
    p->height = 841.89;
    p->has_geometry = 1;
    strcpy(p->origin, "text");
}

/* A row of cells at y: texts[i] at x[i] (width ~ 5 pt per character). */
static void add_row(ft_page *p, double y, const double *x, const char *const *t,
                    size_t n, double pitch_h)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] && *t[i])
            add(p, x[i], y, x[i] + 5.0 * (double)strlen(t[i]), y + pitch_h, 10,
                t[i]);
}

static const char *cell_text(const ft_table *t, unsigned row, unsigned col)
{
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].row == row && t->cells[i].col == col)
            return t->cells[i].text;
    return NULL;
}

START_TEST(two_lines_are_no_table)
{
    ft_page p;
    new_page(&p);
    add(&p, 50, 100, 150, 111, 10, "Signed: J. Smith");
    add(&p, 300, 100, 380, 111, 10, "Date: 3 May");
    add(&p, 50, 115, 150, 126, 10, "Head of unit");
    add(&p, 300, 115, 380, 126, 10, "Brussels");
    unsigned char used[4] = {0};
    norm_tables t;
    norm_tables_init(&t);
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_OK);
    ck_assert_uint_eq(t.count, 0);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(used[i], 0);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

START_TEST(prose_is_no_table)
{
    ft_page p;
    new_page(&p);
    for (int i = 0; i < 10; i++)
        add(&p, 50, 100 + 14.0 * i, 540, 111 + 14.0 * i, 10,
            "A line of running text that fills the measure of the page.");
    unsigned char used[10] = {0};
    norm_tables t;
    norm_tables_init(&t);
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_OK);
    ck_assert_uint_eq(t.count, 0);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* A superscript mark beside a cell joins its line; the row count stays. */
START_TEST(superscript_joins_its_line)
{
    ft_page p;
    new_page(&p);
    const double x[3] = {50, 200, 300};
    const char *const h[3] = {"Item", "2023", "2024"};
    const char *const a[3] = {"Apples", "12.5", "13.0"};
    const char *const b[3] = {"Pears", "8.0", "9.5"};
    add_row(&p, 100, x, h, 3, 11);
    add_row(&p, 116, x, a, 3, 11);
    add(&p, 81, 115, 85, 121, 6, "2"); /* Apples^2, raised, 6 pt */
    add_row(&p, 132, x, b, 3, 11);
    unsigned char used[16] = {0};
    norm_tables t;
    norm_tables_init(&t);
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_OK);
    ck_assert_uint_eq(t.count, 1);
    ck_assert_uint_eq(t.items[0].nrows, 3);
    ck_assert_uint_eq(t.items[0].ncols, 3);
    ck_assert_str_eq(cell_text(&t.items[0], 2, 1), "Apples2");
    ck_assert_str_eq(cell_text(&t.items[0], 2, 3), "13.0");
    check_slots(&t.items[0]);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* With a rule under every row, the rules make the rows: wrapped cells set at
 * the same leading as the rows are still one row each. */
START_TEST(rules_make_rows)
{
    ft_page p;
    new_page(&p);
    const double x[3] = {50, 250, 400};
    double y = 100;
    ck_assert_int_eq(ft_page_add_rule(&p, (ft_box){45, y - 2, 500, y - 2}), FT_OK);
    for (int r = 0; r < 4; r++) {
        const char *const row[3] = {"Measure text", "Owner", "Deadline"};
        add_row(&p, y, x, row, 3, 11);
        /* a second line in the first column only */
        add(&p, 50, y + 13, 120, y + 24, 10, "continued");
        y += 26;
        ck_assert_int_eq(ft_page_add_rule(&p, (ft_box){45, y - 2, 500, y - 2}),
                         FT_OK);
    }
    unsigned char used[32] = {0};
    norm_tables t;
    norm_tables_init(&t);
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_OK);
    ck_assert_uint_eq(t.count, 1);
    ck_assert_uint_eq(t.items[0].nrows, 4);
    ck_assert_str_eq(cell_text(&t.items[0], 1, 1), "Measure text\ncontinued");
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* A row whose only text is in the first column heads a section: it spans
 * the table. */
START_TEST(section_row_spans)
{
    ft_page p;
    new_page(&p);
    const double x[3] = {50, 200, 300};
    const char *const h[3] = {"Item", "2023", "2024"};
    const char *const a[3] = {"Apples", "12.5", "13.0"};
    const char *const b[3] = {"Pears", "8.0", "9.5"};
    add_row(&p, 100, x, h, 3, 11);
    add_row(&p, 116, x, a, 3, 11);
    add(&p, 50, 132, 120, 143, 10, "Vegetables");
    add_row(&p, 148, x, b, 3, 11);
    add_row(&p, 164, x, a, 3, 11);
    unsigned char used[16] = {0};
    norm_tables t;
    norm_tables_init(&t);
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_OK);
    ck_assert_uint_eq(t.count, 1);
    ck_assert_uint_eq(t.items[0].nrows, 5);
    const ft_cell *c = NULL;
    for (size_t i = 0; i < t.items[0].ncells; i++)
        if (t.items[0].cells[i].row == 3)
            c = &t.items[0].cells[i];
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->text, "Vegetables");
    ck_assert_uint_eq(c->colspan, 3);
    check_slots(&t.items[0]);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* Runs taken by the lattice finder (used != 0) are left alone. */
START_TEST(used_runs_left_alone)
{
    ft_page p;
    new_page(&p);
    const double x[3] = {50, 200, 300};
    for (int r = 0; r < 4; r++) {
        const char *const row[3] = {"Label", "1.0", "2.0"};
        add_row(&p, 100 + 16.0 * r, x, row, 3, 11);
    }
    unsigned char used[12];
    memset(used, 1, sizeof used);
    norm_tables t;
    norm_tables_init(&t);
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_OK);
    ck_assert_uint_eq(t.count, 0);
    for (int i = 0; i < 12; i++)
        ck_assert_uint_eq(used[i], 1);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* A cell of 2 MB in a table: bounded time, the cell cut at FT_MAX_CELL_LEN
 * (FT_LIMIT, so the caller warns), the table and its other cells kept. */
START_TEST(huge_run)
{
    ft_page p;
    new_page(&p);
    size_t big = 2u * 1024u * 1024u;
    char *s = malloc(big + 1);
    memset(s, 'x', big);
    s[big] = '\0';
    const double x[3] = {50, 200, 300};
    const char *const h[3] = {"Name", "Value", "Note"};
    add_row(&p, 100, x, h, 3, 11);
    add(&p, 50, 116, 190, 127, 10, "First");
    add(&p, 200, 116, 240, 127, 10, "1.5");
    add(&p, 300, 116, 540, 127, 10, s);
    const char *const r3[3] = {"Second", "2.5", "short"};
    add_row(&p, 132, x, r3, 3, 11);
    free(s);
    unsigned char used[16] = {0};
    norm_tables t;
    norm_tables_init(&t);
    double t0 = now();
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_LIMIT);
    ck_assert_msg(now() - t0 < 2.0, "took %.2f s", now() - t0);
    ck_assert_uint_eq(t.count, 1);
    ck_assert_uint_eq(strlen(cell_text(&t.items[0], 2, 3)), FT_MAX_CELL_LEN);
    ck_assert_str_eq(cell_text(&t.items[0], 2, 2), "1.5");
    ck_assert_str_eq(cell_text(&t.items[0], 3, 3), "short");
    check_slots(&t.items[0]);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* 20,000 rows x 5 columns of runs (100,000 runs) in bounded time: nothing
 * quadratic over runs, lines or rows. */
START_TEST(many_runs)
{
    ft_page p;
    new_page(&p);
    p.height = 20000.0 * 14 + 200;
    const double x[5] = {50, 150, 250, 350, 450};
    const char *const row[5] = {"Label", "1.0", "2.0", "3.0", "word"};
    for (int r = 0; r < 20000; r++)
        add_row(&p, 100 + 14.0 * r, x, row, 5, 11);
    unsigned char *used = calloc(p.nruns, 1);
    norm_tables t;
    norm_tables_init(&t);
    double t0 = now();
    ck_assert_int_eq(norm_stream_find(&p, used, &t), FT_OK);
    double dt = now() - t0;
    ck_assert_msg(dt < 5.0, "100,000 runs took %.2f s", dt);
    ck_assert_uint_eq(t.count, 1);
    ck_assert_uint_eq(t.items[0].nrows, 20000);
    ck_assert_uint_eq(t.items[0].ncols, 5);
    free(used);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* Wide rows: 4 lines of 20,000 runs each (so 20,000 columns, over
 * FT_MAX_TABLE_COLS): bounded time, FT_LIMIT, nothing half-built. */
START_TEST(wide_rows)
{
    ft_page p;
    new_page(&p);
    p.width = 20000.0 * 30 + 100;
    for (int r = 0; r < 4; r++)
        for (int k = 0; k < 20000; k++)
            add(&p, 50 + 30.0 * k, 100 + 14.0 * r, 65 + 30.0 * k, 111 + 14.0 * r,
                10, r == 0 ? "Hd" : "1.5");
    unsigned char *used = calloc(p.nruns, 1);
    norm_tables t;
    norm_tables_init(&t);
    double t0 = now();
    ft_err rc = norm_stream_find(&p, used, &t);
    double dt = now() - t0;
    ck_assert_msg(dt < 5.0, "80,000 runs in 4 lines took %.2f s", dt);
    ck_assert_int_eq(rc, FT_LIMIT);
    ck_assert_uint_eq(t.count, 0);
    for (size_t i = 0; i < p.nruns; i++)
        ck_assert_uint_eq(used[i], 0);
    free(used);
    norm_tables_cleanup(&t);
    ft_page_cleanup(&p);
}
END_TEST

/* ---- furniture ------------------------------------------------------------------- */

START_TEST(furniture_marks)
{
    norm_rules *rs = NULL;
    char msg[256];
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rs, msg, sizeof msg), FT_OK);
    ft_page p;
    new_page(&p);
    add(&p, 290, 800, 305, 810, 9, "- 2 -");               /* 0: footer */
    add(&p, 50, 30, 90, 40, 9, "第 1 页");                  /* 1: split header */
    add(&p, 100, 30, 140, 40, 9, "共 3 页");                /* 2 */
    add(&p, 290, 400, 300, 410, 9, "2");                    /* 3: mid-page */
    const char *const hdr[6] = {"Region", "2019", "2020", "2021", "2022", "2023"};
    for (int i = 0; i < 6; i++)                             /* 4..9: header row */
        add(&p, 50 + 60.0 * i, 46, 80 + 60.0 * i, 56, 9, hdr[i]);
    add(&p, 50, 820, 200, 830, 9, "Confidential draft");    /* 10: no pattern */
    unsigned char used[11] = {0};
    size_t n = norm_furniture_mark(&p, rs, used);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(used[0], 1);
    ck_assert_uint_eq(used[1], 1);
    ck_assert_uint_eq(used[2], 1);
    ck_assert_uint_eq(used[3], 0);
    for (int i = 4; i <= 10; i++)
        ck_assert_uint_eq(used[i], 0);
    /* runs already taken stay as they were */
    memset(used, 2, sizeof used);
    ck_assert_uint_eq(norm_furniture_mark(&p, rs, used), 0);
    ck_assert_uint_eq(used[0], 2);
    ft_page_cleanup(&p);
    /* a plain-text page has no bands */
    ft_page q;
    ft_page_init(&q);
    q.has_geometry = 0;
    ck_assert_uint_eq(norm_furniture_mark(&q, rs, used), 0);
    ft_page_cleanup(&q);
    norm_rules_free(rs);
}
END_TEST

static Suite *stream_suite(void)
{
    Suite *s = suite_create("norm_stream");
    TCase *tf = tcase_create("fixtures");
    tcase_set_timeout(tf, 60);
    tcase_add_loop_test(tf, fixture_cells, 0,
                        sizeof fixtures / sizeof fixtures[0]);
    suite_add_tcase(s, tf);
    TCase *tp = tcase_create("pages");
    tcase_set_timeout(tp, 60);
    tcase_add_test(tp, two_lines_are_no_table);
    tcase_add_test(tp, prose_is_no_table);
    tcase_add_test(tp, superscript_joins_its_line);
    tcase_add_test(tp, rules_make_rows);
    tcase_add_test(tp, section_row_spans);
    tcase_add_test(tp, used_runs_left_alone);
    tcase_add_test(tp, huge_run);
    tcase_add_test(tp, many_runs);
    tcase_add_test(tp, wide_rows);
    tcase_add_test(tp, furniture_marks);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stream_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
