/* PDF pages to the layout stream through the Poppler glib API (see
 * ext_pdf.h): text layer to characters, page render to rules, characters and
 * vertical rules to runs, OCR for pages without a usable text layer. */
#include "ext_pdf.h"

#include <limits.h>
#include <math.h>
#include <poppler.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ext_ocr.h"
#include "ext_render.h"
#include "ext_rules.h"
#include "ext_runs.h"
#include "ft_layout.h"
#include "ft_limits.h"
#include "ft_utf8.h"

typedef struct {
    const ext_pdf_input *in;
    const ext_options *opt;
    ft_diag *diag;
    FILE *out;
    ft_page page;
    ext_char *chars;          /* the page's characters (reused buffer) */
    size_t cap_chars;
    ext_raster ras;           /* the 72 dpi render for rules, its buffers
                                 reused from page to page */
    ext_ocr *ocr;             /* started on the first page that needs it */
    int ocr_broken;           /* starting it failed: ocr_msg says why */
    char ocr_msg[256];
    unsigned long nlog;       /* GLib/Poppler log messages swallowed */
    char reason[512];         /* why the current page failed */
} pdf_ctx;

/* A page whose text is mostly not drawn gets a warning when at least this
 * many characters are hidden (a few clipped words, as LibreOffice leaves at
 * a page break, are normal). */
#define EXT_HIDDEN_WARN_MIN 20u

/* The rules render's buffers are kept for the next page up to this size:
 * an A4 page at 72 dpi takes 2 MiB; an outsized page (a poster, a map)
 * does not hold its memory for the rest of the document. */
#define EXT_RASTER_KEEP_BYTES (16u * 1024u * 1024u)

/* CPU time of the process, for the -v timings: on a shared machine wall
 * time says more about the neighbours than about the page. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Poppler reports damaged content through GLib logging; keep it off stderr
 * and show it with -v. */
static void log_handler(const gchar *domain, GLogLevelFlags level,
                        const gchar *message, gpointer data)
{
    pdf_ctx *ctx = data;
    (void)level;
    ctx->nlog++;
    ft_diag_debug(ctx->diag, "%s: %s", domain ? domain : "glib",
                  message ? message : "");
}

/* Case-insensitive substring test for font names. */
static int name_has(const char *name, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = name; *p; p++)
        if (!strncasecmp(p, word, n))
            return 1;
    return 0;
}

static unsigned font_flags(const char *font)
{
    unsigned f = 0;
    if (!font)
        return 0;
    if (name_has(font, "bold") || name_has(font, "black") ||
        name_has(font, "heavy") || name_has(font, "demi"))
        f |= FT_RUN_BOLD;
    if (name_has(font, "italic") || name_has(font, "oblique"))
        f |= FT_RUN_ITALIC;
    return f;
}

static ft_err page_warn(pdf_ctx *ctx, const char *fmt, ...) FT_PRINTF(2, 3);
static ft_err page_warn(pdf_ctx *ctx, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ft_diag_warn(ctx->diag, ctx->in->name, ctx->page.number, "%s", buf);
    return ft_page_add_warning(&ctx->page, buf);
}

/* Read the text layer into ctx->chars (glyphs only: white space becomes the
 * space_before mark of the next glyph). *nglyphs is their number. */
static ft_err read_text_layer(pdf_ctx *ctx, PopplerPage *pp, size_t *nglyphs)
{
    ft_err rc = FT_OK;
    char *text = NULL;
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    GList *attrs = NULL;
    size_t nchars = 0, len;

    *nglyphs = 0;
    text = poppler_page_get_text(pp);
    if (!text || !*text)
        goto out;
    len = strlen(text);
    nchars = ft_utf8_nchars(text, len);
    if (!poppler_page_get_text_layout(pp, &rects, &nrects))
        nrects = 0;
    if (nrects != nchars) {
        /* The documented contract (one box per character) failed; the
         * prefix is still aligned in every case seen, so use it. */
        rc = page_warn(ctx, "text layer has %zu characters but %u boxes; "
                       "positions may be off", nchars, nrects);
        if (rc)
            goto out;
        if (nrects < nchars)
            nchars = nrects;
    }
    if (nchars > ctx->cap_chars) {
        ext_char *nc = realloc(ctx->chars, nchars * sizeof *nc);
        if (!nc) {
            rc = FT_NOMEM;
            goto out;
        }
        ctx->chars = nc;
        ctx->cap_chars = nchars;
    }
    /* Every character first (index = Poppler's character index), so the
     * attribute ranges can be applied; compacted to glyphs afterwards. */
    const char *p = text, *end = text + len;
    for (size_t i = 0; i < nchars && p < end; i++) {
        uint32_t cp;
        size_t k = ft_utf8_decode(p, (size_t)(end - p), &cp);
        if (k == 0)
            k = 1; /* invalid byte: U+FFFD, move on */
        p += k;
        ext_char *c = &ctx->chars[i];
        c->box.x0 = fmin(rects[i].x1, rects[i].x2);
        c->box.x1 = fmax(rects[i].x1, rects[i].x2);
        c->box.y0 = fmin(rects[i].y1, rects[i].y2);
        c->box.y1 = fmax(rects[i].y1, rects[i].y2);
        c->cp = cp;
        c->size = 0;
        c->flags = 0;
        c->line = 0;
        c->space_before = 0;
    }
    attrs = poppler_page_get_text_attributes(pp);
    const char *last_font = NULL; /* runs of words share a font name */
    unsigned f = 0;
    for (GList *l = attrs; l; l = l->next) {
        const PopplerTextAttributes *a = l->data;
        if (!last_font || !a->font_name || strcmp(a->font_name, last_font)) {
            f = font_flags(a->font_name);
            last_font = a->font_name;
        }
        if (a->start_index < 0 || a->end_index < a->start_index)
            continue;
        for (size_t i = (size_t)a->start_index;
             i <= (size_t)a->end_index && i < nchars; i++) {
            ctx->chars[i].size = a->font_size;
            ctx->chars[i].flags = f;
        }
    }
    /* Compact to glyphs, numbering Poppler's lines. */
    unsigned line = 0;
    int pending_space = 0;
    size_t k = 0;
    for (size_t i = 0; i < nchars; i++) {
        ext_char c = ctx->chars[i];
        if (c.cp == '\n') {
            line++;
            pending_space = 0;
            continue;
        }
        if (ft_is_space(c.cp) || c.cp < 0x20 || (c.cp >= 0x7F && c.cp < 0xA0)) {
            pending_space = 1;
            continue;
        }
        if (!(isfinite(c.box.x0) && isfinite(c.box.y0) && isfinite(c.box.x1) &&
              isfinite(c.box.y1)))
            continue;
        c.line = line;
        c.space_before = (unsigned)pending_space;
        pending_space = 0;
        ctx->chars[k++] = c;
    }
    *nglyphs = k;
out:
    if (attrs)
        poppler_page_free_text_attributes(attrs);
    g_free(rects);
    g_free(text);
    return rc;
}

/* 1 if the page draws an image (costs a content-stream pass: only asked
 * for pages with almost no text). */
static int page_has_image(PopplerPage *pp)
{
    GList *m = poppler_page_get_image_mapping(pp);
    int has = m != NULL;
    if (m)
        poppler_page_free_image_mapping(m);
    return has;
}

/* Clip a rule to the area; 0 if nothing is left. */
static int clip_rule(ft_box *r, const ft_box *a)
{
    ft_box c = {fmax(r->x0, a->x0), fmax(r->y0, a->y0), fmin(r->x1, a->x1),
                fmin(r->y1, a->y1)};
    if (c.x0 > c.x1 || c.y0 > c.y1)
        return 0;
    /* A clipped line keeps its length along, and stays a line. */
    if (c.x1 - c.x0 < 1e-9 && c.y1 - c.y0 < 1e-9)
        return 0;
    *r = c;
    return 1;
}

/* Store the rules found on the page (clipped to --area) and collect the
 * vertical ones for run splitting into *vrules. */
static ft_err keep_rules(pdf_ctx *ctx, ft_box *rules, size_t nrules,
                         ft_box **vrules, size_t *nv)
{
    ft_err rc = FT_OK;
    *vrules = NULL;
    *nv = 0;
    if (nrules == 0)
        return FT_OK;
    *vrules = malloc(nrules * sizeof **vrules);
    if (!*vrules)
        return FT_NOMEM;
    for (size_t i = 0; i < nrules; i++) {
        ft_box r = rules[i];
        if (r.x0 == r.x1)
            (*vrules)[(*nv)++] = r; /* splits runs even outside the area */
        if (ctx->opt->has_area && !clip_rule(&r, &ctx->opt->area))
            continue;
        if ((rc = ft_page_add_rule(&ctx->page, r)))
            return rc;
    }
    return FT_OK;
}

/* Find the page's ruling lines on its low-resolution render, with the
 * page's characters masked out. */
static ft_err find_rules(pdf_ctx *ctx, const ext_pixmap *img, size_t nglyphs,
                         ft_box **rules, size_t *nrules)
{
    ft_err rc = FT_OK;
    ft_box *mask = NULL;
    ext_rules_report rep;

    *rules = NULL;
    *nrules = 0;
    if (nglyphs) {
        mask = malloc(nglyphs * sizeof *mask);
        if (!mask) {
            rc = FT_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < nglyphs; i++)
            mask[i] = ctx->chars[i].box;
    }
    rc = ext_rules_find(img, mask, nglyphs, rules, nrules, &rep);
    if (!rc && rep.truncated)
        rc = page_warn(ctx, "more than %u ruling lines (a pattern, not a "
                       "table): read without rules", FT_MAX_RULES_PER_PAGE);
out:
    free(mask);
    return rc;
}

/* Flag the characters whose boxes show nothing on the render
 * (ext_rules_boxes_drawn): text drawn and clipped away, white text. */
static ft_err mark_undrawn(pdf_ctx *ctx, const ext_pixmap *img, size_t nglyphs,
                           const ft_box *rules, size_t nrules)
{
    ft_err rc = FT_OK;
    ft_box *boxes = NULL;
    unsigned char *drawn = NULL;
    if (nglyphs == 0)
        goto out;
    boxes = malloc(nglyphs * sizeof *boxes);
    drawn = malloc(nglyphs);
    if (!boxes || !drawn) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nglyphs; i++)
        boxes[i] = ctx->chars[i].box;
    ext_rules_boxes_drawn(img, boxes, nglyphs, rules, nrules, drawn);
    size_t nhidden = 0;
    for (size_t i = 0; i < nglyphs; i++)
        if (!drawn[i]) {
            ctx->chars[i].flags |= FT_RUN_HIDDEN;
            nhidden++;
        }
    /* Most of a page's text not drawn is worth saying: normalize drops
     * hidden runs, and an invisible text layer over a blank page (or a
     * renderer that drew nothing) would otherwise vanish silently. */
    if (nhidden >= EXT_HIDDEN_WARN_MIN && nhidden * 2 > nglyphs)
        rc = page_warn(ctx, "%zu of %zu characters are not drawn on the page "
                       "(clipped, covered or invisible text): flagged hidden",
                       nhidden, nglyphs);
out:
    free(boxes);
    free(drawn);
    return rc;
}

/* OCR the page: render at --dpi, find rules on that image, recognise. On
 * failure ctx->reason says why and FT_OCR (or another error) is returned. */
static ft_err ocr_page(pdf_ctx *ctx, PopplerPage *pp, ft_box **rules,
                       size_t *nrules)
{
    ft_err rc = FT_OK;
    ext_raster ras;
    double dpi_used = 0;
    ext_rules_report rep;
    char msg[256] = "";

    ext_raster_init(&ras);
    if (!ctx->ocr && !ctx->ocr_broken) {
        ext_ocr_options o;
        o.lang = ctx->opt->ocr_lang;
        o.dpi = ctx->opt->dpi;
        o.verbose = ctx->diag->verbose;
        if (ext_ocr_new(&o, &ctx->ocr, ctx->ocr_msg, sizeof ctx->ocr_msg)) {
            ctx->ocr_broken = 1;
            ctx->ocr = NULL;
            if (!ctx->ocr_msg[0])
                snprintf(ctx->ocr_msg, sizeof ctx->ocr_msg, "OCR unavailable");
        }
    }
    if (ctx->ocr_broken) {
        snprintf(ctx->reason, sizeof ctx->reason, "no text layer, and %s",
                 ctx->ocr_msg);
        rc = FT_OCR;
        goto out;
    }
    rc = ext_render_gray(pp, ctx->opt->dpi, EXT_RENDER_MAX_PIXELS,
                         EXT_GREY_LUMA, &ras,
                         &dpi_used, ctx->reason, sizeof ctx->reason);
    if (rc)
        goto out;
    if (dpi_used < ctx->opt->dpi - 0.5 &&
        (rc = page_warn(ctx, "page too large for %d dpi; OCR at %.0f dpi",
                        ctx->opt->dpi, dpi_used)))
        goto out;
    if (!ctx->opt->no_rules) {
        free(*rules);
        *rules = NULL;
        *nrules = 0;
        rc = ext_rules_from_gray(&ras.img, NULL, 0, rules, nrules, &rep);
        if (rc == FT_LIMIT)
            rc = FT_OK;
        if (rc)
            goto out;
        if (rep.truncated &&
            (rc = page_warn(ctx, "more than %u ruling lines: read without rules",
                            FT_MAX_RULES_PER_PAGE)))
            goto out;
    }
    rc = ext_ocr_page(ctx->ocr, &ras.img, *rules, *nrules, &ctx->page, msg,
                      sizeof msg);
    if (rc) {
        snprintf(ctx->reason, sizeof ctx->reason, "OCR failed: %s",
                 msg[0] ? msg : ft_strerror(rc));
        goto out;
    }
    /* --area applies to OCR runs too. */
    if (ctx->opt->has_area) {
        const ft_box *a = &ctx->opt->area;
        size_t k = 0;
        for (size_t i = 0; i < ctx->page.nruns; i++) {
            const ft_box *b = &ctx->page.runs[i].box;
            double cx = (b->x0 + b->x1) / 2, cy = (b->y0 + b->y1) / 2;
            if (cx >= a->x0 && cx <= a->x1 && cy >= a->y0 && cy <= a->y1)
                ctx->page.runs[k++] = ctx->page.runs[i];
        }
        ctx->page.nruns = k;
    }
    strcpy(ctx->page.origin, "ocr");
out:
    ext_raster_cleanup(&ras);
    return rc;
}

/* Infer /Rotate. The glib API hides it, but the crop box is unrotated and
 * the page size is not: swapped sides mean a quarter turn. A half turn looks
 * the same as none from here (documented in docs/extract.md). */
static int guess_rotation(PopplerPage *pp, double w, double h)
{
    PopplerRectangle cb;
    poppler_page_get_crop_box(pp, &cb);
    double cw = fabs(cb.x2 - cb.x1), ch = fabs(cb.y2 - cb.y1);
    if (fabs(cw - w) > 0.5 && fabs(cw - h) <= 0.5 && fabs(ch - w) <= 0.5)
        return 90;
    return 0;
}

/* Fill ctx->page for page index i. FT_OK or an error with ctx->reason. */
static ft_err read_page(pdf_ctx *ctx, PopplerDocument *doc, int i)
{
    ft_err rc = FT_OK;
    PopplerPage *pp = NULL;
    ft_box *rules = NULL, *vrules = NULL;
    size_t nrules = 0, nv = 0, nglyphs = 0;
    int blank = 0;
    ext_raster *ras = &ctx->ras;
    double t0 = now_ms(), t1, t2, t3, t4;

    pp = poppler_document_get_page(doc, i);
    if (!pp) {
        snprintf(ctx->reason, sizeof ctx->reason, "page could not be read");
        rc = FT_PAGE;
        goto out;
    }
    double w = 0, h = 0;
    poppler_page_get_size(pp, &w, &h);
    if (!isfinite(w) || !isfinite(h) || w < 0 || h < 0)
        w = h = 0;
    ctx->page.width = w;
    ctx->page.height = h;
    ctx->page.has_geometry = 1;
    ctx->page.rotation = guess_rotation(pp, w, h);
    strcpy(ctx->page.origin, "text");
    if (w == 0 || h == 0)
        (void)page_warn(ctx, "page has zero size");

    /* Render first: Poppler builds the page's text layer while it renders
     * and keeps it, so the text layer read next costs almost nothing; the
     * other order parses the content stream twice (2.9 against 2.0 ms of
     * CPU a page on lo-seed003-forms, docs/extract.md). The stream is the
     * same either way (checked on every fixture). */
    if (!ctx->opt->no_rules) {
        rc = ext_render_gray(pp, EXT_RULES_DPI, EXT_RULES_MAX_PIXELS / 4,
                             EXT_GREY_NONE, ras, NULL, ctx->reason,
                             sizeof ctx->reason);
        if (rc)
            goto out;
    }
    t1 = now_ms();
    if ((rc = read_text_layer(ctx, pp, &nglyphs)))
        goto out;
    t2 = now_ms();
    if (!ctx->opt->no_rules) {
        if ((rc = find_rules(ctx, &ras->pix, nglyphs, &rules, &nrules)))
            goto out;
        blank = nglyphs == 0 && ext_pixmap_blank(&ras->pix);
        if ((rc = mark_undrawn(ctx, &ras->pix, nglyphs, rules, nrules)))
            goto out;
    } else if (nglyphs == 0 && ctx->opt->ocr == EXT_OCR_AUTO) {
        /* Only to tell a blank page from a scan. */
        rc = ext_render_gray(pp, EXT_RULES_DPI, EXT_RULES_MAX_PIXELS / 4,
                             EXT_GREY_NONE, ras, NULL, ctx->reason,
                             sizeof ctx->reason);
        if (rc)
            goto out;
        blank = ext_pixmap_blank(&ras->pix);
    }
    /* An outsized page's buffers are not kept for the next one. */
    if (ext_raster_bytes(ras) > EXT_RASTER_KEEP_BYTES)
        ext_raster_cleanup(ras);

    t3 = now_ms();
    int want_ocr = 0;
    if (ctx->opt->ocr == EXT_OCR_ALWAYS)
        want_ocr = 1;
    else if (nglyphs == 0)
        want_ocr = !blank;
    else if (nglyphs < EXT_OCR_MIN_CHARS)
        want_ocr = page_has_image(pp);
    if (want_ocr && ctx->opt->ocr == EXT_OCR_NEVER) {
        if ((rc = page_warn(ctx, "no usable text layer (%zu characters) and "
                            "--ocr=never: no text read", nglyphs)))
            goto out;
        nglyphs = 0;
        want_ocr = 0;
    }
    if (want_ocr) {
        if ((rc = ocr_page(ctx, pp, &rules, &nrules)))
            goto out;
        /* The rules of an OCR page are the engine's: it deskews the scan
         * and puts the rules it finds on the page in the frame of its runs.
         * Ours (found on the image as rendered) were only its hint: on a
         * tilted scan they are fragments. */
    } else {
        if ((rc = keep_rules(ctx, rules, nrules, &vrules, &nv)))
            goto out;
        rc = ext_runs_build(ctx->chars, nglyphs, vrules, nv, w, h,
                            ctx->opt->has_area ? &ctx->opt->area : NULL,
                            &ctx->page);
        if (rc == FT_LIMIT) {
            rc = page_warn(ctx, "too much text on one page: truncated");
            if (rc)
                goto out;
        } else if (rc) {
            goto out;
        }
    }
    t4 = now_ms();
    ft_diag_debug(ctx->diag,
                  "%s: page %u: %zu chars, %zu rules, %zu runs%s; render %.1f ms, "
                  "text %.1f ms, rules %.1f ms, runs%s %.1f ms",
                  ctx->in->name, ctx->page.number, nglyphs, ctx->page.nrules,
                  ctx->page.nruns, want_ocr ? " (OCR)" : "", t1 - t0, t2 - t1,
                  t3 - t2, want_ocr ? "/OCR" : "", t4 - t3);
out:
    if (rc && !ctx->reason[0])
        snprintf(ctx->reason, sizeof ctx->reason, "%s", ft_strerror(rc));
    free(rules);
    free(vrules);
    if (pp)
        g_object_unref(pp);
    return rc;
}

/* Open the document; errors mapped to ft_err with msg. */
static ft_err open_doc(const ext_pdf_input *in, const char *password,
                       PopplerDocument **out, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    GError *err = NULL;
    GBytes *bytes = NULL;
    char *abs = NULL, *uri = NULL;
    PopplerDocument *doc = NULL;

    if (in->path) {
        abs = g_canonicalize_filename(in->path, NULL);
        uri = g_filename_to_uri(abs, NULL, &err);
        if (!uri) {
            snprintf(msg, msg_len, "%s", err ? err->message : "bad file name");
            rc = FT_NOENT;
            goto out;
        }
        doc = poppler_document_new_from_file(uri, password, &err);
    } else {
        bytes = g_bytes_new_static(in->bytes, in->nbytes);
        doc = poppler_document_new_from_bytes(bytes, password, &err);
    }
    if (!doc) {
        if (err && err->domain == POPPLER_ERROR &&
            err->code == POPPLER_ERROR_ENCRYPTED) {
            rc = FT_ENCRYPTED;
            snprintf(msg, msg_len, "%s",
                     password ? "encrypted PDF: wrong password"
                              : "encrypted PDF needs a password (--password)");
        } else if (err && err->domain == G_FILE_ERROR) {
            rc = err->code == G_FILE_ERROR_NOENT ? FT_NOENT : FT_IO;
            snprintf(msg, msg_len, "%s", err->message);
        } else {
            rc = FT_PDF;
            snprintf(msg, msg_len, "damaged or unreadable PDF (%s)",
                     err ? err->message : "unknown error");
        }
        goto out;
    }
    *out = doc;
out:
    if (err)
        g_error_free(err);
    if (bytes)
        g_bytes_unref(bytes);
    g_free(uri);
    g_free(abs);
    return rc;
}

ft_err ext_pdf_extract(const ext_pdf_input *in, const ext_options *opt,
                       FILE *out, ft_diag *diag, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    PopplerDocument *doc = NULL;
    pdf_ctx ctx;
    GLogFunc old_handler;
    unsigned written = 0, failed = 0;
    int limited = 0;

    memset(&ctx, 0, sizeof ctx);
    ctx.in = in;
    ctx.opt = opt;
    ctx.diag = diag;
    ctx.out = out;
    ext_raster_init(&ctx.ras);
    ft_page_init(&ctx.page);
    msg[0] = '\0';
    old_handler = g_log_set_default_handler(log_handler, &ctx);

    if ((rc = open_doc(in, opt->password, &doc, msg, msg_len)))
        goto out;
    int n = poppler_document_get_n_pages(doc);
    if (n < 0)
        n = 0;
    unsigned last = ext_pages_last(&opt->pages);
    if (last != UINT_MAX && last > (unsigned)n)
        ft_diag_warn(diag, in->name, 0,
                     "--pages asks for page %u but the document has %d page%s",
                     last, n, n == 1 ? "" : "s");

    ft_doc d;
    ft_doc_init(&d);
    d.source = (char *)in->name; /* borrowed for the header only */
    memcpy(d.sha256, in->sha256, sizeof d.sha256);
    strcpy(d.kind, "pdf");
    d.npages = (unsigned)n;
    ft_layout_write_header(out, &d);

    for (int i = 0; i < n; i++) {
        unsigned number = (unsigned)i + 1;
        if (!ext_pages_contains(&opt->pages, number))
            continue;
        if (written >= opt->max_pages) {
            limited = 1;
            break;
        }
        ft_page_reset(&ctx.page);
        ctx.page.number = number;
        ctx.reason[0] = '\0';
        ft_err prc = read_page(&ctx, doc, i);
        written++;
        if (prc == FT_NOMEM) {
            /* Out of memory on one page: give up on it, go on. */
            snprintf(ctx.reason, sizeof ctx.reason, "out of memory");
        }
        if (prc) {
            failed++;
            ft_diag_error(diag, in->name, number, "%s", ctx.reason);
            ft_layout_write_page(out, number, 1, ctx.page.width,
                                 ctx.page.height, ctx.page.rotation,
                                 ctx.page.origin[0] ? ctx.page.origin : "text");
            ft_layout_write_endpage(out, number, ctx.reason);
        } else {
            ft_layout_write_full_page(out, &ctx.page);
        }
        if (ferror(out))
            break;
    }
    ft_layout_write_end(out, written, failed);
    if (ctx.nlog)
        ft_diag_debug(diag, "%s: %lu messages from Poppler", in->name, ctx.nlog);
    if (ferror(out)) {
        rc = FT_IO;
        snprintf(msg, msg_len, "write error on standard output");
    } else if (failed) {
        rc = FT_PAGE; /* each failed page was reported already */
    } else if (limited) {
        rc = FT_LIMIT;
        snprintf(msg, msg_len, "stopped after %u pages (--max-pages)", written);
    }
out:
    g_log_set_default_handler(old_handler, NULL);
    ext_ocr_free(ctx.ocr);
    ext_raster_cleanup(&ctx.ras);
    free(ctx.chars);
    ft_page_cleanup(&ctx.page);
    if (doc)
        g_object_unref(doc);
    return rc;
}
