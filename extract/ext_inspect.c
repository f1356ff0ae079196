/* formtab-inspect's run: streams in, overlay or review folder out
 * (ext_inspect.h). The stages run one after another into anonymous
 * temporary files, so each stream can be read twice (by the next stage and
 * by inspect) without holding it in memory. */
#include "ext_inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext_inspect_draw.h"
#include "ext_inspect_html.h"
#include "ext_inspect_json.h"
#include "ext_inspect_review.h"
#include "ext_inspect_spawn.h"
#include "ext_inspect_view.h"
#include "ft_layout.h"
#include "ft_sha256.h"
#include "ft_table.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

void ext_inspect_options_init(ext_inspect_options *o)
{
    memset(o, 0, sizeof *o);
    o->page = 1;
    o->dpi = EXT_OVERLAY_DPI_DEFAULT;
    o->file_mode = 0644;
}

typedef struct {
    const ext_inspect_options *o;
    ft_diag *d;
    char dir[PATH_MAX];      /* where the stages are; "" until looked up */
    int partial;             /* a stage rejected part of the input */
    PopplerDocument *pdf;    /* NULL for text dumps and without images */
    ft_layout_reader lr;
    ft_tables_reader tr;
    int have_lr, have_tr;
} run_ctx;

/* The error a stage's exit status stands for (the shared exit codes). */
static ft_err exit_err(int status)
{
    switch (status) {
    case FT_EXIT_INPUT: return FT_PDF; /* exit 1 with nothing written */
    case FT_EXIT_USAGE: return FT_USAGE;
    case FT_EXIT_IO: return FT_IO;
    case FT_EXIT_LIMIT: return FT_LIMIT;
    default: return FT_INTERNAL;
    }
}

static off_t fd_size(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? st.st_size : 0;
}

static ft_err open_file(const char *path, int *fd, char *msg, size_t len)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd >= 0)
        return FT_OK;
    snprintf(msg, len, "%s: cannot open: %s", path, strerror(errno));
    return errno == ENOENT ? FT_NOENT : FT_IO;
}

/* Run tool on in_fd into a new temporary file *out_fd. A stage that fails
 * outright is an error; exit status 1 with output (some pages rejected) is
 * noted and the run goes on; *status says what happened. */
static ft_err run_stage(run_ctx *c, const char *tool, const char *const *args,
                        int in_fd, int *out_fd, int *status, char *msg,
                        size_t len)
{
    ft_err rc;
    *out_fd = -1;
    if (!c->dir[0] && ext_spawn_self_dir(c->dir, sizeof c->dir)) {
        snprintf(msg, len, "cannot find the directory of formtab-inspect "
                 "(/proc/self/exe)");
        return FT_IO;
    }
    if (in_fd >= 0 && lseek(in_fd, 0, SEEK_SET) < 0) {
        snprintf(msg, len, "cannot rewind a temporary file: %s",
                 strerror(errno));
        return FT_IO;
    }
    if ((rc = ext_spawn_tmpfile(out_fd))) {
        snprintf(msg, len, "cannot create a temporary file: %s",
                 strerror(errno));
        return rc;
    }
    ft_diag_debug(c->d, "running %s/%s", c->dir, tool);
    rc = ext_spawn_run(c->dir, tool, args, in_fd, *out_fd, status, msg, len);
    if (rc)
        goto fail;
    if (*status == 0)
        return FT_OK;
    if (*status == FT_EXIT_INPUT && fd_size(*out_fd) > 0) {
        c->partial = 1;
        return FT_OK;
    }
    /* The stage has said why on stderr already. */
    snprintf(msg, len, "%s failed (exit status %d); nothing to show", tool,
             *status);
    rc = exit_err(*status);
fail:
    close(*out_fd);
    *out_fd = -1;
    return rc;
}

static FILE *fd_stream(int *fd, char *msg, size_t len)
{
    if (lseek(*fd, 0, SEEK_SET) < 0) {
        snprintf(msg, len, "cannot rewind: %s", strerror(errno));
        return NULL;
    }
    FILE *f = fdopen(*fd, "rb");
    if (!f) {
        snprintf(msg, len, "cannot read: %s", strerror(errno));
        return NULL;
    }
    *fd = -1; /* the FILE owns it now */
    return f;
}

/* The three streams as descriptors: from files, or from the stages. */
static ft_err get_streams(run_ctx *c, int *lfd, int *tfd, int *rfd,
                          char *msg, size_t len)
{
    const ext_inspect_options *o = c->o;
    ft_err rc = FT_OK;
    int status;
    char pages[64], pw[1024], ocr[64];
    const char *args[EXT_SPAWN_MAX_ARGS + 1];
    size_t n = 0;

    if (o->layout_path) {
        if ((rc = open_file(o->layout_path, lfd, msg, len)))
            return rc;
    } else {
        if (c->d->quiet)
            args[n++] = "-q";
        if (c->d->verbose)
            args[n++] = "-v";
        if (o->png_path) {
            snprintf(pages, sizeof pages, "--pages=%u", o->page);
            args[n++] = pages;
        } else if (o->pages) {
            if (snprintf(pages, sizeof pages, "--pages=%s", o->pages) >=
                (int)sizeof pages) {
                snprintf(msg, len, "--pages list too long");
                return FT_USAGE;
            }
            args[n++] = pages;
        }
        if (o->password) {
            snprintf(pw, sizeof pw, "--password=%s", o->password);
            args[n++] = pw;
        }
        if (o->ocr) {
            snprintf(ocr, sizeof ocr, "--ocr=%s", o->ocr);
            args[n++] = ocr;
        }
        args[n++] = "--";
        args[n++] = o->input;
        args[n] = NULL;
        rc = run_stage(c, "formtab-extract", args, -1, lfd, &status, msg, len);
        if (rc)
            return rc;
    }

    if (o->tables_path) {
        if ((rc = open_file(o->tables_path, tfd, msg, len)))
            return rc;
    } else {
        n = 0;
        if (c->d->quiet)
            args[n++] = "-q";
        if (c->d->verbose)
            args[n++] = "-v";
        args[n] = NULL;
        rc = run_stage(c, "formtab-normalize", args, *lfd, tfd, &status, msg,
                       len);
        if (rc)
            return rc;
    }

    if (!o->html_dir)
        return FT_OK;
    if (o->records_path)
        return open_file(o->records_path, rfd, msg, len);
    /* Form records are a bonus: without them the page still shows tables. */
    static const char *const emit_args[] = {"--records=form", "--format=jsonl",
                                            "-q", NULL};
    char emsg[512];
    rc = run_stage(c, "formtab-emit", emit_args, *tfd, rfd, &status, emsg,
                   sizeof emsg);
    if (rc) {
        ft_diag_warn(c->d, o->input, 0, "form records not shown: %s", emsg);
        *rfd = -1;
    }
    return FT_OK;
}

/* Warn when a stream given as a file was made from another input. */
static void check_source(run_ctx *c, const char *what, const ft_doc *doc)
{
    char hex[65];
    if (!doc->sha256[0] || ft_sha256_file(c->o->input, hex))
        return;
    if (strcmp(hex, doc->sha256) != 0)
        ft_diag_warn(c->d, c->o->input, 0,
                     "the %s stream was made from another file (its sha256 "
                     "is %.12s..., this file's %.12s...)",
                     what, doc->sha256, hex);
}

static ft_err open_pdf(run_ctx *c, char *msg, size_t len)
{
    GError *gerr = NULL;
    char *uri = NULL;
    ft_err rc = FT_OK;
    if (access(c->o->input, R_OK) != 0) {
        snprintf(msg, len, "%s: %s", c->o->input, strerror(errno));
        return errno == ENOENT ? FT_NOENT : FT_IO;
    }
    /* Poppler opens URIs, which need an absolute path. */
    char *abs = g_canonicalize_filename(c->o->input, NULL);
    uri = g_filename_to_uri(abs, NULL, &gerr);
    if (uri)
        c->pdf = poppler_document_new_from_file(uri, c->o->password, &gerr);
    if (!c->pdf) {
        int enc = gerr && gerr->domain == POPPLER_ERROR &&
                  gerr->code == POPPLER_ERROR_ENCRYPTED;
        snprintf(msg, len, "%s: %s", c->o->input,
                 gerr ? gerr->message : "cannot open");
        rc = enc ? FT_ENCRYPTED : FT_PDF;
    }
    if (gerr)
        g_error_free(gerr);
    g_free(uri);
    g_free(abs);
    return rc;
}

/* Draw the view's page into path. */
static ft_err draw_page(run_ctx *c, const ext_view *v, int legend,
                        const char *path, double *w_out, double *h_out,
                        char *msg, size_t len)
{
    const ft_page *p = &v->page;
    PopplerPage *pp = NULL;
    cairo_surface_t *surf = NULL;
    const ft_table **tables = NULL;
    ft_err rc = FT_OK;
    double dpi_used;

    if (c->pdf && p->number >= 1 &&
        (int)p->number <= poppler_document_get_n_pages(c->pdf))
        pp = poppler_document_get_page(c->pdf, (int)p->number - 1);
    double w = p->width, h = p->height;
    if (!(p->has_geometry && w > 0 && h > 0) && pp)
        poppler_page_get_size(pp, &w, &h);
    if (!(w > 0 && h > 0)) {
        snprintf(msg, len, "the page has no size to draw");
        rc = FT_PAGE;
        goto out;
    }
    if (v->ntables) {
        tables = malloc(v->ntables * sizeof *tables);
        if (!tables) {
            rc = FT_NOMEM;
            goto out;
        }
    }
    size_t nt = 0;
    for (size_t i = 0; i < v->ntables; i++)
        if (ext_view_table_on_page(v->tables[i], p->number))
            tables[nt++] = v->tables[i];
    ext_overlay_page pg = {p->number, w, h, p, tables, nt, legend,
                           p->failed ? (p->fail_reason ? p->fail_reason : "")
                                     : NULL};
    rc = ext_overlay_draw(pp, &pg, c->o->dpi, &surf, &dpi_used, msg, len);
    if (rc)
        goto out;
    if (dpi_used < c->o->dpi - 0.5)
        ft_diag_warn(c->d, c->o->input, p->number,
                     "page too large for %.0f dpi; drawn at %.0f dpi",
                     c->o->dpi, dpi_used);
    rc = ext_overlay_write_png(surf, path, c->o->file_mode, msg, len);
    if (rc)
        goto out;
    *w_out = w;
    *h_out = h;
out:
    if (surf)
        cairo_surface_destroy(surf);
    if (pp)
        g_object_unref(pp);
    free(tables);
    return rc;
}

static ft_err run_png(run_ctx *c, ext_view *v, char *msg, size_t len)
{
    const ext_inspect_options *o = c->o;
    ft_err rc;
    for (;;) {
        rc = ext_view_next_page(v, NULL, NULL);
        if (rc == FT_EOF) {
            snprintf(msg, len, "page %u is not in the layout stream "
                     "(the document has %u page%s)", o->page,
                     c->lr.doc.npages, c->lr.doc.npages == 1 ? "" : "s");
            return FT_USAGE;
        }
        if (rc) {
            snprintf(msg, len, "%s", c->lr.rr.msg);
            return rc;
        }
        if (v->page.number == o->page)
            break;
    }
    if (!v->page.has_geometry || !c->pdf) {
        snprintf(msg, len, "a text dump has no page image; use --html");
        return FT_USAGE;
    }
    double w, h;
    char dmsg[512];
    rc = draw_page(c, v, 1, o->png_path, &w, &h, dmsg, sizeof dmsg);
    if (rc)
        snprintf(msg, len, "%s: %s", o->png_path, dmsg);
    return rc;
}

static ft_err run_html(run_ctx *c, ext_view *v, ext_records *recs,
                       int have_records, char *msg, size_t len)
{
    const ext_inspect_options *o = c->o;
    ext_review rev;
    ft_buf path;
    ft_err rc, stream_rc = FT_OK;
    char status[600] = "";
    ext_review_info info = {o->input,   &c->lr.doc,   o->pages,
                            &o->sel,    o->dpi,       o->version,
                            have_records, o->file_mode};
    ft_buf_init(&path, PATH_MAX + 32);

    rc = ext_review_begin(&rev, o->html_dir, &info, msg, len);
    if (rc)
        goto out;
    for (;;) {
        rc = ext_view_next_page(v, ext_review_doc_warning, &rev);
        if (rc == FT_EOF) {
            rc = FT_OK;
            break;
        }
        if (rc) {
            stream_rc = rc;
            snprintf(status, sizeof status, "The layout stream stopped: %s",
                     c->lr.rr.msg);
            rc = FT_OK;
            break;
        }
        unsigned n = v->page.number;
        if (!ext_pages_contains(&o->sel, n))
            continue;
        char name[32];
        const char *png = NULL;
        double w = 0, h = 0;
        if (c->pdf && v->page.has_geometry) {
            char dmsg[512];
            ext_review_png_name(n, name, sizeof name);
            ft_buf_reset(&path);
            if ((rc = ext_html_path(&path, o->html_dir, name)))
                break;
            ft_err drc = draw_page(c, v, 0, ft_buf_str(&path), &w, &h, dmsg,
                                   sizeof dmsg);
            if (drc == FT_NOMEM || drc == FT_IO) {
                rc = drc;
                snprintf(msg, len, "%s: %s", ft_buf_str(&path), dmsg);
                break;
            }
            if (drc)
                ft_diag_warn(c->d, o->input, n, "no page image: %s", dmsg);
            else
                png = name;
        }
        if ((rc = ext_review_page(&rev, v, png, w, h, recs))) {
            snprintf(msg, len, "%s/index.html: cannot write: %s", o->html_dir,
                     rc == FT_IO ? strerror(errno) : ft_strerror(rc));
            break;
        }
    }
    if (rc) {
        ext_review_abort(&rev);
        goto out;
    }
    if (!status[0] && v->tables_err != FT_EOF) {
        stream_rc = v->tables_err;
        snprintf(status, sizeof status, "The table stream stopped: %s",
                 v->tables_msg);
    }
    if (recs->skipped)
        ft_diag_warn(c->d, o->input, 0,
                     "%lu form record line%s not shown (first: %s)",
                     recs->skipped, recs->skipped == 1 ? "" : "s", recs->msg);
    rc = ext_review_finish(&rev, status[0] ? status : NULL);
    if (rc) {
        snprintf(msg, len, "%s/index.html: cannot write: %s", o->html_dir,
                 strerror(errno));
        goto out;
    }
    if (stream_rc) {
        rc = stream_rc;
        snprintf(msg, len, "%s", status);
    }
out:
    ft_buf_cleanup(&path);
    return rc;
}

ft_err ext_inspect_run(const ext_inspect_options *o, ft_diag *d, char *msg,
                       size_t msg_len)
{
    run_ctx c;
    int lfd = -1, tfd = -1, rfd = -1;
    FILE *lf = NULL, *tf = NULL, *rf = NULL;
    ext_view v;
    ext_records recs;
    int have_view = 0, have_recs = 0;
    ft_err rc;

    memset(&c, 0, sizeof c);
    c.o = o;
    c.d = d;
    msg[0] = '\0';

    if ((rc = get_streams(&c, &lfd, &tfd, &rfd, msg, msg_len)))
        goto out;
    if (!(lf = fd_stream(&lfd, msg, msg_len)) ||
        !(tf = fd_stream(&tfd, msg, msg_len))) {
        rc = FT_IO;
        goto out;
    }
    if (rfd >= 0 && !(rf = fd_stream(&rfd, msg, msg_len))) {
        rc = FT_IO;
        goto out;
    }

    const char *lname = o->layout_path ? o->layout_path : "formtab-extract";
    c.have_lr = 1;
    if ((rc = ft_layout_reader_init(&c.lr, lf, lname))) {
        snprintf(msg, msg_len, "%s", c.lr.rr.msg);
        goto out;
    }
    if (o->layout_path)
        check_source(&c, "layout", &c.lr.doc);

    const char *tname = o->tables_path ? o->tables_path : "formtab-normalize";
    c.have_tr = 1;
    ft_err trc = ft_tables_reader_init(&c.tr, tf, tname);
    if (trc) {
        /* Rules and runs are still worth seeing. */
        ft_diag_warn(d, o->input, 0, "no tables shown: %s",
                     c.tr.rr.msg[0] ? c.tr.rr.msg : ft_strerror(trc));
        ft_tables_reader_cleanup(&c.tr);
        c.have_tr = 0;
    } else if (o->tables_path) {
        check_source(&c, "table", &c.tr.doc);
    }

    if (!strcmp(c.lr.doc.kind, "pdf") && (rc = open_pdf(&c, msg, msg_len)))
        goto out;

    ext_view_init(&v, &c.lr, c.have_tr ? &c.tr : NULL);
    have_view = 1;
    if ((rc = ext_records_init(&recs, rf))) {
        snprintf(msg, msg_len, "%s", ft_strerror(rc));
        goto out;
    }
    have_recs = 1;

    if (o->png_path)
        rc = run_png(&c, &v, msg, msg_len);
    else
        rc = run_html(&c, &v, &recs, rf != NULL, msg, msg_len);
    if (!rc && c.partial)
        rc = FT_PAGE; /* the stage said which pages on stderr */
out:
    if (have_recs)
        ext_records_cleanup(&recs);
    if (have_view)
        ext_view_cleanup(&v);
    if (c.have_tr)
        ft_tables_reader_cleanup(&c.tr);
    if (c.have_lr)
        ft_layout_reader_cleanup(&c.lr);
    if (c.pdf)
        g_object_unref(c.pdf);
    if (lf)
        fclose(lf);
    if (tf)
        fclose(tf);
    if (rf)
        fclose(rf);
    if (lfd >= 0)
        close(lfd);
    if (tfd >= 0)
        close(tfd);
    if (rfd >= 0)
        close(rfd);
    return rc;
}
