/* ocr-page: run formtab's OCR engine on page images (binary PGM, as written
 * by `pdftoppm -gray`) and write the layout stream of the recognised runs to
 * stdout, one page per image. A harness for bench/ocr-bench and the OCR
 * tests, so the engine can be measured apart from formtab-extract.
 *
 *     ocr-page [--dpi N] [--lang L] [--whole-page] PAGE.pgm...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext_ocr.h"
#include "ext_ocr_env.h"
#include "ext_ocr_int.h"
#include "ft_diag.h"
#include "ft_layout.h"

/* Largest PGM accepted: the OCR pixel cap is applied later; this only keeps
 * a corrupt header from asking for absurd memory. */
#define MAX_PGM_PIXELS (400.0 * 1000 * 1000)

static int read_token(FILE *f, long *out)
{
    int c;
    long v = 0;
    int digits = 0;
    for (;;) {
        c = getc(f);
        if (c == '#') {
            while (c != '\n' && c != EOF)
                c = getc(f);
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
    }
    while (c >= '0' && c <= '9' && digits < 9) {
        v = v * 10 + (c - '0');
        digits++;
        c = getc(f);
    }
    if (digits == 0)
        return -1;
    *out = v;
    return 0;
}

/* Read a binary 8-bit PGM. Caller frees *pix with free(). */
static ft_err read_pgm(const char *path, unsigned char **pix, int *w, int *h,
                       char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long lw, lh, maxv;

    *pix = NULL;
    if (!f) {
        snprintf(msg, msg_len, "cannot open");
        rc = FT_NOENT;
        goto out;
    }
    if (getc(f) != 'P' || getc(f) != '5' || read_token(f, &lw) ||
        read_token(f, &lh) || read_token(f, &maxv) || maxv != 255 || lw <= 0 ||
        lh <= 0 || (double)lw * lh > MAX_PGM_PIXELS) {
        snprintf(msg, msg_len, "not an 8-bit binary PGM");
        rc = FT_FORMAT;
        goto out;
    }
    buf = malloc((size_t)lw * lh);
    if (!buf) {
        rc = FT_NOMEM;
        goto out;
    }
    if (fread(buf, 1, (size_t)lw * lh, f) != (size_t)lw * lh) {
        snprintf(msg, msg_len, "short PGM data");
        rc = FT_FORMAT;
        goto out;
    }
    *pix = buf;
    buf = NULL;
    *w = (int)lw;
    *h = (int)lh;
out:
    free(buf);
    if (f)
        fclose(f);
    return rc;
}

static void usage(FILE *out)
{
    fputs("Usage: ocr-page [OPTION]... PAGE.pgm...\n"
          "Recognise page images with formtab's OCR engine and write the\n"
          "layout stream (docs/streams.md) to stdout.\n\n"
          "  --dpi N     resolution the images were rendered at (300)\n"
          "  --lang L    Tesseract languages (chi_sim+eng)\n"
          "  --whole-page  read pages whole instead of cell by cell\n"
          "  --help      show this help\n\n"
          "Exit status: 0 ok, 1 input rejected, 2 usage, 3 I/O, 4 limit.\n",
          out);
}

int main(int argc, char **argv)
{
    ft_diag diag;
    ext_ocr_options opt = { "chi_sim+eng", 300, 0 };
    ext_ocr *ocr = NULL;
    ft_page page;
    ft_doc doc;
    char msg[512];
    int status = FT_EXIT_OK;
    unsigned nfailed = 0;
    int whole_page = 0;
    static const struct option longopts[] = {
        {"dpi", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, 'l'},
        {"whole-page", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};

    (void)ext_ocr_ensure_env(argc, argv);
    ft_diag_init(&diag, "ocr-page");
    ft_page_init(&page);
    ft_doc_init(&doc);
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            opt.dpi = atoi(optarg);
            if (opt.dpi < 30 || opt.dpi > 1200) {
                ft_diag_usage(&diag, "--dpi must be 30..1200");
                status = FT_EXIT_USAGE;
                goto out;
            }
            break;
        case 'l':
            opt.lang = optarg;
            break;
        case 'w':
            whole_page = 1;
            break;
        case 'h':
            usage(stdout);
            goto out;
        default:
            ft_diag_usage(&diag, "unknown option");
            status = FT_EXIT_USAGE;
            goto out;
        }
    }
    if (optind >= argc) {
        ft_diag_usage(&diag, "no page image given");
        status = FT_EXIT_USAGE;
        goto out;
    }
    ft_err rc = ext_ocr_new(&opt, &ocr, msg, sizeof msg);
    if (rc) {
        ft_diag_error(&diag, NULL, 0, "%s", msg);
        status = ft_exit_code(rc);
        goto out;
    }
    ext_ocr__set_whole_page(ocr, whole_page);
    doc.source = strdup(argv[optind]);
    strcpy(doc.kind, "pdf");
    doc.npages = (unsigned)(argc - optind);
    ft_layout_write_header(stdout, &doc);
    for (int i = optind; i < argc; i++) {
        unsigned char *pix = NULL;
        int w = 0, h = 0;
        unsigned number = (unsigned)(i - optind + 1);
        ft_page_reset(&page);
        rc = read_pgm(argv[i], &pix, &w, &h, msg, sizeof msg);
        if (!rc) {
            ext_image img = { pix, w, h, w, opt.dpi / 72.0 };
            page.number = number;
            page.width = w / img.scale;
            page.height = h / img.scale;
            page.has_geometry = 1;
            strcpy(page.origin, "ocr");
            rc = ext_ocr_page(ocr, &img, NULL, 0, &page, msg, sizeof msg);
        }
        free(pix);
        if (rc) {
            ft_diag_error(&diag, argv[i], number, "%s", msg);
            ft_layout_write_page(stdout, number, 0, 0, 0, 0, "ocr");
            ft_layout_write_endpage(stdout, number, msg);
            nfailed++;
            status = ft_exit_code(rc);
            continue;
        }
        /* the page, then the engine's cells as an extension record
         * (readers skip x- records), then endpage */
        ft_layout_write_page(stdout, number, 1, page.width, page.height, 0,
                             "ocr");
        for (size_t k = 0; k < page.nwarnings; k++)
            ft_layout_write_warn(stdout, page.warnings[k]);
        for (size_t k = 0; k < page.nrules; k++)
            ft_layout_write_rule(stdout, page.rules[k]);
        for (size_t k = 0; k < page.nruns; k++)
            ft_layout_write_run(stdout, &page.runs[k]);
        size_t ncells = 0;
        const ft_box *cells = ext_ocr__last_cells(ocr, &ncells);
        for (size_t k = 0; k < ncells; k++)
            printf("x-ocr-cell\t%.2f\t%.2f\t%.2f\t%.2f\n", cells[k].x0,
                   cells[k].y0, cells[k].x1, cells[k].y1);
        ft_layout_write_endpage(stdout, number, NULL);
    }
    ft_layout_write_end(stdout, doc.npages, nfailed);
out:
    ext_ocr_free(ocr);
    ft_page_cleanup(&page);
    ft_doc_cleanup(&doc);
    if (ft_close_stdout(&diag) && status == FT_EXIT_OK)
        status = FT_EXIT_IO;
    return status;
}
