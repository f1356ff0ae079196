/* The Tesseract engine behind ext_ocr.h. A page is deskewed and binarised
 * (ext_ocr_img.c), its ruling lines give the cells (ext_ocr_grid.c), each
 * cell is read on its own with a white border, and the ink outside every cell
 * (titles, notes, a page without any table) is read with automatic layout.
 * Every recognised text line becomes one run with its box and the mean
 * confidence of its words. */
#include "ext_ocr.h"
#include "ext_ocr_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>
#include "ft_limits.h"

/* Where Debian's tesseract-ocr-* packages put the trained data; used when
 * TESSDATA_PREFIX does not name a folder holding the languages. */
#define DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"
/* Longest --ocr-lang accepted ("chi_sim+chi_tra+eng+..."). */
#define MAX_LANG_LEN 256
#define MAX_PATH_LEN 4096
/* Longest cleaned text of one recognised line. */
#define MAX_OCR_LINE_LEN (64u * 1024u)

struct ext_ocr {
    TessBaseAPI *api;
    /* chi_sim alone, for the second reading of unsure cells when the list
     * holds more languages; started on first use (NULL: none) */
    TessBaseAPI *alt;
    int alt_wanted;
    int whole_page;  /* ext_ocr__set_whole_page(): ignore the grid */
    double page_start; /* monotonic seconds when the current page began */
    char datadir[MAX_PATH_LEN];
    int dpi;
    int verbose;
    ft_buf line;  /* scratch for one cleaned line */
    /* cells of the last page, in PDF points (ext_ocr__last_cells) */
    ft_box *cells;
    size_t ncells;
};

int ext_ocr_available(void)
{
    return 1;
}

/* "chi_sim" -> "tesseract-ocr-chi-sim", Debian's package name. */
static void package_name(const char *lang, size_t len, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "tesseract-ocr-");
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        out[n++] = lang[i] == '_' ? '-' : lang[i];
    out[n < cap ? n : cap - 1] = '\0';
}

static int has_lang(const char *dir, const char *lang, size_t len)
{
    char path[MAX_PATH_LEN];
    int n = snprintf(path, sizeof path, "%s/%.*s.traineddata", dir, (int)len,
                     lang);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* Check every language of a list such as "chi_sim+eng" in dir. Returns 1 if all are there; else
 * 0 with the first missing one in *miss and *miss_len. */
static int all_langs(const char *dir, const char *langs, const char **miss,
                     size_t *miss_len)
{
    const char *s = langs;
    while (*s) {
        size_t len = strcspn(s, "+");
        if (len > 0 && !has_lang(dir, s, len)) {
            *miss = s;
            *miss_len = len;
            return 0;
        }
        s += len;
        if (*s == '+')
            s++;
    }
    return 1;
}

ft_err ext_ocr_new(const ext_ocr_options *opt, ext_ocr **out, char *msg,
                   size_t msg_len)
{
    ft_err rc = FT_OK;
    ext_ocr *ocr = NULL;
    const char *lang = opt && opt->lang && *opt->lang ? opt->lang : "chi_sim+eng";
    const char *dir = NULL;
    const char *miss = NULL;
    size_t miss_len = 0;

    *out = NULL;
    if (strlen(lang) > MAX_LANG_LEN || strspn(lang, "abcdefghijklmnopqrstuvwxyz"
                                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                               "0123456789_+-") != strlen(lang)) {
        snprintf(msg, msg_len, "invalid OCR language list '%.64s'", lang);
        rc = FT_OCR;
        goto out;
    }
    /* Look for the trained data ourselves: Tesseract's own failure is a
     * multi-line message on stderr that names no package. */
    const char *prefix = getenv("TESSDATA_PREFIX");
    const char *cands[2] = { prefix && *prefix ? prefix : NULL, DEFAULT_TESSDATA };
    for (size_t i = 0; i < 2 && !dir; i++) {
        if (!cands[i])
            continue;
        if (all_langs(cands[i], lang, &miss, &miss_len))
            dir = cands[i];
    }
    if (!dir) {
        char pkg[MAX_LANG_LEN + 32];
        package_name(miss, miss_len, pkg, sizeof pkg);
        snprintf(msg, msg_len, "OCR language '%.*s' is not installed "
                 "(install the Debian package %s)", (int)miss_len, miss, pkg);
        rc = FT_OCR;
        goto out;
    }
    ocr = calloc(1, sizeof *ocr);
    if (!ocr) {
        rc = FT_NOMEM;
        goto out;
    }
    ft_buf_init(&ocr->line, MAX_OCR_LINE_LEN);
    ocr->dpi = opt && opt->dpi > 0 ? opt->dpi : 300;
    ocr->verbose = opt ? opt->verbose : 0;
    /* Leptonica reports its own failures on stderr in its own format; ours
     * are returned as values and printed once by main. */
    setMsgSeverity(L_SEVERITY_NONE);
    snprintf(ocr->datadir, sizeof ocr->datadir, "%s", dir);
    ocr->alt_wanted = strcmp(lang, "chi_sim") != 0 &&
                      all_langs(dir, "chi_sim", &miss, &miss_len) &&
                      strstr(lang, "chi_sim") != NULL;
    ocr->api = TessBaseAPICreate();
    if (!ocr->api) {
        rc = FT_NOMEM;
        goto out;
    }
    if (TessBaseAPIInit3(ocr->api, dir, lang) != 0) {
        snprintf(msg, msg_len, "Tesseract could not load '%s' from %s", lang,
                 dir);
        rc = FT_OCR;
        goto out;
    }
    /* Tesseract's diagnostics ("Empty page!!", resolution guesses) are not
     * formtab messages. */
    TessBaseAPISetVariable(ocr->api, "debug_file", "/dev/null");
    *out = ocr;
    ocr = NULL;
out:
    ext_ocr_free(ocr);
    return rc;
}

void ext_ocr_free(ext_ocr *ocr)
{
    if (!ocr)
        return;
    if (ocr->api) {
        TessBaseAPIEnd(ocr->api);
        TessBaseAPIDelete(ocr->api);
    }
    if (ocr->alt) {
        TessBaseAPIEnd(ocr->alt);
        TessBaseAPIDelete(ocr->alt);
    }
    ft_buf_cleanup(&ocr->line);
    free(ocr->cells);
    free(ocr);
}

/* A run being built from consecutive words of one line. */
typedef struct {
    int open;
    int l, t, r, b;     /* union of the word boxes (recognised image px) */
    int line_h;         /* height of the text line */
    double sum;         /* summed word confidences */
    int nwords;
} run_acc;

static ft_err flush_run(ext_ocr *ocr, const ext_ocr_prep *p, int off_x,
                        int off_y, run_acc *acc, ft_buf *raw, ft_page *page)
{
    ft_err rc = FT_OK;

    if (!acc->open)
        goto out;
    acc->open = 0;
    ft_buf_reset(&ocr->line);
    rc = ext_ocr__clean_line(ft_buf_str(raw), raw->len, &ocr->line);
    ft_buf_reset(raw);
    if (rc == FT_LIMIT)
        rc = ft_page_add_warning(page, "OCR: a recognised line was too long "
                                 "and was cut");
    if (rc || ocr->line.len == 0 || acc->nwords == 0)
        goto out;
    ft_run run;
    memset(&run, 0, sizeof run);
    run.box.x0 = (off_x + acc->l) / p->scale;
    run.box.y0 = (off_y + acc->t) / p->scale;
    run.box.x1 = (off_x + acc->r) / p->scale;
    run.box.y1 = (off_y + acc->b) / p->scale;
    run.size = acc->line_h / p->scale;
    run.flags = FT_RUN_OCR;
    run.conf = acc->sum / acc->nwords;
    run.text = ocr->line.data;
    run.len = ocr->line.len;
    rc = ft_page_add_run(page, &run);
out:
    return rc;
}

/* The characters Tesseract's chi_sim model puts for a ≥ or ≤ it cannot
 * read (scan200-lo-seed004: "≥90.00(%)" read as "290.00(%)", ">300.00(天)";
 * the brief's 之/过/和). */
static int maybe_relation(const char *sym)
{
    static const char *const look[] = { ">", "<", "2", "Z", "z", "\xe4\xb9\x8b",
                                        "\xe8\xbf\x87", "\xe5\x92\x8c",
                                        "\xe2\x89\xa5", "\xe2\x89\xa4" };
    for (size_t i = 0; i < sizeof look / sizeof look[0]; i++)
        if (strcmp(sym, look[i]) == 0)
            return 1;
    return 0;
}

/* Append one run per group of words of a text line (words further apart
 * than EXT_OCR_RUN_GAP_EM line heights start a new run, as the text-layer
 * path cuts runs) from the last recognition. img: the recognised 1-bpp
 * image, for the shape check of a leading ≥/≤. off_x/off_y: where its origin
 * lies on the prepared page (pixels). */
static ft_err collect_runs(ext_ocr *ocr, TessBaseAPI *api,
                           const ext_ocr_prep *p, PIX *img, int off_x,
                           int off_y, ft_page *page)
{
    ft_err rc = FT_OK;
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    char *text = NULL;
    run_acc acc = { 0 };
    ft_buf raw;
    int line_h = 0;

    ft_buf_init(&raw, MAX_OCR_LINE_LEN);
    if (!ri)
        goto out;
    TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
    do {
        int l, t, r, b;
        int new_line = TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE);
        if (new_line) {
            int ll, lt, lr, lb;
            if (TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &ll, &lt, &lr, &lb))
                line_h = lb - lt;
        }
        if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b))
            continue;
        text = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
        if (!text)
            continue;
        if (acc.open && (new_line ||
                         l - acc.r > EXT_OCR_RUN_GAP_EM * (line_h > 0 ? line_h : 1))) {
            rc = flush_run(ocr, p, off_x, off_y, &acc, &raw, page);
            if (rc)
                goto out;
        }
        const char *word = text;
        if (!acc.open) {
            /* a run's first character: a relation sign Tesseract misread? */
            char *sym = TessResultIteratorGetUTF8Text(ri, RIL_SYMBOL);
            int sl, st, sr, sb;
            if (sym && maybe_relation(sym) &&
                TessPageIteratorBoundingBox(pi, RIL_SYMBOL, &sl, &st, &sr, &sb)) {
                int rel = ext_ocr__relation_shape(img, sl, st, sr, sb);
                size_t slen = strlen(sym);
                if (rel && strncmp(word, sym, slen) == 0) {
                    rc = ft_buf_puts(&raw, rel > 0 ? "\xe2\x89\xa5" : "\xe2\x89\xa4");
                    word += slen;
                }
            }
            if (sym)
                TessDeleteText(sym);
            if (rc)
                goto out;
            acc.open = 1;
            acc.l = l;
            acc.t = t;
            acc.r = r;
            acc.b = b;
            acc.sum = 0;
            acc.nwords = 0;
        } else {
            /* a gap as wide as a printed space is kept even next to CJK
             * (U+00A0 tells ext_ocr__clean_line so); a narrower one is
             * Tesseract's word split between CJK characters */
            int wide = l - acc.r > EXT_OCR_SPACE_EM * (line_h > 0 ? line_h : 1);
            rc = ft_buf_puts(&raw, wide ? "\xc2\xa0" : " ");
            if (rc)
                goto out;
        }
        acc.line_h = line_h;
        if (l < acc.l) acc.l = l;
        if (t < acc.t) acc.t = t;
        if (r > acc.r) acc.r = r;
        if (b > acc.b) acc.b = b;
        float c = TessResultIteratorConfidence(ri, RIL_WORD);
        if (c >= 0) {
            acc.sum += c;
            acc.nwords++;
        }
        rc = ft_buf_puts(&raw, word);
        TessDeleteText(text);
        text = NULL;
        if (rc == FT_LIMIT) {
            rc = FT_OK; /* cut: flush_run warns */
        } else if (rc) {
            goto out;
        }
    } while (TessPageIteratorNext(pi, RIL_WORD));
    rc = flush_run(ocr, p, off_x, off_y, &acc, &raw, page);
out:
    if (text)
        TessDeleteText(text);
    if (ri)
        TessResultIteratorDelete(ri);
    ft_buf_cleanup(&raw);
    return rc;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Recognise pix (1 bpp, borrowed) with api, its origin at off_x/off_y. */
static ft_err recognise_with(ext_ocr *ocr, TessBaseAPI *api,
                             const ext_ocr_prep *p, PIX *pix, int psm,
                             int off_x, int off_y, ft_page *page, char *msg,
                             size_t msg_len)
{
    ft_err rc = FT_OK;

    ETEXT_DESC *monitor = NULL;
    double left = EXT_OCR_PAGE_SECONDS - (now_seconds() - ocr->page_start);

    if (left <= 0) {
        snprintf(msg, msg_len, "OCR of the page took longer than %.0f s",
                 EXT_OCR_PAGE_SECONDS);
        rc = FT_OCR;
        goto out;
    }
    monitor = TessMonitorCreate();
    if (!monitor) {
        rc = FT_NOMEM;
        goto out;
    }
    TessMonitorSetDeadlineMSecs(monitor, (int)(left * 1000.0));
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
    TessBaseAPISetImage2(api, pix);
    TessBaseAPISetSourceResolution(api, (int)lround(p->scale * 72.0));
    if (TessBaseAPIRecognize(api, monitor) != 0) {
        if (now_seconds() - ocr->page_start >= EXT_OCR_PAGE_SECONDS)
            snprintf(msg, msg_len, "OCR of the page took longer than %.0f s",
                     EXT_OCR_PAGE_SECONDS);
        else
            snprintf(msg, msg_len, "Tesseract failed to recognise a %d x %d "
                     "region", pixGetWidth(pix), pixGetHeight(pix));
        rc = FT_OCR;
        goto out;
    }
    rc = collect_runs(ocr, api, p, pix, off_x, off_y, page);
out:
    if (monitor)
        TessMonitorDelete(monitor);
    TessBaseAPIClear(api);
    return rc;
}

static ft_err recognise(ext_ocr *ocr, const ext_ocr_prep *p, PIX *pix,
                        int psm, int off_x, int off_y, ft_page *page,
                        char *msg, size_t msg_len)
{
    return recognise_with(ocr, ocr->api, p, pix, psm, off_x, off_y, page, msg,
                          msg_len);
}

/* Mean confidence of runs [from, page->nruns), 101 when there are none. */
static double mean_conf(const ft_page *page, size_t from)
{
    double sum = 0;
    for (size_t i = from; i < page->nruns; i++)
        sum += page->runs[i].conf;
    return page->nruns > from ? sum / (double)(page->nruns - from) : 101;
}

/* 1 if runs [from, page->nruns) hold CJK text with a Latin word of two or
 * more letters in it: with eng in the language list Tesseract reads a CJK
 * word it is unsure of as Latin junk ("原因：" as "RA:", "其中：" as "AP:")
 * even in a cell whose other words it reads surely, so the cell's mean
 * confidence stays high. These forms write no Latin inside CJK cells. */
static int latin_in_cjk(const ft_page *page, size_t from)
{
    int cjk = 0, latin = 0;
    for (size_t i = from; i < page->nruns; i++) {
        const unsigned char *t = (const unsigned char *)page->runs[i].text;
        size_t letters = 0;
        for (; t && *t; t++) {
            if ((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z')) {
                if (++letters >= 2)
                    latin = 1;
            } else {
                letters = 0;
                /* lead bytes E3..E9: U+3000..U+9FFF, CJK punctuation and ideographs */
                if (*t >= 0xE3 && *t <= 0xE9)
                    cjk = 1;
            }
        }
    }
    return cjk && latin;
}

/* The chi_sim-only engine, started on first use; NULL if it cannot be. */
static TessBaseAPI *alt_engine(ext_ocr *ocr)
{
    if (!ocr->alt_wanted)
        return NULL;
    if (!ocr->alt) {
        ocr->alt = TessBaseAPICreate();
        if (ocr->alt && TessBaseAPIInit3(ocr->alt, ocr->datadir, "chi_sim") != 0) {
            TessBaseAPIDelete(ocr->alt);
            ocr->alt = NULL;
        }
        if (!ocr->alt) {
            ocr->alt_wanted = 0;
            return NULL;
        }
        TessBaseAPISetVariable(ocr->alt, "debug_file", "/dev/null");
    }
    return ocr->alt;
}

/* A cell read with low confidence by the full language list is read again
 * by chi_sim alone and the surer reading kept: with eng in the list,
 * Tesseract turns unsure CJK labels into Latin junk ("项目名称：" read as
 * "MASH:" at 45, "其中：" as "BP:" in scan300-seed000-ruled). */
static ft_err second_reading(ext_ocr *ocr, const ext_ocr_prep *p, PIX *pix,
                             int psm, int off_x, int off_y, ft_page *page,
                             size_t before, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    double first = mean_conf(page, before);
    int junk = page->nruns > before && latin_in_cjk(page, before);
    if ((first >= EXT_OCR_RETRY_CONF && !junk) || page->nruns == before)
        goto out;
    TessBaseAPI *alt = alt_engine(ocr);
    if (!alt)
        goto out;
    size_t mid = page->nruns;
    rc = recognise_with(ocr, alt, p, pix, psm, off_x, off_y, page, msg, msg_len);
    if (rc)
        goto out;
    double second = mean_conf(page, mid);
    /* a reading with Latin junk loses to a clean one that is not much
     * less sure */
    int better = second > first ||
                 (junk && !latin_in_cjk(page, mid) &&
                  second >= first - EXT_OCR_JUNK_MARGIN);
    if (page->nruns > mid && better) {
        /* keep the second reading: move its runs down over the first */
        size_t n = page->nruns - mid;
        memmove(&page->runs[before], &page->runs[mid], n * sizeof *page->runs);
        page->nruns = before + n;
    } else {
        page->nruns = mid;
    }
out:
    return rc;
}

/* Crop box of pix (clipped to the page), add a white border, recognise. */
static ft_err recognise_box(ext_ocr *ocr, const ext_ocr_prep *p, PIX *src,
                            int x, int y, int w, int h, int psm,
                            ft_page *page, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    BOX *box = boxCreate(x, y, w, h);
    PIX *crop = NULL, *framed = NULL;
    int border = ext_ocr__px(p, EXT_OCR_BORDER_IN);

    if (!box) {
        rc = FT_NOMEM;
        goto out;
    }
    BOX *clipped = NULL;
    crop = pixClipRectangle(src, box, &clipped);
    if (!crop)
        goto out; /* outside the page: nothing to read */
    if (clipped) {
        boxGetGeometry(clipped, &x, &y, NULL, NULL);
        boxDestroy(&clipped);
    }
    l_int32 ink = 0;
    double min_ink = EXT_OCR_MIN_INK_SQIN * p->scale * 72.0 * p->scale * 72.0;
    if (pixCountPixels(crop, &ink, NULL) || ink < min_ink)
        goto out;
    framed = pixAddBorder(crop, border, 0);
    if (!framed) {
        rc = FT_NOMEM;
        goto out;
    }
    size_t before = page->nruns;
    rc = recognise(ocr, p, framed, psm, x - border, y - border, page, msg,
                   msg_len);
    if (!rc && psm == EXT_OCR_PSM_BLOCK)
        rc = second_reading(ocr, p, framed, psm, x - border, y - border, page,
                            before, msg, msg_len);
    if (rc || page->nruns != before || psm != EXT_OCR_PSM_BLOCK)
        goto out;
    /* nothing read in a cell with ink: a lone dash Tesseract dropped? */
    const char *dash = ext_ocr__dash_shape(crop, p);
    if (!dash) {
        /* or a short line the block layout lost (规范 in scan200-lo-seed000
         * page 1 comes back empty at psm 6 and right at psm 7) */
        rc = recognise(ocr, p, framed, EXT_OCR_PSM_LINE, x - border,
                       y - border, page, msg, msg_len);
        goto out;
    }
    {
        l_int32 bx, by, bw, bh;
        BOX *fgbox = NULL;
        if (pixClipToForeground(crop, NULL, &fgbox) || !fgbox)
            goto out;
        boxGetGeometry(fgbox, &bx, &by, &bw, &bh);
        boxDestroy(&fgbox);
        ft_run run;
        memset(&run, 0, sizeof run);
        run.box.x0 = (x + bx) / p->scale;
        run.box.y0 = (y + by) / p->scale;
        run.box.x1 = (x + bx + bw) / p->scale;
        run.box.y1 = (y + by + bh) / p->scale;
        run.flags = FT_RUN_OCR;
        run.conf = EXT_OCR_SHAPE_CONF;
        run.text = (char *)dash;
        run.len = strlen(dash);
        rc = ft_page_add_run(page, &run);
    }
out:
    boxDestroy(&box);
    pixDestroy(&crop);
    pixDestroy(&framed);
    return rc;
}

/* Replace the page's rules by the strong segments found on the prepared
 * image, so rules and runs share the deskewed frame. */
static ft_err set_rules(const ext_ocr_prep *p, ft_page *page)
{
    ft_err rc = FT_OK;
    double strong = ext_ocr__px(p, EXT_OCR_RULE_STRONG_IN);

    page->nrules = 0;
    for (size_t i = 0; i < p->nh; i++) {
        const ext_ocr_seg *s = &p->hseg[i];
        if (s->a1 - s->a0 < strong)
            continue;
        ft_box b = { s->a0 / p->scale, s->pos / p->scale, s->a1 / p->scale,
                     s->pos / p->scale };
        rc = ft_page_add_rule(page, b);
        if (rc)
            goto out;
    }
    for (size_t i = 0; i < p->nv; i++) {
        const ext_ocr_seg *s = &p->vseg[i];
        if (s->a1 - s->a0 < strong)
            continue;
        ft_box b = { s->pos / p->scale, s->a0 / p->scale, s->pos / p->scale,
                     s->a1 / p->scale };
        rc = ft_page_add_rule(page, b);
        if (rc)
            goto out;
    }
out:
    return rc;
}

/* Cells from the caller's rules (PDF points), used when no grid was found on
 * the image itself and the image was not rotated. */
static ft_err grid_from_rules(const ext_ocr_prep *p, const ft_box *rules,
                              size_t nrules, ext_ocr_cell **cells,
                              size_t *ncells)
{
    ft_err rc = FT_OK;
    ext_ocr_seg *h = NULL, *v = NULL;
    size_t nh = 0, nv = 0;

    *cells = NULL;
    *ncells = 0;
    h = malloc((nrules ? nrules : 1) * sizeof *h);
    v = malloc((nrules ? nrules : 1) * sizeof *v);
    if (!h || !v) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nrules; i++) {
        const ft_box *r = &rules[i];
        if (r->y1 - r->y0 <= r->x1 - r->x0) {
            h[nh].a0 = r->x0 * p->scale;
            h[nh].a1 = r->x1 * p->scale;
            h[nh].pos = (r->y0 + r->y1) / 2 * p->scale;
            nh++;
        } else {
            v[nv].a0 = r->y0 * p->scale;
            v[nv].a1 = r->y1 * p->scale;
            v[nv].pos = (r->x0 + r->x1) / 2 * p->scale;
            nv++;
        }
    }
    rc = ext_ocr_grid_build(h, nh, v, nv, 0, ext_ocr__px(p, EXT_OCR_RULE_TOL_IN),
                            cells, ncells);
out:
    free(h);
    free(v);
    return rc;
}

/* Read the ink of rest (1 bpp, prepared page size) with psm, over the box
 * of its ink once specks are set aside; nothing if too little is left. */
static ft_err read_rest(ext_ocr *ocr, const ext_ocr_prep *p, PIX *rest,
                        int psm, ft_page *page, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    BOX *fg = NULL;
    int speck = ext_ocr__px(p, EXT_OCR_SPECK_IN);
    PIX *clean = pixSelectBySize(rest, speck, speck, 8, L_SELECT_IF_EITHER,
                                 L_SELECT_IF_GT, NULL);
    if (!clean) {
        rc = FT_NOMEM;
        goto out;
    }
    l_int32 ink = 0;
    double min_ink = EXT_OCR_MIN_INK_SQIN * p->scale * 72.0 * p->scale * 72.0;
    if (pixCountPixels(clean, &ink, NULL) == 0 && ink >= min_ink &&
        pixClipToForeground(clean, NULL, &fg) == 0 && fg) {
        l_int32 x, y, w, h;
        boxGetGeometry(fg, &x, &y, &w, &h);
        rc = recognise_box(ocr, p, rest, x, y, w, h, psm, page, msg, msg_len);
    }
out:
    boxDestroy(&fg);
    pixDestroy(&clean);
    return rc;
}

ft_err ext_ocr_page(ext_ocr *ocr, const ext_image *img, const ft_box *rules,
                    size_t nrules, ft_page *page, char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    ext_ocr_prep p;
    ext_ocr_cell *cells = NULL;
    size_t ncells = 0;
    PIX *rest = NULL;

    ext_ocr__prep_init(&p);
    ocr->page_start = now_seconds();
    free(ocr->cells);
    ocr->cells = NULL;
    ocr->ncells = 0;
    rc = ext_ocr__prep_page(img, ocr->dpi, &p, msg, msg_len);
    if (rc)
        goto out;
    if (p.capped) {
        char w[160];
        snprintf(w, sizeof w, "OCR: page image of %d x %d pixels is over the "
                 "cap of %.0f pixels; recognised at %.0f dpi",
                 img->width, img->height, EXT_OCR_MAX_PIXELS,
                 p.scale * 72.0);
        rc = ft_page_add_warning(page, w);
        if (rc)
            goto out;
    }

    rc = ext_ocr_grid_build(p.hseg, p.nh, p.vseg, p.nv,
                            ext_ocr__px(&p, EXT_OCR_RULE_STRONG_IN),
                            ext_ocr__px(&p, EXT_OCR_RULE_TOL_IN), &cells,
                            &ncells);
    if (ocr->whole_page) {
        free(cells);
        cells = NULL;
        ncells = 0;
    }
    if (rc == FT_LIMIT) {
        rc = ft_page_add_warning(page, "OCR: too many ruling lines for a "
                                 "table grid; page read as plain text");
        ncells = 0;
    }
    if (rc)
        goto out;
    if (ncells > 0) {
        rc = set_rules(&p, page);
        if (rc)
            goto out;
    } else if (nrules > 0 && p.skew_deg == 0 && !p.capped &&
               !ocr->whole_page) {
        rc = grid_from_rules(&p, rules, nrules, &cells, &ncells);
        if (rc == FT_LIMIT)
            rc = FT_OK;
        if (rc)
            goto out;
    }

    /* keep the cells for ext_ocr__last_cells() */
    free(ocr->cells);
    ocr->cells = NULL;
    ocr->ncells = 0;
    if (ncells > 0) {
        ocr->cells = malloc(ncells * sizeof *ocr->cells);
        if (!ocr->cells) {
            rc = FT_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < ncells; i++) {
            ft_box b = { cells[i].x0 / p.scale, cells[i].y0 / p.scale,
                         cells[i].x1 / p.scale, cells[i].y1 / p.scale };
            ocr->cells[i] = b;
        }
        ocr->ncells = ncells;
    }

    /* the cells, one by one */
    int inset = ext_ocr__px(&p, EXT_OCR_INSET_IN);
    for (size_t i = 0; i < ncells; i++) {
        const ext_ocr_cell *c = &cells[i];
        int x0 = (int)lround(c->x0) + inset, y0 = (int)lround(c->y0) + inset;
        int x1 = (int)lround(c->x1) - inset, y1 = (int)lround(c->y1) - inset;
        if (x1 <= x0 || y1 <= y0)
            continue;
        rc = recognise_box(ocr, &p, p.text, x0, y0, x1 - x0, y1 - y0,
                           EXT_OCR_PSM_BLOCK, page, msg, msg_len);
        if (rc)
            goto out;
    }

    /* the ink outside every cell: titles, notes, or the whole page */
    rest = pixCopy(NULL, p.text);
    if (!rest) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < ncells; i++) {
        const ext_ocr_cell *c = &cells[i];
        BOX *b = boxCreate((int)floor(c->x0), (int)floor(c->y0),
                           (int)ceil(c->x1 - c->x0) + 1,
                           (int)ceil(c->y1 - c->y0) + 1);
        if (!b) {
            rc = FT_NOMEM;
            goto out;
        }
        pixClearInRect(rest, b);
        boxDestroy(&b);
    }
    size_t before = page->nruns;
    rc = read_rest(ocr, &p, rest, EXT_OCR_PSM_PAGE, page, msg, msg_len);
    if (rc)
        goto out;
    /* what automatic layout left unread (it drops whole columns of an
     * unruled table) is read again as sparse text */
    int pad = ext_ocr__px(&p, EXT_OCR_INSET_IN);
    for (size_t i = before; i < page->nruns; i++) {
        const ft_box *r = &page->runs[i].box;
        BOX *b = boxCreate((int)floor(r->x0 * p.scale) - pad,
                           (int)floor(r->y0 * p.scale) - pad,
                           (int)ceil((r->x1 - r->x0) * p.scale) + 2 * pad,
                           (int)ceil((r->y1 - r->y0) * p.scale) + 2 * pad);
        if (!b) {
            rc = FT_NOMEM;
            goto out;
        }
        pixClearInRect(rest, b);
        boxDestroy(&b);
    }
    size_t mid = page->nruns;
    rc = read_rest(ocr, &p, rest, EXT_OCR_PSM_SPARSE, page, msg, msg_len);
    if (rc)
        goto out;
    /* fragments of glyphs outside the word boxes come back as junk */
    size_t k = mid;
    for (size_t i = mid; i < page->nruns; i++)
        if (page->runs[i].conf >= EXT_OCR_SPARSE_MIN_CONF)
            page->runs[k++] = page->runs[i];
    page->nruns = k;
out:
    pixDestroy(&rest);
    free(cells);
    ext_ocr__prep_cleanup(&p);
    return rc;
}

const ft_box *ext_ocr__last_cells(const ext_ocr *ocr, size_t *ncells)
{
    *ncells = ocr->ncells;
    return ocr->cells;
}

void ext_ocr__set_whole_page(ext_ocr *ocr, int on)
{
    ocr->whole_page = on;
}
