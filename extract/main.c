/* formtab-extract: a PDF (text layer or scanned) or a plain-text form dump
 * in, the layout stream (docs/streams.md) out. Options, input kind detection
 * and exit codes live here; the work is in extract_core. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ext_ocr.h"
#ifdef FORMTAB_HAVE_OCR
#include "ext_ocr_env.h"
#endif
#include "ext_opts.h"
#include "ext_pdf.h"
#include "ext_text.h"
#include "ft_diag.h"
#include "ft_error.h"
#include "ft_sha256.h"

#define PROG "formtab-extract"

/* The PDF header may follow up to this many bytes of junk (the PDF
 * specification's implementation note; Acrobat accepts 1024). */
#define PDF_MAGIC_WINDOW 1024

static void usage(FILE *f)
{
    fputs(
"Usage: " PROG " [OPTION]... [FILE]\n"
"Write the layout stream of FILE (a PDF, or a plain-text form dump with cells\n"
"separated by tabs) to standard output: text runs with their boxes, ruling\n"
"lines, and lines of text, a page at a time (see docs/streams.md).\n"
"With no FILE, or when FILE is -, read standard input.\n"
"\n"
"The input kind is decided by content: '%PDF-' in the first 1024 bytes means\n"
"PDF; a name ending in .pdf without it is rejected; anything else is text.\n"
"\n"
"Input:\n"
"      --pages=LIST      pages to read, e.g. 1,3-5,9- (default: all); pages\n"
"                        past the end are skipped with a warning\n"
"      --area=T,L,B,R    keep only runs whose centre lies in this box, and\n"
"                        clip rules to it (PDF points from the top-left corner)\n"
"      --password=PW     password of an encrypted PDF\n"
"      --max-pages=N     read at most N pages (default 100000), then stop\n"
"                        with exit status 4\n"
"      --encoding=ENC    encoding of a text dump (iconv name: UTF-8, GB18030,\n"
"                        UTF-16LE, ...; default: detect from BOM and content)\n"
"      --no-rules        do not look for ruling lines (faster)\n"
"OCR (pages without a usable text layer):\n"
"      --ocr=WHEN        auto (default): pages with no text, or almost none\n"
"                        over an image; always: every page; never: none\n"
"                        (such pages get a warning and no text)\n"
"      --ocr-lang=LANGS  Tesseract languages (default chi_sim+eng)\n"
"      --dpi=N           rendering resolution for OCR (default 300, 50-1200)\n"
"Messages:\n"
"  -q, --quiet           no warnings\n"
"  -v, --verbose         debug messages (timings, Poppler's own messages)\n"
"  -h, --help            show this help and exit\n"
"      --version         show the version and exit\n"
"\n"
"Exit status:\n"
"  0  ok (warnings allowed)\n"
"  1  input rejected: missing file, not a PDF, damaged or encrypted PDF,\n"
"     undecodable text; or some pages failed (they are written as\n"
"     'endpage N failed: reason', the other pages still come out)\n"
"  2  usage error\n"
"  3  input/output error\n"
"  4  resource limit hit (--max-pages, an input line over 1 MiB)\n"
"  5  internal error\n"
"When the input cannot be opened at all nothing is written to standard output.\n",
        f);
}

enum {
    OPT_PAGES = 256,
    OPT_AREA,
    OPT_PASSWORD,
    OPT_MAX_PAGES,
    OPT_ENCODING,
    OPT_OCR,
    OPT_OCR_LANG,
    OPT_DPI,
    OPT_NO_RULES,
    OPT_VERSION
};

static const struct option long_opts[] = {
    {"pages", required_argument, NULL, OPT_PAGES},
    {"area", required_argument, NULL, OPT_AREA},
    {"password", required_argument, NULL, OPT_PASSWORD},
    {"max-pages", required_argument, NULL, OPT_MAX_PAGES},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"ocr", required_argument, NULL, OPT_OCR},
    {"ocr-lang", required_argument, NULL, OPT_OCR_LANG},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"no-rules", no_argument, NULL, OPT_NO_RULES},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

/* 1 if the first bytes of the input hold the PDF header. */
static int has_pdf_magic(const char *buf, size_t len)
{
    for (size_t i = 0; i + 5 <= len; i++)
        if (buf[i] == '%' && !memcmp(buf + i, "%PDF-", 5))
            return 1;
    return 0;
}

static int ends_with_pdf(const char *name)
{
    size_t n = strlen(name);
    return n >= 4 && !strcasecmp(name + n - 4, ".pdf");
}

/* Read all of f (after the prefix already read) into memory, up to max. */
static ft_err slurp(FILE *f, const char *prefix, size_t nprefix, size_t max,
                    char **out, size_t *len)
{
    size_t cap = nprefix > 65536 ? nprefix * 2 : 65536, n = nprefix;
    char *buf = malloc(cap);
    ft_err rc = FT_OK;
    if (!buf)
        return FT_NOMEM;
    memcpy(buf, prefix, nprefix);
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                rc = FT_LIMIT;
                goto out;
            }
            size_t ncap = cap * 2 > max ? max : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = FT_NOMEM;
                goto out;
            }
            buf = nb;
            cap = ncap;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) {
            if (ferror(f))
                rc = FT_IO;
            break;
        }
    }
out:
    if (rc) {
        free(buf);
        buf = NULL;
    }
    *out = buf;
    *len = n;
    return rc;
}

/* Copy prefix and the rest of in to an anonymous temporary file, so the
 * text path can read standard input twice. */
static ft_err spool(FILE *in, const char *prefix, size_t nprefix, FILE **out)
{
    ft_err rc = FT_OK;
    char buf[65536];
    FILE *t = tmpfile();
    if (!t)
        return FT_IO;
    if (nprefix && fwrite(prefix, 1, nprefix, t) != nprefix)
        rc = FT_IO;
    while (!rc) {
        size_t k = fread(buf, 1, sizeof buf, in);
        if (k == 0) {
            if (ferror(in))
                rc = FT_IO;
            break;
        }
        if (fwrite(buf, 1, k, t) != k)
            rc = FT_IO;
    }
    if (!rc && fflush(t) != 0)
        rc = FT_IO;
    if (rc) {
        fclose(t);
        return rc;
    }
    *out = t;
    return FT_OK;
}

/* Run the extraction for one input. Returns the error to exit with; msg
 * holds the message for main to print (empty: already reported). */
static ft_err run(const char *file, const ext_options *opt, ft_diag *diag,
                  char *msg, size_t msg_len)
{
    ft_err rc = FT_OK;
    FILE *in = NULL, *spooled = NULL;
    char *bytes = NULL;
    size_t nbytes = 0;
    char prefix[PDF_MAGIC_WINDOW];
    size_t nprefix = 0;
    int is_stdin = !strcmp(file, "-");
    const char *name = file;

    msg[0] = '\0';
    if (is_stdin) {
        in = stdin;
    } else {
        struct stat st;
        if (stat(file, &st) != 0) {
            rc = errno == ENOENT || errno == ENOTDIR ? FT_NOENT : FT_IO;
            snprintf(msg, msg_len, "%s", strerror(errno));
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = FT_ISDIR;
            snprintf(msg, msg_len, "is a directory");
            goto out;
        }
        in = fopen(file, "rb");
        if (!in) {
            rc = errno == ENOENT ? FT_NOENT : FT_IO;
            snprintf(msg, msg_len, "%s", strerror(errno));
            goto out;
        }
    }
    nprefix = fread(prefix, 1, sizeof prefix, in);
    if (nprefix < sizeof prefix && ferror(in)) {
        rc = FT_IO;
        snprintf(msg, msg_len, "read error: %s", strerror(errno));
        goto out;
    }
    if (nprefix == 0) {
        rc = FT_EMPTY;
        snprintf(msg, msg_len, "empty input");
        goto out;
    }

    if (has_pdf_magic(prefix, nprefix)) {
        ext_pdf_input pin;
        memset(&pin, 0, sizeof pin);
        pin.name = name;
        if (is_stdin) {
            rc = slurp(in, prefix, nprefix, EXT_MAX_STDIN_PDF, &bytes, &nbytes);
            if (rc) {
                snprintf(msg, msg_len, rc == FT_LIMIT
                                           ? "PDF on standard input is larger "
                                             "than 512 MiB; pass it as a file"
                                           : "cannot read standard input");
                goto out;
            }
            ft_sha256 sha;
            ft_sha256_init(&sha);
            ft_sha256_update(&sha, bytes, nbytes);
            ft_sha256_hex(&sha, pin.sha256);
            pin.bytes = bytes;
            pin.nbytes = nbytes;
        } else {
            fclose(in);
            in = NULL;
            rc = ft_sha256_file(file, pin.sha256);
            if (rc) {
                snprintf(msg, msg_len, "%s", ft_strerror(rc));
                goto out;
            }
            pin.path = file;
        }
        rc = ext_pdf_extract(&pin, opt, stdout, diag, msg, msg_len);
        goto out;
    }
    if (!is_stdin && ends_with_pdf(file)) {
        rc = FT_NOTPDF;
        snprintf(msg, msg_len, "not a PDF file (no %%PDF- header)");
        goto out;
    }
    if (opt->has_area)
        ft_diag_warn(diag, name, 0, "--area is ignored for a text input");
    if (is_stdin) {
        rc = spool(in, prefix, nprefix, &spooled);
        if (rc) {
            snprintf(msg, msg_len, "cannot buffer standard input: %s",
                     strerror(errno));
            goto out;
        }
        rc = ext_text_extract(spooled, name, opt->encoding, &opt->pages, stdout,
                              diag, msg, msg_len);
    } else {
        rc = ext_text_extract(in, name, opt->encoding, &opt->pages, stdout,
                              diag, msg, msg_len);
    }
out:
    if (in && in != stdin)
        fclose(in);
    if (spooled)
        fclose(spooled);
    free(bytes);
    return rc;
}

int main(int argc, char **argv)
{
    ft_diag diag;
    ext_options opt;
    ft_err rc = FT_OK;
    char msg[1024];
    int c;
    int status;

#ifdef FORMTAB_HAVE_OCR
    /* First, before Tesseract can load: OMP_THREAD_LIMIT=1 (re-exec). */
    (void)ext_ocr_ensure_env(argc, argv);
#endif
    ft_diag_init(&diag, PROG);
    ext_options_init(&opt);
    while ((c = getopt_long(argc, argv, "qvh", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_PAGES:
            rc = ext_pages_parse(optarg, &opt.pages, msg, sizeof msg);
            if (rc == FT_USAGE) {
                ft_diag_usage(&diag, "%s", msg);
                status = FT_EXIT_USAGE;
                goto done;
            }
            if (rc) {
                ft_diag_error(&diag, NULL, 0, "%s", ft_strerror(rc));
                status = ft_exit_code(rc);
                goto done;
            }
            break;
        case OPT_AREA:
            if (ext_area_parse(optarg, &opt.area, msg, sizeof msg)) {
                ft_diag_usage(&diag, "%s", msg);
                status = FT_EXIT_USAGE;
                goto done;
            }
            opt.has_area = 1;
            break;
        case OPT_PASSWORD:
            opt.password = optarg;
            break;
        case OPT_MAX_PAGES:
            if (ext_parse_uint(optarg, 0xFFFFFFFEu, &opt.max_pages)) {
                ft_diag_usage(&diag, "bad --max-pages '%s': expected a positive "
                              "number", optarg);
                status = FT_EXIT_USAGE;
                goto done;
            }
            break;
        case OPT_ENCODING:
            opt.encoding = optarg;
            break;
        case OPT_OCR:
            if (ext_ocr_mode_parse(optarg, &opt.ocr)) {
                ft_diag_usage(&diag, "bad --ocr '%s': expected auto, always or "
                              "never", optarg);
                status = FT_EXIT_USAGE;
                goto done;
            }
            break;
        case OPT_OCR_LANG:
            opt.ocr_lang = optarg;
            break;
        case OPT_DPI: {
            unsigned dpi;
            if (ext_parse_uint(optarg, 1200, &dpi) || dpi < 50) {
                ft_diag_usage(&diag, "bad --dpi '%s': expected 50 to 1200",
                              optarg);
                status = FT_EXIT_USAGE;
                goto done;
            }
            opt.dpi = (int)dpi;
            break;
        }
        case OPT_NO_RULES:
            opt.no_rules = 1;
            break;
        case 'q':
            diag.quiet = 1;
            break;
        case 'v':
            diag.verbose = 1;
            break;
        case 'h':
            usage(stdout);
            status = ft_close_stdout(&diag) ? FT_EXIT_IO : FT_EXIT_OK;
            goto done;
        case OPT_VERSION:
            printf("%s %s\n", PROG, FORMTAB_VERSION);
            status = ft_close_stdout(&diag) ? FT_EXIT_IO : FT_EXIT_OK;
            goto done;
        default:
            /* getopt_long printed what was wrong. */
            fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
            status = FT_EXIT_USAGE;
            goto done;
        }
    }
    if (argc - optind > 1) {
        ft_diag_usage(&diag, "one input file at a time (got %d)", argc - optind);
        status = FT_EXIT_USAGE;
        goto done;
    }
    const char *file = optind < argc ? argv[optind] : "-";
    if (opt.encoding && !opt.encoding[0]) {
        ft_diag_usage(&diag, "empty --encoding");
        status = FT_EXIT_USAGE;
        goto done;
    }

    rc = run(file, &opt, &diag, msg, sizeof msg);
    if (rc == FT_USAGE) {
        ft_diag_usage(&diag, "%s", msg[0] ? msg : ft_strerror(rc));
        status = FT_EXIT_USAGE;
    } else {
        if (rc && msg[0])
            ft_diag_error(&diag, file, 0, "%s", msg);
        status = ft_exit_code(rc);
    }
    if (ft_close_stdout(&diag) && status == FT_EXIT_OK)
        status = FT_EXIT_IO;
done:
    ext_options_cleanup(&opt);
    return status;
}
