/* Round trip through both stream formats: write a layout page and a table
 * holding fuzz strings with the common writers, read them back with the
 * common readers, and require the same bytes. Catches any escape the
 * writer forgets or the reader undoes wrongly (TAB, LF, CR, backslash,
 * NUL inside a field, CJK, a string ending in a backslash...).
 *
 * Input: up to three strings separated by 0xFF (never part of UTF-8): the
 * text of a run, the text of a cell, the source name (also the hash field,
 * cut to 64 bytes). Invalid UTF-8 must be
 * refused by the reader with FT_UTF8, never passed through. */
#include <stdlib.h>
#include <string.h>

#include "ft_layout.h"
#include "ft_table.h"
#include "ft_utf8.h"
#include "fuzz_util.h"

/* Next piece of data up to 0xFF (or the end). */
static const char *piece(const uint8_t **p, const uint8_t *end, size_t *len)
{
    const uint8_t *s = *p;
    const uint8_t *sep = memchr(s, 0xFF, (size_t)(end - s));
    const uint8_t *e = sep ? sep : end;
    *len = (size_t)(e - s);
    *p = sep ? sep + 1 : end;
    return (const char *)s;
}

static void layout_trip(const char *text, size_t len, const char *src)
{
    char *buf = NULL;
    size_t blen = 0;
    FILE *w = open_memstream(&buf, &blen);
    if (!w)
        return;
    ft_doc d;
    ft_doc_init(&d);
    d.source = (char *)src;
    /* The hash field carries whatever a stream held there: escaped too
     * (cut to 64 bytes at a character boundary). */
    size_t hl = strlen(src) < 64 ? strlen(src) : 64;
    hl = ft_utf8_boundary(src, hl);
    memcpy(d.sha256, src, hl);
    d.sha256[hl] = '\0';
    strcpy(d.kind, "pdf");
    d.npages = 1;
    ft_layout_write_header(w, &d);
    ft_layout_write_page(w, 1, 1, 595.28, 841.89, 0, "text");
    ft_run run = { { 1, 2, 3, 4 }, 10, 0, -1, (char *)text, len };
    ft_layout_write_run(w, &run);
    ft_layout_write_line(w, 7, text, len);
    ft_layout_write_endpage(w, 1, NULL);
    ft_layout_write_end(w, 1, 0);
    fclose(w);

    FILE *f = fz_memfile((const uint8_t *)buf, blen);
    ft_layout_reader r;
    ft_page p;
    ft_page_init(&p);
    int valid = ft_utf8_valid(text, len, NULL) &&
                ft_utf8_valid(src, strlen(src), NULL);
    ft_err rc = ft_layout_reader_init(&r, f, "trip");
    if (!rc)
        rc = ft_layout_read_page(&r, &p);
    if (!valid) {
        FZ_CHECK(rc == FT_UTF8);
    } else {
        FZ_CHECK(rc == FT_OK);
        FZ_CHECK(!strcmp(r.doc.source, src));
        FZ_CHECK(!strcmp(r.doc.sha256, d.sha256));
        FZ_CHECK(p.nruns == 1 && p.nlines == 1);
        FZ_CHECK(p.runs[0].len == len && !memcmp(p.runs[0].text, text, len));
        FZ_CHECK(p.lines[0].len == len && !memcmp(p.lines[0].text, text, len));
        FZ_CHECK(p.lines[0].number == 7);
        FZ_CHECK(ft_layout_read_page(&r, &p) == FT_EOF);
    }
    ft_layout_reader_cleanup(&r);
    ft_page_cleanup(&p);
    fclose(f);
    free(buf);
}

static void table_trip(const char *text, size_t len)
{
    char *buf = NULL;
    size_t blen = 0;
    FILE *w = open_memstream(&buf, &blen);
    if (!w)
        return;
    ft_doc d;
    ft_doc_init(&d);
    d.source = (char *)"x.pdf";
    strcpy(d.kind, "pdf");
    ft_table t;
    ft_table_init(&t);
    t.id = 1;
    t.page_first = t.page_last = 1;
    strcpy(t.method, "lattice");
    t.nrows = 1;
    t.ncols = 2;
    ft_cell c = { 1, 1, 1, 1, 1, { 0, 0, 1, 1 }, 1, -1, 0, (char *)text, len };
    ft_cell e = { 1, 2, 1, 1, 1, { 0, 0, 1, 1 }, 0, 50, 8, (char *)"", 0 };
    if (ft_table_add_cell(&t, &c) || ft_table_add_cell(&t, &e)) {
        fclose(w);
        free(buf);
        ft_table_cleanup(&t);
        return;
    }
    ft_tables_write_header(w, &d);
    ft_tables_write_table(w, &t);
    ft_tables_write_note(w, 1, NULL, text, len);
    ft_tables_write_end(w, 1, 0);
    fclose(w);
    ft_table_reset(&t);

    FILE *f = fz_memfile((const uint8_t *)buf, blen);
    ft_tables_reader r;
    ft_tables_item it;
    int valid = ft_utf8_valid(text, len, NULL);
    ft_err rc = ft_tables_reader_init(&r, f, "trip");
    FZ_CHECK(rc == FT_OK);
    rc = ft_tables_read_next(&r, &it, &t);
    if (!valid) {
        FZ_CHECK(rc == FT_UTF8);
    } else {
        FZ_CHECK(rc == FT_OK && it.kind == FT_ITEM_TABLE);
        FZ_CHECK(t.ncells == 2);
        FZ_CHECK(t.cells[0].len == len && !memcmp(t.cells[0].text, text, len));
        FZ_CHECK(t.cells[1].conf == 50 && t.cells[1].flags == 8);
        FZ_CHECK(ft_tables_read_next(&r, &it, &t) == FT_OK);
        FZ_CHECK(it.kind == FT_ITEM_NOTE && it.len == len &&
                 !memcmp(it.text, text, len));
        FZ_CHECK(ft_tables_read_next(&r, &it, &t) == FT_EOF);
    }
    ft_tables_reader_cleanup(&r);
    ft_table_cleanup(&t);
    fclose(f);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    size_t l1, l2, l3;
    const char *s1 = piece(&p, end, &l1);
    const char *s2 = piece(&p, end, &l2);
    const char *s3 = piece(&p, end, &l3);
    /* The source name is a C string (a path): stop it at a NUL. */
    char *src = strndup(s3, l3);
    if (!src)
        return 0;
    layout_trip(s1, l1, src);
    table_trip(s2, l2);
    free(src);
    return 0;
}
