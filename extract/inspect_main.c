/* formtab-inspect: the command line around ext_inspect_run() (ext_inspect.h).
 * Parses options, prints the one error line and picks the exit code. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ext_inspect.h"
#include "ext_inspect_draw.h"
#include "ext_opts.h"
#include "ft_diag.h"
#include "ft_error.h"

#define PROG "formtab-inspect"
#ifndef FORMTAB_VERSION
#define FORMTAB_VERSION "unknown"
#endif

static void usage(FILE *f)
{
    fputs(
        "Usage: " PROG " [OPTION]... FILE -o PAGE.png\n"
        "  or:  " PROG " [OPTION]... FILE --html DIR\n"
        "Show what formtab saw in FILE (a PDF form, text layer or scanned, or a\n"
        "text dump): the ruling lines it found, the tables and their cells,\n"
        "merged cells, the reading order of rows, and how sure OCR was.\n"
        "formtab-extract, formtab-normalize and formtab-emit are run from the\n"
        "directory of this program, unless the streams are given as files.\n"
        "\n"
        "Output (one of):\n"
        "  -o, --output=PNG     draw one page (--page) with everything formtab\n"
        "                       found over it and a legend below, as a PNG\n"
        "      --html=DIR       write a review folder: DIR/index.html (one\n"
        "                       section per page: the page image beside the\n"
        "                       extracted tables, their form records and\n"
        "                       warnings; every cell links to its box on the\n"
        "                       image), DIR/inspect.css, DIR/page-NNNN.png.\n"
        "                       No script, no network: open it from disk\n"
        "Pages:\n"
        "      --page=N         the page to draw (default 1); with --html, show\n"
        "                       only page N\n"
        "      --pages=LIST     with --html: pages to show, e.g. 1,3-5,9- (only\n"
        "                       these are extracted: a table continuing from a\n"
        "                       page not listed starts fresh)\n"
        "      --dpi=N          resolution of the page images (default 100,\n"
        "                       20 to 600)\n"
        "Streams made beforehand (instead of running the stages):\n"
        "      --layout=FILE    layout stream (formtab-extract FILE > LAYOUT)\n"
        "      --tables=FILE    table stream (formtab-normalize LAYOUT > TABLES)\n"
        "      --records=FILE   form records (formtab-emit --records=form\n"
        "                       --format=jsonl TABLES > RECORDS)\n"
        "Passed to formtab-extract:\n"
        "      --password=PW    password of an encrypted PDF\n"
        "      --ocr=WHEN       auto (default), always or never\n"
        "  -q, --quiet          no warnings\n"
        "  -v, --verbose        debug messages\n"
        "  -h, --help           show this help and exit\n"
        "      --version        show the version and exit\n"
        "\n"
        "Exit status:\n"
        "  0  ok (warnings allowed)\n"
        "  1  input rejected: FILE unreadable, a stream malformed or cut short\n"
        "     (the review page still shows what was read), or a stage rejected\n"
        "     some pages (they are shown as failed)\n"
        "  2  usage error, or the page asked for is not in the document\n"
        "  3  input/output error\n"
        "  4  resource limit hit\n"
        "  5  internal error (a stage crashed)\n",
        f);
}

enum {
    OPT_HTML = 256,
    OPT_PAGE,
    OPT_PAGES,
    OPT_DPI,
    OPT_LAYOUT,
    OPT_TABLES,
    OPT_RECORDS,
    OPT_PASSWORD,
    OPT_OCR,
    OPT_VERSION
};

static const struct option long_opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"html", required_argument, NULL, OPT_HTML},
    {"page", required_argument, NULL, OPT_PAGE},
    {"pages", required_argument, NULL, OPT_PAGES},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"tables", required_argument, NULL, OPT_TABLES},
    {"records", required_argument, NULL, OPT_RECORDS},
    {"password", required_argument, NULL, OPT_PASSWORD},
    {"ocr", required_argument, NULL, OPT_OCR},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

int main(int argc, char **argv)
{
    ft_diag d;
    ext_inspect_options o;
    char msg[1024];
    char page_spec[16];
    int page_given = 0, status = FT_EXIT_USAGE;
    unsigned u;
    ext_ocr_mode ocr_mode;
    ft_diag_init(&d, PROG);
    ext_inspect_options_init(&o);
    o.version = FORMTAB_VERSION;
    /* Output files get the permissions a plain `> file` would: 0666 less
     * the umask (read here, while the process has one thread). */
    mode_t mask = umask(0);
    umask(mask);
    o.file_mode = 0666 & ~mask;

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:qvh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o.png_path = optarg;
            break;
        case OPT_HTML:
            o.html_dir = optarg;
            break;
        case OPT_PAGE:
            if (ext_parse_uint(optarg, 1000000000u, &u)) {
                ft_diag_usage(&d, "invalid --page '%s' (a page number)",
                              optarg);
                goto out;
            }
            o.page = u;
            page_given = 1;
            break;
        case OPT_PAGES:
            o.pages = optarg;
            break;
        case OPT_DPI:
            if (ext_parse_uint(optarg, EXT_OVERLAY_DPI_MAX, &u) ||
                u < EXT_OVERLAY_DPI_MIN) {
                ft_diag_usage(&d, "invalid --dpi '%s' (%d to %d)", optarg,
                              EXT_OVERLAY_DPI_MIN, EXT_OVERLAY_DPI_MAX);
                goto out;
            }
            o.dpi = u;
            break;
        case OPT_LAYOUT:
            o.layout_path = optarg;
            break;
        case OPT_TABLES:
            o.tables_path = optarg;
            break;
        case OPT_RECORDS:
            o.records_path = optarg;
            break;
        case OPT_PASSWORD:
            o.password = optarg;
            break;
        case OPT_OCR:
            if (ext_ocr_mode_parse(optarg, &ocr_mode)) {
                ft_diag_usage(&d, "invalid --ocr '%s' (auto, always, never)",
                              optarg);
                goto out;
            }
            o.ocr = optarg;
            break;
        case 'q':
            d.quiet = 1;
            break;
        case 'v':
            d.verbose = 1;
            break;
        case 'h':
            usage(stdout);
            status = ft_close_stdout(&d) ? FT_EXIT_IO : FT_EXIT_OK;
            goto out;
        case OPT_VERSION:
            printf(PROG " " FORMTAB_VERSION "\n");
            status = ft_close_stdout(&d) ? FT_EXIT_IO : FT_EXIT_OK;
            goto out;
        case ':':
            ft_diag_usage(&d, "option '%s' requires an argument",
                          argv[optind - 1]);
            goto out;
        default:
            if (optopt)
                ft_diag_usage(&d, "invalid option -- '%c'", optopt);
            else
                ft_diag_usage(&d, "unrecognized option '%s'",
                              argv[optind - 1]);
            goto out;
        }
    }
    if (optind >= argc) {
        ft_diag_usage(&d, "missing FILE");
        goto out;
    }
    if (argc - optind > 1) {
        ft_diag_usage(&d, "extra operand '%s'", argv[optind + 1]);
        goto out;
    }
    o.input = argv[optind];
    if (!strcmp(o.input, "-")) {
        ft_diag_usage(&d, "FILE must be a file: the page is both extracted "
                          "and drawn");
        goto out;
    }
    if (!o.png_path == !o.html_dir) {
        ft_diag_usage(&d, "give one of -o PNG or --html DIR");
        goto out;
    }
    if (o.png_path && o.pages) {
        ft_diag_usage(&d, "-o draws one page: choose it with --page N");
        goto out;
    }
    if (o.records_path && !o.html_dir) {
        ft_diag_usage(&d, "--records only applies to --html");
        goto out;
    }
    if (o.html_dir && page_given) {
        if (o.pages) {
            ft_diag_usage(&d, "give --page or --pages, not both");
            goto out;
        }
        snprintf(page_spec, sizeof page_spec, "%u", o.page);
        o.pages = page_spec;
    }
    if (o.pages && ext_pages_parse(o.pages, &o.sel, msg, sizeof msg)) {
        ft_diag_usage(&d, "invalid --pages '%s': %s", o.pages, msg);
        goto out;
    }

    ft_err rc = ext_inspect_run(&o, &d, msg, sizeof msg);
    if (rc && rc != FT_PAGE)
        ft_diag_error(&d, o.input, 0, "%s", msg[0] ? msg : ft_strerror(rc));
    status = rc ? ft_exit_code(rc) : FT_EXIT_OK;
    if (ft_close_stdout(&d) && !status)
        status = FT_EXIT_IO;
out:
    ext_pages_cleanup(&o.sel);
    return status;
}
