/* Writing the review page, a section per page (ext_inspect_review.h). */
#include "ext_inspect_review.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ext_inspect_html.h"
#include "ft_stream.h"
#include "ft_utf8.h"

/* Members every record carries for provenance and identity; the section
 * already says where the record comes from, so they are not repeated. */
static const char *const PROVENANCE[] = {"source", "sha256", "page",
                                         "table", "record_id", "form_id",
                                         "kind"};

/* Suffixes of the members that hold a typed value read from a "P_text"
 * member, and the bare "P" (weight_text -> weight). docs/records.md. */
static const char *const TYPED_SUFFIXES[] = {"_value", "_number", "_date", ""};

void ext_review_png_name(unsigned n, char *buf, size_t len)
{
    snprintf(buf, len, "page-%04u.png", n);
}

/* A coordinate for an SVG attribute: points with two decimals, '.' always
 * (formtab never sets LC_NUMERIC). */
static void num(FILE *f, double v)
{
    ft_put_num(f, v);
}

static ft_err make_dir(const char *dir, char *msg, size_t msg_len)
{
    struct stat st;
    if (mkdir(dir, 0777) == 0)
        return FT_OK;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return FT_OK;
    snprintf(msg, msg_len, "%s: cannot create directory: %s", dir,
             errno == EEXIST ? "a file of that name exists" : strerror(errno));
    return FT_IO;
}

ft_err ext_review_begin(ext_review *r, const char *dir,
                        const ext_review_info *info, char *msg, size_t msg_len)
{
    ft_buf path;
    ft_err rc;
    memset(r, 0, sizeof *r);
    ft_buf_init(&r->doc_warn, EXT_REVIEW_MAX_DOC_WARNINGS);
    ft_buf_init(&path, 8192);
    msg[0] = '\0';

    if ((rc = make_dir(dir, msg, msg_len)))
        goto out;
    if ((rc = ext_html_write_css(dir, info->mode))) {
        snprintf(msg, msg_len, "%s/%s: cannot write: %s", dir,
                 EXT_HTML_CSS_NAME, strerror(errno));
        goto out;
    }
    if ((rc = ext_html_path(&path, dir, "index.html")))
        goto out;
    if ((rc = ext_html_atomic_open(&r->out, ft_buf_str(&path),
                                   info->mode))) {
        snprintf(msg, msg_len, "%s: cannot create: %s", ft_buf_str(&path),
                 strerror(errno));
        goto out;
    }
    r->open = 1;

    FILE *f = r->out.f;
    const ft_doc *d = info->doc;
    char title[512];
    snprintf(title, sizeof title, "formtab inspect: %s", info->input);
    ext_html_begin(f, title, EXT_HTML_CSS_NAME);
    fputs("<header class=\"top\">\n<h1>formtab inspect: ", f);
    ext_html_puts(f, info->input, 0);
    fputs("</h1>\n<p class=\"meta\">source <code>", f);
    ext_html_puts(f, d->source ? d->source : info->input, 0);
    fputs("</code> · sha256 <code>", f);
    ext_html_puts(f, d->sha256, 0);
    fprintf(f, "</code> · %s", d->kind[0] ? d->kind : "unknown");
    if (d->npages)
        fprintf(f, " · %u page%s", d->npages, d->npages == 1 ? "" : "s");
    if (info->pages) {
        fputs(" · pages shown: ", f);
        ext_html_puts(f, info->pages, 0);
    }
    if (!strcmp(d->kind, "pdf"))
        fprintf(f, " · images at %.0f dpi", info->dpi);
    fprintf(f, " · formtab %s</p>\n",
            info->version ? info->version : "unknown");
    if (!strcmp(d->kind, "pdf"))
        fputs("<p class=\"meta\">Each page shows the page image with what "
              "formtab found drawn over it, and beside it the tables as "
              "formtab extracted them. Click a cell to see its box on the "
              "page; click a box to see its cell.", f);
    else
        fputs("<p class=\"meta\">Each page shows the tables as formtab "
              "extracted them from the text dump (a text dump has no page "
              "image).", f);
    if (!info->have_records)
        fputs(" Form records were not available for this run.", f);
    fputs("</p>\n", f);
    if (!strcmp(d->kind, "pdf"))
        fputs("<ul class=\"legend\" aria-label=\"legend\">"
              "<li><span class=\"sw rule\"></span>ruling line</li>"
              "<li><span class=\"sw table\"></span>table (T&lt;id&gt; "
              "method; row numbers at its left = reading order)</li>"
              "<li><span class=\"sw cell\"></span>cell</li>"
              "<li><span class=\"sw merged\"></span>merged cell</li>"
              "<li><span class=\"sw low\"></span>low-confidence OCR cell</li>"
              "<li><span class=\"sw ocr\"></span>OCR text, confidence "
              "0 .. 100</li>"
              "<li><span class=\"sw target\"></span>the box of the cell you "
              "clicked</li></ul>\n",
              f);
    if (d->npages > 1) {
        unsigned shown = 0;
        fputs("<nav class=\"pages\" aria-label=\"pages\">Pages:", f);
        for (unsigned n = 1; n <= d->npages && shown < EXT_REVIEW_MAX_NAV;
             n++) {
            if (info->sel && !ext_pages_contains(info->sel, n))
                continue;
            fprintf(f, " <a href=\"#p%u\">%u</a>", n, n);
            shown++;
        }
        fputs("</nav>\n", f);
    }
    fputs("</header>\n<main>\n", f);
    rc = ferror(f) ? FT_IO : FT_OK;
out:
    ft_buf_cleanup(&path);
    if (rc && r->open) {
        ft_atomic_abort(&r->out);
        r->open = 0;
    }
    if (rc)
        ft_buf_cleanup(&r->doc_warn);
    return rc;
}

void ext_review_doc_warning(void *review, const char *text, size_t len)
{
    ext_review *r = review;
    r->ndoc_warn++;
    /* Past the cap the warning is counted only; the summary says so. */
    size_t mark = r->doc_warn.len;
    if (ft_buf_puts(&r->doc_warn, "<li>") ||
        ext_html_escape(&r->doc_warn, text, len, 0) ||
        ft_buf_puts(&r->doc_warn, "</li>\n")) {
        r->doc_warn.len = mark;
        if (r->doc_warn.data)
            r->doc_warn.data[mark] = '\0';
    }
}

/* The cell's text cut to at most nchars characters, for a tooltip. */
static size_t tooltip_len(const char *s, size_t len, size_t nchars)
{
    size_t i = 0, k = 0;
    while (i < len && k < nchars) {
        uint32_t cp;
        size_t step = ft_utf8_decode(s + i, len - i, &cp);
        i += step ? step : 1;
        k++;
    }
    return i;
}

static void cell_anchor(FILE *f, const char *prefix, unsigned page,
                        unsigned table, const ft_cell *c)
{
    if (page)
        fprintf(f, "%sp%u-t%u-r%u-c%u", prefix, page, table, c->row, c->col);
    else
        fprintf(f, "%st%u-r%u-c%u", prefix, table, c->row, c->col);
}

static void rect(FILE *f, const ft_box *b)
{
    fputs(" x=\"", f);
    num(f, b->x0);
    fputs("\" y=\"", f);
    num(f, b->y0);
    fputs("\" width=\"", f);
    num(f, b->x1 - b->x0);
    fputs("\" height=\"", f);
    num(f, b->y1 - b->y0);
    fputs("\"", f);
}

static int box_ok(const ft_box *b)
{
    return b->x1 >= b->x0 && b->y1 >= b->y0;
}

/* The page image with a box per cell, table and note, each a link. */
static void write_figure(FILE *f, const ext_view *v, const char *png,
                         double w, double h)
{
    unsigned n = v->page.number;
    fputs("<figure class=\"sheet\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
          "viewBox=\"0 0 ", f);
    num(f, w);
    fputc(' ', f);
    num(f, h);
    fprintf(f, "\" role=\"img\" aria-label=\"page %u with what formtab "
               "found\">\n<image href=\"", n);
    ext_html_puts(f, png, 0);
    fputs("\" x=\"0\" y=\"0\" width=\"", f);
    num(f, w);
    fputs("\" height=\"", f);
    num(f, h);
    fputs("\" preserveAspectRatio=\"none\"/>\n", f);

    for (size_t i = 0; i < v->ntables; i++) {
        const ft_table *t = v->tables[i];
        if (t->page_first == n && t->has_box && box_ok(&t->box)) {
            fprintf(f, "<a href=\"#t%u\"><rect id=\"p%u-t%u\" class=\"box tbl\"",
                    t->id, n, t->id);
            rect(f, &t->box);
            fprintf(f, "><title>table %u (%s)</title></rect></a>\n", t->id,
                    t->method);
        }
    }
    /* Cells after tables, so a cell's box is on top and gets the click. */
    for (size_t i = 0; i < v->ntables; i++) {
        const ft_table *t = v->tables[i];
        for (size_t j = 0; j < t->ncells; j++) {
            const ft_cell *c = &t->cells[j];
            if (c->page != n || !c->has_box || !box_ok(&c->box))
                continue;
            cell_anchor(f, "<a href=\"#td-", 0, t->id, c);
            cell_anchor(f, "\"><rect id=\"", n, t->id, c);
            fputs("\" class=\"box\"", f);
            rect(f, &c->box);
            fprintf(f, "><title>T%u r%u c%u: ", t->id, c->row, c->col);
            size_t tl = tooltip_len(c->text, c->len, EXT_REVIEW_TOOLTIP_NCHARS);
            ext_html_put(f, c->text, tl, 0);
            if (tl < c->len)
                fputs("\xE2\x80\xA6", f); /* … */
            fputs("</title></rect></a>\n", f);
        }
    }
    for (size_t i = 0; i < v->nitems; i++) {
        const ext_view_item *it = &v->items[i];
        if (it->kind != FT_ITEM_NOTE || !it->has_box || !box_ok(&it->box))
            continue;
        fprintf(f, "<a href=\"#p%u-n%u-t\"><rect id=\"p%u-n%u\" class=\"box "
                   "note\"", n, it->index, n, it->index);
        rect(f, &it->box);
        fputs("><title>", f);
        ext_html_put(f, it->text,
                     tooltip_len(it->text, it->len, EXT_REVIEW_TOOLTIP_NCHARS),
                     0);
        fputs("</title></rect></a>\n", f);
    }
    fputs("</svg>\n<figcaption>Boxes are links: click one to find its cell "
          "in the table.</figcaption>\n</figure>\n", f);
}

static void count_flags(const ft_table *t, unsigned flag, unsigned long *n)
{
    *n = 0;
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].flags & flag)
            (*n)++;
}

static void write_cell(FILE *f, const ft_table *t, const ft_cell *c,
                       int linked)
{
    cell_anchor(f, "<td id=\"td-", 0, t->id, c);
    fputc('"', f);
    const char *cls[4];
    size_t ncls = 0;
    if (c->flags & FT_CELL_HEADER)
        cls[ncls++] = "hdr";
    if (c->rowspan > 1 || c->colspan > 1)
        cls[ncls++] = "merged";
    if (c->flags & FT_CELL_LOWCONF)
        cls[ncls++] = "low";
    if (c->flags & FT_CELL_REPAIRED)
        cls[ncls++] = "repaired";
    if (ncls) {
        fputs(" class=\"", f);
        for (size_t i = 0; i < ncls; i++)
            fprintf(f, "%s%s", i ? " " : "", cls[i]);
        fputc('"', f);
    }
    if (c->rowspan > 1)
        fprintf(f, " rowspan=\"%u\"", c->rowspan);
    if (c->colspan > 1)
        fprintf(f, " colspan=\"%u\"", c->colspan);
    fprintf(f, " title=\"row %u, column %u", c->row, c->col);
    if (c->rowspan > 1 || c->colspan > 1)
        fprintf(f, ", spans %u x %u", c->rowspan, c->colspan);
    if (c->page)
        fprintf(f, ", page %u", c->page);
    if (c->conf >= 0)
        fprintf(f, ", OCR confidence %.0f", c->conf);
    if (c->flags & FT_CELL_LOWCONF)
        fputs(" (low)", f);
    if (c->flags & FT_CELL_REPAIRED)
        fputs(", text repaired by a rule", f);
    if (c->flags & FT_CELL_CONTINUED)
        fputs(", continued from the previous page", f);
    fputs("\">", f);
    if (linked) {
        cell_anchor(f, "<a href=\"#", c->page, t->id, c);
        fputs("\">", f);
    }
    if (c->len)
        ext_html_put(f, c->text, c->len, EXT_HTML_BR);
    else
        fputs("<span class=\"empty\" title=\"empty cell\">\xC2\xB7</span>", f);
    if (c->flags & FT_CELL_LOWCONF)
        fprintf(f, "<span class=\"conf\">%.0f%%</span>",
                c->conf >= 0 ? c->conf : 0.0);
    if (linked)
        fputs("</a>", f);
    fputs("</td>", f);
}

static void write_table(ext_review *r, FILE *f, const ft_table *t,
                        int have_image)
{
    unsigned long nlow, nrep;
    count_flags(t, FT_CELL_LOWCONF, &nlow);
    count_flags(t, FT_CELL_REPAIRED, &nrep);
    r->ntables++;
    r->ncells += t->ncells;
    r->nlowconf += nlow;

    fprintf(f, "<div class=\"scroll\">\n<table class=\"ft\" id=\"t%u\">\n"
               "<caption>", t->id);
    if (have_image && t->has_box)
        fprintf(f, "<a href=\"#p%u-t%u\">Table %u</a>", t->page_first, t->id,
                t->id);
    else
        fprintf(f, "Table %u", t->id);
    fprintf(f, " · %s · %u row%s × %u column%s", t->method, t->nrows,
            t->nrows == 1 ? "" : "s", t->ncols, t->ncols == 1 ? "" : "s");
    if (t->page_last > t->page_first)
        fprintf(f, " · pages %u–%u", t->page_first, t->page_last);
    if (nlow)
        fprintf(f, " · <span class=\"conf\">%lu low-confidence OCR "
                   "cell%s</span>", nlow, nlow == 1 ? "" : "s");
    if (nrep)
        fprintf(f, " · %lu repaired by rules", nrep);
    fputs("</caption>\n<tbody>\n", f);
    /* Cells are sorted by (row, col) (the view sorts each table). */
    size_t j = 0;
    for (unsigned row = 1; row <= t->nrows; row++) {
        fprintf(f, "<tr><th class=\"rn\" scope=\"row\" id=\"t%u-r%u\">%u</th>",
                t->id, row, row);
        while (j < t->ncells && t->cells[j].row < row)
            j++;
        for (; j < t->ncells && t->cells[j].row == row; j++) {
            const ft_cell *c = &t->cells[j];
            write_cell(f, t, c, have_image && c->has_box && c->page);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</div>\n", f);
}

static int is_one_of(const char *key, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(key, list[i]))
            return 1;
    return 0;
}

static int has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
        /* full-width digits U+FF10..FF19: EF BC 90..99 */
        if (i + 2 < len && (unsigned char)s[i] == 0xEF &&
            (unsigned char)s[i + 1] == 0xBC &&
            (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99)
            return 1;
    }
    return 0;
}

/* 1 if member m is a "P_text" whose text has digits but whose typed value
 * (P_value, P_number, P_date or P) is null: a number emit did not
 * understand. Words ("合理", "健全") are meant to stay text and are not
 * flagged, nor is a field whose P_type says text. */
int ext_review_unparsed(const ext_record *rec, const ext_json_member *m)
{
    static const char suffix[] = "_text";
    size_t kl = strlen(m->key), sl = sizeof suffix - 1;
    char k[96];
    if (m->type != EXT_JSON_STRING || kl <= sl || kl - sl + 8 > sizeof k ||
        strcmp(m->key + kl - sl, suffix) != 0 || !has_digit(m->text, m->len))
        return 0;
    size_t pl = kl - sl;
    memcpy(k, m->key, pl);
    strcpy(k + pl, "_type");
    const ext_json_member *type = ext_record_get(rec, k);
    if (type && type->type == EXT_JSON_STRING &&
        (!strcmp(type->text, "text") || !strcmp(type->text, "list")))
        return 0;
    int typed = 0, understood = 0;
    for (size_t i = 0; i < sizeof TYPED_SUFFIXES / sizeof *TYPED_SUFFIXES;
         i++) {
        strcpy(k + pl, TYPED_SUFFIXES[i]);
        const ext_json_member *v = ext_record_get(rec, k);
        if (!v)
            continue;
        typed = 1;
        if (v->type != EXT_JSON_NULL)
            understood = 1;
    }
    return typed && !understood;
}

static void write_records(ext_review *r, FILE *f, const ft_table *t,
                          const ext_record *recs, size_t n)
{
    size_t ncell = 0;
    for (size_t i = 0; i < n; i++) {
        const ext_json_member *kind = ext_record_get(&recs[i], "kind");
        if (kind && kind->type == EXT_JSON_STRING && !strcmp(kind->text, "cell"))
            ncell++;
    }
    if (ncell)
        fprintf(f, "<p class=\"cont\">formtab-emit found no form fields, "
                   "indicators or budget items in table %u; its %zu cells "
                   "are kept as cell records.</p>\n", t->id, ncell);
    if (ncell == n)
        return;
    fprintf(f, "<table class=\"rec\" id=\"rec-t%u\">\n<caption>Form records "
               "of table %u (formtab-emit --records=form); highlighted: a "
               "value with digits that was not read as a number or date"
               "</caption>\n<tbody>\n", t->id, t->id);
    for (size_t i = 0; i < n; i++) {
        const ext_record *rec = &recs[i];
        const ext_json_member *kind = ext_record_get(rec, "kind");
        if (kind && kind->type == EXT_JSON_STRING && !strcmp(kind->text, "cell"))
            continue;
        int bad = 0;
        for (size_t k = 0; k < rec->n; k++)
            bad |= ext_review_unparsed(rec, &rec->m[k]);
        r->nrecords++;
        r->nbad_records += (unsigned long)bad;
        fprintf(f, "<tr%s><th>", bad ? " class=\"bad\"" : "");
        if (kind && kind->type == EXT_JSON_STRING)
            ext_html_put(f, kind->text, kind->len, 0);
        else
            fputs("record", f);
        fputs("</th><td class=\"w\">", f);
        unsigned row, col;
        if (ext_record_uint(rec, "row", &row)) {
            if (ext_record_uint(rec, "col", &col))
                fprintf(f, "<a href=\"#td-t%u-r%u-c%u\">r%u c%u</a>", t->id,
                        row, col, row, col);
            else
                fprintf(f, "<a href=\"#t%u-r%u\">r%u</a>", t->id, row, row);
        }
        fputs("</td><td>", f);
        int first = 1;
        for (size_t k = 0; k < rec->n; k++) {
            const ext_json_member *m = &rec->m[k];
            if (m->type == EXT_JSON_NULL || !strcmp(m->key, "row") ||
                !strcmp(m->key, "col") ||
                is_one_of(m->key, PROVENANCE,
                          sizeof PROVENANCE / sizeof *PROVENANCE))
                continue;
            int unparsed = ext_review_unparsed(rec, m);
            fputs(first ? "" : " · ", f);
            first = 0;
            fputs(unparsed ? "<mark title=\"not read as a number or date\">"
                           : "",
                  f);
            fputs("<span class=\"k\">", f);
            ext_html_puts(f, m->key, 0);
            fputs("</span> ", f);
            ext_html_put(f, m->text, m->len, 0);
            fputs(unparsed ? "</mark>" : "", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
}

static void write_warnings(ext_review *r, FILE *f, const ext_view *v)
{
    const ft_page *p = &v->page;
    size_t n = p->nwarnings;
    for (size_t i = 0; i < v->nitems; i++)
        n += v->items[i].kind == FT_ITEM_WARN;
    if (n == 0 && v->dropped == 0)
        return;
    r->nwarnings += n;
    fputs("<ul class=\"warnings\">\n", f);
    for (size_t i = 0; i < p->nwarnings; i++) {
        fputs("<li>extract: ", f);
        ext_html_puts(f, p->warnings[i], 0);
        fputs("</li>\n", f);
    }
    for (size_t i = 0; i < v->nitems; i++) {
        if (v->items[i].kind != FT_ITEM_WARN)
            continue;
        fputs("<li>", f);
        ext_html_put(f, v->items[i].text, v->items[i].len, 0);
        fputs("</li>\n", f);
    }
    if (v->dropped)
        fprintf(f, "<li>%lu more notes or warnings on this page are not "
                   "shown (too many)</li>\n", v->dropped);
    fputs("</ul>\n", f);
}

ft_err ext_review_page(ext_review *r, const ext_view *v, const char *png,
                       double width, double height, ext_records *recs)
{
    FILE *f = r->out.f;
    const ft_page *p = &v->page;
    unsigned n = p->number;
    int have_image = png != NULL && width > 0 && height > 0;
    ft_err rc = FT_OK;
    r->npages++;

    unsigned ntab = 0;
    for (size_t i = 0; i < v->ntables; i++)
        ntab += ext_view_table_on_page(v->tables[i], n);
    fprintf(f, "<section class=\"page\" id=\"p%u\">\n<h2>Page %u <small>", n,
            n);
    if (!strcmp(p->origin, "ocr"))
        fputs("scanned: text by OCR", f);
    else if (!strcmp(p->origin, "text"))
        fputs("text layer", f);
    else
        fputs("text dump", f);
    if (p->has_geometry) {
        fputs(" · ", f);
        num(f, p->width);
        fputs(" × ", f);
        num(f, p->height);
        fputs(" pt", f);
        if (p->rotation)
            fprintf(f, " · /Rotate %d", p->rotation);
        fprintf(f, " · %zu rule%s · %zu text run%s", p->nrules,
                p->nrules == 1 ? "" : "s", p->nruns, p->nruns == 1 ? "" : "s");
    }
    fprintf(f, " · %u table%s</small></h2>\n", ntab, ntab == 1 ? "" : "s");
    if (p->failed) {
        fputs("<p class=\"failed\">formtab could not read this page: ", f);
        ext_html_puts(f, p->fail_reason ? p->fail_reason : "unknown reason", 0);
        fputs("</p>\n", f);
    }
    fprintf(f, "<div class=\"pagebody%s\">\n", have_image ? "" : " noimage");
    if (have_image)
        write_figure(f, v, png, width, height);
    fputs("<div class=\"extract\">\n", f);
    write_warnings(r, f, v);
    for (size_t i = 0; i < v->ntables; i++) {
        const ft_table *t = v->tables[i];
        if (t->page_first < n && ext_view_table_on_page(t, n))
            fprintf(f, "<p class=\"cont\">Table %u (%s) continues on this "
                       "page from page %u: <a href=\"#t%u\">see the table"
                       "</a>.</p>\n", t->id, t->method, t->page_first, t->id);
    }
    for (size_t i = 0; i < v->nitems && !rc; i++) {
        const ext_view_item *it = &v->items[i];
        if (it->kind == FT_ITEM_NOTE) {
            fprintf(f, "<p class=\"note\" id=\"p%u-n%u-t\">", n, it->index);
            if (have_image && it->has_box)
                fprintf(f, "<a href=\"#p%u-n%u\">", n, it->index);
            ext_html_put(f, it->text, it->len, EXT_HTML_BR);
            fputs(have_image && it->has_box ? "</a></p>\n" : "</p>\n", f);
        } else if (it->kind == FT_ITEM_TABLE) {
            write_table(r, f, it->table, have_image);
            if (recs) {
                const ext_record *rs;
                size_t nr;
                rc = ext_records_for_table(recs, it->table->id, &rs, &nr);
                if (!rc)
                    write_records(r, f, it->table, rs, nr);
            }
        }
    }
    fputs("</div>\n</div>\n</section>\n", f);
    if (!rc && ferror(f))
        rc = FT_IO;
    return rc;
}

ft_err ext_review_finish(ext_review *r, const char *status)
{
    FILE *f = r->out.f;
    fputs("</main>\n<footer>\n", f);
    if (r->ndoc_warn) {
        fputs("<h2>Warnings about the whole document</h2>\n"
              "<ul class=\"warnings\">\n", f);
        fputs(ft_buf_str(&r->doc_warn), f);
        fputs("</ul>\n", f);
    }
    if (status) {
        fputs("<p class=\"failed\">", f);
        ext_html_puts(f, status, 0);
        fputs("</p>\n", f);
    }
    fprintf(f, "<p>%u page%s shown · %u table%s · %lu cell%s · %lu "
               "low-confidence OCR cell%s · %lu warning%s",
            r->npages, r->npages == 1 ? "" : "s", r->ntables,
            r->ntables == 1 ? "" : "s", r->ncells, r->ncells == 1 ? "" : "s",
            r->nlowconf, r->nlowconf == 1 ? "" : "s",
            r->nwarnings + r->ndoc_warn,
            r->nwarnings + r->ndoc_warn == 1 ? "" : "s");
    if (r->nrecords)
        fprintf(f, " · %lu form record%s, %lu with a value not understood",
                r->nrecords, r->nrecords == 1 ? "" : "s", r->nbad_records);
    fputs("</p>\n</footer>\n", f);
    ext_html_end(f);
    r->open = 0;
    ft_buf_cleanup(&r->doc_warn);
    return ft_atomic_commit(&r->out);
}

void ext_review_abort(ext_review *r)
{
    if (r->open)
        ft_atomic_abort(&r->out);
    r->open = 0;
    ft_buf_cleanup(&r->doc_warn);
}
